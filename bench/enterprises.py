"""Benchmarks of the enterprises app, each against a baseline measured in the same run.

    .venv/bin/python bench/enterprises.py [--database-url URL] [--scale 10] [--repeat 200]

1. Excel import, end to end (checking every row, encrypting ID numbers and phones, writing all
   or nothing) of 3,000 enterprises and a roster of 85,000 workers, against a bare openpyxl read
   of the same two files. Target: < 3×.
2. The district's resumption figures (figures_for, as the page and the API compute them) at
   scale 10 — 30,000 enterprises, 850,000 workers on duty — against the equivalent GROUP BY over
   the raw tables in one SQL statement. Target: p95 < 100 ms. The rows are generated directly in
   the bench database (COPY on PostgreSQL) without seeding the whole district; the figures read
   the daily reports (workers on duty), not the roster, so no roster rows are generated here.

The database is a throwaway: a SQLite file in a temporary directory (the default), or a
PostgreSQL database whose name contains "bench" (e.g. dt_bench_enterprises), dropped and
recreated. Nothing asserts timings; the script reports them.
"""

from __future__ import annotations

import argparse
import datetime
import io
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from run import _fresh_database, _machine  # noqa: E402

ENTERPRISES = 3_000
ROSTER_ROWS = 85_000
FIGURES_ENTERPRISES = 3_000  # × scale
FIGURES_WORKERS = 85_000  # × scale
REPORT_DAYS = 14
TOWN_NAMES = (
    "昌东镇",
    "麻丘镇",
    "艾溪湖管理处",
    "高新管理处",
    "瑶湖管理处",
    "鲤鱼洲管理处",
    "五星垦殖场",
)


