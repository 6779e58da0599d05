"""The demo district's government services without meeting (issue 17): a catalogue of matters
of four departments, three service counters with slots over the past and the next week and
their bookings, and a few hundred requests online, by post and by phone over the past four
weeks — most finished and rated, some open, a few past their due day, a few refused.

The catalogue goes through the services (a few rows); the requests, their history and the
bookings are bulk inserts, their deadlines computed by the same working-day calendar the
services use. Every figure the pages show is computed from these rows."""

from __future__ import annotations

import datetime
import secrets
from typing import TYPE_CHECKING

from django.utils import timezone

from dualtrack.areas.models import Gender
from dualtrack.core.crypto import lookup_digest
from dualtrack.services.models import (
    Booking,
    Channel,
    Counter,
    Matter,
    RequestEvent,
    ServiceRequest,
    ServiceRequestStatus,
    Slot,
)
from dualtrack.services.services.calendar import calendar
from dualtrack.services.services.catalogue import counter_create, department_create, matter_create
from dualtrack.services.services.requests import link_digest

if TYPE_CHECKING:
    from dualtrack.demo.seeder import Seeder

REQUESTS = 600  # at scale 1
DAYS = 28

ALL = ["online", "post", "phone", "appointment"]
CATALOGUE = {
    "区行政审批局": [
        ("企业开办登记", ["营业执照申请书", "法定代表人身份证", "住所证明"], ALL, 3),
        (
            "食品经营许可",
            ["申请书", "营业执照", "场所平面图"],
            ["online", "post", "appointment"],
            10,
        ),
        ("建设工程施工许可", ["申请表", "用地批准文件", "施工合同"], ["online", "post"], 7),
    ],
    "区人力资源和社会保障局": [
        ("失业保险金申领", ["身份证", "解除劳动合同证明"], ALL, 5),
        ("稳岗返还申请", ["申请表", "营业执照"], ["online", "post", "phone"], 10),
        ("社会保险登记", ["身份证"], ALL, 2),
    ],
    "区市场监督管理局": [
        ("股东变更登记", ["变更登记申请书", "股东会决议"], ["online", "post", "appointment"], 5),
        ("医疗器械经营备案", ["备案表", "营业执照", "质量管理制度"], ["online", "post"], 5),
    ],
}
TOWN_MATTERS = [
    ("居住证办理", ["身份证", "居住证明"], ["online", "post", "phone", "appointment"], 7)
]
COMMENTS = ["不用跑腿，很方便", "办理很快", "工作人员耐心", "", "", "邮寄也很顺利"]


def seed(seeder: Seeder) -> None:
    """Departments, matters, counters, slots, bookings and requests around today."""
    admin = seeder.users["admin"]
    clerk = seeder.users["clerk"]  # a services clerk over the district: every department
    matters: list[Matter] = []
    counters = []
    for name, items in CATALOGUE.items():
        dept = department_create(actor=admin, name=name, area=seeder.root, staff=[clerk])
        for matter, docs, channels, days in items:
            matters.append(
                matter_create(
                    actor=admin,
                    department=dept,
                    name=matter,
                    documents=docs,
                    channels=channels,
                    time_limit_days=days,
                )
            )
        counters.append(
            counter_create(
                actor=admin, department=dept, name="综合窗口", place="区政务服务中心一楼"
            )
        )
    town = seeder.towns[0]
    town_dept = department_create(
        actor=admin, name=f"{town.name}便民服务中心", area=town, staff=[clerk]
    )
    for matter, docs, channels, days in TOWN_MATTERS:
        matters.append(
            matter_create(
                actor=admin,
                department=town_dept,
                name=matter,
                documents=docs,
                channels=channels,
                time_limit_days=days,
            )
        )
    counters.append(
        counter_create(actor=admin, department=town_dept, name="1号窗口", place=town.name)
    )
    slots = _slots(seeder, counters)
    bookings = _bookings(seeder, slots, matters)
    requests = _requests(seeder, matters)
    seeder.counts.update(
        {"service_requests": requests, "service_slots": len(slots), "service_bookings": bookings}
    )
    seeder.say(f"{requests} service requests, {len(slots)} slots, {bookings} appointments")


def _person(seeder: Seeder) -> tuple[str, str]:
    gender = seeder.rng.choice((Gender.MALE, Gender.FEMALE))
    return seeder.people.name(gender, seeder.rng.randint(1960, 2000)), seeder.people.mobile()


def _slots(seeder: Seeder, counters: list[Counter]) -> list[Slot]:
    today = timezone.localdate()
    cal = calendar()
    rows = []
    for counter in counters:
        for offset in range(-7, 8):
            day = today + datetime.timedelta(days=offset)
            if not cal.is_working_day(day):
                continue
            for hour in (9, 10, 14, 15):
                rows.append(
                    Slot(
                        counter=counter,
                        day=day,
                        starts_at=datetime.time(hour),
                        ends_at=datetime.time(hour, 50),
                        capacity=seeder.rng.choice((4, 6, 8)),
                    )
                )
    return Slot.objects.bulk_create(rows)


