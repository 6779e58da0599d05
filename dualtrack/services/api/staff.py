"""The routes of the departments' staff and enterprise logins: requests in sight, recording a
call, documents arrived by post, the steps, the export, slots and a counter's queue, figures."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from ninja import File, Form, Router, Status, UploadedFile

from dualtrack.core.api import READ, WRITE
from dualtrack.core.errors import PermissionDenied
from dualtrack.core.job_api import ACCEPTED, job_accepted
from dualtrack.core.schemas import AfterId, Id
from dualtrack.core.views import AuthenticatedRequest
from dualtrack.enterprises.access import enterprise_of_user
from dualtrack.services import access, selectors
from dualtrack.services.figures import service_figures
from dualtrack.services.models import Holiday, ServiceRequest, Slot
from dualtrack.services.schemas import (
    AdvanceIn,
    FiledOut,
    HolidayIn,
    HolidayOut,
    PhoneIn,
    PostIn,
    PostReceivedIn,
    QueueEntryOut,
    RatingIn,
    RequestDetailOut,
    RequestPageOut,
    ServiceFiguresOut,
    ServiceSlotOut,
    SlotIn,
)
from dualtrack.services.services import bookings, calendar, exports, requests

router = Router()


def _detail(request: ServiceRequest) -> ServiceRequest:
    request.history = selectors.request_history(request=request)  # type: ignore[attr-defined]
    return request


def filed(http: AuthenticatedRequest, request: ServiceRequest, token: str) -> dict[str, Any]:
    link = http.build_absolute_uri(reverse("services_track", args=[token]))
    return {"request": request, "link": link}


@router.get(
    "/requests",
    response={200: RequestPageOut, **READ},
    operation_id="services_request_list",
    summary="Requests in sight, newest first, a page of 50 after the id `after` (status: one "
    "state or `open`)",
)
def request_list(
    request: AuthenticatedRequest,
    status: str = "",
    matter_id: int | None = None,
    after: AfterId = 0,
) -> dict[str, Any]:
    access.require_see_requests(request.user)
    page = selectors.request_page_for(
        user=request.user, status=status[:20], matter_id=matter_id, after=after
    )
    return {"items": page.rows, "next_after": page.next_after}


@router.post(
    "/requests/export",
    response={**ACCEPTED, **READ},
    operation_id="services_request_export",
    summary="Export the requests in sight as .xlsx in the background (newest 10,000; mobiles "
    "masked)",
    description="Answers 202 with the job to poll (`GET /api/jobs/{id}`); the finished job's "
    "`result_url` is the workbook.",
)
def request_export(request: AuthenticatedRequest, response: HttpResponse) -> Status[dict[str, Any]]:
    return job_accepted(exports.REQUESTS_EXPORT.start(actor=request.user), response)


@router.post(
    "/requests/phone",
    response={201: FiledOut, **WRITE},
    operation_id="services_request_phone",
    summary="Record a request made by phone (the matter's department), accepted at once",
)
def request_phone(request: AuthenticatedRequest, payload: PhoneIn) -> Status[dict[str, Any]]:
    matter = selectors.matter_get(matter_id=payload.matter_id)
    new, token = requests.request_record_phone(
        actor=request.user,
        matter=matter,
        applicant_name=payload.applicant_name,
        mobile=payload.mobile,
        documents=payload.documents,
    )
    return Status(201, filed(request, new, token))


@router.post(
    "/requests/post",
    response={201: FiledOut, **WRITE},
    operation_id="services_request_post_by_enterprise",
    summary="An enterprise files a request it will send by post (accepted when it arrives)",
)
def request_post(request: AuthenticatedRequest, payload: PostIn) -> Status[dict[str, Any]]:
    own = access.require_enterprise_login(request.user)
    matter = selectors.matter_get(matter_id=payload.matter_id)
    new, token = requests.request_file_post(
        actor=request.user,
        matter=matter,
        applicant_name=payload.applicant_name,
        mobile=payload.mobile,
        enterprise=own,
    )
    return Status(201, filed(request, new, token))


@router.post(
    "/requests/online",
    response={201: FiledOut, **WRITE},
    operation_id="services_request_online_by_enterprise",
    summary="An enterprise files a request online, one file per document needed, in the "
    "matter's order (JPEG, PNG or PDF, each at most 5 MB)",
)
def request_online(
    request: AuthenticatedRequest,
    matter_id: Form[Id],
    applicant_name: Form[str],
    mobile: Form[str],
    files: File[list[UploadedFile]],
) -> Status[dict[str, Any]]:
    own = access.require_enterprise_login(request.user)
    matter = selectors.matter_get(matter_id=matter_id)
    new, token = requests.request_file_online(
        actor=request.user,
        matter=matter,
        applicant_name=applicant_name,
        mobile=mobile,
        files=list(files),
        enterprise=own,
    )
    return Status(201, filed(request, new, token))


@router.get(
    "/requests/{request_id}",
    response={200: RequestDetailOut, **READ},
    operation_id="services_request_get",
    summary="A request in sight with its history",
)
def request_get(request: AuthenticatedRequest, request_id: int) -> ServiceRequest:
    return _detail(selectors.request_get_for(user=request.user, request_id=request_id))


@router.post(
    "/requests/{request_id}/post-received",
    response={200: RequestDetailOut, **WRITE},
    operation_id="services_request_post_received",
    summary="The documents sent by post arrived: record the postal tracking number and the "
    "documents; the request is accepted",
)
def request_post_received(
    request: AuthenticatedRequest, request_id: int, payload: PostReceivedIn
) -> ServiceRequest:
    found = selectors.request_get_for(user=request.user, request_id=request_id)
    return _detail(
        requests.request_post_received(
            actor=request.user,
            request=found,
            postal_tracking_no=payload.postal_tracking_no,
            documents=payload.documents,
        )
    )


@router.post(
    "/requests/{request_id}/steps",
    response={200: RequestDetailOut, **WRITE},
    operation_id="services_request_advance",
    summary="Take a request a step: in progress, needs more, done, refused (with the reason)",
)
def request_advance(
    request: AuthenticatedRequest, request_id: int, payload: AdvanceIn
) -> ServiceRequest:
    found = selectors.request_get_for(user=request.user, request_id=request_id)
    return _detail(
        requests.request_advance(
            actor=request.user, request=found, status=payload.status, note=payload.note
        )
    )


@router.post(
    "/requests/{request_id}/rating",
    response={200: RequestDetailOut, **WRITE},
    operation_id="services_request_rate",
    summary="The enterprise that filed a finished request rates it, once",
)
def request_rate(request: AuthenticatedRequest, request_id: int, payload: RatingIn) -> Any:
    found = selectors.request_get_for(user=request.user, request_id=request_id)
    if enterprise_of_user(request.user) is None:
        raise PermissionDenied()
    return _detail(
        requests.request_rate(
            actor=request.user, request=found, rating=payload.rating, comment=payload.comment
        )
    )


@router.post(
    "/holidays",
    response={201: HolidayOut, **WRITE},
    operation_id="services_holiday_set",
    summary="Add a holiday, or a weekend day worked instead, to the working-day calendar "
    "(the district administrator)",
)
def holiday_set(request: AuthenticatedRequest, payload: HolidayIn) -> Status[Holiday]:
    holiday = calendar.holiday_set(
        actor=request.user, day=payload.day, name=payload.name, workday=payload.workday
    )
    return Status(201, holiday)


@router.post(
    "/counters/{counter_id}/slots",
    response={201: ServiceSlotOut, **WRITE},
    operation_id="services_slot_open",
    summary="Open an appointment slot at a counter (the counter's department)",
)
def slot_open(request: AuthenticatedRequest, counter_id: int, payload: SlotIn) -> Status[Slot]:
    counter = selectors.counter_get_for(user=request.user, counter_id=counter_id)
    slot = bookings.slot_open(actor=request.user, counter=counter, **payload.model_dump())
    return Status(201, slot)


@router.get(
    "/counters/{counter_id}/queue",
    response={200: list[QueueEntryOut], **READ},
    operation_id="services_counter_queue",
    summary="A counter's queue of a day (today unless `day`): the appointments in order",
)
def counter_queue(
    request: AuthenticatedRequest, counter_id: int, day: datetime.date | None = None
) -> list[dict[str, Any]]:
    counter = selectors.counter_get_for(user=request.user, counter_id=counter_id)
    queue = selectors.queue_of(counter=counter, day=day or timezone.localdate())
    return [{"number": n, "booking": b} for n, b in enumerate(queue, start=1)]


@router.get(
    "/figures",
    response={200: ServiceFiguresOut, **READ},
    operation_id="services_figures",
    summary="Per matter and department: volume by channel, days to finish, overdue, rating",
)
def figures(request: AuthenticatedRequest) -> dict[str, Any]:
    access.require_see_requests(request.user)
    result = service_figures(user=request.user)
    return {
        "by_matter": [t.as_dict() for t in result.by_matter],
        "by_department": [t.as_dict() for t in result.by_department],
    }
