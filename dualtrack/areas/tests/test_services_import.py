from __future__ import annotations

import datetime
import io
import itertools
import zipfile
from collections.abc import Sequence
from typing import Any

import openpyxl
import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import translation
from stdnum.cn import ric

from dualtrack.areas.models import Household, Relation, ResidenceKind, Resident, Role
from dualtrack.areas.scoping import scope_for
from dualtrack.areas.services import import_sheet, imports
from dualtrack.areas.services.imports import (
    IMPORT_COLUMNS,
    ImportRowError,
    residents_import,
    residents_import_template,
)
from dualtrack.areas.services.organisation import role_grant_create
from dualtrack.areas.services.people import household_create
from dualtrack.areas.tests.factories import make_household, make_resident
from dualtrack.core.errors import Conflict, PermissionDenied, ValidationFailed
from dualtrack.core.models import AuditAction, AuditEntry, User

HEADERS = [column.header for column in IMPORT_COLUMNS]
ENGLISH_HEADERS = [column.english for column in IMPORT_COLUMNS]


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English, the msgid language."""
    with translation.override("en"):
        yield


# --- Building sheets -----------------------------------------------------------------------------

_ids = itertools.count()


def new_id_number() -> str:
    """A valid ID number, unique in this module (region 360121 is not used by the factories)."""
    n = next(_ids)
    birth = datetime.date(1960, 1, 1) + datetime.timedelta(days=n // 1000)
    body = f"360121{birth:%Y%m%d}{n % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


def new_digit_id_number() -> str:
    """A valid ID number of digits only (one in eleven ends in X), as a number cell can hold."""
    return next(n for n in iter(new_id_number, None) if n.isdigit())


def wrong_check_character(valid: str) -> str:
    return valid[:17] + ("1" if valid[17] == "0" else "0")


def xlsx(rows: Sequence[Sequence[Any]], headers: Sequence[Any] | None = None) -> io.BytesIO:
    """An .xlsx whose first sheet holds ``headers`` (the Chinese ones by default) and ``rows``."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(HEADERS if headers is None else headers))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def person(
    area,
    *,
    number: Any = "001",
    address: str = "幸福路1号",
    name: str = "张三",
    id_number: Any = None,
    phone: Any = "13800138000",
    relation: str = "户主",
    residence: str = "户籍",
) -> list[Any]:
    """One data row in IMPORT_COLUMNS order; ``area`` is an Area or a code."""
    code = area if isinstance(area, str) else area.code
    return [
        code,
        number,
        address,
        name,
        new_id_number() if id_number is None else id_number,
        phone,
        relation,
        residence,
    ]


def where(report) -> list[tuple[int, str]]:
    return [(error.row, error.column) for error in report.errors]


def import_rows(actor, rows, **kwargs):
    return residents_import(actor=actor, file=xlsx(rows), filename="名册.xlsx", **kwargs)


def file_error(info: pytest.ExceptionInfo[ValidationFailed]) -> str:
    assert [error["field"] for error in info.value.errors] == ["file"]
    return info.value.errors[0]["message"]


# --- Clean files ---------------------------------------------------------------------------------


def test_a_clean_file_imports_every_row_and_creates_its_households(district, personas):
    rows = [
        person(district.group, number="001", name="王芳", id_number="11010519491231002x"),
        person(district.group, number="001", name="李强", relation="配偶", residence="常住"),
        person(district.sibling_village, number="7", address="南山路2号", phone=""),
    ]
    report = residents_import(
        actor=personas.town_officer,
        file=xlsx(rows),
        filename=r"C:\Users\cadre\Desktop\花名册.xlsx",
    )

    assert report == imports.ImportReport(total_rows=3, imported=3, errors=[], committed=True)
    first = Household.objects.get(area=district.group, number="001")
    second = Household.objects.get(area=district.sibling_village, number="7")
    assert (first.address, second.address) == ("幸福路1号", "南山路2号")
    wang, li, third = Resident.objects.order_by("id")
    assert (wang.name, wang.household, wang.area) == ("王芳", first, district.group)
    assert wang.id_number == "11010519491231002X"
    assert (wang.relation, wang.residence) == (Relation.HEAD, ResidenceKind.REGISTERED)
    assert (li.relation, li.residence) == (Relation.SPOUSE, ResidenceKind.RESIDENT)
    assert wang.phone == "13800138000"
    assert (third.household, third.phone) == (second, "")
    assert str(wang.birth_date) == "1949-12-31"


