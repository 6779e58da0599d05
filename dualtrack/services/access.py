"""Who may see and do what in the government services: the one definition every reader asks.

- **The catalogue** (matters, counters, free slots) is public: anyone reads it, without an
  account. The district administrator keeps it (matters, departments, counters, holidays).
- **A department's clerks** hold the services clerk's role over an area (the district, a town)
  and are on the staff of departments of that area: their grant counts only at those
  departments (a clerk moved off a department's staff, or whose grant is withdrawn, no longer
  sees its requests). Only such holders are put on a department's staff.
- **A request** is seen by the clerks of its matter's department, by staff whose area covers the
  department's area (a district-wide grant sees every department's; a town officer their
  town's departments'), and by the enterprise login that filed it (its own requests only).
  Only the department's staff and the district administrator handle it (others in sight: 403).
- **Slots and a counter's queue** are kept by the counter's department's staff (and the
  district administrator); others in sight of the department only read the queue.
- **A resident** has no account: they see their own request or appointment through its
  personal link, nothing else.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from dualtrack.areas.models import Area
from dualtrack.areas.scoping import Permission, scope_for
from dualtrack.core.errors import NotFound, PermissionDenied
from dualtrack.core.models import User
from dualtrack.enterprises.access import enterprise_of_user
from dualtrack.enterprises.models import Enterprise
from dualtrack.services.models import Counter, Department, ServiceRequest


def is_catalogue_keeper(user: User) -> bool:
    """The district administrator keeps the catalogue, the departments and the calendar."""
    return scope_for(user).is_district_wide(Permission.MANAGE_ORGANISATION)


def require_keep_catalogue(user: User) -> None:
    if not scope_for(user).codes():
        raise NotFound()
    if not is_catalogue_keeper(user):
        raise PermissionDenied()


# Departments ----------------------------------------------------------------------------------


def clerk_of_q(user: User, prefix: str = "") -> Q:
    """The departments the user is a clerk of: on their staff, with a clerk's grant over their
    area."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    grant = scope_for(user).areas_q(
        f"{prefix}area__", permission=Permission.HANDLE_SERVICE_REQUESTS
    )
    return Q(**{f"{prefix}staff": user}) & grant


def may_join_staff(user: User, area: Area) -> bool:
    """Whether ``user`` may be put on the staff of a department of ``area``."""
    return scope_for(user).covers(area, Permission.HANDLE_SERVICE_REQUESTS)


def departments_in_sight_q(user: User, prefix: str = "") -> Q:
    """The departments whose requests and queues the user sees, as a condition."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    return clerk_of_q(user, prefix) | scope_for(user).areas_q(f"{prefix}area__")


def departments_handled_q(user: User, prefix: str = "") -> Q:
    """The departments whose requests and slots the user handles."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    if is_catalogue_keeper(user):
        return Q()
    return clerk_of_q(user, prefix)


def may_see_department(user: User, department: Department) -> bool:
    return Department.objects.filter(departments_in_sight_q(user), pk=department.pk).exists()


def may_handle_department(user: User, department: Department) -> bool:
    return Department.objects.filter(departments_handled_q(user), pk=department.pk).exists()


def handles_somewhere(user: User) -> bool:
    """Whether the user handles some department's requests (the "record a call" button)."""
    return Department.objects.filter(departments_handled_q(user)).exists()


def require_handle_department(user: User, department: Department) -> None:
    if not may_see_department(user, department):
        raise NotFound()
    if not may_handle_department(user, department):
        raise PermissionDenied()


# Requests -------------------------------------------------------------------------------------


def requests_visible(user: User) -> QuerySet[ServiceRequest]:
    own = enterprise_of_user(user)
    if own is not None:
        return ServiceRequest.objects.filter(enterprise=own)
    if not user.is_authenticated:
        return ServiceRequest.objects.none()
    departments = Department.objects.filter(departments_in_sight_q(user)).values("pk")
    return ServiceRequest.objects.filter(matter__department__in=departments)


def may_see_request(user: User, request: ServiceRequest) -> bool:
    """The per-row form of ``requests_visible``."""
    own = enterprise_of_user(user)
    if own is not None:
        return request.enterprise_id == own.pk
    return may_see_department(user, request.matter.department)


def may_handle_request(user: User, request: ServiceRequest) -> bool:
    if enterprise_of_user(user) is not None:
        return False
    return may_handle_department(user, request.matter.department)


def require_handle_request(user: User, request: ServiceRequest) -> None:
    """Out of sight: NotFound; in sight without the role: PermissionDenied."""
    if not may_see_request(user, request):
        raise NotFound()
    if not may_handle_request(user, request):
        raise PermissionDenied()


def require_see_requests(user: User) -> None:
    """The request list: staff with a grant or a department, and enterprise logins."""
    if enterprise_of_user(user) is not None:
        return
    if not scope_for(user).codes() and not Department.objects.filter(clerk_of_q(user)).exists():
        raise NotFound()


# Counters and their queues --------------------------------------------------------------------


def counters_in_sight(user: User) -> QuerySet[Counter]:
    return Counter.objects.filter(departments_in_sight_q(user, "department__")).distinct()


def require_see_counter(user: User, counter: Counter) -> None:
    if enterprise_of_user(user) is not None or not may_see_department(user, counter.department):
        raise NotFound()


def require_keep_counter(user: User, counter: Counter) -> None:
    require_see_counter(user, counter)
    if not may_handle_department(user, counter.department):
        raise PermissionDenied()


def require_enterprise_login(user: User) -> Enterprise:
    """The enterprise a login files for; staff file nothing of an enterprise's (403)."""
    own = enterprise_of_user(user)
    if own is None:
        raise PermissionDenied()
    return own
