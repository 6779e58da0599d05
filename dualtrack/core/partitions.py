"""Monthly range partitions of the registers that grow by the day (PostgreSQL only).

A register is turned into a partitioned table by its app's migration (``partition_table``);
from then on the partitioned tables are found in the catalogue, so that ``manage.py partitions
ensure`` creates the coming months of each without a list to keep. SQLite keeps single tables:
nothing here runs on it.

Partitions are named ``<table>_pYYYYMM``, and ``<table>_default`` holds any row of a month not
created yet (a device's clock far off, a month nobody created ahead), so that a registration is
never refused for want of a partition; creating that month later moves its rows out of the
default partition. A month starts at local midnight of the 1st (``TIME_ZONE``), so that a
partition holds whole local days, the days of the daily figures.
"""

from __future__ import annotations

import datetime
import re
import zoneinfo
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection as default_connection
from django.db import transaction
from django.utils import timezone

# How far back a migration makes monthly partitions for rows already stored; older rows (a
# clock set to 1970) go to the default partition.
MIGRATION_MONTHS_BACK = 24
# The months ahead ``partitions ensure`` creates unless told otherwise (it runs daily).
DEFAULT_MONTHS_AHEAD = 3
_NAME = re.compile(r"_p(\d{4})(\d{2})$")