def test_each_household_touched_gets_one_import_audit_entry(district, personas):
    existing = household_create(
        actor=personas.district_admin, area=district.group, number="9", address="老街9号"
    )
    rows = [
        person(district.group, number="9", address="老街9号"),
        person(district.group, number="9", address="老街9号"),
        person(district.far_group, number="1"),
    ]
    residents_import(
        actor=personas.district_admin, file=xlsx(rows), filename="/home/cadre/名册.xlsx"
    )

    entries = AuditEntry.objects.filter(action=AuditAction.IMPORT).order_by("id")
    assert [entry.note for entry in entries] == [
        "2 residents imported from 名册.xlsx",
        "1 resident imported from 名册.xlsx",
    ]
    created = Household.objects.get(area=district.far_group)
    household_type = ContentType.objects.get_for_model(Household)
    assert [(e.target_type, e.target_id, e.area_code) for e in entries] == [
        (household_type, str(existing.pk), district.group.code),
        (household_type, str(created.pk), district.far_group.code),
    ]
    assert entries[0].changes == {}  # reused, not changed
    assert entries[1].changes["address"] == [None, "幸福路1号"]
    assert all(entry.actor == personas.district_admin for entry in entries)


def test_an_existing_household_is_reused_only_if_its_address_matches(district, personas):
    household = household_create(
        actor=personas.village_cadre, area=district.group, number="5", address="幸福路5号"
    )
    report = import_rows(
        personas.village_cadre,
        [
            person(district.group, number="5", address="幸福路5号"),
            person(district.group, number="5", address="幸福路6号"),
        ],
    )

    assert where(report) == [(3, "地址")]
    assert "幸福路5号" in report.errors[0].message
    assert not report.committed
    assert Household.objects.count() == 1
    assert not Resident.objects.exists()

    report = import_rows(
        personas.village_cadre, [person(district.group, number="5", address="幸福路5号")]
    )
    assert report.committed
    assert Resident.objects.get().household == household
    assert Household.objects.count() == 1


def test_rows_of_one_new_household_must_agree_on_its_address(district, personas):
    report = import_rows(
        personas.village_cadre,
        [
            person(district.group, number="8", address="幸福路8号"),
            person(district.group, number="8", address="幸福路8号"),
            person(district.group, number="8", address="幸福路80号"),
        ],
    )

    assert where(report) == [(4, "地址")]
    assert report.errors[0].message == "The address differs from row 2 for the same household."
    assert not Household.objects.exists()


def test_english_headers_are_accepted_and_named_as_written(district, personas):
    headers = [header.upper() for header in ENGLISH_HEADERS]
    bad = wrong_check_character(new_id_number())
    rows = [person(district.group), person(district.group, id_number=bad)]
    report = residents_import(
        actor=personas.village_cadre, file=xlsx(rows, headers), filename="roster.XLSX"
    )

    assert where(report) == [(3, "ID NUMBER")]
    report = residents_import(
        actor=personas.village_cadre, file=xlsx(rows[:1], headers), filename="roster.xlsx"
    )
    assert report.imported == 1


