"""From one series' counts (areas × days) to its stored results: the counts themselves, the EARS
scores, Rt and the projection. Called by the recomputation inside its transaction; the days
before ``from_day`` are read, never rewritten, so that a day's update costs only its days."""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db import connection, models

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


def _days(start: datetime.date, first: int, count: int) -> list[Any]:
    """``count`` days from ``start + first`` as the database takes them."""
    adapt = connection.ops.adapt_datefield_value
    return [adapt(_day(start, first + d)) for d in range(count)]


def insert_rows(
    model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """Many rows in one prepared statement, values already in the database's terms: the ORM's
    ``bulk_create`` spends most of a year's recomputation compiling its statements."""
    qn = connection.ops.quote_name
    sql = (
        f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(c) for c in columns)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    batch: list[Sequence[Any]] = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


def store_counts(
    key: str, counts: Floats, levels: Levels, start: datetime.date, from_index: int
) -> None:
    """Rewrite the stored counts of the days from ``from_index`` (days without any left out)."""
    from_day = _day(start, from_index)
    end = _day(start, counts.shape[1] - 1)
    DailyCount.objects.filter(series=key, day__range=(from_day, end)).delete()
    window = counts[:, from_index:]
    rows, days = np.nonzero(window)
    day_values = _days(start, from_index, window.shape[1])
    values = window[rows, days].astype(np.int64).tolist()
    insert_rows(
        DailyCount,
        ("series", "area_id", "day", "count"),
        (
            (key, levels.area_ids[r], day_values[d], n)
            for r, d, n in zip(rows.tolist(), days.tolist(), values, strict=True)
        ),
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
        min_count=params.min_count,
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
    # Plain lists: one conversion per column instead of a numpy scalar per cell; NaN (no
    # baseline yet) as NULL, +inf (a flat baseline exceeded) kept.
    days = counts.shape[1] - from_index
    active_rows = np.flatnonzero(active)
    score_columns = [_nullable(values[active_rows, from_index:]) for values in columns.values()]
    flag_columns = [
        flags[active_rows, from_index:].tolist()
        for flags in (result.c1_signal, result.c2_signal, result.c3_signal)
    ]
    count_list = counts[active_rows, from_index:].astype(np.int64).tolist()
    day_values = _days(start, from_index, days)
    area_ids = [levels.area_ids[r] for r in active_rows.tolist()]
    insert_rows(
        EarsScore,
        ("series", "area_id", "day", "count", "c1_flag", "c2_flag", "c3_flag", *columns),
        (
            (
                key,
                area_id,
                day_values[d],
                count_list[i][d],
                *(f[i][d] for f in flag_columns),
                *(c[i][d] for c in score_columns),
            )
            for i, area_id in enumerate(area_ids)
            for d in range(days)
        ),
    )
    return result


def _nullable(values: Floats) -> list[list[float | None]]:
    """Rows of values with NaN as None (NULL)."""
    out: list[list[float | None]] = values.astype(object).tolist()
    for row in out:
        for d, value in enumerate(row):
            if value != value:
                row[d] = None
    return out


def store_rt(
    key: str,
    counts: Floats,
    active: Bools,
    levels: Levels,
    start: datetime.date,
    from_index: int,
    params: Parameters,
    imported: Floats | None = None,
    *,
    reproduces: bool = True,
) -> rt_method.RtEstimates | None:
    """Rt for the towns and the district; None when the period is too short for a window or
    the series is not one transmission makes (``reproduces`` False: none stored).

    ``imported``: the part of ``counts`` exposed elsewhere (a series registered as its imported
    part), counted in the infectivity and never among the new local cases, as EpiEstim does."""
    days = counts.shape[1]
    RtEstimate.objects.filter(series=key, day__gte=_day(start, from_index)).delete()
    if days <= rt_method.DEFAULT_WINDOW or not reproduces:
        return None
    local = counts if imported is None else np.maximum(counts - imported, 0)
    estimates = rt_method.estimate_rt(
        local,
        imported=imported,
        si_mean=params.si_mean,
        si_sd=params.si_sd,
        from_day=from_index,
    )
    wanted = np.flatnonzero(active & levels.is_town_or_district).tolist()
    columns = {
        name: getattr(estimates, name)[:, from_index:].tolist()
        for name in ("mean", "sd", "median", "lower", "upper", "cases")
    }
    too_few = estimates.too_few_cases[:, from_index:].tolist()
    day_values = _days(start, from_index, days - from_index)
    insert_rows(
        RtEstimate,
        (
            "series",
            "area_id",
            "day",
            "mean",
            "sd",
            "median",
            "lower",
            "upper",
            "cases",
            "too_few_cases",
            "min_cases",
        ),
        (
            (
                key,
                levels.area_ids[r],
                day_values[d],
                columns["mean"][r][d],
                columns["sd"][r][d],
                columns["median"][r][d],
                columns["lower"][r][d],
                columns["upper"][r][d],
                int(columns["cases"][r][d]),
                too_few[r][d],
                estimates.min_cases,
            )
            for r in wanted
            for d in range(days - from_index)
            if columns["mean"][r][d] == columns["mean"][r][d]  # an estimate (not NaN)
        ),
    )
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
