"""Reads on the streaming replica, writes (and reads that follow them) on the primary.

When ``DATABASE_REPLICA_URL`` is set, the settings define a second database alias, ``replica``,
and this router sends to it the ORM reads of requests that only read: the figures, the lists,
the exports and pages answered to GET and HEAD. Everything else uses the primary (``default``):

- every write, and every read of a request that has written (``db_for_write`` pins the rest of
  the request), and every read inside ``transaction.atomic()`` (a service's reads go with its
  writes);
- every request other than GET, HEAD and OPTIONS, from its first query;
- every request of a browser that wrote within the last ``replica_pin_seconds()`` (a cookie set
  by the answer to a write, on whichever app server), so that a page never shows a user their
  own write missing: the cookie lasts longer than the lag the router tolerates plus the age of
  its measurement, so the replica has replayed the write before the cookie expires;
- the sessions, the login lockouts, the cache (rate limits), the task queue and the workers'
  heartbeats: they are read to be written;
- code outside a request (the task worker, commands): only a request decides to use the replica;
- while the replica lags by more than ``DATABASE_REPLICA_MAX_LAG_SECONDS`` or does not answer
  (measured by ``/healthz``'s check, at most every few seconds per process).

A query that fails on the replica during a request (the replica stopped, restarted, or cancelled
the query for a conflict with recovery) marks it lost until the next measurement, and the view
runs again on the primary: the user sees the page, not an error. The hand-written statements of
the hot paths (``dualtrack.core.sql``) use the primary's connection, except the reads that name
the model they read (``reads=``, the checkpoints' figures), which ask this router.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.http import HttpRequest, HttpResponse

from dualtrack.ops.health import replica_lost, replica_reads_allowed

REPLICA = "replica"
PIN_COOKIE = "dualtrack_primary"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Read to be written, or written by every request: always on the primary.
PRIMARY_APPS = frozenset({"sessions", "axes", "django_cache", "django_tasks_db", "ops"})


@dataclass
class Routing:
    """The current request's choice: may its reads use the replica, and has it written."""

    replica: bool
    wrote: bool = False
    used_replica: bool = False


_routing: ContextVar[Routing | None] = ContextVar("dualtrack_db_routing", default=None)


def replica_configured() -> bool:
    return REPLICA in connections.settings


def replica_pin_seconds() -> int:
    """How long a browser's reads stay on the primary after it wrote."""
    return math.ceil(
        settings.DATABASE_REPLICA_MAX_LAG_SECONDS + settings.HEALTH_REPLICA_CACHE_SECONDS + 1
    )


@contextmanager
def routing(*, replica: bool) -> Iterator[Routing]:
    """Inside the block, reads may use the replica (``replica=True``) as in a read-only request."""
    state = Routing(replica=replica)
    token = _routing.set(state)
    try:
        yield state
    finally:
        _routing.reset(token)


class ReplicaRouter:
    """The database router (``DATABASE_ROUTERS``); without a ``replica`` alias, all is default."""

    def db_for_read(self, model: type[Any], **hints: Any) -> str:
        state = _routing.get()
        if (
            state is None
            or not state.replica
            or state.wrote
            or model._meta.app_label in PRIMARY_APPS
            or connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return DEFAULT_DB_ALIAS
        state.used_replica = True
        return REPLICA

    def db_for_write(self, model: type[Any], **hints: Any) -> str:
        state = _routing.get()
        if state is not None and model._meta.app_label not in PRIMARY_APPS:
            state.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the replica holds the primary's rows

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return False if db == REPLICA else None


def _replica_failed() -> bool:
    return bool(connections[REPLICA].errors_occurred)


def _give_up_replica(state: Routing) -> None:
    """The replica failed under this request: lost until measured again, its connection closed,
    and the rest of the request on the primary."""
    replica_lost("query failed")
    with suppress(DatabaseError):  # already broken: nothing left to close
        connections[REPLICA].close()
    state.replica = False
    state.used_replica = False


class ReplicaRoutingMiddleware:
    """Decides each request's routing; after a write, pins the browser to the primary for a
    while; runs a read-only request again on the primary when the replica failed under it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not replica_configured():
            return self.get_response(request)
        safe = request.method in SAFE_METHODS
        pinned = not safe or PIN_COOKIE in request.COOKIES
        with routing(replica=not pinned and replica_reads_allowed()) as state:
            response = self.get_response(request)
            if state.used_replica and response.status_code >= 500 and _replica_failed():
                # The failure became a 500 answer (a page's, or the API's problem+json) wherever
                # it happened (the user is loaded by a middleware): run the request again.
                _give_up_replica(state)
                response = self.get_response(request)
        if not safe or state.wrote:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=replica_pin_seconds(),
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response
