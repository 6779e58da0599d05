"""The claims' life: offers computed from hires and tickets, confirmed, approved or trimmed with
a reason, refused; caps and budgets; duplicates; payment batches and reversing entries."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Sum
from django.utils import timezone

from dualtrack.core.errors import Conflict, PermissionDenied, ValidationFailed
from dualtrack.core.models import AuditEntry, User
from dualtrack.enterprises.models import EnterpriseMember
from dualtrack.subsidies import selectors
from dualtrack.subsidies.models import (
    Budget,
    Claim,
    ClaimStatus,
    DuplicateClaim,
    LedgerEntry,
)
from dualtrack.subsidies.rules import employment
from dualtrack.subsidies.services import applications, payments, review
from dualtrack.subsidies.services.claims import offer_confirm, offer_decline
from dualtrack.subsidies.services.offers import offers_compute
from dualtrack.subsidies.services.parameters import parameter_record
from dualtrack.subsidies.tests.conftest import PDF, hire, ticket

D = Decimal


def offer_of(enterprise, clause="recruitment") -> Claim:
    return Claim.objects.get(enterprise=enterprise, clause=clause, status=ClaimStatus.OFFERED)


def confirm(ent_user, claim):
    return offer_confirm(
        actor=ent_user, claim=claim, bank_name="工商银行", bank_account="6222 0000 1111 2222"
    )


def test_offer_counts_new_hires_and_goes_to_approval_once_confirmed(policy, enterprise, ent_user):
    workers = [hire(ent_user, enterprise, n) for n in range(1, 4)]
    outcome = offers_compute(actor=policy.group)
    assert outcome.created == 1
    claim = offer_of(enterprise)
    assert claim.computed_amount == D("6000.00")
    # Computed in the batch: the offer keeps its hires' ids; the tree is rendered when read,
    # and is the one the per-enterprise rule gives on the same hires and parameters.
    assert claim.explanation == {} and set(claim.inputs["versions"]) == {"per_hire", "cap"}
    assert claim.inputs["ids"] == [w.pk for w in workers]
    tree = selectors.claim_explanation(claim)
    assert "新招员工 3 人 × 2,000 元 = 6,000 元" in tree["zh"]
    assert len(tree["refs"]) == 0 and len(tree["children"][0]["refs"]) == 3
    hires = [employment.Hire(w.pk, w.hire_date, w.name) for w in workers]
    per_enterprise = employment.recruitment(
        selectors.parameters(), hires=hires, already=D(0), on=claim.relevant_date
    )
    assert tree == per_enterprise.explanation.as_dict()
    assert per_enterprise.amount == claim.computed_amount
    claim = confirm(ent_user, claim)
    assert claim.status == ClaimStatus.SUBMITTED and claim.bank_account.endswith("2222")
    approved = review.claim_approve(actor=policy.group, claim=claim)
    assert approved.status == ClaimStatus.APPROVED
    assert Budget.objects.get(clause="recruitment").reserved == D("6000.00")
    # A second run counts nothing again: the hires are the approved claim's.
    again = offers_compute(actor=policy.group)
    assert again.created == 0


def test_recomputing_updates_the_open_offer_in_place(policy, enterprise, ent_user):
    hire(ent_user, enterprise, 1)
    offers_compute(actor=policy.group)
    first = offer_of(enterprise)
    hire(ent_user, enterprise, 2)
    outcome = offers_compute(actor=policy.group)
    assert outcome.updated == 1 and outcome.created == 0
    assert offer_of(enterprise).pk == first.pk
    assert offer_of(enterprise).computed_amount == D("4000.00")


def test_a_bad_bank_account_is_refused_and_nothing_changes(policy, enterprise, ent_user):
    hire(ent_user, enterprise, 1)
    offers_compute(actor=policy.group)
    claim = offer_of(enterprise)
    with pytest.raises(ValidationFailed) as e:
        offer_confirm(actor=ent_user, claim=claim, bank_name="", bank_account="12ab")
    assert {x["field"] for x in e.value.errors} == {"bank_name", "bank_account"}
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.OFFERED and claim.bank_account == ""


def test_staff_cannot_confirm_for_the_enterprise(policy, enterprise, ent_user):
    hire(ent_user, enterprise, 1)
    offers_compute(actor=policy.group)
    with pytest.raises(PermissionDenied):
        confirm(policy.group, offer_of(enterprise))


def test_an_override_needs_a_reason_and_is_audited(policy, enterprise, ent_user):
    hire(ent_user, enterprise, 1)
    offers_compute(actor=policy.group)
    claim = confirm(ent_user, offer_of(enterprise))
    with pytest.raises(ValidationFailed) as e:
        review.claim_approve(actor=policy.group, claim=claim, amount="1500")
    assert e.value.errors[0]["field"] == "reason"
    with pytest.raises(ValidationFailed):
        review.claim_approve(actor=policy.group, claim=claim, amount="-5", reason="x")
    trimmed = review.claim_approve(
        actor=policy.group, claim=claim, amount="1500", reason="一人试用期未满"
    )
    assert trimmed.approved_amount == D("1500.00")
    entry = AuditEntry.objects.filter(target_id=str(claim.pk), note="一人试用期未满").get()
    assert entry.changes


def test_refusal_releases_the_budget_and_the_hires(policy, enterprise, ent_user):
    hire(ent_user, enterprise, 1)
    offers_compute(actor=policy.group)
    claim = review.claim_approve(actor=policy.group, claim=confirm(ent_user, offer_of(enterprise)))
    with pytest.raises(ValidationFailed):
        review.claim_refuse(actor=policy.group, claim=claim, reason=" ")
    review.claim_refuse(actor=policy.group, claim=claim, reason="非新招员工")
    assert Budget.objects.get(clause="recruitment").reserved == D("0.00")
    assert selectors.granted_to(clause="recruitment", holder=f"e:{enterprise.pk}") == D("0.00")
    assert offers_compute(actor=policy.group).created == 1  # the hire is free again


def test_the_same_worker_hired_by_two_employers_is_caught(
    policy, enterprise, far_enterprise, ent_user, wg_enterprise
):
    hire(ent_user, enterprise, 1)
    far_user = User.objects.create_user(username="far", password="x")
    EnterpriseMember.objects.create(user=far_user, enterprise=far_enterprise)
    hire(far_user, far_enterprise, 1, timezone.localdate() - datetime.timedelta(days=1))
    hire(far_user, far_enterprise, 2)
    outcome = offers_compute(actor=policy.group)
    assert outcome.duplicates == 1
    assert offer_of(enterprise).computed_amount == D("2000.00")
    assert offer_of(far_enterprise).computed_amount == D("2000.00")
    dup = DuplicateClaim.objects.get()
    assert dup.claim.enterprise == far_enterprise and dup.first_claim.enterprise == enterprise


def test_transport_tickets_paid_once(policy, enterprise, ent_user):
    worker = hire(ent_user, enterprise, 1)
    ticket(ent_user, worker, "320.00")
    ticket(ent_user, worker, "280.00", timezone.localdate() - datetime.timedelta(days=6))
    offers_compute(actor=policy.group)
    claim = offer_of(enterprise, "transport")
    assert claim.computed_amount == D("500.00")  # capped per person
    review.claim_approve(actor=policy.group, claim=confirm(ent_user, claim))
    assert offers_compute(actor=policy.group).created == 0  # the tickets are held


def test_a_workers_two_tickets_on_one_day_are_both_paid(policy, enterprise, ent_user):
    """Two legs of one journey (the same worker, the same day, the same employer): the clause
    pays per ticket, summed per worker within the cap; the offer holds both tickets and the
    worker's journey that day once."""
    worker = hire(ent_user, enterprise, 1)
    day = timezone.localdate() - datetime.timedelta(days=4)
    legs = [ticket(ent_user, worker, "120.50", day), ticket(ent_user, worker, "80.00", day)]
    offers_compute(actor=policy.group)
    claim = offer_of(enterprise, "transport")
    assert claim.computed_amount == D("200.50")
    assert claim.inputs["ids"] == [t.pk for t in legs]
    held = sorted(claim.items.values_list("kind", "ref_id"))
    assert held == [("journey", legs[0].pk), ("ticket", legs[0].pk), ("ticket", legs[1].pk)]
    tree = selectors.claim_explanation(claim)
    assert "120.50 + 80" in tree["zh"] + "".join(c["zh"] for c in tree["children"])
    # Recomputed in place, still held once; approved, neither leg is offered again.
    assert offers_compute(actor=policy.group).updated == 2  # both clauses' open offers
    claim = confirm(ent_user, offer_of(enterprise, "transport"))
    review.claim_approve(actor=policy.group, claim=claim)
    assert offers_compute(actor=policy.group).created == 0
    # A third leg of that day confirmed later is paid too, in an offer of its own; the day's
    # journey stays the first claim's.
    third = ticket(ent_user, worker, "30.00", day)
    assert offers_compute(actor=policy.group).created == 1
    later = offer_of(enterprise, "transport")
    assert later.computed_amount == D("30.00")
    # (The payee's records meet an item its approved claim holds: computed payee by payee.)
    assert [row[0] for row in later.inputs["journeys"]] == [third.pk]
    assert list(later.items.values_list("kind", "ref_id")) == [("ticket", third.pk)]
    assert not DuplicateClaim.objects.exists()


