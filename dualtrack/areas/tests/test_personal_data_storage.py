from __future__ import annotations

import pytest
from django.core.exceptions import FieldError
from django.db import connection

from dualtrack.areas.models import Resident
from dualtrack.areas.tests.factories import make_household, make_resident


def test_personal_data_is_not_stored_in_clear(district, personas):
    admin = personas.district_admin
    resident = make_resident(
        actor=admin,
        household=make_household(actor=admin, area=district.group),
        phone="13912345678",
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone FROM areas_resident WHERE id = %s", [resident.pk])
        stored_id, stored_phone = cursor.fetchone()
    assert resident.id_number[:6] not in stored_id
    assert "13912345678" not in stored_phone
    assert Resident.objects.get(pk=resident.pk).phone == "13912345678"


def test_encrypted_field_refuses_equality_lookup(db):
    with pytest.raises(FieldError):
        Resident.objects.filter(phone="13912345678").exists()


def test_audit_trail_holds_personal_data_masked(district, personas):
    from dualtrack.core.models import AuditEntry

    admin = personas.district_admin
    resident = make_resident(
        actor=admin,
        household=make_household(actor=admin, area=district.group),
        phone="13912345678",
    )
    entry = AuditEntry.objects.get(
        target_id=str(resident.pk), action="create", target_type__model="resident"
    )
    assert entry.changes["phone"] == [None, "139****5678"]
    assert entry.changes["id_number"][1] == resident.id_number_masked
    assert "id_number_digest" not in entry.changes
