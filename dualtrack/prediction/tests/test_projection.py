"""The renewal-equation projection: reproducible, the deterministic renewal, ordered bands."""

import numpy as np
import pytest

from dualtrack.prediction.methods.projection import project
from dualtrack.prediction.methods.rt import estimate_rt
from dualtrack.prediction.methods.serial_interval import discretise_serial_interval


def _series(areas=5, days=60, seed=3):
    rng = np.random.default_rng(seed)
    return rng.poisson(rng.uniform(5, 50, size=(areas, 1)), size=(areas, days)).astype(float)


def _project(cases, **kwargs):
    estimates = estimate_rt(cases)
    si = discretise_serial_interval(4.7, 2.9, cases.shape[-1] + 14)
    return project(cases, si, r_mean=estimates.mean[..., -1], r_sd=estimates.sd[..., -1], **kwargs)


def test_the_same_seed_gives_the_same_projection():
    cases = _series()
    first, again = _project(cases, seed=7), _project(cases, seed=7)
    for field in ("median", "lower_50", "upper_50", "lower_95", "upper_95", "mean"):
        assert np.array_equal(getattr(first, field), getattr(again, field))
    assert not np.array_equal(first.mean, _project(cases, seed=8).mean)


def test_an_areas_projection_does_not_depend_on_the_batch_with_keys():
    cases = _series()
    batch = _project(cases, seed=7, keys=[11, 12, 13, 14, 15])
    alone = _project(cases[2], seed=7, keys=[13])
    assert alone.median.shape == (14,)
    assert np.array_equal(batch.median[2], alone.median)
    assert np.array_equal(batch.upper_95[2], alone.upper_95)


def test_the_median_tracks_the_deterministic_renewal_when_r_is_fixed():
    """R = 1.2 exactly (SD 0), a serial interval of 1 or 2 days (w = [0, 0.5, 0.5]) and 1,000
    cases on each of the last two days. The renewal I_t = R * (0.5 I_{t-1} + 0.5 I_{t-2}) gives
      day 1: 1.2 * (0.5 * 1000 + 0.5 * 1000) = 1200
      day 2: 1.2 * (0.5 * 1200 + 0.5 * 1000) = 1320
      day 3: 1.2 * (0.5 * 1320 + 0.5 * 1200) = 1512
    Poisson noise is about 3 % of these; over 2,001 simulations the mean is within 0.2 % of the
    renewal (its expectation, the model being linear) and the median within 0.5 %.
    """
    result = project(
        [0, 0, 1000, 1000],
        [0, 0.5, 0.5],
        r_mean=[1.2],
        r_sd=[0],
        horizon=3,
        simulations=2001,
        seed=1,
    )
    renewal = np.array([1200, 1320, 1512])
    assert np.all(np.abs(result.mean / renewal - 1) < 0.002)
    assert np.all(np.abs(result.median / renewal - 1) < 0.005)
    # Without Poisson noise to speak of (R fixed, huge counts) the bands close in on it.
    assert np.all((result.lower_95 < renewal) & (renewal < result.upper_95))
    assert np.all((result.upper_95 - result.lower_95) / renewal < 0.15)


def test_r_zero_projects_no_cases():
    result = project([5, 5, 5], [0, 1], r_mean=[0], r_sd=[0], horizon=4, simulations=50)
    assert result.upper_95.tolist() == [0, 0, 0, 0]


def test_bands_are_ordered():
    for fix in (False, True):
        result = _project(_series(), seed=2, fix_r_within=fix)
        assert result.median.shape == (5, 14)
        assert np.all(result.lower_95 <= result.lower_50)
        assert np.all(result.lower_50 <= result.median)
        assert np.all(result.median <= result.upper_50)
        assert np.all(result.upper_50 <= result.upper_95)
        assert np.all(result.lower_95 >= 0)


def test_r_fixed_within_a_simulation_widens_the_bands():
    cases = _series()
    daily = _project(cases, seed=2)
    fixed = _project(cases, seed=2, fix_r_within=True)
    width = lambda p: p.upper_95[:, -1] - p.lower_95[:, -1]  # noqa: E731
    assert np.all(width(fixed) > width(daily))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"r_mean": [np.nan]}, "R means must be numbers"),
        ({"r_sd": [-1]}, "R SDs must be numbers"),
        ({"r_mean": [1, 2]}, "one R mean and one R SD per area"),
        ({"horizon": 0}, "horizon"),
        ({"keys": [-1]}, "one key of 0 or more per area"),
    ],
)
def test_bad_input(kwargs, message):
    arguments = {"r_mean": [1.1], "r_sd": [0.1], **kwargs}
    with pytest.raises(ValueError, match=message):
        project([1, 2, 3], [0, 0.5, 0.5], **arguments)


def test_quantiles_are_numpys_linear_quantiles():
    from dualtrack.prediction.methods.projection import QUANTILES, _quantiles

    rng = np.random.default_rng(5)
    sims = rng.poisson(30, size=(3, 4, 999)).astype(float)
    expected = np.quantile(sims, QUANTILES, axis=-1)
    assert np.allclose(_quantiles(sims.copy(), QUANTILES), expected, rtol=0, atol=1e-12)
