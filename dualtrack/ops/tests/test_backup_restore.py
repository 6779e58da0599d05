"""backup_db and restore_db on the database the suite runs on (SQLite or PostgreSQL): a backup
restored into an empty database gives the same figures and the same decrypted personal data; a
database that holds anything is refused and left as it was; an older backup is migrated; a newer
one is refused; the keys are never in it."""

from __future__ import annotations

import io
import re
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.utils import timezone

from dualtrack.areas.models import Resident
from dualtrack.checkpoints.models import Passage
from dualtrack.core import platform
from dualtrack.core.models import User
from dualtrack.ops.backup import postgres
from dualtrack.ops.tests.conftest import default_database, table_counts

# pg_dump reads what is committed, and CREATE DATABASE runs outside a transaction; the flush
# after each such test would take the reference data the migrations seed, which the demo needs.
committed = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _figures(username: str) -> dict[str, object]:
    user = User.objects.get(username=username)
    return {f.key: f.value for f in platform.figures_for(user=user, day=timezone.localdate())}


def _personal_data() -> list[tuple]:
    residents = Resident.objects.order_by("pk")
    passages = Passage.objects.order_by("pk")
    return [
        *residents.values_list("id_number", "phone", "id_number_digest"),
        *passages.values_list("id_number", "phone", "id_digest"),
    ]


def _backup(tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / ("backup.dump" if connection.vendor == "postgresql" else "backup.sqlite3")
    out = io.StringIO()
    call_command("backup_db", str(path), stdout=out)
    return path, out.getvalue()


@pytest.fixture
def empty_database(tmp_path):
    """A second, empty database of the suite's engine, made as default for the block it is
    entered in: on PostgreSQL created beside the test database and dropped after."""
    if connection.vendor == "sqlite":
        yield {"NAME": str(tmp_path / "restored.sqlite3")}
        return
    name = f"{connection.settings_dict['NAME']}_restore"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield {"NAME": name}
    finally:
        connections["default"].close()
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@committed
def test_a_backup_of_the_demo_restored_into_an_empty_database_gives_the_same_figures(
    tmp_path, empty_database
):
    call_command("seed_demo", "--scale", "0.01", stdout=io.StringIO())
    figures = _figures("admin")
    personal = _personal_data()
    assert figures["checkpoints.passages"] > 0 and len(personal) > 100

    path, said = _backup(tmp_path)
    assert "FIELD_ENCRYPTION_KEY" in said and "NOT in this backup" in said

    with default_database(**empty_database):
        out = io.StringIO()
        call_command("restore_db", str(path), stdout=out)
        assert "restored" in out.getvalue() and "NOT in this backup" in out.getvalue()
        assert _figures("admin") == figures
        assert _personal_data() == personal  # the same ciphertexts decrypt to the same numbers


@committed
def test_a_database_that_holds_anything_is_refused_and_left_as_it_was_unless_forced(
    tmp_path, settings, register, personas
):
    passage = register()
    figures = _figures("admin")
    path, _said = _backup(tmp_path)
    raw = path.read_bytes()
    if connection.vendor == "postgresql":  # the custom format is compressed: read its data
        command = ["pg_restore", "--data-only", "--file=-", str(path)]
        raw = subprocess.run(command, capture_output=True, check=True).stdout  # noqa: S603
    assert passage.checkpoint.name.encode() in raw
    assert passage.id_number.encode() not in raw  # ciphertext only
    for key in (settings.FIELD_ENCRYPTION_KEY, settings.FIELD_LOOKUP_KEY, settings.SECRET_KEY):
        assert key.encode() not in raw
    register(temperature=Decimal("38.2"))  # after the backup: a restore would lose it
    before = table_counts(connection)

    with pytest.raises(CommandError) as refused:
        call_command("restore_db", str(path), stdout=io.StringIO())

    message = str(refused.value)
    assert "is not empty" in message and "--force" in message
    assert re.search(r"\d+ tables, about [\d,]+ rows \(", message)  # what it would overwrite
    assert table_counts(connection) == before

    out = io.StringIO()
    call_command("restore_db", str(path), "--force", stdout=out)

    assert "--force" in out.getvalue() and "is not empty" in out.getvalue()
    assert Passage.objects.count() == 1
    assert _figures("admin") == figures


@committed
def test_an_older_backup_is_brought_up_to_this_codes_migrations(tmp_path, empty_database, register):
    register()
    call_command("migrate", "ops", "zero", verbosity=0)  # as if made before the app existed
    try:
        path, _said = _backup(tmp_path)
    finally:
        call_command("migrate", "ops", verbosity=0)

    with default_database(**empty_database) as restored:
        out = io.StringIO()
        call_command("restore_db", str(path), stdout=out)
        assert "older than this code" in out.getvalue() and "ops.0001_initial" in out.getvalue()
        assert "ops_workerheartbeat" in restored.introspection.table_names()
        assert Passage.objects.count() == 1


@committed
def test_a_backup_newer_than_the_code_is_refused_before_anything_is_written(
    tmp_path, empty_database
):
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO django_migrations (app, name, applied) VALUES (%s, %s, %s)",
            ["ops", "9999_from_the_future", timezone.now()],
        )
    try:
        path, _said = _backup(tmp_path)
    finally:  # the flush after the test leaves the migrations table alone
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM django_migrations WHERE name = '9999_from_the_future'")

    with default_database(**empty_database) as restored:
        with pytest.raises(CommandError, match=r"newer version.*ops\.9999_from_the_future"):
            call_command("restore_db", str(path), stdout=io.StringIO())
        assert restored.introspection.table_names() == []


@committed
def test_restored_data_that_the_keys_do_not_read_is_said_loudly(
    tmp_path, empty_database, register, settings
):
    register()
    path, _said = _backup(tmp_path)
    settings.FIELD_ENCRYPTION_KEY = "b3RoZXIta2V5LW90aGVyLWtleS1vdGhlci1rZXktISE="

    refused = pytest.raises(CommandError, match="does not decrypt with this FIELD_ENCRYPTION_KEY")
    with default_database(**empty_database), refused:
        call_command("restore_db", str(path), stdout=io.StringIO())


def test_a_backup_never_overwrites_a_file(tmp_path, db):
    path = tmp_path / "taken"
    path.write_text("an older backup")
    with pytest.raises(CommandError, match="never overwrites"):
        call_command("backup_db", str(path), stdout=io.StringIO())
    assert path.read_text() == "an older backup"


def test_pg_dump_missing_from_path_is_said_clearly(monkeypatch):
    monkeypatch.setenv("PATH", "")
    with pytest.raises(CommandError, match=r"pg_dump was not found on PATH.*postgresql-client"):
        postgres._tool("pg_dump")


def test_a_file_that_is_no_backup_is_refused_before_anything_is_written(tmp_path, register):
    register()
    before = table_counts(connection)
    path = tmp_path / "notes.txt"
    path.write_text("not a backup")
    with pytest.raises(CommandError, match="not a readable"):
        call_command("restore_db", str(path), "--force", stdout=io.StringIO())
    assert table_counts(connection) == before
