"""The public pages (/services/…), open without an account, made for a phone: the catalogue,
filing a request online or by post, following and rating it by its personal link, booking an
appointment and moving or cancelling it by its personal link. Every page is rate-limited per
client address (``services.throttle``)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dualtrack.core.errors import DomainError
from dualtrack.core.forms import add_domain_error
from dualtrack.core.views import domain_errors_as_http
from dualtrack.services import selectors, throttle
from dualtrack.services.forms import ApplyForm, BookForm, RatingForm, RescheduleForm
from dualtrack.services.models import BookingStatus, Channel, ServiceRequestStatus
from dualtrack.services.services import bookings, requests
from dualtrack.services.services.calendar import days_left_while_paused

TOO_MANY = "services/public_too_many.html"


def _too_many(request: HttpRequest) -> HttpResponse:
    return render(request, TOO_MANY, {}, status=429)


@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    if not throttle.allow(request):
        return _too_many(request)
    context = {
        "matters": list(selectors.matter_list()[:500]),
        "counters": list(selectors.counter_list()[:200]),
    }
    return render(request, "services/public_catalogue.html", context)


@require_http_methods(["GET", "POST"])
@domain_errors_as_http
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    if not throttle.allow(request):
        return _too_many(request)
    matter = selectors.matter_get(matter_id=pk)
    form = ApplyForm(request.POST or None, request.FILES or None, matter=matter)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["channel"] == Channel.ONLINE:
                    _new, token = requests.request_file_online(
                        actor=None,
                        matter=matter,
                        applicant_name=data["applicant_name"],
                        mobile=data["mobile"],
                        files=form.files_in_order(matter),
                    )
                else:
                    _new, token = requests.request_file_post(
                        actor=None,
                        matter=matter,
                        applicant_name=data["applicant_name"],
                        mobile=data["mobile"],
                    )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("Filed. Keep this page's address to follow it."))
                return redirect("services_track", token)
    context = {"matter": matter, "form": form}
    return render(request, "services/public_apply.html", context, status=status)


@never_cache
@require_GET
@domain_errors_as_http
def track(request: HttpRequest, token: str) -> HttpResponse:
    if not throttle.allow(request):
        return _too_many(request)
    found = requests.request_for_link(token)
    return _track_page(request, token, found, RatingForm())


def _track_page(
    request: HttpRequest, token: str, found: Any, form: RatingForm, status: int = 200
) -> HttpResponse:
    context = {
        "req": found,
        "token": token,
        "history": selectors.request_history(request=found),
        "form": form,
        "may_rate": found.status == ServiceRequestStatus.DONE and found.rating is None,
        "days_left": days_left_while_paused(found),
    }
    return render(request, "services/public_track.html", context, status=status)


@require_POST
@domain_errors_as_http
def rate(request: HttpRequest, token: str) -> HttpResponse:
    if not throttle.allow(request):
        return _too_many(request)
    found = requests.request_for_link(token)
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            requests.request_rate(actor=None, request=found, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return redirect("services_track", token)
    return _track_page(request, token, found, form, status=422)


@require_http_methods(["GET", "POST"])
@domain_errors_as_http
def book(request: HttpRequest, pk: int) -> HttpResponse:
    if not throttle.allow(request):
        return _too_many(request)
    counter = selectors.counter_get(counter_id=pk)
    slots = selectors.open_slots(counter=counter)
    form = BookForm(request.POST or None, slots=[s for s in slots if s.free > 0])
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                _booking, token = bookings.booking_make(
                    slot=selectors.slot_get(slot_id=data["slot"]),
                    name=data["name"],
                    mobile=data["mobile"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("Booked. Keep this page's address to change it."))
                return redirect("services_booking", token)
    context = {"counter": counter, "slots": slots, "form": form}
    return render(request, "services/public_book.html", context, status=status)


def _booking_page(
    request: HttpRequest, token: str, form: RescheduleForm | None = None, status: int = 200
) -> HttpResponse:
    booking = bookings.booking_for_link(token)
    slots = [
        s
        for s in selectors.open_slots(counter=booking.slot.counter)
        if s.free > 0 and s.pk != booking.slot_id
    ]
    context = {
        "booking": booking,
        "token": token,
        "form": form or RescheduleForm(slots=slots),
        "active": booking.status == BookingStatus.BOOKED,
    }
    return render(request, "services/public_booking.html", context, status=status)


@never_cache
@require_GET
@domain_errors_as_http
def booking_page(request: HttpRequest, token: str) -> HttpResponse:
    if not throttle.allow(request):
        return _too_many(request)
    return _booking_page(request, token)


@require_POST
@domain_errors_as_http
def reschedule(request: HttpRequest, token: str) -> HttpResponse:
    if not throttle.allow(request):
        return _too_many(request)
    booking = bookings.booking_for_link(token)
    slots = [s for s in selectors.open_slots(counter=booking.slot.counter) if s.free > 0]
    form = RescheduleForm(request.POST, slots=slots)
    if form.is_valid():
        try:
            bookings.booking_reschedule(
                booking=booking, slot=selectors.slot_get(slot_id=form.cleaned_data["slot"])
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Your appointment was moved."))
            return redirect("services_booking", token)
    return _booking_page(request, token, form, status=422)


@require_POST
@domain_errors_as_http
def cancel(request: HttpRequest, token: str) -> HttpResponse:
    if not throttle.allow(request):
        return _too_many(request)
    try:
        bookings.booking_cancel(booking=bookings.booking_for_link(token))
    except DomainError as exc:
        if exc.status == 404:
            raise
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Your appointment was cancelled."))
    return redirect("services_booking", token)


urlpatterns: list[URLPattern] = [
    path("services/", catalogue, name="services_catalogue"),
    path("services/matters/<int:pk>/apply/", apply, name="services_apply"),
    path("services/track/<str:token>/", track, name="services_track"),
    path("services/track/<str:token>/rate/", rate, name="services_rate"),
    path("services/counters/<int:pk>/book/", book, name="services_book"),
    path("services/bookings/<str:token>/", booking_page, name="services_booking"),
    path("services/bookings/<str:token>/move/", reschedule, name="services_reschedule"),
    path("services/bookings/<str:token>/cancel/", cancel, name="services_cancel"),
]
