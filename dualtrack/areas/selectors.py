"""Reads of areas, people and the organisation, always through the user's scope."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.utils import timezone

from dualtrack.areas.access import (
    Permission,
    accounts_visible,
    areas_visible_q,
    has_grants,
    is_district_wide,
    scope_for,
    visible,
)
from dualtrack.areas.models import (
    VILLAGE_KINDS,
    Area,
    AreaFigure,
    AreaKind,
    Cadre,
    Household,
    IndustrySector,
    LiaisonAssignment,
    OrgUnit,
    Resident,
    RiskArea,
    RoleGrant,
)
from dualtrack.areas.regions import code_prefix
from dualtrack.core import sql
from dualtrack.core.crypto import lookup_digest
from dualtrack.core.errors import NotFound
from dualtrack.core.models import User
from dualtrack.core.selectors import page_size


def area_list_for(
    *, user: User, parent_id: int | None = None, kind: str | None = None
) -> QuerySet[Area]:
    """Areas the user can see; the children of ``parent_id`` if given."""
    qs = visible(user, Area.objects.all())
    if parent_id is not None:
        qs = qs.filter(parent_id=parent_id)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("code")


def area_roots_for(*, user: User) -> QuerySet[Area]:
    """The topmost areas of the user's scope: the district for district roles, else their grants."""
    codes = scope_for(user).codes()
    return Area.objects.filter(code__in=codes).order_by("code")


def area_get_for(*, user: User, area_id: int) -> Area:
    """One area in the user's scope, or NotFound."""
    area = visible(user, Area.objects.all()).filter(pk=area_id).first()
    if area is None:
        raise NotFound()
    return area


def area_ancestors(area: Area) -> list[Area]:
    """The path from the district down to ``area``'s parent (for breadcrumbs)."""
    prefixes = [area.code[:n] for n in range(2, len(area.code))]
    return list(Area.objects.filter(code__in=prefixes).order_by("code"))


def household_list_for(
    *, user: User, area_id: int | None = None, after_id: int = 0, limit: int = 50
) -> list[Household]:
    """Households in scope (under ``area_id`` if given), by id, one keyset page."""
    qs = visible(user, Household.objects.all())
    if area_id is not None:
        area = area_get_for(user=user, area_id=area_id)
        qs = qs.filter(area_id__in=Area.objects.filter(area.subtree_q()).values("id"))
    return list(
        qs.filter(pk__gt=after_id).select_related("area").order_by("pk")[: page_size(limit)]
    )


def household_get_for(*, user: User, household_id: int) -> Household:
    """One household in scope, or NotFound."""
    household = (
        visible(user, Household.objects.select_related("area")).filter(pk=household_id).first()
    )
    if household is None:
        raise NotFound()
    return household


def resident_list_for(
    *,
    user: User,
    area_id: int | None = None,
    household_id: int | None = None,
    search: str = "",
    after_id: int = 0,
    limit: int = 50,
) -> list[Resident]:
    """Residents in scope, by id, one keyset page; ``search`` matches a name, an ID number or a
    mobile number (the last two exactly, through their digests)."""
    qs = visible(user, Resident.objects.all())
    if area_id is not None:
        area = area_get_for(user=user, area_id=area_id)
        if area.kind != AreaKind.DISTRICT:
            qs = qs.filter(area_id__in=Area.objects.filter(area.subtree_q()).values("id"))
    if household_id is not None:
        qs = qs.filter(household_id=household_id)
    search = search.strip()
    if search:
        digest = lookup_digest(search.upper())
        qs = qs.filter(
            Q(name__contains=search)
            | Q(id_number_digest=digest)
            | Q(phone_digest=lookup_digest(search))
        )
    return list(
        qs.filter(pk__gt=after_id)
        .select_related("household", "area")
        .order_by("pk")[: page_size(limit)]
    )


def resident_get_for(*, user: User, resident_id: int) -> Resident:
    """One resident in scope, or NotFound."""
    resident = (
        visible(user, Resident.objects.select_related("household", "area"))
        .filter(pk=resident_id)
        .first()
    )
    if resident is None:
        raise NotFound()
    return resident


def org_unit_list_for(*, user: User) -> QuerySet[OrgUnit]:
    """The command structure as far as the user can see it."""
    return visible(user, OrgUnit.objects.select_related("area", "parent")).order_by("order", "id")


def org_unit_get_for(*, user: User, unit_id: int) -> OrgUnit:
    unit = org_unit_list_for(user=user).filter(pk=unit_id).first()
    if unit is None:
        raise NotFound()
    return unit


def sector_list() -> QuerySet[IndustrySector]:
    """Industry sectors are public reference data."""
    return IndustrySector.objects.select_related("responsible_group").order_by("code")


