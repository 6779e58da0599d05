"""Benchmarks of the employment services, each against a baseline measured in the same run.

    .venv/bin/python bench/jobs.py [--database-url URL] [--postings 10000] [--repeat 200]
                                   [--rounds 3]

1. The public fair page (/fairs/<id>/, rendered whole through Django, as a phone gets it) over a
   fair of 10,000 postings, filtered (industry, town, pay, keywords) and paged by keyset, first
   pages and deep pages: p95 against a keyset page of the postings table alone (the ORM query the
   page's list is built on, without filters, joins or rendering). Target: p95 < 100 ms.
2. Applications under load through gunicorn: a job seeker's whole application (the form, then
   the one-time code, two requests) at 8 and 32 connections, against ``GET /api/account/me`` (the
   stack's floor: a token, the scope, a JSON answer) in the same run, in ``--rounds`` (3) rounds
   of each in turn. Target: applications requests/s at least 0.6× the floor's.

The database is a throwaway PostgreSQL database whose name contains "bench" (dropped and
recreated), seeded with a small demo district (scale 0.05) and the postings. The public routes'
rate limits are lifted for the run (every client is 127.0.0.1). Nothing asserts timings.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

import checkpoints_setup as cs  # noqa: E402
from run import _fresh_database, _machine  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/dt_bench_employment"
CONCURRENCY = (8, 32)
# A gunicorn worker imports the URLconf at its first request: on a busy machine that took over
# 30 seconds, so the clients wait as long as gunicorn lets a request run (its --timeout).
CLIENT_TIMEOUT = 120
APPLICATIONS_PER_CLIENT = {8: 60, 32: 25}
# Applications before the measured rounds, after which the tables are analyzed (see _analyze).
WARM_APPLICATIONS = 80
WORDS = ("普工", "焊工", "电工", "质检", "叉车", "装配", "仓管", "数控")


def _setup(postings: int) -> dict[str, Any]:
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from dualtrack.demo.jobs import JOBS
    from dualtrack.demo.seed import seed_district
    from dualtrack.enterprises.models import Enterprise
    from dualtrack.jobs.models import Fair, Posting

    call_command("migrate", verbosity=0)
    seed_district(scale=0.05, progress=cs.say)
    today = timezone.localdate()
    fair = Fair.objects.create(
        title="基准招聘会",
        starts_on=today - datetime.timedelta(days=3),
        ends_on=today + datetime.timedelta(days=20),
    )
    enterprises = list(Enterprise.objects.select_related("area"))
    fair.enterprises.set(enterprises)
    rng = random.Random(2020)
    rows = []
    for n in range(postings):
        e = rng.choice(enterprises)
        title, requirements = rng.choice(JOBS)
        low = rng.randrange(3000, 8000, 500)
        rows.append(
            Posting(
                enterprise=e,
                fair=fair,
                title=f"{title}{n % 7 or ''}",
                positions=rng.choice((5, 10, 20, 50)),
                pay_min=low,
                pay_max=low + rng.randrange(500, 4000, 500),
                requirements=requirements,
                place=e.area.name,
                town=e.area,
                sector_id=e.sector_id,
                contact_name="人事部",
                contact_phone="13907910000",
            )
        )
    Posting.objects.bulk_create(rows, batch_size=2000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"fair": fair.pk, "postings": Posting.objects.filter(fair=fair).count()}


def _queries(fair_id: int) -> list[str]:
    """Filter combinations a job seeker uses, first pages and a deep keyset page of each."""
    from dualtrack.areas.models import Area, AreaKind, IndustrySector
    from dualtrack.jobs.models import Posting

    towns = list(Area.objects.filter(kind=AreaKind.TOWN).values_list("pk", flat=True))
    sectors = list(
        IndustrySector.objects.filter(
            pk__in=Posting.objects.filter(fair_id=fair_id).values("sector_id")
        ).values_list("pk", flat=True)
    )
    rng = random.Random(7)
    deep = Posting.objects.filter(fair_id=fair_id).order_by("pk").values_list("pk", flat=True)
    middle = deep[len(deep) // 2]
    queries = [""]
    for _ in range(60):
        parts = []
        if rng.random() < 0.5:
            parts.append(f"industry={rng.choice(sectors)}")
        if rng.random() < 0.5:
            parts.append(f"town={rng.choice(towns)}")
        if rng.random() < 0.4:
            parts.append(f"pay={rng.choice((4000, 6000, 8000))}")
        if rng.random() < 0.5:
            parts.append(f"q={rng.choice(WORDS)}")
        if rng.random() < 0.3:
            parts.append(f"after={middle}")
        queries.append("&".join(parts))
    return queries


def bench_page(fair_id: int, repeat: int) -> dict[str, Any]:
    from django.test import Client

    from dualtrack.jobs.models import Posting, PostingStatus

    client = Client()
    queries = _queries(fair_id)
    for q in queries:  # warm up
        assert client.get(f"/fairs/{fair_id}/?{q}").status_code == 200
    page, base = [], []
    for i in range(repeat):
        q = queries[i % len(queries)]
        started = time.perf_counter()
        response = client.get(f"/fairs/{fair_id}/?{q}")
        page.append(time.perf_counter() - started)
        assert response.status_code == 200
        after = int(q.split("after=")[1].split("&")[0]) if "after=" in q else 0
        started = time.perf_counter()
        qs = Posting.objects.filter(fair_id=fair_id, status=PostingStatus.OPEN)
        list((qs.filter(pk__lt=after) if after else qs).order_by("-pk")[:21])
        base.append(time.perf_counter() - started)
    return {"page_ms": cs._ms(page), "baseline_ms": cs._ms(base), "queries": len(queries)}


def _identities(n: int) -> list[tuple[str, str]]:
    from stdnum.cn import ric

    people = []
    day = datetime.date(1975, 1, 1)
    while len(people) < n:
        for order in range(1, 1000, 7):
            body = f"360121{day:%Y%m%d}{order:03d}"
            people.append((body + ric.calc_check_digit(body + "0"), f"139{len(people):08d}"))
        day += datetime.timedelta(days=1)
    return people[:n]


def _apply_worker(args: tuple[int, list[int], list[tuple[str, str]]]) -> list[float]:
    """One connection: each application is the form and then the code; their latencies."""
    import http.client

    port, posting_ids, people = args
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=CLIENT_TIMEOUT)
    headers = {"Content-Type": "application/json"}
    samples = []
    for i, (id_number, mobile) in enumerate(people):
        posting = posting_ids[i % len(posting_ids)]
        body = json.dumps({"name": "张三", "id_number": id_number, "mobile": mobile})
        started = time.perf_counter()
        conn.request(
            "POST", f"/api/employment/public/postings/{posting}/applications", body, headers
        )
        response = conn.getresponse()
        issued = json.loads(response.read())
        if response.status != 202:
            raise RuntimeError(f"apply: {response.status} {issued}")
        conn.request(
            "POST", "/api/employment/public/applications/verify", json.dumps(issued), headers
        )
        response = conn.getresponse()
        response.read()
        if response.status != 200:
            raise RuntimeError(f"verify: {response.status}")
        samples.append(time.perf_counter() - started)
    conn.close()
    return samples


def _analyze() -> None:
    """What autovacuum does in production once 50 rows of a table have changed (the default
    threshold); this machine's PostgreSQL runs with autovacuum off. Without it the one-time
    codes' table keeps the statistics it had when the seeding left it empty, and the code's
    statement, prepared by each connection, kept a plan that read the whole table at every
    code entered (3,880 sequential scans of up to 3,880 rows in a run, measured): the first
    run after a seeding measured the stale statistics, a second run in the same database did
    not (0.59 then 0.82 of the floor, the same code)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def bench_load(url: str, fair_id: int, rounds: int) -> dict[str, Any]:
    """At each concurrency, ``rounds`` rounds of the applications and then ``/me``, one after
    the other: on a machine shared with other work, load that comes and goes falls on both
    paths alike, and the ratio is taken from their totals over the rounds (and per round)."""
    from dualtrack.jobs.models import Posting

    token = cs._token()
    posting_ids = list(Posting.objects.filter(fair_id=fair_id).values_list("pk", flat=True)[:2000])
    total = sum(c * APPLICATIONS_PER_CLIENT[c] for c in CONCURRENCY) * rounds + WARM_APPLICATIONS
    people = _identities(total)
    results: dict[str, Any] = {"workers": cs.GUNICORN_WORKERS, "rounds": rounds}
    os.environ.update(
        {
            "JOBS_PUBLIC_RATE": "100000000/m",
            "JOBS_CODES_PER_MOBILE": "100000000/h",
            "JOBS_CODE_SENDER": "shown",
        }
    )
    with cs._gunicorn(url) as port:
        warm = [people.pop() for _ in range(WARM_APPLICATIONS)]
        cs._pool_map(_apply_worker, [(port, posting_ids, warm[i::4]) for i in range(4)])
        _analyze()
        for concurrency in CONCURRENCY:
            per_client = APPLICATIONS_PER_CLIENT[concurrency]
            samples, me, seconds, me_seconds, per_round = [], [], 0.0, 0.0, []
            for _round in range(rounds):
                jobs = []
                for _ in range(concurrency):
                    jobs.append((port, posting_ids, [people.pop() for _ in range(per_client)]))
                parts, app_s = cs._pool_map(_apply_worker, jobs)
                me_parts, me_s = cs._pool_map(
                    _me_worker, [(port, token, per_client * 2)] * concurrency
                )
                done = [s for part in parts for s in part]
                me_done = [s for part in me_parts for s in part]
                samples += done
                me += me_done
                seconds += app_s
                me_seconds += me_s
                per_round.append(round((2 * len(done) / app_s) / (len(me_done) / me_s), 3))
            results[str(concurrency)] = {
                "applications": len(samples),
                "applications_per_s": len(samples) / seconds,
                "requests_per_s": 2 * len(samples) / seconds,
                "application_ms": cs._ms(samples),
                "me_per_s": len(me) / me_seconds,
                "me_ms": cs._ms(me),
                "ratio_requests_to_me_per_round": per_round,
            }
            cs.say(f"applications at {concurrency}: {results[str(concurrency)]}")
    return results


