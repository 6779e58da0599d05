"""Benchmark of the proactive offers' computation against OpenFisca, in the same run.

    .venv/bin/python bench/subsidies.py [--enterprises 29280] [--repeat 3]

Inputs for every enterprise of the demo at scale 10 (29,280 enterprises) are generated in memory
with a fixed seed, the shapes of the demo's rosters and tickets: each enterprise some workers,
some of them new hires (the recruitment subsidy: 2,000 yuan each, 5,000,000 per enterprise, with
what is already granted), some with one or two self-travel tickets (the transport subsidy: the
fare × the share, at most the cap per person). Both sides compute the same two clauses on the
same inputs:

- dualtrack: what the proactive offers' job runs once it has read its inputs and before it
  writes the offers — from the rows its reads return (tuples of values, the fares in fen), the
  columns (``services.offers.hire_columns`` / ``ticket_columns``), then
  ``subsidies.rules.proactive.plan`` with the totals already granted: the workers, days and
  payees numbered in arrays, the duplicate guard's collisions, which records each offer counts
  and holds, the slices of record ids each offer keeps to render its explanation when it is
  read, and every amount through ``rules.batch`` (exact integers in fen, one half-up rounding),
  ending with every offer's payee and amount as arrays; without the database's reads and
  writes (the job makes each offer's objects as it writes it). For reference, the
  per-enterprise path (``rules.employment`` through ``dispatch``, Decimal, building every
  explanation tree at once: what the job ran before, and runs still when a parameter changes
  within the period) is measured once;
- OpenFisca (openfisca-core 46): a tax-benefit system with two entities (workers, enterprises),
  the same parameters, vectorised over all of them in float64 (numpy), without explanations.

The figures: seconds per full computation (best of ``--repeat``), the ratio dualtrack/OpenFisca,
and how many amounts differ once OpenFisca's floats are rounded half-up to the fen — with the
packages' parameters, and with a share of 0.35 of the fare (a cost share whose products end in
half a fen). Nothing asserts timings.
"""

from __future__ import annotations

import argparse
import datetime
import random
import sys
import time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from run import _machine  # noqa: E402

from dualtrack.subsidies.rules import employment, proactive  # noqa: E402
from dualtrack.subsidies.rules.params import Parameters, Version  # noqa: E402

START = datetime.date(2026, 1, 1)
ON = datetime.date(2026, 3, 1)
RECORDED = datetime.datetime(2025, 12, 20, tzinfo=datetime.UTC)
FEN = Decimal("0.01")


def _inputs(enterprises: int, seed: int = 2020) -> dict[str, list]:  # type: ignore[type-arg]
    rng = random.Random(seed)
    hires, tickets, already = [], [], []
    worker = ticket_no = 0
    for _e in range(enterprises):
        rows_h, rows_t = [], []
        for _ in range(rng.choice((0, 0, 1, 2, 3, 5, 8, 12))):
            worker += 1
            rows_h.append(
                employment.Hire(worker, START + datetime.timedelta(days=rng.randint(0, 58)))
            )
            for _t in range(rng.choice((0, 0, 1, 1, 2))):
                fare = Decimal(rng.randint(3000, 42000)) / 100
                ticket_no += 1
                rows_t.append(
                    employment.Journey(
                        ticket_no,
                        f"w{worker}",
                        "赣州—南昌",
                        fare,
                        START + datetime.timedelta(days=rng.randint(0, 58)),
                    )
                )
        hires.append(rows_h)
        tickets.append(rows_t)
        already.append(Decimal(rng.choice((0, 0, 0, 4_990_000, 4_998_000))))
    return {"hires": hires, "tickets": tickets, "already": already}


def _params(share: str) -> Parameters:
    def v(clause: str, name: str, value: str) -> Version:
        return Version(clause, name, Decimal(value), START, None, RECORDED)

    return Parameters(
        [
            v("recruitment", "per_hire", "2000"),
            v("recruitment", "cap", "5000000"),
            v("transport", "share", share),
            v("transport", "person_cap", "500"),
        ]
    )


def _rows(data: dict) -> tuple[list, list]:  # type: ignore[type-arg]
    """The records as the offers job's reads return them (``subsidies.inputs``: tuples of
    values, as the database driver gives them: dates, the fares in whole fen, which the read
    asks the database for): built outside the timings, as the database's reads are."""
    hires, tickets = [], []
    for e, (rows_h, rows_t) in enumerate(zip(data["hires"], data["tickets"], strict=True)):
        hires += [(h.id, e + 1, f"w{h.id}", h.hire_date, h.label) for h in rows_h]
        tickets += [
            (j.id, e + 1, j.person, j.route, int(j.fare * 100), j.travel_date, j.label)
            for j in rows_t
        ]
    return hires, tickets


