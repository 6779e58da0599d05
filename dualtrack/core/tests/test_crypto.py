from __future__ import annotations

import pytest
from django.core.exceptions import FieldError
from django.db import connection

from dualtrack.areas.models import Resident
from dualtrack.areas.tests.factories import make_household, make_resident
from dualtrack.core.crypto import decrypt, encrypt, lookup_digest
from dualtrack.core.masking import mask_id_number, mask_phone


def test_encryption_round_trips_and_is_randomised():
    assert decrypt(encrypt("13800138000")) == "13800138000"
    assert encrypt("13800138000") != encrypt("13800138000")


def test_digest_is_keyed_and_stable():
    assert lookup_digest("13800138000") == lookup_digest("13800138000")
    assert "13800138000" not in lookup_digest("13800138000")


def test_personal_data_is_not_stored_in_clear(district, personas):
    admin = personas.district_admin
    resident = make_resident(
        actor=admin, household=make_household(actor=admin, area=district.group),
        phone="13912345678",
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id_number, phone FROM areas_resident WHERE id = %s", [resident.pk]
        )
        stored_id, stored_phone = cursor.fetchone()
    assert resident.id_number not in stored_id
    assert "13912345678" not in stored_phone
    assert Resident.objects.get(pk=resident.pk).phone == "13912345678"


def test_encrypted_field_refuses_equality_lookup(db):
    with pytest.raises(FieldError):
        Resident.objects.filter(phone="13912345678").exists()


def test_masks():
    assert mask_id_number("360124199001010071") == "3601**********0071"
    assert mask_phone("13800138000") == "138****8000"
    assert mask_phone("") == ""
