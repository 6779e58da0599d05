"""run_worker is db_worker with a heartbeat: it beats while it runs and leaves no row behind
when it stops; rows of workers that died long ago are cleared by the living."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from dualtrack.ops import heartbeat
from dualtrack.ops.models import WorkerHeartbeat


@pytest.mark.django_db
def test_a_beat_records_the_worker_and_clears_the_long_dead():
    started = timezone.now()
    heartbeat.beat("dead", started_at=started)
    WorkerHeartbeat.objects.update(beat_at=started - datetime.timedelta(days=2))

    heartbeat.beat("alive", started_at=started)
    first = WorkerHeartbeat.objects.get(worker_id="alive").beat_at
    heartbeat.beat("alive", started_at=started)

    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == ["alive"]
    assert WorkerHeartbeat.objects.get(worker_id="alive").beat_at >= first
    heartbeat.forget("alive")
    assert not WorkerHeartbeat.objects.exists()


def test_the_thread_beats_at_once_and_forgets_when_stopped(monkeypatch):
    calls = []
    monkeypatch.setattr(heartbeat, "beat", lambda wid, started_at: calls.append(("beat", wid)))
    monkeypatch.setattr(heartbeat, "forget", lambda wid: calls.append(("forget", wid)))
    monkeypatch.setattr(heartbeat, "close_old_connections", lambda: None)

    beating = heartbeat.Heartbeat("w-1", every=3600)
    beating.start()
    beating.stop()

    assert calls == [("beat", "w-1"), ("forget", "w-1")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_run_worker_beats_while_it_runs_and_leaves_no_row(monkeypatch):
    seen = []
    real_beat = heartbeat.beat

    def beat(worker_id, *, started_at):
        real_beat(worker_id, started_at=started_at)
        seen.append(WorkerHeartbeat.objects.filter(worker_id=worker_id).count())

    monkeypatch.setattr(heartbeat, "beat", beat)
    call_command(
        "run_worker",
        "--batch",
        "--no-startup-delay",
        "--no-reload",
        "--worker-id",
        "batch-worker",
        stdout=io.StringIO(),
    )
    assert seen and seen[0] == 1
    assert not WorkerHeartbeat.objects.filter(worker_id="batch-worker").exists()
