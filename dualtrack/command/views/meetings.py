"""Joint meetings' pages: the list, recording one, one meeting with its decisions and the
directives made from each."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from dualtrack.command import access, selectors
from dualtrack.command.forms import DecisionForm, MeetingForm, MinutesForm
from dualtrack.command.services import meetings as services
from dualtrack.core.errors import DomainError, PermissionDenied
from dualtrack.core.forms import add_domain_error
from dualtrack.core.views import AuthenticatedRequest, domain_errors_as_http


@require_GET
@login_required
@domain_errors_as_http
def meeting_list(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request,
        "command/meeting_list.html",
        {
            "meetings": selectors.meeting_list_for(user=request.user),
            "may_meet": access.district_wide(request.user, access.Ability.MEETINGS),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def meeting_create(request: AuthenticatedRequest) -> HttpResponse:
    if not access.district_wide(request.user, access.Ability.MEETINGS):
        raise PermissionDenied()
    form = MeetingForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.meeting_create(
                actor=request.user,
                title=data["title"],
                held_at=data["held_at"],
                place=data["place"],
                agenda=data["agenda"],
                participants=data["participants"],
                minutes=data["minutes"],
                decisions=data["decisions"].splitlines(),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The meeting is recorded."))
            return redirect("command_meeting", pk=meeting.pk)
    return render(
        request,
        "command/meeting_form.html",
        {"form": form},
        status=422 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def meeting_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for(user=request.user, meeting_id=pk)
    may_meet = access.district_wide(request.user, access.Ability.MEETINGS)
    form = DecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not may_meet:
            raise PermissionDenied()
        if form.is_valid():
            try:
                services.decision_add(
                    actor=request.user, meeting=meeting, text=form.cleaned_data["text"]
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("The decision is recorded."))
                return redirect("command_meeting", pk=meeting.pk)
    return render(
        request,
        "command/meeting_detail.html",
        {
            "meeting": meeting,
            "decisions": selectors.decisions_with_directives(user=request.user, meeting=meeting),
            "may_meet": may_meet,
            "may_edit_minutes": may_meet and meeting.created_by_id == request.user.pk,
            "may_issue": access.issuing_for(request.user) is not None,
            "form": form,
        },
        status=422 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def meeting_minutes(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The organiser edits the minutes after the meeting."""
    meeting = selectors.meeting_get_for(user=request.user, meeting_id=pk)
    if meeting.created_by_id != request.user.pk:
        raise PermissionDenied(_("Only the meeting's organiser may edit its minutes."))
    form = MinutesForm(
        request.POST if request.method == "POST" else None, initial={"minutes": meeting.minutes}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_minutes_edit(
                actor=request.user, meeting=meeting, minutes=form.cleaned_data["minutes"]
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The minutes are saved."))
            return redirect("command_meeting", pk=meeting.pk)
    return render(
        request,
        "command/minutes_form.html",
        {"form": form, "meeting": meeting},
        status=422 if request.method == "POST" else 200,
    )


urlpatterns: list[URLPattern] = [
    path("command/meetings/", meeting_list, name="command_meetings"),
    path("command/meetings/new/", meeting_create, name="command_meeting_create"),
    path("command/meetings/<int:pk>/", meeting_detail, name="command_meeting"),
    path("command/meetings/<int:pk>/minutes/", meeting_minutes, name="command_meeting_minutes"),
]
