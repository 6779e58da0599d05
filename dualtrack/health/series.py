"""Health's daily series for the early warning, per village or community and day, counted in
the database: the fevers found in screening (by the resident's area and the day recorded), the
quarantine checks that found symptoms or a fever (by the order's village and the check's day),
and the new cases by onset date and by report date (confirmed and asymptomatic, also those since
recovered or dead; not the suspected nor the ruled out)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Count, Q
from django.db.models.functions import Substr, TruncDate
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dualtrack.areas.models import CODE_WIDTH, AreaKind
from dualtrack.areas.scoping import TOWN_CODE_LENGTH
from dualtrack.core.platform import SeriesCounter, SeriesSource
from dualtrack.health.models import Case, QuarantineCheck, ScreeningRecord
from dualtrack.health.models.cases import CaseClassification, CaseOrigin

VILLAGE_CODE_LENGTH = TOWN_CODE_LENGTH + CODE_WIDTH[AreaKind.VILLAGE]


def checks_with_symptoms(
    *, start: datetime.date, end: datetime.date
) -> Iterable[tuple[str, datetime.date, int]]:
    """The checks with symptoms or a fever, per order's village and day."""
    return (
        QuarantineCheck.objects.filter(day__range=(start, end))
        .filter(~Q(symptoms="") | Q(is_fever=True))
        .annotate(village=Substr("order__area__code", 1, VILLAGE_CODE_LENGTH))
        .values("village", "day")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("village", "day", "n")
    )


def screening_fevers(
    *, start: datetime.date, end: datetime.date
) -> Iterable[tuple[str, datetime.date, int]]:
    """The residents found with a fever in screening, per area and day recorded (local day)."""
    return (
        ScreeningRecord.objects.filter(is_fever=True, recorded_at__date__range=(start, end))
        .annotate(
            village=Substr("area__code", 1, VILLAGE_CODE_LENGTH), day=TruncDate("recorded_at")
        )
        .values("village", "day")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("village", "day", "n")
    )


COUNTED_CASES = (
    CaseClassification.CONFIRMED,
    CaseClassification.ASYMPTOMATIC,
    CaseClassification.RECOVERED,
    CaseClassification.DIED,
)


def _cases_by(field: str, *, imported: bool = False) -> SeriesCounter:
    """New cases per village and ``field``'s day; ``imported``: those exposed elsewhere only."""

    def counts(
        *, start: datetime.date, end: datetime.date
    ) -> Iterable[tuple[str, datetime.date, int]]:
        cases = Case.objects.filter(
            classification__in=COUNTED_CASES, **{f"{field}__range": (start, end)}
        )
        if imported:
            cases = cases.filter(origin=CaseOrigin.IMPORTED)
        rows: Iterable[tuple[str, datetime.date, int]] = (
            cases.annotate(village=Substr("area__code", 1, VILLAGE_CODE_LENGTH))
            .values("village", field)
            .annotate(n=Count("id"))
            .order_by()
            .values_list("village", field, "n")
        )
        return rows

    return counts


def _screening_page(_area_id: int, _day: datetime.date) -> str:
    """The screening campaigns (each lists its findings)."""
    return reverse("health_screening_campaigns")


def _cases_page(_area_id: int, day: datetime.date) -> str:
    """The line list from the day on."""
    return f"{reverse('health_case_list')}?since={day.isoformat()}&until={day.isoformat()}"


def _orders_page(area_id: int, _day: datetime.date) -> str:
    """The quarantine orders of the area (their checks are on each order's page)."""
    return f"{reverse('quarantine_order_list')}?area={area_id}"


SERIES = (
    SeriesSource(
        key="health.screening_fevers",
        label=_("Fevers found in screening"),
        counts=screening_fevers,
        records=_screening_page,
    ),
    SeriesSource(
        key="health.quarantine_symptoms",
        label=_("Quarantine checks with symptoms"),
        counts=checks_with_symptoms,
        records=_orders_page,
    ),
    SeriesSource(
        key="health.cases_by_onset",
        label=_("New cases by onset date"),
        counts=_cases_by("onset_date"),
        records=_cases_page,
    ),
    SeriesSource(
        key="health.cases_by_report",
        label=_("New cases by report date"),
        counts=_cases_by("report_date"),
        records=_cases_page,
    ),
    # The imported part of the two above: the reproduction number counts those cases in the
    # infectivity, never among the new local ones.
    SeriesSource(
        key="health.imported_cases_by_onset",
        label=_("Imported cases by onset date"),
        counts=_cases_by("onset_date", imported=True),
        records=_cases_page,
        imported_part_of="health.cases_by_onset",
    ),
    SeriesSource(
        key="health.imported_cases_by_report",
        label=_("Imported cases by report date"),
        counts=_cases_by("report_date", imported=True),
        records=_cases_page,
        imported_part_of="health.cases_by_report",
    ),
)
