"""The API's shared parts: the NinjaAPI every app's router is mounted on (its request guards, its
transactions and its OpenAPI document), authentication, and RFC 7807 problem+json for every
error."""

from __future__ import annotations

import datetime
import functools
import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.http.response import HttpResponseBase
from django.urls import URLPattern, URLResolver
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Router, Schema, Status
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError
from ninja.operation import Operation
from ninja.security import HttpBearer, SessionAuth
from pydantic_core import PydanticCustomError

from dualtrack.core import media_types, selectors, services
from dualtrack.core.errors import DomainError
from dualtrack.core.models import ApiToken, User
from dualtrack.core.schemas import (
    GUARD_ERROR_TYPES,
    ApiTokenOut,
    IssuedTokenOut,
    LanguageIn,
    MeOut,
    TokenCreateIn,
    guarded_value,
)
from dualtrack.core.services import api_token_authenticate
from dualtrack.core.validators import unstorable_text_message
from dualtrack.core.views import AuthenticatedRequest

logger = logging.getLogger(__name__)

PROBLEM_CONTENT_TYPE = "application/problem+json"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_FORM_CONTENT_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


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


def problems(*statuses: int) -> dict[int, type[ProblemOut]]:
    """The problem answers an operation documents, for its ``response`` map."""
    return dict.fromkeys(statuses, ProblemOut)


# The problem answers of the usual kinds of operation; an app adds what it needs to them.
READ = problems(401, 404)
LIST = problems(401, 404, 422)
WRITE = problems(400, 401, 403, 404, 409, 422)


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


def _unstorable_parameters(
    request: HttpRequest, path_params: dict[str, Any]
) -> list[dict[str, str]]:
    """The path, query and form parameters whose text no column can hold (see
    ``core.validators.unstorable_text_message``); JSON bodies are guarded by their schemas."""
    sources: list[Iterable[tuple[str, Any]]] = [path_params.items(), request.GET.lists()]
    if request.method == "POST" and request.content_type in _FORM_CONTENT_TYPES:
        sources.append(request.POST.lists())
    errors = []
    for items in sources:
        for name, values in items:
            for text in [name, *(values if isinstance(values, list) else [values])]:
                message = unstorable_text_message(str(text))
                if message is not None:
                    errors.append({"field": unstorable_text_field(name), "message": message})
                    break
    return errors


def unstorable_text_field(name: str) -> str:
    """A parameter's name as a problem may show it: without the characters it was refused for."""
    return name.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")


