"""The passage register at a gate (登记表): the staff's phone page, its htmx fragments (people
found by ID number or mobile, today's passages, self-registrations awaiting the temperature),
and the region picker it shares with the public form.

With JavaScript, register.js queues each registration on the phone and sends it to the sync
API; without, the form posts here and the same service saves it.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from dualtrack.areas.regions import region_options
from dualtrack.areas.selectors import risk_prefixes_current
from dualtrack.checkpoints.access import Ability, checkpoint_abilities, require_checkpoint
from dualtrack.checkpoints.figures import shift_summary
from dualtrack.checkpoints.forms import PassageForm, TemperatureForm, form_error_texts
from dualtrack.checkpoints.models import Checkpoint, Passage
from dualtrack.checkpoints.selectors.checkpoints import checkpoint_get_for, current_shift
from dualtrack.checkpoints.selectors.register import (
    day_bounds,
    passage_get_for,
    passage_list_for,
    pending_self_registrations,
)
from dualtrack.checkpoints.services.passage_input import PassageInput
from dualtrack.checkpoints.services.passages import passage_register
from dualtrack.checkpoints.services.people import PersonMatch, person_lookup
from dualtrack.checkpoints.services.temperature import passage_confirm_temperature
from dualtrack.core.errors import DomainError, NotFound, PermissionDenied
from dualtrack.core.forms import add_domain_error
from dualtrack.core.views import AuthenticatedRequest, domain_errors_as_http, is_htmx

RECENT_SHOWN = 30
PENDING_SHOWN = 30
QUERY_MAX_LENGTH = 20
REGIONS_SHOWN = 30
LOCAL_REGIONS_SHOWN = 150
TEMPLATE = "checkpoints/register.html"


def _register_checkpoint(request: AuthenticatedRequest, pk: int) -> Checkpoint:
    """The checkpoint, if in the user's scope (404) and they may register there (403)."""
    checkpoint = checkpoint_get_for(user=request.user, checkpoint_id=pk)
    require_checkpoint(request.user, checkpoint, Ability.REGISTER)
    return checkpoint


def local_province_prefix(checkpoint: Checkpoint) -> str:
    """The two-digit province code of the checkpoint, from the nearest official code above it."""
    area: Any = checkpoint.area
    while area is not None:
        code = getattr(area, "official_code", "") or ""
        if len(code) >= 2 and code[:2].isdigit():
            return code[:2]
        area = area.parent
    return ""


def register_messages() -> dict[str, Any]:
    """What register.js says, in the page's language."""
    return {
        "queued": _("%(name)s registered."),
        # Queued on the phone: the alert goes out when the row reaches the server.
        "fever": _(
            "FEVER %(temperature)s °C — %(name)s: keep them at the gate and follow the fever "
            "procedure. The person in charge is alerted as soon as this is sent."
        ),
        "riskArea": _(
            "%(name)s arrives from a risk area: keep them at the gate; the person in charge "
            "is alerted as soon as this is sent."
        ),
        "refused": _("The server refused this registration."),
        "signIn": _("Your session has ended: sign in again to send the waiting registrations."),
        # The server's own refusals (clean_passage, core.validators), for the phone's checks.
        "invalid": {
            "direction": _("Choose in or out."),
            "name": _("Enter the person's name."),
            "idOrMobile": _("Enter an ID number or a mobile number."),
            "idNumberFormat": _("An ID number has 18 characters: 17 digits and a digit or X."),
            "idNumberChecksum": _("The ID number's check character is wrong."),
            "idNumberBirthDate": _("The ID number does not contain a real birth date."),
            "mobile": _("A mobile number has 11 digits and starts with 13 to 19."),
            "temperatureRequired": _("Enter the temperature."),
            "temperatureFormat": _("Enter the temperature in °C, such as 36.5."),
            "temperatureRange": _("A body temperature lies between 34 and 43 °C; measure again."),
            "originCode": _("Enter a known six-digit GB/T 2260 region code."),
        },
        "unnamed": _("(no name)"),
        "edit": _("Correct"),
        "discard": _("Discard"),
        "fields": {
            "__all__": "",
            "name": pgettext("person", "Name"),
            "id_number": _("ID number"),
            "phone": _("Mobile"),
            "temperature": _("Temperature"),
            "origin_code": _("Coming from"),
            "direction": _("Direction"),
            "purpose": _("Purpose"),
            "occurred_at": _("Time"),
            "checkpoint_id": _("Checkpoint"),
            "resident_id": _("Resident"),
        },
    }


