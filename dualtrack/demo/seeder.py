"""What every step of the demo shares: the run's settings, its random source and its tally.

``dualtrack.demo.seed`` makes one :class:`Seeder` and hands it to each step in turn. The district
step fills in the world the later steps build on (the tree, the organisation, the persona logins);
each step adds its own counts. No step imports another: what one leaves for the next lives here.
"""

from __future__ import annotations

import datetime
import math
import os
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from dualtrack.demo.people import PeopleFactory

if TYPE_CHECKING:
    from dualtrack.areas.models import Area, OrgUnit
    from dualtrack.core.models import User

DEFAULT_SEED = 2020
DEFAULT_PASSWORD = "dualtrack2020"  # noqa: S105 (the documented demo password)
MIN_SCALE, MAX_SCALE = 0.01, 50.0
BATCH_SIZE = 2000

# The demo's days: the registers that grow by the day (the gates' passages, their shifts and
# daily figures) cover the last DAYS days, today included; the early warning and the daily
# briefings cover those of them that have ended.
DAYS = 21

# The report's figures at scale 1.
RESIDENTS = 100_000
CADRES_FROM_DISTRICT_ORGANS = 1853
TOWN_AND_VILLAGE_STAFF = 952


def demo_password() -> str:
    return os.environ.get("DEMO_PASSWORD") or DEFAULT_PASSWORD


def scale_targets(scale: float) -> dict[str, int]:
    """How many residents and cadres a scale asks for."""
    return {
        "residents": math.ceil(RESIDENTS * scale),
        "cadres_district_organ": round(CADRES_FROM_DISTRICT_ORGANS * scale),
        "cadres_town_village": round(TOWN_AND_VILLAGE_STAFF * scale),
    }


def ended_days(today: datetime.date) -> list[datetime.date]:
    """The demo's days whose 24:00 has passed, oldest first: the first of the DAYS to yesterday."""
    first = today - datetime.timedelta(days=DAYS - 1)
    return [first + datetime.timedelta(days=n) for n in range(DAYS - 1)]


@dataclass
class SeedResult:
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def rows(self) -> int:
        return sum(self.counts.values())


class Seeder:
    """The state of one run. The district step sets the attributes declared below."""

    # Set by the district step, read by the steps after it.
    users: dict[str, User]
    root: Area
    towns: list[Area]
    villages: list[Area]
    groups: list[Area]
    persona_village: Area
    hq: OrgUnit
    working_groups: dict[str, OrgUnit]
    town_commands: dict[str, OrgUnit]

    def __init__(
        self, *, scale: float, seed: int, password: str, progress: Callable[[str], None]
    ) -> None:
        self.scale = scale
        self.rng = random.Random(seed)
        self.people = PeopleFactory(self.rng)
        self.password = password
        self.progress = progress
        self.target = scale_targets(scale)
        self.counts: dict[str, int] = {}
        self.started = time.perf_counter()

    def say(self, message: str) -> None:
        self.progress(f"[{time.perf_counter() - self.started:6.1f}s] {message}")

    def seconds(self) -> float:
        return time.perf_counter() - self.started
