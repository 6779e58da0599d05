"""The serial interval: its discretisation (Cori et al. 2013, Web Appendix 11) and its checks.

The serial interval is the time between symptom onset in a case and in the case it infected.
With a mean ``mu`` and a standard deviation ``sigma`` in days, Cori et al. take ``1 + Gamma`` with
shape ``a = ((mu - 1) / sigma) ** 2`` and scale ``b = sigma ** 2 / (mu - 1)`` (so the interval is
at least one day) and give the probability of an interval of ``k`` whole days as

    w_k = k F(k) + (k - 2) F(k - 2) - 2 (k - 1) F(k - 1)
          + a b (2 F_{a+1}(k - 1) - F_{a+1}(k - 2) - F_{a+1}(k)),

where ``F`` is the CDF of Gamma(a, b), ``F_{a+1}`` that of Gamma(a + 1, b) and both are 0 below 0;
rounding errors below 0 are clipped to 0. ``w_0`` is 0. This is ``EpiEstim::discr_si``.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy import special

# The public API, for the app built on it (and so that the dead-code check sees it as used).
__all__ = [
    "check_distribution",
    "discretise_serial_interval",
    "distribution_mean",
    "validate_serial_interval",
]

Floats = npt.NDArray[np.float64]

#: The platform's default serial interval for COVID-19, in days (Nishiura et al. 2020).
DEFAULT_SI_MEAN = 4.7
DEFAULT_SI_SD = 2.9

#: How far a supplied distribution may sum away from 1 (EpiEstim's ``check_si_distr``).
SUM_TOLERANCE = 0.01


def validate_serial_interval(mean: float, sd: float) -> None:
    """Raise ``ValueError`` unless the mean exceeds 1 day and the SD is positive (and finite).

    The mean must exceed 1 because the discretised interval is 1 + a gamma variable; a zero SD
    would make the shape infinite.
    """
    if not np.isfinite(mean) or mean <= 1:
        raise ValueError(f"The serial interval's mean must be a number above 1 day (got {mean}).")
    if not np.isfinite(sd) or sd <= 0:
        raise ValueError(f"The serial interval's SD must be a number above 0 days (got {sd}).")


def _gamma_cdf(x: Floats, shape: float, scale: float) -> Floats:
    """Gamma(shape, scale) CDF at ``x``, 0 for ``x <= 0`` (as R's ``pgamma``)."""
    out: Floats = np.zeros_like(x)
    positive = x > 0
    out[positive] = special.gammainc(shape, x[positive] / scale)
    return out


def discretise_serial_interval(mean: float, sd: float, days: int) -> Floats:
    """``w_0 … w_{days-1}``: the serial interval's probability of each whole number of days.

    Not renormalised: the mass beyond ``days - 1`` is left out, as EpiEstim does when it
    discretises over the length of the series.
    """
    validate_serial_interval(mean, sd)
    if days < 1:
        raise ValueError(f"The serial interval needs at least one day (got {days}).")
    shape = ((mean - 1.0) / sd) ** 2
    scale = sd**2 / (mean - 1.0)
    k = np.arange(days, dtype=np.float64)

    def cdf(offset: float, shape_: float) -> Floats:
        return _gamma_cdf(k - offset, shape_, scale)

    w = k * cdf(0, shape) + (k - 2) * cdf(2, shape) - 2 * (k - 1) * cdf(1, shape)
    w = w + shape * scale * (2 * cdf(1, shape + 1) - cdf(2, shape + 1) - cdf(0, shape + 1))
    result: Floats = np.maximum(w, 0.0)
    return result


def check_distribution(si_distr: npt.ArrayLike) -> Floats:
    """A supplied discrete serial interval as floats, after EpiEstim's checks.

    ``si_distr[k]`` is the probability of ``k`` days; ``si_distr[0]`` must be 0, no value may be
    negative, and the values must sum to 1 within 0.01. Raises ``ValueError`` otherwise.
    """
    w = np.asarray(si_distr, dtype=np.float64)
    if w.ndim != 1 or w.size < 2:
        raise ValueError("The serial interval distribution must be a list of at least 2 values.")
    if not np.all(np.isfinite(w)):
        raise ValueError("The serial interval distribution must hold only numbers.")
    if w[0] != 0:
        raise ValueError("The serial interval distribution must give 0 to an interval of 0 days.")
    if np.any(w < 0):
        raise ValueError("The serial interval distribution may not hold negative values.")
    if abs(float(w.sum()) - 1.0) > SUM_TOLERANCE:
        raise ValueError("The serial interval distribution must sum to 1.")
    return w


def distribution_mean(si_distr: Floats) -> float:
    """``sum(k * w_k)``: the distribution's mean as given (not renormalised), as EpiEstim."""
    return float(np.sum(si_distr * np.arange(si_distr.size, dtype=np.float64)))
