"""Health's daily series for the early warning, per village or community and day, counted in
the database: the quarantine checks that found symptoms or a fever (by the order's village and
the check's day). Screening and the cases add theirs here as they land."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dualtrack.areas.models import CODE_WIDTH, AreaKind
from dualtrack.areas.scoping import TOWN_CODE_LENGTH
from dualtrack.core.platform import SeriesSource
from dualtrack.health.models import QuarantineCheck

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


def _orders_page(area_id: int, _day: datetime.date) -> str:
    """The quarantine orders of the area (their checks are on each order's page)."""
    return f"{reverse('quarantine_order_list')}?area={area_id}"


SERIES = (
    SeriesSource(
        key="health.quarantine_symptoms",
        label=_("Quarantine checks with symptoms"),
        counts=checks_with_symptoms,
        records=_orders_page,
    ),
)
