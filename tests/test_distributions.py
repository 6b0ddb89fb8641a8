"""Student's t and the normal from scipy's special functions (loopbaanleren.stats.distributions): scipy.stats's values."""

import numpy as np
import pytest
from scipy import stats

from loopbaanleren.stats.distributions import t_cdf, t_quantile, t_sf

RNG = np.random.default_rng(2026)
Q = np.concatenate([RNG.random(2000), [1e-300, 0.025, 0.5, 0.975, 1 - 1e-16]])
X = np.concatenate([RNG.normal(0, 4, 2000), [0.0, 1e-300, 40.0, -40.0, np.inf, -np.inf]])


@pytest.mark.parametrize("df", [1, 2.5, 10, 76, 1e6, np.inf, None, np.linspace(1, 200, 7)])
def test_the_values_are_scipy_stats_values_bit_for_bit(df):
    dist, args = (stats.norm, ()) if df is None else (stats.t, (df,))
    q, x = (Q[:7], X[:7]) if isinstance(df, np.ndarray) else (Q, X)  # an array of df: one per coefficient
    assert np.array_equal(t_quantile(q, df), dist.ppf(q, *args))
    assert np.array_equal(t_sf(x, df), dist.sf(x, *args))
    assert np.array_equal(t_cdf(x, df), dist.cdf(x, *args))


def test_a_textbook_quantile_and_a_degenerate_df():
    assert round(float(t_quantile(0.975, 10)), 3) == 2.228  # the t table's 2.228 for 10 df
    assert round(float(t_quantile(0.975)), 2) == 1.96
    assert np.isnan(t_sf(1.0, 0)) and np.isnan(t_quantile(0.5, -1.0)) and np.isnan(t_cdf(1.0, np.nan))
