"""The line list: entering a case, its dates, region, resident, classification history."""

from __future__ import annotations

import pytest

from dualtrack.areas.tests.factories import make_household, make_resident
from dualtrack.core.errors import NotFound, PermissionDenied, ValidationFailed
from dualtrack.core.models import AuditEntry
from dualtrack.health.models import Case, ClassificationChange
from dualtrack.health.selectors.cases import resident_by_id_number_for
from dualtrack.health.services.cases import CaseInput, case_create, case_reclassify, case_update
from dualtrack.health.tests.cases.factories import days_ago, make_case

pytestmark = pytest.mark.django_db


def test_case_gets_a_number_and_its_first_classification(district, prevention):
    case = make_case(actor=prevention, area=district.group)
    assert case.number.endswith("-0001")
    assert list(case.classifications.values_list("classification", "previous")) == [
        ("confirmed", "")
    ]
    assert AuditEntry.objects.filter(target_id=str(case.pk), action="create").exists()


def test_onset_after_report_is_refused_and_nothing_written(district, prevention):
    with pytest.raises(ValidationFailed) as caught:
        make_case(
            actor=prevention, area=district.group, onset_date=days_ago(0), report_date=days_ago(1)
        )
    assert caught.value.errors[0]["field"] == "onset_date"
    assert "晚于报告日期" in str(caught.value.message)
    assert not Case.objects.exists()
    assert not ClassificationChange.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"sampling_date": days_ago(0), "report_date": days_ago(1)}, "sampling_date"),
        ({"report_date": days_ago(-1)}, "report_date"),
        ({"classification": "asymptomatic"}, "onset_date"),
        (
            {"classification": "asymptomatic", "onset_date": None, "sampling_date": None},
            "sampling_date",
        ),
        ({"origin": "imported"}, "exposure_region_code"),
        ({"origin": "imported", "exposure_region_code": "999999"}, "exposure_region_code"),
        ({"age": 200}, "age"),
    ],
)
def test_bad_input_is_refused(district, prevention, changes, field):
    with pytest.raises(ValidationFailed) as caught:
        make_case(actor=prevention, area=district.group, **changes)
    assert caught.value.errors[0]["field"] == field
    assert not Case.objects.exists()


def test_imported_case_takes_the_region_name(district, prevention):
    case = make_case(
        actor=prevention, area=district.group, origin="imported", exposure_region_code="420102"
    )
    assert "武汉" in case.exposure_region_name


def test_resident_case_copies_the_residents_record(district, personas, prevention):
    household = make_household(actor=personas.district_admin, area=district.group)
    resident = make_resident(actor=personas.district_admin, household=household, name="周居民")
    found = resident_by_id_number_for(user=prevention, id_number=resident.id_number)
    case = make_case(actor=prevention, resident=found, name="", area=None)
    assert case.is_resident
    assert case.name == "周居民"
    assert case.id_digest and case.phone == resident.phone
    assert case.area == district.group


def test_resident_out_of_sight_is_not_found(district, personas):
    household = make_household(actor=personas.district_admin, area=district.far_group)
    resident = make_resident(actor=personas.district_admin, household=household)
    with pytest.raises(NotFound):
        resident_by_id_number_for(user=personas.village_cadre, id_number=resident.id_number)


def test_reclassification_keeps_history_and_needs_a_reason(district, prevention):
    case = make_case(actor=prevention, area=district.group, classification="suspected")
    with pytest.raises(ValidationFailed):
        case_reclassify(actor=prevention, case=case, classification="confirmed", reason="")
    case_reclassify(actor=prevention, case=case, classification="confirmed", reason="核酸阳性")
    case_reclassify(actor=prevention, case=case, classification="recovered", reason="出院")
    history = list(case.classifications.values_list("previous", "classification", "reason"))
    assert history == [
        ("", "suspected", ""),
        ("suspected", "confirmed", "核酸阳性"),
        ("confirmed", "recovered", "出院"),
    ]


def test_update_with_a_new_classification_records_it(district, prevention):
    case = make_case(actor=prevention, area=district.group, classification="suspected")
    data = CaseInput(
        classification="ruled_out",
        report_date=case.report_date,
        origin="local",
        name=case.name,
        gender=case.gender,
        age=case.age,
        area=district.group,
        onset_date=case.onset_date,
        reason="两次阴性",
    )
    case_update(actor=prevention, case=case, data=data)
    assert case.classifications.last().classification == "ruled_out"


def test_roles_without_manage_cases_cannot_enter_cases(district, personas):
    with pytest.raises(PermissionDenied):
        make_case(actor=personas.town_officer, area=district.group)
    with pytest.raises(NotFound):
        make_case(actor=personas.village_cadre, area=district.far_group)
    assert not Case.objects.exists()


def test_district_admin_enters_cases(district, personas):
    data = CaseInput(
        classification="suspected",
        report_date=days_ago(0),
        origin="local",
        name="某",
        gender="F",
        age=30,
        area=district.far_group,
    )
    assert case_create(actor=personas.district_admin, data=data).pk
