"""Registering enterprises: credit codes checked, duplicates refused, town scope obeyed."""

from __future__ import annotations

import pytest

from dualtrack.core.errors import NotFound, PermissionDenied, ValidationFailed
from dualtrack.core.models import AuditEntry
from dualtrack.enterprises.models import Enterprise
from dualtrack.enterprises.services.registry import clean_enterprise, enterprise_create

from .conftest import CODES, make_enterprise

pytestmark = pytest.mark.django_db


def test_enterprise_is_registered_with_its_section_and_masked_phone(personas, district):
    e = make_enterprise(personas.town_officer, district.town, CODES[0], "昌东电子")
    assert e.sector.code == "C" and e.division.code == "39"
    assert e.contact_phone == "13800138000"
    assert e.contact_phone_masked == "138****8000"
    entry = AuditEntry.objects.get(
        target_id=str(e.pk), action="create", target_type__model="enterprise"
    )
    assert entry.changes["contact_phone"][1] == "138****8000"


def test_bad_credit_code_is_refused_with_a_clear_message(district):
    with pytest.raises(ValidationFailed) as exc:
        clean_enterprise(credit_code="91360100MA35F6XX0B", name="x", town=district.town)
    assert exc.value.errors[0]["field"] == "credit_code"
    assert (
        "check character" in exc.value.errors[0]["message"]
        or "校验" in exc.value.errors[0]["message"]
    )


def test_duplicate_credit_code_is_refused_and_nothing_written(personas, district, enterprise):
    with pytest.raises(ValidationFailed) as exc:
        make_enterprise(personas.district_admin, district.other_town, CODES[0], "另一家")
    assert exc.value.code == "credit_code_taken"
    assert Enterprise.objects.count() == 1


def test_town_officer_cannot_register_in_another_town(personas, district):
    with pytest.raises(NotFound):
        make_enterprise(personas.town_officer, district.other_town, CODES[2], "麻丘")
    assert not Enterprise.objects.exists()


def test_village_cadre_may_not_manage_enterprises(personas, district):
    data = clean_enterprise(credit_code=CODES[2], name="x", town=district.town)
    with pytest.raises((PermissionDenied, NotFound)):
        enterprise_create(actor=personas.village_cadre, data=data)


def test_above_scale_needs_an_industrial_section(district):
    from dualtrack.enterprises.models import IndustryDivision

    with pytest.raises(ValidationFailed) as exc:
        clean_enterprise(
            credit_code=CODES[2],
            name="x",
            town=district.town,
            division=IndustryDivision.objects.get(code="52"),
            above_scale=True,
        )
    assert exc.value.errors[0]["field"] == "above_scale"


def test_gbt4754_has_97_divisions(db):
    from dualtrack.enterprises.models import IndustryDivision

    assert IndustryDivision.objects.count() == 97
    assert IndustryDivision.objects.get(code="39").sector.code == "C"