def _lists_context(request: AuthenticatedRequest, checkpoint: Checkpoint) -> dict[str, Any]:
    return {
        "recent": passage_list_for(
            user=request.user,
            checkpoint=checkpoint,
            since=day_bounds(timezone.localdate())[0],
            limit=RECENT_SHOWN,
        ),
        "pending": pending_self_registrations(user=request.user, checkpoint=checkpoint)[
            :PENDING_SHOWN
        ],
    }


def _register_page(
    request: AuthenticatedRequest, checkpoint: Checkpoint, form: PassageForm, *, status: int = 200
) -> HttpResponse:
    # The "shell" (?shell=1) is what the service worker caches for offline use: the page without
    # the lists of people, which htmx loads when the page opens.
    shell = request.GET.get("shell") == "1"
    shift = current_shift(checkpoint=checkpoint)
    province = local_province_prefix(checkpoint)
    context: dict[str, Any] = {
        "checkpoint": checkpoint,
        "shift": shift,
        "shift_summary": shift_summary(shift=shift) if shift and not shell else None,
        "form": form,
        "shell": shell,
        "fever_threshold": settings.FEVER_THRESHOLD_CELSIUS,
        "register_messages": register_messages(),
        # The page warns of a risk-area arrival as the passage is queued, even offline.
        "risk_prefixes": list(risk_prefixes_current()),
        # Offline, the picker still offers the places of the checkpoint's own province.
        "local_regions": region_options(province, LOCAL_REGIONS_SHOWN) if province else [],
        "can_manage": checkpoint_abilities(request.user, checkpoint).manage,
    }
    if not shell:
        context.update(_lists_context(request, checkpoint))
    return render(request, TEMPLATE, context, status=status)


