"""Who may see and do what in point-to-point transport and self-travel tickets.

- **Trips** are the district's: the enterprise-services group (``MANAGE_FAIRS``, district-wide)
  plans them, boards them and sees every one with all its riders; an enterprise login sees the
  trips it takes part in and only its own riders; staff who register passages at a trip's
  receiving checkpoint see the trips arriving there with their riders, and check off the arrival
  (which registers the passages there, as their registration). Anyone else: not found (404).
- **Riders** are put on a trip by their enterprise's own logins (its own workers only).
- **Tickets** belong to an enterprise: its own logins upload and confirm them; district-wide
  staff read them all. Anyone else: not found. A ticket's file (it shows the worker's name and
  ID number) opens for the enterprise's own logins and, district-wide, the enterprise-services
  group and staff who may view personal data (others in sight: 403); each opening is audited.
- Unmasked numbers on a manifest: ``VIEW_PERSONAL_DATA`` district-wide, audited.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from dualtrack.areas.scoping import Permission, scope_for
from dualtrack.checkpoints.access import Ability, checkpoint_abilities, checkpoints_q
from dualtrack.core.errors import NotFound, PermissionDenied
from dualtrack.core.models import User
from dualtrack.enterprises.access import RosterReturnRight, enterprise_of_user
from dualtrack.enterprises.models import Enterprise
from dualtrack.jobs.access import may_manage_fairs
from dualtrack.jobs.models import Rider, Ticket, Trip


def _receiving_q(user: User, prefix: str = "") -> Q:
    from dualtrack.checkpoints.models import Checkpoint

    ids = Checkpoint.objects.filter(checkpoints_q(user, Ability.REGISTER)).values("pk")
    return Q(**{f"{prefix}checkpoint__in": ids})


def trips_visible(user: User) -> QuerySet[Trip]:
    if scope_for(user).is_district_wide():
        return Trip.objects.all()
    own = enterprise_of_user(user)
    if own is not None:
        return Trip.objects.filter(enterprises=own)
    return Trip.objects.filter(_receiving_q(user))


def riders_visible(user: User) -> QuerySet[Rider]:
    if scope_for(user).is_district_wide():
        return Rider.objects.all()
    own = enterprise_of_user(user)
    if own is not None:
        return Rider.objects.filter(enterprise=own)
    return Rider.objects.filter(_receiving_q(user, "trip__"))


def may_see_trip(user: User, trip: Trip) -> bool:
    """The per-row form of ``trips_visible``."""
    if scope_for(user).is_district_wide():
        return True
    own = enterprise_of_user(user)
    if own is not None:
        return trip.enterprises.filter(pk=own.pk).exists()
    return checkpoint_abilities(user, trip.checkpoint).register


def may_see_rider(user: User, rider: Rider) -> bool:
    """The per-row form of ``riders_visible``."""
    own = enterprise_of_user(user)
    if own is not None:
        return rider.enterprise_id == own.pk
    return may_see_trip(user, rider.trip)


def require_see_trip(user: User, trip: Trip) -> None:
    if not may_see_trip(user, trip):
        raise NotFound()


def may_plan_trips(user: User) -> bool:
    return may_manage_fairs(user)


def may_manage_trips(user: User) -> bool:
    """Boarding is checked off by the group."""
    return may_manage_fairs(user)


def may_arrive(user: User, trip: Trip) -> bool:
    return checkpoint_abilities(user, trip.checkpoint).register


def require_see_tickets(user: User) -> None:
    if not (scope_for(user).is_district_wide() or enterprise_of_user(user) is not None):
        raise NotFound()


def require_see_trips(user: User) -> None:
    """The trips' pages: staff with a grant and enterprise logins (each sees what is theirs)."""
    if not (scope_for(user).codes() or enterprise_of_user(user) is not None):
        raise NotFound()


def require_plan_trips(user: User) -> None:
    """Out of sight (no grant, no enterprise): NotFound; in sight without the role: 403."""
    require_see_trips(user)
    if not may_manage_fairs(user):
        raise PermissionDenied()


def require_manage_trip(user: User, trip: Trip) -> None:
    require_see_trip(user, trip)
    if not may_manage_fairs(user):
        raise PermissionDenied()


def require_arrive_trip(user: User, trip: Trip) -> None:
    require_see_trip(user, trip)
    if not checkpoint_abilities(user, trip.checkpoint).register:
        raise PermissionDenied()


def roster_return_right(user: User, trip: Trip) -> RosterReturnRight:
    """Who checks a trip's arrival off (the receiving checkpoint's staff) records its riders'
    return on the rosters of the enterprises riding it, and no other: the right, once checked."""
    require_arrive_trip(user, trip)
    return RosterReturnRight(user.pk, frozenset(trip.enterprises.values_list("pk", flat=True)))


def require_add_rider(user: User, trip: Trip, enterprise: Enterprise) -> None:
    """Only the enterprise's own logins put its workers on a trip it takes part in."""
    require_see_trip(user, trip)
    own = enterprise_of_user(user)
    if own is None or own.pk != enterprise.pk:
        raise PermissionDenied()


def may_unmask(user: User) -> bool:
    """Whether a manifest shows the numbers of the riders in sight: an enterprise its own
    riders'; staff with ``VIEW_PERSONAL_DATA`` district-wide."""
    if enterprise_of_user(user) is not None:
        return True
    return scope_for(user).is_district_wide(Permission.VIEW_PERSONAL_DATA)


# Tickets ---------------------------------------------------------------------------------------


def tickets_visible(user: User) -> QuerySet[Ticket]:
    if scope_for(user).is_district_wide():
        return Ticket.objects.all()
    own = enterprise_of_user(user)
    if own is not None:
        return Ticket.objects.filter(enterprise=own)
    return Ticket.objects.none()


def may_see_ticket(user: User, ticket: Ticket) -> bool:
    if scope_for(user).is_district_wide():
        return True
    own = enterprise_of_user(user)
    return own is not None and own.pk == ticket.enterprise_id


def _district_opens_ticket_files(user: User) -> bool:
    scope = scope_for(user)
    return scope.is_district_wide(Permission.MANAGE_FAIRS) or scope.is_district_wide(
        Permission.VIEW_PERSONAL_DATA
    )


def may_open_ticket_file(user: User, ticket: Ticket) -> bool:
    own = enterprise_of_user(user)
    if own is not None:
        return own.pk == ticket.enterprise_id
    return _district_opens_ticket_files(user)


def may_open_ticket_files(user: User) -> bool:
    """Whether the tickets page links their files: an enterprise's own, or district staff's."""
    return enterprise_of_user(user) is not None or _district_opens_ticket_files(user)


def require_open_ticket_file(user: User, ticket: Ticket) -> None:
    if not may_see_ticket(user, ticket):
        raise NotFound()
    if not may_open_ticket_file(user, ticket):
        raise PermissionDenied()


def require_ticket_owner(user: User, enterprise: Enterprise | None) -> Enterprise:
    """The enterprise login's own enterprise; staff in sight: 403; anyone else: 404."""
    own = enterprise_of_user(user)
    if own is not None and (enterprise is None or own.pk == enterprise.pk):
        return own
    if own is None and scope_for(user).is_district_wide():
        raise PermissionDenied()
    raise NotFound()
