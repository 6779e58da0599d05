"""Putting people on checkpoint shifts and community duties: never on two overlapping duties,
each confirms, hours served counted from the duties actually worked, gaps."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from dualtrack.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from dualtrack.core.models import AuditEntry
from dualtrack.volunteers.models import AssignmentStatus, DutyAssignment, DutyKind, PersonKind
from dualtrack.volunteers.services import duties
from dualtrack.volunteers.services.frontline import branch_found, member_add

pytestmark = pytest.mark.django_db


def _community(personas, area, start_hours: float, length: float = 4, needed: int = 1):
    start = timezone.now() + datetime.timedelta(hours=start_hours)
    return duties.duty_create(
        actor=personas.village_cadre,
        area=area,
        title="上门送菜",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=length),
        needed=needed,
    )


def test_a_volunteer_is_put_on_a_checkpoint_shift_and_confirms(shift, volunteer, personas):
    duty = duties.duty_for_shift(actor=personas.village_cadre, shift_id=shift.pk, needed=3)
    assert duty.kind == DutyKind.SHIFT and duty.area_id == shift.checkpoint.area_id
    assert (duty.starts_at, duty.ends_at) == (shift.starts_at, shift.ends_at)
    assert duties.duty_for_shift(actor=personas.village_cadre, shift_id=shift.pk).pk == duty.pk
    assignment = duties.duty_assign(
        actor=personas.village_cadre,
        duty=duty,
        person_kind=PersonKind.VOLUNTEER,
        person_id=volunteer.pk,
    )
    assert assignment.status == AssignmentStatus.ASSIGNED and assignment.name == volunteer.name
    with pytest.raises(PermissionDenied):  # another person's duty
        duties.assignment_confirm(actor=personas.commander, assignment=assignment)
    confirmed = duties.assignment_confirm(actor=volunteer.user, assignment=assignment)
    assert confirmed.status == AssignmentStatus.CONFIRMED and confirmed.confirmed_at
    with pytest.raises(Conflict):
        duties.assignment_confirm(actor=volunteer.user, assignment=assignment)


def test_overlapping_duties_are_refused_with_a_message_and_nothing_written(
    shift, volunteer, personas, district
):
    duty = duties.duty_for_shift(actor=personas.village_cadre, shift_id=shift.pk)
    duties.duty_assign(
        actor=personas.village_cadre, duty=duty, person_kind="volunteer", person_id=volunteer.pk
    )
    # The shift runs from 2 hours ago to 6 hours from now; this duty starts in 5 hours.
    clash = _community(personas, district.village, start_hours=5)
    before = (DutyAssignment.objects.count(), AuditEntry.objects.count())
    with pytest.raises(Conflict) as refused:
        duties.duty_assign(
            actor=personas.village_cadre,
            duty=clash,
            person_kind="volunteer",
            person_id=volunteer.pk,
        )
    assert refused.value.code == "overlapping_duty"
    assert volunteer.name in str(refused.value.message) and "艾溪村东口" in str(
        refused.value.message
    )
    assert (DutyAssignment.objects.count(), AuditEntry.objects.count()) == before
    # Back to back is not an overlap: a duty starting when the shift ends is fine.
    after = _community(personas, district.village, start_hours=6)
    duties.duty_assign(
        actor=personas.village_cadre, duty=after, person_kind="volunteer", person_id=volunteer.pk
    )
    with pytest.raises(Conflict):  # the same duty twice
        duties.duty_assign(
            actor=personas.village_cadre,
            duty=after,
            person_kind="volunteer",
            person_id=volunteer.pk,
        )


def test_a_party_member_who_is_a_cadre_is_that_cadre_on_the_roster(
    shift, cadre, personas, district
):
    branch = branch_found(
        actor=personas.village_cadre,
        area=district.village,
        name="艾溪村东口临时党支部",
        site="checkpoint",
        checkpoint=shift.checkpoint,
        founded_on=datetime.date(2020, 1, 28),
    )
    member = member_add(
        actor=personas.village_cadre,
        branch=branch,
        name=cadre.name,
        zone_kind="gate",
        zone="东口",
        cadre_id=cadre.pk,
    )
    duty = duties.duty_for_shift(actor=personas.village_cadre, shift_id=shift.pk)
    duties.duty_assign(
        actor=personas.village_cadre, duty=duty, person_kind="cadre", person_id=cadre.pk
    )
    clash = _community(personas, district.village, start_hours=1)
    with pytest.raises(Conflict):
        duties.duty_assign(
            actor=personas.village_cadre,
            duty=clash,
            person_kind="party_member",
            person_id=member.pk,
        )


def test_the_database_refuses_an_overlap_the_service_did_not_see(shift, volunteer, personas):
    """On PostgreSQL the exclusion constraint refuses a row written past the service; SQLite
    has none, and there the service's check under the write lock is the guard."""
    duty = duties.duty_for_shift(actor=personas.village_cadre, shift_id=shift.pk)
    first = duties.duty_assign(
        actor=personas.village_cadre, duty=duty, person_kind="volunteer", person_id=volunteer.pk
    )
    other = _community(personas, duty.area, start_hours=0)
    if connection.vendor != "postgresql":
        with pytest.raises(Conflict):
            duties.duty_assign(
                actor=personas.village_cadre,
                duty=other,
                person_kind="volunteer",
                person_id=volunteer.pk,
            )
        return
    with pytest.raises(IntegrityError), transaction.atomic():
        DutyAssignment.objects.create(
            duty=other,
            person_kind="volunteer",
            volunteer=volunteer,
            person_key=first.person_key,
            name=volunteer.name,
            starts_at=other.starts_at,
            ends_at=other.ends_at,
        )


