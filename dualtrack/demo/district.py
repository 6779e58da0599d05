"""The demo district: a Nanchang High-tech Zone of the report's size, generated from a seed.

The first step of ``dualtrack.demo.seed``: the zone, its towns, villages and groups, the command
structure, the cadres and liaisons, and the persona logins with their role grants. Structure goes
through the services or plain ORM writes; the volume goes through ``bulk_create`` in batches. The
households and residents are the next step (``dualtrack.demo.households``).
"""

from __future__ import annotations

import datetime
import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass

from dualtrack.areas.models import (
    Area,
    AreaKind,
    Cadre,
    CadreOrigin,
    Gender,
    IndustrySector,
    LiaisonAssignment,
    OrgUnit,
    OrgUnitKind,
    Role,
    RoleGrant,
)
from dualtrack.areas.scoping import ROOT_CODE
from dualtrack.areas.services.tree import district_bootstrap
from dualtrack.core.crypto import lookup_digest
from dualtrack.core.models import User
from dualtrack.demo import geometry, names
from dualtrack.demo.people import chinese_number
from dualtrack.demo.seeder import BATCH_SIZE, Seeder

# Deliberate gaps, so that the coverage report has something real to show.
VILLAGES_WITHOUT_LIAISON = 4

LIAISON_SINCE = datetime.date(2020, 1, 27)
PERSONA_VILLAGE = "艾溪村"
PERSONA_VILLAGE_SLUG = "aixi"


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
    # The investment team keeps the pipeline (the investment step).
    Persona("investment", Role.WORKING_GROUP, names.INVESTMENT_GROUP),
    Persona("town_changdong", Role.TOWN_OFFICER),
    Persona(f"cadre_{PERSONA_VILLAGE_SLUG}", Role.VILLAGE_CADRE),
    Persona(f"gate_{PERSONA_VILLAGE_SLUG}", Role.CHECKPOINT_STAFF),
    Persona("volunteer", Role.VOLUNTEER),
    # A quarantine site's staff: 昌东镇's grant, on the first site's staff (the health step).
    Persona("site_changdong", Role.SITE_STAFF),
    # A clerk of the district's and 昌东镇's service departments (the services step).
    Persona("clerk", Role.SERVICE_CLERK),
)


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


def seed(seeder: Seeder) -> None:
    """The district: logins, tree, organisation, cadres and liaisons, role grants."""
    users = seeder.users = _users(seeder)
    seeder.root = district_bootstrap(name=names.DISTRICT_NAME, admin=users["admin"])
    _areas(seeder)
    _organisation(seeder)
    _cadres(seeder, users)
    _grants(seeder, users)


def _users(seeder: Seeder) -> dict[str, User]:
    users = {}
    for persona in PERSONAS:
        gender = seeder.rng.choice((Gender.MALE, Gender.FEMALE))
        display = seeder.people.name(gender, seeder.rng.randint(1965, 1995))
        users[persona.username] = User.objects.create_user(
            username=persona.username, password=seeder.password, display_name=display
        )
    seeder.counts["users"] = len(users)
    seeder.say(f"{len(users)} persona logins")
    return users


# --- the tree --------------------------------------------------------------------------


