"""The demo district's quarantine (issue 13): three centralised sites in three towns, home
orders spread over the villages, their twice-daily checks up to now, a few with checks missed
since yesterday (some in the persona village, for its cadre's inbox), and a few released with
their notices; the site staff persona on the first site's staff.

Everything is written in bulk and around today's date, as the checkpoints' passages are; like
every step it writes no audit entries (the seeding's one entry records it).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone

from dualtrack.areas.models import Resident
from dualtrack.core.crypto import lookup_digest
from dualtrack.health.models import (
    CheckPeriod,
    OrderChange,
    OrderChangeKind,
    OrderSource,
    OrderStatus,
    PersonKind,
    QuarantineCheck,
    QuarantineKind,
    QuarantineOrder,
    QuarantineSite,
    QuarantineSiteStaff,
)

if TYPE_CHECKING:
    from dualtrack.demo.seeder import Seeder

BATCH = 2000
SITE_STAFF_LOGIN = "site_changdong"
SITES = (
    ("高新区集中隔离点一号", "昌东大道 88 号（原锦江之星酒店）", 60, 60),
    ("高新区集中隔离点二号", "麻丘镇培训中心", 40, 48),
    ("高新区集中隔离点三号", "鲤鱼洲宾馆", 30, 36),
)
REASONS = {
    OrderSource.SCREENING: "入户摸排：14 天内自湖北返回",
    OrderSource.CHECKPOINT: "卡点登记：来自中高风险地区",
    OrderSource.ROSTER: "企业返岗人员：返回未满 14 天",
    OrderSource.CONTACT: "确诊病例的密切接触者",
}
SYMPTOM_FREE = ""
HOME_ORDERS = 120  # at scale 1
SITE_ORDERS = 70
RELEASED = 12
MISSED = 6  # active orders whose last checks were not recorded
PERSONA_VILLAGE_ORDERS = 5


def seed(seeder: Seeder) -> None:
    """Sites, orders, checks, changes; occupancy kept equal to the active site orders."""
    rng = seeder.rng
    now = timezone.now()
    today = timezone.localdate(now)
    sites = _sites(seeder)
    scale = min(seeder.scale, 5.0)
    wanted = max(round((HOME_ORDERS + SITE_ORDERS + RELEASED) * scale), 24)
    residents = _residents(seeder, wanted)
    persona = [r for r in residents if r.area.code.startswith(seeder.persona_village.code)][
        :PERSONA_VILLAGE_ORDERS
    ]
    others = [r for r in residents if r not in persona]
    released_n = max(round(RELEASED * scale), 3)
    site_n = min(max(round(SITE_ORDERS * scale), 6), sum(s.capacity for s in sites) - 3)
    released, others = others[:released_n], others[released_n:]
    at_sites, at_home = others[:site_n], [*persona, *others[site_n:]]
    days = settings.QUARANTINE_DAYS
    orders: list[QuarantineOrder] = []
    for resident in released:
        starts = today - datetime.timedelta(days=rng.randint(days + 2, days + 8))
        orders.append(_order(seeder, resident, starts, None, OrderStatus.RELEASED))
    places = [s for s in sites for _ in range(s.capacity)]
    rng.shuffle(places)
    for resident in at_sites:
        starts = today - datetime.timedelta(days=rng.randint(0, days - 1))
        orders.append(_order(seeder, resident, starts, places.pop(), OrderStatus.ACTIVE))
    for resident in at_home:
        starts = today - datetime.timedelta(days=rng.randint(0, days - 1))
        orders.append(_order(seeder, resident, starts, None, OrderStatus.ACTIVE))
    QuarantineOrder.objects.bulk_create(orders, batch_size=BATCH)
    _after_create(orders)
    missed = {o.pk for o in orders[released_n + site_n :][:2]}  # two in the persona village
    actives = [o for o in orders if o.status == OrderStatus.ACTIVE and o.pk not in missed]
    missed |= {o.pk for o in rng.sample(actives, min(MISSED - len(missed), len(actives)))}
    checks = _checks(seeder, orders, missed, now)
    QuarantineCheck.objects.bulk_create(checks, batch_size=BATCH)
    changes = [
        OrderChange(
            order=o,
            kind=OrderChangeKind.RELEASED,
            reason="隔离期满，核酸检测阴性，无异常症状",
            changed_by=seeder.users.get("cadre_aixi"),
            changed_at=o.closed_at or now,
        )
        for o in orders
        if o.status == OrderStatus.RELEASED
    ]
    OrderChange.objects.bulk_create(changes, batch_size=BATCH)
    for site in sites:
        site.occupied = sum(
            1 for o in orders if o.site_id == site.pk and o.status == OrderStatus.ACTIVE
        )
    QuarantineSite.objects.bulk_update(sites, ["occupied"])
    staff = seeder.users.get(SITE_STAFF_LOGIN)
    if staff is not None:
        QuarantineSiteStaff.objects.create(site=sites[0], user=staff)
    seeder.counts["quarantine_sites"] = len(sites)
    seeder.counts["quarantine_orders"] = len(orders)
    seeder.counts["quarantine_checks"] = len(checks)
    seeder.say(
        f"quarantine: {len(sites)} sites, {len(orders)} orders ({site_n} at sites, "
        f"{len(at_home)} at home, {released_n} released), {len(checks)} checks, "
        f"{len(missed)} with checks missed"
    )


def _sites(seeder: Seeder) -> list[QuarantineSite]:
    sites = [
        QuarantineSite(
            area=seeder.towns[i % len(seeder.towns)],
            name=name,
            address=address,
            rooms=rooms,
            capacity=capacity,
            phone=f"0791-8876{i:04d}",
        )
        for i, (name, address, rooms, capacity) in enumerate(SITES)
    ]
    QuarantineSite.objects.bulk_create(sites)
    return sites


def _residents(seeder: Seeder, wanted: int) -> list[Resident]:
    """Random residents, by sampling ids (no ORDER BY RANDOM over the whole table), and a few
    of the persona village's first."""
    rng = seeder.rng
    persona = list(
        Resident.objects.filter(area__code__startswith=seeder.persona_village.code)
        .select_related("area", "household")
        .order_by("pk")[:PERSONA_VILLAGE_ORDERS]
    )
    ids = list(Resident.objects.order_by("pk").values_list("pk", flat=True))
    taken = {r.pk for r in persona}
    pool = [pk for pk in rng.sample(ids, min(len(ids), wanted * 2)) if pk not in taken]
    rest = list(
        Resident.objects.filter(pk__in=pool[: wanted - len(persona)]).select_related(
            "area", "household"
        )
    )
    rest.sort(key=lambda r: r.pk)
    return [*persona, *rest]