def _guarded_view(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Every API operation, guarded where no route can forget it:

    - a path, query or form parameter with a NUL character or a lone surrogate is refused (422)
      before any route sees it, and a malformed multipart body (no boundary, a header past
      Django's limit) is refused (400);
    - a write (any method but GET, HEAD and OPTIONS) runs in one transaction with its answer:
      the answer is serialised inside it, and any error answer — a refusal, or a 500 from a
      value that could not be serialised after the service had written — rolls back
      everything the operation wrote. A committed write is never followed by an error."""

    @functools.wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            errors = _unstorable_parameters(request, kwargs)
        except MultiPartParserError:
            return _malformed_multipart(request)
        if errors:
            return problem(
                request,
                status=422,
                code="validation_failed",
                title=_title(422),
                detail=str(_("Some values are not valid.")),
                errors=errors,
            )
        return view(request, *args, **kwargs)

    return guarded


def _run_writes_in_one_transaction(operation: Operation) -> None:
    """A write (any method but GET, HEAD and OPTIONS) runs in one transaction with its answer:
    the answer is serialised inside it, and an error answer — a refusal, or a 500 from a value
    that could not be serialised after the service had written — rolls back everything the
    operation wrote, so that a committed write is never followed by an error.

    An operation open without an account (``auth=None``: the QR self-registration, the
    enterprise sign-up) keeps what it wrote before a refusal (4xx) and rolls back only on a
    5xx: its rate limit counts every request, refused ones first of all, and that count is
    written on the same connection."""
    if getattr(operation, "_dualtrack_transactional", False):
        return
    run = operation.run
    public = not operation.auth_callbacks

    @functools.wraps(run)
    def transactional_run(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.method in SAFE_METHODS:
            return run(request, *args, **kwargs)
        with transaction.atomic():
            response = run(request, *args, **kwargs)
            if response.status_code >= (500 if public else 400):
                transaction.set_rollback(True)
        return response

    operation.run = transactional_run  # type: ignore[method-assign]
    operation._dualtrack_transactional = True  # type: ignore[attr-defined]


def _guard_parsed_values(operation: Operation) -> None:
    """Hold the dates, times and numbers of an operation's path and query parameters to the
    rules the body's schemas follow (``core.schemas.guarded_value``): a date in the window —
    which also refuses ``?day=0``, read by Pydantic as 1970-01-01 —, a time made local, a
    number within 64 bits. django-ninja builds the parameters' models itself, so they are
    checked once parsed."""
    if getattr(operation, "_dualtrack_guarded", False):
        return
    parse = operation._get_values

    @functools.wraps(parse)
    def guarded_parse(
        request: HttpRequest, path_params: Any, temporal: HttpResponse
    ) -> dict[str, Any]:
        values = parse(request, path_params, temporal)
        errors = []
        for name, value in values.items():
            if isinstance(value, datetime.date | datetime.time | int):
                try:
                    values[name] = guarded_value(value)
                except PydanticCustomError as exc:
                    errors.append({"loc": ("query", name), "type": exc.type, "msg": exc.message()})
        if errors:
            raise ValidationError(errors)
        return values

    operation._get_values = guarded_parse  # type: ignore[method-assign,assignment]
    operation._dualtrack_guarded = True  # type: ignore[attr-defined]


def _malformed_multipart(request: HttpRequest) -> HttpResponse:
    return problem(
        request,
        status=400,
        code="malformed_body",
        title=_title(400),
        detail=str(
            _(
                "The uploaded form could not be read (multipart/form-data needs a boundary, "
                "and each part's headers, the file name included, must be short)."
            )
        ),
    )


# Operations that answer a file, by the extension of their path: django-ninja documents their
# success without a body.
FILE_MEDIA_TYPES = {
    ".xlsx": media_types.XLSX,
    ".pdf": media_types.PDF,
    ".png": "image/png",
    ".csv": "text/csv",
}


class DualtrackAPI(NinjaAPI):
    """The NinjaAPI of config/api.py. Every path of every mounted router is guarded by
    ``_guarded_view``, every operation by ``_guard_parsed_values`` and
    ``_run_writes_in_one_transaction``, and the OpenAPI document describes the errors as they
    are sent."""

    def _get_urls(self) -> list[URLResolver | URLPattern]:
        urls = super()._get_urls()
        for bound in self._get_bound_routers():
            for path_view in bound.path_operations.values():
                for operation in path_view.operations:
                    _guard_parsed_values(operation)
                    _run_writes_in_one_transaction(operation)
        return [
            URLPattern(url.pattern, _guarded_view(url.callback), url.default_args, url.name)
            if isinstance(url, URLPattern)
            else url
            for url in urls
        ]

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        document = super().get_openapi_schema(**kwargs)
        problem_ref = {"$ref": "#/components/schemas/ProblemOut"}
        for path, item in document["paths"].items():
            media = next((m for ext, m in FILE_MEDIA_TYPES.items() if path.endswith(ext)), None)
            for method, operation in item.items():
                if not isinstance(operation, dict) or "responses" not in operation:
                    continue
                responses = operation["responses"]
                for status, response in responses.items():
                    if media and int(status) < 300 and not response.get("content"):
                        file_schema = {"type": "string", "format": "binary"}
                        response["content"] = {media: {"schema": file_schema}}
                # What every operation can answer, whatever its route declares: 422 for a path id
                # or a query value that is not one (or carries a NUL), 400 and 413 for a body that
                # cannot be read (any write may be sent one, even where it reads none).
                implied = {}
                if operation.get("parameters") or operation.get("requestBody"):
                    implied[422] = _("Invalid input")
                if operation.get("requestBody") or method in ("post", "put", "patch", "delete"):
                    implied[400] = _("Bad request")
                    implied[413] = _("Too large")
                documented = {int(code) for code in responses}
                for status, description in implied.items():
                    if status in documented:
                        continue
                    responses[status] = {
                        "description": str(description),
                        "content": {"application/json": {"schema": problem_ref}},
                    }
                for status, response in responses.items():
                    content = response.get("content", {})
                    if int(status) >= 400 and "application/json" in content:
                        content[PROBLEM_CONTENT_TYPE] = content.pop("application/json")
                operation["responses"] = dict(
                    sorted(responses.items(), key=lambda pair: int(pair[0]))
                )
        return document


# Pydantic's error types, in the user's language: every type Pydantic can raise has a message
# here or falls back to a general one, so that no refusal carries Pydantic's English.
def _pydantic_message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    if kind in GUARD_ERROR_TYPES:
        return str(error.get("msg", ""))  # written by our own guards, in the request's language
    ctx = error.get("ctx") or {}

    def n(key: str) -> str:
        return str(ctx.get(key, ""))

    expected = _("Choose one of: %(expected)s.") % {"expected": n("expected")}
    whole_number = _("Enter a whole number.")
    number = _("Enter a number.")
    date = _("Enter a date as YYYY-MM-DD.")
    datetime_ = _("Enter a date and time in ISO 8601.")
    time = _("Enter a time as HH:MM or HH:MM:SS.")
    obj = _("Must be a JSON object.")
    messages = {
        "missing": _("This field is required."),
        "missing_argument": _("This field is required."),
        "missing_keyword_only_argument": _("This field is required."),
        "missing_positional_only_argument": _("This field is required."),
        "json_invalid": _("The request body is not valid JSON."),
        "json_type": _("The request body is not valid JSON."),
        "extra_forbidden": _("This field is not expected."),
        "unexpected_keyword_argument": _("This field is not expected."),
        "int_parsing": whole_number,
        "int_type": whole_number,
        "int_from_float": whole_number,
        "int_parsing_size": _("The number is too large."),
        "float_parsing": number,
        "float_type": number,
        "decimal_parsing": number,
        "decimal_type": number,
        "finite_number": _("Enter a finite number."),
        "decimal_max_digits": _("At most %(n)s digits.") % {"n": n("max_digits")},
        "decimal_max_places": _("At most %(n)s decimal places.") % {"n": n("decimal_places")},
        "decimal_whole_digits": _("At most %(n)s digits before the decimal point.")
        % {"n": n("whole_digits")},
        "multiple_of": _("Must be a multiple of %(n)s.") % {"n": n("multiple_of")},
        "string_type": _("Enter text."),
        "string_unicode": _("Enter text."),
        "string_not_ascii": _("Use only ASCII characters."),
        "string_pattern_mismatch": _("The text is not in the expected form."),
        "bool_parsing": _("Enter true or false."),
        "bool_type": _("Enter true or false."),
        "date_type": date,
        "date_parsing": date,
        "date_from_datetime_parsing": date,
        "date_from_datetime_inexact": _("Enter a date without a time of day."),
        "date_past": _("The date must be in the past."),
        "date_future": _("The date must be in the future."),
        "datetime_type": datetime_,
        "datetime_parsing": datetime_,
        "datetime_from_date_parsing": datetime_,
        "datetime_object_invalid": datetime_,
        "datetime_past": _("The date must be in the past."),
        "datetime_future": _("The date must be in the future."),
        "timezone_naive": _("Give the time without a UTC offset."),
        "timezone_aware": _("Give the time with its UTC offset."),
        "timezone_offset": _("The time's UTC offset is not the expected one."),
        "time_type": time,
        "time_parsing": time,
        "time_delta_type": _("Enter a duration."),
        "time_delta_parsing": _("Enter a duration."),
        "uuid_type": _("Enter a UUID, such as 123e4567-e89b-12d3-a456-426614174000."),
        "uuid_parsing": _("Enter a UUID, such as 123e4567-e89b-12d3-a456-426614174000."),
        "uuid_version": _("Enter a UUID of the expected version."),
        "enum": expected,
        "literal_error": expected,
        "union_tag_invalid": expected,
        "union_tag_not_found": _("This field is required."),
        "string_too_long": _("At most %(n)s characters.") % {"n": n("max_length")},
        "string_too_short": _("At least %(n)s characters.") % {"n": n("min_length")},
        "greater_than_equal": _("Must be at least %(n)s.") % {"n": n("ge")},
        "less_than_equal": _("Must be at most %(n)s.") % {"n": n("le")},
        "greater_than": _("Must be greater than %(n)s.") % {"n": n("gt")},
        "less_than": _("Must be less than %(n)s.") % {"n": n("lt")},
        "model_attributes_type": obj,
        "model_type": obj,
        "dataclass_type": obj,
        "dataclass_exact_type": obj,
        "dict_type": obj,
        "mapping_type": obj,
        "frozen_dict_type": obj,
        "ordered_dict_type": obj,
        "counter_type": obj,
        "arguments_type": obj,
        "list_type": _("Enter a list."),
        "tuple_type": _("Enter a list."),
        "set_type": _("Enter a list."),
        "frozen_set_type": _("Enter a list."),
        "deque_type": _("Enter a list."),
        "iterable_type": _("Enter a list."),
        "set_item_not_hashable": _("Enter a list of simple values."),
        "too_long": _("Too many items: at most %(n)s.") % {"n": n("max_length")},
        "too_short": _("Too few items: at least %(n)s.") % {"n": n("min_length")},
        "none_required": _("This field must be empty (null)."),
        "url_type": _("Enter a URL."),
        "url_parsing": _("Enter a URL."),
        "url_syntax_violation": _("Enter a URL."),
        "url_scheme": _("Enter a URL."),
        "url_too_long": _("The URL is too long."),
        "bytes_type": _("Enter text."),
        "bytes_invalid_encoding": _("Enter text."),
    }
    return str(messages.get(kind, _("This value is not valid.")))


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

    @api.exception_handler(MultiPartParserError)
    def _multipart(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
        return _malformed_multipart(request)

    @api.exception_handler(SuspiciousOperation)
    def _suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
        # Django's own limits on a request: too large a body, too many fields or files.
        if isinstance(exc, RequestDataTooBig):
            return problem(
                request,
                status=413,
                code="too_large",
                title=_title(413),
                detail=str(_("The request body is too large.")),
            )
        return problem(
            request,
            status=400,
            code="malformed_body",
            title=_title(400),
            detail=str(_("The request could not be processed.")),
        )

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
    response={200: list[ApiTokenOut], 401: ProblemOut},
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
    return Status(201, {**ApiTokenOut.from_orm(issued.token).model_dump(), "token": issued.raw})


@router.delete(
    "/tokens/{token_id}",
    response={204: None, 401: ProblemOut, 403: ProblemOut, 404: ProblemOut, 409: ProblemOut},
    operation_id="account_token_revoke",
    summary="Revoke one of the caller's tokens; it stops working at once",
)
def token_revoke(request: AuthenticatedRequest, token_id: int) -> Status[None]:
    services.api_token_revoke(actor=request.user, token_id=token_id)
    return Status(204, None)
