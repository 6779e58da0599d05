"""Pages of households and residents: lists, details, forms, and the audited reveal of a
resident's ID number and mobile."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from dualtrack.areas import access
from dualtrack.areas.access import Permission
from dualtrack.areas.figures import household_resident_counts
from dualtrack.areas.forms.people import HouseholdForm, ResidentEditForm, ResidentForm
from dualtrack.areas.models import HOUSEHOLD_AREA_KINDS, Area, Household, Resident
from dualtrack.areas.selectors import (
    area_ancestors,
    area_get_for,
    household_get_for,
    household_list_for,
    resident_get_for,
    resident_list_for,
)
from dualtrack.areas.services import people as people_services
from dualtrack.core.errors import DomainError
from dualtrack.core.forms import add_domain_error
from dualtrack.core.views import (
    AuthenticatedRequest,
    confirmed_removal,
    domain_errors_as_http,
    is_htmx,
    query_id,
)

PAGE_SIZE = 50
HOUSEHOLD_RESIDENTS_SHOWN = 200
SEARCH_MAX_LENGTH = 100


def _breadcrumb(request: AuthenticatedRequest, area: Area) -> list[tuple[Area, bool]]:
    """The area's ancestors and the area itself, each with whether the user may open it."""
    return [(a, access.permissions_on(request.user, a).view) for a in [*area_ancestors(area), area]]


def _page(rows: list[Any]) -> tuple[list[Any], int | None]:
    """One keyset page from PAGE_SIZE + 1 rows: the rows to show, and the id to continue after."""
    if len(rows) > PAGE_SIZE:
        rows = rows[:PAGE_SIZE]
        return rows, rows[-1].pk
    return rows, None


# --- Households ----------------------------------------------------------------------------------


def _household_list_page(
    request: AuthenticatedRequest, area: Area, *, form: HouseholdForm | None = None
) -> HttpResponse:
    can_add = (
        area.kind in HOUSEHOLD_AREA_KINDS
        and access.permissions_on(request.user, area).manage_people
    )
    if form is None and can_add:
        form = HouseholdForm()
    households, next_after = _page(
        household_list_for(
            user=request.user,
            area_id=area.pk,
            after_id=query_id(request, "after") or 0,
            limit=PAGE_SIZE + 1,
        )
    )
    counts = household_resident_counts(households=households)
    context = {
        "area": area,
        "breadcrumb": _breadcrumb(request, area),
        "rows": [(household, counts.get(household.pk, 0)) for household in households],
        "next_after": next_after,
        "form": form if can_add else None,
    }
    return render(request, "areas/household_list.html", context)


