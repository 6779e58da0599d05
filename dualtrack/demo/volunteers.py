"""The demo district's front line (issue 17): 260 temporary party branches with their members'
responsibility zones, 101 commando teams, the 1,853 cadres sent down from district organs each
deployed to a village, more than 6,000 volunteers (most approved, with their logins), and a
week of duty rosters on the checkpoints' shifts and on community duties around today.

Bulk inserts, as the other steps. Nobody is put on two duties whose times overlap: a person
holds at most one duty per (day, slot) of the checkpoints' two twelve-hour shifts, and the
community duties lie inside the day slot. Every count the pages show is computed from these
rows; the approved volunteers' logins have no usable password (the reviewer issues one).
"""

from __future__ import annotations

import datetime
import math
from collections import defaultdict
from typing import TYPE_CHECKING

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from dualtrack.areas.models import Cadre, CadreOrigin, Gender, Role, RoleGrant
from dualtrack.checkpoints.models import Checkpoint, Shift
from dualtrack.core.crypto import lookup_digest
from dualtrack.core.models import User
from dualtrack.demo.people import Origin
from dualtrack.volunteers.models import (
    AssignmentStatus,
    BranchMember,
    BranchSite,
    CommandoTeam,
    Deployment,
    Duty,
    DutyAssignment,
    DutyKind,
    PartyBranch,
    PersonKind,
    Volunteer,
    VolunteerStatus,
    ZoneKind,
)

if TYPE_CHECKING:
    from dualtrack.areas.models import Area
    from dualtrack.demo.seeder import Seeder

# At scale 1: the report's figures.
BRANCHES = 260
TEAMS = 101
VOLUNTEERS = 6120  # "more than 6,000"
ROSTER_DAYS = 7  # the last six days and today
BATCH = 5000
SKILLS = ("驾驶", "急救", "心理疏导", "方言翻译", "物资搬运", "信息录入", "医护", "电工", "")
DECLINE_REASONS = ("年龄超过六十五岁，建议居家", "正在居家观察期内", "所报村组暂不缺人")
TASKS = (
    "卡点值守",
    "入户排查",
    "物资配送",
    "企业复工帮扶",
    "隔离点保障",
    "返岗人员接送",
    "防疫宣传",
)
TEAM_NAMES = ("党员突击队", "青年突击队", "复工复产突击队", "物资保障突击队", "排查突击队")
COMMUNITY_DUTIES = ("上门送菜", "小区巡查", "入户测温", "代购药品")


