"""The rules engine on the clauses' boundaries: plain values in, exact fen out, no database."""

from __future__ import annotations

import datetime
from collections import Counter
from decimal import Decimal

import pytest

from dualtrack.subsidies.rules import employment, relief
from dualtrack.subsidies.rules.base import RuleError
from dualtrack.subsidies.rules.catalog import starting_parameters
from dualtrack.subsidies.rules.explain import Node, Ref
from dualtrack.subsidies.rules.money import to_fen
from dualtrack.subsidies.rules.params import NotInForce, Parameters, Version

D = Decimal
START = datetime.date(2026, 1, 1)
AT = datetime.datetime(2025, 12, 20, tzinfo=datetime.UTC)
ON = datetime.date(2026, 3, 1)


def base(extra: list[Version] | None = None, known_at: datetime.datetime | None = None):
    return Parameters(starting_parameters(START, AT, ["GX01", "GX02"]) + (extra or []), known_at)


def hires(n: int, day: datetime.date = datetime.date(2026, 2, 1), first: int = 1):
    return [employment.Hire(first + i, day) for i in range(n)]


def test_recruitment_explanation_reads_as_the_report_example():
    r = employment.recruitment(base(), hires=hires(37), already=D("4990000"), on=ON)
    assert r.computed == D("74000.00")
    assert r.amount == D("10000.00")
    assert r.explanation.zh == (
        "招聘补助：新招员工 37 人 × 2,000 元 = 74,000 元；本企业已核定 4,990,000 元，"
        "上限 5,000,000 元，本次核定 10,000 元"
    )
    assert [ref.id for ref in r.counted] == list(range(1, 38))
    assert "Recruitment subsidy: 37 new hires" in r.explanation.en


def test_the_hire_that_reaches_the_cap_is_paid_and_the_next_is_not():
    reaching = employment.recruitment(base(), hires=hires(1), already=D("4998000"), on=ON)
    assert reaching.amount == D("2000.00")
    beyond = employment.recruitment(base(), hires=hires(1), already=D("5000000"), on=ON)
    assert beyond.amount == D("0.00") and not beyond.eligible
    partial = employment.recruitment(base(), hires=hires(2), already=D("4999000"), on=ON)
    assert partial.amount == D("1000.00")


def test_a_per_hire_amount_changing_mid_period_applies_by_each_hire_date():
    raised = Version("recruitment", "per_hire", D("2500"), datetime.date(2026, 2, 15), None, AT)
    lowered_until = Version(
        "recruitment", "per_hire", D("2000"), START, datetime.date(2026, 2, 14), AT
    )
    params = Parameters(
        [v for v in starting_parameters(START, AT, []) if v.name != "per_hire"]
        + [raised, lowered_until]
    )
    r = employment.recruitment(
        params,
        hires=hires(3, datetime.date(2026, 2, 14)) + hires(2, datetime.date(2026, 2, 15), 10),
        already=D(0),
        on=ON,
    )
    assert r.amount == D("11000.00")  # 3 × 2,000 + 2 × 2,500
    assert len(r.explanation.children) == 2


def test_hires_before_the_policy_are_not_counted():
    r = employment.recruitment(
        base(), hires=hires(2, datetime.date(2025, 12, 31)) + hires(1, first=5), already=D(0), on=ON
    )
    assert r.amount == D("2000.00")
    assert [x.id for x in r.excluded] == [1, 2]


def test_a_correction_recorded_later_replaces_the_figure_and_the_old_one_stays_answerable():
    later = datetime.datetime(2026, 2, 20, tzinfo=datetime.UTC)
    fix = Version("recruitment", "per_hire", D("2200"), START, None, later, id=99)
    now = base([fix])
    chosen = now.choose("recruitment", "per_hire", on=ON)
    assert chosen.version.value == D("2200") and chosen.corrects is not None
    assert chosen.corrects.value == D("2000")
    before = base([fix], known_at=datetime.datetime(2026, 2, 1, tzinfo=datetime.UTC))
    assert before.value("recruitment", "per_hire", on=ON) == D("2000")


