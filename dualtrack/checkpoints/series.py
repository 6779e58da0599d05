"""The checkpoints' daily series for the early warning: fevers and arrivals from risk areas at
the gates, per village or community (the checkpoint's) and day, summed in the database from the
daily figures kept with every passage (they outlive the passages' purge)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Sum
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dualtrack.areas.models import CODE_WIDTH, AreaKind
from dualtrack.areas.scoping import TOWN_CODE_LENGTH
from dualtrack.checkpoints.models import DailyFigure
from dualtrack.core.platform import SeriesCounter, SeriesSource

VILLAGE_CODE_LENGTH = TOWN_CODE_LENGTH + CODE_WIDTH[AreaKind.VILLAGE]


def _daily_sum(counter: str) -> SeriesCounter:
    def counts(
        *, start: datetime.date, end: datetime.date
    ) -> Iterable[tuple[str, datetime.date, int]]:
        return (
            DailyFigure.objects.filter(day__range=(start, end), **{f"{counter}__gt": 0})
            .annotate(village=Substr("checkpoint__area__code", 1, VILLAGE_CODE_LENGTH))
            .values("village", "day")
            .annotate(n=Sum(counter))
            .order_by()
            .values_list("village", "day", "n")
        )

    return counts


def _figures_page(area_id: int, _day: datetime.date) -> str:
    """The checkpoints' figures of the area: the day's counts by gate, and the last two weeks."""
    return f"{reverse('checkpoint_figures')}?area={area_id}"


SERIES = (
    SeriesSource(
        key="checkpoints.fevers",
        label=_("Fevers at checkpoints"),
        counts=_daily_sum("fevers"),
        records=_figures_page,
    ),
    SeriesSource(
        key="checkpoints.risk_arrivals",
        label=_("Arrivals from risk areas at checkpoints"),
        counts=_daily_sum("risk_arrivals"),
        records=_figures_page,
        # People coming from elsewhere: no reproduction number of the district's own.
        reproduces=False,
    ),
)
