"""Pages of the district tree, and the home page.

The home page lives here rather than in ``core`` because it is made of the user's role grants and
area scope, which belong to this app (``core`` imports no app).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dualtrack.areas import access
from dualtrack.areas.access import Permission, scope_for
from dualtrack.areas.figures import area_summary_for, district_headline_counts
from dualtrack.areas.forms.tree import AreaChildForm, AreaEditForm
from dualtrack.areas.models import CHILD_KINDS, HOUSEHOLD_AREA_KINDS, Area, Role
from dualtrack.areas.selectors import (
    area_ancestors,
    area_get_for,
    area_roots_for,
    own_role_grants,
)
from dualtrack.areas.services import tree as tree_services
from dualtrack.core.errors import DomainError
from dualtrack.core.forms import add_domain_error
from dualtrack.core.platform import home_url_for, waiting_for
from dualtrack.core.views import AuthenticatedRequest, confirmed_removal, domain_errors_as_http

# Roles that oversee more than one village: they get the organisation pages among their links.
OVERSEEING_ROLES = {Role.DISTRICT_ADMIN, Role.COMMANDER, Role.WORKING_GROUP, Role.TOWN_OFFICER}


@dataclass(frozen=True)
class QuickLink:
    label: Any
    url: str
    description: Any = ""


def _quick_links(request: AuthenticatedRequest) -> list[QuickLink]:
    scope = scope_for(request.user)
    links: list[QuickLink] = []
    if scope.is_empty:
        return links
    links.append(
        QuickLink(
            gettext_lazy("District tree"),
            reverse("area_index"),
            gettext_lazy("Towns, villages, groups and their households"),
        )
    )
    links.append(
        QuickLink(
            gettext_lazy("Residents"),
            reverse("resident_list"),
            gettext_lazy("Find a person by name, ID number or mobile"),
        )
    )
    if access.may_import_residents(request.user):
        links.append(
            QuickLink(
                gettext_lazy("Import residents"),
                "/residents/import/",
                gettext_lazy("Register many households and residents from a spreadsheet"),
            )
        )
    links.append(
        QuickLink(
            gettext_lazy("Coverage"),
            "/coverage/",
            gettext_lazy("Villages, households and industries not yet covered"),
        )
    )
    if scope.roles & OVERSEEING_ROLES:
        links.append(
            QuickLink(
                gettext_lazy("Organisation"),
                "/organisation/",
                gettext_lazy("Leading group, HQ, working groups and town commands"),
            )
        )
        links.append(
            QuickLink(
                gettext_lazy("Cadres"),
                "/cadres/",
                gettext_lazy("Cadres sent down and liaisons for every village"),
            )
        )
    if access.may_manage_accounts(request.user):
        links.append(
            QuickLink(
                gettext_lazy("Staff accounts"),
                "/staff/",
                gettext_lazy("Accounts and their roles"),
            )
        )
    return links


@require_GET
@login_required
def home(request: AuthenticatedRequest) -> HttpResponse:
    """Greeting, what waits for the user (open alerts…), their roles and areas, links that fit
    them, and district-wide figures."""
    elsewhere = None if access.has_grants(request.user) else home_url_for(request.user)
    if elsewhere:
        return redirect(elsewhere)
    context = {
        "grants": own_role_grants(user=request.user),
        "links": _quick_links(request),
        "counts": district_headline_counts(user=request.user),
        "waiting": waiting_for(request.user),
    }
    return render(request, "areas/area_home.html", context)


@require_GET
@login_required
def area_index(request: AuthenticatedRequest) -> HttpResponse:
    """The top of the user's part of the tree: straight to it when there is one root."""
    roots = list(area_roots_for(user=request.user))
    if len(roots) == 1:
        return redirect("area_detail", pk=roots[0].pk)
    return render(request, "areas/area_index.html", {"roots": roots})


def _breadcrumb(request: AuthenticatedRequest, area: Area) -> list[tuple[Area, bool]]:
    """The area's ancestors, each with whether the user may open it."""
    return [
        (ancestor, access.permissions_on(request.user, ancestor).view)
        for ancestor in area_ancestors(area)
    ]


def _area_page(
    request: AuthenticatedRequest, area: Area, *, child_form: AreaChildForm | None = None
) -> HttpResponse:
    allowed = access.permissions_on(request.user, area)
    can_manage_tree = allowed.manage_tree
    if child_form is None and can_manage_tree and CHILD_KINDS[area.kind]:
        child_form = AreaChildForm(parent=area)
    summary = area_summary_for(user=request.user, area=area)
    context = {
        "area": area,
        "breadcrumb": _breadcrumb(request, area),
        "summary": summary,
        "child_form": child_form,
        "can_manage_tree": can_manage_tree,
        "can_delete": can_manage_tree
        and area.parent_id is not None
        and not summary.children
        and not summary.households,
        "holds_households": area.kind in HOUSEHOLD_AREA_KINDS,
        "can_view_audit": allowed.view_audit,
    }
    return render(request, "areas/area_detail.html", context)


@require_GET
@login_required
@domain_errors_as_http
def area_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """An area: where it sits, its children with their counts, and what the user may change."""
    return _area_page(request, area_get_for(user=request.user, area_id=pk))


@require_POST
@login_required
@domain_errors_as_http
def area_child_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Add a child area (a town, village, community or group) under this one."""
    parent = area_get_for(user=request.user, area_id=pk)
    access.require(request.user, parent, Permission.MANAGE_TREE)
    form = AreaChildForm(request.POST, parent=parent)
    if form.is_valid():
        try:
            child = tree_services.area_create(
                actor=request.user, parent=parent, **form.cleaned_data
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("“%(name)s” added.") % {"name": child.name})
            return redirect("area_detail", pk=parent.pk)
    return _area_page(request, parent, child_form=form)


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def area_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Rename an area or set its GB/T 2260 code."""
    area = area_get_for(user=request.user, area_id=pk)
    access.require(request.user, area, Permission.MANAGE_TREE)
    if request.method == "POST":
        form = AreaEditForm(request.POST)
        if form.is_valid():
            try:
                tree_services.area_update(actor=request.user, area=area, **form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("Changes saved."))
                return redirect("area_detail", pk=area.pk)
    else:
        form = AreaEditForm(initial={"name": area.name, "official_code": area.official_code})
    context = {"area": area, "breadcrumb": _breadcrumb(request, area), "form": form}
    return render(request, "areas/area_form.html", context)


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def area_delete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Remove an empty area, after confirmation."""
    area = area_get_for(user=request.user, area_id=pk)
    access.require(request.user, area, Permission.MANAGE_TREE)
    return confirmed_removal(
        request,
        remove=lambda: tree_services.area_delete(actor=request.user, area=area),
        title=_("Remove %(name)s") % {"name": area.name},
        message=_(
            "Only an empty area can be removed: one without sub-areas, households, cadres, "
            "liaisons or staff. This cannot be undone."
        ),
        cancel_url=reverse("area_detail", args=[area.pk]),
        done_message=_("“%(name)s” removed.") % {"name": area.name},
        done_url=(
            reverse("area_detail", args=[area.parent_id])
            if area.parent_id
            else reverse("area_index")
        ),
    )


urlpatterns: list[URLPattern] = [
    path("", home, name="home"),
    path("areas/", area_index, name="area_index"),
    path("areas/<int:pk>/", area_detail, name="area_detail"),
    path("areas/<int:pk>/children/new/", area_child_create, name="area_child_create"),
    path("areas/<int:pk>/edit/", area_edit, name="area_edit"),
    path("areas/<int:pk>/delete/", area_delete, name="area_delete"),
]
