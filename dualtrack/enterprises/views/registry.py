"""The registry pages: the list, one enterprise, the form, the Excel import and export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dualtrack.areas.scoping import Permission
from dualtrack.core.errors import DomainError, PermissionDenied
from dualtrack.core.forms import add_domain_error
from dualtrack.core.job_views import job_started
from dualtrack.core.views import AuthenticatedRequest, domain_errors_as_http, query_id
from dualtrack.enterprises import access, selectors
from dualtrack.enterprises.forms import EnterpriseForm, ImportForm, SuspendForm
from dualtrack.enterprises.models import Enterprise, ResumptionStatus
from dualtrack.enterprises.services import imports, registry
from dualtrack.enterprises.views.common import download

PAGE_SIZE = 50


LIST_COLUMNS = (
    "name",
    "credit_code",
    "size_class",
    "above_scale",
    "key_enterprise",
    "status",
    "area__name",
    "area__code",
    "division__code",
    "division__name",
)


@require_GET
@login_required
@domain_errors_as_http
def enterprise_index(request: AuthenticatedRequest) -> HttpResponse:
    """The registry in scope, filtered by town, resumption and name or credit code."""
    if access.enterprise_of_user(request.user) is not None:
        return redirect("portal_home")
    status = request.GET.get("status", "")
    qs = selectors.enterprise_list_for(
        user=request.user,
        town_id=query_id(request, "town"),
        status=status if status in ResumptionStatus.values else "",
        search=request.GET.get("q", "")[:100],
    )
    # The rows show these columns only: the contact's phone (decrypted row by row when read), the
    # address and the rest stay unread.
    qs = qs.only(*LIST_COLUMNS)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    may = access.registry_permissions(request.user)
    context = {
        "page": page,
        "towns": selectors.town_options_for(user=request.user),
        "statuses": ResumptionStatus.choices,
        "can_manage": may.manage,
        "can_set_phase": may.set_phase,
        "can_inspect": may.inspect,
        "phase": selectors.current_phase(),
        "queue_count": selectors.filing_queue_for(user=request.user).count(),
        "signup_count": selectors.signup_list_for(user=request.user).count(),
    }
    return render(request, "enterprises/enterprise_list.html", context)


@require_GET
@login_required
@domain_errors_as_http
def enterprise_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """One enterprise: registry entry, filings, reports, inspections."""
    access.require_staff(request.user)
    enterprise = selectors.enterprise_get_for(user=request.user, enterprise_id=pk)
    may = access.enterprise_permissions(request.user, enterprise)
    context = {
        "enterprise": enterprise,
        "filings": selectors.filing_list_for(user=request.user, enterprise_id=enterprise.pk),
        "reports": selectors.report_list_for(
            user=request.user, enterprise_id=enterprise.pk, limit=14
        ),
        "inspections": selectors.inspection_list_for(
            user=request.user, enterprise_id=enterprise.pk
        ),
        "roster_count": enterprise.employees.count(),
        "can_manage": may.manage,
        "can_inspect": may.inspect,
        "suspend_form": SuspendForm(),
    }
    return render(request, "enterprises/enterprise_detail.html", context)


def _form_page(request: AuthenticatedRequest, enterprise: Enterprise | None) -> HttpResponse:
    towns = selectors.town_options_for(user=request.user, permission=Permission.MANAGE_ENTERPRISES)
    if not towns:  # no town to register an enterprise in
        raise PermissionDenied()
    if request.method == "POST":
        form = EnterpriseForm(request.POST, towns=towns, enterprise=enterprise)
        if form.is_valid():
            try:
                data = registry.clean_enterprise(**form.enterprise_values())
                if enterprise is None:
                    saved = registry.enterprise_create(actor=request.user, data=data)
                else:
                    saved = registry.enterprise_update(
                        actor=request.user, enterprise=enterprise, data=data
                    )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("Enterprise “%(name)s” saved.") % {"name": saved.name})
                return redirect("enterprise_detail", pk=saved.pk)
    elif enterprise is not None:
        form = EnterpriseForm(
            towns=towns,
            enterprise=enterprise,
            initial={
                "credit_code": enterprise.credit_code,
                "name": enterprise.name,
                "town": enterprise.area_id,
                "legal_representative": enterprise.legal_representative,
                "contact_name": enterprise.contact_name,
                "address": enterprise.address,
                "division": enterprise.division_id,
                "above_scale": enterprise.above_scale,
                "size_class": enterprise.size_class,
                "key_enterprise": enterprise.key_enterprise,
                "normal_workforce": enterprise.normal_workforce,
            },
        )
    else:
        form = EnterpriseForm(towns=towns)
    return render(
        request, "enterprises/enterprise_form.html", {"form": form, "enterprise": enterprise}
    )


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def enterprise_create(request: AuthenticatedRequest) -> HttpResponse:
    """Register an enterprise."""
    access.require_staff(request.user)
    return _form_page(request, None)


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def enterprise_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Correct an enterprise's entry."""
    access.require_staff(request.user)
    enterprise = selectors.enterprise_get_for(user=request.user, enterprise_id=pk)
    access.require_manage(request.user, enterprise)
    return _form_page(request, enterprise)


