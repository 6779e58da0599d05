"""Rt against EpiEstim::estimate_R (its own test snapshots and fresh runs) and by hand."""

import numpy as np
import pytest
from scipy import stats

from dualtrack.prediction.methods.rt import (
    estimate_rt,
    estimate_rt_with_distribution,
    overall_infectivity,
    posterior_quantile,
)
from dualtrack.prediction.tests.refdata import assert_close, column

# Relative: every reference value is a positive posterior summary (the smallest is about 0.005).
TOLERANCE = 1e-9

FLU = column("inputs/flu2009_incidence.csv", "I")
FLU_SI = column("inputs/flu2009_si_distr.csv", "w")
SARS = column("inputs/sars2003_incidence.csv", "I")
SARS_SI = column("inputs/sars2003_si_distr.csv", "w")
EXAMPLE2_LOCAL = column("epiestim_snapshot_example2_input.csv", "local")
EXAMPLE2_IMPORTED = column("epiestim_snapshot_example2_input.csv", "imported")

CASES = {
    # EpiEstim's own test snapshots (tests/expected_output/Example{1,2,3}.rds upstream).
    "epiestim_snapshot_example1.csv": lambda: estimate_rt_with_distribution(FLU, FLU_SI),
    "epiestim_snapshot_example2.csv": lambda: estimate_rt(
        EXAMPLE2_LOCAL, imported=EXAMPLE2_IMPORTED, si_mean=2.6, si_sd=1.5
    ),
    "epiestim_snapshot_example3.csv": lambda: estimate_rt(FLU, si_mean=2.6, si_sd=1.5),
    # estimate_R run here (make_reference.R) with its default weekly windows.
    "flu2009_parametric.csv": lambda: estimate_rt(FLU, si_mean=2.6, si_sd=1.5),
    "flu2009_non_parametric.csv": lambda: estimate_rt_with_distribution(FLU, FLU_SI),
    "sars2003_non_parametric.csv": lambda: estimate_rt_with_distribution(SARS, SARS_SI),
    "sars2003_parametric.csv": lambda: estimate_rt(SARS, si_mean=8.4, si_sd=3.8),
    "sars2003_parametric_4.7_2.9.csv": lambda: estimate_rt(SARS, cv_posterior=0.1),
}

FIELDS = {
    "mean": lambda e: e.mean,
    "sd": lambda e: e.sd,
    "median": lambda e: e.median,
    "q0.025": lambda e: e.lower,
    "q0.975": lambda e: e.upper,
    "q0.05": lambda e: posterior_quantile(e, 0.05),
    "q0.25": lambda e: posterior_quantile(e, 0.25),
    "q0.75": lambda e: posterior_quantile(e, 0.75),
    "q0.95": lambda e: posterior_quantile(e, 0.95),
}


@pytest.mark.parametrize("reference", sorted(CASES))
def test_equals_estimate_r(reference):
    estimates = CASES[reference]()
    t_end = column(reference, "t_end").astype(int)
    assert np.array_equal(column(reference, "t_start").astype(int), t_end - 6)
    days = estimates.mean.shape[-1]
    assert t_end[-1] == days
    for field, get in FIELDS.items():
        values = get(estimates)
        assert_close(values[t_end - 1], column(reference, field), rel=TOLERANCE)
        # Before the first window (its 1-based end is 8) there is no estimate at all.
        assert np.isnan(values[: t_end[0] - 1]).all()


def test_sars_windows_before_the_serial_intervals_mean_have_no_estimate():
    """EpiEstim gives no estimate while the window's end is not beyond the SI's mean (8.4)."""
    estimates = estimate_rt(SARS, si_mean=8.4, si_sd=3.8)
    assert np.isnan(column("sars2003_parametric.csv", "mean")[0])  # t_end 8 <= 8.4
    assert np.isnan(estimates.mean[7]) and np.isfinite(estimates.mean[8])
    assert not estimates.too_few_cases[7]  # no estimate, nothing to flag


def test_by_hand_with_a_one_day_serial_interval():
    """The serial interval is exactly one day (w = [0, 1]), so Lambda_t = cases_{t-1}.

    cases     3  2  4  6  3  8   (day 0 … 5; day 0's 3 cases count as imported)
    local     0  2  4  6  3  8
    Lambda    -  3  2  4  6  3
    Windows of 2 days with the prior Gamma(shape 1, scale 5), so shape = 1 + local, and
    scale = 1 / (1/5 + sum of Lambda):
      ends day 2: local 2+4 = 6,  Lambda 3+2 = 5,  shape 7,  scale 1/5.2
      ends day 3: local 4+6 = 10, Lambda 2+4 = 6,  shape 11, scale 1/6.2
      ends day 4: local 6+3 = 9,  Lambda 4+6 = 10, shape 10, scale 1/10.2
      ends day 5: local 3+8 = 11, Lambda 6+3 = 9,  shape 12, scale 1/9.2
    Mean = shape * scale, SD = sqrt(shape) * scale. Cases in the windows: 6, 10, 9, 11; the CV
    rule asks for ceil(1/0.3^2 - 1) = 11, so only the last window has enough.
    """
    estimates = estimate_rt_with_distribution([3, 2, 4, 6, 3, 8], [0, 1], window=2)
    nan = np.nan
    shape = np.array([nan, nan, 7, 11, 10, 12])
    scale = 1 / np.array([nan, nan, 5.2, 6.2, 10.2, 9.2])
    assert_close(estimates.shape, shape, rel=1e-15)
    assert_close(estimates.scale, scale, rel=1e-15)
    assert_close(estimates.mean, [nan, nan, 7 / 5.2, 11 / 6.2, 10 / 10.2, 12 / 9.2], rel=1e-15)
    assert_close(estimates.sd, np.sqrt(shape) * scale, rel=1e-15)
    assert_close(estimates.median, stats.gamma.ppf(0.5, shape, scale=scale), rel=1e-12)
    assert_close(estimates.lower, stats.gamma.ppf(0.025, shape, scale=scale), rel=1e-12)
    assert_close(estimates.upper, stats.gamma.ppf(0.975, shape, scale=scale), rel=1e-12)
    assert_close(estimates.cases, [nan, nan, 6, 10, 9, 11], rel=0)
    assert estimates.min_cases == 11
    assert estimates.too_few_cases.tolist() == [False, False, True, True, True, False]


