"""Reads of screening campaigns, always through the user's sight: the campaigns, their coverage
from town down to group (sums of the maintained counters over area-code prefixes, never a
recount), the households not yet visited and the residents not yet covered (不漏一户一人, keyset
pages), and the visits of one household."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Substr

from dualtrack.areas.models import (
    CHILD_KINDS,
    CODE_WIDTH,
    Area,
    AreaFigure,
    AreaKind,
    Household,
    Resident,
)
from dualtrack.areas.scoping import ROOT_CODE, Permission, scope_for
from dualtrack.core.errors import NotFound
from dualtrack.core.models import User
from dualtrack.core.selectors import page_size
from dualtrack.health.access.screening import (
    CampaignAbility,
    campaigns_visible,
    counter_codes,
    sight_q,
)
from dualtrack.health.models import (
    Campaign,
    CampaignArea,
    CoverageCounter,
    HouseholdVisit,
    ScreeningRecord,
    VisitOutcome,
)


def campaign_list_for(
    *, user: User, ability: CampaignAbility = CampaignAbility.SEE, open_only: bool = False
) -> QuerySet[Campaign]:
    """The campaigns the user sees (or may screen in, or manage), newest first."""
    qs = campaigns_visible(user, ability)
    if open_only:
        qs = qs.filter(closed_at__isnull=True)
    return qs.order_by("-starts_on", "-id")


def campaign_get_for(*, user: User, campaign_id: int) -> Campaign:
    campaign = campaigns_visible(user).filter(pk=campaign_id).first()
    if campaign is None:
        raise NotFound()
    return campaign


def campaign_areas(campaign: Campaign) -> list[Area]:
    return campaign_areas_of([campaign])[campaign.pk]


def campaign_areas_of(campaigns: list[Campaign]) -> dict[int, list[Area]]:
    """The areas of each campaign, in one query; each campaign keeps its codes for the access
    rule's answers (no query per campaign)."""
    by_campaign: dict[int, list[Area]] = {c.pk: [] for c in campaigns}
    rows = CampaignArea.objects.filter(campaign__in=campaigns).select_related("area")
    for row in rows.order_by("area__code"):
        by_campaign[row.campaign_id].append(row.area)
    for campaign in campaigns:
        campaign._area_codes = tuple(a.code for a in by_campaign[campaign.pk])  # type: ignore[attr-defined]
    return by_campaign


# --- Coverage ------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class CoverageTotals:
    households_total: int
    households_visited: int
    residents_total: int
    residents_covered: int

    @property
    def households_percent(self) -> float:
        return _percent(self.households_visited, self.households_total)

    @property
    def residents_percent(self) -> float:
        return _percent(self.residents_covered, self.residents_total)


@dataclass(frozen=True, kw_only=True)
class CoverageRow(CoverageTotals):
    area_id: int | None
    code: str
    name: str
    kind: str
    drillable: bool

    @property
    def households_left(self) -> int:
        return self.households_total - self.households_visited

    @property
    def residents_left(self) -> int:
        return self.residents_total - self.residents_covered


