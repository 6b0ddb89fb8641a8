"""Regression models with standardised coefficients for students or counsellors nested in hogescholen.

:func:`fit_regression` fits one outcome on predictors and controls in one of three ways (random-intercept
mixed model, OLS with cluster-robust errors, ordinal logit), always on the listwise-complete analysis
sample and always with z-scored continuous variables, so that the coefficients are standardised betas.
:func:`icc`, :func:`vif` and :func:`equivalence` support the reading of those models.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

import numpy as np
import pandas as pd
from statsmodels.miscmodels.ordinal_model import OrderedModel
from statsmodels.regression.linear_model import OLS
from statsmodels.regression.mixed_linear_model import MixedLM, MixedLMParams
from statsmodels.tools.sm_exceptions import ConvergenceWarning

from loopbaanleren.stats.distributions import t_cdf, t_quantile, t_sf
from loopbaanleren.errors import InputError, ParameterError
from loopbaanleren.stats.results import CONFIDENCE, Estimate, IntraclassCorrelation
from loopbaanleren.stats.samples import analysis_sample, cluster_count, levels

Method = Literal["ols_cr2", "mixed", "ols_cluster", "ordinal"]
METHODS: tuple[str, ...] = ("ols_cr2", "mixed", "ols_cluster", "ordinal")
DEGENERATE_ICC = 1e-3
"""A mixed model whose residual ICC is below this has (about) no variance between hogescholen: degenerate."""
MAX_ORDINAL_LEVELS = 10
BOUNDARY_RATIO = 1e-6
"""A REML variance ratio τ²/σ² below this is on the boundary: :func:`reml_ratio` searches down to e⁻²⁰ ≈ 2e-9 and
statsmodels stops within about 1e-9 of τ² = 0 where lme4 puts it at 0."""


@dataclass(frozen=True)
class Regression:
    """A fitted model: its standardised coefficients, sample sizes, fit statistics and statsmodels result.

    ``coefficients`` has one row per predictor or control: term, role ("predictor"/"control"), beta, se,
    ci_low, ci_high, p. ``r2`` is R² for "ols_cluster", the marginal R² σ²_f / (σ²_f + τ² + σ²) for "mixed"
    (Nakagawa & Schielzeth 2013; σ²_f the variance of the fixed part's fitted values with divisor n − 1, as R's
    ``var`` and ``performance::r2_nakagawa``, τ² and σ² the REML variances) and ``None`` for "ordinal". ``icc`` is the
    residual intra-class correlation of the mixed model, ``None`` otherwise (``degenerate`` when it is below
    :data:`DEGENERATE_ICC`: no variance between hogescholen, so the mixed model is OLS with model-based errors). ``converged`` is False when
    the optimiser failed or statsmodels warned about convergence, including a variance on the boundary.
    """

    outcome: str
    method: str
    coefficients: pd.DataFrame
    n: int
    n_clusters: int | None
    r2: float | None
    icc: float | None
    converged: bool
    fit: Any
    estimates: dict[str, Estimate] = field(default_factory=dict, repr=False, compare=False)
    """Each term's :class:`~loopbaanleren.stats.results.Estimate`, when made with the fit (else read off ``fit``)."""

    @property
    def degenerate(self) -> bool:
        """A mixed model with (about) no variance between hogescholen."""
        return self.icc is not None and self.icc < DEGENERATE_ICC

    def coefficient(self, term: str) -> Estimate:
        """The coefficient of ``term`` as an :class:`~loopbaanleren.stats.results.Estimate`, with its SE."""
        if term in self.estimates:
            return self.estimates[term]
        if term not in set(self.coefficients["term"]):
            raise ParameterError(f"{self.outcome}: no term {term!r} in the model")
        return Estimate.from_fit(self.fit, term, self.n, self.n_clusters)


