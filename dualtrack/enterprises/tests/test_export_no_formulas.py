"""The registry and roster exports write names and addresses as data, never as formulas."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from dualtrack.enterprises.services.imports import enterprises_export
from dualtrack.enterprises.services.roster import clean_employee, employee_create, roster_export
from dualtrack.enterprises.tests.conftest import CODES, make_enterprise

HOSTILE = '=HYPERLINK("http://evil.example","点击")'


def _cells(content: bytes):
    return list(load_workbook(io.BytesIO(content)).active.iter_rows())


def test_a_formula_in_the_registry_is_exported_as_text(personas, district):
    enterprise = make_enterprise(
        personas.district_admin, district.town, CODES[2], "=1+1", address="@SUM(A1:A9)"
    )
    rows = _cells(enterprises_export([enterprise]))
    name, address = rows[1][1], rows[1][6]
    assert (name.data_type, name.value) == ("s", "'=1+1")
    assert (address.data_type, address.value) == ("s", "'@SUM(A1:A9)")
    assert rows[0][0].data_type == "s" and rows[0][0].font.bold


def test_a_formula_in_the_roster_is_exported_as_text(enterprise, ent_user):
    employee_create(actor=ent_user, enterprise=enterprise, data=clean_employee(name=HOSTILE[:50]))
    rows = _cells(roster_export(actor=ent_user, enterprise=enterprise))
    name = rows[1][0]
    assert (name.data_type, name.value) == ("s", "'" + HOSTILE[:50])
