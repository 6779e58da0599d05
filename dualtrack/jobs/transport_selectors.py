"""Reads of trips, riders and tickets, always scoped by ``transport_access``."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from dualtrack.checkpoints.access import checkpoints_q
from dualtrack.checkpoints.models import Checkpoint
from dualtrack.checkpoints.selectors.checkpoints import checkpoint_get_for
from dualtrack.core.crypto import lookup_digest
from dualtrack.core.errors import NotFound, ValidationFailed
from dualtrack.core.models import User
from dualtrack.enterprises.access import enterprise_of_user
from dualtrack.enterprises.models import Employee, Enterprise
from dualtrack.enterprises.selectors import employee_get_for
from dualtrack.jobs import transport_access as access
from dualtrack.jobs.models import Applicant, Application, Rider, Ticket, Trip


def trip_list_for(*, user: User) -> QuerySet[Trip]:
    return (
        access.trips_visible(user)
        .select_related("checkpoint__area")
        .prefetch_related("enterprises")
        .order_by("-date", "-id")
    )


def trip_get_for(*, user: User, trip_id: int) -> Trip:
    trip = Trip.objects.select_related("checkpoint__area").filter(pk=trip_id).first()
    if trip is None or not access.may_see_trip(user, trip):
        raise NotFound()
    return trip


def riders_of(*, user: User, trip: Trip) -> QuerySet[Rider]:
    return access.riders_visible(user).filter(trip=trip).order_by("id")


def rider_get_for(*, user: User, rider_id: int) -> Rider:
    rider = (
        Rider.objects.select_related("trip__checkpoint__area", "enterprise__area")
        .filter(pk=rider_id)
        .first()
    )
    if rider is None or not access.may_see_rider(user, rider):
        raise NotFound()
    return rider


def trip_targets(
    *, user: User, checkpoint_id: int, enterprise_ids: list[int]
) -> tuple[Checkpoint, list[Enterprise]]:
    """The receiving checkpoint and the enterprises of a trip being planned (the planner's
    right first: a role in sight without it is refused before anything is looked up)."""
    access.require_plan_trips(user)
    checkpoint = checkpoint_get_for(user=user, checkpoint_id=checkpoint_id)
    enterprises = list(Enterprise.objects.filter(pk__in=enterprise_ids))
    if len(enterprises) != len(set(enterprise_ids)):
        raise NotFound()
    return checkpoint, enterprises


def own_enterprise(*, user: User, enterprise_id: int | None) -> Enterprise:
    own = enterprise_of_user(user)
    if own is not None and enterprise_id in (None, own.pk):
        return own
    if own is None and enterprise_id is not None:
        # Staff in sight get the service's 403; the enterprise must exist.
        found = Enterprise.objects.select_related("area").filter(pk=enterprise_id).first()
        if found is not None:
            return found
    raise NotFound()


def ticket_list_for(*, user: User) -> QuerySet[Ticket]:
    return access.tickets_visible(user).order_by("-id")


def ticket_get_for(*, user: User, ticket_id: int) -> Ticket:
    ticket = Ticket.objects.select_related("enterprise__area").filter(pk=ticket_id).first()
    if ticket is None or not access.may_see_ticket(user, ticket):
        raise NotFound()
    return ticket


def tickets_of_worker(*, applicant: Applicant) -> QuerySet[Ticket]:
    """The tickets of the roster rows a job seeker's own hires added (their personal link's
    page). Only a hire ties a link to a roster row: an ID number typed into an application
    proves nothing, so it never finds a ticket by itself."""
    hired = Application.objects.filter(applicant=applicant, employee__isnull=False)
    return Ticket.objects.filter(employee__in=hired.values("employee")).order_by("-id")


def ticket_of_worker(*, applicant: Applicant, ticket_id: int) -> Ticket:
    ticket = (
        tickets_of_worker(applicant=applicant)
        .select_related("enterprise__area")
        .filter(pk=ticket_id)
        .first()
    )
    if ticket is None:
        raise NotFound()
    return ticket


def roster_employee(*, user: User, employee_id: int) -> Employee:
    return employee_get_for(user=user, employee_id=employee_id)


def roster_employee_by_id_number(*, user: User, id_number: str) -> Employee:
    """A worker on the enterprise login's own roster, by ID number; refused on the field when
    the number is not on it (the enterprise confirms the worker works there)."""
    own = enterprise_of_user(user)
    if own is None:
        access.require_ticket_owner(user, None)
        raise NotFound()
    digest = lookup_digest(id_number.strip().upper())
    employee = own.employees.filter(id_number_digest=digest).first()
    if employee is None:
        raise ValidationFailed.for_field(
            "id_number",
            _("No worker with this ID number is on your roster."),
            code="not_on_roster",
        )
    return employee


def checkpoint_options(*, user: User) -> list[tuple[int, str]]:
    rows = Checkpoint.objects.filter(checkpoints_q(user)).select_related("area").order_by("name")
    return [(c.pk, f"{c.name}（{c.area.name}）") for c in rows[:500]]
