"""Opening, changing and closing an online fair; which enterprises take part."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dualtrack.areas.models import Area
from dualtrack.core.audit import audit_record, snapshot
from dualtrack.core.errors import Conflict
from dualtrack.core.models import AuditAction, User
from dualtrack.enterprises.models import Enterprise
from dualtrack.enterprises.services import fields
from dualtrack.jobs import access
from dualtrack.jobs.models import Fair


@dataclass(frozen=True)
class FairData:
    title: str
    theme: str
    description: str
    starts_on: datetime.date
    ends_on: datetime.date


def clean_fair(
    *, title: Any, starts_on: Any, ends_on: Any, theme: Any = "", description: Any = ""
) -> FairData:
    errors: fields.Errors = []
    clean_title = fields.text(errors, "title", title, 100, required=True)
    clean_theme = fields.text(errors, "theme", theme, 200, required=False)
    clean_description = fields.text(errors, "description", description, 2000, required=False)
    start = fields.date(errors, "starts_on", starts_on, required=True)
    end = fields.date(errors, "ends_on", ends_on, required=True)
    if start and end and end < start:
        errors.append({"field": "ends_on", "message": _("A fair ends on or after its first day.")})
    fields.raise_if(errors)
    assert start is not None and end is not None
    return FairData(clean_title, clean_theme, clean_description, start, end)


def _district_code() -> str:
    root = Area.objects.filter(parent__isnull=True).only("code").first()
    return root.code if root else ""


def fair_create(
    *, actor: User, data: FairData, enterprises: list[Enterprise] | None = None
) -> Fair:
    """Open a fair (the enterprise-services group)."""
    access.require_manage_fairs(actor)
    with transaction.atomic():
        fair = Fair.objects.create(
            title=data.title,
            theme=data.theme,
            description=data.description,
            starts_on=data.starts_on,
            ends_on=data.ends_on,
            created_by=actor,
        )
        if enterprises:
            fair.enterprises.set(enterprises)
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            instance=fair,
            area_code=_district_code(),
            after={**snapshot(fair), "enterprises": sorted(e.pk for e in enterprises or [])},
        )
    return fair


def fair_update(*, actor: User, fair: Fair, data: FairData) -> Fair:
    access.require_manage_fairs(actor)
    with transaction.atomic():
        fair = Fair.objects.select_for_update().get(pk=fair.pk)
        if fair.closed_at is not None:
            raise Conflict(_("This fair is closed."), code="fair_closed")
        before = snapshot(fair)
        for name, value in data.__dict__.items():
            setattr(fair, name, value)
        fair.save()
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=fair,
            area_code=_district_code(),
            before=before,
            after=snapshot(fair),
        )
    return fair


def fair_set_enterprises(*, actor: User, fair: Fair, enterprises: list[Enterprise]) -> Fair:
    """Set the enterprises taking part; one that has postings in the fair stays."""
    access.require_manage_fairs(actor)
    with transaction.atomic():
        fair = Fair.objects.select_for_update().get(pk=fair.pk)
        if fair.closed_at is not None:
            raise Conflict(_("This fair is closed."), code="fair_closed")
        before = sorted(fair.enterprises.values_list("pk", flat=True))
        posting = set(fair.postings.values_list("enterprise_id", flat=True))
        wanted = {e.pk for e in enterprises} | posting
        fair.enterprises.set(sorted(wanted))
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=fair,
            area_code=_district_code(),
            before={"enterprises": before},
            after={"enterprises": sorted(wanted)},
        )
    return fair


def fair_close(*, actor: User, fair: Fair) -> Fair:
    """Close a fair before its end: it takes no posting and no application any more."""
    access.require_manage_fairs(actor)
    with transaction.atomic():
        fair = Fair.objects.select_for_update().get(pk=fair.pk)
        if fair.closed_at is not None:
            raise Conflict(_("This fair is already closed."), code="fair_closed")
        fair.closed_at = timezone.now()
        fair.save(update_fields=["closed_at"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=fair,
            area_code=_district_code(),
            after={"closed_at": str(fair.closed_at)},
        )
    return fair
