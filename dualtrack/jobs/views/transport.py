"""Point-to-point transport pages (/employment/transport/…): the trips, planning one (the
group), a trip's page on a phone (riders and their declarations, boarding, arrival, the
manifest), and self-travel tickets."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dualtrack.core.errors import DomainError, NotFound, PermissionDenied
from dualtrack.core.forms import add_domain_error
from dualtrack.core.views import AuthenticatedRequest, domain_errors_as_http
from dualtrack.enterprises.access import enterprise_of_user
from dualtrack.jobs import transport_access as access
from dualtrack.jobs import transport_selectors as selectors
from dualtrack.jobs.downloads import attachment
from dualtrack.jobs.models import Trip, TripStatus
from dualtrack.jobs.services import tickets, transport
from dualtrack.jobs.transport_forms import RiderForm, TicketForm, TripForm
from dualtrack.jobs.views.manage import _enterprises_by_codes


def _said(request: AuthenticatedRequest, step: Callable[[], object]) -> None:
    """Take a one-button step; a refusal is said on the page it returns to."""
    try:
        step()
    except (NotFound, PermissionDenied):
        raise
    except DomainError as exc:
        details = [e["message"] for e in exc.errors]
        messages.error(request, "；".join(details) if details else str(exc.message))


@require_GET
@login_required
@domain_errors_as_http
def trip_list(request: AuthenticatedRequest) -> HttpResponse:
    access.require_see_trips(request.user)
    trips = list(selectors.trip_list_for(user=request.user)[:200])
    own = enterprise_of_user(request.user)
    context = {
        "trips": trips,
        "may_plan": access.may_plan_trips(request.user),
        "is_enterprise": own is not None,
    }
    return render(request, "jobs/trip_list.html", context)


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def trip_new(request: AuthenticatedRequest) -> HttpResponse:
    access.require_plan_trips(request.user)
    form = TripForm(
        request.POST or None, checkpoints=selectors.checkpoint_options(user=request.user)
    )
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            values = dict(form.cleaned_data)
            try:
                enterprises = _enterprises_by_codes(request, values.pop("credit_codes"))
                checkpoint, _none = selectors.trip_targets(
                    user=request.user, checkpoint_id=values.pop("checkpoint"), enterprise_ids=[]
                )
                trip = transport.trip_plan(
                    actor=request.user, checkpoint=checkpoint, enterprises=enterprises, **values
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                return redirect("employment_trip", trip.pk)
    return render(request, "jobs/trip_form.html", {"form": form}, status=status)


def _trip_page(
    request: AuthenticatedRequest, trip: Trip, form: RiderForm | None, status: int = 200
) -> HttpResponse:
    own = enterprise_of_user(request.user)
    may_add = (
        own is not None
        and trip.status == TripStatus.PLANNED
        and trip.enterprises.filter(pk=own.pk).exists()
    )
    context = {
        "trip": trip,
        "riders": list(
            selectors.riders_of(user=request.user, trip=trip).select_related("enterprise")
        ),
        "form": (form or RiderForm()) if may_add else None,
        "may_board": access.may_manage_trips(request.user) and trip.status != TripStatus.ARRIVED,
        "may_arrive": access.may_arrive(request.user, trip) and trip.status == TripStatus.BOARDING,
    }
    return render(request, "jobs/trip_detail.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def trip_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    trip = selectors.trip_get_for(user=request.user, trip_id=pk)
    if request.method != "POST":
        return _trip_page(request, trip, None)
    form = RiderForm(request.POST)
    if form.is_valid():
        try:
            transport.rider_add(
                actor=request.user,
                trip=trip,
                enterprise=selectors.own_enterprise(user=request.user, enterprise_id=None),
                **form.cleaned_data,
            )
        except DomainError as exc:
            add_domain_error(form, exc)
            return _trip_page(request, trip, form, status=exc.status)
        return redirect("employment_trip", trip.pk)
    return _trip_page(request, trip, form, status=422)


@require_POST
@login_required
@domain_errors_as_http
def rider_board(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    rider = selectors.rider_get_for(user=request.user, rider_id=pk)
    _said(request, lambda: transport.rider_board(actor=request.user, rider=rider))
    return redirect("employment_trip", rider.trip_id)


@require_POST
@login_required
@domain_errors_as_http
def trip_arrive(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    trip = selectors.trip_get_for(user=request.user, trip_id=pk)
    _said(request, lambda: transport.trip_arrive(actor=request.user, trip=trip))
    return redirect("employment_trip", trip.pk)


def _tickets_page(
    request: AuthenticatedRequest, form: TicketForm | None, status: int = 200
) -> HttpResponse:
    own = enterprise_of_user(request.user)
    context = {
        "tickets": list(
            selectors.ticket_list_for(user=request.user).select_related("employee", "enterprise")[
                :200
            ]
        ),
        "form": (form or TicketForm()) if own is not None else None,
        "may_open_files": access.may_open_ticket_files(request.user),
    }
    return render(request, "jobs/ticket_list.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def ticket_list(request: AuthenticatedRequest) -> HttpResponse:
    access.require_see_tickets(request.user)
    if request.method != "POST":
        return _tickets_page(request, None)
    form = TicketForm(request.POST, request.FILES)
    if form.is_valid():
        values = dict(form.cleaned_data)
        try:
            employee = selectors.roster_employee_by_id_number(
                user=request.user, id_number=values.pop("id_number")
            )
            tickets.ticket_upload(actor=request.user, employee=employee, **values)
        except DomainError as exc:
            add_domain_error(form, exc)
            return _tickets_page(request, form, status=exc.status)
        return redirect("employment_tickets")
    return _tickets_page(request, form, status=422)


@require_POST
@login_required
@domain_errors_as_http
def ticket_confirm(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    ticket = selectors.ticket_get_for(user=request.user, ticket_id=pk)
    _said(request, lambda: tickets.ticket_confirm(actor=request.user, ticket=ticket))
    return redirect("employment_tickets")


@require_GET
@login_required
@domain_errors_as_http
def ticket_file(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The ticket's file as an attachment (audited)."""
    ticket = selectors.ticket_get_for(user=request.user, ticket_id=pk)
    return attachment(tickets.ticket_file_open(actor=request.user, ticket=ticket))


urlpatterns: list[URLPattern] = [
    path("employment/transport/", trip_list, name="employment_trips"),
    path("employment/transport/new/", trip_new, name="employment_trip_new"),
    path("employment/transport/<int:pk>/", trip_detail, name="employment_trip"),
    path("employment/transport/<int:pk>/arrive/", trip_arrive, name="employment_trip_arrive"),
    path("employment/transport/riders/<int:pk>/board/", rider_board, name="employment_rider_board"),
    path("employment/transport/tickets/", ticket_list, name="employment_tickets"),
    path(
        "employment/transport/tickets/<int:pk>/confirm/",
        ticket_confirm,
        name="employment_ticket_confirm",
    ),
    path("employment/transport/tickets/<int:pk>/file/", ticket_file, name="employment_ticket_file"),
]
