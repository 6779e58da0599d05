"""purge_passages: old passages go, their daily figures stay, the purge is audited, and a
second run finds nothing to do."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from dualtrack.checkpoints.models import Alert, DailyFigure, Passage
from dualtrack.checkpoints.services.retention import passages_purge
from dualtrack.core.models import AuditAction, AuditEntry


def _age(passage, days):
    Passage.objects.filter(pk=passage.pk).update(
        occurred_at=timezone.now() - datetime.timedelta(days=days)
    )


def test_old_passages_are_purged_and_figures_survive(register, checkpoint, settings):
    settings.PASSAGE_RETENTION_DAYS = 28
    old = register(temperature="38.5")
    _age(old, 30)
    recent = register()
    _age(recent, 27)
    figures_before = list(DailyFigure.objects.values_list("people_in", flat=True))

    out = StringIO()
    call_command("purge_passages", stdout=out)

    assert list(Passage.objects.values_list("pk", flat=True)) == [recent.pk]
    assert Alert.objects.count() == 0
    assert list(DailyFigure.objects.values_list("people_in", flat=True)) == figures_before
    assert "1 passages" in out.getvalue()
    entry = AuditEntry.objects.filter(action=AuditAction.DELETE).latest("at")
    assert entry.changes["passages_purged"] == [None, 1]


def test_a_second_run_deletes_nothing(register):
    _age(register(), 40)
    assert passages_purge() == 1
    assert passages_purge() == 0


def test_days_is_configurable_and_deletes_in_batches(register):
    for _ in range(5):
        _age(register(), 8)
    register()

    assert passages_purge(older_than_days=7, batch_size=2) == 5
    assert Passage.objects.count() == 1


def test_days_below_one_are_refused(db):
    with pytest.raises(CommandError):
        call_command("purge_passages", "--days", "0")
