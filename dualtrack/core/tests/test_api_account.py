"""/api/account: the caller's profile and language, API tokens, authentication and CSRF."""

from __future__ import annotations

import pytest
from django.test import Client

from dualtrack.core.models import ApiToken, AuditAction, AuditEntry
from dualtrack.core.services import api_token_create

PROBLEM = "application/problem+json"
NOT_FOUND_ZH = "记录不存在，或不在您的管辖范围内。"


def problem_of(response, status: int, code: str) -> dict:
    """The problem+json body of ``response``, after checking its status, type and code."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["code"] == code
    assert body["status"] == status
    return body


def bearer(raw: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def cadre_client(client, personas) -> Client:
    client.force_login(personas.village_cadre)
    return client


# --- /me -----------------------------------------------------------------------------------------


def test_me_shows_the_user_their_language_and_their_role_grants_with_areas(
    cadre_client, district, personas
):
    response = cadre_client.get("/api/account/me")

    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "cadre"
    assert body["language"] == "zh-hans"
    assert [(g["role"], g["role_label"], g["area"]) for g in body["grants"]] == [
        (
            "village_cadre",
            "村/社区干部",
            {
                "id": district.village.pk,
                "code": district.village.code,
                "name": "艾溪村",
                "kind": "village",
            },
        )
    ]


def test_me_of_a_user_without_grants_has_no_grants(client, personas):
    client.force_login(personas.outsider)

    assert client.get("/api/account/me").json()["grants"] == []


def test_me_without_credentials_is_refused_in_chinese_by_default(client, db):
    response = client.get("/api/account/me")

    body = problem_of(response, 401, "not_authenticated")
    assert body["detail"] == "请先登录，或提供有效的 API 令牌。"
    assert response["Content-Language"] == "zh-hans"


def test_problems_are_in_english_when_the_client_accepts_english(client, db):
    response = client.get("/api/account/me", HTTP_ACCEPT_LANGUAGE="en")

    body = problem_of(response, 401, "not_authenticated")
    assert body["detail"] == "Sign in, or send a valid API token."
    assert body["title"] == "Not signed in"


def test_a_bogus_bearer_token_is_refused(client, db):
    problem_of(client.get("/api/account/me", **bearer("dt_nonsense")), 401, "not_authenticated")


# --- Language ------------------------------------------------------------------------------------


def test_language_choice_is_kept_and_switches_api_messages_to_english(cadre_client, personas):
    response = cadre_client.put(
        "/api/account/me/language", {"language": "en"}, content_type="application/json"
    )

    assert response.status_code == 200
    assert response.json()["language"] == "en"
    personas.village_cadre.refresh_from_db()
    assert personas.village_cadre.language == "en"
    missing = cadre_client.delete("/api/account/tokens/999999")
    assert problem_of(missing, 404, "not_found")["detail"] == (
        "No such record, or it is outside your scope."
    )


def test_language_choice_is_audited(cadre_client, personas):
    cadre_client.put(
        "/api/account/me/language", {"language": "en"}, content_type="application/json"
    )

    entry = AuditEntry.objects.get(actor=personas.village_cadre, action=AuditAction.UPDATE)
    assert entry.changes == {"language": ["zh-hans", "en"]}


@pytest.mark.parametrize(
    ("body", "field"),
    [({"language": "fr"}, "language"), ({"language": 5}, "language"), ({}, "language")],
    ids=["unknown language", "wrong type", "missing field"],
)
def test_language_choice_refuses_bad_input_field_by_field(cadre_client, body, field):
    response = cadre_client.put("/api/account/me/language", body, content_type="application/json")

    problem = problem_of(response, 422, "validation_failed")
    assert [e["field"] for e in problem["errors"]] == [field]


def test_language_choice_refuses_a_malformed_body(cadre_client):
    response = cadre_client.put(
        "/api/account/me/language", "{language:", content_type="application/json"
    )

    assert problem_of(response, 400, "malformed_body")["detail"] == "请求正文不是有效的 JSON。"


# --- Tokens --------------------------------------------------------------------------------------


def test_token_creation_returns_the_raw_token_once_and_never_lists_it(cadre_client):
    response = cadre_client.post(
        "/api/account/tokens", {"name": "卡点平板"}, content_type="application/json"
    )

    assert response.status_code == 201
    assert response["Cache-Control"] == "no-store"
    issued = response.json()
    assert issued["token"].startswith("dt_")
    assert issued["prefix"] == issued["token"][:10]
    assert issued["is_active"] is True
    listed = cadre_client.get("/api/account/tokens").json()
    assert [t["name"] for t in listed] == ["卡点平板"]
    assert "token" not in listed[0]
    assert issued["token"] not in cadre_client.get("/api/account/tokens").content.decode()


def test_a_token_works_as_a_bearer_until_it_is_revoked(cadre_client, db):
    issued = cadre_client.post(
        "/api/account/tokens", {"name": "script"}, content_type="application/json"
    ).json()
    device = Client()

    assert device.get("/api/account/me", **bearer(issued["token"])).json()["username"] == "cadre"
    revoked = device.delete(f"/api/account/tokens/{issued['id']}", **bearer(issued["token"]))
    assert revoked.status_code == 204
    problem_of(device.get("/api/account/me", **bearer(issued["token"])), 401, "not_authenticated")
    assert ApiToken.objects.get(pk=issued["id"]).revoked_at is not None


def test_token_list_shows_only_the_callers_tokens_in_bounded_queries(
    cadre_client, personas, django_assert_max_num_queries
):
    for name in ("a", "b", "c"):
        api_token_create(actor=personas.village_cadre, name=name)
    api_token_create(actor=personas.town_officer, name="theirs")

    with django_assert_max_num_queries(3):
        response = cadre_client.get("/api/account/tokens")

    assert [t["name"] for t in response.json()] == ["c", "b", "a"]


def test_token_names_must_be_unique_among_active_tokens(cadre_client, personas):
    api_token_create(actor=personas.village_cadre, name="script")

    response = cadre_client.post(
        "/api/account/tokens", {"name": "script"}, content_type="application/json"
    )

    problem_of(response, 409, "token_name_taken")


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"name": "  "}, "validation_failed"),
        ({"name": "x" * 101}, "validation_failed"),
        ({"name": 7}, "validation_failed"),
        ({}, "validation_failed"),
    ],
    ids=["blank", "too long", "wrong type", "missing field"],
)
def test_token_creation_refuses_bad_names(cadre_client, body, code):
    response = cadre_client.post("/api/account/tokens", body, content_type="application/json")

    assert [e["field"] for e in problem_of(response, 422, code)["errors"]] == ["name"]
    assert not ApiToken.objects.exists()


def test_token_creation_refuses_a_malformed_body(cadre_client):
    response = cadre_client.post("/api/account/tokens", "[", content_type="application/json")

    problem_of(response, 400, "malformed_body")


def test_someone_elses_token_cannot_be_revoked_and_reads_as_not_found(cadre_client, personas):
    theirs = api_token_create(actor=personas.town_officer, name="theirs").token

    response = cadre_client.delete(f"/api/account/tokens/{theirs.pk}")

    assert problem_of(response, 404, "not_found")["detail"] == NOT_FOUND_ZH
    theirs.refresh_from_db()
    assert theirs.is_active


def test_revoking_a_revoked_token_is_a_conflict(cadre_client, personas):
    token = api_token_create(actor=personas.village_cadre, name="old").token
    cadre_client.delete(f"/api/account/tokens/{token.pk}")

    problem_of(cadre_client.delete(f"/api/account/tokens/{token.pk}"), 409, "token_revoked")


def test_token_ids_must_be_numbers(cadre_client):
    response = cadre_client.delete("/api/account/tokens/abc")

    problem = problem_of(response, 422, "validation_failed")
    assert problem["errors"] == [{"field": "token_id", "message": "请输入整数。"}]


# --- CSRF ----------------------------------------------------------------------------------------

CSRF_SECRET = "a" * 32


def test_session_writes_without_a_csrf_token_are_refused(personas):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(personas.village_cadre)

    response = browser.post("/api/account/tokens", {"name": "x"}, content_type="application/json")

    problem_of(response, 403, "csrf_failed")
    assert not ApiToken.objects.exists()


def test_session_writes_with_the_csrf_token_go_through(personas):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(personas.village_cadre)
    browser.cookies["csrftoken"] = CSRF_SECRET

    response = browser.post(
        "/api/account/tokens",
        {"name": "x"},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=CSRF_SECRET,
    )

    assert response.status_code == 201


def test_token_writes_need_no_csrf_token(personas):
    raw = api_token_create(actor=personas.village_cadre, name="device").raw
    device = Client(enforce_csrf_checks=True)

    response = device.post(
        "/api/account/tokens", {"name": "second"}, content_type="application/json", **bearer(raw)
    )

    assert response.status_code == 201


def test_token_requests_honour_accept_language(personas):
    raw = api_token_create(actor=personas.village_cadre, name="device").raw
    device = Client()

    english = device.delete("/api/account/tokens/999999", HTTP_ACCEPT_LANGUAGE="en", **bearer(raw))
    chinese = device.delete("/api/account/tokens/999999", **bearer(raw))

    assert problem_of(english, 404, "not_found")["detail"] == (
        "No such record, or it is outside your scope."
    )
    assert problem_of(chinese, 404, "not_found")["detail"] == NOT_FOUND_ZH
