"""The routes of the daily reports and the figures."""

from __future__ import annotations

import datetime
from typing import Any

from ninja import Router

from dualtrack.core.api import LIST, READ, WRITE
from dualtrack.core.schemas import Id
from dualtrack.core.selectors import MAX_PAGE_SIZE
from dualtrack.core.views import AuthenticatedRequest
from dualtrack.enterprises import selectors
from dualtrack.enterprises.figures import figures_for, report_day
from dualtrack.enterprises.models import (
    DailyReport,
)
from dualtrack.enterprises.schemas import (
    DailyReportIn,
    DailyReportOut,
    FiguresOut,
    MissingReportOut,
)
from dualtrack.enterprises.services import (
    reports,
)

router = Router()


@router.post(
    "/enterprises/{enterprise_id}/daily-reports",
    response={200: DailyReportOut, **WRITE},
    operation_id="daily_report_submit",
    summary="Report the workers on duty at 24:00 of a day that has ended",
)
def daily_report_submit(
    request: AuthenticatedRequest, enterprise_id: int, payload: DailyReportIn
) -> DailyReport:
    enterprise = selectors.enterprise_get_for(user=request.user, enterprise_id=enterprise_id)
    return reports.daily_report_submit(
        actor=request.user,
        enterprise=enterprise,
        date=payload.date,
        workers_on_duty=payload.workers_on_duty,
    )


@router.get(
    "/daily-reports/missing",
    response={200: MissingReportOut, **LIST},
    operation_id="daily_report_missing",
    summary="Resumed enterprises in scope that have not reported a day (yesterday by default)",
)
def daily_report_missing(
    request: AuthenticatedRequest, date: datetime.date | None = None, town: Id | None = None
) -> dict[str, Any]:
    day = date or report_day()
    qs = selectors.missing_reports_for(user=request.user, date=day, town_id=town)
    return {"date": day, "enterprises": list(qs[:MAX_PAGE_SIZE])}


@router.get(
    "/figures",
    response={200: FiguresOut, **READ},
    operation_id="enterprise_figures",
    summary="Resumption figures by town, industry and scale, and day by day",
)
def figures(request: AuthenticatedRequest, town: Id | None = None) -> dict[str, Any]:
    result = figures_for(user=request.user, town_id=town)
    return {
        "as_of": result.as_of,
        "report_date": result.report_date,
        "total": result.total.as_dict(),
        "above_scale": result.above_scale.as_dict(),
        "by_town": [t.as_dict() for t in result.by_town],
        "by_sector": [t.as_dict() for t in result.by_sector],
        "by_size": [t.as_dict() for t in result.by_size],
        "series": result.series,
    }
