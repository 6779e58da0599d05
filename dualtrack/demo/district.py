"""The demo district: a Nanchang High-tech Zone of the report's size, generated from a seed.

Structure (the zone, the organisation, persona logins) goes through the services or plain ORM
writes; the volume (areas, households, residents, cadres) goes through ``bulk_create`` in
batches, inside one transaction, with one audit entry for the whole run.
"""

from __future__ import annotations

import datetime
import itertools
import math
import os
import random
import time
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.db import connection, transaction

from dualtrack.areas.models import (
    CODE_WIDTH,
    Area,
    AreaKind,
    Cadre,
    CadreOrigin,
    Gender,
    Household,
    IndustrySector,
    LiaisonAssignment,
    OrgUnit,
    OrgUnitKind,
    Resident,
    Role,
    RoleGrant,
)
from dualtrack.areas.scoping import ROOT_CODE
from dualtrack.areas.services.people import ResidentData, build_resident
from dualtrack.areas.services.tree import district_bootstrap
from dualtrack.core.audit import audit_record
from dualtrack.core.crypto import lookup_digest
from dualtrack.core.models import AuditAction, User
from dualtrack.demo import checkpoints, enterprises, names, supplies
from dualtrack.demo.people import Origin, PeopleFactory, chinese_number
from dualtrack.enterprises.models import EnterpriseMember

DEFAULT_SEED = 2020
DEFAULT_PASSWORD = "dualtrack2020"  # noqa: S105 (the documented demo password)
MIN_SCALE, MAX_SCALE = 0.01, 50.0
BATCH_SIZE = 2000

# The report's figures at scale 1.
RESIDENTS = 100_000
CADRES_FROM_DISTRICT_ORGANS = 1853
TOWN_AND_VILLAGE_STAFF = 952
# Deliberate gaps, so that the coverage report has something real to show.
VILLAGES_WITHOUT_LIAISON = 4
GROUPS_WITHOUT_HOUSEHOLD = 3
HOUSEHOLDS_WITHOUT_RESIDENT = 5

LIAISON_SINCE = datetime.date(2020, 1, 27)
PERSONA_VILLAGE = "艾溪村"
PERSONA_VILLAGE_SLUG = "aixi"


def demo_password() -> str:
    return os.environ.get("DEMO_PASSWORD") or DEFAULT_PASSWORD


@dataclass(frozen=True)
class Persona:
    username: str
    role: str
    working_group: str = ""  # names.WORKING_GROUPS, for working-group staff


PERSONAS: tuple[Persona, ...] = (
    Persona("admin", Role.DISTRICT_ADMIN),
    Persona("commander", Role.COMMANDER),
    Persona("wg_supplies", Role.WORKING_GROUP, names.SUPPLIES_GROUP),
    Persona("wg_prevention", Role.WORKING_GROUP, names.PREVENTION_GROUP),
    Persona("wg_enterprise", Role.WORKING_GROUP, names.ENTERPRISE_GROUP),
    Persona("town_changdong", Role.TOWN_OFFICER),
    Persona(f"cadre_{PERSONA_VILLAGE_SLUG}", Role.VILLAGE_CADRE),
    Persona(f"gate_{PERSONA_VILLAGE_SLUG}", Role.CHECKPOINT_STAFF),
    Persona("volunteer", Role.VOLUNTEER),
)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    scope: str
    password: str


@dataclass
class SeedResult:
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def rows(self) -> int:
        return sum(self.counts.values())


def scale_targets(scale: float) -> dict[str, int]:
    """How many residents and cadres a scale asks for."""
    return {
        "residents": math.ceil(RESIDENTS * scale),
        "cadres_district_organ": round(CADRES_FROM_DISTRICT_ORGANS * scale),
        "cadres_town_village": round(TOWN_AND_VILLAGE_STAFF * scale),
    }