def coefficient_table(estimates: Mapping[str, Estimate], roles: Mapping[str, str]) -> pd.DataFrame:
    """:attr:`Regression.coefficients` of a fit's ``estimates``: one row per term, its role from ``roles``
    (default "control")."""
    rows = [
        {"term": term, "role": roles.get(term, "control"), "beta": e.value, "se": e.se, "ci_low": e.ci_low,
         "ci_high": e.ci_high, "p": e.p}
        for term, e in estimates.items()
    ]
    return pd.DataFrame(rows)


class SeparationError(InputError):
    """The answers of an ordinal outcome are separated by the model's terms (complete or quasi-complete
    separation), so the proportional-odds estimates do not exist: the likelihood keeps rising as the coefficients
    run off to infinity. ``outcome`` and ``terms`` say where: each term that separates the answers on its own, else
    the terms of a separating combination (see :func:`separating_direction`)."""

    def __init__(self, where: str, outcome: str, terms: list[str]):
        self.outcome, self.terms = outcome, terms
        super().__init__(
            f"{where}: the answers are separated by {' and '.join(map(repr, terms))} (complete or quasi-complete "
            "separation): the proportional-odds estimates do not exist (they lie at infinity)"
        )


class Equivalence(NamedTuple):
    """Result of two one-sided tests: the TOST p-value, the (1 - 2·alpha) CI and the verdict."""

    p: float
    ci_low: float
    ci_high: float
    equivalent: bool


def ols(y: pd.Series, design: pd.DataFrame, clusters: pd.Series | None = None) -> Any:
    """OLS of ``y`` on ``design``; with ``clusters``, CR1 cluster-robust errors and t(G - 1) inference.

    CR1 scales the sandwich by G/(G-1)·(N-1)/(N-K); t with G - 1 degrees of freedom is the usual
    small-number-of-clusters correction (Cameron & Miller 2015, J. Human Resources 50(2)).
    """
    model = OLS(y, design)
    if clusters is None:
        return model.fit()
    return model.fit(cov_type="cluster", cov_kwds={"groups": pd.factorize(clusters)[0]}, use_t=True)


def fit_regression(
    data: pd.DataFrame,
    outcome: str,
    predictors: Sequence[str],
    controls: Sequence[str] = (),
    categorical: Sequence[str] = (),
    cluster: str | None = None,
    method: Method = "mixed",
) -> Regression:
    """Regress ``outcome`` on ``predictors`` and ``controls`` with standardised coefficients.

    The outcome and every continuous predictor and control are z-scored on the listwise-complete sample;
    ``categorical`` controls enter as dummies against their first level (category order, else sorted) and
    are not standardised.

    * ``"ols_cr2"`` (the primary analysis): OLS with CR2 cluster-robust errors and Bell–McCaffrey /
      Satterthwaite degrees of freedom per coefficient (:func:`loopbaanleren.stats.cluster_robust.cluster_robust`).
    * ``"mixed"`` (robustness check): linear mixed model with a random intercept per ``cluster`` (statsmodels MixedLM, REML);
      Wald z inference.
    * ``"ols_cluster"``: OLS with CR1 cluster-robust errors and t(G - 1) inference, see :func:`ols`.
    * ``"ordinal"``: proportional-odds logit (statsmodels OrderedModel) for an item with ordered integer
      answers; the outcome is not standardised, so a coefficient is the change in log-odds of a higher
      answer per standard deviation of the predictor. With ``cluster`` the errors are cluster-robust with
      t(G - 1) inference.

    Examples
    --------
    >>> rng = np.random.default_rng(4)
    >>> data = pd.DataFrame({"x": rng.normal(size=60), "school": np.repeat(list("abcdef"), 10)})
    >>> data["y"] = 0.5 * data["x"] + rng.normal(size=60)
    >>> est = fit_regression(data, "y", ["x"], cluster="school", method="ols_cr2").coefficient("x")
    >>> round(est.value, 3), round(est.p, 4), est.n
    (0.461, 0.0467, 60)
    """
    where = f"fit_regression({outcome!r})"
    continuous = [*predictors, *controls]
    _check_terms(where, outcome, continuous, list(categorical), cluster, method)
    columns = [outcome, *continuous, *categorical, *([cluster] if cluster else [])]
    sample = analysis_sample(
        data, columns, where, numeric=[outcome, *continuous], min_rows=len(continuous) + 2 * len(categorical) + 3
    )
    design = pd.concat([_zscore(sample[continuous], where), _dummies(sample, categorical, where)], axis=1)
    clusters = sample[cluster] if cluster else None
    n_clusters = cluster_count(clusters, where) if cluster else None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if method == "ordinal":
            fit, converged, r2, icc_value = _fit_ordinal(sample[outcome], design, clusters, where)
        else:
            y = _zscore(sample[[outcome]], where)[outcome]
            fitter = {"mixed": _fit_mixed, "ols_cr2": _fit_cr2}.get(method, _fit_ols)
            fit, converged, r2, icc_value = fitter(y, _with_constant(design), clusters)
    converged = converged and not any(issubclass(w.category, ConvergenceWarning) for w in caught)
    estimates = Estimate.all_from_fit(fit, list(design.columns), len(sample), n_clusters)
    return Regression(
        outcome=outcome,
        method=method,
        coefficients=coefficient_table(estimates, dict.fromkeys(predictors, "predictor")),
        n=len(sample),
        n_clusters=n_clusters,
        r2=r2,
        icc=icc_value,
        converged=converged,
        fit=fit,
        estimates=estimates,
    )