@dataclass(frozen=True)
class Partitioned:
    """A partitioned table and its key column (``timestamp with time zone`` or ``date``)."""

    table: str
    column: str
    kind: str


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(month: datetime.date, count: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def partition_name(table: str, month: datetime.date) -> str:
    return f"{table}_p{month:%Y%m}"


def local_today() -> datetime.date:
    return timezone.localdate()


def month_begins(month: datetime.date) -> datetime.datetime:
    """The moment a month's partition begins (local midnight of the 1st)."""
    return datetime.datetime.combine(month, datetime.time(), zoneinfo.ZoneInfo(settings.TIME_ZONE))


def _bound(item: Partitioned, month: datetime.date) -> str:
    """The SQL literal of a month's lower bound for the table's key."""
    if item.kind == "date":
        return f"'{month.isoformat()}'"
    return f"'{month_begins(month).isoformat()}'"


def _quote(name: str) -> str:
    return default_connection.ops.quote_name(name)


def partitioned_tables(cursor: Any, tables: Iterable[str] | None = None) -> list[Partitioned]:
    """The range-partitioned tables of the current schema, by name."""
    cursor.execute(
        "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod) "
        "FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema() "
        "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = p.partattrs[0] "
        "WHERE p.partstrat = 'r' ORDER BY c.relname"
    )
    found = [Partitioned(table, column, kind) for table, column, kind in cursor.fetchall()]
    if tables is not None:
        wanted = set(tables)
        found = [item for item in found if item.table in wanted]
    return found


def partitions_of(cursor: Any, table: str) -> list[str]:
    """The names of a partitioned table's partitions."""
    cursor.execute(
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        "WHERE i.inhparent = %s::regclass ORDER BY c.relname",
        [table],
    )
    return [name for (name,) in cursor.fetchall()]


def months_of(cursor: Any, table: str) -> list[datetime.date]:
    """The months that have a partition of their own, oldest first."""
    months = []
    for name in partitions_of(cursor, table):
        match = _NAME.search(name)
        if match and name == f"{table}{match.group(0)}":
            months.append(datetime.date(int(match.group(1)), int(match.group(2)), 1))
    return sorted(months)


def _ensure_default(cursor: Any, item: Partitioned) -> bool:
    name = f"{item.table}_default"
    if name in partitions_of(cursor, item.table):
        return False
    cursor.execute(f"CREATE TABLE {_quote(name)} PARTITION OF {_quote(item.table)} DEFAULT")
    return True


def _waiting_months(
    cursor: Any, item: Partitioned, earliest: datetime.date, before: datetime.date
) -> list[datetime.date]:
    """The months from ``earliest`` to before ``before`` that have rows in the default
    partition (a scan of the default partition, which holds few rows once its months exist)."""
    column = _quote(item.column)
    local = column if item.kind == "date" else f"({column} AT TIME ZONE %s)"
    params = [] if item.kind == "date" else [settings.TIME_ZONE]
    cursor.execute(
        f"SELECT DISTINCT date_trunc('month', {local})::date FROM "  # noqa: S608 (names from the catalogue)
        f"{_quote(item.table + '_default')} WHERE {column} >= {_bound(item, earliest)} "
        f"AND {column} < {_bound(item, before)} ORDER BY 1",
        params,
    )
    return [month for (month,) in cursor.fetchall()]


def ensure_month(cursor: Any, item: Partitioned, month: datetime.date) -> bool:
    """Create the month's partition unless it exists; True when created. Rows of that month
    that wait in the default partition move into it, in the same transaction."""
    name = partition_name(item.table, month)
    if name in partitions_of(cursor, item.table):
        return False
    table, new = _quote(item.table), _quote(name)
    low, high = _bound(item, month), _bound(item, add_months(month, 1))
    default = f"{item.table}_default"
    with transaction.atomic(using=cursor.db.alias):
        # Standalone first, filled from the default partition, then attached: attaching checks
        # that the default partition holds no row of the month any more.
        cursor.execute(
            f"CREATE TABLE {new} (LIKE {table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)"
        )
        if default in partitions_of(cursor, item.table):
            column = _quote(item.column)
            # Registrations that go to the default partition wait until the month is attached,
            # so that none lands there between the move and the attachment.
            cursor.execute(f"LOCK TABLE {_quote(default)} IN ACCESS EXCLUSIVE MODE")
            cursor.execute(
                f"WITH moved AS (DELETE FROM {_quote(default)} "  # noqa: S608 (names from the catalogue)
                f"WHERE {column} >= {low} AND {column} < {high} RETURNING *) "
                f"INSERT INTO {new} SELECT * FROM moved"
            )
        cursor.execute(
            f"ALTER TABLE {table} ATTACH PARTITION {new} FOR VALUES FROM ({low}) TO ({high})"
        )
    return True


def ensure_partitions(
    *,
    months_ahead: int,
    today: datetime.date | None = None,
    tables: Iterable[str] | None = None,
    progress: Callable[[str, bool], None] | None = None,
    using: str = "default",
) -> list[str]:
    """Make sure every partitioned table has its default partition and one partition for each
    month from this one to ``months_ahead`` months ahead, and for each earlier month (up to
    MIGRATION_MONTHS_BACK) whose rows wait in the default partition (stored after the
    migration, before anyone created their month: the demo's past weeks, an import of earlier
    records), which moves them there, so that retention drops them with their month; the
    names created (none on a second run). ``progress`` hears of each partition, created or
    already there."""
    from django.db import connections

    connection = connections[using]
    if connection.vendor != "postgresql":
        return []
    first = month_start(today or local_today())
    created: list[str] = []
    with connection.cursor() as cursor:
        for item in partitioned_tables(cursor, tables):
            if _ensure_default(cursor, item):
                created.append(f"{item.table}_default")
            earliest = add_months(first, -MIGRATION_MONTHS_BACK)
            for month in _waiting_months(cursor, item, earliest, first):
                if ensure_month(cursor, item, month):
                    created.append(partition_name(item.table, month))
            for step in range(months_ahead + 1):
                month = add_months(first, step)
                made = ensure_month(cursor, item, month)
                if made:
                    created.append(partition_name(item.table, month))
                if progress is not None:
                    progress(partition_name(item.table, month), made)
    return created


def drop_months_before(
    cursor: Any,
    table: str,
    cutoff: datetime.date,
    *,
    before_drop: Callable[[str], None] | None = None,
) -> list[tuple[str, int]]:
    """Drop the monthly partitions that end on or before ``cutoff`` (a month's partition ends
    at the start of the next); (name, rows) of each dropped. ``before_drop`` runs first for
    each (to remove what refers to its rows). Call it inside a transaction."""
    dropped: list[tuple[str, int]] = []
    # Deferred foreign key checks of rows written earlier in the transaction run now: a table
    # with checks pending cannot be dropped.
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    for month in months_of(cursor, table):
        if add_months(month, 1) > cutoff:
            break
        name = partition_name(table, month)
        if before_drop is not None:
            before_drop(name)
        cursor.execute(f"SELECT count(*) FROM {_quote(name)}")  # noqa: S608
        (rows,) = cursor.fetchone()
        cursor.execute(f"DROP TABLE {_quote(name)}")
        dropped.append((name, rows))
    return dropped


# --- migrations -------------------------------------------------------------------------------


def _definitions(cursor: Any, table: str) -> tuple[list[tuple[str, str, str]], list[str]]:
    """(name, type, definition) of a table's primary key, unique and foreign key constraints,
    and the CREATE INDEX statements of its indexes that no constraint owns."""
    cursor.execute(
        "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype IN ('p', 'u', 'f') ORDER BY conname",
        [table],
    )
    constraints = list(cursor.fetchall())
    cursor.execute(
        "SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "JOIN pg_class c ON c.oid = i.indexrelid "
        "WHERE i.indrelid = %s::regclass "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid "
        "AND k.conrelid = i.indrelid) ORDER BY c.relname",
        [table],
    )
    return constraints, [definition for (definition,) in cursor.fetchall()]


def _columns(definition: str) -> list[str]:
    inside = definition[definition.index("(") + 1 : definition.index(")")]
    return [part.strip() for part in inside.split(",")]


def _rebuild(
    schema_editor: Any,
    table: str,
    *,
    partition_by: str | None,
    change_unique: Callable[[str, list[str]], list[str]],
) -> None:
    """Copy ``table`` into a new one of the same name, partitioned by month on
    ``partition_by`` (or a plain table when None), with its rows, its sequence's position, its
    check constraints and indexes; each unique constraint's columns pass through
    ``change_unique`` (the primary key's too)."""
    cursor = schema_editor.connection.cursor()
    quote = schema_editor.quote_name
    cursor.execute(
        "SELECT conrelid::regclass::text, conname FROM pg_constraint "
        "WHERE confrelid = %s::regclass AND contype = 'f'",
        [table],
    )
    incoming = cursor.fetchall()
    if incoming:
        # A foreign key to a partitioned table must include its key: the models that refer to
        # this one say db_constraint=False instead (docs/architecture.md, partitioned registers).
        raise RuntimeError(f"Foreign keys still refer to {table}: {incoming}")
    constraints, indexes = _definitions(cursor, table)
    old = f"{table}_unpartitioned" if partition_by else f"{table}_partitioned"
    cursor.execute(f"ALTER TABLE {quote(table)} RENAME TO {quote(old)}")
    for name, _kind, _definition in constraints:
        cursor.execute(f"ALTER TABLE {quote(old)} DROP CONSTRAINT {quote(name)}")
    for definition in indexes:
        name = definition.split(" INDEX ", 1)[1].split(" ON ", 1)[0]
        cursor.execute(f"DROP INDEX {name}")
    cursor.execute(
        f"CREATE TABLE {quote(table)} (LIKE {quote(old)} INCLUDING DEFAULTS "
        "INCLUDING CONSTRAINTS INCLUDING IDENTITY)"
        + (f" PARTITION BY RANGE ({quote(partition_by)})" if partition_by else "")
    )
    if partition_by:
        cursor.execute(
            f"SELECT min({quote(partition_by)}), max({quote(partition_by)}) FROM {quote(old)}"  # noqa: S608
        )
        low, high = cursor.fetchone()
        cursor.execute(
            "SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
            "WHERE attrelid = %s::regclass AND attname = %s",
            [table, partition_by],
        )
        item = Partitioned(table, partition_by, cursor.fetchone()[0])
        _ensure_default(cursor, item)
        now = month_start(local_today())
        first = now
        last = add_months(now, 3)
        if low is not None:
            low_day = low if item.kind == "date" else timezone.localdate(low)
            high_day = high if item.kind == "date" else timezone.localdate(high)
            first = max(min(month_start(low_day), now), add_months(now, -MIGRATION_MONTHS_BACK))
            last = max(last, min(month_start(high_day), add_months(now, 12)))
        month = first
        while month <= last:
            ensure_month(cursor, item, month)
            month = add_months(month, 1)
    cursor.execute(f"INSERT INTO {quote(table)} SELECT * FROM {quote(old)}")  # noqa: S608
    for name, kind, definition in sorted(constraints, key=lambda c: c[1] != "p"):
        if kind in ("p", "u"):
            columns = change_unique(name, _columns(definition))
            head = "PRIMARY KEY" if kind == "p" else "UNIQUE"
            definition = f"{head} ({', '.join(columns)})" + definition.split(")", 1)[1]
        cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
    for definition in indexes:
        cursor.execute(definition)
    cursor.execute(f"DROP TABLE {quote(old)}")
    cursor.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {quote(table)}")  # noqa: S608
    cursor.execute(
        "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s, false)", [table, cursor.fetchone()[0]]
    )


def partition_table(schema_editor: Any, table: str, column: str, widen: Sequence[str]) -> None:
    """A migration's step (PostgreSQL only): the table becomes partitioned by month on
    ``column``. The primary key gets the column; so do the unique constraints named in
    ``widen``; any other unique constraint must include the column already."""
    if schema_editor.connection.vendor != "postgresql":
        return

    def change(name: str, columns: list[str]) -> list[str]:
        if column in columns:
            return columns
        if name.endswith("_pkey") or name in widen:
            return [*columns, column]
        raise RuntimeError(f"{name} on {table} cannot be unique across partitions")

    _rebuild(schema_editor, table, partition_by=column, change_unique=change)


def unpartition_table(schema_editor: Any, table: str, column: str, widen: Sequence[str]) -> None:
    """The reverse of ``partition_table``: a single table again, the widened constraints back
    to their columns."""
    if schema_editor.connection.vendor != "postgresql":
        return

    def change(name: str, columns: list[str]) -> list[str]:
        if name.endswith("_pkey") or name in widen:
            return [c for c in columns if c != column]
        return columns

    _rebuild(schema_editor, table, partition_by=None, change_unique=change)
