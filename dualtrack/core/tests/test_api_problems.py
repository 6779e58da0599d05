"""Every operation of the API answers bad requests with problem+json.

The operations are read from the OpenAPI document, so that a new route is checked as soon as it
exists: without credentials (401), with a malformed body (400), with required fields missing or
of the wrong type (422), with an id of the wrong type (422) or of no record (404).
"""

from __future__ import annotations

import functools
import json
import re
from typing import Any
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

PROBLEM = "application/problem+json"
METHODS = ("get", "post", "put", "patch", "delete")
PARAM = re.compile(r"{(\w+)}")
# String path parameters that name something other than a record id.
STRING_PARAMS = {"code": "Z", "app_label": "areas", "model_name": "resident"}
UNKNOWN_ID = "999999"
# The only operations open without an account: each is a deliberate choice, reviewed here.
PUBLIC_OPERATIONS = {
    "POST /api/checkpoints/public/{token}/passages",  # QR self-registration at a checkpoint
    "POST /api/enterprises/signups",  # an enterprise asks for an account
    "POST /api/health/quarantine/public/checks/{token}",  # a person's own quarantine check
    # The employment services' public routes (a fair's postings, applying with a one-time code,
    # the job seeker's personal link, an introducer's own registration), rate-limited per client
    # address and left out of the document like the QR self-registration.
    "GET /api/employment/public/fairs/{fair_id}/postings",
    "POST /api/employment/public/postings/{posting_id}/applications",
    "POST /api/employment/public/applications/verify",
    "GET /api/employment/public/me/{token}",
    "POST /api/employment/public/introducers",
    "POST /api/employment/public/introducers/verify",
    # The government services' public routes (the catalogue, filing online or by post, a
    # request followed and rated by its personal link, appointments booked, moved and cancelled
    # by theirs), each rate-limited per client address.
    "GET /api/services/public/matters",
    "GET /api/services/public/counters",
    "GET /api/services/public/counters/{counter_id}/slots",
    "POST /api/services/public/requests/online",
    "POST /api/services/public/requests/post",
    "GET /api/services/public/requests/{token}",
    "POST /api/services/public/requests/{token}/rating",
    "POST /api/services/public/bookings",
    "GET /api/services/public/bookings/{token}",
    "POST /api/services/public/bookings/{token}/reschedule",
    "POST /api/services/public/bookings/{token}/cancel",
    "POST /api/subsidies/public/calculator",
}


@functools.cache
def _document() -> dict[str, Any]:
    # Read at collection time, to parametrize the tests; serving the document needs no database.
    return Client().get("/api/openapi.json").json()


