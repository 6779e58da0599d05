"""The employment package's clauses paid on what the platform already holds: the recruitment
subsidy (per new hire, capped per enterprise), the transport subsidy (self-travel tickets of
returning workers and new hires, capped per person) and the introducer's reward (20 or more
qualifying hires)."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from dualtrack.subsidies.rules.base import Result
from dualtrack.subsidies.rules.explain import Node, Ref
from dualtrack.subsidies.rules.money import ZERO, number, to_fen, yuan
from dualtrack.subsidies.rules.params import NotInForce, Parameters

RECRUITMENT = "recruitment"
TRANSPORT = "transport"
INTRODUCER = "introducer"


@dataclass(frozen=True)
class Hire:
    id: int
    hire_date: datetime.date
    label: str = ""


def _headroom(cap: Decimal, already: Decimal) -> Decimal:
    return max(cap - already, ZERO)


def _rate_on(
    params: Parameters, clause: str, name: str
) -> Callable[[datetime.date], Decimal | None]:
    """The parameter's value by day, looked up once per day (None: not in force)."""
    seen: dict[datetime.date, Decimal | None] = {}

    def rate(day: datetime.date) -> Decimal | None:
        if day not in seen:
            try:
                seen[day] = params.value(clause, name, on=day)
            except NotInForce:
                seen[day] = None
        return seen[day]

    return rate


def recruitment(
    params: Parameters,
    *,
    hires: Iterable[Hire],
    already: Decimal,
    on: datetime.date,
    explain: bool = True,
) -> Result:
    """Per new hire the amount in force on the hire's date; the enterprise's cap (in force on
    ``on``) holds across everything already granted to it under this clause. ``explain=False``
    gives the same amounts without the explanation's text (for a batch that stores none)."""
    cap = params.value(RECRUITMENT, "cap", on=on)
    rate_on = _rate_on(params, RECRUITMENT, "per_hire")
    groups: dict[Decimal, list[Hire]] = {}
    excluded: list[Ref] = []
    for hire in hires:
        rate = rate_on(hire.hire_date)
        if rate is None:
            excluded.append(Ref("hire", hire.id, hire.label))
            continue
        groups.setdefault(rate, []).append(hire)
    computed = to_fen(sum((rate * len(rows) for rate, rows in groups.items()), ZERO))
    amount = min(computed, _headroom(cap, already))
    if not explain:
        return Result(RECRUITMENT, computed, amount, Node("", "", amount))
    count = sum(len(rows) for rows in groups.values())
    children = tuple(
        Node(
            f"每人 {yuan(rate)} 元 × {len(rows)} 人 = {yuan(rate * len(rows))} 元",
            f"{yuan(rate)} yuan × {len(rows)} hires = {yuan(rate * len(rows))} yuan",
            rate * len(rows),
            refs=tuple(Ref("hire", h.id, h.label) for h in rows),
        )
        for rate, rows in sorted(groups.items())
    )
    if len(groups) == 1:
        rate = next(iter(groups))
        head_zh = f"新招员工 {count} 人 × {yuan(rate)} 元 = {yuan(computed)} 元"
        head_en = f"{count} new hires × {yuan(rate)} yuan = {yuan(computed)} yuan"
    else:
        head_zh = f"新招员工 {count} 人 = {yuan(computed)} 元"
        head_en = f"{count} new hires = {yuan(computed)} yuan"
    if excluded:
        children += (
            Node(
                f"不在政策期内的招用 {len(excluded)} 人，不计",
                f"{len(excluded)} hires outside the policy's period, not counted",
                refs=tuple(excluded),
            ),
        )
    root = Node(
        f"招聘补助：{head_zh}；本企业已核定 {yuan(already)} 元，上限 {yuan(cap)} 元，"
        f"本次核定 {yuan(amount)} 元",
        f"Recruitment subsidy: {head_en}; already granted to the enterprise {yuan(already)} "
        f"yuan, cap {yuan(cap)} yuan, granted now {yuan(amount)} yuan",
        amount,
        children,
    )
    counted = tuple(r for c in children[: len(groups)] for r in c.refs)
    return Result(RECRUITMENT, computed, amount, root, counted, tuple(excluded))


@dataclass(frozen=True)
class Journey:
    """A self-travel ticket of a returning worker or a new hire."""

    id: int
    person: str  # the worker's key (the ID number's digest)
    route: str
    fare: Decimal
    travel_date: datetime.date
    label: str = ""