def _order(
    seeder: Seeder,
    resident: Resident,
    starts: datetime.date,
    site: QuarantineSite | None,
    status: str,
) -> QuarantineOrder:
    rng = seeder.rng
    source = rng.choice(list(REASONS))
    exposure = starts - datetime.timedelta(days=rng.randint(0, 2))
    return QuarantineOrder(
        kind=QuarantineKind.SITE if site else QuarantineKind.HOME,
        site=site,
        room=f"{rng.randint(1, 5)}{rng.randint(1, 20):02d}" if site else "",
        area=resident.area,
        person_kind=PersonKind.RESIDENT,
        resident=resident,
        name=resident.name,
        id_number=resident.id_number,
        id_digest=lookup_digest(resident.id_number),
        phone=resident.phone,
        phone_digest=resident.phone_digest,
        address=resident.household.address,
        reason=REASONS[source],
        source=source,
        last_exposure=exposure,
        starts_on=starts,
        ends_on=exposure + datetime.timedelta(days=settings.QUARANTINE_DAYS),
        status=status,
        created_by=seeder.users.get("cadre_aixi"),
    )


def _local(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(hour), tzinfo=timezone.get_current_timezone()
    )


def _after_create(orders: list[QuarantineOrder]) -> None:
    """Placed on their first morning; the released closed on their last day, with notices."""
    now = timezone.now()
    for order in orders:
        order.created_at = min(_local(order.starts_on, 7), now)
        if order.status == OrderStatus.RELEASED:
            order.closed_at = _local(order.ends_on, 16)
            order.notice_number = f"JG{order.ends_on:%Y}-{order.pk:06d}"
    QuarantineOrder.objects.bulk_update(
        orders, ["created_at", "closed_at", "notice_number"], batch_size=BATCH
    )


def _checks(
    seeder: Seeder, orders: list[QuarantineOrder], missed: set[int], now: datetime.datetime
) -> list[QuarantineCheck]:
    """Every slot of each order's period up to now, at about 8:30 and 15:30; for the orders
    in ``missed``, none of the slots due since yesterday."""
    rng = seeder.rng
    by = seeder.users.get("cadre_aixi")
    flag_from = timezone.localdate(now) - datetime.timedelta(days=1)
    checks = []
    for order in orders:
        last = order.ends_on
        if order.status == OrderStatus.ACTIVE:
            last = min(last, timezone.localdate(now))
        day = order.starts_on
        while day <= last:
            for period, hour in ((CheckPeriod.MORNING, 8), (CheckPeriod.AFTERNOON, 15)):
                at = _local(day, hour) + datetime.timedelta(minutes=rng.randint(0, 90))
                if at > now or (order.pk in missed and day >= flag_from):
                    continue
                self_reported = rng.random() < 0.6
                checks.append(
                    QuarantineCheck(
                        order=order,
                        day=day,
                        period=period,
                        temperature=Decimal(f"{rng.uniform(36.0, 37.1):.1f}"),
                        symptoms=SYMPTOM_FREE,
                        checked_at=at,
                        recorded_by=None if self_reported else by,
                        self_reported=self_reported,
                    )
                )
            day += datetime.timedelta(days=1)
    return checks