def _operations() -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, operation)
        for path, item in _document()["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


def _schema(ref: str, document: dict[str, Any]) -> dict[str, Any]:
    return document["components"]["schemas"][ref.rsplit("/", 1)[-1]]


def _json_body_schema(operation: dict[str, Any], document: dict[str, Any]) -> dict | None:
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" not in content:
        return None
    return _schema(content["application/json"]["schema"]["$ref"], document)


def _multipart_sample(operation: dict[str, Any]) -> dict[str, Any] | None:
    """Form fields that pass validation for a multipart body: a small file per file field."""
    content = operation.get("requestBody", {}).get("content", {})
    schema = content.get("multipart/form-data", {}).get("schema")
    if schema is None:
        return None
    return {
        name: SimpleUploadedFile(f"{name}.xlsx", b"not really a workbook")
        for name in schema.get("required", [])
        if schema["properties"][name].get("format") == "binary"
    }


def _int_params(operation: dict[str, Any]) -> list[str]:
    return [
        p["name"]
        for p in operation.get("parameters", [])
        if p["in"] == "path" and p["schema"].get("type") == "integer"
    ]


def _url(path: str, **values: str) -> str:
    return PARAM.sub(lambda m: values.get(m[1], STRING_PARAMS.get(m[1], UNKNOWN_ID)), path)


def _sample(schema: dict[str, Any], document: dict[str, Any]) -> Any:
    """A value that passes validation for ``schema``."""
    if "$ref" in schema:
        return _sample(_schema(schema["$ref"], document), document)
    if "enum" in schema:
        return schema["enum"][0]
    if "anyOf" in schema:
        options = [o for o in schema["anyOf"] if o.get("type") != "null"]
        return _sample(options[0], document) if options else None
    kind = schema.get("type")
    if kind == "object":
        properties = schema.get("properties", {})
        return {name: _sample(properties[name], document) for name in schema.get("required", [])}
    if kind == "array":
        return []
    if kind == "string" and schema.get("format") == "date":
        return "2020-02-01"
    if kind == "string" and schema.get("format") == "date-time":
        return "2020-02-01T08:00:00+08:00"
    return {"integer": 1, "number": 1, "boolean": False, "string": "x"}[str(kind)]


def _query(operation: dict[str, Any], document: dict[str, Any]) -> str:
    """Values that pass validation for the operation's required query parameters."""
    values = {
        p["name"]: _sample(p["schema"], document)
        for p in operation.get("parameters", [])
        if p["in"] == "query" and p.get("required")
    }
    return "?" + urlencode(values) if values else ""


def _send(client: Client, method: str, url: str, body: Any = None, form: Any = None):
    if form is not None:
        return getattr(client, method)(url, form)
    if body is None:
        return getattr(client, method)(url)
    if not isinstance(body, str):
        body = json.dumps(body)
    return getattr(client, method)(url, body, content_type="application/json")


def _assert_problem(response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["code"] == code
    return body


OPERATIONS = [
    pytest.param(method, path, operation, id=f"{method.upper()} {path}")
    for method, path, operation in _operations()
]


def _operation_of(param: Any) -> dict[str, Any]:
    return param.values[2]


def _operation_of_id(param: Any) -> str:
    return f"{param.values[0].upper()} {param.values[1]}"


SECURED = [p for p in OPERATIONS if _operation_of(p).get("security")]
JSON_BODIES = [p for p in OPERATIONS if _json_body_schema(_operation_of(p), _document())]
REQUIRED_FIELDS = [
    p
    for p in JSON_BODIES
    if (_json_body_schema(_operation_of(p), _document()) or {}).get("required")
]
WITH_IDS = [p for p in OPERATIONS if _int_params(_operation_of(p))]


@pytest.fixture
def admin_client(client, personas) -> Client:
    client.force_login(personas.district_admin)
    return client


def test_the_api_has_operations_to_check():
    assert len(OPERATIONS) > 30
    assert JSON_BODIES and REQUIRED_FIELDS and WITH_IDS


def test_exactly_the_reviewed_operations_are_open_without_credentials():
    open_ = {_operation_of_id(p) for p in OPERATIONS} - {_operation_of_id(p) for p in SECURED}
    assert open_ <= PUBLIC_OPERATIONS


@pytest.mark.parametrize(("method", "path", "operation"), SECURED)
def test_callers_without_credentials_are_refused(client, db, method, path, operation):
    body = _json_body_schema(operation, _document())
    response = _send(client, method, _url(path), {} if body else None)

    _assert_problem(response, 401, "not_authenticated")


@pytest.mark.parametrize(("method", "path", "operation"), JSON_BODIES)
def test_a_malformed_json_body_is_refused(admin_client, method, path, operation):
    response = _send(admin_client, method, _url(path), '{"name": "x",')

    body = _assert_problem(response, 400, "malformed_body")
    assert body["detail"] == "请求正文不是有效的 JSON。"


@pytest.mark.parametrize(("method", "path", "operation"), REQUIRED_FIELDS)
def test_missing_fields_are_named_one_by_one(admin_client, method, path, operation):
    required = _json_body_schema(operation, _document())["required"]

    response = _send(admin_client, method, _url(path), {})

    body = _assert_problem(response, 422, "validation_failed")
    assert sorted(e["field"] for e in body["errors"]) == sorted(required)
    assert {e["message"] for e in body["errors"]} == {"此项为必填项。"}


@pytest.mark.parametrize("body", [[1, 2], [], 0, '"x"'], ids=["array", "empty array", "0", "text"])
@pytest.mark.parametrize(("method", "path", "operation"), JSON_BODIES)
def test_a_body_that_is_not_an_object_is_refused(admin_client, method, path, operation, body):
    """Pydantic's lax mode read an array as an object without attributes: a PATCH of optional
    fields succeeded, changing nothing."""
    response = _send(admin_client, method, _url(path), body)

    problem = _assert_problem(response, 422, "validation_failed")
    assert problem["errors"] == [{"field": "body", "message": "必须是 JSON 对象。"}]


@pytest.mark.parametrize(("method", "path", "operation"), REQUIRED_FIELDS)
def test_fields_of_the_wrong_type_are_named(admin_client, method, path, operation):
    schema = _json_body_schema(operation, _document())
    body = {name: {"not": "a scalar"} for name in schema["required"]}

    response = _send(admin_client, method, _url(path), body)

    problem = _assert_problem(response, 422, "validation_failed")
    assert sorted(e["field"] for e in problem["errors"]) == sorted(schema["required"])


@pytest.mark.parametrize(("method", "path", "operation"), WITH_IDS)
def test_ids_of_the_wrong_type_are_refused(admin_client, method, path, operation):
    names = _int_params(operation)
    schema = _json_body_schema(operation, _document())
    body = _sample(schema, _document()) if schema else None
    form = _multipart_sample(operation)
    url = _url(path, **dict.fromkeys(names, "abc")) + _query(operation, _document())

    response = _send(admin_client, method, url, body, form)

    problem = _assert_problem(response, 422, "validation_failed")
    assert [e["field"] for e in problem["errors"]] == names
    assert [e["message"] for e in problem["errors"]] == ["请输入整数。"] * len(names)


@pytest.mark.parametrize(("method", "path", "operation"), WITH_IDS)
def test_ids_of_no_record_are_not_found(admin_client, method, path, operation):
    schema = _json_body_schema(operation, _document())
    body = _sample(schema, _document()) if schema else None

    url = _url(path) + _query(operation, _document())

    response = _send(admin_client, method, url, body, _multipart_sample(operation))

    problem = _assert_problem(response, 404, "not_found")
    assert problem["detail"] == "记录不存在，或不在您的管辖范围内。"
