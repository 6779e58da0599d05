"""The registry of checkpoints: the list, a checkpoint's page (the ten-ones kit, staff, the
duty roster and its handovers, recent passages), create and edit forms, the QR link's rotation
and the towns' readiness. Posters and the Excel export are in ``documents``."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from dualtrack.checkpoints.access import (
    Ability,
    checkpoint_abilities,
    may_create_checkpoints,
    require_checkpoint,
    staff_candidates,
)
from dualtrack.checkpoints.figures import Counts
from dualtrack.checkpoints.forms import (
    CheckpointForm,
    HandoverForm,
    KitCheckForm,
    ShiftForm,
    StaffForm,
    form_error_texts,
)
from dualtrack.checkpoints.models import (
    Checkpoint,
    CheckpointStatus,
    KitItem,
    Shift,
    ShiftFigure,
)
from dualtrack.checkpoints.selectors.alerts import alert_inbox_count_for
from dualtrack.checkpoints.selectors.checkpoints import (
    checkpoint_get_for,
    checkpoint_list_for,
    checkpoints_staffed_by,
    current_shift,
    kit_for,
    readiness_for,
    readiness_of,
    shift_get_for,
    shift_list_for,
)
from dualtrack.checkpoints.selectors.references import (
    cadre_choices_for,
    checkpoint_area_options_for,
    town_options_for,
)
from dualtrack.checkpoints.selectors.register import passage_list_for
from dualtrack.checkpoints.services import passages as passage_services
from dualtrack.checkpoints.services import registry as registry_services
from dualtrack.core import views as kernel_views
from dualtrack.core.errors import DomainError, NotFound
from dualtrack.core.forms import ConfirmForm, add_domain_error
from dualtrack.core.views import AuthenticatedRequest, domain_errors_as_http, is_htmx, query_id

LIST_SHOWN = 300
RECENT_PASSAGES_SHOWN = 20
SHIFTS_SHOWN = 14
SEARCH_MAX_LENGTH = 50


def _managed(request: AuthenticatedRequest, pk: int) -> Checkpoint:
    """A checkpoint in scope (404) that the user may manage (403)."""
    checkpoint = checkpoint_get_for(user=request.user, checkpoint_id=pk)
    require_checkpoint(request.user, checkpoint, Ability.MANAGE)
    return checkpoint


# --- The list ------------------------------------------------------------------------------------


@require_GET
@login_required
@vary_on_headers("HX-Request")
@domain_errors_as_http
def checkpoint_index(request: AuthenticatedRequest) -> HttpResponse:
    """Checkpoints in the user's scope, filtered by town, status and name, with their readiness.
    Staff of exactly one gate (and nothing to manage) go straight to its register."""
    user = request.user
    filtered = any(request.GET.get(key) for key in ("town", "status", "q", "all"))
    if not filtered and not may_create_checkpoints(user):
        staffed = list(checkpoints_staffed_by(user=user)[:2])
        if len(staffed) == 1:
            return redirect("checkpoint_register", pk=staffed[0].pk)
    town_id = query_id(request, "town")
    status = request.GET.get("status", "")
    status = status if status in CheckpointStatus.values else ""
    query = request.GET.get("q", "").strip()[:SEARCH_MAX_LENGTH]
    # Hundreds of rows at a district's size: read what the rows show (not the areas' outlines
    # nor the persons in charge), and the readiness of those rows only.
    listed = checkpoint_list_for(user=user, town_id=town_id, status=status or None, q=query)
    listed = listed.select_related(None).select_related("area").defer("area__geometry")
    checkpoints = list(listed[: LIST_SHOWN + 1])
    more = len(checkpoints) > LIST_SHOWN
    checkpoints = checkpoints[:LIST_SHOWN]
    gaps = readiness_of([c for c in checkpoints if c.status == CheckpointStatus.OPEN])
    labels = kernel_views.choice_labels(CheckpointStatus)
    context = {
        "rows": [
            (c, gaps[c.pk] if c.pk in gaps and not gaps[c.pk].ready else None, labels[c.status])
            for c in checkpoints
        ],
        "more": more,
        "towns": town_options_for(user=user),
        "town_id": town_id,
        "status": status,
        "statuses": CheckpointStatus.choices,
        "query": query,
        "can_create": may_create_checkpoints(user),
        "staffed": list(checkpoints_staffed_by(user=user)[:20]),
        "kit_total": len(KitItem.values),
        "inbox_count": alert_inbox_count_for(user=user),
    }
    template = "checkpoints/checkpoint_list.html"
    return render(request, f"{template}#rows" if is_htmx(request) else template, context)


# --- Create and edit -----------------------------------------------------------------------------


def _form_values(form: CheckpointForm) -> dict[str, Any]:
    values = dict(form.cleaned_data)
    values.pop("area", None)
    return values


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def checkpoint_create(request: AuthenticatedRequest) -> HttpResponse:
    """Register a checkpoint at a village or community entrance."""
    areas = checkpoint_area_options_for(user=request.user)
    if not areas.exists():
        raise NotFound()
    form = CheckpointForm(
        request.POST if request.method == "POST" else None,
        areas=areas,
        cadres=cadre_choices_for(user=request.user),
        initial={"status": CheckpointStatus.OPEN, "area": query_id(request, "area")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            checkpoint = registry_services.checkpoint_create(
                actor=request.user, area=form.cleaned_data["area"], **_form_values(form)
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Checkpoint %(name)s registered.") % {"name": checkpoint})
            return redirect("checkpoint_detail", pk=checkpoint.pk)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "checkpoints/checkpoint_form.html",
        {"form": form, "checkpoint": None},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def checkpoint_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Correct a checkpoint's details, hours, person in charge or status."""
    checkpoint = _managed(request, pk)
    initial = {
        name: getattr(checkpoint, name)
        for name in (
            "name",
            "kind",
            "status",
            "opens_at",
            "closes_at",
            "person_in_charge",
            "duty_team",
            "chat_group",
            "latitude",
            "longitude",
        )
    }
    form = CheckpointForm(
        request.POST if request.method == "POST" else None,
        areas=checkpoint_area_options_for(user=request.user).none(),
        cadres=cadre_choices_for(user=request.user, checkpoint=checkpoint),
        editing=True,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            registry_services.checkpoint_update(
                actor=request.user, checkpoint=checkpoint, **_form_values(form)
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("checkpoint_detail", pk=checkpoint.pk)
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "checkpoint": checkpoint}
    return render(request, "checkpoints/checkpoint_form.html", context, status=status)


# --- A checkpoint's page -------------------------------------------------------------------------


def _shift_counts(shift: Shift) -> Counts:
    try:
        return Counts.of(shift.figure)
    except ShiftFigure.DoesNotExist:
        return Counts()


def _detail_context(
    request: AuthenticatedRequest,
    checkpoint: Checkpoint,
    *,
    shift_form: ShiftForm | None = None,
    staff_form: StaffForm | None = None,
) -> dict[str, Any]:
    may = checkpoint_abilities(request.user, checkpoint)
    can_manage = may.manage
    staff = list(checkpoint.staff.order_by("username"))
    # Each shift's summary rides along (Counts.of its figure row): one query, not one a shift.
    shifts = list(
        shift_list_for(user=request.user, checkpoint=checkpoint).select_related("figure")[
            :SHIFTS_SHOWN
        ]
    )
    if can_manage and shift_form is None:
        now = timezone.localtime().replace(minute=0, second=0, microsecond=0)
        shift_form = ShiftForm(
            candidates=checkpoint.staff.all(),
            initial={
                "starts_at": now.strftime("%Y-%m-%dT%H:%M"),
                "ends_at": (now + datetime.timedelta(hours=8)).strftime("%Y-%m-%dT%H:%M"),
            },
        )
    if can_manage and staff_form is None:
        staff_form = StaffForm(
            candidates=staff_candidates(checkpoint),
            initial={"users": [u.pk for u in staff]},
        )
    return {
        "checkpoint": checkpoint,
        "kit": kit_for(checkpoint=checkpoint),
        "can_manage": can_manage,
        "can_check_kit": may.use_kit,
        "can_register": may.register,
        "can_export": may.view_personal_data,
        "can_reveal": may.view_personal_data,
        "revealed": False,
        "can_poster": may.use_kit,
        "staff": staff,
        "staff_form": staff_form,
        "current_shift": current_shift(checkpoint=checkpoint),
        "shifts": [(shift, _shift_counts(shift)) for shift in shifts],
        "shift_form": shift_form,
        "handover_form": HandoverForm(),
        "recent": passage_list_for(
            user=request.user, checkpoint=checkpoint, limit=RECENT_PASSAGES_SHOWN
        )
        if may.read_register
        else None,
        "public_url": request.build_absolute_uri(
            reverse("public_register", args=[checkpoint.qr_token])
        ),
    }


@require_GET
@login_required
@domain_errors_as_http
def checkpoint_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A checkpoint: where, when, who; its kit, staff, roster and recent passages."""
    checkpoint = checkpoint_get_for(user=request.user, checkpoint_id=pk)
    return render(
        request, "checkpoints/checkpoint_detail.html", _detail_context(request, checkpoint)
    )


@require_POST
@login_required
@never_cache
@domain_errors_as_http
def checkpoint_passages_reveal(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The recent passages with full ID numbers and mobiles, for a role that may see them; the
    view is recorded in the audit trail (as the API's ``unmasked=true`` is)."""
    checkpoint = checkpoint_get_for(user=request.user, checkpoint_id=pk)
    context = _detail_context(request, checkpoint)
    passage_services.register_unmasked_view(
        actor=request.user,
        checkpoint=checkpoint,
        note=f"checkpoint page: {len(context['recent'] or [])} passages",
    )
    context["revealed"] = True
    template = "checkpoints/checkpoint_detail.html"
    return render(request, f"{template}#passages" if is_htmx(request) else template, context)


@require_POST
@login_required
@domain_errors_as_http
def checkpoint_kit(request: AuthenticatedRequest, pk: int, item: str) -> HttpResponse:
    """Tick or untick one of the ten ones; htmx gets the kit list back."""
    checkpoint = checkpoint_get_for(user=request.user, checkpoint_id=pk)
    if item not in KitItem.values:
        raise NotFound()
    form = KitCheckForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            registry_services.kit_check(
                actor=request.user,
                checkpoint=checkpoint,
                item=item,
                present=form.cleaned_data["present"],
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
    if form.errors:
        error = "; ".join(form_error_texts(form))
    if not is_htmx(request):
        if error:
            messages.error(request, error)
        return redirect("checkpoint_detail", pk=checkpoint.pk)
    context = {
        "checkpoint": checkpoint,
        "kit": kit_for(checkpoint=checkpoint),
        "can_check_kit": checkpoint_abilities(request.user, checkpoint).use_kit,
        "kit_error": error,
    }
    return render(
        request,
        "checkpoints/checkpoint_detail.html#kit",
        context,
        status=422 if error else 200,
    )


@require_POST
@login_required
@domain_errors_as_http
def checkpoint_staff(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Replace who may register at this gate."""
    checkpoint = _managed(request, pk)
    form = StaffForm(request.POST, candidates=staff_candidates(checkpoint))
    if form.is_valid():
        try:
            registry_services.checkpoint_staff_set(
                actor=request.user, checkpoint=checkpoint, users=list(form.cleaned_data["users"])
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Staff saved."))
            return redirect("checkpoint_detail", pk=checkpoint.pk)
    context = _detail_context(request, checkpoint, staff_form=form)
    return render(request, "checkpoints/checkpoint_detail.html", context, status=422)


@require_POST
@login_required
@domain_errors_as_http
def shift_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Put a shift on the roster."""
    checkpoint = _managed(request, pk)
    form = ShiftForm(request.POST, candidates=checkpoint.staff.all())
    if form.is_valid():
        try:
            registry_services.shift_create(
                actor=request.user,
                checkpoint=checkpoint,
                starts_at=form.cleaned_data["starts_at"],
                ends_at=form.cleaned_data["ends_at"],
                staff=list(form.cleaned_data["staff"]),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Shift added to the roster."))
            return redirect(reverse("checkpoint_detail", args=[checkpoint.pk]) + "#roster")
    context = _detail_context(request, checkpoint, shift_form=form)
    return render(request, "checkpoints/checkpoint_detail.html", context, status=422)


@require_POST
@login_required
@domain_errors_as_http
def shift_handover(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Write the shift's handover note for the next shift."""
    shift = shift_get_for(user=request.user, shift_id=pk)
    form = HandoverForm(request.POST)
    if form.is_valid():
        try:
            registry_services.shift_handover(
                actor=request.user, shift=shift, note=form.cleaned_data["note"]
            )
        except DomainError as exc:
            add_domain_error(form, exc)
    if form.errors:
        for error in form_error_texts(form):
            messages.error(request, error)
    else:
        messages.success(request, _("Handover note saved."))
    return redirect(reverse("checkpoint_detail", args=[shift.checkpoint_id]) + "#roster")


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
@domain_errors_as_http
def checkpoint_rotate_token(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Issue a new QR link after confirmation: posters with the old one stop working."""
    checkpoint = _managed(request, pk)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        try:
            registry_services.checkpoint_rotate_token(actor=request.user, checkpoint=checkpoint)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request, _("New QR code issued: print the new poster and replace the old one.")
            )
            return redirect("checkpoint_detail", pk=checkpoint.pk)
    context = {
        "confirm_title": _("New QR code for %(name)s") % {"name": checkpoint.name},
        "confirm_message": _(
            "The QR code on the printed posters stops working at once; residents who scan it "
            "are told to scan the new one. Print and put up the new poster straight away."
        ),
        "confirm_button": _("Issue a new QR code"),
        "cancel_url": reverse("checkpoint_detail", args=[checkpoint.pk]),
        "form": form,
    }
    return render(request, "core/confirm.html", context)


# --- Readiness -----------------------------------------------------------------------------------


@require_GET
@login_required
@domain_errors_as_http
def checkpoint_readiness(request: AuthenticatedRequest) -> HttpResponse:
    """Per town, the open checkpoints missing a kit item or with nobody on duty now."""
    towns = readiness_for(user=request.user)
    labels = dict(KitItem.choices)
    context = {
        "towns": [
            (
                town.town,
                [
                    (entry, [labels.get(item, item) for item in entry.missing_items])
                    for entry in town.checkpoints
                ],
            )
            for town in towns
        ],
    }
    return render(request, "checkpoints/readiness.html", context)


urlpatterns: list[URLPattern] = [
    path("checkpoints/", checkpoint_index, name="checkpoint_index"),
    path("checkpoints/new/", checkpoint_create, name="checkpoint_create"),
    path("checkpoints/readiness/", checkpoint_readiness, name="checkpoint_readiness"),
    path("checkpoints/<int:pk>/", checkpoint_detail, name="checkpoint_detail"),
    path("checkpoints/<int:pk>/edit/", checkpoint_edit, name="checkpoint_edit"),
    path("checkpoints/<int:pk>/kit/<str:item>/", checkpoint_kit, name="checkpoint_kit"),
    path(
        "checkpoints/<int:pk>/passages/reveal/",
        checkpoint_passages_reveal,
        name="checkpoint_passages_reveal",
    ),
    path("checkpoints/<int:pk>/staff/", checkpoint_staff, name="checkpoint_staff"),
    path("checkpoints/<int:pk>/shifts/new/", shift_create, name="shift_create"),
    path("checkpoints/shifts/<int:pk>/handover/", shift_handover, name="shift_handover"),
    path(
        "checkpoints/<int:pk>/rotate-token/",
        checkpoint_rotate_token,
        name="checkpoint_rotate_token",
    ),
]
