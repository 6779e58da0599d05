"""PostgreSQL: ``pg_dump`` in its custom format, restored with ``pg_restore``.

``pg_dump`` reads the whole database in one repeatable-read transaction, so the dump is one
consistent snapshot while the servers keep writing. ``pg_restore`` runs in one transaction
(``--single-transaction --exit-on-error``): a failed restore leaves the database empty (with
--force, its tables are dropped first, and it is left emptied).
Ownership and grants are left out (``--no-owner --no-privileges``): the restored objects belong
to the user the restore connects as, which may differ from the one that made the backup.
Progress is read from the tools' ``--verbose`` lines, one per table.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from django.core.management.base import CommandError
from django.db.backends.base.base import BaseDatabaseWrapper

from dualtrack.ops.backup.common import Progress, Say

_DUMPING = re.compile(r'dumping contents of table "([^"]+)"')
_RESTORING = re.compile(r'processing data for table "([^"]+)"')


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise CommandError(
            f"{name} was not found on PATH. Install PostgreSQL's client programs of the "
            f"server's major version or newer (Debian: apt-get install postgresql-client), or "
            f"put the directory that holds {name} on PATH."
        )
    return found


def _environment(connection: BaseDatabaseWrapper) -> dict[str, str]:
    """libpq's variables for the connection's settings (the password never on a command line)."""
    settings = connection.settings_dict
    env = dict(os.environ)
    for variable, value in {
        "PGHOST": settings.get("HOST"),
        "PGPORT": settings.get("PORT"),
        "PGUSER": settings.get("USER"),
        "PGPASSWORD": settings.get("PASSWORD"),
        "PGDATABASE": settings.get("NAME"),
        "PGSSLMODE": (settings.get("OPTIONS") or {}).get("sslmode"),
    }.items():
        if value:
            env[variable] = str(value)
    return env


def _run(
    command: list[str], env: dict[str, str], pattern: re.Pattern[str], total: int, say: Say
) -> None:
    """Run a tool, turning its per-table ``--verbose`` lines into "[i/total] table" progress."""
    progress = Progress(say)
    done = 0
    errors: list[str] = []
    with subprocess.Popen(  # noqa: S603  (a resolved path and our own arguments)
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    ) as process:
        assert process.stderr is not None
        for line in process.stderr:
            match = pattern.search(line)
            if match:
                done += 1
                progress(f"  [{done}/{total}] {match.group(1)}", force=done == total)
            elif "error" in line.lower() or "fatal" in line.lower():
                errors.append(line.strip())
    if process.returncode != 0:
        detail = "; ".join(errors[-3:]) or f"exit status {process.returncode}"
        raise CommandError(f"{Path(command[0]).name} failed: {detail}")


def _table_count(connection: BaseDatabaseWrapper) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM pg_class WHERE relkind IN ('r', 'p') "
            "AND relnamespace = 'public'::regnamespace"
        )
        return int(cursor.fetchone()[0])


def backup(connection: BaseDatabaseWrapper, path: Path, say: Say) -> int:
    """Dump the database to ``path`` (custom format, one snapshot); its size in bytes."""
    pg_dump = _tool("pg_dump")
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    total = _table_count(connection)
    say(f"Dumping {total} tables with {pg_dump} (custom format, one snapshot)…")
    try:
        _run(
            [pg_dump, "--format=custom", "--verbose", f"--file={partial}"],
            _environment(connection),
            _DUMPING,
            total,
            say,
        )
    except CommandError:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, path)
    return path.stat().st_size


def _listing(path: Path, env: dict[str, str]) -> list[str]:
    result = subprocess.run(  # noqa: S603
        [_tool("pg_restore"), "--list", str(path)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise CommandError(f"{path} is not a readable pg_dump archive: {result.stderr.strip()}")
    return result.stdout.splitlines()


def applied_migrations(connection: BaseDatabaseWrapper, path: Path) -> list[tuple[str, str]]:
    """The rows of ``django_migrations`` in the archive, read without restoring it."""
    env = _environment(connection)
    if not any("TABLE DATA public django_migrations" in line for line in _listing(path, env)):
        raise CommandError(f"{path} is not a backup of dualtrack (no migrations table).")
    result = subprocess.run(  # noqa: S603
        [
            _tool("pg_restore"),
            "--data-only",
            "--table=django_migrations",
            "--file=-",
            str(path),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    rows: list[tuple[str, str]] = []
    copying = False
    for line in result.stdout.splitlines():
        if line.startswith("COPY ") and "django_migrations" in line:
            copying = True
        elif copying and line == "\\.":
            break
        elif copying:
            columns = line.split("\t")  # id, app, name, applied
            rows.append((columns[1], columns[2]))
    return rows


# The schema's own functions (the area figures' trigger functions…), not an extension's.
OWN_FUNCTIONS = """
    SELECT p.oid::regprocedure::text FROM pg_proc p
    JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname = current_schema() AND NOT EXISTS (
        SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e'
    )
"""


def drop_everything(connection: BaseDatabaseWrapper) -> None:
    """--force: drop every table of the schema (their sequences, indexes and triggers go with
    them) and the schema's own functions, which the archive creates again."""
    qn = connection.ops.quote_name
    names = connection.introspection.table_names()
    with connection.cursor() as cursor:
        if names:
            cursor.execute(f"DROP TABLE IF EXISTS {', '.join(qn(n) for n in names)} CASCADE")
        cursor.execute(OWN_FUNCTIONS)
        for (function,) in cursor.fetchall():
            cursor.execute(f"DROP FUNCTION IF EXISTS {function} CASCADE")


def restore(connection: BaseDatabaseWrapper, path: Path, say: Say) -> None:
    """Restore the archive into the (empty) database, in one transaction."""
    pg_restore = _tool("pg_restore")
    env = _environment(connection)
    total = sum(1 for line in _listing(path, env) if " TABLE DATA " in line)
    say(f"Restoring {total} tables with {pg_restore} (one transaction)…")
    connection.close()  # no session of ours holds a lock the restore waits for
    _run(
        [
            pg_restore,
            "--verbose",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={env['PGDATABASE']}",
            str(path),
        ],
        env,
        _RESTORING,
        total,
        say,
    )
