"""The demo district's screening campaign (摸排, issue 13): one campaign over the whole district,
opened a week ago by the prevention group and still open, with about 98 % of the households
visited — a few villages visibly behind — every resident of a visited household recorded, a
few households where nobody was home (a revisit due) or who refused, and a handful of findings
(fevers, returns from a risk area) that wait as open alerts for the villages' liaison cadres,
the persona village's (cadre_aixi) among them.

The campaign is opened as the service opens it (its counters counted once, then); the visits and
records are written by plain multi-row INSERTs (the ORM's bulk_create spends most of its time
preparing values one by one), and the counters are set from what was written.
"""

from __future__ import annotations

import datetime
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connection
from django.db.models import Model
from django.utils import timezone

from dualtrack.areas.models import Area, Household, Resident
from dualtrack.areas.regions import region_name
from dualtrack.checkpoints.services.passage_input import RiskMatcher
from dualtrack.health.models import (
    Campaign,
    CampaignArea,
    CoverageCounter,
    HealthAlert,
    HouseholdVisit,
    ScreeningRecord,
    VisitOutcome,
)
from dualtrack.health.services.alerts import liaison_of
from dualtrack.health.services.screening import counters_open
from dualtrack.health.services.screening_write import (
    finding_detail,
    finding_kind,
    proposed_quarantine,
)

if TYPE_CHECKING:
    from dualtrack.demo.seeder import Seeder

BATCH = 2000
CAMPAIGN_DAYS = 7  # opened six days ago, ends tomorrow
VISITED_SHARE = 0.99  # in most villages
BEHIND_VILLAGES = 3
BEHIND_SHARE = (0.70, 0.82)  # the villages visibly behind
NOBODY_HOME_SHARE = 0.6  # of the households not completed: a visit found nobody home
REFUSED_SHARE = 0.1
AWAY_SHARE = 0.04
RETURNED_SHARE = 0.015
FEVERS = 5
RISK_RETURNS = 3
WHEREABOUTS = ("南昌市区务工", "广州务工", "外地上学", "县城陪护老人", "上海务工")
RETURNED_FROM = ("360111", "360102", "361002", "440300", "330300", "110105")
RISK_REGION = "420102"  # 湖北省武汉市江岸区: Hubei is on HQ's list throughout the demo


def _uuid(seeder: Seeder) -> uuid.UUID:
    return uuid.UUID(int=seeder.rng.getrandbits(128), version=4)


@dataclass(slots=True)
class _Visit:
    household_id: int
    area_id: int
    client_id: uuid.UUID
    outcome: str
    visited_at: datetime.datetime
    revisit_on: datetime.date | None
    pk: int = 0


@dataclass(slots=True)
class _Record:
    visit: _Visit
    resident_id: int
    area_id: int
    present: bool
    whereabouts: str
    temperature: Decimal | None
    returned_from_code: str = ""
    returned_from_name: str = ""
    returned_on: datetime.date | None = None
    is_fever: bool = False
    from_risk_area: bool = False
    symptoms: str = ""

    @property
    def recorded_at(self) -> datetime.datetime:
        return self.visit.visited_at