def test_the_same_loan_twice_is_refused(policy, enterprise, ent_user):
    start = policy.start + datetime.timedelta(days=10)
    data = {
        "contract_no": "JK 2026-01",
        "principal": "1000000",
        "start": start.isoformat(),
        "end": (start + datetime.timedelta(days=29)).isoformat(),
        "for_resumption": True,
    }
    doc = SimpleUploadedFile("c.pdf", PDF)
    claim = applications.application_submit(actor=ent_user, clause="loan", data=data, document=doc)
    assert claim.computed_amount == D("1604.17")  # 1,000,000 × 3.85 % × 0.5 × 30 / 360
    with pytest.raises(Conflict) as e:
        applications.application_submit(
            actor=ent_user, clause="loan", data=data, document=SimpleUploadedFile("c.pdf", PDF)
        )
    assert e.value.code == "duplicate_claim"
    assert Claim.objects.count() == 1


def test_bad_applications_write_nothing(policy, enterprise, ent_user):
    start = policy.start
    loan = {
        "contract_no": "",
        "principal": "1000",
        "start": start.isoformat(),
        "end": start.isoformat(),
        "for_resumption": True,
    }
    doc = SimpleUploadedFile("c.pdf", PDF)
    with pytest.raises(ValidationFailed) as e:
        applications.application_submit(actor=ent_user, clause="loan", data=loan, document=doc)
    assert e.value.code == "no_contract"
    lease = {"area_m2": "100", "start": "2001-01-01", "end": "2001-12-31"}
    doc = SimpleUploadedFile("l.pdf", PDF)
    with pytest.raises(ValidationFailed) as e:
        applications.application_submit(actor=ent_user, clause="rent", data=lease, document=doc)
    assert e.value.code == "lease_outside_period"
    lease = {"area_m2": "-3", "start": start.isoformat(), "end": "2099-01-01"}
    with pytest.raises(ValidationFailed) as e:
        applications.application_submit(
            actor=ent_user, clause="rent", data=lease, document=SimpleUploadedFile("l.pdf", PDF)
        )
    assert e.value.code == "absurd_figure"
    shop = {"monthly_rent": "3000", "months": 2}
    with pytest.raises(ValidationFailed) as e:
        applications.application_submit(
            actor=ent_user, clause="shop", data=shop, on=start - datetime.timedelta(days=1)
        )
    assert e.value.code == "no_town_scheme" or e.value.code == "clause_not_in_force"
    assert Claim.objects.count() == 0


