"""The batch of ``proactive``: every payee's recruitment or transport offer at once, in arrays.

The records' columns become integer arrays once — the payees numbered (``np.unique``), the
workers numbered in order of first appearance, the days as ordinals, the fares in fen as read —
and the duplicate guard works on numbers: a hire's or an introduced worker's key is
the worker's number, a journey's the worker's number and the day, a ticket's its id. Records
whose key another payee of the run lists too, or an open claim held before the run (other than
the payee's own open offer, recomputed in place), make their payees go through the per-payee
path (``proactive.sequential``). The amounts come from ``batch`` in exact integer fen. Each
offer's ``Planned`` (its inputs, the items it holds) is made when the offers are written."""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Sequence
from decimal import Decimal
from operator import itemgetter, methodcaller
from typing import Any

import numpy as np
import numpy.typing as npt

from dualtrack.subsidies.rules import batch
from dualtrack.subsidies.rules.params import Parameters
from dualtrack.subsidies.rules.proactive import (
    BATCHED,
    OWN_KIND,
    Columns,
    Context,
    Key,
    Payee,
    Planned,
)

Ints = batch.Ints
Bools = npt.NDArray[np.bool_]
PLAUSIBLE_FARE_FEN = 10_000_000  # 100,000 yuan, ``dispatch``'s limit


def window(clause: str, params: Parameters, on: datetime.date) -> tuple[int, int] | None:
    """The rate's single version's days as ordinals (both included), or None: not batched (a
    rate changing in the period, a cap not in force, a clause the batch does not compute)."""
    names = BATCHED.get(clause)
    if names is None or not params.in_force(clause, names[1], on=on):
        return None
    rate = params.sole(clause, names[0])
    if rate is None:
        return None
    ends = rate.effective_to or datetime.date.max
    return rate.effective_from.toordinal(), ends.toordinal()


def _number(values: Sequence[Any]) -> tuple[dict[Any, int], Ints]:
    """Each distinct value numbered in order of first appearance, and every entry's number."""
    index = {v: k for k, v in enumerate(dict.fromkeys(values))}
    numbers = np.fromiter(map(index.__getitem__, values), dtype=np.int64, count=len(values))
    return index, numbers


def _fen(value: Decimal | str) -> int:
    """A figure in whole fen, exactly (ValueError when it is not a whole number of fen)."""
    cents = (value if isinstance(value, Decimal) else Decimal(value)).scaleb(2)
    whole = int(cents)
    if whole != cents:
        raise ValueError("not a whole number of fen")
    return whole


