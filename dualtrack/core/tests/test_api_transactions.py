"""A write and its answer are one: an answer that fails after the service wrote (a value that
cannot be serialised) rolls the write back, as does any other error answer — but for the
operations open without an account, whose refusals keep their rate limit's count."""

from __future__ import annotations

import pytest
from django.db import connection
from django.http import HttpResponse
from django.urls import path
from ninja import Router, Schema

from dualtrack.core.api import API_AUTH, DualtrackAPI, before_transaction, install_problem_handlers
from dualtrack.core.models import User

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


class _Out(Schema):
    number: int


_router = Router()


@_router.post("/write-then-fail", response={200: _Out})
def _write_then_fail(request):  # type: ignore[no-untyped-def]
    User.objects.create_user(username="written")
    return {"number": "not a number"}  # the answer cannot be serialised


@_router.post("/write-then-refuse", response={200: _Out})
def _write_then_refuse(request):  # type: ignore[no-untyped-def]
    from dualtrack.core.errors import ValidationFailed

    User.objects.create_user(username="written")
    raise ValidationFailed.for_field("x", "no")


@_router.post("/write", response={200: _Out})
def _write(request):  # type: ignore[no-untyped-def]
    User.objects.create_user(username="written")
    return {"number": 1}


@_router.post("/public/count-then-refuse", response={200: _Out}, auth=None)
def _public_count_then_refuse(request):  # type: ignore[no-untyped-def]
    from dualtrack.core.errors import ValidationFailed

    User.objects.create_user(username="counted")
    raise ValidationFailed.for_field("x", "no")


@_router.post("/public/count-then-fail", response={200: _Out}, auth=None)
def _public_count_then_fail(request):  # type: ignore[no-untyped-def]
    User.objects.create_user(username="counted")
    return {"number": "not a number"}


def _gate(request):  # type: ignore[no-untyped-def]
    """Counts like a rate limit, and records how deep in transactions it ran."""
    User.objects.create_user(username=f"gate-{len(connection.savepoint_ids)}")
    return HttpResponse(status=429) if request.GET.get("refuse") else None


@_router.post("/public/gated-then-fail", response={200: _Out}, auth=None)
@before_transaction(_gate)
def _public_gated_then_fail(request):  # type: ignore[no-untyped-def]
    User.objects.create_user(username="counted")
    return {"number": "not a number"}


_api = DualtrackAPI(urls_namespace="transactions_test", auth=API_AUTH)
install_problem_handlers(_api)
_api.add_router("/", _router)
urlpatterns = [path("api/", _api.urls)]


@pytest.fixture
def client(client, personas):
    client.force_login(personas.outsider)
    client.raise_request_exception = False
    return client


def test_an_answer_that_cannot_be_serialised_rolls_the_write_back(client):
    response = client.post("/api/write-then-fail")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/problem+json"
    assert not User.objects.filter(username="written").exists()


def test_a_refusal_rolls_back_what_the_route_wrote_before_it(client):
    response = client.post("/api/write-then-refuse")
    assert response.status_code == 422
    assert not User.objects.filter(username="written").exists()


def test_a_write_that_answers_is_kept(client):
    assert client.post("/api/write").status_code == 200
    assert User.objects.filter(username="written").exists()


def test_a_public_refusal_keeps_what_was_counted_before_it(client):
    assert client.post("/api/public/count-then-refuse").status_code == 422
    assert User.objects.filter(username="counted").exists()


def test_a_public_server_error_rolls_back(client):
    assert client.post("/api/public/count-then-fail").status_code == 500
    assert not User.objects.filter(username="counted").exists()


def test_refused_self_registrations_count_towards_the_rate_limit(settings, db):
    """Guessing QR tokens is refused (410) and counted: the 21st guess in the window is 429 (a
    day's window, which a test cannot run across as it could a minute's)."""
    from django.core.cache import cache
    from django.test import Client

    settings.SELF_REGISTRATION_RATE = "20/d"
    settings.ROOT_URLCONF = "config.urls"
    cache.clear()
    anonymous = Client()
    answers = [
        anonymous.post(
            f"/api/checkpoints/public/guess{n}/passages",
            '{"direction": "in", "name": "张三"}',
            content_type="application/json",
        ).status_code
        for n in range(21)
    ]
    assert answers == [410] * 20 + [429]


def test_a_gate_runs_before_the_operations_transaction_and_keeps_what_it_wrote(client):
    """A rate limit counted in the gate stays counted when the operation is rolled back, and it
    held no row for the length of the operation: it ran outside the operation's transaction
    (at the depth of the test's own, not one deeper)."""
    outer = len(connection.savepoint_ids)
    assert client.post("/api/public/gated-then-fail").status_code == 500
    assert User.objects.filter(username=f"gate-{outer}").exists()
    assert not User.objects.filter(username="counted").exists()


def test_a_gate_that_answers_is_the_answer_and_the_operation_does_not_run(client):
    assert client.post("/api/public/gated-then-fail?refuse=1").status_code == 429
    assert User.objects.filter(username__startswith="gate-").count() == 1
    assert not User.objects.filter(username="counted").exists()
