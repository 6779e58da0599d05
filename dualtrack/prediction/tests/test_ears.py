"""EARS C1, C2, C3 against surveillance::earsC and by hand.

surveillance reports, for each day of its range, an upper bound and an alarm (count > bound). For
C1 and C2 the bound is ``mean + z * max(sd, minSigma)`` with ``z = qnorm(1 - alpha)``: the same
baseline this module computes, so the bounds are compared directly and the alarms against
``score > z``. Its C3 is not the textbook one (see ``ears``' docstring); its bound is rebuilt
here from this module's C2 parts, and the days on which the two C3s disagree are shown.
"""

import numpy as np
import pytest
from scipy.stats import norm

from dualtrack.prediction.methods.ears import ears, enough_counts, upper_bound
from dualtrack.prediction.tests.refdata import assert_close, column

# Absolute: the bounds are counts of order 1 to 100, and some are exactly 0.
TOLERANCE = 1e-9
Z_C1_C2 = norm.ppf(1 - 0.001)  # earsC's default alpha for C1 and C2: 3.0902…
Z_C3 = norm.ppf(1 - 0.025)  # … and for C3: 1.9599…

REFERENCES = [
    ("earsc_newport.csv", 0.0),
    ("earsc_sparse_minsigma0.csv", 0.0),
    ("earsc_sparse_minsigma0.5.csv", 0.5),
]


@pytest.mark.parametrize(("reference", "min_sigma"), REFERENCES)
@pytest.mark.parametrize("method", ["c1", "c2"])
def test_c1_c2_equal_earsc(reference, min_sigma, method):
    counts = column(reference, "count")
    result = ears(counts, min_sigma=min_sigma)
    base = result.c1_baseline if method == "c1" else result.c2_baseline
    expected = column(reference, f"{method}_upperbound")
    # The same days have a bound (C1 from week 8, C2 from week 10: a full baseline) …
    assert_close(upper_bound(base, Z_C1_C2), expected, abs_=TOLERANCE)
    # … and the same alarms, a zero SD included (earsC's bound is then the mean).
    alarms = column(reference, f"{method}_alarm")
    ranged = ~np.isnan(alarms)
    assert np.array_equal(getattr(result, method)[ranged] > Z_C1_C2, alarms[ranged] == 1)
    assert np.isnan(getattr(result, method)[~ranged]).all()


def test_surveillances_own_test_values():
    """surveillance's tests/testthat/test-earsC.R: 2011, C1, alpha 0.05, four bounds to 1e-6."""
    weeks = column("earsc_newport_2011_c1_alpha0.05.csv", "t").astype(int)
    counts = column("inputs/salmnewport_de_weekly.csv", "count")
    bound = upper_bound(ears(counts).c1_baseline, norm.ppf(0.95))[weeks - 1]
    assert_close(bound[:4], [3.278854, 3.278854, 3.436517, 3.855617], abs_=1e-6)
    assert_close(bound, column("earsc_newport_2011_c1_alpha0.05.csv", "upperbound"), abs_=TOLERANCE)


def _surveillance_c3_bound(counts, result):
    """earsC's C3 bound: y_t + sigma_t * (z - P_t), P_t the lag-1 and lag-2 terms, floored at 0."""
    excess = np.maximum(result.c2 - 1, 0)
    previous = np.full(counts.shape, np.nan)
    previous[2:] = excess[:-2] + excess[1:-1]
    with np.errstate(invalid="ignore"):
        return np.maximum(counts + result.c2_baseline.sigma * (Z_C3 - previous), 0)


