"""POST /api/areas/residents/import: an .xlsx upload imported in the background (202 and a job to
poll), all rows or none unless asked otherwise."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.translation import gettext, ngettext

from dualtrack.areas.models import Household, Resident
from dualtrack.areas.services.imports import IMPORT_COLUMNS
from dualtrack.areas.tests.factories import make_id_number
from dualtrack.core.models import Job
from dualtrack.core.tests.helpers import accepted_job, problem_of, starting_jobs

URL = "/api/areas/residents/import"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def zh(message: str) -> str:
    """``message`` as a Chinese client reads it (once it is translated)."""
    with translation.override("zh-hans"):
        return gettext(message)


def sheet(*rows: list[str]) -> SimpleUploadedFile:
    """An upload of an .xlsx with the template's headers and ``rows``."""
    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.append([column.header for column in IMPORT_COLUMNS])
    for row in rows:
        worksheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("居民.xlsx", buffer.getvalue(), content_type=XLSX)


def row(area, *, number: str = "001", name: str = "张三", id_number: str | None = None):
    return [
        area.code,
        number,
        "幸福路1号",
        name,
        id_number or make_id_number(),
        "13800138000",
        "户主",
        "户籍",
    ]


def test_a_good_sheet_is_imported_whole(as_user, district):
    upload = sheet(row(district.group), row(district.group, name="李四"))

    client = as_user("village_cadre")
    with starting_jobs():
        response = client.post(URL, {"file": upload})
    assert not Resident.objects.exists()  # nothing happens before the worker runs the job

    job = accepted_job(client, response)
    assert job["state"] == "done" and job["problems"] == []
    assert job["figures"] == {"total_rows": 2, "imported": 2, "bad_rows": 0}
    assert (job["done"], job["total"], job["percent"]) == (2, 2, 100)
    assert sorted(Resident.objects.values_list("name", flat=True)) == ["张三", "李四"]
    assert Household.objects.get().area == district.group


def test_a_sheet_with_a_bad_row_imports_nothing_and_lists_every_problem(as_user, district):
    upload = sheet(
        row(district.group),
        row(district.group, name="", id_number="360122199001010010"),
    )

    client = as_user("village_cadre")
    with starting_jobs():
        response = client.post(URL, {"file": upload})

    job = accepted_job(client, response)
    assert job["state"] == "failed" and job["result_url"] is None
    with translation.override("zh-hans"):
        assert job["summary"].startswith(
            ngettext(
                "%(n)d row has problems; nothing was imported.",
                "%(n)d rows have problems; nothing was imported.",
                1,
            )
            % {"n": 1}
        )
    assert [(r["row"], r["column"]) for r in job["problems"]] == [(3, "姓名"), (3, "身份证号")]
    assert job["problems"][1]["message"] == "身份证号校验位错误。"
    assert not Resident.objects.exists()
    assert not Household.objects.exists()


def test_good_rows_only_imports_the_good_rows_and_reports_the_others(as_user, district):
    upload = sheet(row(district.group), row(district.far_group, name="赵敏"))

    client = as_user("village_cadre")
    with starting_jobs():
        response = client.post(URL, {"file": upload, "good_rows_only": "true"})

    job = accepted_job(client, response)
    assert job["state"] == "done"
    assert job["figures"] == {"total_rows": 2, "imported": 1, "bad_rows": 1}
    assert [(e["row"], e["column"]) for e in job["problems"]] == [(3, "区域编码")]
    assert list(Resident.objects.values_list("name", flat=True)) == ["张三"]


def test_rows_outside_scope_read_as_unknown_areas(as_user, district):
    client = as_user("village_cadre")
    with starting_jobs():
        response = client.post(URL, {"file": sheet(row(district.far_group))})

    assert accepted_job(client, response)["problems"] == [
        {
            "row": 2,
            "column": "区域编码",
            "message": zh("Unknown area code, or the area is outside your scope."),
        }
    ]


def test_a_file_that_is_not_a_workbook_is_refused(as_user, district):
    upload = SimpleUploadedFile("居民.xlsx", b"name,id\n", content_type=XLSX)

    response = as_user("village_cadre").post(URL, {"file": upload})

    problem = problem_of(response, 422, "file_not_xlsx")
    assert [e["field"] for e in problem["errors"]] == ["file"]
    assert not Job.objects.exists()


def test_a_sheet_too_wide_for_an_import_fails_its_job_with_the_reason(as_user, district):
    workbook = openpyxl.Workbook()
    workbook.active.append([column.header for column in IMPORT_COLUMNS] + ["x"] * 100)
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("居民.xlsx", buffer.getvalue(), content_type=XLSX)
    client = as_user("village_cadre")
    with starting_jobs():
        response = client.post(URL, {"file": upload})

    job = accepted_job(client, response)
    assert job["state"] == "failed" and "AX" in job["summary"]


def test_another_user_cannot_poll_the_job(as_user, district):
    with starting_jobs():
        response = as_user("village_cadre").post(URL, {"file": sheet(row(district.group))})
    assert response.status_code == 202

    problem_of(as_user("town_officer").get(response.json()["url"]), 404, "not_found")


def test_an_upload_without_a_file_is_refused(as_user, district):
    response = as_user("village_cadre").post(URL, {"good_rows_only": "true"})

    assert problem_of(response, 422, "validation_failed")["errors"] == [
        {"field": "file", "message": "此项为必填项。"}
    ]


def test_good_rows_only_must_be_true_or_false(as_user, district):
    response = as_user("village_cadre").post(
        URL, {"file": sheet(row(district.group)), "good_rows_only": "maybe"}
    )

    assert [e["field"] for e in problem_of(response, 422, "validation_failed")["errors"]] == [
        "good_rows_only"
    ]
    assert not Resident.objects.exists()


@pytest.mark.parametrize("persona", ["checkpoint_staff", "commander", "outsider"])
def test_roles_that_manage_no_people_cannot_import(as_user, district, persona):
    response = as_user(persona).post(URL, {"file": sheet(row(district.group))})

    problem_of(response, 403, "permission_denied")
    assert not Resident.objects.exists()
