"""Reads of the front line, always through the user's sight (``access``)."""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language, pgettext

from dualtrack.areas.models import Area as Area  # re-exported: the pages name the type
from dualtrack.areas.models import AreaKind
from dualtrack.areas.selectors import area_options_for
from dualtrack.checkpoints.selectors.checkpoints import shift_list_in_area_for
from dualtrack.checkpoints.services.registry import MAX_SHIFT
from dualtrack.core.errors import NotFound
from dualtrack.core.models import User
from dualtrack.volunteers import access, roster
from dualtrack.volunteers.models import (
    AssignmentStatus,
    CommandoTeam,
    Deployment,
    Duty,
    DutyAssignment,
    DutyKind,
    PartyBranch,
    Volunteer,
)

PAGE = 50


@dataclass
class Page:
    items: list[Any]
    next_after: int | None


def _page(qs: QuerySet[Any], after: int | None, size: int = PAGE) -> Page:
    """A keyset page, newest first: ``after`` is the last id of the page before."""
    if after:
        qs = qs.filter(pk__lt=after)
    items = list(qs.order_by("-pk")[: size + 1])
    more = len(items) > size
    items = items[:size]
    return Page(items, items[-1].pk if more and items else None)


def _get(qs: QuerySet[Any], pk: int) -> Any:
    found = qs.filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


# --- Branches, teams, deployments -------------------------------------------------------------


def branch_page_for(*, user: User, after: int | None = None) -> Page:
    return _page(access.branches_visible(user).select_related("area", "checkpoint"), after)


def branch_get_for(*, user: User, branch_id: int) -> PartyBranch:
    qs = access.branches_visible(user).select_related("area", "checkpoint")
    branch: PartyBranch = _get(qs.prefetch_related("members"), branch_id)
    return branch


def team_page_for(*, user: User, after: int | None = None) -> Page:
    return _page(access.teams_visible(user).select_related("area"), after)


def team_get_for(*, user: User, team_id: int) -> CommandoTeam:
    team: CommandoTeam = _get(access.teams_visible(user).select_related("area"), team_id)
    return team


def deployment_page_for(*, user: User, after: int | None = None) -> Page:
    qs = access.deployments_visible(user).select_related("area", "cadre", "leader")
    return _page(qs, after)


def deployment_get_for(*, user: User, deployment_id: int) -> Deployment:
    qs = access.deployments_visible(user).select_related("area", "cadre", "leader")
    deployment: Deployment = _get(qs, deployment_id)
    return deployment


OPTIONS = 500


def manage_area_options_for(*, user: User) -> list[tuple[int, str]]:
    """The towns, villages and communities where the user founds branches, forms teams and
    sends cadres (a form's select, in tree order, bounded)."""
    areas = area_options_for(user=user, permission=access.MANAGE)[:OPTIONS]
    return [(a.pk, a.name) for a in areas]


def checkpoint_options_for(*, user: User) -> list[tuple[int, str]]:
    """The checkpoints in sight in the areas the user manages (by area, then name; bounded)."""
    from dualtrack.checkpoints.selectors.checkpoints import checkpoint_list_for

    gates = (
        checkpoint_list_for(user=user)
        .filter(access.manage_areas_q(user))
        .order_by("area__code", "name")[:OPTIONS]
    )
    return [(g.pk, f"{g.name} · {g.area.name}") for g in gates]


def cadre_options_for(*, user: User) -> list[tuple[int, str]]:
    """The cadres in the user's scope, a page of them (the first MAX_PAGE_SIZE by id)."""
    from dualtrack.areas.selectors import cadre_names_for
    from dualtrack.core.selectors import MAX_PAGE_SIZE

    return [
        (pk, f"{name} · {area}" if area is not None else name)
        for pk, name, area in cadre_names_for(user=user, limit=MAX_PAGE_SIZE)
    ]


# --- Volunteers -------------------------------------------------------------------------------


def volunteer_page_for(*, user: User, status: str = "", after: int | None = None) -> Page:
    qs = access.volunteers_visible(user).prefetch_related("villages")
    if status:
        qs = qs.filter(status=status)
    return _page(qs, after)


def volunteer_get_for(*, user: User, volunteer_id: int) -> Volunteer:
    qs = access.volunteers_visible(user).prefetch_related("villages")
    volunteer: Volunteer = _get(qs, volunteer_id)
    return volunteer


def sign_up_village_options() -> QuerySet[Area]:
    """The villages and communities the public page offers (names only, in tree order)."""
    return Area.objects.filter(kind__in=(AreaKind.VILLAGE, AreaKind.COMMUNITY)).order_by("code")


# --- Duties -----------------------------------------------------------------------------------


def duty_get_for(*, user: User, duty_id: int) -> Duty:
    qs = access.duties_visible(user).select_related("area", "shift__checkpoint")
    duty: Duty = _get(qs, duty_id)
    return duty


