"""Reading the employment services, always within what the user may see (``access``); the
public fair pages read open fairs and postings only, and a job seeker their own applications."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from dualtrack.areas.models import Area, AreaKind, IndustrySector
from dualtrack.core.errors import NotFound
from dualtrack.core.models import User
from dualtrack.enterprises.models import Enterprise
from dualtrack.jobs import access
from dualtrack.jobs.models import (
    Applicant,
    Application,
    ApplicationStatus,
    Fair,
    Introducer,
    Introduction,
    Posting,
    PostingStatus,
)

PUBLIC_PAGE = 20
# The reward for introducing workers is earned at this many qualifying hires; the rule and the
# amount are the subsidies app's, this is the figure the introducer's page shows against.
REWARD_HIRES = 20

# Fairs ----------------------------------------------------------------------------------------


def fair_list_for(*, user: User) -> QuerySet[Fair]:
    return access.fairs_visible(user).annotate(posting_count=Count("postings"))


def fair_get_for(*, user: User, fair_id: int) -> Fair:
    fair = access.fairs_visible(user).filter(pk=fair_id).first()
    if fair is None:
        raise NotFound()
    return fair


def fair_get_for_write(*, user: User, fair_id: int, field: str) -> Fair:
    """A fair a posting names; one out of sight answers as one that does not exist."""
    fair = access.fairs_visible(user).filter(pk=fair_id).first()
    if fair is None:
        raise NotFound(errors=[{"field": field, "message": str(NotFound.default_message)}])
    return fair


def public_fairs() -> QuerySet[Fair]:
    """Every fair, for the public list (its state says whether it takes applications)."""
    return Fair.objects.all()


def public_fair_get(*, fair_id: int) -> Fair:
    fair = Fair.objects.filter(pk=fair_id).first()
    if fair is None:
        raise NotFound()
    return fair


# Public postings --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PostingFilter:
    sector_id: int | None = None
    town_id: int | None = None
    pay_at_least: int | None = None
    words: str = ""


@dataclass(frozen=True)
class PostingPage:
    rows: list[Posting]
    next_after: int | None


def public_posting_page(
    *, fair: Fair | None, filters: PostingFilter, after: int = 0, limit: int = PUBLIC_PAGE
) -> PostingPage:
    """Open postings, newest first, one keyset page (``after``: the last id of the page before):
    the cost of a page does not grow with how far the reader has paged."""
    qs = Posting.objects.filter(status=PostingStatus.OPEN)
    qs = qs.filter(fair=fair) if fair is not None else qs
    if filters.sector_id:
        qs = qs.filter(sector_id=filters.sector_id)
    if filters.town_id:
        qs = qs.filter(town_id=filters.town_id)
    if filters.pay_at_least:
        qs = qs.filter(pay_max__gte=filters.pay_at_least)
    for word in filters.words.split()[:5]:
        qs = qs.filter(Q(title__icontains=word) | Q(requirements__icontains=word))
    if after:
        qs = qs.filter(pk__lt=after)
    rows = list(
        qs.select_related("enterprise", "town", "sector")
        .defer("contact_phone", "requirements")
        .order_by("-pk")[: limit + 1]
    )
    more = len(rows) > limit
    rows = rows[:limit]
    return PostingPage(rows, rows[-1].pk if more and rows else None)


def public_posting_get(*, posting_id: int) -> Posting:
    posting = (
        Posting.objects.select_related("enterprise", "town", "sector", "fair")
        .filter(pk=posting_id)
        .first()
    )
    if posting is None:
        raise NotFound()
    return posting


def town_get_for_write(*, user: User, town_id: int, field: str) -> Area:
    """The town of a posting's place of work: any of the district's towns (they are public, as
    the fair page's filter shows them); anything else answers as not found."""
    town = Area.objects.filter(pk=town_id, kind=AreaKind.TOWN).first()
    if town is None:
        raise NotFound(errors=[{"field": field, "message": str(NotFound.default_message)}])
    return town


def sector_options() -> QuerySet[IndustrySector]:
    return IndustrySector.objects.order_by("code")


def town_options() -> QuerySet[Area]:
    return Area.objects.filter(kind=AreaKind.TOWN).order_by("code")


# Postings and applications of enterprises --------------------------------------------------------


def posting_list_for(
    *, user: User, fair_id: int | None = None, status: str = "", enterprise_id: int | None = None
) -> QuerySet[Posting]:
    qs = access.postings_visible(user).select_related("enterprise", "fair", "town")
    if fair_id is not None:
        qs = qs.filter(fair_id=fair_id)
    if status:
        qs = qs.filter(status=status)
    if enterprise_id is not None:
        qs = qs.filter(enterprise_id=enterprise_id)
    return qs.order_by("-pk")


def posting_get_for(*, user: User, posting_id: int) -> Posting:
    posting = (
        access.postings_visible(user)
        .select_related("enterprise__area", "fair", "town", "sector")
        .filter(pk=posting_id)
        .first()
    )
    if posting is None:
        raise NotFound()
    return posting


def application_list_for(
    *,
    user: User,
    posting_id: int | None = None,
    status: str = "",
    fair_id: int | None = None,
) -> QuerySet[Application]:
    qs = access.applications_visible(user).select_related(
        "applicant", "posting", "enterprise", "introducer"
    )
    if posting_id is not None:
        qs = qs.filter(posting_id=posting_id)
    if status:
        qs = qs.filter(status=status)
    if fair_id is not None:
        qs = qs.filter(fair_id=fair_id)
    return qs.order_by("-pk")


def application_get_for(*, user: User, application_id: int) -> Application:
    application = (
        access.applications_visible(user)
        .select_related("applicant", "posting__fair", "enterprise__area", "introducer", "employee")
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        raise NotFound()
    return application


def application_events(application: Application) -> list[Any]:
    return list(application.events.select_related("by").order_by("at", "pk"))


def recruiting_enterprises_for(*, user: User) -> QuerySet[Enterprise]:
    """The enterprises the user may post for (the posting form's choices)."""
    return Enterprise.objects.filter(access.recruiting_enterprises_q(user)).order_by("name")


def applications_of(*, applicant: Applicant) -> QuerySet[Application]:
    """A job seeker's own applications (their personal link's page), verified ones only."""
    return (
        Application.objects.filter(applicant=applicant)
        .exclude(status=ApplicationStatus.UNVERIFIED)
        .select_related("posting", "enterprise", "fair")
        .order_by("-pk")
    )


# Introducers ------------------------------------------------------------------------------------


def introducer_list_for(*, user: User) -> QuerySet[Introducer]:
    """The introducers in sight, those with the most qualifying hires first."""
    return (
        access.introducers_visible(user)
        .annotate(
            qualifying=Count("introductions", filter=Q(introductions__hire__isnull=False)),
            claimed=Count("introductions"),
        )
        .order_by("-qualifying", "name", "pk")
    )


def introducer_get_for(*, user: User, introducer_id: int) -> Introducer:
    introducer = Introducer.objects.filter(pk=introducer_id).first()
    if introducer is None or not access.may_see_introducer(user, introducer):
        raise NotFound()
    return introducer


def qualifying_hires(*, introducer_id: int) -> int:
    """The exact number of workers counted for the introducer who were hired: each worker once
    (``Introduction`` is unique per worker), for this introducer only. The subsidies app's reward
    rule reads this figure."""
    return Introduction.objects.filter(introducer_id=introducer_id, hire__isnull=False).count()


@dataclass(frozen=True)
class IntroducerCounts:
    by_enterprise: list[dict[str, Any]]
    qualifying: int
    claimed: int
    reached: bool


def introducer_counts(*, introducer: Introducer) -> IntroducerCounts:
    """The workers the introducer brought, per enterprise, and whether they reached the reward's
    threshold of qualifying hires."""
    rows = list(
        Introduction.objects.filter(introducer=introducer, hire__isnull=False)
        .values("enterprise_id", "enterprise__name")
        .annotate(workers=Count("pk"))
        .order_by("-workers", "enterprise__name")
    )
    qualifying = qualifying_hires(introducer_id=introducer.pk)
    return IntroducerCounts(
        by_enterprise=[
            {
                "enterprise_id": r["enterprise_id"],
                "name": r["enterprise__name"],
                "workers": r["workers"],
            }
            for r in rows
        ],
        qualifying=qualifying,
        claimed=Introduction.objects.filter(introducer=introducer).count(),
        reached=qualifying >= REWARD_HIRES,
    )


def introduction_list(*, introducer: Introducer) -> QuerySet[Introduction]:
    return introducer.introductions.select_related("enterprise").order_by("-pk")
