"""Fixed-window rate limits counted in the database (or in Redis), atomically, across every worker.

One statement counts a hit and answers the new count:
``INSERT … ON CONFLICT (bucket) DO UPDATE SET hits = hits + 1 RETURNING hits``. The database
serialises the writers on the row (PostgreSQL's row lock, SQLite's single writer), so N hits at
the same moment answer 1…N, none twice; a read-then-write through the cache let two workers
both read 7 and both write 8. Both SQLite (3.35+) and PostgreSQL take this form.

A count is not a record. Counted on its own (before the request's transaction, as the public
routes do), PostgreSQL commits it without waiting for the disk (``synchronous_commit`` off for that
one statement's transaction): a crash may forget the last fraction of a second's counts, never
mix them up, and the request does not wait ~10 ms for a flush of the write-ahead log. Inside a
transaction the count commits with it, as that transaction does.

The statements are constant and go through ``core.sql.cursor``: on PostgreSQL the server binds
the values and a connection prepares each statement once, instead of parsing and planning it at
every count (three per job application).

With ``REDIS_URL`` set, the counts are Redis's: ``INCR`` and ``EXPIREAT`` of the window's key in
one ``MULTI``, which Redis runs alone (N hits at once answer 1…N too); the key expires with its
window, so there is nothing to purge. A count made inside a transaction then stays counted when
the transaction rolls back.
"""

from __future__ import annotations

import functools
import hashlib
import time

from django.conf import settings
from django.db import connection

from dualtrack.core import sql
from dualtrack.core.models import RateCounter

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """``"20/m"`` → (20, 60): hits allowed, window in seconds."""
    count, _, period = rate.partition("/")
    return int(count), _PERIODS[period.strip()[:1].lower()]


@functools.cache
def _statements(relaxed: bool) -> tuple[str, str]:
    """The counting and the purging statements; ``relaxed``: PostgreSQL, counted on its own, its
    commit not waiting for the disk (see the module's docstring)."""
    meta = RateCounter._meta
    qn = connection.ops.quote_name
    table, bucket, hits, expires = (
        qn(meta.db_table),
        qn("bucket"),
        qn("hits"),
        qn("expires_at"),
    )
    on_conflict = (
        f"ON CONFLICT ({bucket}) DO UPDATE SET {hits} = {table}.{hits} + 1 RETURNING {hits}"
    )
    insert = f"INSERT INTO {table} ({bucket}, {hits}, {expires}) "
    if relaxed:
        relax = "WITH relaxed AS (SELECT set_config('synchronous_commit', 'off', true)) "
        upsert = f"{relax}{insert}SELECT %s, 1, %s FROM relaxed {on_conflict}"  # noqa: S608
    else:
        upsert = f"{insert}VALUES (%s, 1, %s) {on_conflict}"
    purge = f"DELETE FROM {table} WHERE {expires} < %s"  # noqa: S608
    return upsert, purge


def _bucket(key: str, window: int) -> str:
    bucket = f"{key}:{window}"
    if len(bucket) > 255:  # the key is ours, but an address may be long: keep it exact
        bucket = hashlib.sha256(bucket.encode()).hexdigest()
    return bucket


@functools.cache
def _redis(url: str):  # type: ignore[no-untyped-def]
    import redis

    return redis.Redis.from_url(url)


def _hit_redis(bucket: str, expires_at: int) -> int:
    pipeline = _redis(settings.REDIS_URL).pipeline(transaction=True)
    name = f"dualtrack:rate:{bucket}"
    pipeline.incr(name)
    pipeline.expireat(name, expires_at)
    count, _expiring = pipeline.execute()
    return int(count)


def hit(key: str, rate: str, *, now: float | None = None, purge: bool = True) -> int:
    """Count one hit for ``key`` in the current window of ``rate``; the count including it.
    ``purge=False`` leaves the ended windows to another key's hits (for a key that is new at
    almost every hit, such as one per mobile number, behind a per-address limit that purges)."""
    _limit, seconds = parse_rate(rate)
    moment = time.time() if now is None else now
    window = int(moment // seconds)
    if settings.REDIS_URL:
        return _hit_redis(_bucket(key, window), (window + 1) * seconds)
    relaxed = connection.vendor == "postgresql" and not connection.in_atomic_block
    upsert, purge_ended = _statements(relaxed)
    with sql.cursor() as cursor:
        cursor.execute(upsert, [_bucket(key, window), (window + 1) * seconds])
        row = cursor.fetchone()
        count = int(row[0])
        if count == 1 and purge:
            # A new window began for this key: drop the windows that have ended (indexed).
            cursor.execute(purge_ended, [int(moment)])
    return count


def allow(key: str, rate: str, *, now: float | None = None, purge: bool = True) -> bool:
    """Count one hit for ``key``; False once ``rate`` is exceeded in the current window."""
    limit, _seconds = parse_rate(rate)
    return hit(key, rate, now=now, purge=purge) <= limit
