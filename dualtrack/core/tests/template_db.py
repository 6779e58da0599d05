"""The suite's test databases are clones of one migrated template (a pytest plugin).

Migrating a fresh database takes ~40 s of CPU here — Django renders the model states of every
migration — and each of the suite's processes used to migrate its own. Now the first process that
needs the template migrates it, under a file lock the others wait on, and every process clones
it: PostgreSQL's ``CREATE DATABASE … TEMPLATE``, SQLite's backup API into the process's in-memory
database. The template is named after a digest of every installed app's migration files, so a
changed migration builds a new one (and the old one is dropped); a template an earlier run left
with the same migrations is used as it is, and ``--create-db`` rebuilds it.

The demo district is built the same way: the first process that needs the demo at a scale seeds
a clone of the template and keeps it as the run's demo template (named after the run, dropped at
its end: the demo is built around today's date by code a change may touch); a module that uses
``demo_district`` runs on its process's clone of it, each test inside a transaction rolled back
after it, and the module's end puts the process back on its own database. Seeding the demo
anew for each test took a third of the suite's time.

A transactional test's end empties only the tables it wrote and keeps the migrations' reference
data (``emptying``).

Anything this does not cover — a database other than ``default`` (a test mirror), a test database
kept by ``--reuse-db``, a file-backed SQLite test database — takes pytest-django's own path.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import io
import os
import pathlib
import shutil
import sqlite3
import tempfile
import time
import uuid
from collections.abc import Iterator

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

from dualtrack.core.tests import emptying

# Argon2 is deliberately slow and the tests hash many passwords; the demo is seeded with the same.
TEST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TEMPLATE_INFIX = "_tpl_"
DEMO_INFIX = "_demo_"
TEMP = pathlib.Path(tempfile.gettempdir())
_run_id = uuid.uuid4().hex[:10]  # a run without xdist (the master's is set in pytest_configure)


def migrations_digest() -> str:
    """A digest of every installed app's migration files (their paths and contents)."""
    digest = hashlib.sha256()
    for config in sorted(apps.get_app_configs(), key=lambda c: c.label):
        folder = pathlib.Path(config.path) / "migrations"
        for path in sorted(folder.glob("*.py")):
            digest.update(f"{config.label}/{path.name}\0".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@contextlib.contextmanager
def _locked(name: str) -> Iterator[None]:
    path = TEMP / f"dualtrack-test-{name}.lock"
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _migrate_into(connection, name: str) -> None:
    """Create the database ``name`` and migrate it (Django's own test-database creation)."""
    connection.settings_dict["TEST"]["NAME"] = name
    connection.creation.create_test_db(verbosity=0, autoclobber=True)


def _use(connection, name: str) -> None:
    """Point the connection at the database ``name``; the next query connects to it. (The SQLite
    backend leaves an in-memory database's connection open on ``close()``: closed here for real,
    the database itself kept by ``_keep``.)"""
    if connection.connection is not None:
        BaseDatabaseWrapper.close(connection)
    settings.DATABASES[connection.alias]["NAME"] = name
    connection.settings_dict["NAME"] = name


_kept: dict[str, sqlite3.Connection] = {}


def _keep(memory_name: str, source: pathlib.Path) -> None:
    """Fill the shared in-memory SQLite database ``memory_name`` from the file ``source`` and keep
    a connection to it open, which keeps the database while this process runs."""
    if memory_name in _kept:
        _kept.pop(memory_name).close()
    target = sqlite3.connect(memory_name, uri=True)
    origin = sqlite3.connect(source)
    try:
        origin.backup(target)
    finally:
        origin.close()
    _kept[memory_name] = target


def _base_name(test_name: str) -> str:
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    return test_name.removesuffix(f"_{worker}") if worker else test_name


# What the process's databases are: its own clone, the migrated template (PostgreSQL), its clone
# of the demo template and that template's name.
_state: dict[str, str] = {}


def _clone_postgresql(connection, rebuild: bool) -> None:
    creation = connection.creation
    test_name = creation._get_test_db_name()
    base = _base_name(test_name)
    template = f"{base}{TEMPLATE_INFIX}{migrations_digest()}"
    _state["template"] = template
    quote = connection.ops.quote_name
    with _locked(f"postgresql-{template}"):
        with creation._nodb_cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template])
            exists = cursor.fetchone() is not None
            if exists and rebuild:
                cursor.execute(f"DROP DATABASE {quote(template)}")
                exists = False
        if not exists:
            building = f"{template}_building"
            _migrate_into(connection, building)
            connection.close()
            with creation._nodb_cursor() as cursor:
                cursor.execute(f"ALTER DATABASE {quote(building)} RENAME TO {quote(template)}")
                # Templates of other migrations: dropped unless a run still clones them.
                cursor.execute(
                    "SELECT datname FROM pg_database WHERE datname LIKE %s AND datname <> %s",
                    [f"{base}{TEMPLATE_INFIX}%", template],
                )
                for (stale,) in cursor.fetchall():
                    with contextlib.suppress(Exception):
                        cursor.execute(f"DROP DATABASE {quote(stale)}")
        with creation._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(test_name)} WITH (FORCE)")
            cursor.execute(f"CREATE DATABASE {quote(test_name)} TEMPLATE {quote(template)}")
    connection.settings_dict["TEST"]["NAME"] = test_name
    _use(connection, test_name)


