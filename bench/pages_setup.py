"""The pages benchmark's district (bench/pages.py): the demo seeded at a small scale, then the
big registers filled to the volume of --scale by server-side copies — the passage register (the
checkpoints benchmark's setup) and the households and residents (here) — so that every page
meets a register of scale-10 size. The maintained figures follow the copies by themselves
(the areas' triggers; the checkpoints' rollups are rebuilt by their setup)."""

from __future__ import annotations

import time
from typing import Any

from checkpoints_setup import say, setup

HOUSEHOLDS_AT_SCALE_1 = 31_006
RESIDENTS_AT_SCALE_1 = 100_002


def fill_residents(scale: float) -> dict[str, int]:
    """Copy every household (a new number) with its residents (new digests) until the register
    holds about ``scale`` times the scale-1 district's residents."""
    from django.db import connection

    from dualtrack.areas.models import Household, Resident

    base = Resident.objects.count()
    copies = max(0, round(RESIDENTS_AT_SCALE_1 * scale / max(base, 1)) - 1)
    started = time.perf_counter()
    columns = [
        f.column
        for f in Resident._meta.concrete_fields
        if f.column not in ("id", "household_id", "id_number_digest")
    ]
    names = ", ".join(columns)
    select = ", ".join(f"r.{c}" for c in columns)
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(id) FROM areas_household")
        last_household = cursor.fetchone()[0]
        cursor.execute("SELECT max(id) FROM areas_resident")
        last_resident = cursor.fetchone()[0]
        if copies:
            cursor.execute(
                "INSERT INTO areas_household (area_id, number, address, created_at) "
                "SELECT area_id, number || '-' || g, address, created_at "
                "FROM areas_household, generate_series(1, %s) AS g WHERE id <= %s",
                [copies, last_household],
            )
            # A copied resident is the same person's encrypted numbers under a digest of its own
            # (the digest is unique).
            cursor.execute(
                f"INSERT INTO areas_resident (household_id, id_number_digest, {names}) "
                "SELECT c.id, md5(r.id_number_digest || '-' || g) || md5(g || '-' || "
                f"r.id_number_digest), {select} "
                "FROM areas_resident r JOIN areas_household h ON h.id = r.household_id "
                "CROSS JOIN generate_series(1, %s) AS g "
                "JOIN areas_household c "
                "ON c.area_id = h.area_id AND c.number = h.number || '-' || g "
                "WHERE r.id <= %s",
                [copies, last_resident],
            )
        cursor.execute("ANALYZE")
    counts = {"households": Household.objects.count(), "residents": Resident.objects.count()}
    say(
        f"registers filled to {counts['households']:,} households, {counts['residents']:,} "
        f"residents in {time.perf_counter() - started:.1f} s"
    )
    return counts


def build(url: str, scale: float, seed_scale: float) -> dict[str, Any]:
    """Migrate, seed at ``seed_scale``, fill the passages and the residents to ``scale``."""
    started = time.perf_counter()
    result = setup(url, scale, seed_scale)
    result.update(fill_residents(scale))
    result["setup_seconds"] = time.perf_counter() - started
    return result


def counts() -> dict[str, Any]:
    """The registers' sizes of a database set up by an earlier run (--reuse)."""
    from dualtrack.areas.models import Household, Resident
    from dualtrack.checkpoints.models import Passage

    return {
        "passages": Passage.objects.count(),
        "households": Household.objects.count(),
        "residents": Resident.objects.count(),
    }
