"""The demo district's subsidies (issue 16): both packages with their parameters in force from
the start of the demo's period (a loan rate changing mid-period, a correction recorded later),
budgets, the proactive offers computed from the demo's hires, tickets and introducers, a few
hundred claims taken through every state by the services (confirmed, approved, trimmed,
refused, declined, waiting for budget, batched, paid, reversed), applications for rent, loan
interest and shop relief with their documents, two payment batches paid, a few duplicate claims
caught (workers on two rosters as new hires), and the recruitment budget nearly spent.

Every figure the pages show is computed from these records."""

from __future__ import annotations

import contextlib
import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Sum
from django.utils import timezone

from dualtrack.areas.models import Duty, Role, RoleGrant
from dualtrack.core.errors import DomainError
from dualtrack.core.models import User
from dualtrack.enterprises.models import Employee, EnterpriseMember
from dualtrack.subsidies.models import Budget, Claim, ClaimStatus
from dualtrack.subsidies.rules.catalog import starting_parameters
from dualtrack.subsidies.services import applications, claims, offers, payments, review
from dualtrack.subsidies.services.parameters import parameter_record

if TYPE_CHECKING:
    from dualtrack.demo.seeder import Seeder

PERIOD_DAYS = 90
PDF = b"%PDF-1.4\n% demo document\n"
BUDGETS = {
    "recruitment": "20000000",
    "introducer": "200000",
    "rent": "3000000",
    "loan": "2000000",
    "shop": "1000000",
    "transport": "500000",
}
APPLICATIONS = 60  # at scale 1, per clause applied for
OFFERS_ANSWERED = 700  # at scale 1
BATCH = 150  # claims per payment batch


def seed(seeder: Seeder) -> None:
    """Add the subsidies' demo data inside the seeding transaction."""
    rng = seeder.rng
    today = timezone.localdate()
    start = today - datetime.timedelta(days=PERIOD_DAYS)
    group = _policy_login(seeder)
    _parameters(seeder, start, today)
    for clause, total in BUDGETS.items():
        review.budget_set(actor=group, clause=clause, total=total)
    _duplicate_hires(seeder)
    outcome = offers.offers_compute(actor=group)
    logins = dict(EnterpriseMember.objects.values_list("enterprise_id", "user_id"))
    users = {u.pk: u for u in User.objects.filter(pk__in=logins.values())}
    offered = list(Claim.objects.filter(status=ClaimStatus.OFFERED).order_by("pk"))
    rng.shuffle(offered)
    # A few hundred offers taken through the services are enough to show every state; the
    # rest stay offered, as they would be on the morning the offers went out.
    offered = offered[: max(60, round(OFFERS_ANSWERED * seeder.scale))]
    states: dict[str, int] = {}
    for n, claim in enumerate(offered):
        # An introducer has no login: the group records their answer for them.
        user = (
            group if claim.enterprise_id is None else users.get(logins.get(claim.enterprise_id, 0))
        )
        if user is None:
            continue
        fate = n % 10
        if fate == 9:
            continue  # still offered
        if fate == 8:
            claims.offer_decline(actor=user, claim=claim)
            continue
        claim = claims.offer_confirm(
            actor=user,
            claim=claim,
            bank_name="中国工商银行南昌高新支行",
            bank_account=f"62220215{rng.randint(10**9, 10**10 - 1)}",
        )
        if fate == 7:
            continue  # submitted, awaiting the group
        if fate == 6:
            review.claim_refuse(actor=group, claim=claim, reason="核查发现员工未签订劳动合同")
            continue
        if fate == 5 and claim.computed_amount > 100:
            # A worker's transport cap may already be taken by another claim.
            with contextlib.suppress(DomainError):
                review.claim_approve(
                    actor=group,
                    claim=claim,
                    amount=claim.computed_amount - 100,
                    reason="一名员工试用期内离职，核减",
                )
            continue
        try:
            review.claim_approve(actor=group, claim=claim)
        except DomainError:
            continue
    _applications(seeder, group, users, logins, start, today)
    _payments(group)
    _nearly_spent(group, "recruitment")
    # Confirmed offers approved now wait for the budget (first approved, first paid).
    for claim in Claim.objects.filter(clause="recruitment", status=ClaimStatus.SUBMITTED)[:20]:
        review.claim_approve(actor=group, claim=claim)
    for row in Claim.objects.values("status").annotate(n=Sum(1)):
        states[row["status"]] = row["n"]
    seeder.counts["subsidy_claims"] = sum(states.values())
    seeder.say(
        f"subsidies: {outcome.created:,} offers, {sum(states.values()):,} claims "
        f"({', '.join(f'{k} {v}' for k, v in sorted(states.items()))}), "
        f"{outcome.duplicates} duplicates caught"
    )


def _policy_login(seeder: Seeder) -> User:
    """The policy working group's login (``wg_policy``), with the demo password."""
    unit = next(u for u in seeder.working_groups.values() if u.duty == Duty.POLICY)
    user = User.objects.create_user(
        username="wg_policy", password=seeder.password, display_name="政策落实组"
    )
    RoleGrant.objects.create(user=user, role=Role.WORKING_GROUP, area=seeder.root, org_unit=unit)
    seeder.users["wg_policy"] = user
    return user


