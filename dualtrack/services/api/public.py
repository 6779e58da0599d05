"""The routes open without an account: the catalogue, counters and their free slots, filing a
request online or by post, following it and rating it by its personal link, booking,
rescheduling and cancelling an appointment by its personal link.

Each is rate-limited per client address (``services.throttle``) and left out of the OpenAPI
document like the employment services' public routes (listed in the reviewed set of public
operations, dualtrack/core/tests/test_api_problems.py)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Status, UploadedFile

from dualtrack.core.api import problems, too_many_requests
from dualtrack.core.schemas import Id
from dualtrack.services import selectors, throttle
from dualtrack.services.models import Booking, ServiceRequest
from dualtrack.services.schemas import (
    BookedOut,
    BookingIn,
    BookingOut,
    CounterOut,
    FiledOut,
    MatterOut,
    PostIn,
    RatingIn,
    RequestDetailOut,
    RescheduleIn,
    ServiceSlotOut,
)
from dualtrack.services.services import bookings, requests

router = Router()


def _too_many(request: HttpRequest) -> HttpResponse:
    return too_many_requests(
        request, _("Too many requests from this device; wait a minute and try again.")
    )


def _filed(http: HttpRequest, request: ServiceRequest, token: str) -> dict[str, Any]:
    return {
        "request": request,
        "link": http.build_absolute_uri(reverse("services_track", args=[token])),
    }


def _booked(http: HttpRequest, booking: Booking, token: str) -> dict[str, Any]:
    return {
        "booking": booking,
        "link": http.build_absolute_uri(reverse("services_booking", args=[token])),
    }


def _detail(request: ServiceRequest) -> ServiceRequest:
    request.history = selectors.request_history(request=request)  # type: ignore[attr-defined]
    return request


@router.get(
    "/public/matters",
    auth=None,
    include_in_schema=False,
    response={200: list[MatterOut], **problems(429)},
    operation_id="services_public_matters",
    summary="The catalogue of matters (no account; rate-limited)",
)
def public_matters(request: HttpRequest) -> Any:
    if not throttle.allow(request):
        return _too_many(request)
    return list(selectors.matter_list()[:500])


@router.get(
    "/public/counters",
    auth=None,
    include_in_schema=False,
    response={200: list[CounterOut], **problems(429)},
    operation_id="services_public_counters",
    summary="The service counters (no account; rate-limited)",
)
def public_counters(request: HttpRequest) -> Any:
    if not throttle.allow(request):
        return _too_many(request)
    return list(selectors.counter_list()[:500])


@router.get(
    "/public/counters/{counter_id}/slots",
    auth=None,
    include_in_schema=False,
    response={200: list[ServiceSlotOut], **problems(404, 429)},
    operation_id="services_public_slots",
    summary="A counter's slots of the next two weeks with their free places (no account)",
)
def public_slots(request: HttpRequest, counter_id: int) -> Any:
    if not throttle.allow(request):
        return _too_many(request)
    counter = selectors.counter_get(counter_id=counter_id)
    return selectors.open_slots(counter=counter)


@router.post(
    "/public/requests/online",
    auth=None,
    include_in_schema=False,
    response={201: FiledOut, **problems(400, 404, 422, 429)},
    operation_id="services_public_file_online",
    summary="File a request online with one file per document needed (no account)",
)
def public_file_online(
    request: HttpRequest,
    matter_id: Form[Id],
    applicant_name: Form[str],
    mobile: Form[str],
    files: File[list[UploadedFile]],
) -> Any:
    if not throttle.allow(request):
        return _too_many(request)
    matter = selectors.matter_get(matter_id=matter_id)
    new, token = requests.request_file_online(
        actor=None,
        matter=matter,
        applicant_name=applicant_name,
        mobile=mobile,
        files=list(files),
    )
    return Status(201, _filed(request, new, token))


@router.post(
    "/public/requests/post",
    auth=None,
    include_in_schema=False,
    response={201: FiledOut, **problems(404, 422, 429)},
    operation_id="services_public_file_post",
    summary="File a request whose documents go by post (no account)",
)
def public_file_post(request: HttpRequest, payload: PostIn) -> Any:
    if not throttle.allow(request):
        return _too_many(request)
    matter = selectors.matter_get(matter_id=payload.matter_id)
    new, token = requests.request_file_post(
        actor=None, matter=matter, applicant_name=payload.applicant_name, mobile=payload.mobile
    )
    return Status(201, _filed(request, new, token))


@router.get(
    "/public/requests/{token}",
    auth=None,
    include_in_schema=False,
    response={200: RequestDetailOut, **problems(404, 429)},
    operation_id="services_public_track",
    summary="A request and its history by its personal link (no account)",
)
def public_track(request: HttpRequest, token: str) -> Any:
    if not throttle.allow(request):
        return _too_many(request)
    return _detail(requests.request_for_link(token))


@router.post(
    "/public/requests/{token}/rating",
    auth=None,
    include_in_schema=False,
    response={200: RequestDetailOut, **problems(404, 409, 422, 429)},
    operation_id="services_public_rate",
    summary="Rate a finished request by its personal link, once (no account)",
)
def public_rate(request: HttpRequest, token: str, payload: RatingIn) -> Any:
    if not throttle.allow(request):
        return _too_many(request)
    found = requests.request_for_link(token)
    return _detail(
        requests.request_rate(
            actor=None, request=found, rating=payload.rating, comment=payload.comment
        )
    )


@router.post(
    "/public/bookings",
    auth=None,
    include_in_schema=False,
    response={201: BookedOut, **problems(404, 409, 422, 429)},
    operation_id="services_public_book",
    summary="Book a place in a slot (no account); a full slot is refused with 409",
)
def public_book(request: HttpRequest, payload: BookingIn) -> Any:
    if not throttle.allow(request):
        return _too_many(request)
    slot = selectors.slot_get(slot_id=payload.slot_id)
    matter = selectors.matter_get(matter_id=payload.matter_id) if payload.matter_id else None
    booking, token = bookings.booking_make(
        slot=slot, name=payload.name, mobile=payload.mobile, matter=matter
    )
    return Status(201, _booked(request, booking, token))


@router.get(
    "/public/bookings/{token}",
    auth=None,
    include_in_schema=False,
    response={200: BookingOut, **problems(404, 429)},
    operation_id="services_public_booking",
    summary="An appointment by its personal link (no account)",
)
def public_booking(request: HttpRequest, token: str) -> Any:
    if not throttle.allow(request):
        return _too_many(request)
    return bookings.booking_for_link(token)


@router.post(
    "/public/bookings/{token}/reschedule",
    auth=None,
    include_in_schema=False,
    response={200: BookingOut, **problems(404, 409, 422, 429)},
    operation_id="services_public_reschedule",
    summary="Move an appointment to another slot of the counter (no account)",
)
def public_reschedule(request: HttpRequest, token: str, payload: RescheduleIn) -> Any:
    if not throttle.allow(request):
        return _too_many(request)
    booking = bookings.booking_for_link(token)
    slot = selectors.slot_get(slot_id=payload.slot_id)
    return bookings.booking_reschedule(booking=booking, slot=slot)


@router.post(
    "/public/bookings/{token}/cancel",
    auth=None,
    include_in_schema=False,
    response={200: BookingOut, **problems(404, 409, 429)},
    operation_id="services_public_cancel",
    summary="Cancel an appointment (no account)",
)
def public_cancel(request: HttpRequest, token: str) -> Any:
    if not throttle.allow(request):
        return _too_many(request)
    return bookings.booking_cancel(booking=bookings.booking_for_link(token))
