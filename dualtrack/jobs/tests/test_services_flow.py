"""From a fair to a hire on the roster, through the services."""

from __future__ import annotations

import pytest

from dualtrack.enterprises.models import Employee
from dualtrack.jobs.models import ApplicationAction, ApplicationStatus, PostingStatus

from .factories import apply, hire

pytestmark = pytest.mark.django_db


def test_an_application_leads_to_a_hire_on_the_roster(recruiting):
    application = apply(recruiting.posting)
    assert application.status == ApplicationStatus.SUBMITTED

    hired = hire(recruiting.ent_user, application)

    assert hired.status == ApplicationStatus.HIRED
    employee = Employee.objects.get(pk=hired.employee_id)
    assert employee.enterprise == recruiting.enterprise
    assert employee.new_hire and employee.hire_date == hired.start_date
    assert employee.id_number == application.applicant.id_number
    steps = [(e.action, e.by) for e in hired.events.order_by("at", "pk")]
    assert steps == [
        (ApplicationAction.APPLIED, None),
        (ApplicationAction.VERIFIED, None),
        (ApplicationAction.SCREENED, recruiting.ent_user),
        (ApplicationAction.INVITED, recruiting.ent_user),
        (ApplicationAction.OFFERED, recruiting.ent_user),
        (ApplicationAction.HIRED, recruiting.ent_user),
    ]
    recruiting.posting.refresh_from_db()
    assert recruiting.posting.hired == 1 and recruiting.posting.status == PostingStatus.OPEN
