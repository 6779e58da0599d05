"""The subsidies' API: scoped reads (out of sight is the same 404 as missing), the group's
decisions, the voucher paid once, and the public calculator (no account)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from dualtrack.subsidies.models import Claim, ClaimStatus
from dualtrack.subsidies.services import payments, review
from dualtrack.subsidies.services.claims import offer_confirm
from dualtrack.subsidies.services.offers import offers_compute
from dualtrack.subsidies.tests.conftest import hire


@pytest.fixture
def offer(policy, enterprise, ent_user) -> Claim:
    hire(ent_user, enterprise, 1)
    offers_compute(actor=policy.group)
    return Claim.objects.get(enterprise=enterprise, status=ClaimStatus.OFFERED)


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_reads_are_scoped(client, offer, ent_user, personas):
    client.force_login(ent_user)
    rows = client.get("/api/subsidies/claims").json()
    assert [r["id"] for r in rows] == [offer.pk]
    detail = client.get(f"/api/subsidies/claims/{offer.pk}").json()
    assert "新招员工 1 人" in detail["explanation"]["zh"]
    client.force_login(personas.outsider)
    hidden = client.get(f"/api/subsidies/claims/{offer.pk}")
    missing = client.get("/api/subsidies/claims/999999")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["detail"] == missing.json()["detail"]


def test_confirm_and_decide(client, offer, ent_user, policy, wg_enterprise):
    client.force_login(ent_user)
    bad = post(
        client,
        f"/api/subsidies/claims/{offer.pk}/confirm",
        {"bank_name": "工行", "bank_account": "x"},
    )
    assert bad.status_code == 422
    ok = post(
        client,
        f"/api/subsidies/claims/{offer.pk}/confirm",
        {"bank_name": "工行", "bank_account": "6222000011112222"},
    )
    assert ok.json()["status"] == "submitted"
    client.force_login(wg_enterprise)
    assert post(client, f"/api/subsidies/claims/{offer.pk}/approve", {}).status_code == 403
    client.force_login(policy.group)
    trimmed = post(client, f"/api/subsidies/claims/{offer.pk}/approve", {"amount": "1000"})
    assert trimmed.status_code == 422 and trimmed.json()["errors"][0]["field"] == "reason"
    done = post(client, f"/api/subsidies/claims/{offer.pk}/approve", {})
    assert done.json()["approved_amount"] == "2000.00"


def test_a_voucher_paid_twice_is_refused(client, offer, ent_user, policy):
    offer_confirm(actor=ent_user, claim=offer, bank_name="工行", bank_account="6222000011112222")
    review.claim_approve(actor=policy.group, claim=offer)
    batch = payments.batch_create(actor=policy.group)
    client.force_login(policy.group)
    assert (
        post(client, f"/api/subsidies/batches/{batch.pk}/paid", {"voucher_no": "V7"}).status_code
        == 200
    )
    again = post(client, f"/api/subsidies/batches/{batch.pk}/paid", {"voucher_no": "V7"})
    assert again.status_code == 409


def test_the_public_calculator(client, policy):
    body = {"clause": "recruitment", "inputs": {"hires": [[i, "2026-12-01", ""] for i in range(3)]}}
    answer = post(client, "/api/subsidies/public/calculator", body)
    assert answer.status_code == 200, answer.content
    assert answer.json()["amount"] == "6000.00"
    loan = {
        "clause": "loan",
        "inputs": {
            "principal": "1000",
            "start": "2026-11-01",
            "end": "2026-11-02",
            "contract_no": "",
        },
    }
    refused = post(client, "/api/subsidies/public/calculator", loan)
    assert refused.status_code == 422 and refused.json()["code"] == "no_contract"
    junk = post(client, "/api/subsidies/public/calculator", {"clause": "rent", "inputs": {}})
    assert junk.status_code == 422


def test_the_policy_group_records_parameters_and_bad_ones_are_refused(client, policy, ent_user):
    from dualtrack.subsidies.models import ParameterVersion

    client.force_login(policy.group)
    start = policy.start.isoformat()
    body = {
        "clause": "recruitment",
        "name": "per_hire",
        "value": "2500",
        "effective_from": start,
        "reason": "更正",
    }
    ok = post(client, "/api/subsidies/parameters", body)
    assert ok.status_code == 200 and Decimal(ok.json()["value"]) == 2500
    before = ParameterVersion.objects.count()
    for bad, code in (
        ({"value": "-1"}, "absurd_figure"),
        ({"value": "1e12"}, "absurd_figure"),
        ({"name": "nothing"}, "no_parameter"),
        ({"clause": "nothing"}, "no_parameter"),
        (
            {
                "effective_from": policy.start.replace(
                    day=1, month=1, year=policy.start.year - 1
                ).isoformat(),
                "effective_to": start,
            },
            "overlap",
        ),
    ):
        answer = post(client, "/api/subsidies/parameters", {**body, **bad})
        assert answer.status_code == 422, bad
        assert answer["Content-Type"].startswith("application/problem+json")
        assert code in answer.content.decode(), (bad, answer.content)
    assert ParameterVersion.objects.count() == before
    client.force_login(ent_user)
    assert post(client, "/api/subsidies/parameters", body).status_code in (403, 404)
    # The page: the same service, its error shown on the form.
    client.force_login(policy.group)
    page = client.post("/subsidies/parameters/", {**body, "value": "-5", "effective_to": ""})
    assert page.status_code == 422 and ParameterVersion.objects.count() == before
