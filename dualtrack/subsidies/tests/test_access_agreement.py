"""Every representation of the subsidies' access rule gives the same answer on the same claims:
for each persona, the queryset, the per-row check, the selector, the API (list and detail) and
the pages (list and detail) agree on which claims they see; the per-row rule, the service and
the API agree on who decides a claim."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from dualtrack.core.models import User
from dualtrack.core.tests.helpers import cast, tried
from dualtrack.enterprises.models import EnterpriseMember
from dualtrack.subsidies import access, selectors
from dualtrack.subsidies.models import Claim, ClaimStatus
from dualtrack.subsidies.services import review
from dualtrack.subsidies.services.offers import offers_compute
from dualtrack.subsidies.tests.conftest import hire

pytestmark = pytest.mark.django_db

API = "/api/subsidies"


@pytest.fixture
def far_user(far_enterprise) -> User:
    user = User.objects.create_user(username="far", password="x", display_name="far")
    EnterpriseMember.objects.create(user=user, enterprise=far_enterprise)
    return user


@pytest.fixture
def claims(policy, enterprise, far_enterprise, ent_user, far_user) -> list[Claim]:
    hire(ent_user, enterprise, 1)
    hire(far_user, far_enterprise, 2)
    offers_compute(actor=policy.group)
    rows = list(Claim.objects.filter(clause="recruitment").order_by("pk"))
    Claim.objects.filter(pk__in=[c.pk for c in rows]).update(status=ClaimStatus.SUBMITTED)
    return rows


@pytest.fixture
def everyone(personas, policy, ent_user, far_user) -> dict[str, User]:
    return cast(personas, policy_group=policy.group, enterprise=ent_user, far_enterprise=far_user)


def test_who_sees_which_claim(everyone, claims, enterprise):
    seen: dict[str, set[int]] = {}
    for name, user in everyone.items():
        client = Client()
        client.force_login(user)
        listed_api = client.get(f"{API}/claims")
        api_rows = {r["id"] for r in listed_api.json()} if listed_api.status_code == 200 else set()
        page = client.get(reverse("subsidies_index"))
        page_text = page.content.decode() if page.status_code == 200 else ""
        for claim in claims:
            by_query = access.claims_visible(user).filter(pk=claim.pk).exists()
            by_row = access.may_see_claim(user, Claim.objects.get(pk=claim.pk))
            by_selector = tried(
                lambda u=user, c=claim: selectors.claim_get_for(user=u, claim_id=c.pk)
            )
            by_api = client.get(f"{API}/claims/{claim.pk}").status_code == 200
            by_page = client.get(reverse("subsidies_claim", args=[claim.pk])).status_code == 200
            in_lists = {
                claim.pk in api_rows,
                reverse("subsidies_claim", args=[claim.pk]) in page_text,
            }
            answers = {by_query, by_row, by_selector, by_api, by_page} | in_lists
            assert len(answers) == 1, (name, claim.pk, answers)
            if by_query:
                seen.setdefault(name, set()).add(claim.pk)
    near, far = (c.pk for c in claims)
    assert claims[0].enterprise_id == enterprise.pk
    assert seen["district_admin"] == seen["policy_group"] == seen["commander"] == {near, far}
    assert seen["town_officer"] == seen["enterprise"] == {near}
    assert seen["far_enterprise"] == {far}
    assert "outsider" not in seen


def test_who_decides_a_claim(everyone, claims):
    for name, user in everyone.items():
        client = Client()
        client.force_login(user)
        for claim in claims:
            row = Claim.objects.get(pk=claim.pk)
            sees = access.may_see_claim(user, row)
            by_rule = sees and access.may_review(user)
            by_service = tried(lambda u=user, c=row: review.claim_approve(actor=u, claim=c))
            with transaction.atomic():
                answer = client.post(
                    f"{API}/claims/{claim.pk}/approve", "{}", content_type="application/json"
                )
                transaction.set_rollback(True)
            assert by_rule == by_service == (answer.status_code == 200), (name, claim.pk)
            expected = 200 if by_rule else (403 if sees else 404)
            assert answer.status_code == expected, (name, claim.pk)