def _areas(seeder: Seeder) -> None:
    towns = Area.objects.bulk_create(
        Area(
            parent=seeder.root,
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
        seeder.rng,
        names.VILLAGE_STEMS,
        [s + x for s in surname_chars for x in names.VILLAGE_SUFFIXES],
        "村",
        fixed,
    )
    community_names = _name_pool(
        seeder.rng,
        names.COMMUNITY_STEMS,
        [p + x for p in names.COMMUNITY_PREFIXES for x in names.COMMUNITY_SUFFIXES],
        "社区",
        fixed,
    )
    villages: list[Area] = []
    for town, spec in zip(towns, names.TOWNS, strict=True):
        n_communities = max(1, round(spec.communities * seeder.scale)) if spec.communities else 0
        n_villages = max(1, round(spec.villages * seeder.scale)) if spec.villages else 0
        chosen = [*spec.fixed_villages, *(next(village_names) for _ in range(n_villages))]
        # Statistical codes: 居委会 (communities) 001–199, 村委会 (villages) from 201.
        entries = [(AreaKind.COMMUNITY, i + 1, next(community_names)) for i in range(n_communities)]
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
    seeder.towns = towns
    _outlines(seeder.root, towns, villages)
    seeder.villages = Area.objects.bulk_create(villages, batch_size=BATCH_SIZE)
    groups: list[Area] = []
    for village in seeder.villages:
        if village.kind == AreaKind.VILLAGE:
            stems = seeder.rng.sample(names.GROUP_STEMS, seeder.rng.randint(6, 12))
            group_names = [stem + "组" for stem in stems]
        else:
            count = seeder.rng.randint(4, 10)
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
    seeder.groups = Area.objects.bulk_create(groups, batch_size=BATCH_SIZE)
    seeder.persona_village = next(v for v in seeder.villages if v.name == PERSONA_VILLAGE)
    seeder.counts["areas"] = 1 + len(towns) + len(seeder.villages) + len(seeder.groups)
    seeder.say(
        f"areas: {len(towns)} towns, {len(seeder.villages)} villages and communities, "
        f"{len(seeder.groups)} groups"
    )


def _outlines(root: Area, towns: list[Area], villages: list[Area]) -> None:
    """The map's outlines (see demo.geometry): the district, its towns sized by their villages,
    each town cut into its villages; the villages are saved by their caller."""
    root.geometry = geometry.polygon(geometry.DISTRICT_BOX)
    root.save(update_fields=["geometry"])
    by_town: dict[int, list[Area]] = {town.pk: [] for town in towns}
    for village in villages:
        by_town[village.parent_id].append(village)  # type: ignore[index]
    boxes = geometry.town_boxes([max(1, len(by_town[town.pk])) for town in towns])
    for town, box in zip(towns, boxes, strict=True):
        town.geometry = geometry.polygon(box)
        for village, cell in zip(
            by_town[town.pk], geometry.grid_boxes(len(by_town[town.pk]), box), strict=True
        ):
            village.geometry = geometry.polygon(cell)
    Area.objects.bulk_update(towns, ["geometry"])


# --- the command structure -------------------------------------------------------------


def _organisation(seeder: Seeder) -> None:
    leading = OrgUnit.objects.create(
        kind=OrgUnitKind.LEADING_GROUP, name=names.LEADING_GROUP, area=seeder.root, order=1
    )
    seeder.hq = OrgUnit.objects.create(
        kind=OrgUnitKind.COMMAND_HQ,
        name=names.COMMAND_HQ,
        area=seeder.root,
        parent=leading,
        order=2,
    )
    seeder.working_groups = {
        spec.name: OrgUnit(
            kind=OrgUnitKind.WORKING_GROUP,
            name=spec.name,
            area=seeder.root,
            parent=seeder.hq,
            responsibilities=spec.responsibilities,
            duty=spec.duty,
            order=10 + i,
        )
        for i, spec in enumerate(names.WORKING_GROUPS)
    }
    OrgUnit.objects.bulk_create(seeder.working_groups.values())
    seeder.town_commands = {
        town.code: OrgUnit(
            kind=OrgUnitKind.TOWN_COMMAND,
            name=names.TOWN_COMMAND.format(town=town.name),
            area=town,
            parent=seeder.hq,
            order=30 + i,
        )
        for i, town in enumerate(seeder.towns)
    }
    OrgUnit.objects.bulk_create(seeder.town_commands.values())
    by_letter = {
        letter: seeder.working_groups[spec.name]
        for spec in names.WORKING_GROUPS
        for letter in spec.sectors
    }
    sectors = list(IndustrySector.objects.all())
    for sector in sectors:
        sector.responsible_group = by_letter.get(sector.code)
    IndustrySector.objects.bulk_update(sectors, ["responsible_group"])
    units = 2 + len(seeder.working_groups) + len(seeder.town_commands)
    seeder.counts["org_units"] = units
    seeder.say(
        f"organisation: {units} units; {sum(1 for s in sectors if s.responsible_group)} of "
        f"{len(sectors)} industry sectors assigned a working group"
    )


# --- cadres and liaisons ---------------------------------------------------------------


def _cadre(seeder: Seeder, origin: str, area: Area, unit: str, org_unit: OrgUnit | None) -> Cadre:
    gender = Gender.MALE if seeder.rng.random() < 0.7 else Gender.FEMALE
    phone = seeder.people.mobile()
    return Cadre(
        name=seeder.people.name(gender, seeder.rng.randint(1962, 1996)),
        phone=phone,
        phone_digest=lookup_digest(phone),
        origin=origin,
        unit=unit,
        org_unit=org_unit,
        area=area,
    )


def _cadres(seeder: Seeder, users: dict[str, User]) -> None:
    rng = seeder.rng
    changdong = seeder.towns[0]
    organ = CadreOrigin.DISTRICT_ORGAN
    local = CadreOrigin.TOWN_VILLAGE
    wg = seeder.working_groups
    persona_cadres = {
        "admin": _cadre(seeder, organ, seeder.root, "区党政办公室", wg["综合协调组"]),
        "commander": _cadre(seeder, organ, seeder.root, "区党政办公室", seeder.hq),
        "wg_supplies": _cadre(seeder, organ, seeder.root, "区经济发展局", wg[names.SUPPLIES_GROUP]),
        "wg_prevention": _cadre(
            seeder, organ, seeder.root, "区卫生健康局", wg[names.PREVENTION_GROUP]
        ),
        "wg_enterprise": _cadre(seeder, organ, seeder.root, "区科技局", wg[names.ENTERPRISE_GROUP]),
        "investment": _cadre(seeder, organ, seeder.root, "区招商局", wg[names.INVESTMENT_GROUP]),
        "clerk": _cadre(seeder, organ, seeder.root, "区行政审批局", wg[names.INVESTMENT_GROUP]),
        "town_changdong": _cadre(
            seeder, local, changdong, "昌东镇人民政府", seeder.town_commands[changdong.code]
        ),
        f"cadre_{PERSONA_VILLAGE_SLUG}": _cadre(
            seeder, organ, seeder.persona_village, "区财政局", seeder.town_commands[changdong.code]
        ),
        f"gate_{PERSONA_VILLAGE_SLUG}": _cadre(
            seeder,
            local,
            seeder.persona_village,
            f"{PERSONA_VILLAGE}村民委员会",
            seeder.town_commands[changdong.code],
        ),
        "site_changdong": _cadre(
            seeder, local, changdong, "昌东镇卫生院", seeder.town_commands[changdong.code]
        ),
    }
    for username, cadre in persona_cadres.items():
        cadre.user = users[username]
        cadre.name = users[username].display_name

    def command_of(area: Area) -> OrgUnit:
        return seeder.town_commands[area.code[: len(changdong.code)]]

    cadres = list(persona_cadres.values())
    # One liaison (挂点干部) per village and community, but for a few left uncovered.
    others = [v for v in seeder.villages if v.pk != seeder.persona_village.pk]
    uncovered = set(rng.sample([v.pk for v in others], VILLAGES_WITHOUT_LIAISON))
    liaison_cadres = [persona_cadres[f"cadre_{PERSONA_VILLAGE_SLUG}"]]
    for village in others:
        if village.pk in uncovered:
            continue
        cadre = _cadre(
            seeder, organ, village, rng.choice(names.DISTRICT_ORGANS), command_of(village)
        )
        cadres.append(cadre)
        liaison_cadres.append(cadre)
    organ_total = max(seeder.target["cadres_district_organ"], len(liaison_cadres) + 3)
    organ_left = organ_total - sum(1 for c in cadres if c.origin == organ)
    # A tenth of the rest staff the working groups; the others go down to the villages.
    groups = list(wg.values())
    for i in range(organ_left):
        if i < organ_left // 10:
            home = rng.choice(names.DISTRICT_ORGANS)
            cadres.append(_cadre(seeder, organ, seeder.root, home, groups[i % len(groups)]))
        else:
            village = rng.choice(seeder.villages)
            home = rng.choice(names.DISTRICT_ORGANS)
            cadres.append(_cadre(seeder, organ, village, home, command_of(village)))
    local_total = max(seeder.target["cadres_town_village"], 2)
    local_left = local_total - sum(1 for c in cadres if c.origin == local)
    for i in range(local_left):
        if i % 4 == 0:
            town = seeder.towns[(i // 4) % len(seeder.towns)]
            cadres.append(_cadre(seeder, local, town, f"{town.name}人民政府", command_of(town)))
        else:
            village = rng.choice(seeder.villages)
            committee = "村民委员会" if village.kind == AreaKind.VILLAGE else "居民委员会"
            unit = village.name + committee
            cadres.append(_cadre(seeder, local, village, unit, command_of(village)))
    Cadre.objects.bulk_create(cadres, batch_size=BATCH_SIZE)
    LiaisonAssignment.objects.bulk_create(
        (LiaisonAssignment(cadre=c, area=c.area, since=LIAISON_SINCE) for c in liaison_cadres),
        batch_size=BATCH_SIZE,
    )
    seeder.counts["cadres"] = len(cadres)
    seeder.counts["liaisons"] = len(liaison_cadres)
    seeder.say(
        f"cadres: {organ_total} from district organs, {local_total} town and village staff; "
        f"{len(liaison_cadres)} liaisons ({VILLAGES_WITHOUT_LIAISON} villages left uncovered)"
    )


def _grants(seeder: Seeder, users: dict[str, User]) -> None:
    village = seeder.persona_village
    bound_to: dict[str, tuple[Area, OrgUnit | None]] = {
        Role.COMMANDER: (seeder.root, None),
        Role.TOWN_OFFICER: (seeder.towns[0], None),
        Role.VILLAGE_CADRE: (village, None),
        Role.CHECKPOINT_STAFF: (village, None),
        Role.VOLUNTEER: (village, None),
        Role.SITE_STAFF: (seeder.towns[0], None),
        Role.SERVICE_CLERK: (seeder.root, None),
    }
    # The administrator's grant comes from district_bootstrap.
    grants = [
        RoleGrant(
            user=users[p.username],
            role=p.role,
            area=seeder.root if p.working_group else bound_to[p.role][0],
            org_unit=seeder.working_groups[p.working_group]
            if p.working_group
            else bound_to[p.role][1],
        )
        for p in PERSONAS
        if p.role != Role.DISTRICT_ADMIN
    ]
    RoleGrant.objects.bulk_create(grants)
    seeder.counts["role_grants"] = len(grants) + 1
