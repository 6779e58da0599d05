"""The shifts in time order: a keyset page of the district's shifts by (starts_at, id) walks
this index and stops after the page, where the index by checkpoint read every shift of every
gate of a town's week and sorted them (the front line's duty roster)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("checkpoints", "0002_risk_area_to_areas")]

    operations = [
        migrations.AddIndex(
            model_name="shift",
            index=models.Index(fields=["starts_at", "id"], name="shift_start_id_idx"),
        ),
    ]