def test_the_twentieth_worker_earns_the_reward():
    refs = [Ref("introduction", i) for i in range(1, 21)]
    nineteen = employment.introducer_reward(base(), introductions=refs[:19], already=D(0), on=ON)
    assert nineteen.amount == D("0.00")
    assert "未达 20 人" in nineteen.explanation.zh
    twenty = employment.introducer_reward(base(), introductions=refs, already=D(0), on=ON)
    assert twenty.amount == D("4000.00")
    capped = employment.introducer_reward(base(), introductions=refs, already=D("18000"), on=ON)
    assert capped.amount == D("2000.00")


def journey(i: int, person: str, fare: str, day: datetime.date = datetime.date(2026, 2, 3)):
    return employment.Journey(i, person, "赣州—南昌", D(fare), day, f"W{person}")


def test_transport_caps_per_person_and_skips_days_carried_by_a_chartered_trip():
    rows = [
        journey(1, "a", "320.50"),
        journey(2, "a", "279.50"),  # a: 600 → cap 500
        journey(3, "b", "88.88"),
        journey(4, "c", "150", datetime.date(2026, 2, 5)),
    ]
    r = employment.transport(
        base(),
        journeys=rows,
        already={"b": D("450")},
        carried=frozenset({("c", datetime.date(2026, 2, 5))}),
        on=ON,
    )
    assert r.amount == D("550.00")  # a 500 + b 50 (500 − 450) + c nothing
    assert [x.id for x in r.excluded] == [4]
    assert {x.id for x in r.counted} == {1, 2, 3}


def test_transport_share_rounds_once_half_up():
    share = Version("transport", "share", D("0.333"), START, None, AT + datetime.timedelta(1))
    r = employment.transport(
        base([share]),
        journeys=[journey(1, "a", "100.01"), journey(2, "b", "100.01")],
        already={},
        on=ON,
    )
    # 2 × 33.30333 = 66.60666 → 66.61 (one rounding; rounding each ticket would give 66.60)
    assert r.amount == D("66.61")
    assert to_fen(D("0.005")) == D("0.01")


def test_a_loan_spanning_two_rates_is_cut_where_the_rate_changes():
    new_rate = Version(
        "loan", "benchmark_rate", D("0.0365"), datetime.date(2026, 3, 20), None, AT, id=5
    )
    old_rate = Version(
        "loan", "benchmark_rate", D("0.0385"), START, datetime.date(2026, 3, 19), AT, id=4
    )
    params = Parameters(
        [v for v in starting_parameters(START, AT, []) if v.name != "benchmark_rate"]
        + [old_rate, new_rate]
    )
    loan = relief.Loan(
        7, "JK-2026-001", D("1000000"), datetime.date(2026, 3, 1), datetime.date(2026, 4, 9), True
    )
    r = relief.loan_interest(params, loan=loan, already=D(0), on=ON)
    # 19 days at 3.85 % and 21 days at 3.65 %, half subsidised, over 360 days
    exact = (
        D(1000000) * D("0.0385") * D("0.5") * 19 / 360
        + D(1000000) * D("0.0365") * D("0.5") * 21 / 360
    )
    assert r.amount == to_fen(exact) == D("2080.56")  # 1,015.97… + 1,064.58…
    assert len(r.explanation.children) == 2


def test_a_loan_without_a_contract_or_not_for_resumption_is_refused():
    loan = relief.Loan(1, " ", D("1000"), START, ON, True)
    with pytest.raises(RuleError) as e:
        relief.loan_interest(base(), loan=loan, already=D(0), on=ON)
    assert e.value.code == "no_contract"
    other = relief.Loan(1, "C1", D("1000"), START, ON, False)
    with pytest.raises(RuleError):
        relief.loan_interest(base(), loan=other, already=D(0), on=ON)
    negative = relief.Loan(1, "C1", D("-5"), START, ON, True)
    with pytest.raises(RuleError) as e:
        relief.loan_interest(base(), loan=negative, already=D(0), on=ON)
    assert e.value.code == "absurd_figure"


