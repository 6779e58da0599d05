"""Households and residents per area, kept by the database (areas.AreaFigure).

Triggers on areas_household and areas_resident count every insert, delete and change of area,
whatever wrote the row: the services, the bulk import's bulk_create, the demo's seeder, a COPY
or raw SQL. On PostgreSQL they are statement-level with transition tables (a bulk insert or COPY
of a million rows updates each area's figure once, in area order); on SQLite, row-level.
Existing rows are counted once (the backfill), after the triggers exist, inside the
migration's transaction.

SQLite drops a table's triggers when a later migration rebuilds the table (its ALTER TABLE
emulation): such a migration must create them again (``create_triggers``). The recount tests
(areas/tests/test_area_figures.py) run on the migrated schema and fail if they are missing.
"""

import django.db.models.deletion
from django.db import migrations, models

TABLES = {"areas_household": "households", "areas_resident": "residents"}

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION {table}_figure() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO areas_areafigure AS f (area_id, households, residents)
        SELECT area_id, {insert_values} FROM new_rows GROUP BY area_id ORDER BY area_id
        ON CONFLICT (area_id) DO UPDATE SET {column} = f.{column} + EXCLUDED.{column};
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE areas_areafigure AS f SET {column} = f.{column} - d.n
        FROM (SELECT area_id, count(*) AS n FROM old_rows GROUP BY area_id) AS d
        WHERE f.area_id = d.area_id;
    ELSE
        -- A move: the rows whose area changed, counted out of the old area, into the new.
        INSERT INTO areas_areafigure AS f (area_id, households, residents)
        SELECT area_id, {insert_values} FROM (
            SELECT n.area_id FROM new_rows n JOIN old_rows o ON o.id = n.id
            WHERE n.area_id <> o.area_id
        ) AS moved GROUP BY area_id ORDER BY area_id
        ON CONFLICT (area_id) DO UPDATE SET {column} = f.{column} + EXCLUDED.{column};
        UPDATE areas_areafigure AS f SET {column} = f.{column} - d.n
        FROM (
            SELECT o.area_id, count(*) AS n FROM new_rows n JOIN old_rows o ON o.id = n.id
            WHERE n.area_id <> o.area_id GROUP BY o.area_id
        ) AS d
        WHERE f.area_id = d.area_id;
    END IF;
    RETURN NULL;
END
$$;
"""

PG_TRIGGERS = """
CREATE TRIGGER {table}_figure_insert AFTER INSERT ON {table}
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {table}_figure();
CREATE TRIGGER {table}_figure_delete AFTER DELETE ON {table}
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION {table}_figure();
CREATE TRIGGER {table}_figure_update AFTER UPDATE ON {table}
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION {table}_figure();
"""

PG_DROP_TRIGGERS = """
DROP TRIGGER IF EXISTS {table}_figure_insert ON {table};
DROP TRIGGER IF EXISTS {table}_figure_delete ON {table};
DROP TRIGGER IF EXISTS {table}_figure_update ON {table};
"""
PG_DROP_FUNCTION = "DROP FUNCTION IF EXISTS {table}_figure();"


def _statements(sql):
    """One statement at a time (a function's body keeps its semicolons: it ends at "$$;")."""
    out, current = [], []
    for line in sql.strip().splitlines():
        current.append(line)
        if line.endswith(";") and (line == "$$;" or "$$" not in "\n".join(current)):
            out.append("\n".join(current).rstrip(";"))
            current = []
    return [statement for statement in out if statement.strip()]


SQLITE_TRIGGERS = [
    """CREATE TRIGGER IF NOT EXISTS {table}_figure_insert AFTER INSERT ON {table} BEGIN
        INSERT OR IGNORE INTO areas_areafigure (area_id, households, residents)
            VALUES (NEW.area_id, 0, 0);
        UPDATE areas_areafigure SET {column} = {column} + 1 WHERE area_id = NEW.area_id;
    END""",
    """CREATE TRIGGER IF NOT EXISTS {table}_figure_delete AFTER DELETE ON {table} BEGIN
        UPDATE areas_areafigure SET {column} = {column} - 1 WHERE area_id = OLD.area_id;
    END""",
    """CREATE TRIGGER IF NOT EXISTS {table}_figure_update AFTER UPDATE OF area_id ON {table}
    WHEN NEW.area_id <> OLD.area_id BEGIN
        INSERT OR IGNORE INTO areas_areafigure (area_id, households, residents)
            VALUES (NEW.area_id, 0, 0);
        UPDATE areas_areafigure SET {column} = {column} + 1 WHERE area_id = NEW.area_id;
        UPDATE areas_areafigure SET {column} = {column} - 1 WHERE area_id = OLD.area_id;
    END""",
]

BACKFILL = """
INSERT INTO areas_areafigure (area_id, households, residents)
SELECT area_id, sum(households), sum(residents) FROM (
    SELECT area_id, count(*) AS households, 0 AS residents FROM areas_household GROUP BY area_id
    UNION ALL
    SELECT area_id, 0, count(*) FROM areas_resident GROUP BY area_id
) AS counted GROUP BY area_id
"""


def create_triggers(apps, schema_editor):
    """The triggers on both tables (idempotent), for this migration and any that rebuilds them."""
    for table, column in TABLES.items():
        if schema_editor.connection.vendor == "postgresql":
            values = "count(*), 0" if column == "households" else "0, count(*)"
            sql = PG_DROP_TRIGGERS + PG_FUNCTION + PG_TRIGGERS
            for statement in _statements(
                sql.format(table=table, column=column, insert_values=values)
            ):
                schema_editor.execute(statement)
        else:
            for statement in SQLITE_TRIGGERS:
                schema_editor.execute(statement.format(table=table, column=column))


def create_and_backfill(apps, schema_editor):
    create_triggers(apps, schema_editor)
    schema_editor.execute(BACKFILL)


def drop_triggers(apps, schema_editor):
    for table in TABLES:
        if schema_editor.connection.vendor == "postgresql":
            for statement in _statements((PG_DROP_TRIGGERS + PG_DROP_FUNCTION).format(table=table)):
                schema_editor.execute(statement)
        else:
            for event in ("insert", "delete", "update"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_figure_{event}")


class Migration(migrations.Migration):
    dependencies = [
        ("areas", "0007_role_service_clerk"),
    ]

    operations = [
        migrations.CreateModel(
            name="AreaFigure",
            fields=[
                (
                    "area",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="figure",
                        serialize=False,
                        to="areas.area",
                    ),
                ),
                ("households", models.IntegerField(default=0)),
                ("residents", models.IntegerField(default=0)),
            ],
        ),
        migrations.RunPython(create_and_backfill, drop_triggers, elidable=False),
    ]