def test_an_expired_clause_refuses_applications(policy, enterprise, ent_user):
    ended = timezone.localdate() - datetime.timedelta(days=1)
    for name in ("share", "max_months"):
        parameter_record(
            actor=policy.group,
            clause="shop",
            name=name,
            value="0.5",
            scope=enterprise.area.code,
            effective_from=policy.start,
            effective_to=ended,
            reason="方案到期",
        )
    # the correction recorded later holds the scheme to yesterday; today it is not in force
    with pytest.raises(ValidationFailed):
        applications.application_submit(
            actor=ent_user, clause="shop", data={"monthly_rent": "3000", "months": 2}
        )
    assert Claim.objects.count() == 0


def test_first_approved_first_paid_when_the_budget_runs_out(policy, enterprise, ent_user):
    review.budget_set(actor=policy.group, clause="recruitment", total="5000")
    hire(ent_user, enterprise, 1)
    hire(ent_user, enterprise, 2)
    offers_compute(actor=policy.group)
    first = review.claim_approve(actor=policy.group, claim=confirm(ent_user, offer_of(enterprise)))
    assert first.status == ClaimStatus.APPROVED  # 4,000 of 5,000
    hire(ent_user, enterprise, 3)
    offers_compute(actor=policy.group)
    second = review.claim_approve(actor=policy.group, claim=confirm(ent_user, offer_of(enterprise)))
    assert second.status == ClaimStatus.WAITING  # 2,000 > the 1,000 left
    assert list(selectors.waiting_queue(clause="recruitment")) == [second]
    review.claim_refuse(actor=policy.group, claim=first, reason="核查不符")
    second.refresh_from_db()
    assert second.status == ClaimStatus.APPROVED  # funded when the first let go
    budget = Budget.objects.get(clause="recruitment")
    assert budget.reserved == D("2000.00")


