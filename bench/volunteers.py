"""Benchmark of the front line's duty roster, against a baseline measured in the same run.

    .venv/bin/python bench/volunteers.py [--database-url URL] [--scale 10] [--repeat 200]

The duty roster of a town for a week (/volunteers/roster/, rendered whole through Django as the
town officer gets it): every checkpoint shift of the town with its gate staff and the people
put on it, a keyset page of shifts at a time, first and deep pages, at ``--scale`` times the
demo's checkpoints and people in that town: p95 against a keyset page of the shifts table alone
(the same page of rows, without scope, joins, people or rendering). Target: p95 < 100 ms.

The database is a throwaway PostgreSQL database whose name contains "bench" (dropped and
recreated), seeded with a small demo district (scale 0.05); the town's gates, two weeks of
twelve-hour shifts and a week of duties with their people are then bulk-inserted at the scale
asked for. Nothing asserts timings.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

import checkpoints_setup as cs  # noqa: E402
from run import _fresh_database, _machine  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/dt_bench_volunteers"
GATES_PER_TOWN = 57  # the demo's largest town at scale 1
PEOPLE_PER_SHIFT = 3
DAYS = 14
WALK_PAGES = 400


def _setup(scale: float) -> dict[str, Any]:
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from dualtrack.areas.models import Area, AreaKind, RoleGrant
    from dualtrack.checkpoints.models import Checkpoint, Shift
    from dualtrack.core.crypto import lookup_digest
    from dualtrack.core.models import User
    from dualtrack.demo.seed import seed_district
    from dualtrack.volunteers.models import (
        Duty,
        DutyAssignment,
        DutyKind,
        Volunteer,
        VolunteerStatus,
    )

    call_command("migrate", verbosity=0)
    seed_district(scale=0.05, progress=cs.say)
    town = RoleGrant.objects.get(user__username="town_changdong").area
    kinds = (AreaKind.VILLAGE, AreaKind.COMMUNITY)
    villages = list(Area.objects.filter(parent=town, kind__in=kinds))
    gates = Checkpoint.objects.bulk_create(
        Checkpoint(area=villages[i % len(villages)], name=f"基准卡点{i}")
        for i in range(round(GATES_PER_TOWN * scale))
    )
    today = timezone.localdate()
    first = today - datetime.timedelta(days=DAYS - 1)
    shifts = Shift.objects.bulk_create(
        (
            Shift(
                checkpoint=gate,
                starts_at=timezone.make_aware(
                    datetime.datetime.combine(first + datetime.timedelta(days=d), datetime.time(7))
                )
                + datetime.timedelta(hours=12 * slot),
                ends_at=timezone.make_aware(
                    datetime.datetime.combine(first + datetime.timedelta(days=d), datetime.time(19))
                )
                + datetime.timedelta(hours=12 * slot),
            )
            for gate in gates
            for d in range(DAYS)
            for slot in (0, 1)
        ),
        batch_size=5000,
    )
    admin = User.objects.get(username="admin")
    through = Shift.staff.through
    through.objects.bulk_create(
        (through(shift_id=s.pk, user_id=admin.pk) for s in shifts), batch_size=5000
    )
    # One person per gate and slot position: nobody is on two shifts of the same slot.
    people = Volunteer.objects.bulk_create(
        (
            Volunteer(
                name=f"志愿者{i}",
                mobile=f"139{i:08d}",
                mobile_digest=lookup_digest(f"139{i:08d}"),
                id_number=f"bench{i}",
                id_number_digest=lookup_digest(f"bench{i}"),
                birth_year=1990,
                hours_per_week=20,
                status=VolunteerStatus.APPROVED,
            )
            for i in range(len(gates) * PEOPLE_PER_SHIFT)
        ),
        batch_size=5000,
    )
    week = today - datetime.timedelta(days=6)
    recent = [s for s in shifts if timezone.localdate(s.starts_at) >= week]
    duties = Duty.objects.bulk_create(
        (
            Duty(
                kind=DutyKind.SHIFT,
                area=s.checkpoint.area,
                shift=s,
                title=s.checkpoint.name,
                starts_at=s.starts_at,
                ends_at=s.ends_at,
                needed=4,
            )
            for s in recent
        ),
        batch_size=5000,
    )
    index = {g.pk: i for i, g in enumerate(gates)}
    DutyAssignment.objects.bulk_create(
        (
            DutyAssignment(
                duty=d,
                person_kind="volunteer",
                volunteer=person,
                person_key=f"v{person.pk}",
                name=person.name,
                starts_at=d.starts_at,
                ends_at=d.ends_at,
            )
            for d in duties
            for person in people[
                index[d.shift.checkpoint_id] * PEOPLE_PER_SHIFT : (index[d.shift.checkpoint_id] + 1)
                * PEOPLE_PER_SHIFT
            ]
        ),
        batch_size=5000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    counts = {
        "gates_in_town": len(gates),
        "shifts": Shift.objects.count(),
        "town_week_shifts": len(duties),
        "assignments": DutyAssignment.objects.count(),
    }
    cs.say(f"set up: {counts}")
    return {"town_id": town.pk, "week": week.isoformat(), "counts": counts}


def bench_roster(town_id: int, week: str, repeat: int) -> dict[str, Any]:
    from django.db.models import Q
    from django.test import Client

    from dualtrack.checkpoints.models import Shift
    from dualtrack.core.models import User
    from dualtrack.volunteers.selectors import ROSTER_PAGE

    client = Client()
    client.force_login(User.objects.get(username="town_changdong"))
    base_url = f"/volunteers/roster/?area={town_id}&start={week}"
    # The cursors of every page of the week: the first pages, one in the middle, the last.
    cursors: list[int] = [0]
    url = base_url
    while len(cursors) < WALK_PAGES:
        response = client.get(url)
        assert response.status_code == 200
        more = re.search(r'data-testid="more" href="[^"]*after=(\d+)"', response.content.decode())
        if more is None:
            break
        after = int(more.group(1))
        cursors.append(after)
        url = f"{base_url}&after={after}"
    probes = cursors[:3] + cursors[len(cursors) // 2 : len(cursors) // 2 + 1] + cursors[-1:]
    start = datetime.datetime.fromisoformat(week).replace(tzinfo=datetime.UTC)
    starts = dict(Shift.objects.filter(pk__in=probes).values_list("pk", "starts_at"))
    page, base = [], []
    for i in range(repeat):
        after = probes[i % len(probes)]
        started = time.perf_counter()
        response = client.get(f"{base_url}&after={after}" if after else base_url)
        page.append(time.perf_counter() - started)
        assert response.status_code == 200
        started = time.perf_counter()
        qs = Shift.objects.filter(starts_at__gte=start)
        if after:
            at = starts[after]
            qs = qs.filter(Q(starts_at__gt=at) | Q(starts_at=at, pk__gt=after))
        list(qs.order_by("starts_at", "pk")[: ROSTER_PAGE + 1])
        base.append(time.perf_counter() - started)
    return {
        "roster_ms": cs._ms(page),
        "baseline_ms": cs._ms(base),
        "pages_walked": len(cursors),
        "probes": len(probes),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--scale", type=float, default=10.0)
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    _fresh_database(args.database_url)
    cs._django(args.database_url)
    started = time.perf_counter()
    setup = _setup(args.scale)
    cs.say(f"setup took {time.perf_counter() - started:.0f} s")
    result = bench_roster(setup["town_id"], setup["week"], args.repeat)
    ratio = result["roster_ms"]["p95"] / result["baseline_ms"]["p95"]
    report = {
        "machine": _machine(),
        "scale": args.scale,
        "counts": setup["counts"],
        **result,
        "p95_ratio": round(ratio, 1),
        "target_p95_ms": 100,
    }
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
