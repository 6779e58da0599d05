"""The demo district's checkpoints (issue 3): built on top of the seeded district.

253 checkpoints at scale 1 at the entrances of the villages and communities, their ten-ones kits
(a few incomplete), staff logins for local cadres, two twelve-hour shifts a day for the last
14 days, and 14 days of passages with morning and evening peaks, commuters who pass every day,
visitors, a handful of fevers and arrivals from risk areas, and their alerts (a few still open).

Volume goes in raw: passages are generated as tuples and written with COPY (PostgreSQL) or one
executemany (SQLite). Encryption is the cost of personal data, so no passage is encrypted on its
own: a resident's passages reuse the ciphertext of the resident's record (same key, same
digest), and each visitor is encrypted once. The figures (daily and per shift) are added up from
the generated rows, never set by hand.
"""

from __future__ import annotations

import datetime
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.contrib.auth.hashers import make_password
from django.db import connection
from django.db.models import Model
from django.utils import timezone

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
    Alert,
    AlertOutcome,
    Checkpoint,
    CheckpointKind,
    CheckpointStaff,
    CheckpointStatus,
    DailyFigure,
    FigureCounters,
    KitCheck,
    KitItem,
    Passage,
    Shift,
    ShiftFigure,
    new_qr_token,
)
from dualtrack.checkpoints.services.passage_insert import COLUMNS  # the bulk sync's order
from dualtrack.core.crypto import encrypt, lookup_digest
from dualtrack.core.models import User
from dualtrack.demo.people import Origin

if TYPE_CHECKING:
    from dualtrack.areas.models import Area
    from dualtrack.demo.district import _Seeder

CHECKPOINTS = 253  # at scale 1, as in the report
DAYS = 14
PASSAGES_PER_GATE_DAY = 50  # about 210,000 passages at scale 1
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


def seed(seeder: _Seeder) -> None:
    """Add the checkpoints demo data inside the seeding transaction."""
    now = timezone.now()
    today = timezone.localdate(now)
    if connection.vendor == "sqlite":
        # The register's indexes (client ids, digests) take keys in random order: with SQLite's
        # default 2 MB page cache every insert would evict and reread index pages.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -262144")
    risk = _risk_areas(seeder, today)
    gates = _checkpoints(seeder, now)
    _kits(seeder, gates, now)
    shifts = _shifts(seeder, gates, today, now)
    visitors = _visitors(seeder)
    _people(seeder, gates)
    _passages(seeder, gates, shifts, visitors, risk, today, now)


# --- Risk areas ----------------------------------------------------------------------------------


def _risk_areas(seeder: _Seeder, today: datetime.date) -> dict[datetime.date, tuple[str, ...]]:
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
            today - datetime.timedelta(days=35),
            today - datetime.timedelta(days=16),
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


def _gate_counts(seeder: _Seeder, total: int) -> list[int]:
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


def _checkpoints(seeder: _Seeder, now: datetime.datetime) -> list[Gate]:
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
    seeder.persona_gate = persona_gate.checkpoint  # type: ignore[attr-defined]
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


def _kits(seeder: _Seeder, gates: list[Gate], now: datetime.datetime) -> None:
    rng = seeder.rng
    incomplete = set(
        rng.sample(
            range(len(gates)), min(len(gates), max(2, round(INCOMPLETE_KITS * seeder.scale)))
        )
    )
    persona_index = next(
        i
        for i, g in enumerate(gates)
        if g.checkpoint.pk == seeder.persona_gate.pk  # type: ignore[attr-defined]
    )
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


def _local_start(day: datetime.date, hour: int) -> datetime.datetime:
    """The aware UTC moment of a local (Asia/Shanghai) day and hour."""
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=datetime.UTC) - CST


