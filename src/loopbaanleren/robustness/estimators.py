"""The multiverse's alternative estimators, each tested against an independent computation: the wild cluster
bootstrap (:func:`wild_cluster_test`, restricted, Webb or Rademacher weights), Rubin's rules (:func:`pool_rubin`),
chained-equation imputations, one-factor scale scores (:func:`factor_scores`) and the y*-standardised ordinal
coefficient (:func:`standardised_ordinal`)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cache

import numpy as np
import pandas as pd

from loopbaanleren.data.codebook import MIN_ITEM_SHARE, item_scores
from loopbaanleren.stats.regression import Regression, coefficient_table
from loopbaanleren.stats.distributions import t_quantile, t_sf
from loopbaanleren.stats.results import Estimate


def webb_weights(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Webb's six-point weights ±√(1/2), ±1, ±√(3/2), each with probability 1/6 (Webb 2014)."""
    values = np.array([-math.sqrt(1.5), -1.0, -math.sqrt(0.5), math.sqrt(0.5), 1.0, math.sqrt(1.5)])
    return values[rng.integers(0, 6, size=shape)]


@cache
def bootstrap_weights(n_clusters: int, draws: int, kind: str, seed: int) -> np.ndarray:
    """A (G, draws) matrix of wild-bootstrap weights per cluster, "webb" or "rademacher" (made once, read-only)."""
    rng = np.random.default_rng(seed)
    weights = webb_weights(rng, (n_clusters, draws)) if kind == "webb" else rng.choice([-1.0, 1.0], size=(n_clusters, draws))
    weights.flags.writeable = False
    return weights


@dataclass(frozen=True)
class WildTest:
    """A restricted wild cluster bootstrap test of c'β = r: the t statistic and its bootstrap p."""

    t: float
    p: float
    t_star: np.ndarray = field(repr=False)


class WildBootstrap:
    """A restricted wild cluster bootstrap of the OLS of ``y`` on ``X`` (WCR; Cameron, Gelbach & Miller 2008;
    MacKinnon & Webb 2017): what does not depend on the hypothesis is made once, :meth:`test` tests c'β = r.

    The bootstrap samples are y* = Xβ̃ + ũ·w_g, with β̃ the OLS fit under the restriction and ũ its residuals;
    w_g one weight per cluster and draw (``weights``, a (G, B) matrix in the order of the sorted cluster
    labels, or ``draws`` draws of ``kind``). Each t* (the cluster-robust t statistic) is computed from
    per-cluster sums without refitting: with q = X(X'X)⁻¹c, ũ = û + s·q for the scalar s of the restriction, so
    the per-cluster sums of X'ũ and q'ũ follow from those of X'û, X'q, q'û and q'q.
    """

    def __init__(self, y, X, cluster, weights: np.ndarray | None = None, draws: int = 999, kind: str = "webb",
                 seed: int = 0):
        from scipy import sparse

        y, self.X = np.asarray(y, float), np.asarray(X, float)
        codes, _ = pd.factorize(pd.Series(np.asarray(cluster)), sort=True)
        n_clusters = int(codes.max()) + 1
        n = len(codes)
        self.indicator = sparse.csr_matrix((np.ones(n), (codes, np.arange(n))), shape=(n_clusters, n))
        self.bread = np.linalg.inv(self.X.T @ self.X)
        self.beta = self.bread @ (self.X.T @ y)
        self.resid = y - self.X @ self.beta
        self.scores = self.indicator @ (self.X * self.resid[:, None])  # (G, k): X_g'û_g
        self.weights = (bootstrap_weights(n_clusters, draws, kind, seed) if weights is None
                        else np.asarray(weights, float))
        self._contrasts: dict[tuple[float, ...], tuple] = {}

    def _contrast(self, contrast) -> tuple:
        """c, and the per-cluster sums of q'û, q'q and X'q of q = X(X'X)⁻¹c, and the t statistic's error."""
        key = tuple(np.asarray(contrast, float).tolist())
        if key not in self._contrasts:
            c = np.asarray(key)
            q = self.X @ (self.bread @ c)  # c'β̂ = q'y
            qr = self.indicator @ (q * self.resid)
            self._contrasts[key] = (c, qr, self.indicator @ (q * q), self.indicator @ (self.X * q[:, None]),
                                    math.sqrt(np.sum(qr**2)))
        return self._contrasts[key]

    def test(self, contrast, r: float = 0.0, alternative: str = "two-sided") -> WildTest:
        """H0: c'β = r; the p-value is the share of draws with |t*| >= |t| ("two-sided"), t* >= t ("greater") or
        t* <= t ("less")."""
        c, qr, qq, xq, se = self._contrast(contrast)
        t = (c @ self.beta - r) / se
        shift = (c @ self.beta - r) / (c @ self.bread @ c)  # ũ = û + shift·q
        a = qr + shift * qq  # (G,): q_g'ũ_g
        S = self.scores + shift * xq  # (G, k): X_g'ũ_g
        A = np.diag(a) - xq @ self.bread @ S.T  # cluster scores of c'β* are A w
        w = self.weights
        t_star = (a @ w) / np.sqrt(np.sum((A @ w) ** 2, axis=0))
        tolerance = 1e-10 * max(1.0, abs(t))
        if alternative == "two-sided":
            p = np.mean(np.abs(t_star) >= abs(t) - tolerance)
        elif alternative == "greater":
            p = np.mean(t_star >= t - tolerance)
        else:
            p = np.mean(t_star <= t + tolerance)
        return WildTest(float(t), float(p), t_star)


