"""The wall screen's figures computed again by GROUP BY over the raw records (the register, the
line list, the orders, the registry and its reports, the applications, the ledger), district-wide
or under one area: what the tests hold every panel equal to, and the benchmark's baseline."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Q, Sum
from django.db.models.functions import Substr, TruncDate
from django.utils import timezone

from dualtrack.areas.map import child_code_length, map_children
from dualtrack.areas.models import Area, Resident
from dualtrack.checkpoints.models import Alert, Direction, Passage
from dualtrack.enterprises.models import DailyReport, Enterprise, ResumptionStatus
from dualtrack.health.models import (
    Campaign,
    Case,
    QuarantineOrder,
    ScreeningRecord,
)
from dualtrack.jobs.models import COUNTED_STATUSES, Application
from dualtrack.supplies.figures import COVER_WINDOW_DAYS, days_of_cover
from dualtrack.supplies.models import Entry, EntryKind

COUNTED_CASES = ("confirmed", "asymptomatic", "recovered", "died")
ACTIVE_CASES = ("suspected", "confirmed", "asymptomatic")


def _start(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


def _days(until: datetime.date, n: int) -> list[datetime.date]:
    return [until - datetime.timedelta(days=n - 1 - i) for i in range(n)]


def checkpoints_map(area: Area, day: datetime.date) -> dict[str, tuple[int, int, int]]:
    """Per child area: passages and fevers of the day, alerts open at its end."""
    length = child_code_length(area)
    start, end = _start(day), _start(day + datetime.timedelta(days=1))
    prefix = Substr("checkpoint__area__code", 1, length)
    passages = {
        row["p"]: row
        for row in Passage.objects.filter(
            occurred_at__gte=start,
            occurred_at__lt=end,
            checkpoint__area__code__startswith=area.code,
        )
        .annotate(p=prefix)
        .values("p")
        .annotate(n=Count("id"), fevers=Count("id", filter=Q(is_fever=True)))
    }
    alerts = dict(
        Alert.objects.filter(
            Q(handled_at__isnull=True) | Q(handled_at__gte=end),
            raised_at__lt=end,
            checkpoint__area__code__startswith=area.code,
        )
        .annotate(p=prefix)
        .values("p")
        .annotate(n=Count("id"))
        .values_list("p", "n")
    )
    result = {}
    for child in map_children(area):
        row = passages.get(child.code, {"n": 0, "fevers": 0})
        result[child.code] = (row["n"], row["fevers"], alerts.get(child.code, 0))
    return result


def checkpoints_flows(area: Area, day: datetime.date, days: int = 14) -> dict[str, list[int]]:
    """People in, out and fevers per day over ``days`` days."""
    axis = _days(day, days)
    rows = (
        Passage.objects.filter(
            occurred_at__gte=_start(axis[0]),
            occurred_at__lt=_start(day + datetime.timedelta(days=1)),
            checkpoint__area__code__startswith=area.code,
        )
        .annotate(d=TruncDate("occurred_at", tzinfo=timezone.get_current_timezone()))
        .values("d")
        .annotate(
            i=Count("id", filter=Q(direction=Direction.IN)),
            o=Count("id", filter=Q(direction=Direction.OUT)),
            f=Count("id", filter=Q(is_fever=True)),
        )
    )
    by_day = {row["d"]: row for row in rows}
    empty = {"i": 0, "o": 0, "f": 0}
    return {key: [by_day.get(d, empty)[key] for d in axis] for key in ("i", "o", "f")}


def health_curve(area: Area, day: datetime.date, days: int = 30) -> dict[str, list[int]]:
    axis = _days(day, days)
    counted = Case.objects.filter(
        classification__in=COUNTED_CASES, area__code__startswith=area.code
    )
    result = {}
    for field in ("onset_date", "report_date"):
        counts = dict(
            counted.filter(**{f"{field}__gte": axis[0], f"{field}__lte": day})
            .values(field)
            .annotate(n=Count("id"))
            .values_list(field, "n")
        )
        result[field] = [counts.get(d, 0) for d in axis]
    return result


def health_cases(area: Area, day: datetime.date) -> list[int]:
    """Confirmed to date, reported on the day, active; people under quarantine on the day."""
    cases = Case.objects.filter(area__code__startswith=area.code, report_date__lte=day)
    sums = cases.aggregate(
        confirmed=Count("id", filter=Q(classification__in=COUNTED_CASES)),
        new=Count("id", filter=Q(report_date=day) & ~Q(classification="ruled_out")),
        active=Count("id", filter=Q(classification__in=ACTIVE_CASES)),
    )
    end = _start(day + datetime.timedelta(days=1))
    quarantined = QuarantineOrder.objects.filter(
        Q(status="active") | Q(closed_at__gte=end),
        area__code__startswith=area.code,
        starts_on__lte=day,
        ends_on__gte=day,
    ).count()
    return [sums["confirmed"], sums["new"], sums["active"], quarantined]


def health_screening(area: Area, day: datetime.date) -> float | None:
    """The residents screened by the newest campaign running on the day, in per cent of the
    residents under the area."""
    campaign = (
        Campaign.objects.filter(starts_on__lte=day, ends_on__gte=day)
        .order_by("-starts_on", "-id")
        .first()
    )
    if campaign is None:
        return None
    covered = ScreeningRecord.objects.filter(
        campaign=campaign, area__code__startswith=area.code
    ).count()
    total = Resident.objects.filter(area__code__startswith=area.code).count()
    return round(100.0 * covered / total, 1) if total else 0.0


def enterprises_totals(area: Area, today: datetime.date) -> dict[str, Any]:
    """Per town: enterprises, resumed, normal workforce, workers on duty at yesterday's 24:00."""
    yesterday = today - datetime.timedelta(days=1)
    rows = (
        Enterprise.objects.filter(area__code__startswith=area.code)
        .values("area__code")
        .annotate(
            enterprises=Count("id"),
            resumed=Count("id", filter=Q(status=ResumptionStatus.RESUMED, resumed_on__lte=today)),
            normal=Sum("normal_workforce"),
        )
    )
    workers = dict(
        DailyReport.objects.filter(date=yesterday, enterprise__area__code__startswith=area.code)
        .values("enterprise__area__code")
        .annotate(n=Sum("workers_on_duty"))
        .values_list("enterprise__area__code", "n")
    )
    return {
        row["area__code"]: {
            "enterprises": row["enterprises"],
            "resumed": row["resumed"],
            "normal": row["normal"] or 0,
            "workers": workers.get(row["area__code"]) or 0,
        }
        for row in rows
    }


