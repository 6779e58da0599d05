"""The guards every API input gets from the shared bases (core.schemas.InputSchema for bodies,
core.api.DualtrackAPI for path, query and form parameters): text no column can hold, dates as
text and in the platform's window, times with a UTC offset made local, objects only, and
refusals in the user's language."""

from __future__ import annotations

import datetime
import enum
import importlib
import json
import typing

import pytest
from django.apps import apps
from django.utils import timezone, translation
from pydantic import BaseModel
from pydantic_core.core_schema import ErrorType

from dualtrack.core.api import _pydantic_message
from dualtrack.core.models import AuditEntry
from dualtrack.core.schemas import InputSchema
from dualtrack.core.tests.helpers import problem_of
from dualtrack.core.validators import date_window

CHECKPOINTS = "/api/checkpoints/checkpoints"


@pytest.fixture
def admin(client, personas):
    client.force_login(personas.district_admin)
    client.raise_request_exception = False
    return client


@pytest.fixture
def gate(admin, district):
    """A checkpoint, registered through the API (the kernel's tests import no app)."""
    response = admin.post(
        CHECKPOINTS,
        json.dumps({"area_id": district.village.pk, "name": "东口"}),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    return apps.get_model("checkpoints", "Checkpoint").objects.get(pk=response.json()["id"])


def _patch(client, url: str, body: object):
    return client.patch(url, json.dumps(body), content_type="application/json")


def subclasses(cls: type) -> list[type]:
    found: list[type] = []
    subs: list[type] = type.__subclasses__(cls)
    for sub in subs:
        found += [sub, *subclasses(sub)]
    return found


# --- Times with a UTC offset (issue 11, item 5) -------------------------------------------------


@pytest.mark.parametrize(
    ("sent", "stored"),
    [("06:30:00+08:00", "06:30:00"), ("22:30:00Z", "06:30:00"), ("06:30", "06:30:00")],
)
def test_a_time_with_an_offset_is_stored_and_answered_as_local_time(admin, gate, sent, stored):
    response = _patch(admin, f"{CHECKPOINTS}/{gate.pk}", {"opens_at": sent})

    assert response.status_code == 200, response.content
    assert response.json()["opens_at"] == stored
    gate.refresh_from_db()
    assert gate.opens_at == datetime.time.fromisoformat(stored)


# --- Text no column can hold (item 4) ------------------------------------------------------------


@pytest.mark.parametrize("text", ["东\x00口", "东\ud800口"], ids=["nul", "surrogate"])
def test_unstorable_text_in_a_body_is_refused_in_chinese_and_nothing_changes(admin, gate, text):
    audits = AuditEntry.objects.count()

    response = _patch(admin, f"{CHECKPOINTS}/{gate.pk}", {"name": text, "duty_team": "一班"})

    body = problem_of(response, 422, "validation_failed")
    assert [e["field"] for e in body["errors"]] == ["name"]
    assert body["errors"][0]["message"].startswith("文本不能包含")
    gate.refresh_from_db()
    assert gate.name == "东口" and AuditEntry.objects.count() == audits


@pytest.mark.parametrize("parameter", ["q", "status"])
def test_nul_in_a_query_parameter_is_refused(admin, gate, parameter):
    body = problem_of(admin.get(f"{CHECKPOINTS}?{parameter}=%00"), 422, "validation_failed")
    assert body["errors"][0]["field"] == parameter


def test_nul_in_a_path_parameter_is_refused(admin, db):
    body = problem_of(admin.get("/api/areas/sectors/C%00"), 422, "validation_failed")
    assert body["errors"][0]["field"] == "code"


def test_nul_in_a_form_field_is_refused(admin, db):
    response = admin.post("/api/areas/residents/import", {"good_rows_only": "\x00"})
    problem_of(response, 422, "validation_failed")


def test_a_multipart_body_without_a_boundary_is_a_bad_request(admin, db):
    response = admin.post(
        "/api/areas/residents/import", b"--x\r\n\r\n--x--", content_type="multipart/form-data"
    )
    problem_of(response, 400, "malformed_body")


# --- Dates: text only, in one window (item 11) ---------------------------------------------------


@pytest.mark.parametrize("value", [0, 1582000000, 20200201.0])
def test_a_number_is_not_a_date(admin, gate, value):
    response = admin.post(
        "/api/checkpoints/risk-areas",
        json.dumps(
            {"region_code": "420100", "level": "high", "effective_from": value, "source": "x"}
        ),
        content_type="application/json",
    )
    body = problem_of(response, 422, "validation_failed")
    assert body["errors"][0]["field"] == "effective_from"


@pytest.mark.parametrize("value", ["0279-01-01", "1999-12-31", "7782-01-01"])
def test_a_date_outside_the_window_is_refused(admin, gate, value):
    response = admin.post(
        "/api/checkpoints/risk-areas",
        json.dumps(
            {"region_code": "420100", "level": "high", "effective_from": value, "source": "x"}
        ),
        content_type="application/json",
    )
    body = problem_of(response, 422, "validation_failed")
    first, last = date_window()
    assert body["errors"] == [
        {"field": "effective_from", "message": f"请输入 {first} 至 {last} 之间的日期。"}
    ]


@pytest.mark.parametrize("value", ["0", "1582000000", "0279-01-01", "7782-01-01"])
def test_a_query_date_is_held_to_the_window(admin, gate, value):
    body = problem_of(admin.get(f"/api/checkpoints/figures?day={value}"), 422, "validation_failed")
    assert [e["field"] for e in body["errors"]] == ["day"]
    assert admin.get("/api/checkpoints/figures?day=2020-02-01").status_code == 200


def test_the_window_runs_from_2000_to_five_years_ahead():
    first, last = date_window()
    assert first == datetime.date(2000, 1, 1)
    assert (last - timezone.localdate()).days in range(365 * 5 - 2, 365 * 5 + 3)


def test_every_date_field_of_the_forms_is_held_to_the_window():
    from django import forms

    from dualtrack.core.forms import DateField, DateTimeField

    loose = [
        f"{form.__module__}.{form.__qualname__}.{name}"
        for form in subclasses(forms.BaseForm)
        if form.__module__.startswith("dualtrack.") and ".tests." not in form.__module__
        for name, field in getattr(form, "base_fields", {}).items()
        if (isinstance(field, forms.DateField) and not isinstance(field, DateField))
        or (isinstance(field, forms.DateTimeField) and not isinstance(field, DateTimeField))
    ]
    assert loose == []


def test_the_forms_date_field_refuses_a_date_outside_the_window():
    from dualtrack.core.forms import DateField

    field = DateField()
    with translation.override("zh-hans"), pytest.raises(forms_error()):
        field.clean("0279-01-01")
    assert field.clean("2020-02-01") == datetime.date(2020, 2, 1)


def forms_error() -> type[Exception]:
    from django.core.exceptions import ValidationError

    return ValidationError


# --- Every body is an InputSchema, every schema name is one schema (items 4, 10) -----------------


def _body_models() -> list[tuple[str, type]]:
    # The project's API, imported by name: the kernel's layer imports no config module.
    api = importlib.import_module("config.api").api
    found = []
    for bound in api._get_bound_routers():
        for path_view in bound.template.path_operations.values():
            for operation in path_view.operations:
                for model in operation.models:
                    if getattr(model, "__ninja_param_source__", "") != "body":
                        continue
                    for field in model.model_fields.values():
                        found.append((operation.operation_id or "", field.annotation))
    return found


def test_every_json_body_is_read_through_the_guarded_base():
    bodies = _body_models()
    assert len(bodies) > 40
    assert [op for op, model in bodies if not issubclass(model, InputSchema)] == []


def _schemas_of_the_api() -> list[type[BaseModel]]:
    importlib.import_module("config.api")  # every app's routes, and so every schema, loaded
    return [m for m in subclasses(BaseModel) if m.__module__.startswith("dualtrack.")]


def test_no_two_schemas_share_a_name():
    """The OpenAPI document names a schema's component by its class name alone: two of one name
    in two apps make one of them describe the other's operations."""
    names: dict[str, set[str]] = {}
    for model in _schemas_of_the_api():
        names.setdefault(model.__name__, set()).add(model.__module__)
    assert {name: mods for name, mods in names.items() if len(mods) > 1} == {}


def test_no_two_enums_of_the_api_share_a_name():
    """Nor may two choices classes that schemas use as field types share a name."""
    names: dict[str, set[str]] = {}
    for model in _schemas_of_the_api():
        for field in model.model_fields.values():
            for kind in (field.annotation, *typing.get_args(field.annotation)):
                if isinstance(kind, type) and issubclass(kind, enum.Enum):
                    names.setdefault(kind.__name__, set()).add(kind.__module__)
    assert {name: mods for name, mods in names.items() if len(mods) > 1} == {}


# --- No English from Pydantic in a Chinese problem (item 12) ------------------------------------


@pytest.mark.parametrize("kind", typing.get_args(ErrorType))
def test_every_pydantic_error_type_has_a_chinese_message(kind):
    english = "Input should be something"
    with translation.override("zh-hans"):
        message = _pydantic_message({"type": kind, "msg": english, "ctx": {}})
    assert message != english
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message), message


@pytest.mark.parametrize(
    "body",
    [
        {"client_id": "not-a-uuid", "direction": "in"},
        {"direction": "in", "temperature": "NaN"},
        {"direction": "in", "temperature": "inf"},
        {"direction": "in", "resident_id": "abc"},
        {"direction": "in", "resident_id": 1.5},
        {"direction": "sideways"},
        {"direction": "in", "notice_given": "perhaps"},
        {"direction": "in", "occurred_at": "yesterday"},
        {"direction": "in", "name": ["a"]},
    ],
)
def test_refusals_in_chinese_carry_no_english(admin, gate, body):
    response = admin.post(
        f"{CHECKPOINTS}/{gate.pk}/passages", json.dumps(body), content_type="application/json"
    )
    problem = problem_of(response, 422, "validation_failed")
    for error in problem["errors"]:
        assert "Input should" not in error["message"] and "valid" not in error["message"]
        assert any("\u4e00" <= ch <= "\u9fff" for ch in error["message"]), error
