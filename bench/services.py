"""Booking the last places of an appointment slot (预约办), against a baseline in the same run.

    .venv/bin/python bench/services.py [--database-url URL] [--rounds 20] [--callers 50]

Through gunicorn (sync workers, as production serves): in each round a fresh slot of 10 places
is opened and 50 clients (threads, each with its own connection, released together by a
barrier) book it at the same moment through ``POST /api/services/public/bookings``. Exactly 10
must succeed and 40 be refused as full (409), and the slot's counter must read 10: the run stops
with an error otherwise. Reported: bookings answered per second (all 50 attempts of a round,
successful or refused, over the round's wall time) and successful bookings per second, against
``GET /api/account/me`` (the stack's floor: a token, the scope, a JSON answer) from 50 clients at
once in the same run.

The database is a throwaway PostgreSQL database whose name contains "bench" (dropped and
recreated), holding only the district's root, one department and one counter. The public rate
limit is lifted for the run (every client is 127.0.0.1). Nothing asserts timings.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

import checkpoints_setup as cs  # noqa: E402
from run import _fresh_database, _machine  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/dt_bench_services"
PLACES = 10


def _setup() -> dict[str, Any]:
    from django.core.management import call_command

    from dualtrack.areas.services.tree import district_bootstrap
    from dualtrack.core.models import User
    from dualtrack.services.services.catalogue import counter_create, department_create

    call_command("migrate", verbosity=0)
    admin = User.objects.create_user(username="admin", password="bench-only", display_name="管理员")
    root = district_bootstrap(name="南昌高新区", admin=admin)
    department = department_create(actor=admin, name="区行政审批局", area=root, staff=[admin])
    counter = counter_create(actor=admin, department=department, name="综合窗口")
    return {"counter": counter.pk}


def _open_slot(counter_id: int, n: int) -> int:
    from django.utils import timezone

    from dualtrack.core.models import User
    from dualtrack.services.models import Counter
    from dualtrack.services.services.bookings import slot_open

    start = datetime.time(8 + n // 12, (n % 12) * 5)
    slot = slot_open(
        actor=User.objects.get(username="admin"),
        counter=Counter.objects.get(pk=counter_id),
        day=timezone.localdate() + datetime.timedelta(days=1),
        starts_at=start,
        ends_at=datetime.time(23, 59),
        capacity=PLACES,
    )
    return slot.pk


Request = tuple[str, str, str | None, dict[str, str]]


def _at_once(port: int, requests: Sequence[Request]) -> tuple[list[int], float]:
    """Send each request from its own thread and connection, all released together."""
    statuses: list[int] = [0] * len(requests)
    connections = [http.client.HTTPConnection("127.0.0.1", port, timeout=60) for _ in requests]
    for conn in connections:
        conn.connect()
    barrier = threading.Barrier(len(requests) + 1)

    def run(i: int) -> None:
        method, path, body, headers = requests[i]
        barrier.wait()
        connections[i].request(method, path, body, headers)
        response = connections[i].getresponse()
        response.read()
        statuses[i] = response.status

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(requests))]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join(120)
    seconds = time.perf_counter() - started
    for conn in connections:
        conn.close()
    return statuses, seconds


def bench(url: str, counter_id: int, rounds: int, callers: int) -> dict[str, Any]:
    from dualtrack.services.models import Slot

    token = cs._token()
    os.environ["SERVICES_PUBLIC_RATE"] = "100000000/m"
    json_headers = {"Content-Type": "application/json"}
    me_headers = {"Authorization": f"Bearer {token}"}
    booking_seconds, me_seconds, attempts, me_answers = 0.0, 0.0, 0, 0
    per_round = []
    with cs._gunicorn(url) as port:
        _at_once(port, [("GET", "/api/account/me", None, me_headers)] * callers)  # warm up
        for n in range(rounds):
            slot_id = _open_slot(counter_id, n)
            requests: list[Request] = [
                (
                    "POST",
                    "/api/services/public/bookings",
                    json.dumps(
                        {"slot_id": slot_id, "name": f"申请人{i}", "mobile": f"139{n:04d}{i:04d}"}
                    ),
                    json_headers,
                )
                for i in range(callers)
            ]
            statuses, seconds = _at_once(port, requests)
            ok, full = statuses.count(201), statuses.count(409)
            booked = Slot.objects.get(pk=slot_id).booked
            if ok != PLACES or full != callers - PLACES or booked != PLACES:
                raise SystemExit(f"round {n}: {ok} booked, {full} full, counter {booked}")
            per_round.append(seconds)
            booking_seconds += seconds
            attempts += callers
            me, seconds = _at_once(port, [("GET", "/api/account/me", None, me_headers)] * callers)
            if set(me) != {200}:
                raise SystemExit(f"me: {set(me)}")
            me_seconds += seconds
            me_answers += callers
    return {
        "workers": cs.GUNICORN_WORKERS,
        "rounds": rounds,
        "callers": callers,
        "places": PLACES,
        "every_round_booked_exactly": PLACES,
        "bookings_answered_per_s": attempts / booking_seconds,
        "bookings_succeeded_per_s": rounds * PLACES / booking_seconds,
        "me_per_s": me_answers / me_seconds,
        "round_ms": cs._ms(per_round),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--callers", type=int, default=50)
    args = parser.parse_args()
    if args.database_url.startswith("sqlite"):
        raise SystemExit("This benchmark races bookings on PostgreSQL; give a postgres:// URL.")
    _fresh_database(args.database_url)
    cs._django(args.database_url)
    setup = _setup()
    report: dict[str, Any] = {"machine": _machine(), "server": "gunicorn (sync workers)"}
    result = bench(args.database_url, setup["counter"], args.rounds, args.callers)
    result["ratio_answered_to_me"] = result["bookings_answered_per_s"] / result["me_per_s"]
    report["booking"] = result
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
