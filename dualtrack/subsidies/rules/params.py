"""Parameters as data: each value has an effective period and the time it was recorded.

``Parameters.value(clause, name, on=day)`` gives the value in force on ``day``: among the
versions whose period holds the day, the one recorded last (up to ``known_at`` when given), so a
later correction of a parameter replaces the figure it corrects for every computation made after
it was recorded, while ``known_at`` still answers what the figure was believed to be before. A
version that replaced another over the same day is marked ``corrects`` (the page shows it)."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal


class NotInForce(Exception):
    """No version of the parameter holds the day: the clause is not in force then."""

    def __init__(self, clause: str, name: str, day: datetime.date) -> None:
        self.clause, self.name, self.day = clause, name, day
        super().__init__(f"{clause}.{name} not in force on {day.isoformat()}")


@dataclass(frozen=True)
class Version:
    clause: str
    name: str
    value: Decimal
    effective_from: datetime.date
    effective_to: datetime.date | None  # inclusive; None: until further notice
    recorded_at: datetime.datetime
    scope: str = ""  # a town's code for the towns' own schemes, else ""
    id: int = 0

    def holds(self, day: datetime.date) -> bool:
        ends = self.effective_to
        return self.effective_from <= day and (ends is None or day <= ends)


@dataclass(frozen=True)
class Chosen:
    version: Version
    corrects: Version | None  # the version recorded earlier over the same day, if any


class Parameters:
    """An immutable index of versions by (clause, name, scope).

    Versions starting on the same day are one line of corrections: the one recorded last
    replaces the others over its whole period (so a correction may also end a period early).
    Among the lines holding a day, the one starting latest is the rule for that day (a change
    from a day on)."""

    def __init__(
        self, versions: Iterable[Version], known_at: datetime.datetime | None = None
    ) -> None:
        lines: dict[tuple[str, str, str], dict[datetime.date, list[Version]]] = {}
        for v in versions:
            if known_at is not None and v.recorded_at > known_at:
                continue
            key = (v.clause, v.name, v.scope)
            lines.setdefault(key, {}).setdefault(v.effective_from, []).append(v)
        self._index: dict[tuple[str, str, str], list[tuple[Version, Version | None]]] = {}
        for key, by_start in lines.items():
            current = []
            for rows in by_start.values():
                rows.sort(key=lambda v: (v.recorded_at, v.id), reverse=True)
                current.append((rows[0], rows[1] if len(rows) > 1 else None))
            current.sort(key=lambda pair: pair[0].effective_from, reverse=True)
            self._index[key] = current

    def choose(self, clause: str, name: str, *, on: datetime.date, scope: str = "") -> Chosen:
        for version, corrects in self._index.get((clause, name, scope), []):
            if version.holds(on):
                return Chosen(version, corrects)
        raise NotInForce(clause, name, on)

    def sole(self, clause: str, name: str, *, scope: str = "") -> Version | None:
        """The parameter's only version in force (after corrections), or None when its value
        changes from some day on (or it has none): a computation may then read it once."""
        rows = self._index.get((clause, name, scope), [])
        return rows[0][0] if len(rows) == 1 else None

    def first_day(self, clause: str, name: str) -> datetime.date | None:
        rows = self._index.get((clause, name, ""), [])
        return min((v.effective_from for v, _ in rows), default=None)

    def value(self, clause: str, name: str, *, on: datetime.date, scope: str = "") -> Decimal:
        return self.choose(clause, name, on=on, scope=scope).version.value

    def in_force(self, clause: str, name: str, *, on: datetime.date, scope: str = "") -> bool:
        try:
            self.choose(clause, name, on=on, scope=scope)
        except NotInForce:
            return False
        return True

    def segments(
        self, clause: str, name: str, *, start: datetime.date, end: datetime.date
    ) -> list[tuple[datetime.date, datetime.date, Version]]:
        """The days ``start``..``end`` (inclusive) cut where the value in force changes: each
        piece with the version that holds all of it. Raises NotInForce on a day none holds."""
        rows = self._index.get((clause, name, ""), [])
        cuts = {start, end + datetime.timedelta(days=1)}
        for v, _ in rows:
            for day in (v.effective_from, (v.effective_to or end) + datetime.timedelta(days=1)):
                if start < day <= end:
                    cuts.add(day)
        days = sorted(cuts)
        out: list[tuple[datetime.date, datetime.date, Version]] = []
        for lo, hi in itertools.pairwise(days):
            version = self.choose(clause, name, on=lo).version
            last = hi - datetime.timedelta(days=1)
            if out and out[-1][2] == version:
                out[-1] = (out[-1][0], last, version)
            else:
                out.append((lo, last, version))
        return out
