"""The daily briefing's pages: the snapshots and briefings, freezing a day (a job), generating
a draft, editing and publishing it, its .docx and PDF, a correction; HQ's policy notices."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dualtrack.command import access, selectors
from dualtrack.command.briefing_text import district_rows, town_table
from dualtrack.command.documents import Kind, briefing_file, file_tag, fingerprint
from dualtrack.command.forms import BriefingForm, CorrectionForm, DayForm, NoticeForm
from dualtrack.command.models import Briefing
from dualtrack.command.services import briefings as services
from dualtrack.command.services.snapshots import snapshot_freeze_start
from dualtrack.core import media_types
from dualtrack.core.errors import DomainError, PermissionDenied
from dualtrack.core.forms import add_domain_error
from dualtrack.core.job_views import job_started
from dualtrack.core.views import AuthenticatedRequest, domain_errors_as_http, revalidated

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _require(request: AuthenticatedRequest) -> None:
    if not access.district_wide(request.user, access.Ability.BRIEFINGS):
        raise PermissionDenied()


def _yesterday() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=1)


@require_GET
@login_required
@domain_errors_as_http
def briefing_list(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request,
        "command/briefing_list.html",
        {
            # The list shows titles and days: a briefing's content and a snapshot's figures
            # (JSON of every town's figures, decoded row by row) stay unread.
            "briefings": selectors.briefing_list_for(user=request.user)
            .select_related(None)
            .only("pk", "number", "title", "status"),
            "snapshots": selectors.snapshot_list_for(user=request.user)[:14].only("pk", "day"),
            "may_brief": access.district_wide(request.user, access.Ability.BRIEFINGS),
            "freeze_form": DayForm(initial={"day": _yesterday()}, prefix="freeze"),
            "generate_form": DayForm(initial={"day": _yesterday()}, prefix="generate"),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def snapshot_freeze(request: AuthenticatedRequest) -> HttpResponse:
    _require(request)
    form = DayForm(
        request.POST if request.method == "POST" else None,
        prefix="freeze",
        initial={"day": _yesterday()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            job = snapshot_freeze_start(actor=request.user, day=form.cleaned_data["day"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return job_started(job)
    return render(
        request,
        "command/day_form.html",
        {"form": form, "heading": _("Freeze a day's figures")},
        status=422 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def briefing_generate(request: AuthenticatedRequest) -> HttpResponse:
    _require(request)
    form = DayForm(
        request.POST if request.method == "POST" else None,
        prefix="generate",
        initial={"day": _yesterday()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            briefing = services.briefing_generate(
                actor=request.user, snapshot_day=form.cleaned_data["day"]
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The draft is generated from the frozen figures."))
            return redirect("command_briefing", pk=briefing.pk)
    return render(
        request,
        "command/day_form.html",
        {"form": form, "heading": _("Generate a briefing")},
        status=422 if request.method == "POST" else 200,
    )


def briefing_context(briefing: Briefing) -> dict[str, object]:
    header, towns = town_table(briefing.content)
    return {
        "briefing": briefing,
        "rows": district_rows(briefing.content),
        "town_header": header,
        "town_rows": towns,
    }


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def briefing_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    briefing = selectors.briefing_get_for(user=request.user, briefing_id=pk)
    may_brief = access.district_wide(request.user, access.Ability.BRIEFINGS)
    form = BriefingForm(
        request.POST if request.method == "POST" else None,
        initial={"title": briefing.title, "narrative": briefing.narrative},
    )
    if request.method == "POST":
        _require(request)
        if form.is_valid():
            try:
                services.briefing_update(
                    actor=request.user,
                    briefing=briefing,
                    title=form.cleaned_data["title"],
                    narrative=form.cleaned_data["narrative"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("The draft is saved."))
                return redirect("command_briefing", pk=briefing.pk)
    context = briefing_context(briefing)
    context.update({"form": form, "may_brief": may_brief, "correction_form": CorrectionForm()})
    return render(
        request,
        "command/briefing_detail.html",
        context,
        status=422 if request.method == "POST" else 200,
    )


@require_POST
@login_required
@domain_errors_as_http
def briefing_publish(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    briefing = selectors.briefing_get_for(user=request.user, briefing_id=pk)
    try:
        services.briefing_publish(actor=request.user, briefing=briefing)
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        messages.error(request, " ".join(str(e["message"]) for e in exc.errors) or str(exc.message))
    else:
        messages.success(request, _("The briefing is published."))
    return redirect("command_briefing", pk=briefing.pk)


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def briefing_correct(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _require(request)
    briefing = selectors.briefing_get_for(user=request.user, briefing_id=pk)
    form = CorrectionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            correction = services.briefing_generate(
                actor=request.user,
                snapshot_day=briefing.snapshot.day,
                corrects=briefing,
                correction_note=form.cleaned_data["correction_note"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return redirect("command_briefing", pk=correction.pk)
    return render(
        request,
        "command/day_form.html",
        {"form": form, "heading": _("Correct the briefing")},
        status=422 if request.method == "POST" else 200,
    )


def document_response(
    request: HttpRequest, briefing: Briefing, kind: Kind, disposition: str
) -> HttpResponse:
    """The briefing's PDF or .docx, made once per version of the briefing (``documents``); "not
    modified" to a client that holds this version (its entity tag). Checked for access before."""
    digest = fingerprint(briefing)

    def respond() -> HttpResponse:
        response = HttpResponse(
            briefing_file(briefing, kind, digest),
            content_type=media_types.PDF if kind == "pdf" else DOCX,
        )
        response["Content-Disposition"] = (
            f'{disposition}; filename="briefing-{briefing.number}.{kind}"'
        )
        return response

    # Kept by the browser, asked about again each time: a draft's edit is a new version.
    return revalidated(request, file_tag(kind, digest), respond)


@require_GET
@login_required
@domain_errors_as_http
def briefing_docx_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    briefing = selectors.briefing_get_for(user=request.user, briefing_id=pk)
    return document_response(request, briefing, "docx", "attachment")


@require_GET
@login_required
@domain_errors_as_http
def briefing_pdf_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    briefing = selectors.briefing_get_for(user=request.user, briefing_id=pk)
    return document_response(request, briefing, "pdf", "attachment")


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def notice_create(request: AuthenticatedRequest) -> HttpResponse:
    _require(request)
    form = NoticeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.notice_publish(
                actor=request.user, title=form.cleaned_data["title"], body=form.cleaned_data["body"]
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The notice is published on the portal."))
            return redirect("portal")
    return render(
        request,
        "command/day_form.html",
        {"form": form, "heading": _("Publish a policy notice")},
        status=422 if request.method == "POST" else 200,
    )


urlpatterns: list[URLPattern] = [
    path("command/briefings/", briefing_list, name="command_briefings"),
    path("command/briefings/freeze/", snapshot_freeze, name="command_freeze"),
    path("command/briefings/new/", briefing_generate, name="command_briefing_generate"),
    path("command/briefings/<int:pk>/", briefing_detail, name="command_briefing"),
    path("command/briefings/<int:pk>/publish/", briefing_publish, name="command_briefing_publish"),
    path("command/briefings/<int:pk>/correct/", briefing_correct, name="command_briefing_correct"),
    path("command/briefings/<int:pk>/docx/", briefing_docx_view, name="command_briefing_docx"),
    path("command/briefings/<int:pk>/pdf/", briefing_pdf_view, name="command_briefing_pdf"),
    path("command/notices/new/", notice_create, name="command_notice_create"),
]
