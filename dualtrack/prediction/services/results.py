"""From one series' counts (areas × days) to its stored results: the counts themselves, the EARS
scores, Rt and the projection. Called by the recomputation inside its transaction; the days
before ``from_day`` are read, never rewritten, so that a day's update costs only its days."""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from dualtrack.prediction.conf import Parameters
from dualtrack.prediction.methods import ears as ears_method
from dualtrack.prediction.methods import projection as projection_method
from dualtrack.prediction.methods import rt as rt_method
from dualtrack.prediction.methods.serial_interval import discretise_serial_interval
from dualtrack.prediction.models import DailyCount, EarsScore, ProjectionDay, RtEstimate

Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]

HORIZON = 14
SIMULATIONS = 1000
BATCH = 2000


@dataclass(frozen=True)
class Levels:
    """The rows of a series' matrix: every village, then every town, then the district."""

    area_ids: list[int]
    is_town_or_district: Bools  # the rows Rt and the projection are computed for


@dataclass(frozen=True)
class Flags:
    """Per method, the flagged days (rows × days, True from ``from_day``) and the value shown."""

    flags: dict[str, Bools]
    values: dict[str, Floats]
    lower: Floats  # Rt's 2.5 %, rows × days (NaN off the towns)
    upper: Floats


def _day(start: datetime.date, index: int) -> datetime.date:
    return start + datetime.timedelta(days=int(index))


def store_counts(
    key: str, counts: Floats, levels: Levels, start: datetime.date, from_index: int
) -> None:
    """Rewrite the stored counts of the days from ``from_index`` (days without any left out)."""
    from_day = _day(start, from_index)
    end = _day(start, counts.shape[1] - 1)
    DailyCount.objects.filter(series=key, day__range=(from_day, end)).delete()
    rows, days = np.nonzero(counts[:, from_index:])
    DailyCount.objects.bulk_create(
        (
            DailyCount(
                series=key,
                area_id=levels.area_ids[r],
                day=_day(start, from_index + d),
                count=int(counts[r, from_index + d]),
            )
            for r, d in zip(rows.tolist(), days.tolist(), strict=True)
        ),
        batch_size=BATCH,
    )


def store_ears(
    key: str,
    counts: Floats,
    active: Bools,
    levels: Levels,
    start: datetime.date,
    from_index: int,
    params: Parameters,
) -> ears_method.EarsResult:
    """EARS C1–C3 for every row; stored for the rows with any count in the period."""
    result = ears_method.ears(
        counts,
        min_sigma=params.min_sigma,
        c1_threshold=params.c1_threshold,
        c2_threshold=params.c2_threshold,
        c3_threshold=params.c3_threshold,
    )
    c1_upper = ears_method.upper_bound(result.c1_baseline, params.c1_threshold)
    c2_upper = ears_method.upper_bound(result.c2_baseline, params.c2_threshold)
    from_day = _day(start, from_index)
    EarsScore.objects.filter(series=key, day__gte=from_day).delete()
    columns = {
        "c1": result.c1,
        "c2": result.c2,
        "c3": result.c3,
        "c1_mean": result.c1_baseline.mean,
        "c1_sd": result.c1_baseline.sd,
        "c1_upper": c1_upper,
        "c2_mean": result.c2_baseline.mean,
        "c2_sd": result.c2_baseline.sd,
        "c2_upper": c2_upper,
    }
    # Plain lists: one conversion per column instead of a numpy scalar per cell.
    lists = {name: values[:, from_index:].tolist() for name, values in columns.items()}
    flags = {
        name: values[:, from_index:].tolist()
        for name, values in (
            ("c1_flag", result.c1_signal),
            ("c2_flag", result.c2_signal),
            ("c3_flag", result.c3_signal),
        )
    }
    count_list = counts[:, from_index:].astype(np.int64).tolist()
    days = counts.shape[1] - from_index
    day_values = [_day(start, from_index + d) for d in range(days)]

    def rows() -> object:
        for r in np.flatnonzero(active).tolist():
            area_id = levels.area_ids[r]
            for d in range(days):
                yield EarsScore(
                    series=key,
                    area_id=area_id,
                    day=day_values[d],
                    count=count_list[r][d],
                    c1=_nan_none(lists["c1"][r][d]),
                    c2=_nan_none(lists["c2"][r][d]),
                    c3=_nan_none(lists["c3"][r][d]),
                    c1_flag=flags["c1_flag"][r][d],
                    c2_flag=flags["c2_flag"][r][d],
                    c3_flag=flags["c3_flag"][r][d],
                    c1_mean=_nan_none(lists["c1_mean"][r][d]),
                    c1_sd=_nan_none(lists["c1_sd"][r][d]),
                    c1_upper=_nan_none(lists["c1_upper"][r][d]),
                    c2_mean=_nan_none(lists["c2_mean"][r][d]),
                    c2_sd=_nan_none(lists["c2_sd"][r][d]),
                    c2_upper=_nan_none(lists["c2_upper"][r][d]),
                )

    EarsScore.objects.bulk_create(rows(), batch_size=BATCH)  # type: ignore[arg-type]
    return result


