"""core.transactions.atomic_checked: a service's transaction without a savepoint, whose refusals
before its first write leave the caller's transaction as it was."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from dualtrack.core.errors import Conflict
from dualtrack.core.models import RateCounter
from dualtrack.core.transactions import atomic_checked

pytestmark = pytest.mark.django_db


def _count(bucket: str) -> None:
    RateCounter.objects.create(bucket=bucket, hits=1, expires_at=1)


def test_a_refusal_before_writing_keeps_what_the_caller_wrote_and_opens_no_savepoint():
    with transaction.atomic():  # the caller's transaction (the API's)
        _count("caller")
        with (
            CaptureQueriesContext(connection) as captured,
            pytest.raises(Conflict),
            atomic_checked(),
        ):
            RateCounter.objects.filter(bucket="caller").exists()
            raise Conflict("refused")
        assert not connection.needs_rollback
    assert RateCounter.objects.filter(bucket="caller").exists()
    assert not [q for q in captured if q["sql"].startswith(("SAVEPOINT", "ROLLBACK", "RELEASE"))]


def test_the_block_writes_with_the_caller_without_a_savepoint():
    with transaction.atomic():
        _count("caller")
        with CaptureQueriesContext(connection) as captured, atomic_checked() as checked:
            checked.writing()
            _count("service")
    assert set(RateCounter.objects.values_list("bucket", flat=True)) == {"caller", "service"}
    assert not [q for q in captured if q["sql"].startswith(("SAVEPOINT", "RELEASE"))]


def test_an_error_after_writing_rolls_back_the_caller_with_the_block():
    with transaction.atomic():
        _count("caller")
        try:
            with atomic_checked() as checked:
                checked.writing()
                _count("service")
                raise Conflict("too late to refuse")
        except Conflict:  # answered as a refusal, as the API does
            pass
        assert connection.needs_rollback
    assert not RateCounter.objects.exists()


def test_a_refusal_is_raised_after_the_block_when_there_is_no_caller_transaction():
    with pytest.raises(Conflict), atomic_checked():
        raise Conflict("refused")
    _count("after")  # the connection is usable, nothing pending
    assert RateCounter.objects.filter(bucket="after").exists()
