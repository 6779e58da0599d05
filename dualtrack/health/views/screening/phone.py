"""The phone screening page (360 px, works offline like the checkpoints' passage register) and
its service worker, served from /health/screening/ so that its scope covers the page.

The page holds no personal data: the work list (households not yet visited, their residents'
names) is fetched from the API by screen.js and kept on the phone for its user, so that a cadre
can keep working where there is no network; visits are queued with client ids and synced."""

from __future__ import annotations

import functools
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from dualtrack.areas.selectors import risk_prefixes_current
from dualtrack.core import offline
from dualtrack.core.errors import PermissionDenied
from dualtrack.core.views import AuthenticatedRequest, domain_errors_as_http
from dualtrack.health.access.screening import campaign_permissions
from dualtrack.health.selectors import screening as selectors

ASSETS = (
    "css/app.css",
    "health/screening.css",
    "vendor/htmx.min.js",
    "js/app.js",
    "js/htmx_errors.js",
    "health/screen.js",
)


def screen_messages() -> dict[str, Any]:
    """What screen.js says, in the page's language (the server's own messages where it checks
    what the server checks)."""
    return {
        "queued": _("%(household)s saved on the phone; it is sent when the network allows."),
        "fever": _(
            "FEVER %(temperature)s °C — %(name)s: the liaison cadre is alerted when the visit "
            "is sent."
        ),
        "riskArea": _(
            "%(name)s returned from a risk area within the quarantine period: the liaison cadre "
            "is alerted when the visit is sent."
        ),
        "alreadyVisited": _(
            "%(household)s had already been visited by someone else: this visit was not kept."
        ),
        "refused": _("Refused by the server."),
        "signIn": _("Your session has ended: sign in again; the queued visits stay on this phone."),
        "offlineList": _("Offline: the list as loaded at %(time)s."),
        "noList": _("The list of households needs the network once."),
        "empty": _("No household left to visit."),
        "discard": _("Discard"),
        "present": _("Present"),
        "whereabouts": _("Where (if away)"),
        "temperature": _("Temperature (°C)"),
        "symptoms": _("Symptoms"),
        "returnedFrom": _("Returned from (region code)"),
        "returnedOn": _("Returned on"),
        "waiting": _("waiting to sync"),
        "revisit": _("revisit on %(day)s"),
        "invalid": {
            "outcome": _("Choose visited, nobody home or refused."),
            "temperatureRequired": _("Enter the temperature."),
            "temperatureFormat": _("Enter the temperature in °C, such as 36.5."),
            "temperatureRange": _("A body temperature lies between 34 and 43 °C; measure again."),
            "whereabouts": _("Say where the resident is."),
            "region": _("Enter a six-digit region code (GB/T 2260), such as 420100."),
            "returnBoth": _("A return needs both the region returned from and the date."),
            "returnAfter": _("The return cannot be after the visit."),
        },
    }


@require_GET
@login_required
@never_cache
@domain_errors_as_http
def screen(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The phone page: the households to visit, one visit at a time, queued on the phone."""
    campaign = selectors.campaign_get_for(user=request.user, campaign_id=pk)
    if not campaign_permissions(request.user, campaign).screen:
        raise PermissionDenied()
    context = {
        "campaign": campaign,
        "fever_threshold": settings.FEVER_THRESHOLD_CELSIUS,
        "quarantine_days": settings.QUARANTINE_DAYS,
        "screen_messages": screen_messages(),
        "risk_prefixes": list(risk_prefixes_current()),
    }
    return render(request, "health/screening/screen.html", context)


@functools.cache
def service_worker_source() -> str:
    """The shared worker, keeping the screening pages (they hold no personal data)."""
    return offline.service_worker_source(
        name="screening", assets=ASSETS, page_pattern=r"^/health/screening/\d+/screen/$"
    )


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """/health/screening/sw.js."""
    return offline.service_worker_response(service_worker_source(), scope="/health/screening/")
