"""Self-registration from the QR poster (扫码登记): a public page, no account.

The resident fills in who they are and where they come from; the staff at the gate take the
temperature and confirm it on their register page. The page is rate-limited per client address,
refuses a rotated QR code with 410 and a closed checkpoint with its reason.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from dualtrack.areas.regions import region_options
from dualtrack.checkpoints import throttle
from dualtrack.checkpoints.forms import PublicPassageForm
from dualtrack.checkpoints.models import Checkpoint, CheckpointStatus
from dualtrack.checkpoints.services.passage_input import PassageInput
from dualtrack.checkpoints.services.self_registration import (
    StaleToken,
    checkpoint_for_token,
    passage_self_register,
)
from dualtrack.checkpoints.views.register import LOCAL_REGIONS_SHOWN, local_province_prefix
from dualtrack.core.errors import DomainError
from dualtrack.core.forms import add_domain_error

STALE_TEMPLATE = "checkpoints/public_stale.html"


def client_address(request: HttpRequest) -> str:
    """The address the rate limit counts by: the same key as the API's public route, so that the
    page and the API share one allowance."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _stale(request: HttpRequest) -> HttpResponse:
    return render(request, STALE_TEMPLATE, {}, status=410)


def _page(
    request: HttpRequest,
    checkpoint: Checkpoint,
    form: PublicPassageForm,
    *,
    status: int = 200,
    refusal: str = "",
) -> HttpResponse:
    prefix = local_province_prefix(checkpoint)
    context: dict[str, Any] = {
        "checkpoint": checkpoint,
        "form": form,
        "refusal": refusal,
        "closed": checkpoint.status == CheckpointStatus.CLOSED,
        "local_regions": region_options(prefix, LOCAL_REGIONS_SHOWN) if prefix else [],
    }
    return render(request, "checkpoints/public_register.html", context, status=status)


@require_http_methods(["GET", "POST"])
@never_cache
def public_register(request: HttpRequest, token: str) -> HttpResponse:
    """/q/<token>/: the form, and on POST the confirmation to show to the staff."""
    try:
        checkpoint = checkpoint_for_token(token)
    except StaleToken:
        return _stale(request)
    if request.method != "POST":
        return _page(request, checkpoint, PublicPassageForm())
    if not throttle.allow(f"self:{client_address(request)}"):
        return _page(
            request,
            checkpoint,
            PublicPassageForm(request.POST),
            status=429,
            refusal=_(
                "Too many registrations from this phone or network. Please wait a minute and "
                "try again, or register with the staff at the gate."
            ),
        )
    form = PublicPassageForm(request.POST)
    if form.is_valid():
        try:
            passage = passage_self_register(
                token=token, data=PassageInput(temperature=None, **form.passage_values())
            )
        except StaleToken:
            return _stale(request)
        except DomainError as exc:
            add_domain_error(form, exc)
            return _page(request, checkpoint, form, status=exc.status)
        context = {
            "checkpoint": checkpoint,
            "passage": passage,
            "quarantine_days": settings.QUARANTINE_DAYS,
        }
        return render(request, "checkpoints/public_done.html", context)
    return _page(request, checkpoint, form, status=422)


urlpatterns: list[URLPattern] = [
    path("q/<str:token>/", public_register, name="public_register"),
]
