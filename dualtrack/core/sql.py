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
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Upsert:
    """A row for ``insert_all``: ``instance`` inserted or, when a row with its values of the
    unique columns ``on`` is stored already, that row's columns ``update`` set from it (the row
    locked); ``instance.pk`` becomes the stored row's key either way."""

    instance: models.Model
    on: tuple[str, ...]
    update: tuple[str, ...]


class KeyText(str):
    """A text value standing for the primary key of a row inserted earlier in the same
    ``insert_all`` (a text column naming a record, such as an audit entry's target)."""

    row: models.Model

    def __new__(cls, row: models.Model) -> KeyText:
        text = super().__new__(cls, "")
        text.row = row
        return text


Row = models.Model | Upsert
# Per row: (field's position in the insert, position of the earlier row whose key it takes).
Refs = tuple[tuple[tuple[int, int], ...], ...]


def _instance(row: Row) -> models.Model:
    return row.instance if isinstance(row, Upsert) else row


def _shape(row: Row) -> tuple[type[models.Model], tuple[str, ...], tuple[str, ...]]:
    if isinstance(row, Upsert):
        return type(row.instance), row.on, row.update
    return type(row), (), ()


def _referenced(instance: models.Model, field: models.Field[Any, Any]) -> models.Model | None:
    """The instance whose key ``field`` of ``instance`` holds, where that is known to be one."""
    if field.many_to_one and field.is_cached(instance):  # type: ignore[attr-defined]
        related: models.Model | None = field.get_cached_value(instance)  # type: ignore[attr-defined]
        return related
    value = instance.__dict__.get(field.attname)
    return value.row if isinstance(value, KeyText) else None


def _refs(instances: Sequence[models.Model]) -> Refs:
    """Which values are earlier rows' new keys: a foreign key whose related instance is one of
    the rows before it, or a ``KeyText`` naming one."""
    refs = []
    for n, instance in enumerate(instances):
        _sql, fields = _insert_statement(type(instance))
        found = []
        for position, field in enumerate(fields):
            related = _referenced(instance, field)
            k = next((k for k, row in enumerate(instances[:n]) if row is related), None)
            if k is not None:
                found.append((position, k))
            elif isinstance(instance.__dict__.get(field.attname), KeyText):
                raise ValueError(f"{field.name}: a KeyText names a row not inserted before it")
        refs.append(tuple(found))
    return tuple(refs)


def _upsert_clause(on: tuple[str, ...], update: tuple[str, ...], pk: str) -> str:
    qn = connection.ops.quote_name
    sets = ", ".join(f"{qn(c)} = excluded.{qn(c)}" for c in update)
    return f"ON CONFLICT ({', '.join(qn(c) for c in on)}) DO UPDATE SET {sets} RETURNING {pk}"


def _row_statement(
    shape: tuple[type[models.Model], tuple[str, ...], tuple[str, ...]],
    refs: tuple[tuple[int, int], ...] = (),
) -> str:
    """One row's INSERT; an earlier row's key, where ``refs`` names one, read from its part of
    the same statement (``r<k>``, PostgreSQL)."""
    model, on, update = shape
    sql, fields = _insert_statement(model)
    qn = connection.ops.quote_name
    assert model._meta.pk is not None
    pk = qn(str(model._meta.pk.column))
    if refs:
        values = ["%s"] * len(fields)
        for position, k in refs:
            cast = "::text" if not fields[position].is_relation else ""
            values[position] = f"(SELECT new_key{cast} FROM r{k})"  # noqa: S608
        head = sql.split(" VALUES ", 1)[0]
        sql = f"{head} VALUES ({', '.join(values)}) RETURNING {pk}"
    if on:
        sql = sql.rsplit(" RETURNING ", 1)[0] + " " + _upsert_clause(on, update, pk)
    return sql


@functools.cache
def _insert_all_statement(
    shapes: tuple[tuple[type[models.Model], tuple[str, ...], tuple[str, ...]], ...],
    refs: Refs | None = None,
    first: str = "",
) -> str:
    """One statement inserting (or upserting) a row into each model's table (PostgreSQL:
    data-modifying WITH queries), after ``first`` if given, answering their keys in order."""
    refs = refs or tuple(() for _shape in shapes)
    parts = [f"f AS ({first})"] if first else []
    keys = []
    for n, (shape, row_refs) in enumerate(zip(shapes, refs, strict=True)):
        statement = _row_statement(shape, row_refs)
        pk = str(shape[0]._meta.pk.column)
        qn = connection.ops.quote_name
        statement = statement.rsplit(" RETURNING ", 1)[0] + f" RETURNING {qn(pk)} AS new_key"
        parts.append(f"r{n} AS ({statement})")
        keys.append(f"(SELECT new_key FROM r{n})")  # noqa: S608
    return f"WITH {', '.join(parts)} SELECT {', '.join(keys)}"


def _values(instance: models.Model, refs: tuple[tuple[int, int], ...] = ()) -> list[Any]:
    _sql, fields = _insert_statement(type(instance))
    skip = {position for position, _k in refs}
    return [
        f.get_db_prep_save(f.pre_save(instance, True), connection)
        for position, f in enumerate(fields)
        if position not in skip
    ]


def _stored(instance: models.Model, pk: Any) -> None:
    instance.pk = pk
    instance._state.adding = False
    instance._state.db = connection.alias


def _take_keys(instances: Sequence[models.Model], n: int, refs: Refs) -> None:
    """Set row ``n``'s values that are earlier rows' keys, once those rows are stored."""
    instance = instances[n]
    fields = _insert_statement(type(instance))[1]
    for position, k in refs[n]:
        field = fields[position]
        if field.is_relation:  # through the relation, so that its cached instance stays
            setattr(instance, field.name, instances[k])
        else:
            setattr(instance, field.attname, str(instances[k].pk))


def insert_all(*rows: Row, first: tuple[str, Sequence[Any]] | None = None) -> None:
    """``insert`` of each row (an instance, or an ``Upsert``), in one statement on PostgreSQL
    (one round trip, one statement for the server to run); one statement per row elsewhere.
    A row may refer to one before it: a foreign key whose related instance is that row, or a
    ``KeyText`` naming it, takes its new key. ``first``: a data-modifying statement (an UPDATE)
    and its parameters, run in the same statement before the rows (elsewhere, just before)."""
    instances = [_instance(row) for row in rows]
    shapes = tuple(_shape(row) for row in rows)
    refs = _refs(instances)
    if connection.vendor != "postgresql" or (len(rows) < 2 and first is None):
        if first is not None:
            with cursor() as c:
                c.execute(*first)
        for n, instance in enumerate(instances):
            _take_keys(instances, n, refs)
            stored = fetch_one(_row_statement(shapes[n]), _values(instance))
            assert stored is not None
            _stored(instance, stored[0])
        return
    values = list(first[1]) if first is not None else []
    for n, instance in enumerate(instances):
        values += _values(instance, refs[n])
    statement = _insert_all_statement(
        shapes, refs if any(refs) else None, first[0] if first else ""
    )
    keys = fetch_one(statement, values)
    assert keys is not None
    for instance, pk in zip(instances, keys, strict=True):
        _stored(instance, pk)
    for n in range(len(instances)):
        _take_keys(instances, n, refs)  # as the separate inserts leave them


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
