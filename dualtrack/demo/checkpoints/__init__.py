"""The demo district's checkpoints (issue 3): built on top of the seeded district.

253 checkpoints at scale 1 at the entrances of the villages and communities, their ten-ones kits
(a few incomplete), staff logins for local cadres, two twelve-hour shifts a day for the last
21 days, and 21 days of passages with morning and evening peaks, commuters who pass every day,
visitors, a handful of fevers and arrivals from risk areas, and their alerts (a few still open).

Volume goes in raw: passages are generated as tuples and written with COPY (PostgreSQL) or one
executemany (SQLite). Encryption is the cost of personal data, so no passage is encrypted on its
own: a resident's passages reuse the ciphertext of the resident's record (same key, same
digest), and each visitor is encrypted once. The figures (daily and per shift) are added up from
the generated rows, never set by hand.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import connection
from django.utils import timezone

from dualtrack.demo.checkpoints.gates import (
    add_gates,
    add_kits,
    add_risk_areas,
    add_shifts,
    pick_commuters,
    pick_visitors,
)
from dualtrack.demo.checkpoints.passages import add_passages

if TYPE_CHECKING:
    from dualtrack.demo.seeder import Seeder


def seed(seeder: Seeder) -> None:
    """Add the checkpoints demo data inside the seeding transaction."""
    now = timezone.now()
    today = timezone.localdate(now)
    if connection.vendor == "sqlite":
        # The register's indexes (client ids, digests) take keys in random order: with SQLite's
        # default 2 MB page cache every insert would evict and reread index pages.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -262144")
    risk = add_risk_areas(seeder, today)
    gates = add_gates(seeder, now)
    # The persona gate_aixi works the first gate of 艾溪村.
    persona = next(g.checkpoint for g in gates if g.village.pk == seeder.persona_village.pk)
    add_kits(seeder, gates, persona, now)
    shifts = add_shifts(seeder, gates, persona, today, now)
    visitors = pick_visitors(seeder)
    pick_commuters(seeder, gates)
    add_passages(seeder, gates, persona, shifts, visitors, risk, today, now)