@pytest.mark.parametrize(("reference", "min_sigma"), REFERENCES)
def test_surveillances_c3_is_rebuilt_from_these_c2_parts(reference, min_sigma):
    counts = column(reference, "count")
    result = ears(counts, min_sigma=min_sigma)
    expected = column(reference, "c3_upperbound")
    rebuilt = _surveillance_c3_bound(counts, result)
    # earsC's range for C3 starts at week 12, as the textbook C3 here; where earsC's C3 is NaN
    # (a zero SD with minSigma 0: 0/0 in its C2), this module's is defined.
    defined = ~np.isnan(expected)
    assert_close(rebuilt[defined], expected[defined], abs_=TOLERANCE)
    assert np.isnan(result.c3[:11]).all() and np.isnan(expected[:11]).all()
    if min_sigma == 0 and "sparse" in reference:
        undefined = np.isnan(expected) & ~np.isnan(result.c3)
        # Flat baselines: 0 where the count stays at the mean, +inf where it rises above it.
        assert undefined.sum() == 8
        assert set(result.c3[undefined].tolist()) == {0.0, np.inf}


def test_where_surveillances_c3_differs_from_the_textbook():
    """At the same threshold (1.96), earsC's C3 alarms are a subset of the textbook's.

    Week 62 of S. Newport: counts 1, 1, 5 on weeks 60-62; only today's C2 is high
    (max(0, C2 - 1) = 0, 0, 3.358), so the textbook C3 is 3.358 and signals, while earsC's
    bound leaves today's term out and does not alarm.
    """
    reference = "earsc_newport.csv"
    counts = column(reference, "count")
    result = ears(counts)
    alarms = column(reference, "c3_alarm")
    ranged = ~np.isnan(alarms)
    textbook = result.c3 > Z_C3
    surveillance = alarms == 1
    assert not (surveillance & ~textbook & ranged).any()
    missed = np.nonzero(textbook & ~surveillance & ranged)[0] + 1
    assert len(missed) == 35 and missed[0] == 62
    assert counts[59:62].tolist() == [1, 1, 5]
    assert result.c3[61] == pytest.approx(3.358, abs=1e-3)
    assert result.c3_signal[61]  # the default threshold 2 as well


def test_by_hand():
    """Baseline of 3 days, on a series whose every 3 consecutive days before day 9 are 1, 2, 3.

    day     0  1  2  3  4  5  6  7  8  9  10 11
    count   1  2  3  1  2  3  1  2  3  6  4  7
    C1 (baseline the 3 days before): mean 2, SD 1 up to day 9, so C1 = count - 2;
      day 10: baseline 2, 3, 6: mean 11/3, variance ((5/3)^2 + (2/3)^2 + (7/3)^2) / 2 = 13/3;
      day 11: baseline 3, 6, 4: mean 13/3, variance ((4/3)^2 + (5/3)^2 + (1/3)^2) / 2 = 7/3.
    C2 (baseline days t-5 … t-3): always a 1, 2, 3 baseline here, so C2 = count - 2.
    C3 = sum over t-2 … t of max(0, C2 - 1): max(0, C2 - 1) is 0 up to day 8, then 3, 1, 4.
    """
    counts = [1, 2, 3, 1, 2, 3, 1, 2, 3, 6, 4, 7]
    result = ears(counts, baseline_days=3)
    nan = np.nan
    c1 = [nan] * 3 + [
        -1,
        0,
        1,
        -1,
        0,
        1,
        4,
        (4 - 11 / 3) / np.sqrt(13 / 3),
        (7 - 13 / 3) / np.sqrt(7 / 3),
    ]
    assert_close(result.c1, c1, abs_=1e-15)
    assert_close(result.c2, [nan] * 5 + [1, -1, 0, 1, 4, 2, 5], abs_=1e-15)
    assert_close(result.c3, [nan] * 7 + [0, 0, 3, 4, 8], abs_=1e-15)
    assert np.nonzero(result.c1_signal)[0].tolist() == [9]
    assert np.nonzero(result.c2_signal)[0].tolist() == [9, 11]
    assert np.nonzero(result.c3_signal)[0].tolist() == [9, 10, 11]
    assert_close(result.c1_baseline.mean, [nan] * 3 + [2] * 7 + [11 / 3, 13 / 3], abs_=1e-15)


