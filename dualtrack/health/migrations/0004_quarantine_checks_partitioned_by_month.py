"""On PostgreSQL, the quarantine checks (two a person a day) become a table partitioned by month
on their day; SQLite keeps its single table. The one-check-a-slot rule (order, day, period)
holds the day already, so it stays a unique constraint as it is; the primary key becomes
(id, day). Nothing refers to a check. See docs/architecture.md, partitioned registers.

The household visits of a screening campaign stay a single table: their rule that a household
is completed once per campaign spans months, and the screening records refer to them.
"""

from django.db import migrations

from dualtrack.core.partitions import partition_table, unpartition_table

TABLE = "health_quarantinecheck"


def forwards(apps, schema_editor):
    partition_table(schema_editor, TABLE, "day", [])


def backwards(apps, schema_editor):
    unpartition_table(schema_editor, TABLE, "day", [])


class Migration(migrations.Migration):
    dependencies = [("health", "0003_wall_screen_indexes")]

    operations = [migrations.RunPython(forwards, backwards)]
