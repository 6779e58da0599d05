"""In-process and after-the-fact supervision (事中事后监管): a seeded, stratified random sample of
resumed enterprises, inspections against a checklist with photos, rectifications with deadlines
closed by a re-inspection."""

from __future__ import annotations

import datetime
import math
import random
import secrets
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from dualtrack.areas.models import Area, AreaKind
from dualtrack.areas.scoping import Permission, scope_for
from dualtrack.core.audit import audit_record, snapshot
from dualtrack.core.errors import Conflict, NotFound, PermissionDenied
from dualtrack.core.models import AuditAction, User
from dualtrack.enterprises import access
from dualtrack.enterprises.models import (
    Enterprise,
    Inspection,
    InspectionPhoto,
    InspectionResult,
    Rectification,
    ResumptionStatus,
    SampleDraw,
)
from dualtrack.enterprises.services import fields

CHECKLIST = {
    "temperature_checks": gettext_noop("temperature checks at the gate"),
    "masks_worn": gettext_noop("masks worn at work"),
    "disinfection_log": gettext_noop("disinfection log kept"),
    "canteen_spacing": gettext_noop("canteen spacing or staggered meals"),
    "isolation_room": gettext_noop("isolation room ready"),
    "roster_current": gettext_noop("workforce roster up to date"),
}
MAX_PHOTOS = 6


def sample_draw(
    *, actor: User, fraction: Any, seed: int | None = None, town_ids: list[int] | None = None
) -> SampleDraw:
    """Draw a random sample of the resumed enterprises in the actor's inspection scope, the same
    fraction from every stratum (town × size class), at least one from each. The seed, the
    strata and the enterprises drawn are recorded, so that anyone can repeat the draw."""
    scope = scope_for(actor)
    if not scope.codes(Permission.INSPECT_ENTERPRISES):
        raise PermissionDenied()
    errors: fields.Errors = []
    try:
        share = Decimal(str(fraction))
        if not Decimal("0.001") <= share <= Decimal("1"):
            raise ValueError
    except (ArithmeticError, ValueError):
        errors.append(
            {"field": "fraction", "message": _("Enter a share between 0.001 and 1, e.g. 0.1.")}
        )
        share = Decimal(0)
    fields.raise_if(errors)
    seed = seed if seed is not None else secrets.randbelow(2**31)
    pool = scope.filter_by_area(
        Enterprise.objects.filter(status=ResumptionStatus.RESUMED),
        permission=Permission.INSPECT_ENTERPRISES,
    )
    if town_ids:
        # Each town is read through the scope: one out of it is not found, as if it did not exist.
        towns = {
            town.pk: town
            for town in Area.objects.filter(pk__in=town_ids, kind=AreaKind.TOWN)
            if scope.covers(town, Permission.INSPECT_ENTERPRISES)
        }
        if any(town_id not in towns for town_id in town_ids):
            raise NotFound(errors=[{"field": "town_ids", "message": str(NotFound.default_message)}])
        pool = pool.filter(area_id__in=towns)
    drawn, recorded = stratified_sample(
        pool.values_list("id", "area_id", "size_class"), fraction=share, seed=seed
    )
    with transaction.atomic():
        draw = SampleDraw.objects.create(
            seed=seed, fraction=share, strata=recorded, drawn=drawn, drawn_by=actor
        )
        audit_record(actor=actor, action=AuditAction.CREATE, instance=draw, after=snapshot(draw))
    return draw


def stratified_sample(
    pool: Iterable[tuple[int, int, str]], *, fraction: Decimal, seed: int
) -> tuple[list[int], list[dict[str, Any]]]:
    """The draw itself: (enterprise id, town id, size class) rows → the ids drawn and the strata.

    The same fraction from every stratum (town × size class), at least one from each; one
    generator per stratum, seeded by the seed and the stratum, so that a stratum's draw does not
    change when another stratum gains or loses an enterprise.
    """
    strata: dict[tuple[int, str], list[int]] = defaultdict(list)
    for pk, town_id, size in sorted(pool):
        strata[(town_id, size)].append(pk)
    drawn: list[int] = []
    recorded = []
    for (town_id, size), ids in sorted(strata.items()):
        k = max(1, math.ceil(len(ids) * float(fraction)))
        chosen = sorted(random.Random(f"{seed}:{town_id}:{size}").sample(ids, k))
        drawn.extend(chosen)
        recorded.append(
            {"town_id": town_id, "size_class": size, "population": len(ids), "drawn": chosen}
        )
    return drawn, recorded


