"""Benchmarks of the health app's screening campaigns (issue 13), each against a baseline
measured in the same run, on PostgreSQL.

    .venv/bin/python bench/health_screening.py [--database-url URL] [--scale 10] [--rows 5000]

1. Screening sync: visits/s (and residents' records/s) of one batch of --rows visits through
   ``visits_sync`` — checking every row against the scope, the campaign and the household's
   residents, the bulk inserts, the coverage counters' F() updates and the alerts — against a
   psycopg COPY of the same visits and records into the same tables (the visits' ids read back
   by client id for the records), in the same run, each into a campaign of its own.
2. Coverage of a campaign per town at --scale (1,000,000 residents at scale 10): p95 of the
   selector (sums of the maintained counters over area-code prefixes, with the user's scope
   built as a request builds it) against the same figures recounted from the households,
   residents, visits and records.

The district is the demo's: its tree and organisation, its households and residents at
--scale, and its screening campaign (the demo's own step, 98 % visited) — the demo's other
steps (checkpoints, enterprises, supplies) are left out, as this benchmark reads none of them.
The database is dropped and recreated: its name must contain "bench".
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/dt_bench_screening"
COVERAGE_SAMPLES = 300
RECOUNT_SAMPLES = 10


def _p(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def say(message: str) -> None:
    print(message, flush=True)


def _seed(scale: float) -> tuple[Any, float]:
    from django.db import connection, transaction

    from dualtrack.demo import district, households
    from dualtrack.demo.health import screening
    from dualtrack.demo.seeder import DEFAULT_SEED, Seeder, demo_password

    started = time.perf_counter()
    seeder = Seeder(scale=scale, seed=DEFAULT_SEED, password=demo_password(), progress=say)
    with transaction.atomic():
        district.seed(seeder)
        households.seed(seeder)
        screening.seed(seeder)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return seeder, time.perf_counter() - started


def _rows(campaign: Any, households: list[Any], members: dict[int, list[int]]) -> list[dict]:
    from django.utils import timezone

    now = timezone.now().isoformat()
    return [
        {
            "client_id": str(uuid.uuid4()),
            "campaign_id": campaign.pk,
            "household_id": h,
            "outcome": "visited",
            "visited_at": now,
            "records": [
                {"resident_id": r, "present": True, "temperature": "36.5"} for r in members[h]
            ],
        }
        for h in households
    ]


def _campaign(admin: Any, root: Any, name: str) -> Any:
    import datetime

    from django.utils import timezone

    from dualtrack.health.services.screening import campaign_open

    today = timezone.localdate()
    return campaign_open(
        actor=admin,
        name=name,
        starts_on=today - datetime.timedelta(days=1),
        ends_on=today + datetime.timedelta(days=1),
        areas=[root],
    )


def bench_sync(seeder: Any, n: int) -> dict[str, str]:
    from django.db import connection

    from dualtrack.areas.models import Household, Resident
    from dualtrack.core.models import User
    from dualtrack.health.models import HouseholdVisit, ScreeningRecord
    from dualtrack.health.services.screening import visits_sync

    admin = seeder.users["admin"]
    started = time.perf_counter()
    sync_campaign = _campaign(admin, seeder.root, "基准：同步")
    opened = time.perf_counter() - started
    copy_campaign = _campaign(admin, seeder.root, "基准：COPY")
    chosen = list(Household.objects.order_by("?").values_list("id", flat=True)[:n])
    members: dict[int, list[int]] = {h: [] for h in chosen}
    for pk, household_id in Resident.objects.filter(household_id__in=chosen).values_list(
        "id", "household_id"
    ):
        members[household_id].append(pk)
    records = sum(len(m) for m in members.values())

    rows = _rows(sync_campaign, chosen, members)
    actor = User.objects.get(pk=admin.pk)
    started = time.perf_counter()
    report = visits_sync(actor=actor, rows=rows)
    sync_seconds = time.perf_counter() - started
    assert all(r["outcome"] == "created" for r in report.results)

    copy_rows = _rows(copy_campaign, chosen, members)
    started = time.perf_counter()
    _copy(copy_campaign, copy_rows, seeder)
    copy_seconds = time.perf_counter() - started
    assert HouseholdVisit.objects.filter(campaign=copy_campaign).count() == n
    assert ScreeningRecord.objects.filter(campaign=copy_campaign).count() == records
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {
        "sync batch": f"{n:,} visits, {records:,} residents' records",
        "campaign open (counters counted once)": f"{opened * 1000:.0f} ms",
        "visits_sync": f"{sync_seconds:.2f} s = {n / sync_seconds:,.0f} visits/s "
        f"({records / sync_seconds:,.0f} records/s)",
        "COPY baseline": f"{copy_seconds:.2f} s = {n / copy_seconds:,.0f} visits/s "
        f"({records / copy_seconds:,.0f} records/s)",
        "sync / COPY": f"{copy_seconds / sync_seconds:.2f} (sync takes "
        f"{sync_seconds / copy_seconds:.1f}× COPY's time)",
    }


def _copy(campaign: Any, rows: list[dict], seeder: Any) -> None:
    """The same visits and records, COPYed into the same tables in one transaction."""
    import psycopg
    from django.conf import settings
    from django.utils import timezone

    from dualtrack.areas.models import Household
    from dualtrack.health.models import HouseholdVisit, ScreeningRecord

    db = settings.DATABASES["default"]
    dsn = f"host={db['HOST']} port={db['PORT'] or 5432} dbname={db['NAME']} user={db['USER']}"
    area_of = dict(
        Household.objects.filter(id__in=[r["household_id"] for r in rows]).values_list(
            "id", "area_id"
        )
    )
    now = timezone.now()
    actor = seeder.users["admin"].pk
    visits = HouseholdVisit._meta.db_table
    records = ScreeningRecord._meta.db_table
    with psycopg.connect(dsn) as conn, conn.cursor() as cursor:
        with cursor.copy(
            f"COPY {visits} (campaign_id, household_id, area_id, client_id, outcome, visited_at, "
            "received_at, note, recorded_by_id) FROM STDIN"
        ) as copy:
            for r in rows:
                copy.write_row(
                    (
                        campaign.pk,
                        r["household_id"],
                        area_of[r["household_id"]],
                        r["client_id"],
                        "visited",
                        now,
                        now,
                        "",
                        actor,
                    )
                )
        cursor.execute(
            f"SELECT client_id, id FROM {visits} WHERE campaign_id = %s",
            [campaign.pk],
        )
        ids = {str(cid): pk for cid, pk in cursor.fetchall()}
        with cursor.copy(
            f"COPY {records} (campaign_id, visit_id, resident_id, area_id, present, whereabouts, "
            "returned_from_code, returned_from_name, symptoms, temperature, is_fever, "
            "from_risk_area, recorded_at) FROM STDIN"
        ) as copy:
            for r in rows:
                visit = ids[r["client_id"]]
                area = area_of[r["household_id"]]
                for rec in r["records"]:
                    copy.write_row(
                        (
                            campaign.pk,
                            visit,
                            rec["resident_id"],
                            area,
                            True,
                            "",
                            "",
                            "",
                            "",
                            "36.5",
                            False,
                            False,
                            now,
                        )
                    )
        conn.commit()


_RECOUNT = """
SELECT
  (SELECT count(*) FROM areas_household h JOIN areas_area a ON a.id = h.area_id
    WHERE a.code LIKE %(like)s),
  (SELECT count(DISTINCT v.household_id) FROM health_householdvisit v
    JOIN areas_area a ON a.id = v.area_id
    WHERE v.campaign_id = %(campaign)s AND v.outcome = 'visited' AND a.code LIKE %(like)s),
  (SELECT count(*) FROM areas_resident r JOIN areas_area a ON a.id = r.area_id
    WHERE a.code LIKE %(like)s),
  (SELECT count(*) FROM health_screeningrecord s JOIN areas_area a ON a.id = s.area_id
    WHERE s.campaign_id = %(campaign)s AND a.code LIKE %(like)s)