class Batch:
    """One clause's offers for every payee whose records are theirs alone."""

    def __init__(
        self,
        clause: str,
        cols: Columns,
        context: Context,
        params: Parameters,
        window: tuple[int, int],
        on: datetime.date,
    ) -> None:
        self.clause, self.cols, self.context = clause, cols, context
        n = len(cols.ids)
        self.ids = np.asarray(cols.ids, dtype=np.int64).reshape(n)
        # The payees numbered by id: their records in payee order (stable: each payee's in
        # the records' order), each payee's first record, every record's payee number.
        payee = np.asarray(cols.payee, dtype=np.int64).reshape(n)
        order = np.argsort(payee, kind="stable")
        ordered = payee[order]
        new = np.ones(n, dtype=bool)
        new[1:] = ordered[1:] != ordered[:-1]
        starts = np.flatnonzero(new)
        self.payee_ids, self.first = ordered[starts], order[starts]
        self.owner = np.empty(n, dtype=np.int64)
        self.owner[order] = np.cumsum(new) - 1
        payees = len(self.payee_ids)
        self.rows, self.starts = order, np.append(starts, n)
        self.person_index, self.person = _number(cols.person)
        self.days = np.fromiter(map(datetime.date.toordinal, cols.days), dtype=np.int64, count=n)
        self.day0 = int(self.days.min()) if n else 0
        self.span = int(self.days.max()) - self.day0 + 1 if n else 1
        self.key = self.person * self.span + (self.days - self.day0)  # a journey, or a worker
        if clause != "transport":
            self.key = self.person
        collides = self._held() | self._shared()
        self.colliding = np.zeros(payees, dtype=bool)
        self.colliding[self.owner[collides]] = True
        counted = (self.days >= window[0]) & (self.days <= window[1])
        counted &= ~self.colliding[self.owner]
        self.carried_rows = np.zeros(n, dtype=bool)
        if clause == "transport" and context.carried:
            self.carried_rows = np.isin(self.key, self._codes(context.carried))
            counted &= ~self.carried_rows
        rate = params.sole(clause, BATCHED[clause][0])
        assert rate is not None  # window() checked it
        cap = params.value(clause, BATCHED[clause][1], on=on)
        if clause == "recruitment":
            self.fen = batch.recruitment_fen(
                hires=np.bincount(self.owner[counted], minlength=payees).astype(np.int64),
                already_fen=self._granted_fen(),
                per_hire=rate.value,
                cap=cap,
            )
        else:
            self.fen = self._transport(counted, rate.value, cap)
        offers = [p[1] for p in context.open_offers if p[0] == cols.payee_kind]
        self.making = (self.fen > 0) | np.isin(self.payee_ids, offers)
        self.making &= ~self.colliding
        self.count = int(self.making.sum())
        # Each payee's records (``rows``: all of them, the explanation also names those not
        # counted) and the ones it counts, by payee in the records' order.
        self.counted = order[counted[order]]
        self.cstarts = np.searchsorted(self.owner[self.counted], np.arange(payees + 1))

    def _codes(self, pairs: Any) -> list[int]:
        """The journey keys of (worker, ISO day) pairs met in the run's records."""
        out = []
        for person, day in pairs:
            no = self.person_index.get(person)
            if no is not None:
                offset = datetime.date.fromisoformat(str(day)).toordinal() - self.day0
                if 0 <= offset < self.span:
                    out.append(no * self.span + offset)
        return out

    def _held(self) -> Bools:
        """Records with an item an open claim held before the run (other than the payee's own
        open offer, which the run recomputes)."""
        n = len(self.ids)
        held = self.context.held
        if not held:
            return np.zeros(n, dtype=bool)
        offers = self.context.open_offers
        own = OWN_KIND[self.clause]
        codes: list[int] = []
        allowed: list[int] = []  # the payee whose open offer holds it, or -1
        for (kind, key), (claim, payee) in held.items():
            if kind == own and self.clause == "transport":
                code = [int(key) + self.span * len(self.person_index)] if key.isdigit() else []
            elif kind == own:
                code = [self.person_index[key]] if key in self.person_index else []
            elif kind == "journey" and self.clause == "transport":
                code = self._codes([key.rsplit(":", 1)])
            else:
                continue
            mine = claim is not None and offers.get(payee) == claim
            codes += code
            allowed += [payee[1] if mine and payee[0] == self.cols.payee_kind else -1] * len(code)
        if not codes:
            return np.zeros(n, dtype=bool)
        sort = np.argsort(codes)
        table, allow = np.array(codes, dtype=np.int64)[sort], np.array(allowed)[sort]
        out = np.zeros(n, dtype=bool)
        columns = [self.key]
        if self.clause == "transport":  # tickets by id, past every journey's number
            columns.append(self.ids + self.span * len(self.person_index))
        for column in columns:
            at = np.minimum(np.searchsorted(table, column), len(table) - 1)
            out |= (table[at] == column) & (allow[at] != self.payee_ids[self.owner])
        return out

    def _shared(self) -> Bools:
        """Records whose key (worker, or journey) another payee of the run lists too. (A
        ticket is one record: its id is no other's.)"""
        payees = max(len(self.payee_ids), 1)
        if not len(self.key) or (
            self.clause != "transport" and len(self.person_index) == len(self.key)
        ):
            return np.zeros(len(self.key), dtype=bool)  # every worker's one record
        pairs = np.sort(self.key * payees + self.owner)
        pairs = pairs[np.append(True, pairs[1:] != pairs[:-1])]
        keys = pairs // payees
        twice = keys[1:][keys[1:] == keys[:-1]]
        return np.isin(self.key, twice)

    def _granted_fen(self) -> Ints:
        """What each payee has been granted under the clause, in fen."""
        prefix = f"{self.cols.payee_kind}:"
        granted = self.context.granted
        holders = list(granted)
        if not all(map(methodcaller("startswith", prefix), holders)):
            holders = [h for h in holders if h.startswith(prefix)]
        # Few distinct totals (most payees none yet): each read in fen once.
        index, numbers = _number(list(map(granted.__getitem__, holders)))
        fen = np.array([_fen(v) for v in index], dtype=np.int64)[numbers]
        out = np.zeros(len(self.payee_ids), dtype=np.int64)
        if holders:
            found = np.fromiter(
                map(int, map(itemgetter(slice(len(prefix), None)), holders)),
                dtype=np.int64,
                count=len(holders),
            )
            at = np.minimum(np.searchsorted(self.payee_ids, found), len(self.payee_ids) - 1)
            hit = self.payee_ids[at] == found
            out[at[hit]] = fen[hit]
        return out

    def _transport(self, counted: Bools, share: Decimal, cap: Decimal) -> Ints:
        """Every counted ticket: its payee, its worker numbered within the payee (two payees'
        tickets of one worker are two workers: the cap is per offer, as in ``employment``),
        its fare in fen."""
        payees = len(self.payee_ids)
        if not counted.any():
            return np.zeros(payees, dtype=np.int64)
        rows = np.flatnonzero(counted)
        fare_fen = np.asarray(self.cols.fare, dtype=np.int64).reshape(-1)[rows]
        if int(fare_fen.min()) < 0 or int(fare_fen.max()) > PLAUSIBLE_FARE_FEN:
            raise ValueError("an implausible fare")
        workers = len(self.person_index)
        combos, ticket_person = np.unique(
            self.owner[rows] * workers + self.person[rows], return_inverse=True
        )
        already = None
        if self.context.paid:
            by_worker = np.zeros(workers, dtype=np.int64)
            for person, paid in self.context.paid.items():
                if person in self.person_index:
                    by_worker[self.person_index[person]] = _fen(str(paid))
            already = by_worker[combos % workers]
        return batch.transport_fen(
            enterprises=payees,
            ticket_enterprise=self.owner[rows],
            ticket_person=ticket_person.astype(np.int64),
            fare_fen=fare_fen,
            share=share,
            person_cap=cap,
            person_already_fen=already,
        )

    def colliding_payees(self) -> set[Payee]:
        kind = self.cols.payee_kind
        return {(kind, int(p)) for p in self.payee_ids[self.colliding].tolist()}

    def amounts(self) -> tuple[Ints, Ints]:
        return self.payee_ids[self.making], self.fen[self.making]

    def merged(self, sequential: list[Planned]) -> Iterator[Planned]:
        """The batch's offers and the per-payee path's, in the order of the payees' first
        records."""
        kind = self.cols.payee_kind
        others = {p.payee: p for p in sequential}
        for k in np.argsort(self.first, kind="stable").tolist():
            payee = (kind, int(self.payee_ids[k]))
            if self.colliding[k]:
                if payee in others:
                    yield others[payee]
            elif self.making[k]:
                counted = self.counted[self.cstarts[k] : self.cstarts[k + 1]].tolist()
                yield Planned(
                    payee,
                    self.context.open_offers.get(payee),
                    None,
                    _Held(self.cols, counted),
                    amount=Decimal(int(self.fen[k])).scaleb(-2),
                    source=(self, k),
                )

    def data(self, k: int) -> dict[str, Any]:
        """The inputs payee ``k``'s offer keeps: the ids of its records (read again to render
        the explanation), the total already granted, the worker-days carried and what the
        workers' transport has been granted."""
        rows = self.rows[self.starts[k] : self.starts[k + 1]]
        data: dict[str, Any] = {"ids": self.ids[rows].tolist()}
        cols = self.cols
        if self.clause == "recruitment":
            holder = f"{cols.payee_kind}:{int(self.payee_ids[k])}"
            data["already"] = str(self.context.granted.get(holder, "0"))
            return data
        rows_list = rows.tolist()
        pairs = {
            (cols.person[i], cols.days[i].isoformat()) for i in rows_list if self.carried_rows[i]
        }
        data["carried"] = [list(x) for x in sorted(pairs)]
        paid = self.context.paid
        people = sorted({cols.person[i] for i in rows_list} & paid.keys()) if paid else []
        if people:
            data["paid"] = {w: str(paid[w]) for w in people}
        return data


class _Held:
    """The items an offer of the batch holds, listed when the offer is written: the items of
    each record it counts (``rows``: the records' positions), each once — a worker's two
    tickets on one day hold the day's journey once, with the first."""

    def __init__(self, cols: Columns, rows: list[int]) -> None:
        self.cols, self.rows = cols, rows

    def __iter__(self) -> Iterator[tuple[str, str, int]]:
        seen: set[Key] = set()
        for i in self.rows:
            ref = int(self.cols.ids[i])
            for item in self.cols.items(i):
                if item not in seen:
                    seen.add(item)
                    yield item[0], item[1], ref
