"""Claims (/subsidies/…): the list, a claim with its explanation, the enterprise's answer to an
offer, the group's decision, an application on the enterprise portal, and computing the offers
(a background job)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dualtrack.core.errors import DomainError, NotFound
from dualtrack.core.forms import add_domain_error
from dualtrack.core.views import AuthenticatedRequest, domain_errors_as_http
from dualtrack.enterprises.access import enterprise_of_user
from dualtrack.subsidies import access, selectors
from dualtrack.subsidies.forms import (
    ApproveForm,
    ConfirmForm,
    LoanForm,
    RefuseForm,
    RentForm,
    ShopForm,
)
from dualtrack.subsidies.models import ClaimStatus, ClauseKey
from dualtrack.subsidies.services import applications, claims, offers, payments, review

# The records an explanation names, as links to the pages that list them (an anchor per row):
# tickets and introducers for staff; a hire is a row of the enterprise's own roster, which only
# the enterprise's login sees.
REF_LINKS = {"ticket": "employment_tickets", "introduction": "employment_introducers"}
OWN_REF_LINKS = {"hire": "portal_roster"}


def _tree(node: dict[str, Any], zh: bool) -> dict[str, Any]:
    return {
        "text": node["zh"] if zh else node["en"],
        "amount": node["amount"],
        "refs": node["refs"],
        "children": [_tree(c, zh) for c in node["children"]],
    }


@require_GET
@login_required
@domain_errors_as_http
def claim_list(request: AuthenticatedRequest) -> HttpResponse:
    if not access.sees_subsidies(request.user):
        raise NotFound()
    clause = request.GET.get("clause", "")
    status = request.GET.get("status", "")
    after = request.GET.get("after", "")
    rows = selectors.claim_list_for(
        user=request.user,
        clause=clause if clause in ClauseKey.values else "",
        status=status if status in ClaimStatus.values else "",
        after=int(after) if after.isdigit() else 0,
    )
    context = {
        "claims": rows,
        "next_after": rows[-1].pk if len(rows) == selectors.PAGE else None,
        "clause": clause,
        "status": status,
        "clauses": ClauseKey.choices,
        "statuses": ClaimStatus.choices,
        "may_review": access.may_review(request.user),
        "own": enterprise_of_user(request.user),
        "applied": [(c, ClauseKey(c).label) for c in applications.APPLIED_CLAUSES],
    }
    return render(request, "subsidies/claim_list.html", context)


def _claim_page(
    request: AuthenticatedRequest, pk: int, *, status: int = 200, **forms: Any
) -> HttpResponse:
    claim = selectors.claim_get_for(user=request.user, claim_id=pk)
    zh = (get_language() or "zh").startswith("zh")
    own = enterprise_of_user(request.user)
    context = {
        "claim": claim,
        "tree": _tree(claim.explanation, zh),
        "duplicates": list(selectors.duplicates_of(claim)),
        "ledger": list(selectors.ledger_entries_of(claim)),
        "may_review": access.may_review(request.user),
        "is_own": own is not None and own.pk == claim.enterprise_id,
        "confirm_form": forms.get("confirm_form") or ConfirmForm(),
        "approve_form": forms.get("approve_form")
        or ApproveForm(initial={"amount": claim.computed_amount}),
        "refuse_form": forms.get("refuse_form") or RefuseForm(),
        "ref_links": OWN_REF_LINKS
        if own is not None and own.pk == claim.enterprise_id
        else REF_LINKS,
    }
    return render(request, "subsidies/claim_detail.html", context, status=status)


@require_GET
@login_required
@domain_errors_as_http
def claim_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _claim_page(request, pk)


@require_POST
@login_required
@domain_errors_as_http
def claim_confirm(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    claim = selectors.claim_get_for(user=request.user, claim_id=pk)
    form = ConfirmForm(request.POST)
    if form.is_valid():
        try:
            claims.offer_confirm(
                actor=request.user,
                claim=claim,
                bank_name=form.cleaned_data["bank_name"],
                bank_account=form.cleaned_data["bank_account"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return redirect("subsidies_claim", pk)
    return _claim_page(request, pk, status=422, confirm_form=form)


@require_POST
@login_required
@domain_errors_as_http
def claim_decline(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    claim = selectors.claim_get_for(user=request.user, claim_id=pk)
    claims.offer_decline(actor=request.user, claim=claim)
    return redirect("subsidies_claim", pk)


@require_POST
@login_required
@domain_errors_as_http
def claim_approve(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    claim = selectors.claim_get_for(user=request.user, claim_id=pk)
    form = ApproveForm(request.POST)
    if form.is_valid():
        try:
            review.claim_approve(
                actor=request.user,
                claim=claim,
                amount=form.cleaned_data["amount"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return redirect("subsidies_claim", pk)
    return _claim_page(request, pk, status=422, approve_form=form)


@require_POST
@login_required
@domain_errors_as_http
def claim_refuse(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    claim = selectors.claim_get_for(user=request.user, claim_id=pk)
    form = RefuseForm(request.POST)
    if form.is_valid():
        try:
            review.claim_refuse(actor=request.user, claim=claim, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return redirect("subsidies_claim", pk)
    return _claim_page(request, pk, status=422, refuse_form=form)


@require_POST
@login_required
@domain_errors_as_http
def claim_reverse(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Correct a paid claim by a reversing entry (the reason is required)."""
    claim = selectors.claim_get_for(user=request.user, claim_id=pk)
    form = RefuseForm(request.POST)
    if form.is_valid():
        try:
            payments.payment_reverse(
                actor=request.user, claim=claim, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return redirect("subsidies_claim", pk)
    return _claim_page(request, pk, status=422, refuse_form=form)


APPLY_FORMS = {"rent": RentForm, "loan": LoanForm, "shop": ShopForm}


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def apply(request: AuthenticatedRequest, clause: str) -> HttpResponse:
    form_class = APPLY_FORMS.get(clause)
    if form_class is None or enterprise_of_user(request.user) is None:
        raise NotFound()
    form = form_class(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "document"}
            for key in ("start", "end"):
                if data.get(key) is not None:
                    data[key] = data[key].isoformat()
            for key in ("area_m2", "principal", "monthly_rent"):
                if data.get(key) is not None:
                    data[key] = str(data[key])
            try:
                claim = applications.application_submit(
                    actor=request.user,
                    clause=clause,
                    data=data,
                    document=form.cleaned_data.get("document"),
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                return redirect("subsidies_claim", claim.pk)
    context = {"form": form, "clause": ClauseKey(clause).label}
    return render(request, "subsidies/apply.html", context, status=status)


@require_POST
@login_required
@domain_errors_as_http
def offers_start(request: AuthenticatedRequest) -> HttpResponse:
    job = offers.offers_start(actor=request.user)
    return redirect("job_detail", job.pk)


urlpatterns: list[URLPattern] = [
    path("subsidies/", claim_list, name="subsidies_index"),
    path("subsidies/claims/<int:pk>/", claim_detail, name="subsidies_claim"),
    path("subsidies/claims/<int:pk>/confirm/", claim_confirm, name="subsidies_claim_confirm"),
    path("subsidies/claims/<int:pk>/decline/", claim_decline, name="subsidies_claim_decline"),
    path("subsidies/claims/<int:pk>/approve/", claim_approve, name="subsidies_claim_approve"),
    path("subsidies/claims/<int:pk>/refuse/", claim_refuse, name="subsidies_claim_refuse"),
    path("subsidies/claims/<int:pk>/reverse/", claim_reverse, name="subsidies_claim_reverse"),
    path("subsidies/apply/<str:clause>/", apply, name="subsidies_apply"),
    path("subsidies/offers/compute/", offers_start, name="subsidies_offers_compute"),
]