def run_offers(data: dict, rows: tuple[list, list], share: str) -> dict[str, tuple]:  # type: ignore[type-arg]
    """What the offers job computes once its records are read: their columns, the totals
    already granted, then ``proactive.plan`` for both clauses (the amounts, the records each
    offer counts and holds, the ids each offer keeps to render its explanation when read, the
    parameter versions used); every offer's payee and amount in fen, as arrays (the job makes
    each offer's objects as it writes them)."""
    from dualtrack.subsidies.services.offers import hire_columns, ticket_columns

    columns = {"recruitment": hire_columns(rows[0]), "transport": ticket_columns(rows[1])}
    params = _params(share)
    granted = {f"e:{e + 1}": a for e, a in enumerate(data["already"])}
    context = proactive.Context(held={}, open_offers={}, granted=granted)
    amounts = {}
    for clause in ("recruitment", "transport"):
        planned = proactive.plan(clause, columns[clause], context, params, ON)
        proactive.versions_used(clause, params, ON)
        amounts[clause] = planned.amounts()
    return amounts


def _by_enterprise(amounts: dict, enterprises: int) -> list[tuple[Decimal, Decimal]]:  # type: ignore[type-arg]
    """The offers' amounts by enterprise in yuan (nothing offered: 0.00), for the comparisons."""
    out = {}
    for clause, (ids, fen) in amounts.items():
        out[clause] = dict(zip(ids.tolist(), fen.tolist(), strict=True))
    return [
        tuple(Decimal(out[c].get(e + 1, 0)).scaleb(-2) for c in ("recruitment", "transport"))  # type: ignore[misc]
        for e in range(enterprises)
    ]


def run_dualtrack(data: dict, share: str, explain: bool = True) -> list[tuple[Decimal, Decimal]]:  # type: ignore[type-arg]
    """The per-enterprise path: ``rules.employment`` enterprise by enterprise."""
    params = _params(share)
    out = []
    for hires, tickets, already in zip(
        data["hires"], data["tickets"], data["already"], strict=True
    ):
        r = employment.recruitment(params, hires=hires, already=already, on=ON, explain=explain)
        t = employment.transport(params, journeys=tickets, already={}, on=ON, explain=explain)
        out.append((r.amount, t.amount))
    return out


def _openfisca_system(share: float):  # type: ignore[no-untyped-def]
    from openfisca_core.entities import build_entity
    from openfisca_core.model_api import max_, min_
    from openfisca_core.parameters import ParameterNode
    from openfisca_core.periods import DateUnit
    from openfisca_core.taxbenefitsystems import TaxBenefitSystem
    from openfisca_core.variables import Variable

    worker = build_entity(key="worker", plural="workers", label="worker", is_person=True)
    enterprise = build_entity(
        key="enterprise",
        plural="enterprises",
        label="enterprise",
        roles=[{"key": "member", "plural": "members", "label": "member"}],
    )

    class new_hire(Variable):
        value_type = bool
        entity = worker
        definition_period = DateUnit.MONTH
        label = "new hire in the period"

    class fares(Variable):
        value_type = float
        entity = worker
        definition_period = DateUnit.MONTH
        label = "the worker's self-travel fares"

    class already_granted(Variable):
        value_type = float
        entity = enterprise
        definition_period = DateUnit.MONTH
        label = "recruitment subsidy already granted"

    class transport_person(Variable):
        value_type = float
        entity = worker
        definition_period = DateUnit.MONTH
        label = "transport subsidy of a worker"

        def formula(person, period, parameters):  # type: ignore[no-untyped-def]
            p = parameters(period).transport
            return min_(person("fares", period) * p.share, p.person_cap)

    class transport_subsidy(Variable):
        value_type = float
        entity = enterprise
        definition_period = DateUnit.MONTH
        label = "transport subsidy"

        def formula(ent, period, parameters):  # type: ignore[no-untyped-def]
            return ent.sum(ent.members("transport_person", period))

    class recruitment_subsidy(Variable):
        value_type = float
        entity = enterprise
        definition_period = DateUnit.MONTH
        label = "recruitment subsidy"

        def formula(ent, period, parameters):  # type: ignore[no-untyped-def]
            p = parameters(period).recruitment
            hired = ent.sum(ent.members("new_hire", period))
            room = max_(p.cap - ent("already_granted", period), 0)
            return min_(hired * p.per_hire, room)

    system = TaxBenefitSystem([worker, enterprise])
    for variable in (
        new_hire,
        fares,
        already_granted,
        transport_person,
        transport_subsidy,
        recruitment_subsidy,
    ):
        system.add_variable(variable)
    day = START.isoformat()
    system.parameters = ParameterNode(
        "",
        data={
            "recruitment": {
                "per_hire": {"values": {day: {"value": 2000}}},
                "cap": {"values": {day: {"value": 5000000}}},
            },
            "transport": {
                "share": {"values": {day: {"value": share}}},
                "person_cap": {"values": {day: {"value": 500}}},
            },
        },
    )
    return system


