"""The early warning's JSON API, mounted at /api/prediction/: the signals, an area's series with
its EARS scores, Rt and the projection, and a recomputation (202 with its job). Thin routes over
the selectors (scoped) and the services."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from ninja import Router, Status

from dualtrack.core import platform
from dualtrack.core.api import WRITE, problems
from dualtrack.core.job_api import ACCEPTED, job_accepted
from dualtrack.core.schemas import Id
from dualtrack.core.views import AuthenticatedRequest
from dualtrack.prediction import presenters, selectors
from dualtrack.prediction.schemas import (
    ProjectionOut,
    RecomputeIn,
    RtOut,
    SeriesDayOut,
    SeriesOut,
    SignalNoteIn,
    SignalOut,
)
from dualtrack.prediction.services import signals as signal_services
from dualtrack.prediction.services.recompute import recompute_start

router = Router(tags=["prediction"])
READ = problems(401, 404, 422)


@router.get(
    "/series",
    response={200: list[SeriesOut], **READ},
    operation_id="prediction_series_list",
    summary="The daily series the early warning watches",
)
def series_list(request: AuthenticatedRequest) -> list[dict[str, str]]:
    return [{"key": s.key, "label": str(s.label)} for s in platform.series_sources()]


@router.get(
    "/signals",
    response={200: list[SignalOut], **READ},
    operation_id="prediction_signal_list",
    summary="Signals in scope, newest day first (state: open, acknowledged, closed, active, all)",
)
def signal_list(request: AuthenticatedRequest, state: str = "open") -> list[dict[str, Any]]:
    signals = selectors.signal_list_for(user=request.user, state=state)
    return [
        presenters.signal_out(signal)
        for signal in signals.select_related("acknowledged_by", "closed_by")
    ]


@router.get(
    "/signals/{signal_id}",
    response={200: SignalOut, **READ},
    operation_id="prediction_signal_get",
    summary="One signal",
)
def signal_get(request: AuthenticatedRequest, signal_id: Id) -> dict[str, Any]:
    return presenters.signal_out(selectors.signal_get_for(user=request.user, signal_id=signal_id))


@router.post(
    "/signals/{signal_id}/acknowledge",
    response={200: SignalOut, **WRITE},
    operation_id="prediction_signal_acknowledge",
    summary="Acknowledge an open signal (it leaves the open list and the inbox)",
)
def signal_acknowledge(
    request: AuthenticatedRequest, signal_id: Id, payload: SignalNoteIn
) -> dict[str, Any]:
    signal = selectors.signal_get_for(user=request.user, signal_id=signal_id)
    signal = signal_services.signal_acknowledge(
        actor=request.user, signal=signal, note=payload.note
    )
    return presenters.signal_out(signal)


@router.post(
    "/signals/{signal_id}/close",
    response={200: SignalOut, **WRITE},
    operation_id="prediction_signal_close",
    summary="Close a signal with a note; it does not fire again for the same run of days",
)
def signal_close(
    request: AuthenticatedRequest, signal_id: Id, payload: SignalNoteIn
) -> dict[str, Any]:
    signal = selectors.signal_get_for(user=request.user, signal_id=signal_id)
    signal = signal_services.signal_close(actor=request.user, signal=signal, note=payload.note)
    return presenters.signal_out(signal)


@router.get(
    "/areas/{area_id}/series",
    response={200: list[SeriesDayOut], **READ},
    operation_id="prediction_area_series",
    summary="An area's daily series with its EARS scores and baseline band",
    description="`start`/`end` default to the eight weeks up to the newest computed day; a "
    "period backwards or over three years is refused.",
)
def area_series(
    request: AuthenticatedRequest,
    area_id: Id,
    series: str,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> list[dict[str, Any]]:
    area = selectors.area_for(user=request.user, area_id=area_id)
    period = selectors.period_of(start, end)
    rows = selectors.scores_for(user=request.user, area=area, series=series, period=period)
    return [presenters.series_day_out(row) for row in rows]


@router.get(
    "/areas/{area_id}/rt",
    response={200: list[RtOut], **READ},
    operation_id="prediction_area_rt",
    summary="Rt of a town or the district by window end, with its 95 % interval",
)
def area_rt(
    request: AuthenticatedRequest,
    area_id: Id,
    series: str,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> list[dict[str, Any]]:
    area = selectors.area_for(user=request.user, area_id=area_id)
    period = selectors.period_of(start, end)
    estimates = selectors.rt_for(user=request.user, area=area, series=series, period=period)
    return [presenters.rt_out(estimate) for estimate in estimates]


@router.get(
    "/areas/{area_id}/projection",
    response={200: ProjectionOut, **READ},
    operation_id="prediction_area_projection",
    summary="The next 14 days of a town or the district, with the 50 % and 95 % bands",
)
def area_projection(request: AuthenticatedRequest, area_id: Id, series: str) -> dict[str, Any]:
    area = selectors.area_for(user=request.user, area_id=area_id)
    days = list(selectors.projection_for(user=request.user, area=area, series=series))
    return presenters.projection_out(days)


@router.post(
    "/recompute",
    response={**ACCEPTED, **WRITE},
    operation_id="prediction_recompute",
    summary="Recompute the early warning in the background (prevention group, district admin)",
    description="Answers 202 with the job to poll (`GET /api/jobs/{id}`). `end` defaults to "
    "yesterday, `start` to a year before it, `from_day` (the first day rewritten) to `start`; "
    "the serial interval to the settings (a mean of 1 day or less, or an SD of 0 or less, is "
    "refused).",
)
def recompute(
    request: AuthenticatedRequest, response: HttpResponse, payload: RecomputeIn
) -> Status[dict[str, Any]]:
    end = payload.end or timezone.localdate() - datetime.timedelta(days=1)
    job = recompute_start(
        actor=request.user,
        end=end,
        start=payload.start,
        from_day=payload.from_day,
        si_mean=payload.si_mean,
        si_sd=payload.si_sd,
    )
    return job_accepted(job, response)
