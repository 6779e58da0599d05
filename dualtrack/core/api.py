"""The API's shared parts: authentication and RFC 7807 problem+json for every error."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Router, Schema, Status
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError
from ninja.security import HttpBearer, SessionAuth

from dualtrack.core import selectors, services
from dualtrack.core.errors import DomainError
from dualtrack.core.models import ApiToken, User
from dualtrack.core.schemas import IssuedTokenOut, LanguageIn, MeOut, TokenCreateIn, TokenOut
from dualtrack.core.services import api_token_authenticate
from dualtrack.core.views import AuthenticatedRequest

logger = logging.getLogger(__name__)

PROBLEM_CONTENT_TYPE = "application/problem+json"


class TokenAuth(HttpBearer):
    """``Authorization: Bearer dt_…`` — a per-user token, scoped exactly like its user."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = api_token_authenticate(token)
        if user is not None:
            request.user = user
        return user


API_AUTH = [TokenAuth(), SessionAuth()]


class FieldErrorOut(Schema):
    field: str
    message: str


class ProblemOut(Schema):
    """RFC 7807 problem details, with a stable ``code`` and field-level ``errors``."""

    type: str
    title: str
    status: int
    detail: str
    code: str
    instance: str
    errors: list[FieldErrorOut] = []


def problem(
    request: HttpRequest,
    *,
    status: int,
    code: str,
    title: str,
    detail: str,
    errors: list[dict[str, str]] | None = None,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """A problem+json response; ``extra`` adds members of a problem type's own (RFC 7807 §3.2)."""
    from django.http import JsonResponse

    body = {
        "type": f"urn:dualtrack:problem:{code}",
        "title": str(title),
        "status": status,
        "detail": str(detail),
        "code": code,
        "instance": request.get_full_path(),
        "errors": errors or [],
        **(extra or {}),
    }
    return JsonResponse(
        body,
        status=status,
        content_type=PROBLEM_CONTENT_TYPE,
        json_dumps_params={"ensure_ascii": False},
    )


# Pydantic's error types, in the user's language. Anything unlisted keeps Pydantic's text.
def _pydantic_message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    messages = {
        "missing": _("This field is required."),
        "json_invalid": _("The request body is not valid JSON."),
        "int_parsing": _("Enter a whole number."),
        "int_type": _("Enter a whole number."),
        "float_parsing": _("Enter a number."),
        "decimal_parsing": _("Enter a number."),
        "string_type": _("Enter text."),
        "bool_parsing": _("Enter true or false."),
        "date_from_datetime_parsing": _("Enter a date as YYYY-MM-DD."),
        "date_parsing": _("Enter a date as YYYY-MM-DD."),
        "datetime_parsing": _("Enter a date and time in ISO 8601."),
        "enum": _("Choose one of: %(expected)s.") % {"expected": ctx.get("expected", "")},
        "literal_error": _("Choose one of: %(expected)s.") % {"expected": ctx.get("expected", "")},
        "string_too_long": _("At most %(n)s characters.") % {"n": ctx.get("max_length", "")},
        "string_too_short": _("At least %(n)s characters.") % {"n": ctx.get("min_length", "")},
        "greater_than_equal": _("Must be at least %(n)s.") % {"n": ctx.get("ge", "")},
        "less_than_equal": _("Must be at most %(n)s.") % {"n": ctx.get("le", "")},
        "greater_than": _("Must be greater than %(n)s.") % {"n": ctx.get("gt", "")},
        "model_attributes_type": _("The request body must be a JSON object."),
        "dict_type": _("The request body must be a JSON object."),
        "list_type": _("Enter a list."),
        "too_long": _("Too many items: at most %(n)s.") % {"n": ctx.get("max_length", "")},
    }
    return str(messages.get(kind, error.get("msg", "")))


def _field_name(loc: tuple[Any, ...] | list[Any]) -> str:
    # loc is ("body", "payload", "name") or ("query", "limit"): drop the source and the wrapper.
    parts = [str(p) for p in loc[1:] if p not in ("payload", "data")]
    return ".".join(parts) or str(loc[0] if loc else "")


def install_problem_handlers(api: NinjaAPI) -> None:
    """Map every error the API can raise to problem+json in the request's language."""

    @api.exception_handler(DomainError)
    def _domain(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return problem(
            request,
            status=exc.status,
            code=exc.code,
            title=_title(exc.status),
            detail=str(exc.message),
            errors=[{**e, "message": str(e["message"])} for e in exc.errors],
        )

    @api.exception_handler(ValidationError)
    def _validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = [
            {"field": _field_name(e.get("loc", ())), "message": _pydantic_message(e)}
            for e in exc.errors
        ]
        code = (
            "malformed_body"
            if any(e.get("type") == "json_invalid" for e in exc.errors)
            else "validation_failed"
        )
        return problem(
            request,
            status=422,
            code=code,
            title=_title(422),
            detail=str(_("Some values are not valid.")),
            errors=errors,
        )

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return problem(
            request,
            status=401,
            code="not_authenticated",
            title=_title(401),
            detail=str(_("Sign in, or send a valid API token.")),
        )

    @api.exception_handler(AuthorizationError)
    def _forbidden(request: HttpRequest, exc: AuthorizationError) -> HttpResponse:
        return problem(
            request,
            status=403,
            code="permission_denied",
            title=_title(403),
            detail=str(_("Your role does not allow this action.")),
        )

    @api.exception_handler(HttpError)
    def _http(request: HttpRequest, exc: HttpError) -> HttpResponse:
        status = exc.status_code
        # django-ninja raises HttpError itself only for a failed CSRF check (403) and for a
        # request body it cannot parse (400).
        code = "csrf_failed" if status == 403 else "malformed_body" if status == 400 else "error"
        detail = {
            "csrf_failed": _("The request is missing its CSRF token."),
            "malformed_body": _("The request body is not valid JSON."),
        }.get(code, _("The request could not be processed."))
        return problem(request, status=status, code=code, title=_title(status), detail=str(detail))

    @api.exception_handler(Http404)
    def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return problem(
            request,
            status=404,
            code="not_found",
            title=_title(404),
            detail=str(_("No such record, or it is outside your scope.")),
        )

    @api.exception_handler(Exception)
    def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("unhandled API error", exc_info=exc)
        return problem(
            request,
            status=500,
            code="server_error",
            title=_title(500),
            detail=str(_("Something went wrong on our side; nothing was changed.")),
        )


def _title(status: int) -> str:
    titles = {
        400: _("Bad request"),
        401: _("Not signed in"),
        403: _("Not allowed"),
        404: _("Not found"),
        409: _("Conflict"),
        413: _("Too large"),
        422: _("Invalid input"),
        429: _("Too many requests"),
        500: _("Server error"),
    }
    return str(titles.get(status, _("Error")))


# --- The core's own routes: the caller's profile and API tokens --------------------------------

router = Router(tags=["account"])

# Role grants belong to the areas app, which the kernel does not import: that app registers how
# to list a user's own grants, as it registers the scopes of the audit trail.
# A source is a selector called as ``source(user=…)``.
AccountGrantSource = Callable[..., Iterable[Any]]
_account_grant_sources: list[AccountGrantSource] = []


def register_account_grants(source: AccountGrantSource) -> None:
    """Let an app contribute the caller's role grants to ``GET /account/me``."""
    if source not in _account_grant_sources:
        _account_grant_sources.append(source)


def _me(user: User) -> dict[str, Any]:
    grants = [grant for source in _account_grant_sources for grant in source(user=user)]
    return {
        "id": user.pk,
        "username": user.username,
        "display_name": user.display_name,
        "language": user.language,
        "grants": grants,
    }


@router.get(
    "/me",
    response={200: MeOut, 401: ProblemOut},
    operation_id="account_me",
    summary="The signed-in user, their language and role grants",
)
def me(request: AuthenticatedRequest) -> dict[str, Any]:
    return _me(request.user)


@router.put(
    "/me/language",
    response={200: MeOut, 400: ProblemOut, 401: ProblemOut, 403: ProblemOut, 422: ProblemOut},
    operation_id="account_language_set",
    summary="Choose the language of pages and API messages",
)
def language_set(request: AuthenticatedRequest, payload: LanguageIn) -> dict[str, Any]:
    return _me(services.user_set_language(actor=request.user, language=payload.language))


@router.get(
    "/tokens",
    response={200: list[TokenOut], 401: ProblemOut},
    operation_id="account_token_list",
    summary="The caller's API tokens, newest first",
)
def token_list(request: AuthenticatedRequest) -> QuerySet[ApiToken]:
    return selectors.api_token_list_for(user=request.user)


@router.post(
    "/tokens",
    response={
        201: IssuedTokenOut,
        400: ProblemOut,
        401: ProblemOut,
        403: ProblemOut,
        409: ProblemOut,
        422: ProblemOut,
    },
    operation_id="account_token_create",
    summary="Issue an API token; the raw token is returned this once",
)
def token_create(
    request: AuthenticatedRequest, payload: TokenCreateIn, response: HttpResponse
) -> Status[dict[str, Any]]:
    issued = services.api_token_create(actor=request.user, name=payload.name)
    response["Cache-Control"] = "no-store"
    return Status(201, {**TokenOut.from_orm(issued.token).model_dump(), "token": issued.raw})


@router.delete(
    "/tokens/{token_id}",
    response={204: None, 401: ProblemOut, 403: ProblemOut, 404: ProblemOut, 409: ProblemOut},
    operation_id="account_token_revoke",
    summary="Revoke one of the caller's tokens; it stops working at once",
)
def token_revoke(request: AuthenticatedRequest, token_id: int) -> Status[None]:
    services.api_token_revoke(actor=request.user, token_id=token_id)
    return Status(204, None)
