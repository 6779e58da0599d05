"""Benchmark of the supplies ledger on PostgreSQL (issue 5).

    .venv/bin/python bench/supplies.py [--database-url postgres://postgres@127.0.0.1:5432/dt_bench_supplies]

1. Balance read for one holder with 1,000,000 ledger entries in the table, all of them that
   holder's (20 items × 50,000): p95 of reading its maintained Balance rows against summing
   its entries per item, in the same run.
2. Contention: 50 threads, each with its own connection, issuing one unit at a time from one
   balance through the service; issues/s against the same issues from one thread, and a check
   that no update was lost and no balance went negative.
3. Allocation proposal over 1,000 holders × 20 items (20,000 open request lines), against the
   1 s target.

The database is dropped and recreated: its name must contain "bench".
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/dt_bench_supplies"
ENTRIES = 1_000_000
HOLDERS = 1000
ITEMS = 20
THREADS = 50
ISSUES_PER_THREAD = 20
READS = 1000


def _recreate(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if "bench" not in name:
        sys.exit(f"Refusing to use {name!r}: a benchmark database's name contains 'bench'.")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _p(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        sys.exit("This benchmark needs PostgreSQL (concurrent writers on one balance).")
    _recreate(args.database_url)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from run import _db_version, _machine  # bench/run.py, not edited

    machine = _machine()
    print(f"machine: {machine}")
    print(f"database: {_db_version()}")
    results: dict[str, str] = {}
    for part in (_balance_read, _contention, _allocation):
        figures = part()
        figures[f"load average after {part.__name__.strip('_')}"] = " ".join(
            f"{x:.1f}" for x in os.getloadavg()
        )
        for key, value in figures.items():
            print(f"  {key}: {value}", flush=True)
        results.update(figures)
    print()
    for key, value in results.items():
        print(f"{key}: {value}")


def _setup():
    from django.contrib.auth import get_user_model

    from dualtrack.areas.models import AreaKind
    from dualtrack.areas.services.tree import area_create, district_bootstrap
    from dualtrack.supplies.models import Holder, HolderKind, Item

    user_model = get_user_model()
    admin = user_model.objects.create_user(username="bench", password="x", display_name="bench")
    root = district_bootstrap(name="基准区", admin=admin)
    town = area_create(actor=admin, parent=root, kind=AreaKind.TOWN, name="基准镇")
    items = Item.objects.bulk_create(
        [Item(name=f"物资{i:02d}", unit="只", category="other") for i in range(ITEMS)]
    )
    store = Holder.objects.create(kind=HolderKind.DISTRICT_STORE, name="储备库", area=root)
    holders = Holder.objects.bulk_create(
        [
            Holder(kind=HolderKind.QUARANTINE_SITE, name=f"点{i:04d}", area=town)
            for i in range(HOLDERS)
        ]
    )
    return admin, store, holders, items


STATE: dict = {}


def _balance_read() -> dict[str, str]:
    from django.db import connection
    from django.db.models import Sum

    from dualtrack.supplies.models import Balance, Entry
    from dualtrack.supplies.selectors import balance_of

    admin, store, holders, items = _setup()
    STATE.update(admin=admin, store=store, holders=holders, items=items)
    target_holder = holders[0]
    started = time.perf_counter()
    # COPY the ledger in: 200,000 receipts of one unit for the measured holder×item, the rest
    # spread over the other holders and items; then the balances that match them.
    columns = (
        "holder_id, item_id, kind, quantity, balance_after, occurred_on, voucher_no, "
        "counterparty, reason, created_at"
    )
    sums: dict[tuple[int, int], int] = {}
    with connection.cursor() as cursor:
        with cursor.copy(f"COPY supplies_entry ({columns}) FROM STDIN") as copy:
            chunk: list[str] = []
            for n in range(ENTRIES):
                key = (target_holder.pk, items[n % ITEMS].pk)
                sums[key] = sums.get(key, 0) + 1
                chunk.append(
                    f"{key[0]}\t{key[1]}\tpurchase\t1\t{sums[key]}\t2020-02-01\tRK{n}\t"
                    "供应商\t\t2020-02-01T00:00:00Z\n"
                )
                if len(chunk) == 50_000:
                    copy.write("".join(chunk))
                    chunk.clear()
            copy.write("".join(chunk))
        cursor.execute("ANALYZE supplies_entry")
    Balance.objects.bulk_create(
        [Balance(holder_id=h, item_id=i, quantity=q) for (h, i), q in sums.items()],
        batch_size=5000,
    )
    load = time.perf_counter() - started
    read_times, sum_times = [], []
    for _ in range(READS):
        t = time.perf_counter()
        maintained = dict(
            Balance.objects.filter(holder=target_holder).values_list("item_id", "quantity")
        )
        read_times.append(time.perf_counter() - t)
    for _ in range(20):
        t = time.perf_counter()
        summed = dict(
            Entry.objects.filter(holder=target_holder)
            .values("item_id")
            .annotate(s=Sum("quantity"))
            .values_list("item_id", "s")
        )
        sum_times.append(time.perf_counter() - t)
    assert maintained == summed and sum(maintained.values()) == ENTRIES
    one_item = []
    for _ in range(READS):
        t = time.perf_counter()
        balance_of(holder=target_holder, item=items[0])
        one_item.append(time.perf_counter() - t)
    read95, sum95 = _p(read_times, 0.95), _p(sum_times, 0.95)
    read50, sum50 = _p(read_times, 0.5), _p(sum_times, 0.5)
    print(f"loaded {ENTRIES:,} entries in {load:.1f}s")
    return {
        "holder's balances read (20 rows) p50 / p95 (ms)": (
            f"{read50 * 1000:.2f} / {read95 * 1000:.2f}"
        ),
        "one holder x item balance_of() p50 / p95 (ms)": (
            f"{_p(one_item, 0.5) * 1000:.2f} / {_p(one_item, 0.95) * 1000:.2f}"
        ),
        "summing its 1,000,000 entries per item p50 / p95 (ms)": (
            f"{sum50 * 1000:.0f} / {sum95 * 1000:.0f}"
        ),
        "balance read vs summing, p95 (x faster)": f"{sum95 / read95:.0f}",
    }


def _contention() -> dict[str, str]:
    from django.db import connections
    from django.db.models import Sum

    from dualtrack.core.errors import ValidationFailed
    from dualtrack.supplies.models import Balance, Entry, EntryKind
    from dualtrack.supplies.services.ledger import consumption_record, receipt_record

    admin, store, items = STATE["admin"], STATE["store"], STATE["items"]
    total = THREADS * ISSUES_PER_THREAD
    stock = total - 100  # the last 100 issues must be refused, not overdrawn

    def run(item, threads: int) -> tuple[float, int, int]:
        receipt_record(
            actor=admin,
            holder=store,
            item=item,
            kind="purchase",
            quantity=stock,
            counterparty="基准",
        )
        ok = refused = 0
        lock = threading.Lock()
        barrier = threading.Barrier(threads)

        def worker(count: int) -> None:
            nonlocal ok, refused
            mine_ok = mine_refused = 0
            barrier.wait()
            for _ in range(count):
                try:
                    consumption_record(actor=admin, holder=store, item=item, quantity=1)
                    mine_ok += 1
                except ValidationFailed:
                    mine_refused += 1
            connections.close_all()
            with lock:
                ok += mine_ok
                refused += mine_refused

        workers = [
            threading.Thread(target=worker, args=(total // threads,)) for _ in range(threads)
        ]
        t = time.perf_counter()
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        return time.perf_counter() - t, ok, refused

    serial_seconds, serial_ok, _ = run(items[1], 1)
    seconds, ok, refused = run(items[2], THREADS)
    balance = Balance.objects.get(holder=store, item=items[2]).quantity
    summed = Entry.objects.filter(holder=store, item=items[2]).aggregate(s=Sum("quantity"))["s"]
    issued = -Entry.objects.filter(
        holder=store, item=items[2], kind=EntryKind.CONSUMPTION
    ).aggregate(s=Sum("quantity"))["s"]
    lost = stock - issued - balance
    negative = (
        Entry.objects.filter(balance_after__lt=0).count()
        + Balance.objects.filter(quantity__lt=0).count()
    )
    assert ok == stock and refused == 100 and serial_ok == stock
    assert balance == summed == 0 and lost == 0 and negative == 0
    return {
        "issues/s, 50 threads": f"{total / seconds:.0f}",
        "issues/s, 1 thread (baseline)": f"{total / serial_seconds:.0f}",
        "contended vs serial throughput (x)": f"{serial_seconds / seconds:.2f}",
        "issued / refused / lost updates / negative balances": (
            f"{ok} / {refused} / {lost} / {negative}"
        ),
    }


def _allocation() -> dict[str, str]:
    from django.utils import timezone

    from dualtrack.supplies.allocation import propose
    from dualtrack.supplies.models import RequestLine, SupplyRequest
    from dualtrack.supplies.services.allocations import allocation_propose
    from dualtrack.supplies.services.ledger import receipt_record

    admin, store, holders, items = STATE["admin"], STATE["store"], STATE["holders"], STATE["items"]
    for item in items[3:]:
        receipt_record(
            actor=admin,
            holder=store,
            item=item,
            kind="purchase",
            quantity=50_000,
            counterparty="基准",
        )
    requests = SupplyRequest.objects.bulk_create(
        [
            SupplyRequest(
                holder=h,
                status="approved",
                justification="基准",
                created_by=admin,
                decided_by=admin,
                decided_at=timezone.now(),
            )
            for h in holders
        ]
    )
    RequestLine.objects.bulk_create(
        [
            RequestLine(
                request=r,
                item=item,
                quantity_requested=10 + (r.pk * 7 + i) % 90,
                quantity_approved=10 + (r.pk * 7 + i) % 90,
            )
            for r in requests
            for i, item in enumerate(items)
        ],
        batch_size=5000,
    )
    times, pure, cpu = [], [], []
    for _ in range(5):
        t, c = time.perf_counter(), time.process_time()
        proposal = allocation_propose(actor=admin)
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    stock = {i.pk: 50_000 for i in items}
    needs = [p.need for p in proposal]
    for _ in range(5):
        t = time.perf_counter()
        propose(stock, needs)
        pure.append(time.perf_counter() - t)
    assert len(proposal) == HOLDERS * ITEMS
    median = statistics.median(times)
    return {
        "allocation proposal, 1,000 holders x 20 items, median (s)": f"{median:.3f}",
        "allocation proposal, CPU time of this process, median (s)": (
            f"{statistics.median(cpu):.3f}"
        ),
        "of which the calculation alone (s)": f"{statistics.median(pure):.3f}",
        "vs the 1 s target (x under)": f"{1 / median:.1f}",
    }


if __name__ == "__main__":
    main()
