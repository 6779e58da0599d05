"""The scaling benchmark (bench/scaling.py): the registers it generates and COPYs, a month each.

The district is 300,000 people at two passages a person a day at 253 gates (the demo's gates at
scale 1). At k× there are k times the people and the gates, so a gate sees as many passages a
day at any scale (about 2,400) and a person as many (two); what grows is the rows a partition
holds, and the gates and daily figures of a day. Each data set gets a month's partition of its
own, so a query bounded to its days is pruned to it.
"""

from __future__ import annotations

import datetime
import hashlib
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from checkpoints_setup import say
from checkpoints_sync import PASSAGE_COLUMNS

PEOPLE_AT_1 = 300_000
PASSAGES_A_PERSON_A_DAY = 2
GATES_AT_1 = 253  # dualtrack.demo.checkpoints.gates.CHECKPOINTS
PENDING_SHARE = 0.01  # self-registrations still waiting for the staff's temperature
FEVER_SHARE = 0.0005  # passages with a fever, each with its alert
COPY_CHUNK = 20_000
FIGURE_DAYS = 28  # the days the register keeps


@dataclass(frozen=True)
class DataSet:
    label: str
    month: datetime.date
    scale: int
    hours: int

    @property
    def gates(self) -> int:
        return GATES_AT_1 * self.scale

    @property
    def people(self) -> int:
        return PEOPLE_AT_1 * self.scale

    @property
    def rows(self) -> int:
        return self.people * PASSAGES_A_PERSON_A_DAY * self.hours // 24

    def start(self) -> datetime.datetime:
        """The local midnight of the 2nd of its month (UTC-aware)."""
        from dualtrack.core.partitions import month_begins

        return (month_begins(self.month) + datetime.timedelta(days=1)).astimezone(datetime.UTC)

    def end(self) -> datetime.datetime:
        return self.start() + datetime.timedelta(hours=self.hours)


def datasets(days_10: int, hours_100: int) -> list[DataSet]:
    """The baseline (1×, one day), 10× for one day and for ``days_10`` days, 100× for
    ``hours_100`` hours: in July to October 2026, a month's partition each."""
    return [
        DataSet("1× · 1 day", datetime.date(2026, 7, 1), 1, 24),
        DataSet("10× · 1 day", datetime.date(2026, 8, 1), 10, 24),
        DataSet(f"10× · {days_10} days", datetime.date(2026, 9, 1), 10, 24 * days_10),
        DataSet(f"100× · {hours_100} h", datetime.date(2026, 10, 1), 100, hours_100),
    ]


def digest(kind: bytes, person: int) -> str:
    """A person's ID-number (b"i") or mobile (b"m") digest: 64 hex digits like the register's
    HMAC, without 30 million HMACs."""
    return hashlib.blake2b(person.to_bytes(8, "little"), key=kind, digest_size=32).hexdigest()


def ciphertexts(n: int) -> list[tuple[str, str]]:
    """``n`` (ID number, mobile) ciphertexts made by the register's own encryption: the rows
    carry ciphertexts of the real width; the queries read digests."""
    from checkpoints_setup import _identities

    from dualtrack.core.crypto import encrypt

    return [(encrypt(i), encrypt(p)) for i, p in _identities(n)]


def person_of(data: DataSet, row: int) -> int:
    """Who makes the row-th passage of a data set (a fixed pseudo-random draw per row)."""
    return (row * 2_654_435_761 + data.scale * 97) % data.people


