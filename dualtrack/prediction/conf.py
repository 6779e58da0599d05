"""The early warning's settings, with their defaults and their checks.

``PREDICTION_C1_THRESHOLD``, ``PREDICTION_C2_THRESHOLD`` (3), ``PREDICTION_C3_THRESHOLD`` (2): a
score strictly above flags the day. ``PREDICTION_MIN_SIGMA`` (0): the smallest SD a score divides
by; with 0 a flat baseline flags any count above its mean and nothing else.
``PREDICTION_MIN_COUNT`` (5): the fewest counts over a day and the two before it for C1–C3 to
flag that day (0: no such rule); see ``methods.ears`` for why.
``PREDICTION_SI_MEAN`` (4.7 days) and ``PREDICTION_SI_SD`` (2.9): the serial interval of the Rt
estimate and the projection (COVID-19, Nishiura et al. 2020); a mean of 1 day or less or an SD of
0 or less is refused. ``PREDICTION_HISTORY_DAYS`` (365): how far back the daily recomputation
reads; ``PREDICTION_DAILY_DAYS`` (3): the newest days it rewrites.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from dualtrack.core.errors import ValidationFailed
from dualtrack.prediction.methods import ears, serial_interval

# The longest period one recomputation or one read covers.
MAX_RANGE_DAYS = 3 * 365 + 1


@dataclass(frozen=True)
class Parameters:
    c1_threshold: float
    c2_threshold: float
    c3_threshold: float
    min_sigma: float
    min_count: float
    si_mean: float
    si_sd: float


def check_serial_interval(si_mean: float, si_sd: float) -> None:
    """Refuse a serial interval the renewal model cannot use, naming the field."""
    if not math.isfinite(si_mean) or si_mean <= 1:
        raise ValidationFailed.for_field(
            "si_mean", _("The serial interval's mean must be more than 1 day.")
        )
    if not math.isfinite(si_sd) or si_sd <= 0:
        raise ValidationFailed.for_field(
            "si_sd", _("The serial interval's standard deviation must be more than 0 days.")
        )


def parameters(*, si_mean: float | None = None, si_sd: float | None = None) -> Parameters:
    """The settings in force, the serial interval overridden where given; checked."""
    mean = float(si_mean if si_mean is not None else _setting("SI_MEAN"))
    sd = float(si_sd if si_sd is not None else _setting("SI_SD"))
    check_serial_interval(mean, sd)
    return Parameters(
        c1_threshold=float(_setting("C1_THRESHOLD")),
        c2_threshold=float(_setting("C2_THRESHOLD")),
        c3_threshold=float(_setting("C3_THRESHOLD")),
        min_sigma=float(_setting("MIN_SIGMA")),
        min_count=float(_setting("MIN_COUNT")),
        si_mean=mean,
        si_sd=sd,
    )


def history_days() -> int:
    return int(_setting("HISTORY_DAYS"))


def daily_days() -> int:
    return int(_setting("DAILY_DAYS"))


_DEFAULTS: dict[str, float] = {
    "C1_THRESHOLD": ears.C1_THRESHOLD,
    "C2_THRESHOLD": ears.C2_THRESHOLD,
    "C3_THRESHOLD": ears.C3_THRESHOLD,
    "MIN_SIGMA": 0.0,
    "MIN_COUNT": 5.0,
    "SI_MEAN": serial_interval.DEFAULT_SI_MEAN,
    "SI_SD": serial_interval.DEFAULT_SI_SD,
    "HISTORY_DAYS": 365,
    "DAILY_DAYS": 3,
}


def _setting(name: str) -> float:
    return float(getattr(settings, f"PREDICTION_{name}", _DEFAULTS[name]))
