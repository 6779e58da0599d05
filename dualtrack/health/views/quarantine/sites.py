"""Quarantine sites' pages: the list, a new site, its page (occupancy per day with a chart, the
people there and their checks today, its staff), editing it, and setting its staff. A site's
staff land on their site's page."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dualtrack.areas.scoping import Permission
from dualtrack.areas.selectors import area_options_for
from dualtrack.core.errors import DomainError, NotFound
from dualtrack.core.views import AuthenticatedRequest, domain_errors_as_http
from dualtrack.health.access.quarantine import may_manage_anywhere, site_abilities
from dualtrack.health.models import OrderStatus, QuarantineSite
from dualtrack.health.selectors import quarantine as selectors
from dualtrack.health.selectors.quarantine_slots import current_slot
from dualtrack.health.services import quarantine_sites
from dualtrack.health.views.quarantine import forms as qforms

CHART_DAYS_BACK = 14
CHART_DAYS_AHEAD = 14


@require_GET
@login_required
def site_list(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    sites = list(selectors.site_list_for(user=user))
    context = {"sites": sites, "may_create": may_manage_anywhere(user)}
    return render(request, "health/quarantine/site_list.html", context)


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def site_new(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    if not may_manage_anywhere(user):
        raise NotFound()
    areas = area_options_for(user=user, permission=Permission.MANAGE_QUARANTINE)
    form = qforms.SiteForm(request.POST or None, areas=areas)
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                site = quarantine_sites.site_create(
                    actor=user,
                    area=d["area"],
                    name=d["name"],
                    address=d["address"],
                    rooms=d["rooms"],
                    capacity=d["capacity"],
                    phone=d["phone"],
                )
            except DomainError as exc:
                qforms.add_refusal(form, exc)
            else:
                messages.success(request, _("Site %(name)s opened.") % {"name": site.name})
                return redirect("quarantine_site_detail", pk=site.pk)
        return render(request, "health/quarantine/site_form.html", {"form": form}, status=422)
    return render(request, "health/quarantine/site_form.html", {"form": form})


def _site_context(
    request: AuthenticatedRequest, site: QuarantineSite, **forms_: Any
) -> dict[str, Any]:
    user = request.user
    may = site_abilities(user, site)
    today = timezone.localdate()
    days = selectors.site_occupancy(
        site=site,
        since=today - datetime.timedelta(days=CHART_DAYS_BACK),
        until=today + datetime.timedelta(days=CHART_DAYS_AHEAD),
    )
    people = list(
        selectors.order_list_for(
            user=user,
            filters=selectors.OrderFilters(site_id=site.pk, status=OrderStatus.ACTIVE),
        ).order_by("room", "name")
    )
    slot = current_slot()
    done = selectors.checked_orders(orders=people, day=slot.day, period=slot.period)
    missed = selectors.missed_for_orders(orders=people)
    staff = selectors.site_staff_of(site=site)
    return {
        "site": site,
        "may": may,
        "days": days,
        "chart": {
            "days": [d.day.isoformat() for d in days],
            "occupied": [d.occupied for d in days],
            "capacity": site.capacity,
            "today": today.isoformat(),
        },
        "people": [(o, o.pk in done, missed.get(o.pk, [])) for o in people],
        "slot": slot,
        "staff": staff,
        "edit_form": forms_.get("edit_form")
        or qforms.SiteEditForm(
            initial={
                "name": site.name,
                "address": site.address,
                "rooms": site.rooms,
                "capacity": site.capacity,
                "phone": site.phone,
                "is_open": site.is_open,
            }
        ),
        "staff_form": forms_.get("staff_form")
        or qforms.StaffForm(
            candidates=selectors.site_staff_candidates(area=site.area, site=site),
            initial={"users": [u.pk for u in staff]},
        ),
        "open": forms_.get("open", ""),
    }


@require_GET
@login_required
@domain_errors_as_http
def site_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    site = selectors.site_get_for(user=request.user, site_id=pk)
    return render(request, "health/quarantine/site_detail.html", _site_context(request, site))


@require_POST
@login_required
@domain_errors_as_http
def site_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    site = selectors.site_get_for(user=request.user, site_id=pk)
    form = qforms.SiteEditForm(request.POST)
    if form.is_valid():
        try:
            quarantine_sites.site_update(actor=request.user, site=site, **form.cleaned_data)
        except DomainError as exc:
            qforms.add_refusal(form, exc)
        else:
            messages.success(request, _("Site saved."))
            return redirect("quarantine_site_detail", pk=site.pk)
    context = _site_context(request, site, edit_form=form, open="edit")
    return render(request, "health/quarantine/site_detail.html", context, status=422)


@require_POST
@login_required
@domain_errors_as_http
def site_staff(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    site = selectors.site_get_for(user=request.user, site_id=pk)
    form = qforms.StaffForm(
        request.POST, candidates=selectors.site_staff_candidates(area=site.area, site=site)
    )
    if form.is_valid():
        try:
            quarantine_sites.site_staff_set(
                actor=request.user, site=site, users=list(form.cleaned_data["users"])
            )
        except DomainError as exc:
            qforms.add_refusal(form, exc)
        else:
            messages.success(request, _("Staff saved."))
            return redirect("quarantine_site_detail", pk=site.pk)
    context = _site_context(request, site, staff_form=form, open="staff")
    return render(request, "health/quarantine/site_detail.html", context, status=422)
