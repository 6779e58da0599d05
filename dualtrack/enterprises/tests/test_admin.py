"""The enterprises' admin is scoped like their pages, and shows personal data only masked."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from dualtrack.enterprises.admin import EmployeeAdmin
from dualtrack.enterprises.models import Employee
from dualtrack.enterprises.services.roster import clean_employee, employee_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def town_staff(personas):
    personas.town_officer.is_staff = True
    personas.town_officer.save()
    return personas.town_officer


def test_a_town_officer_sees_only_their_towns_enterprises(
    client, town_staff, enterprise, far_enterprise
):
    client.force_login(town_staff)
    listing = client.get(reverse("admin:enterprises_enterprise_changelist"))
    assert listing.status_code == 200
    assert [e.pk for e in listing.context["cl"].result_list] == [enterprise.pk]
    assert (
        client.get(reverse("admin:enterprises_enterprise_change", args=[enterprise.pk])).status_code
        == 200
    )
    far = client.get(reverse("admin:enterprises_enterprise_change", args=[far_enterprise.pk]))
    assert far.status_code == 404
    history = client.get(reverse("admin:enterprises_enterprise_history", args=[far_enterprise.pk]))
    assert history.status_code == 404


def test_the_roster_in_the_admin_is_masked_and_read_only(client, town_staff, enterprise, ent_user):
    from dualtrack.areas.tests.factories import make_id_number

    number = make_id_number()
    employee = employee_create(
        actor=ent_user, enterprise=enterprise, data=clean_employee(name="张工", id_number=number)
    )
    client.force_login(town_staff)
    for url in (
        reverse("admin:enterprises_employee_changelist"),
        reverse("admin:enterprises_employee_change", args=[employee.pk]),
    ):
        page = client.get(url)
        assert page.status_code == 200
        assert "张工" in page.content.decode()
        assert number not in page.content.decode()
    change = client.post(
        reverse("admin:enterprises_employee_change", args=[employee.pk]), {"name": "改名"}
    )
    assert change.status_code == 403
    assert Employee.objects.get(pk=employee.pk).name == "张工"


def test_an_admin_that_would_show_an_encrypted_field_fails_the_checks():
    class Revealing(EmployeeAdmin):
        list_display = ("name", "id_number")
        search_fields = ("phone",)

    errors = Revealing(Employee, admin.site).check()
    assert [e.id for e in errors] == ["dualtrack.E101", "dualtrack.E101"]
    assert not EmployeeAdmin(Employee, admin.site).check()
