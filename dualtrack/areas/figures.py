"""The areas app's figures: the home page's headline counts, an area's children, and the
residents of households on a page.

Households and residents are read from the maintained figures (``AreaFigure``: one row per
area, kept exact by the database's triggers) and summed per subtree in Python over the areas,
which are few: no page counts the registers' rows.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Sum

from dualtrack.areas.access import is_district_wide
from dualtrack.areas.models import (
    VILLAGE_KINDS,
    Area,
    AreaFigure,
    AreaKind,
    Household,
    Resident,
)
from dualtrack.areas.selectors import area_list_for
from dualtrack.core.models import User

MAX_CHILDREN = 500


@dataclass(frozen=True)
class HeadlineCounts:
    towns: int
    villages: int
    groups: int
    households: int
    residents: int


def district_headline_counts(*, user: User) -> HeadlineCounts | None:
    """Towns, villages and communities, groups, households and residents of the whole district;
    None unless the user's scope is district-wide."""
    if not is_district_wide(user):
        return None
    kinds = dict(
        Area.objects.values("kind").annotate(n=Count("pk")).order_by().values_list("kind", "n")
    )
    totals = AreaFigure.objects.aggregate(households=Sum("households"), residents=Sum("residents"))
    return HeadlineCounts(
        towns=kinds.get(AreaKind.TOWN, 0),
        villages=sum(kinds.get(kind, 0) for kind in VILLAGE_KINDS),
        groups=kinds.get(AreaKind.GROUP, 0),
        households=totals["households"] or 0,
        residents=totals["residents"] or 0,
    )


def household_resident_counts(*, households: list[Household]) -> dict[int, int]:
    """How many residents each of these households has; ``households`` come from a scoped
    selector, so their residents are in scope too."""
    grouped = (
        Resident.objects.filter(household_id__in=[h.pk for h in households])
        .values("household_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["household_id"]: row["n"] for row in grouped}


@dataclass(frozen=True)
class ChildSummary:
    area: Area
    children: int
    households: int
    residents: int


@dataclass(frozen=True)
class AreaSummary:
    children: list[ChildSummary]
    households: int  # in the whole subtree of the area
    residents: int


def area_summary_for(*, user: User, area: Area) -> AreaSummary:
    """An area's children (at most MAX_CHILDREN) with the sub-areas, households and residents
    under each, and the totals of the whole subtree. ``area`` must come from a scoped selector;
    its subtree then lies wholly in the user's scope."""
    children = list(area_list_for(user=user, parent_id=area.pk)[:MAX_CHILDREN])
    width = len(children[0].code) if children else 0  # siblings' codes have the same width
    child_by_code = {child.code: child.pk for child in children}
    direct_children: Counter[int] = Counter()
    child_households: Counter[int] = Counter()
    child_residents: Counter[int] = Counter()
    households = residents = 0
    # The subtree's areas with their own figures, in one read (an area without a figure row has
    # never held a household).
    subtree = Area.objects.filter(code__startswith=area.code).values_list(
        "pk", "code", "parent_id", "figure__households", "figure__residents"
    )
    for area_id, code, parent_id, own_households, own_residents in subtree:
        own_households, own_residents = own_households or 0, own_residents or 0
        households += own_households
        residents += own_residents
        child_id = child_by_code.get(code[:width]) if area_id != area.pk else None
        if child_id is None:
            continue
        if parent_id == child_id:
            direct_children[child_id] += 1
        child_households[child_id] += own_households
        child_residents[child_id] += own_residents
    return AreaSummary(
        children=[
            ChildSummary(
                area=child,
                children=direct_children[child.pk],
                households=child_households[child.pk],
                residents=child_residents[child.pk],
            )
            for child in children
        ],
        households=households,
        residents=residents,
    )