def seed(seeder: Seeder) -> None:
    """The campaign, its visits and records, the counters and the findings' alerts."""
    rng = seeder.rng
    now = timezone.now()
    today = timezone.localdate(now)
    starts_on = today - datetime.timedelta(days=CAMPAIGN_DAYS - 1)
    # As campaign_open does it, without its audit entry: the seeding writes one of its own.
    campaign = Campaign.objects.create(
        name="高新区新冠肺炎疫情全面摸排（第一轮）",
        starts_on=starts_on,
        ends_on=today + datetime.timedelta(days=1),
        created_by=seeder.users["wg_prevention"],
    )
    CampaignArea.objects.create(campaign=campaign, area=seeder.root)
    counters_open(campaign, [seeder.root])
    village_of = {g.pk: g.code[:-2] for g in seeder.groups}
    households = list(Household.objects.values_list("id", "area_id").order_by("id"))
    by_village: dict[str, list[int]] = defaultdict(list)
    for household_id, area_id in households:
        by_village[village_of.get(area_id, "")].append(household_id)
    # The villages behind are drawn among those with households, and each completes exactly its
    # share of them: at a small scale a village holds a handful, and a share drawn household by
    # household could come out at 90 % or more — not visibly behind.
    candidates = [
        v for v in seeder.villages if v.pk != seeder.persona_village.pk and by_village.get(v.code)
    ]
    behind = {v.code: rng.uniform(*BEHIND_SHARE) for v in rng.sample(candidates, BEHIND_VILLAGES)}
    completes = {
        household_id
        for code, share in behind.items()
        for household_id in rng.sample(by_village[code], int(len(by_village[code]) * share))
    }
    members: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for pk, household_id, area_id in Resident.objects.values_list(
        "id", "household_id", "area_id"
    ).order_by("id"):
        members[household_id].append((pk, area_id))

    # Each household: completed, or not (nobody home / refused / not reached yet), and when.
    visits: list[_Visit] = []
    completed: list[_Visit] = []
    for household_id, area_id in households:
        moment = _moment(seeder, starts_on, now)
        if village_of.get(area_id, "") in behind:
            completed_now = household_id in completes
        else:
            completed_now = rng.random() < VISITED_SHARE
        if completed_now:
            outcome = VisitOutcome.VISITED
        else:
            roll = rng.random()
            if roll < NOBODY_HOME_SHARE:
                outcome = VisitOutcome.NOBODY_HOME
            elif roll < NOBODY_HOME_SHARE + REFUSED_SHARE:
                outcome = VisitOutcome.REFUSED
            else:
                continue  # not reached yet
        day = timezone.localtime(moment).date()
        visit = _Visit(
            household_id,
            area_id,
            _uuid(seeder),
            outcome,
            moment,
            day + datetime.timedelta(days=1) if outcome == VisitOutcome.NOBODY_HOME else None,
        )
        visits.append(visit)
        if outcome == VisitOutcome.VISITED:
            completed.append(visit)
    _insert_visits(campaign, visits, seeder.users["volunteer"].pk)

    records = [
        _record(seeder, visit, resident_id, area_id, today)
        for visit in completed
        for resident_id, area_id in members.get(visit.household_id, [])
    ]
    findings = _findings(seeder, records)
    _insert_records(campaign, records)
    _count(campaign, completed, records)
    alerts = _alerts(seeder, campaign, findings)
    seeder.counts["screening_visits"] = len(visits)
    seeder.counts["screening_records"] = len(records)
    done = len(completed) / len(households) if households else 0.0
    seeder.say(
        f"screening: {len(completed):,} of {len(households):,} households visited "
        f"({done:.1%}), {len(records):,} residents recorded, {alerts} open alerts"
    )


def _moment(seeder: Seeder, starts_on: datetime.date, now: datetime.datetime) -> datetime.datetime:
    start = datetime.datetime.combine(
        starts_on, datetime.time(8), tzinfo=timezone.get_current_timezone()
    )
    span = max((now - start).total_seconds(), 60.0)
    return start + datetime.timedelta(seconds=seeder.rng.uniform(0, span))


