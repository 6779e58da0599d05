"""The access rule of screening campaigns (摸排): who sees a campaign, its coverage and its
households; who opens and closes campaigns; who records visits.

One definition, on the area scope (``areas.scoping``):

- a campaign is **seen** by whoever may VIEW any area it covers or any area below or above one
  of them (a village cadre sees a district-wide campaign; the prevention group sees a village's);
  what they see of it (coverage, households, residents, visits) is what lies within both the
  campaign's areas and their VIEW scope;
- a campaign is **managed** (opened over areas, renamed, extended, closed) by whoever holds
  MANAGE_CAMPAIGNS on every area it covers;
- a household is **screened** in a campaign by whoever holds SCREEN_HOUSEHOLDS on the household's
  area, when the campaign covers that area and is open on the day of the visit.

Every representation derives from it: ``campaigns_visible`` (queryset), ``campaign_permissions``
(one campaign), ``require_campaign`` (services), ``sight_q`` (rows of a campaign within sight),
``screening_refusal`` (why a visit may not be recorded). tests/screening/test_access_agreement.py
runs every persona against all of them.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from dualtrack.areas.models import Area, Household
from dualtrack.areas.scoping import Permission, scope_for
from dualtrack.core.errors import NotFound, PermissionDenied, ValidationFailed
from dualtrack.core.models import User
from dualtrack.health.models import Campaign, CampaignArea


class CampaignAbility(StrEnum):
    SEE = "see"
    MANAGE = "manage"  # rename, extend, close; import paper results
    SCREEN = "screen"  # record visits somewhere in the campaign


# The one table: which permission gives each ability, and whether it must hold on every area of
# the campaign (managing) or on some part of it (seeing, screening).
ABILITIES: dict[CampaignAbility, tuple[Permission, bool]] = {
    CampaignAbility.SEE: (Permission.VIEW, False),
    CampaignAbility.MANAGE: (Permission.MANAGE_CAMPAIGNS, True),
    CampaignAbility.SCREEN: (Permission.SCREEN_HOUSEHOLDS, False),
}


def _prefixes(code: str) -> list[str]:
    """``code`` and every code above it: GX0100101 → GX0100101, GX010010, …, GX."""
    return [code[:n] for n in range(len(code), 1, -1)]


def _overlaps(codes: Iterable[str], area_codes: Iterable[str]) -> bool:
    """Whether any scope code and any campaign area code lie on one branch of the tree."""
    area_codes = list(area_codes)
    return any(a.startswith(c) or c.startswith(a) for c in codes for a in area_codes)


def _overlap_q(codes: Iterable[str], prefix: str) -> Q:
    """Q on an area path: the area lies below a scope code, or above one."""
    q = Q(pk__in=[])
    for code in codes:
        q |= Q(**{f"{prefix}code__startswith": code}) | Q(**{f"{prefix}code__in": _prefixes(code)})
    return q


def campaign_codes(campaign: Campaign) -> tuple[str, ...]:
    """The codes of the areas a campaign covers (kept on the campaign for the request)."""
    cached: tuple[str, ...] | None = getattr(campaign, "_area_codes", None)
    if cached is None:
        cached = tuple(
            sorted(
                CampaignArea.objects.filter(campaign=campaign).values_list("area__code", flat=True)
            )
        )
        campaign._area_codes = cached  # type: ignore[attr-defined]
    return cached


def campaigns_visible(
    user: User | None, ability: CampaignAbility = CampaignAbility.SEE
) -> QuerySet[Campaign]:
    """The campaigns on which the user has ``ability``."""
    permission, everywhere = ABILITIES[ability]
    scope = scope_for(user)
    codes = scope.codes(permission)
    if not codes:
        return Campaign.objects.none()
    if scope.is_district_wide(permission):
        return Campaign.objects.all()
    if everywhere:
        # No area of the campaign lies outside the codes.
        inside = Q(pk__in=[])
        for code in codes:
            inside |= Q(area__code__startswith=code)
        outside = CampaignArea.objects.exclude(inside).values("campaign_id")
        return Campaign.objects.exclude(pk__in=outside)
    touching = CampaignArea.objects.filter(_overlap_q(codes, "area__")).values("campaign_id")
    return Campaign.objects.filter(pk__in=touching)


@dataclass(frozen=True)
class CampaignPermissions:
    see: bool
    manage: bool
    screen: bool

    def __getitem__(self, ability: CampaignAbility) -> bool:
        return bool(getattr(self, ability.value))


def campaign_permissions(user: User | None, campaign: Campaign) -> CampaignPermissions:
    """What the user may do with one campaign."""
    scope = scope_for(user)
    area_codes = campaign_codes(campaign)

    def holds(ability: CampaignAbility) -> bool:
        permission, everywhere = ABILITIES[ability]
        codes = scope.codes(permission)
        if everywhere:
            return bool(area_codes) and all(any(a.startswith(c) for c in codes) for a in area_codes)
        return _overlaps(codes, area_codes)

    see = holds(CampaignAbility.SEE)
    return CampaignPermissions(
        see=see,
        manage=see and holds(CampaignAbility.MANAGE),
        screen=see and holds(CampaignAbility.SCREEN),
    )


def require_campaign(user: User | None, campaign: Campaign, ability: CampaignAbility) -> None:
    """NotFound when the campaign is out of sight, PermissionDenied when the role lacks it."""
    permissions = campaign_permissions(user, campaign)
    if not permissions.see:
        raise NotFound()
    if not permissions[ability]:
        raise PermissionDenied()


def sight_q(
    user: User | None,
    campaign: Campaign,
    prefix: str = "area__",
    permission: Permission = Permission.VIEW,
) -> Q:
    """Q on a record's area path (``prefix``, e.g. ``"area__"``): the rows of the campaign's
    areas the user sees (households, residents, visits, records, counters)."""
    codes = scope_for(user).codes(permission)
    area_codes = campaign_codes(campaign)
    kept: list[str] = []
    for a in area_codes:
        for c in codes:
            if a.startswith(c):
                kept.append(a)
            elif c.startswith(a):
                kept.append(c)
    if not kept:
        return Q(pk__in=[])
    q = Q()
    for code in sorted(set(kept)):
        q |= Q(**{f"{prefix}code__startswith": code})
    return q


def counter_codes(user: User | None, campaign: Campaign) -> tuple[str, ...]:
    """The code prefixes of the coverage counters the user sees (for ``area_code`` ranges)."""
    codes = scope_for(user).codes(Permission.VIEW)
    kept: set[str] = set()
    for a in campaign_codes(campaign):
        for c in codes:
            if a.startswith(c):
                kept.add(a)
            elif c.startswith(a):
                kept.add(c)
    return tuple(sorted(kept))


# --- Campaign areas a write names ------------------------------------------------------------


def require_open_over(user: User, areas: Iterable[Area]) -> None:
    """Opening a campaign needs MANAGE_CAMPAIGNS on every area it covers (read in sight)."""
    for area in areas:
        scope_for(user).require(area, Permission.MANAGE_CAMPAIGNS)


# --- Screening one household -------------------------------------------------------------------


def covers_area(campaign: Campaign, area: Area) -> bool:
    return any(area.code.startswith(code) for code in campaign_codes(campaign))


def is_open_on(campaign: Campaign, moment: datetime.datetime, day: datetime.date) -> bool:
    """Open that day: within the period, and not closed before the moment of the visit."""
    if not campaign.starts_on <= day <= campaign.ends_on:
        return False
    return campaign.closed_at is None or moment <= campaign.closed_at


def screening_refusal(
    user: User | None,
    campaign: Campaign,
    household: Household,
    moment: datetime.datetime,
    day: datetime.date,
) -> tuple[int, str] | None:
    """Why ``user`` may not record a visit to ``household`` in ``campaign`` at ``moment`` (on
    ``day``, its local date): (404, …) out of sight, (403, …) the role lacks it, (422, …) the
    campaign does not take it; None when they may."""
    scope = scope_for(user)
    if not scope.covers(household.area, Permission.VIEW):
        return 404, str(NotFound.default_message)
    if not campaign_permissions(user, campaign).see:
        return 404, str(NotFound.default_message)
    if not scope.covers(household.area, Permission.SCREEN_HOUSEHOLDS):
        return 403, _("Your role does not allow screening this household.")
    if not covers_area(campaign, household.area):
        return 422, _("This household is not in an area the campaign covers.")
    if not is_open_on(campaign, moment, day):
        return 422, _(
            "The campaign is not open on %(day)s: it runs from %(start)s to %(end)s%(closed)s."
        ) % {
            "day": day.isoformat(),
            "start": campaign.starts_on.isoformat(),
            "end": campaign.ends_on.isoformat(),
            "closed": _(" and has been closed") if campaign.closed_at else "",
        }
    return None


def require_screen(
    user: User | None,
    campaign: Campaign,
    household: Household,
    moment: datetime.datetime,
    day: datetime.date,
) -> None:
    refusal = screening_refusal(user, campaign, household, moment, day)
    if refusal is None:
        return
    status, message = refusal
    if status == 404:
        raise NotFound()
    if status == 403:
        raise PermissionDenied(message)
    raise ValidationFailed.for_field("visited_at", message, code="campaign_not_open")
