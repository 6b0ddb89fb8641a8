"""CR2 of loopbaanleren.stats.sandwich against an independent dense-matrix hand computation (and CR1 against statsmodels)."""

import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from cr2_helpers import cr2_dense
from scipy import stats

from loopbaanleren.stats.sandwich import cluster_robust


def _data(seed=3, n_clusters=6):
    rng = np.random.default_rng(seed)
    sizes = rng.integers(3, 9, n_clusters)
    g = np.repeat(np.arange(n_clusters), sizes)
    n = len(g)
    X = np.column_stack([np.ones(n), rng.normal(size=n), rng.integers(0, 2, n)])
    y = X @ [1.0, 0.5, -0.3] + rng.normal(size=n) + rng.normal(size=n_clusters)[g]
    return y, X, g


def _hand_cr2(y, X, g, c):
    """CR2 variance of c'b and its Bell-McCaffrey df, with the full n x n matrices (tests/cr2_helpers.py)."""
    _, se, df = cr2_dense(X, y, g, c)
    return se**2, df


def test_cr2_variance_and_df_match_the_dense_hand_computation():
    y, X, g = _data()
    fit = cluster_robust(y, X, g, kind="CR2")
    for j in range(X.shape[1]):
        c = np.eye(X.shape[1])[j]
        var, df = _hand_cr2(y, X, g, c)
        assert fit.vcov[j, j] == pytest.approx(var, rel=1e-9)
        assert fit.df[j] == pytest.approx(df, rel=1e-9)
        assert fit.p[j] == pytest.approx(2 * stats.t.sf(abs(fit.params[j]) / np.sqrt(var), df), rel=1e-8)
    c = np.array([0.0, 1.0, 1.0])
    var, df = _hand_cr2(y, X, g, c)
    contrast = fit.contrast(c)
    assert contrast.se == pytest.approx(np.sqrt(var), rel=1e-9)
    assert contrast.df == pytest.approx(df, rel=1e-9)


def test_intercept_only_with_balanced_clusters_has_g_minus_1_df_and_the_cluster_means_variance():
    g = np.repeat(np.arange(5), 4)
    y = np.arange(20, dtype=float) ** 1.3
    fit = cluster_robust(y, np.ones((20, 1)), g)
    means = pd.Series(y).groupby(g).mean()
    assert fit.df[0] == pytest.approx(4)
    assert fit.se[0] ** 2 == pytest.approx(means.var(ddof=1) / 5)  # CR2 is exact here


def test_cr1_matches_statsmodels_cluster_covariance():
    y, X, g = _data(seed=8)
    fit = cluster_robust(y, X, g, kind="CR1")
    reference = sm.OLS(y, X).fit(cov_type="cluster", cov_kwds={"groups": g}, use_t=True)
    assert np.allclose(fit.vcov, reference.cov_params(), rtol=1e-10)
    assert np.allclose(fit.p, reference.pvalues, rtol=1e-8)
    assert set(fit.df) == {5.0}


@pytest.mark.parametrize("seed", [1, 2])
def test_cr2_of_a_wide_design_in_small_clusters_matches_the_dense_hand_computation(seed):
    rng = np.random.default_rng(seed)
    g = np.repeat(np.arange(8), rng.integers(4, 8, 8))
    n = len(g)
    X = np.column_stack([np.ones(n), rng.normal(size=(n, 4)), rng.integers(0, 2, n)])
    y = X @ rng.normal(size=6) + rng.normal(size=n) + rng.normal(size=8)[g]
    fit = cluster_robust(y, X, g, kind="CR2")
    for j in range(X.shape[1]):
        var, df = _hand_cr2(y, X, g, np.eye(6)[j])
        assert fit.vcov[j, j] == pytest.approx(var, rel=1e-8)
        assert fit.df[j] == pytest.approx(df, rel=1e-8)


def test_column_rank_answers_as_numpy():
    from loopbaanleren.stats.sandwich import column_rank

    rng = np.random.default_rng(3)
    X = rng.standard_normal((500, 8))
    collinear = np.column_stack([X, X[:, 0] + X[:, 1]])
    nearly = np.column_stack([X, X[:, 0] + 1e-9 * rng.standard_normal(500)])
    for A in (X, collinear, nearly, X[:5], np.ones((10, 1)), np.zeros((4, 2))):
        assert column_rank(A) == np.linalg.matrix_rank(A)


@pytest.mark.parametrize("kind", ["CR1", "CR2"])
def test_a_constant_outcome_has_an_infinite_t_and_p_zero_without_a_warning(kind):
    """Every answer the same: the residuals and the standard error are exactly 0, so t = inf and p = 0 (as R's lm
    gives ``Inf``); no division warning (8 rows, so that (X'X)^-1 = 1/8 is exact)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fit = cluster_robust(np.full(8, 3.0), np.ones((8, 1)), np.repeat(np.arange(4), 2), kind)
    assert fit.params.tolist() == [3.0] and fit.se.tolist() == [0.0]
    assert fit.t.tolist() == [np.inf] and fit.p.tolist() == [0.0]