def _bookings(seeder: Seeder, slots: list[Slot], matters: list[Matter]) -> int:
    rng = seeder.rng
    rows = []
    for slot in slots:
        own = [m for m in matters if m.department_id == slot.counter.department_id]
        taken = rng.randint(0, slot.capacity)
        if rng.random() < 0.15:
            taken = slot.capacity  # some slots full
        for _ in range(taken):
            name, mobile = _person(seeder)
            token = secrets.token_urlsafe(24)
            rows.append(
                Booking(
                    slot=slot,
                    matter=rng.choice(own),
                    name=name,
                    mobile=mobile,
                    mobile_digest=lookup_digest(mobile),
                    link_token=token,
                    link_digest=link_digest(token),
                )
            )
        slot.booked = taken
    Booking.objects.bulk_create(rows, batch_size=1000)
    Slot.objects.bulk_update(slots, ["booked"], batch_size=1000)
    return len(rows)


def _requests(seeder: Seeder, matters: list[Matter]) -> int:
    rng = seeder.rng
    cal = calendar()
    now = timezone.now()
    total = max(20, round(REQUESTS * seeder.scale))
    rows: list[ServiceRequest] = []
    plans: list[list[tuple[str, datetime.datetime, str]]] = []
    steps: list[tuple[str, datetime.datetime, str]]
    for _ in range(total):
        matter = rng.choice(matters)
        channel = rng.choice([c for c in matter.channels if c != Channel.APPOINTMENT])
        filed = now - datetime.timedelta(days=rng.uniform(0, DAYS))
        if rng.random() < 0.2:  # filed at night: accepted at once, counted from the next day
            local = timezone.localtime(filed)
            filed = local.replace(hour=rng.choice((20, 21, 22, 23)), minute=rng.randint(0, 59))
            if filed > now:
                filed -= datetime.timedelta(days=1)
        name, mobile = _person(seeder)
        token = secrets.token_urlsafe(24)
        request = ServiceRequest(
            matter=matter,
            channel=channel,
            applicant_name=name,
            mobile=mobile,
            link_token=token,
            link_digest=link_digest(token),
            filed_at=filed,
            documents_received=list(matter.documents) if channel != Channel.POST else [],
        )
        steps = [(ServiceRequestStatus.AWAITING_POST, filed, "")] if channel == Channel.POST else []
        accepted = filed + datetime.timedelta(days=rng.uniform(1, 3)) if steps else filed
        if accepted > now:
            request.status = ServiceRequestStatus.AWAITING_POST
            rows.append(request)
            plans.append(steps)
            continue
        if channel == Channel.POST:
            request.postal_tracking_no = f"SF{rng.randint(10**11, 10**12 - 1)}"
            request.documents_received = list(matter.documents)
        request.accepted_at = accepted
        request.clock_starts_on = cal.counted_from(timezone.localtime(accepted))
        request.due_on = cal.due_on(request.clock_starts_on, matter.time_limit_days)
        steps.append((ServiceRequestStatus.ACCEPTED, accepted, request.postal_tracking_no))
        age = (now - accepted).days
        finish = accepted + datetime.timedelta(days=rng.uniform(0.5, matter.time_limit_days * 1.6))
        if finish < now and age > 1:
            working = accepted + (finish - accepted) / 3
            steps.append((ServiceRequestStatus.IN_PROGRESS, working, ""))
            if rng.random() < 0.06:
                reason = "材料不符合要求"
                request.status, request.refusal_reason = ServiceRequestStatus.REFUSED, reason
                steps.append((ServiceRequestStatus.REFUSED, finish, reason))
            else:
                request.status = ServiceRequestStatus.DONE
                steps.append((ServiceRequestStatus.DONE, finish, ""))
                if rng.random() < 0.7:
                    request.rating = rng.choices((5, 4, 3, 2), (60, 25, 10, 5))[0]
                    request.rating_comment = rng.choice(COMMENTS)
            request.closed_at = finish
        elif rng.random() < 0.5:
            request.status = ServiceRequestStatus.IN_PROGRESS
            steps.append((ServiceRequestStatus.IN_PROGRESS, accepted + (now - accepted) / 2, ""))
        elif rng.random() < 0.3:
            request.status = ServiceRequestStatus.NEEDS_MORE
            paused = accepted + (now - accepted) / 2
            request.paused_on = timezone.localtime(paused).date()
            steps.append((ServiceRequestStatus.NEEDS_MORE, paused, "请补充材料原件"))
        else:
            request.status = ServiceRequestStatus.ACCEPTED
        rows.append(request)
        plans.append(steps)
    created = ServiceRequest.objects.bulk_create(rows, batch_size=500)
    events = []
    for request, steps in zip(created, plans, strict=True):
        request.tracking_no = f"FW{timezone.localtime(request.filed_at):%Y%m%d}{request.pk:06d}"
        events += [
            RequestEvent(request=request, status=s, at=at, note=note) for s, at, note in steps
        ]
    ServiceRequest.objects.bulk_update(created, ["tracking_no"], batch_size=500)
    RequestEvent.objects.bulk_create(events, batch_size=1000)
    return len(created)
