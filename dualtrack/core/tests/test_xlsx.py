from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook

from dualtrack.core import xlsx
from dualtrack.core.errors import ValidationFailed


def _workbook(*rows: list[object]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _read(data: bytes, filename: str = "sheet.xlsx") -> list[tuple[object, ...]]:
    with xlsx.first_sheet_rows(io.BytesIO(data), filename) as rows:
        return list(rows)


def _refusal(data: bytes, filename: str = "sheet.xlsx") -> ValidationFailed:
    with pytest.raises(ValidationFailed) as info:
        _read(data, filename)
    assert [error["field"] for error in info.value.errors] == ["file"]
    return info.value


def test_the_rows_of_the_first_sheet_come_header_first():
    assert _read(_workbook(["物资名称", "数量"], ["N95口罩", 3])) == [
        ("物资名称", "数量"),
        ("N95口罩", 3),
    ]


def test_a_file_not_named_xlsx_is_refused_before_it_is_read():
    assert _refusal(_workbook(["a"]), "sheet.xls").code == "file_not_xlsx"


def test_a_file_over_the_limit_is_refused(settings):
    data = _workbook(["a"], ["b" * 5000])
    settings.IMPORT_MAX_BYTES = len(data) - 1
    assert _refusal(data).code == "file_too_large"


def test_a_zip_bomb_is_refused_before_it_is_unpacked(settings):
    settings.IMPORT_MAX_BYTES = 10_000
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * 200_000)
    assert len(out.getvalue()) < 10_000
    refusal = _refusal(out.getvalue())
    assert refusal.code == "file_too_large"
    assert refusal.errors[0]["message"] == "文件解压后过大，请拆分为较小的文件。"


@pytest.mark.parametrize(
    "data",
    [b"name,quantity\nN95,3\n", b"PK\x03\x04 but no archive", b""],
    ids=["text", "broken zip", "empty"],
)
def test_what_is_not_a_workbook_is_refused(data):
    assert _refusal(data).code == "file_not_xlsx"


def test_a_zip_that_is_no_workbook_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert _refusal(out.getvalue()).code == "file_not_xlsx"


def test_a_sheet_damaged_inside_is_refused_when_its_rows_are_read():
    good = zipfile.ZipFile(io.BytesIO(_workbook(["a"], ["b"])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for member in good.infolist():
            body = good.read(member)
            if member.filename == "xl/worksheets/sheet1.xml":
                body = body[: len(body) // 2]  # cut off in the middle of the XML
            archive.writestr(member, body)
    assert _refusal(out.getvalue()).code == "file_not_xlsx"


def test_an_error_of_the_reader_itself_is_not_dressed_up_as_a_bad_file():
    upload = io.BytesIO(_workbook(["a"]))
    with pytest.raises(KeyError), xlsx.first_sheet_rows(upload, "sheet.xlsx") as rows:
        next(rows)
        raise KeyError("the caller's own bug")


def test_an_upload_already_read_once_is_read_from_its_start():
    upload = io.BytesIO(_workbook(["a"], ["b"]))
    upload.read(10)  # a form sniffing the type
    with xlsx.first_sheet_rows(upload, "sheet.xlsx") as rows:
        assert list(rows) == [("a",), ("b",)]


@pytest.mark.parametrize(
    ("text", "key"),
    [("ID Number", "id number"), ("id_number", "id number"), (" 身份证 号 ", "身份证 号")],
)
def test_headers_compare_without_case_spaces_or_separators(text, key):
    assert xlsx.header_key(text) == key
