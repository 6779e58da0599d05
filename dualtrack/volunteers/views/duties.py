"""Duty rosters (/volunteers/roster/, /volunteers/duties/…): an area's week, its export, a
duty with the form that puts people on it, confirming one's own duty, recording the work, my
duties, and the figures per town."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dualtrack.areas.selectors import area_get_for
from dualtrack.core.errors import DomainError, NotFound, PermissionDenied
from dualtrack.core.forms import add_domain_error
from dualtrack.core.job_views import job_started
from dualtrack.core.media_types import XLSX
from dualtrack.core.validators import parse_id
from dualtrack.core.views import AuthenticatedRequest, domain_errors_as_http, href_parts
from dualtrack.volunteers import access, excel, figures, selectors
from dualtrack.volunteers.forms import AssignForm, DutyForm, FiguresForm, RecordForm, RosterForm
from dualtrack.volunteers.models import Duty
from dualtrack.volunteers.services import duties


def _after(request: AuthenticatedRequest) -> int | None:
    return parse_id(request.GET.get("after", "")) or None


def _roster_request(
    request: AuthenticatedRequest,
) -> tuple[RosterForm, selectors.Area | None, datetime.date]:
    """The form, the area asked for (the first in sight by default), the week's first day."""
    options = list(selectors.roster_area_options_for(user=request.user)[:500])
    area = options[0] if options else None
    start = timezone.localdate()
    # The week shown is the one the form says: today's when none was asked for.
    areas = [(a.pk, a.name) for a in options]
    if request.GET:
        data = request.GET.copy()
        if not data.get("start"):
            data["start"] = start.isoformat()
        form = RosterForm(data, areas=areas)
    else:
        form = RosterForm(initial={"area": area.pk if area else None, "start": start}, areas=areas)
    if form.is_bound and form.is_valid():
        area_id = form.cleaned_data["area"]
        if area_id:
            # One of the options (read in sight already) or, past the first 500, looked up.
            found = [a for a in options if a.pk == area_id]
            area = found[0] if found else area_get_for(user=request.user, area_id=area_id)
        start = form.cleaned_data["start"] or start
    return form, area, start


@require_GET
@login_required
@domain_errors_as_http
def roster(request: AuthenticatedRequest) -> HttpResponse:
    """An area's roster for a week: every checkpoint shift and community duty, with its people."""
    if not access.sees_front_line(request.user):
        access.require_manage_somewhere(request.user)
    form, area, start = _roster_request(request)
    page = selectors.RosterPage([], None)
    if area is not None:
        first, end = selectors.week_bounds(start)
        page = selectors.roster_page_for(
            user=request.user, area=area, start=first, end=end, after=_after(request)
        )
    more = request.GET.copy()
    more["after"] = str(page.next_after or "")
    context = {
        "form": form,
        "area": area,
        "start": start,
        "entries": page.entries,
        "next_after": page.next_after,
        "more_query": more.urlencode(),
        "may_manage": area is not None and access.may_manage(request.user, area),
        "query": request.GET.urlencode(),
        "duty_href": href_parts("volunteers_duty"),
        "shift_href": href_parts("volunteers_shift_duty"),
    }
    return render(request, "volunteers/roster.html", context)


@require_POST
@login_required
@domain_errors_as_http
def roster_export(request: AuthenticatedRequest) -> HttpResponse:
    """The same roster as an Excel workbook: a small week at once, a large one as a job whose
    page shows its progress and then the file."""
    _form, area, start = _roster_request(request)
    if area is None:
        raise NotFound()
    if not excel.roster_export_is_direct(user=request.user, area=area, start=start):
        return job_started(excel.roster_export_start(actor=request.user, area=area, start=start))
    entries = excel.roster_entries(user=request.user, area=area, start=start)
    response = HttpResponse(excel.roster_workbook(entries), content_type=XLSX)
    name = excel.roster_filename(area, start)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _duty_page(
    request: AuthenticatedRequest,
    duty: Duty,
    form: AssignForm | None = None,
    status: int = 200,
    problem: str = "",
) -> HttpResponse:
    manage = access.may_manage(request.user, duty.area)
    people = selectors.people_options_for_duty(user=request.user, duty=duty) if manage else []
    keys = access.person_keys_of(request.user)
    context = {
        "duty": duty,
        "assignments": list(duty.assignments.order_by("id")),
        "may_manage": manage,
        "my_keys": keys,
        "form": form or AssignForm(people=people),
        "record_form": RecordForm(),
        "started": duty.starts_at <= timezone.now(),
        "problem": problem,
    }
    return render(request, "volunteers/duty_detail.html", context, status=status)


@require_GET
@login_required
@domain_errors_as_http
def duty_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _duty_page(request, selectors.duty_get_for(user=request.user, duty_id=pk))