@require_GET
@login_required
@domain_errors_as_http
def household_list(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The households under an area, 50 at a time, and a form to register one."""
    return _household_list_page(request, area_get_for(user=request.user, area_id=pk))


@require_POST
@login_required
@domain_errors_as_http
def household_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Register a household in a group, village or community."""
    area = area_get_for(user=request.user, area_id=pk)
    access.require(request.user, area, Permission.MANAGE_PEOPLE)
    form = HouseholdForm(request.POST)
    if form.is_valid():
        try:
            household = people_services.household_create(
                actor=request.user, area=area, **form.cleaned_data
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request, _("Household %(number)s registered.") % {"number": household.number}
            )
            return redirect("household_detail", pk=household.pk)
    return _household_list_page(request, area, form=form)


def _household_page(
    request: AuthenticatedRequest, household: Household, *, form: ResidentForm | None = None
) -> HttpResponse:
    allowed = access.permissions_on(request.user, household.area)
    can_manage = allowed.manage_people
    if form is None and can_manage:
        form = ResidentForm()
    residents = resident_list_for(
        user=request.user, household_id=household.pk, limit=HOUSEHOLD_RESIDENTS_SHOWN
    )
    context = {
        "household": household,
        "breadcrumb": _breadcrumb(request, household.area),
        "residents": residents,
        "more_residents": len(residents) >= HOUSEHOLD_RESIDENTS_SHOWN,
        "form": form if can_manage else None,
        "can_manage": can_manage,
        "can_view_audit": allowed.view_audit,
    }
    return render(request, "areas/household_detail.html", context)


@require_GET
@login_required
@domain_errors_as_http
def household_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A household, its residents, and a form to add one."""
    return _household_page(request, household_get_for(user=request.user, household_id=pk))


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def household_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Correct a household's number or address."""
    household = household_get_for(user=request.user, household_id=pk)
    access.require(request.user, household.area, Permission.MANAGE_PEOPLE)
    if request.method == "POST":
        form = HouseholdForm(request.POST)
        if form.is_valid():
            try:
                people_services.household_update(
                    actor=request.user, household=household, **form.cleaned_data
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("Changes saved."))
                return redirect("household_detail", pk=household.pk)
    else:
        form = HouseholdForm(initial={"number": household.number, "address": household.address})
    context = {
        "household": household,
        "breadcrumb": _breadcrumb(request, household.area),
        "form": form,
    }
    return render(request, "areas/household_form.html", context)


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def household_delete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Remove a household that has no residents, after confirmation."""
    household = household_get_for(user=request.user, household_id=pk)
    access.require(request.user, household.area, Permission.MANAGE_PEOPLE)
    return confirmed_removal(
        request,
        remove=lambda: people_services.household_delete(actor=request.user, household=household),
        title=_("Remove household %(number)s") % {"number": household.number},
        message=_("Only a household without residents can be removed. This cannot be undone."),
        cancel_url=reverse("household_detail", args=[household.pk]),
        done_message=_("Household %(number)s removed.") % {"number": household.number},
        done_url=reverse("household_list", args=[household.area_id]),
    )


@require_POST
@login_required
@domain_errors_as_http
def resident_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Register a resident in this household."""
    household = household_get_for(user=request.user, household_id=pk)
    access.require(request.user, household.area, Permission.MANAGE_PEOPLE)
    form = ResidentForm(request.POST)
    if form.is_valid():
        try:
            resident = people_services.resident_create(
                actor=request.user, household=household, **form.resident_values()
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("%(name)s registered.") % {"name": resident.name})
            return redirect("household_detail", pk=household.pk)
    return _household_page(request, household, form=form)


# --- Residents -----------------------------------------------------------------------------------


@require_GET
@login_required
@vary_on_headers("HX-Request")
@domain_errors_as_http
def resident_list(request: AuthenticatedRequest) -> HttpResponse:
    """Residents in scope, 50 at a time, found by name, exact ID number or exact mobile; htmx
    search-as-you-type gets only the rows."""
    query = request.GET.get("q", "").strip()[:SEARCH_MAX_LENGTH]
    area_id = query_id(request, "area")
    household_id = query_id(request, "household")
    area = area_get_for(user=request.user, area_id=area_id) if area_id else None
    household = (
        household_get_for(user=request.user, household_id=household_id) if household_id else None
    )
    residents, next_after = _page(
        resident_list_for(
            user=request.user,
            area_id=area.pk if area else None,
            household_id=household.pk if household else None,
            search=query,
            after_id=query_id(request, "after") or 0,
            limit=PAGE_SIZE + 1,
        )
    )
    context = {
        "query": query,
        "area": area,
        "household": household,
        "residents": residents,
        "next_after": next_after,
        "can_import": access.may_import_residents(request.user),
    }
    template = "areas/resident_list.html"
    return render(request, f"{template}#rows" if is_htmx(request) else template, context)


def _resident_context(request: AuthenticatedRequest, resident: Resident) -> dict[str, Any]:
    allowed = access.permissions_on(request.user, resident.area)
    return {
        "resident": resident,
        "breadcrumb": _breadcrumb(request, resident.area),
        "can_reveal": allowed.view_personal_data,
        "can_manage": allowed.manage_people,
        "can_view_audit": allowed.view_audit,
        "revealed": None,
    }


@require_GET
@login_required
@domain_errors_as_http
def resident_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A resident, with the ID number and mobile masked."""
    resident = resident_get_for(user=request.user, resident_id=pk)
    return render(request, "areas/resident_detail.html", _resident_context(request, resident))


@require_POST
@login_required
@never_cache
@domain_errors_as_http
def resident_reveal(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Show the full ID number and mobile to a role that may see them, and audit the view."""
    resident = resident_get_for(user=request.user, resident_id=pk)
    context = _resident_context(request, resident)
    context["revealed"] = people_services.resident_reveal(actor=request.user, resident=resident)
    template = "areas/resident_detail.html"
    return render(request, f"{template}#reveal" if is_htmx(request) else template, context)


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def resident_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Correct a resident's details; the stored ID number and mobile are kept unless replaced."""
    resident = resident_get_for(user=request.user, resident_id=pk)
    access.require(request.user, resident.area, Permission.MANAGE_PEOPLE)
    if request.method == "POST":
        form = ResidentEditForm(request.POST, resident=resident)
        if form.is_valid():
            try:
                people_services.resident_update(
                    actor=request.user, resident=resident, **form.resident_values()
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("Changes saved."))
                return redirect("resident_detail", pk=resident.pk)
    else:
        form = ResidentEditForm(
            initial={
                "name": resident.name,
                "relation": resident.relation,
                "residence": resident.residence,
            },
            resident=resident,
        )
    context = {
        "resident": resident,
        "breadcrumb": _breadcrumb(request, resident.area),
        "form": form,
    }
    return render(request, "areas/resident_form.html", context)


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def resident_delete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Remove a resident registered in error, after confirmation."""
    resident = resident_get_for(user=request.user, resident_id=pk)
    access.require(request.user, resident.area, Permission.MANAGE_PEOPLE)
    return confirmed_removal(
        request,
        remove=lambda: people_services.resident_delete(actor=request.user, resident=resident),
        title=_("Remove %(name)s") % {"name": resident.name},
        message=_(
            "Remove a resident only if they were registered in error; someone who moved "
            "away is edited instead. This cannot be undone."
        ),
        cancel_url=reverse("resident_detail", args=[resident.pk]),
        done_message=_("%(name)s removed.") % {"name": resident.name},
        done_url=reverse("household_detail", args=[resident.household_id]),
    )


urlpatterns: list[URLPattern] = [
    path("areas/<int:pk>/households/", household_list, name="household_list"),
    path("areas/<int:pk>/households/new/", household_create, name="household_create"),
    path("households/<int:pk>/", household_detail, name="household_detail"),
    path("households/<int:pk>/edit/", household_edit, name="household_edit"),
    path("households/<int:pk>/delete/", household_delete, name="household_delete"),
    path("households/<int:pk>/residents/new/", resident_create, name="resident_create"),
    path("residents/", resident_list, name="resident_list"),
    path("residents/<int:pk>/", resident_detail, name="resident_detail"),
    path("residents/<int:pk>/reveal/", resident_reveal, name="resident_reveal"),
    path("residents/<int:pk>/edit/", resident_edit, name="resident_edit"),
    path("residents/<int:pk>/delete/", resident_delete, name="resident_delete"),
]
