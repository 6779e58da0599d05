"""The demo district's point-to-point transport (issue 15): a dozen chartered trips — buses from
Jiangxi's counties and neighbouring provinces, one train carriage, one flight — with their
riders and declarations, the earlier ones boarded and arrived on their own day at a checkpoint of
the persona village (their passages there at that time), today's boarding, the later ones
planned, and a few self-travel tickets.

Through the services, as people make them (a few hundred riders at most): the group plans,
each enterprise's login puts its workers on, the group boards, the village cadre checks the
arrival off (which registers the passages at the checkpoint and puts the riders on the
rosters)."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dualtrack.areas.models import Gender
from dualtrack.checkpoints.models import Checkpoint, CheckpointStatus
from dualtrack.core.models import User
from dualtrack.demo.people import Origin
from dualtrack.enterprises.models import Employee, Enterprise
from dualtrack.jobs.models import Trip, TripMode
from dualtrack.jobs.services import tickets, transport

if TYPE_CHECKING:
    from dualtrack.demo.seeder import Seeder

# (mode, place of origin, region code, days from today, seats, cost in yuan)
TRIPS = (
    (TripMode.BUS, "江西省赣州市于都县", "360731", -9, 45, "9800"),
    (TripMode.BUS, "江西省赣州市兴国县", "360732", -8, 45, "9200"),
    (TripMode.BUS, "江西省赣州市宁都县", "360730", -7, 45, "9600"),
    (TripMode.BUS, "江西省赣州市瑞金市", "360781", -6, 53, "10500"),
    (TripMode.BUS, "江西省上饶市鄱阳县", "361128", -5, 45, "5200"),
    (TripMode.BUS, "江西省上饶市余干县", "361127", -4, 45, "4800"),
    (TripMode.BUS, "江西省九江市都昌县", "360428", -3, 39, "4500"),
    (TripMode.BUS, "湖南省邵阳市隆回县", "430524", -2, 53, "12800"),
    (TripMode.BUS, "湖北省黄冈市浠水县", "421125", -1, 45, "9900"),
    (TripMode.TRAIN, "重庆市万州区", "500101", 0, 118, "36000"),
    (TripMode.BUS, "福建省泉州市", "350500", 1, 53, "11800"),
    (TripMode.FLIGHT, "黑龙江省哈尔滨市", "230100", 3, 156, "198000"),
)
RIDERS_PER_TRIP = 24  # at scale 1
TICKETS = 8


def seed(seeder: Seeder, enterprises: list[Enterprise], logins: dict[int, int]) -> None:
    rng = seeder.rng
    group = seeder.users["wg_enterprise"]
    cadre = next(u for name, u in seeder.users.items() if name.startswith("cadre_"))
    gate = (
        Checkpoint.objects.filter(area__code__startswith=seeder.persona_village.code)
        .filter(status=CheckpointStatus.OPEN)
        .select_related("area")
        .order_by("pk")
        .first()
    )
    with_login = [e for e in enterprises if e.pk in logins]
    if gate is None or not with_login:
        return
    users = User.objects.in_bulk({logins[e.pk] for e in with_login})
    today = timezone.localdate()
    riders = 0
    per_trip = max(2, round(RIDERS_PER_TRIP * seeder.scale))
    for mode, origin, code, days, seats, cost in TRIPS:
        riding = rng.sample(with_login, min(3, len(with_login)))
        trip = transport.trip_plan(
            actor=group,
            mode=mode,
            origin=origin,
            origin_code=code,
            date=today + datetime.timedelta(days=days),
            capacity=seats,
            cost=cost,
            checkpoint=gate,
            enterprises=riding,
        )
        added = []
        for n in range(min(per_trip, seats)):
            enterprise = riding[n % len(riding)]
            added.append(_rider(seeder, users[logins[enterprise.pk]], trip, enterprise, code))
        riders += len(added)
        if days > 0:
            continue  # planned
        if days == 0:  # today's: boarding since the morning (or since now, before dawn)
            ahead = datetime.timedelta(seconds=20 * len(added))
            boarded = min(timezone.now() - ahead, _local(trip.date, 7, 30))
        else:  # a past trip boarded and arrived on its own day
            boarded = _local(trip.date, 6, rng.randint(0, 50))
        for n, rider in enumerate(added):
            at = boarded + datetime.timedelta(seconds=20 * n)
            transport.rider_board(actor=group, rider=rider, at=at)
        if days < 0:
            arrived = _local(trip.date, rng.randint(12, 17), rng.randint(0, 59))
            transport.trip_arrive(actor=cadre, trip=trip, at=arrived)
    made = _tickets(seeder, with_login, users, logins, today)
    seeder.counts["transport_trips"] = len(TRIPS)
    seeder.counts["transport_riders"] = riders
    seeder.say(f"transport: {len(TRIPS)} trips, {riders:,} riders, {made} self-travel tickets")


def _local(day: datetime.date, hour: int, minute: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _rider(seeder: Seeder, user: User, trip: Trip, enterprise: Enterprise, code: str) -> Any:
    rng = seeder.rng
    gender = rng.choice((Gender.MALE, Gender.FEMALE))
    birth = seeder.people.birth_date(rng.randint(19, 52))
    from_hubei = code.startswith("42")
    origin = Origin.HUBEI if from_hubei else Origin.PROVINCE
    return transport.rider_add(
        actor=user,
        trip=trip,
        enterprise=enterprise,
        name=seeder.people.name(gender, birth.year),
        id_number=seeder.people.id_number(origin, birth, gender),
        mobile=seeder.people.mobile(),
        temperature=str(Decimal("36.0") + Decimal(rng.randint(0, 8)) / 10),
        symptoms="",
        risk_stay_code=code if from_hubei else "",
        risk_stay_on=trip.date - datetime.timedelta(days=1) if from_hubei else None,
    )


def _ticket_image() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (240, 120), (230, 240, 250)).save(buffer, format="PNG")
    return buffer.getvalue()


def _tickets(
    seeder: Seeder,
    enterprises: list[Enterprise],
    users: dict[int, User],
    logins: dict[int, int],
    today: datetime.date,
) -> int:
    rng = seeder.rng
    image = _ticket_image()
    made = 0
    routes = ("赣州—南昌 G1598", "上饶—南昌 D6502", "长沙—南昌 G1372", "九江—南昌 D6282")
    for enterprise in enterprises[:TICKETS]:
        employee = Employee.objects.filter(enterprise=enterprise).order_by("pk").first()
        if employee is None:
            continue
        user = users[logins[enterprise.pk]]
        ticket = tickets.ticket_upload(
            actor=user,
            employee=employee,
            route=rng.choice(routes),
            travel_date=today - datetime.timedelta(days=rng.randint(1, 12)),
            fare=f"{rng.randint(40, 260)}.50",
            file=SimpleUploadedFile("ticket.png", image),
        )
        if made % 2 == 0:
            tickets.ticket_confirm(actor=user, ticket=ticket)
        made += 1
    return made
