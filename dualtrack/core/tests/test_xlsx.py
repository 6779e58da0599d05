from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

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


# --- A sheet wider than an import can use ------------------------------------------------------

_SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def _with_sheet_xml(sheet_xml: str) -> bytes:
    """A real workbook whose first sheet is replaced by ``sheet_xml``, as a hostile one is made."""
    source = zipfile.ZipFile(io.BytesIO(_workbook(["placeholder"])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in source.infolist():
            content = source.read(member.filename)
            if member.filename == "xl/worksheets/sheet1.xml":
                content = sheet_xml.encode()
            archive.writestr(member, content)
    return out.getvalue()


def test_a_header_of_a_million_cells_is_refused_as_too_wide():
    """One row of a million cells, without a declared dimension or cell references (the shape
    of the 447 kB upload that held a worker past its timeout)."""
    cells = "<c t='inlineStr'><is><t>x</t></is></c>" * 1_000_000
    data = _with_sheet_xml(f"{_SHEET_HEAD}<sheetData><row>{cells}</row></sheetData></worksheet>")
    assert len(data) < 500_000
    refusal = _refusal(data)
    assert refusal.code == "file_too_wide"
    assert "AX" in refusal.errors[0]["message"]


def test_a_declared_dimension_wider_than_an_import_is_refused():
    data = _with_sheet_xml(
        f'{_SHEET_HEAD}<dimension ref="A1:ZZ2"/><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row></sheetData></worksheet>'
    )
    assert _refusal(data).code == "file_too_wide"


def test_one_cell_far_to_the_right_in_a_data_row_is_refused():
    book = Workbook()
    book.active.append(["物资名称", "数量"])
    book.active.append(["N95口罩", 3])
    book.active.cell(row=3, column=xlsx.MAX_COLUMNS + 1, value="x")
    book.active.cell(row=2, column=1).value = "N95口罩"
    out = io.BytesIO()
    book.save(out)
    assert _refusal(out.getvalue()).code == "file_too_wide"


def test_a_sheet_as_wide_as_allowed_is_read():
    header = [f"h{n}" for n in range(xlsx.MAX_COLUMNS)]
    rows = _read(_workbook(header, list(range(xlsx.MAX_COLUMNS))))
    assert rows[0] == tuple(header) and len(rows[1]) == xlsx.MAX_COLUMNS


# --- Exports: text is data, never a formula ----------------------------------------------------


@pytest.mark.parametrize("write_only", [True, False])
def test_export_cells_write_text_as_data_and_neutralise_formula_triggers(write_only):
    book = Workbook(write_only=write_only)
    sheet = book.create_sheet("s") if write_only else book.active
    hostile = ['=HYPERLINK("http://evil.example","x")', "+1", "-1", "@SUM(A1)", "\tx", "\rx"]
    xlsx.export_row(sheet, [*hostile, "plain", "bell\x07", 42, None], bold=True)
    out = io.BytesIO()
    book.save(out)
    cells = next(load_workbook(io.BytesIO(out.getvalue())).worksheets[0].iter_rows())
    for cell, text in zip(cells, hostile, strict=False):
        assert cell.data_type == "s"
        # A bare CR reads back as a line feed through the standard library's XML parser, as
        # itself through lxml's (which python-docx brings): either way the text is data.
        assert cell.value in {"'" + text, "'" + text.replace("\r", "\n")}
    written = [(c.value, c.data_type) for c in cells[6:9]]
    assert written == [("plain", "s"), ("bell", "s"), (42, "n")]
    assert cells[0].font.bold