def paid_batch(policy, enterprise, ent_user, voucher="VCH001"):
    hire(ent_user, enterprise, 1)
    offers_compute(actor=policy.group)
    review.claim_approve(actor=policy.group, claim=confirm(ent_user, offer_of(enterprise)))
    batch = payments.batch_create(actor=policy.group)
    return payments.batch_mark_paid(actor=policy.group, batch=batch, voucher_no=voucher)


def test_a_batch_paid_moves_reserved_to_spent_and_books_the_ledger(policy, enterprise, ent_user):
    batch = paid_batch(policy, enterprise, ent_user)
    assert batch.voucher_no == "VCH001" and batch.total == D("2000.00")
    budget = Budget.objects.get(clause="recruitment")
    assert (budget.reserved, budget.spent) == (D("0.00"), D("2000.00"))
    lines = selectors.ledger_for(user=policy.group)
    assert [(x.clause, x.total) for x in lines] == [("recruitment", D("2000.00"))]


def test_a_voucher_paid_twice_is_refused(policy, enterprise, ent_user):
    paid_batch(policy, enterprise, ent_user, "VCH-9")
    hire(ent_user, enterprise, 2)
    offers_compute(actor=policy.group)
    review.claim_approve(actor=policy.group, claim=confirm(ent_user, offer_of(enterprise)))
    batch = payments.batch_create(actor=policy.group)
    with pytest.raises(ValidationFailed) as e:
        payments.batch_mark_paid(actor=policy.group, batch=batch, voucher_no="vch9")
    assert e.value.code == "voucher_paid"
    batch.refresh_from_db()
    assert batch.voucher_no is None and LedgerEntry.objects.count() == 1


def test_a_paid_amount_is_corrected_only_by_a_reversing_entry(policy, enterprise, ent_user):
    paid_batch(policy, enterprise, ent_user)
    claim = Claim.objects.get(status=ClaimStatus.PAID)
    entry = payments.payment_reverse(actor=policy.group, claim=claim, reason="重复享受")
    assert entry.amount == D("-2000.00") and entry.reverses is not None
    assert LedgerEntry.objects.count() == 2
    total = LedgerEntry.objects.aggregate(s=Sum("amount"))["s"]
    assert selectors.ledger_for(user=policy.group)[0].total == total == D("0.00")
    assert Budget.objects.get(clause="recruitment").spent == D("0.00")
    with pytest.raises(Conflict):
        payments.payment_reverse(actor=policy.group, claim=claim, reason="again")


def test_other_staff_may_read_but_not_decide(policy, enterprise, ent_user, wg_enterprise):
    hire(ent_user, enterprise, 1)
    offers_compute(actor=policy.group)
    claim = confirm(ent_user, offer_of(enterprise))
    with pytest.raises(PermissionDenied):
        review.claim_approve(actor=wg_enterprise, claim=claim)
    with pytest.raises(PermissionDenied):
        offers_compute(actor=wg_enterprise)


def test_declining_an_offer_frees_its_hires(policy, enterprise, ent_user):
    hire(ent_user, enterprise, 1)
    offers_compute(actor=policy.group)
    offer_decline(actor=ent_user, claim=offer_of(enterprise))
    assert offers_compute(actor=policy.group).created == 1


def test_the_hire_that_reaches_the_cap_across_claims(policy, enterprise, ent_user):
    parameter_record(
        actor=policy.group,
        clause="recruitment",
        name="cap",
        value="4000",
        effective_from=policy.start,
        reason="测试上限",
    )
    hire(ent_user, enterprise, 1)
    hire(ent_user, enterprise, 2)
    offers_compute(actor=policy.group)
    review.claim_approve(actor=policy.group, claim=confirm(ent_user, offer_of(enterprise)))
    hire(ent_user, enterprise, 3)
    offers_compute(actor=policy.group)
    assert not Claim.objects.filter(
        status=ClaimStatus.OFFERED
    ).exists()  # nothing left under the cap
