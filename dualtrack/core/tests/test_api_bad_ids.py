"""Every operation of the API, handed numbers that are no record ids in its path and its query,
answers 4xx with a problem, never a server error: such numbers come from anyone, and a 500
tells an attacker where the checks end. The answer is one the document declares (the 422 for a
path id that is no number included)."""

from __future__ import annotations

import json
import re

import pytest

from dualtrack.core.tests.openapi_walk import documented_problems

METHODS = ("get", "post", "put", "patch", "delete")
# Beyond the databases' 64-bit keys; a digit to str.isdigit() that int() refuses; below 1.
NOT_IDS = ["9" * 25, "²", "-5", "0"]


def _is_integer(schema: dict) -> bool:
    return '"integer"' in json.dumps(schema)


@pytest.mark.parametrize("value", NOT_IDS)
def test_no_operation_answers_a_server_error_to_a_number_that_is_no_id(client, personas, value):
    client.raise_request_exception = False
    document = client.get("/api/openapi.json").json()
    client.force_login(personas.district_admin)
    failures: list[str] = []
    tried = 0
    for path, item in document["paths"].items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            query = "&".join(
                f"{parameter['name']}={value}"
                for parameter in operation.get("parameters", [])
                if parameter["in"] == "query" and _is_integer(parameter["schema"])
            )
            url = re.sub(r"\{[^}]+\}", value, path) + (f"?{query}" if query else "")
            if url == path:
                continue  # nothing of the operation takes a number
            tried += 1
            call = getattr(client, method)
            response = (
                call(url) if method == "get" else call(url, "{}", content_type="application/json")
            )
            if response.status_code >= 500:
                failures.append(f"{method.upper()} {url}: {response.status_code}")
            failures += documented_problems(document, method, path, response)
    assert tried > 50  # the document was read and the operations with numbers were found
    assert failures == []
