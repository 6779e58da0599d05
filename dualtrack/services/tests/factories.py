"""Building the government services' records through their services, as users would."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dualtrack.areas.models import Area
from dualtrack.core.models import User
from dualtrack.services.models import Counter, Department, Matter, Slot
from dualtrack.services.services import bookings, catalogue

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "doc.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def not_a_pdf(name: str = "doc.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"MZ\x90\x00 not a document", content_type="application/pdf")


def department(
    admin: User, area: Area, *, name: str = "区人社局", staff: list[User] | None = None
) -> Department:
    return catalogue.department_create(actor=admin, name=name, area=area, staff=staff or [])


def matter(
    admin: User,
    dept: Department,
    *,
    name: str = "失业保险金申领",
    documents: list[str] | None = None,
    channels: list[str] | None = None,
    days: int = 5,
) -> Matter:
    return catalogue.matter_create(
        actor=admin,
        department=dept,
        name=name,
        documents=["身份证", "申请表"] if documents is None else documents,
        channels=channels or ["online", "post", "phone", "appointment"],
        time_limit_days=days,
    )


def counter(admin: User, dept: Department, *, name: str = "1号窗口") -> Counter:
    return catalogue.counter_create(actor=admin, department=dept, name=name, place="政务中心一楼")


def slot(
    actor: User, ctr: Counter, *, capacity: int = 3, days_ahead: int = 1, hour: int = 9
) -> Slot:
    return bookings.slot_open(
        actor=actor,
        counter=ctr,
        day=timezone.localdate() + datetime.timedelta(days=days_ahead),
        starts_at=datetime.time(hour),
        ends_at=datetime.time(hour, 30),
        capacity=capacity,
    )
