"""The instantaneous reproduction number Rt, as ``EpiEstim::estimate_R`` computes it.

Cori A. et al., Am J Epidemiol 2013;178:1505. Cases on day t are Poisson with mean
``R * Lambda_t``, where the infectivity ``Lambda_t = sum_{s>=1} w_s (L_{t-s} + M_{t-s})`` sums the
earlier days' local (``L``) and imported (``M``) cases weighted by the serial interval ``w``.
R is taken constant over a window of days; with a Gamma(shape ``a0``, scale ``b0``) prior the
posterior for the window is Gamma with

    shape = a0 + (local cases in the window)
    scale = 1 / (1 / b0 + (sum of Lambda over the window)).

Imported cases count in the infectivity, never in the numerator. The first day's cases are all
treated as imported (nothing earlier can have infected them). The prior's mean 5 and SD 5 give
shape 1, scale 5.

Windows slide by a day: the window ending on day ``d`` (0-based) covers days ``d - window + 1 …
d``, and the first window starts on the second day, as EpiEstim's default ``t_start = 2:(T-6)``,
``t_end = 8:T`` (1-based) for a week. Every result array has the series' shape and holds, at day
``d``, the estimate for the window ending on ``d``, NaN where there is none: before the first full
window, and (as EpiEstim) where ``d + 1`` (the 1-based window end) is not beyond the serial
interval's mean.

**Too few cases (EpiEstim's coefficient-of-variation rule).** The posterior's coefficient of
variation is ``1 / sqrt(shape)``. To bring it below ``cv_posterior`` (default 0.3) a window needs
at least ``ceil(1 / cv_posterior**2 - a0)`` cases (11 by default), counting local and imported
cases in the window. EpiEstim only warns when the first window falls short; here every window is
flagged (``too_few_cases``), and its estimate is still given, to be shown greyed with the reason.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from numpy.lib.stride_tricks import sliding_window_view
from scipy import special

from .serial_interval import (
    DEFAULT_SI_MEAN,
    DEFAULT_SI_SD,
    check_distribution,
    discretise_serial_interval,
    distribution_mean,
)

# The public API, for the app built on it (and so that the dead-code check sees it as used).
__all__ = [
    "RtEstimates",
    "estimate_rt",
    "estimate_rt_with_distribution",
    "overall_infectivity",
    "posterior_quantile",
]

Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]

DEFAULT_WINDOW = 7
DEFAULT_PRIOR_MEAN = 5.0
DEFAULT_PRIOR_SD = 5.0
DEFAULT_CV_POSTERIOR = 0.3


@dataclass(frozen=True, slots=True)
class RtEstimates:
    """Rt per window; every array is shaped like the series (areas × days, or days).

    At day ``d`` each array holds the estimate for the window of ``window`` days ending on ``d``.
    """

    shape: Floats  #: the Gamma posterior's shape
    scale: Floats  #: the Gamma posterior's scale
    mean: Floats
    sd: Floats
    median: Floats
    lower: Floats  #: 2.5 % quantile
    upper: Floats  #: 97.5 % quantile
    cases: Floats  #: cases (local and imported) in the window
    too_few_cases: Bools  #: an estimate whose window has fewer than ``min_cases`` cases
    window: int
    min_cases: int  #: the cases a window needs for a posterior CV below ``cv_posterior``
    si_mean: float  #: the mean of the (discretised) serial interval used


def posterior_quantile(estimates: RtEstimates, q: float) -> Floats:
    """The posterior's ``q`` quantile for every window (NaN where there is no estimate)."""
    return _gamma_quantile(q, estimates.shape, estimates.scale)


def _gamma_quantile(q: float, shape: Floats, scale: Floats) -> Floats:
    # scipy.stats.gamma.ppf(q, shape, scale=scale) evaluates exactly this, with more overhead.
    out: Floats = np.full(shape.shape, np.nan)
    ok = np.isfinite(shape)
    out[ok] = special.gammaincinv(shape[ok], q) * scale[ok]
    return out


def _as_counts(values: npt.ArrayLike, name: str) -> Floats:
    counts = np.array(values, dtype=np.float64)  # a copy: the caller's array is never changed
    if counts.ndim not in (1, 2):
        raise ValueError(f"{name} must be one series (days) or areas × days.")
    if not np.all(np.isfinite(counts)) or np.any(counts < 0):
        raise ValueError(f"{name} must be counts: numbers of 0 or more, none missing.")
    return counts


def _split_first_day(local: npt.ArrayLike, imported: npt.ArrayLike | None) -> tuple[Floats, Floats]:
    """Local and imported series, with the first day's local cases moved to imported."""
    loc = _as_counts(local, "The case series")
    imp = np.zeros_like(loc) if imported is None else _as_counts(imported, "The imported series")
    if imp.shape != loc.shape:
        raise ValueError("The imported series must have the case series' shape.")
    imp[..., 0] += loc[..., 0]
    loc[..., 0] = 0.0
    return loc, imp


def overall_infectivity(cases: npt.ArrayLike, si_distr: npt.ArrayLike) -> Floats:
    """``Lambda_t = sum_{s=1}^{t} w_s cases_{t-s}`` for each day (NaN on the first day).

    ``cases`` is the total (local and imported) per day; ``si_distr[s]`` the serial interval's
    probability of ``s`` days, ``si_distr[0]`` ignored. One series or areas × days.
    """
    total = np.asarray(cases, dtype=np.float64)
    w = np.asarray(si_distr, dtype=np.float64)
    days = total.shape[-1]
    padded = np.zeros(days, dtype=np.float64)
    n = min(days, w.size)
    padded[1:n] = w[1:n]
    # lag[j, t] = w_{t-j} for t > j: one matrix product for every area at once.
    steps = np.arange(days)
    lag_index = steps[None, :] - steps[:, None]
    lags = np.where(lag_index > 0, padded[np.clip(lag_index, 0, days - 1)], 0.0)
    infectivity: Floats = total @ lags
    infectivity[..., 0] = np.nan
    return infectivity