def test_thresholds_are_strict_and_settings():
    counts = [1, 2, 3, 1, 2, 3, 1, 2, 3, 6, 4, 7]  # C1 = 4, C2 = 4, C3 = 3 on day 9
    at = ears(counts, baseline_days=3, c1_threshold=4, c2_threshold=4, c3_threshold=3)
    assert not at.c1_signal[9] and not at.c2_signal[9] and not at.c3_signal[9]
    below = ears(
        counts, baseline_days=3, c1_threshold=3.999, c2_threshold=3.999, c3_threshold=2.999
    )
    assert below.c1_signal[9] and below.c2_signal[9] and below.c3_signal[9]


def test_a_flat_baseline():
    """Seven days of 2: SD 0. With min_sigma 0 the score is +inf above the mean, else 0."""
    flat = [2] * 7
    above, same, below = (ears([*flat, y]).c1[7] for y in (3, 2, 1))
    assert (above, same, below) == (np.inf, 0, 0)
    assert ears([*flat, 3]).c1_signal[7] and not ears([*flat, 2]).c1_signal[7]
    # C3 with an infinite C2 is infinite: a signal.
    result = ears([*[2] * 11, 3])
    assert result.c3[11] == np.inf and result.c3_signal[11]
    # A minimum sigma of 0.5: a rise of 1 scores 2 (no signal), a rise of 2 scores 4.
    assert ears([*flat, 3], min_sigma=0.5).c1[7] == 2
    assert ears([*flat, 4], min_sigma=0.5).c1_signal[7]


def test_a_minimum_count_over_the_day_and_the_two_before():
    """Scores unchanged; a flag only where the three days' counts reach the minimum."""
    quiet = [0.0] * 11
    for tail, flagged in (([1, 1, 2], False), ([1, 2, 2], True), ([0, 0, 5], True)):
        plain = ears([*quiet, *tail])
        ruled = ears([*quiet, *tail], min_count=5)
        assert plain.c2_signal[-1] and plain.c3_signal[-1]  # C2's baseline: all zeros
        for name in ("c1", "c2", "c3"):
            assert np.array_equal(getattr(ruled, name), getattr(plain, name), equal_nan=True)
        for name in ("c1_signal", "c2_signal", "c3_signal"):
            expected = bool(getattr(plain, name)[-1]) and flagged
            assert bool(getattr(ruled, name)[-1]) is expected, (tail, name)
    # Fewer than three days at the start: what there is counts.
    assert enough_counts(np.array([5.0, 0, 0, 0]), 5).tolist() == [
        True,
        True,
        True,
        False,
    ]


def test_no_score_before_a_full_baseline():
    result = ears(np.arange(20.0))
    assert np.isnan(result.c1[:7]).all() and np.isfinite(result.c1[7:]).all()
    assert np.isnan(result.c2[:9]).all() and np.isfinite(result.c2[9:]).all()
    assert np.isnan(result.c3[:11]).all() and np.isfinite(result.c3[11:]).all()
    assert not result.c1_signal[:7].any()
    short = ears([5, 9, 2])
    assert np.isnan(short.c1).all() and np.isnan(short.c3).all()


def test_areas_at_once_equal_one_at_a_time():
    rng = np.random.default_rng(14)
    series = rng.poisson(rng.uniform(0.2, 20, size=(8, 1)), size=(8, 120)).astype(float)
    together = ears(series)
    for area in range(8):
        alone = ears(series[area])
        for field in ("c1", "c2", "c3"):
            assert_close(getattr(together, field)[area], getattr(alone, field), abs_=0)
            assert np.array_equal(
                getattr(together, f"{field}_signal")[area], getattr(alone, f"{field}_signal")
            )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"baseline_days": 2}, "baseline must be 3 days or more"),
        ({"min_sigma": -1}, "minimum sigma must be 0 or more"),
        ({"min_sigma": float("nan")}, "minimum sigma must be 0 or more"),
        ({"min_count": -1}, "minimum count must be 0 or more"),
    ],
)
def test_bad_settings(kwargs, message):
    with pytest.raises(ValueError, match=message):
        ears(np.ones(20), **kwargs)


def test_bad_counts():
    with pytest.raises(ValueError, match="none missing"):
        ears([1, 2, np.nan, 4])
    with pytest.raises(ValueError, match="one series"):
        ears(np.ones((2, 2, 10)))
