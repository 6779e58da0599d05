"""The kernel's pages (language, profile and API tokens), and what every app's page views share:
turning domain errors into 404/403 pages, and telling htmx requests apart."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.db.models import Choices
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from dualtrack.core import platform, selectors, services
from dualtrack.core.errors import DomainError, NotFound, PermissionDenied
from dualtrack.core.forms import ApiTokenForm, ConfirmForm, LanguageForm, add_domain_error
from dualtrack.core.models import User
from dualtrack.core.validators import parse_id

LANGUAGE_COOKIE_MAX_AGE = 365 * 24 * 3600


class AuthenticatedRequest(HttpRequest):
    """The request a view behind ``login_required`` receives: its user is signed in."""

    user: User


# An id no route holds: the mark where href_parts splits a reversed route.
_HREF_MARK = 987654321


def href_parts(name: str) -> tuple[str, str]:
    """A route with one id, split around it: a list of hundreds of rows joins each row's id in
    (``f"{head}{pk}{tail}"``) rather than reversing the route once a row."""
    head, _mark, tail = reverse(name, args=[_HREF_MARK]).partition(str(_HREF_MARK))
    return head, tail


def choice_labels(choices: type[Choices]) -> dict[Any, str]:
    """A choices class's labels by value, in the request's language: a list of hundreds of
    rows read as values shows each row's label from this, not from a model instance."""
    return {value: str(label) for value, label in choices.choices}


def revalidated(
    request: HttpRequest, etag: str, respond: Callable[[], HttpResponse]
) -> HttpResponse:
    """A file that is costly to make, answered "not modified" to a client holding ``etag``
    (already checked for access), else ``respond()``; a successful answer carries the tag and
    is kept by the browser only, which asks about it again each time."""
    response = get_conditional_response(request, etag=etag)
    if response is None:
        response = respond()
        if response.status_code != 200:  # a page saying why not: not kept
            return response
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    return response


def query_id(request: HttpRequest, name: str) -> int | None:
    """The record id in the query string's ``name``, or None when absent or not an id."""
    return parse_id(request.GET.get(name, ""))


def is_htmx(request: HttpRequest) -> bool:
    """An htmx request that wants a fragment (a history restore wants the whole page)."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def domain_errors_as_http(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Let a page view raise the services' and selectors' NotFound and PermissionDenied: they
    become the 404 page (so that records outside the scope do not leak) and the 403 page."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(str(exc.message)) from exc
        except PermissionDenied as exc:
            raise HttpForbidden(str(exc.message)) from exc

    return wrapper


def safe_next_url(request: HttpRequest, candidate: str | None) -> str | None:
    """``candidate`` if it points back into this site, else None."""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return None


def confirmed_removal(
    request: HttpRequest,
    *,
    remove: Callable[[], object],
    title: str,
    message: str,
    cancel_url: str,
    done_message: str,
    done_url: str,
) -> HttpResponse:
    """The confirm-then-remove page: GET asks, POST calls ``remove`` (a service) and redirects,
    or shows the service's refusal on the same page."""
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        try:
            remove()
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, done_message)
            return redirect(done_url)
    context = {
        "confirm_title": title,
        "confirm_message": message,
        "confirm_button": _("Remove"),
        "cancel_url": cancel_url,
        "form": form,
    }
    return render(request, "core/confirm.html", context)


@require_POST
def language(request: HttpRequest) -> HttpResponse:
    """Switch the page language: remembered on the signed-in user and in a cookie for everyone."""
    form = LanguageForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Choose a language from the list."))
    chosen = form.cleaned_data["language"]
    if request.user.is_authenticated:
        services.user_set_language(actor=request.user, language=chosen)
    fallback = "home" if request.user.is_authenticated else settings.LOGIN_URL
    response = redirect(safe_next_url(request, form.cleaned_data["next"]) or fallback)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        chosen,
        max_age=LANGUAGE_COOKIE_MAX_AGE,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
    )
    return response


def _profile_page(
    request: AuthenticatedRequest, *, form: ApiTokenForm, issued: services.IssuedToken | None = None
) -> HttpResponse:
    context = {
        "form": form,
        "tokens": selectors.api_token_list_for(user=request.user),
        "issued": issued,
    }
    return render(request, "core/profile.html", context)


@require_GET
@login_required
def profile(request: AuthenticatedRequest) -> HttpResponse:
    """The user's account: language and API tokens."""
    return _profile_page(request, form=ApiTokenForm())


@require_POST
@login_required
@never_cache
def api_token_create(request: AuthenticatedRequest) -> HttpResponse:
    """Issue a token and show it this once: only its digest is kept, so it cannot be shown again."""
    form = ApiTokenForm(request.POST)
    issued = None
    if form.is_valid():
        try:
            issued = services.api_token_create(actor=request.user, name=form.cleaned_data["name"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            form = ApiTokenForm()
    return _profile_page(request, form=form, issued=issued)


@require_POST
@login_required
@domain_errors_as_http
def api_token_revoke(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Revoke one of the user's own tokens."""
    try:
        token = services.api_token_revoke(actor=request.user, token_id=pk)
    except (NotFound, PermissionDenied):
        raise
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("profile")


@require_GET
@login_required
@never_cache
def waiting(request: AuthenticatedRequest) -> HttpResponse:
    """The menu's badges: what waits for the user (loaded by htmx after the page, so that no
    page pays for the counts)."""
    context = {"waiting": platform.waiting_for(request.user), "compact": True}
    return render(request, "core/waiting.html", context)


@require_GET
@login_required
@never_cache
@vary_on_headers("HX-Request")
def inbox(request: AuthenticatedRequest) -> HttpResponse:
    """The one inbox: what every app waits for the user to act on (``platform.inbox_for``), the
    urgent first, then the newest; htmx refreshes the list in place."""
    items = platform.inbox_for(request.user)
    context = {"items": items, "urgent": sum(1 for item in items if item.urgent)}
    template = "core/inbox.html"
    return render(request, f"{template}#items" if is_htmx(request) else template, context)
