"""What the enterprises plug into the platform (core.platform): the figures for the command
board and the daily briefing, and the audit history of their records, deleted ones too."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from dualtrack.areas.models import Role
from dualtrack.areas.services.organisation import role_grant_create
from dualtrack.core import platform
from dualtrack.core.audit import audit_history_for
from dualtrack.core.errors import NotFound
from dualtrack.core.models import User
from dualtrack.enterprises.figures import figures_for
from dualtrack.enterprises.services.filings import filing_pass, filing_submit
from dualtrack.enterprises.services.roster import clean_employee, employee_create, employee_delete

from .conftest import filing_data

pytestmark = pytest.mark.django_db


def _figures(user, day=None) -> dict[str, object]:
    figures = platform.figures_for(user=user, day=day or timezone.localdate())
    return {f.key: f.value for f in figures if f.key.startswith("enterprises.")}


def test_the_board_reads_the_enterprises_resumed_and_workers_on_duty(
    personas, enterprise, far_enterprise, ent_user, wg_enterprise
):
    past = timezone.localdate() - datetime.timedelta(days=5)
    filing = filing_submit(
        actor=ent_user, enterprise=enterprise, data=filing_data(planned_date=past)
    )
    filing_pass(actor=wg_enterprise, filing=filing_pass(actor=personas.town_officer, filing=filing))
    page = figures_for(user=personas.town_officer).total
    assert _figures(personas.town_officer) == {
        "enterprises.resumed": 1,
        "enterprises.workers_on_duty": page.workers_on_duty,
    }
    assert page.resumed == 1
    assert _figures(personas.outsider) == {}
    # A past day without a 24:00 snapshot has no figure to give.
    assert _figures(personas.town_officer, timezone.localdate() - datetime.timedelta(days=3)) == {}


def test_an_enterprises_history_is_read_in_its_town_only(
    client, personas, enterprise, far_enterprise
):
    """The enterprises registered no audit scope: their history page answered 404 to all."""
    client.force_login(personas.town_officer)
    page = client.get(reverse("audit_history", args=["enterprises", "enterprise", enterprise.pk]))
    assert page.status_code == 200
    assert enterprise.name in page.content.decode()
    far = reverse("audit_history", args=["enterprises", "enterprise", far_enterprise.pk])
    assert client.get(far).status_code == 404
    api = client.get(f"/api/areas/audit/enterprises/enterprise/{enterprise.pk}")
    assert api.status_code == 200 and api.json()["record"] == str(enterprise)


def test_a_deleted_workers_history_is_read_by_those_who_could_read_it(
    client, district, personas, enterprise, ent_user
):
    employee = employee_create(
        actor=ent_user, enterprise=enterprise, data=clean_employee(name="张工")
    )
    employee_id = employee.pk
    employee_delete(actor=ent_user, employee=employee)
    history = audit_history_for(
        user=personas.town_officer,
        app_label="enterprises",
        model_name="employee",
        object_id=str(employee_id),
    )
    assert history.record is None
    assert history.record_repr == "张工"
    assert [e.action for e in history.entries] == ["delete", "create"]
    client.force_login(personas.town_officer)
    url = reverse("audit_history", args=["enterprises", "employee", employee_id])
    page = client.get(url)
    assert page.status_code == 200 and "张工" in page.content.decode()
    api = client.get(f"/api/areas/audit/enterprises/employee/{employee_id}")
    assert api.status_code == 200
    assert api.json()["record"] == "张工" and api.json()["record_id"] == str(employee_id)
    # Not by a user who could not read the worker: no audit trail, or another town's.
    other_town = User.objects.create_user(username="other-town", password="x")
    role_grant_create(
        actor=personas.district_admin,
        user=other_town,
        role=Role.TOWN_OFFICER,
        area=district.other_town,
    )
    for user in (other_town, personas.village_cadre, personas.outsider, ent_user):
        with pytest.raises(NotFound):
            audit_history_for(
                user=user,
                app_label="enterprises",
                model_name="employee",
                object_id=str(employee_id),
            )
