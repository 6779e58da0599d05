"""The routes of point-to-point trips, their riders, and self-travel tickets."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.http import HttpResponse
from ninja import File, Form, Router, Status, UploadedFile

from dualtrack.core.api import READ, WRITE, problems
from dualtrack.core.media_types import JPEG, PDF, PNG, XLSX, file_answer
from dualtrack.core.schemas import Id
from dualtrack.core.views import AuthenticatedRequest
from dualtrack.jobs import manifest
from dualtrack.jobs import transport_selectors as selectors
from dualtrack.jobs.downloads import attachment
from dualtrack.jobs.models import Rider, Ticket, Trip
from dualtrack.jobs.services import tickets, transport
from dualtrack.jobs.transport_schemas import (
    RiderIn,
    RiderOut,
    TicketOut,
    TripDetailOut,
    TripIn,
    TripOut,
)

router = Router()


@router.get(
    "/trips",
    response={200: list[TripOut], **READ},
    operation_id="employment_trip_list",
    summary="Point-to-point trips in sight (the group: all; an enterprise: those it takes part "
    "in; a receiving checkpoint's staff: those arriving there)",
)
def trip_list(request: AuthenticatedRequest) -> list[Trip]:
    return list(selectors.trip_list_for(user=request.user)[:500])


@router.post(
    "/trips",
    response={201: TripOut, **WRITE},
    operation_id="employment_trip_plan",
    summary="Plan a trip (the enterprise-services group)",
)
def trip_plan(request: AuthenticatedRequest, payload: TripIn) -> Status[Trip]:
    checkpoint, enterprises = selectors.trip_targets(
        user=request.user,
        checkpoint_id=payload.checkpoint_id,
        enterprise_ids=payload.enterprise_ids,
    )
    data = payload.model_dump(exclude={"checkpoint_id", "enterprise_ids"})
    trip = transport.trip_plan(
        actor=request.user, checkpoint=checkpoint, enterprises=enterprises, **data
    )
    return Status(201, trip)


@router.get(
    "/trips/{trip_id}",
    response={200: TripDetailOut, **READ},
    operation_id="employment_trip_get",
    summary="A trip with the riders in sight (an enterprise: its own), numbers masked",
)
def trip_get(request: AuthenticatedRequest, trip_id: int) -> Trip:
    trip = selectors.trip_get_for(user=request.user, trip_id=trip_id)
    trip.riders_in_sight = list(selectors.riders_of(user=request.user, trip=trip))  # type: ignore[attr-defined]
    return trip


@router.get(
    "/trips/{trip_id}/manifest.pdf",
    response={200: None, **READ},
    operation_id="employment_trip_manifest_pdf",
    openapi_extra=file_answer(PDF),
    summary="A trip's manifest as PDF (numbers masked unless the reader may see them; an "
    "unmasked manifest is audited)",
)
def trip_manifest_pdf(request: AuthenticatedRequest, trip_id: int) -> HttpResponse:
    trip = selectors.trip_get_for(user=request.user, trip_id=trip_id)
    data = manifest.manifest_pdf(manifest.manifest_for(user=request.user, trip=trip))
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="manifest-{trip.pk}.pdf"'
    return response


@router.get(
    "/trips/{trip_id}/manifest.xlsx",
    response={200: None, **READ},
    operation_id="employment_trip_manifest_xlsx",
    openapi_extra=file_answer(XLSX),
    summary="A trip's manifest as an Excel workbook (masked as the PDF)",
)
def trip_manifest_xlsx(request: AuthenticatedRequest, trip_id: int) -> HttpResponse:
    trip = selectors.trip_get_for(user=request.user, trip_id=trip_id)
    data = manifest.manifest_xlsx(manifest.manifest_for(user=request.user, trip=trip))
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="manifest-{trip.pk}.xlsx"'
    return response


@router.post(
    "/trips/{trip_id}/riders",
    response={201: RiderOut, **WRITE},
    operation_id="employment_rider_add",
    summary="Put a returning worker on a trip, with their health declaration (the enterprise)",
)
def rider_add(request: AuthenticatedRequest, trip_id: int, payload: RiderIn) -> Status[Rider]:
    trip = selectors.trip_get_for(user=request.user, trip_id=trip_id)
    enterprise = selectors.own_enterprise(user=request.user, enterprise_id=payload.enterprise_id)
    data = payload.model_dump(exclude={"enterprise_id"})
    return Status(
        201, transport.rider_add(actor=request.user, trip=trip, enterprise=enterprise, **data)
    )


@router.post(
    "/riders/{rider_id}/board",
    response={200: RiderOut, **WRITE},
    operation_id="employment_rider_board",
    summary="Check a rider off as boarded (the group)",
)
def rider_board(request: AuthenticatedRequest, rider_id: int) -> Rider:
    rider = selectors.rider_get_for(user=request.user, rider_id=rider_id)
    return transport.rider_board(actor=request.user, rider=rider)


@router.post(
    "/trips/{trip_id}/arrive",
    response={200: TripOut, **WRITE},
    operation_id="employment_trip_arrive",
    summary="Check a trip off as arrived: the boarded riders' passages are registered at the "
    "receiving checkpoint and they are put on their enterprises' rosters (that checkpoint's "
    "registering staff)",
)
def trip_arrive(request: AuthenticatedRequest, trip_id: int) -> Trip:
    trip = selectors.trip_get_for(user=request.user, trip_id=trip_id)
    return transport.trip_arrive(actor=request.user, trip=trip)


@router.get(
    "/tickets",
    response={200: list[TicketOut], **READ},
    operation_id="employment_ticket_list",
    summary="Self-travel tickets (an enterprise: its own; district-wide staff: all)",
)
def ticket_list(request: AuthenticatedRequest) -> list[Ticket]:
    return list(selectors.ticket_list_for(user=request.user)[:500])


@router.post(
    "/tickets",
    response={201: TicketOut, **WRITE},
    operation_id="employment_ticket_upload",
    summary="Upload a worker's self-travel ticket: JPEG, PNG or PDF, at most 5 MB (the "
    "enterprise, for a worker on its roster)",
)
def ticket_upload(
    request: AuthenticatedRequest,
    employee_id: Form[Id],
    route: Form[str],
    travel_date: Form[datetime.date],
    fare: Form[Decimal],
    file: File[UploadedFile | None] = None,
) -> Status[Ticket]:
    employee = selectors.roster_employee(user=request.user, employee_id=employee_id)
    ticket = tickets.ticket_upload(
        actor=request.user,
        employee=employee,
        route=route,
        travel_date=travel_date,
        fare=fare,
        file=file,
    )
    return Status(201, ticket)


@router.post(
    "/tickets/{ticket_id}/confirm",
    response={200: TicketOut, **WRITE},
    operation_id="employment_ticket_confirm",
    summary="Confirm the worker of a ticket works at the enterprise (the enterprise)",
)
def ticket_confirm(request: AuthenticatedRequest, ticket_id: int) -> Ticket:
    ticket = selectors.ticket_get_for(user=request.user, ticket_id=ticket_id)
    return tickets.ticket_confirm(actor=request.user, ticket=ticket)


@router.get(
    "/tickets/{ticket_id}/file",
    response={200: None, **READ, **problems(403, 409)},
    operation_id="employment_ticket_file",
    openapi_extra=file_answer(JPEG, PNG, PDF),
    summary="A self-travel ticket's file (JPEG, PNG or PDF) as an attachment: the enterprise's "
    "own logins; district-wide, the enterprise-services group and staff who may view personal "
    "data (audited)",
)
def ticket_file(request: AuthenticatedRequest, ticket_id: int) -> HttpResponse:
    ticket = selectors.ticket_get_for(user=request.user, ticket_id=ticket_id)
    return attachment(tickets.ticket_file_open(actor=request.user, ticket=ticket))
