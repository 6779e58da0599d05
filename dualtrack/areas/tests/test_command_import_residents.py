"""``manage.py import_residents``: the same import as the page, its progress on the terminal."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from dualtrack.areas.models import Resident
from dualtrack.areas.services.imports import IMPORT_COLUMNS
from dualtrack.areas.tests.factories import make_id_number


def _sheet(tmp_path, rows) -> str:
    book = openpyxl.Workbook()
    book.active.append([column.header for column in IMPORT_COLUMNS])
    for row in rows:
        book.active.append(row)
    path = tmp_path / "居民.xlsx"
    book.save(path)
    return str(path)


def _row(area, name: str, id_number: str | None = None) -> list[str]:
    number = id_number or make_id_number()
    return [area.code, "001", "幸福路1号", name, number, "13800138000", "户主", "户籍"]


def test_the_command_imports_with_its_progress_shown(tmp_path, district, personas):
    path = _sheet(tmp_path, [_row(district.group, "张三"), _row(district.group, "李四")])
    out = io.StringIO()
    call_command("import_residents", path, "--as", personas.district_admin.username, stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].endswith("…")  # the first stage, reading the file
    assert any(line.endswith(": 2/2 (100%)") for line in lines)
    assert lines[-1] == "2 of 2 rows imported."
    assert Resident.objects.count() == 2


def test_the_command_lists_every_bad_row_and_writes_nothing(tmp_path, district, personas):
    path = _sheet(
        tmp_path,
        [_row(district.group, "张三"), _row(district.group, "李四", "360122199001010000")],
    )
    err = io.StringIO()
    with pytest.raises(CommandError, match="Nothing imported: 1 of 2 rows are bad"):
        call_command(
            "import_residents",
            path,
            "--as",
            personas.district_admin.username,
            stdout=io.StringIO(),
            stderr=err,
        )
    assert err.getvalue().startswith("row 3, 身份证号:")
    assert not Resident.objects.exists()
