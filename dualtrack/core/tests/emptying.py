"""Emptying the database after a transactional test, cheaply (part of the template_db plugin).

Django's ``TransactionTestCase`` ends each test with ``flush``: on PostgreSQL one ``TRUNCATE`` of
all ~215 tables, which makes new files for every table and index — 2 to 4 s a test on this kind
of machine, for tests that wrote a few dozen rows — and then emits ``post_migrate``, which makes
the content types and permissions anew (with new ids). Here, when the reference data the
migrations put in the template (content types, permissions, industry sections and divisions)
is as it was, only the tables holding rows are emptied, by ``DELETE`` in one transaction (the
foreign keys are deferred to its commit; rows a trigger puts back are emptied by another pass),
and the reference data is kept — or put back as it was, when a test changed it. A
serialized-rollback test then has nothing to reload either. A test using other databases or
``available_apps`` ends with Django's own flush.
"""

from __future__ import annotations

from typing import Any

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.test import TransactionTestCase

# The process's pristine database: its tables without rows, and the reference tables' contents.
_pristine: dict[str, Any] = {}


def _tables(connection) -> list[str]:
    return sorted(connection.introspection.django_table_names(only_existing=True))


def _holding_rows(connection, tables: list[str]) -> list[str]:
    """Those of ``tables`` that hold at least one row, in one statement."""
    if not tables:
        return []
    quote = connection.ops.quote_name
    probes = " UNION ALL ".join(
        f"SELECT %s WHERE EXISTS (SELECT 1 FROM {quote(table)})"  # noqa: S608
        for table in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(probes, tables)
        return [row[0] for row in cursor.fetchall()]


def _contents(connection, tables: list[str]) -> dict[str, tuple[list[str], list[tuple]]]:
    """Each table's columns and rows, in primary-key order."""
    quote = connection.ops.quote_name
    contents = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY 1")  # noqa: S608
            contents[table] = ([column[0] for column in cursor.description], cursor.fetchall())
    return contents


def remember_pristine(connection) -> None:
    """Called on the freshly cloned database: its tables and its reference data."""
    tables = _tables(connection)
    reference = _holding_rows(connection, tables)
    _pristine.update(
        tables=[table for table in tables if table not in reference],
        reference=_contents(connection, reference),
    )


def _reference_intact(connection) -> bool:
    reference = _pristine.get("reference")
    return reference is not None and _contents(connection, list(reference)) == reference


def _restore_reference(connection, cursor) -> None:
    """The reference tables back to their pristine rows (a test changed them)."""
    quote = connection.ops.quote_name
    for table in _pristine["reference"]:
        cursor.execute(f"DELETE FROM {quote(table)}")  # noqa: S608
    for table, (columns, rows) in _pristine["reference"].items():
        names = ", ".join(quote(column) for column in columns)
        marks = ", ".join(["%s"] * len(columns))
        cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", rows)  # noqa: S608


class _RowsKeptComing(Exception):
    pass


def _emptied(connection) -> bool:
    """Back to the pristine database: every table empty but the reference data, as it was,
    in one transaction (the foreign keys are checked at its commit, when all is gone). False
    when that cannot be done this way."""
    if "reference" not in _pristine:
        return False
    quote = connection.ops.quote_name
    try:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            for _ in range(5):  # a trigger may write rows as others go: another pass
                holding = _holding_rows(connection, _pristine["tables"])
                if not holding:
                    break
                for table in holding:
                    cursor.execute(f"DELETE FROM {quote(table)}")  # noqa: S608
            else:
                raise _RowsKeptComing
            if not _reference_intact(connection):
                _restore_reference(connection, cursor)
    except (DatabaseError, _RowsKeptComing):
        return False
    return True


_django_teardown = getattr(TransactionTestCase, "_fixture_teardown")  # noqa: B009
_django_setup = getattr(TransactionTestCase, "_fixture_setup").__func__  # noqa: B009


def _default_only(case) -> bool:
    """The test uses the default database alone (a test of the streaming replica, say, keeps
    Django's own flush, whose TRUNCATEs its replica replays)."""
    return set(case.databases) == {DEFAULT_DB_ALIAS} and case.available_apps is None


def _fixture_teardown(self) -> None:
    if _default_only(self) and _emptied(connections[DEFAULT_DB_ALIAS]):
        return
    _django_teardown(self)
    # Django's flush empties the reference data too (or makes it anew with other ids): put it
    # back as the template has it, for the next test.
    _emptied(connections[DEFAULT_DB_ALIAS])


@classmethod  # type: ignore[misc]
def _fixture_setup(cls) -> None:
    """A serialized-rollback test reloads the template's data, which is the reference data: when
    it is there as it was, there is nothing to reload."""
    connection = connections[DEFAULT_DB_ALIAS]
    contents = getattr(connection, "_test_serialized_contents", None)
    if not (
        cls.serialized_rollback
        and contents is not None
        and _default_only(cls)
        and _reference_intact(connection)
    ):
        _django_setup(cls)
        return
    delattr(connection, "_test_serialized_contents")
    try:
        _django_setup(cls)
    finally:
        setattr(connection, "_test_serialized_contents", contents)  # noqa: B010


def install() -> None:
    setattr(TransactionTestCase, "_fixture_teardown", _fixture_teardown)  # noqa: B010
    setattr(TransactionTestCase, "_fixture_setup", _fixture_setup)  # noqa: B010
