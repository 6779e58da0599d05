"""Households and residents per area, kept by the database (areas.AreaFigure).

Triggers on areas_household and areas_resident count every insert, delete and change of area
(and of household: the households left without a resident are counted too), whatever wrote the
row: the services, the bulk import's bulk_create, the demo's seeder, a COPY
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

TABLES = ("areas_household", "areas_resident")

UPSERT = """
    INSERT INTO areas_areafigure AS f (area_id, households, empty_households, residents)
    SELECT area_id, sum(households), sum(empty_households), sum(residents) FROM (
        {deltas}
    ) AS delta GROUP BY area_id
    HAVING sum(households) <> 0 OR sum(empty_households) <> 0 OR sum(residents) <> 0
    ORDER BY area_id
    ON CONFLICT (area_id) DO UPDATE SET households = f.households + EXCLUDED.households,
        empty_households = f.empty_households + EXCLUDED.empty_households,
        residents = f.residents + EXCLUDED.residents;
"""

# Households: counted into and out of their area, with whether each is empty (a new household
# is; one is deleted only once its residents are, PROTECT).
HOUSEHOLD_DELTAS = """
        SELECT area_id, sum(sign) AS households,
            coalesce(sum(sign) FILTER (WHERE NOT EXISTS (
                SELECT 1 FROM areas_resident r WHERE r.household_id = moved.id
            )), 0) AS empty_households, 0 AS residents
        FROM ({moved}) AS moved GROUP BY area_id
"""
HOUSEHOLD_MOVES = {
    "INSERT": "SELECT id, area_id, 1 AS sign FROM new_rows",
    "DELETE": "SELECT id, area_id, -1 AS sign FROM old_rows",
    "UPDATE": "SELECT n.id, n.area_id, 1 AS sign FROM new_rows n JOIN old_rows o ON o.id = n.id "
    "WHERE n.area_id <> o.area_id UNION ALL "
    "SELECT o.id, o.area_id, -1 FROM new_rows n JOIN old_rows o ON o.id = n.id "
    "WHERE n.area_id <> o.area_id",
}

# Residents: counted into and out of their area (``area_moves``), and each household they
# join or leave (``household_moves``) compared empty before and after the statement.
RESIDENT_DELTAS = """
        SELECT area_id, 0 AS households, 0 AS empty_households, sum(sign) AS residents
        FROM ({area_moves}) AS area_moves GROUP BY area_id
        UNION ALL
        SELECT h.area_id, 0, sum((c.now = 0)::int - (c.now - c.arrived + c.left_ = 0)::int), 0
        FROM (
            SELECT household_id, sum(arrived) AS arrived, sum(left_) AS left_, (
                SELECT count(*) FROM areas_resident r WHERE r.household_id = t.household_id
            ) AS now
            FROM ({household_moves}) AS t GROUP BY household_id
        ) AS c JOIN areas_household h ON h.id = c.household_id
        GROUP BY h.area_id
"""
RESIDENT_MOVES = {
    "INSERT": (
        "SELECT area_id, 1 AS sign FROM new_rows",
        "SELECT household_id, 1 AS arrived, 0 AS left_ FROM new_rows",
    ),
    "DELETE": (
        "SELECT area_id, -1 AS sign FROM old_rows",
        "SELECT household_id, 0 AS arrived, 1 AS left_ FROM old_rows",
    ),
    "UPDATE": (
        "SELECT n.area_id, 1 AS sign FROM new_rows n JOIN old_rows o ON o.id = n.id "
        "WHERE n.area_id <> o.area_id UNION ALL "
        "SELECT o.area_id, -1 FROM new_rows n JOIN old_rows o ON o.id = n.id "
        "WHERE n.area_id <> o.area_id",
        "SELECT n.household_id, 1 AS arrived, 0 AS left_ FROM new_rows n "
        "JOIN old_rows o ON o.id = n.id WHERE n.household_id <> o.household_id UNION ALL "
        "SELECT o.household_id, 0, 1 FROM new_rows n "
        "JOIN old_rows o ON o.id = n.id WHERE n.household_id <> o.household_id",
    ),
}

FUNCTION = """
CREATE OR REPLACE FUNCTION {table}_figure() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
{insert}
    ELSIF TG_OP = 'DELETE' THEN
{delete}
    ELSE
{update}
    END IF;
    RETURN NULL;
