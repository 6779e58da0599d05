"""The demo district's enterprises (issue 4): built on top of the seeded district.

At scale 1: 2,928 enterprises filed, 85,492 workers reported on duty at the last 24:00 (and on
the rosters), 181 above-scale industrial enterprises, all resumed — the counts the figures page
computes from these rows. A few filings are still under review, a few enterprises have not
filed, inspections have open rectifications, and 14 days of daily reports are frozen into
snapshots.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from dualtrack.demo.enterprises import workforce
from dualtrack.demo.enterprises.registry import ENTERPRISE_LOGIN, REPORT_DAYS, EnterpriseSeeder
from dualtrack.enterprises.services.reports import snapshot_freeze

if TYPE_CHECKING:
    from dualtrack.demo.seeder import Seeder

__all__ = ["ENTERPRISE_LOGIN", "seed"]


def seed(seeder: Seeder) -> None:
    """Add the enterprises demo data inside the seeding transaction."""
    es = EnterpriseSeeder(seeder)
    es.add_phases()
    es.add_registry()
    es.add_filings()
    es.s.say(f"enterprises: {len(es.enterprises):,} registered, {len(es.filings):,} filings")
    workforce.workers(es)
    es.s.say(f"enterprises: {es.s.counts['employees']:,} roster rows, daily reports")
    workforce.supervision(es)
    # Fourteen frozen days, and today's working copy (days_ago 0) that writes keep current.
    for days_ago in range(REPORT_DAYS, -1, -1):
        snapshot_freeze(date=es.today - datetime.timedelta(days=days_ago))
    es.s.counts["enterprise_snapshots"] = REPORT_DAYS
    es.s.say(
        f"enterprises: {es.filed:,} filed of {len(es.enterprises):,}, "
        f"{es.workers:,} workers on duty, {es.above:,} above-scale all resumed"
    )
