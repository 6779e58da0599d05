"""Who may see and do what in the enterprises app: the one definition every reader asks.

District staff see the enterprises of the areas in their scope, and everything of those
enterprises (filings, daily reports, inspections); an enterprise's own login sees its enterprise
and nothing else. Outside sight a record is not found (404); in sight, an action the role lacks is
refused (403). Who decides a filing is one table, ``FILING_DECIDERS``: the step a filing waits at
and the permission that step needs, from which the queue's condition, the per-filing answer and
the services' check are all derived. Selectors, services, API routes and pages ask here; pages
only to know whether to show a button.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext as _

from dualtrack.areas.models import Area, AreaKind
from dualtrack.areas.scoping import Permission, scope_for
from dualtrack.core.errors import NotFound, PermissionDenied
from dualtrack.core.models import User
from dualtrack.enterprises.models import (
    Enterprise,
    EnterpriseMember,
    EnterpriseSignup,
    FilingStatus,
    Inspection,
    ResumptionFiling,
)

# Who decides a filing: the step it waits at → the permission that step needs. The town's
# officers review (REVIEW_FILINGS); the enterprise-services working group, and whoever else the
# role rules give APPROVE_FILINGS, approve.
FILING_DECIDERS: dict[FilingStatus, Permission] = {
    FilingStatus.TOWN_REVIEW: Permission.REVIEW_FILINGS,
    FilingStatus.GROUP_APPROVAL: Permission.APPROVE_FILINGS,
}


_NO_ENTERPRISE = object()


def enterprise_of_user(user: User | None) -> Enterprise | None:
    """The enterprise an enterprise login belongs to; None for district staff and strangers.
    Read once and kept on the user object for the request, as the scope is: the apps' checks of
    one page (the menu, the home page, each app's sight) ask it many times."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    cached = getattr(user, "_dualtrack_enterprise", None)
    if cached is None:
        member = (
            EnterpriseMember.objects.select_related("enterprise__area").filter(user=user).first()
        )
        cached = member.enterprise if member else _NO_ENTERPRISE
        user._dualtrack_enterprise = cached  # type: ignore[attr-defined]
    return None if cached is _NO_ENTERPRISE else cached  # type: ignore[return-value]


def is_enterprise_login(user: User) -> bool:
    """Whether ``user`` is, or was, an enterprise's login (active or not): such a login holds no
    district role (registered with ``core.platform`` as an outside account)."""
    return EnterpriseMember.objects.filter(user_id=user.pk).exists()


def enterprise_sight(user: User) -> int | None:
    """What besides the role grants decides which enterprises the user sees: the enterprise of
    an enterprise's login (which then sees that one alone), None for everyone else (the wall
    screen's panels, ``core.platform.PanelSight``)."""
    own = enterprise_of_user(user)
    return None if own is None else own.pk


# Sight ----------------------------------------------------------------------------------------


def visible[M: Model](qs: QuerySet[M], *, user: User, enterprise_path: str = "") -> QuerySet[M]:
    """Limit ``qs`` to the rows the user may see; ``enterprise_path`` leads from the model to its
    enterprise (``""`` for enterprises themselves, ``"enterprise__"`` for filings and the like)."""
    own = enterprise_of_user(user)
    if own is not None:
        return qs.filter(**{f"{enterprise_path}pk" if enterprise_path else "pk": own.pk})
    return scope_for(user).filter_by_area(qs, field=f"{enterprise_path}area")


def enterprises_visible(user: User) -> QuerySet[Enterprise]:
    return visible(Enterprise.objects.all(), user=user)


def filings_visible(user: User) -> QuerySet[ResumptionFiling]:
    return visible(ResumptionFiling.objects.all(), user=user, enterprise_path="enterprise__")


def inspections_visible(user: User) -> QuerySet[Inspection]:
    return visible(Inspection.objects.all(), user=user, enterprise_path="enterprise__")


def may_see_enterprise(user: User, enterprise: Enterprise) -> bool:
    """The per-row form of ``visible``."""
    own = enterprise_of_user(user)
    if own is not None:
        return own.pk == enterprise.pk
    return scope_for(user).covers(enterprise.area)


def require_see_enterprise(user: User, enterprise: Enterprise) -> None:
    """An enterprise out of the user's sight is not found."""
    if not may_see_enterprise(user, enterprise):
        raise NotFound()


def towns_visible(user: User, permission: Permission = Permission.VIEW) -> list[Area]:
    """The towns on which the user holds ``permission`` (the figures' and forms' choices); none for
    an enterprise's login, which sees its enterprise alone (as ``visible``)."""
    if enterprise_of_user(user) is not None:
        return []
    scope = scope_for(user)
    return [
        town
        for town in Area.objects.filter(kind=AreaKind.TOWN).order_by("code")
        if scope.covers(town, permission)
    ]


def town_get_for_write(*, user: User, town_id: int, field: str) -> Area:
    """A town a write names, in the user's sight; one out of sight answers as one that does not
    exist (404 naming ``field``)."""
    town = Area.objects.filter(pk=town_id, kind=AreaKind.TOWN).first()
    if town is None or not scope_for(user).covers(town):
        raise NotFound(errors=[{"field": field, "message": str(_("No such town."))}])
    return town


def may_view_personal_data(user: User, enterprise: Enterprise) -> bool:
    """An enterprise sees its own staff's numbers; district staff only with the permission."""
    own = enterprise_of_user(user)
    if own is not None:
        return own.pk == enterprise.pk
    return scope_for(user).covers(enterprise.area, Permission.VIEW_PERSONAL_DATA)


# Who decides a filing ---------------------------------------------------------------------------


def filings_to_decide_q(user: User) -> Q:
    """The filings awaiting this user's decision, as a condition on ResumptionFiling."""
    scope = scope_for(user)
    q = Q(pk__in=[])
    for status, permission in FILING_DECIDERS.items():
        q |= scope.areas_q("enterprise__area__", permission) & Q(status=status)
    return q


def may_decide_filing(user: User, filing: ResumptionFiling) -> bool:
    """Whether the user may take the step the filing waits at (review, or approval)."""
    permission = FILING_DECIDERS.get(FilingStatus(filing.status))
    return permission is not None and scope_for(user).covers(filing.enterprise.area, permission)


def require_decide_filing(user: User, filing: ResumptionFiling) -> None:
    """Out of sight: NotFound; in sight, at a step the user's role does not take: PermissionDenied.
    The caller has checked that the filing waits at a step (it decides on the locked row)."""
    scope_for(user).require(filing.enterprise.area, FILING_DECIDERS[FilingStatus(filing.status)])


# Who decides a sign-up ----------------------------------------------------------------------------

# A town's officers who review filings or manage its enterprises decide its enterprises' sign-ups.
SIGNUP_DECIDERS = (Permission.REVIEW_FILINGS, Permission.MANAGE_ENTERPRISES)


def signups_to_decide_q(user: User) -> Q:
    """The sign-ups this user sees and decides, as a condition on EnterpriseSignup."""
    scope = scope_for(user)
    q = Q(pk__in=[])
    for permission in SIGNUP_DECIDERS:
        q |= scope.areas_q("enterprise__area__", permission)
    return q


def require_decide_signup(user: User, signup: EnterpriseSignup) -> None:
    """Out of sight: NotFound; in sight without a deciding role: PermissionDenied."""
    scope = scope_for(user)
    area = signup.enterprise.area
    if not scope.covers(area):
        raise NotFound()
    if not any(scope.covers(area, permission) for permission in SIGNUP_DECIDERS):
        raise PermissionDenied()


# The district pages and their buttons -----------------------------------------------------------


def require_may_decide_filing(user: User, filing: ResumptionFiling) -> None:
    """The page's decision form is posted only by those it is shown to."""
    if not may_decide_filing(user, filing):
        raise PermissionDenied()


def require_staff(user: User) -> None:
    """The district pages are for staff: an enterprise login has its portal."""
    if enterprise_of_user(user) is not None:
        raise PermissionDenied()


@dataclass(frozen=True)
class RegistryPermissions:
    """What the user may do somewhere in the registry (the registry page's buttons)."""

    manage: bool
    set_phase: bool
    inspect: bool


def registry_permissions(user: User) -> RegistryPermissions:
    scope = scope_for(user)
    return RegistryPermissions(
        manage=bool(scope.codes(Permission.MANAGE_ENTERPRISES)),
        set_phase=scope.is_district_wide(Permission.SET_PHASE),
        inspect=bool(scope.codes(Permission.INSPECT_ENTERPRISES)),
    )


@dataclass(frozen=True)
class EnterprisePermissions:
    """What the user may do to one enterprise in sight."""

    manage: bool
    inspect: bool


def enterprise_permissions(user: User, enterprise: Enterprise) -> EnterprisePermissions:
    scope = scope_for(user)
    return EnterprisePermissions(
        manage=scope.covers(enterprise.area, Permission.MANAGE_ENTERPRISES),
        inspect=scope.covers(enterprise.area, Permission.INSPECT_ENTERPRISES),
    )


def require_manage_somewhere(user: User) -> None:
    if not scope_for(user).codes(Permission.MANAGE_ENTERPRISES):
        raise PermissionDenied()


def require_manage(user: User, enterprise: Enterprise) -> None:
    scope_for(user).require(enterprise.area, Permission.MANAGE_ENTERPRISES)


def require_inspect(user: User, enterprise: Enterprise) -> None:
    scope_for(user).require(enterprise.area, Permission.INSPECT_ENTERPRISES)


def require_set_phase(user: User) -> None:
    if not scope_for(user).is_district_wide(Permission.SET_PHASE):
        raise PermissionDenied()


def require_inspect_somewhere(user: User) -> None:
    """The supervision pages are for those who inspect enterprises somewhere."""
    if not may_inspect(user):
        raise PermissionDenied()


def may_inspect(user: User) -> bool:
    """Whether the user inspects enterprises somewhere (draws samples, records inspections)."""
    return bool(scope_for(user).codes(Permission.INSPECT_ENTERPRISES))


@dataclass(frozen=True)
class RosterReturnRight:
    """The right to record workers' return on the rosters of some enterprises, beyond the
    roster's own (its enterprise's logins, staff who manage it): issued by the app whose rule
    grants it, after checking it, for one user and those enterprises only. The arrival of a
    chartered trip issues one to the receiving checkpoint's staff for the enterprises riding
    (``jobs.transport_access.roster_return_right``)."""

    user_id: int
    enterprise_ids: frozenset[int]

    def require(self, user: User, enterprise: Enterprise) -> None:
        if self.user_id != user.pk or enterprise.pk not in self.enterprise_ids:
            raise PermissionDenied()
