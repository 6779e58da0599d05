"""With REDIS_URL, the rate limits' counts, the cache and the sessions are in Redis (a real
redis-server the tests start): app servers share them without the database, and counting stays
exact under concurrent hits."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
import redis
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client

from dualtrack.core import ratelimit
from dualtrack.core.models import RateCounter

pytestmark = pytest.mark.django_db


HITS = """
import os
import django
django.setup()
from dualtrack.core import ratelimit
moment = float(os.environ["HIT_MOMENT"])
print(" ".join(str(ratelimit.hit("address:203.0.113.9", "1000/m", now=moment)) for _ in range(25)))
"""


def test_hits_from_servers_at_once_are_counted_one_to_n_and_expire_with_their_window(with_redis):
    """Four processes (app servers) counting 25 hits each at the same moment.

    The moment is the next minute's start, the same for all four (started on their own clocks,
    they could count across a minute's end, in two windows): its window ends 60–120 s from now."""
    moment = (time.time() // 60 + 1) * 60
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "REDIS_URL": with_redis,
        "HIT_MOMENT": repr(moment),
    }
    servers = [
        subprocess.Popen(  # noqa: S603 - this interpreter, our own script
            [sys.executable, "-c", HITS],
            env=environment,
            cwd=settings.BASE_DIR,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    counts = [int(n) for server in servers for n in server.communicate(timeout=120)[0].split()]

    assert sorted(counts) == list(range(1, 101))
    assert not RateCounter.objects.exists()  # nothing counted in the database
    keys = redis.Redis.from_url(with_redis).keys("dualtrack:rate:*")
    assert len(keys) == 1
    assert 0 < redis.Redis.from_url(with_redis).ttl(keys[0]) <= 120
    assert redis.Redis.from_url(with_redis).expiretime(keys[0]) == moment + 60


def test_the_rate_is_held_per_window(with_redis):
    moment = 1_800_000_000.0  # at a minute's start
    assert [ratelimit.allow("k", "2/m", now=moment) for _ in range(3)] == [True, True, False]
    assert ratelimit.allow("k", "2/m", now=moment + 60)  # the next window


def test_a_session_made_on_one_server_is_read_on_another(with_redis, personas):
    one, other = Client(), Client()
    one.force_login(personas.town_officer)
    other.cookies = one.cookies  # the browser's cookie, sent to the other app server

    answer = other.get("/api/account/me")

    assert answer.status_code == 200
    assert answer.json()["username"] == personas.town_officer.username
    assert not Session.objects.exists()


def test_the_cache_is_redis(with_redis):
    cache.set("probe", "值", 30)
    assert redis.Redis.from_url(with_redis).keys("*probe*")
    assert cache.get("probe") == "值"


def test_the_settings_take_redis_from_the_environment():
    def configured(environment: dict[str, str]) -> str:
        script = (
            "import django; django.setup(); from django.conf import settings as s; "
            "print(s.CACHES['default']['BACKEND'], s.SESSION_ENGINE, s.REDIS_URL or '-')"
        )
        done = subprocess.run(  # noqa: S603 - this interpreter, our own script
            [sys.executable, "-c", script],
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **environment},
            cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=60, check=True,
        )  # fmt: skip
        return done.stdout.strip()

    assert configured({"REDIS_URL": "redis://127.0.0.1:6399/2"}) == (
        "django.core.cache.backends.redis.RedisCache django.contrib.sessions.backends.cache "
        "redis://127.0.0.1:6399/2"
    )
    assert configured({"REDIS_URL": ""}) == (
        "django.core.cache.backends.db.DatabaseCache django.contrib.sessions.backends.db -"
    )