def _aware(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def seed(seeder: Seeder) -> None:
    today = timezone.localdate()
    gates = list(Checkpoint.objects.select_related("area").order_by("pk"))
    members = _branches(seeder, gates, today)
    _teams(seeder, today)
    sent_down = _deployments(seeder, today)
    volunteers = _volunteers(seeder, today)
    _rosters(seeder, today, volunteers, sent_down, members)
    seeder.say(
        f"front line: {seeder.counts['party_branches']} branches, "
        f"{seeder.counts['commando_teams']} commando teams, "
        f"{seeder.counts['deployments']:,} cadres sent down, "
        f"{seeder.counts['volunteers']:,} volunteers, "
        f"{seeder.counts['duty_assignments']:,} people on duties"
    )


def _branches(seeder: Seeder, gates: list[Checkpoint], today: datetime.date) -> list[BranchMember]:
    rng = seeder.rng
    total = max(3, round(BRANCHES * seeder.scale))
    founded = today - datetime.timedelta(days=30)
    rows: list[PartyBranch] = []
    for i in range(total):
        kind = (BranchSite.CHECKPOINT, BranchSite.COMMUNITY, BranchSite.WORK_TEAM)[i % 3]
        if kind == BranchSite.CHECKPOINT and gates:
            gate = gates[(i // 3) % len(gates)]
            rows.append(
                PartyBranch(
                    name=f"{gate.name}临时党支部",
                    site=kind,
                    area=gate.area,
                    checkpoint=gate,
                    founded_on=founded + datetime.timedelta(days=rng.randint(0, 5)),
                )
            )
            continue
        village = rng.choice(seeder.villages)
        team = "复工工作组" if kind == BranchSite.WORK_TEAM else ""
        rows.append(
            PartyBranch(
                name=f"{village.name}{team}临时党支部",
                site=kind if gates or kind != BranchSite.CHECKPOINT else BranchSite.COMMUNITY,
                area=village,
                work_team=f"{village.name}企业复工工作组" if kind == BranchSite.WORK_TEAM else "",
                founded_on=founded + datetime.timedelta(days=rng.randint(0, 10)),
            )
        )
    branches = PartyBranch.objects.bulk_create(rows, batch_size=BATCH)
    members: list[BranchMember] = []
    for branch in branches:
        for n in range(rng.randint(3, 7)):
            gender = Gender.MALE if rng.random() < 0.6 else Gender.FEMALE
            zone_kind = rng.choice(list(ZoneKind))
            households = rng.randint(8, 40) if zone_kind == ZoneKind.HOUSEHOLDS else 0
            zone = {
                ZoneKind.HOUSEHOLDS: f"{rng.randint(1, 9)}组{households}户",
                ZoneKind.GATE: branch.checkpoint.name if branch.checkpoint else "村东卡口",
                ZoneKind.GROUP: f"第{rng.randint(1, 9)}村民小组",
            }[zone_kind]
            members.append(
                BranchMember(
                    branch=branch,
                    name=seeder.people.name(gender, rng.randint(1960, 1998)),
                    is_secretary=n == 0,
                    zone_kind=zone_kind,
                    zone=zone,
                    households=households,
                )
            )
    members = BranchMember.objects.bulk_create(members, batch_size=BATCH)
    seeder.counts["party_branches"] = len(branches)
    seeder.counts["party_members"] = len(members)
    return members


def _teams(seeder: Seeder, today: datetime.date) -> None:
    rng = seeder.rng
    total = max(2, round(TEAMS * seeder.scale))
    rows = []
    for i in range(total):
        area = rng.choice(seeder.towns + seeder.villages)
        starts = today - datetime.timedelta(days=rng.randint(3, 40))
        ended = rng.random() < 0.3
        names = [
            seeder.people.name(Gender.MALE, rng.randint(1965, 1998))
            for _ in range(rng.randint(5, 12))
        ]
        rows.append(
            CommandoTeam(
                name=f"{area.name}{TEAM_NAMES[i % len(TEAM_NAMES)]}",
                area=area,
                leader=names[0],
                members="\n".join(names[1:]),
                task=rng.choice(TASKS),
                starts_on=starts,
                ends_on=starts + datetime.timedelta(days=rng.randint(1, 3)) if ended else None,
            )
        )
    seeder.counts["commando_teams"] = len(CommandoTeam.objects.bulk_create(rows))


def _deployments(seeder: Seeder, today: datetime.date) -> list[Cadre]:
    """Each cadre sent down from a district organ, deployed to a village with a task; every
    tenth leads the others of their village."""
    rng = seeder.rng
    cadres = list(Cadre.objects.filter(origin=CadreOrigin.DISTRICT_ORGAN).order_by("pk"))
    by_village: dict[int, list[Cadre]] = defaultdict(list)
    rows = []
    for i, cadre in enumerate(cadres):
        village = seeder.villages[i % len(seeder.villages)]
        leaders = by_village[village.pk]
        rows.append(
            Deployment(
                cadre=cadre,
                area=village,
                task=rng.choice(TASKS),
                starts_on=today - datetime.timedelta(days=rng.randint(10, 35)),
                leader=leaders[0] if leaders else None,
            )
        )
        leaders.append(cadre)
    Deployment.objects.bulk_create(rows, batch_size=BATCH)
    seeder.counts["deployments"] = len(rows)
    return cadres


def _volunteers(seeder: Seeder, today: datetime.date) -> list[tuple[Volunteer, Area]]:
    """The volunteers and the village each serves; the approved ones with a login and the
    volunteer role there. The demo's volunteer persona is the first of its village."""
    rng = seeder.rng
    people = seeder.people
    total = max(10, math.ceil(VOLUNTEERS * seeder.scale))
    reviewer = seeder.users["admin"]
    persona = seeder.users.get("volunteer")
    rows: list[Volunteer] = []
    villages: list[Area] = []
    for i in range(total):
        village = seeder.persona_village if i == 0 else rng.choice(seeder.villages)
        gender = Gender.MALE if rng.random() < 0.55 else Gender.FEMALE
        person = people.person(
            age=rng.randint(18, 60), gender=gender, origin=Origin.LOCAL, relation="self"
        )
        mobile = person.phone or people.mobile()
        roll = rng.random()
        status = (
            VolunteerStatus.APPROVED
            if i == 0 or roll < 0.9
            else VolunteerStatus.PENDING
            if roll < 0.97
            else VolunteerStatus.DECLINED
        )
        created = timezone.now() - datetime.timedelta(days=rng.randint(1, 30), minutes=i % 600)
        rows.append(
            Volunteer(
                name=person.name if i or persona is None else persona.display_name,
                mobile=mobile,
                mobile_digest=lookup_digest(mobile),
                id_number=person.id_number,
                id_number_digest=lookup_digest(person.id_number),
                birth_year=person.birth_date.year,
                skills="、".join(s for s in {rng.choice(SKILLS), rng.choice(SKILLS)} if s),
                hours_per_week=rng.choice((8, 10, 12, 16, 20, 24, 30, 40)),
                status=status,
                decline_reason=rng.choice(DECLINE_REASONS)
                if status == VolunteerStatus.DECLINED
                else "",
                reviewed_by=None if status == VolunteerStatus.PENDING else reviewer,
                reviewed_at=None if status == VolunteerStatus.PENDING else created,
            )
        )
        villages.append(village)
    rows = Volunteer.objects.bulk_create(rows, batch_size=BATCH)
    through = Volunteer.villages.through
    through.objects.bulk_create(
        (through(volunteer_id=v.pk, area_id=a.pk) for v, a in zip(rows, villages, strict=True)),
        batch_size=BATCH,
    )
    _logins(rows, villages, persona)
    seeder.counts["volunteers"] = len(rows)
    return [
        (v, a) for v, a in zip(rows, villages, strict=True) if v.status == VolunteerStatus.APPROVED
    ]


def _logins(rows: list[Volunteer], villages: list[Area], persona: User | None) -> None:
    unusable = make_password(None)
    approved = [(v, a) for v, a in zip(rows, villages, strict=True) if v.status == "approved"]
    users = User.objects.bulk_create(
        [
            User(username=f"v{v.pk:06d}", display_name=v.name, password=unusable)
            for v, _a in approved[1 if persona else 0 :]
        ],
        batch_size=BATCH,
    )
    if persona is not None:
        users.insert(0, persona)
    RoleGrant.objects.bulk_create(
        [
            RoleGrant(user=u, role=Role.VOLUNTEER, area=a)
            for u, (_v, a) in zip(users, approved, strict=True)
            if u is not persona
        ],
        batch_size=BATCH,
    )
    for user, (volunteer, _a) in zip(users, approved, strict=True):
        volunteer.user = user
    Volunteer.objects.bulk_update([v for v, _a in approved], ["user"], batch_size=BATCH)


def _rosters(
    seeder: Seeder,
    today: datetime.date,
    volunteers: list[tuple[Volunteer, Area]],
    sent_down: list[Cadre],
    members: list[BranchMember],
) -> None:
    """A week of rosters: on each checkpoint shift of the last six days and today, two or three
    people of its village (volunteers, cadres sent there, the party members of its branches),
    and a community duty a day in each village; those past are worked (a few absent)."""
    rng = seeder.rng
    now = timezone.now()
    first = _aware(today - datetime.timedelta(days=ROSTER_DAYS - 1), 0)
    pools: dict[int, list[tuple[str, str, object]]] = defaultdict(list)
    for volunteer, village in volunteers:
        pools[village.pk].append((PersonKind.VOLUNTEER, f"v{volunteer.pk}", volunteer))
    deployed = dict(Deployment.objects.values_list("cadre_id", "area_id"))
    for cadre in sent_down:
        if cadre.pk in deployed:
            pools[deployed[cadre.pk]].append((PersonKind.CADRE, f"c{cadre.pk}", cadre))
    for member in members:
        pools[member.branch.area_id].append((PersonKind.PARTY_MEMBER, f"m{member.pk}", member))
    busy: set[tuple[str, datetime.datetime]] = set()  # (person, the slot's start)
    shifts = list(
        Shift.objects.filter(starts_at__gte=first)
        .select_related("checkpoint__area")
        .order_by("starts_at", "pk")
    )
    duties = [
        Duty(
            kind=DutyKind.SHIFT,
            area=s.checkpoint.area,
            shift=s,
            title=s.checkpoint.name,
            starts_at=s.starts_at,
            ends_at=s.ends_at,
            needed=3,
        )
        for s in shifts
    ]
    slot_of = {id(d): d.starts_at for d in duties}
    for n in range(ROSTER_DAYS + 1):
        day = today - datetime.timedelta(days=ROSTER_DAYS - 1 - n)
        for village in seeder.villages:
            if not pools.get(village.pk):
                continue
            duty = Duty(
                kind=DutyKind.COMMUNITY,
                area=village,
                title=rng.choice(COMMUNITY_DUTIES),
                starts_at=_aware(day, 9),
                ends_at=_aware(day, 12),
                needed=2,
            )
            duties.append(duty)
            # Inside the checkpoints' day shift (7:00–19:00): it occupies that slot.
            slot_of[id(duty)] = _aware(day, 7)
    Duty.objects.bulk_create(duties, batch_size=BATCH)
    assignments: list[DutyAssignment] = []
    for duty in duties:
        pool = pools.get(duty.area_id) or []
        if not pool:
            continue
        slot = slot_of[id(duty)]
        wanted = min(len(pool), rng.choice((1, 2, 2, 3, 3)))
        for kind, key, person in rng.sample(pool, min(len(pool), wanted * 3)):
            if wanted == 0:
                break
            if (key, slot) in busy:
                continue
            busy.add((key, slot))
            wanted -= 1
            assignments.append(_assignment(rng, duty, kind, key, person, now))
    DutyAssignment.objects.bulk_create(assignments, batch_size=BATCH)
    seeder.counts["duties"] = len(duties)
    seeder.counts["duty_assignments"] = len(assignments)


def _assignment(rng, duty: Duty, kind: str, key: str, person: object, now) -> DutyAssignment:  # type: ignore[no-untyped-def]
    if duty.ends_at <= now:
        worked = rng.random() < 0.93
        status = AssignmentStatus.WORKED if worked else AssignmentStatus.ABSENT
        minutes = int((duty.ends_at - duty.starts_at).total_seconds() // 60) if worked else None
    else:
        status = AssignmentStatus.CONFIRMED if rng.random() < 0.6 else AssignmentStatus.ASSIGNED
        minutes = None
    return DutyAssignment(
        duty=duty,
        person_kind=kind,
        person_key=key,
        name=person.name,  # type: ignore[attr-defined]
        starts_at=duty.starts_at,
        ends_at=duty.ends_at,
        status=status,
        confirmed_at=duty.starts_at - datetime.timedelta(hours=6)
        if status != AssignmentStatus.ASSIGNED
        else None,
        worked_minutes=minutes,
        **{{"volunteer": "volunteer", "cadre": "cadre", "party_member": "member"}[kind]: person},
    )