def _shifts(
    seeder: _Seeder, gates: list[Gate], today: datetime.date, now: datetime.datetime
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
                starts = _local_start(day, DAY_SHIFT[0] if slot == 0 else DAY_SHIFT[1])
                ends = starts + datetime.timedelta(hours=12)
                key = (gate.checkpoint.pk, day, slot)
                shifts[key] = Shift(
                    checkpoint=gate.checkpoint,
                    starts_at=starts,
                    ends_at=ends,
                    handover_note=rng.choice(HANDOVER_NOTES) if ends < now else "",
                    created_by=admin,
                )
                if gate.checkpoint.pk == seeder.persona_gate.pk:  # type: ignore[attr-defined]
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


def _visitors(seeder: _Seeder) -> list[Person]:
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


def _people(seeder: _Seeder, gates: list[Gate]) -> None:
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


# --- Passages, alerts, figures -------------------------------------------------------------------


def _adapt_sqlite(row: Sequence[Any]) -> tuple[Any, ...]:
    out = []
    for value in row:
        if isinstance(value, datetime.datetime):
            value = value.replace(tzinfo=None).isoformat(" ")
        elif isinstance(value, uuid.UUID):
            value = value.hex
        elif isinstance(value, Decimal):
            value = str(value)
        out.append(value)
    return tuple(out)


@contextmanager
def _indexes_dropped(model: type[Model]) -> Iterator[None]:
    """Load an empty table without its secondary indexes, then build them once: sorting the
    keys in one pass beats inserting each row's keys at random places."""
    # Raw statements: SQLite's schema editor refuses to run inside the seeding transaction.
    editor = connection.schema_editor()
    create = [str(index.create_sql(model, editor)) for index in model._meta.indexes]
    with connection.cursor() as cursor:
        for index in model._meta.indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(index.name)}")
    yield
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The rows' deferred foreign-key checks must run before an index is built.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for sql in create:
            cursor.execute(sql)
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _sqlite_passage(row: Sequence[Any]) -> tuple[Any, ...]:
    # Only these columns need adapting; the generic adapter would test every value.
    return (
        row[0],
        row[1],
        row[2],
        row[3].replace(tzinfo=None).isoformat(" "),
        row[4].replace(tzinfo=None).isoformat(" "),
        row[5],
        str(row[6]),
        *row[7:],
    )


