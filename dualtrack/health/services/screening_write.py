"""Writing checked visits: the visits and their residents' records in bulk, the coverage
counters by F() updates in the same transaction, and an alert for every finding.

A household counts once, at its first completed visit (the database's ``visit_completed_once``
holds it under concurrent syncs); a resident counts once, at their first record. A household or
a resident registered after the campaign opened was not in the totals counted then: its first
count bumps the total with it, so that ``coverage_within_totals`` holds.
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from dualtrack.areas.models import Area
from dualtrack.core.audit import audit_entry
from dualtrack.core.errors import Conflict
from dualtrack.core.models import AuditAction, AuditEntry, User
from dualtrack.health.access.screening import campaign_codes
from dualtrack.health.models import (
    AlertKind,
    Campaign,
    CoverageCounter,
    HouseholdVisit,
    QuarantineKind,
    ScreeningRecord,
    VisitOutcome,
)
from dualtrack.health.services.alerts import alert_raise
from dualtrack.health.services.screening_input import CleanRecord, CleanVisit

CREATED = "created"
ALREADY_HAD = "already_had"  # the same client id was stored before: the same visit
ALREADY_VISITED = "already_visited"  # the household was completed by another visit: not stored


@dataclass
class Written:
    index: int
    client_id: uuid.UUID
    outcome: str
    visit_id: int | None
    alerts: int = 0


def finding_kind(record: CleanRecord | ScreeningRecord) -> str:
    if record.is_fever:
        return AlertKind.SCREENING_FEVER
    if record.from_risk_area:
        return AlertKind.RISK_RETURN
    return AlertKind.SCREENING_SYMPTOMS


def proposed_quarantine(record: CleanRecord | ScreeningRecord) -> str:
    """Site quarantine for a return from a risk area with a fever, home quarantine otherwise."""
    if record.is_fever and record.from_risk_area:
        return QuarantineKind.SITE
    return QuarantineKind.HOME


def finding_detail(record: CleanRecord | ScreeningRecord) -> str:
    parts = []
    if record.temperature is not None:
        parts.append(_("temperature %(t)s °C") % {"t": record.temperature})
    if record.from_risk_area:
        parts.append(
            _("returned from %(region)s on %(day)s")
            % {"region": record.returned_from_name, "day": record.returned_on}
        )
    if record.symptoms:
        parts.append(_("symptoms: %(s)s") % {"s": record.symptoms})
    return _("Found in screening: ") + "; ".join(parts)


def write_visits(*, actor: User, visits: list[CleanVisit], source: str) -> list[Written]:
    """Store the checked visits whose client id is new, in one transaction."""
    if not visits:
        return []
    now = timezone.now()
    result: list[Written] = []
    with transaction.atomic():
        stored = dict(
            HouseholdVisit.objects.filter(client_id__in=[v.client_id for v in visits]).values_list(
                "client_id", "id"
            )
        )
        completed = set(
            HouseholdVisit.objects.filter(
                campaign_id__in={v.campaign.pk for v in visits},
                household_id__in={v.household.pk for v in visits},
                outcome=VisitOutcome.VISITED,
            ).values_list("campaign_id", "household_id")
        )
        fresh: list[CleanVisit] = []
        seen: set[uuid.UUID] = set()
        for visit in visits:
            if visit.client_id in stored or visit.client_id in seen:
                result.append(
                    Written(visit.index, visit.client_id, ALREADY_HAD, stored.get(visit.client_id))
                )
                continue
            key = (visit.campaign.pk, visit.household.pk)
            if visit.outcome == VisitOutcome.VISITED:
                if key in completed:
                    result.append(Written(visit.index, visit.client_id, ALREADY_VISITED, None))
                    continue
                completed.add(key)
            seen.add(visit.client_id)
            fresh.append(visit)
        rows = _insert(actor, fresh, now)
        entries = _records(fresh, rows)
        _count(fresh, entries)
        alerts = _alerts(actor, entries)
        for visit in fresh:
            row = rows[visit.client_id]
            result.append(
                Written(
                    visit.index, visit.client_id, CREATED, row.pk, alerts.get(visit.client_id, 0)
                )
            )
        per_campaign = Counter(v.campaign for v in fresh)
        AuditEntry.objects.bulk_create(
            audit_entry(
                actor=actor,
                action=AuditAction.IMPORT,
                instance=campaign,
                area_code=_audit_code(campaign),
                after={"visits": count},
                note=f"screening visits ({source}): {count} new",
            )
            for campaign, count in sorted(per_campaign.items(), key=lambda c: c[0].pk)
        )
    result.sort(key=lambda w: w.index)
    return result


def _audit_code(campaign: Campaign) -> str:
    codes = campaign_codes(campaign)
    if not codes:
        return ""
    common = codes[0]
    for code in codes[1:]:
        while not code.startswith(common):
            common = common[:-1]
    return common


def _insert(actor: User, fresh: list[CleanVisit], now: Any) -> dict[uuid.UUID, HouseholdVisit]:
    # In client-id order: two phones syncing overlapping rows take the unique index's locks in
    # one order, so the later waits for the earlier instead of deadlocking.
    ordered = sorted(fresh, key=lambda v: v.client_id.int)
    objects = [
        HouseholdVisit(
            campaign=v.campaign,
            household=v.household,
            area_id=v.household.area_id,
            client_id=v.client_id,
            outcome=v.outcome,
            visited_at=v.visited_at,
            received_at=now,
            revisit_on=v.revisit_on,
            note=v.note,
            recorded_by=actor,
        )
        for v in ordered
    ]
    try:
        with transaction.atomic():
            HouseholdVisit.objects.bulk_create(objects, batch_size=1000)
    except IntegrityError as exc:
        # A concurrent sync stored one of these households' completed visits, or one of these
        # client ids, between our reads and this insert: refuse; the phone retries.
        raise Conflict(
            _("Another visit to one of these households was saved at the same moment; send again.")
        ) from exc
    return {v.client_id: v for v in objects}


@dataclass(slots=True)
class _Entry:
    """One resident's answers in a completed visit: ``record`` is the model row where one is
    needed (a finding, which its alert names; a correction of an earlier record)."""

    clean: CleanRecord
    visit: CleanVisit
    visit_id: int
    is_new: bool
    record: ScreeningRecord | None = None

    @property
    def finds(self) -> bool:
        return self.clean.is_fever or self.clean.from_risk_area or bool(self.clean.symptoms)


def _records(fresh: list[CleanVisit], rows: dict[uuid.UUID, HouseholdVisit]) -> list[_Entry]:
    """The residents' records of completed visits: a resident recorded before in the campaign
    (in another household's visit) is corrected, not counted again."""
    entries = [
        _Entry(clean, v, rows[v.client_id].pk, is_new=True)
        for v in fresh
        if v.outcome == VisitOutcome.VISITED
        for clean in v.records
    ]
    if not entries:
        return entries
    existing = {
        (rec.campaign_id, rec.resident_id): rec
        for rec in ScreeningRecord.objects.filter(
            campaign_id__in={e.visit.campaign.pk for e in entries},
            resident_id__in={e.clean.resident.pk for e in entries},
        )
    }
    changed: list[ScreeningRecord] = []
    for entry in entries:
        record = existing.get((entry.visit.campaign.pk, entry.clean.resident.pk))
        if record is not None:
            entry.is_new = False
            for name, value in _values(entry).items():
                setattr(record, name, value)
            changed.append(record)
            entry.record = record
        elif entry.finds:
            entry.record = ScreeningRecord(
                campaign=entry.visit.campaign, resident=entry.clean.resident, **_values(entry)
            )
    # The records with a finding are created through the ORM (their alerts name them); the
    # rest, nearly all, by a plain multi-row INSERT: the ORM's bulk_create spends most of a
    # batch's time preparing the values of each row one by one.
    ScreeningRecord.objects.bulk_create(
        [e.record for e in entries if e.is_new and e.record is not None], batch_size=1000
    )
    _insert_plain([e for e in entries if e.is_new and e.record is None])
    if changed:
        ScreeningRecord.objects.bulk_update(changed, [*_values(entries[0])], batch_size=500)
    return entries


def _values(entry: _Entry) -> dict[str, Any]:
    clean = entry.clean
    return {
        "visit_id": entry.visit_id,
        "area_id": clean.resident.area_id,
        "present": clean.present,
        "whereabouts": clean.whereabouts,
        "returned_from_code": clean.returned_from_code,
        "returned_from_name": clean.returned_from_name,
        "returned_on": clean.returned_on,
        "symptoms": clean.symptoms,
        "temperature": clean.temperature,
        "is_fever": clean.is_fever,
        "from_risk_area": clean.from_risk_area,
        "recorded_at": entry.visit.visited_at,
    }


_RECORD_COLUMNS = (
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
)


def _insert_plain(entries: list[_Entry]) -> None:
    if not entries:
        return
    ops = connection.ops
    quote = ops.quote_name
    statement = (
        f"INSERT INTO {quote(ScreeningRecord._meta.db_table)} "  # noqa: S608
        f"({', '.join(quote(c) for c in _RECORD_COLUMNS)}) "
        f"VALUES ({', '.join(['%s'] * len(_RECORD_COLUMNS))})"
    )
    rows = [
        (
            e.visit.campaign.pk,
            e.visit_id,
            e.clean.resident.pk,
            e.clean.resident.area_id,
            e.clean.present,
            e.clean.whereabouts,
            e.clean.returned_from_code,
            e.clean.returned_from_name,
            ops.adapt_datefield_value(e.clean.returned_on),
            e.clean.symptoms,
            ops.adapt_decimalfield_value(e.clean.temperature, 4, 1),
            e.clean.is_fever,
            e.clean.from_risk_area,
            ops.adapt_datetimefield_value(e.visit.visited_at),
        )
        for e in entries
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY: a batch's thousands of records in one stream (no conflict can arise: the
            # residents recorded before were read above, under the visits' unique index).
            copy_sql = (
                f"COPY {quote(ScreeningRecord._meta.db_table)} "
                f"({', '.join(quote(c) for c in _RECORD_COLUMNS)}) FROM STDIN"
            )
            with cursor.cursor.copy(copy_sql) as copy:
                for row in rows:
                    copy.write_row(row)
            return
        for start in range(0, len(rows), 1000):
            cursor.executemany(statement, rows[start : start + 1000])


_COUNTED = ("households_visited", "households_total", "residents_covered", "residents_total")


def _count(fresh: list[CleanVisit], entries: list[_Entry]) -> None:
    """The counters the batch moves, by F() updates: their rows locked first in one order (two
    batches never wait for each other's rows crosswise), then one UPDATE for each distinct
    set of amounts — a few statements, however many areas the batch touches."""
    bumps: dict[tuple[Campaign, int], Counter[str]] = defaultdict(Counter)
    for visit in fresh:
        if visit.outcome != VisitOutcome.VISITED:
            continue
        key = (visit.campaign, visit.household.area_id)
        bumps[key]["households_visited"] += 1
        if visit.household.created_at > visit.campaign.created_at:
            bumps[key]["households_total"] += 1
    for entry in entries:
        if not entry.is_new:
            continue
        campaign, resident = entry.visit.campaign, entry.clean.resident
        bumps[(campaign, resident.area_id)]["residents_covered"] += 1
        if resident.created_at > campaign.created_at:
            bumps[(campaign, resident.area_id)]["residents_total"] += 1
    by_campaign: dict[Campaign, dict[int, Counter[str]]] = defaultdict(dict)
    for (campaign, area_id), counts in bumps.items():
        by_campaign[campaign][area_id] = counts
    for campaign, areas in sorted(by_campaign.items(), key=lambda c: c[0].pk):
        have = set(
            CoverageCounter.objects.select_for_update()
            .filter(campaign=campaign, area_id__in=areas)
            .order_by("area_id")
            .values_list("area_id", flat=True)
        )
        if missing := set(areas) - have:
            # Areas created after the campaign opened: their counters start now, at zero.
            CoverageCounter.objects.bulk_create(
                CoverageCounter(campaign=campaign, area_id=pk, area_code=code)
                for pk, code in Area.objects.filter(pk__in=missing).values_list("id", "code")
            )
        same: dict[tuple[int, ...], list[int]] = defaultdict(list)
        for area_id, counts in areas.items():
            same[tuple(counts[name] for name in _COUNTED)].append(area_id)
        for amounts, area_ids in sorted(same.items()):
            CoverageCounter.objects.filter(campaign=campaign, area_id__in=area_ids).update(
                **{name: F(name) + n for name, n in zip(_COUNTED, amounts, strict=True) if n}
            )


def _alerts(actor: User, entries: list[_Entry]) -> dict[uuid.UUID, int]:
    """An alert for the village's liaison cadre for every resident the visit found something
    about: a fever, symptoms, a return from a risk area within the quarantine period."""
    raised: dict[uuid.UUID, int] = {}
    for entry in entries:
        record = entry.record
        if record is None or not entry.finds:
            continue
        alert_raise(
            actor=actor,
            kind=finding_kind(record),
            area=entry.visit.household.area,
            name=entry.clean.resident.name,
            detail=finding_detail(record),
            resident=entry.clean.resident,
            record=record,
            proposed=proposed_quarantine(record),
        )
        client_id = entry.visit.client_id
        raised[client_id] = raised.get(client_id, 0) + 1
    return raised