def _percent(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0


@dataclass(frozen=True)
class CoverageReport:
    campaign: Campaign
    area: Area  # the level shown: its children are the rows
    path: list[Area]  # from the top the user sees down to ``area`` (breadcrumbs)
    rows: list[CoverageRow]
    total: CoverageRow


_SUMS = {
    "households_total": Sum("households_total"),
    "households_visited": Sum("households_visited"),
    "residents_total": Sum("residents_total"),
    "residents_covered": Sum("residents_covered"),
}


# The length of an area's code at each level of the tree, and the width its children add.
_LEVELS = (
    len(ROOT_CODE),
    len(ROOT_CODE) + CODE_WIDTH[AreaKind.TOWN],
    len(ROOT_CODE) + CODE_WIDTH[AreaKind.TOWN] + CODE_WIDTH[AreaKind.VILLAGE],
    len(ROOT_CODE)
    + CODE_WIDTH[AreaKind.TOWN]
    + CODE_WIDTH[AreaKind.VILLAGE]
    + CODE_WIDTH[AreaKind.GROUP],
)
_CHILD_WIDTH = {a: b - a for a, b in itertools.pairwise(_LEVELS)}


def _top_code(codes: tuple[str, ...]) -> str:
    """Where the drill-down starts: the one area the user's sight of the campaign lies under
    (the longest common prefix of the codes, cut to a level of the tree)."""
    common = codes[0]
    for code in codes[1:]:
        while not code.startswith(common):
            common = common[:-1]
    return common[: max(n for n in _LEVELS if n <= len(common))]


def _counters_in_sight(
    user: User, campaign: Campaign, area: Area | None
) -> tuple[QuerySet[CoverageCounter], str]:
    """The counters of ``campaign`` the user sees under ``area`` (default: the top of their
    sight), and the code of that top; NotFound when out of sight."""
    codes = counter_codes(user, campaign)
    if not codes:
        raise NotFound()
    top = _top_code(codes)
    if area is not None and not any(
        area.code.startswith(c) or c.startswith(area.code) for c in codes
    ):
        raise NotFound()
    code = area.code if area is not None else top
    sight = Q(pk__in=[])
    for prefix in codes:
        sight |= Q(area_code__startswith=prefix)
    counters = CoverageCounter.objects.filter(sight, campaign=campaign, area_code__startswith=code)
    return counters, top


def coverage_totals_for(
    *, user: User, campaign: Campaign, area: Area | None = None
) -> CoverageTotals:
    """The total of ``coverage_for`` alone (the board's gauge, the briefing's figures): one sum
    of the counters, without the rows' areas."""
    counters, _top = _counters_in_sight(user, campaign, area)
    sums = counters.aggregate(**_SUMS)
    return CoverageTotals(**{name: value or 0 for name, value in sums.items()})


def coverage_for(*, user: User, campaign: Campaign, area: Area | None = None) -> CoverageReport:
    """Coverage of ``campaign`` one level below ``area`` (default: the top of the user's sight):
    towns, then villages, then groups, each summed from its counters — two statements, however
    many residents (the counters hold the sums, kept as visits arrive)."""
    counters, top = _counters_in_sight(user, campaign, area)
    code = area.code if area is not None else top
    length = len(code) + _CHILD_WIDTH.get(len(code), 0)
    grouped: Any = (
        counters.annotate(prefix=Substr("area_code", 1, length))
        .values("prefix")
        .annotate(**_SUMS)
        .order_by("prefix")
    )
    sums: dict[str, dict[str, Any]] = {row["prefix"]: row for row in grouped}
    path_codes = [code[:n] for n in _LEVELS if len(top) <= n <= len(code)]
    areas = {
        a.code: a
        for a in Area.objects.filter(code__in=[*sums.keys(), *path_codes]).only(
            "id", "code", "name", "kind", "parent_id"
        )
    }
    if area is None:
        area = areas[top]
    rows = []
    for prefix, row in sums.items():
        named = areas.get(prefix)
        rows.append(
            CoverageRow(
                area_id=named.pk if named else None,
                code=prefix,
                name=named.name if named else prefix,
                kind=named.kind if named else "",
                households_total=row["households_total"] or 0,
                households_visited=row["households_visited"] or 0,
                residents_total=row["residents_total"] or 0,
                residents_covered=row["residents_covered"] or 0,
                drillable=named is not None
                and prefix != area.code
                and bool(CHILD_KINDS[named.kind]),
            )
        )
    total = CoverageRow(
        area_id=area.pk,
        code=area.code,
        name=area.name,
        kind=area.kind,
        households_total=sum(r.households_total for r in rows),
        households_visited=sum(r.households_visited for r in rows),
        residents_total=sum(r.residents_total for r in rows),
        residents_covered=sum(r.residents_covered for r in rows),
        drillable=False,
    )
    path = [areas[c] for c in path_codes if c in areas]
    return CoverageReport(campaign=campaign, area=area, path=path, rows=rows, total=total)


# --- Not yet visited, not yet covered -----------------------------------------------------------


def _under(area: Area | None, prefix: str = "area__") -> Q:
    return Q() if area is None else Q(**{f"{prefix}code__startswith": area.code})


def households_unvisited_for(
    *,
    user: User,
    campaign: Campaign,
    area: Area | None = None,
    after_id: int = 0,
    limit: int = 50,
    to_screen: bool = False,
    with_residents: bool = False,
) -> list[Household]:
    """Households of the campaign in the user's sight (where they may screen, if
    ``to_screen``) without a completed visit, by id, one keyset page; each carries the outcome
    and revisit day of its last visit (``last_outcome``, ``revisit_on``)."""
    permission = Permission.SCREEN_HOUSEHOLDS if to_screen else Permission.VIEW
    visits = HouseholdVisit.objects.filter(campaign=campaign, household=OuterRef("pk"))
    last = visits.order_by("-visited_at", "-id")
    qs = (
        Household.objects.filter(sight_q(user, campaign, permission=permission), _under(area))
        .filter(~Exists(visits.filter(outcome=VisitOutcome.VISITED)), pk__gt=after_id)
        .annotate(
            last_outcome=Subquery(last.values("outcome")[:1]),
            revisit_on=Subquery(last.values("revisit_on")[:1]),
        )
        .select_related("area")
        .order_by("pk")
    )
    if with_residents:
        qs = qs.prefetch_related(
            Prefetch(
                "residents",
                queryset=Resident.objects.order_by("pk").only(
                    "id", "household_id", "name", "gender", "birth_date"
                ),
            )
        )
    return list(qs[: page_size(limit)])


# Up to this many residents in sight, their page is read by sorting them (see below).
SORTED_SCOPE = 20_000


def residents_uncovered_for(
    *, user: User, campaign: Campaign, area: Area | None = None, after_id: int = 0, limit: int = 50
) -> list[Resident]:
    """Residents of the campaign in the user's sight without a record yet, by id, a page."""
    records = ScreeningRecord.objects.filter(campaign=campaign, resident=OuterRef("pk"))
    qs = Resident.objects.filter(~Exists(records), pk__gt=after_id)
    # A village's residents are a hundredth of the district's, those covered first the lowest
    # ids: walking the whole register in id order for the first uncovered of them read some
    # 230,000 residents (0.3-0.6 s at ten times the demo). A sight of few residents (the
    # maintained figures say how many) is read by its areas and sorted instead; a larger one,
    # where its uncovered residents come often in id order, is walked.
    figures = AreaFigure.objects.filter(
        sight_q(user, campaign, prefix="area__"), _under(area), residents__gt=0
    ).values_list("area_id", "residents")
    areas = dict(figures)
    if sum(areas.values()) <= SORTED_SCOPE:
        # The order by an expression keeps PostgreSQL off the primary key's index.
        qs = qs.filter(area_id__in=sorted(areas)).order_by(F("pk") + 0)
    else:
        qs = qs.filter(sight_q(user, campaign), _under(area)).order_by("pk")
    # Only what the page and the API show: not the encrypted numbers, nor the area's outline.
    qs = qs.select_related("household", "area").only(*UNCOVERED_COLUMNS)
    return list(qs[: page_size(limit)])


UNCOVERED_COLUMNS = (
    "id",
    "name",
    "gender",
    "birth_date",
    "household__id",
    "household__number",
    "area__id",
    "area__code",
    "area__name",
    "area__kind",
)


def household_for_screening(*, user: User, campaign: Campaign, household_id: int) -> Household:
    """A household of the campaign in the user's sight, or NotFound."""
    household = (
        Household.objects.filter(sight_q(user, campaign), pk=household_id)
        .select_related("area")
        .first()
    )
    if household is None:
        raise NotFound()
    return household


def household_visits_for(
    *, user: User, campaign: Campaign, household: Household
) -> list[HouseholdVisit]:
    """The visits of one household in the campaign, newest first, with the residents' records."""
    if not scope_for(user).covers(household.area):
        raise NotFound()
    return list(
        HouseholdVisit.objects.filter(campaign=campaign, household=household)
        .select_related("recorded_by")
        .prefetch_related(
            Prefetch(
                "records",
                queryset=ScreeningRecord.objects.select_related("resident").order_by("resident_id"),
            )
        )
        .order_by("-visited_at", "-id")
    )


def household_visit_get(*, visit_id: int) -> HouseholdVisit:
    """A visit just recorded by the caller, with its records (for the answer)."""
    return (
        HouseholdVisit.objects.select_related("recorded_by")
        .prefetch_related(
            Prefetch(
                "records",
                queryset=ScreeningRecord.objects.select_related("resident").order_by("resident_id"),
            )
        )
        .get(pk=visit_id)
    )
