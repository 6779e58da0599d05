"""Walking the OpenAPI document: every operation, with ids of records that exist and bodies that
pass its schema, and every answer checked against what the document says of it.

Used by test_api_every_operation.py; the demo district (seeded small) supplies the records."""

from __future__ import annotations

import json
import re
from typing import Any

from django.apps import apps
from django.db import connection
from jsonschema import Draft202012Validator

METHODS = ("get", "post", "put", "patch", "delete")
PARAM = re.compile(r"{(\w+)}")
PROBLEM = "application/problem+json"

# The model (app_label.Model) whose first row a path parameter names.
PATH_MODELS = {
    "token_id": "core.ApiToken",
    "household_id": "areas.Household",
    "resident_id": "areas.Resident",
    "object_id": "areas.Resident",
    "unit_id": "areas.OrgUnit",
    "assignment_id": "areas.LiaisonAssignment",
    "grant_id": "areas.RoleGrant",
    "area_id": "areas.Area",
    "checkpoint_id": "checkpoints.Checkpoint",
    "shift_id": "checkpoints.Shift",
    "passage_id": "checkpoints.Passage",
    "alert_id": "checkpoints.Alert",
    "risk_area_id": "areas.RiskArea",
    "enterprise_id": "enterprises.Enterprise",
    "signup_id": "enterprises.EnterpriseSignup",
    "filing_id": "enterprises.ResumptionFiling",
    "rectification_id": "enterprises.Rectification",
    "holder_id": "supplies.Holder",
    "adjustment_id": "supplies.StocktakeAdjustment",
    "entry_id": "supplies.Entry",
    "transfer_id": "supplies.Transfer",
    "request_id": "supplies.SupplyRequest",
    "health_alert_id": "health.HealthAlert",
}
# String path parameters that name something other than a record.
PATH_TEXT = {"code": "C", "app_label": "areas", "model_name": "resident", "item": "thermometer"}
UNKNOWN_ID = "999999"


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """Every operation: reads first, then writes, deletions last, so that the records a walk
    reads are still there."""
    found = [
        (method, path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]
    return sorted(found, key=lambda op: METHODS.index(op[0]) if op[0] in ("get", "delete") else 1)


def path_values() -> dict[str, str]:
    """An existing record's id for each path parameter (or a number of no record): the newest,
    which is not the administrator's own role grant."""
    values = dict(PATH_TEXT)
    for name, label in PATH_MODELS.items():
        pk = apps.get_model(label).objects.order_by("-pk").values_list("pk", flat=True).first()
        values[name] = str(pk) if pk is not None else UNKNOWN_ID
    return values


def url_of(path: str, values: dict[str, str]) -> str:
    return PARAM.sub(lambda m: values.get(m[1], UNKNOWN_ID), path)


def resolve(schema: dict[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def sample(schema: dict[str, Any], document: dict[str, Any], text: Any = "x") -> Any:
    """A value that passes ``schema``; every free text in it (no enum, no format) is ``text``."""
    schema = resolve(schema, document)
    if "enum" in schema:
        return schema["enum"][0]
    if "anyOf" in schema:
        options = [o for o in schema["anyOf"] if o.get("type") != "null"]
        return sample(options[0], document, text) if options else None
    kind = schema.get("type")
    if kind == "object":
        properties = schema.get("properties", {})
        return {name: sample(spec, document, text) for name, spec in properties.items()}
    if kind == "array":
        items = schema.get("items")
        return [sample(items, document, text)] if items else []
    if kind == "string":
        return {
            "date": "2020-02-01",
            "date-time": "2020-02-01T08:00:00+08:00",
            "time": "08:00:00",
            "uuid": "123e4567-e89b-12d3-a456-426614174000",
            "binary": "",
        }.get(schema.get("format", ""), text)
    return {"integer": 1, "number": 1, "boolean": False}.get(str(kind))


def replace_format(value: Any, schema: dict[str, Any], document: dict, fmt: str, new: Any) -> Any:
    """``value`` with every string of ``format: fmt`` in it replaced by ``new``."""
    schema = resolve(schema, document)
    if "anyOf" in schema:
        options = [o for o in schema["anyOf"] if o.get("type") != "null"]
        return replace_format(value, options[0], document, fmt, new) if options else value
    if schema.get("type") == "string" and schema.get("format") == fmt:
        return new
    if schema.get("type") == "object" and isinstance(value, dict):
        properties = schema.get("properties", {})
        return {
            k: replace_format(v, properties.get(k, {}), document, fmt, new)
            for k, v in value.items()
        }
    if schema.get("type") == "array" and isinstance(value, list) and schema.get("items"):
        return [replace_format(v, schema["items"], document, fmt, new) for v in value]
    return value


def body_schema(operation: dict[str, Any], content_type: str) -> dict[str, Any] | None:
    content = operation.get("requestBody", {}).get("content", {})
    return content.get(content_type, {}).get("schema")


def query_parameters(operation: dict[str, Any]) -> list[dict[str, Any]]:
    return [p for p in operation.get("parameters", []) if p["in"] == "query"]


def is_free_text(schema: dict[str, Any], document: dict[str, Any]) -> bool:
    schema = resolve(schema, document)
    if "anyOf" in schema:
        return any(is_free_text(o, document) for o in schema["anyOf"])
    return schema.get("type") == "string" and "enum" not in schema and "format" not in schema


def documented_problems(
    document: dict[str, Any], method: str, path: str, response: Any
) -> list[str]:
    """What is wrong with ``response`` by the document: a status the operation does not declare,
    another content type, a body its schema refuses."""
    where = f"{method.upper()} {path} → {response.status_code}"
    declared = document["paths"][path][method]["responses"]
    spec = declared.get(str(response.status_code))
    if spec is None:
        return [f"{where}: status not documented ({sorted(declared)})"]
    content = spec.get("content")
    if not content:
        return [] if not response.content else [f"{where}: a body where none is documented"]
    media = response["Content-Type"].split(";")[0].strip()
    if media not in content:
        return [f"{where}: {media} where {sorted(content)} is documented"]
    schema = content[media].get("schema")
    if schema is None or not media.endswith("json"):
        return []
    validator = Draft202012Validator({**schema, "components": document["components"]})
    errors = sorted(validator.iter_errors(json.loads(response.content)), key=str)
    return [f"{where}: {error.json_path}: {error.message[:200]}" for error in errors[:3]]


def row_counts() -> dict[str, int]:
    """The number of rows of every table, but the sessions' and the cache's."""
    counts = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if table in ("django_session", "dualtrack_cache"):
                continue
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - our own names
            counts[table] = cursor.fetchone()[0]
    return counts
