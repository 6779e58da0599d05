"""Reads of the line list and the contact searches, always through the user's scope (the rule
is ``dualtrack.health.access.cases``): cases, their history, contacts and searches, the daily
counts by area and the epidemic curve."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone

from dualtrack.areas.models import Area, Resident
from dualtrack.areas.scoping import TOWN_CODE_LENGTH, scope_for
from dualtrack.areas.selectors import resident_list_for
from dualtrack.core.crypto import lookup_digest
from dualtrack.core.errors import NotFound
from dualtrack.core.models import User
from dualtrack.core.selectors import page_size
from dualtrack.health.access.cases import (
    CaseAbility,
    ContactAbility,
    cases_visible_q,
    contacts_visible_q,
)
from dualtrack.health.models import (
    Case,
    CaseClassification,
    ClassificationChange,
    Contact,
    ContactSearch,
    QuarantineOrder,
    QuarantineSite,
)

# Classifications that count as cases on the curve and the board (not suspected, not ruled out).
COUNTED = (
    CaseClassification.CONFIRMED,
    CaseClassification.ASYMPTOMATIC,
    CaseClassification.RECOVERED,
    CaseClassification.DIED,
)
CURVE_DAYS = 42


def cases_for(user: User, ability: CaseAbility = CaseAbility.SEE) -> QuerySet[Case]:
    return Case.objects.filter(cases_visible_q(user, ability))


def case_list_for(
    *,
    user: User,
    classification: str = "",
    origin: str = "",
    area_id: int | None = None,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    q: str = "",
    limit: int = 200,
) -> list[Case]:
    """The line list in the user's sight, newest report first, filtered."""
    qs = cases_for(user).select_related("area")
    if classification:
        qs = qs.filter(classification=classification)
    if origin:
        qs = qs.filter(origin=origin)
    if area_id is not None:
        area = Area.objects.filter(pk=area_id).first()
        if area is None:
            return []
        qs = qs.filter(area__code__startswith=area.code)
    if since is not None:
        qs = qs.filter(report_date__gte=since)
    if until is not None:
        qs = qs.filter(report_date__lte=until)
    q = q.strip()
    if q:
        qs = qs.filter(
            Q(name__contains=q) | Q(number__contains=q) | Q(id_digest=lookup_digest(q.upper()))
        )
    return list(qs.order_by("-report_date", "-id")[: page_size(limit)])


