"""Job seekers applying to one posting at the same moment (the public form under load).

Different people are not made to wait for each other: the posting is only share-locked (its
state cannot change under an application, a hire that fills it waits). The same person sending
the form twice at once is refused the second time, with the message a late second form gets:
the database's constraint decides, never an error page."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections, transaction

from dualtrack.core.tests.concurrency import race
from dualtrack.jobs.models import Application
from dualtrack.jobs.services import application_sql, applying

from .factories import id_number

CALLERS = 8


def _apply(posting_id: int, n: int, mobile: str | None = None) -> Callable[[], None]:
    def call() -> None:
        applying.application_start(
            posting_id=posting_id,
            data=applying.clean_application(
                name=f"求职者{n}", id_number=id_number(700 + n), mobile=mobile or f"1390099{n:04d}"
            ),
        )

    return call


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_people_applying_at_once_are_all_taken_and_a_double_form_is_refused(recruiting):
    posting = recruiting.posting

    outcomes = race([_apply(posting.pk, n) for n in range(CALLERS)])

    assert outcomes == ["ok"] * CALLERS
    assert Application.objects.filter(posting=posting).count() == CALLERS

    # The same person (ID number), from two phones at once: one application. A form that comes
    # after the other's commit replaces the code not yet entered ("ok"); one at the same moment
    # is refused as a second application.
    outcomes = race([_apply(posting.pk, 50, "13900990101"), _apply(posting.pk, 50, "13900990102")])

    assert "ok" in outcomes and set(outcomes) <= {"ok", "already_applied"}
    assert Application.objects.filter(posting=posting, applicant__name="求职者50").count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_application_not_yet_committed_holds_up_no_other(recruiting):
    posting = recruiting.posting
    if connection.vendor != "postgresql":
        # SQLite has one writer at a time by design: the applications are taken in turn.
        assert race([_apply(posting.pk, 60), _apply(posting.pk, 61)]) == ["ok", "ok"]
        return
    outcome: list[str] = []

    def other() -> None:
        try:
            with connection.cursor() as cursor:  # a wait for the lock fails instead
                cursor.execute("SET lock_timeout = '5s'")
            _apply(posting.pk, 61)()
            outcome.append("ok")
        except Exception as exc:  # the outcome asserted on
            outcome.append(type(exc).__name__)
        finally:
            connections.close_all()

    with transaction.atomic():  # an application between its read of the posting and its commit
        assert application_sql.posting_for_application(posting.pk, "digest") is not None
        thread = threading.Thread(target=other)
        thread.start()
        thread.join(30)

    assert outcome == ["ok"]
