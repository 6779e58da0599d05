"""The checkpoints demo: risk areas, the gates with their staff, kits and shifts, and the people
who pass them (commuters and visitors)."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.contrib.auth.hashers import make_password
from django.db import connection

from dualtrack.areas.models import (
    AreaKind,
    Cadre,
    CadreOrigin,
    RiskArea,
    RiskLevel,
    Role,
    RoleGrant,
)
from dualtrack.areas.regions import code_prefix, region_name
from dualtrack.checkpoints.models import (
    Checkpoint,
    CheckpointKind,
    CheckpointStaff,
    CheckpointStatus,
    KitCheck,
    KitItem,
    Shift,
    new_qr_token,
)
from dualtrack.core.crypto import encrypt, lookup_digest
from dualtrack.core.models import User
from dualtrack.demo.people import Origin
from dualtrack.demo.seeder import DAYS

if TYPE_CHECKING:
    from dualtrack.areas.models import Area
    from dualtrack.demo.seeder import Seeder


CHECKPOINTS = 253  # at scale 1, as in the report
PASSAGES_PER_GATE_DAY = 50  # about 290,000 passages at scale 1
STAFF_PER_GATE = 2
COMMUTERS_PER_VILLAGE = 120
VISITORS = 2500  # at scale 1
FEVER_RATE = 1 / 5000
INCOMPLETE_KITS = 12  # checkpoints missing an item or two, at scale 1
SUSPENDED = 3
OPEN_ALERT_WINDOW = datetime.timedelta(hours=2)  # alerts raised since then are still open
DAY_SHIFT = (7, 19)
CST = datetime.timedelta(hours=8)  # Asia/Shanghai: no daylight saving
BATCH = 5000

# Passages per local hour, relative: quiet nights, peaks on the way to and from work.
HOURLY = (1, 1, 1, 1, 1, 2, 5, 14, 16, 9, 6, 6, 7, 6, 6, 6, 8, 14, 16, 10, 6, 4, 2, 1)
NORMAL_TEMPERATURES = tuple(Decimal(f"{t / 10:.1f}") for t in range(358, 373))
NORMAL_WEIGHTS = (1, 2, 4, 7, 10, 14, 16, 16, 12, 8, 5, 3, 2, 1, 1)
NORMAL_POOL = tuple(
    t for t, w in zip(NORMAL_TEMPERATURES, NORMAL_WEIGHTS, strict=True) for _ in range(w)
)
FEVER_TEMPERATURES = tuple(Decimal(f"{t / 10:.1f}") for t in range(373, 395))
PURPOSES_IN = ("回家", "返岗复工", "走亲访友", "购买生活物资", "就医", "送货")
PURPOSES_OUT = ("上班", "购买生活物资", "就医", "办事", "送货")
HANDOVER_NOTES = (
    "交接正常，体温枪电量充足。",
    "告知书已补充，消毒液剩余半桶。",
    "夜间车辆较少，照明灯正常。",
    "已向村防控群报告当班情况。",
)
LOCAL_ORIGIN = "360100"  # 江西省南昌市
VISITOR_ORIGINS = (
    ("360100", 40),
    ("360400", 6),
    ("361000", 5),
    ("360121", 8),
    ("360124", 6),
    ("430100", 3),
    ("440300", 3),
    ("441900", 3),
    ("350100", 2),
    ("320100", 2),
    ("110105", 1),
)
HUBEI_ORIGINS = ("420102", "420106", "420100", "420600", "421000")
RISK_VISITOR_ORIGINS = (*HUBEI_ORIGINS, "330300", "330300")  # Wenzhou: medium risk for a while
RISK_VISITOR_RATE = 0.0015  # of visitor passages
GATE_NAMES = ("东口", "西口", "南口", "北口", "主路口", "东南口", "西北口", "二号口")
COMMUNITY_GATES = ("东门", "西门", "南门", "北门", "正门", "侧门", "二号门", "三号门")


@dataclass(frozen=True)
class Person:
    """A person as the register stores them: ciphertexts and digests ready to copy."""

    resident_id: int | None
    name: str
    id_cipher: str
    id_digest: str
    phone_cipher: str
    phone_digest: str
    origin: str


@dataclass
class Gate:
    checkpoint: Checkpoint
    village: Area
    staff: list[User]
    weight: float
    commuters: list[Person]


# --- Risk areas ----------------------------------------------------------------------------------


def add_risk_areas(seeder: Seeder, today: datetime.date) -> dict[datetime.date, tuple[str, ...]]:
    """HQ's list: Hubei throughout, Wenzhou for a while, Shenzhen ended before the window."""
    admin = seeder.users["admin"]
    entries = [
        ("420000", RiskLevel.HIGH, today - datetime.timedelta(days=40), None),
        (
            "330300",
            RiskLevel.MEDIUM,
            today - datetime.timedelta(days=20),
            today - datetime.timedelta(days=8),
        ),
        (
            "440300",
            RiskLevel.MEDIUM,
            today - datetime.timedelta(days=40),
            today - datetime.timedelta(days=DAYS + 1),
        ),
    ]
    areas = RiskArea.objects.bulk_create(
        RiskArea(
            region_code=code,
            region_name=region_name(code) or code,
            level=level,
            effective_from=start,
            effective_to=end,
            source="省新冠肺炎疫情防控应急指挥部通告",
            created_by=admin,
        )
        for code, level, start, end in entries
    )
    seeder.counts["risk_areas"] = len(areas)
    by_day = {}
    for n in range(DAYS + 1):
        day = today - datetime.timedelta(days=n)
        by_day[day] = tuple(code_prefix(a.region_code) for a in areas if a.is_current(day))
    return by_day


