"""The demo's enterprises reproduce the report's figures, computed from their own rows."""

from __future__ import annotations

import pytest
from django.apps import apps

from dualtrack.core.models import User
from dualtrack.enterprises.access import enterprise_of_user
from dualtrack.enterprises.figures import figures_for
from dualtrack.enterprises.models import (
    Employee,
    FilingAction,
    FilingEvent,
    Rectification,
    ResumptionFiling,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_district")]

SCALE = 0.05
DEMO_SCALE = SCALE


def test_demo_figures_come_from_its_records():
    admin = User.objects.get(username="admin")
    figures = figures_for(user=admin)
    assert figures.total.filed == round(2928 * SCALE)
    assert figures.total.workers_on_duty == round(85_492 * SCALE)
    # The rosters hold the workers on duty, and the hires of the employment services' demo fairs
    # (new hires, checked by the jobs app's own demo test), and the workers its chartered trips
    # brought back (added on arrival).
    hires = apps.get_model("jobs", "Application").objects.filter(status="hired").count()
    riders = apps.get_model("jobs", "Rider").objects.filter(arrived_at__isnull=False)
    arrivals = riders.values("employee").distinct().count()
    # The subsidies' demo also puts up to five of those hires on a second enterprise's roster
    # (the duplicate claims its offers catch).
    planted = Employee.objects.count() - (round(85_492 * SCALE) + hires + arrivals)
    assert 0 < planted <= 5
    assert figures.above_scale.enterprises == round(181 * SCALE)
    assert figures.above_scale.resumed == figures.above_scale.enterprises
    assert len(figures.series) == 14
    assert ResumptionFiling.objects.filter(status="town_review").exists()
    assert Rectification.objects.filter(closed_on__isnull=True).exists()
    ent = User.objects.get(username="ent_demo")
    enterprise = enterprise_of_user(ent)
    assert enterprise.area.name == "昌东镇" and enterprise.status == "resumed"
    assert ent.check_password("dualtrack2020")


def test_demo_filings_are_sent_by_the_enterprises_own_logins():
    """Every seeded filing's history named the town officer as its sender."""
    submitted = FilingEvent.objects.filter(action=FilingAction.SUBMITTED).select_related(
        "filing", "actor__enterprise_membership"
    )
    assert submitted.count() == ResumptionFiling.objects.count()
    for event in submitted:
        assert event.actor.enterprise_membership.enterprise_id == event.filing.enterprise_id
        assert event.filing.submitted_by_id == event.actor_id
    ent = User.objects.get(username="ent_demo")
    assert FilingEvent.objects.filter(
        action=FilingAction.SUBMITTED, actor=ent, filing__enterprise=enterprise_of_user(ent)
    ).exists()
    # Only the persona signs in; the other enterprises' logins have no usable password.
    others = User.objects.filter(enterprise_membership__isnull=False).exclude(pk=ent.pk)
    assert others.exists() and not any(u.has_usable_password() for u in others)