def _name_pool(
    rng: random.Random,
    stems: tuple[str, ...],
    combos: list[str],
    tail: str,
    exclude: tuple[str, ...],
) -> Iterator[str]:
    """Unique names: hand-picked stems first, then generated ones, then numbered (罗家二村)."""
    hand_picked = set(stems)
    extra = [c for c in combos if c not in hand_picked]
    base = [*rng.sample(stems, len(stems)), *rng.sample(extra, len(extra))]
    for n in itertools.count(1):
        for stem in base:
            name = stem + (chinese_number(n) if n > 1 else "") + tail
            if name not in exclude:
                yield name


def _village_code(group: Area) -> str:
    return group.code[: -CODE_WIDTH[AreaKind.GROUP]]


@dataclass
class _HouseholdPlan:
    household: Household
    members: list[ResidentData]


class _Seeder:
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

    def run(self) -> SeedResult:
        with transaction.atomic():
            users = self.users = self._users()
            self.root = district_bootstrap(name=names.DISTRICT_NAME, admin=users["admin"])
            self._areas()
            self._organisation()
            self._cadres(users)
            self._grants(users)
            self._people()
            # The operational apps' demo data, on top of the district: each gets this seeder
            # (rng, scale, root, towns, villages, groups, working_groups, users, counts, say).
            for extend in (checkpoints.seed, enterprises.seed, supplies.seed):
                extend(self)
            audit_record(
                actor=None,
                action=AuditAction.IMPORT,
                instance=self.root,
                area_code=self.root.code,
                after=dict(self.counts),
                note=f"seed_demo scale {self.scale:g}",
            )
        self._refresh_statistics()
        return SeedResult(counts=self.counts, seconds=time.perf_counter() - self.started)

    def _refresh_statistics(self) -> None:
        # Without statistics on the freshly loaded tables, PostgreSQL estimates one area per
        # scope and plans a town's resident page as a sort of every resident of the town;
        # autovacuum would analyse them only later.
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("PRAGMA analysis_limit=1000")
            cursor.execute("ANALYZE")
        self.say("planner statistics refreshed")

    # --- logins ----------------------------------------------------------------------------

    def _users(self) -> dict[str, User]:
        users = {}
        for persona in PERSONAS:
            gender = self.rng.choice((Gender.MALE, Gender.FEMALE))
            display = self.people.name(gender, self.rng.randint(1965, 1995))
            users[persona.username] = User.objects.create_user(
                username=persona.username, password=self.password, display_name=display
            )
        self.counts["users"] = len(users)
        self.say(f"{len(users)} persona logins")
        return users

    # --- the tree --------------------------------------------------------------------------

    def _areas(self) -> None:
        towns = Area.objects.bulk_create(
            Area(
                parent=self.root,
                kind=AreaKind.TOWN,
                code=f"{ROOT_CODE}{number:02d}",
                official_code=names.DISTRICT_OFFICIAL_CODE + spec.official,
                name=spec.name,
            )
            for number, spec in enumerate(names.TOWNS, start=1)
        )
        surname_chars = "".join(names.SURNAMES_BY_WEIGHT.values())
        fixed = tuple(name for spec in names.TOWNS for name in spec.fixed_villages)
        village_names = _name_pool(
            self.rng,
            names.VILLAGE_STEMS,
            [s + x for s in surname_chars for x in names.VILLAGE_SUFFIXES],
            "村",
            fixed,
        )
        community_names = _name_pool(
            self.rng,
            names.COMMUNITY_STEMS,
            [p + x for p in names.COMMUNITY_PREFIXES for x in names.COMMUNITY_SUFFIXES],
            "社区",
            fixed,
        )
        villages: list[Area] = []
        for town, spec in zip(towns, names.TOWNS, strict=True):
            n_communities = max(1, round(spec.communities * self.scale)) if spec.communities else 0
            n_villages = max(1, round(spec.villages * self.scale)) if spec.villages else 0
            chosen = [*spec.fixed_villages, *(next(village_names) for _ in range(n_villages))]
            # Statistical codes: 居委会 (communities) 001–199, 村委会 (villages) from 201.
            entries = [
                (AreaKind.COMMUNITY, i + 1, next(community_names)) for i in range(n_communities)
            ]
            entries += [(AreaKind.VILLAGE, 201 + i, n) for i, n in enumerate(chosen[:n_villages])]
            for number, (kind, official, name) in enumerate(entries, start=1):
                fits = official <= (199 if kind == AreaKind.COMMUNITY else 999)
                villages.append(
                    Area(
                        parent=town,
                        kind=kind,
                        code=f"{town.code}{number:03d}",
                        official_code=f"{town.official_code}{official:03d}" if fits else "",
                        name=name,
                    )
                )
        self.towns = towns
        self.villages = Area.objects.bulk_create(villages, batch_size=BATCH_SIZE)
        groups: list[Area] = []
        for village in self.villages:
            if village.kind == AreaKind.VILLAGE:
                stems = self.rng.sample(names.GROUP_STEMS, self.rng.randint(6, 12))
                group_names = [stem + "组" for stem in stems]
            else:
                count = self.rng.randint(4, 10)
                group_names = [f"第{chinese_number(n)}居民小组" for n in range(1, count + 1)]
            groups.extend(
                Area(
                    parent=village,
                    kind=AreaKind.GROUP,
                    code=f"{village.code}{number:02d}",
                    name=name,
                )
                for number, name in enumerate(group_names, start=1)
            )
        self.groups = Area.objects.bulk_create(groups, batch_size=BATCH_SIZE)
        self.persona_village = next(v for v in self.villages if v.name == PERSONA_VILLAGE)
        self.counts["areas"] = 1 + len(towns) + len(self.villages) + len(self.groups)
        self.say(
            f"areas: {len(towns)} towns, {len(self.villages)} villages and communities, "
            f"{len(self.groups)} groups"
        )

    # --- the command structure -------------------------------------------------------------

    def _organisation(self) -> None:
        leading = OrgUnit.objects.create(
            kind=OrgUnitKind.LEADING_GROUP, name=names.LEADING_GROUP, area=self.root, order=1
        )
        self.hq = OrgUnit.objects.create(
            kind=OrgUnitKind.COMMAND_HQ,
            name=names.COMMAND_HQ,
            area=self.root,
            parent=leading,
            order=2,
        )
        self.working_groups = {
            spec.name: OrgUnit(
                kind=OrgUnitKind.WORKING_GROUP,
                name=spec.name,
                area=self.root,
                parent=self.hq,
                responsibilities=spec.responsibilities,
                duty=spec.duty,
                order=10 + i,
            )
            for i, spec in enumerate(names.WORKING_GROUPS)
        }
        OrgUnit.objects.bulk_create(self.working_groups.values())
        self.town_commands = {
            town.code: OrgUnit(
                kind=OrgUnitKind.TOWN_COMMAND,
                name=names.TOWN_COMMAND.format(town=town.name),
                area=town,
                parent=self.hq,
                order=30 + i,
            )
            for i, town in enumerate(self.towns)
        }
        OrgUnit.objects.bulk_create(self.town_commands.values())
        by_letter = {
            letter: self.working_groups[spec.name]
            for spec in names.WORKING_GROUPS
            for letter in spec.sectors
        }
        sectors = list(IndustrySector.objects.all())
        for sector in sectors:
            sector.responsible_group = by_letter.get(sector.code)
        IndustrySector.objects.bulk_update(sectors, ["responsible_group"])
        units = 2 + len(self.working_groups) + len(self.town_commands)
        self.counts["org_units"] = units
        self.say(
            f"organisation: {units} units; {sum(1 for s in sectors if s.responsible_group)} of "
            f"{len(sectors)} industry sectors assigned a working group"
        )

    # --- cadres and liaisons ---------------------------------------------------------------

    def _cadre(self, origin: str, area: Area, unit: str, org_unit: OrgUnit | None) -> Cadre:
        gender = Gender.MALE if self.rng.random() < 0.7 else Gender.FEMALE
        phone = self.people.mobile()
        return Cadre(
            name=self.people.name(gender, self.rng.randint(1962, 1996)),
            phone=phone,
            phone_digest=lookup_digest(phone),
            origin=origin,
            unit=unit,
            org_unit=org_unit,
            area=area,
        )

    def _cadres(self, users: dict[str, User]) -> None:
        rng = self.rng
        changdong = self.towns[0]
        organ = CadreOrigin.DISTRICT_ORGAN
        local = CadreOrigin.TOWN_VILLAGE
        wg = self.working_groups
        persona_cadres = {
            "admin": self._cadre(organ, self.root, "区党政办公室", wg["综合协调组"]),
            "commander": self._cadre(organ, self.root, "区党政办公室", self.hq),
            "wg_supplies": self._cadre(organ, self.root, "区经济发展局", wg[names.SUPPLIES_GROUP]),
            "wg_prevention": self._cadre(
                organ, self.root, "区卫生健康局", wg[names.PREVENTION_GROUP]
            ),
            "wg_enterprise": self._cadre(organ, self.root, "区科技局", wg[names.ENTERPRISE_GROUP]),
            "town_changdong": self._cadre(
                local, changdong, "昌东镇人民政府", self.town_commands[changdong.code]
            ),
            f"cadre_{PERSONA_VILLAGE_SLUG}": self._cadre(
                organ, self.persona_village, "区财政局", self.town_commands[changdong.code]
            ),
            f"gate_{PERSONA_VILLAGE_SLUG}": self._cadre(
                local,
                self.persona_village,
                f"{PERSONA_VILLAGE}村民委员会",
                self.town_commands[changdong.code],
            ),
        }
        for username, cadre in persona_cadres.items():
            cadre.user = users[username]
            cadre.name = users[username].display_name

        def command_of(area: Area) -> OrgUnit:
            return self.town_commands[area.code[: len(changdong.code)]]

        cadres = list(persona_cadres.values())
        # One liaison (挂点干部) per village and community, but for a few left uncovered.
        others = [v for v in self.villages if v.pk != self.persona_village.pk]
        uncovered = set(rng.sample([v.pk for v in others], VILLAGES_WITHOUT_LIAISON))
        liaison_cadres = [persona_cadres[f"cadre_{PERSONA_VILLAGE_SLUG}"]]
        for village in others:
            if village.pk in uncovered:
                continue
            cadre = self._cadre(
                organ, village, rng.choice(names.DISTRICT_ORGANS), command_of(village)
            )
            cadres.append(cadre)
            liaison_cadres.append(cadre)
        organ_total = max(self.target["cadres_district_organ"], len(liaison_cadres) + 3)
        organ_left = organ_total - sum(1 for c in cadres if c.origin == organ)
        # A tenth of the rest staff the working groups; the others go down to the villages.
        groups = list(wg.values())
        for i in range(organ_left):
            if i < organ_left // 10:
                home = rng.choice(names.DISTRICT_ORGANS)
                cadres.append(self._cadre(organ, self.root, home, groups[i % len(groups)]))
            else:
                village = rng.choice(self.villages)
                home = rng.choice(names.DISTRICT_ORGANS)
                cadres.append(self._cadre(organ, village, home, command_of(village)))
        local_total = max(self.target["cadres_town_village"], 2)
        local_left = local_total - sum(1 for c in cadres if c.origin == local)
        for i in range(local_left):
            if i % 4 == 0:
                town = self.towns[(i // 4) % len(self.towns)]
                cadres.append(self._cadre(local, town, f"{town.name}人民政府", command_of(town)))
            else:
                village = rng.choice(self.villages)
                committee = "村民委员会" if village.kind == AreaKind.VILLAGE else "居民委员会"
                unit = village.name + committee
                cadres.append(self._cadre(local, village, unit, command_of(village)))
        Cadre.objects.bulk_create(cadres, batch_size=BATCH_SIZE)
        LiaisonAssignment.objects.bulk_create(
            (LiaisonAssignment(cadre=c, area=c.area, since=LIAISON_SINCE) for c in liaison_cadres),
            batch_size=BATCH_SIZE,
        )
        self.counts["cadres"] = len(cadres)
        self.counts["liaisons"] = len(liaison_cadres)
        self.say(
            f"cadres: {organ_total} from district organs, {local_total} town and village staff; "
            f"{len(liaison_cadres)} liaisons ({VILLAGES_WITHOUT_LIAISON} villages left uncovered)"
        )

    def _grants(self, users: dict[str, User]) -> None:
        village = self.persona_village
        bound_to: dict[str, tuple[Area, OrgUnit | None]] = {
            Role.COMMANDER: (self.root, None),
            Role.TOWN_OFFICER: (self.towns[0], None),
            Role.VILLAGE_CADRE: (village, None),
            Role.CHECKPOINT_STAFF: (village, None),
            Role.VOLUNTEER: (village, None),
        }
        # The administrator's grant comes from district_bootstrap.
        grants = [
            RoleGrant(
                user=users[p.username],
                role=p.role,
                area=self.root if p.working_group else bound_to[p.role][0],
                org_unit=self.working_groups[p.working_group]
                if p.working_group
                else bound_to[p.role][1],
            )
            for p in PERSONAS
            if p.role != Role.DISTRICT_ADMIN
        ]
        RoleGrant.objects.bulk_create(grants)
        self.counts["role_grants"] = len(grants) + 1

    # --- households and residents ----------------------------------------------------------

    def _allocate(self) -> tuple[dict[int, list[int]], list[Area]]:
        """Household sizes by group: enough households for the residents the scale asks for."""
        rng = self.rng
        persona_code = self.persona_village.code
        candidates = [g for g in self.groups if not g.code.startswith(persona_code)]
        empty_groups = rng.sample(candidates, GROUPS_WITHOUT_HOUSEHOLD)
        empty_ids = {g.pk for g in empty_groups}
        groups = [g for g in self.groups if g.pk not in empty_ids]
        sizes: list[int] = []
        planned = 0
        while planned < self.target["residents"]:
            sizes.append(self.people.household_size())
            planned += sizes[-1]
        # Every group gets one household, the rest by weight (largest remainder); communities
        # are denser than villages.
        kind_of = {v.code: v.kind for v in self.villages}
        weights = [
            rng.uniform(0.4, 1.6)
            * (1.5 if kind_of[_village_code(g)] == AreaKind.COMMUNITY else 1.0)
            for g in groups
        ]
        spare = len(sizes) - len(groups)
        if spare < 0:
            raise ValueError("The scale is too small for the district's groups.")
        total = sum(weights)
        shares = [spare * w / total for w in weights]
        counts = [1 + int(s) for s in shares]
        by_remainder = sorted(range(len(groups)), key=lambda i: shares[i] - int(shares[i]))
        missing = len(sizes) - sum(counts)
        for i in by_remainder[len(by_remainder) - missing :]:
            counts[i] += 1
        plan: dict[int, list[int]] = {}
        taken = 0
        for group, count in zip(groups, counts, strict=True):
            plan[group.pk] = sizes[taken : taken + count]
            taken += count
        for group in rng.sample(groups, HOUSEHOLDS_WITHOUT_RESIDENT):
            plan[group.pk].append(0)  # registered, members not yet entered
        return plan, empty_groups

    def _people(self) -> None:
        plan, empty_groups = self._allocate()
        self.say(
            f"households planned: {sum(len(s) for s in plan.values()):,} in "
            f"{len(plan)} groups ({len(empty_groups)} groups left without a household)"
        )
        groups_by_village: dict[str, list[Area]] = {}
        for group in self.groups:
            groups_by_village.setdefault(_village_code(group), []).append(group)
        # Screening returns arrive village by village from every town, not town by town.
        order = list(self.villages)
        self.rng.shuffle(order)
        pending: list[_HouseholdPlan] = []
        self.counts["households"] = self.counts["residents"] = 0
        self.reported = 0  # tenths of the residents reported so far
        for village in order:
            for group in groups_by_village.get(village.code, []):
                for number, size in enumerate(plan.get(group.pk, []), start=1):
                    pending.append(self._household(village, group, number, size))
            if len(pending) >= BATCH_SIZE:
                self._flush(pending)
                pending = []
        self._flush(pending)

    def _household(self, village: Area, group: Area, number: int, size: int) -> _HouseholdPlan:
        rng = self.rng
        community = village.kind == AreaKind.COMMUNITY
        if community:
            address = (
                f"{rng.choice(names.ROADS)}{rng.randint(1, 1999)}号{rng.randint(1, 30)}栋"
                f"{rng.randint(1, 4)}单元{rng.randint(1, 28)}{rng.randint(1, 4):02d}室"
            )
        else:
            address = f"{village.name}{group.name}{number}号"
        origin = self.people.household_origin(community) if size else Origin.LOCAL
        members = self.people.household(size, origin) if size else []
        household = Household(area=group, number=f"{number:04d}", address=address)
        return _HouseholdPlan(household, members)

    def _flush(self, pending: list[_HouseholdPlan]) -> None:
        if not pending:
            return
        Household.objects.bulk_create((p.household for p in pending), batch_size=BATCH_SIZE)
        residents = [build_resident(p.household, m) for p in pending for m in p.members]
        Resident.objects.bulk_create(residents, batch_size=BATCH_SIZE)
        self.counts["households"] += len(pending)
        self.counts["residents"] += len(residents)
        done = self.counts["residents"] * 10 // self.target["residents"]
        if done > self.reported:
            self.reported = done
            self.say(
                f"residents {self.counts['residents']:,} / {self.target['residents']:,} "
                f"in {self.counts['households']:,} households"
            )


def seed_district(
    *,
    scale: float = 1.0,
    seed: int = DEFAULT_SEED,
    password: str | None = None,
    progress: Callable[[str], None] = lambda message: None,
) -> SeedResult:
    """Build the demo district in an empty database, in one transaction."""
    if not MIN_SCALE <= scale <= MAX_SCALE:
        raise ValueError(f"The scale must lie between {MIN_SCALE:g} and {MAX_SCALE:g}.")
    seeder = _Seeder(
        scale=scale, seed=seed, password=password or demo_password(), progress=progress
    )
    return seeder.run()


def demo_logins() -> list[DemoLogin]:
    """The persona logins present in the database, with the demo password."""
    wanted = [p.username for p in PERSONAS]
    grants = RoleGrant.objects.filter(user__username__in=wanted).select_related(
        "user", "area", "org_unit"
    )
    by_user = {g.user.username: g for g in grants}
    password = demo_password()
    logins = []
    for username in wanted:
        grant = by_user.get(username)
        if grant is None:
            continue
        scope = grant.area.name
        if grant.org_unit is not None:
            scope += f" · {grant.org_unit.name}"
        logins.append(DemoLogin(username, grant.role, scope, password))
    return logins


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _enterprise_logins() -> list[DemoLogin]:
    """The enterprise persona: no role grant, its login belongs to one enterprise."""
    member = (
        EnterpriseMember.objects.filter(user__username=enterprises.ENTERPRISE_LOGIN)
        .select_related("enterprise__area")
        .first()
    )
    if member is None:
        return []
    scope = f"{member.enterprise.area.name} · {member.enterprise.name}"
    return [DemoLogin(enterprises.ENTERPRISE_LOGIN, "enterprise", scope, demo_password())]


def format_logins(logins: list[DemoLogin]) -> str:
    """The logins as a plain-text table, aligned for CJK text in a terminal."""
    logins = [*logins, *_enterprise_logins()]
    rows = [("username", "role", "scope", "password")]
    rows += [(x.username, x.role, x.scope, x.password) for x in logins]
    widths = [max(_width(row[i]) for row in rows) for i in range(4)]
    lines = []
    for n, row in enumerate(rows):
        cells = [cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)