def cadre_list_for(
    *,
    user: User,
    area_id: int | None = None,
    origin: str = "",
    org_unit_id: int | None = None,
    after_id: int = 0,
    limit: int = 50,
) -> list[Cadre]:
    """Cadres posted in scope (under ``area_id``, of ``origin``, in ``org_unit_id`` if given),
    by id, one keyset page."""
    qs = visible(user, Cadre.objects.all())
    if area_id is not None:
        area = area_get_for(user=user, area_id=area_id)
        if area.kind != AreaKind.DISTRICT:
            qs = qs.filter(area_id__in=Area.objects.filter(area.subtree_q()).values("id"))
    if origin:
        qs = qs.filter(origin=origin)
    if org_unit_id is not None:
        qs = qs.filter(org_unit_id=org_unit_id)
    return list(
        qs.filter(pk__gt=after_id)
        .select_related("area", "org_unit")
        .order_by("pk")[: page_size(limit)]
    )


def area_options_for(
    *, user: User, permission: Permission = Permission.VIEW, with_root: bool = False
) -> QuerySet[Area]:
    """Towns, villages and communities (and the district if ``with_root``) on which the user
    holds ``permission``, in tree order, for a form's select."""
    kinds = [AreaKind.TOWN, *VILLAGE_KINDS]
    if with_root:
        kinds.append(AreaKind.DISTRICT)
    return (
        Area.objects.filter(areas_visible_q(user, permission), kind__in=kinds)
        .only("id", "code", "name", "kind", "official_code", "parent_id")
        .order_by("code")
    )


def cadre_names_for(*, user: User, limit: int = 50) -> list[tuple[int, str, str | None]]:
    """The first ``limit`` cadres posted in scope, by id, as a select shows them: id, name and
    their area's name (not their encrypted phones, decrypted row by row, nor the rest)."""
    qs = visible(user, Cadre.objects.all()).order_by("pk")
    return list(qs.values_list("pk", "name", "area__name")[: page_size(limit)])


def cadre_get_for(*, user: User, cadre_id: int) -> Cadre:
    cadre = visible(user, Cadre.objects.select_related("area")).filter(pk=cadre_id).first()
    if cadre is None:
        raise NotFound()
    return cadre


def liaison_list_for(*, user: User, area_id: int | None = None) -> QuerySet[LiaisonAssignment]:
    """Current liaison assignments in scope."""
    qs = visible(
        user, LiaisonAssignment.objects.filter(until__isnull=True).select_related("cadre", "area")
    )
    if area_id is not None:
        area = area_get_for(user=user, area_id=area_id)
        qs = qs.filter(area__code__startswith=area.code)
    return qs.order_by("area__code", "id")


def liaison_get_for(*, user: User, assignment_id: int) -> LiaisonAssignment:
    assignment = (
        visible(user, LiaisonAssignment.objects.select_related("cadre", "area"))
        .filter(pk=assignment_id)
        .first()
    )
    if assignment is None:
        raise NotFound()
    return assignment


def role_grant_list_for(*, user: User) -> QuerySet[RoleGrant]:
    """Grants the user may manage: those bound to areas where they manage the organisation."""
    return visible(user, RoleGrant.objects.select_related("user", "area", "org_unit")).order_by(
        "user__username", "role"
    )


def role_grant_get_for(*, user: User, grant_id: int) -> RoleGrant:
    grant = role_grant_list_for(user=user).filter(pk=grant_id).first()
    if grant is None:
        raise NotFound()
    return grant


def own_role_grants(*, user: User) -> QuerySet[RoleGrant]:
    """The user's own role grants (role · area), for their home page."""
    return (
        RoleGrant.objects.filter(user=user)
        .select_related("area", "org_unit")
        .order_by("area__code", "role")
    )


# --- Coverage: 不漏一村一组、不漏一户一人、不漏一行一业 ---------------------------------------


@dataclass(frozen=True)
class TownCoverage:
    town: Area
    villages: int
    villages_without_liaison: int
    groups: int
    groups_without_household: int
    households: int
    households_without_resident: int

    @property
    def gaps(self) -> int:
        return (
            self.villages_without_liaison
            + self.groups_without_household
            + self.households_without_resident
        )


@dataclass(frozen=True)
class CoverageReport:
    towns: list[TownCoverage]
    villages_without_liaison: list[Area]
    groups_without_household: list[Area]
    households_without_resident: list[Household]
    sectors_without_group: list[IndustrySector]
    # The lists stop at this many rows each; the per-town counts are always complete.
    list_limit: int


