"""What the PostgreSQL and SQLite backups share: where to report progress, what a non-empty
database holds, which migrations a backup has against this code, and the encryption keys that a
backup never contains."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.apps import apps
from django.core.management.base import CommandError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader

from dualtrack.core import crypto

Say = Callable[[str], None]

KEY_REMINDER = (
    "Reminder: the encryption keys are NOT in this backup. FIELD_ENCRYPTION_KEY (AES-256-GCM, "
    "ID numbers, phones and the stored files of jobs) and FIELD_LOOKUP_KEY (HMAC, the lookup "
    "digests) are needed to read it, SECRET_KEY to keep sessions and signed links valid. Keep "
    "them apart from the backups, offline (docs/operations.md): a backup without its keys "
    "cannot be read, and keys stored beside it protect nothing."
)


class Progress:
    """Progress lines for long work, at most one every ``every`` seconds unless forced."""

    def __init__(self, say: Say, *, every: float = 1.0) -> None:
        self.say = say
        self.every = every
        self._last = 0.0

    def __call__(self, message: str, *, force: bool = False) -> None:
        now = time.monotonic()
        if force or now - self._last >= self.every:
            self._last = now
            self.say(message)


def describe(connection: BaseDatabaseWrapper) -> str:
    """The database a command works on, as an operator would name it (no password)."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"SQLite database {settings['NAME']}"
    where = f"{settings.get('HOST') or 'localhost'}:{settings.get('PORT') or 5432}"
    return f"PostgreSQL database {settings['NAME']!r} on {where}"


@dataclass(frozen=True)
class Contents:
    """The tables of a database and about how many rows each holds (largest first)."""

    tables: list[tuple[str, int]]

    @property
    def empty(self) -> bool:
        return not self.tables

    def summary(self, *, largest: int = 5) -> str:
        rows = sum(n for _name, n in self.tables)
        biggest = ", ".join(f"{name} {n:,}" for name, n in self.tables[:largest] if n)
        return f"{len(self.tables)} tables, about {rows:,} rows" + (
            f" ({biggest}, …)" if biggest else ""
        )


def contents_of(connection: BaseDatabaseWrapper) -> Contents:
    names = connection.introspection.table_names()
    qn = connection.ops.quote_name
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The planner's estimate: exact counts of a register of millions take minutes.
            cursor.execute(
                "SELECT c.relname, c.reltuples::bigint FROM pg_class c "
                "WHERE c.relkind IN ('r', 'p') AND c.relnamespace = 'public'::regnamespace"
            )
            counts = {name: int(n) for name, n in cursor.fetchall() if n is not None and n >= 0}
        for name in names:
            if name not in counts:  # never analysed (so, small): count it
                cursor.execute(f"SELECT COUNT(*) FROM {qn(name)}")  # noqa: S608
                counts[name] = int(cursor.fetchone()[0])
    return Contents(sorted(((name, counts[name]) for name in names), key=lambda t: (-t[1], t[0])))


def refuse_unless_empty(connection: BaseDatabaseWrapper, *, force: bool, say: Say) -> Contents:
    """Refuse to restore over data unless ``force``; say what would be overwritten either way."""
    contents = contents_of(connection)
    if contents.empty:
        return contents
    what = f"{describe(connection)} is not empty: {contents.summary()}."
    if not force:
        raise CommandError(
            f"{what} A restore goes into an empty database only, and would overwrite all of "
            "this. Restore into a new, empty database, or give --force to replace everything "
            "in this one."
        )
    say(f"--force: {what} All of it is replaced by the backup.")
    return contents


@dataclass(frozen=True)
class MigrationState:
    unknown: list[str]  # in the backup, not in this code: the backup is newer than the code
    pending: list[str]  # in this code, not in the backup: migrate after the restore


def compare_migrations(applied: Iterable[tuple[str, str]]) -> MigrationState:
    on_disk = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    in_backup = set(applied)
    known_apps = {app for app, _name in on_disk}
    return MigrationState(
        unknown=sorted(f"{a}.{n}" for a, n in in_backup - on_disk if a in known_apps),
        pending=sorted(f"{a}.{n}" for a, n in on_disk - in_backup),
    )


def refuse_newer_backup(state: MigrationState) -> None:
    if state.unknown:
        shown = ", ".join(state.unknown[:5]) + (" …" if len(state.unknown) > 5 else "")
        raise CommandError(
            f"The backup was made by a newer version of dualtrack: it has migrations this code "
            f"does not know ({shown}). Restore it with that version (or a later one)."
        )


def check_keys(connection: BaseDatabaseWrapper) -> str | None:
    """Decrypt one stored value of each encrypted column: None if the keys read the restored
    data (or there is none), else why not."""
    qn = connection.ops.quote_name
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if not isinstance(field, crypto.EncryptedTextField):
                continue
            table, column = qn(model._meta.db_table), qn(str(field.column))
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT {column} FROM {table} WHERE {column} <> '' LIMIT 1"  # noqa: S608
                )
                row = cursor.fetchone()
            if row is None:
                continue
            try:
                crypto.decrypt(row[0])
            except Exception:  # InvalidTag, a malformed token: either way, unreadable
                return (
                    f"{model._meta.label}.{field.name} does not decrypt with this "
                    "FIELD_ENCRYPTION_KEY: the backup was made with another key. Set the keys "
                    "it was made with (FIELD_ENCRYPTION_KEY, FIELD_LOOKUP_KEY) before serving it."
                )
    return None
