"""Many approvals at once never pass a cap or a budget.

On PostgreSQL, threads (each with its own connection) approve at the same moment; the locked
budget row, the conditional UPDATEs and the check constraints hold. SQLite serialises writers
itself, so there the same service is driven one call after another and the same invariants are
checked."""

from __future__ import annotations

import datetime
import importlib
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dualtrack.core.tests.concurrency import race
from dualtrack.subsidies.models import Allotment, Budget, Claim, ClaimStatus
from dualtrack.subsidies.services import applications, review
from dualtrack.subsidies.services.parameters import parameter_record
from dualtrack.subsidies.tests.conftest import PDF

CALLERS = 8


@pytest.fixture(autouse=True)
def _reference_data(db):
    """The GB/T 4754 sections and divisions, which data migrations load: a transactional test
    elsewhere may have flushed them (reloading is a no-op when they are there)."""
    sections = importlib.import_module("dualtrack.areas.migrations.0002_industry_sectors")
    divisions = importlib.import_module("dualtrack.enterprises.migrations.0002_industry_divisions")
    sections.add_sections(django_apps, None)
    divisions.add_divisions(django_apps, None)


def _approve(actor, claim: Claim) -> Callable[[], None]:
    def call() -> None:
        review.claim_approve(actor=actor, claim=claim)

    return call


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_approvals_never_pass_the_cap(policy, enterprise, ent_user):
    parameter_record(
        actor=policy.group,
        clause="loan",
        name="cap",
        value="5000",
        effective_from=policy.start,
        reason="并发测试",
    )
    start = policy.start + datetime.timedelta(days=5)
    claims = [
        applications.application_submit(
            actor=ent_user,
            clause="loan",
            data={
                "contract_no": f"JK-{n}",
                "principal": "1000000",
                "start": start.isoformat(),
                "end": (start + datetime.timedelta(days=29)).isoformat(),
                "for_resumption": True,
            },
            document=SimpleUploadedFile("c.pdf", PDF),
        )
        for n in range(CALLERS)
    ]
    outcomes = race([_approve(policy.group, c) for c in claims])
    assert outcomes.count("ok") == 3  # 3 × 1,604.17 within 5,000; a 4th would pass it
    assert set(outcomes) <= {"ok", "cap_exceeded"}
    granted = Allotment.objects.get(clause="loan", holder=f"e:{enterprise.pk}").granted
    assert granted == Decimal("4812.51") <= Decimal(5000)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_approvals_never_pass_the_budget(policy, enterprise, ent_user):
    review.budget_set(actor=policy.group, clause="shop", total="3500")
    claims = [
        applications.application_submit(
            actor=ent_user,
            clause="shop",
            data={"monthly_rent": "1000", "months": 1, "start": f"m{n}"},
            on=timezone.localdate(),
        )
        for n in range(CALLERS)
    ]
    outcomes = race([_approve(policy.group, c) for c in claims])
    assert outcomes == ["ok"] * CALLERS  # every approval stands; the budget decides who waits
    budget = Budget.objects.get(clause="shop")
    assert budget.reserved == Decimal("3000.00") <= budget.total
    funded = Claim.objects.filter(clause="shop", status=ClaimStatus.APPROVED)
    waiting = Claim.objects.filter(clause="shop", status=ClaimStatus.WAITING)
    assert (funded.count(), waiting.count()) == (3, CALLERS - 3)
    # first approved, first paid: every funded approval precedes every waiting one
    last_funded = max(c.decided_at for c in funded)
    assert all(c.decided_at >= last_funded for c in waiting)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_approvals_never_pass_a_workers_transport_cap(
    policy, enterprise, far_enterprise, ent_user
):
    """One worker on two enterprises' rosters, a ticket with each (400 yuan on different days):
    each enterprise's offer pays 400, but the worker's cap is 500 — approved at once, one
    passes and the other is refused."""
    from dualtrack.core.models import User
    from dualtrack.enterprises.models import EnterpriseMember
    from dualtrack.subsidies.services.claims import offer_confirm
    from dualtrack.subsidies.services.offers import offers_compute
    from dualtrack.subsidies.tests.conftest import hire, ticket

    far_user = User.objects.create_user(username="far", password="x", display_name="far")
    EnterpriseMember.objects.create(user=far_user, enterprise=far_enterprise)
    today = timezone.localdate()
    for n, (firm, user) in enumerate(((enterprise, ent_user), (far_enterprise, far_user))):
        worker = hire(user, firm, 7, today - datetime.timedelta(days=10 + n))
        ticket(user, worker, "400", today - datetime.timedelta(days=5 + n))
    offers_compute(actor=policy.group)
    claims = []
    for firm, user in ((enterprise, ent_user), (far_enterprise, far_user)):
        claim = Claim.objects.get(enterprise=firm, clause="transport", status=ClaimStatus.OFFERED)
        assert claim.computed_amount == Decimal("400.00")
        claims.append(
            offer_confirm(actor=user, claim=claim, bank_name="工商银行", bank_account="62220000")
        )
    outcomes = race([_approve(policy.group, c) for c in claims])
    assert sorted(outcomes) == ["cap_exceeded", "ok"]
    (allotment,) = Allotment.objects.filter(clause="transport", holder__startswith="p:")
    assert allotment.granted == Decimal("400.00") <= Decimal(500)
    # Refused, the approved claim gives the worker's cap back.
    approved = Claim.objects.get(clause="transport", status=ClaimStatus.APPROVED)
    review.claim_refuse(actor=policy.group, claim=approved, reason="测试")
    allotment.refresh_from_db()
    assert allotment.granted == Decimal("0.00")