# --- Registry, staff, kits, shifts ---------------------------------------------------------------


def _gate_counts(seeder: Seeder, total: int) -> list[int]:
    """Checkpoints per village: at least one each, the rest to the larger and busier ones."""
    villages = seeder.villages
    counts = [1] * len(villages)
    weights = [1.6 if v.kind == AreaKind.COMMUNITY else 1.0 for v in villages]
    persona = next(i for i, v in enumerate(villages) if v.pk == seeder.persona_village.pk)
    counts[persona] = 2
    left = max(0, total - sum(counts))
    order = seeder.rng.choices(range(len(villages)), weights=weights, k=left)
    for i in order:
        if counts[i] < len(GATE_NAMES):
            counts[i] += 1
    return counts


def add_gates(seeder: Seeder, now: datetime.datetime) -> list[Gate]:
    rng = seeder.rng
    total = max(len(seeder.villages), round(CHECKPOINTS * seeder.scale))
    counts = _gate_counts(seeder, total)
    local = defaultdict(list)
    for cadre in Cadre.objects.filter(
        origin=CadreOrigin.TOWN_VILLAGE, user__isnull=True, area__in=seeder.villages
    ).order_by("pk"):
        local[cadre.area_id].append(cadre)
    password = make_password(seeder.password)  # one hash for every staff login of the demo
    gate_persona = seeder.users.get("gate_aixi", None)

    checkpoints: list[Checkpoint] = []
    plans: list[tuple[Area, list[Cadre], float]] = []
    for village, count in zip(seeder.villages, counts, strict=True):
        community = village.kind == AreaKind.COMMUNITY
        names = COMMUNITY_GATES if community else GATE_NAMES
        cadres = local.get(village.pk, [])
        for n in range(count):
            kind = (
                CheckpointKind.COMMUNITY_GATE
                if community
                else (CheckpointKind.ROAD if n >= 2 else CheckpointKind.VILLAGE_ENTRANCE)
            )
            lat = Decimal(f"{28.62 + rng.random() * 0.16:.6f}")
            lon = Decimal(f"{115.88 + rng.random() * 0.18:.6f}")
            around_the_clock = rng.random() < 0.8
            checkpoints.append(
                Checkpoint(
                    area=village,
                    name=f"{village.name}{names[n]}",
                    kind=kind,
                    latitude=lat,
                    longitude=lon,
                    opens_at=None if around_the_clock else datetime.time(6, 0),
                    closes_at=None if around_the_clock else datetime.time(22, 0),
                    person_in_charge=cadres[n % len(cadres)] if cadres else None,
                    duty_team=f"{village.name}卡点值班组",
                    chat_group=f"{village.name}疫情防控工作群",
                    status=CheckpointStatus.OPEN,
                    qr_token=new_qr_token(),
                    qr_token_rotated_at=now - datetime.timedelta(days=DAYS + 1),
                )
            )
            weight = (1.5 if community else 1.0) * (0.6 if kind == CheckpointKind.ROAD else 1.0)
            plans.append((village, cadres, weight * rng.uniform(0.7, 1.3)))
    suspended = rng.sample(
        [i for i, (v, _, _) in enumerate(plans) if v.pk != seeder.persona_village.pk], SUSPENDED
    )
    for i in suspended:
        checkpoints[i].status = CheckpointStatus.SUSPENDED
    Checkpoint.objects.bulk_create(checkpoints, batch_size=1000)

    # Staff logins named after the local cadres of each village (the cadre records stay unlinked:
    # only the personas' are); a village short of cadres shares them between its gates.
    users: list[User] = []
    grants: list[RoleGrant] = []
    login_of: dict[int, User] = {}
    gates: list[Gate] = []
    taken_per_village: Counter[int] = Counter()
    for checkpoint, (village, cadres, weight) in zip(checkpoints, plans, strict=True):
        staff: list[User] = []
        for _ in range(STAFF_PER_GATE):
            if not cadres:
                break
            cadre = cadres[taken_per_village[village.pk] % len(cadres)]
            taken_per_village[village.pk] += 1
            if cadre.pk not in login_of:
                user = User(
                    username=f"gate{len(users) + 1:04d}",
                    display_name=cadre.name,
                    password=password,
                )
                users.append(user)
                login_of[cadre.pk] = user
            if login_of[cadre.pk] not in staff:
                staff.append(login_of[cadre.pk])
        gates.append(Gate(checkpoint, village, staff, weight, []))
    User.objects.bulk_create(users, batch_size=1000)
    for gate in gates:
        for user in gate.staff:
            grants.append(RoleGrant(user=user, role=Role.CHECKPOINT_STAFF, area=gate.village))
    RoleGrant.objects.bulk_create(grants, batch_size=1000, ignore_conflicts=True)
    # The persona gate_aixi works the first gate of 艾溪村.
    persona_gate = next(g for g in gates if g.village.pk == seeder.persona_village.pk)
    if gate_persona is not None:
        persona_gate.staff.insert(0, gate_persona)
    CheckpointStaff.objects.bulk_create(
        (CheckpointStaff(checkpoint=g.checkpoint, user=u) for g in gates for u in g.staff),
        batch_size=BATCH,
    )
    seeder.counts["checkpoints"] = len(checkpoints)
    seeder.counts["checkpoint_staff_logins"] = len(users)
    seeder.say(
        f"checkpoints: {len(checkpoints)} at {len(seeder.villages)} villages and communities "
        f"({SUSPENDED} suspended); {len(users)} staff logins for local cadres"
    )
    return gates