def transport(
    params: Parameters,
    *,
    journeys: Iterable[Journey],
    already: Mapping[str, Decimal],
    carried: frozenset[tuple[str, datetime.date]] = frozenset(),
    on: datetime.date,
    explain: bool = True,
) -> Result:
    """Each ticket's fare × the share in force on its travel date, summed per worker and held
    to the per-person cap (less what the worker's tickets already got); a ticket for a day the
    worker rode a chartered trip (``carried``) is not paid: the district carried them."""
    cap = params.value(TRANSPORT, "person_cap", on=on)
    share_on = _rate_on(params, TRANSPORT, "share")
    people: dict[str, list[tuple[Journey, Decimal]]] = {}
    excluded: list[Ref] = []
    skipped: list[Node] = []
    for j in journeys:
        ref = Ref("ticket", j.id, j.label)
        if (j.person, j.travel_date) in carried:
            excluded.append(ref)
            skipped.append(
                Node(
                    f"车票 {j.route}：当天已乘坐点对点专车，不另补",
                    f"Ticket {j.route}: the worker rode a chartered trip that day, not paid",
                    refs=(ref,),
                )
            )
            continue
        share = share_on(j.travel_date)
        if share is None:
            excluded.append(ref)
            continue
        people.setdefault(j.person, []).append((j, j.fare * share))
    total = ZERO
    children: list[Node] = []
    counted: list[Ref] = []
    if not explain:
        for person, rows in people.items():
            exact = sum((v for _, v in rows), ZERO)
            total += min(exact, _headroom(cap, already.get(person, ZERO)))
        amount = to_fen(total)
        return Result(TRANSPORT, amount, amount, Node("", "", amount))
    for person, rows in people.items():
        exact = sum((v for _, v in rows), ZERO)
        room = _headroom(cap, already.get(person, ZERO))
        paid = min(exact, room)
        total += paid
        refs = tuple(Ref("ticket", j.id, j.label) for j, _ in rows)
        counted.extend(refs)
        routes = "、".join(sorted({j.route for j, _ in rows}))
        fares = " + ".join(yuan(j.fare) for j, _ in rows)
        children.append(
            Node(
                f"{rows[0][0].label or '员工'}（{routes}）：票价 {fares} 元，补 {yuan(exact)} 元，"
                f"每人上限 {yuan(cap)} 元，计 {yuan(paid)} 元",
                f"{rows[0][0].label or 'worker'} ({routes}): fares {fares} yuan, subsidy "
                f"{yuan(exact)} yuan, cap per person {yuan(cap)} yuan, counted {yuan(paid)} yuan",
                paid,
                refs=refs,
            )
        )
    amount = to_fen(total)
    root = Node(
        f"交通补贴：{len(people)} 人、车票 {len(counted)} 张，核定 {yuan(amount)} 元",
        f"Transport subsidy: {len(people)} workers, {len(counted)} tickets, granted "
        f"{yuan(amount)} yuan",
        amount,
        tuple(children + skipped),
    )
    return Result(TRANSPORT, amount, amount, root, tuple(counted), tuple(excluded))


def transport_people(
    params: Parameters,
    *,
    journeys: Iterable[Journey],
    already: Mapping[str, Decimal],
    carried: frozenset[tuple[str, datetime.date]] = frozenset(),
    on: datetime.date,
) -> dict[str, Decimal]:
    """Each worker's part of the transport amount, as ``transport`` counts it (Σ fare × share
    within the cap, less what the worker's tickets already got), rounded to the fen half up:
    what an approval takes from the worker's cap."""
    cap = params.value(TRANSPORT, "person_cap", on=on)
    share_on = _rate_on(params, TRANSPORT, "share")
    exact: dict[str, Decimal] = {}
    for j in journeys:
        share = share_on(j.travel_date)
        if (j.person, j.travel_date) in carried or share is None:
            continue
        exact[j.person] = exact.get(j.person, ZERO) + j.fare * share
    return {
        person: to_fen(min(total, _headroom(cap, already.get(person, ZERO))))
        for person, total in exact.items()
    }


def introducer_reward(
    params: Parameters,
    *,
    introductions: Iterable[Ref],
    already: Decimal,
    on: datetime.date,
) -> Result:
    """At ``threshold`` qualifying hires or more (the 20th counts), per worker the reward in
    force on ``on``, held to the cap per introducer; below it, nothing."""
    threshold = params.value(INTRODUCER, "threshold", on=on)
    per_worker = params.value(INTRODUCER, "per_worker", on=on)
    cap = params.value(INTRODUCER, "cap", on=on)
    refs = tuple(introductions)
    n = len(refs)
    if n < threshold:
        root = Node(
            f"介绍奖励：合格招用 {n} 人，未达 {number(threshold)} 人，不予奖励",
            f"Introducer reward: {n} qualifying hires, fewer than {number(threshold)}, no reward",
            ZERO,
            refs=refs,
        )
        return Result(INTRODUCER, ZERO, ZERO, root, (), refs)
    computed = to_fen(per_worker * n)
    amount = min(computed, _headroom(cap, already))
    root = Node(
        f"介绍奖励：合格招用 {n} 人（达到 {number(threshold)} 人）× {yuan(per_worker)} 元 = "
        f"{yuan(computed)} 元；已奖励 {yuan(already)} 元，上限 {yuan(cap)} 元，"
        f"本次核定 {yuan(amount)} 元",
        f"Introducer reward: {n} qualifying hires (threshold {number(threshold)}) × "
        f"{yuan(per_worker)} yuan = {yuan(computed)} yuan; already rewarded {yuan(already)} "
        f"yuan, cap {yuan(cap)} yuan, granted now {yuan(amount)} yuan",
        amount,
        refs=refs,
    )
    return Result(INTRODUCER, computed, amount, root, refs)
