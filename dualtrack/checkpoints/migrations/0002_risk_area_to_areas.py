"""HQ's risk-area list moves to the areas app, where the enterprises' rosters can read it too.

The table is renamed, not copied: its rows, ids and constraints stay as they are. The model
leaves this app's state here and enters the areas app's state in areas 0004.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("checkpoints", "0001_initial")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name="riskarea", table="areas_riskarea"),
            ],
            state_operations=[migrations.DeleteModel(name="RiskArea")],
        )
    ]
