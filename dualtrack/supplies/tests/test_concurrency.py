"""Many people issuing from the same stock at once: no lost update, no negative balance.

On PostgreSQL, threads (each with its own connection) issue through the service at the same
moment; without the conditional UPDATE, read-modify-write would lose updates and overdraw. SQLite
serialises writers itself, so there the same service is driven one call after another and the
same invariants are checked.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.db.models import Sum

from dualtrack.core.errors import ValidationFailed
from dualtrack.supplies.models import Balance, Entry, EntryKind
from dualtrack.supplies.services.ledger import consumption_record, receipt_record

STOCK = 100
ISSUERS = 30
EACH = 7  # 30 × 7 = 210 wanted from 100: 14 can be served


@pytest.mark.django_db(transaction=True)
def test_concurrent_issues_lose_no_update_and_never_go_negative(supplies):
    s = supplies
    receipt_record(
        actor=s.manager,
        holder=s.store,
        item=s.n95,
        kind="purchase",
        quantity=STOCK,
        counterparty="供应商",
    )
    outcomes: list[str] = []
    lock = threading.Lock()

    def issue() -> None:
        try:
            consumption_record(actor=s.manager, holder=s.store, item=s.n95, quantity=EACH)
            result = "ok"
        except ValidationFailed as exc:
            result = exc.code
        finally:
            if threading.current_thread() is not threading.main_thread():
                connections.close_all()  # the thread's own connection, not the test's
        with lock:
            outcomes.append(result)

    if connection.vendor == "postgresql":
        barrier = threading.Barrier(ISSUERS)

        def run() -> None:
            barrier.wait()
            issue()

        threads = [threading.Thread(target=run) for _ in range(ISSUERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    else:
        for _ in range(ISSUERS):
            issue()
    served = outcomes.count("ok")
    assert len(outcomes) == ISSUERS
    assert served == STOCK // EACH
    assert set(outcomes) <= {"ok", "insufficient_stock"}
    balance = Balance.objects.get(holder=s.store, item=s.n95).quantity
    assert balance == STOCK - served * EACH >= 0
    total = Entry.objects.filter(holder=s.store, item=s.n95).aggregate(t=Sum("quantity"))["t"]
    assert total == balance
    consumed = Entry.objects.filter(holder=s.store, kind=EntryKind.CONSUMPTION)
    assert consumed.count() == served
    assert not Entry.objects.filter(balance_after__lt=0).exists()
    # Each consumption's running balance is distinct: no two issues saw the same stock.
    assert len(set(consumed.values_list("balance_after", flat=True))) == served
