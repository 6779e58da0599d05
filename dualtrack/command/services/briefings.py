"""The daily briefing (疫情通报): generated from one frozen snapshot — its figures, with the
snapshots of the day before and of a week before beside them — edited as a draft (title and
narrative), published once and never changed again; a correction is a new numbered briefing
saying what it corrects. Also HQ's policy notices for the public portal."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from dualtrack.areas.scoping import ROOT_CODE
from dualtrack.command import access
from dualtrack.command.briefing_text import comparison_sentences
from dualtrack.command.models import Briefing, BriefingStatus, Notice, Snapshot
from dualtrack.core.audit import audit_record, snapshot
from dualtrack.core.errors import Conflict, PermissionDenied, ValidationFailed, require_text
from dualtrack.core.models import AuditAction, User

TITLE_MAX = 200
TEXT_MAX = 8000


def _require(actor: User) -> None:
    if not access.district_wide(actor, access.Ability.BRIEFINGS):
        raise PermissionDenied()


def _values(snap: Snapshot | None) -> dict[str, Any]:
    if snap is None:
        return {}
    return {f["key"]: f["value"] for f in snap.figures.get("district", [])}


def briefing_content(snap: Snapshot) -> dict[str, Any]:
    """What a briefing shows, copied from ``snap`` and the snapshots a day and a week before."""
    yesterday = Snapshot.objects.filter(day=snap.day - datetime.timedelta(days=1)).first()
    last_week = Snapshot.objects.filter(day=snap.day - datetime.timedelta(days=7)).first()
    return {
        "day": snap.day.isoformat(),
        "district_name": snap.figures.get("district_name", ""),
        "district": snap.figures.get("district", []),
        "towns": snap.figures.get("towns", []),
        "yesterday": _values(yesterday),
        "last_week": _values(last_week),
        "frozen_at": snap.frozen_at.isoformat(),
    }


def default_title(day: datetime.date, number: int) -> str:
    return _("Daily briefing on epidemic prevention and economic restart, No. %(n)d (%(day)s)") % {
        "n": number,
        "day": day.isoformat(),
    }


def briefing_generate(
    *,
    actor: User,
    snapshot_day: datetime.date,
    corrects: Briefing | None = None,
    correction_note: str = "",
) -> Briefing:
    """A new draft, numbered next, from the snapshot of ``snapshot_day``; for a correction,
    ``corrects`` (a published briefing) and what it corrects."""
    _require(actor)
    snap = Snapshot.objects.filter(day=snapshot_day).first()
    if snap is None:
        raise ValidationFailed.for_field(
            "day", _("The figures of %(day)s have not been frozen.") % {"day": snapshot_day}
        )
    if corrects is not None:
        corrects = Briefing.objects.get(pk=corrects.pk)
        if not corrects.is_published:
            raise ValidationFailed.for_field(
                "corrects", _("Only a published briefing is corrected; edit the draft instead.")
            )
        correction_note = require_text("correction_note", correction_note, max_length=TEXT_MAX)
    content = briefing_content(snap)
    with transaction.atomic():
        number = (Briefing.objects.select_for_update().aggregate(n=Max("number"))["n"] or 0) + 1
        briefing = Briefing.objects.create(
            number=number,
            snapshot=snap,
            title=default_title(snap.day, number),
            narrative=" ".join(comparison_sentences(content)),
            content=content,
            corrects=corrects,
            correction_note=correction_note if corrects is not None else "",
            created_by=actor,
        )
        audit_record(actor=actor, action=AuditAction.CREATE, instance=briefing, area_code=ROOT_CODE)
    return briefing


def briefing_update(*, actor: User, briefing: Briefing, title: str, narrative: str) -> Briefing:
    """Edit a draft's title and narrative; a published briefing never changes."""
    _require(actor)
    title = require_text("title", title, max_length=TITLE_MAX)
    narrative = require_text("narrative", narrative, max_length=TEXT_MAX)
    with transaction.atomic():
        briefing = Briefing.objects.select_for_update().get(pk=briefing.pk)
        if briefing.is_published:
            raise Conflict(_("A published briefing never changes; issue a correction instead."))
        before = snapshot(briefing, ["title", "narrative"])
        briefing.title = title
        briefing.narrative = narrative
        briefing.save(update_fields=["title", "narrative"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=briefing,
            area_code=ROOT_CODE,
            before=before,
            after=snapshot(briefing, ["title", "narrative"]),
        )
    return briefing


def briefing_publish(*, actor: User, briefing: Briefing) -> Briefing:
    _require(actor)
    with transaction.atomic():
        briefing = Briefing.objects.select_for_update().get(pk=briefing.pk)
        if briefing.is_published:
            raise Conflict(_("This briefing has been published already."))
        if not briefing.narrative.strip():
            raise ValidationFailed.for_field("narrative", _("Write the narrative first."))
        briefing.status = BriefingStatus.PUBLISHED
        briefing.published_at = timezone.now()
        briefing.published_by = actor
        briefing.save(update_fields=["status", "published_at", "published_by"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=briefing,
            area_code=ROOT_CODE,
            note="published",
        )
    return briefing


def notice_publish(*, actor: User, title: str, body: str) -> Notice:
    """A policy notice of HQ for the public portal; it must carry no personal data."""
    _require(actor)
    title = require_text("title", title, max_length=TITLE_MAX)
    body = require_text("body", body, max_length=TEXT_MAX)
    with transaction.atomic():
        notice = Notice.objects.create(
            title=title, body=body, published_at=timezone.now(), published_by=actor
        )
        audit_record(actor=actor, action=AuditAction.CREATE, instance=notice, area_code=ROOT_CODE)
    return notice
