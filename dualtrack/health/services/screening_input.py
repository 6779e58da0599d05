"""What a household visit carries and how it is checked, before anything is written: the
campaign, the household (through the visitor's scope), the outcome, the moment, and for a
completed visit one answer per resident of the household (present or away and where, a return
from outside and from which region, symptoms, temperature), with what they find — a fever, a
return from a region on HQ's risk-area list within the quarantine period.

No writes: recording one visit, the phone's offline sync and the paper import all check here.
"""

from __future__ import annotations

import datetime
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from dualtrack.areas.models import Household, Resident
from dualtrack.areas.regions import region_name
from dualtrack.checkpoints.services.passage_input import (
    RiskMatcher,
    fever_threshold,
    parse_temperature,
)
from dualtrack.core.errors import NotFound
from dualtrack.core.models import User
from dualtrack.core.validators import checked_text, validate_business_date
from dualtrack.health.access.screening import campaigns_visible, screening_refusal
from dualtrack.health.models import Campaign, HouseholdVisit, VisitOutcome

# Phones' clocks drift; a visit a few minutes "in the future" is still now.
CLOCK_SKEW = datetime.timedelta(minutes=5)
VISIT_FIELDS = frozenset(
    {"client_id", "campaign_id", "household_id", "outcome", "visited_at", "note", "records"}
)
RECORD_FIELDS = frozenset(
    {
        "resident_id",
        "present",
        "whereabouts",
        "returned_from_code",
        "returned_on",
        "symptoms",
        "temperature",
    }
)


@dataclass
class CleanRecord:
    resident: Resident
    present: bool
    whereabouts: str
    returned_from_code: str
    returned_from_name: str
    returned_on: datetime.date | None
    symptoms: str
    temperature: Decimal | None
    is_fever: bool
    from_risk_area: bool


@dataclass
class CleanVisit:
    index: int
    client_id: uuid.UUID
    campaign: Campaign
    household: Household
    outcome: str
    visited_at: datetime.datetime
    day: datetime.date
    note: str
    records: list[CleanRecord] = field(default_factory=list)

    @property
    def revisit_on(self) -> datetime.date | None:
        if self.outcome == VisitOutcome.NOBODY_HOME:
            return self.day + datetime.timedelta(days=1)
        return None


@dataclass(frozen=True)
class RowError:
    index: int
    field: str
    message: str


class _Errors:
    def __init__(self, index: int, out: list[RowError]) -> None:
        self.index = index
        self.out = out
        self.count = 0

    def add(self, name: str, message: str) -> None:
        self.out.append(RowError(self.index, name, str(message)))
        self.count += 1


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def _bool(value: Any, default: bool) -> bool | None:
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    return None


def _moment(value: Any, errors: _Errors, now: datetime.datetime) -> datetime.datetime | None:
    if value is None or value == "":
        return now
    moment = value
    if isinstance(value, str):
        try:
            moment = parse_datetime(value.strip())
        except ValueError:
            moment = None
    if not isinstance(moment, datetime.datetime):
        errors.add("visited_at", _("Enter a date and time in ISO 8601."))
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    if moment > now + CLOCK_SKEW:
        errors.add("visited_at", _("The time lies in the future; check the device's clock."))
        return None
    return moment


def _date(value: Any, errors: _Errors, name: str) -> datetime.date | None:
    if value is None or value == "":
        return None
    day = value if isinstance(value, datetime.date) else None
    if isinstance(value, str):
        try:
            day = parse_date(value.strip())
        except ValueError:
            day = None
    if isinstance(day, datetime.datetime):
        day = day.date()
    if day is None:
        errors.add(name, _("Enter a date as YYYY-MM-DD."))
        return None
    try:
        validate_business_date(day)
    except ValidationError as exc:
        errors.add(name, exc.messages[0])
        return None
    return day


def _text(value: Any, errors: _Errors, name: str, max_length: int) -> str:
    text, problem = checked_text(value, max_length=max_length, required=False)
    if problem:
        errors.add(name, problem)
    return text


