"""The serial interval's discretisation against EpiEstim::discr_si and by hand."""

import math

import numpy as np
import pytest

from dualtrack.prediction.methods.serial_interval import (
    check_distribution,
    discretise_serial_interval,
    distribution_mean,
    validate_serial_interval,
)
from dualtrack.prediction.tests.refdata import assert_close, column

TOLERANCE = 1e-9  # absolute: every value is a probability, in [0, 1]


@pytest.mark.parametrize(
    ("field", "mean", "sd"),
    [
        ("si_4.7_2.9", 4.7, 2.9),
        ("si_2.6_1.5", 2.6, 1.5),
        ("si_8.4_3.8", 8.4, 3.8),
        ("si_2_1", 2, 1),
    ],
)
def test_equals_epiestim_discr_si(field, mean, sd):
    expected = column("discr_si.csv", field)
    assert_close(discretise_serial_interval(mean, sd, expected.size), expected, abs_=TOLERANCE)


def test_by_hand_for_an_exponential_interval():
    """Mean 2, SD 1: shape a = ((2-1)/1)^2 = 1 and scale b = 1, so the interval is 1 + Exp(1).

    Cori's w_k is E[max(0, 1 - |X - k|)] for X = 1 + Exp(1), whose density is e^{-(x-1)} on x > 1:
      w_0 = 0 (X > 1);
      w_1 = integral_0^1 (1 - u) e^{-u} du = e^{-1};
      w_k = e^{-(k-1)} integral_{-1}^{1} (1 - |u|) e^{-u} du = e^{-(k-1)} (e + e^{-1} - 2)
          = e^{-(k-2)} (1 - e^{-1})^2 for k >= 2.
    """
    e = math.exp(-1)
    expected = [0.0, e, (1 - e) ** 2, e * (1 - e) ** 2, e**2 * (1 - e) ** 2]
    assert_close(discretise_serial_interval(2, 1, 5), expected, abs_=1e-15)


def test_not_renormalised_and_its_mean():
    w = discretise_serial_interval(4.7, 2.9, 10)
    assert w.sum() < 1  # the mass beyond 9 days is left out, as EpiEstim over a short series
    assert distribution_mean(w) == pytest.approx(float(np.sum(np.arange(10) * w)))


@pytest.mark.parametrize(
    ("mean", "sd", "message"),
    [
        (1.0, 2.0, "mean must be a number above 1"),
        (0.5, 2.0, "mean must be a number above 1"),
        (float("nan"), 2.0, "mean must be a number above 1"),
        (4.7, 0.0, "SD must be a number above 0"),
        (4.7, -1.0, "SD must be a number above 0"),
        (4.7, float("inf"), "SD must be a number above 0"),
    ],
)
def test_bad_serial_interval(mean, sd, message):
    with pytest.raises(ValueError, match=message):
        validate_serial_interval(mean, sd)
    with pytest.raises(ValueError, match=message):
        discretise_serial_interval(mean, sd, 30)


@pytest.mark.parametrize(
    ("distribution", "message"),
    [
        ([0.1, 0.5, 0.4], "0 to an interval of 0 days"),
        ([0, 1.2, -0.2], "negative"),
        ([0, 0.5, 0.4], "sum to 1"),
        ([0], "at least 2 values"),
        ([0, float("nan")], "only numbers"),
    ],
)
def test_bad_distribution(distribution, message):
    with pytest.raises(ValueError, match=message):
        check_distribution(distribution)


def test_supplied_distribution_within_epiestims_tolerance():
    assert check_distribution([0, 0.5, 0.495]).tolist() == [0, 0.5, 0.495]
