"""Reading enterprises, always within what the user may see.

District staff see the enterprises of the towns in their scope; an enterprise's own login sees
its enterprise and nothing else (anything else reads as not found).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from dualtrack.areas.models import Area
from dualtrack.areas.scoping import Permission, scope_for
from dualtrack.core.errors import NotFound
from dualtrack.core.models import User
from dualtrack.enterprises import access
from dualtrack.enterprises.access import enterprise_of_user
from dualtrack.enterprises.models import (
    GRANTED_FILING_STATUSES,
    OPEN_FILING_STATUSES,
    DailyReport,
    DistrictPhase,
    Employee,
    Enterprise,
    EnterpriseSignup,
    IndustryDivision,
    Inspection,
    Phase,
    Rectification,
    ResumptionFiling,
    ResumptionStatus,
    SampleDraw,
    SignupStatus,
)


def current_phase(*, on: datetime.date | None = None) -> DistrictPhase:
    """The phase in force on a day: the latest set with an effective date on or before it.
    Before any is set, the district is in strict approval."""
    on = on or timezone.localdate()
    phase = (
        DistrictPhase.objects.filter(effective_from__lte=on)
        .order_by("-effective_from", "-id")
        .first()
    )
    return phase or DistrictPhase(phase=Phase.STRICT, effective_from=on)


def phase_history() -> QuerySet[DistrictPhase]:
    """Every phase set, newest first."""
    return DistrictPhase.objects.select_related("set_by").order_by("-effective_from", "-id")


def division_list() -> QuerySet[IndustryDivision]:
    return IndustryDivision.objects.select_related("sector").order_by("code")


def town_options_for(*, user: User, permission: Permission = Permission.VIEW) -> list[Area]:
    """The towns on which the user holds ``permission``."""
    return access.towns_visible(user, permission)


def enterprise_list_for(
    *,
    user: User,
    town_id: int | None = None,
    status: str = "",
    search: str = "",
    above_scale: bool | None = None,
) -> QuerySet[Enterprise]:
    """Enterprises in the user's scope, filtered."""
    qs = access.enterprises_visible(user)
    if town_id is not None:
        qs = qs.filter(area_id=town_id)
    if status:
        qs = qs.filter(status=status)
    if above_scale is not None:
        qs = qs.filter(above_scale=above_scale)
    search = search.strip()
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(credit_code=search.upper()))
    return qs.select_related("area", "division").order_by("name", "id")


def enterprise_get_for(*, user: User, enterprise_id: int) -> Enterprise:
    """One enterprise the user may see, or NotFound."""
    enterprise = enterprise_list_for(user=user).filter(pk=enterprise_id).first()
    if enterprise is None:
        raise NotFound()
    return enterprise


def granted_filing_of(*, enterprise: Enterprise) -> ResumptionFiling | None:
    """The enterprise's latest approved or accepted filing, if any."""
    return (
        enterprise.filings.filter(status__in=GRANTED_FILING_STATUSES)
        .order_by("-decided_at", "-id")
        .first()
    )


def portal_enterprise_for(*, user: User) -> Enterprise:
    """The enterprise of a portal login; NotFound for anybody else."""
    enterprise = enterprise_of_user(user)
    if enterprise is None:
        raise NotFound()
    return enterprise


def signup_list_for(
    *, user: User, status: str = SignupStatus.PENDING
) -> QuerySet[EnterpriseSignup]:
    """Sign-ups of enterprises in the towns the user reviews or manages."""
    qs = EnterpriseSignup.objects.filter(access.signups_to_decide_q(user)).select_related(
        "enterprise__area", "user"
    )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-id")


def signup_get_for(*, user: User, signup_id: int) -> EnterpriseSignup:
    signup = signup_list_for(user=user, status="").filter(pk=signup_id).first()
    if signup is None:
        raise NotFound()
    return signup


def filing_list_for(
    *, user: User, status: str = "", enterprise_id: int | None = None
) -> QuerySet[ResumptionFiling]:
    """Filings of the enterprises the user may see."""
    qs = access.filings_visible(user)
    if status:
        qs = qs.filter(status=status)
    if enterprise_id is not None:
        qs = qs.filter(enterprise_id=enterprise_id)
    return qs.select_related("enterprise__area").order_by("-submitted_at", "-id")


def filing_queue_for(*, user: User) -> QuerySet[ResumptionFiling]:
    """The filings awaiting this user's decision: the town's review or the group's approval."""
    return (
        ResumptionFiling.objects.filter(access.filings_to_decide_q(user))
        .select_related("enterprise__area")
        .order_by("submitted_at", "id")
    )


def filing_get_for(*, user: User, filing_id: int) -> ResumptionFiling:
    filing = filing_list_for(user=user).filter(pk=filing_id).first()
    if filing is None:
        raise NotFound()
    return filing


