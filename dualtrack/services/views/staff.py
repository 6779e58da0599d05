"""The departments' pages (/services/requests/…, /services/desk/…): requests in sight, one
request with its history and its steps (each form its own small view), recording a call, a
counter's queue of a day and its slots, the figures, the export. An enterprise login sees its
own requests here."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dualtrack.core.errors import DomainError, PermissionDenied
from dualtrack.core.forms import add_domain_error
from dualtrack.core.job_views import job_started
from dualtrack.core.views import AuthenticatedRequest, domain_errors_as_http, query_id
from dualtrack.services import access, selectors
from dualtrack.services.figures import channels, service_figures
from dualtrack.services.forms import PhoneForm, PostReceivedForm, QueueDayForm, SlotForm, StepForm
from dualtrack.services.models import ServiceRequest, ServiceRequestStatus
from dualtrack.services.services import bookings, exports, requests
from dualtrack.services.services.calendar import days_left_while_paused


@require_GET
@login_required
@domain_errors_as_http
def request_list(request: AuthenticatedRequest) -> HttpResponse:
    access.require_see_requests(request.user)
    status = request.GET.get("status", "")[:20]
    page = selectors.request_page_for(
        user=request.user, status=status, after=query_id(request, "after") or 0
    )
    context = {
        "page": page,
        "status": status,
        "statuses": ServiceRequestStatus.choices,
        "may_record": access.handles_somewhere(request.user),
        "counters": list(selectors.counters_for(user=request.user)[:50]),
    }
    return render(request, "services/request_list.html", context)


@require_POST
@login_required
@domain_errors_as_http
def request_export(request: AuthenticatedRequest) -> HttpResponse:
    """Export the requests in sight as an Excel file, in the background."""
    return job_started(exports.REQUESTS_EXPORT.start(actor=request.user))


def _detail(
    request: AuthenticatedRequest,
    found: ServiceRequest,
    *,
    post_form: PostReceivedForm | None = None,
    step_form: StepForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "req": found,
        "history": selectors.request_history(request=found),
        "files": list(found.files.all()),
        "may_handle": access.may_handle_request(request.user, found),
        "post_form": post_form or PostReceivedForm(matter=found.matter),
        "step_form": step_form or StepForm(),
        "awaiting_post": found.status == ServiceRequestStatus.AWAITING_POST,
        "days_left": days_left_while_paused(found),
    }
    return render(request, "services/request_detail.html", context, status=status)


@require_GET
@login_required
@domain_errors_as_http
def request_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.request_get_for(user=request.user, request_id=pk))


@require_POST
@login_required
@domain_errors_as_http
def request_post_received(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    found = selectors.request_get_for(user=request.user, request_id=pk)
    access.require_handle_request(request.user, found)
    form = PostReceivedForm(request.POST, matter=found.matter)
    if form.is_valid():
        try:
            requests.request_post_received(actor=request.user, request=found, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return redirect("services_request", pk)
    return _detail(request, found, post_form=form, status=422)


@require_POST
@login_required
@domain_errors_as_http
def request_step(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    found = selectors.request_get_for(user=request.user, request_id=pk)
    access.require_handle_request(request.user, found)
    form = StepForm(request.POST)
    if form.is_valid():
        try:
            requests.request_advance(actor=request.user, request=found, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return redirect("services_request", pk)
    return _detail(request, found, step_form=form, status=422)


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def request_phone(request: AuthenticatedRequest) -> HttpResponse:
    matters = list(selectors.matters_handled(user=request.user)[:500])
    if not matters:
        access.require_see_requests(request.user)
        raise PermissionDenied()
    form = PhoneForm(request.POST or None, matters=matters)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                new, _token = requests.request_record_phone(
                    actor=request.user,
                    matter=selectors.matter_get(matter_id=data["matter"]),
                    applicant_name=data["applicant_name"],
                    mobile=data["mobile"],
                    documents=data["documents"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("Recorded: %(no)s.") % {"no": new.tracking_no})
                return redirect("services_request", new.pk)
    return render(request, "services/phone_form.html", {"form": form}, status=status)


@require_GET
@login_required
@domain_errors_as_http
def counter_queue(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    counter = selectors.counter_get_for(user=request.user, counter_id=pk)
    form = QueueDayForm(request.GET)
    day = (form.cleaned_data.get("day") if form.is_valid() else None) or timezone.localdate()
    queue = selectors.queue_of(counter=counter, day=day)
    context = {
        "counter": counter,
        "day": day,
        "form": form,
        "queue": queue,
        "slots": selectors.slots_of_day(counter=counter, day=day),
        "slot_form": SlotForm(initial={"day": day}),
        "may_keep": access.may_handle_department(request.user, counter.department),
    }
    return render(request, "services/counter_queue.html", context)


@require_POST
@login_required
@domain_errors_as_http
def slot_open(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    counter = selectors.counter_get_for(user=request.user, counter_id=pk)
    access.require_keep_counter(request.user, counter)
    form = SlotForm(request.POST)
    if form.is_valid():
        try:
            slot = bookings.slot_open(actor=request.user, counter=counter, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return redirect(f"{reverse('services_queue', args=[pk])}?day={slot.day:%Y-%m-%d}")
    context = {"counter": counter, "slot_form": form}
    return render(request, "services/slot_form.html", context, status=422)


@require_GET
@login_required
@domain_errors_as_http
def figures(request: AuthenticatedRequest) -> HttpResponse:
    access.require_see_requests(request.user)
    context = {"figures": service_figures(user=request.user), "channels": channels()}
    return render(request, "services/figures.html", context)


urlpatterns: list[URLPattern] = [
    path("services/requests/", request_list, name="services_requests"),
    path("services/requests/export/", request_export, name="services_export"),
    path("services/requests/phone/", request_phone, name="services_phone"),
    path("services/requests/<int:pk>/", request_detail, name="services_request"),
    path(
        "services/requests/<int:pk>/post-received/",
        request_post_received,
        name="services_post_received",
    ),
    path("services/requests/<int:pk>/step/", request_step, name="services_step"),
    path("services/desk/<int:pk>/", counter_queue, name="services_queue"),
    path("services/desk/<int:pk>/slots/", slot_open, name="services_slot_open"),
    path("services/figures/", figures, name="services_figures"),
]