def test_imported_cases_count_in_the_infectivity_not_the_numerator():
    """As above, with 5 imported cases on day 2: Lambda on day 3 is 4 + 5 = 9.

    Window ending day 3: local 4+6 = 10, Lambda 2+9 = 11, so shape 11, scale 1/11.2.
    """
    local = [3, 2, 4, 6, 3, 8]
    imported = [0, 0, 5, 0, 0, 0]
    estimates = estimate_rt_with_distribution(local, [0, 1], imported=imported, window=2)
    assert estimates.shape[3] == 11
    assert estimates.scale[3] == pytest.approx(1 / 11.2, rel=1e-15)
    assert estimates.cases[3] == 15  # the CV rule counts imported cases too, as EpiEstim
    assert overall_infectivity([3, 2, 9, 6, 3, 8], [0, 1])[1:].tolist() == [3, 2, 9, 6, 3]


def test_the_first_days_cases_are_imported():
    with_first = estimate_rt_with_distribution([7, 2, 4, 6], [0, 1], window=2)
    as_imported = estimate_rt_with_distribution(
        [0, 2, 4, 6], [0, 1], imported=[7, 0, 0, 0], window=2
    )
    assert_close(with_first.mean, as_imported.mean, rel=0)
    assert with_first.mean[2] == pytest.approx((1 + 2 + 4) / (0.2 + 7 + 2))


def test_areas_at_once_equal_one_at_a_time():
    rng = np.random.default_rng(14)
    series = rng.poisson(rng.uniform(1, 30, size=(6, 1)), size=(6, 90)).astype(float)
    together = estimate_rt(series)
    for area in range(6):
        alone = estimate_rt(series[area])
        for field in ("mean", "sd", "median", "lower", "upper", "cases"):
            assert_close(getattr(together, field)[area], getattr(alone, field), rel=1e-13)
        assert np.array_equal(together.too_few_cases[area], alone.too_few_cases)


def test_a_daily_update_asks_only_for_the_newest_window():
    series = np.vstack([SARS, SARS[::-1]])
    full = estimate_rt(series)
    newest = estimate_rt(series, from_day=106)
    for field in ("mean", "sd", "median", "lower", "upper", "cases"):
        values = getattr(newest, field)
        assert np.isnan(values[:, :106]).all()
        assert np.array_equal(values[:, 106], getattr(full, field)[:, 106])
    assert not newest.too_few_cases[:, :106].any()
    with pytest.raises(ValueError, match="first day to estimate must be within the series"):
        estimate_rt(series, from_day=107)


def test_the_callers_series_is_not_changed():
    cases = np.array([3.0, 2, 4, 6, 3, 8, 1, 2, 5])
    estimate_rt(cases)
    assert cases.tolist() == [3, 2, 4, 6, 3, 8, 1, 2, 5]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"si_mean": 1.0}, "mean must be a number above 1"),
        ({"si_sd": 0.0}, "SD must be a number above 0"),
        ({"si_sd": -2.9}, "SD must be a number above 0"),
        ({"window": 0}, "window must be 1 day or more"),
        ({"prior_sd": 0}, "prior's mean and SD must be above 0"),
        ({"cv_posterior": 0}, "coefficient of variation must be above 0"),
    ],
)
def test_bad_parameters(kwargs, message):
    with pytest.raises(ValueError, match=message):
        estimate_rt(FLU, **kwargs)


@pytest.mark.parametrize(
    ("cases", "message"),
    [
        ([1, 2, -1, 3, 4, 5, 6, 7, 8], "counts"),
        ([1, 2, np.nan, 3, 4, 5, 6, 7, 8], "counts"),
        ([1, 2, 3, 4, 5, 6, 7], "longer than the window"),
        (np.zeros((2, 2, 9)), "one series"),
    ],
)
def test_bad_series(cases, message):
    with pytest.raises(ValueError, match=message):
        estimate_rt(cases)


def test_imported_series_of_another_shape():
    with pytest.raises(ValueError, match="imported series must have the case series' shape"):
        estimate_rt(FLU, imported=FLU[:-1])