def test_rent_counts_whole_months_in_the_period_up_to_the_maximum():
    lease = relief.Lease(3, D("120.5"), datetime.date(2025, 11, 15), datetime.date(2026, 12, 31))
    r = relief.rent(base(), lease=lease, in_park=True, already=D(0), on=ON)
    assert r.amount == D("3615.00")  # 120.5 m² × 10 × 3 months (Jan–Mar 2026)
    outside = relief.Lease(3, D("100"), datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
    with pytest.raises(RuleError) as e:
        relief.rent(base(), lease=outside, in_park=True, already=D(0), on=ON)
    assert e.value.code == "lease_outside_period"
    with pytest.raises(RuleError) as e:
        relief.rent(base(), lease=lease, in_park=False, already=D(0), on=ON)
    assert e.value.code == "not_in_park"
    absurd = relief.Lease(3, D("1E+12"), START, ON)
    with pytest.raises(RuleError):
        relief.rent(base(), lease=absurd, in_park=True, already=D(0), on=ON)


def test_shop_relief_follows_the_towns_own_scheme():
    full = relief.shop_relief(base(), shop=relief.Shop(1, "GX01", D("3000"), 5), on=ON)
    assert full.amount == D("9000.00")  # GX01: 100 % for at most 3 months
    half = relief.shop_relief(base(), shop=relief.Shop(2, "GX02", D("3000"), 5), on=ON)
    assert half.amount == D("3000.00")  # GX02: 50 % for at most 2 months
    with pytest.raises(RuleError) as e:
        relief.shop_relief(base(), shop=relief.Shop(3, "GX09", D("3000"), 2), on=ON)
    assert e.value.code == "no_town_scheme"


def test_an_expired_clause_is_not_in_force():
    ended = Version("transport", "person_cap", D("500"), START, datetime.date(2026, 2, 28), AT)
    params = Parameters([ended])
    with pytest.raises(NotInForce):
        employment.transport(params, journeys=[], already={}, on=ON)


def test_explanations_survive_a_round_trip():
    r = employment.recruitment(base(), hires=hires(2), already=D(0), on=ON)
    again = Node.from_dict(r.explanation.as_dict())
    assert again == r.explanation


def test_the_batch_gives_the_per_enterprise_amounts_exactly():
    import numpy as np

    from dualtrack.subsidies.rules import batch

    share = Version("transport", "share", D("0.35"), START, None, AT + datetime.timedelta(1))
    params = base([share])
    fares = [["a", "100.01"], ["a", "300.03"], ["b", "0.05"], ["c", "1500"], ["d", "33.33"]]
    owners = [0, 0, 0, 1, 1]  # a, b of enterprise 0; c, d of enterprise 1
    journeys = [journey(i, p, f) for i, (p, f) in enumerate(fares)]
    exact = [
        employment.transport(
            params,
            journeys=[j for j, o in zip(journeys, owners, strict=True) if o == e],
            already={},
            on=ON,
        ).amount
        for e in (0, 1)
    ]
    people = {"a": 0, "b": 1, "c": 2, "d": 3}
    got = batch.transport_fen(
        enterprises=2,
        ticket_enterprise=np.array(owners, dtype=np.int64),
        ticket_person=np.array([people[p] for p, _ in fares], dtype=np.int64),
        fare_fen=np.array([batch.fen(D(f)) for _, f in fares], dtype=np.int64),
        share=D("0.35"),
        person_cap=D("500"),
    )
    assert [D(int(x)) / 100 for x in got] == exact == [D("140.03"), D("511.67")]  # c capped at 500
    hires = np.array([37, 2], dtype=np.int64)
    already = np.array([499000000, 0], dtype=np.int64)
    assert batch.recruitment_fen(
        hires=hires, already_fen=already, per_hire=D(2000), cap=D(5000000)
    ).tolist() == [1000000, 400000]


@pytest.mark.parametrize("share", ["1", "0.35"])
def test_the_offers_batch_equals_the_per_enterprise_computation(share):
    """Random payees (fixed seed): workers hired or travelling under two employers, an item an
    earlier claim holds, days carried by a chartered trip, hires before the policy, enterprises
    at or near the cap, workers whose transport was partly paid, fares ending in half a fen at
    a share of 0.35, workers' journeys in two legs (two tickets on one day). The batch gives
    every payee the amount, the records counted and the duplicates of the per-enterprise path,
    each item held once, and the explanation rendered from what an offer keeps (its rows read
    again by id) is the per-enterprise one."""
    import random

    from dualtrack.subsidies.rules import proactive

    rng = random.Random(16)
    params = base(
        [Version("transport", "share", D(share), START, None, AT + datetime.timedelta(1))]
    )
    for clause in ("recruitment", "transport"):
        cols = proactive.Columns(clause)
        carried, paid, granted = set(), {}, {}
        for e in range(1, 61):
            for n in range(rng.choice((0, 1, 2, 3, 8))):
                worker = f"w{rng.randint(1, 400)}"  # some workers under two employers
                cols.payee.append(e)
                cols.ids.append(e * 100 + n)
                cols.labels.append(f"W{worker}")
                cols.person.append(worker)
                if clause == "recruitment":
                    cols.days.append(START + datetime.timedelta(rng.randint(-5, 80)))
                    continue
                day = START + datetime.timedelta(rng.choice((-3, 2, 5, 9)))
                # Some workers' journeys in two legs: two tickets on one day.
                for leg in range(1 if rng.random() < 0.8 else 2):
                    if leg:
                        cols.payee.append(e)
                        cols.ids.append(e * 100 + 50 + n)
                        cols.labels.append(f"W{worker}")
                        cols.person.append(worker)
                    cols.days.append(day)
                    cols.route.append("赣州—南昌")
                    cols.fare.append(rng.randint(1, 60000))  # fen
                if rng.random() < 0.1:
                    carried.add((worker, day.isoformat()))
                if rng.random() < 0.1:
                    paid[worker] = D(rng.choice(("100", "499.99", "500")))
            granted[f"e:{e}"] = D(rng.choice(("0", "0", "4990000", "4998000", "5000000")))
        # Items open claims hold: another payee's (a hire, a ticket, a journey), and the
        # items of the open offer of enterprise 3 that the run recomputes.
        held: dict = {("hire", "w7"): (999, ("e", 999)), ("ticket", "301"): (998, ("e", 998))}
        held[cols.items(len(cols.ids) // 2)[-1]] = (997, ("e", 997))
        for i in [i for i, e in enumerate(cols.payee) if e == 3][:2]:
            held.update(dict.fromkeys(cols.items(i), (501, ("e", 3))))
        context = proactive.Context(
            held=held,
            open_offers={("e", 3): 501},
            granted=granted,
            carried=frozenset(carried),
            paid=paid,
        )
        batched = list(proactive.plan(clause, cols, context, params, ON))
        one_by_one = proactive.sequential(clause, cols.candidates(), context, params, ON)
        assert [(p.payee, p.amount, sorted(p.items), p.dups) for p in batched] == [
            (p.payee, p.amount, sorted(p.items), p.dups) for p in one_by_one
        ]
        # Each item held once (the database's rule), a worker's two legs of a day both paid.
        held = [(k, key) for p in batched for k, key, _ref in p.items]
        assert len(held) == len(set(held))
        assert not set(held) & {k for k, (claim, _p) in context.held.items() if claim != 501}
        fast = [p for p in batched if p.explanation is None]
        if clause == "transport":
            journey_of = {cols.ids[i]: cols.items(i)[1] for i in range(len(cols.ids))}
            legs = Counter(
                (p.payee, journey_of[ref])
                for p in fast
                for k, _key, ref in p.items
                if k == "ticket"
            )
            assert max(legs.values()) == 2
        # Most payees go through the batch; those whose records collide do not.
        assert len(one_by_one) > len(fast) > len(one_by_one) / 3
        assert any(p.dups for p in batched) and len(batched) < len(set(cols.payee))
        at = {i: n for n, i in enumerate(cols.ids)}
        for p, q in zip(batched, one_by_one, strict=True):
            if p.explanation is None:
                rows = [cols.row(at[i]) for i in p.inputs()["ids"]]
                assert proactive.render(clause, p.inputs(), rows, params, ON) == q.explanation
        if clause == "recruitment":
            assert any(0 < p.amount < 2000 * len(list(p.items)) for p in fast)
        else:
            assert any(p.inputs().get("paid") for p in fast) and any(
                p.inputs()["carried"] for p in fast
            )