def _saved_message(request: HttpRequest, passage: Passage) -> None:
    if passage.is_fever:
        messages.error(
            request,
            _(
                "FEVER %(temperature)s °C — %(name)s: keep them at the gate and follow the fever "
                "procedure. The person in charge is alerted."
            )
            % {"temperature": passage.temperature, "name": passage.name},
        )
    if passage.from_risk_area:
        messages.error(
            request,
            _(
                "%(name)s arrives from a risk area: keep them at the gate; the person in charge "
                "is alerted."
            )
            % {"name": passage.name},
        )
    if not (passage.is_fever or passage.from_risk_area):
        messages.success(request, _("%(name)s registered.") % {"name": passage.name})


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
@domain_errors_as_http
def checkpoint_register(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The staff's register page; a POST (the form without JavaScript) saves one passage."""
    checkpoint = _register_checkpoint(request, pk)
    if request.method != "POST":
        return _register_page(request, checkpoint, PassageForm())
    form = PassageForm(request.POST)
    if form.is_valid():
        try:
            passage = passage_register(
                actor=request.user,
                checkpoint=checkpoint,
                data=PassageInput(**form.passage_values()),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            _saved_message(request, passage)
            return redirect("checkpoint_register", pk=checkpoint.pk)
    return _register_page(request, checkpoint, form, status=422)


@require_GET
@login_required
@never_cache
@domain_errors_as_http
def register_people(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """htmx: residents and returning visitors matching an ID number or mobile, one tap each to
    fill the form."""
    checkpoint = _register_checkpoint(request, pk)
    query = request.GET.get("q", "").strip()[:QUERY_MAX_LENGTH]
    matches: list[PersonMatch] = []
    hint = ""
    if query:
        try:
            matches = person_lookup(actor=request.user, checkpoint=checkpoint, query=query)
        except (NotFound, PermissionDenied):
            raise
        except DomainError as exc:
            # Typing goes letter by letter: until the number is whole, say what is needed.
            hint = str(exc.errors[0]["message"]) if exc.errors else str(exc.message)
    looks_like_phone = query.isdigit() and len(query) == 11
    rows = []
    for match in matches:
        fill = {
            "name": match.name,
            "resident_id": match.resident_id or "",
            "previous_passage_id": match.passage_id or "",
            "origin_code": match.origin_code or "",
        }
        # The match shows masked numbers; the one the staff typed is the person's own.
        fill["phone" if looks_like_phone else "id_number"] = query
        rows.append((match, json.dumps(fill, ensure_ascii=False)))
    context = {"checkpoint": checkpoint, "query": query, "matches": rows, "hint": hint}
    return render(request, f"{TEMPLATE}#matches", context)


@require_GET
@login_required
@never_cache
@vary_on_headers("HX-Request")
@domain_errors_as_http
def register_lists(request: AuthenticatedRequest, pk: int, part: str) -> HttpResponse:
    """htmx: today's recent passages, or the self-registrations awaiting the temperature."""
    checkpoint = _register_checkpoint(request, pk)
    context = {"checkpoint": checkpoint, **_lists_context(request, checkpoint)}
    if not is_htmx(request):
        return redirect("checkpoint_register", pk=checkpoint.pk)
    return render(request, f"{TEMPLATE}#{part}", context)


@require_POST
@login_required
@never_cache
@domain_errors_as_http
def passage_temperature(request: AuthenticatedRequest, pk: int, passage_pk: int) -> HttpResponse:
    """Confirm the temperature of a self-registration; htmx gets the pending list back."""
    checkpoint = _register_checkpoint(request, pk)
    passage = passage_get_for(user=request.user, passage_id=passage_pk)
    if passage.checkpoint_id != checkpoint.pk or not passage.awaits_temperature:
        raise NotFound()
    form = TemperatureForm(request.POST)
    errors: dict[int, Any] = {}
    saved = None
    if form.is_valid():
        try:
            saved = passage_confirm_temperature(
                actor=request.user, passage=passage, temperature=form.cleaned_data["temperature"]
            )
        except DomainError as exc:
            add_domain_error(form, exc)
    if form.errors:
        errors[passage.pk] = form
    if not is_htmx(request):
        if saved is not None:
            _saved_message(request, saved)
        else:
            for error in form_error_texts(form):
                messages.error(request, f"{passage.name}: {error}")
        return redirect("checkpoint_register", pk=checkpoint.pk)
    context = {
        "checkpoint": checkpoint,
        "temperature_errors": errors,
        "confirmed": saved,
        "quarantine_days": settings.QUARANTINE_DAYS,
        **_lists_context(request, checkpoint),
    }
    return render(request, f"{TEMPLATE}#pending", context, status=422 if errors else 200)


@require_GET
def region_search(request: HttpRequest) -> HttpResponse:
    """htmx: the <option>s of the region picker (public reference data, no login)."""
    query = request.GET.get("q", "") or request.GET.get("origin_code", "")
    query = query or request.GET.get("region_code", "")
    context = {"regions": region_options(query.strip()[:20], REGIONS_SHOWN)}
    response = render(request, "checkpoints/region_options.html", context)
    response["Cache-Control"] = "max-age=3600"
    return response


urlpatterns: list[URLPattern] = [
    path("checkpoints/<int:pk>/register/", checkpoint_register, name="checkpoint_register"),
    path("checkpoints/<int:pk>/register/people/", register_people, name="register_people"),
    path(
        "checkpoints/<int:pk>/register/recent/",
        register_lists,
        {"part": "recent"},
        name="register_recent",
    ),
    path(
        "checkpoints/<int:pk>/register/pending/",
        register_lists,
        {"part": "pending"},
        name="register_pending",
    ),
    path(
        "checkpoints/<int:pk>/passages/<int:passage_pk>/temperature/",
        passage_temperature,
        name="passage_temperature",
    ),
    path("checkpoints/regions/", region_search, name="region_search"),
]
