"""The recruitment and transport amounts of many enterprises at once, exactly, in integers.

Money in fen and the transport share as a fraction p / 10^k are integers, so every product and
sum is exact in int64 (a fare of up to 10^7 fen times a share of up to 10^6 stays far below
2^63); the per-person cap is applied in the same units, and the enterprise's total is rounded
once, half up, to the fen — the rule of ``money.to_fen``, and the same amounts as the
per-enterprise functions of ``employment`` (the tests hold them equal). No explanation is built:
the proactive offers (``proactive``) compute every payee's amount here and render an offer's
explanation from its stored inputs when it is read. Only for parameters with a single version
over the inputs' days (else the per-enterprise functions)."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import numpy.typing as npt

Ints = npt.NDArray[np.int64]


def fen(value: Decimal) -> int:
    cents = value * 100
    if cents != cents.to_integral_value():
        raise ValueError("not a whole number of fen")
    return int(cents)


def recruitment_fen(*, hires: Ints, already_fen: Ints, per_hire: Decimal, cap: Decimal) -> Ints:
    """Per enterprise: min(hires × per_hire, max(cap − already, 0)), in fen."""
    room = np.maximum(fen(cap) - already_fen, 0)
    return np.minimum(hires * fen(per_hire), room)


def transport_fen(
    *,
    enterprises: int,
    ticket_enterprise: Ints,
    ticket_person: Ints,
    fare_fen: Ints,
    share: Decimal,
    person_cap: Decimal,
    person_already_fen: Ints | None = None,
) -> Ints:
    """Per enterprise: the sum over its workers of min(Σ fare × share, cap − already granted to
    the worker, at least 0), rounded once to the fen, half up. ``ticket_person`` numbers the
    workers 0…n−1 (each of one enterprise); ``person_already_fen`` by that number."""
    sign, _digits, exponent = share.normalize().as_tuple()
    assert isinstance(exponent, int) and sign == 0
    scale = 10 ** max(0, -exponent)
    numerator = int(share * scale)
    people = int(ticket_person.max()) + 1 if ticket_person.size else 0
    per_person = np.zeros(people, dtype=np.int64)
    np.add.at(per_person, ticket_person, fare_fen * numerator)
    room = fen(person_cap) - (person_already_fen if person_already_fen is not None else 0)
    per_person = np.minimum(per_person, np.maximum(room, 0) * scale)
    person_enterprise = np.zeros(people, dtype=np.int64)
    person_enterprise[ticket_person] = ticket_enterprise
    total = np.zeros(enterprises, dtype=np.int64)
    np.add.at(total, person_enterprise, per_person)
    rounded: Ints = (total + scale // 2) // scale
    return rounded
