"""Keeping the daily and shift figures current, in the transaction of the rows they count.

One statement per key: INSERT … ON CONFLICT DO UPDATE with increments. Concurrent registrations
at the same gate add to the same row without reading it first, so no count is ever lost (both
SQLite and PostgreSQL take the row lock inside the statement).
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from dualtrack.checkpoints.models import DailyFigure, FigureCounters, ShiftFigure
from dualtrack.core import sql

COUNTERS = FigureCounters.COUNTERS

DailyKey = tuple[int, datetime.date]


def _upsert_sql(table: str, keys: tuple[str, ...], conflict: str) -> str:
    columns = ", ".join((*keys, *COUNTERS))
    marks = ", ".join(["%s"] * (len(keys) + len(COUNTERS)))
    updates = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in COUNTERS)
    return (
        f"INSERT INTO {table} ({columns}) VALUES ({marks}) "  # noqa: S608 - names from _meta
        f"ON CONFLICT ({conflict}) DO UPDATE SET {updates}"
    )


_DAILY_SQL = _upsert_sql(DailyFigure._meta.db_table, ("checkpoint_id", "day"), "checkpoint_id, day")
_SHIFT_SQL = _upsert_sql(ShiftFigure._meta.db_table, ("shift_id",), "shift_id")


def _rows(increments: Mapping[Any, Counter[str]]) -> Iterable[list[Any]]:
    for key, counter in increments.items():
        if not any(counter.values()):
            continue
        head = list(key) if isinstance(key, tuple) else [key]
        yield [*head, *(counter.get(name, 0) for name in COUNTERS)]


def bump(
    daily: Mapping[DailyKey, Counter[str]], shifts: Mapping[int, Counter[str]] | None = None
) -> None:
    """Add the counters to their (checkpoint, day) and shift rows; call inside the write's
    transaction, keys in a stable order so that concurrent batches lock rows alike."""
    with sql.cursor() as cursor:
        for statement, increments in ((_DAILY_SQL, daily), (_SHIFT_SQL, shifts or {})):
            rows = list(_rows(dict(sorted(increments.items()))))
            if len(rows) == 1:  # a registration: one prepared statement (see core.sql)
                cursor.execute(statement, rows[0])
            elif rows:
                cursor.executemany(statement, rows)
