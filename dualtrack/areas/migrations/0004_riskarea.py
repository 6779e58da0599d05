"""HQ's risk-area list, moved here from the checkpoints app (checkpoints 0002 renamed the
table to areas_riskarea); this migration only enters the model into the areas app's state."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("areas", "0003_orgunit_duty"),
        ("checkpoints", "0002_risk_area_to_areas"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="RiskArea",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "region_code",
                            models.CharField(max_length=6, verbose_name="region code (GB/T 2260)"),
                        ),
                        ("region_name", models.CharField(max_length=100, verbose_name="region")),
                        (
                            "level",
                            models.CharField(
                                choices=[("high", "high risk"), ("medium", "medium risk")],
                                max_length=8,
                                verbose_name="level",
                            ),
                        ),
                        ("effective_from", models.DateField(verbose_name="effective from")),
                        (
                            "effective_to",
                            models.DateField(blank=True, null=True, verbose_name="effective to"),
                        ),
                        ("source", models.CharField(max_length=200, verbose_name="source")),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "created_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="created by",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "risk area",
                        "verbose_name_plural": "risk areas",
                        "ordering": ["region_code", "-effective_from"],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(("region_code__regex", "^[0-9]{6}$")),
                                name="risk_area_code_digits",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("effective_to__isnull", True),
                                    ("effective_to__gte", models.F("effective_from")),
                                    _connector="OR",
                                ),
                                name="risk_area_to_after_from",
                            ),
                        ],
                    },
                ),
            ],
        )
    ]
