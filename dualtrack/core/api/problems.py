"""RFC 7807 problem+json: the problem schema every operation documents, the answer itself, and
the mapping of every error the API can raise to one, in the request's language."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError

from dualtrack.core.errors import DomainError
from dualtrack.core.schemas import GUARD_ERROR_TYPES

logger = logging.getLogger("dualtrack.core.api")

PROBLEM_CONTENT_TYPE = "application/problem+json"


class FieldErrorOut(Schema):
    field: str
    message: str


class ProblemOut(Schema):
    """RFC 7807 problem details, with a stable ``code``, field-level ``errors`` and the
    ``request_id`` of the request (its ``X-Request-ID``), which the server's logs carry too."""

    type: str
    title: str
    status: int
    detail: str
    code: str
    instance: str
    errors: list[FieldErrorOut] = []
    request_id: str = ""


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
        "request_id": getattr(request, "request_id", ""),  # set by the first middleware
        **(extra or {}),
    }
    return JsonResponse(
        body,
        status=status,
        content_type=PROBLEM_CONTENT_TYPE,
        json_dumps_params={"ensure_ascii": False},
    )


def too_many_requests(request: HttpRequest, detail: str) -> HttpResponse:
    """The refusal of a route open without an account once its rate limit is spent: 429
    problem+json, and when to try again (``Retry-After``: the limits' windows are a minute)."""
    response = problem(
        request, status=429, code="too_many_requests", title=_("Too many requests"), detail=detail
    )
    response["Retry-After"] = "60"
    return response


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
