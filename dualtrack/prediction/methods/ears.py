"""CDC EARS aberration detection: C1, C2 and C3 (Fricker, Hegler & Dunfee, Stat Med 2008).

For the count ``y_t`` on day ``t`` and a baseline of ``n`` days (7 by default), with the baseline's
mean ``m`` and *sample* standard deviation ``s`` (divisor ``n - 1``):

- **C1**: baseline days ``t-7 … t-1``; ``C1_t = (y_t - m) / s``.
- **C2**: baseline days ``t-9 … t-3`` (a 2-day guard band between the baseline and today);
  ``C2_t = (y_t - m) / s``.
- **C3**: ``C3_t = sum over i = t-2 … t of max(0, C2_i - 1)``.

A signal is a score strictly above its threshold: C1 > 3, C2 > 3, C3 > 2 by default (settings).
There is no score (NaN, never a signal) before the baseline is complete: C1 from day ``n``
(0-based), C2 from day ``n + 2``, C3 from day ``n + 4``.

**A zero standard deviation.** The score divides by ``sigma = max(s, min_sigma)``. ``min_sigma``
defaults to 0; when sigma is 0 (a constant baseline, e.g. seven days without a fever) the score is
``+inf`` if the count is above the baseline mean and ``0`` otherwise. So with the default, a flat
baseline signals as soon as the count rises above it and never otherwise (``surveillance::earsC``
with ``minSigma = 0`` alarms on the same days for C1 and C2: its bound is then the mean). C3 adds
``max(0, C2 - 1)`` terms, so an infinite C2 makes C3 infinite. A positive ``min_sigma`` (e.g. 0.5)
keeps every score finite and needs a rise of ``threshold * min_sigma`` above a flat baseline.

**Sparse series: a minimum count.** ``min_count`` (default 0: off) is a separate rule on top
of the scores, not part of the textbook methods: a day is flagged (by C1, C2 or C3) only when the
counts of that day and the two before it (C3's span) add up to ``min_count`` or more; the scores
themselves are unchanged. With the minimum sigma at 0, one fever in a village after seven days
without any scores +inf, so across hundreds of villages with a case every few weeks each the
method alone flags several villages every day. Health offices running aberration detection on
sparse counts guard against that with a minimum number of cases: the Farrington method as the
UK and ECDC run it (``surveillance::algo.farrington``, control ``limit54 = c(5, 4)``) alarms
only with at least 5 cases in the last 4 weeks. This is that rule at EARS's daily scale.

**Where ``surveillance::earsC`` differs (its C3).** For C3, surveillance 1.20 sets the day's bound
to ``y_t + s_t * (z - P_t)``, where ``P_t = max(0, C2_{t-2} - 1) + max(0, C2_{t-1} - 1)`` (the two
earlier days only), floored at 0, and alarms when ``y_t`` exceeds it. That is, it alarms when
``P_t > z`` and ``y_t > 0``: today's own term ``max(0, C2_t - 1)`` never enters, so a sharp rise
today cannot raise a C3 signal today (week 62 of the S. Newport series: counts 1, 1, 5, textbook
C3 = 3.36, no alarm from surveillance). At the same threshold its C3 alarms are a subset of the
textbook's (``C3_t >= P_t``). Its default thresholds are also ``qnorm(1 - alpha)``: 3.09 for C1/C2
(alpha 0.001) and 1.96 for C3 (alpha 0.025), not 3, 3 and 2, and a zero SD with ``minSigma = 0``
makes its C3 undefined (NaN). This module follows the published definition (the sum over the
three days including today, Fricker et al. 2008 and the CDC's EARS documentation), which is what
an epidemiologist reading "C3" expects and which reacts to today's count; the tests show the days
of the S. Newport series on which the two disagree (35 of 517 weeks at the same threshold), and
rebuild surveillance's C3 bound exactly from this module's C2 parts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from numpy.lib.stride_tricks import sliding_window_view

# The public API, for the app built on it (and so that the dead-code check sees it as used).
__all__ = [
    "Baseline",
    "EarsResult",
    "baseline",
    "c3_from_c2",
    "ears",
    "enough_counts",
    "score",
    "upper_bound",
]

Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]

DEFAULT_BASELINE = 7
C1_THRESHOLD = 3.0
C2_THRESHOLD = 3.0
C3_THRESHOLD = 2.0
C1_LAG = 1  # the baseline ends the day before
C2_LAG = 3  # … three days before: a 2-day guard band


@dataclass(frozen=True, slots=True)
class Baseline:
    """A baseline per day, shaped like the series; NaN where the baseline is not complete."""

    mean: Floats
    sd: Floats  #: sample SD (n - 1)
    sigma: Floats  #: ``max(sd, min_sigma)``, the divisor of the score


@dataclass(frozen=True, slots=True)
class EarsResult:
    """C1, C2, C3 scores and signals per day, shaped like the series."""

    c1: Floats
    c2: Floats
    c3: Floats
    c1_signal: Bools
    c2_signal: Bools
    c3_signal: Bools
    c1_baseline: Baseline
    c2_baseline: Baseline


def _validate(counts: npt.ArrayLike, baseline: int, min_sigma: float, min_count: float) -> Floats:
    y = np.asarray(counts, dtype=np.float64)
    if y.ndim not in (1, 2):
        raise ValueError("The counts must be one series (days) or areas × days.")
    if not np.all(np.isfinite(y)):
        raise ValueError("The counts must be numbers, none missing.")
    if baseline < 3:
        raise ValueError(f"The baseline must be 3 days or more (got {baseline}).")
    if not min_sigma >= 0:
        raise ValueError(f"The minimum sigma must be 0 or more (got {min_sigma}).")
    if not min_count >= 0:
        raise ValueError(f"The minimum count must be 0 or more (got {min_count}).")
    return y


def baseline(counts: Floats, *, lag: int, length: int, min_sigma: float) -> Baseline:
    """For each day ``t``, the mean and SD of days ``t - lag - length + 1 … t - lag``."""
    mean: Floats = np.full(counts.shape, np.nan)
    sd: Floats = np.full(counts.shape, np.nan)
    first = lag + length - 1  # the first day with a full baseline
    days = counts.shape[-1]
    if days > first:
        windows = sliding_window_view(counts[..., : days - lag], length, axis=-1)
        mean[..., first:] = windows.mean(axis=-1)
        sd[..., first:] = windows.std(axis=-1, ddof=1)
    sigma: Floats = np.maximum(sd, min_sigma)  # NaN stays NaN
    return Baseline(mean=mean, sd=sd, sigma=sigma)


def upper_bound(base: Baseline, threshold: float) -> Floats:
    """The count above which the score exceeds ``threshold``: ``mean + threshold * sigma``.

    The top of the baseline band on a chart; surveillance's ``upperbound`` for C1 and C2.
    """
    result: Floats = base.mean + threshold * base.sigma
    return result


def score(counts: Floats, base: Baseline) -> Floats:
    """``(y - mean) / sigma``; for sigma 0, +inf above the mean, else 0; NaN without a baseline."""
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (counts - base.mean) / base.sigma
    flat = base.sigma == 0
    result: Floats = np.where(flat, np.where(counts > base.mean, np.inf, 0.0), z)
    return result


def c3_from_c2(c2: Floats) -> Floats:
    """``sum over i = t-2 … t of max(0, C2_i - 1)``; NaN unless all three C2 exist."""
    excess = np.maximum(c2 - 1.0, 0.0)  # NaN stays NaN
    c3: Floats = np.full(c2.shape, np.nan)
    c3[..., 2:] = excess[..., 2:] + excess[..., 1:-1] + excess[..., :-2]
    return c3


def _above(values: Floats, threshold: float) -> Bools:
    with np.errstate(invalid="ignore"):
        return np.asarray(values > threshold, dtype=np.bool_)  # NaN compares False


def enough_counts(counts: Floats, min_count: float) -> Bools:
    """Whether the counts of each day and the two before it (fewer at the start) add up to
    ``min_count`` or more: the days on which a score may flag."""
    padded = np.concatenate([np.zeros((*counts.shape[:-1], 2)), counts], axis=-1)
    span = padded[..., 2:] + padded[..., 1:-1] + padded[..., :-2]
    return np.asarray(span >= min_count, dtype=np.bool_)


def ears(
    counts: npt.ArrayLike,
    *,
    baseline_days: int = DEFAULT_BASELINE,
    min_sigma: float = 0.0,
    min_count: float = 0.0,
    c1_threshold: float = C1_THRESHOLD,
    c2_threshold: float = C2_THRESHOLD,
    c3_threshold: float = C3_THRESHOLD,
) -> EarsResult:
    """C1, C2 and C3 for one daily series, or for areas × days at once."""
    y = _validate(counts, baseline_days, min_sigma, min_count)
    b1 = baseline(y, lag=C1_LAG, length=baseline_days, min_sigma=min_sigma)
    b2 = baseline(y, lag=C2_LAG, length=baseline_days, min_sigma=min_sigma)
    c1 = score(y, b1)
    c2 = score(y, b2)
    c3 = c3_from_c2(c2)
    enough = enough_counts(y, min_count)
    return EarsResult(
        c1=c1,
        c2=c2,
        c3=c3,
        c1_signal=_above(c1, c1_threshold) & enough,
        c2_signal=_above(c2, c2_threshold) & enough,
        c3_signal=_above(c3, c3_threshold) & enough,
        c1_baseline=b1,
        c2_baseline=b2,
    )