def icc(data: pd.DataFrame, outcome: str, cluster: str, ci: float = CONFIDENCE) -> IntraclassCorrelation:
    """Intra-class correlation of ``outcome`` within ``cluster`` from the null random-intercept model.

    ICC = τ² / (τ² + σ²), estimated by REML (statsmodels MixedLM). The CI is a Wald interval for
    log(τ²/σ²) transformed back; with about eleven clusters it is a rough guide. When REML puts τ² on its
    boundary (τ²/σ² below :data:`BOUNDARY_RATIO`) that interval does not exist (the logarithm of 0, and the
    Wald SE of a parameter on its boundary means nothing; transformed back it would span [0, 1] whatever the
    data): the interval is then [0, NaN], the boundary as lower limit and the upper limit not estimated. ``tau2``
    and ``sigma2`` are the two variances.

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


def vif(data: pd.DataFrame, predictors: Sequence[str]) -> pd.DataFrame:
    """Variance inflation factor per predictor: the diagonal of the inverse of their correlation matrix, which is
    1 / (1 - R²) of each predictor on the others with a constant (as statsmodels' ``variance_inflation_factor``)."""
    where = "vif"
    if len(predictors) < 2:
        raise ParameterError(f"{where}: at least two predictors needed, got {len(predictors)}")
    sample = analysis_sample(data, list(predictors), where, numeric=predictors, min_rows=len(predictors) + 2)
    correlation = np.corrcoef(_zscore(sample[list(predictors)], where).to_numpy(), rowvar=False)
    return pd.DataFrame({"term": list(predictors), "vif": np.diag(np.linalg.inv(correlation))})


def equivalence(beta: float, se: float, bound: float, alpha: float = 0.05, df: float | None = None) -> Equivalence:
    """Two one-sided tests of -bound < beta < bound (Schuirmann 1987; Lakens 2017).

    Uses the normal distribution, or t with ``df`` degrees of freedom when given. ``p`` is the larger of
    the two one-sided p-values; ``equivalent`` is ``p < alpha``, which is the same as the (1 - 2·alpha)
    confidence interval lying inside (-bound, bound).

    Examples
    --------
    >>> res = equivalence(0.02, 0.03, bound=0.1)
    >>> round(res.p, 4), round(res.ci_low, 3), round(res.ci_high, 3), res.equivalent
    (0.0038, -0.029, 0.069, True)
    >>> equivalence(0.08, 0.03, bound=0.1).equivalent
    False
    """
    problems = [
        message
        for bad, message in (
            (not se > 0, f"equivalence: se must be positive, got {se}"),
            (not bound > 0, f"equivalence: bound must be positive, got {bound}"),
            (not 0 < alpha < 0.5, f"equivalence: alpha must lie between 0 and 0.5, got {alpha}"),
            (df is not None and not df > 0, f"equivalence: df must be positive, got {df}"),
        )
        if bad
    ]
    if problems:
        raise ParameterError("\n".join(problems))
    p = max(t_sf((beta + bound) / se, df), t_cdf((beta - bound) / se, df))
    half = t_quantile(1 - alpha, df) * se
    return Equivalence(p=float(p), ci_low=float(beta - half), ci_high=float(beta + half), equivalent=bool(p < alpha))


def _check_terms(
    where: str, outcome: str, continuous: list[str], categorical: list[str], cluster: str | None, method: str
) -> None:
    problems = []
    if method not in METHODS:
        problems.append(f"{where}: unknown method {method!r}, choose one of {', '.join(METHODS)}")
    if method in ("mixed", "ols_cluster", "ols_cr2") and cluster is None:
        problems.append(f"{where}: method {method!r} needs a cluster column")
    if not continuous and not categorical:
        problems.append(f"{where}: no predictors given")
    terms = [outcome, *continuous, *categorical, *([cluster] if cluster else [])]
    problems += [f"{where}: column {name!r} used twice" for name in dict.fromkeys(terms) if terms.count(name) > 1]
    if problems:
        raise ParameterError("\n".join(problems))


def _with_constant(design: pd.DataFrame) -> pd.DataFrame:
    """``design`` with a first column "const" of ones (as statsmodels' ``add_constant(has_constant="add")``)."""
    out = design.copy()
    out.insert(0, "const", 1.0)
    return out


def _zscore(frame: pd.DataFrame, where: str) -> pd.DataFrame:
    """Columns centred on their mean and divided by their standard deviation (ddof=1)."""
    values = frame.to_numpy(float)
    centred = values - values.mean(axis=0)
    sd = np.sqrt((centred**2).sum(axis=0) / (len(values) - 1)) if len(values) > 1 else np.full(values.shape[1], np.nan)
    flat = [name for name, spread in zip(frame.columns, sd) if not spread > 0]
    if flat:
        raise InputError("\n".join(f"{where}: column {name!r} has no variance in the analysis sample" for name in flat))
    return pd.DataFrame(centred / sd, index=frame.index, columns=frame.columns)


def _dummies(sample: pd.DataFrame, categorical: Sequence[str], where: str) -> pd.DataFrame:
    """0/1 columns named ``column[level]`` for every level but the first of each categorical column."""
    columns = {}
    for name in categorical:
        present = levels(sample[name])
        if len(present) < 2:
            raise InputError(f"{where}: categorical column {name!r} has fewer than two levels in the analysis sample")
        values = sample[name].to_numpy()
        for level in present[1:]:
            columns[f"{name}[{level}]"] = (values == level).astype(float)
    return pd.DataFrame(columns, index=sample.index)


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
    from scipy.optimize import minimize_scalar

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


def _fit_mixed(y: pd.Series, design: pd.DataFrame, clusters: pd.Series) -> tuple[Any, bool, float, float]:
    """Random-intercept model: the fit, whether it converged, marginal R² and residual ICC."""
    fit = MixedResult(mixed_fit(y, design, clusters), y, design, clusters)
    tau2, sigma2 = float(fit.cov_re.iloc[0, 0]), fit.scale
    fixed = float(np.var(fit.model.exog @ fit.fe_params.to_numpy(), ddof=1))  # n − 1, as performance::r2_nakagawa
    return fit, bool(fit.converged and np.isfinite(fit.llf)), fixed / (fixed + tau2 + sigma2), tau2 / (tau2 + sigma2)


@dataclass(frozen=True)
class DesignMatrices:
    """What the tables read of a fitted model (``endog``, ``exog``, ``exog_names``, ``data.row_labels``, and a mixed
    model's ``groups``), without the two rank computations (full SVDs) with which statsmodels' ``OLS`` starts."""

    endog: np.ndarray
    exog: np.ndarray
    exog_names: list[str]
    row_labels: pd.Index
    groups: np.ndarray | None = None

    @classmethod
    def of(cls, y: pd.Series, design: pd.DataFrame, groups: pd.Series | None = None) -> DesignMatrices:
        """The outcome, design and (a mixed model's) clusters of a fit as float arrays, named as the design."""
        return cls(y.to_numpy(float), design.to_numpy(float), list(design.columns), y.index,
                   None if groups is None else groups.to_numpy())

    @property
    def data(self) -> DesignMatrices:
        """As statsmodels' ``model.data``: holds ``row_labels``."""
        return self


class CR2Result:
    """The parts of a statsmodels result that the tables read (params, bse, pvalues, conf_int, model), from CR2."""

    use_t = True

    def __init__(self, y: pd.Series, design: pd.DataFrame, clusters: pd.Series):
        from loopbaanleren.stats.cluster_robust import cluster_robust

        self.model = model = DesignMatrices.of(y, design)
        names = model.exog_names
        self.robust = cluster_robust(model.endog, model.exog, clusters.to_numpy(), kind="CR2")
        self.params = pd.Series(self.robust.params, index=names)
        self.bse = pd.Series(self.robust.se, index=names)
        self.pvalues = pd.Series(self.robust.p, index=names)
        self.df_terms = pd.Series(self.robust.df, index=names)
        fitted = model.exog @ self.robust.params
        self.fittedvalues = pd.Series(fitted, index=y.index)
        self.rsquared = float(1 - np.sum((y.to_numpy() - fitted) ** 2) / np.sum((y.to_numpy() - y.mean()) ** 2))
        self._intervals: dict[float, pd.DataFrame] = {}

    def conf_int(self, alpha: float = 0.05) -> pd.DataFrame:
        """Each coefficient's CR2 interval at level 1 - ``alpha`` (Satterthwaite t), as statsmodels' columns 0 and 1."""
        if alpha not in self._intervals:  # read once per coefficient: made once
            low, high = self.robust.ci(1 - alpha)
            self._intervals[alpha] = pd.DataFrame({0: low, 1: high}, index=self.params.index)
        return self._intervals[alpha]


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


def _fit_cr2(y: pd.Series, design: pd.DataFrame, clusters: pd.Series) -> tuple[Any, bool, float, None]:
    fit = CR2Result(y, design, clusters)
    return fit, True, fit.rsquared, None


def _fit_ols(y: pd.Series, design: pd.DataFrame, clusters: pd.Series) -> tuple[Any, bool, float, None]:
    fit = ols(y, design, clusters)
    return fit, True, float(fit.rsquared), None


class OrderedLogit(OrderedModel):
    """statsmodels' proportional-odds logit (``OrderedModel``, ``distr="logit"``) with analytic derivatives.

    statsmodels differentiates the log-likelihood numerically (a gradient costs k + J - 1 likelihoods, the Hessian
    their square); here the score per observation and the Hessian are exact, in statsmodels' own parameters
    (coefficients, the first threshold, log increments of the others), so Newton's method converges in a few
    steps and the cluster-robust sandwich uses exact derivatives. The model and its estimates are statsmodels'.

    Examples
    --------
    >>> rng = np.random.default_rng(3)
    >>> x = rng.normal(size=(300, 1))
    >>> y = np.digitize(x[:, 0] + rng.logistic(size=300), [-1.0, 0.0, 1.0])
    >>> model = OrderedLogit(y, x, distr="logit")
    >>> fit = model.fit(method="newton", disp=False)
    >>> from statsmodels.tools.numdiff import approx_fprime
    >>> bool(np.allclose(model.score(fit.params), 0, atol=1e-6))
    True
    >>> bool(np.allclose(model.hessian(fit.params), approx_fprime(fit.params, model.score), rtol=1e-5, atol=1e-4))
    True
    """

    def _parts(self, params: np.ndarray):
        """Per observation: the bounds' Jacobians in the parameters, f(u)/p, f(l)/p, f'(u)/p, f'(l)/p."""
        params = np.asarray(params, float)
        k, increments = self.k_vars, np.exp(params[self.k_vars + 1:])
        thresholds = self.transform_threshold_params(params)
        jacobian = np.tril(np.ones((self.k_levels - 1, self.k_levels - 1)))  # d threshold_j / d parameter_m
        jacobian[:, 1:] *= increments
        jacobian = np.vstack([np.zeros(self.k_levels - 1), jacobian, np.zeros(self.k_levels - 1)])  # ±inf rows
        xb = self._linpred(params)
        upp, low = thresholds[self.endog + 1] - xb, thresholds[self.endog] - xb
        exog = np.asarray(self.exog, float).reshape(len(xb), k)
        d_upp = np.hstack([-exog, jacobian[self.endog + 1]])
        d_low = np.hstack([-exog, jacobian[self.endog]])
        cdf_u, cdf_l = self.cdf(upp), self.cdf(low)
        prob = np.maximum(cdf_u - cdf_l, 0) + 1e-20  # as statsmodels' loglikeobs
        pdf_u, pdf_l = cdf_u * (1 - cdf_u), cdf_l * (1 - cdf_l)
        return d_upp, d_low, pdf_u / prob, pdf_l / prob, pdf_u * (1 - 2 * cdf_u) / prob, pdf_l * (1 - 2 * cdf_l) / prob

    def score_obs(self, params: np.ndarray) -> np.ndarray:
        """Each observation's gradient of its log-likelihood (n × parameters)."""
        d_upp, d_low, g_u, g_l, _, _ = self._parts(params)
        return g_u[:, None] * d_upp - g_l[:, None] * d_low

    def score(self, params: np.ndarray) -> np.ndarray:
        """The gradient of the log-likelihood."""
        return self.score_obs(params).sum(axis=0)

    def hessian(self, params: np.ndarray) -> np.ndarray:
        """The Hessian of the log-likelihood: the bounds' second derivatives plus the log increments' curvature."""
        d_upp, d_low, g_u, g_l, h_u, h_l = self._parts(params)
        cross = g_u * g_l
        hessian = ((d_upp * (h_u - g_u**2)[:, None]).T @ d_upp - (d_low * (h_l + g_l**2)[:, None]).T @ d_low
                   + (d_upp * cross[:, None]).T @ d_low + (d_low * cross[:, None]).T @ d_upp)
        k = self.k_vars
        increments = np.exp(np.asarray(params, float)[k + 1:])
        # d² threshold_j / d(log increment_m)² = increment_m for m <= j: weighted by d loglik / d threshold_j
        per_threshold = np.zeros(self.k_levels + 1)
        np.add.at(per_threshold, self.endog + 1, g_u)
        np.add.at(per_threshold, self.endog, -g_l)
        above = per_threshold[1:self.k_levels][::-1].cumsum()[::-1]  # sum over thresholds j >= m
        hessian[np.arange(k + 1, k + self.k_levels - 1), np.arange(k + 1, k + self.k_levels - 1)] += increments * above[1:]
        return hessian


def separating_direction(codes: np.ndarray, X: np.ndarray, tol: float = 1e-7) -> np.ndarray | None:
    """A direction b of the coefficients along which the proportional-odds likelihood of the answers ``codes``
    (0 to J − 1, each present) on the design ``X`` (no constant) rises without bound, or None when its maximum exists.

    The log-likelihood Σ log[F(θ_yᵢ − xᵢb) − F(θ_yᵢ₋₁ − xᵢb)] is concave (Pratt 1981, J. Am. Stat. Assoc. 76(373)),
    so its maximum is attained unless a direction (b, c) of (β, θ) exists with xᵢb ≤ c_yᵢ for every answer below the
    top and xᵢb ≥ c_yᵢ₋₁ for every answer above the bottom, one of them strictly: the answers are then separated
    (completely or quasi-completely) by the combination Xb, as for the logit (Albert & Anderson 1984, Biometrika
    71(1)). Such a direction is sought by the linear programme of Konis (2007, D.Phil. thesis, Oxford): maximise
    the sum of those slacks over −1 ≤ b, c ≤ 1 (HiGHS, scipy ``linprog``); the answers are separated when a slack
    exceeds ``tol``.

    Examples
    --------
    >>> x = np.array([[-2.0], [-1.0], [0.5], [1.0], [2.0]])
    >>> separating_direction(np.array([0, 0, 1, 1, 2]), x) is not None  # x orders the answers perfectly
    True
    >>> separating_direction(np.array([0, 1, 0, 2, 1]), x) is None
    True
    """
    from scipy.optimize import linprog

    codes = np.asarray(codes, dtype=int)
    n, k = X.shape
    levels = int(codes.max())  # J − 1 thresholds
    rows = np.arange(n)
    below, above = codes < levels, codes > 0
    # slack u_i = c[y_i] − x_i b (answers below the top), l_i = x_i b − c[y_i − 1] (answers above the bottom)
    upper = np.hstack([-X[below], np.zeros((below.sum(), levels))])
    upper[rows[: below.sum()], k + codes[below]] = 1.0
    lower = np.hstack([X[above], np.zeros((above.sum(), levels))])
    lower[rows[: above.sum()], k + codes[above] - 1] = -1.0
    slacks = np.vstack([upper, lower])
    found = linprog(-slacks.sum(axis=0), A_ub=-slacks, b_ub=np.zeros(len(slacks)), bounds=(-1, 1), method="highs")
    if found.status != 0 or np.max(slacks @ found.x, initial=0.0) <= tol:
        return None
    return found.x[:k]


def _fit_ordinal(
    y: pd.Series, design: pd.DataFrame, clusters: pd.Series | None, where: str
) -> tuple[Any, bool, None, None]:
    """Proportional-odds logit of an item with whole-number answers; :class:`SeparationError` when the terms
    separate the answers (:func:`separating_direction`)."""
    answers = np.sort(y.unique())
    if not np.all(answers == np.round(answers)) or not 2 <= len(answers) <= MAX_ORDINAL_LEVELS:
        raise InputError(
            f"{where}: ordinal outcome needs 2 to {MAX_ORDINAL_LEVELS} whole-number answers, "
            f"found {len(answers)} values"
        )
    codes, X = np.searchsorted(answers, y.to_numpy()), design.to_numpy(float)
    direction = separating_direction(codes, X)
    if direction is not None:
        alone = [name for j, name in enumerate(design.columns) if separating_direction(codes, X[:, [j]]) is not None]
        weight = np.abs(direction)
        combination = [design.columns[j] for j in np.argsort(-weight, kind="stable") if weight[j] > 1e-6 * weight.max()]
        raise SeparationError(where, str(y.name), alone or combination)
    ordered = pd.Series(pd.Categorical(y, categories=answers, ordered=True), index=y.index)
    robust = {} if clusters is None else {
        "cov_type": "cluster",
        "cov_kwds": {"groups": pd.factorize(clusters)[0]},
        "use_t": True,
    }
    model = OrderedLogit(ordered, design, distr="logit")
    fit = model.fit(method="newton", disp=False, maxiter=100, **robust)
    if not fit.mle_retvals["converged"]:
        fit = model.fit(method="bfgs", disp=False, maxiter=1000, **robust)
    return fit, bool(fit.mle_retvals["converged"]), None, None