def _nan_none(value: float) -> float | None:
    """NaN (no baseline yet) is stored as NULL; +inf (a flat baseline exceeded) is kept."""
    return None if value != value else value


def store_rt(
    key: str,
    counts: Floats,
    active: Bools,
    levels: Levels,
    start: datetime.date,
    from_index: int,
    params: Parameters,
) -> rt_method.RtEstimates | None:
    """Rt for the towns and the district; None when the period is too short for a window."""
    days = counts.shape[1]
    RtEstimate.objects.filter(series=key, day__gte=_day(start, from_index)).delete()
    if days <= rt_method.DEFAULT_WINDOW:
        return None
    estimates = rt_method.estimate_rt(
        counts, si_mean=params.si_mean, si_sd=params.si_sd, from_day=from_index
    )
    wanted = np.flatnonzero(active & levels.is_town_or_district).tolist()
    columns = {
        name: getattr(estimates, name)[:, from_index:].tolist()
        for name in ("mean", "sd", "median", "lower", "upper", "cases")
    }
    too_few = estimates.too_few_cases[:, from_index:].tolist()
    objects = [
        RtEstimate(
            series=key,
            area_id=levels.area_ids[r],
            day=_day(start, from_index + d),
            mean=columns["mean"][r][d],
            sd=columns["sd"][r][d],
            median=columns["median"][r][d],
            lower=columns["lower"][r][d],
            upper=columns["upper"][r][d],
            cases=int(columns["cases"][r][d]),
            too_few_cases=too_few[r][d],
            min_cases=estimates.min_cases,
        )
        for r in wanted
        for d in range(days - from_index)
        if columns["mean"][r][d] == columns["mean"][r][d]  # an estimate (not NaN)
    ]
    RtEstimate.objects.bulk_create(objects, batch_size=BATCH)
    return estimates


def store_projection(
    key: str,
    counts: Floats,
    active: Bools,
    levels: Levels,
    start: datetime.date,
    estimates: rt_method.RtEstimates | None,
    params: Parameters,
) -> None:
    """The next 14 days of the towns and the district from the last window's posterior."""
    ProjectionDay.objects.filter(series=key).delete()
    if estimates is None:
        return
    rows = [
        r
        for r in np.flatnonzero(active & levels.is_town_or_district).tolist()
        if math.isfinite(estimates.mean[r, -1])
    ]
    if not rows:
        return
    days = counts.shape[1]
    projected = projection_method.project(
        counts[rows],
        discretise_serial_interval(params.si_mean, params.si_sd, days + HORIZON),
        r_mean=estimates.mean[rows, -1],
        r_sd=estimates.sd[rows, -1],
        horizon=HORIZON,
        simulations=SIMULATIONS,
        keys=[levels.area_ids[r] for r in rows],
    )
    made_on = _day(start, days - 1)
    ProjectionDay.objects.bulk_create(
        ProjectionDay(
            series=key,
            area_id=levels.area_ids[r],
            made_on=made_on,
            ahead=h + 1,
            median=float(projected.median[i, h]),
            lower_50=float(projected.lower_50[i, h]),
            upper_50=float(projected.upper_50[i, h]),
            lower_95=float(projected.lower_95[i, h]),
            upper_95=float(projected.upper_95[i, h]),
        )
        for i, r in enumerate(rows)
        for h in range(HORIZON)
    )


def flags_of(
    ears_result: ears_method.EarsResult,
    estimates: rt_method.RtEstimates | None,
    levels: Levels,
    active: Bools,
) -> Flags:
    """What may raise a signal: C1–C3 in every area with counts, Rt above 1 (its posterior mean,
    in a window with enough cases) in the towns and the district."""
    shape = ears_result.c1.shape
    nan = np.full(shape, np.nan)
    if estimates is None:
        rt_flag = np.zeros(shape, dtype=np.bool_)
        rt_mean, lower, upper = nan, nan, nan
    else:
        with np.errstate(invalid="ignore"):
            rt_flag = (
                (estimates.mean > 1.0)
                & ~estimates.too_few_cases
                & levels.is_town_or_district[:, None]
            )
        rt_mean, lower, upper = estimates.mean, estimates.lower, estimates.upper
    keep = active[:, None]
    return Flags(
        flags={
            "c1": ears_result.c1_signal & keep,
            "c2": ears_result.c2_signal & keep,
            "c3": ears_result.c3_signal & keep,
            "rt": rt_flag & keep,
        },
        values={"c1": ears_result.c1, "c2": ears_result.c2, "c3": ears_result.c3, "rt": rt_mean},
        lower=lower,
        upper=upper,
    )