def _clone_sqlite(connection, rebuild: bool) -> None:
    template = TEMP / f"dualtrack-test-{migrations_digest()}.sqlite3"
    _state["template"] = str(template)
    with _locked(f"sqlite-{template.stem}"):
        if rebuild or not template.exists():
            building = template.with_suffix(".building")
            building.unlink(missing_ok=True)
            _migrate_into(connection, str(building))
            with connection.cursor() as cursor:  # one file, no write-ahead log beside it
                cursor.execute("PRAGMA journal_mode=DELETE")
            connection.close()
            os.replace(building, template)
            _remove_stale(TEMP.glob("dualtrack-test-[0-9a-f]*.sqlite3"), keep=template, hours=24)
        connection.settings_dict["TEST"]["NAME"] = None
        memory = connection.creation._get_test_db_name()
        _keep(memory, template)
        _use(connection, memory)


def _remove_stale(paths, keep: pathlib.Path, hours: float) -> None:
    """Files of other runs or migrations, untouched for ``hours`` (a run going on at the same
    time may still use a newer one)."""
    for path in paths:
        if path != keep and time.time() - path.stat().st_mtime > hours * 3600:
            path.unlink(missing_ok=True)


def _covered(aliases: set[str], keepdb: bool) -> bool:
    # An alias the settings do not define (yet) is not set up by pytest-django either.
    if {alias for alias in aliases if alias in connections.settings} != {"default"} or keepdb:
        return False
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("postgresql"):
        return True
    return db["ENGINE"].endswith("sqlite3") and not (db.get("TEST") or {}).get("NAME")


@pytest.fixture(scope="session")
def django_db_setup(
    request,
    django_test_environment,
    django_db_blocker,
    django_db_use_migrations,
    django_db_keepdb,
    django_db_createdb,
    django_db_modify_db_settings,
):
    """pytest-django's fixture of the same name, with the databases cloned from the template."""
    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.fixtures import _get_databases_for_setup

    aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    if not django_db_use_migrations or not _covered(aliases, django_db_keepdb):
        with django_db_blocker.unblock():
            config = setup_databases(
                verbosity=request.config.option.verbose,
                interactive=False,
                aliases=aliases,
                serialized_aliases=serialized_aliases,
                keepdb=django_db_keepdb and not django_db_createdb,
            )
        yield
        if not django_db_keepdb:
            with django_db_blocker.unblock():
                teardown_databases(config, verbosity=request.config.option.verbose)
        return

    connection = connections["default"]
    original_name = connection.settings_dict["NAME"]
    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            _clone_postgresql(connection, rebuild=django_db_createdb)
        else:
            _clone_sqlite(connection, rebuild=django_db_createdb)
        if "default" in serialized_aliases:
            connection._test_serialized_contents = connection.creation.serialize_db_to_string()
        emptying.remember_pristine(connection)
    _state["own"] = connection.settings_dict["NAME"]
    yield
    with django_db_blocker.unblock():
        if connection.vendor == "postgresql" and "demo_clone" in _state:
            with connection.creation._nodb_cursor() as cursor:
                quoted = connection.ops.quote_name(_state["demo_clone"])
                cursor.execute(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")
        if connection.vendor == "postgresql":
            # As destroy_test_db does, but by force: a connection some test's thread left open
            # (closed only when the thread's objects are collected) made the drop fail now and
            # then, an error at the teardown of whichever test ran last ("being accessed by
            # other users"). The database is this process's own.
            test_name = connection.settings_dict["NAME"]
            connection.close()
            settings.DATABASES[connection.alias]["NAME"] = original_name
            connection.settings_dict["NAME"] = original_name
            with connection.creation._nodb_cursor() as cursor:
                quoted = connection.ops.quote_name(test_name)
                cursor.execute(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")
        else:
            connection.creation.destroy_test_db(original_name, verbosity=0)


# The demo district ------------------------------------------------------------------------------


def pytest_configure(config):
    """The xdist master names the run (its processes' ``PYTEST_XDIST_TESTRUNUID``); a
    transactional test's end empties only what it wrote (``emptying``)."""
    emptying.install()
    if not hasattr(config, "workerinput") and getattr(config.option, "testrunuid", "") is None:
        config.option.testrunuid = uuid.uuid4().hex


def _run(config) -> str:
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID") or getattr(config.option, "testrunuid", None)
    return (run or _run_id)[:10]


def _demo_template(connection, run: str, scale: str) -> str:
    """The run's demo template at ``scale`` for today (a database, or an SQLite file). The demo
    is seeded around the local day it is seeded on, so a run that goes past midnight seeds it
    again for the modules after it, rather than test "today" against the day before's demo."""
    from django.utils import timezone

    tag = f"{scale.replace('.', '_')}_{timezone.localdate():%Y%m%d}"
    if connection.vendor == "postgresql":
        return f"{_base_name(_state['own'])}{DEMO_INFIX}{run}_{tag}"
    return str(TEMP / f"dualtrack-test-demo-{run}-{tag}.sqlite3")


def _seed(connection, name: str, scale: str, printed: pathlib.Path) -> None:
    """Seed the demo into the database ``name`` (a clone of the migrated template); what the
    command printed goes to ``printed``."""
    from django.core.management import call_command
    from django.test import override_settings

    _use(connection, name)
    out = io.StringIO()
    with override_settings(PASSWORD_HASHERS=TEST_PASSWORD_HASHERS):
        call_command("seed_demo", "--scale", scale, stdout=out)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=DELETE")
    _use(connection, _state["own"])
    printed.write_text(out.getvalue(), encoding="utf-8")


def _ensure_demo_template(connection, run: str, scale: str) -> str:
    demo = _demo_template(connection, run, scale)
    printed = TEMP / f"dualtrack-test-{pathlib.Path(demo).stem}.txt"
    quote = connection.ops.quote_name
    building = f"{demo}_building"
    with _locked(f"demo-{pathlib.Path(demo).stem}"):
        if connection.vendor == "postgresql":
            with connection.creation._nodb_cursor() as cursor:
                cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [demo])
                if cursor.fetchone() is None:
                    cursor.execute(f"DROP DATABASE IF EXISTS {quote(building)} WITH (FORCE)")
                    cursor.execute(
                        f"CREATE DATABASE {quote(building)} TEMPLATE {quote(_state['template'])}"
                    )
                    _seed(connection, building, scale, printed)
                    cursor.execute(f"ALTER DATABASE {quote(building)} RENAME TO {quote(demo)}")
        elif not pathlib.Path(demo).exists():
            shutil.copyfile(_state["template"], building)
            _seed(connection, building, scale, printed)
            os.replace(building, demo)
            _remove_stale(TEMP.glob("dualtrack-test-demo-*"), keep=pathlib.Path(demo), hours=3)
    return demo


def _drop_demo_templates(connection, run: str) -> None:
    if connection.vendor == "postgresql":
        with connection.creation._nodb_cursor() as cursor:
            cursor.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE %s",
                [f"%{DEMO_INFIX}{run}_%"],
            )
            for (name,) in cursor.fetchall():
                with contextlib.suppress(Exception):
                    cursor.execute(f"DROP DATABASE {connection.ops.quote_name(name)} WITH (FORCE)")
    for path in TEMP.glob(f"dualtrack-test-*demo*{run}*"):
        path.unlink(missing_ok=True)