def open_filing_of(*, enterprise: Enterprise) -> ResumptionFiling | None:
    """The enterprise's filing still open (under review, awaiting approval, or returned)."""
    return enterprise.filings.filter(status__in=OPEN_FILING_STATUSES).first()


def report_list_for(*, user: User, enterprise_id: int, limit: int = 31) -> list[DailyReport]:
    """The enterprise's latest daily reports, newest first."""
    enterprise = enterprise_get_for(user=user, enterprise_id=enterprise_id)
    return list(enterprise.daily_reports.order_by("-date")[:limit])


def missing_reports_for(
    *, user: User, date: datetime.date, town_id: int | None = None
) -> QuerySet[Enterprise]:
    """Resumed enterprises in scope that have not reported their workers for ``date``."""
    qs = enterprise_list_for(user=user, town_id=town_id, status=ResumptionStatus.RESUMED)
    return qs.filter(resumed_on__lte=date).exclude(daily_reports__date=date)


def roster_for(*, user: User, enterprise_id: int) -> QuerySet[Employee]:
    """The enterprise's workers, in the order entered."""
    enterprise = enterprise_get_for(user=user, enterprise_id=enterprise_id)
    return enterprise.employees.order_by("id")


def in_quarantine_q(*, on: datetime.date | None = None) -> Q:
    """Workers still in quarantine on a day (today): flagged, and the end not yet passed."""
    return Q(quarantine_needed=True, quarantine_until__gte=on or timezone.localdate())


def employee_get_for(*, user: User, employee_id: int) -> Employee:
    employee = Employee.objects.select_related("enterprise__area").filter(pk=employee_id).first()
    if employee is None:
        raise NotFound()
    enterprise_get_for(user=user, enterprise_id=employee.enterprise_id)
    return employee


def draw_list_for(*, user: User) -> QuerySet[SampleDraw]:
    """Sample draws: all of them for district-wide inspectors, a town's own for its officers."""
    scope = scope_for(user)
    if scope.is_district_wide(Permission.INSPECT_ENTERPRISES):
        qs = SampleDraw.objects.all()
    elif scope.codes(Permission.INSPECT_ENTERPRISES):
        qs = SampleDraw.objects.filter(drawn_by=user)
    else:
        return SampleDraw.objects.none()
    return qs.select_related("drawn_by").order_by("-drawn_at", "-id")


def draw_get_for(*, user: User, draw_id: int) -> SampleDraw:
    draw = draw_list_for(user=user).filter(pk=draw_id).first()
    if draw is None:
        raise NotFound()
    return draw


def draw_strata(*, draw: SampleDraw) -> list[dict[str, Any]]:
    """A draw's strata, each with its town's name."""
    towns = dict(
        Area.objects.filter(pk__in=[s["town_id"] for s in draw.strata]).values_list("pk", "name")
    )
    return [{**s, "town": towns.get(s["town_id"], "")} for s in draw.strata]


def draw_enterprises(*, draw: SampleDraw) -> list[tuple[Enterprise, bool]]:
    """The enterprises a draw drew, in the order drawn, each with whether it was inspected."""
    enterprises = {
        e.pk: e for e in Enterprise.objects.filter(pk__in=draw.drawn).select_related("area")
    }
    inspected = set(draw.inspections.values_list("enterprise_id", flat=True))
    return [(enterprises[i], i in inspected) for i in draw.drawn if i in enterprises]


def inspection_list_for(*, user: User, enterprise_id: int | None = None) -> QuerySet[Inspection]:
    qs = access.inspections_visible(user)
    if enterprise_id is not None:
        qs = qs.filter(enterprise_id=enterprise_id)
    return (
        qs.select_related("enterprise__area", "inspector")
        .annotate(
            open_rectifications=Count(
                "rectifications", filter=Q(rectifications__closed_on__isnull=True)
            )
        )
        .order_by("-inspected_on", "-id")
    )


def inspection_get_for(*, user: User, inspection_id: int) -> Inspection:
    inspection = inspection_list_for(user=user).filter(pk=inspection_id).first()
    if inspection is None:
        raise NotFound()
    return inspection


def rectification_list_for(*, user: User, open_only: bool = True) -> QuerySet[Rectification]:
    """Rectifications in scope; overdue is derived when read (deadline passed, not closed)."""
    qs = scope_for(user).filter_by_area(
        Rectification.objects.all(), field="inspection__enterprise__area"
    )
    if open_only:
        qs = qs.filter(closed_on__isnull=True)
    return qs.select_related("inspection__enterprise__area").order_by("deadline", "id")


def rectification_get_for(*, user: User, rectification_id: int) -> Rectification:
    item = rectification_list_for(user=user, open_only=False).filter(pk=rectification_id).first()
    if item is None:
        raise NotFound()
    return item


def portal_home_for(user: User) -> str | None:
    """An enterprise's login lands on its portal (registered with core.platform)."""
    from django.urls import reverse

    return reverse("portal_home") if enterprise_of_user(user) is not None else None
