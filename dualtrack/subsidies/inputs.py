"""What the proactive offers are computed from, read in bulk from the apps that hold it: the
enterprises' rosters (workers marked as new hires, with their hire date), the jobs app's
confirmed self-travel tickets and riders of chartered trips, and its introductions that ended in
a hire (the same count as ``jobs.selectors.qualifying_hires``). Reads only: the offers service,
and the selectors when they render an offer's explanation from its records read again."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q

from dualtrack.enterprises.models import Employee, Enterprise
from dualtrack.jobs.models import Introduction, Rider, Ticket


@dataclass(frozen=True)
class HireRow:
    id: int
    enterprise_id: int
    digest: str
    hire_date: datetime.date
    name: str


@dataclass(frozen=True)
class TicketRow:
    id: int
    enterprise_id: int
    digest: str
    route: str
    fare: str
    travel_date: datetime.date
    name: str


@dataclass(frozen=True)
class IntroductionRow:
    id: int
    introducer_id: int
    introducer_name: str
    digest: str
    name: str
    hired_on: datetime.date


def new_hires(*, since: datetime.date) -> list[HireRow]:
    """Workers marked as new hires from ``since``, with an ID number (the duplicate guard
    needs it), in the order they were hired."""
    rows = (
        Employee.objects.filter(new_hire=True, hire_date__gte=since)
        .exclude(id_number_digest="")
        .order_by("hire_date", "id")
        .values_list("id", "enterprise_id", "id_number_digest", "hire_date", "name")
    )
    return [
        HireRow(i, e, d, h, n) for i, e, d, h, n in rows.iterator(chunk_size=5000) if h is not None
    ]


def tickets(*, since: datetime.date) -> list[TicketRow]:
    """Confirmed self-travel tickets of returning workers and new hires."""
    rows = (
        Ticket.objects.filter(confirmed_at__isnull=False, travel_date__gte=since)
        .filter(Q(employee__new_hire=True) | Q(employee__returned_on__isnull=False))
        .order_by("travel_date", "id")
        .values_list(
            "id",
            "enterprise_id",
            "employee__id_number_digest",
            "route",
            "fare",
            "travel_date",
            "employee__name",
        )
    )
    return [TicketRow(i, e, d, r, str(f), t, n) for i, e, d, r, f, t, n in rows]


def carried(*, since: datetime.date) -> set[tuple[str, datetime.date]]:
    """(worker, day) of every rider of a chartered trip: the district carried them that day."""
    rows = Rider.objects.filter(travel_date__gte=since).values_list(
        "id_number_digest", "travel_date"
    )
    return set(rows)


def hired_introductions() -> list[IntroductionRow]:
    rows = (
        Introduction.objects.filter(hire__isnull=False)
        .order_by("hired_at", "id")
        .values_list(
            "id",
            "introducer_id",
            "introducer__name",
            "id_number_digest",
            "worker_name",
            "hired_at",
        )
    )
    return [
        IntroductionRow(i, k, kn, d, n, h.date()) for i, k, kn, d, n, h in rows if h is not None
    ]


def enterprise_payees(ids: set[int]) -> dict[int, tuple[str, str]]:
    """Each enterprise's name and its town's area code (the audit entries' scope)."""
    rows = Enterprise.objects.filter(pk__in=ids).values_list("pk", "name", "area__code")
    return {pk: (name, code) for pk, name, code in rows.iterator(chunk_size=5000)}


def rows_by_ids(clause: str, ids: list[int]) -> list[list[object]]:
    """The rows an offer computed in the batch counted, read again by id in the offer's order
    (the shapes of ``new_hires`` and ``tickets`` as the offers' service lists them)."""
    if clause == "recruitment":
        found = {
            i: [i, h.isoformat(), n]
            for i, h, n in Employee.objects.filter(pk__in=ids).values_list(
                "id", "hire_date", "name"
            )
            if h is not None
        }
    elif clause == "transport":
        found = {
            i: [i, d, r, str(f), t.isoformat(), n]
            for i, d, r, f, t, n in Ticket.objects.filter(pk__in=ids).values_list(
                "id",
                "employee__id_number_digest",
                "route",
                "fare",
                "travel_date",
                "employee__name",
            )
        }
    else:
        return []
    return [found[i] for i in ids if i in found]
