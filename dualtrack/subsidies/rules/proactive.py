"""The proactive offers of one clause for every payee, without the database: which records each
payee's offer counts (the first payee in the run to count a worker's hire, a ticket or an
introduced worker keeps it; a later one records a duplicate claim), and its amount.

The inputs come as columns, one entry per record, in the order the records are read
(``Columns``). The recruitment and transport amounts of every payee are computed at once by
``batch`` (exact integers in fen) when each rate has a single version over the period. Their
explanation is not built then: an offer keeps the ids of its records, the total already granted
and the ids of the parameter versions used, and its tree is rendered when it is read, by
``dispatch.compute`` on the same records read again (``render``: the tree the per-payee path
gives, as the tests hold).

Only payees whose records collide — a record another open claim holds, or that two payees of
the run both list — go payee by payee through ``dispatch`` (with their explanation), in the
run's order: the records of every other payee are theirs alone, so the order cannot change
them. The per-payee path is also the one for a rate changing within the period and for the
introducer's reward."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import chain
from typing import Any

import numpy as np
import numpy.typing as npt

from dualtrack.subsidies.rules import batch
from dualtrack.subsidies.rules.dispatch import compute
from dualtrack.subsidies.rules.explain import Node
from dualtrack.subsidies.rules.params import Parameters

Payee = tuple[str, int]  # ("e", enterprise id) or ("i", introducer id)
Key = tuple[str, str]  # (kind, key) of a claimed item
# Who holds an item: (the claim's id, its payee); id None for an offer this run makes.
Holder = tuple[int | None, Payee]
LIST_KEY = {"recruitment": "hires", "transport": "journeys", "introducer": "introductions"}
# The parameters each batched clause reads: the rate (by each record's day), the cap (on ``on``).
BATCHED = {"recruitment": ("per_hire", "cap"), "transport": ("share", "person_cap")}
LAST_DAY = "9999-12-31"
PLAUSIBLE_FARE_FEN = 10_000_000  # 100,000 yuan, ``dispatch``'s limit


@dataclass
class Columns:
    """One clause's records, a list per field, one entry per record (``day`` ISO text). A
    record's row for ``dispatch`` is ``row(i)``; ``keys`` holds one list per kind of item."""

    clause: str
    payee: list[Payee] = field(default_factory=list)
    ids: list[int] = field(default_factory=list)
    days: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    keys: list[list[Key]] = field(default_factory=list)
    person: list[str] = field(default_factory=list)  # transport: the worker's key
    route: list[str] = field(default_factory=list)
    fare: list[str] = field(default_factory=list)
    names: dict[Payee, str] = field(default_factory=dict)  # payees not enterprises

    def row(self, i: int) -> list[Any]:
        if self.clause == "recruitment":
            return [self.ids[i], self.days[i], self.labels[i]]
        if self.clause == "transport":
            return [
                self.ids[i],
                self.person[i],
                self.route[i],
                self.fare[i],
                self.days[i],
                self.labels[i],
            ]
        return [self.ids[i], self.labels[i]]

    def candidates(self, only: set[Payee] | None = None) -> list[Candidate]:
        found: dict[Payee, Candidate] = {}
        for i, payee in enumerate(self.payee):
            if only is not None and payee not in only:
                continue
            c = found.get(payee)
            if c is None:
                c = found[payee] = Candidate(payee, self.names.get(payee, ""))
            c.rows.append(self.row(i))
            c.items[self.ids[i]] = [col[i] for col in self.keys]
        return list(found.values())


@dataclass
class Candidate:
    payee: Payee
    name: str = ""
    rows: list[list[Any]] = field(default_factory=list)  # the clause's input rows, id first
    items: dict[int, list[Key]] = field(default_factory=dict)  # row id → its items


class Held:
    """The items an offer of the batch holds, listed when the offer is written: every item of
    each record it counts (``rows``: the records' positions in the columns)."""

    def __init__(self, cols: Columns, rows: list[int]) -> None:
        self.cols, self.rows = cols, rows

    def __len__(self) -> int:
        return len(self.rows) * len(self.cols.keys)

    def __iter__(self) -> Iterator[tuple[str, str, int]]:
        cols = self.cols
        seen: set[Key] = set()
        for i in self.rows:
            for n, col in enumerate(cols.keys):
                if n and col[i] in seen:  # a worker's second ticket on a day: one journey
                    continue
                seen.add(col[i])
                yield col[i][0], col[i][1], cols.ids[i]


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
    source: tuple[_Slices, int] | None = None

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