@require_POST
@login_required
@domain_errors_as_http
def shift_duty(request: AuthenticatedRequest, shift_id: int) -> HttpResponse:
    """Open the duty of a checkpoint's shift (made the first time), then its page."""
    duty = duties.duty_for_shift(actor=request.user, shift_id=shift_id)
    return redirect("volunteers_duty", duty.pk)


@require_POST
@login_required
@domain_errors_as_http
def duty_assign(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    duty = selectors.duty_get_for(user=request.user, duty_id=pk)
    access.require_duty(request.user, duty, manage=True)
    people = selectors.people_options_for_duty(user=request.user, duty=duty)
    form = AssignForm(request.POST, people=people)
    if form.is_valid():
        kind, person_id = form.person_kind_and_id()
        try:
            duties.duty_assign(actor=request.user, duty=duty, person_kind=kind, person_id=person_id)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return redirect("volunteers_duty", duty.pk)
    return _duty_page(request, duty, form, status=422)


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def duty_new(request: AuthenticatedRequest) -> HttpResponse:
    """A community duty in a village or community."""
    access.require_manage_somewhere(request.user)
    areas = [(a.pk, a.name) for a in selectors.duty_area_options_for(user=request.user)[:500]]
    form = DutyForm(request.POST or None, areas=areas)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                area = area_get_for(user=request.user, area_id=data["area"])
                duty = duties.duty_create(
                    actor=request.user,
                    area=area,
                    title=data["title"],
                    starts_at=data["starts_at"],
                    ends_at=data["ends_at"],
                    needed=data["needed"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                return redirect("volunteers_duty", duty.pk)
    return render(request, "volunteers/duty_form.html", {"form": form}, status=status)


@require_POST
@login_required
@domain_errors_as_http
def assignment_confirm(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    assignment = selectors.assignment_get_for(user=request.user, assignment_id=pk)
    try:
        duties.assignment_confirm(actor=request.user, assignment=assignment)
    except DomainError as exc:
        if isinstance(exc, NotFound | PermissionDenied):
            raise
        return _duty_page(request, assignment.duty, status=exc.status, problem=str(exc.message))
    if request.POST.get("next") == "mine":
        return redirect("volunteers_mine")
    return redirect("volunteers_duty", assignment.duty_id)


@require_POST
@login_required
@domain_errors_as_http
def assignment_record(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    assignment = selectors.assignment_get_for(user=request.user, assignment_id=pk)
    form = RecordForm(request.POST)
    if not form.is_valid():
        problem = str(next(iter(form.errors.values()))[0])
        return _duty_page(request, assignment.duty, status=422, problem=problem)
    try:
        duties.assignment_record(
            actor=request.user, assignment=assignment, worked=form.cleaned_data["worked"]
        )
    except DomainError as exc:
        if isinstance(exc, NotFound | PermissionDenied):
            raise
        return _duty_page(request, assignment.duty, status=exc.status, problem=str(exc.message))
    return redirect("volunteers_duty", assignment.duty_id)


@require_GET
@login_required
def mine(request: AuthenticatedRequest) -> HttpResponse:
    """The duties the signed-in person is put on, each to confirm."""
    context = {"assignments": selectors.my_assignments(user=request.user)}
    return render(request, "volunteers/mine.html", context)


@require_GET
@login_required
@domain_errors_as_http
def figures_page(request: AuthenticatedRequest) -> HttpResponse:
    """Per town: people and volunteers on duty on a day, hours served, gaps."""
    if not access.sees_front_line(request.user):
        access.require_manage_somewhere(request.user)
    form = FiguresForm(request.GET or None)
    day = timezone.localdate()
    if form.is_bound and form.is_valid() and form.cleaned_data["day"]:
        day = form.cleaned_data["day"]
    towns = figures.town_figures(user=request.user, day=day)
    return render(request, "volunteers/figures.html", {"form": form, "day": day, "towns": towns})


urlpatterns: list[URLPattern] = [
    path("volunteers/roster/", roster, name="volunteers_roster"),
    path("volunteers/roster/export/", roster_export, name="volunteers_roster_export"),
    path("volunteers/duties/new/", duty_new, name="volunteers_duty_new"),
    path("volunteers/duties/<int:pk>/", duty_detail, name="volunteers_duty"),
    path("volunteers/duties/<int:pk>/assign/", duty_assign, name="volunteers_assign"),
    path("volunteers/shifts/<int:shift_id>/duty/", shift_duty, name="volunteers_shift_duty"),
    path(
        "volunteers/assignments/<int:pk>/confirm/",
        assignment_confirm,
        name="volunteers_confirm",
    ),
    path("volunteers/assignments/<int:pk>/record/", assignment_record, name="volunteers_record"),
    path("volunteers/mine/", mine, name="volunteers_mine"),
    path("volunteers/figures/", figures_page, name="volunteers_figures"),
]
