"""The employment services' figures: postings, positions wanted, applications, interviews and
hires, per fair and per enterprise, within the user's sight; and the board's figures of a day."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from dualtrack.areas.scoping import scope_for
from dualtrack.core.models import User
from dualtrack.core.platform import Figure
from dualtrack.enterprises.access import enterprise_of_user
from dualtrack.jobs import access
from dualtrack.jobs.models import INTERVIEWED_STATUSES, ApplicationStatus

TOP_ENTERPRISES = 30


@dataclass
class Tally:
    key: int | None
    label: str
    postings: int = 0
    positions: int = 0
    applications: int = 0
    interviews: int = 0
    hires: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.key,
            "label": self.label,
            "postings": self.postings,
            "positions": self.positions,
            "applications": self.applications,
            "interviews": self.interviews,
            "hires": self.hires,
        }


@dataclass
class RecruitmentFigures:
    total: Tally
    by_fair: list[Tally] = field(default_factory=list)
    by_enterprise: list[Tally] = field(default_factory=list)
    fair_id: int | None = None


def _tallies(user: User, group: str, label: str, fair_id: int | None) -> dict[int | None, Tally]:
    postings = access.postings_visible(user)
    applications = access.applications_visible(user)
    if fair_id is not None:
        postings = postings.filter(fair_id=fair_id)
        applications = applications.filter(fair_id=fair_id)
    tallies: dict[int | None, Tally] = {}
    for row in postings.values(group, label).annotate(n=Count("pk"), wanted=Sum("positions")):
        tally = tallies.setdefault(row[group], Tally(row[group], row[label] or ""))
        tally.postings, tally.positions = row["n"], row["wanted"] or 0
    for row in applications.values(group, label).annotate(
        n=Count("pk"),
        interviewed=Count("pk", filter=Q(status__in=INTERVIEWED_STATUSES)),
        hired=Count("pk", filter=Q(status=ApplicationStatus.HIRED)),
    ):
        tally = tallies.setdefault(row[group], Tally(row[group], row[label] or ""))
        tally.applications, tally.interviews, tally.hires = (
            row["n"],
            row["interviewed"],
            row["hired"],
        )
    return tallies


def recruitment_figures(*, user: User, fair_id: int | None = None) -> RecruitmentFigures:
    by_fair = _tallies(user, "fair_id", "fair__title", fair_id)
    by_enterprise = _tallies(user, "enterprise_id", "enterprise__name", fair_id)
    total = Tally(None, gettext("Total"))
    for tally in by_fair.values():
        total.postings += tally.postings
        total.positions += tally.positions
        total.applications += tally.applications
        total.interviews += tally.interviews
        total.hires += tally.hires
    standing = by_fair.get(None)
    if standing is not None:
        standing.label = gettext("Standing postings")
    enterprises = sorted(by_enterprise.values(), key=lambda t: (-t.hires, -t.applications, t.label))
    return RecruitmentFigures(
        total=total,
        by_fair=sorted(by_fair.values(), key=lambda t: (t.key is None, -(t.key or 0))),
        by_enterprise=enterprises[:TOP_ENTERPRISES],
        fair_id=fair_id,
    )


def chart_data(figures: RecruitmentFigures) -> dict[str, Any]:
    return {
        "fairs": [t.as_dict() for t in figures.by_fair],
        "enterprises": [t.as_dict() for t in figures.by_enterprise],
    }


def _day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return start, start + datetime.timedelta(days=1)


def board_figures(*, user: User, day: datetime.date) -> list[Figure]:
    """The applications verified and the hires recorded on ``day`` at the enterprises in the
    user's sight; none for a user who sees no enterprise."""
    if not scope_for(user).codes() and enterprise_of_user(user) is None:
        return []
    start, end = _day_bounds(day)
    counts = access.applications_visible(user).aggregate(
        applications=Count("pk", filter=Q(verified_at__gte=start, verified_at__lt=end)),
        hires=Count("pk", filter=Q(hired_at__gte=start, hired_at__lt=end)),
    )
    link = reverse("employment_figures")
    return [
        Figure(
            key="jobs.applications",
            label=gettext("Job applications"),
            value=counts["applications"],
            link=link,
        ),
        Figure(key="jobs.hires", label=gettext("Hires"), value=counts["hires"], link=link),
    ]
