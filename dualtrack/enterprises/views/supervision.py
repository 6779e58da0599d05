"""Supervision pages: draw a sample, inspect, set and close rectifications."""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from dualtrack.core.errors import DomainError, NotFound, PermissionDenied
from dualtrack.core.forms import add_domain_error
from dualtrack.core.views import AuthenticatedRequest, domain_errors_as_http, query_id
from dualtrack.enterprises import access, selectors
from dualtrack.enterprises.forms import CloseForm, DrawForm, InspectionForm
from dualtrack.enterprises.models import InspectionPhoto
from dualtrack.enterprises.services import supervision
from dualtrack.enterprises.services.supervision import CHECKLIST


def _inspector(request: AuthenticatedRequest) -> None:
    access.require_staff(request.user)
    access.require_inspect_somewhere(request.user)


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def supervision_index(request: AuthenticatedRequest) -> HttpResponse:
    """Draw a sample; the draws so far; open rectifications, overdue first."""
    _inspector(request)
    form = DrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            draw = supervision.sample_draw(
                actor=request.user,
                fraction=form.cleaned_data["fraction"],
                seed=form.cleaned_data["seed"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request,
                _("%(n)d enterprises drawn (seed %(seed)d).")
                % {"n": len(draw.drawn), "seed": draw.seed},
            )
            return redirect("enterprise_draw", pk=draw.pk)
    today = timezone.localdate()
    context = {
        "form": form,
        "draws": selectors.draw_list_for(user=request.user)[:20],
        "rectifications": selectors.rectification_list_for(user=request.user)[:200],
        "today": today,
    }
    return render(request, "enterprises/supervision.html", context)


@require_GET
@login_required
@domain_errors_as_http
def draw_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A recorded draw: its seed, strata and the enterprises drawn."""
    _inspector(request)
    draw = selectors.draw_get_for(user=request.user, draw_id=pk)
    context = {
        "draw": draw,
        "strata": selectors.draw_strata(draw=draw),
        "enterprises": selectors.draw_enterprises(draw=draw),
    }
    return render(request, "enterprises/draw_detail.html", context)


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def inspection_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Inspect an enterprise against the checklist; findings, photos, a rectification."""
    _inspector(request)
    enterprise = selectors.enterprise_get_for(user=request.user, enterprise_id=pk)
    access.require_inspect(request.user, enterprise)
    draw_id = query_id(request, "draw")
    draw = (
        selectors.draw_get_for(user=request.user, draw_id=draw_id) if draw_id is not None else None
    )
    form = InspectionForm(
        request.POST or None,
        request.FILES or None,
        initial={"inspected_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        rectifications = (
            [(data["rectification"], data["deadline"])] if data["rectification"] else []
        )
        try:
            inspection = supervision.inspection_record(
                actor=request.user,
                enterprise=enterprise,
                inspected_on=data["inspected_on"],
                checklist={key: data[f"check_{key}"] for key in CHECKLIST},
                findings=data["findings"],
                rectifications=rectifications,
                photos=request.FILES.getlist("photos"),
                draw=draw,
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Inspection recorded."))
            return redirect("enterprise_inspection", pk=inspection.pk)
    return render(
        request,
        "enterprises/inspection_form.html",
        {"form": form, "enterprise": enterprise, "draw": draw},
    )


@require_GET
@login_required
@domain_errors_as_http
def inspection_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access.require_staff(request.user)
    inspection = selectors.inspection_get_for(user=request.user, inspection_id=pk)
    context = {
        "inspection": inspection,
        "checks": [(_(label), inspection.checklist.get(key)) for key, label in CHECKLIST.items()],
        "rectifications": inspection.rectifications.all(),
        "photos": inspection.photos.all(),
        "close_form": CloseForm(),
        "today": timezone.localdate(),
        "can_inspect": access.enterprise_permissions(request.user, inspection.enterprise).inspect,
    }
    return render(request, "enterprises/inspection_detail.html", context)


@require_http_methods(["POST"])
@login_required
@domain_errors_as_http
def rectification_close(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Close a rectification after re-inspection."""
    _inspector(request)
    item = selectors.rectification_get_for(user=request.user, rectification_id=pk)
    try:
        supervision.rectification_close(
            actor=request.user, rectification=item, note=request.POST.get("note", "")
        )
    except PermissionDenied:
        raise
    except DomainError as exc:
        messages.error(request, " ".join(str(e["message"]) for e in exc.errors) or str(exc.message))
    else:
        messages.success(request, _("Rectification closed."))
    return redirect("enterprise_inspection", pk=item.inspection_id)


@require_GET
@login_required
@domain_errors_as_http
def inspection_photo(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A photo of an inspection, for those who may see the inspection."""
    access.require_staff(request.user)
    photo = InspectionPhoto.objects.filter(pk=pk).first()
    if photo is None:
        raise NotFound()
    selectors.inspection_get_for(user=request.user, inspection_id=photo.inspection_id)
    content_type = mimetypes.guess_type(photo.file.name or "")[0] or "application/octet-stream"
    with photo.file.open("rb") as handle:
        return HttpResponse(handle.read(), content_type=content_type)


urlpatterns: list[URLPattern] = [
    path("enterprises/photos/<int:pk>/", inspection_photo, name="enterprise_inspection_photo"),
    path("enterprises/supervision/", supervision_index, name="enterprise_supervision"),
    path("enterprises/supervision/draws/<int:pk>/", draw_detail, name="enterprise_draw"),
    path(
        "enterprises/<int:pk>/inspections/new/",
        inspection_create,
        name="enterprise_inspection_create",
    ),
    path("enterprises/inspections/<int:pk>/", inspection_detail, name="enterprise_inspection"),
    path(
        "enterprises/rectifications/<int:pk>/close/",
        rectification_close,
        name="enterprise_rectification_close",
    ),
]
