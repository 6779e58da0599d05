"""Pages of staff accounts and their role grants, for district administrators."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dualtrack.areas import access
from dualtrack.areas.access import Permission
from dualtrack.areas.forms.organisation import (
    RoleGrantForm,
    StaffSearchForm,
    StaffUserForm,
)
from dualtrack.areas.models import (
    OrgUnitKind,
)
from dualtrack.areas.selectors import (
    area_options_for,
    org_unit_list_for,
    role_grant_get_for,
    role_grant_list_for,
    user_list_for,
)
from dualtrack.areas.services.organisation import (
    role_grant_create,
    role_grant_revoke,
)
from dualtrack.areas.services.staff import staff_user_create
from dualtrack.areas.views.paging import PAGE_SIZE, first_page_url, next_page_url
from dualtrack.core import platform
from dualtrack.core.errors import DomainError, NotFound, PermissionDenied
from dualtrack.core.forms import add_domain_error
from dualtrack.core.views import (
    AuthenticatedRequest,
    domain_errors_as_http,
)


@require_GET
@login_required
@domain_errors_as_http
def staff_list(request: AuthenticatedRequest) -> HttpResponse:
    """Staff accounts with their role grants, 50 a page by username."""
    user = request.user
    access.require_manage_accounts(user)
    form = StaffSearchForm(request.GET)
    form.is_valid()
    query = (form.cleaned_data.get("q") or "").strip()
    users = user_list_for(user=user)
    if query:
        users = users.filter(Q(username__icontains=query) | Q(display_name__icontains=query))
    after = request.GET.get("after", "")
    if after:
        users = users.filter(username__gt=after)
    page = list(users[:PAGE_SIZE])
    grants: dict[int, list[Any]] = {}
    for grant in role_grant_list_for(user=user).filter(user_id__in=[u.pk for u in page]):
        grants.setdefault(grant.user_id, []).append(grant)
    context = {
        "form": form,
        "rows": [(account, grants.get(account.pk, [])) for account in page],
        "after": after,
        "first_page_url": first_page_url(request),
        "next_page_url": next_page_url(request, page[-1].username)
        if len(page) == PAGE_SIZE
        else None,
    }
    return render(request, "areas/staff_list.html", context)


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def staff_create(request: AuthenticatedRequest) -> HttpResponse:
    """Open a staff account; its roles are granted on the next page."""
    access.require_manage_accounts(request.user)
    form = StaffUserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account = staff_user_create(
                actor=request.user,
                username=form.cleaned_data["username"],
                display_name=form.cleaned_data["display_name"],
                password=form.cleaned_data["password"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request,
                _("Account “%(name)s” opened. Grant it a role so that it can see anything.")
                % {"name": account.username},
            )
            return redirect("staff_detail", user_id=account.pk)
    return render(request, "areas/staff_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def staff_detail(request: AuthenticatedRequest, user_id: int) -> HttpResponse:
    """An account, its role grants, and the form that grants another."""
    user = request.user
    access.require_manage_accounts(user)
    account = user_list_for(user=user).filter(pk=user_id).first()
    if account is None:
        raise NotFound()
    areas = list(
        area_options_for(user=user, permission=Permission.MANAGE_ORGANISATION, with_root=True)
    )
    groups = {g.pk: g for g in org_unit_list_for(user=user).filter(kind=OrgUnitKind.WORKING_GROUP)}
    group_choices: list[tuple[Any, Any]] = [(pk, g.name) for pk, g in groups.items()]
    if request.method == "POST":
        form = RoleGrantForm(request.POST, areas=areas, groups=group_choices)
        if form.is_valid():
            data = form.cleaned_data
            try:
                grant = role_grant_create(
                    actor=user,
                    user=account,
                    role=data["role"],
                    area=data["area_obj"],
                    org_unit=groups.get(data["org_unit"]) if data["org_unit"] else None,
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("Role granted: %(grant)s.") % {"grant": grant})
                return redirect("staff_detail", user_id=account.pk)
    else:
        form = RoleGrantForm(areas=areas, groups=group_choices)
    context = {
        "account": account,
        "grants": role_grant_list_for(user=user).filter(user=account),
        "form": form,
        # An enterprise's login is refused a role (role_grant_create): no form to fill in vain.
        "outside_account": platform.outside_account(account),
    }
    return render(request, "areas/staff_detail.html", context)


@require_POST
@login_required
@domain_errors_as_http
def staff_grant_revoke(request: AuthenticatedRequest, user_id: int, grant_id: int) -> HttpResponse:
    """Take a role grant away from an account."""
    access.require_manage_accounts(request.user)
    grant = role_grant_get_for(user=request.user, grant_id=grant_id)
    if grant.user_id != user_id:
        raise NotFound()
    label = str(grant)
    try:
        role_grant_revoke(actor=request.user, grant=grant)
    except (NotFound, PermissionDenied):
        raise
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Role revoked: %(grant)s.") % {"grant": label})
    return redirect("staff_detail", user_id=user_id)


urlpatterns: list[URLPattern] = [
    path("staff/", staff_list, name="staff_list"),
    path("staff/new/", staff_create, name="staff_create"),
    path("staff/<int:user_id>/", staff_detail, name="staff_detail"),
    path(
        "staff/<int:user_id>/grants/<int:grant_id>/revoke/",
        staff_grant_revoke,
        name="staff_grant_revoke",
    ),
]
