"""Test data made the way users make it: through the services."""

from __future__ import annotations

import itertools

from stdnum.cn import ric

from dualtrack.areas.models import Area, Household, Resident
from dualtrack.areas.services.people import household_create, resident_create
from dualtrack.core.models import User

_sequence = itertools.count(1)


def make_id_number(*, region: str = "360122", birth: str = "19900101", male: bool = True) -> str:
    """A valid GB 11643 ID number, different on every call."""
    n = next(_sequence) % 500
    seq = f"{n:02d}"[-2:] + ("1" if male else "2")
    body = f"{region}{birth}{seq}"
    return body + ric.calc_check_digit(body + "0")  # it ignores the last character


_phones = itertools.count(13800000001)


def make_phone() -> str:
    return str(next(_phones))


_households = itertools.count(1)


def make_household(*, actor: User, area: Area, address: str = "幸福路1号") -> Household:
    return household_create(
        actor=actor, area=area, number=f"H{next(_households):05d}", address=address
    )


def make_resident(
    *, actor: User, household: Household, name: str = "张三", phone: str | None = None
) -> Resident:
    return resident_create(
        actor=actor,
        household=household,
        name=name,
        id_number=make_id_number(),
        phone=make_phone() if phone is None else phone,
    )