END
$$;
"""


def _pg_functions():
    """The two trigger functions, one statement per operation (a transition table exists only
    for the operations that have it)."""
    household = {
        op: UPSERT.format(deltas=HOUSEHOLD_DELTAS.format(moved=moved))
        for op, moved in HOUSEHOLD_MOVES.items()
    }
    resident = {
        op: UPSERT.format(deltas=RESIDENT_DELTAS.format(area_moves=a, household_moves=h))
        for op, (a, h) in RESIDENT_MOVES.items()
    }
    return "".join(
        FUNCTION.format(
            table=table, insert=ops["INSERT"], delete=ops["DELETE"], update=ops["UPDATE"]
        )
        for table, ops in (("areas_household", household), ("areas_resident", resident))
    )


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
PG_DROP_FUNCTIONS = """
DROP FUNCTION IF EXISTS areas_household_figure();
DROP FUNCTION IF EXISTS areas_resident_figure();
"""


def _statements(sql):
    """One statement at a time (a function's body keeps its semicolons: it ends at "$$;")."""
    out, current = [], []
    for line in sql.strip().splitlines():
        current.append(line)
        if line.endswith(";") and (line == "$$;" or "$$" not in "\n".join(current)):
            out.append("\n".join(current).rstrip(";"))
            current = []
    return [statement for statement in out if statement.strip()]


ENSURE = """INSERT OR IGNORE INTO areas_areafigure
    (area_id, households, empty_households, residents) VALUES ({area}, 0, 0, 0);"""
# The area of a household, for a resident's trigger.
AREA_OF = "(SELECT area_id FROM areas_household WHERE id = {household})"
SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER IF NOT EXISTS areas_household_figure_insert AFTER INSERT ON areas_household
    BEGIN
        {ENSURE.format(area="NEW.area_id")}
        UPDATE areas_areafigure SET households = households + 1,
            empty_households = empty_households + 1 WHERE area_id = NEW.area_id;
    END""",
    """CREATE TRIGGER IF NOT EXISTS areas_household_figure_delete AFTER DELETE ON areas_household
    BEGIN
        UPDATE areas_areafigure SET households = households - 1,
            empty_households = empty_households - 1 WHERE area_id = OLD.area_id;
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS areas_household_figure_update
    AFTER UPDATE OF area_id ON areas_household WHEN NEW.area_id <> OLD.area_id BEGIN
        {ENSURE.format(area="NEW.area_id")}
        UPDATE areas_areafigure SET households = households + 1,
            empty_households = empty_households + NOT EXISTS (
                SELECT 1 FROM areas_resident WHERE household_id = NEW.id)
            WHERE area_id = NEW.area_id;
        UPDATE areas_areafigure SET households = households - 1,
            empty_households = empty_households - NOT EXISTS (
                SELECT 1 FROM areas_resident WHERE household_id = NEW.id)
            WHERE area_id = OLD.area_id;
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS areas_resident_figure_insert AFTER INSERT ON areas_resident
    BEGIN
        {ENSURE.format(area="NEW.area_id")}
        UPDATE areas_areafigure SET residents = residents + 1 WHERE area_id = NEW.area_id;
        UPDATE areas_areafigure SET empty_households = empty_households - 1
            WHERE area_id = {AREA_OF.format(household="NEW.household_id")}
            AND (SELECT count(*) FROM areas_resident
                 WHERE household_id = NEW.household_id) = 1;
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS areas_resident_figure_delete AFTER DELETE ON areas_resident
    BEGIN
        UPDATE areas_areafigure SET residents = residents - 1 WHERE area_id = OLD.area_id;
        UPDATE areas_areafigure SET empty_households = empty_households + 1
            WHERE area_id = {AREA_OF.format(household="OLD.household_id")}
            AND NOT EXISTS (SELECT 1 FROM areas_resident WHERE household_id = OLD.household_id);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS areas_resident_figure_area
    AFTER UPDATE OF area_id ON areas_resident WHEN NEW.area_id <> OLD.area_id BEGIN
        {ENSURE.format(area="NEW.area_id")}
        UPDATE areas_areafigure SET residents = residents + 1 WHERE area_id = NEW.area_id;
        UPDATE areas_areafigure SET residents = residents - 1 WHERE area_id = OLD.area_id;
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS areas_resident_figure_household
    AFTER UPDATE OF household_id ON areas_resident
    WHEN NEW.household_id <> OLD.household_id BEGIN
        UPDATE areas_areafigure SET empty_households = empty_households - 1
            WHERE area_id = {AREA_OF.format(household="NEW.household_id")}
            AND (SELECT count(*) FROM areas_resident
                 WHERE household_id = NEW.household_id) = 1;
        UPDATE areas_areafigure SET empty_households = empty_households + 1
            WHERE area_id = {AREA_OF.format(household="OLD.household_id")}
            AND NOT EXISTS (SELECT 1 FROM areas_resident WHERE household_id = OLD.household_id);
    END""",
]
SQLITE_NAMES = [
    "areas_household_figure_insert",
    "areas_household_figure_delete",
    "areas_household_figure_update",
    "areas_resident_figure_insert",
    "areas_resident_figure_delete",
    "areas_resident_figure_area",
    "areas_resident_figure_household",
]

BACKFILL = """
INSERT INTO areas_areafigure (area_id, households, empty_households, residents)
SELECT area_id, sum(households), sum(empty_households), sum(residents) FROM (
    SELECT h.area_id, count(*) AS households,
        count(*) FILTER (WHERE NOT EXISTS (
            SELECT 1 FROM areas_resident r WHERE r.household_id = h.id)) AS empty_households,
        0 AS residents
    FROM areas_household h GROUP BY h.area_id
    UNION ALL
    SELECT area_id, 0, 0, count(*) FROM areas_resident GROUP BY area_id
) AS counted GROUP BY area_id
"""


def create_triggers(apps, schema_editor):
    """The triggers on both tables (idempotent), for this migration and any that rebuilds them."""
    if schema_editor.connection.vendor == "postgresql":
        sql = _pg_functions()
        for table in TABLES:
            sql += (PG_DROP_TRIGGERS + PG_TRIGGERS).format(table=table)
        for statement in _statements(sql):
            schema_editor.execute(statement)
    else:
        for statement in SQLITE_TRIGGERS:
            schema_editor.execute(statement)


def create_and_backfill(apps, schema_editor):
    create_triggers(apps, schema_editor)
    schema_editor.execute(BACKFILL)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        sql = "".join(PG_DROP_TRIGGERS.format(table=table) for table in TABLES)
        for statement in _statements(sql + PG_DROP_FUNCTIONS):
            schema_editor.execute(statement)
    else:
        for name in SQLITE_NAMES:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")


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
                ("empty_households", models.IntegerField(default=0)),
                ("residents", models.IntegerField(default=0)),
            ],
        ),
        migrations.RunPython(create_and_backfill, drop_triggers, elidable=False),
    ]