def assignment_get_for(*, user: User, assignment_id: int) -> DutyAssignment:
    assignment = (
        DutyAssignment.objects.filter(pk=assignment_id)
        .select_related("duty__area", "duty__shift__checkpoint")
        .first()
    )
    if assignment is None or not access.may_see_duty(user, assignment.duty):
        raise NotFound()
    return assignment


def my_assignments(*, user: User, since: datetime.datetime | None = None) -> list[DutyAssignment]:
    """The duties the user is put on, from ``since`` (a day ago) on, in time order."""
    keys = access.person_keys_of(user)
    if not keys:
        return []
    since = since or timezone.now() - datetime.timedelta(days=1)
    return list(
        DutyAssignment.objects.filter(person_key__in=keys, ends_at__gt=since)
        .select_related("duty__area", "duty__shift__checkpoint")
        .order_by("starts_at")[:100]
    )


def roster_area_options_for(*, user: User) -> QuerySet[Area]:
    """The towns, villages and communities whose roster the user may read, in tree order."""
    kinds = (AreaKind.TOWN, AreaKind.VILLAGE, AreaKind.COMMUNITY)
    return (
        Area.objects.filter(access.areas_q(user, path=""), kind__in=kinds)
        .defer("geometry")
        .order_by("code")
    )


def duty_area_options_for(*, user: User) -> QuerySet[Area]:
    return area_options_for(user=user, permission=access.MANAGE).filter(
        kind__in=(AreaKind.VILLAGE, AreaKind.COMMUNITY)
    )


@dataclass(frozen=True)
class _RosterWords:
    statuses: dict[str, str]
    person: str  # a person and their status: 张三（已确认）, Zhang San (confirmed)
    separator: str  # between the people: 、 in Chinese, a comma in English


@functools.lru_cache(maxsize=8)
def _roster_words(language: str | None) -> _RosterWords:
    return _RosterWords(
        statuses={value: str(label) for value, label in AssignmentStatus.choices},
        person=pgettext("roster: a person and their status", "%(name)s (%(status)s)"),
        separator=pgettext("list", ", "),
    )


@dataclass
class RosterEntry:
    """One line of a roster: a shift or a community duty, with everyone on it."""

    kind: str
    title: str
    area: Area
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    shift_id: int | None
    duty: Duty | None
    staff: list[str] = field(default_factory=list)  # the gate's own staff on the shift
    assignments: list[DutyAssignment] = field(default_factory=list)

    @property
    def needed(self) -> int:
        return self.duty.needed if self.duty else roster.DEFAULT_SHIFT_NEEDED

    @property
    def people(self) -> int:
        present = [a for a in self.assignments if a.status != AssignmentStatus.ABSENT]
        return len(self.staff) + len(present)

    @property
    def short(self) -> bool:
        return roster.is_short(needed=self.needed, people=self.people)

    def names(self) -> list[str]:
        """The gate's staff, then each person put on it with their status."""
        words = _roster_words(get_language())
        return self.staff + [
            words.person % {"name": a.name, "status": words.statuses.get(a.status, a.status)}
            for a in self.assignments
        ]

    # The page's text, made here once rather than through template filters row by row.
    @property
    def names_text(self) -> str:
        return _roster_words(get_language()).separator.join(self.names())

    @property
    def starts_text(self) -> str:
        return timezone.localtime(self.starts_at).strftime("%m-%d %H:%M")

    @property
    def ends_text(self) -> str:
        return timezone.localtime(self.ends_at).strftime("%m-%d %H:%M")


def week_bounds(start: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    first = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))
    return first, timezone.make_aware(
        datetime.datetime.combine(start + datetime.timedelta(days=7), datetime.time.min)
    )


# Fifty shifts a page: a town's week at ten times the demo is about 8,000 shifts, read a page at
# a time with their people (the page renders in well under the 100 ms it is allowed).
ROSTER_PAGE = 50
COMMUNITY_PER_PAGE = 200
# What a roster line reads of a shift, its gate and area, and of the gate's staff.
SHIFT_COLUMNS = (
    "id",
    "starts_at",
    "ends_at",
    "checkpoint__id",
    "checkpoint__name",
    "checkpoint__area__id",
    "checkpoint__area__name",
    "checkpoint__area__code",
)
STAFF_COLUMNS = ("id", "username", "display_name")


@dataclass
class RosterPage:
    entries: list[RosterEntry]
    next_after: int | None  # the page's last shift, for ``after``


