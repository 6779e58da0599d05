"""On PostgreSQL, the passage register becomes a table partitioned by month on its time
(``occurred_at``); SQLite keeps its single table.

A partitioned table's primary key and unique constraints must include the partition key:
the primary key becomes (id, occurred_at) and the client id's uniqueness (client_id,
occurred_at). A device makes the client id together with the passage's time, and a retried
registration or sync sends both unchanged, so a retry still meets its stored row; the single
registration also looks the client id up on its own before writing. The alert's foreign key to
its passage stops being a database constraint (db_constraint=False): the alert is written in the
passage's transaction and the purge removes both. See docs/architecture.md.
"""

from django.db import migrations, models

from dualtrack.core.partitions import partition_table, unpartition_table

TABLE = "checkpoints_passage"
WIDEN = ["checkpoints_passage_client_id_key"]


def forwards(apps, schema_editor):
    partition_table(schema_editor, TABLE, "occurred_at", WIDEN)


def backwards(apps, schema_editor):
    unpartition_table(schema_editor, TABLE, "occurred_at", WIDEN)


class Migration(migrations.Migration):
    dependencies = [("checkpoints", "0004_alert_handled_index")]

    operations = [
        migrations.AlterField(
            model_name="alert",
            name="passage",
            field=models.OneToOneField(
                db_constraint=False,
                on_delete=models.deletion.CASCADE,
                related_name="alert",
                to="checkpoints.passage",
                verbose_name="passage",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