def coverage_for(
    *, user: User, town_id: int | None = None, list_limit: int = 200
) -> CoverageReport:
    """What the campaign has left out, in the user's scope (or one town of it)."""
    areas = visible(user, Area.objects.all())
    if town_id is not None:
        town = area_get_for(user=user, area_id=town_id)
        areas = areas.filter(town.subtree_q())

    active_liaison = LiaisonAssignment.objects.filter(area=OuterRef("pk"), until__isnull=True)
    villages = areas.filter(kind__in=VILLAGE_KINDS).annotate(has_liaison=Exists(active_liaison))
    groups = areas.filter(kind=AreaKind.GROUP).annotate(
        has_household=Exists(Household.objects.filter(area=OuterRef("pk")))
    )
    # Households are counted from the maintained figures; only areas whose figure has an empty
    # household are searched for it (the registers hold hundreds of thousands of households).
    figures = AreaFigure.objects.filter(area__in=areas.values("id"))
    households = Household.objects.filter(
        area__in=figures.filter(empty_households__gt=0).values("area_id")
    ).annotate(has_resident=Exists(Resident.objects.filter(household=OuterRef("pk"))))

    village_gaps = villages.filter(has_liaison=False).select_related("parent").order_by("code")
    group_gaps = groups.filter(has_household=False).select_related("parent").order_by("code")
    household_gaps = (
        households.filter(has_resident=False)
        .select_related("area")
        .order_by("area__code", "number")
    )

    # Per-town counts in three grouped queries: a town's code is a fixed-width prefix of every
    # code beneath it, so grouping by that prefix groups every row under its town.
    towns = list(areas.filter(kind=AreaKind.TOWN).order_by("code"))
    town_len = len(towns[0].code) if towns else 0

    def by_town(rows: QuerySet[Any, Any], code_field: str, flag: str) -> dict[str, tuple[int, int]]:
        grouped = (
            rows.annotate(town_code=Substr(code_field, 1, town_len))
            .values("town_code")
            .annotate(total=Count("pk"), missing=Count("pk", filter=Q(**{flag: False})))
            .order_by()
        )
        return {row["town_code"]: (row["total"], row["missing"]) for row in grouped}

    village_counts = by_town(villages, "code", "has_liaison")
    group_counts = by_town(groups, "code", "has_household")
    household_counts = {
        row["town_code"]: (row["total"], row["missing"])
        for row in figures.annotate(town_code=Substr("area__code", 1, town_len))
        .values("town_code")
        .annotate(total=Sum("households"), missing=Sum("empty_households"))
        .order_by()
    }

    town_rows = [
        TownCoverage(
            town=t,
            villages=village_counts.get(t.code, (0, 0))[0],
            villages_without_liaison=village_counts.get(t.code, (0, 0))[1],
            groups=group_counts.get(t.code, (0, 0))[0],
            groups_without_household=group_counts.get(t.code, (0, 0))[1],
            households=household_counts.get(t.code, (0, 0))[0],
            households_without_resident=household_counts.get(t.code, (0, 0))[1],
        )
        for t in towns
    ]
    sector_gaps = (
        list(IndustrySector.objects.filter(responsible_group__isnull=True).order_by("code"))
        if is_district_wide(user)
        else []
    )
    return CoverageReport(
        towns=town_rows,
        villages_without_liaison=list(village_gaps[:list_limit]),
        groups_without_household=list(group_gaps[:list_limit]),
        households_without_resident=list(household_gaps[:list_limit]),
        sectors_without_group=sector_gaps,
        list_limit=list_limit,
    )


def user_list_for(*, user: User) -> QuerySet[User]:
    """Staff accounts the user may manage: for district administrators, all of them."""
    return accounts_visible(user).annotate(grant_count=Count("role_grants")).order_by("username")


# --- Risk areas ------------------------------------------------------------------------------


_RISK_CODES_SQL = (
    f"SELECT region_code FROM {RiskArea._meta.db_table} "  # noqa: S608
    "WHERE effective_from <= %s AND (effective_to IS NULL OR effective_to >= %s)"
)


def risk_prefixes_current(on: datetime.date | None = None) -> tuple[str, ...]:
    """The code prefixes of the risk areas in force on a day (today by default), sorted; read by
    hand, as every registration asks (see core.sql)."""
    on = on or timezone.localdate()
    return tuple(
        sorted({code_prefix(code) for (code,) in sql.fetch_all(_RISK_CODES_SQL, [on, on])})
    )


def risk_areas_current(on: datetime.date | None = None) -> list[RiskArea]:
    """The risk areas in force on a day (today by default)."""
    on = on or timezone.localdate()
    return list(
        RiskArea.objects.filter(effective_from__lte=on)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))
        .order_by("region_code")
    )


def risk_area_history() -> list[RiskArea]:
    """Every listing, past and current: an arrival is matched against the list of its own day."""
    return list(RiskArea.objects.order_by("region_code", "effective_from"))


def risk_area_list_for(*, user: User) -> QuerySet[RiskArea]:
    """HQ's list, every entry, current and past: anyone signed in with a grant may read it."""
    if not has_grants(user):
        return RiskArea.objects.none()
    return RiskArea.objects.order_by("-effective_from", "region_code")


def risk_area_get_for(*, user: User, risk_area_id: int) -> RiskArea:
    risk_area = risk_area_list_for(user=user).filter(pk=risk_area_id).first()
    if risk_area is None:
        raise NotFound()
    return risk_area
