from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[3]


def test_demo_logins_on_an_empty_database_says_how_to_seed_it(tmp_path):
    """A database with no tables at all: one line naming migrate and seed_demo, no traceback."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"}
    env.pop("TEST_DATABASE_NAME", None)
    done = subprocess.run(
        [sys.executable, "manage.py", "demo_logins"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "The database is empty" in done.stderr
    assert "manage.py migrate" in done.stderr
    assert "manage.py seed_demo" in done.stderr


@pytest.mark.django_db
def test_demo_logins_on_a_migrated_database_without_the_demo_says_how_to_seed_it():
    out = io.StringIO()
    call_command("demo_logins", stdout=out)
    assert "no demo district yet" in out.getvalue()
    assert "manage.py seed_demo" in out.getvalue()