def plan(
    clause: str, cols: Columns, context: Context, params: Parameters, on: datetime.date
) -> list[Planned]:
    """Every payee's offer, in the order of the payees' first records (a payee whose offer
    comes to nothing and who has no open offer makes none)."""
    window = _window(clause, params, on)
    if window is None:
        return sequential(clause, cols.candidates(), context, params, on)
    colliding = _colliding(cols, context)
    try:
        fast = _batched(clause, cols, colliding, context, params, window, on)
    except ValueError:  # a figure the batch does not take: the per-payee path refuses it
        return sequential(clause, cols.candidates(), context, params, on)
    planned = {
        p.payee: p for p in sequential(clause, cols.candidates(colliding), context, params, on)
    }
    order = dict.fromkeys(cols.payee)
    return [q for payee in order if (q := planned.get(payee) or fast.get(payee)) is not None]


def _window(clause: str, params: Parameters, on: datetime.date) -> tuple[str, str] | None:
    """The rate's single version's days as ISO text, or None: not batched (a rate changing in
    the period, a cap not in force, a clause the batch does not compute)."""
    names = BATCHED.get(clause)
    if names is None or not params.in_force(clause, names[1], on=on):
        return None
    rate = params.sole(clause, names[0])
    if rate is None:
        return None
    ends = rate.effective_to.isoformat() if rate.effective_to else LAST_DAY
    return rate.effective_from.isoformat(), ends


def _colliding(cols: Columns, context: Context) -> set[Payee]:
    """The payees with a record whose item another open claim holds, or another payee of the
    run lists too."""
    bad = set(context.held.keys() & set(chain.from_iterable(cols.keys)))
    for col in cols.keys:
        # A key listed twice by one payee (a worker's two tickets on a day) is no collision.
        twice = {k for k, n in Counter(col).items() if n > 1}
        if twice:
            payees: dict[Key, set[Payee]] = {}
            for k, payee in zip(col, cols.payee, strict=True):
                if k in twice:
                    payees.setdefault(k, set()).add(payee)
            bad |= {k for k, who in payees.items() if len(who) > 1}
    if not bad:
        return set()
    return {cols.payee[i] for col in cols.keys for i, k in enumerate(col) if k in bad}


def _batched(
    clause: str,
    cols: Columns,
    colliding: set[Payee],
    context: Context,
    params: Parameters,
    window: tuple[str, str],
    on: datetime.date,
) -> dict[Payee, Planned]:
    """The offers of the payees whose records are theirs alone, all at once."""
    n = len(cols.ids)
    payees = list(dict.fromkeys(cols.payee))
    index = {p: k for k, p in enumerate(payees)}
    owner = np.fromiter(map(index.__getitem__, cols.payee), dtype=np.int64, count=n)
    days = np.array(cols.days, dtype="U10") if n else np.zeros(0, dtype="U10")
    counted = (days >= window[0]) & (days <= window[1])
    if colliding:
        mine = np.array([p not in colliding for p in payees], dtype=bool)
        counted &= mine[owner]
    carried_rows = np.zeros(n, dtype=bool)
    if clause == "transport" and context.carried:
        pairs = zip(cols.person, cols.days, strict=True)
        carried_rows = np.fromiter(map(context.carried.__contains__, pairs), dtype=bool, count=n)
        counted &= ~carried_rows
    rate = params.sole(clause, BATCHED[clause][0])
    assert rate is not None  # _window checked it
    cap = params.value(clause, BATCHED[clause][1], on=on)
    already_text: list[str] = []
    if clause == "recruitment":
        already_text = [str(context.granted.get(f"{p[0]}:{p[1]}", "0")) for p in payees]
        fen = batch.recruitment_fen(
            hires=np.bincount(owner[counted], minlength=len(payees)).astype(np.int64),
            already_fen=np.array([_fen(a) for a in already_text], dtype=np.int64),
            per_hire=rate.value,
            cap=cap,
        )
    else:
        fen = _transport(cols, owner, counted, len(payees), context, rate.value, cap)
    # Each payee's records (all of them: the explanation also names those not counted) and
    # the ones it counts, by payee in the records' order: slices of two sorted lists.
    order = np.argsort(owner, kind="stable")
    counted_sorted = order[counted[order]]
    first = np.arange(len(payees) + 1)
    slices = _Slices(
        clause,
        cols,
        context,
        already_text,
        carried_rows,
        ids=np.array(cols.ids, dtype=np.int64)[order].tolist(),
        rows=order.tolist(),
        starts=np.searchsorted(owner[order], first).tolist(),
    )
    counted_rows = counted_sorted.tolist()
    cstarts = np.searchsorted(owner[counted_sorted], first).tolist()
    offers = [context.open_offers.get(p) for p in payees]
    making = fen > 0
    making |= np.array([o is not None for o in offers], dtype=bool)
    if colliding:
        making &= mine
    fen_of = fen.tolist()
    return {
        payees[k]: Planned(
            payees[k],
            offers[k],
            None,
            Held(cols, counted_rows[cstarts[k] : cstarts[k + 1]]),
            amount=Decimal(fen_of[k]).scaleb(-2),
            source=(slices, k),
        )
        for k in np.flatnonzero(making).tolist()
    }


