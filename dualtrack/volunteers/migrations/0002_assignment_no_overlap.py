"""One person is never on two duties whose times overlap: on PostgreSQL an exclusion
constraint holds it under concurrency (btree_gist for the equality on the person's key); SQLite
has no such constraint, and the service checks it holding SQLite's one write lock."""

from __future__ import annotations

from typing import Any

from django.db import migrations

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    "ALTER TABLE volunteers_dutyassignment ADD CONSTRAINT assignment_no_overlap "
    "EXCLUDE USING gist (person_key WITH =, tstzrange(starts_at, ends_at) WITH &&)",
]
DROP = ["ALTER TABLE volunteers_dutyassignment DROP CONSTRAINT assignment_no_overlap"]


def _run(statements: list[str]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("volunteers", "0001_initial")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]
