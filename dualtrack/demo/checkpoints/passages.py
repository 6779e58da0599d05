"""The checkpoints demo: 21 days of passages written in bulk, their figures, and the alerts."""

from __future__ import annotations

import datetime
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import Model

from dualtrack.areas.regions import region_name
from dualtrack.checkpoints.models import (
    Alert,
    AlertOutcome,
    Checkpoint,
    DailyFigure,
    FigureCounters,
    Passage,
    Shift,
    ShiftFigure,
)
from dualtrack.checkpoints.services.passage_insert import (
    COLUMNS,  # the order the bulk sync copies in
)
from dualtrack.demo.checkpoints.gates import (
    BATCH,
    CST,
    DAY_SHIFT,
    FEVER_RATE,
    FEVER_TEMPERATURES,
    HOURLY,
    LOCAL_ORIGIN,
    NORMAL_POOL,
    OPEN_ALERT_WINDOW,
    PASSAGES_PER_GATE_DAY,
    PURPOSES_IN,
    PURPOSES_OUT,
    RISK_VISITOR_ORIGINS,
    RISK_VISITOR_RATE,
    VISITOR_ORIGINS,
    Gate,
    Person,
    local_start,
)
from dualtrack.demo.seeder import DAYS

if TYPE_CHECKING:
    from dualtrack.demo.seeder import Seeder


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


def add_passages(
    seeder: Seeder,
    gates: list[Gate],
    persona_gate: Checkpoint,
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
            day_start = local_start(day, 0)
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
    # A fever at 艾溪村's first gate twenty minutes ago, still open in cadre_aixi's inbox; today's
    # in any case (seeded in the first minutes after midnight, half-way since it), so that the
    # day the demo is seeded on has a passage at whatever hour.
    persona = next(g for g in gates if g.checkpoint.pk == persona_gate.pk)
    midnight = local_start(today, 0)
    moment = max(now - datetime.timedelta(minutes=20), midnight + (now - midnight) / 2)
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
    seeder: Seeder,
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