@require_POST
@login_required
@domain_errors_as_http
def enterprise_suspend(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Suspend or resume an enterprise's work (after an inspection)."""
    access.require_staff(request.user)
    enterprise = selectors.enterprise_get_for(user=request.user, enterprise_id=pk)
    try:
        if request.POST.get("action") == "resume":
            registry.enterprise_resume(actor=request.user, enterprise=enterprise)
            messages.success(request, _("The enterprise may work again."))
        else:
            registry.enterprise_suspend(
                actor=request.user, enterprise=enterprise, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("The enterprise's work is suspended."))
    except PermissionDenied:
        raise
    except DomainError as exc:
        messages.error(request, " ".join(str(e["message"]) for e in exc.errors) or str(exc.message))
    return redirect("enterprise_detail", pk=enterprise.pk)


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
@domain_errors_as_http
def enterprise_import(request: AuthenticatedRequest) -> HttpResponse:
    """Upload the registry as a workbook: the import runs in the background, and its job page
    reports every bad row; nothing is half-imported."""
    access.require_staff(request.user)
    access.require_manage_somewhere(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = imports.enterprises_import_start(
                actor=request.user, file=upload, filename=upload.name
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return job_started(job)
    return render(request, "enterprises/import.html", {"form": form, "kind": "registry"})


@require_GET
@login_required
def enterprise_import_template(request: AuthenticatedRequest) -> HttpResponse:
    return download(imports.enterprises_import_template(), _("enterprises-template") + ".xlsx")


@require_POST
@login_required
@domain_errors_as_http
def enterprise_export(request: AuthenticatedRequest) -> HttpResponse:
    """Export the registry in scope as a workbook (phones masked), in the background."""
    access.require_staff(request.user)
    return job_started(imports.enterprises_export_start(actor=request.user))


urlpatterns: list[URLPattern] = [
    path("enterprises/", enterprise_index, name="enterprise_index"),
    path("enterprises/new/", enterprise_create, name="enterprise_create"),
    path("enterprises/import/", enterprise_import, name="enterprise_import"),
    path(
        "enterprises/import/template.xlsx",
        enterprise_import_template,
        name="enterprise_import_template",
    ),
    path("enterprises/export.xlsx", enterprise_export, name="enterprise_export"),
    path("enterprises/<int:pk>/", enterprise_detail, name="enterprise_detail"),
    path("enterprises/<int:pk>/edit/", enterprise_edit, name="enterprise_edit"),
    path("enterprises/<int:pk>/suspension/", enterprise_suspend, name="enterprise_suspend"),
]
