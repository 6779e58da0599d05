"""Readiness, the figures and the register's export."""

from __future__ import annotations

import dataclasses
import datetime
from typing import Annotated, Any

from django.http import HttpResponse
from django.utils import timezone
from ninja import Query, Router, Status

from dualtrack.checkpoints.api.references import READ, checkpoint_of
from dualtrack.checkpoints.figures import figures_by_day, figures_for
from dualtrack.checkpoints.schemas import (
    CheckpointFiguresOut,
    DayFigureOut,
    TownReadinessOut,
)
from dualtrack.checkpoints.selectors.checkpoints import (
    readiness_for,
)
from dualtrack.checkpoints.selectors.references import (
    figures_target_for,
)
from dualtrack.checkpoints.services.exports import register_export_start
from dualtrack.core.job_api import ACCEPTED, job_accepted
from dualtrack.core.schemas import Id
from dualtrack.core.views import AuthenticatedRequest

router = Router()  # tagged "checkpoints" by the router of the package


# --- Readiness and figures -----------------------------------------------------------------------


@router.get(
    "/readiness",
    response={200: list[TownReadinessOut], **READ},
    operation_id="checkpoint_readiness",
    summary="Per town, the open checkpoints missing a kit item or with no one on duty now",
)
def readiness(request: AuthenticatedRequest) -> list[dict[str, Any]]:
    return [
        {
            "town": town.town,
            "checkpoints": [
                {
                    "checkpoint_id": c.checkpoint.pk,
                    "name": c.checkpoint.name,
                    "village": c.checkpoint.area.name,
                    "missing_items": c.missing_items,
                    "on_duty_now": c.on_duty_now,
                }
                for c in town.checkpoints
            ],
        }
        for town in readiness_for(user=request.user)
    ]


@router.get(
    "/figures",
    response={200: CheckpointFiguresOut, **READ},
    operation_id="checkpoint_figures",
    summary="One day's figures (today by default) for a checkpoint, an area or all in scope",
)
def figures(
    request: AuthenticatedRequest,
    checkpoint: Id | None = None,
    area: Id | None = None,
    day: datetime.date | None = None,
) -> dict[str, Any]:
    target, area_obj = figures_target_for(user=request.user, checkpoint_id=checkpoint, area_id=area)
    day = day or timezone.localdate()
    result = figures_for(user=request.user, checkpoint=target, area=area_obj, day=day)
    return {"day": day, **dataclasses.asdict(result)}


@router.get(
    "/figures/daily",
    response={200: list[DayFigureOut], **READ},
    operation_id="checkpoint_figures_daily",
    summary="Figures by day, oldest first, for a checkpoint, an area or all in scope",
)
def figures_daily(
    request: AuthenticatedRequest,
    checkpoint: Id | None = None,
    area: Id | None = None,
    days: Annotated[int, Query(ge=1, le=366)] = 14,
) -> list[dict[str, Any]]:
    target, area_obj = figures_target_for(user=request.user, checkpoint_id=checkpoint, area_id=area)
    rows = figures_by_day(user=request.user, checkpoint=target, area=area_obj, days=days)
    return [{**dataclasses.asdict(r), "alerts_open": r.alerts_open} for r in rows]


# --- Export --------------------------------------------------------------------------------------


@router.post(
    "/checkpoints/{checkpoint_id}/export.xlsx",
    response={**ACCEPTED, **READ},
    operation_id="passage_export",
    summary="Export the register of a checkpoint for a period as Excel, in the background "
    "(personal-data roles; audited); since and until default to today",
    description="Answers 202 with the job to poll (`GET /api/jobs/{id}`); the finished job's "
    "`result_url` is the workbook.",
)
def passage_export(
    request: AuthenticatedRequest,
    response: HttpResponse,
    checkpoint_id: int,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> Status[dict[str, Any]]:
    checkpoint = checkpoint_of(request.user, checkpoint_id)
    until = until or timezone.localdate()
    since = since or until
    job = register_export_start(actor=request.user, checkpoint=checkpoint, since=since, until=until)
    return job_accepted(job, response)
