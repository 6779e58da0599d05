"""The resident import page: every bad row is reported, and a bad file imports nothing unless the
good rows only are asked for."""

from __future__ import annotations

import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from dualtrack.areas.models import Household, Resident
from dualtrack.areas.services.imports import IMPORT_COLUMNS
from dualtrack.areas.tests.factories import make_id_number
from dualtrack.core.models import User

URL = "/residents/import/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def workbook(rows: list[list[str]], name: str = "residents.xlsx") -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([column.header for column in IMPORT_COLUMNS])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=XLSX)


def good_row(area_code: str, number: str = "001", name: str = "张三") -> list[str]:
    return [area_code, number, "幸福路1号", name, make_id_number(), "13800138000", "户主", "户籍"]


def test_a_bad_row_is_reported_by_row_column_and_reason_and_nothing_is_imported(district, personas):
    code = district.group.code
    bad = good_row(code, "002", "李四")
    bad[4] = "360122199001010000"  # wrong check character
    upload = workbook([good_row(code), bad, good_row(code, "003", "王五")])
    response = signed_in(personas.district_admin).post(URL, {"file": upload})
    assert response.status_code == 200
    report = response.context["report"]
    assert (report.total_rows, report.imported, report.committed) == (3, 0, False)
    [error] = report.errors
    assert (error.row, error.column) == (3, "身份证号")
    html = response.content.decode()
    assert 'data-testid="nothing-imported"' in html
    assert 'data-testid="import-error-row-3"' in html
    assert "身份证号" in html and error.message in html
    # The page offers the good rows only, with the box already ticked.
    assert response.context["good_rows"] == 2
    assert 'id="retry_good_rows_only" checked' in html
    assert not Resident.objects.exists()
    assert not Household.objects.exists()


def test_the_good_rows_only_are_imported_when_asked(district, personas):
    code = district.group.code
    bad = good_row(code, "002", "李四")
    bad[0] = "GX99"
    upload = workbook([good_row(code), bad])
    response = signed_in(personas.district_admin).post(
        URL, {"file": upload, "good_rows_only": "on"}
    )
    report = response.context["report"]
    assert (report.imported, report.committed) == (1, True)
    assert [(e.row, e.column) for e in report.errors] == [(3, "区域编码")]
    assert response.context["retry_form"] is None
    assert list(Resident.objects.values_list("name", flat=True)) == ["张三"]


def test_a_clean_file_is_imported_whole(district, personas):
    code = district.group.code
    upload = workbook([good_row(code), good_row(code, "001", "张小三")])
    response = signed_in(personas.district_admin).post(URL, {"file": upload})
    report = response.context["report"]
    assert (report.imported, report.committed, report.errors) == (2, True, [])
    assert Household.objects.get().residents.count() == 2


def test_a_file_that_is_not_a_workbook_shows_the_error_on_the_file(district, personas):
    upload = SimpleUploadedFile("residents.xlsx", b"not a workbook", content_type=XLSX)
    response = signed_in(personas.district_admin).post(URL, {"file": upload})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert response.context["report"] is None
    assert not Resident.objects.exists()


def test_rows_outside_the_officers_town_are_refused(district, personas):
    upload = workbook([good_row(district.far_group.code)])
    response = signed_in(personas.town_officer).post(URL, {"file": upload})
    report = response.context["report"]
    assert (report.imported, [e.column for e in report.errors]) == (0, ["区域编码"])
    assert not Resident.objects.exists()


def test_roles_that_manage_no_people_are_refused(district, personas):
    client = signed_in(personas.commander)
    assert client.get(URL).status_code == 403
    upload = workbook([good_row(district.group.code)])
    assert client.post(URL, {"file": upload}).status_code == 403
    assert not Resident.objects.exists()


def test_the_template_downloads_as_a_workbook_with_the_headers(district, personas):
    response = signed_in(personas.town_officer).get("/residents/import/template.xlsx")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == XLSX
    assert response.headers["Content-Disposition"].startswith("attachment;")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]] == [column.header for column in IMPORT_COLUMNS]
