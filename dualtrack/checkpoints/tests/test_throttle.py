"""The public self-registration's rate limit holds under a burst: exactly the limit gets through.

On PostgreSQL, real threads (each with its own connection, as gunicorn's workers have) hit the
limit at the same moment; the cache's read-then-write ``incr`` let 25-27 of 60 through a limit of
20. SQLite serialises writers itself, so there the same calls run one after another and the same
count is checked.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections, transaction
from django.test import Client
from django.urls import reverse

from dualtrack.checkpoints import throttle
from dualtrack.core import ratelimit
from dualtrack.core.models import RateCounter

BURST = 60
LIMIT = 20


def _burst(call: Callable[[], object]) -> list[object]:
    """``call`` BURST times: at one moment from BURST threads on PostgreSQL, in turn on SQLite."""
    outcomes: list[object] = []
    lock = threading.Lock()

    def once() -> None:
        try:
            result = call()
        finally:
            if threading.current_thread() is not threading.main_thread():
                connections.close_all()  # the thread's own connection, not the test's
        with lock:
            outcomes.append(result)

    if connection.vendor == "postgresql":
        barrier = threading.Barrier(BURST)

        def run() -> None:
            barrier.wait()
            once()

        threads = [threading.Thread(target=run) for _ in range(BURST)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    else:
        for _ in range(BURST):
            once()
    assert len(outcomes) == BURST
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_a_burst_lets_exactly_the_limit_through():
    moment = 1_580_000_000.0  # one fixed instant: the burst cannot straddle two windows
    outcomes = _burst(lambda: ratelimit.allow("self:203.0.113.9", f"{LIMIT}/m", now=moment))
    assert outcomes.count(True) == LIMIT
    assert RateCounter.objects.get().hits == BURST


@pytest.mark.django_db(transaction=True)
def test_a_burst_at_the_public_page_gets_exactly_the_limit_through(checkpoint, settings):
    """Empty posts to the public form: each is counted before the form is read, so the limit
    is the only thing deciding between a form answer and 429."""
    settings.SELF_REGISTRATION_RATE = f"{LIMIT}/d"
    url = reverse("public_register", args=[checkpoint.qr_token])
    statuses = _burst(lambda: Client(REMOTE_ADDR="203.0.113.10").post(url, {}).status_code)
    assert statuses.count(429) == BURST - LIMIT
    assert all(status in {200, 422, 429} for status in statuses)


@pytest.mark.django_db
def test_windows_and_addresses_are_counted_apart():
    moment = 1_580_000_000.0
    assert [ratelimit.hit("a", "2/m", now=moment) for _ in range(3)] == [1, 2, 3]
    assert ratelimit.hit("b", "2/m", now=moment) == 1
    assert not ratelimit.allow("a", "2/m", now=moment)
    later = moment + 60
    assert ratelimit.allow("a", "2/m", now=later)  # a new window, and the old one is purged
    assert set(RateCounter.objects.values_list("bucket", flat=True)) == {
        f"a:{int(later // 60)}",
    }


@pytest.mark.django_db
def test_a_key_new_at_every_hit_can_leave_the_purge_to_others():
    moment = 1_580_000_000.0
    ratelimit.hit("address", "5/m", now=moment)
    later = moment + 3600
    assert ratelimit.allow("mobile-1", "5/h", now=later, purge=False)
    assert RateCounter.objects.filter(bucket=f"address:{int(moment // 60)}").exists()
    assert ratelimit.allow("address", "5/m", now=later)  # its new window purges the ended ones
    assert not RateCounter.objects.filter(bucket=f"address:{int(moment // 60)}").exists()
    assert RateCounter.objects.filter(bucket=f"mobile-1:{int(later // 3600)}").exists()


@pytest.mark.django_db
def test_the_throttle_reads_the_configured_rate(settings):
    settings.SELF_REGISTRATION_RATE = "1/d"
    assert throttle.allow("self:198.51.100.1")
    assert not throttle.allow("self:198.51.100.1")


@pytest.mark.django_db(transaction=True)
def test_a_count_on_its_own_relaxes_only_its_own_commit():
    """On PostgreSQL a count made on its own commits without waiting for the disk; the setting
    ends with its statement, and a count inside a transaction leaves that transaction's commit
    as it is (a rate counter is not a record; the record beside it is)."""

    def synchronous_commit() -> str:
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            return cursor.fetchone()[0]

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # the suite's connections commit relaxed (conftest)
            cursor.execute("SET synchronous_commit = on")
    assert ratelimit.hit("relaxed", "5/d") == 1
    assert ratelimit.hit("relaxed", "5/d") == 2
    if connection.vendor == "postgresql":
        assert synchronous_commit() == "on"
    with transaction.atomic():
        assert ratelimit.hit("relaxed", "5/d") == 3
        if connection.vendor == "postgresql":
            assert synchronous_commit() == "on"
    assert RateCounter.objects.get().hits == 3