def inspection_record(
    *,
    actor: User,
    enterprise: Enterprise,
    inspected_on: Any,
    checklist: dict[str, bool],
    findings: str = "",
    rectifications: list[tuple[str, Any]] | None = None,
    photos: list[UploadedFile[bytes]] | None = None,
    draw: SampleDraw | None = None,
) -> Inspection:
    """Record an inspection; a rectification required makes it a failed inspection."""
    access.require_inspect(actor, enterprise)
    errors: fields.Errors = []
    day = fields.date(errors, "inspected_on", inspected_on, required=True)
    if day is not None and day > timezone.localdate():
        errors.append({"field": "inspected_on", "message": _("The date is in the future.")})
    clean_findings = fields.text(errors, "findings", findings, 5000, required=False)
    items: list[tuple[str, datetime.date]] = []
    for requirement, deadline in rectifications or []:
        text = fields.text(errors, "rectification", requirement, 300, required=False)
        if not text:
            continue
        due = fields.date(errors, "deadline", deadline, required=True)
        if due is not None and day is not None and due < day:
            errors.append(
                {"field": "deadline", "message": _("The deadline is before the inspection.")}
            )
        if due is not None:
            items.append((text, due))
    photos = [p for p in (photos or []) if p]
    if len(photos) > MAX_PHOTOS:
        errors.append(
            {"field": "photos", "message": _("At most %(n)d photos.") % {"n": MAX_PHOTOS}}
        )
    for photo in photos:
        fields.upload(errors, "photos", photo, fields.PHOTO_EXTENSIONS)
    fields.raise_if(errors)
    assert day is not None
    if enterprise.status == ResumptionStatus.NOT_RESUMED:
        raise Conflict(_("Only an enterprise that has resumed is inspected."), code="not_resumed")
    checks = {key: bool(checklist.get(key)) for key in CHECKLIST}
    with transaction.atomic():
        inspection = Inspection.objects.create(
            enterprise=enterprise,
            draw=draw,
            inspector=actor,
            inspected_on=day,
            checklist=checks,
            findings=clean_findings,
            result=InspectionResult.RECTIFY if items else InspectionResult.PASSED,
        )
        Rectification.objects.bulk_create(
            Rectification(inspection=inspection, requirement=text, deadline=due)
            for text, due in items
        )
        for photo in photos:
            item = InspectionPhoto(inspection=inspection)
            item.file.save(photo.name or "photo.jpg", photo, save=True)
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            instance=inspection,
            area_code=enterprise.area.code,
            after=snapshot(inspection),
        )
    return inspection


def rectification_close(
    *, actor: User, rectification: Rectification, note: str, closed_on: Any = None
) -> Rectification:
    """Close a rectification after a re-inspection found it put right."""
    enterprise = rectification.inspection.enterprise
    access.require_inspect(actor, enterprise)
    errors: fields.Errors = []
    clean_note = fields.text(errors, "note", note, 300, required=True)
    day = fields.date(errors, "closed_on", closed_on or timezone.localdate(), required=True)
    fields.raise_if(errors)
    with transaction.atomic():
        current = Rectification.objects.select_for_update().get(pk=rectification.pk)
        if current.closed_on is not None:
            raise Conflict(_("This rectification is already closed."), code="already_closed")
        before = snapshot(current)
        current.closed_on = day
        current.reinspection_note = clean_note
        current.save()
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=current,
            area_code=enterprise.area.code,
            before=before,
            after=snapshot(current),
        )
    return current
