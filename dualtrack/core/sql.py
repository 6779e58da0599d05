"""Hand-written SQL for the few hot paths: a registration at a gate, today's figures, the
grants behind every request.

On the district's servers the ORM spends about a millisecond compiling each query, more than
the database takes to answer it; a registration makes a dozen. These helpers run constant
statements (built once from model metadata, never from input; values always go as parameters)
and prepare values exactly as the ORM would, with the fields' own ``pre_save`` and
``get_db_prep_save``. Everything else keeps to the ORM.

On PostgreSQL they bind parameters on the server, so that psycopg prepares each statement on a
connection once it is reused (settings: ``prepare_threshold``) and the server stops planning it
again: planning the grants' three-table join costs more than running it.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, models, router
from django.db.backends.utils import CursorWrapper


def cursor(alias: str = DEFAULT_DB_ALIAS) -> CursorWrapper:
    """A cursor of the request's connection, in its transaction, logged like the ORM's."""
    conn = connections[alias]
    if conn.vendor != "postgresql":
        return conn.cursor()
    import psycopg

    conn.ensure_connection()
    raw = psycopg.Cursor(conn.connection)  # server-side binding: prepared when reused
    if conn.queries_logged:
        return conn.make_debug_cursor(raw)  # type: ignore[arg-type]
    return conn.make_cursor(raw)  # type: ignore[arg-type]


def _alias(reads: type[models.Model] | None) -> str:
    """A statement that only reads ``reads``'s rows goes where the database router sends that
    model's reads (a read replica, for a read-only request); any other, to the primary."""
    return DEFAULT_DB_ALIAS if reads is None else router.db_for_read(reads)


def fetch_all(
    sql: str, params: Sequence[Any] = (), *, reads: type[models.Model] | None = None
) -> list[tuple[Any, ...]]:
    with cursor(_alias(reads)) as c:
        c.execute(sql, params)
        rows: list[tuple[Any, ...]] = c.fetchall()
        return rows


def fetch_one(
    sql: str, params: Sequence[Any] = (), *, reads: type[models.Model] | None = None
) -> tuple[Any, ...] | None:
    with cursor(_alias(reads)) as c:
        c.execute(sql, params)
        row: tuple[Any, ...] | None = c.fetchone()
        return row


def is_key(value: Any) -> bool:
    """Whether a primary key from input fits the column (the ORM answers "none" otherwise)."""
    return isinstance(value, int) and -(2**63) <= value < 2**63


def aware(value: datetime.datetime | None) -> datetime.datetime | None:
    """A datetime column read by hand: SQLite hands back naive UTC, PostgreSQL aware values."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=datetime.UTC)
    return value


@functools.cache
def _insert_statement(
    model: type[models.Model],
) -> tuple[str, tuple[models.Field[Any, Any], ...]]:
    meta = model._meta
    fields = tuple(f for f in meta.concrete_fields if not f.primary_key)
    qn = connection.ops.quote_name
    assert meta.pk is not None
    sql = (
        f"INSERT INTO {qn(meta.db_table)} ({', '.join(qn(str(f.column)) for f in fields)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(fields))}) RETURNING {qn(str(meta.pk.column))}"
    )
    return sql, fields


def insert(instance: models.Model) -> None:
    """``instance.save(force_insert=True)`` for a model with an auto primary key, in one
    statement and without signals (none of the models it is used for has receivers)."""
    sql, fields = _insert_statement(type(instance))
    values = [f.get_db_prep_save(f.pre_save(instance, True), connection) for f in fields]
    row = fetch_one(sql, values)
    assert row is not None
    instance.pk = row[0]
    instance._state.adding = False
    instance._state.db = connection.alias


@functools.cache
def _insert_all_statement(models_: tuple[type[models.Model], ...]) -> str:
    """One statement inserting a row into each model's table (PostgreSQL: data-modifying WITH
    queries), answering their primary keys in order."""
    qn = connection.ops.quote_name
    parts, keys = [], []
    for n, model in enumerate(models_):
        insert, _fields = _insert_statement(model)
        parts.append(f"r{n} AS ({insert})")
        assert model._meta.pk is not None
        keys.append(f"(SELECT {qn(str(model._meta.pk.column))} FROM r{n})")  # noqa: S608
    return f"WITH {', '.join(parts)} SELECT {', '.join(keys)}"


def insert_all(*instances: models.Model) -> None:
    """``insert`` of each instance, in one statement on PostgreSQL (one round trip, one
    statement for the server to run); one statement per instance elsewhere. The rows must not
    refer to one another's new keys."""
    if connection.vendor != "postgresql" or len(instances) < 2:
        for instance in instances:
            insert(instance)
        return
    values = []
    for instance in instances:
        _sql, fields = _insert_statement(type(instance))
        values += [f.get_db_prep_save(f.pre_save(instance, True), connection) for f in fields]
    row = fetch_one(_insert_all_statement(tuple(type(i) for i in instances)), values)
    assert row is not None
    for instance, pk in zip(instances, row, strict=True):
        instance.pk = pk
        instance._state.adding = False
        instance._state.db = connection.alias


class Loader[M: models.Model]:
    """Instances of a model from the columns of a hand-written SELECT, with their values
    converted exactly as the ORM converts them (its backend's and its fields' converters)."""

    def __init__(self, model: type[M], alias: str) -> None:
        qn = connection.ops.quote_name
        self.model = model
        self.fields = tuple(model._meta.concrete_fields)
        self.width = len(self.fields)
        self.columns = ", ".join(f"{alias}.{qn(str(f.column))}" for f in self.fields)
        self._converters = []
        for f in self.fields:
            col = f.get_col(alias)
            converters = connection.ops.get_db_converters(col) + f.get_db_converters(connection)
            self._converters.append((col, converters))

    def __call__(self, values: Sequence[Any]) -> M:
        converted = []
        for value, (col, converters) in zip(values, self._converters, strict=True):
            for convert in converters:
                value = convert(value, col, connection)
            converted.append(value)
        return self.model.from_db(connection.alias, None, converted)  # type: ignore[arg-type]


@functools.cache
def loader[M: models.Model](model: type[M], alias: str) -> Loader[M]:
    return Loader(model, alias)