def _me_worker(args: tuple[int, str, int]) -> list[float]:
    import http.client

    port, token, n = args
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=CLIENT_TIMEOUT)
    samples = []
    for _ in range(n):
        started = time.perf_counter()
        conn.request("GET", "/api/account/me", None, {"Authorization": f"Bearer {token}"})
        response = conn.getresponse()
        response.read()
        samples.append(time.perf_counter() - started)
        if response.status != 200:
            raise RuntimeError(f"me: {response.status}")
    conn.close()
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--postings", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=300)
    parser.add_argument("--skip-load", action="store_true")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    _fresh_database(args.database_url)
    cs._django(args.database_url)
    started = time.perf_counter()
    setup = _setup(args.postings)
    cs.say(f"setup: {setup} in {time.perf_counter() - started:.1f} s")
    report: dict[str, Any] = {"machine": _machine(), "setup": setup}
    page = bench_page(setup["fair"], args.repeat)
    page["ratio_p95"] = page["page_ms"]["p95"] / page["baseline_ms"]["p95"]
    report["fair_page"] = page
    cs.say(f"fair page: {page}")
    if not args.skip_load:
        load = bench_load(args.database_url, setup["fair"], args.rounds)
        for c in CONCURRENCY:
            row = load[str(c)]
            row["ratio_requests_to_me"] = row["requests_per_s"] / row["me_per_s"]
            row["ratio_applications_to_me"] = row["applications_per_s"] / row["me_per_s"]
        report["load"] = load
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
