"""The district's households and residents, group by group: the demo's second step."""

from __future__ import annotations

from dataclasses import dataclass

from dualtrack.areas.models import CODE_WIDTH, Area, AreaKind, Household, Resident
from dualtrack.areas.services.people import ResidentData, build_resident
from dualtrack.demo import names
from dualtrack.demo.people import Origin
from dualtrack.demo.seeder import BATCH_SIZE, Seeder

# Deliberate gaps, so that the coverage report has something real to show.
GROUPS_WITHOUT_HOUSEHOLD = 3
HOUSEHOLDS_WITHOUT_RESIDENT = 5


def _village_code(group: Area) -> str:
    return group.code[: -CODE_WIDTH[AreaKind.GROUP]]


@dataclass
class _HouseholdPlan:
    household: Household
    members: list[ResidentData]


def _allocate(seeder: Seeder) -> tuple[dict[int, list[int]], list[Area]]:
    """Household sizes by group: enough households for the residents the scale asks for."""
    rng = seeder.rng
    persona_code = seeder.persona_village.code
    candidates = [g for g in seeder.groups if not g.code.startswith(persona_code)]
    empty_groups = rng.sample(candidates, GROUPS_WITHOUT_HOUSEHOLD)
    empty_ids = {g.pk for g in empty_groups}
    groups = [g for g in seeder.groups if g.pk not in empty_ids]
    sizes: list[int] = []
    planned = 0
    while planned < seeder.target["residents"]:
        sizes.append(seeder.people.household_size())
        planned += sizes[-1]
    # Every group gets one household, the rest by weight (largest remainder); communities
    # are denser than villages.
    kind_of = {v.code: v.kind for v in seeder.villages}
    weights = [
        rng.uniform(0.4, 1.6) * (1.5 if kind_of[_village_code(g)] == AreaKind.COMMUNITY else 1.0)
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


def seed(seeder: Seeder) -> None:
    """Households sized from the scale, and their members, village by village."""
    plan, empty_groups = _allocate(seeder)
    seeder.say(
        f"households planned: {sum(len(s) for s in plan.values()):,} in "
        f"{len(plan)} groups ({len(empty_groups)} groups left without a household)"
    )
    groups_by_village: dict[str, list[Area]] = {}
    for group in seeder.groups:
        groups_by_village.setdefault(_village_code(group), []).append(group)
    # Screening returns arrive village by village from every town, not town by town.
    order = list(seeder.villages)
    seeder.rng.shuffle(order)
    pending: list[_HouseholdPlan] = []
    seeder.counts["households"] = seeder.counts["residents"] = 0
    reported = 0  # tenths of the residents reported so far
    for village in order:
        for group in groups_by_village.get(village.code, []):
            for number, size in enumerate(plan.get(group.pk, []), start=1):
                pending.append(_household(seeder, village, group, number, size))
        if len(pending) >= BATCH_SIZE:
            reported = _flush(seeder, pending, reported)
            pending = []
    _flush(seeder, pending, reported)


def _household(
    seeder: Seeder, village: Area, group: Area, number: int, size: int
) -> _HouseholdPlan:
    rng = seeder.rng
    community = village.kind == AreaKind.COMMUNITY
    if community:
        address = (
            f"{rng.choice(names.ROADS)}{rng.randint(1, 1999)}号{rng.randint(1, 30)}栋"
            f"{rng.randint(1, 4)}单元{rng.randint(1, 28)}{rng.randint(1, 4):02d}室"
        )
    else:
        address = f"{village.name}{group.name}{number}号"
    origin = seeder.people.household_origin(community) if size else Origin.LOCAL
    members = seeder.people.household(size, origin) if size else []
    household = Household(area=group, number=f"{number:04d}", address=address)
    return _HouseholdPlan(household, members)


def _flush(seeder: Seeder, pending: list[_HouseholdPlan], reported: int) -> int:
    """Write a batch; say so at each further tenth of the residents. Returns the tenths said."""
    if not pending:
        return reported
    Household.objects.bulk_create((p.household for p in pending), batch_size=BATCH_SIZE)
    residents = [build_resident(p.household, m) for p in pending for m in p.members]
    Resident.objects.bulk_create(residents, batch_size=BATCH_SIZE)
    seeder.counts["households"] += len(pending)
    seeder.counts["residents"] += len(residents)
    done = seeder.counts["residents"] * 10 // seeder.target["residents"]
    if done > reported:
        reported = done
        seeder.say(
            f"residents {seeder.counts['residents']:,} / {seeder.target['residents']:,} "
            f"in {seeder.counts['households']:,} households"
        )
    return reported