def test_who_may_put_people_on_duty(far_shift, shift, volunteer, far_volunteer, personas):
    with pytest.raises(NotFound):  # another town's shift
        duties.duty_for_shift(actor=personas.village_cadre, shift_id=far_shift.pk)
    with pytest.raises(NotFound):  # gate staff see only their own duties here
        duties.duty_for_shift(actor=personas.checkpoint_staff, shift_id=shift.pk)
    with pytest.raises(PermissionDenied):
        duties.duty_for_shift(actor=personas.commander, shift_id=shift.pk)
    duty = duties.duty_for_shift(actor=personas.village_cadre, shift_id=shift.pk)
    with pytest.raises(NotFound) as refused:  # a volunteer out of sight is not found
        duties.duty_assign(
            actor=personas.village_cadre,
            duty=duty,
            person_kind="volunteer",
            person_id=far_volunteer.pk,
        )
    assert refused.value.errors[0]["field"] == "person_id"
    assert not DutyAssignment.objects.exists()


def test_a_pending_volunteer_is_not_put_on_duty(shift, sign_up, district, personas):
    pending = sign_up([district.village])
    duty = duties.duty_for_shift(actor=personas.village_cadre, shift_id=shift.pk)
    with pytest.raises(ValidationFailed):
        duties.duty_assign(
            actor=personas.village_cadre, duty=duty, person_kind="volunteer", person_id=pending.pk
        )


def test_a_community_duty_checks_its_input(personas, district):
    now = timezone.now()
    with pytest.raises(ValidationFailed):
        duties.duty_create(
            actor=personas.village_cadre,
            area=district.village,
            title="值守",
            starts_at=now,
            ends_at=now,
            needed=1,
        )
    with pytest.raises(ValidationFailed):
        duties.duty_create(
            actor=personas.town_officer,
            area=district.town,
            title="值守",
            starts_at=now,
            ends_at=now + datetime.timedelta(hours=2),
            needed=1,
        )


def test_hours_served_count_only_the_duties_worked(shift, volunteer, cadre, personas, district):
    duty = duties.duty_for_shift(actor=personas.village_cadre, shift_id=shift.pk)
    worked = duties.duty_assign(
        actor=personas.village_cadre, duty=duty, person_kind="volunteer", person_id=volunteer.pk
    )
    absent = duties.duty_assign(
        actor=personas.village_cadre, duty=duty, person_kind="cadre", person_id=cadre.pk
    )
    later = _community(personas, district.village, start_hours=10)
    not_yet = duties.duty_assign(
        actor=personas.village_cadre, duty=later, person_kind="cadre", person_id=cadre.pk
    )
    duties.assignment_record(actor=personas.village_cadre, assignment=worked, worked=True)
    duties.assignment_record(actor=personas.village_cadre, assignment=absent, worked=False)
    with pytest.raises(Conflict):
        duties.assignment_record(actor=personas.village_cadre, assignment=not_yet, worked=True)
    with pytest.raises(PermissionDenied):
        duties.assignment_record(actor=volunteer.user, assignment=worked, worked=True)
    worked.refresh_from_db()
    assert worked.worked_minutes == 8 * 60 and worked.hours == 8.0
    absent.refresh_from_db()
    assert absent.status == AssignmentStatus.ABSENT and absent.worked_minutes is None


def test_the_roster_is_read_a_page_of_shifts_at_a_time(gate, make_shift, personas, district):
    from dualtrack.volunteers import selectors

    first = make_shift(gate, hours_ago=30, length=12)
    second = make_shift(gate, hours_ago=18, length=12)
    start, end = selectors.week_bounds(timezone.localdate() - datetime.timedelta(days=3))
    page = selectors.roster_page_for(
        user=personas.town_officer, area=district.town, start=start, end=end, size=1
    )
    assert [e.shift_id for e in page.entries] == [first.pk] and page.next_after == first.pk
    rest = selectors.roster_page_for(
        user=personas.town_officer, area=district.town, start=start, end=end, after=first.pk
    )
    assert [e.shift_id for e in rest.entries] == [second.pk] and rest.next_after is None
