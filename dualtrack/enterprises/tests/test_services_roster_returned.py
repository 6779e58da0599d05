"""Recording a worker's return on a roster checks its own caller: the roster's own right (the
enterprise's logins, staff who manage it), or a right issued for that user and that enterprise
(a receiving checkpoint's, by a trip's arrival); anyone else is refused and nothing is written."""

from __future__ import annotations

import pytest
from django.utils import timezone

from dualtrack.core.errors import NotFound, PermissionDenied
from dualtrack.enterprises.access import RosterReturnRight
from dualtrack.enterprises.models import Employee
from dualtrack.enterprises.services.roster import clean_employee, employee_returned

pytestmark = pytest.mark.django_db


def _data(name: str = "返岗甲"):
    return clean_employee(
        name=name,
        id_number="11010519491231002X",
        returned_from="360731",
        returned_on=timezone.localdate(),
    )


def test_the_enterprise_and_staff_who_manage_it_record_a_return(ent_user, enterprise, personas):
    made = employee_returned(actor=ent_user, enterprise=enterprise, data=_data())
    assert made.enterprise_id == enterprise.pk and made.returned_from == "360731"
    again = employee_returned(actor=personas.district_admin, enterprise=enterprise, data=_data())
    assert again.pk == made.pk


def test_a_caller_without_the_right_is_refused_and_nothing_written(
    enterprise, far_enterprise, personas, ent_user
):
    with pytest.raises(NotFound):
        employee_returned(actor=personas.outsider, enterprise=enterprise, data=_data())
    with pytest.raises((NotFound, PermissionDenied)):
        employee_returned(actor=personas.checkpoint_staff, enterprise=enterprise, data=_data())
    # Another enterprise's login: out of sight.
    with pytest.raises(NotFound):
        employee_returned(actor=ent_user, enterprise=far_enterprise, data=_data())
    assert not Employee.objects.exists()


def test_an_issued_right_holds_for_its_user_and_its_enterprises_only(
    enterprise, far_enterprise, personas
):
    gate = personas.checkpoint_staff
    right = RosterReturnRight(gate.pk, frozenset({enterprise.pk}))
    with pytest.raises(PermissionDenied):
        employee_returned(actor=gate, enterprise=far_enterprise, data=_data(), right=right)
    with pytest.raises(PermissionDenied):
        employee_returned(actor=personas.outsider, enterprise=enterprise, data=_data(), right=right)
    assert not Employee.objects.exists()
    made = employee_returned(actor=gate, enterprise=enterprise, data=_data(), right=right)
    assert made.enterprise_id == enterprise.pk