@pytest.fixture(scope="module")
def _demo_database(request, django_db_setup, django_db_blocker):
    """The module's tests run on this process's clone of the run's demo template at the module's
    ``DEMO_SCALE`` (0.02 unless it says otherwise)."""
    connection = connections["default"]
    scale = str(getattr(request.module, "DEMO_SCALE", "0.02"))
    if "own" not in _state:
        raise pytest.UsageError("demo_district needs the test database of template_db")
    with django_db_blocker.unblock():
        demo = _ensure_demo_template(connection, _run(request.config), scale)
        if _state.get("demo_template") != demo:
            if connection.vendor == "postgresql":
                clone = f"{_state['own']}_demo"
                quote = connection.ops.quote_name
                with _locked(f"demo-{demo}"), connection.creation._nodb_cursor() as cursor:
                    cursor.execute(f"DROP DATABASE IF EXISTS {quote(clone)} WITH (FORCE)")
                    cursor.execute(f"CREATE DATABASE {quote(clone)} TEMPLATE {quote(demo)}")
            else:
                clone = f"file:memorydb_{connection.alias}_demo?mode=memory&cache=shared"
                _keep(clone, pathlib.Path(demo))
            _state.update(demo_clone=clone, demo_template=demo)
        _use(connection, _state["demo_clone"])
    yield (TEMP / f"dualtrack-test-{pathlib.Path(demo).stem}.txt").read_text(encoding="utf-8")
    with django_db_blocker.unblock():
        _use(connection, _state["own"])


@pytest.fixture
def demo_district(_demo_database, db, request):
    """The demo district at the module's ``DEMO_SCALE`` (0.02 unless it says otherwise): the
    module runs on a clone of the run's demo, each test in a transaction rolled back after it;
    what seed_demo printed. For all of a module's tests or none (the root conftest checks)."""
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        raise pytest.UsageError("demo_district is for tests in a transaction rolled back after it")
    return _demo_database


def pytest_sessionfinish(session):
    """The master (or the only process) drops the run's demo templates."""
    if hasattr(session.config, "workerinput") or "default" not in connections.settings:
        return
    from pytest_django.plugin import blocking_manager_key

    blocker = session.config.stash.get(blocking_manager_key, None)
    with blocker.unblock() if blocker else contextlib.nullcontext():
        _drop_demo_templates(connections["default"], _run(session.config))
