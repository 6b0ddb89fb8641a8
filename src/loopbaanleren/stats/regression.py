"""Regression models with standardised coefficients for students or counsellors nested in hogescholen.

:func:`fit_regression` fits one outcome on predictors and controls in one of four ways (OLS with CR2 or CR1
cluster-robust errors, random-intercept mixed model, ordinal logit), always on the listwise-complete analysis
sample and always with z-scored continuous variables, so that the coefficients are standardised betas.
:func:`vif` supports the reading of those models.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
from statsmodels.regression.linear_model import OLS
from statsmodels.tools.sm_exceptions import ConvergenceWarning

from loopbaanleren.errors import InputError, ParameterError
from loopbaanleren.stats.sandwich import cluster_robust
from loopbaanleren.stats.mixed import MixedResult, mixed_fit
from loopbaanleren.stats.ordinal import ordinal_fit
from loopbaanleren.stats.results import DesignMatrices, Estimate
from loopbaanleren.stats.samples import analysis_sample, cluster_count, levels


Method = Literal["ols_cr2", "mixed", "ols_cluster", "ordinal"]


METHODS: tuple[str, ...] = ("ols_cr2", "mixed", "ols_cluster", "ordinal")


DEGENERATE_ICC = 1e-3
"""A mixed model whose residual ICC is below this has (about) no variance between hogescholen: degenerate."""


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
      Satterthwaite degrees of freedom per coefficient (:func:`loopbaanleren.stats.sandwich.cluster_robust`).
    * ``"mixed"`` (robustness check): linear mixed model with a random intercept per ``cluster`` (statsmodels MixedLM, REML);
      Wald z inference.
    * ``"ols_cluster"``: OLS with CR1 cluster-robust errors and t(G - 1) inference, see :func:`ols`.
    * ``"ordinal"``: proportional-odds logit (statsmodels OrderedModel) for an item with ordered integer
      answers; the outcome is not standardised, so a coefficient is the change in log-odds of a higher
      answer per standard deviation of the predictor. With ``cluster`` the errors are cluster-robust with
      t(G - 1) inference.

    Parameters
    ----------
    data : DataFrame
        One row per respondent.
    outcome : str
        The outcome column (whole-number answers for ``"ordinal"``).
    predictors : sequence of str
        Continuous predictors (their rows have role "predictor").
    controls : sequence of str, optional
        Continuous controls.
    categorical : sequence of str, optional
        Categorical controls, entered as dummies.
    cluster : str, optional
        The cluster column; needed by every method but "ordinal".
    method : {"mixed", "ols_cr2", "ols_cluster", "ordinal"}
        How the model is fitted, see above.

    Returns
    -------
    Regression
        The coefficients table, sizes, fit statistics and the fitted model.

    References
    ----------
    Pustejovsky, J. E. & Tipton, E. (2018), *Journal of Business & Economic Statistics*, 36(4), 672-683 (CR2);
    Cameron, A. C. & Miller, D. L. (2015), *Journal of Human Resources*, 50(2), 317-372 (CR1);
    Nakagawa, S. & Schielzeth, H. (2013), *Methods in Ecology and Evolution*, 4(2), 133-142 (marginal R²);
    McCullagh, P. (1980), *Journal of the Royal Statistical Society B*, 42(2), 109-142 (proportional odds).
    R: ``clubSandwich::coef_test(lm(...), vcov = "CR2")``, ``lme4::lmer``, ``MASS::polr``.

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
            fit = ordinal_fit(sample[outcome], design, clusters, where)
            converged, r2, icc_value = bool(fit.mle_retvals["converged"]), None, None
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


def vif(data: pd.DataFrame, predictors: Sequence[str]) -> pd.DataFrame:
    """Variance inflation factor per predictor: the diagonal of the inverse of their correlation matrix, which is
    1 / (1 - R²) of each predictor on the others with a constant (as statsmodels' ``variance_inflation_factor``).

    Parameters
    ----------
    data : DataFrame
        One row per respondent.
    predictors : sequence of str
        At least two numeric columns.

    Returns
    -------
    DataFrame
        Columns ``term`` and ``vif``, one row per predictor.

    References
    ----------
    Fox, J. & Monette, G. (1992). Generalized collinearity diagnostics. *Journal of the American Statistical
    Association*, 87(417), 178-183. R: ``car::vif``; statsmodels ``variance_inflation_factor``.

    Examples
    --------
    >>> data = pd.DataFrame({"a": [1.0, 2, 3, 4, 5, 6], "b": [2.0, 1, 4, 3, 6, 5], "c": [1.0, 0, 1, 0, 1, 1]})
    >>> vif(data, ["a", "b", "c"]).round(3)
      term    vif
    0    a  6.271
    1    b  9.771
    2    c  3.200
    >>> from statsmodels.stats.outliers_influence import variance_inflation_factor
    >>> design = np.column_stack([np.ones(6), data])
    >>> [round(float(variance_inflation_factor(design, j)), 3) for j in (1, 2, 3)]
    [6.271, 9.771, 3.2]
    """
    where = "vif"
    if len(predictors) < 2:
        raise ParameterError(f"{where}: at least two predictors needed, got {len(predictors)}")
    sample = analysis_sample(data, list(predictors), where, numeric=predictors, min_rows=len(predictors) + 2)
    correlation = np.corrcoef(_zscore(sample[list(predictors)], where).to_numpy(), rowvar=False)
    return pd.DataFrame({"term": list(predictors), "vif": np.diag(np.linalg.inv(correlation))})


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


def _fit_mixed(y: pd.Series, design: pd.DataFrame, clusters: pd.Series) -> tuple[Any, bool, float, float]:
    """Random-intercept model: the fit, whether it converged, marginal R² and residual ICC."""
    fit = MixedResult(mixed_fit(y, design, clusters), y, design, clusters)
    tau2, sigma2 = float(fit.cov_re.iloc[0, 0]), fit.scale
    fixed = float(np.var(fit.model.exog @ fit.fe_params.to_numpy(), ddof=1))  # n − 1, as performance::r2_nakagawa
    return fit, bool(fit.converged and np.isfinite(fit.llf)), fixed / (fixed + tau2 + sigma2), tau2 / (tau2 + sigma2)


class CR2Result:
    """The parts of a statsmodels result that the tables read (params, bse, pvalues, conf_int, model), from CR2."""

    use_t = True

    def __init__(self, y: pd.Series, design: pd.DataFrame, clusters: pd.Series):
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


def _fit_cr2(y: pd.Series, design: pd.DataFrame, clusters: pd.Series) -> tuple[Any, bool, float, None]:
    fit = CR2Result(y, design, clusters)
    return fit, True, fit.rsquared, None


def _fit_ols(y: pd.Series, design: pd.DataFrame, clusters: pd.Series) -> tuple[Any, bool, float, None]:
    fit = ols(y, design, clusters)
    return fit, True, float(fit.rsquared), None
