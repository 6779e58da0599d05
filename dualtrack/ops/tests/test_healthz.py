"""/healthz: open without an account, cheap, 200 while this server can serve (degraded or not),
503 when it cannot; each check says what it found."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from dualtrack.ops import health
from dualtrack.ops.heartbeat import beat
from dualtrack.ops.models import WorkerHeartbeat
from dualtrack.ops.tests.conftest import default_database

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_cached_replica():
    health._replica_cache.clear()
    yield
    health._replica_cache.clear()


@pytest.fixture
def worker():
    beat("worker-1", started_at=timezone.now())
    return WorkerHeartbeat.objects.get(worker_id="worker-1")


def _queued(minutes_ago: float) -> DBTaskResult:
    task = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="dualtrack.core.jobs.run_job",
        backend_name="default",
    )
    DBTaskResult.objects.filter(pk=task.pk).update(
        enqueued_at=timezone.now() - datetime.timedelta(minutes=minutes_ago)
    )
    return task


def test_healthy_with_a_live_worker_and_no_login(client, worker, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):  # SELECT 1, the heartbeats, the queue
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["worker"] == {
        "status": "ok",
        "alive": 1,
        "heartbeat_age_seconds": body["checks"]["worker"]["heartbeat_age_seconds"],
        "queue_ready": 0,
        "oldest_ready_seconds": None,
    }
    assert body["checks"]["disk"]["status"] == "ok"
    assert "replica" not in body["checks"]  # DATABASE_REPLICA_URL is not set
    assert body["request_id"] == response["X-Request-ID"]


def test_no_worker_is_degraded_but_still_served(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["worker"]["status"] == "degraded"
    assert body["checks"]["worker"]["heartbeat_age_seconds"] is None
    assert client.get("/healthz?strict=1").status_code == 503  # for monitoring


def test_a_stale_heartbeat_is_a_dead_worker(client, worker, settings):
    WorkerHeartbeat.objects.update(beat_at=timezone.now() - datetime.timedelta(minutes=5))
    body = client.get("/healthz").json()
    assert body["checks"]["worker"]["status"] == "degraded"
    assert body["checks"]["worker"]["alive"] == 0
    assert body["checks"]["worker"]["heartbeat_age_seconds"] >= 300


def test_tasks_waiting_too_long_degrade_even_with_a_heartbeat(client, worker, settings):
    settings.HEALTH_QUEUE_MAX_WAIT_SECONDS = 300
    _queued(minutes_ago=1)
    assert client.get("/healthz").json()["status"] == "ok"
    _queued(minutes_ago=10)
    body = client.get("/healthz").json()
    assert body["status"] == "degraded"
    assert body["checks"]["worker"]["queue_ready"] == 2
    assert body["checks"]["worker"]["oldest_ready_seconds"] >= 600


def test_an_unreachable_database_fails_with_503(client):
    unreachable = (
        {"NAME": "/nonexistent/dualtrack/db.sqlite3"}
        if connection.vendor == "sqlite"
        else {"PORT": "1"}
    )
    with default_database(**unreachable):
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"]["database"] == {"status": "fail", "error": "OperationalError"}
    assert body["checks"]["worker"]["status"] == "degraded"


def test_a_full_disk_fails_and_a_low_one_degrades(client, worker, settings):
    settings.HEALTH_DISK_LOW_RATIO = 1.0  # every disk is "low"
    assert client.get("/healthz").json()["checks"]["disk"]["status"] == "degraded"
    settings.HEALTH_DISK_MIN_FREE_MB = 2**40  # no disk has a zettabyte free
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["disk"]["status"] == "fail"


def test_a_replica_that_cannot_be_reached_degrades_without_failing(client, worker, settings):
    settings.DATABASE_REPLICA_URL = "postgres://postgres@127.0.0.1:1/nowhere"
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["replica"]["status"] == "degraded"
    assert body["checks"]["replica"]["error"] == "OperationalError"


def test_a_replica_url_naming_a_primary_is_reported(client, worker, settings):
    if connection.vendor == "postgresql":
        own = connection.settings_dict
        settings.DATABASE_REPLICA_URL = (
            f"postgres://{own['USER']}@{own['HOST']}:{own['PORT']}/{own['NAME']}"
        )
        expected = "not a replica (the server is not in recovery)"
    else:
        settings.DATABASE_REPLICA_URL = "sqlite:///replica.sqlite3"
        expected = "not a PostgreSQL URL"
    replica = client.get("/healthz").json()["checks"]["replica"]
    assert replica["status"] == "degraded"
    assert expected in replica["error"]


def test_healthz_takes_only_safe_methods(client):
    assert client.post("/healthz").status_code == 405


def test_redis_is_checked_when_set_and_unreachable_fails_with_503(
    client, worker, with_redis, settings
):
    answer = client.get("/healthz")
    assert answer.status_code == 200
    assert answer.json()["checks"]["redis"]["status"] == "ok"

    settings.REDIS_URL = "redis://127.0.0.1:9/0"  # nothing listens there
    answer = client.get("/healthz")
    assert answer.status_code == 503
    assert answer.json()["checks"]["redis"] == {"status": "fail", "error": "ConnectionError"}


def test_without_redis_there_is_no_redis_check(client, worker):
    assert "redis" not in client.get("/healthz").json()["checks"]
