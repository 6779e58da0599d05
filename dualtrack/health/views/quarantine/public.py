"""The person's own check-in page (/qc/<token>/): no account, a phone page. The link is
unguessable and revocable; posting is rate-limited per client address, as the checkpoints' QR
self-registration is. A link revoked or never issued answers 410."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from dualtrack.core import ratelimit
from dualtrack.core.errors import DomainError
from dualtrack.health.models import QuarantineOrder
from dualtrack.health.selectors.quarantine import order_for_token
from dualtrack.health.selectors.quarantine_slots import current_slot
from dualtrack.health.services.quarantine_checks import LinkNotLive, check_self_report
from dualtrack.health.views.quarantine.forms import SelfCheckForm, add_refusal

TEMPLATE = "health/quarantine/self_check.html"


def client_address(request: HttpRequest) -> str:
    """The key the rate limit counts by: the same as the API's public route's."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _page(
    request: HttpRequest,
    order: QuarantineOrder,
    form: SelfCheckForm,
    *,
    status: int = 200,
    refusal: str = "",
    done: object = None,
) -> HttpResponse:
    context = {
        "order": order,
        "form": form,
        "refusal": refusal,
        "slot": current_slot(),
        "done": done,
        "checked": order.checks.filter(day=current_slot().day).order_by("period"),
    }
    return render(request, TEMPLATE, context, status=status)


@require_http_methods(["GET", "POST"])
@never_cache
def self_check(request: HttpRequest, token: str) -> HttpResponse:
    order = order_for_token(token=token)
    if order is None:
        return render(request, "health/quarantine/self_check_gone.html", {}, status=410)
    if request.method != "POST":
        return _page(request, order, SelfCheckForm())
    form = SelfCheckForm(request.POST)
    if not ratelimit.allow(
        f"qcheck:{client_address(request)}", settings.QUARANTINE_SELF_CHECK_RATE
    ):
        refusal = _("Too many checks from this phone or network. Please wait a minute.")
        return _page(request, order, form, status=429, refusal=refusal)
    if form.is_valid():
        try:
            check = check_self_report(
                token=token,
                temperature=form.cleaned_data["temperature"],
                symptoms=form.cleaned_data["symptoms"],
            )
        except LinkNotLive:
            return render(request, "health/quarantine/self_check_gone.html", {}, status=410)
        except DomainError as exc:
            add_refusal(form, exc)
            return _page(request, order, form, status=exc.status)
        return _page(request, order, SelfCheckForm(), done=check)
    return _page(request, order, form, status=422)


urlpatterns: list[URLPattern] = [
    path("qc/<str:token>/", self_check, name="quarantine_self_check"),
]
