"""The pages: an enterprise confirms its offer, the group approves with the explanation shown,
a batch is exported and marked paid; the public pages; out of sight is 404, a role without the
action 403; refused forms answer 422 with the message and write nothing."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dualtrack.core import platform
from dualtrack.subsidies.models import Claim, ClaimStatus, PaymentBatch
from dualtrack.subsidies.services.offers import offers_compute
from dualtrack.subsidies.tests.conftest import hire


@pytest.fixture
def offer(policy, enterprise, ent_user) -> Claim:
    hire(ent_user, enterprise, 1)
    hire(ent_user, enterprise, 2)
    offers_compute(actor=policy.group)
    return Claim.objects.get(enterprise=enterprise, status=ClaimStatus.OFFERED)


def test_enterprise_confirms_and_group_approves_through_the_pages(client, offer, ent_user, policy):
    client.force_login(ent_user)
    page = client.get(reverse("subsidies_claim", args=[offer.pk]))
    assert page.status_code == 200
    assert "新招员工 2 人 × 2,000 元 = 4,000 元" in page.content.decode()
    # Each hire counted links to its row of the enterprise's roster.
    for hire_id in offer.inputs["ids"]:
        assert f'{reverse("portal_roster")}#hire-{hire_id}"' in page.content.decode()
    bad = client.post(
        reverse("subsidies_claim_confirm", args=[offer.pk]),
        {"bank_name": "工行", "bank_account": "12", "willing": "on"},
    )
    assert bad.status_code == 422
    offer.refresh_from_db()
    assert offer.status == ClaimStatus.OFFERED
    ok = client.post(
        reverse("subsidies_claim_confirm", args=[offer.pk]),
        {"bank_name": "工行", "bank_account": "6222000011112222", "willing": "on"},
    )
    assert ok.status_code == 302
    client.force_login(policy.group)
    refused = client.post(reverse("subsidies_claim_approve", args=[offer.pk]), {"amount": "3000"})
    assert refused.status_code == 422
    approved = client.post(reverse("subsidies_claim_approve", args=[offer.pk]), {"amount": ""})
    assert approved.status_code == 302
    offer.refresh_from_db()
    assert offer.status == ClaimStatus.APPROVED and offer.approved_amount == Decimal("4000.00")
    assert client.post(reverse("subsidies_batch_create")).status_code == 302
    batch = PaymentBatch.objects.get()
    sheet = client.get(reverse("subsidies_batch_export", args=[batch.pk]))
    rows = list(load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True))
    assert rows[1][3] == offer.payee_name and Decimal(str(rows[1][6])) == Decimal("4000")
    paid = client.post(reverse("subsidies_batch_paid", args=[batch.pk]), {"voucher_no": "V1"})
    assert paid.status_code == 302
    batch.refresh_from_db()
    assert batch.voucher_no == "V1"
    figures = {
        f.key: f.value for f in platform.figures_for(user=policy.group, day=timezone.localdate())
    }
    assert figures["subsidies.paid"] == Decimal("4000.00")


def test_out_of_sight_is_404_and_a_role_without_the_action_403(
    client, offer, personas, wg_enterprise, far_enterprise
):
    client.force_login(personas.outsider)
    assert client.get(reverse("subsidies_claim", args=[offer.pk])).status_code == 404
    assert client.get(reverse("subsidies_claim", args=[99999])).status_code == 404
    client.force_login(wg_enterprise)
    assert client.get(reverse("subsidies_claim", args=[offer.pk])).status_code == 200
    assert client.post(reverse("subsidies_claim_approve", args=[offer.pk])).status_code in (
        403,
        422,
    )
    assert client.post(reverse("subsidies_offers_compute")).status_code == 403
    assert platform.figures_for(user=personas.outsider, day=timezone.localdate()) == [] or all(
        not f.key.startswith("subsidies.")
        for f in platform.figures_for(user=personas.outsider, day=timezone.localdate())
    )


@pytest.mark.parametrize(
    "name", ["subsidies_index", "subsidies_budgets", "subsidies_ledger", "subsidies_figures"]
)
def test_staff_pages_answer(client, offer, policy, name):
    client.force_login(policy.group)
    assert client.get(reverse(name)).status_code == 200


def test_figures_export_is_a_workbook(client, offer, policy):
    client.force_login(policy.group)
    response = client.get(reverse("subsidies_figures_export"))
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert any(r[1] == "招聘补助" or r[1] == "recruitment subsidy" for r in rows[1:])


def test_public_pages_need_no_account(client, policy):
    assert client.get(reverse("subsidies_policies")).status_code == 200
    page = client.post(
        reverse("subsidies_calculator"),
        {"clause": "recruitment", "workers": "37", "already": "4990000"},
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "新招员工 37 人 × 2,000 元 = 74,000 元；本企业已核定 4,990,000 元" in text
    bad = client.post(
        reverse("subsidies_calculator"),
        {"clause": "loan", "principal": "1000", "start": "2026-02-01", "end": "2026-02-10"},
    )
    assert bad.status_code == 422 and "贷款合同" in bad.content.decode()


def test_the_calculator_is_rate_limited(client, policy, settings):
    settings.SUBSIDIES_CALCULATOR_RATE = "2/d"
    for _ in range(2):
        client.post(reverse("subsidies_calculator"), {"clause": "recruitment", "workers": "1"})
    assert (
        client.post(reverse("subsidies_calculator"), {"clause": "recruitment"}).status_code == 429
    )


def test_the_claims_list_and_its_api_take_the_same_queries_for_more_rows(client, offer, policy):
    """The claims' list page and the API's list: a bounded number of queries, whatever the
    number of rows (no query per claim)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def copies(n: int) -> None:
        rows = []
        for _ in range(n):
            row = Claim.objects.get(pk=offer.pk)
            row.pk, row.status = None, ClaimStatus.SUBMITTED
            rows.append(row)
        Claim.objects.bulk_create(rows)

    client.force_login(policy.group)

    def counted() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as page:
            assert client.get(reverse("subsidies_index")).status_code == 200
        with CaptureQueriesContext(connection) as api:
            assert client.get("/api/subsidies/claims").status_code == 200
        return len(page), len(api)

    copies(2)
    few = counted()
    copies(30)
    assert counted() == few
