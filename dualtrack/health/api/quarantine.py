"""The health API: quarantine orders, their checks and changes, the release notice and the
export (the sites and the person's own check are in ``quarantine_sites``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse
from django.urls import reverse
from ninja import Router, Schema, Status

from dualtrack.core.api import LIST, READ, WRITE, problems
from dualtrack.core.job_api import ACCEPTED, job_accepted
from dualtrack.core.media_types import PDF, file_answer
from dualtrack.core.models import User
from dualtrack.core.schemas import Id
from dualtrack.core.views import AuthenticatedRequest
from dualtrack.health.access.quarantine import Ability, order_abilities
from dualtrack.health.api import quarantine_sites
from dualtrack.health.models import QuarantineCheck, QuarantineOrder
from dualtrack.health.quarantine_documents import release_notice_pdf
from dualtrack.health.schemas.quarantine import (
    ChangeOut,
    CheckIn,
    CheckOut,
    ExtendIn,
    HospitalIn,
    LinkIn,
    MoveIn,
    OrderDetailOut,
    OrderExportIn,
    OrderIn,
    OrderOut,
    OrderReasonIn,
)
from dualtrack.health.selectors import quarantine as selectors
from dualtrack.health.services import quarantine as order_services
from dualtrack.health.services import quarantine_changes as changes
from dualtrack.health.services import quarantine_checks as checks
from dualtrack.health.services.quarantine_exports import orders_export_start

router = Router(tags=["health"])
router.add_router("", quarantine_sites.router)


def order_out(order: QuarantineOrder, *, unmasked: bool = False) -> dict[str, Any]:
    return {
        "id": order.pk,
        "kind": order.kind,
        "site_id": order.site_id,
        "site_name": order.site.name if order.site else "",
        "room": order.room,
        "area_id": order.area_id,
        "area_name": order.area.name,
        "person_kind": order.person_kind,
        "resident_id": order.resident_id,
        "employee_id": order.employee_id,
        "name": order.name,
        "id_number_masked": order.masked_id_number,
        "phone_masked": order.masked_phone,
        "id_number": order.id_number if unmasked else None,
        "phone": order.phone if unmasked else None,
        "address": order.address,
        "reason": order.reason,
        "source": order.source,
        "last_exposure": order.last_exposure,
        "starts_on": order.starts_on,
        "ends_on": order.ends_on,
        "status": order.status,
        "closed_at": order.closed_at,
        "notice_number": order.notice_number,
    }


def _order(request: AuthenticatedRequest, order_id: int) -> QuarantineOrder:
    return selectors.order_get_for(user=request.user, order_id=order_id)


@router.get(
    "/quarantine/orders",
    response={200: list[OrderOut], **LIST},
    operation_id="quarantine_order_list",
    summary="Quarantine orders in the caller's sight, newest first (masked numbers)",
)
def order_list(
    request: AuthenticatedRequest,
    status: str = "",
    kind: str = "",
    site_id: Id | None = None,
    area_id: Id | None = None,
    ending_within: int | None = None,
    missed: bool = False,
    q: str = "",
    limit: int = 100,
) -> list[dict[str, Any]]:
    filters = selectors.OrderFilters(
        status=status,
        kind=kind,
        site_id=site_id,
        area_id=area_id,
        ending_within=max(0, min(ending_within, 60)) if ending_within is not None else None,
        missed=missed,
        q=q[:50],
    )
    orders = selectors.order_list_for(user=request.user, filters=filters)
    return [order_out(o) for o in orders[: max(1, min(limit, selectors.MAX_PAGE))]]


@router.post(
    "/quarantine/orders",
    response={201: OrderOut, **WRITE},
    operation_id="quarantine_order_place",
    summary="Place a person (a resident, a roster's worker, a visitor) under quarantine",
)
def order_place(request: AuthenticatedRequest, payload: OrderIn) -> Status[dict[str, Any]]:
    user = request.user
    person = selectors.order_person_for(
        user=user,
        person_kind=payload.person_kind,
        resident_id=payload.resident_id,
        employee_id=payload.employee_id,
        area_id=payload.area_id,
        name=payload.name,
        id_number=payload.id_number,
        phone=payload.phone,
        address=payload.address,
    )
    site = selectors.site_for_write(user=user, site_id=payload.site_id) if payload.site_id else None
    alert = (
        selectors.open_alert_for_order(user=user, alert_id=payload.alert_id)
        if payload.alert_id
        else None
    )
    order = order_services.order_place(
        actor=user,
        kind=payload.kind,
        person_kind=payload.person_kind,
        area=person.area,
        name=person.name,
        id_number=person.id_number,
        phone=person.phone,
        address=person.address,
        resident=person.resident,
        employee=person.employee,
        reason=payload.reason,
        source=payload.source,
        last_exposure=payload.last_exposure,
        site=site,
        room=payload.room,
        alert=alert,
    )
    return Status(201, order_out(order))


@router.get(
    "/quarantine/orders/{order_id}",
    response={200: OrderDetailOut, **READ, **problems(403)},
    operation_id="quarantine_order_get",
    summary="An order with its missed checks (unmasked=true: full numbers, audited)",
)
def order_get(
    request: AuthenticatedRequest, order_id: int, unmasked: bool = False
) -> dict[str, Any]:
    order = _order(request, order_id)
    if unmasked:
        checks.order_unmasked_view(actor=request.user, order=order, note="API order detail")
    may = order_abilities(request.user, order)
    link = (
        request.build_absolute_uri(reverse("quarantine_self_check", args=[order.check_token]))
        if may[Ability.MANAGE] and not order.check_token_revoked
        else None
    )
    return {
        **order_out(order, unmasked=unmasked),
        "missed": [{"day": s.day, "period": s.period} for s in selectors.order_missed(order=order)],
        "check_url": link,
        "link_revoked": order.check_token_revoked,
    }


@router.get(
    "/quarantine/orders/{order_id}/checks",
    response={200: list[CheckOut], **LIST},
    operation_id="quarantine_check_list",
    summary="An order's checks, newest first",
)
def check_list(request: AuthenticatedRequest, order_id: int) -> list[QuarantineCheck]:
    return list(selectors.checks_of(order=_order(request, order_id)))


@router.post(
    "/quarantine/orders/{order_id}/checks",
    response={201: CheckOut, **WRITE},
    operation_id="quarantine_check_record",
    summary="Record a check (a cadre, the site's staff)",
)
def check_record(
    request: AuthenticatedRequest, order_id: int, payload: CheckIn
) -> Status[QuarantineCheck]:
    check = checks.check_record(
        actor=request.user,
        order=_order(request, order_id),
        day=payload.day,
        period=payload.period,
        temperature=payload.temperature,
        symptoms=payload.symptoms,
    )
    return Status(201, check)


@router.get(
    "/quarantine/orders/{order_id}/changes",
    response={200: list[ChangeOut], **LIST},
    operation_id="quarantine_change_list",
    summary="An order's changes with their reasons, newest first",
)
def change_list(request: AuthenticatedRequest, order_id: int) -> list[Any]:
    return list(selectors.changes_of(order=_order(request, order_id)))


@dataclass(frozen=True)
class _Change:
    """One change of an order: its path, operation id and summary, the payload's schema and the
    service it calls (the payload's fields are the service's keywords, after ``prepare``)."""

    path: str
    operation_id: str
    summary: str
    schema: type[Schema]
    service: Callable[..., QuarantineOrder]
    # The payload's fields as the service's keywords, read in the caller's sight.
    prepare: Callable[[User, Any], dict[str, Any]] = lambda _user, payload: payload.model_dump()


def _move_fields(user: User, payload: MoveIn) -> dict[str, Any]:
    fields = payload.model_dump(exclude={"site_id"})
    fields["site"] = (
        selectors.site_for_write(user=user, site_id=payload.site_id) if payload.site_id else None
    )
    return fields


_CHANGES = (
    _Change(
        "move",
        "quarantine_order_move",
        "Move between home and a site (or another site or room)",
        MoveIn,
        changes.order_move,
        _move_fields,
    ),
    _Change("extend", "quarantine_order_extend", "Extend an order", ExtendIn, changes.order_extend),
    _Change(
        "end-early",
        "quarantine_order_end_early",
        "End an order before its period is over",
        OrderReasonIn,
        changes.order_end_early,
    ),
    _Change(
        "hospital",
        "quarantine_order_to_hospital",
        "Transfer the person to hospital",
        HospitalIn,
        changes.order_to_hospital,
    ),
    _Change(
        "release",
        "quarantine_order_release",
        "Release the person at the end of the period (the notice gets its number)",
        OrderReasonIn,
        changes.order_release,
    ),
    _Change(
        "link",
        "quarantine_order_link_revoke",
        "Revoke the person's check-in link (renew: issue a new one)",
        LinkIn,
        changes.order_link_revoke,
    ),
)


def _add_change(change: _Change) -> None:
    def view(request: AuthenticatedRequest, order_id: int, payload: Any) -> dict[str, Any]:
        order = _order(request, order_id)
        fields = change.prepare(request.user, payload)
        return order_out(change.service(actor=request.user, order=order, **fields))

    # The payload's schema as a real annotation: ninja reads it to build the request body.
    view.__annotations__ = {
        "request": AuthenticatedRequest,
        "order_id": int,
        "payload": change.schema,
        "return": dict[str, Any],
    }
    view.__name__ = view.__qualname__ = change.operation_id
    router.post(
        f"/quarantine/orders/{{order_id}}/{change.path}",
        response={200: OrderOut, **WRITE},
        operation_id=change.operation_id,
        summary=change.summary,
    )(view)


for _change in _CHANGES:
    _add_change(_change)


@router.get(
    "/quarantine/orders/{order_id}/notice.pdf",
    openapi_extra=file_answer(PDF),
    response={200: None, **READ, **problems(409)},
    operation_id="quarantine_release_notice",
    summary="The release notice (解除隔离通知书) of a released order, as a PDF",
)
def release_notice(request: AuthenticatedRequest, order_id: int) -> HttpResponse:
    order = _order(request, order_id)
    content = release_notice_pdf(order, checks=selectors.checks_of(order=order).count())
    response = HttpResponse(content, content_type=PDF)
    response["Content-Disposition"] = f'attachment; filename="notice-{order.notice_number}.pdf"'
    return response


@router.post(
    "/quarantine/exports/orders",
    response={**ACCEPTED, **WRITE},
    operation_id="quarantine_order_export",
    summary="Export orders with full numbers to Excel (roles with unmasked access; a job)",
)
def order_export(
    request: AuthenticatedRequest, response: HttpResponse, payload: OrderExportIn
) -> Status[dict[str, Any]]:
    filters = selectors.OrderFilters(
        status=payload.status,
        kind=payload.kind,
        site_id=payload.site_id,
        area_id=payload.area_id,
    )
    return job_accepted(orders_export_start(actor=request.user, filters=filters), response)
