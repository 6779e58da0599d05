"""Calls made at the same moment, for the tests of what must hold under concurrency."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connection, connections

from dualtrack.core.errors import DomainError


def race(calls: list[Callable[[], object]]) -> list[str]:
    """Each call's outcome, "ok" or the DomainError's code, in the order they finished; any
    other exception as its class's name (an IntegrityError is a bug the caller must see, not a
    thread's lost outcome).

    On PostgreSQL the calls run in threads (each with its own connection) released together by a
    barrier, so they meet the database's locks and constraints at the same moment. SQLite
    serialises writers itself: there they run one after another and the same invariants are
    checked."""
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt(call: Callable[[], object]) -> None:
        try:
            call()
            result = "ok"
        except DomainError as exc:
            result = exc.code
        except Exception as exc:  # the outcome the test asserts on
            result = type(exc).__name__
        finally:
            if threading.current_thread() is not threading.main_thread():
                connections.close_all()
        with lock:
            outcomes.append(result)

    if connection.vendor == "postgresql":
        barrier = threading.Barrier(len(calls))

        def run(call: Callable[[], object]) -> None:
            barrier.wait()
            attempt(call)

        threads = [threading.Thread(target=run, args=(c,)) for c in calls]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    else:
        for call in calls:
            attempt(call)
    return outcomes
