"""The registers partitioned by month on PostgreSQL (collected there only, see conftest.py):
rows land in their month's partition, ``partitions ensure`` creates the months ahead once and
moves a waiting month out of the default partition, and the purge drops a whole old month with
its alerts while the daily figures stay."""

from __future__ import annotations

import datetime
from io import StringIO

from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from dualtrack.checkpoints.models import Alert, DailyFigure, Passage
from dualtrack.checkpoints.services.retention import passages_purge
from dualtrack.core.partitions import (
    Partitioned,
    add_months,
    ensure_month,
    month_begins,
    month_start,
    partition_name,
    partitions_of,
)

TABLE = Passage._meta.db_table


def _partition_holding(passage: Passage) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT tableoid::regclass::text FROM {TABLE} WHERE id = %s",  # noqa: S608
            [passage.pk],
        )
        return cursor.fetchone()[0]


def _move(passage: Passage, moment: datetime.datetime) -> None:
    Passage.objects.filter(pk=passage.pk).update(occurred_at=moment)


def test_a_passage_lands_in_its_month_and_a_month_made_later_takes_its_rows(register):
    now_month = month_start(timezone.localdate())
    passage = register()
    assert _partition_holding(passage) == partition_name(TABLE, now_month)

    # A month nobody created yet: the default partition keeps the row, nothing is refused.
    far = add_months(now_month, 14)
    _move(passage, month_begins(far) + datetime.timedelta(hours=1))
    assert _partition_holding(passage) == f"{TABLE}_default"

    out = StringIO()
    call_command("partitions", "ensure", "--months", "14", "--table", TABLE, stdout=out)
    assert f"{partition_name(TABLE, far)}: created" in out.getvalue()
    assert _partition_holding(passage) == partition_name(TABLE, far)
    assert Passage.objects.filter(pk=passage.pk).exists()


def test_ensure_gives_past_rows_waiting_in_the_default_partition_their_month(register):
    """Rows of an earlier month stored before anyone created it (the demo's past weeks, an
    import) leave the default partition for a month of their own, which retention can drop."""
    earlier = add_months(month_start(timezone.localdate()), -2)
    passage = register()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {partition_name(TABLE, earlier)}")
    _move(passage, month_begins(earlier) + datetime.timedelta(hours=1))
    assert _partition_holding(passage) == f"{TABLE}_default"

    out = StringIO()
    call_command("partitions", "ensure", "--months", "1", "--table", TABLE, stdout=out)

    assert _partition_holding(passage) == partition_name(TABLE, earlier)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {TABLE}_default")  # noqa: S608
        assert cursor.fetchone()[0] == 0


def test_ensure_creates_the_months_ahead_once(db):
    first = StringIO()
    call_command("partitions", "ensure", "--months", "6", stdout=first)
    again = StringIO()
    call_command("partitions", "ensure", "--months", "6", stdout=again)

    assert again.getvalue().strip().endswith("partitions: 0 created, 6 months ahead")
    assert "created" not in again.getvalue().replace("0 created", "")
    with connection.cursor() as cursor:
        for table in (TABLE, "health_quarantinecheck"):
            names = partitions_of(cursor, table)
            for step in range(7):
                month = add_months(month_start(timezone.localdate()), step)
                assert partition_name(table, month) in names
            assert f"{table}_default" in names


def test_the_purge_drops_an_old_month_whole_and_the_figures_stay(register, settings):
    settings.PASSAGE_RETENTION_DAYS = 28
    old_month = add_months(month_start(timezone.localdate()), -3)
    with connection.cursor() as cursor:
        ensure_month(
            cursor, Partitioned(TABLE, "occurred_at", "timestamp with time zone"), old_month
        )
    old = register(temperature="38.5")
    _move(old, month_begins(old_month) + datetime.timedelta(days=2))
    assert _partition_holding(old) == partition_name(TABLE, old_month)
    recent = register()
    figures = list(DailyFigure.objects.order_by("pk").values_list("people_in", "fevers"))
    assert Alert.objects.filter(passage_id=old.pk).exists()

    assert passages_purge() == 1

    with connection.cursor() as cursor:
        assert partition_name(TABLE, old_month) not in partitions_of(cursor, TABLE)
    assert list(Passage.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not Alert.objects.filter(passage_id=old.pk).exists()
    assert list(DailyFigure.objects.order_by("pk").values_list("people_in", "fevers")) == figures
