"""What a page and the API show of the early warning's records, computed once for both."""

from __future__ import annotations

import datetime
import math
from typing import Any

from django.utils.translation import gettext_lazy as _

from dualtrack.core import platform
from dualtrack.prediction.models import ProjectionDay, RtEstimate, Signal
from dualtrack.prediction.selectors import series_label, too_few_reason

ASSUMPTION = _(
    "Assumes transmission goes on as in the last 7-day window: Rt drawn from that window's "
    "posterior, new cases from the renewal equation with the serial interval of the settings."
)


def finite(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


def records_url(signal: Signal) -> str | None:
    for source in platform.series_sources():
        if source.key == signal.series and source.records is not None:
            return source.records(signal.area_id, signal.last_day)
    return None


def signal_out(signal: Signal) -> dict[str, Any]:
    return {
        "id": signal.pk,
        "series": signal.series,
        "series_label": series_label(signal.series),
        "area_id": signal.area_id,
        "area_name": signal.area.name,
        "area_code": signal.area.code,
        "method": signal.method,
        "method_label": signal.get_method_display(),
        "first_day": signal.first_day,
        "last_day": signal.last_day,
        "value": finite(signal.value),
        "lower": finite(signal.lower),
        "upper": finite(signal.upper),
        "state": signal.state,
        "opened_at": signal.opened_at,
        "acknowledged_at": signal.acknowledged_at,
        "acknowledged_by": signal.acknowledged_by.display_name if signal.acknowledged_by else None,
        "acknowledged_note": signal.acknowledged_note,
        "closed_at": signal.closed_at,
        "closed_by": signal.closed_by.display_name if signal.closed_by else None,
        "closed_note": signal.closed_note,
        "records_url": records_url(signal),
    }


SCORE_FIELDS = (
    "c1",
    "c2",
    "c3",
    "c1_mean",
    "c1_sd",
    "c1_upper",
    "c2_mean",
    "c2_sd",
    "c2_upper",
)


def series_day_out(row: dict[str, Any]) -> dict[str, Any]:
    out = {key: value for key, value in row.items() if key in {"day", "count"}}
    for name in SCORE_FIELDS:
        out[name] = finite(row.get(name))
    for name in ("c1_flag", "c2_flag", "c3_flag"):
        out[name] = bool(row.get(name, False))
    return out


def rt_out(estimate: RtEstimate) -> dict[str, Any]:
    return {
        "day": estimate.day,
        "mean": estimate.mean,
        "sd": estimate.sd,
        "median": estimate.median,
        "lower": estimate.lower,
        "upper": estimate.upper,
        "cases": estimate.cases,
        "too_few_cases": estimate.too_few_cases,
        "reason": too_few_reason(estimate),
    }


def projection_out(days: list[ProjectionDay]) -> dict[str, Any]:
    return {
        "made_on": days[0].made_on if days else None,
        "assumption": str(ASSUMPTION),
        "days": [
            {
                "day": d.made_on + datetime.timedelta(days=d.ahead),
                "ahead": d.ahead,
                "median": d.median,
                "lower_50": d.lower_50,
                "upper_50": d.upper_50,
                "lower_95": d.lower_95,
                "upper_95": d.upper_95,
            }
            for d in days
        ],
    }
