"""Two people passing the same filing at once decide one step: one wins, the other gets a 409.

The step a decision takes is decided on the filing's row as it stands under its lock, never on the
copy the request read before. On PostgreSQL the two decisions run in threads, each with its own
connection, released together; SQLite serialises writers itself, so there the second decision is
made one after the other from the same stale copy, which is the same race lost the same way.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections
from django.test import Client

from dualtrack.core.errors import Conflict
from dualtrack.core.models import User
from dualtrack.enterprises.models import (
    FilingAction,
    FilingStatus,
    ResumptionFiling,
)
from dualtrack.enterprises.selectors import filing_get_for
from dualtrack.enterprises.services.filings import (
    filing_approve,
    filing_pass,
    filing_review,
    filing_submit,
)

from .conftest import filing_data

API = "/api/enterprises"


def _together(*calls: Callable[[], object]) -> list[object]:
    """Run the calls at the same moment (PostgreSQL) or one after the other (SQLite); each
    call's result or the exception it raised, in the order given."""
    results: list[object] = [None] * len(calls)

    def run(index: int, call: Callable[[], object], barrier: threading.Barrier | None) -> None:
        try:
            if barrier is not None:
                barrier.wait()
            results[index] = call()
        except Exception as exc:  # the outcome under test
            results[index] = exc
        finally:
            if barrier is not None:
                connections.close_all()  # the thread's own connection, not the test's

    if connection.vendor == "postgresql":
        barrier = threading.Barrier(len(calls))
        threads = [
            threading.Thread(target=run, args=(i, call, barrier)) for i, call in enumerate(calls)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    else:
        for i, call in enumerate(calls):
            run(i, call, None)
    return results


def _history(filing: ResumptionFiling) -> list[str]:
    return list(filing.events.order_by("id").values_list("action", flat=True))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_passing_a_filing_twice_at_once_reviews_it_once(personas, enterprise, ent_user):
    """Both read the filing under the town's review before either decides (the old defect passed
    it twice: approved, with a history of submitted, reviewed, reviewed)."""
    filing = filing_submit(actor=ent_user, enterprise=enterprise, data=filing_data())
    admin = personas.district_admin  # may both review and approve
    first = filing_get_for(user=admin, filing_id=filing.pk)
    second = filing_get_for(user=admin, filing_id=filing.pk)
    outcomes = _together(
        lambda: filing_pass(actor=admin, filing=first),
        lambda: filing_pass(actor=admin, filing=second),
    )
    won = [o for o in outcomes if isinstance(o, ResumptionFiling)]
    lost = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(won) == 1 and len(lost) == 1, outcomes
    assert lost[0].status == 409 and lost[0].code == "not_pending"
    filing.refresh_from_db()
    assert filing.status == FilingStatus.GROUP_APPROVAL and not filing.notice_number
    assert _history(filing) == [FilingAction.SUBMITTED, FilingAction.REVIEWED]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_approvals_at_once_approve_once(personas, enterprise, ent_user, wg_enterprise):
    filing = filing_submit(actor=ent_user, enterprise=enterprise, data=filing_data())
    filing_review(actor=personas.town_officer, filing=filing)
    stale = filing_get_for(user=wg_enterprise, filing_id=filing.pk)
    outcomes = _together(
        lambda: filing_approve(actor=wg_enterprise, filing=stale),
        lambda: filing_approve(actor=personas.district_admin, filing=stale),
    )
    assert sum(isinstance(o, ResumptionFiling) for o in outcomes) == 1, outcomes
    assert sum(isinstance(o, Conflict) and o.status == 409 for o in outcomes) == 1, outcomes
    filing.refresh_from_db()
    assert filing.status == FilingStatus.APPROVED and filing.notice_number
    assert _history(filing) == [
        FilingAction.SUBMITTED,
        FilingAction.REVIEWED,
        FilingAction.APPROVED,
    ]


def _post(user: User, url: str) -> Callable[[], object]:
    client = Client()
    client.force_login(user)
    return lambda: client.post(url).status_code


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("operation", ["review", "pass"])
def test_the_api_answers_409_to_the_second_of_two_reviews(
    personas, enterprise, ent_user, operation
):
    filing = filing_submit(actor=ent_user, enterprise=enterprise, data=filing_data())
    url = f"{API}/filings/{filing.pk}/{operation}"
    statuses = _together(_post(personas.town_officer, url), _post(personas.town_officer, url))
    if operation == "pass" and connection.vendor != "postgresql":
        # One after the other, the second pass reads the filing awaiting the group, which the
        # town may not approve.
        assert sorted(statuses) == [200, 403]  # type: ignore[type-var]
    elif operation == "pass":
        # At once, the second read the filing under review (409) or after the first (403).
        assert statuses.count(200) == 1 and set(statuses) - {200} <= {403, 409}
    else:
        assert sorted(statuses) == [200, 409]  # type: ignore[type-var]
    filing.refresh_from_db()
    assert _history(filing) == [FilingAction.SUBMITTED, FilingAction.REVIEWED]


@pytest.mark.django_db
def test_each_step_refuses_a_filing_at_the_other_step(personas, enterprise, ent_user):
    filing = filing_submit(actor=ent_user, enterprise=enterprise, data=filing_data())
    with pytest.raises(Conflict):
        filing_approve(actor=personas.district_admin, filing=filing)
    filing = filing_review(actor=personas.district_admin, filing=filing)
    with pytest.raises(Conflict):
        filing_review(actor=personas.district_admin, filing=filing)
    assert _history(filing) == [FilingAction.SUBMITTED, FilingAction.REVIEWED]


@pytest.mark.django_db
def test_the_page_decides_the_step_it_showed(client, personas, enterprise, ent_user):
    """A second click on "Pass to the working group" does not approve the filing."""
    filing = filing_submit(actor=ent_user, enterprise=enterprise, data=filing_data())
    client.force_login(personas.district_admin)
    url = f"/enterprises/filings/{filing.pk}/"
    body = {"decision": "pass", "step": FilingStatus.TOWN_REVIEW}
    assert client.post(url, body).status_code == 302
    again = client.post(url, body)
    assert "该报备不在待审批状态。" in again.content.decode()  # not awaiting a decision
    filing.refresh_from_db()
    assert filing.status == FilingStatus.GROUP_APPROVAL
    assert _history(filing) == [FilingAction.SUBMITTED, FilingAction.REVIEWED]
    assert client.post(url, {"decision": "pass", "step": filing.status}).status_code == 302
    filing.refresh_from_db()
    assert filing.status == FilingStatus.APPROVED
