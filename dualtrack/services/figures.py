"""The government services' figures, per matter and per department within the user's sight:
volume by channel, time to finish (working days from the first day counted to done, less those
paused waiting for more documents), overdue (open past the due day, or finished after it; the
limit does not run while a request waits for more documents) and the applicants' rating; and
the board's figures of a day."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from dualtrack.core.models import User
from dualtrack.core.platform import Figure
from dualtrack.services import access
from dualtrack.services.models import OPEN_STATUSES, REQUEST_CHANNELS, ServiceRequestStatus
from dualtrack.services.services.calendar import calendar


@dataclass
class Tally:
    key: int
    label: str
    by_channel: dict[str, int] = field(default_factory=dict)
    total: int = 0
    done: int = 0
    overdue: int = 0
    finish_days: list[int] = field(default_factory=list)
    rating: Decimal | None = None
    ratings: int = 0

    @property
    def mean_days(self) -> Decimal | None:
        if not self.finish_days:
            return None
        return (Decimal(sum(self.finish_days)) / len(self.finish_days)).quantize(Decimal("0.1"))

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.key,
            "label": self.label,
            "by_channel": self.by_channel,
            "total": self.total,
            "done": self.done,
            "overdue": self.overdue,
            "mean_days_to_finish": self.mean_days,
            "rating": self.rating,
            "ratings": self.ratings,
        }


@dataclass
class ServiceFigures:
    by_matter: list[Tally]
    by_department: list[Tally]


def overdue(
    status: str,
    due: datetime.date | None,
    closed_day: datetime.date | None,
    paused_on: datetime.date | None,
    today: datetime.date,
) -> bool:
    """``ServiceRequest.is_overdue`` on a row's values: open past the due day (a request
    waiting for more documents only if it paused past it), or finished after it."""
    if due is None:
        return False
    if status == ServiceRequestStatus.NEEDS_MORE and paused_on is not None:
        return paused_on > due
    if status in OPEN_STATUSES:
        return today > due
    return status == ServiceRequestStatus.DONE and closed_day is not None and closed_day > due


def overdue_q(day: datetime.date) -> Q:
    """Open past the due day on ``day``, as a condition (the same rule as ``overdue``)."""
    return Q(status__in=OPEN_STATUSES, due_on__lt=day) & ~Q(
        status=ServiceRequestStatus.NEEDS_MORE, paused_on__lte=F("due_on")
    )


def service_figures(*, user: User) -> ServiceFigures:
    """Every figure from the requests in the user's sight."""
    today = timezone.localdate()
    cal = calendar()
    matters: dict[int, Tally] = {}
    departments: dict[int, Tally] = {}
    rows = access.requests_visible(user).values_list(
        "matter_id",
        "matter__name",
        "matter__department_id",
        "matter__department__name",
        "channel",
        "status",
        "clock_starts_on",
        "due_on",
        "closed_at",
        "paused_on",
        "paused_days",
    )
    for (
        mid,
        mname,
        did,
        dname,
        channel,
        status,
        first,
        due,
        closed,
        paused_on,
        paused,
    ) in rows.iterator():
        closed_day = timezone.localtime(closed).date() if closed else None
        late = overdue(status, due, closed_day, paused_on, today)
        for tally in (
            matters.setdefault(mid, Tally(mid, mname)),
            departments.setdefault(did, Tally(did, dname)),
        ):
            tally.total += 1
            tally.by_channel[channel] = tally.by_channel.get(channel, 0) + 1
            if status == ServiceRequestStatus.DONE and first is not None and closed_day is not None:
                tally.done += 1
                tally.finish_days.append(
                    max(cal.working_days_between(first, closed_day) - paused, 0)
                )
            tally.overdue += late
    ratings = (
        access.requests_visible(user)
        .filter(rating__isnull=False)
        .values("matter_id", "matter__department_id")
        .annotate(n=Count("pk"), mean=Avg("rating"))
    )
    sums: dict[tuple[str, int], list[Decimal]] = {}
    for row in ratings:
        for kind, key in (("m", row["matter_id"]), ("d", row["matter__department_id"])):
            entry = sums.setdefault((kind, key), [Decimal(0), Decimal(0)])
            entry[0] += Decimal(str(row["mean"])) * row["n"]
            entry[1] += row["n"]
    for (kind, key), (total, n) in sums.items():
        tally = (matters if kind == "m" else departments)[key]
        tally.rating = (total / n).quantize(Decimal("0.01"))
        tally.ratings = int(n)
    return ServiceFigures(
        by_matter=sorted(matters.values(), key=lambda t: (-t.total, t.label)),
        by_department=sorted(departments.values(), key=lambda t: (-t.total, t.label)),
    )


def channels() -> tuple[str, ...]:
    return tuple(str(c) for c in REQUEST_CHANNELS)


def _day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return start, start + datetime.timedelta(days=1)


def board_figures(*, user: User, day: datetime.date) -> list[Figure]:
    """Requests filed and finished on ``day`` and open past their due day, in the user's sight;
    none for a user who sees no request."""
    if not user.is_authenticated:
        return []
    visible = access.requests_visible(user)
    if not visible.exists():
        return []
    start, end = _day_bounds(day)
    counts = visible.aggregate(
        filed=Count("pk", filter=Q(filed_at__gte=start, filed_at__lt=end)),
        done=Count(
            "pk",
            filter=Q(status=ServiceRequestStatus.DONE, closed_at__gte=start, closed_at__lt=end),
        ),
        overdue=Count("pk", filter=overdue_q(day)),
    )
    link = reverse("services_figures")
    return [
        Figure(
            key="services.filed", label=gettext("Requests filed"), value=counts["filed"], link=link
        ),
        Figure(
            key="services.done", label=gettext("Requests done"), value=counts["done"], link=link
        ),
        Figure(
            key="services.overdue",
            label=gettext("Requests overdue"),
            value=counts["overdue"],
            link=link,
        ),
    ]