def case_get_for(*, user: User, case_id: int) -> Case:
    """One case in the user's sight, or NotFound (the same for a missing one)."""
    case = (
        cases_for(user)
        .select_related("area", "infected_by", "quarantine_order", "resident")
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise NotFound()
    return case


def case_history_for(*, user: User, case: Case) -> list[ClassificationChange]:
    case_get_for(user=user, case_id=case.pk)
    return list(case.classifications.select_related("changed_by").order_by("changed_at", "id"))


def contact_list_for(
    *, user: User, case: Case, status: str = "", limit: int = 200
) -> list[Contact]:
    """The case's contacts the user may see, ranked (highest score first). The case itself may
    be out of sight: a village cadre sees the contacts of their villages."""
    qs = Contact.objects.filter(contacts_visible_q(user), case=case)
    if status:
        qs = qs.filter(status=status)
    return list(
        qs.select_related("area", "case__area", "quarantine_order", "via").order_by("-score", "id")[
            : page_size(limit)
        ]
    )


def contact_case_for(*, user: User, case_id: int) -> Case:
    """The case whose contacts are listed: in sight, or with contacts in sight (a cadre's)."""
    case = Case.objects.select_related("area").filter(pk=case_id).first()
    if case is None:
        raise NotFound()
    if Case.objects.filter(cases_visible_q(user), pk=case_id).exists():
        return case
    if not Contact.objects.filter(contacts_visible_q(user), case=case).exists():
        raise NotFound()
    return case


def contact_get_for(*, user: User, contact_id: int) -> Contact:
    contact = (
        Contact.objects.filter(contacts_visible_q(user))
        .select_related("area__parent", "case__area", "quarantine_order", "resident", "via")
        .filter(pk=contact_id)
        .first()
    )
    if contact is None:
        raise NotFound()
    return contact


def contacts_to_confirm_for(*, user: User, limit: int = 200) -> list[Contact]:
    """Possible contacts the user may confirm, most likely first (a cadre's worklist)."""
    qs = Contact.objects.filter(
        contacts_visible_q(user, ContactAbility.CONFIRM), status="possible"
    ).select_related("area", "case__area", "quarantine_order")
    return list(qs.order_by("-score", "id")[: page_size(limit)])


def search_list_for(*, user: User, case: Case) -> list[ContactSearch]:
    case_get_for(user=user, case_id=case.pk)
    return list(
        ContactSearch.objects.filter(case=case)
        .select_related("run_by", "anchor_contact")
        .order_by("-run_at", "-id")[:50]
    )


# --- What a write may refer to -----------------------------------------------------------------


def source_case_get_for_write(*, user: User, case_id: int, field: str = "infected_by_id") -> Case:
    case = cases_for(user).filter(pk=case_id).first()
    if case is None:
        raise NotFound(errors=[{"field": field, "message": str(NotFound.default_message)}])
    return case


def order_get_for_write(
    *, user: User, order_id: int, field: str = "quarantine_order_id"
) -> QuarantineOrder:
    """A quarantine order the user sees (its area in sight), for linking a case to it."""
    orders = scope_for(user).filter_by_area(QuarantineOrder.objects.all())
    order: QuarantineOrder | None = orders.filter(pk=order_id).first()
    if order is None:
        raise NotFound(errors=[{"field": field, "message": str(NotFound.default_message)}])
    return order


def site_get_for_write(*, user: User, site_id: int, field: str = "site_id") -> QuarantineSite:
    """A quarantine site the user sees (its area in sight), for placing a contact there."""
    sites = scope_for(user).filter_by_area(QuarantineSite.objects.all())
    site: QuarantineSite | None = sites.filter(pk=site_id).first()
    if site is None:
        raise NotFound(errors=[{"field": field, "message": str(NotFound.default_message)}])
    return site


def resident_by_id_number_for(*, user: User, id_number: str) -> Resident:
    """The resident in the user's sight with exactly this ID number, read through the areas'
    selectors; NotFound otherwise (the same for one out of sight)."""
    digest = lookup_digest(id_number.strip().upper())
    for resident in resident_list_for(user=user, search=id_number.strip().upper(), limit=5):
        if resident.id_number_digest == digest:
            return resident
    raise NotFound(errors=[{"field": "id_number", "message": str(NotFound.default_message)}])


# --- Counts and the curve ------------------------------------------------------------------------


@dataclass(frozen=True)
class AreaCount:
    code: str
    name: str
    new: int  # reported on the day (every classification but ruled out)
    confirmed: int  # confirmed (and asymptomatic) to date
    active: int  # suspected, confirmed or asymptomatic to date


def _daily_counts(day: datetime.date) -> dict[str, Count]:
    """The counts of ``AreaCount``, as aggregates over the cases reported up to ``day``."""
    return {
        "new": Count("id", filter=Q(report_date=day) & ~Q(classification="ruled_out")),
        "confirmed": Count("id", filter=Q(classification__in=COUNTED)),
        "active": Count(
            "id", filter=Q(classification__in=["suspected", "confirmed", "asymptomatic"])
        ),
    }


def daily_counts_for(*, user: User, day: datetime.date) -> list[AreaCount]:
    """Per town in the user's sight: cases reported on ``day``, confirmed to date, active."""
    qs: Any = (
        cases_for(user)
        .filter(report_date__lte=day)
        .annotate(town=Substr("area__code", 1, TOWN_CODE_LENGTH))
        .values("town")
        .annotate(**_daily_counts(day))
        .order_by("town")
    )
    rows = list(qs)
    names = dict(
        Area.objects.filter(code__in=[r["town"] for r in rows]).values_list("code", "name")
    )
    return [
        AreaCount(r["town"], names.get(r["town"], r["town"]), r["new"], r["confirmed"], r["active"])
        for r in rows
    ]


def daily_totals_for(*, user: User, day: datetime.date, area: Area | None = None) -> dict[str, int]:
    """The sums of ``daily_counts_for`` over the towns (under ``area``): ``new``, ``confirmed``
    and ``active``, for the board's figures; one aggregate, without the towns' names."""
    cases = cases_for(user).filter(report_date__lte=day)
    if area is not None:
        cases = cases.filter(area__code__startswith=area.code)
    counts = cases.aggregate(**_daily_counts(day))
    return {name: value or 0 for name, value in counts.items()}


def epidemic_curve_for(
    *,
    user: User,
    until: datetime.date | None = None,
    days: int = CURVE_DAYS,
    area: Area | None = None,
) -> dict[str, Any]:
    """Counted cases per day by onset date and by report date over ``days`` days up to
    ``until`` (under ``area``, if given), for ECharts: ``{"days": [...], "onset": [...],
    "report": [...]}``."""
    until = until or timezone.localdate()
    since = until - datetime.timedelta(days=days - 1)
    counted = cases_for(user).filter(classification__in=COUNTED)
    if area is not None:
        counted = counted.filter(area__code__startswith=area.code)
    # One read for both curves: the cases by (onset, report) pair with either in the window.
    by_onset: dict[datetime.date, int] = {}
    by_report: dict[datetime.date, int] = {}
    pairs = (
        counted.filter(
            Q(onset_date__gte=since, onset_date__lte=until)
            | Q(report_date__gte=since, report_date__lte=until)
        )
        .values("onset_date", "report_date")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("onset_date", "report_date", "n")
    )
    for onset, report, n in pairs:
        if onset is not None and since <= onset <= until:
            by_onset[onset] = by_onset.get(onset, 0) + n
        if since <= report <= until:
            by_report[report] = by_report.get(report, 0) + n
    axis = [since + datetime.timedelta(days=i) for i in range(days)]
    return {
        "days": [d.isoformat() for d in axis],
        "onset": [by_onset.get(d, 0) for d in axis],
        "report": [by_report.get(d, 0) for d in axis],
    }


def line_list_rows_for(*, user: User, since: datetime.date, until: datetime.date) -> list[Case]:
    """The cases reported in the period whose numbers the user may see (the export)."""
    return list(
        cases_for(user, CaseAbility.VIEW_PERSONAL_DATA)
        .filter(report_date__gte=since, report_date__lte=until)
        .select_related("area", "infected_by", "quarantine_order")
        .order_by("report_date", "id")
    )
