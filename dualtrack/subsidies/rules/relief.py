"""The anti-epidemic package's clauses an enterprise applies for with its documents: the rent
subsidy (leased area × months, park enterprises), the loan-interest subsidy (principal × rate ×
days, loans for resumption) and the towns' rent relief for small shops (months relieved)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from dualtrack.subsidies.rules.base import Result, RuleError, check_figure
from dualtrack.subsidies.rules.explain import Node, Ref
from dualtrack.subsidies.rules.money import ZERO, number, to_fen, yuan
from dualtrack.subsidies.rules.params import NotInForce, Parameters

RENT = "rent"
LOAN = "loan"
SHOP = "shop"
# Interest is reckoned per day at the annual rate over 360 days (the banks' 日利率 = 年利率 / 360).
DAYS_IN_YEAR = Decimal(360)


def _next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


def _whole_months(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """The first days of the calendar months ``start``..``end`` covers entirely."""
    first = start if start.day == 1 else _next_month(start)
    out = []
    while _next_month(first) - datetime.timedelta(days=1) <= end:
        out.append(first)
        first = _next_month(first)
    return out


@dataclass(frozen=True)
class Lease:
    id: int
    area_m2: Decimal
    start: datetime.date
    end: datetime.date


def rent(
    params: Parameters, *, lease: Lease, in_park: bool, already: Decimal, on: datetime.date
) -> Result:
    """For an enterprise in the district's parks: leased area × the rate per m² and month in
    force in each whole month of the lease inside the policy's period, at most ``max_months``
    months, held to the cap per enterprise."""
    check_figure("area_m2", lease.area_m2, zh="租赁面积", en="leased area")
    if lease.end < lease.start:
        raise RuleError(
            "lease_dates", "end", "租期结束日早于开始日。", "The lease ends before it starts."
        )
    if not in_park:
        raise RuleError(
            "not_in_park",
            "enterprise",
            "房租补贴仅适用于园区内企业。",
            "The rent subsidy is for enterprises in the district's parks only.",
        )
    max_months = int(params.value(RENT, "max_months", on=on))
    cap = params.value(RENT, "cap", on=on)
    months: list[tuple[datetime.date, Decimal]] = []
    for first in _whole_months(lease.start, lease.end):
        try:
            months.append((first, params.value(RENT, "per_m2_month", on=first)))
        except NotInForce:
            continue
    if not months:
        raise RuleError(
            "lease_outside_period",
            "start",
            "租期不含政策期内的整月，无法补贴。",
            "The lease covers no whole month of the policy's period.",
        )
    months = months[:max_months]
    exact = sum((lease.area_m2 * rate for _, rate in months), ZERO)
    computed = to_fen(exact)
    amount = min(computed, max(cap - already, ZERO))
    children = tuple(
        Node(
            f"{first:%Y-%m}：{number(lease.area_m2)} 平方米 × {yuan(rate)} 元",
            f"{first:%Y-%m}: {number(lease.area_m2)} m² × {yuan(rate)} yuan",
            lease.area_m2 * rate,
        )
        for first, rate in months
    )
    root = Node(
        f"房租补贴：{number(lease.area_m2)} 平方米 × {len(months)} 个月 = {yuan(computed)} 元"
        f"（最多 {max_months} 个月）；已核定 {yuan(already)} 元，上限 {yuan(cap)} 元，"
        f"本次核定 {yuan(amount)} 元",
        f"Rent subsidy: {number(lease.area_m2)} m² × {len(months)} months = {yuan(computed)} "
        f"yuan (at most {max_months} months); already granted {yuan(already)} yuan, cap "
        f"{yuan(cap)} yuan, granted now {yuan(amount)} yuan",
        amount,
        children,
        refs=(Ref("lease", lease.id),),
    )
    return Result(RENT, computed, amount, root, (Ref("lease", lease.id),))


@dataclass(frozen=True)
class Loan:
    id: int
    contract_no: str
    principal: Decimal
    start: datetime.date
    end: datetime.date  # the last day interest runs
    for_resumption: bool


def loan_interest(params: Parameters, *, loan: Loan, already: Decimal, on: datetime.date) -> Result:
    """Principal × the benchmark rate in force each day × the subsidised share / 360, over the
    loan's days inside the policy's period; a loan spanning two rates is cut where the rate
    changes. Held to the cap per enterprise."""
    if not loan.contract_no.strip():
        raise RuleError(
            "no_contract",
            "contract_no",
            "贷款贴息须提供贷款合同。",
            "A loan-interest subsidy needs the loan contract.",
        )
    check_figure("principal", loan.principal, zh="贷款本金", en="principal")
    if loan.end < loan.start:
        raise RuleError(
            "loan_dates", "end", "贷款到期日早于放款日。", "The loan ends before it starts."
        )
    if not loan.for_resumption:
        raise RuleError(
            "not_for_resumption",
            "for_resumption",
            "仅复工复产用途的贷款可以贴息。",
            "Only loans taken for resumption are subsidised.",
        )
    share = params.value(LOAN, "share", on=on)
    cap = params.value(LOAN, "cap", on=on)
    children: list[Node] = []
    exact = ZERO
    try:
        pieces = params.segments(LOAN, "benchmark_rate", start=loan.start, end=loan.end)
    except NotInForce as e:
        raise RuleError(
            "loan_outside_period",
            "start",
            f"贷款期内 {e.day:%Y-%m-%d} 不在贴息政策期内。",
            f"The loan's day {e.day:%Y-%m-%d} is outside the subsidy's period.",
        ) from e
    for lo, hi, version in pieces:
        days = (hi - lo).days + 1
        part = loan.principal * version.value * share * days / DAYS_IN_YEAR
        exact += part
        pct = number(version.value * 100)
        children.append(
            Node(
                f"{lo:%Y-%m-%d} 至 {hi:%Y-%m-%d}：{yuan(loan.principal)} 元 × {pct}% × "
                f"{number(share)} × {days} 天 / 360",
                f"{lo:%Y-%m-%d} to {hi:%Y-%m-%d}: {yuan(loan.principal)} yuan × {pct}% × "
                f"{number(share)} × {days} days / 360",
                part,
            )
        )
    computed = to_fen(exact)
    amount = min(computed, max(cap - already, ZERO))
    root = Node(
        f"贷款贴息：合同 {loan.contract_no}，{len(pieces)} 段利率，计 {yuan(computed)} 元；"
        f"已核定 {yuan(already)} 元，上限 {yuan(cap)} 元，本次核定 {yuan(amount)} 元",
        f"Loan-interest subsidy: contract {loan.contract_no}, {len(pieces)} rate periods, "
        f"{yuan(computed)} yuan; already granted {yuan(already)} yuan, cap {yuan(cap)} yuan, "
        f"granted now {yuan(amount)} yuan",
        amount,
        tuple(children),
        refs=(Ref("loan", loan.id, loan.contract_no),),
    )
    return Result(LOAN, computed, amount, root, (Ref("loan", loan.id, loan.contract_no),))


@dataclass(frozen=True)
class Shop:
    id: int
    town_code: str
    monthly_rent: Decimal
    months: int


def shop_relief(params: Parameters, *, shop: Shop, on: datetime.date) -> Result:
    """The town's own scheme: monthly rent × the share relieved, for the months relieved up to
    the town's maximum."""
    check_figure("monthly_rent", shop.monthly_rent, zh="月租金", en="monthly rent")
    if shop.months <= 0 or shop.months > 24:
        raise RuleError(
            "absurd_figure",
            "months",
            "减免月数必须在 1 至 24 之间。",
            "The months relieved must be between 1 and 24.",
        )
    try:
        share = params.value(SHOP, "share", on=on, scope=shop.town_code)
        max_months = int(params.value(SHOP, "max_months", on=on, scope=shop.town_code))
    except NotInForce as e:
        raise RuleError(
            "no_town_scheme",
            "town",
            "该镇处当日没有有效的店面租金减免方案。",
            "The town has no shop-rent relief scheme in force on that day.",
        ) from e
    months = min(shop.months, max_months)
    computed = to_fen(shop.monthly_rent * share * months)
    root = Node(
        f"店面租金减免：月租 {yuan(shop.monthly_rent)} 元 × {number(share * 100)}% × "
        f"{months} 个月（本镇方案最多 {max_months} 个月）= {yuan(computed)} 元",
        f"Shop-rent relief: monthly rent {yuan(shop.monthly_rent)} yuan × "
        f"{number(share * 100)}% × {months} months (the town's scheme: at most {max_months}) "
        f"= {yuan(computed)} yuan",
        computed,
        refs=(Ref("shop", shop.id),),
    )
    return Result(SHOP, computed, computed, root, (Ref("shop", shop.id),))