class VisitChecker:
    """Checks rows of visits against the database, loading what they name once per batch."""

    def __init__(self, *, actor: User, rows: list[Any], now: datetime.datetime) -> None:
        self.actor = actor
        self.now = now
        self.risk = RiskMatcher()
        self.threshold = fever_threshold()
        dicts = [r for r in rows if isinstance(r, dict)]
        campaign_ids = {pk for r in dicts if (pk := _int(r.get("campaign_id")))}
        self.campaigns = campaigns_visible(actor).in_bulk(campaign_ids)
        household_ids = {pk for r in dicts if (pk := _int(r.get("household_id")))}
        self.households = Household.objects.select_related("area").in_bulk(household_ids)
        self.residents: dict[int, list[Resident]] = defaultdict(list)
        # Not the encrypted numbers: decrypting them would cost more than the rest of the row.
        members = Resident.objects.filter(household_id__in=household_ids).only(
            "id", "household_id", "area_id", "name", "created_at"
        )
        for resident in members.order_by("pk"):
            self.residents[resident.household_id].append(resident)
        client_ids = set()
        for r in dicts:
            try:
                client_ids.add(uuid.UUID(str(r.get("client_id"))))
            except ValueError:
                continue
        self.stored = {
            cid: (pk, campaign_id, household_id)
            for cid, pk, campaign_id, household_id in HouseholdVisit.objects.filter(
                client_id__in=client_ids
            ).values_list("client_id", "id", "campaign_id", "household_id")
        }

    def check(self, index: int, row: Any, out: list[RowError]) -> CleanVisit | None:
        errors = _Errors(index, out)
        if not isinstance(row, dict):
            errors.add("row", _("Enter an object."))
            return None
        for name in sorted(row.keys() - VISIT_FIELDS):
            errors.add(name, _("Unknown field."))
        client_id = self._client_id(row.get("client_id"), errors)
        campaign = self.campaigns.get(_int(row.get("campaign_id")) or 0)
        if campaign is None:
            errors.add("campaign_id", str(NotFound.default_message))
        household = self.households.get(_int(row.get("household_id")) or 0)
        if household is None:
            errors.add("household_id", str(NotFound.default_message))
        outcome = row.get("outcome")
        if outcome not in VisitOutcome.values:
            errors.add("outcome", _("Choose visited, nobody home or refused."))
        moment = _moment(row.get("visited_at"), errors, self.now)
        note = _text(row.get("note"), errors, "note", 300)
        if campaign is None or household is None or moment is None:
            return None
        day = timezone.localtime(moment).date()
        refusal = screening_refusal(self.actor, campaign, household, moment, day)
        if refusal is not None:
            errors.add("household_id" if refusal[0] != 422 else "visited_at", refusal[1])
            return None
        if client_id is not None and client_id in self.stored:
            _pk, campaign_id, household_id = self.stored[client_id]
            if (campaign_id, household_id) != (campaign.pk, household.pk):
                errors.add("client_id", _("This client id was already used for another visit."))
        records = self._records(row.get("records"), campaign, household, outcome, day, errors)
        if errors.count or client_id is None or records is None:
            return None
        return CleanVisit(
            index=index,
            client_id=client_id,
            campaign=campaign,
            household=household,
            outcome=str(outcome),
            visited_at=moment,
            day=day,
            note=note,
            records=records,
        )

    def _client_id(self, value: Any, errors: _Errors) -> uuid.UUID | None:
        if value is None or value == "":
            errors.add("client_id", _("Every visit needs its device-generated id."))
            return None
        if isinstance(value, uuid.UUID):
            return value
        try:
            return uuid.UUID(str(value))
        except (ValueError, AttributeError, TypeError):
            errors.add("client_id", _("The client id must be a UUID."))
            return None

    def _records(
        self,
        value: Any,
        campaign: Campaign,
        household: Household,
        outcome: Any,
        day: datetime.date,
        errors: _Errors,
    ) -> list[CleanRecord] | None:
        value = [] if value is None else value
        if not isinstance(value, list):
            errors.add("records", _("Enter a list."))
            return None
        if outcome != VisitOutcome.VISITED:
            if value:
                errors.add("records", _("Only a completed visit records the residents."))
            return []
        members = {r.pk: r for r in self.residents.get(household.pk, [])}
        records: list[CleanRecord] = []
        seen: set[int] = set()
        for j, item in enumerate(value):
            record = self._record(j, item, campaign, members, seen, day, errors)
            if record is not None:
                records.append(record)
        missing = [r.name for pk, r in members.items() if pk not in seen]
        if missing:
            errors.add(
                "records",
                _("Record every resident of the household; missing: %(names)s.")
                % {"names": "、".join(missing)},
            )
        return records

    def _record(
        self,
        j: int,
        item: Any,
        campaign: Campaign,
        members: dict[int, Resident],
        seen: set[int],
        day: datetime.date,
        errors: _Errors,
    ) -> CleanRecord | None:
        at = f"records[{j}]."
        before = errors.count
        if not isinstance(item, dict):
            errors.add(f"records[{j}]", _("Enter an object."))
            return None
        for name in sorted(item.keys() - RECORD_FIELDS):
            errors.add(at + name, _("Unknown field."))
        resident = members.get(_int(item.get("resident_id")) or 0)
        if resident is None:
            errors.add(at + "resident_id", _("This person is not a resident of the household."))
        elif resident.pk in seen:
            errors.add(at + "resident_id", _("This resident is recorded twice."))
        else:
            seen.add(resident.pk)
        present = _bool(item.get("present"), True)
        if present is None:
            errors.add(at + "present", _("Say whether the resident is present."))
        whereabouts = _text(item.get("whereabouts"), errors, at + "whereabouts", 100)
        if present is False and not whereabouts and campaign.asks_presence:
            errors.add(at + "whereabouts", _("Say where the resident is."))
        code = _text(item.get("returned_from_code"), errors, at + "returned_from_code", 6)
        name = ""
        if code:
            name = region_name(code) or ""
            if not name:
                errors.add(
                    at + "returned_from_code",
                    _("Enter a six-digit region code (GB/T 2260), such as 420100."),
                )
        returned_on = _date(item.get("returned_on"), errors, at + "returned_on")
        if returned_on is not None and returned_on > day:
            errors.add(at + "returned_on", _("The return cannot be after the visit."))
        if bool(code) != (returned_on is not None):
            errors.add(
                at + "returned_from_code",
                _("A return needs both the region returned from and the date."),
            )
        symptoms = _text(item.get("symptoms"), errors, at + "symptoms", 200)
        raw: dict[str, list[str]] = {}
        needs_temperature = bool(present) and campaign.asks_temperature
        temperature = parse_temperature(item.get("temperature"), raw, required=needs_temperature)
        for message in raw.get("temperature", []):
            errors.add(at + "temperature", message)
        if errors.count > before or resident is None:
            return None
        from_risk = (
            bool(code)
            and returned_on is not None
            and day <= returned_on + datetime.timedelta(days=settings.QUARANTINE_DAYS)
            and self.risk.matches(code, returned_on)
        )
        return CleanRecord(
            resident=resident,
            present=bool(present),
            whereabouts=whereabouts,
            returned_from_code=code,
            returned_from_name=name,
            returned_on=returned_on,
            symptoms=symptoms,
            temperature=temperature,
            is_fever=temperature is not None and temperature >= self.threshold,
            from_risk_area=from_risk,
        )
