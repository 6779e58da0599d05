"""The 24:00 snapshot: every app's figures of a day that has ended, for the district and each
town, frozen into one row (``Snapshot``) that the briefings are made from — never live data.

The figures are read through the platform registry (each app's ``figures`` slot), as a reader
whose sight is the district, then each town (a district-administrator grant bound to that area,
built in memory: nobody signs in as it). Re-running a day freezes it again, in place: a briefing
keeps the figures it was generated with, so a published one never changes.
"""

from __future__ import annotations

import datetime
import time
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dualtrack.areas.models import Area, AreaKind, Role
from dualtrack.areas.scoping import ROOT_CODE, Grant, Scope
from dualtrack.command import access
from dualtrack.command.models import Snapshot
from dualtrack.core import platform
from dualtrack.core.audit import audit_record
from dualtrack.core.errors import NotFound, PermissionDenied, ValidationFailed
from dualtrack.core.jobs import Progress, job_start, no_progress
from dualtrack.core.models import AuditAction, Job, User

FREEZE_JOB = "command.freeze_snapshot"


def reader_for(area: Area) -> User:
    """An unsaved user who sees ``area`` and everything under it, for reading the apps' figures
    of that area; id 0 matches no row (no staff list, no enterprise login)."""
    user = User(id=0, username="snapshot", is_active=True)
    grant = Grant(Role.DISTRICT_ADMIN, area.pk, area.code, area.kind, None, "")
    user._dualtrack_scope = Scope(user, [grant])  # type: ignore[attr-defined]
    return user


def _value(value: int | float | Decimal) -> int | float | str:
    return str(value) if isinstance(value, Decimal) else value


def _figures(user: User, day: datetime.date, timings: dict[str, float]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    # One refresh per reader: what several apps ask of the reader (the enterprise it belongs to,
    # none) is read once, not once per app.
    with platform.one_refresh():
        for contribution in platform.contributions():
            if contribution.figures is None:
                continue
            started = time.perf_counter()
            for figure in contribution.figures(user=user, day=day):
                rows.append(
                    {
                        "key": figure.key,
                        "label": str(figure.label),
                        "value": _value(figure.value),
                        "unit": str(figure.unit),
                    }
                )
            timings[contribution.label] = timings.get(contribution.label, 0.0) + (
                time.perf_counter() - started
            )
    return rows


def check_day(day: datetime.date) -> None:
    if day >= timezone.localdate():
        raise ValidationFailed.for_field(
            "day",
            _("Only a day that has ended can be frozen; %(day)s has not.")
            % {"day": day.isoformat()},
        )


def snapshot_freeze(
    *, actor: User | None, day: datetime.date, progress: Progress = no_progress
) -> Snapshot:
    """Freeze ``day``'s figures (the district's and each town's); again, in place, if it was
    frozen before. ``actor`` None: the scheduled command."""
    if actor is not None and not access.district_wide(actor, access.Ability.BRIEFINGS):
        raise PermissionDenied()
    check_day(day)
    root = Area.objects.filter(code=ROOT_CODE).first()
    if root is None:
        raise NotFound(_("The district has not been set up."))
    towns = list(Area.objects.filter(kind=AreaKind.TOWN).order_by("code"))
    timings: dict[str, float] = {}
    total = len(towns) + 1
    with translation.override(settings.LANGUAGE_CODE):
        progress(0, total, _("The district"))
        district = _figures(reader_for(root), day, timings)
        town_rows = []
        for done, town in enumerate(towns, start=1):
            progress(done, total, town.name)
            town_rows.append(
                {
                    "code": town.code,
                    "name": town.name,
                    "figures": _figures(reader_for(town), day, timings),
                }
            )
    figures = {"district": district, "district_name": root.name, "towns": town_rows}
    with transaction.atomic():
        snapshot, created = Snapshot.objects.update_or_create(
            day=day,
            defaults={
                "frozen_at": timezone.now(),
                "figures": figures,
                "timings": {k: round(v, 4) for k, v in timings.items()},
            },
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            instance=snapshot,
            area_code=root.code,
        )
    return snapshot


def snapshot_freeze_start(*, actor: User, day: datetime.date) -> Job:
    """Check the role and the day now, and freeze in the background (a job with progress)."""
    if not access.district_wide(actor, access.Ability.BRIEFINGS):
        raise PermissionDenied()
    check_day(day)
    return job_start(
        actor=actor,
        kind=FREEZE_JOB,
        label=_("Freeze the figures of %(day)s") % {"day": day.isoformat()},
        params={"day": day.isoformat()},
    )