def add_kits(
    seeder: Seeder, gates: list[Gate], persona: Checkpoint, now: datetime.datetime
) -> None:
    rng = seeder.rng
    incomplete = set(
        rng.sample(
            range(len(gates)), min(len(gates), max(2, round(INCOMPLETE_KITS * seeder.scale)))
        )
    )
    persona_index = next(i for i, g in enumerate(gates) if g.checkpoint.pk == persona.pk)
    incomplete.discard(persona_index)
    checks = []
    missing_total = 0
    for i, gate in enumerate(gates):
        missing = (
            set(rng.sample(list(KitItem.values), rng.randint(1, 2))) if i in incomplete else set()
        )
        missing_total += len(missing)
        checked_by = gate.staff[0] if gate.staff else None
        for item in KitItem.values:
            checks.append(
                KitCheck(
                    checkpoint=gate.checkpoint,
                    item=item,
                    present=item not in missing,
                    checked_by=checked_by,
                    checked_at=now
                    - datetime.timedelta(days=rng.randint(1, DAYS), minutes=rng.randint(0, 600)),
                    note="待补充" if item in missing else "",
                )
            )
    KitCheck.objects.bulk_create(checks, batch_size=BATCH)
    seeder.counts["kit_checks"] = len(checks)
    seeder.say(f"ten-ones kits: {len(incomplete)} checkpoints missing {missing_total} items")


