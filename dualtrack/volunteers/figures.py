"""The front line's figures per town for a day: people on duty, of whom volunteers, hours
served (from duties actually worked), and gaps (a shift or duty short of its people); and the
board's figures, through the platform's registration."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from dualtrack.areas.models import Area, AreaKind
from dualtrack.areas.scoping import ROOT_CODE, TOWN_CODE_LENGTH
from dualtrack.checkpoints.selectors.checkpoints import shift_staff_counts_in_area_for
from dualtrack.core.models import User
from dualtrack.core.platform import Figure
from dualtrack.volunteers import access, roster
from dualtrack.volunteers.models import AssignmentStatus, Duty, DutyAssignment, PersonKind


@dataclass
class TownFigures:
    town: Area
    on_duty: int = 0
    volunteers_on_duty: int = 0
    hours: float = 0.0
    gaps: int = 0


def _day(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return start, start + datetime.timedelta(days=1)


def town_figures(*, user: User, day: datetime.date, under: Area | None = None) -> list[TownFigures]:
    """Per town in the user's sight (those under ``under`` alone, when given): who is on duty
    on ``day``, the hours served on the duties of that day that were worked, and the shifts and
    duties short of their people."""
    if not access.sees_front_line(user):
        return []
    start, end = _day(day)
    codes = access.sight_codes(user)
    town_q = Q(pk__in=[])
    for code in codes:
        town_q |= Q(code__startswith=code[:TOWN_CODE_LENGTH])
    if any(len(code) == len(ROOT_CODE) for code in codes):
        town_q = Q(code__startswith=ROOT_CODE)
    prefix = under.code if under is not None else ROOT_CODE
    towns = {
        t.code: TownFigures(t)
        for t in Area.objects.filter(town_q, kind=AreaKind.TOWN, code__startswith=prefix).order_by(
            "code"
        )
    }
    if not towns:
        return []
    town_of = Substr("duty__area__code", 1, TOWN_CODE_LENGTH)
    rows = (
        DutyAssignment.objects.filter(
            access.areas_q(user, "duty__area__"),
            starts_at__lt=end,
            ends_at__gt=start,
            duty__area__code__startswith=prefix,
        )
        .exclude(status=AssignmentStatus.ABSENT)
        .annotate(town=town_of)
        .values("town")
        .annotate(
            people=Count("person_key", distinct=True),
            volunteers=Count(
                "person_key", distinct=True, filter=Q(person_kind=PersonKind.VOLUNTEER)
            ),
            minutes=Sum("worked_minutes", filter=Q(status=AssignmentStatus.WORKED)),
        )
    )
    for row in rows:
        figures = towns.get(row["town"])
        if figures is not None:
            figures.on_duty = row["people"]
            figures.volunteers_on_duty = row["volunteers"]
            figures.hours = round((row["minutes"] or 0) / 60, 1)
    root = under if under is not None else Area.objects.filter(code=ROOT_CODE).first()
    if root is not None:
        _count_gaps(user, towns, start, end, root)
    return list(towns.values())


def _count_gaps(
    user: User,
    towns: dict[str, TownFigures],
    start: datetime.datetime,
    end: datetime.datetime,
    root: Area,
) -> None:
    """Counted from two grouped reads (the duties with their people present, the shifts with
    their staff), rows of numbers and codes only: the wall screen asks for it every few
    seconds."""
    prefix = root.code
    by_shift: dict[int, tuple[int, int]] = {}
    duties = (
        Duty.objects.filter(
            access.areas_q(user),
            starts_at__lt=end,
            ends_at__gt=start,
            area__code__startswith=prefix,
        )
        .annotate(
            present=Count("assignments", filter=~Q(assignments__status=AssignmentStatus.ABSENT))
        )
        .values_list("shift_id", "needed", "present", "area__code")
    )
    for shift_id, needed, present, code in duties:
        if shift_id:
            by_shift[shift_id] = (needed, present)
        elif roster.is_short(needed=needed, people=present):
            _add_gap(towns, code)
    codes = access.sight_codes(user)
    shifts = shift_staff_counts_in_area_for(user=user, area=root, start=start, end=end)
    for pk, code, staff in shifts:
        if not any(code.startswith(c) for c in codes):
            continue
        needed, present = by_shift.get(pk, (roster.DEFAULT_SHIFT_NEEDED, 0))
        if roster.is_short(needed=needed, people=staff + present):
            _add_gap(towns, code)


def _add_gap(towns: dict[str, TownFigures], code: str) -> None:
    figures = towns.get(code[:TOWN_CODE_LENGTH])
    if figures is not None:
        figures.gaps += 1


def board_figures(*, user: User, day: datetime.date) -> list[Figure]:
    """People and volunteers on duty on ``day``, hours served and gaps, summed over the towns
    in the user's sight; none for a user who sees no front line."""
    towns = town_figures(user=user, day=day)
    if not towns:
        return []
    link = reverse("volunteers_figures") + f"?day={day.isoformat()}"
    return [
        Figure(
            "volunteers.on_duty",
            gettext("People on duty"),
            sum(t.on_duty for t in towns),
            gettext("people"),
            link,
        ),
        Figure(
            "volunteers.volunteers_on_duty",
            gettext("Volunteers on duty"),
            sum(t.volunteers_on_duty for t in towns),
            gettext("people"),
            link,
        ),
        Figure(
            "volunteers.hours",
            gettext("Hours served"),
            round(sum(t.hours for t in towns), 1),
            gettext("hours"),
            link,
        ),
        Figure(
            "volunteers.gaps",
            gettext("Duties short of people"),
            sum(t.gaps for t in towns),
            "",
            link,
        ),
    ]
