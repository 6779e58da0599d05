"""Screening campaigns (摸排): opening one over some areas (its coverage counters counted once,
then), renaming or extending it, closing it; recording one household's visit; the phone's
offline queue synced as a batch. Checks are in ``screening_input``, writes in
``screening_write``."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dualtrack.areas.models import HOUSEHOLD_AREA_KINDS, Area, Household, Resident
from dualtrack.core.audit import audit_record, snapshot
from dualtrack.core.errors import (
    Conflict,
    DomainError,
    NotFound,
    ValidationFailed,
    require_own_queue,
    require_text,
)
from dualtrack.core.models import AuditAction, User
from dualtrack.core.validators import validate_business_date
from dualtrack.health.access.screening import (
    CampaignAbility,
    require_campaign,
    require_open_over,
    require_screen,
)
from dualtrack.health.models import (
    Campaign,
    CampaignArea,
    CoverageCounter,
    HouseholdVisit,
)
from dualtrack.health.services.screening_input import RowError, VisitChecker
from dualtrack.health.services.screening_write import Written, write_visits

# A campaign longer than this is a typing mistake (a screening round takes days, not months).
MAX_CAMPAIGN_DAYS = 92
SYNC_MAX_VISITS = settings.PASSAGE_SYNC_MAX_ROWS


class BatchTooLarge(DomainError):
    status = 413
    code = "batch_too_large"
    default_message = gettext_lazy("Too many rows in one batch.")


def _period(starts_on: datetime.date, ends_on: datetime.date) -> None:
    for name, day in (("starts_on", starts_on), ("ends_on", ends_on)):
        try:
            validate_business_date(day)
        except ValidationError as exc:
            raise ValidationFailed.for_field(name, exc.messages[0]) from exc
    if ends_on < starts_on:
        raise ValidationFailed.for_field("ends_on", _("The campaign cannot end before it starts."))
    if (ends_on - starts_on).days >= MAX_CAMPAIGN_DAYS:
        raise ValidationFailed.for_field(
            "ends_on",
            _("A campaign lasts at most %(days)d days.") % {"days": MAX_CAMPAIGN_DAYS},
        )


def _outermost(areas: list[Area]) -> list[Area]:
    """The areas without those lying below another of them."""
    kept: list[Area] = []
    for area in sorted({a.pk: a for a in areas}.values(), key=lambda a: a.code):
        if not any(area.code.startswith(k.code) for k in kept):
            kept.append(area)
    return kept


def campaign_open(
    *,
    actor: User,
    name: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    areas: list[Area],
    asks_presence: bool = True,
    asks_travel: bool = True,
    asks_symptoms: bool = True,
    asks_temperature: bool = True,
) -> Campaign:
    """Open a campaign over ``areas`` (read through the actor's scope by the caller), with a
    coverage counter for every area where its households sit, totals counted now."""
    name = require_text("name", name, max_length=100)
    _period(starts_on, ends_on)
    if not areas:
        raise ValidationFailed.for_field("area_ids", _("Choose the areas the campaign covers."))
    require_open_over(actor, areas)
    areas = _outermost(areas)
    with transaction.atomic():
        campaign = Campaign.objects.create(
            name=name,
            starts_on=starts_on,
            ends_on=ends_on,
            asks_presence=asks_presence,
            asks_travel=asks_travel,
            asks_symptoms=asks_symptoms,
            asks_temperature=asks_temperature,
            created_by=actor,
        )
        CampaignArea.objects.bulk_create(CampaignArea(campaign=campaign, area=a) for a in areas)
        counters = counters_open(campaign, areas)
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            instance=campaign,
            area_code=min(a.code for a in areas) if len(areas) == 1 else _common(areas),
            after={**snapshot(campaign), "areas": [a.code for a in areas], "counters": counters},
        )
    return campaign


def _common(areas: list[Area]) -> str:
    common = areas[0].code
    for area in areas[1:]:
        while not area.code.startswith(common):
            common = common[:-1]
    return common


def counters_open(campaign: Campaign, areas: list[Area]) -> int:
    """The counters of every area where households sit, totals counted once (at opening;
    inside the caller's transaction)."""
    under = Q(pk__in=[])
    for area in areas:
        under |= Q(code__startswith=area.code)
    codes = dict(
        Area.objects.filter(under, kind__in=HOUSEHOLD_AREA_KINDS).values_list("id", "code")
    )
    households = dict(
        Household.objects.filter(area_id__in=codes)
        .values("area_id")
        .annotate(n=Count("id"))
        .values_list("area_id", "n")
    )
    residents = dict(
        Resident.objects.filter(area_id__in=codes)
        .values("area_id")
        .annotate(n=Count("id"))
        .values_list("area_id", "n")
    )
    rows = [
        CoverageCounter(
            campaign=campaign,
            area_id=area_id,
            area_code=codes[area_id],
            households_total=households.get(area_id, 0),
            residents_total=residents.get(area_id, 0),
        )
        for area_id in sorted(set(households) | set(residents))
    ]
    CoverageCounter.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def campaign_update(
    *,
    actor: User,
    campaign: Campaign,
    name: str | None = None,
    ends_on: datetime.date | None = None,
) -> Campaign:
    """Rename a campaign or move its end (never before a visit it already holds)."""
    require_campaign(actor, campaign, CampaignAbility.MANAGE)
    before = snapshot(campaign)
    if name is not None:
        campaign.name = require_text("name", name, max_length=100)
    if ends_on is not None:
        _period(campaign.starts_on, ends_on)
        last = (
            HouseholdVisit.objects.filter(campaign=campaign)
            .order_by("-visited_at")
            .values_list("visited_at", flat=True)
            .first()
        )
        if last is not None and timezone.localtime(last).date() > ends_on:
            raise ValidationFailed.for_field(
                "ends_on", _("The campaign already has visits after that day.")
            )
        campaign.ends_on = ends_on
    with transaction.atomic():
        campaign.save(update_fields=["name", "ends_on"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=campaign,
            area_code=_common(list(Area.objects.filter(campaign_areas_q(campaign)))),
            before=before,
            after=snapshot(campaign),
        )
    return campaign


def campaign_areas_q(campaign: Campaign) -> Q:
    return Q(pk__in=CampaignArea.objects.filter(campaign=campaign).values("area_id"))


def campaign_close(*, actor: User, campaign: Campaign) -> Campaign:
    """Close a campaign: no visit made after this moment is taken."""
    require_campaign(actor, campaign, CampaignAbility.MANAGE)
    if campaign.closed_at is not None:
        raise Conflict(_("This campaign is already closed."), code="campaign_closed")
    with transaction.atomic():
        before = snapshot(campaign)
        campaign.closed_at = timezone.now()
        campaign.save(update_fields=["closed_at"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=campaign,
            area_code=_common(list(Area.objects.filter(campaign_areas_q(campaign)))),
            before=before,
            after=snapshot(campaign),
            note="closed",
        )
    return campaign


# --- Visits ---------------------------------------------------------------------------------


def _refused(errors: list[RowError], *, prefix: str = "") -> ValidationFailed:
    first = errors[0].message
    return ValidationFailed(
        first if len(errors) == 1 else _("Some values are not valid: %(first)s") % {"first": first},
        code="visit_invalid",
        errors=[
            {"field": f"{prefix.format(index=e.index)}{e.field}", "message": e.message}
            for e in errors
        ],
    )


def visit_record(
    *, actor: User, campaign: Campaign, household: Household, data: dict[str, Any]
) -> tuple[HouseholdVisit, str]:
    """Record one visit to one household (both read through the actor's sight by the caller);
    idempotent by ``client_id``. → the visit and "created", "already_had" or refused."""
    now = timezone.now()
    row = {**data, "campaign_id": campaign.pk, "household_id": household.pk}
    if row.get("client_id") in (None, ""):
        row["client_id"] = uuid.uuid4()  # a visit recorded online, without a device's id
    checker = VisitChecker(actor=actor, rows=[row], now=now)
    visited_at = checker_moment(row.get("visited_at"), now)
    if visited_at is not None:
        require_screen(
            actor, campaign, household, visited_at, timezone.localtime(visited_at).date()
        )
    errors: list[RowError] = []
    clean = checker.check(0, row, errors)
    if errors or clean is None:
        raise _refused(errors or [RowError(0, "row", str(ValidationFailed.default_message))])
    (written,) = write_visits(actor=actor, visits=[clean], source="one")
    if written.outcome == "already_visited":
        raise Conflict(
            _("This household has already been visited in this campaign."),
            code="household_already_visited",
        )
    visit = HouseholdVisit.objects.get(client_id=written.client_id)
    if (visit.campaign_id, visit.household_id) != (campaign.pk, household.pk):
        raise NotFound()  # pragma: no cover - the checker refuses a client id used elsewhere
    return visit, written.outcome


def checker_moment(value: Any, now: datetime.datetime) -> datetime.datetime | None:
    """The visit's moment if it parses (the scope is checked before the rest)."""
    if value is None or value == "":
        return now
    if isinstance(value, datetime.datetime):
        moment: datetime.datetime | None = value
    else:
        try:
            moment = parse_datetime(str(value).strip())
        except ValueError:
            return None
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


@dataclass
class SyncReport:
    results: list[dict[str, Any]] = field(default_factory=list)


def visits_sync(
    *, actor: User, rows: Any, source: str = "sync", queued_by: int | None = None
) -> SyncReport:
    """A batch of visits from a phone's offline queue, each with its client id. Every row is
    checked first; with any bad row the whole batch is refused (each bad row named) and nothing
    is written. Otherwise each row answers created, already had (its client id was stored
    before) or already visited (another visit completed the household first; not stored).

    ``queued_by`` is the user the phone's queue belongs to: on a phone shared by a village's
    volunteers, visits one user queued offline are never written under another's name."""
    require_own_queue(actor.pk, queued_by)
    if not isinstance(rows, list):
        raise ValidationFailed.for_field("rows", _("Enter a list."), code="rows_not_a_list")
    if len(rows) > SYNC_MAX_VISITS:
        raise BatchTooLarge(
            _("At most %(limit)d rows in one batch; this one has %(n)d. Split it.")
            % {"limit": SYNC_MAX_VISITS, "n": len(rows)}
        )
    report = SyncReport()
    if not rows:
        return report
    checker = VisitChecker(actor=actor, rows=rows, now=timezone.now())
    errors: list[RowError] = []
    clean = [v for i, row in enumerate(rows) if (v := checker.check(i, row, errors)) is not None]
    if errors:
        raise _refused(errors, prefix="rows[{index}].")
    written = write_visits(actor=actor, visits=clean, source=source)
    report.results = [_result(w) for w in written]
    return report


def _result(w: Written) -> dict[str, Any]:
    return {
        "index": w.index,
        "client_id": str(w.client_id),
        "outcome": w.outcome,
        "visit_id": w.visit_id,
        "alerts": w.alerts,
    }
