"""The embedded database: SQLite's online backup API (``sqlite3.Connection.backup``).

The copy is taken in one step, inside one read transaction of the source: a consistent
snapshot, and in WAL mode (the settings') the server and the task worker keep writing while it
runs. A backup taken page by page would restart at every write made between two steps, so
under a steady flow of registrations it might never end; progress is read instead from the
size of the copy as it grows. The backup is one self-contained file (rollback journal, no -wal
beside it), written under a temporary name and renamed once complete.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path

from django.core.management.base import CommandError
from django.db.backends.base.base import BaseDatabaseWrapper

from dualtrack.ops.backup.common import Progress, Say


def _raw(connection: BaseDatabaseWrapper) -> sqlite3.Connection:
    connection.ensure_connection()
    raw = connection.connection
    assert isinstance(raw, sqlite3.Connection)
    return raw


def _size(connection: sqlite3.Connection) -> int:
    pages = connection.execute("PRAGMA page_count").fetchone()[0]
    page_size = connection.execute("PRAGMA page_size").fetchone()[0]
    return int(pages) * int(page_size)


def _copy(source: sqlite3.Connection, target: Path, progress: Progress) -> None:
    """Copy ``source`` into the new file ``target`` in one step, reporting its growth."""
    total = max(_size(source), 1)
    failure: list[BaseException] = []

    def run() -> None:
        try:
            destination = sqlite3.connect(target)
            try:
                source.backup(destination, pages=-1)
                destination.execute("PRAGMA journal_mode=DELETE")  # one file, no -wal beside it
            finally:
                destination.close()
        except BaseException as exc:  # reported by the caller's thread
            failure.append(exc)

    worker = threading.Thread(target=run, name="sqlite-backup")
    worker.start()
    while worker.is_alive():
        worker.join(0.5)
        if worker.is_alive() and target.exists():
            done = target.stat().st_size
            progress(f"  {done / 2**20:,.1f} of {total / 2**20:,.1f} MiB ({100 * done // total}%)")
    if failure:
        raise failure[0]


def backup(connection: BaseDatabaseWrapper, path: Path, say: Say) -> int:
    """Write a consistent copy of the database to ``path``; its size in bytes."""
    source = _raw(connection)
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    progress = Progress(say)
    say(f"Copying {_size(source) / 2**20:,.1f} MiB with SQLite's online backup API…")
    try:
        _copy(source, partial, progress)
    except (sqlite3.Error, OSError) as exc:
        partial.unlink(missing_ok=True)
        raise CommandError(f"The backup failed: {exc}") from exc
    os.replace(partial, path)
    return path.stat().st_size


def _open_backup(path: Path) -> sqlite3.Connection:
    try:
        source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        verdict = source.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.Error as exc:
        raise CommandError(f"{path} is not a readable SQLite backup: {exc}") from exc
    if verdict != "ok":
        source.close()
        raise CommandError(f"{path} is damaged (SQLite's quick_check: {verdict}).")
    return source


def applied_migrations(path: Path) -> list[tuple[str, str]]:
    source = _open_backup(path)
    try:
        rows = source.execute("SELECT app, name FROM django_migrations").fetchall()
    except sqlite3.Error as exc:
        raise CommandError(f"{path} is not a backup of dualtrack (no migrations table).") from exc
    finally:
        source.close()
    return [(str(app), str(name)) for app, name in rows]


def restore(connection: BaseDatabaseWrapper, path: Path, say: Say) -> None:
    """Replace the database's whole content with the backup's, in one step."""
    source = _open_backup(path)
    try:
        say(f"Restoring {_size(source) / 2**20:,.1f} MiB…")
        source.backup(_raw(connection), pages=-1)
    except sqlite3.Error as exc:
        raise CommandError(f"The restore failed: {exc}") from exc
    finally:
        source.close()
