"""The ops tests borrow the checkpoints' gate and register (a small district, built through the
services) and can point the default database at another one for a while."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

from dualtrack.checkpoints.tests.conftest import (  # noqa: F401
    checkpoint,
    liaison,
    register,
    shift,
)

# A streaming replica and partitioned tables are PostgreSQL's: their tests are collected on
# PostgreSQL only (the router's decisions are tested on both databases in test_routing.py; on
# SQLite the registers are single tables, which every other test uses).
if settings.DATABASES[DEFAULT_DB_ALIAS]["ENGINE"] != "django.db.backends.postgresql":
    collect_ignore = ["test_replica_routing.py", "test_partitions.py"]


@contextmanager
def default_database(**changes: Any) -> Iterator[Any]:
    """Inside the block, the default database is the one ``changes`` name (its NAME, say), as a
    second server would see it; the test's own is back afterwards."""
    original = connections[DEFAULT_DB_ALIAS]
    wrapper = original.__class__({**original.settings_dict, **changes}, alias=DEFAULT_DB_ALIAS)
    connections[DEFAULT_DB_ALIAS] = wrapper
    try:
        yield wrapper
    finally:
        wrapper.close()
        connections[DEFAULT_DB_ALIAS] = original


def table_counts(connection: Any) -> dict[str, int]:
    """Exact row counts of every table."""
    qn = connection.ops.quote_name
    counts = {}
    with connection.cursor() as cursor:
        for name in connection.introspection.table_names():
            cursor.execute(f"SELECT COUNT(*) FROM {qn(name)}")  # noqa: S608
            counts[name] = cursor.fetchone()[0]
    return counts
