"""What the proactive offers are computed from, read in bulk from the apps that hold it: the
enterprises' rosters (workers marked as new hires, with their hire date), the jobs app's
confirmed self-travel tickets and riders of chartered trips, and its introductions that ended in
a hire (the same count as ``jobs.selectors.qualifying_hires``). Reads only: the offers service,
and the selectors when they render an offer's explanation from its records read again."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import BigIntegerField, F, Q
from django.db.models.functions import Cast, Round

from dualtrack.enterprises.models import Employee, Enterprise
from dualtrack.jobs.models import Introduction, Rider, Ticket

# The fare in whole fen, as an integer: exact on PostgreSQL (numeric); SQLite keeps a decimal
# as a binary float, whose nearest whole number of fen is the fare's (as Django's own reading of
# it rounds to the two places).
FARE_FEN = Cast(Round(F("fare") * 100), BigIntegerField())
# The records as the database returns them (tuples, no model instances), in these fields.
HIRE_FIELDS = ("id", "enterprise_id", "id_number_digest", "hire_date", "name")
TICKET_FIELDS = (
    "id",
    "enterprise_id",
    "employee__id_number_digest",
    "route",
    "fare_fen",
    "travel_date",
    "employee__name",
)


@dataclass(frozen=True)
class IntroductionRow:
    id: int
    introducer_id: int
    introducer_name: str
    digest: str
    name: str
    hired_on: datetime.date


def new_hires(*, since: datetime.date) -> list[tuple[Any, ...]]:
    """Workers marked as new hires from ``since``, with an ID number (the duplicate guard
    needs it), in the order they were hired: tuples of ``HIRE_FIELDS``."""
    rows = (
        Employee.objects.filter(new_hire=True, hire_date__gte=since)
        .exclude(id_number_digest="")
        .order_by("hire_date", "id")
        .values_list(*HIRE_FIELDS)
    )
    return list(rows)


def tickets(*, since: datetime.date) -> list[tuple[Any, ...]]:
    """Confirmed self-travel tickets of returning workers and new hires: tuples of
    ``TICKET_FIELDS``."""
    rows = (
        Ticket.objects.filter(confirmed_at__isnull=False, travel_date__gte=since)
        .filter(Q(employee__new_hire=True) | Q(employee__returned_on__isnull=False))
        .order_by("travel_date", "id")
        .annotate(fare_fen=FARE_FEN)
        .values_list(*TICKET_FIELDS)
    )
    return list(rows)


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
