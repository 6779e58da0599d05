"""One entry for every clause: the inputs as plain JSON-able values (what a claim stores, what
the calculator's form gives), so that an old claim is recomputed by the same code that computed
it, with the parameters in force on its relevant date as recorded at any chosen time."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from dualtrack.subsidies.rules import employment, relief
from dualtrack.subsidies.rules.base import Result, RuleError
from dualtrack.subsidies.rules.explain import Ref
from dualtrack.subsidies.rules.params import NotInForce, Parameters


def _day(value: Any) -> datetime.date:
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))


def _money(field: str, value: Any) -> Decimal:
    try:
        out = Decimal(str(value))
    except (InvalidOperation, ValueError) as e:
        raise RuleError("not_a_number", field, "请输入数字。", "Enter a number.") from e
    if not out.is_finite():
        raise RuleError("not_a_number", field, "请输入数字。", "Enter a number.")
    return out


def not_in_force_error(e: NotInForce) -> RuleError:
    return RuleError(
        "clause_not_in_force",
        "clause",
        f"该条款在 {e.day:%Y-%m-%d} 不在有效期内。",
        f"The clause is not in force on {e.day:%Y-%m-%d}.",
    )


def compute(
    clause: str, inputs: Mapping[str, Any], params: Parameters, on: datetime.date
) -> Result:
    """The clause's result on ``inputs`` (see each branch for their shape); RuleError for input
    it cannot compute on, including a clause not in force on ``on``."""
    try:
        return _compute(clause, inputs, params, on)
    except NotInForce as e:
        raise not_in_force_error(e) from e


def _journeys(inputs: Mapping[str, Any]) -> list[employment.Journey]:
    return [
        employment.Journey(int(i), str(p), str(r), _money("fare", f), _day(d), str(label))
        for i, p, r, f, d, label in inputs["journeys"]
    ]


def transport_people(
    inputs: Mapping[str, Any], params: Parameters, on: datetime.date
) -> dict[str, Decimal]:
    """Each worker's part of a transport claim (``employment.transport_people``)."""
    try:
        return employment.transport_people(
            params,
            journeys=_journeys(inputs),
            already={str(k): _money("already", v) for k, v in inputs.get("paid", {}).items()},
            carried=frozenset((str(p), _day(d)) for p, d in inputs.get("carried", [])),
            on=on,
        )
    except NotInForce as e:
        raise not_in_force_error(e) from e


def _compute(
    clause: str, inputs: Mapping[str, Any], params: Parameters, on: datetime.date
) -> Result:
    already = _money("already", inputs.get("already", "0"))
    if clause == employment.RECRUITMENT:
        hires = [employment.Hire(int(i), _day(d), str(label)) for i, d, label in inputs["hires"]]
        return employment.recruitment(params, hires=hires, already=already, on=on)
    if clause == employment.TRANSPORT:
        journeys = _journeys(inputs)
        for j in journeys:
            if j.fare < 0 or j.fare > Decimal(100000):
                raise RuleError(
                    "absurd_figure", "fare", "票价不合理。", "The fare is not plausible."
                )
        per_person = {str(k): _money("already", v) for k, v in inputs.get("paid", {}).items()}
        carried = frozenset((str(p), _day(d)) for p, d in inputs.get("carried", []))
        return employment.transport(
            params, journeys=journeys, already=per_person, carried=carried, on=on
        )
    if clause == employment.INTRODUCER:
        refs = [Ref("introduction", int(i), str(label)) for i, label in inputs["introductions"]]
        return employment.introducer_reward(params, introductions=refs, already=already, on=on)
    if clause == relief.RENT:
        lease = relief.Lease(
            int(inputs.get("id", 0)),
            _money("area_m2", inputs["area_m2"]),
            _day(inputs["start"]),
            _day(inputs["end"]),
        )
        in_park = params.in_force(relief.RENT, "park", on=on, scope=str(inputs["town_code"]))
        return relief.rent(params, lease=lease, in_park=in_park, already=already, on=on)
    if clause == relief.LOAN:
        loan = relief.Loan(
            int(inputs.get("id", 0)),
            str(inputs.get("contract_no", "")),
            _money("principal", inputs["principal"]),
            _day(inputs["start"]),
            _day(inputs["end"]),
            bool(inputs.get("for_resumption")),
        )
        return relief.loan_interest(params, loan=loan, already=already, on=on)
    if clause == relief.SHOP:
        months = inputs["months"]
        shop = relief.Shop(
            int(inputs.get("id", 0)),
            str(inputs["town_code"]),
            _money("monthly_rent", inputs["monthly_rent"]),
            int(months) if str(months).lstrip("-").isdigit() else 0,
        )
        return relief.shop_relief(params, shop=shop, on=on)
    raise RuleError("no_such_clause", "clause", "没有这一条款。", "No such clause.")