def local_start(day: datetime.date, hour: int) -> datetime.datetime:
    """The aware UTC moment of a local (Asia/Shanghai) day and hour."""
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=datetime.UTC) - CST


def add_shifts(
    seeder: Seeder,
    gates: list[Gate],
    persona: Checkpoint,
    today: datetime.date,
    now: datetime.datetime,
) -> dict[tuple[int, datetime.date, int], Shift]:
    """Two twelve-hour shifts a day per open gate, from the night before the first day to
    tonight; key (checkpoint id, local date the shift starts on, 0 day / 1 night)."""
    rng = seeder.rng
    start_day = today - datetime.timedelta(days=DAYS)
    shifts: dict[tuple[int, datetime.date, int], Shift] = {}
    staff_of: dict[tuple[int, datetime.date, int], list[User]] = {}
    admin = seeder.users["admin"]
    for gate in gates:
        if not gate.staff:
            continue
        for n in range(DAYS + 1):
            day = start_day + datetime.timedelta(days=n)
            for slot in (0, 1):
                starts = local_start(day, DAY_SHIFT[0] if slot == 0 else DAY_SHIFT[1])
                ends = starts + datetime.timedelta(hours=12)
                key = (gate.checkpoint.pk, day, slot)
                shifts[key] = Shift(
                    checkpoint=gate.checkpoint,
                    starts_at=starts,
                    ends_at=ends,
                    handover_note=rng.choice(HANDOVER_NOTES) if ends < now else "",
                    created_by=admin,
                )
                if gate.checkpoint.pk == persona.pk:
                    staff_of[key] = gate.staff  # gate_aixi is on every shift of the gate
                else:
                    staff_of[key] = [gate.staff[(n + slot) % len(gate.staff)]]
    Shift.objects.bulk_create(shifts.values(), batch_size=BATCH)
    through = Shift.staff.through
    through.objects.bulk_create(
        (
            through(shift_id=shift.pk, user_id=user.pk)
            for key, shift in shifts.items()
            for user in staff_of[key]
        ),
        batch_size=BATCH,
    )
    seeder.counts["shifts"] = len(shifts)
    seeder.say(f"duty shifts: {len(shifts):,} over {DAYS} days")
    return shifts


# --- People --------------------------------------------------------------------------------------


def pick_visitors(seeder: Seeder) -> list[Person]:
    """Visitors, encrypted once each: mostly from around Nanchang, a few from Hubei."""
    rng = seeder.rng
    people = seeder.people
    count = max(50, round(VISITORS * seeder.scale))
    origins, weights = zip(*VISITOR_ORIGINS, strict=True)
    visitors = []
    for i in range(count):
        hubei = i % 100 == 0
        origin = rng.choice(RISK_VISITOR_ORIGINS) if hubei else rng.choices(origins, weights)[0]
        data = people.person(
            age=rng.randint(18, 70),
            gender=rng.choice(("M", "F")),
            origin=Origin.HUBEI if hubei else Origin.PROVINCE,
            relation="other",
        )
        visitors.append(
            Person(
                resident_id=None,
                name=data.name,
                id_cipher=encrypt(data.id_number),
                id_digest=lookup_digest(data.id_number),
                phone_cipher=encrypt(data.phone) if data.phone else "",
                phone_digest=lookup_digest(data.phone) if data.phone else "",
                origin=origin,
            )
        )
    return visitors


def pick_commuters(seeder: Seeder, gates: list[Gate]) -> None:
    """Each village's commuters: residents of it, with the ciphertext of their records."""
    village_len = len(seeder.persona_village.code)
    by_village: dict[str, list[Person]] = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT r.id, r.name, r.id_number, r.id_number_digest, r.phone, r.phone_digest, "
            "a.code FROM areas_resident r JOIN areas_area a ON a.id = r.area_id ORDER BY r.id"
        )
        for pk, name, id_cipher, id_digest, phone, phone_digest, code in cursor.fetchall():
            by_village[code[:village_len]].append(
                Person(
                    pk, name, id_cipher, id_digest, phone or "", phone_digest or "", LOCAL_ORIGIN
                )
            )
    for gate in gates:
        residents = by_village.get(gate.village.code, [])
        take = min(len(residents), COMMUTERS_PER_VILLAGE)
        gate.commuters = seeder.rng.sample(residents, take) if take else []