def _window_sums(values: Floats, window: int) -> Floats:
    """Sums over the window ending on each day; NaN where the window is not full."""
    out: Floats = np.full(values.shape, np.nan)
    out[..., window - 1 :] = sliding_window_view(values, window, axis=-1).sum(axis=-1)
    return out


def _validate(window: int, prior_mean: float, prior_sd: float, cv_posterior: float) -> None:
    if window < 1:
        raise ValueError(f"The estimation window must be 1 day or more (got {window}).")
    if not prior_mean > 0 or not prior_sd > 0:
        raise ValueError("The prior's mean and SD must be above 0.")
    if not cv_posterior > 0:
        raise ValueError("The posterior's target coefficient of variation must be above 0.")


def _estimate(
    local: Floats,
    imported: Floats,
    si_distr: Floats,
    *,
    window: int,
    prior_mean: float,
    prior_sd: float,
    cv_posterior: float,
    from_day: int,
) -> RtEstimates:
    _validate(window, prior_mean, prior_sd, cv_posterior)
    days = local.shape[-1]
    if days < window + 1:
        raise ValueError(f"The series must be longer than the window ({window} days).")
    if not 0 <= from_day < days:
        raise ValueError(f"The first day to estimate must be within the series (got {from_day}).")
    a_prior = (prior_mean / prior_sd) ** 2
    b_prior = prior_sd**2 / prior_mean
    total = local + imported
    si_mean = distribution_mean(si_distr)
    infectivity = overall_infectivity(total, si_distr)
    shape = a_prior + _window_sums(local, window)
    scale = 1.0 / (1.0 / b_prior + _window_sums(infectivity, window))
    cases = _window_sums(total, window)
    # The first window starts on the second day (the first day's infectivity is undefined), and
    # there is no estimate while the 1-based window end is not beyond the serial interval's mean.
    ends = np.arange(1, days + 1, dtype=np.float64)
    missing = (ends < window + 1) | ~(ends > si_mean) | (ends <= from_day)
    for array in (shape, scale, cases):
        array[..., missing] = np.nan
    min_cases = math.ceil(1.0 / cv_posterior**2 - a_prior)
    return RtEstimates(
        shape=shape,
        scale=scale,
        mean=shape * scale,
        sd=np.sqrt(shape) * scale,
        median=_gamma_quantile(0.5, shape, scale),
        lower=_gamma_quantile(0.025, shape, scale),
        upper=_gamma_quantile(0.975, shape, scale),
        cases=cases,
        too_few_cases=np.isfinite(cases) & (cases < min_cases),
        window=window,
        min_cases=min_cases,
        si_mean=si_mean,
    )


def estimate_rt(
    cases: npt.ArrayLike,
    *,
    imported: npt.ArrayLike | None = None,
    si_mean: float = DEFAULT_SI_MEAN,
    si_sd: float = DEFAULT_SI_SD,
    window: int = DEFAULT_WINDOW,
    prior_mean: float = DEFAULT_PRIOR_MEAN,
    prior_sd: float = DEFAULT_PRIOR_SD,
    cv_posterior: float = DEFAULT_CV_POSTERIOR,
    from_day: int = 0,
) -> RtEstimates:
    """Rt with a parametric serial interval (``estimate_R(method="parametric_si")``).

    ``cases`` are the local cases per day (all cases, if ``imported`` is not given), one series or
    areas × days; ``imported`` the imported cases, same shape. The serial interval (``si_mean``,
    ``si_sd`` in days) is discretised over the series' length; a mean of 1 or less or an SD of 0
    or less raises ``ValueError``, as do negative or missing counts.
    """
    local, imp = _split_first_day(cases, imported)
    si_distr = discretise_serial_interval(si_mean, si_sd, local.shape[-1])
    return _estimate(
        local,
        imp,
        si_distr,
        window=window,
        prior_mean=prior_mean,
        prior_sd=prior_sd,
        cv_posterior=cv_posterior,
        from_day=from_day,
    )


def estimate_rt_with_distribution(
    cases: npt.ArrayLike,
    si_distr: npt.ArrayLike,
    *,
    imported: npt.ArrayLike | None = None,
    window: int = DEFAULT_WINDOW,
    prior_mean: float = DEFAULT_PRIOR_MEAN,
    prior_sd: float = DEFAULT_PRIOR_SD,
    cv_posterior: float = DEFAULT_CV_POSTERIOR,
    from_day: int = 0,
) -> RtEstimates:
    """Rt with a given discrete serial interval (``estimate_R(method="non_parametric_si")``).

    ``si_distr[k]`` is the probability of ``k`` days, ``si_distr[0] == 0``, summing to 1; the
    other arguments as ``estimate_rt``.
    """
    local, imp = _split_first_day(cases, imported)
    return _estimate(
        local,
        imp,
        check_distribution(si_distr),
        window=window,
        prior_mean=prior_mean,
        prior_sd=prior_sd,
        cv_posterior=cv_posterior,
        from_day=from_day,
    )
