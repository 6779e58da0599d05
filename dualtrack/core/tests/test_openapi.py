"""The OpenAPI document does not drift by accident, and documents every operation fully.

After a deliberate change to the API, rewrite the snapshot and review its diff:
``UPDATE_OPENAPI_SNAPSHOT=1 pytest dualtrack/core/tests/test_openapi.py``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from django.conf import settings

SNAPSHOT = Path(settings.BASE_DIR) / "docs" / "openapi.json"
METHODS = {"get", "put", "post", "delete", "patch"}


@pytest.fixture
def document(client, db) -> dict:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    return response.json()


def _operations(document: dict) -> list[tuple[str, str, dict]]:
    return [
        (method, path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


def _without_status_phrases(document: dict) -> dict:
    """The document less the responses' descriptions, which django-ninja takes from Python's
    ``http.HTTPStatus`` phrases and which differ between Python versions (422 is "Unprocessable
    Entity" in 3.12 and "Unprocessable Content" in 3.13)."""
    stable = json.loads(json.dumps(document))
    for _method, _path, operation in _operations(stable):
        for response in operation.get("responses", {}).values():
            response.pop("description", None)
    return stable


def test_openapi_document_matches_the_snapshot(document):
    stable = _without_status_phrases(document)
    rendered = json.dumps(stable, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    if os.environ.get("UPDATE_OPENAPI_SNAPSHOT") == "1":
        SNAPSHOT.write_text(rendered, encoding="utf-8")
    assert SNAPSHOT.read_text(encoding="utf-8") == rendered, (
        "The API changed. If that was intended, run with UPDATE_OPENAPI_SNAPSHOT=1 and commit "
        "docs/openapi.json."
    )


def test_every_operation_has_a_unique_operation_id_and_a_summary(document):
    operations = _operations(document)
    assert operations
    for method, path, operation in operations:
        assert operation.get("operationId"), f"{method.upper()} {path} has no operationId"
        assert operation.get("summary"), f"{method.upper()} {path} has no summary"
    ids = [operation["operationId"] for _m, _p, operation in operations]
    assert len(ids) == len(set(ids))


def test_every_operation_documents_its_problems(document):
    """A success response, 401 for callers without credentials, and a problem schema for each
    4xx it declares."""
    schemas = document["components"]["schemas"]
    for method, path, operation in _operations(document):
        responses = operation["responses"]
        assert any(code.startswith("2") for code in responses), f"{method} {path}"
        if operation.get("security"):
            assert "401" in responses, f"{method.upper()} {path} does not document 401"
        for code, response in responses.items():
            if not code.startswith("4"):
                continue
            ref = response["content"]["application/problem+json"]["schema"]["$ref"]
            schema = schemas[ref.rsplit("/", 1)[-1]]
            assert {"type", "title", "status", "detail", "code", "errors"} <= set(
                schema["properties"]
            ), f"{method.upper()} {path} {code} is not a problem"
