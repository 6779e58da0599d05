"""Directives' pages: the list (by box), issuing (also from a meeting's decision), one directive
with its parts, and one small view per step of a part's follow-up."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dualtrack.areas.models import Area, OrgUnit
from dualtrack.areas.scoping import scope_for
from dualtrack.command import access, selectors
from dualtrack.command.files import attachment_read, file_response
from dualtrack.command.forms import CloseForm, DirectiveForm, FanOutForm, NoteForm, ProgressForm
from dualtrack.command.models import DirectiveAssignment
from dualtrack.command.services import directives as services
from dualtrack.command.services.directives import RECIPIENT_AREA_KINDS
from dualtrack.core.errors import DomainError, NotFound
from dualtrack.core.forms import add_domain_error
from dualtrack.core.views import AuthenticatedRequest, domain_errors_as_http

BOXES = ("to_me", "issued", "overdue", "all")
CHOICES_LIMIT = 300


def _area_choices(user: Any, within: Area) -> list[tuple[int, str]]:
    scope = scope_for(user)
    areas = Area.objects.filter(parent=within, kind__in=RECIPIENT_AREA_KINDS).order_by("code")
    return [(a.pk, a.name) for a in areas[:CHOICES_LIMIT] if scope.covers(a)]


def _unit_choices(user: Any, within: Area, own: OrgUnit | None) -> list[tuple[int, str]]:
    scope = scope_for(user)
    units = OrgUnit.objects.filter(area__code__startswith=within.code).select_related("area")
    if own is not None:
        units = units.exclude(pk=own.pk)
    return [(u.pk, u.name) for u in units[:CHOICES_LIMIT] if scope.covers(u.area)]


@require_GET
@login_required
@domain_errors_as_http
def directive_list(request: AuthenticatedRequest) -> HttpResponse:
    box = request.GET.get("box", "all")
    if box not in BOXES:
        box = "all"
    directives = list(selectors.directive_list_for(user=request.user, box=box)[:100])
    return render(
        request,
        "command/directive_list.html",
        {
            "directives": directives,
            "box": box,
            "may_issue": access.issuing_for(request.user) is not None,
            "may_meet": access.district_wide(request.user, access.Ability.MEETINGS),
            "may_brief": access.district_wide(request.user, access.Ability.BRIEFINGS),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def directive_create(request: AuthenticatedRequest) -> HttpResponse:
    issuing = access.issuing_for(request.user)
    if issuing is None:
        raise NotFound()
    decision = None
    decision_id = request.GET.get("decision") or request.POST.get("decision")
    if decision_id and decision_id.isdigit():
        decision = selectors.decision_get_for(user=request.user, decision_id=int(decision_id))
    form = DirectiveForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        areas=_area_choices(request.user, issuing.area),
        units=_unit_choices(request.user, issuing.area, issuing.unit),
        initial={"title": decision.text[:200] if decision else ""},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            directive = services.directive_issue(
                actor=request.user,
                title=data["title"],
                body=data["body"],
                done_when=data["done_when"],
                deadline=data["deadline"],
                check_key=data["check_key"] or "",
                area_ids=[int(i) for i in data["recipient_areas"]],
                unit_ids=[int(i) for i in data["recipient_units"]],
                files=data["attachments"],
                decision=decision,
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The directive is issued."))
            return redirect("command_directive", pk=directive.pk)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "command/directive_form.html",
        {"form": form, "issuing": issuing, "decision": decision},
        status=status,
    )


@require_GET
@login_required
@domain_errors_as_http
def directive_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    directive = selectors.directive_get_for(user=request.user, directive_id=pk)
    parts = selectors.parts_for(user=request.user, directive=directive)
    return render(
        request,
        "command/directive_detail.html",
        {
            "directive": directive,
            "parts": parts,
            "progress": selectors.directive_progress(parts),
            "issuer_side": access.on_issuer_side(request.user, directive),
            "attachments": directive.attachments.filter(report__isnull=True),
            "progress_form": ProgressForm(),
            "note_form": NoteForm(),
        },
    )


def _part(request: AuthenticatedRequest, pk: int) -> DirectiveAssignment:
    return selectors.assignment_get_for(user=request.user, assignment_id=pk)


def _back(part: DirectiveAssignment) -> HttpResponse:
    return redirect(reverse("command_directive", args=[part.directive_id]) + f"#part-{part.pk}")


def _refused(request: AuthenticatedRequest, exc: DomainError) -> None:
    if exc.status in (403, 404):
        raise exc
    messages.error(request, " ".join(str(e["message"]) for e in exc.errors) or str(exc.message))


@require_POST
@login_required
@domain_errors_as_http
def part_acknowledge(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    part = _part(request, pk)
    try:
        services.assignment_acknowledge(actor=request.user, assignment=part)
    except DomainError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Acknowledged."))
    return _back(part)


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def part_progress(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    part = _part(request, pk)
    form = ProgressForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.assignment_progress(
                actor=request.user,
                assignment=part,
                progress=form.cleaned_data["progress"],
                text=form.cleaned_data["text"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Progress reported."))
            return _back(part)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "command/part_form.html",
        {"form": form, "part": part, "heading": _("Report progress"), "multipart": False},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def part_close(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    part = _part(request, pk)
    post = request.method == "POST"
    form = CloseForm(request.POST if post else None, request.FILES if post else None)
    if post and form.is_valid():
        try:
            services.assignment_close(
                actor=request.user,
                assignment=part,
                text=form.cleaned_data["text"],
                files=form.cleaned_data["attachments"],
                use_check=form.cleaned_data["use_check"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Closed; the issuer will accept it or send it back."))
            return _back(part)
    return render(
        request,
        "command/part_form.html",
        {"form": form, "part": part, "heading": _("Close with evidence"), "multipart": True},
        status=422 if post else 200,
    )


def _decide(request: AuthenticatedRequest, pk: int, accept: bool) -> HttpResponse:
    part = _part(request, pk)
    form = NoteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            if accept:
                services.assignment_accept(
                    actor=request.user, assignment=part, text=form.cleaned_data["text"]
                )
            else:
                services.assignment_send_back(
                    actor=request.user, assignment=part, text=form.cleaned_data["text"]
                )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Accepted.") if accept else _("Sent back."))
            return _back(part)
    heading = _("Accept") if accept else _("Send back")
    return render(
        request,
        "command/part_form.html",
        {"form": form, "part": part, "heading": heading, "multipart": False},
        status=422 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def part_accept(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, accept=True)


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def part_send_back(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, accept=False)


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def part_fan_out(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    part = _part(request, pk)
    if not access.answers_for(request.user, part):
        raise NotFound()
    form = FanOutForm(
        request.POST if request.method == "POST" else None,
        areas=_area_choices(request.user, part.area),
        initial={"deadline": part.directive.deadline},
    )
    if request.method == "POST" and form.is_valid():
        try:
            sub = services.directive_fan_out(
                actor=request.user,
                assignment=part,
                deadline=form.cleaned_data["deadline"],
                area_ids=[int(i) for i in form.cleaned_data["recipient_areas"]],
                body=form.cleaned_data["body"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Passed on."))
            return redirect("command_directive", pk=sub.pk)
    return render(
        request,
        "command/part_form.html",
        {"form": form, "part": part, "heading": _("Pass on"), "multipart": False},
        status=422 if request.method == "POST" else 200,
    )


@require_GET
@login_required
@domain_errors_as_http
def attachment(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    item = selectors.attachment_get_for(user=request.user, attachment_id=pk)
    return file_response(attachment_read(item))


urlpatterns: list[URLPattern] = [
    path("command/", directive_list, name="command_directives"),
    path("command/directives/new/", directive_create, name="command_directive_create"),
    path("command/directives/<int:pk>/", directive_detail, name="command_directive"),
    path("command/parts/<int:pk>/acknowledge/", part_acknowledge, name="command_part_ack"),
    path("command/parts/<int:pk>/progress/", part_progress, name="command_part_progress"),
    path("command/parts/<int:pk>/close/", part_close, name="command_part_close"),
    path("command/parts/<int:pk>/accept/", part_accept, name="command_part_accept"),
    path("command/parts/<int:pk>/send-back/", part_send_back, name="command_part_send_back"),
    path("command/parts/<int:pk>/pass-on/", part_fan_out, name="command_part_fan_out"),
    path("command/attachments/<int:pk>/", attachment, name="command_attachment"),
]
