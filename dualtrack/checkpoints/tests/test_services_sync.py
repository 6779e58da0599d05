"""passages_sync: idempotent by client id, validated row by row, figures in step."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.utils import timezone

from dualtrack.areas.tests.factories import make_id_number
from dualtrack.checkpoints.models import Alert, DailyFigure, Passage, PassageSource, ShiftFigure
from dualtrack.checkpoints.services.registry import checkpoint_update
from dualtrack.checkpoints.services.sync import BatchTooLarge, passages_sync
from dualtrack.checkpoints.tests.conftest import WUHAN_JIANGAN
from dualtrack.core.models import AuditAction, AuditEntry


def _a_while_ago() -> datetime.datetime:
    """Ten minutes ago, but never before today's local midnight: the rows of a test count on one
    day, whatever the hour the suite runs at (CI runs after midnight in Asia/Shanghai)."""
    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return max(timezone.now() - datetime.timedelta(minutes=10), midnight)


def row(checkpoint, **changes):
    values = {
        "checkpoint_id": checkpoint.pk,
        "client_id": str(uuid.uuid4()),
        "occurred_at": _a_while_ago().isoformat(),
        "direction": "in",
        "temperature": "36.6",
        "name": "陈静",
        "id_number": make_id_number(),
        "phone": "13912345678",
        "origin_code": "360111",
        "purpose": "上班",
        "notice_given": True,
    }
    values.update(changes)
    return values


def test_a_batch_is_written_with_its_figures(checkpoint, shift, personas, risk_area):
    rows = [row(checkpoint) for _ in range(5)]
    rows += [row(checkpoint, direction="out"), row(checkpoint, temperature=38.1)]
    rows += [row(checkpoint, origin_code=WUHAN_JIANGAN)]

    report = passages_sync(actor=personas.checkpoint_staff, rows=rows)

    assert report.rejected == []
    assert [a["index"] for a in report.accepted] == list(range(8))
    assert not any(a["duplicate"] for a in report.accepted)
    assert Passage.objects.filter(source=PassageSource.SYNC, shift=shift).count() == 8
    day = DailyFigure.objects.get(checkpoint=checkpoint)
    assert (day.people_in, day.people_out, day.fevers, day.risk_arrivals, day.alerts_raised) == (
        7,
        1,
        1,
        1,
        2,
    )
    assert ShiftFigure.objects.get(shift=shift).people_in == 7
    assert Alert.objects.count() == 2
    passage = Passage.objects.get(client_id=rows[0]["client_id"])
    assert passage.id_number == rows[0]["id_number"]
    assert passage.pk == report.accepted[0]["passage_id"]
    assert AuditEntry.objects.filter(action=AuditAction.IMPORT, target_id=str(checkpoint.pk))


def test_a_retried_batch_never_duplicates(checkpoint, personas):
    rows = [row(checkpoint) for _ in range(3)]
    first = passages_sync(actor=personas.checkpoint_staff, rows=rows)

    again = passages_sync(actor=personas.checkpoint_staff, rows=rows)

    assert Passage.objects.count() == 3
    assert all(a["duplicate"] for a in again.accepted)
    assert [a["passage_id"] for a in again.accepted] == [a["passage_id"] for a in first.accepted]
    assert DailyFigure.objects.get(checkpoint=checkpoint).people_in == 3


def test_duplicates_inside_one_batch_are_written_once(checkpoint, personas):
    one = row(checkpoint)

    report = passages_sync(actor=personas.checkpoint_staff, rows=[one, dict(one), dict(one)])

    assert Passage.objects.count() == 1
    assert [a["duplicate"] for a in report.accepted] == [False, True, True]
    assert len({a["passage_id"] for a in report.accepted}) == 1
    assert DailyFigure.objects.get(checkpoint=checkpoint).people_in == 1


def test_bad_rows_are_rejected_with_reasons_and_never_block_the_good_ones(
    checkpoint, other_checkpoint, far_checkpoint, personas
):
    good = row(checkpoint)
    rows = [
        row(checkpoint, id_number="360122199001010000"),
        good,
        row(checkpoint, temperature="45"),
        row(other_checkpoint),  # not on this checkpoint's staff
        row(far_checkpoint),
        row(checkpoint, client_id=None),
        row(checkpoint, checkpoint_id=999999),
        "not an object",
        row(checkpoint, colour="blue"),
    ]

    report = passages_sync(actor=personas.checkpoint_staff, rows=rows)

    assert [a["index"] for a in report.accepted] == [1]
    rejected = {r["index"]: r["errors"] for r in report.rejected}
    assert set(rejected) == {0, 2, 3, 4, 5, 6, 7, 8}
    assert "id_number" in rejected[0]
    assert "temperature" in rejected[2]
    assert "checkpoint_id" in rejected[3] and "checkpoint_id" in rejected[4]
    assert "client_id" in rejected[5]
    assert "checkpoint_id" in rejected[6]
    assert "row" in rejected[7]
    assert "colour" in rejected[8]
    assert list(Passage.objects.values_list("client_id", flat=True)) == [
        uuid.UUID(good["client_id"])
    ]


def test_a_closed_checkpoint_rejects_its_rows(checkpoint, personas):
    checkpoint_update(actor=personas.district_admin, checkpoint=checkpoint, status="closed")

    report = passages_sync(actor=personas.checkpoint_staff, rows=[row(checkpoint)])

    assert report.accepted == [] and "checkpoint_id" in report.rejected[0]["errors"]


def test_a_client_id_used_at_another_checkpoint_is_rejected(checkpoint, other_checkpoint, personas):
    first = row(other_checkpoint)
    passages_sync(actor=personas.village_cadre, rows=[first])

    report = passages_sync(
        actor=personas.village_cadre, rows=[row(checkpoint, client_id=first["client_id"])]
    )

    assert "client_id" in report.rejected[0]["errors"]


def test_a_batch_over_the_limit_writes_nothing(checkpoint, personas, settings):
    settings.PASSAGE_SYNC_MAX_ROWS = 3

    with pytest.raises(BatchTooLarge):
        passages_sync(actor=personas.checkpoint_staff, rows=[row(checkpoint) for _ in range(4)])
    assert Passage.objects.count() == 0


def test_rows_from_different_days_count_on_their_own_day(checkpoint, personas):
    yesterday = timezone.now() - datetime.timedelta(days=1)
    rows = [row(checkpoint), row(checkpoint, occurred_at=yesterday.isoformat())]

    passages_sync(actor=personas.checkpoint_staff, rows=rows)

    assert DailyFigure.objects.filter(checkpoint=checkpoint).count() == 2


def test_a_large_batch_is_written_in_one_go(checkpoint, personas, django_assert_max_num_queries):
    rows = [row(checkpoint) for _ in range(1200)]

    with django_assert_max_num_queries(40):
        report = passages_sync(actor=personas.checkpoint_staff, rows=rows)

    assert len(report.accepted) == 1200
    assert DailyFigure.objects.get(checkpoint=checkpoint).people_in == 1200


def test_a_batch_of_stored_and_new_rows_writes_only_the_new_ones(checkpoint, personas):
    """Stored client ids are found by the insert itself (on PostgreSQL the COPY fails and the
    batch goes through the path that skips them): the stored rows come back as duplicates with
    their ids, the new one is written, nothing is written or counted twice."""
    earlier = [row(checkpoint) for _ in range(2)]
    first = passages_sync(actor=personas.checkpoint_staff, rows=earlier)

    report = passages_sync(actor=personas.checkpoint_staff, rows=[*earlier, row(checkpoint)])

    assert Passage.objects.count() == 3
    assert [a["duplicate"] for a in report.accepted] == [True, True, False]
    assert [a["passage_id"] for a in report.accepted[:2]] == [
        a["passage_id"] for a in first.accepted
    ]
    assert DailyFigure.objects.get(checkpoint=checkpoint).people_in == 3


def test_a_client_id_twice_in_a_batch_at_two_checkpoints_is_rejected_the_second_time(
    checkpoint, other_checkpoint, personas
):
    first = row(checkpoint)
    again = {**row(other_checkpoint), "client_id": first["client_id"]}

    report = passages_sync(actor=personas.village_cadre, rows=[first, again])

    assert [a["index"] for a in report.accepted] == [0]
    assert [(r["index"], list(r["errors"])) for r in report.rejected] == [(1, ["client_id"])]
    assert Passage.objects.get().checkpoint == checkpoint


def test_after_a_batch_the_foreign_keys_are_checked_at_the_commit_again(checkpoint, personas):
    """On PostgreSQL the batch's COPY checks its foreign keys as it ends (not at the commit,
    inside the other batches' wait); what the request writes after it is checked at the commit
    again, as Django's constraints are everywhere else."""
    from django.db import transaction

    with transaction.atomic():
        passages_sync(actor=personas.checkpoint_staff, rows=[row(checkpoint)])
        # No such user: refused at the commit, not by the statement (deferred again).
        assert Passage.objects.update(recorded_by_id=987_654_321) == 1
        transaction.set_rollback(True)