def write_rows(
    table: str,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    sqlite_adapt: Callable[[Sequence[Any]], tuple[Any, ...]] = _adapt_sqlite,
) -> None:
    """Write rows of native values: COPY on PostgreSQL, executemany on SQLite."""
    names = ", ".join(columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(
                f"INSERT INTO {table} ({names}) VALUES ({marks})",  # noqa: S608 - names from code
                [sqlite_adapt(row) for row in rows],
            )


def _passages(
    seeder: _Seeder,
    gates: list[Gate],
    shifts: dict[tuple[int, datetime.date, int], Shift],
    visitors: list[Person],
    risk: dict[datetime.date, tuple[str, ...]],
    today: datetime.date,
    now: datetime.datetime,
) -> None:
    rng = seeder.rng
    hours = list(range(24))
    origin_names = {code: region_name(code) or "" for code, _ in VISITOR_ORIGINS}
    origin_names.update({code: region_name(code) or "" for code in RISK_VISITOR_ORIGINS})
    origin_names[LOCAL_ORIGIN] = region_name(LOCAL_ORIGIN) or ""
    rows: list[tuple[Any, ...]] = []
    flagged: list[tuple[str, int, datetime.datetime, bool, bool, int | None]] = []
    daily: dict[tuple[int, datetime.date], Counter[str]] = defaultdict(Counter)
    per_shift: dict[int, Counter[str]] = defaultdict(Counter)
    hubei = [v for v in visitors if v.origin in RISK_VISITOR_ORIGINS]
    others = [v for v in visitors if v.origin not in RISK_VISITOR_ORIGINS]
    persona_gate = seeder.persona_gate  # type: ignore[attr-defined]
    first_day = today - datetime.timedelta(days=DAYS - 1)
    for gate in gates:
        checkpoint = gate.checkpoint
        if not gate.staff:
            continue
        last_day = today - datetime.timedelta(days=3) if checkpoint.status != "open" else today
        for n in range(DAYS):
            day = first_day + datetime.timedelta(days=n)
            if day > last_day:
                break
            expected = PASSAGES_PER_GATE_DAY * gate.weight
            count = max(0, round(rng.gauss(expected, expected * 0.15)))
            day_start = _local_start(day, 0)
            for hour in rng.choices(hours, weights=HOURLY, k=count):
                moment = day_start + datetime.timedelta(hours=hour, seconds=rng.randrange(3600))
                if moment >= now:
                    continue
                rows.append(
                    _passage(
                        rng,
                        gate,
                        moment,
                        hour,
                        day,
                        shifts,
                        hubei,
                        others,
                        origin_names,
                        risk,
                        daily,
                        per_shift,
                        flagged,
                        now,
                    )
                )
    # A fever at 艾溪村's first gate twenty minutes ago, still open in cadre_aixi's inbox.
    persona = next(g for g in gates if g.checkpoint.pk == persona_gate.pk)
    moment = now - datetime.timedelta(minutes=20)
    local = moment + CST
    rows.append(
        _passage(
            rng,
            persona,
            moment,
            local.hour,
            local.date(),
            shifts,
            hubei,
            others,
            origin_names,
            risk,
            daily,
            per_shift,
            flagged,
            now,
            fever=True,
        )
    )
    with _indexes_dropped(Passage):
        for start in range(0, len(rows), 50_000):
            write_rows(
                Passage._meta.db_table, COLUMNS, rows[start : start + 50_000], _sqlite_passage
            )
    seeder.counts["passages"] = len(rows)
    seeder.say(f"passages: {len(rows):,} over {DAYS} days at {len(gates)} checkpoints")
    _alerts(seeder, flagged, daily, per_shift, now)
    DailyFigure.objects.bulk_create(
        (
            DailyFigure(checkpoint_id=cp, day=day, **_counters(c))
            for (cp, day), c in sorted(daily.items())
        ),
        batch_size=BATCH,
    )
    ShiftFigure.objects.bulk_create(
        (ShiftFigure(shift_id=pk, **_counters(c)) for pk, c in sorted(per_shift.items())),
        batch_size=BATCH,
    )
    seeder.counts["daily_figures"] = len(daily)


def _counters(counter: Counter[str]) -> dict[str, int]:
    return {name: counter.get(name, 0) for name in FigureCounters.COUNTERS}


def _passage(
    rng: Any,
    gate: Gate,
    moment: datetime.datetime,
    hour: int,
    day: datetime.date,
    shifts: dict[tuple[int, datetime.date, int], Shift],
    hubei: list[Person],
    others: list[Person],
    origin_names: dict[str, str],
    risk: dict[datetime.date, tuple[str, ...]],
    daily: dict[tuple[int, datetime.date], Counter[str]],
    per_shift: dict[int, Counter[str]],
    flagged: list[tuple[str, int, datetime.datetime, bool, bool, int | None]],
    now: datetime.datetime,
    *,
    fever: bool = False,
) -> tuple[Any, ...]:
    checkpoint_id = gate.checkpoint.pk
    roll = rng.random()
    if gate.commuters and roll < 0.72:
        person = rng.choice(gate.commuters)
        morning = hour < 12
        direction = "out" if (rng.random() < 0.75) == morning else "in"
    else:
        risky = hubei and rng.random() < RISK_VISITOR_RATE
        person = rng.choice(hubei) if risky else rng.choice(others)
        direction = "in" if rng.random() < 0.6 else "out"
    fever = fever or rng.random() < FEVER_RATE
    temperature = rng.choice(FEVER_TEMPERATURES) if fever else rng.choice(NORMAL_POOL)
    from_risk = direction == "in" and any(person.origin.startswith(p) for p in risk.get(day, ()))
    if hour >= DAY_SHIFT[0] and hour < DAY_SHIFT[1]:
        key = (checkpoint_id, day, 0)
    elif hour >= DAY_SHIFT[1]:
        key = (checkpoint_id, day, 1)
    else:
        key = (checkpoint_id, day - datetime.timedelta(days=1), 1)
    shift = shifts.get(key)
    shift_id = shift.pk if shift else None
    staff = gate.staff[0].pk if len(gate.staff) == 1 else rng.choice(gate.staff).pk
    source_roll = rng.random()
    source = "staff" if source_roll < 0.8 else ("self" if source_roll < 0.95 else "sync")
    client_id = f"{rng.getrandbits(128):032x}"  # both databases take a UUID as 32 hex digits
    received = (
        moment + datetime.timedelta(minutes=rng.randint(5, 90)) if source == "sync" else moment
    )
    names = ["people_in" if direction == "in" else "people_out"]
    if fever:
        names.append("fevers")
    if from_risk:
        names.append("risk_arrivals")
    if fever or from_risk:
        names.append("alerts_raised")
        flagged.append((client_id, checkpoint_id, moment, fever, from_risk, shift_id))
    day_counters = daily[(checkpoint_id, (moment + CST).date())]
    shift_counters = per_shift[shift_id] if shift_id else None
    for name in names:
        day_counters[name] += 1
        if shift_counters is not None:
            shift_counters[name] += 1
    purposes = PURPOSES_IN if direction == "in" else PURPOSES_OUT
    return (
        checkpoint_id,
        shift_id,
        client_id,
        moment,
        min(received, now),
        direction,
        temperature,
        staff,
        person.resident_id,
        person.name,
        person.id_cipher,
        person.id_digest,
        person.phone_cipher,
        person.phone_digest,
        person.origin,
        origin_names.get(person.origin, ""),
        rng.choice(purposes),
        rng.random() < 0.93,
        source,
        None if source == "self" else staff,
        fever,
        from_risk,
    )


def _alerts(
    seeder: _Seeder,
    flagged: list[tuple[str, int, datetime.datetime, bool, bool, int | None]],
    daily: dict[tuple[int, datetime.date], Counter[str]],
    per_shift: dict[int, Counter[str]],
    now: datetime.datetime,
) -> None:
    """Alerts for the fevers and risk-area arrivals: handled in 3 to 55 minutes with an outcome,
    but for the last two hours' and a few older ones left open (escalated)."""
    rng = seeder.rng
    ids = {
        cid.hex: pk
        for cid, pk in Passage.objects.filter(
            client_id__in=[uuid.UUID(f[0]) for f in flagged]
        ).values_list("client_id", "id")
    }
    handler = seeder.users.get("cadre_aixi")
    left_open = set(rng.sample(range(len(flagged)), min(3, len(flagged))))
    alerts = []
    for i, (client_id, checkpoint_id, moment, fever, risky, shift_id) in enumerate(flagged):
        alert = Alert(
            passage_id=ids[client_id],
            checkpoint_id=checkpoint_id,
            fever=fever,
            risk_area=risky,
            raised_at=moment,
        )
        if moment < now - OPEN_ALERT_WINDOW and i not in left_open:
            alert.handled_at = moment + datetime.timedelta(minutes=rng.randint(3, 55))
            alert.handled_by = handler
            if fever:
                alert.outcome = rng.choice(
                    (AlertOutcome.NORMAL_ON_REMEASURE, AlertOutcome.FEVER_CLINIC)
                )
            else:
                alert.outcome = rng.choice(
                    (AlertOutcome.HOME_QUARANTINE, AlertOutcome.CENTRAL_QUARANTINE)
                )
            daily[(checkpoint_id, (moment + CST).date())]["alerts_handled"] += 1
            if shift_id:
                per_shift[shift_id]["alerts_handled"] += 1
        alerts.append(alert)
    Alert.objects.bulk_create(alerts, batch_size=BATCH)
    still_open = sum(1 for a in alerts if a.handled_at is None)
    seeder.counts["alerts"] = len(alerts)
    seeder.say(
        f"alerts: {sum(1 for a in alerts if a.fever)} fevers, "
        f"{sum(1 for a in alerts if a.risk_area)} risk-area arrivals; {still_open} still open"
    )
