"""The rosters' own table of risk regions goes: a worker's quarantine now follows HQ's risk-area
list (areas.RiskArea) as it stood on the day of the return. Nothing had been released; the table
held the one example row 0002 wrote, so nothing is carried over."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0002_industry_divisions"), ("areas", "0004_riskarea")]

    operations = [migrations.DeleteModel(name="RiskRegion")]
