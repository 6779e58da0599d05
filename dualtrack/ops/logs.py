"""Structured logs: one JSON object a line, each carrying the request id of the request it was
written in (``request_id``), so that a problem+json answer a user reports leads to its lines."""

from __future__ import annotations

import contextvars
import datetime
import json
import logging
from typing import Any

current_request_id: contextvars.ContextVar[str] = contextvars.ContextVar(
    "current_request_id", default=""
)

# Attributes every LogRecord has; anything else was passed in ``extra=`` and is logged as is.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {
    "message",
    "asctime",
    "request_id",
    "request",  # django.request's: the request object itself
}


def request_id_of(record: logging.LogRecord) -> str:
    """The id of the request a record was written in: its own request's (Django's
    ``django.request`` lines are written once the middleware has answered), else the one
    running; "-" outside any request."""
    request = getattr(record, "request", None)
    return getattr(request, "request_id", "") or current_request_id.get() or "-"


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record, for any formatter."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_of(record)
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": request_id_of(record),
        }
        line.update((k, v) for k, v in vars(record).items() if k not in _STANDARD)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)
