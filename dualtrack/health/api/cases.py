"""The health API: the line list (病例) and possible contacts from the registers (密接排查)."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from ninja import Router, Status

from dualtrack.areas.access import area_get_for_write
from dualtrack.core.api import LIST, READ, WRITE, problems
from dualtrack.core.job_api import ACCEPTED, job_accepted
from dualtrack.core.views import AuthenticatedRequest
from dualtrack.health.access.cases import contact_permissions
from dualtrack.health.models import Case, ClassificationChange, Contact, ContactSearch
from dualtrack.health.schemas.cases import (
    CaseDetailOut,
    CaseFiguresOut,
    CaseIn,
    CaseOut,
    ContactOut,
    ContactQuarantineIn,
    ContactStatusIn,
    LineListExportIn,
    ReclassifyIn,
    SearchIn,
    SearchOut,
)
from dualtrack.health.selectors import cases as selectors
from dualtrack.health.services import cases as services
from dualtrack.health.services import contacts as contact_services

router = Router(tags=["health"])

# Reads that may be refused the unmasked numbers the role lacks (403).
READ_UNMASKED = {**READ, **problems(403, 422)}


def case_out(case: Case, *, unmasked: bool = False) -> dict[str, Any]:
    return {
        "id": case.pk,
        "number": case.number,
        "classification": case.classification,
        "area_id": case.area_id,
        "area_name": case.area.name,
        "is_resident": case.is_resident,
        "name": case.name,
        "gender": case.gender,
        "age": case.age,
        "id_number_masked": case.masked_id_number,
        "phone_masked": case.masked_phone,
        "id_number": case.id_number if unmasked else None,
        "phone": case.phone if unmasked else None,
        "onset_date": case.onset_date,
        "sampling_date": case.sampling_date,
        "report_date": case.report_date,
        "isolation_date": case.isolation_date,
        "origin": case.origin,
        "exposure_region_code": case.exposure_region_code,
        "exposure_region_name": case.exposure_region_name,
        "quarantine_order_id": case.quarantine_order_id,
        "infected_by_id": case.infected_by_id,
        "note": case.note,
    }


def _change_out(change: ClassificationChange) -> dict[str, Any]:
    return {
        "classification": change.classification,
        "previous": change.previous,
        "reason": change.reason,
        "changed_by": str(change.changed_by or ""),
        "changed_at": change.changed_at,
    }


def contact_out(contact: Contact, *, unmasked: bool = False) -> dict[str, Any]:
    return {
        "id": contact.pk,
        "case_id": contact.case_id,
        "case_number": contact.case.number,
        "via_id": contact.via_id,
        "area_id": contact.area_id,
        "area_name": contact.area.name,
        "name": contact.name,
        "id_number_masked": contact.masked_id_number,
        "phone_masked": contact.masked_phone,
        "id_number": contact.id_number if unmasked else None,
        "phone": contact.phone if unmasked else None,
        "coincidences": contact.coincidences,
        "closest_seconds": contact.closest_seconds,
        "score": contact.score,
        "last_coincidence_at": contact.last_coincidence_at,
        "last_checkpoint_name": contact.last_checkpoint_name,
        "status": contact.status,
        "quarantine_order_id": contact.quarantine_order_id,
    }


def search_out(search: ContactSearch) -> dict[str, Any]:
    return {
        "id": search.pk,
        "case_id": search.case_id,
        "anchor_contact_id": search.anchor_contact_id,
        "reason": search.reason,
        "window_from": search.window_from,
        "window_to": search.window_to,
        "tolerance_minutes": search.tolerance_minutes,
        "case_passages": search.case_passages,
        "found": search.found,
        "run_by": str(search.run_by or ""),
        "run_at": search.run_at,
    }


def case_input(request: AuthenticatedRequest, payload: CaseIn) -> services.CaseInput:
    """The service's input, every id read through the caller's scope (404 out of sight)."""
    user = request.user
    data = payload.model_dump()
    resident = None
    if payload.is_resident:
        resident = selectors.resident_by_id_number_for(user=user, id_number=payload.id_number)
    area = (
        area_get_for_write(user=user, area_id=payload.area_id)
        if payload.area_id is not None and resident is None
        else None
    )
    order = (
        selectors.order_get_for_write(user=user, order_id=payload.quarantine_order_id)
        if payload.quarantine_order_id is not None
        else None
    )
    source = (
        selectors.source_case_get_for_write(user=user, case_id=payload.infected_by_id)
        if payload.infected_by_id is not None
        else None
    )
    for key in ("is_resident", "area_id", "quarantine_order_id", "infected_by_id"):
        data.pop(key)
    return services.CaseInput(
        **data, area=area, resident=resident, quarantine_order=order, infected_by=source
    )


@router.get(
    "/cases",
    response={200: list[CaseOut], **LIST},
    operation_id="health_case_list",
    summary="The line list in the caller's sight (numbers masked), newest report first",
)
def case_list(
    request: AuthenticatedRequest,
    classification: str = "",
    origin: str = "",
    area_id: int | None = None,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    q: str = "",
) -> list[dict[str, Any]]:
    cases = selectors.case_list_for(
        user=request.user,
        classification=classification,
        origin=origin,
        area_id=area_id,
        since=since,
        until=until,
        q=q,
    )
    return [case_out(case) for case in cases]


@router.post(
    "/cases",
    response={201: CaseOut, **WRITE},
    operation_id="health_case_create",
    summary="Enter a case into the line list (prevention and medical groups)",
)
def case_create(request: AuthenticatedRequest, payload: CaseIn) -> Status[dict[str, Any]]:
    case = services.case_create(actor=request.user, data=case_input(request, payload))
    return Status(201, case_out(case))


@router.get(
    "/cases/figures",
    response={200: CaseFiguresOut, **LIST},
    operation_id="health_case_figures",
    summary="Daily counts by town and the epidemic curve by onset and by report date",
)
def case_figures(request: AuthenticatedRequest, day: datetime.date | None = None) -> dict[str, Any]:
    day = day or timezone.localdate()
    return {
        "day": day,
        "by_area": selectors.daily_counts_for(user=request.user, day=day),
        "curve": selectors.epidemic_curve_for(user=request.user, until=day),
    }


@router.post(
    "/cases/export",
    response={**ACCEPTED, **WRITE},
    operation_id="health_case_export",
    summary="Export the line list with full numbers as .xlsx, in the background (audited)",
    description="Answers 202 with the job to poll (`GET /api/jobs/{id}`).",
)
def case_export(
    request: AuthenticatedRequest, response: HttpResponse, payload: LineListExportIn
) -> Status[dict[str, Any]]:
    job = services.line_list_export_start(
        actor=request.user, since=payload.since, until=payload.until
    )
    return job_accepted(job, response)


@router.get(
    "/cases/{case_id}",
    response={200: CaseDetailOut, **READ_UNMASKED},
    operation_id="health_case_get",
    summary="A case with its classification history; unmasked=true shows the numbers (audited)",
)
def case_get(request: AuthenticatedRequest, case_id: int, unmasked: bool = False) -> dict[str, Any]:
    case = selectors.case_get_for(user=request.user, case_id=case_id)
    if unmasked:
        services.case_unmasked_view(actor=request.user, case=case, note="case API")
    history = selectors.case_history_for(user=request.user, case=case)
    return {**case_out(case, unmasked=unmasked), "history": [_change_out(c) for c in history]}


@router.put(
    "/cases/{case_id}",
    response={200: CaseOut, **WRITE},
    operation_id="health_case_update",
    summary="Edit a case; a new classification needs a reason and is kept in its history",
)
def case_update(request: AuthenticatedRequest, case_id: int, payload: CaseIn) -> dict[str, Any]:
    case = selectors.case_get_for(user=request.user, case_id=case_id)
    case = services.case_update(actor=request.user, case=case, data=case_input(request, payload))
    return case_out(case)


@router.post(
    "/cases/{case_id}/classification",
    response={200: CaseOut, **WRITE},
    operation_id="health_case_reclassify",
    summary="Change a case's classification, with the reason (kept in its history)",
)
def case_reclassify(
    request: AuthenticatedRequest, case_id: int, payload: ReclassifyIn
) -> dict[str, Any]:
    case = selectors.case_get_for(user=request.user, case_id=case_id)
    case = services.case_reclassify(actor=request.user, case=case, **payload.model_dump())
    return case_out(case)


@router.get(
    "/cases/{case_id}/contacts",
    response={200: list[ContactOut], **READ_UNMASKED},
    operation_id="health_contact_list",
    summary="The case's possible contacts in the caller's sight, ranked by score",
)
def contact_list(
    request: AuthenticatedRequest, case_id: int, status: str = "", unmasked: bool = False
) -> list[dict[str, Any]]:
    case = selectors.contact_case_for(user=request.user, case_id=case_id)
    contacts = selectors.contact_list_for(user=request.user, case=case, status=status)
    shown = set()
    if unmasked:
        services.contacts_unmasked_view(actor=request.user, contacts=contacts, note="contacts API")
        shown = {c.pk for c in contacts if contact_permissions(request.user, c).view_personal_data}
    return [contact_out(c, unmasked=c.pk in shown) for c in contacts]


@router.get(
    "/cases/{case_id}/searches",
    response={200: list[SearchOut], **READ},
    operation_id="health_contact_search_list",
    summary="The contact searches run for a case: who, why, window, counts",
)
def search_list(request: AuthenticatedRequest, case_id: int) -> list[dict[str, Any]]:
    case = selectors.case_get_for(user=request.user, case_id=case_id)
    return [search_out(s) for s in selectors.search_list_for(user=request.user, case=case)]


@router.post(
    "/cases/{case_id}/searches",
    response={201: SearchOut, **WRITE},
    operation_id="health_contact_search",
    summary="Search the registers for the case's possible contacts (or a contact's), with the "
    "reason; recorded and audited",
)
def search_run(
    request: AuthenticatedRequest, case_id: int, payload: SearchIn
) -> Status[dict[str, Any]]:
    case = selectors.case_get_for(user=request.user, case_id=case_id)
    anchor = None
    if payload.contact_id is not None:
        anchor = selectors.contact_get_for(user=request.user, contact_id=payload.contact_id)
    search = contact_services.contact_search(
        actor=request.user,
        case=case,
        reason=payload.reason,
        tolerance_minutes=payload.tolerance_minutes,
        days_before=payload.days_before,
        anchor_contact=anchor,
    )
    return Status(201, search_out(search))


@router.get(
    "/cases/contacts/{contact_id}",
    response={200: ContactOut, **READ_UNMASKED},
    operation_id="health_contact_get",
    summary="One possible contact; unmasked=true shows the numbers (audited)",
)
def contact_get(
    request: AuthenticatedRequest, contact_id: int, unmasked: bool = False
) -> dict[str, Any]:
    contact = selectors.contact_get_for(user=request.user, contact_id=contact_id)
    if unmasked:
        services.contacts_unmasked_view(actor=request.user, contacts=[contact], note="contact API")
    return contact_out(contact, unmasked=unmasked)


@router.post(
    "/cases/contacts/{contact_id}/status",
    response={200: ContactOut, **WRITE},
    operation_id="health_contact_set_status",
    summary="Confirm a close contact (or rule out, or back to possible): the village's cadre",
)
def contact_status(
    request: AuthenticatedRequest, contact_id: int, payload: ContactStatusIn
) -> dict[str, Any]:
    contact = selectors.contact_get_for(user=request.user, contact_id=contact_id)
    contact = contact_services.contact_set_status(
        actor=request.user, contact=contact, status=payload.status
    )
    return contact_out(contact)


@router.post(
    "/cases/contacts/{contact_id}/quarantine",
    response={200: ContactOut, **WRITE},
    operation_id="health_contact_quarantine",
    summary="Place a contact under quarantine (home by default) until QUARANTINE_DAYS after "
    "the last matching passage; links the order",
)
def contact_quarantine(
    request: AuthenticatedRequest, contact_id: int, payload: ContactQuarantineIn
) -> dict[str, Any]:
    contact = selectors.contact_get_for(user=request.user, contact_id=contact_id)
    site = None
    if payload.site_id is not None:
        site = selectors.site_get_for_write(user=request.user, site_id=payload.site_id)
    contact = contact_services.contact_quarantine(
        actor=request.user,
        contact=contact,
        kind=payload.kind,
        site=site,
        id_number=payload.id_number,
        reason=payload.reason,
    )
    return contact_out(contact)