def enterprises_workers_by_day(area: Area, days: list[datetime.date]) -> list[int]:
    """Workers on duty in each day's snapshot: those reported for the 24:00 before it (the
    figure due by noon of the snapshot's day)."""
    one = datetime.timedelta(days=1)
    sums = dict(
        DailyReport.objects.filter(
            date__in=[d - one for d in days], enterprise__area__code__startswith=area.code
        )
        .values("date")
        .annotate(n=Sum("workers_on_duty"))
        .values_list("date", "n")
    )
    return [sums.get(d - one) or 0 for d in days]


def jobs_hires(area: Area, day: datetime.date, days: int = 14) -> list[int]:
    axis = _days(day, days)
    counts = dict(
        Application.objects.filter(
            status__in=COUNTED_STATUSES,
            hired_at__gte=_start(axis[0]),
            hired_at__lt=_start(day + datetime.timedelta(days=1)),
            enterprise__area__code__startswith=area.code,
        )
        .annotate(d=TruncDate("hired_at", tzinfo=timezone.get_current_timezone()))
        .values("d")
        .annotate(n=Count("id"))
        .values_list("d", "n")
    )
    return [counts.get(d, 0) for d in axis]


def supplies_cover(area: Area, day: datetime.date) -> dict[str, float | None]:
    """Per item name: the stock under the area summed from the whole ledger, over the week's
    consumption."""
    since = day - datetime.timedelta(days=COVER_WINDOW_DAYS - 1)
    rows = (
        Entry.objects.filter(holder__area__code__startswith=area.code)
        .values("item__name")
        .annotate(
            stock=Sum("quantity"),
            used=Sum(
                "quantity",
                filter=Q(kind=EntryKind.CONSUMPTION, occurred_on__gte=since, occurred_on__lte=day),
            ),
        )
    )
    return {
        row["item__name"]: days_of_cover(int(row["stock"] or 0), -int(row["used"] or 0))
        for row in rows
    }


def subsidies_budget(area: Area) -> dict[str, tuple[float, float]]:
    """Per clause name: paid (the payment ledger) and approved not yet paid, for the enterprises
    under the area (the district's: every claim, the introducers' too)."""
    from dualtrack.subsidies.models import Claim, ClauseKey, LedgerEntry

    under = Q() if area.parent_id is None else Q(enterprise__area__code__startswith=area.code)
    paid = dict(
        LedgerEntry.objects.filter(under)
        .values("clause")
        .annotate(s=Sum("amount"))
        .values_list("clause", "s")
    )
    unpaid = dict(
        Claim.objects.filter(under, status__in=("approved", "waiting", "batched"))
        .values("clause")
        .annotate(s=Sum("approved_amount"))
        .values_list("clause", "s")
    )
    return {
        str(label): (float(paid.get(key) or 0), float(unpaid.get(key) or 0))
        for key, label in ClauseKey.choices
        if paid.get(key) or unpaid.get(key)
    }


def subsidies_budgets() -> dict[str, float]:
    """Per clause name: the district's budget (clauses without one left out)."""
    from dualtrack.subsidies.models import Budget, ClauseKey

    totals = dict(Budget.objects.values_list("clause", "total"))
    return {str(label): float(totals[key]) for key, label in ClauseKey.choices if totals.get(key)}


def volunteers_on_duty(area: Area, day: datetime.date) -> tuple[int, int]:
    """People and volunteers on a duty of the day (not absent) under the area, each counted once
    per town."""
    from dualtrack.volunteers.models import DutyAssignment

    rows = (
        DutyAssignment.objects.filter(
            duty__area__code__startswith=area.code,
            starts_at__lt=_start(day + datetime.timedelta(days=1)),
            ends_at__gt=_start(day),
        )
        .exclude(status="absent")
        .annotate(town=Substr("duty__area__code", 1, 4))
        .values("town")
        .annotate(
            people=Count("person_key", distinct=True),
            volunteers=Count("person_key", distinct=True, filter=Q(person_kind="volunteer")),
        )
    )
    return sum(r["people"] for r in rows), sum(r["volunteers"] for r in rows)


def directives_overdue(area: Area) -> int:
    """Parts of directives answered for under the area, past their deadline now and neither
    accepted nor closed (a part closed without a time counts as not finished)."""
    from dualtrack.command.models import DirectiveAssignment

    now = timezone.now()
    return (
        DirectiveAssignment.objects.filter(
            area__code__startswith=area.code, directive__deadline__lt=now
        )
        .exclude(status="accepted")
        .exclude(status="closed", closed_at__isnull=False)
        .count()
    )