def wild_cluster_test(y, X, cluster, contrast, r: float = 0.0, weights: np.ndarray | None = None, draws: int = 999,
                      kind: str = "webb", seed: int = 0, alternative: str = "two-sided") -> WildTest:
    """Wild cluster bootstrap of H0: c'β = r in the OLS of ``y`` on ``X``, null imposed (see :class:`WildBootstrap`).

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> X = np.column_stack([np.ones(40), rng.normal(size=40)])
    >>> y = X @ [1.0, 0.0] + rng.normal(size=40)
    >>> test = wild_cluster_test(y, X, np.repeat(np.arange(8), 5), [0, 1], draws=999, seed=2)
    >>> 0 < test.p < 1
    True
    """
    return WildBootstrap(y, X, cluster, weights, draws, kind, seed).test(contrast, r, alternative)


@dataclass(frozen=True)
class Pooled:
    """Rubin's rules: pooled estimates, their total standard errors, Barnard–Rubin df and two-sided p."""

    estimate: np.ndarray
    se: np.ndarray
    df: np.ndarray
    p: np.ndarray
    fraction_missing: np.ndarray


def pool_rubin(estimates, variances, df_complete=None) -> Pooled:
    """Pool m imputed analyses (rows) of k coefficients (columns) by Rubin's rules (Rubin 1987).

    T = W̄ + (1 + 1/m)·B; df by Barnard & Rubin (1999) when the complete-data ``df_complete`` is given, else
    Rubin's (m - 1)/λ² with λ = (1 + 1/m)·B/T.

    Examples
    --------
    >>> pooled = pool_rubin([[1.0], [1.2], [0.8]], [[0.04], [0.05], [0.03]])
    >>> round(float(pooled.se[0]), 4)
    0.3055
    """
    q = np.atleast_2d(np.asarray(estimates, float))
    u = np.atleast_2d(np.asarray(variances, float))
    m = q.shape[0]
    mean = q.mean(axis=0)
    within = u.mean(axis=0)
    between = q.var(axis=0, ddof=1)
    total = within + (1 + 1 / m) * between
    lam = np.where(total > 0, (1 + 1 / m) * between / total, 0.0)
    with np.errstate(divide="ignore"):
        df = np.where(lam > 0, (m - 1) / lam**2, np.inf)
        if df_complete is not None:
            nu = np.asarray(df_complete, float)
            observed = (nu + 1) / (nu + 3) * nu * (1 - lam)
            df = 1 / (1 / df + 1 / observed)
    se = np.sqrt(total)
    p = 2 * t_sf(np.abs(mean / se), df)
    return Pooled(mean, se, df, p, lam)


def chained_imputations(matrix: np.ndarray, m: int, seed: int) -> list[np.ndarray]:
    """``m`` completed copies of ``matrix`` (NaN for missing) by chained equations: scikit-learn's
    ``IterativeImputer`` with draws from the posterior, five rounds, seed ``seed + i`` for copy i.

    Complete columns are not modelled (``skip_complete``): their models predict nothing and draw no random
    numbers, so the copies are those of the imputer modelling every column, in a fraction of the time.

    Examples
    --------
    >>> x = np.array([[1.0, 2.0], [2.0, np.nan], [3.0, 6.0], [4.0, 8.0]])
    >>> [bool(np.isnan(copy).any()) for copy in chained_imputations(x, 2, seed=1)]
    [False, False]
    """
    from sklearn.experimental import enable_iterative_imputer  # noqa: F401
    from sklearn.impute import IterativeImputer

    return [IterativeImputer(sample_posterior=True, random_state=seed + i, max_iter=5, skip_complete=True)
            .fit_transform(matrix) for i in range(m)]


