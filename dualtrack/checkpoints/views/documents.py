"""The documents a checkpoint gives out: its QR poster (PDF to print, PNG for the chat group) and
its register as an Excel file (unmasked, audited, for roles that may see personal data)."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from dualtrack.checkpoints import poster
from dualtrack.checkpoints.access import Ability, require_checkpoint
from dualtrack.checkpoints.forms import ExportForm
from dualtrack.checkpoints.selectors.checkpoints import checkpoint_get_for
from dualtrack.checkpoints.services.exports import register_export_start
from dualtrack.core.errors import DomainError
from dualtrack.core.forms import add_domain_error
from dualtrack.core.job_views import job_started
from dualtrack.core.pdf import CJKFontMissing
from dualtrack.core.views import AuthenticatedRequest, domain_errors_as_http, revalidated


def _poster_content(request: AuthenticatedRequest, pk: int) -> poster.PosterContent:
    checkpoint = checkpoint_get_for(user=request.user, checkpoint_id=pk)
    require_checkpoint(request.user, checkpoint, Ability.USE_KIT)
    area = checkpoint.area
    place = f"{area.parent.name} {area.name}" if area.parent_id and area.parent else area.name
    return poster.PosterContent(
        checkpoint_name=checkpoint.name,
        place=place,
        url=request.build_absolute_uri(reverse("public_register", args=[checkpoint.qr_token])),
        day=timezone.localdate(),
    )


def _download(body: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@login_required
@domain_errors_as_http
def checkpoint_poster_pdf(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The A4 QR poster to print."""
    content = _poster_content(request, pk)
    return _download(poster.poster_pdf(content), "application/pdf", f"checkpoint-{pk}-qr.pdf")


# How long a drawn PNG poster is kept; its key changes with anything it shows (and the day).
POSTER_PNG_CACHE_SECONDS = 24 * 60 * 60


@require_GET
@login_required
@domain_errors_as_http
def checkpoint_poster_png(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The QR poster as an image, to send to the chat group; without a CJK font on the server, a
    page that says what is missing and offers the PDF, which needs none.

    Drawing it is most of a second of CPU: the picture is kept in the cache under the
    fingerprint of what it shows, and the fingerprint is its ETag, so that a browser asking
    again (after the same access checks) gets a 304."""
    content = _poster_content(request, pk)
    fingerprint = poster.poster_fingerprint(content)

    def respond() -> HttpResponse:
        key = f"checkpoints:poster-png:{fingerprint}"
        body = cache.get(key)
        if body is None:
            try:
                body = poster.poster_png(content)
            except CJKFontMissing as exc:
                context = {
                    "message": exc.message,
                    "alternative_url": reverse("checkpoint_poster_pdf", args=[pk]),
                    "alternative_label": _("Poster (PDF)"),
                    "back_url": reverse("checkpoint_detail", args=[pk]),
                }
                return render(request, "core/unavailable.html", context, status=exc.status)
            cache.set(key, body, POSTER_PNG_CACHE_SECONDS)
        return _download(body, "image/png", f"checkpoint-{pk}-qr.png")

    return revalidated(request, f'"{fingerprint}"', respond)


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
@domain_errors_as_http
def checkpoint_export(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Export the register of a period as an Excel file, unmasked and audited, in the
    background: only for roles that may see personal data."""
    checkpoint = checkpoint_get_for(user=request.user, checkpoint_id=pk)
    require_checkpoint(request.user, checkpoint, Ability.VIEW_PERSONAL_DATA)
    today = timezone.localdate()
    form = ExportForm(
        request.POST if request.method == "POST" else None,
        initial={"since": today - datetime.timedelta(days=13), "until": today},
    )
    if request.method == "POST" and form.is_valid():
        try:
            job = register_export_start(
                actor=request.user,
                checkpoint=checkpoint,
                since=form.cleaned_data["since"],
                until=form.cleaned_data["until"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return job_started(job)
    status = 422 if request.method == "POST" else 200
    context = {"checkpoint": checkpoint, "form": form}
    return render(request, "checkpoints/export_form.html", context, status=status)


urlpatterns: list[URLPattern] = [
    path("checkpoints/<int:pk>/poster.pdf", checkpoint_poster_pdf, name="checkpoint_poster_pdf"),
    path("checkpoints/<int:pk>/poster.png", checkpoint_poster_png, name="checkpoint_poster_png"),
    path("checkpoints/<int:pk>/export/", checkpoint_export, name="checkpoint_export"),
]