def with_exact_number(file: io.BytesIO, placeholder: int, digits: str) -> io.BytesIO:
    """``file`` with the number cell ``placeholder`` holding ``digits`` exactly, as some writers
    store long numbers (openpyxl itself rounds them to 15 digits, like Excel)."""
    patched = io.BytesIO()
    with zipfile.ZipFile(file) as source, zipfile.ZipFile(patched, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                old = f"<v>{placeholder}</v>".encode()
                assert old in data
                data = data.replace(old, f"<v>{digits}</v>".encode())
            target.writestr(item, data)
    patched.seek(0)
    return patched


def test_numbers_typed_as_numbers_are_read_as_text_unless_digits_were_lost(district, personas):
    exact = new_digit_id_number()
    rounded = float(new_digit_id_number())  # what Excel keeps of an 18-digit number: 15 digits
    rows = [
        person(district.group, number=12, id_number=4242, phone=13912345678),
        person(district.group, number=13, id_number=rounded),
    ]
    report = residents_import(
        actor=personas.village_cadre,
        file=with_exact_number(xlsx(rows), 4242, exact),
        filename="名册.xlsx",
    )

    assert where(report) == [(3, "身份证号")]
    assert "format the column as text" in report.errors[0].message
    report = residents_import(
        actor=personas.village_cadre,
        file=with_exact_number(xlsx(rows[:1]), 4242, exact),
        filename="名册.xlsx",
    )
    resident = Resident.objects.get()
    assert (resident.id_number, resident.phone) == (exact, "13912345678")
    assert resident.household.number == "12"


def test_an_id_number_rounded_to_an_integer_is_reported_as_lost_digits(district, personas):
    exact = new_id_number()
    # Rounded to 15 significant digits; one whose check character still happens to fit would
    # be accepted, as nothing could tell it apart from a real ID number.
    rounded = next(
        candidate
        for candidate in (f"{exact[:14]}{digit}000" for digit in range(10))
        if not ric.is_valid(candidate)
    )
    rows = [person(district.group, id_number=4242)]
    report = residents_import(
        actor=personas.village_cadre,
        file=with_exact_number(xlsx(rows), 4242, rounded),
        filename="名册.xlsx",
    )

    assert where(report) == [(2, "身份证号")]
    assert "format the column as text" in report.errors[0].message


# --- Bad rows ------------------------------------------------------------------------------------


def _two_bad_rows(district) -> list[list[Any]]:
    bad_id = wrong_check_character(new_id_number())
    return [
        person(district.group, number="1", name="甲"),
        person(district.group, number="1", name="乙", id_number=bad_id),
        person(district.group, number="2", name="丙"),
        person(district.group, number="2", name="丁", phone="12345"),
    ]


def test_two_bad_rows_among_good_ones_import_nothing_and_are_reported(district, personas):
    report = import_rows(personas.village_cadre, _two_bad_rows(district))

    assert where(report) == [(3, "身份证号"), (5, "手机号")]
    assert report.errors[0].message == "The ID number's check character is wrong."
    assert (report.total_rows, report.imported, report.committed) == (4, 0, False)
    assert not Household.objects.exists()
    assert not Resident.objects.exists()
    assert not AuditEntry.objects.filter(action=AuditAction.IMPORT).exists()


def test_good_rows_only_imports_the_good_rows_and_reports_the_bad(district, personas):
    report = import_rows(personas.village_cadre, _two_bad_rows(district), good_rows_only=True)

    assert where(report) == [(3, "身份证号"), (5, "手机号")]
    assert (report.total_rows, report.imported, report.committed) == (4, 2, True)
    assert sorted(Resident.objects.values_list("name", flat=True)) == ["丙", "甲"]
    assert Household.objects.count() == 2


def test_every_problem_of_a_row_is_reported(district, personas):
    row = person(district.group, number="", name="", phone="1380013", relation="舅舅")
    row[7] = "流动"
    report = import_rows(personas.village_cadre, [row, person(district.group)])

    assert where(report) == [
        (2, "户号"),
        (2, "姓名"),
        (2, "手机号"),
        (2, "与户主关系"),
        (2, "居住类型"),
    ]
    assert report.errors[3].message == "Choose one of: 户主、配偶、子女、父母、其他."
    assert not report.committed


def test_blank_lines_are_skipped_but_row_numbers_stay_those_of_the_sheet(district, personas):
    rows = [person(district.group), [None] * 8, ["", " "], person(district.group, name="")]
    report = import_rows(personas.village_cadre, rows)

    assert report.total_rows == 2
    assert report.errors == [ImportRowError(5, "姓名", "This cell is required.")]


def test_an_id_number_twice_in_the_file_is_reported_on_both_rows(district, personas):
    same = new_id_number()
    report = import_rows(
        personas.village_cadre,
        [
            person(district.group, id_number=same),
            person(district.group),
            person(district.group, id_number=f" {same} "),
        ],
        good_rows_only=True,
    )

    assert report.errors == [
        ImportRowError(2, "身份证号", "The same ID number is also on row 4."),
        ImportRowError(4, "身份证号", "The same ID number is also on row 2."),
    ]
    assert report.imported == 1


def test_an_id_number_already_registered_is_reported(district, personas):
    admin = personas.district_admin
    registered = make_resident(
        actor=admin, household=make_household(actor=admin, area=district.far_group)
    )
    report = import_rows(
        personas.village_cadre,
        [person(district.group), person(district.group, id_number=registered.id_number)],
    )

    assert report.errors == [
        ImportRowError(3, "身份证号", "A resident with this ID number is already registered.")
    ]
    assert Resident.objects.count() == 1


def test_an_area_outside_the_scope_reads_like_an_unknown_code(district, personas):
    report = import_rows(
        personas.town_officer,
        [
            person(district.far_group),  # exists, in another town
            person("GX9999999"),  # does not exist
            person(district.group.code.lower()),  # in scope
        ],
        good_rows_only=True,
    )

    assert where(report) == [(2, "区域编码"), (3, "区域编码")]
    assert report.errors[0].message == report.errors[1].message
    assert report.errors[0].message == "Unknown area code, or the area is outside your scope."
    assert Resident.objects.get().area == district.group


def test_a_visible_area_without_the_right_to_manage_people_reads_like_an_unknown_code(
    district, personas
):
    # Checkpoint duty in the sibling village lets the cadre see it, not register people there.
    role_grant_create(
        actor=personas.district_admin,
        user=personas.village_cadre,
        role=Role.CHECKPOINT_STAFF,
        area=district.sibling_village,
    )
    cadre = User.objects.get(pk=personas.village_cadre.pk)
    assert scope_for(cadre).covers(district.sibling_village)
    report = import_rows(cadre, [person(district.sibling_village), person(district.group)])

    assert report.errors == [
        ImportRowError(2, "区域编码", "Unknown area code, or the area is outside your scope.")
    ]


def test_households_are_not_registered_in_a_town(district, personas):
    report = import_rows(personas.town_officer, [person(district.town)])

    assert report.errors == [
        ImportRowError(2, "区域编码", "Households are registered in a group, village or community.")
    ]


def test_a_role_that_manages_no_people_is_refused(district, personas):
    with pytest.raises(PermissionDenied):
        import_rows(personas.commander, [person(district.group)])
    assert not Resident.objects.exists()


# --- Files that are refused ----------------------------------------------------------------------


def test_a_text_file_renamed_xlsx_is_refused(district, personas):
    text = io.BytesIO("区域编码,户号,地址,姓名,身份证号\n".encode())
    with pytest.raises(ValidationFailed) as info:
        residents_import(actor=personas.village_cadre, file=text, filename="名册.xlsx")
    assert file_error(info) == "The file is not a readable Excel workbook (.xlsx)."


def test_a_zip_that_is_not_a_workbook_is_refused(district, personas):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    buffer.seek(0)
    with pytest.raises(ValidationFailed) as info:
        residents_import(actor=personas.village_cadre, file=buffer, filename="名册.xlsx")
    assert file_error(info) == "The file is not a readable Excel workbook (.xlsx)."


def test_a_workbook_without_the_xlsx_extension_is_refused(district, personas):
    with pytest.raises(ValidationFailed) as info:
        residents_import(
            actor=personas.village_cadre, file=xlsx([person(district.group)]), filename="名册.xls"
        )
    assert file_error(info) == "Upload an Excel workbook (.xlsx)."
    assert not Resident.objects.exists()


def test_a_missing_required_header_is_named(district, personas):
    headers = [h for h in HEADERS if h not in ("身份证号", "户号")]
    rows = [[cell for cell, h in zip(person(district.group), HEADERS, strict=True) if h in headers]]
    with pytest.raises(ValidationFailed) as info:
        residents_import(
            actor=personas.village_cadre, file=xlsx(rows, headers), filename="名册.xlsx"
        )
    message = file_error(info)
    assert "户号 (household number)" in message
    assert "身份证号 (ID number)" in message
    assert "姓名" not in message


def test_optional_columns_may_be_left_out(district, personas):
    headers = [*HEADERS[:5], "备注"]
    rows = [[*person(district.group)[:5], "随便写写"]]
    report = residents_import(
        actor=personas.village_cadre, file=xlsx(rows, headers), filename="名册.xlsx"
    )

    resident = Resident.objects.get()
    assert report.imported == 1
    assert (resident.phone, resident.relation) == ("", Relation.OTHER)


def test_a_column_given_twice_is_refused(district, personas):
    with pytest.raises(ValidationFailed) as info:
        residents_import(
            actor=personas.village_cadre,
            file=xlsx([], [*HEADERS, "ID number"]),
            filename="名册.xlsx",
        )
    assert "ID number" in file_error(info)


@pytest.mark.parametrize(
    ("headers", "rows"),
    [([], []), (HEADERS, []), (HEADERS, [[None] * 8, [" "] * 8])],
    ids=["nothing", "headers-only", "blank-rows"],
)
def test_a_sheet_without_data_is_refused(district, personas, headers, rows):
    with pytest.raises(ValidationFailed) as info:
        residents_import(
            actor=personas.village_cadre, file=xlsx(rows, headers), filename="名册.xlsx"
        )
    assert info.value.code == "file_empty"


def test_a_file_over_the_size_limit_is_refused(district, personas, settings):
    file = xlsx([person(district.group)])
    settings.IMPORT_MAX_BYTES = len(file.getvalue()) - 1
    with pytest.raises(ValidationFailed) as info:
        residents_import(actor=personas.village_cadre, file=file, filename="名册.xlsx")
    assert info.value.code == "file_too_large"
    settings.IMPORT_MAX_BYTES = len(file.getvalue())
    assert residents_import(actor=personas.village_cadre, file=file, filename="名册.xlsx").committed


def test_a_sheet_over_the_row_limit_is_refused(district, personas, monkeypatch):
    monkeypatch.setattr(import_sheet, "IMPORT_MAX_ROWS", 3)
    rows = [person(district.group) for _ in range(4)]
    with pytest.raises(ValidationFailed) as info:
        import_rows(personas.village_cadre, rows)
    assert info.value.code == "file_too_many_rows"
    assert import_rows(personas.village_cadre, rows[:3]).imported == 3


# --- Template and scale --------------------------------------------------------------------------


def test_the_template_round_trips_once_its_example_row_is_filled_in(district, personas):
    workbook = openpyxl.load_workbook(io.BytesIO(residents_import_template()))
    sheet = workbook.worksheets[0]
    assert [cell.value for cell in sheet[1]] == HEADERS
    assert sheet.max_row == 2
    id_column = openpyxl.utils.get_column_letter(HEADERS.index("身份证号") + 1)
    assert sheet.column_dimensions[id_column].number_format == "@"  # Excel keeps all 18 digits
    sheet["A2"] = district.group.code
    filled = io.BytesIO()
    workbook.save(filled)
    filled.seek(0)

    report = residents_import(actor=personas.village_cadre, file=filled, filename="模板.xlsx")

    assert (report.imported, report.errors) == (1, [])
    resident = Resident.objects.get()
    example = {column.key: column.example for column in IMPORT_COLUMNS}
    assert (resident.name, resident.id_number) == (example["name"], example["id_number"])
    assert resident.relation == Relation.HEAD
    assert resident.household.address == example["address"]


def test_lookups_are_batched_not_made_row_by_row(district, personas, django_assert_max_num_queries):
    rows = [person(district.group, number=str(n // 3)) for n in range(1_200)]
    file = xlsx(rows)
    with django_assert_max_num_queries(20) as captured:
        report = residents_import(actor=personas.village_cadre, file=file, filename="名册.xlsx")

    assert (report.imported, report.committed) == (1_200, True)
    digest_lookups = [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].startswith("SELECT") and "id_number_digest" in q["sql"]
    ]
    assert len(digest_lookups) == 2  # one per 1,000 ID numbers
    assert Household.objects.count() == 400


def test_a_registration_made_during_the_import_rolls_the_whole_import_back(
    district, personas, monkeypatch
):
    admin = personas.district_admin
    meanwhile = make_resident(
        actor=admin, household=make_household(actor=admin, area=district.far_group)
    )
    # The check ran before the other registration committed: simulate it by skipping the check.
    monkeypatch.setattr(imports, "check_registered_id_numbers", lambda rows: None)
    rows = [
        person(district.group, number="77"),
        person(district.group, id_number=meanwhile.id_number),
    ]

    with pytest.raises(Conflict) as info:
        import_rows(personas.village_cadre, rows)

    assert info.value.code == "import_conflict"
    assert not Household.objects.filter(number="77").exists()
    assert list(Resident.objects.all()) == [meanwhile]
    assert not AuditEntry.objects.filter(action=AuditAction.IMPORT).exists()
