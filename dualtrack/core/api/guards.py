"""The NinjaAPI every app's router is mounted on: its request guards, its transactions and its
OpenAPI document."""

from __future__ import annotations

import copy
import datetime
import functools
from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.http.response import HttpResponseBase
from django.urls import URLPattern, URLResolver
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import ValidationError
from ninja.operation import Operation
from pydantic_core import PydanticCustomError

from dualtrack.core import media_types
from dualtrack.core.api.problems import (
    PROBLEM_CONTENT_TYPE,
    _malformed_multipart,
    _title,
    problem,
)
from dualtrack.core.api.urls import nested
from dualtrack.core.schemas import guarded_value
from dualtrack.core.validators import unstorable_text_message

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_FORM_CONTENT_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


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


Gate = Callable[[HttpRequest], HttpResponseBase | None]


def before_transaction[V: Callable[..., Any]](gate: Gate) -> Callable[[V], V]:
    """Run ``gate`` before the operation, outside its transaction: what the gate writes is
    committed at once, and its answer, if any, is the operation's. For the rate limit of an
    operation open without an account: counted inside the operation's transaction, the
    counter's row stayed locked until the operation committed, so that every request from one
    address (or behind one proxy) waited for the one before it to finish."""

    def mark(view: V) -> V:
        view._dualtrack_gate = gate  # type: ignore[attr-defined]
        return view

    return mark


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
    gate: Gate | None = getattr(operation.view_func, "_dualtrack_gate", None)

    @functools.wraps(run)
    def transactional_run(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if gate is not None:
            refused = gate(request)
            if refused is not None:
                return refused
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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._openapi_documents: dict[tuple[str, str | None], Any] = {}
        super().__init__(*args, **kwargs)

    def add_router(self, *args: Any, **kwargs: Any) -> None:
        self._openapi_documents.clear()
        super().add_router(*args, **kwargs)

    def _get_urls(self) -> list[URLResolver | URLPattern]:
        urls = super()._get_urls()
        for bound in self._get_bound_routers():
            for path_view in bound.path_operations.values():
                for operation in path_view.operations:
                    _guard_parsed_values(operation)
                    _run_writes_in_one_transaction(operation)
        return nested(
            [
                URLPattern(url.pattern, _guarded_view(url.callback), url.default_args, url.name)
                if isinstance(url, URLPattern)
                else url
                for url in urls
            ]
        )

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        """The document, built once per language and path prefix: the routes are fixed once the
        URLconf is loaded, and building it takes seconds of CPU (each GET of /api/openapi.json
        did). A copy, so no caller changes the kept one."""
        key = (repr(sorted(kwargs.items())), translation.get_language())
        if key not in self._openapi_documents:
            self._openapi_documents[key] = self._build_openapi_schema(**kwargs)
        return copy.deepcopy(self._openapi_documents[key])

    def _build_openapi_schema(self, **kwargs: Any) -> Any:
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
