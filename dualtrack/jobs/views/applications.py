"""An application's page (/employment/applications/<id>/): who applied, each step with its time
and who took it, and one form per next step — screen, invite, offer, hire, reject, withdraw."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from dualtrack.core.errors import DomainError
from dualtrack.core.forms import ConfirmForm, add_domain_error
from dualtrack.core.views import AuthenticatedRequest, domain_errors_as_http
from dualtrack.enterprises.access import may_view_personal_data
from dualtrack.jobs import access, selectors
from dualtrack.jobs.forms import HireForm, InviteForm, NoteForm, ReasonForm
from dualtrack.jobs.models import ACTIVE_STATUSES, Application, ApplicationStatus
from dualtrack.jobs.services import personal, pipeline
from dualtrack.jobs.services.personal import Revealed

FORMS: dict[str, Callable[..., forms.Form]] = {
    "screen": NoteForm,
    "invite": InviteForm,
    "offer": ConfirmForm,
    "hire": HireForm,
    "reject": ReasonForm,
    "withdraw": ReasonForm,
}


def _next_steps(application: Application) -> set[str]:
    status = application.status
    steps: set[str] = set()
    if status == ApplicationStatus.SUBMITTED:
        steps |= {"screen", "invite"}
    if status == ApplicationStatus.SCREENED:
        steps |= {"invite", "offer"}
    if status == ApplicationStatus.INTERVIEW:
        steps |= {"invite", "offer"}
    if status == ApplicationStatus.OFFERED:
        steps.add("hire")
    if status in ACTIVE_STATUSES:
        steps |= {"reject", "withdraw"}
    return steps


def _page(
    request: AuthenticatedRequest,
    application: Application,
    bound: dict[str, forms.Form] | None = None,
    status: int = 200,
    revealed: Revealed | None = None,
) -> HttpResponse:
    bound = bound or {}
    may = access.may_recruit(request.user, application.enterprise)
    step_forms: dict[str, Any] = {}
    if may:
        initial: dict[str, dict[str, Any]] = {
            "hire": {
                "start_date": timezone.localdate(application.offered_at)
                if application.offered_at
                else None
            }
        }
        for step in _next_steps(application):
            step_forms[step] = bound.get(step) or FORMS[step](initial=initial.get(step))
    context = {
        "application": application,
        "events": selectors.application_events(application),
        "forms": step_forms,
        "may_recruit": may,
        "may_reveal": may_view_personal_data(request.user, application.enterprise),
        "revealed": revealed,
    }
    return render(request, "jobs/application_detail.html", context, status=status)


@require_GET
@login_required
@domain_errors_as_http
def application_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    application = selectors.application_get_for(user=request.user, application_id=pk)
    return _page(request, application)


@require_POST
@login_required
@domain_errors_as_http
def application_reveal(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The applicant's numbers, unmasked on this answer only (audited)."""
    application = selectors.application_get_for(user=request.user, application_id=pk)
    revealed = personal.applicant_reveal(actor=request.user, application=application)
    return _page(request, application, revealed=revealed)


def _step_view(
    step: str, run: Callable[[AuthenticatedRequest, Application, dict[str, Any]], object]
) -> Callable[..., HttpResponse]:
    @require_POST
    @login_required
    @domain_errors_as_http
    def view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
        application = selectors.application_get_for(user=request.user, application_id=pk)
        access.require_recruit(request.user, application.enterprise)
        form = FORMS[step](request.POST)
        if form.is_valid():
            try:
                run(request, application, form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
                return _page(request, application, {step: form}, status=exc.status)
            return redirect("employment_application", application.pk)
        return _page(request, application, {step: form}, status=422)

    view.__name__ = f"application_{step}"
    return view


screen = _step_view(
    "screen",
    lambda r, a, d: pipeline.application_screen(actor=r.user, application=a, note=d["note"]),
)
invite = _step_view(
    "invite",
    lambda r, a, d: pipeline.application_invite(actor=r.user, application=a, **d),
)
offer = _step_view("offer", lambda r, a, d: pipeline.application_offer(actor=r.user, application=a))
hire = _step_view(
    "hire", lambda r, a, d: pipeline.application_hire(actor=r.user, application=a, **d)
)
reject = _step_view(
    "reject",
    lambda r, a, d: pipeline.application_reject(actor=r.user, application=a, reason=d["reason"]),
)
withdraw = _step_view(
    "withdraw",
    lambda r, a, d: pipeline.application_withdraw(actor=r.user, application=a, reason=d["reason"]),
)

urlpatterns: list[URLPattern] = [
    path("employment/applications/<int:pk>/", application_detail, name="employment_application"),
    path(
        "employment/applications/<int:pk>/reveal/",
        application_reveal,
        name="employment_application_reveal",
    ),
    *(
        path(
            f"employment/applications/<int:pk>/{step}/", view, name=f"employment_application_{step}"
        )
        for step, view in (
            ("screen", screen),
            ("invite", invite),
            ("offer", offer),
            ("hire", hire),
            ("reject", reject),
            ("withdraw", withdraw),
        )
    ),
]
