"""The pipeline's figures, from the records in the user's sight: projects and amounts by stage,
stalled projects, and per ceremony the projects signed, their amount and the jobs expected."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from dualtrack.core.models import User
from dualtrack.core.platform import Figure
from dualtrack.investment import access
from dualtrack.investment.models import STAGE_ORDER, Stage


@dataclass
class PipelineFigures:
    by_stage: list[dict[str, Any]]
    stalled: int
    ceremonies: list[dict[str, Any]]
    signed_projects: int
    signed_amount: Decimal
    signed_jobs: int


def yuan(value: Decimal | None) -> Decimal:
    """A sum in yuan with its two places (SQLite's sums of decimals drop them)."""
    return Decimal(value or 0).quantize(Decimal("0.01"))


def pipeline_figures(*, user: User) -> PipelineFigures:
    projects = access.projects_visible(user)
    rows: dict[str, dict[str, Any]] = {
        r["stage"]: dict(r)
        for r in projects.values("stage").annotate(
            n=Count("pk"), amount=Sum("amount"), jobs=Sum("jobs_expected")
        )
    }
    by_stage = [
        {
            "stage": s.value,
            "label": str(s.label),
            "projects": rows.get(s, {}).get("n", 0),
            "amount": yuan(rows.get(s, {}).get("amount")),
        }
        for s in STAGE_ORDER
    ]
    stalled = (
        projects.exclude(stage=Stage.SIGNED).filter(next_step_on__lt=timezone.localdate()).count()
    )
    ceremonies = [
        {
            "id": c["ceremony_id"],
            "title": c["ceremony__title"],
            "held_at": c["ceremony__held_at"],
            "projects": c["n"],
            "amount": yuan(c["amount"]),
            "jobs": c["jobs"],
        }
        for c in projects.filter(stage=Stage.SIGNED)
        .values("ceremony_id", "ceremony__title", "ceremony__held_at")
        .annotate(n=Count("pk"), amount=Sum("amount"), jobs=Sum("jobs_expected"))
        .order_by("-ceremony__held_at")
    ]
    signed = rows.get(Stage.SIGNED, {})
    return PipelineFigures(
        by_stage=by_stage,
        stalled=stalled,
        ceremonies=ceremonies,
        signed_projects=signed.get("n", 0),
        signed_amount=yuan(signed.get("amount")),
        signed_jobs=signed.get("jobs") or 0,
    )


def board_figures(*, user: User, day: datetime.date) -> list[Figure]:
    """Projects signed on ``day`` and their amount (yuan), for those who see the pipeline."""
    if not access.sees_pipeline(user):
        return []
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    counts = access.projects_visible(user).aggregate(
        n=Count(
            "pk", filter=Q(signed_at__gte=start, signed_at__lt=start + datetime.timedelta(days=1))
        ),
        amount=Sum(
            "amount",
            filter=Q(signed_at__gte=start, signed_at__lt=start + datetime.timedelta(days=1)),
        ),
    )
    link = reverse("investment_index")
    return [
        Figure(
            key="investment.signed", label=gettext("Projects signed"), value=counts["n"], link=link
        ),
        Figure(
            key="investment.signed_amount",
            label=gettext("Investment signed"),
            value=yuan(counts["amount"]),
            unit=gettext("yuan"),
            link=link,
        ),
    ]
