"""Many rosters putting one person on overlapping duties at the same moment: exactly one wins.

On PostgreSQL, threads (each with its own connection) call the service at once; the advisory
lock on the person and the exclusion constraint hold. SQLite serialises writers itself, so
there the same calls run one after another and the same invariant is checked."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from dualtrack.core.tests.concurrency import race
from dualtrack.volunteers.models import DutyAssignment
from dualtrack.volunteers.services import duties

CALLERS = 8


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_one_person_lands_on_one_of_many_overlapping_duties_put_at_once(
    volunteer, personas, district
):
    start = timezone.now() + datetime.timedelta(hours=1)
    overlapping = [
        duties.duty_create(
            actor=personas.village_cadre,
            area=district.village,
            title=f"值守{i}",
            starts_at=start + datetime.timedelta(minutes=10 * i),
            ends_at=start + datetime.timedelta(hours=3),
            needed=1,
        )
        for i in range(CALLERS)
    ]
    calls = [
        (
            lambda d=duty: duties.duty_assign(
                actor=personas.village_cadre,
                duty=d,
                person_kind="volunteer",
                person_id=volunteer.pk,
            )
        )
        for duty in overlapping
    ]
    outcomes = race(calls)
    assert outcomes.count("ok") == 1, outcomes
    assert set(outcomes) == {"ok", "overlapping_duty"}
    assert DutyAssignment.objects.filter(volunteer=volunteer).count() == 1
