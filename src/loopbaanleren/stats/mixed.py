"""The random-intercept model of respondents nested in hogescholen: its REML fit and the intra-class correlation."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import minimize_scalar
from statsmodels.regression.mixed_linear_model import MixedLM, MixedLMParams
from statsmodels.tools.sm_exceptions import ConvergenceWarning

from loopbaanleren.stats.distributions import t_quantile
from loopbaanleren.stats.results import CONFIDENCE, DesignMatrices, IntraclassCorrelation
from loopbaanleren.stats.samples import analysis_sample, cluster_count


BOUNDARY_RATIO = 1e-6
"""A REML variance ratio τ²/σ² below this is on the boundary: :func:`reml_ratio` searches down to e⁻²⁰ ≈ 2e-9 and
statsmodels stops within about 1e-9 of τ² = 0 where lme4 puts it at 0."""


def icc(data: pd.DataFrame, outcome: str, cluster: str, ci: float = CONFIDENCE) -> IntraclassCorrelation:
    """Intra-class correlation of ``outcome`` within ``cluster`` from the null random-intercept model.

    ICC = τ² / (τ² + σ²), estimated by REML (statsmodels MixedLM). The CI is a Wald interval for
    log(τ²/σ²) transformed back; with about eleven clusters it is a rough guide. When REML puts τ² on its
    boundary (τ²/σ² below :data:`BOUNDARY_RATIO`) that interval does not exist (the logarithm of 0, and the
    Wald SE of a parameter on its boundary means nothing; transformed back it would span [0, 1] whatever the
    data): the interval is then [0, NaN], the boundary as lower limit and the upper limit not estimated. ``tau2``
    and ``sigma2`` are the two variances.

    Parameters
    ----------
    data : DataFrame
        One row per respondent.
    outcome : str
        The numeric outcome column.
    cluster : str
        The cluster column (at least two clusters).
    ci : float, default 0.95
        Level of the interval.

    Returns
    -------
    IntraclassCorrelation
        ``value`` the ICC with its CI, ``n``, ``n_clusters``, ``tau2`` and ``sigma2``.

    References
    ----------
    Snijders, T. A. B. & Bosker, R. J. (2012). *Multilevel Analysis* (2nd ed.), ch. 3. London: Sage.
    R: ``lme4::lmer(outcome ~ 1 + (1 | cluster), REML = TRUE)`` with ``performance::icc``.

    Examples
    --------
    >>> rng = np.random.default_rng(5)
    >>> school = np.repeat(np.arange(8), 25)
    >>> data = pd.DataFrame({"y": rng.normal(size=8)[school] + rng.normal(size=200), "school": school})
    >>> est = icc(data, "y", "school")
    >>> round(est.value, 3), bool(est.value == est.tau2 / (est.tau2 + est.sigma2))
    (0.437, True)
    """
    where = f"icc({outcome!r})"
    sample = analysis_sample(data, [outcome, cluster], where, numeric=[outcome], min_rows=3)
    n_clusters = cluster_count(sample[cluster], where)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        constant = pd.DataFrame({"const": 1.0}, index=sample.index)
        fit = mixed_fit(sample[outcome], constant, sample[cluster])
    ratio, ratio_se = float(fit.params["Group Var"]), float(fit.bse["Group Var"])
    tau2, sigma2 = float(fit.cov_re.iloc[0, 0]), float(fit.scale)
    if ratio > BOUNDARY_RATIO and np.isfinite(ratio_se):
        half = t_quantile(0.5 + ci / 2) * ratio_se / ratio
        with np.errstate(over="ignore"):  # an unbounded upper limit becomes an ICC of 1
            low, high = np.exp(np.log(ratio) + np.array([-half, half]))
    else:
        low, high = 0.0, np.nan
    return IntraclassCorrelation(
        value=tau2 / (tau2 + sigma2),
        ci_low=_ratio_share(low),
        ci_high=_ratio_share(high),
        n=len(sample),
        n_clusters=n_clusters,
        tau2=tau2,
        sigma2=sigma2,
    )


def _ratio_share(ratio: float) -> float:
    """tau²/sigma² turned into tau²/(tau² + sigma²); an infinite ratio is a share of 1."""
    if np.isinf(ratio):
        return 1.0
    return float(ratio / (1 + ratio))


def reml_ratio(y: np.ndarray, X: np.ndarray, groups: np.ndarray) -> float:
    """The REML estimate of the variance ratio γ = τ²/σ² of a random-intercept model, from its profile likelihood.

    Per cluster V_g = σ²(I + γ11'), so X'V⁻¹X, X'V⁻¹y and y'V⁻¹y need only each cluster's size and column sums
    (Sherman–Morrison); with β and σ² profiled out the REML log-likelihood is a function of γ alone,
    -½[(N - p)·log(Q/(N - p)) + Σ log(1 + n_g γ) + log|X'V⁻¹X·σ²|] (Harville 1977, J. Am. Stat. Assoc. 72(358)),
    maximised over log γ by bounded Brent search. It serves as MixedLM's start, so statsmodels' optimiser starts
    at the optimum and keeps its own inference.

    Examples
    --------
    >>> rng = np.random.default_rng(5)
    >>> school = np.repeat(np.arange(8), 25)
    >>> y = rng.normal(size=8)[school] + rng.normal(size=200)
    >>> round(reml_ratio(y, np.ones((200, 1)), school), 4)
    0.775
    """
    codes, _ = pd.factorize(groups)
    n = np.bincount(codes).astype(float)
    sums = np.zeros((len(n), X.shape[1]))
    np.add.at(sums, codes, X)
    totals = np.bincount(codes, weights=y)
    XtX, Xty, yty = X.T @ X, X.T @ y, float(y @ y)
    rest = len(y) - X.shape[1]

    def minus_loglik(log_ratio: float) -> float:
        ratio = np.exp(log_ratio)
        c = ratio / (1 + n * ratio)
        A, b = XtX - (sums.T * c) @ sums, Xty - sums.T @ (c * totals)
        quadratic = yty - c @ totals**2 - b @ np.linalg.solve(A, b)
        return 0.5 * (rest * np.log(quadratic / rest) + np.log1p(n * ratio).sum() + np.linalg.slogdet(A)[1])

    found = minimize_scalar(minus_loglik, bounds=(-20.0, 8.0), method="bounded", options={"xatol": 1e-10})
    return float(np.exp(found.x))


def mixed_fit(y: pd.Series, design: pd.DataFrame, clusters: pd.Series) -> Any:
    """REML random-intercept fit (statsmodels MixedLM started at :func:`reml_ratio`). A fit that ends at that
    ratio is the REML optimum, also when statsmodels warns that the variance between clusters lies on the
    boundary; when it ends elsewhere without converging, refit with Powell's derivative-free method and keep
    the better fit."""
    model = MixedLM(y, design, groups=clusters)
    ratio = reml_ratio(np.asarray(model.endog, float), np.asarray(model.exog, float), np.asarray(model.groups))
    start = MixedLMParams.from_components(fe_params=np.zeros(model.k_fe), cov_re=np.array([[ratio]]))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fit = model.fit(reml=True, start_params=start)
    clean = fit.converged and not any(issubclass(w.category, ConvergenceWarning) for w in caught)
    at_optimum = abs(float(fit.cov_re.iloc[0, 0]) / float(fit.scale) - ratio) <= 1e-6 * max(1.0, ratio)
    if np.isfinite(fit.llf) and (clean or at_optimum):  # a variance on the boundary warns, at the profile optimum
        return fit
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        retry = model.fit(reml=True, method="powell")
    return retry if np.isfinite(retry.llf) and not (np.isfinite(fit.llf) and fit.llf > retry.llf) else fit


class MixedResult:
    """The parts of a statsmodels MixedLM result that the tables read (params, bse, pvalues, conf_int, fe_params,
    cov_re, scale, llf, converged, fittedvalues, model), without the model's copies of the data: statsmodels keeps
    the design whole, split per cluster and as a frame, about four times its size, for as long as the fit is cached.

    ``fittedvalues`` are conditional on the cluster effects; when REML puts the variance between clusters at zero
    statsmodels cannot predict those (then zero) effects, and the fitted values are the fixed part alone.
    """

    use_t = False

    def __init__(self, fit: Any, y: pd.Series, design: pd.DataFrame, clusters: pd.Series):
        self.params, self.bse, self.pvalues = fit.params, fit.bse, fit.pvalues
        self.fe_params, self.cov_re = fit.fe_params, fit.cov_re
        self.scale, self.llf, self.converged = float(fit.scale), float(fit.llf), bool(fit.converged)
        self.model = DesignMatrices.of(y, design, clusters)
        try:
            self.fittedvalues = np.asarray(fit.fittedvalues)
        except ValueError:  # singular random-effects covariance: every cluster effect is 0
            self.fittedvalues = self.model.exog @ self.fe_params.to_numpy()

    def conf_int(self, alpha: float = 0.05) -> pd.DataFrame:
        """Wald intervals at level 1 - ``alpha`` (normal quantiles, as statsmodels' ``conf_int``), columns 0 and 1."""
        half = t_quantile(1 - alpha / 2) * self.bse
        return pd.DataFrame({0: self.params - half, 1: self.params + half})