def run_openfisca(data: dict, system) -> tuple[list[float], list[float]]:  # type: ignore[no-untyped-def, type-arg]
    import numpy as np
    from openfisca_core.simulation_builder import SimulationBuilder

    enterprise_of, fares, hire = [], [], []
    for e, (hires, tickets) in enumerate(zip(data["hires"], data["tickets"], strict=True)):
        by_worker: dict[str, float] = {}
        for j in tickets:
            by_worker[j.person] = by_worker.get(j.person, 0.0) + float(j.fare)
        for h in hires:
            enterprise_of.append(e)
            fares.append(by_worker.get(f"w{h.id}", 0.0))
            hire.append(True)
        # An OpenFisca group needs a member: an enterprise without new hires gets one worker
        # who is not a new hire and has no ticket (both sides then give it nothing).
        if not hires:
            enterprise_of.append(e)
            fares.append(0.0)
            hire.append(False)
    n_ent = len(data["hires"])
    builder = SimulationBuilder()
    builder.create_entities(system)
    builder.declare_person_entity("worker", [f"w{i}" for i in range(len(hire))])
    group = builder.declare_entity("enterprise", [f"e{i}" for i in range(n_ent)])
    builder.join_with_persons(group, [f"e{e}" for e in enterprise_of], ["member"] * len(hire))
    simulation = builder.build(system)
    period = "2026-03"
    simulation.set_input("new_hire", period, np.array(hire, dtype=bool))
    simulation.set_input("fares", period, np.array(fares, dtype=float))
    simulation.set_input(
        "already_granted", period, np.array([float(a) for a in data["already"]], dtype=float)
    )
    recruitment = simulation.calculate("recruitment_subsidy", period)
    transport = simulation.calculate("transport_subsidy", period)
    return recruitment.tolist(), transport.tolist()


def _fen(value: float) -> Decimal:
    """OpenFisca's float as a finance bureau would book it: to the fen, half up."""
    return Decimal(value).quantize(FEN, rounding=ROUND_HALF_UP)


def _best(fn, repeat: int) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    best, result = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--enterprises", type=int, default=29280)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"machine: {_machine()}")
    data = _inputs(args.enterprises)
    workers = sum(len(h) for h in data["hires"])
    tickets = sum(len(t) for t in data["tickets"])
    print(f"inputs: {args.enterprises:,} enterprises, {workers:,} new hires, {tickets:,} tickets")
    rows = _rows(data)
    for share in ("1", "0.35"):
        ours_s, planned = _best(lambda s=share: run_offers(data, rows, s), args.repeat)
        ours = _by_enterprise(planned, args.enterprises)  # type: ignore[arg-type]
        each_s, each = _best(lambda s=share: run_dualtrack(data, s), 1)
        assert each == ours  # the offers' batch gives the per-enterprise amounts, exactly
        system = _openfisca_system(float(share))
        of_s, of = _best(lambda s=system: run_openfisca(data, s), args.repeat)
        recruitment, transport = of  # type: ignore[misc]
        differ = sum(
            1
            for (r, t), fr, ft in zip(ours, recruitment, transport, strict=True)  # type: ignore[arg-type]
            if r != _fen(fr) or t != _fen(ft)
        )
        print(
            f"share {share}: dualtrack offers job {ours_s:.3f} s; OpenFisca {of_s:.3f} s; "
            f"ratio dualtrack/OpenFisca {ours_s / of_s:.2f}; per-enterprise path with "
            f"explanations {each_s:.3f} s (ratio {each_s / of_s:.2f}, one run); "
            f"enterprises whose amounts differ at the fen: {differ:,} of {args.enterprises:,}"
        )


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    main()
