"""The areas app's figures: the home page's headline counts, an area's children, and the
residents of households on a page.

Counts are grouped by ``area_id`` (an index-only scan of each table) and summed per subtree in
Python over the areas, which are few; no per-row join to the area table is needed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count

from dualtrack.areas.access import is_district_wide
from dualtrack.areas.models import VILLAGE_KINDS, Area, AreaKind, Household, Resident
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
    return HeadlineCounts(
        towns=kinds.get(AreaKind.TOWN, 0),
        villages=sum(kinds.get(kind, 0) for kind in VILLAGE_KINDS),
        groups=kinds.get(AreaKind.GROUP, 0),
        households=Household.objects.count(),
        residents=Resident.objects.count(),
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


def _per_area(model: type[Household] | type[Resident], area: Area) -> Counter[int]:
    rows = model.objects.all()
    if area.parent_id is not None:
        rows = rows.filter(area_id__in=Area.objects.filter(area.subtree_q()).values("id"))
    grouped = rows.values("area_id").annotate(n=Count("pk")).order_by()
    return Counter({row["area_id"]: row["n"] for row in grouped})


def area_summary_for(*, user: User, area: Area) -> AreaSummary:
    """An area's children (at most MAX_CHILDREN) with the sub-areas, households and residents
    under each, and the totals of the whole subtree. ``area`` must come from a scoped selector;
    its subtree then lies wholly in the user's scope."""
    children = list(area_list_for(user=user, parent_id=area.pk)[:MAX_CHILDREN])
    households = _per_area(Household, area)
    residents = _per_area(Resident, area)
    direct_children: Counter[int] = Counter()
    child_households: Counter[int] = Counter()
    child_residents: Counter[int] = Counter()
    if children:
        width = len(children[0].code)  # siblings' codes have the same width
        child_by_code = {child.code: child.pk for child in children}
        subtree = Area.objects.filter(code__startswith=area.code).exclude(pk=area.pk)
        for area_id, code, parent_id in subtree.values_list("id", "code", "parent_id"):
            child_id = child_by_code.get(code[:width])
            if child_id is None:
                continue
            if parent_id == child_id:
                direct_children[child_id] += 1
            child_households[child_id] += households.get(area_id, 0)
            child_residents[child_id] += residents.get(area_id, 0)
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
        households=sum(households.values()),
        residents=sum(residents.values()),
    )
