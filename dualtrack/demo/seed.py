"""``seed_district``: the demo's steps, in the one order they run.

Each step is a module's ``seed(seeder)``; none imports another. The district comes first (the tree,
the organisation, the persona logins), then its households and residents, then the operational
apps on top of them: checkpoints, enterprises, and supplies, whose ledgers name checkpoints and
enterprises among their holders; then the employment services, whose hires join the enterprises'
rosters; and last the early warning, computed from the records of all the steps before it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection, transaction

from dualtrack.core.audit import audit_record
from dualtrack.core.models import AuditAction
from dualtrack.core.partitions import DEFAULT_MONTHS_AHEAD, ensure_partitions
from dualtrack.demo import (
    checkpoints,
    command,
    district,
    enterprises,
    households,
    investment,
    jobs,
    prediction,
    services,
    subsidies,
    supplies,
    volunteers,
)
from dualtrack.demo.health import cases as health_cases
from dualtrack.demo.health import quarantine
from dualtrack.demo.health import screening as health_screening
from dualtrack.demo.seeder import (
    DEFAULT_SEED,
    MAX_SCALE,
    MIN_SCALE,
    Seeder,
    SeedResult,
    demo_password,
)

STEPS: tuple[Callable[[Seeder], None], ...] = (
    district.seed,
    households.seed,
    checkpoints.seed,
    enterprises.seed,
    supplies.seed,
    health_screening.seed,
    quarantine.seed,
    health_cases.seed,
    jobs.seed,
    services.seed,
    investment.seed,
    volunteers.seed,
    subsidies.seed,  # after jobs: its offers pay on the hires, tickets and introducers
    prediction.seed,  # the early warning reads the records of the steps before it
    command.seed,  # last: the daily briefings freeze every app's figures
)


def seed_district(
    *,
    scale: float = 1.0,
    seed: int = DEFAULT_SEED,
    password: str | None = None,
    progress: Callable[[str], None] = lambda message: None,
) -> SeedResult:
    """Build the demo district in an empty database, in one transaction."""
    if not MIN_SCALE <= scale <= MAX_SCALE:
        raise ValueError(f"The scale must lie between {MIN_SCALE:g} and {MAX_SCALE:g}.")
    seeder = Seeder(scale=scale, seed=seed, password=password or demo_password(), progress=progress)
    with transaction.atomic():
        for step in STEPS:
            step(seeder)
        audit_record(
            actor=None,
            action=AuditAction.IMPORT,
            instance=seeder.root,
            area_code=seeder.root.code,
            after=dict(seeder.counts),
            note=f"seed_demo scale {seeder.scale:g}",
        )
    # The district's past weeks may lie in last month: on PostgreSQL they wait in the
    # registers' default partition until their month is made (as the daily command does).
    ensure_partitions(months_ahead=DEFAULT_MONTHS_AHEAD)
    _refresh_statistics(seeder)
    return SeedResult(counts=seeder.counts, seconds=seeder.seconds())


def _refresh_statistics(seeder: Seeder) -> None:
    # Without statistics on the freshly loaded tables, PostgreSQL estimates one area per
    # scope and plans a town's resident page as a sort of every resident of the town;
    # autovacuum would analyse them only later.
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA analysis_limit=1000")
        cursor.execute("ANALYZE")
    seeder.say("planner statistics refreshed")
