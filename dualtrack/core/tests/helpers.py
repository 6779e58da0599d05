"""Assertions shared by the API tests."""

from __future__ import annotations

PROBLEM = "application/problem+json"
JSON = "application/json"


def problem_of(response, status: int, code: str) -> dict:
    """The problem+json body of ``response``, after checking its status, type and code."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["code"] == code
    return body
