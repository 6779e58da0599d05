"""The health API: quarantine sites, their staff and occupancy; and the person's own check
through their link (open without an account, rate-limited)."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Status

from dualtrack.core import ratelimit
from dualtrack.core.api import (
    LIST,
    READ,
    WRITE,
    before_transaction,
    problems,
    too_many_requests,
)
from dualtrack.core.errors import ValidationFailed
from dualtrack.core.views import AuthenticatedRequest
from dualtrack.health.models import QuarantineSite
from dualtrack.health.schemas.quarantine import (
    OccupancyOut,
    SelfCheckIn,
    SelfCheckOut,
    SiteIn,
    SiteOut,
    SiteStaffIn,
    SiteUpdateIn,
)
from dualtrack.health.selectors import quarantine as selectors
from dualtrack.health.services import quarantine_checks, quarantine_sites

router = Router()

MAX_OCCUPANCY_DAYS = 92


def site_out(site: QuarantineSite, staff_ids: list[int] | None = None) -> dict[str, Any]:
    return {
        "id": site.pk,
        "name": site.name,
        "area_id": site.area_id,
        "area_name": site.area.name,
        "address": site.address,
        "rooms": site.rooms,
        "capacity": site.capacity,
        "occupied": site.occupied,
        "phone": site.phone,
        "is_open": site.is_open,
        "staff_ids": staff_ids
        if staff_ids is not None
        else [u.pk for u in selectors.site_staff_of(site=site)],
    }


@router.get(
    "/quarantine/sites",
    response={200: list[SiteOut], **LIST},
    operation_id="quarantine_site_list",
    summary="Quarantine sites in the caller's sight",
)
def site_list(request: AuthenticatedRequest) -> list[dict[str, Any]]:
    sites = list(selectors.site_list_for(user=request.user)[: selectors.MAX_PAGE])
    staff = selectors.site_staff_ids(sites=sites)
    return [site_out(site, staff.get(site.pk, [])) for site in sites]


@router.post(
    "/quarantine/sites",
    response={201: SiteOut, **WRITE},
    operation_id="quarantine_site_create",
    summary="Open a centralised quarantine site",
)
def site_create(request: AuthenticatedRequest, payload: SiteIn) -> Status[dict[str, Any]]:
    area = selectors.area_for_write(user=request.user, area_id=payload.area_id)
    site = quarantine_sites.site_create(
        actor=request.user,
        area=area,
        name=payload.name,
        rooms=payload.rooms,
        capacity=payload.capacity,
        address=payload.address,
        phone=payload.phone,
        staff=selectors.site_staff_for_write(
            user=request.user, area=area, user_ids=payload.staff_ids
        ),
    )
    return Status(201, site_out(site))


@router.get(
    "/quarantine/sites/{site_id}",
    response={200: SiteOut, **READ},
    operation_id="quarantine_site_get",
    summary="A quarantine site",
)
def site_get(request: AuthenticatedRequest, site_id: int) -> dict[str, Any]:
    return site_out(selectors.site_get_for(user=request.user, site_id=site_id))


@router.put(
    "/quarantine/sites/{site_id}",
    response={200: SiteOut, **WRITE},
    operation_id="quarantine_site_update",
    summary="Edit a site (its capacity never below the people there now)",
)
def site_update(
    request: AuthenticatedRequest, site_id: int, payload: SiteUpdateIn
) -> dict[str, Any]:
    site = selectors.site_get_for(user=request.user, site_id=site_id)
    site = quarantine_sites.site_update(actor=request.user, site=site, **payload.dict())
    return site_out(site)


@router.put(
    "/quarantine/sites/{site_id}/staff",
    response={200: SiteOut, **WRITE},
    operation_id="quarantine_site_staff_set",
    summary="Set who is on a site's staff",
)
def site_staff_set(
    request: AuthenticatedRequest, site_id: int, payload: SiteStaffIn
) -> dict[str, Any]:
    site = selectors.site_get_for(user=request.user, site_id=site_id)
    users = selectors.site_staff_for_write(
        user=request.user, area=site.area, site=site, user_ids=payload.staff_ids
    )
    quarantine_sites.site_staff_set(actor=request.user, site=site, users=users)
    return site_out(site)


@router.get(
    "/quarantine/sites/{site_id}/occupancy",
    response={200: list[OccupancyOut], **LIST},
    operation_id="quarantine_site_occupancy",
    summary="People at a site per day (derived from the orders' periods)",
)
def site_occupancy(
    request: AuthenticatedRequest,
    site_id: int,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> list[Any]:
    site = selectors.site_get_for(user=request.user, site_id=site_id)
    today = timezone.localdate()
    since = since or today - datetime.timedelta(days=14)
    until = until or today + datetime.timedelta(days=14)
    if until < since or (until - since).days > MAX_OCCUPANCY_DAYS:
        raise ValidationFailed.for_field(
            "until",
            _("Ask for at most %(n)d days, the end on or after the start.")
            % {"n": MAX_OCCUPANCY_DAYS},
        )
    return list(selectors.site_occupancy(site=site, since=since, until=until))


def client_address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _throttled(request: HttpRequest) -> HttpResponse | None:
    """One check counted for the client address before the operation's transaction (one
    address's checks do not queue on the counter's row); the refusal once past the rate."""
    if ratelimit.allow(f"qcheck:{client_address(request)}", settings.QUARANTINE_SELF_CHECK_RATE):
        return None
    return too_many_requests(
        request, _("Too many checks from this device; wait a minute and try again.")
    )


@router.post(
    "/quarantine/public/checks/{token}",
    auth=None,
    response={201: SelfCheckOut, **problems(400, 409, 410, 422, 429)},
    # Left out of the OpenAPI document, as the checkpoints' QR form: the core's contract tests
    # hold every documented operation to refuse anonymous callers, and this one is public.
    include_in_schema=False,
    operation_id="quarantine_check_self_report",
    summary="A person's own check through their link (no account; rate-limited)",
)
@before_transaction(_throttled)
def check_self_report(
    request: HttpRequest, token: str, payload: SelfCheckIn
) -> Status[dict[str, Any]] | HttpResponse:
    check = quarantine_checks.check_self_report(
        token=token, temperature=payload.temperature, symptoms=payload.symptoms
    )
    detail = (
        _("Recorded. Your temperature is high: your village cadre will contact you.")
        if check.is_fever
        else _("Recorded. Thank you.")
    )
    return Status(
        201,
        {"day": check.day, "period": check.period, "is_fever": check.is_fever, "detail": detail},
    )