def lines(
    data: DataSet, first_id: int, gate_ids: list[int], sealed: list[tuple[str, str]]
) -> Iterator[tuple[str, list[tuple[int, int, datetime.datetime]]]]:
    """The data set's rows as COPY text (columns: id, then PASSAGE_COLUMNS), in time order, in
    chunks; with each chunk its fevers as (passage id, gate id, time) for their alerts."""
    rng = random.Random(data.scale * 1000 + data.hours)
    start, span, rows = data.start(), data.hours * 3600, data.rows
    epoch = start.timestamp()
    minutes: dict[int, str] = {}
    chunk: list[str] = []
    fevers: list[tuple[int, int, datetime.datetime]] = []
    for k in range(rows):
        at = epoch + span * k / rows
        minute = int(at // 60)
        prefix = minutes.get(minute)
        if prefix is None:
            moment = datetime.datetime.fromtimestamp(minute * 60, datetime.UTC)
            prefix = minutes[minute] = moment.strftime("%Y-%m-%d %H:%M:")
        stamp = f"{prefix}{at % 60:06.3f}+00"
        person = person_of(data, k)
        gate = gate_ids[person % data.gates]
        pk = first_id + k
        draw = rng.random()
        if draw < PENDING_SHARE:
            temperature, source = "\\N", "self"
        else:
            temperature, source = "36.5", "staff"
        fever = "f"
        if draw > 1 - FEVER_SHARE:
            temperature, fever = "38.1", "t"
            fevers.append((pk, gate, datetime.datetime.fromtimestamp(at, datetime.UTC)))
        id_cipher, phone_cipher = sealed[person % len(sealed)]
        chunk.append(
            f"{pk}\t{gate}\t\\N\t{rng.getrandbits(128):032x}\t{stamp}\t{stamp}\t"
            f"{'in' if k & 1 else 'out'}\t{temperature}\t\\N\t\\N\t张三\t{id_cipher}\t"
            f"{digest(b'i', person)}\t{phone_cipher}\t{digest(b'm', person)}\t360111\t"
            f"江西省南昌市东湖区\t上班\tt\t{source}\t\\N\t{fever}\tf\n"
        )
        if len(chunk) == COPY_CHUNK:
            yield "".join(chunk), fevers
            chunk, fevers = [], []
    if chunk:
        yield "".join(chunk), fevers


def copy_dataset(
    conn: Any, data: DataSet, first_id: int, gate_ids: list[int], sealed: list[tuple[str, str]]
) -> dict[str, Any]:
    """COPY a data set's passages, their alerts and their daily figures through a psycopg
    connection (the single server's or a Citus coordinator's); rows and seconds."""
    started = time.perf_counter()
    columns = ", ".join(["id", *PASSAGE_COLUMNS])
    alerts: list[tuple[int, int, datetime.datetime]] = []
    with conn.cursor() as cur, cur.copy(f"COPY checkpoints_passage ({columns}) FROM STDIN") as cp:
        for text, fevers in lines(data, first_id, gate_ids, sealed):
            cp.write(text.encode())
            alerts += fevers
    with conn.cursor() as cur:
        with cur.copy(
            "COPY checkpoints_alert (id, passage_id, checkpoint_id, fever, risk_area, raised_at, "
            "handled_at, handled_by_id, outcome, note) FROM STDIN"
        ) as cp:
            for pk, gate, at in alerts:
                handled = at + datetime.timedelta(minutes=20)
                cp.write_row((pk, pk, gate, True, False, at, handled, None, "referred", ""))
        # A row a gate a day for the FIGURE_DAYS days up to the data set's last (the figures
        # are rollups, kept when the passages are purged: their counts do not matter to the
        # query, their rows do).
        days = FIGURE_DAYS
        per_day = PASSAGES_A_PERSON_A_DAY * PEOPLE_AT_1 // GATES_AT_1
        with cur.copy(
            "COPY checkpoints_dailyfigure (checkpoint_id, day, people_in, people_out, fevers, "
            "risk_arrivals, alerts_raised, alerts_handled) FROM STDIN"
        ) as cp:
            last = (data.end() - datetime.timedelta(minutes=1)).astimezone(_local()).date()
            first_day = last - datetime.timedelta(days=days - 1)
            for n in range(days):
                for gate in gate_ids[: data.gates]:
                    day = first_day + datetime.timedelta(days=n)
                    cp.write_row((gate, day, per_day // 2, per_day - per_day // 2, 1, 0, 1, 1))
    conn.commit()
    seconds = time.perf_counter() - started
    say(f"{data.label}: {data.rows:,} passages COPYed in {seconds:.0f} s")
    return {"rows": data.rows, "seconds": seconds, "alerts": len(alerts)}


def _local() -> datetime.tzinfo:
    import zoneinfo

    from django.conf import settings

    return zoneinfo.ZoneInfo(settings.TIME_ZONE)
