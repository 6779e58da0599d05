"""Benchmark of the daily briefing (issue 18).

    .venv/bin/python bench/command.py [--scale 10] [--database-url sqlite:////tmp/dt_bench_command.db]
        [--repeat 3]

The demo district is seeded at ``--scale`` into a fresh database, then:

1. Freezing the 24:00 snapshot of yesterday (every app's figures for the district and each town,
   through the platform registry): seconds (best of ``--repeat``) and each app's share, against
   the same figures read once for the district alone (``platform.figures_for``) in the same run.
2. The briefing as .docx and as PDF from the frozen snapshot: seconds each (best of
   ``--repeat``), against the 2 s target.

A SQLite file is deleted first; a PostgreSQL database is dropped and recreated (its name must
contain "bench").
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "sqlite:////tmp/dt_bench_command.db"


def _recreate(url: str) -> None:
    if url.startswith("sqlite"):
        Path(urlsplit(url).path).unlink(missing_ok=True)
        return
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if "bench" not in name:
        sys.exit(f"Refusing to use {name!r}: a benchmark database's name contains 'bench'.")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _best(repeat: int, work):  # type: ignore[no-untyped-def]
    times = []
    result = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - started)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=10.0)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    _recreate(args.database_url)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from run import _machine  # bench/run.py, not edited

    from dualtrack.areas.models import Area
    from dualtrack.command.documents import briefing_docx, briefing_pdf
    from dualtrack.command.models import Briefing
    from dualtrack.command.services.snapshots import reader_for, snapshot_freeze
    from dualtrack.core import platform
    from dualtrack.demo.seed import seed_district

    print(f"machine: {_machine()}")
    started = time.perf_counter()
    seeded = seed_district(scale=args.scale)
    print(
        f"seeded scale {args.scale:g}: {seeded.rows} rows in {time.perf_counter() - started:.1f} s"
    )
    day = timezone.localdate() - datetime.timedelta(days=1)
    root = Area.objects.get(code="GX")
    towns = Area.objects.filter(kind="town").count()

    baseline, _ = _best(args.repeat, lambda: platform.figures_for(user=reader_for(root), day=day))
    frozen, snapshot = _best(args.repeat, lambda: snapshot_freeze(actor=None, day=day))
    total = sum(snapshot.timings.values()) or 1.0
    print(f"1. freeze {day} (district + {towns} towns): {frozen:.2f} s")
    print(f"   baseline, the district's figures once: {baseline:.3f} s")
    print(f"   ratio {frozen / baseline:.1f}×")
    for label, seconds in sorted(snapshot.timings.items(), key=lambda kv: -kv[1]):
        print(f"   {label:12s} {seconds:7.3f} s  {100 * seconds / total:5.1f} %")

    briefing = Briefing.objects.filter(snapshot=snapshot).order_by("-number").first()
    if briefing is None:
        sys.exit("The demo left no briefing of yesterday.")
    docx_s, docx = _best(args.repeat, lambda: briefing_docx(briefing))
    pdf_s, pdf = _best(args.repeat, lambda: briefing_pdf(briefing))
    print(f"2. briefing No. {briefing.number} from the snapshot:")
    print(
        f"   .docx {docx_s:.3f} s ({len(docx) // 1024} KiB), {docx_s / 2.0:.2f} of the 2 s target"
    )
    print(f"   PDF   {pdf_s:.3f} s ({len(pdf) // 1024} KiB), {pdf_s / 2.0:.2f} of 2 s")


if __name__ == "__main__":
    main()
