"""The public portal (no account): published briefings, HQ's policy notices and HQ's risk-area
list, on a phone-sized page with no personal data. It takes no input but an address; the PDF
(made once per briefing, then served from the cache) is rate-limited per client address."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from dualtrack.areas.selectors import risk_areas_current
from dualtrack.command import selectors
from dualtrack.command.views.briefings import briefing_context, document_response
from dualtrack.core import ratelimit
from dualtrack.core.views import domain_errors_as_http


@require_GET
def portal(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "command/portal.html",
        {
            "briefings": selectors.public_briefings(),
            "notices": selectors.public_notices(),
            "risk_areas": risk_areas_current(),
        },
    )


@require_GET
@domain_errors_as_http
def portal_briefing(request: HttpRequest, number: int) -> HttpResponse:
    briefing = selectors.public_briefing(number=number)
    return render(request, "command/portal_briefing.html", briefing_context(briefing))


@require_GET
@domain_errors_as_http
def portal_briefing_pdf(request: HttpRequest, number: int) -> HttpResponse:
    address = request.META.get("REMOTE_ADDR", "") or "unknown"
    if not ratelimit.allow(f"command-pdf:{address}", settings.COMMAND_PUBLIC_PDF_RATE):
        return HttpResponse(_("Too many requests; try again in a minute."), status=429)
    briefing = selectors.public_briefing(number=number)
    return document_response(request, briefing, "pdf", "inline")


urlpatterns: list[URLPattern] = [
    path("public/", portal, name="portal"),
    path("public/briefings/<int:number>/", portal_briefing, name="portal_briefing"),
    path("public/briefings/<int:number>/pdf/", portal_briefing_pdf, name="portal_briefing_pdf"),
]