class _Slices:
    """A batch's offers' inputs, each assembled when its offer is written: the ids of the
    payee's records (read again to render the explanation), the total already granted, the
    worker-days carried and what the workers' transport has been granted."""

    def __init__(
        self,
        clause: str,
        cols: Columns,
        context: Context,
        already: list[str],
        carried_rows: npt.NDArray[np.bool_],
        *,
        ids: list[int],
        rows: list[int],
        starts: list[int],
    ) -> None:
        self.clause, self.cols, self.context, self.already = clause, cols, context, already
        self.carried_rows, self.ids, self.rows, self.starts = carried_rows, ids, rows, starts

    def data(self, k: int) -> dict[str, Any]:
        lo, hi = self.starts[k], self.starts[k + 1]
        data: dict[str, Any] = {"ids": self.ids[lo:hi]}
        if self.clause == "recruitment":
            data["already"] = self.already[k]
            return data
        cols, rows = self.cols, self.rows[lo:hi]
        pairs = {(cols.person[i], cols.days[i]) for i in rows if self.carried_rows[i]}
        data["carried"] = [list(x) for x in sorted(pairs)]
        paid = self.context.paid
        people = sorted({cols.person[i] for i in rows} & paid.keys()) if paid else []
        if people:
            data["paid"] = {w: str(paid[w]) for w in people}
        return data


def _transport(
    cols: Columns,
    owner: batch.Ints,
    counted: npt.NDArray[np.bool_],
    payees: int,
    context: Context,
    share: Decimal,
    cap: Decimal,
) -> batch.Ints:
    """Every counted ticket in arrays: its payee, its worker numbered within the payee (two
    payees' tickets of one worker are two workers: the cap is per offer, as in ``employment``),
    its fare in fen (each distinct fare's text read once, exactly)."""
    if not counted.any():
        return np.zeros(payees, dtype=np.int64)
    rows = np.flatnonzero(counted)
    ticket_enterprise = owner[rows]
    person = np.array(cols.person)[rows]
    workers, worker = np.unique(person, return_inverse=True)
    combos, ticket_person = np.unique(
        ticket_enterprise * len(workers) + worker, return_inverse=True
    )
    fares = [cols.fare[i] for i in rows.tolist()]
    text_fen = {f: _fen(f) for f in set(fares)}
    fare_fen = np.fromiter(map(text_fen.__getitem__, fares), dtype=np.int64, count=len(fares))
    if int(fare_fen.min()) < 0 or int(fare_fen.max()) > PLAUSIBLE_FARE_FEN:
        raise ValueError("an implausible fare")
    already = None
    if context.paid:
        paid = context.paid
        by_worker = np.array(
            [_fen(str(paid[w])) if w in paid else 0 for w in workers.tolist()], dtype=np.int64
        )
        already = by_worker[combos % len(workers)]
    return batch.transport_fen(
        enterprises=payees,
        ticket_enterprise=ticket_enterprise,
        ticket_person=ticket_person.astype(np.int64),
        fare_fen=fare_fen,
        share=share,
        person_cap=cap,
        person_already_fen=already,
    )


def _fen(text: str) -> int:
    """A figure's text in whole fen, exactly (ValueError when it is not a whole number of fen)."""
    whole, dot, part = text.partition(".")
    if whole.isdigit() and len(part) <= 2 and (not dot or part.isdigit()):
        return int(whole) * 100 + int(part.ljust(2, "0"))
    return batch.fen(Decimal(text))


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
