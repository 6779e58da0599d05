"""The first middleware: a request id for every request, one JSON log line and the metrics of
each answer, with the time it spent in the database.

The id is the caller's ``X-Request-ID`` when it is well-formed (a load balancer's or a client's,
so that one id follows a request through every server), else a new one; it is answered in the
``X-Request-ID`` header, carried by every problem+json answer (``request_id``) and by every log
line written while the request runs. The log line says the method, the path (never the query
string, where a search may hold an ID number), the status, the duration, the database time and
statements, the user's id and the request id.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable
from contextlib import ExitStack
from typing import Any

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject, empty

from dualtrack.ops import metrics
from dualtrack.ops.logs import current_request_id

logger = logging.getLogger("dualtrack.requests")

REQUEST_ID_HEADER = "X-Request-ID"
WELL_FORMED_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,127}")


def request_id_for(request: HttpRequest) -> str:
    given = request.META.get("HTTP_X_REQUEST_ID", "")  # request.headers parses them all
    return given if WELL_FORMED_ID.fullmatch(given) else uuid.uuid4().hex


class _DatabaseTimer:
    """An execute wrapper adding up the time and number of the statements it sees."""

    __slots__ = ("queries", "seconds")

    def __init__(self) -> None:
        self.seconds = 0.0
        self.queries = 0

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.queries += 1


def _user_id(request: HttpRequest) -> int | None:
    """The signed-in user's id if the request already knows it; never a query of its own."""
    user = request.__dict__.get("user")
    if user is None or (isinstance(user, SimpleLazyObject) and user._wrapped is empty):
        return None
    return user.pk if user.is_authenticated else None


def _route(request: HttpRequest) -> str:
    match = request.resolver_match
    return match.route if match is not None else "unmatched"


class RequestObservabilityMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.log = settings.REQUEST_LOG

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        request_id = request_id_for(request)
        request.request_id = request_id  # type: ignore[attr-defined]
        token = current_request_id.set(request_id)
        timer = _DatabaseTimer()
        try:
            with ExitStack() as stack:
                for alias in connections:
                    stack.enter_context(connections[alias].execute_wrapper(timer))
                response = self.get_response(request)
            seconds = time.perf_counter() - started
            response[REQUEST_ID_HEADER] = request_id
            route = _route(request)
            metrics.observe(
                request.method or "",
                route,
                response.status_code,
                seconds,
                timer.seconds,
                timer.queries,
            )
            if self.log:
                logger.info(
                    "request",
                    extra={
                        "request": request,  # its id, for the formatter (not logged itself)
                        "method": request.method,
                        "path": request.path,
                        "route": route,
                        "status": response.status_code,
                        "duration_ms": round(seconds * 1000, 2),
                        "db_ms": round(timer.seconds * 1000, 2),
                        "db_queries": timer.queries,
                        "user_id": _user_id(request),
                    },
                )
            return response
        finally:
            current_request_id.reset(token)