def _p(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DEBUG"] = "0"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.IMPORT_MAX_BYTES = 200 * 1024 * 1024
    call_command("migrate", verbosity=0)


def _district() -> tuple[Any, list[Any]]:
    from dualtrack.areas.models import AreaKind
    from dualtrack.areas.services.tree import area_create, district_bootstrap
    from dualtrack.core.models import User

    admin = User.objects.create_user(username="bench_admin", password="x")
    root = district_bootstrap(name="南昌高新区", admin=admin)
    towns = [
        area_create(actor=admin, parent=root, kind=AreaKind.TOWN, name=name) for name in TOWN_NAMES
    ]
    return admin, towns


def _credit_code(n: int) -> str:
    from stdnum.cn import uscc

    body = f"91360100{n:08d}M"
    return body + uscc.calc_check_digit(body)


def _id_number(rng: random.Random, n: int) -> str:
    from stdnum.cn import ric

    birth = datetime.date(1970, 1, 1) + datetime.timedelta(days=rng.randrange(12_000))
    body = f"360121{birth:%Y%m%d}{n % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


def _workbooks(towns: list[Any]) -> tuple[bytes, bytes]:
    import openpyxl

    from dualtrack.enterprises.services.imports import ENTERPRISE_COLUMNS
    from dualtrack.enterprises.services.roster import ROSTER_COLUMNS

    rng = random.Random(2020)
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("企业")
    sheet.append([c.header for c in ENTERPRISE_COLUMNS])
    for n in range(ENTERPRISES):
        above = n < 200
        sheet.append(
            [
                _credit_code(n + 1),
                f"南昌测试{n}有限公司",
                rng.choice(towns).name,
                "张三",
                "李四",
                f"139{n:08d}",
                f"高新大道{n}号",
                "39" if above else rng.choice(("13", "39", "51", "52", "65", "72")),
                "是" if above else "否",
                "中型" if above else rng.choice(("小型", "微型")),
                "否",
                rng.randint(5, 300),
            ]
        )
    enterprises = io.BytesIO()
    book.save(enterprises)
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("花名册")
    sheet.append([c.header for c in ROSTER_COLUMNS])
    seen: set[str] = set()
    for n in range(ROSTER_ROWS):
        number = _id_number(rng, n)
        while number in seen:
            number = _id_number(rng, rng.randrange(10**6))
        seen.add(number)
        hubei = n % 50 == 0
        sheet.append(
            [
                f"工人{n}",
                number,
                f"13{n:09d}",
                number[:6],
                "420106" if hubei else "",
                datetime.date(2020, 2, 10) if hubei else None,
                "健康",
                "否",
                None,
            ]
        )
    roster = io.BytesIO()
    book.save(roster)
    return enterprises.getvalue(), roster.getvalue()


def _bare_read(data: bytes) -> int:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    rows = sum(1 for _ in book.worksheets[0].iter_rows(values_only=True))
    book.close()
    return rows


def bench_import(towns: list[Any], admin: Any) -> dict[str, Any]:
    from dualtrack.enterprises.models import Enterprise
    from dualtrack.enterprises.services.imports import enterprises_import
    from dualtrack.enterprises.services.roster import roster_import

    enterprises_xlsx, roster_xlsx = _workbooks(towns)
    baseline = []
    for _ in range(3):
        start = time.perf_counter()
        _bare_read(enterprises_xlsx)
        _bare_read(roster_xlsx)
        baseline.append(time.perf_counter() - start)
    start = time.perf_counter()
    report = enterprises_import(
        actor=admin, file=io.BytesIO(enterprises_xlsx), filename="enterprises.xlsx"
    )
    registry_seconds = time.perf_counter() - start
    assert report.imported == ENTERPRISES, report.errors[:3]
    target = Enterprise.objects.order_by("id").first()
    start = time.perf_counter()
    report = roster_import(
        actor=admin, enterprise=target, file=io.BytesIO(roster_xlsx), filename="roster.xlsx"
    )
    roster_seconds = time.perf_counter() - start
    assert report.imported == ROSTER_ROWS, report.errors[:3]
    bare = statistics.median(baseline)
    total = registry_seconds + roster_seconds
    return {
        "bare_read_s": bare,
        "registry_import_s": registry_seconds,
        "roster_import_s": roster_seconds,
        "import_s": total,
        "ratio": total / bare,
        "sizes_kb": (len(enterprises_xlsx) // 1024, len(roster_xlsx) // 1024),
    }


def _copy(model: Any, columns: tuple[str, ...], rows: list[tuple]) -> None:
    from django.db import connection

    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)


def _generate_figures_rows(towns: list[Any], scale: float) -> dict[str, int]:
    """30,000 enterprises (× scale/10), their filings, and 14 days of daily reports whose last
    day sums to 850,000 workers."""
    from django.db import connection
    from django.utils import timezone

    from dualtrack.areas.models import IndustrySector
    from dualtrack.enterprises.models import (
        DailyReport,
        Enterprise,
        IndustryDivision,
        ResumptionFiling,
    )

    rng = random.Random(10)
    n = int(FIGURES_ENTERPRISES * scale)
    workers = int(FIGURES_WORKERS * scale)
    divisions = list(IndustryDivision.objects.values_list("id", "sector_id"))
    sectors = dict(IndustrySector.objects.values_list("id", "code"))
    today = timezone.localdate()
    first_id = (Enterprise.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    enterprises, filings, reports = [], [], []
    resumed_ids = []
    for i in range(n):
        pk = first_id + i
        division, sector = rng.choice(divisions)
        above = i % 160 == 0 or (sectors[sector] == "C" and rng.random() < 0.04)
        resumed = above or rng.random() < 0.95
        resumed_on = today - datetime.timedelta(days=rng.randint(2, 25)) if resumed else None
        size = rng.choice(("medium", "large")) if above else rng.choice(("small", "micro", "small"))
        filed = resumed or rng.random() < 0.5
        submitted = timezone.now() - datetime.timedelta(days=30)
        enterprises.append(
            (
                pk,
                _credit_code(10_000_000 + i),
                f"企业{i}",
                rng.choice(towns).pk,
                "",
                "",
                "",
                "",
                "",
                division,
                sector,
                above,
                size,
                False,
                rng.randint(5, 60),
                "resumed" if resumed else "not_resumed",
                resumed_on,
                False,
                "",
                timezone.now(),
                submitted if filed else None,
                submitted if resumed else None,
            )
        )
        if filed:
            filings.append(
                (
                    pk, "strict", "town_then_group", "approved" if resumed else "town_review",
                    resumed_on or today, 10, 10, 10, True, "", "", "", True, "", "",
                    True, "张三", submitted, "[]", "", f"FGB{pk:08d}" if resumed else "",
                    submitted, submitted if resumed else None,
                )
            )  # fmt: skip
        if resumed:
            resumed_ids.append((pk, resumed_on))
    weights = [rng.uniform(0.5, 1.5) for _ in resumed_ids]
    total = sum(weights)
    counts = [max(1, int(workers * w / total)) for w in weights]
    counts[0] += workers - sum(counts)
    for (pk, resumed_on), final in zip(resumed_ids, counts, strict=True):
        for back in range(REPORT_DAYS, 0, -1):
            day = today - datetime.timedelta(days=back)
            if day >= resumed_on:
                reported = timezone.now()
                reports.append((pk, day, final if back == 1 else max(1, final * 3 // 4), reported))
    enterprise_columns = (
        "id", "credit_code", "name", "area_id", "legal_representative", "contact_name",
        "contact_phone", "contact_phone_digest", "address", "division_id", "sector_id",
        "above_scale", "size_class", "key_enterprise", "normal_workforce", "status", "resumed_on",
        "in_supervision_pool", "suspension_reason", "created_at", "first_filed_at",
        "first_approved_at",
    )  # fmt: skip
    filing_columns = (
        "enterprise_id", "phase", "route", "status", "planned_date", "workers_planned",
        "masks_days", "disinfectant_days", "temperature_checks", "disinfection_schedule",
        "canteen_measures", "dormitory_measures", "isolation_room", "prevention_officer",
        "plan_file", "commitment_signed", "commitment_signer", "commitment_signed_at", "gaps",
        "return_reason", "notice_number", "submitted_at", "decided_at",
    )  # fmt: skip
    _copy(Enterprise, enterprise_columns, enterprises)
    _copy(ResumptionFiling, filing_columns, filings)
    _copy(DailyReport, ("enterprise_id", "date", "workers_on_duty", "reported_at"), reports)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('enterprises_enterprise', 'id'), "
                "(SELECT max(id) FROM enterprises_enterprise))"
            )
        cursor.execute("ANALYZE")
    return {"enterprises": n, "filings": len(filings), "reports": len(reports), "workers": workers}


RAW_GROUP_BY = """
SELECT e.area_id, e.sector_id, e.size_class, e.above_scale,
       COUNT(*),
       COUNT(f.enterprise_id),
       COUNT(g.enterprise_id),
       SUM(CASE WHEN e.status = 'resumed' AND e.resumed_on <= %s THEN 1 ELSE 0 END),
       SUM(e.normal_workforce),
       SUM(r.workers_on_duty),
       COUNT(r.workers_on_duty)
FROM enterprises_enterprise e
LEFT JOIN (SELECT DISTINCT enterprise_id FROM enterprises_resumptionfiling) f
       ON f.enterprise_id = e.id
LEFT JOIN (SELECT DISTINCT enterprise_id FROM enterprises_resumptionfiling
           WHERE status IN ('approved', 'accepted')) g
       ON g.enterprise_id = e.id
LEFT JOIN enterprises_dailyreport r ON r.enterprise_id = e.id AND r.date = %s
GROUP BY e.area_id, e.sector_id, e.size_class, e.above_scale
"""


def bench_figures(towns: list[Any], admin: Any, scale: float, repeat: int) -> dict[str, Any]:
    from django.db import connection
    from django.utils import timezone

    from dualtrack.areas.models import Role
    from dualtrack.areas.services.organisation import role_grant_create
    from dualtrack.core.models import User
    from dualtrack.enterprises.figures import figures_for, snapshot_cells
    from dualtrack.enterprises.models import Enterprise
    from dualtrack.enterprises.services.reports import snapshot_freeze

    generated = _generate_figures_rows(towns, scale)
    today = timezone.localdate()
    start = time.perf_counter()
    for back in range(REPORT_DAYS, 0, -1):
        snapshot_freeze(date=today - datetime.timedelta(days=back))
    freeze_seconds = (time.perf_counter() - start) / REPORT_DAYS
    snapshot_freeze(date=today)  # today's working copy, as freeze_daily_snapshot builds it
    officer = User.objects.create_user(username="bench_town", password="x")
    role_grant_create(actor=admin, user=officer, role=Role.TOWN_OFFICER, area=towns[0])

    def raw() -> int:
        with connection.cursor() as cursor:
            cursor.execute(RAW_GROUP_BY, [today, today - datetime.timedelta(days=1)])
            return len(cursor.fetchall())

    def timed(fn: Any) -> list[float]:
        for _ in range(5):
            fn()
        samples = []
        for _ in range(repeat):
            t = time.perf_counter()
            fn()
            samples.append((time.perf_counter() - t) * 1000)
        return samples

    district = figures_for(user=User.objects.get(pk=admin.pk))
    assert district.total.workers_on_duty == generated["workers"], district.total.workers_on_duty
    page = timed(lambda: figures_for(user=User.objects.get(pk=admin.pk)))
    town = timed(lambda: figures_for(user=User.objects.get(pk=officer.pk)))
    baseline = timed(raw)
    registry = Enterprise.objects.all()
    counted = timed(
        lambda: snapshot_cells(
            registry, as_of=today, report_date=today - datetime.timedelta(days=1)
        )
    )
    return {
        **generated,
        "freeze_day_ms": freeze_seconds * 1000,
        "figures_p50": statistics.median(page),
        "figures_p95": _p(page, 0.95),
        "town_p95": _p(town, 0.95),
        "raw_p50": statistics.median(baseline),
        "raw_p95": _p(baseline, 0.95),
        "count_p95": _p(counted, 0.95),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--scale", type=float, default=10.0)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--only", choices=("import", "figures"), default="")
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/bench_enterprises.sqlite3"
    if url.startswith("postgres") and "bench" not in url.rsplit("/", 1)[-1]:
        raise SystemExit("Refusing a PostgreSQL database whose name lacks 'bench'.")
    _fresh_database(url)
    _setup(url)
    from django.db import connection

    machine = _machine()
    admin, towns = _district()
    print(f"enterprises bench on {connection.vendor}; machine: {machine}", flush=True)
    if args.only != "figures":
        _print_import(bench_import(towns, admin))
    if args.only != "import":
        _print_figures(bench_figures(towns, admin, args.scale, args.repeat), args)
    print(f"load after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def _print_import(imported: dict[str, Any]) -> None:
    print(
        f"Excel import: {ENTERPRISES:,} enterprises + {ROSTER_ROWS:,} roster rows "
        f"({imported['sizes_kb'][0]:,} + {imported['sizes_kb'][1]:,} KB) end to end "
        f"{imported['import_s']:.2f} s (registry {imported['registry_import_s']:.2f} s, "
        f"roster {imported['roster_import_s']:.2f} s) vs bare openpyxl read "
        f"{imported['bare_read_s']:.2f} s = {imported['ratio']:.2f}× (target < 3×)",
        flush=True,
    )


def _print_figures(figures: dict[str, Any], args: argparse.Namespace) -> None:
    print(
        f"Figures at scale {args.scale:g}: {figures['enterprises']:,} enterprises, "
        f"{figures['filings']:,} filings, {figures['reports']:,} daily reports, "
        f"{figures['workers']:,} workers on duty; {args.repeat} runs each.\n"
        f"  figures_for (district): p50 {figures['figures_p50']:.1f} ms, "
        f"p95 {figures['figures_p95']:.1f} ms (target < 100 ms)\n"
        f"  figures_for (one town): p95 {figures['town_p95']:.1f} ms\n"
        f"  raw GROUP BY baseline:  p50 {figures['raw_p50']:.1f} ms, "
        f"p95 {figures['raw_p95']:.1f} ms → ratio p95 "
        f"{figures['figures_p95'] / figures['raw_p95']:.2f}×\n"
        f"  counting the registry without the working copy: p95 {figures['count_p95']:.1f} ms\n"
        f"  freeze_daily_snapshot: {figures['freeze_day_ms']:.0f} ms a day",
        flush=True,
    )


if __name__ == "__main__":
    main()
