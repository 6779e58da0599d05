"""The demo's small cluster (issue 13, cases and contacts): two cases imported from Wuhan and
four local cases among their contacts, in the persona village (艾溪村) over the demo's last ten
days, whose contacts are really found in the registers.

The cases' own passages and those of the people who passed the same gates within minutes are
written into the register through the bulk path of the checkpoints (``insert_passages``: COPY
on PostgreSQL, as the offline sync and the checkpoints step write), and the gates' daily figures
count them. The line list is written beside them; the
contact searches are left to the prevention group (wg_prevention), who finds the four local
cases among the imported cases' contacts.
"""

from __future__ import annotations

import datetime
import uuid
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import F
from django.utils import timezone

from dualtrack.areas.models import Resident
from dualtrack.areas.regions import region_name
from dualtrack.checkpoints.models import Checkpoint, DailyFigure
from dualtrack.checkpoints.services.passage_insert import COLUMNS, insert_passages
from dualtrack.core.crypto import encrypt, lookup_digest
from dualtrack.health.models import Case, ClassificationChange

if TYPE_CHECKING:
    from dualtrack.core.models import User
    from dualtrack.demo.seeder import Seeder

WUHAN_WUCHANG = "420106"
CONTACTS_PER_PASSAGE = (2, 4)
# Minutes from a case's passage at which others pass the same gate: within the 15 minutes.
OFFSETS = (-12, -6, -3, -1, 1, 2, 4, 7, 11)


@dataclass(frozen=True)
class _Person:
    resident: Resident | None
    name: str
    id_number: str
    phone: str


def _local(day: datetime.date, hour: int, minute: int) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(hour, minute), tzinfo=timezone.get_current_timezone()
    )


class _Register:
    """Passages to write at the cluster's gates, and the figures they add to."""

    def __init__(self, seeder: Seeder, gates: list[Checkpoint], recorder: User) -> None:
        self.seeder = seeder
        self.gates = gates
        self.recorder = recorder
        self.rows: list[tuple[Any, ...]] = []
        self.counts: Counter[tuple[int, datetime.date, str]] = Counter()

    def add(self, person: _Person, gate: Checkpoint, moment: datetime.datetime, way: str) -> None:
        rng = self.seeder.rng
        self.rows.append(
            (
                gate.pk,
                None,
                uuid.UUID(int=rng.getrandbits(128)),
                moment,
                moment,
                way,
                Decimal(rng.choice(("36.2", "36.4", "36.5", "36.6", "36.8"))),
                self.recorder.pk,
                person.resident.pk if person.resident else None,
                person.name,
                encrypt(person.id_number) if person.id_number else "",
                lookup_digest(person.id_number) if person.id_number else "",
                encrypt(person.phone) if person.phone else "",
                lookup_digest(person.phone) if person.phone else "",
                "360111",
                "江西省南昌市青山湖区",
                "回家" if way == "in" else "上班",
                True,
                "staff",
                self.recorder.pk,
                False,
                False,
            )
        )
        key = "people_in" if way == "in" else "people_out"
        self.counts[(gate.pk, timezone.localdate(moment), key)] += 1

    def crowd(
        self, case: _Person, pool: list[_Person], gate: Checkpoint, moment: datetime.datetime
    ) -> list[_Person]:
        """The case passes, and a few from ``pool`` pass the same gate within minutes."""
        rng = self.seeder.rng
        way = "out" if moment.hour < 12 else "in"
        self.add(case, gate, moment, way)
        others = rng.sample(pool, min(len(pool), rng.randint(*CONTACTS_PER_PASSAGE)))
        for other, offset in zip(others, rng.sample(OFFSETS, len(others)), strict=False):
            self.add(other, gate, moment + datetime.timedelta(minutes=offset), way)
        return others

    def write(self) -> None:
        rows = sorted(self.rows, key=lambda row: row[COLUMNS.index("client_id")])
        insert_passages(rows, count=len(rows))
        for (gate_id, day, key), n in self.counts.items():
            updated = DailyFigure.objects.filter(checkpoint_id=gate_id, day=day).update(
                **{key: F(key) + n}
            )
            if not updated:
                DailyFigure.objects.create(checkpoint_id=gate_id, day=day, **{key: n})


def _person(resident: Resident) -> _Person:
    return _Person(resident, resident.name, resident.id_number, resident.phone)


