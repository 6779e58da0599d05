"""Many people placed at one site at once: the site never holds more than its capacity, and no
place is lost or counted twice.

On PostgreSQL, threads (each with its own connection) place orders through the service at the
same moment; the conditional update and the database's constraint (occupied ≤ capacity) refuse
those past the capacity. SQLite serialises writers itself, so there the same service is driven
one call after another and the same invariants are checked.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from dualtrack.core.errors import Conflict
from dualtrack.health.models import OrderStatus, QuarantineOrder
from dualtrack.health.services.quarantine_changes import order_end_early
from dualtrack.health.tests.quarantine.factories import make_order, make_site

CAPACITY = 7
PLACERS = 24


@pytest.mark.django_db(transaction=True)
def test_concurrent_placements_never_overfill_a_site(district, personas):
    site = make_site(
        actor=personas.district_admin,
        area=district.town,
        name="并发隔离点",
        capacity=CAPACITY,
        rooms=CAPACITY,
    )
    outcomes: list[str] = []
    lock = threading.Lock()

    def place() -> None:
        try:
            make_order(actor=personas.town_officer, area=district.village, kind="site", site=site)
            result = "ok"
        except Conflict as exc:
            result = exc.code
        finally:
            if threading.current_thread() is not threading.main_thread():
                connections.close_all()
        with lock:
            outcomes.append(result)

    if connection.vendor == "postgresql":
        barrier = threading.Barrier(PLACERS)

        def run() -> None:
            barrier.wait()
            place()

        threads = [threading.Thread(target=run) for _ in range(PLACERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    else:
        for _ in range(PLACERS):
            place()
    assert len(outcomes) == PLACERS
    assert outcomes.count("ok") == CAPACITY
    assert set(outcomes) == {"ok", "site_full"}
    site.refresh_from_db()
    active = QuarantineOrder.objects.filter(site=site, status=OrderStatus.ACTIVE)
    assert site.occupied == active.count() == CAPACITY
    # A place freed is a place taken again, once.
    order_end_early(actor=personas.town_officer, order=active.first(), reason="身份有误")
    make_order(actor=personas.town_officer, area=district.village, kind="site", site=site)
    with pytest.raises(Conflict):
        make_order(actor=personas.town_officer, area=district.village, kind="site", site=site)
    site.refresh_from_db()
    assert site.occupied == CAPACITY