"""


def bench_coverage(seeder: Any) -> dict[str, str]:
    from django.db import connection

    from dualtrack.areas.models import Area, AreaKind, Resident
    from dualtrack.core.models import User
    from dualtrack.health.models import Campaign
    from dualtrack.health.selectors.screening import coverage_for

    campaign = Campaign.objects.order_by("id").first()
    admin_id = seeder.users["admin"].pk
    towns = list(Area.objects.filter(kind=AreaKind.TOWN).order_by("code"))
    samples: list[float] = []
    for i in range(COVERAGE_SAMPLES):
        town = towns[i % len(towns)]
        started = time.perf_counter()
        user = User.objects.get(pk=admin_id)  # a request's user: the scope built afresh
        report = coverage_for(user=user, campaign=campaign, area=town)
        samples.append(time.perf_counter() - started)
    district = coverage_for(user=User.objects.get(pk=admin_id), campaign=campaign)
    recount: list[float] = []
    with connection.cursor() as cursor:
        for i in range(RECOUNT_SAMPLES):
            town = towns[i % len(towns)]
            started = time.perf_counter()
            cursor.execute(_RECOUNT, {"like": town.code + "%", "campaign": campaign.pk})
            counted = cursor.fetchone()
            recount.append(time.perf_counter() - started)
        report = coverage_for(user=User.objects.get(pk=admin_id), campaign=campaign, area=town)
        assert counted == (
            report.total.households_total,
            report.total.households_visited,
            report.total.residents_total,
            report.total.residents_covered,
        ), (counted, report.total)
    return {
        "residents": f"{Resident.objects.count():,}",
        "coverage district-wide": f"{district.total.households_visited:,} of "
        f"{district.total.households_total:,} households "
        f"({district.total.households_percent} %)",
        "coverage per town (selector) p50 / p95": f"{statistics.median(samples) * 1000:.1f} / "
        f"{_p(samples, 0.95) * 1000:.1f} ms ({COVERAGE_SAMPLES} reads)",
        "recount per town (baseline) p50 / p95": f"{statistics.median(recount) * 1000:.0f} / "
        f"{_p(recount, 0.95) * 1000:.0f} ms ({RECOUNT_SAMPLES} reads)",
        "recount p95 / selector p95": f"{_p(recount, 0.95) / _p(samples, 0.95):.0f}×",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--scale", type=float, default=10.0)
    parser.add_argument("--rows", type=int, default=5000)
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        sys.exit("This benchmark needs PostgreSQL (its baseline is COPY).")
    from run import _fresh_database, _machine

    _fresh_database(args.database_url)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, stdout=io.StringIO())
    say(f"machine: {_machine()}")
    seeder, seconds = _seed(args.scale)
    say(f"seeded scale {args.scale:g} in {seconds:.0f} s")
    results: dict[str, str] = {}
    for part in (lambda: bench_sync(seeder, args.rows), lambda: bench_coverage(seeder)):
        figures = part()
        figures["load average"] = " ".join(f"{x:.1f}" for x in os.getloadavg())
        for key, value in figures.items():
            say(f"  {key}: {value}")
        results.update(figures)


if __name__ == "__main__":
    main()