def _parameters(seeder: Seeder, start: datetime.date, today: datetime.date) -> None:
    recorded = timezone.now() - datetime.timedelta(days=PERIOD_DAYS + 1)
    towns = [t.code for t in seeder.towns]
    parks = towns[: max(1, len(towns) // 2)]
    for v in starting_parameters(start, recorded, towns, parks):
        if v.clause == "loan" and v.name == "benchmark_rate":
            continue
        parameter_record(
            actor=None,
            clause=v.clause,
            name=v.name,
            value=v.value,
            scope=v.scope,
            effective_from=v.effective_from,
            recorded_at=v.recorded_at,
        )
    change = today - datetime.timedelta(days=30)
    parameter_record(
        actor=None,
        clause="loan",
        name="benchmark_rate",
        value="0.0385",
        effective_from=start,
        effective_to=change - datetime.timedelta(days=1),
        recorded_at=recorded,
        reason="一年期贷款市场报价利率",
    )
    parameter_record(
        actor=None,
        clause="loan",
        name="benchmark_rate",
        value="0.0365",
        effective_from=change,
        recorded_at=timezone.now() - datetime.timedelta(days=30),
        reason="一年期贷款市场报价利率下调",
    )
    # A correction recorded later over the same days: the transport cap was 500, read 600.
    parameter_record(
        actor=None,
        clause="transport",
        name="person_cap",
        value="600",
        effective_from=start,
        recorded_at=timezone.now() - datetime.timedelta(days=10),
        reason="更正：每人上限600元",
    )


def _duplicate_hires(seeder: Seeder) -> None:
    """A few workers on a second enterprise's roster as new hires, a day after the first
    hired them: the offers catch them as duplicate claims."""
    firsts = list(
        Employee.objects.filter(new_hire=True).exclude(id_number_digest="").order_by("pk")[:5]
    )
    others = list(
        EnterpriseMember.objects.values_list("enterprise_id", flat=True).order_by("-enterprise_id")[
            :5
        ]
    )
    copies = []
    for employee, enterprise_id in zip(firsts, others, strict=False):
        if enterprise_id == employee.enterprise_id or employee.hire_date is None:
            continue
        copies.append(
            Employee(
                enterprise_id=enterprise_id,
                name=employee.name,
                id_number=employee.id_number,
                id_number_digest=employee.id_number_digest,
                phone=employee.phone,
                new_hire=True,
                hire_date=employee.hire_date + datetime.timedelta(days=1),
            )
        )
    Employee.objects.bulk_create(copies)


def _applications(seeder, group, users, logins, start, today) -> None:  # type: ignore[no-untyped-def]
    rng = seeder.rng
    ids = sorted(logins)
    n = max(3, round(APPLICATIONS * seeder.scale))
    for i in range(n * 3):
        enterprise_id = ids[(i * 7) % len(ids)]
        user = users[logins[enterprise_id]]
        clause = ("rent", "loan", "shop")[i % 3]
        lease_start = start.replace(day=1)
        data: dict[str, object]
        if clause == "rent":
            data = {
                "area_m2": str(rng.randint(80, 3000)),
                "start": lease_start.isoformat(),
                "end": (today + datetime.timedelta(days=300)).isoformat(),
            }
        elif clause == "loan":
            drawn = start + datetime.timedelta(days=rng.randint(0, 40))
            data = {
                "contract_no": f"JK{today:%Y}{i:05d}",
                "principal": str(rng.randint(20, 500) * 10000),
                "start": drawn.isoformat(),
                "end": (today - datetime.timedelta(days=1)).isoformat(),
                "for_resumption": True,
            }
        else:
            data = {
                "monthly_rent": str(rng.randint(15, 120) * 100),
                "months": rng.randint(1, 4),
                "start": f"{today:%Y-%m}-{i}",
            }
        doc = SimpleUploadedFile(f"{clause}.pdf", PDF) if clause != "shop" else None
        try:
            claim = applications.application_submit(
                actor=user, clause=clause, data=data, document=doc
            )
        except DomainError:
            continue  # not in a park, a duplicate: refused and nothing written
        if i % 4 == 0:
            continue
        try:
            if i % 9 == 1:
                review.claim_refuse(actor=group, claim=claim, reason="材料不全")
            else:
                review.claim_approve(actor=group, claim=claim)
        except DomainError:
            continue


def _payments(group: User) -> None:
    """Two batches paid (the approved claims, first approved first), one payment reversed,
    a third batch open."""
    for number in ("1", "2"):
        try:
            batch = payments.batch_create(actor=group, limit=BATCH)
        except DomainError:
            return
        payments.batch_mark_paid(
            actor=group, batch=batch, voucher_no=f"ICBC{timezone.localdate():%Y%m%d}{number}"
        )
    paid = Claim.objects.filter(status=ClaimStatus.PAID).order_by("pk").first()
    if paid is not None:
        payments.payment_reverse(actor=group, claim=paid, reason="企业重复享受同类补贴，冲销")
    try:
        payments.batch_create(actor=group, limit=BATCH // 2)
    except DomainError:
        return


def _nearly_spent(group: User, clause: str) -> None:
    """The clause's budget brought down to 2 % above what it already holds."""
    budget = Budget.objects.get(clause=clause)
    held = budget.reserved + budget.spent
    review.budget_set(
        actor=group,
        clause=clause,
        total=(held * Decimal("1.02")).quantize(Decimal("0.01")) or Decimal("1000.00"),
    )
