"""Cluster-robust inference against a hand computation (loop over clusters, scipy sqrtm) and statsmodels' CR1."""

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import linalg, stats

from loopbaanleren.errors import InputError
from loopbaanleren.stats.sandwich import cluster_robust


def tiny_data(seed: int = 3) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Five unequal clusters (3 to 9 rows), an intercept, a row-level and a cluster-level regressor."""
    rng = np.random.default_rng(seed)
    sizes = [3, 5, 9, 4, 7]
    cluster = np.repeat([f"H{g}" for g in range(5)], sizes)
    level = rng.normal(size=5)[np.repeat(np.arange(5), sizes)]
    x = rng.normal(size=len(cluster))
    y = 1 + 0.5 * x - 0.3 * level + rng.normal(0, 0.4, 5)[np.repeat(np.arange(5), sizes)] + rng.normal(size=len(x))
    order = rng.permutation(len(y))  # clusters interleaved, not in blocks
    X = np.column_stack([np.ones(len(y)), x, level])
    return y[order], X[order], cluster[order]


def hand_cr2(y, X, cluster):
    """CR2 and Bell–McCaffrey df written out: full n×n matrices, A_g by scipy.linalg.sqrtm, a loop over clusters."""
    n, k = X.shape
    bread = np.linalg.inv(X.T @ X)
    hat = X @ bread @ X.T
    residuals = y - X @ bread @ X.T @ y
    labels = np.unique(cluster)
    meat = np.zeros((k, k))
    # G[g] (n, k): column j is the n-vector G_g for coefficient j: (I - H)_{g.}' A_g X_g (X'X)^-1 e_j
    big = []
    for g in labels:
        rows = cluster == g
        adjust = linalg.inv(np.real(linalg.sqrtm(np.eye(rows.sum()) - hat[np.ix_(rows, rows)])))
        score = X[rows].T @ adjust @ residuals[rows]
        meat += np.outer(score, score)
        big.append((np.eye(n) - hat)[rows].T @ adjust @ X[rows] @ bread)
    vcov = bread @ meat @ bread
    df = []
    for j in range(k):
        gram = np.array([[big[g][:, j] @ big[h][:, j] for h in range(len(labels))] for g in range(len(labels))])
        df.append(np.trace(gram) ** 2 / np.sum(gram**2))
    return vcov, np.array(df), big


def test_cr2_matches_the_hand_computation():
    y, X, cluster = tiny_data()
    fit = cluster_robust(y, X, cluster, kind="CR2")
    vcov, df, _ = hand_cr2(y, X, cluster)
    np.testing.assert_allclose(fit.params, np.linalg.lstsq(X, y, rcond=None)[0], rtol=1e-12)
    np.testing.assert_allclose(fit.vcov, vcov, rtol=1e-10)
    np.testing.assert_allclose(fit.df, df, rtol=1e-10)
    np.testing.assert_allclose(fit.p, 2 * stats.t.sf(np.abs(fit.params / np.sqrt(np.diag(vcov))), df), rtol=1e-10)
    assert (fit.n, fit.n_clusters, fit.kind) == (28, 5, "CR2")
    assert np.all(fit.df < 4)  # Satterthwaite df lie below G - 1 here


def test_cr2_contrast_df_matches_the_hand_computation():
    y, X, cluster = tiny_data()
    fit = cluster_robust(y, X, cluster)
    vcov, _, big = hand_cr2(y, X, cluster)
    c = np.array([0.0, 1.0, -2.0])
    vectors = [b @ c for b in big]
    gram = np.array([[u @ v for v in vectors] for u in vectors])
    result = fit.contrast(c)
    assert result.value == pytest.approx(c @ fit.params, rel=1e-12)
    assert result.se == pytest.approx(np.sqrt(c @ vcov @ c), rel=1e-10)
    assert result.df == pytest.approx(np.trace(gram) ** 2 / np.sum(gram**2), rel=1e-10)
    half = stats.t.ppf(0.975, result.df) * result.se
    assert (result.ci_low, result.ci_high) == pytest.approx((result.value - half, result.value + half), rel=1e-12)
    single = fit.contrast(np.array([0.0, 1.0, 0.0]))  # a unit contrast is the coefficient's own test
    assert (single.se, single.df, single.p) == pytest.approx((fit.se[1], fit.df[1], fit.p[1]), rel=1e-10)


def test_cr1_matches_statsmodels_cluster():
    y, X, cluster = tiny_data()
    fit = cluster_robust(y, X, cluster, kind="CR1")
    groups = pd.factorize(cluster)[0]
    reference = sm.OLS(y, X).fit(cov_type="cluster", cov_kwds={"groups": groups}, use_t=True)
    np.testing.assert_allclose(fit.params, reference.params, rtol=1e-10)
    np.testing.assert_allclose(fit.vcov, reference.cov_params(), rtol=1e-10)
    np.testing.assert_allclose(fit.p, reference.pvalues, rtol=1e-10)
    low, high = fit.ci(0.9)
    np.testing.assert_allclose(np.column_stack([low, high]), reference.conf_int(alpha=0.1), rtol=1e-10)
    assert np.all(fit.df == 4) and fit.contrast(np.array([0.0, 1.0, 1.0])).df == 4


def test_cr2_with_every_cluster_of_one_row_is_hc2():
    """Singleton clusters: CR2 is HC2, (X'X)⁻¹ Σ x_i x_i' e_i² / (1 - h_ii) (X'X)⁻¹ (statsmodels)."""
    y, X, _ = tiny_data()
    fit = cluster_robust(y, X, np.arange(len(y)))
    np.testing.assert_allclose(fit.vcov, sm.OLS(y, X).fit(cov_type="HC2").cov_params(), rtol=1e-10)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda y, X, c: (np.where(np.arange(len(y)) == 4, np.nan, y), X, c), r"y has missing .* 1 row\(s\) \(4\)"),
        (lambda y, X, c: (y, np.where(np.arange(len(y))[:, None] == 2, np.inf, X), c), r"X has missing .* \(2\)"),
        (lambda y, X, c: (y, X, np.where(np.arange(len(y)) == 0, None, c)), r"cluster has missing .* \(0\)"),
        (lambda y, X, c: (y, X, np.full(len(y), "H0")), r"1 cluster\(s\), at least 2 needed"),
        (lambda y, X, c: (y, np.column_stack([X, 2 * X[:, 1]]), c), r"rank 3 < 4 columns"),
        (lambda y, X, c: (y[:-1], X, c), r"same n"),
        (lambda y, X, c: (y[:3], X[:3], c[:3]), r"3 row\(s\) for 3 coefficient\(s\)"),
    ],
)
def test_bad_input_is_one_clear_input_error(change, message):
    y, X, cluster = change(*tiny_data())
    with pytest.raises(InputError, match=message):
        cluster_robust(y, X, cluster)


def test_bad_kind_and_contrast_weights():
    y, X, cluster = tiny_data()
    with pytest.raises(InputError, match="unknown kind 'CR3'"):
        cluster_robust(y, X, cluster, kind="CR3")
    with pytest.raises(InputError, match="weights must be 3 finite numbers"):
        cluster_robust(y, X, cluster).contrast(np.array([1.0, 0.0]))
