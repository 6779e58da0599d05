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
from dualtrack.core.models import Job, User
from dualtrack.core.tests.helpers import run_jobs, starting_jobs

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


def _import(client: Client, data: dict) -> tuple[Job, str]:
    """Post the form, follow it to its job's page, run the worker; the job and its page then."""
    with starting_jobs():
        response = client.post(URL, data)
    assert response.status_code == 303
    job = Job.objects.get()
    assert response["Location"] == f"/jobs/{job.pk}/"
    waiting = client.get(response["Location"]).content.decode()
    assert 'data-state="queued"' in waiting and 'hx-trigger="every' in waiting
    run_jobs()
    job.refresh_from_db()
    return job, client.get(response["Location"]).content.decode()


def test_a_bad_row_is_reported_by_row_column_and_reason_and_nothing_is_imported(district, personas):
    code = district.group.code
    bad = good_row(code, "002", "李四")
    bad[4] = "360122199001010000"  # wrong check character
    upload = workbook([good_row(code), bad, good_row(code, "003", "王五")])
    job, html = _import(signed_in(personas.district_admin), {"file": upload})
    assert job.state == "failed"
    assert job.figures == {"total_rows": 3, "imported": 0, "bad_rows": 1}
    [error] = job.problems
    assert (error["row"], error["column"]) == (3, "身份证号")
    assert 'data-testid="job-failed"' in html and 'data-testid="job-problems"' in html
    assert "身份证号" in html and error["message"] in html
    # The page says how to import the good rows only, and leads back to the form.
    assert "只导入无误的行" in html and f'href="{URL}"' in html
    assert not Resident.objects.exists()
    assert not Household.objects.exists()


def test_the_good_rows_only_are_imported_when_asked(district, personas):
    code = district.group.code
    bad = good_row(code, "002", "李四")
    bad[0] = "GX99"
    upload = workbook([good_row(code), bad])
    job, html = _import(
        signed_in(personas.district_admin), {"file": upload, "good_rows_only": "on"}
    )
    assert job.state == "done" and job.figures["imported"] == 1
    assert [(e["row"], e["column"]) for e in job.problems] == [(3, "区域编码")]
    assert 'data-state="done"' in html and "区域编码" in html
    assert list(Resident.objects.values_list("name", flat=True)) == ["张三"]


def test_a_clean_file_is_imported_whole(district, personas):
    code = district.group.code
    upload = workbook([good_row(code), good_row(code, "001", "张小三")])
    job, html = _import(signed_in(personas.district_admin), {"file": upload})
    assert (job.state, job.problems, job.done, job.total) == ("done", [], 2, 2)
    assert 'hx-trigger="every' not in html  # the job's page polls no more
    assert Household.objects.get().residents.count() == 2


def test_a_file_that_is_not_a_workbook_shows_the_error_on_the_file_at_once(district, personas):
    upload = SimpleUploadedFile("residents.xlsx", b"not a workbook", content_type=XLSX)
    response = signed_in(personas.district_admin).post(URL, {"file": upload})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not Job.objects.exists()
    assert not Resident.objects.exists()


def test_rows_outside_the_officers_town_are_refused(district, personas):
    upload = workbook([good_row(district.far_group.code)])
    job, _html = _import(signed_in(personas.town_officer), {"file": upload})
    assert (job.state, [e["column"] for e in job.problems]) == ("failed", ["区域编码"])
    assert not Resident.objects.exists()


def test_only_the_importer_sees_the_job(district, personas):
    upload = workbook([good_row(district.group.code)])
    job, _html = _import(signed_in(personas.district_admin), {"file": upload})
    other = signed_in(personas.town_officer)
    assert other.get(f"/jobs/{job.pk}/").status_code == 404
    assert f"/jobs/{job.pk}/" not in other.get("/jobs/").content.decode()
    assert f"/jobs/{job.pk}/" in signed_in(personas.district_admin).get("/jobs/").content.decode()


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
