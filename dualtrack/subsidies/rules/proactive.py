"""The proactive offers of one clause for every payee, without the database: which records each
payee's offer counts (the first payee in the run to count a worker's hire, a ticket or an
introduced worker keeps it; a later one records a duplicate claim), and its amount.

The inputs come as columns, one entry per record, in the order the records are read
(``Columns``). The recruitment and transport amounts of every payee are computed at once in
arrays (``columnar``: the duplicate guard's keys numbered, the amounts by ``batch`` in exact
integer fen) when each rate has a single version over the period. Their explanation is not
built then: an offer keeps the ids of its records, the total already granted and the ids of the
parameter versions used, and its tree is rendered when it is read, by ``dispatch.compute`` on
the same records read again (``render``: the tree the per-payee path gives, as the tests hold).

Only payees whose records collide — a record another open claim holds, or that two payees of
the run both list — go payee by payee through ``dispatch`` (with their explanation), in the
run's order: the records of every other payee are theirs alone, so the order cannot change
them. The per-payee path is also the one for a rate changing within the period and for the
introducer's reward.

A record's items (what an open claim holds, once): a hire's worker, an introduced worker; a
ticket, and the worker's journey that day — two tickets of one worker on one day are two legs
of one journey, both paid (per ticket, within the worker's cap), the journey held once."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from dualtrack.subsidies.rules.dispatch import compute
from dualtrack.subsidies.rules.explain import Node
from dualtrack.subsidies.rules.params import Parameters

Payee = tuple[str, int]  # ("e", enterprise id) or ("i", introducer id)
Key = tuple[str, str]  # (kind, key) of a claimed item
# Who holds an item: (the claim's id, its payee); id None for an offer this run makes.
Holder = tuple[int | None, Payee]
LIST_KEY = {"recruitment": "hires", "transport": "journeys", "introducer": "introductions"}
# The kind of each record's own item (its first), by clause.
OWN_KIND = {"recruitment": "hire", "transport": "ticket", "introducer": "introduced"}
# The parameters each batched clause reads: the rate (by each record's day), the cap (on ``on``).
BATCHED = {"recruitment": ("per_hire", "cap"), "transport": ("share", "person_cap")}


@dataclass
class Columns:
    """One clause's records, a sequence per field, one entry per record (lists or arrays, as
    read). ``payee`` holds the payees' ids (of kind ``payee_kind``), ``person`` the worker's
    key (the ID number's digest), ``fare`` in whole fen. A record's row for
    ``dispatch`` is ``row(i)``, its items ``items(i)``."""

    clause: str
    payee_kind: str = "e"
    payee: Sequence[int] = field(default_factory=list)
    ids: Sequence[int] = field(default_factory=list)
    days: Sequence[datetime.date] = field(default_factory=list)
    labels: Sequence[str] = field(default_factory=list)
    person: Sequence[str] = field(default_factory=list)
    route: Sequence[str] = field(default_factory=list)  # transport
    fare: Sequence[int] = field(default_factory=list)  # transport
    names: dict[Payee, str] = field(default_factory=dict)  # payees not enterprises

    def row(self, i: int) -> list[Any]:
        ref = int(self.ids[i])
        if self.clause == "recruitment":
            return [ref, self.days[i].isoformat(), self.labels[i]]
        if self.clause == "transport":
            return [
                ref,
                self.person[i],
                self.route[i],
                _yuan_text(int(self.fare[i])),
                self.days[i].isoformat(),
                self.labels[i],
            ]
        return [ref, self.labels[i]]

    def items(self, i: int) -> list[Key]:
        """The record's items: its own first, then (transport) the worker's journey that day."""
        kind = OWN_KIND[self.clause]
        if self.clause == "transport":
            journey = f"{self.person[i]}:{self.days[i].isoformat()}"
            return [(kind, str(self.ids[i])), ("journey", journey)]
        return [(kind, self.person[i])]

    def candidates(self, only: set[Payee] | None = None) -> list[Candidate]:
        found: dict[Payee, Candidate] = {}
        kind = self.payee_kind
        if only is not None and not only:
            return []
        for i, pid in enumerate(self.payee):
            payee = (kind, int(pid))
            if only is not None and payee not in only:
                continue
            c = found.get(payee)
            if c is None:
                c = found[payee] = Candidate(payee, self.names.get(payee, ""))
            c.rows.append(self.row(i))
            c.items[int(self.ids[i])] = self.items(i)
        return list(found.values())


def _yuan_text(fen: int) -> str:
    """A fare in fen as the database's text of it (``320.50``)."""
    sign = "-" if fen < 0 else ""
    return f"{sign}{abs(fen) // 100}.{abs(fen) % 100:02d}"


@dataclass
class Candidate:
    payee: Payee
    name: str = ""
    rows: list[list[Any]] = field(default_factory=list)  # the clause's input rows, id first
    items: dict[int, list[Key]] = field(default_factory=dict)  # row id → its items


@dataclass
class Planned:
    payee: Payee
    offer: int | None  # the payee's open offer, recomputed in place
    data: dict[str, Any] | None  # the offer's inputs; None: ``source`` assembles them
    items: Iterable[tuple[str, str, int]]  # the items the offer holds: kind, key, row id
    dups: list[tuple[str, str, int, Holder]] = field(default_factory=list)
    amount: Decimal = Decimal("0.00")
    explanation: Node | None = None  # None: rendered from the inputs when read
    name: str = ""
    source: Any = None  # the batch's slices and the payee's number in them

    def inputs(self) -> dict[str, Any]:
        """What the offer keeps: the per-payee path's rows, or the batch's ids of records."""
        if self.data is None:
            assert self.source is not None
            self.data = self.source[0].data(self.source[1])
        return self.data


@dataclass(frozen=True)
class Context:
    """What the computation reads besides the records: the items held by open claims before
    the run, the open offers by payee, what each holder has been granted, the worker-days
    carried by a chartered trip (transport) and what each worker's transport has been granted."""

    held: Mapping[Key, Holder]
    open_offers: Mapping[Payee, int]
    granted: Mapping[str, Decimal]
    carried: frozenset[tuple[str, str]] = frozenset()
    paid: Mapping[str, Decimal] = field(default_factory=dict)


class Plan:
    """The offers of a run: those of the batch as arrays (``payees``, ``fen``: every offer made,
    by payee id, its amount in fen), each one's ``Planned`` made when iterated (as the offers
    are written), in the order of the payees' first records."""

    def __init__(self, batched: Any, sequential: list[Planned]) -> None:
        self.batched, self.sequential = batched, sequential

    @property
    def fast(self) -> int:
        """How many offers the batch computed (their explanation rendered when read)."""
        return 0 if self.batched is None else self.batched.count

    def amounts(self) -> tuple[Any, Any]:
        """Every offer's payee id and amount in fen, as two integer arrays."""
        import numpy as np

        ids = [p.payee[1] for p in self.sequential]
        fen = [int(p.amount * 100) for p in self.sequential]
        if self.batched is None:
            return np.array(ids, dtype=np.int64), np.array(fen, dtype=np.int64)
        b_ids, b_fen = self.batched.amounts()
        return np.concatenate([b_ids, ids]).astype(np.int64), np.concatenate([b_fen, fen])

    def __iter__(self) -> Iterator[Planned]:
        if self.batched is None:
            yield from self.sequential
            return
        yield from self.batched.merged(self.sequential)

    def __len__(self) -> int:
        return self.fast + len(self.sequential)


def plan(
    clause: str, cols: Columns, context: Context, params: Parameters, on: datetime.date
) -> Plan:
    """Every payee's offer (a payee whose offer comes to nothing and who has no open offer
    makes none)."""
    from dualtrack.subsidies.rules import columnar

    window = columnar.window(clause, params, on)
    if window is None:
        return Plan(None, sequential(clause, cols.candidates(), context, params, on))
    try:
        batch = columnar.Batch(clause, cols, context, params, window, on)
    except ValueError:  # a figure the batch does not take: the per-payee path refuses it
        return Plan(None, sequential(clause, cols.candidates(), context, params, on))
    colliding = batch.colliding_payees()
    return Plan(batch, sequential(clause, cols.candidates(colliding), context, params, on))


def _inputs(
    clause: str, cand: Candidate, rows: list[list[Any]], context: Context
) -> dict[str, Any]:
    data: dict[str, Any] = {LIST_KEY[clause]: rows}
    if clause == "transport":
        days = {(r[1], r[4]) for r in rows}
        data["carried"] = [[p, d] for p, d in sorted(days & context.carried)]
        paid = {p: str(context.paid[p]) for p, _d in days if p in context.paid}
        if paid:
            data["paid"] = dict(sorted(paid.items()))
    else:
        holder = f"{cand.payee[0]}:{cand.payee[1]}"
        data["already"] = str(context.granted.get(holder, "0"))
    return data


def _split(
    cand: Candidate, offer: int | None, held: Mapping[Key, Holder]
) -> tuple[list[list[Any]], list[tuple[str, str, int]], list[tuple[str, str, int, Holder]]]:
    """The candidate's rows no other open claim holds, their items (each once), and the
    duplicates. A record's own item (its first: the hire, the ticket, the introduced worker)
    held by another payee's claim is a duplicate, by one of the payee's own claims counted
    already. A further item (the worker's journey on a day) held by another payee is a
    duplicate too; held by the payee's own claim it is the same journey's other leg, paid per
    ticket: the record counts, and the journey stays that claim's."""
    keep_rows: list[list[Any]] = []
    kept_items: list[tuple[str, str, int]] = []
    kept_keys: set[Key] = set()
    dups: list[tuple[str, str, int, Holder]] = []
    for row in cand.rows:
        ref = int(row[0])
        taken = None
        mine: list[Key] = []
        for n, item in enumerate(cand.items[ref]):
            other = held.get(item)
            if other is None or (offer is not None and other[0] == offer):
                mine.append(item)
            elif n == 0 or other[1] != cand.payee:
                taken = (item[0], item[1], other)
                break
        if taken is None:
            keep_rows.append(row)
            new = [k for k in mine if k not in kept_keys]
            kept_keys.update(new)
            kept_items.extend((k, key, ref) for k, key in new)
        elif taken[2][1] != cand.payee:
            dups.append((taken[0], taken[1], ref, taken[2]))
    return keep_rows, kept_items, dups


def sequential(
    clause: str,
    candidates: Sequence[Candidate],
    context: Context,
    params: Parameters,
    on: datetime.date,
) -> list[Planned]:
    """Payee by payee through ``dispatch``, each offer with its explanation and its rows."""
    held = dict(context.held)
    out: list[Planned] = []
    for cand in candidates:
        offer = context.open_offers.get(cand.payee)
        rows, items, dups = _split(cand, offer, held)
        data = _inputs(clause, cand, rows, context)
        result = compute(clause, data, params, on)
        if not result.eligible and offer is None:
            continue
        counted = {r.id for r in result.counted}
        kept = [i for i in items if i[2] in counted]
        out.append(
            Planned(
                cand.payee,
                offer,
                data,
                kept,
                dups,
                result.amount,
                result.explanation,
                cand.name,
            )
        )
        mine: Holder = (offer, cand.payee)
        for k, key, _ref in kept:
            held[(k, key)] = mine
    return out


def versions_used(clause: str, params: Parameters, on: datetime.date) -> dict[str, int]:
    """The ids of the parameter versions a batched offer was computed with (kept with it)."""
    names = BATCHED.get(clause, ())
    out: dict[str, int] = {}
    for name in names:
        version = params.sole(clause, name)
        if version is None:
            version = params.choose(clause, name, on=on).version
        out[name] = version.id
    return out


def render(
    clause: str,
    data: Mapping[str, Any],
    rows: Sequence[list[Any]],
    params: Parameters,
    on: datetime.date,
) -> Node:
    """The explanation of an offer the batch computed, from its inputs and its rows read again
    (those of ``data["ids"]``, in that order): the same tree the per-payee computation gives."""
    inputs = {k: v for k, v in data.items() if k not in ("ids", "versions")}
    return compute(clause, {**inputs, LIST_KEY[clause]: list(rows)}, params, on).explanation
