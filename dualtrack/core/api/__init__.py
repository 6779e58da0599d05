"""The API's shared parts, one module each: problem+json for every error (``problems``), the
NinjaAPI every app's router is mounted on, with its request guards, transactions and OpenAPI
document (``guards``), and authentication with the core's own account routes (``account``)."""

from __future__ import annotations

from dualtrack.core.api.account import API_AUTH, TokenAuth, router
from dualtrack.core.api.guards import (
    FILE_MEDIA_TYPES,
    SAFE_METHODS,
    DualtrackAPI,
    before_transaction,
    unstorable_text_field,
)
from dualtrack.core.api.problems import (
    LIST,
    PROBLEM_CONTENT_TYPE,
    READ,
    WRITE,
    FieldErrorOut,
    ProblemOut,
    _pydantic_message,
    install_problem_handlers,
    problem,
    problems,
    too_many_requests,
)

__all__ = [
    "API_AUTH",
    "FILE_MEDIA_TYPES",
    "LIST",
    "PROBLEM_CONTENT_TYPE",
    "READ",
    "SAFE_METHODS",
    "WRITE",
    "DualtrackAPI",
    "FieldErrorOut",
    "ProblemOut",
    "TokenAuth",
    "_pydantic_message",
    "before_transaction",
    "install_problem_handlers",
    "problem",
    "problems",
    "router",
    "too_many_requests",
    "unstorable_text_field",
]