def roster_page_for(
    *,
    user: User,
    area: Area,
    start: datetime.datetime,
    end: datetime.datetime,
    after: int | None = None,
    size: int = ROSTER_PAGE,
) -> RosterPage:
    """One page of an area's roster for start–end: the next ``size`` checkpoint shifts below
    ``area`` in time order (keyset ``after`` the last one's start and id), each with its
    people, and the community duties starting within the page's span, in time order (a
    town's week: the roster page, the API and the export)."""
    access.require_area(user, area)
    # A shift lasts at most MAX_SHIFT: one overlapping the week started at most that long
    # before it. The lower bound lets the (starts_at, id) index walk the page and stop.
    qs = (
        shift_list_in_area_for(user=user, area=area, start=start, end=end)
        .filter(starts_at__gte=start - MAX_SHIFT)
        .only(*SHIFT_COLUMNS)
        .prefetch_related(None)
        .prefetch_related(Prefetch("staff", queryset=User.objects.only(*STAFF_COLUMNS)))
    )
    lower = None
    if after is not None:
        lower = qs.filter(pk=after).values_list("starts_at", flat=True).first()
        if lower is None:
            raise NotFound(errors=[{"field": "after", "message": str(NotFound.default_message)}])
        qs = qs.filter(starts_at__gte=lower).filter(
            Q(starts_at__gt=lower) | Q(starts_at=lower, pk__gt=after)
        )
    shifts = list(qs[: size + 1])
    more = len(shifts) > size
    shifts = shifts[:size]
    upper = shifts[-1].starts_at if more else None
    people = Prefetch("assignments", queryset=DutyAssignment.objects.order_by("id"))
    community = Q(
        kind=DutyKind.COMMUNITY,
        area__code__startswith=area.code,
        starts_at__lt=end,
        ends_at__gt=start,
    ) & access.areas_q(user)
    if lower is not None:
        community &= Q(starts_at__gt=lower)
    if upper is not None:
        community &= Q(starts_at__lte=upper)
    # The shifts' duties (one a shift at most) and the community duties within the page's
    # span, in one query, and everyone on them in one more.
    duties = list(
        Duty.objects.filter(Q(shift_id__in=[s.pk for s in shifts]) | community)
        .select_related("area")
        .prefetch_related(people)
        .order_by(F("shift_id").asc(nulls_last=True), "starts_at", "id")[
            : len(shifts) + COMMUNITY_PER_PAGE
        ]
    )
    by_shift = {d.shift_id: d for d in duties if d.shift_id}
    entries = [
        RosterEntry(
            kind=DutyKind.SHIFT,
            title=s.checkpoint.name,
            area=s.checkpoint.area,
            starts_at=s.starts_at,
            ends_at=s.ends_at,
            shift_id=s.pk,
            duty=by_shift.get(s.pk),
            staff=[u.display_name or u.username for u in s.staff.all()],
            assignments=list(by_shift[s.pk].assignments.all()) if s.pk in by_shift else [],
        )
        for s in shifts
    ]
    entries += [
        RosterEntry(
            kind=DutyKind.COMMUNITY,
            title=d.title,
            area=d.area,
            starts_at=d.starts_at,
            ends_at=d.ends_at,
            shift_id=None,
            duty=d,
            assignments=list(d.assignments.all()),
        )
        for d in duties
        if d.kind == DutyKind.COMMUNITY
    ]
    entries.sort(key=lambda e: (e.starts_at, e.title))
    return RosterPage(entries, shifts[-1].pk if more else None)


def roster_shift_count(
    *,
    user: User,
    area: Area,
    start: datetime.datetime,
    end: datetime.datetime,
    limit: int,
) -> int:
    """How many checkpoint shifts the roster of ``area`` holds for start–end, counted up to
    ``limit`` + 1 (a bounded count: enough to tell a small week from a large one)."""
    access.require_area(user, area)
    qs = shift_list_in_area_for(user=user, area=area, start=start, end=end).filter(
        starts_at__gte=start - MAX_SHIFT
    )
    return qs.order_by().values("pk")[: limit + 1].count()


def people_options_for_duty(*, user: User, duty: Duty) -> list[tuple[str, str]]:
    """Whom a roster may put on ``duty``: approved volunteers serving its village, the cadres
    posted or sent there, and the party members of its branches ("kind:id", label); bounded."""
    from dualtrack.areas.selectors import cadre_list_for
    from dualtrack.volunteers.models import BranchMember, PersonKind, VolunteerStatus

    code = duty.area.code
    options: list[tuple[str, str]] = []
    volunteers = (
        access.volunteers_visible(user)
        .filter(status=VolunteerStatus.APPROVED, villages__code__startswith=code)
        .distinct()
        .order_by("name")[:200]
    )
    volunteer_label = str(PersonKind.VOLUNTEER.label)
    options += [(f"volunteer:{v.pk}", f"{v.name} · {volunteer_label}") for v in volunteers]
    cadre_label = str(PersonKind.CADRE.label)
    for cadre in cadre_list_for(user=user, area_id=duty.area_id, limit=200):
        options.append((f"cadre:{cadre.pk}", f"{cadre.name} · {cadre_label}"))
    member_label = str(PersonKind.PARTY_MEMBER.label)
    members = BranchMember.objects.filter(
        branch__in=access.branches_visible(user), branch__area__code__startswith=code
    ).order_by("name")[:200]
    options += [(f"party_member:{m.pk}", f"{m.name} · {member_label}") for m in members]
    return options
