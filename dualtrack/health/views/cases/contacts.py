"""The contact pages: running a search (with its reason), a cadre's worklist, confirming a
close contact and placing a contact under quarantine in one click (htmx swaps the row)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dualtrack.core.errors import DomainError, NotFound, PermissionDenied
from dualtrack.core.forms import add_domain_error
from dualtrack.core.views import AuthenticatedRequest, domain_errors_as_http, is_htmx
from dualtrack.health.access.cases import contact_permissions
from dualtrack.health.models import Contact
from dualtrack.health.selectors import cases as selectors
from dualtrack.health.services import contacts as services
from dualtrack.health.views.cases.forms import ContactStatusForm, QuarantineForm, SearchForm
from dualtrack.health.views.cases.line_list import case_context


@require_POST
@login_required
@domain_errors_as_http
def search_run(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Search the registers for the case's contacts (or a contact's: contacts of contacts)."""
    case = selectors.case_get_for(user=request.user, case_id=pk)
    form = SearchForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        anchor = None
        if d["contact"]:
            anchor = selectors.contact_get_for(user=request.user, contact_id=d["contact"])
        try:
            search = services.contact_search(
                actor=request.user,
                case=case,
                reason=d["reason"],
                tolerance_minutes=d["tolerance_minutes"],
                days_before=d["days_before"],
                anchor_contact=anchor,
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request,
                _("%(n)d possible contacts found from %(p)d passages.")
                % {"n": search.found, "p": search.case_passages},
            )
            return redirect("health_case", pk=case.pk)
    context = case_context(request, case, search_form=form)
    template = "health/cases/detail.html"
    return render(
        request, f"{template}#search" if is_htmx(request) else template, context, status=422
    )


def _row(
    request: AuthenticatedRequest, contact: Contact, *, error: str = "", status: int = 200
) -> HttpResponse:
    context = {
        "c": contact,
        "cmay": contact_permissions(request.user, contact),
        "error": error,
        "quarantine_form": QuarantineForm(),
    }
    return render(request, "health/cases/contact_row.html", context, status=status)


def _back(request: AuthenticatedRequest, contact: Contact) -> HttpResponse:
    if is_htmx(request):
        return _row(request, contact)
    try:
        selectors.case_get_for(user=request.user, case_id=contact.case_id)
    except NotFound:
        return redirect("health_contact_worklist")
    return redirect("health_case", pk=contact.case_id)


@require_POST
@login_required
@domain_errors_as_http
def contact_status(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Confirm a close contact, rule one out, or put one back to possible."""
    contact = selectors.contact_get_for(user=request.user, contact_id=pk)
    form = ContactStatusForm(request.POST)
    if not form.is_valid():
        return _row(request, contact, error=_("Choose a status."), status=422)
    services.contact_set_status(
        actor=request.user, contact=contact, status=form.cleaned_data["status"]
    )
    return _back(request, contact)


@require_POST
@login_required
@domain_errors_as_http
def contact_quarantine(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Place the contact under quarantine (home by default) and link the order."""
    contact = selectors.contact_get_for(user=request.user, contact_id=pk)
    form = QuarantineForm(request.POST)
    if not form.is_valid():
        return _row(request, contact, error=_("Choose home or centralised quarantine."), status=422)
    try:
        services.contact_quarantine(actor=request.user, contact=contact, **form.cleaned_data)
    except (NotFound, PermissionDenied):
        raise
    except DomainError as exc:
        message = "; ".join(e["message"] for e in exc.errors) or str(exc.message)
        if is_htmx(request):
            return _row(request, contact, error=message, status=422)
        messages.error(request, message)
    else:
        if not is_htmx(request):
            messages.success(
                request, _("%(name)s is placed under quarantine.") % {"name": contact.name}
            )
    return _back(request, contact)


@require_GET
@login_required
def contact_worklist(request: AuthenticatedRequest) -> HttpResponse:
    """Possible contacts the user may confirm (a village cadre's: those of their villages)."""
    contacts = selectors.contacts_to_confirm_for(user=request.user)
    rows = [(c, contact_permissions(request.user, c)) for c in contacts]
    return render(
        request,
        "health/cases/worklist.html",
        {"contacts": rows, "quarantine_form": QuarantineForm()},
    )