def factor_scores(frame: pd.DataFrame, scale, min_items: float = MIN_ITEM_SHARE) -> pd.Series:
    """One-factor scale scores: a maximum-likelihood factor analysis (scikit-learn ``FactorAnalysis``) of the
    z-scored, reverse-keyed items of complete respondents; respondents with at least ``min_items`` of the items
    are scored with their missing items at the item mean, oriented like the mean score.

    Each step of the fit takes the exact SVD of the scaled items (``svd_method="lapack"``); scikit-learn's default,
    a randomized SVD, approximates the same one and costs some twenty times as much on a scale's few items."""
    from sklearn.decomposition import FactorAnalysis

    items = item_scores(frame, scale)
    z = (items - items.mean()) / items.std(ddof=1)
    complete = z.dropna()
    scores = pd.Series(np.nan, index=frame.index, name=scale.name)
    if len(complete) < 2:  # a scale not measured (or too few complete answers): no scores, as for the mean score
        return scores
    model = FactorAnalysis(n_components=1, svd_method="lapack").fit(complete.to_numpy())
    enough = items.notna().sum(axis=1) >= np.ceil(min_items * len(scale.items))
    scores[enough] = model.transform(z[enough].fillna(0.0).to_numpy())[:, 0]
    if np.sign(np.nansum(model.components_[0])) < 0:
        scores = -scores
    return scores


class CoefficientView:
    """The parts of a fitted model that :meth:`Regression.coefficient` reads, from given numbers."""

    use_t = True

    def __init__(self, names: list[str], params, se, p, df):
        self.params = pd.Series(np.asarray(params, float), index=names)
        self.bse = pd.Series(np.asarray(se, float), index=names)
        self.pvalues = pd.Series(np.asarray(p, float), index=names)
        self.df_terms = None if df is None else pd.Series(np.asarray(df, float), index=names)
        self._intervals: dict[float, pd.DataFrame] = {}

    def conf_int(self, alpha: float = 0.05) -> pd.DataFrame:
        """The 1 - alpha t intervals of the coefficients (made once per level)."""
        if alpha not in self._intervals:  # read once per coefficient: made once
            q = t_quantile(1 - alpha / 2, self.df_terms)
            self._intervals[alpha] = pd.DataFrame({0: self.params - q * self.bse, 1: self.params + q * self.bse})
        return self._intervals[alpha]


def regression_from_view(base: Regression, view: CoefficientView, method: str, n: int | None = None) -> Regression:
    """A :class:`Regression` like ``base`` with the coefficients of ``view``, fitted by ``method``."""
    n = n or base.n
    estimates = Estimate.all_from_fit(view, list(view.params.index), n, base.n_clusters)
    table = coefficient_table(estimates, dict(zip(base.coefficients["term"], base.coefficients["role"])))
    return Regression(base.outcome, method, table, n, base.n_clusters, base.r2, base.icc, base.converged, view,
                             estimates=estimates)


def standardised_ordinal(fit: Regression) -> Regression:
    """An ordinal logit's coefficients in standard deviations of the latent outcome y* (McKelvey & Zavoina 1975):
    b / sqrt(var(Xb) + π²/3), their errors and intervals scaled alike, the p-values unchanged."""
    result = fit.fit
    terms = list(fit.coefficients["term"])
    b = result.params[terms].to_numpy()
    exog = np.asarray(result.model.exog)
    exog = pd.DataFrame(exog, columns=result.model.exog_names[: exog.shape[1]])[terms].to_numpy()
    scale = math.sqrt(np.var(exog @ b, ddof=1) + math.pi**2 / 3)
    df = np.full(len(terms), float(fit.n_clusters - 1))
    view = CoefficientView(terms, b / scale, result.bse[terms].to_numpy() / scale, result.pvalues[terms].to_numpy(), df)
    return regression_from_view(fit, view, "ordinal")