def _executemany(model: type[Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    quote = connection.ops.quote_name
    marks = ", ".join(["%s"] * len(columns))
    statement = (
        f"INSERT INTO {quote(model._meta.db_table)} "  # noqa: S608
        f"({', '.join(quote(c) for c in columns)}) VALUES ({marks})"
    )
    batch: list[Sequence[Any]] = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(row)
            if len(batch) == BATCH:
                cursor.executemany(statement, batch)
                batch = []
        if batch:
            cursor.executemany(statement, batch)


def _insert_visits(campaign: Campaign, visits: list[_Visit], recorder_id: int) -> None:
    ops = connection.ops
    uuid_field = HouseholdVisit._meta.get_field("client_id")
    _executemany(
        HouseholdVisit,
        (
            "campaign_id",
            "household_id",
            "area_id",
            "client_id",
            "outcome",
            "visited_at",
            "received_at",
            "revisit_on",
            "note",
            "recorded_by_id",
        ),
        (
            (
                campaign.pk,
                v.household_id,
                v.area_id,
                uuid_field.get_db_prep_value(v.client_id, connection),
                v.outcome,
                ops.adapt_datetimefield_value(v.visited_at),
                ops.adapt_datetimefield_value(v.visited_at),
                ops.adapt_datefield_value(v.revisit_on),
                "",
                recorder_id,
            )
            for v in visits
        ),
    )
    ids = dict(HouseholdVisit.objects.filter(campaign=campaign).values_list("client_id", "id"))
    for visit in visits:
        visit.pk = ids[visit.client_id]


def _insert_records(campaign: Campaign, records: list[_Record]) -> None:
    ops = connection.ops
    decimal = ScreeningRecord._meta.get_field("temperature")
    _executemany(
        ScreeningRecord,
        (
            "campaign_id",
            "visit_id",
            "resident_id",
            "area_id",
            "present",
            "whereabouts",
            "returned_from_code",
            "returned_from_name",
            "returned_on",
            "symptoms",
            "temperature",
            "is_fever",
            "from_risk_area",
            "recorded_at",
        ),
        (
            (
                campaign.pk,
                r.visit.pk,
                r.resident_id,
                r.area_id,
                r.present,
                r.whereabouts,
                r.returned_from_code,
                r.returned_from_name,
                ops.adapt_datefield_value(r.returned_on),
                r.symptoms,
                None
                if r.temperature is None
                else decimal.get_db_prep_save(r.temperature, connection),
                r.is_fever,
                r.from_risk_area,
                ops.adapt_datetimefield_value(r.visit.visited_at),
            )
            for r in records
        ),
    )


def _record(
    seeder: Seeder, visit: _Visit, resident_id: int, area_id: int, today: datetime.date
) -> _Record:
    rng = seeder.rng
    present = rng.random() >= AWAY_SHARE
    record = _Record(
        visit,
        resident_id,
        area_id,
        present,
        "" if present else rng.choice(WHEREABOUTS),
        Decimal(f"{rng.uniform(35.9, 37.0):.1f}") if present else None,
    )
    if present and rng.random() < RETURNED_SHARE:
        code = rng.choice(RETURNED_FROM)
        record.returned_from_code = code
        record.returned_from_name = region_name(code) or ""
        record.returned_on = today - datetime.timedelta(days=rng.randint(15, 40))
    return record


def _findings(seeder: Seeder, records: list[_Record]) -> list[_Record]:
    """A few fevers and returns from a risk area, one fever in the persona village; every
    record's findings then decided as the service decides them."""
    rng = seeder.rng
    persona = seeder.persona_village.code
    codes = dict(Area.objects.values_list("id", "code"))
    present = [r for r in records if r.present]
    if not present:
        return []
    ours = [r for r in present if codes[r.area_id].startswith(persona)]
    chosen = ([rng.choice(ours)] if ours else []) + rng.sample(
        present, min(len(present), FEVERS + RISK_RETURNS)
    )
    threshold = Decimal(str(settings.FEVER_THRESHOLD_CELSIUS))
    risk = RiskMatcher()
    findings: list[_Record] = []
    for n, record in enumerate(chosen):
        if any(record is f for f in findings):
            continue
        day = timezone.localtime(record.recorded_at).date()
        if n <= FEVERS:  # the persona village's first, then the fevers
            record.temperature = Decimal(f"{rng.uniform(37.4, 38.9):.1f}")
        if n == 0 or n > FEVERS:  # a return from Wuhan within the quarantine period
            record.returned_from_code = RISK_REGION
            record.returned_from_name = region_name(RISK_REGION) or ""
            record.returned_on = day - datetime.timedelta(days=rng.randint(1, 6))
        findings.append(record)
    quarantine = datetime.timedelta(days=settings.QUARANTINE_DAYS)
    for record in records:
        record.is_fever = record.temperature is not None and record.temperature >= threshold
        if record.returned_on is not None:
            day = timezone.localtime(record.recorded_at).date()
            record.from_risk_area = day <= record.returned_on + quarantine and risk.matches(
                record.returned_from_code, record.returned_on
            )
    return [r for r in findings if r.is_fever or r.from_risk_area]


def _count(campaign: Campaign, completed: list[_Visit], records: list[_Record]) -> None:
    households = Counter(visit.area_id for visit in completed)
    residents = Counter(record.area_id for record in records)
    counters = list(CoverageCounter.objects.filter(campaign=campaign))
    for counter in counters:
        counter.households_visited = households.get(counter.area_id, 0)
        counter.residents_covered = residents.get(counter.area_id, 0)
    CoverageCounter.objects.bulk_update(
        counters, ["households_visited", "residents_covered"], batch_size=BATCH
    )


def _alerts(seeder: Seeder, campaign: Campaign, findings: list[_Record]) -> int:
    stored = {
        r.resident_id: r
        for r in ScreeningRecord.objects.filter(
            campaign=campaign, resident_id__in=[f.resident_id for f in findings]
        ).select_related("resident", "area")
    }
    alerts = []
    for finding in findings:
        # As alert_raise does it, without its audit entry (see seed).
        record = stored[finding.resident_id]
        liaison = liaison_of(record.area)
        alerts.append(
            HealthAlert(
                kind=finding_kind(record),
                area=record.area,
                liaison=liaison.cadre if liaison else None,
                resident=record.resident,
                record=record,
                name=record.resident.name,
                detail=finding_detail(record)[:300],
                proposed=proposed_quarantine(record),
                raised_at=record.recorded_at,
            )
        )
    HealthAlert.objects.bulk_create(alerts)
    seeder.counts["health_alerts"] = seeder.counts.get("health_alerts", 0) + len(findings)
    return len(findings)