def seed(seeder: Seeder) -> None:
    """Add the cluster inside the seeding transaction."""
    today = timezone.localdate()
    village = seeder.persona_village
    gates = list(
        Checkpoint.objects.filter(area__code__startswith=village.code[:4]).order_by(
            "-area__code", "pk"
        )
    )
    gates = [g for g in gates if g.area_id == village.pk][:2] or gates[:2]
    residents = list(
        Resident.objects.filter(area__code__startswith=village.code)
        .select_related("area")
        .order_by("pk")[:60]
    )
    if len(gates) < 2 or len(residents) < 30:  # a district too small for a cluster
        return
    admin = seeder.users["admin"]
    people = [_person(r) for r in residents]
    imported, local_cases, pool = people[:2], people[2:6], people[6:]
    register = _Register(seeder, gates, admin)
    g0, g1 = gates

    def day(n: int) -> datetime.date:
        return today - datetime.timedelta(days=n)

    # The imported cases, back from Wuhan, pass the gates before they fall ill.
    a, b = imported
    register.crowd(a, pool, g0, _local(day(10), 7, 40))
    register.crowd(a, pool, g0, _local(day(10), 18, 5))
    register.crowd(a, pool, g1, _local(day(9), 8, 10))
    register.crowd(b, pool, g1, _local(day(9), 7, 50))
    register.crowd(b, pool, g0, _local(day(8), 17, 30))
    # The four who caught it passed with them (two of them twice), and later with others.
    for person, gate, moment in (
        (local_cases[0], g0, _local(day(10), 7, 42)),
        (local_cases[0], g0, _local(day(10), 18, 8)),
        (local_cases[1], g1, _local(day(9), 8, 4)),
        (local_cases[2], g1, _local(day(9), 7, 53)),
        (local_cases[2], g0, _local(day(8), 17, 31)),
        (local_cases[3], g0, _local(day(8), 17, 36)),
    ):
        register.add(person, gate, moment, "out" if moment.hour < 12 else "in")
    for n, person in enumerate(local_cases):
        register.crowd(person, pool, gates[n % 2], _local(day(6), 7 + n, 15 + 10 * n))
    register.write()

    a_case = _case(seeder, a, "confirmed", onset=day(9), report=day(7), imported=True)
    b_case = _case(seeder, b, "confirmed", onset=day(8), report=day(6), imported=True)
    for n, (person, source) in enumerate(
        zip(local_cases, (a_case, a_case, b_case, b_case), strict=True)
    ):
        asymptomatic = n == 3
        _case(
            seeder,
            person,
            "asymptomatic" if asymptomatic else "confirmed",
            onset=None if asymptomatic else day(5 - n % 2),
            report=day(3 - n % 2),
            source=source,
        )
    seeder.counts["cases"] = Case.objects.count()
    seeder.counts["cluster_passages"] = len(register.rows)
    seeder.say(f"cases: {seeder.counts['cases']}, {len(register.rows)} passages of the cluster")


def _case(
    seeder: Seeder,
    person: _Person,
    classification: str,
    *,
    onset: datetime.date | None,
    report: datetime.date,
    imported: bool = False,
    source: Case | None = None,
) -> Case:
    """A line of the line list with the first line of its history, written as the seeding
    writes (its one audit entry stands for every row)."""
    # Sampled the day after onset; an asymptomatic infection, found by its contacts' testing,
    # four days before it was reported.
    if onset is None:
        sampling = report - datetime.timedelta(days=4)
    else:
        sampling = min(onset + datetime.timedelta(days=1), report)
    resident = person.resident
    assert resident is not None
    today = timezone.localdate()
    age = today.year - resident.birth_date.year
    taken = Case.objects.filter(number__startswith=f"{report:%Y}-").count()
    case = Case.objects.create(
        number=f"{report:%Y}-{taken + 1:04d}",
        classification=classification,
        area=resident.area,
        is_resident=True,
        resident=resident,
        name=resident.name,
        gender=resident.gender,
        age=age,
        id_number=resident.id_number,
        id_digest=lookup_digest(resident.id_number),
        phone=resident.phone,
        phone_digest=lookup_digest(resident.phone) if resident.phone else "",
        onset_date=onset,
        sampling_date=sampling,
        report_date=report,
        isolation_date=report,
        origin="imported" if imported else "local",
        exposure_region_code=WUHAN_WUCHANG if imported else "",
        exposure_region_name=(region_name(WUHAN_WUCHANG) or "") if imported else "",
        infected_by=source,
        note="武汉返乡" if imported else "",
        created_by=seeder.users["admin"],
    )
    ClassificationChange.objects.create(
        case=case,
        classification=classification,
        changed_by=seeder.users["admin"],
        changed_at=_local(report, 9, 0),
    )
    return case
