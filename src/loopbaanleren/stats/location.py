"""Shares and means of survey answers and scale scores: one sample, paired, or two samples.

Each function takes plain pandas objects, drops missing values listwise on the variables it uses, and returns an
:class:`~loopbaanleren.stats.results.Estimate` subclass. Where ``cluster`` is given, the respondents' hogeschool
is taken into account with CR2 cluster-robust errors and Bell–McCaffrey / Satterthwaite degrees of freedom (see
:func:`loopbaanleren.stats.sandwich.cluster_robust`), the small-sample correction that holds with eleven
clusters.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import pandas as pd
import pingouin as pg
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from loopbaanleren.errors import ParameterError
from loopbaanleren.stats.sandwich import cluster_robust
from loopbaanleren.stats.results import CONFIDENCE, Estimate, OneSample, PairedDifference, Share, TwoSample
from loopbaanleren.stats.samples import analysis_sample, cluster_count, series_frame


def proportion(x: pd.Series, categories: Sequence, cluster: pd.Series | None = None) -> Share:
    """Share of the non-missing values of ``x`` that fall in ``categories``.

    Without ``cluster``: Wilson score interval (statsmodels ``proportion_confint``; Wilson 1927). With
    ``cluster``: the mean of the 0/1 indicator with a CR2 cluster-robust t(df) interval, clipped to
    [0, 1] (and so without an SE). ``count`` is the number of values in ``categories``.

    Parameters
    ----------
    x : Series
        Answers (codes or labels); missing values are left out.
    categories : sequence
        The answers that count.
    cluster : Series, optional
        Cluster (hogeschool) of each value, aligned on the same index; CR2 cluster-robust inference when given.

    Returns
    -------
    Share
        ``value`` the share, its CI, ``n`` and ``count``; with ``cluster`` also ``df`` and ``n_clusters``.

    References
    ----------
    Wilson, E. B. (1927). Probable inference, the law of succession, and statistical inference. *Journal of the
    American Statistical Association*, 22(158), 209-212. R: ``prop.test(correct = FALSE)``'s interval;
    with clusters ``clubSandwich::coef_test(vcov = "CR2")`` on the 0/1 indicator.

    Examples
    --------
    >>> x = pd.Series([1, 2, 2, 3, 1, 2, None])
    >>> est = proportion(x, [2])
    >>> round(est.value, 3), est.n, est.count
    (0.5, 6, 3)
    >>> round(est.ci_low, 3), round(est.ci_high, 3)  # Wilson
    (0.188, 0.812)
    """
    where = "proportion"
    if len(categories) == 0:
        raise ParameterError(f"{where}: no categories given")
    if isinstance(x, pd.Series) and isinstance(x.dtype, pd.CategoricalDtype):
        unknown = [category for category in categories if category not in x.cat.categories]
        if unknown:
            raise ParameterError(f"{where}: categories {unknown} are not answers of {x.name!r}")
    sample = _series_sample(where, numeric=(), min_rows=1, x=x, cluster=cluster)
    hits = sample["x"].isin(categories).astype(float)
    count, n = int(hits.sum()), len(hits)
    if cluster is None:
        low, high = proportion_confint(count, n, alpha=1 - CONFIDENCE, method="wilson")
        return Share(value=count / n, ci_low=float(low), ci_high=float(high), n=n, count=count)
    clustered = location_test(hits, sample["cluster"], 0.0, where)
    bounds = {"ci_low": max(0.0, clustered.ci_low), "ci_high": min(1.0, clustered.ci_high)}
    return Share.extending(clustered, p=None, se=None, count=count, **bounds)


def mean_ci(x: pd.Series, cluster: pd.Series | None = None) -> Estimate:
    """Mean of ``x`` with a t interval (n - 1 df), or a CR2 cluster-robust interval with Satterthwaite df.

    Parameters
    ----------
    x : Series
        Numeric values; missing values are left out.
    cluster : Series, optional
        Cluster (hogeschool) of each value, aligned on the same index; CR2 cluster-robust inference when given.

    Returns
    -------
    Estimate
        ``value`` the mean, its CI, ``n`` and ``df`` (``p`` is None); with ``cluster`` also ``se`` and ``n_clusters``.

    References
    ----------
    Student (1908). The probable error of a mean. *Biometrika*, 6(1), 1-25. R: ``t.test(x)$conf.int``; with
    clusters ``clubSandwich::conf_int(lm(x ~ 1), vcov = "CR2", cluster = cluster)`` (Pustejovsky & Tipton 2018).

    Examples
    --------
    >>> x = pd.Series([3.0, 4, 5, 4, 2, 3, 5, 4, 4, 3])
    >>> est = mean_ci(x, pd.Series(list("aabbccddee")))
    >>> est.value, round(est.ci_low, 3), round(est.ci_high, 3), est.n_clusters
    (3.7, 2.661, 4.739, 5)
    """
    where = "mean_ci"
    sample = _series_sample(where, x=x, cluster=cluster)
    return replace(location_test(sample["x"], sample.get("cluster"), 0.0, where), p=None)


def one_sample(x: pd.Series, value: float, cluster: pd.Series | None = None) -> OneSample:
    """Mean of ``x`` minus ``value`` with CI and the two-sided p of the one-sample t test.

    Without ``cluster`` this is Student's one-sample t test (scipy ``ttest_1samp``); with ``cluster`` the
    test uses CR2 cluster-robust errors with Satterthwaite df (and ``se``). ``mean`` is the mean itself.

    Parameters
    ----------
    x : Series
        Numeric values; missing values are left out.
    value : float
        The reference value the mean is tested against.
    cluster : Series, optional
        Cluster (hogeschool) of each value, aligned on the same index; CR2 cluster-robust inference when given.

    Returns
    -------
    OneSample
        ``value`` the mean minus the reference, its CI, ``p``, ``df``, ``n`` and ``mean``.

    References
    ----------
    Student (1908). The probable error of a mean. *Biometrika*, 6(1), 1-25. R: ``t.test(x, mu = value)``; with
    clusters ``clubSandwich::coef_test(vcov = "CR2", test = "Satterthwaite")`` (Pustejovsky & Tipton 2018).

    Examples
    --------
    >>> est = one_sample(pd.Series([3.0, 4, 5, 4, 2, 3, 5, 4, 4, 3]), 3)
    >>> round(est.value, 2), round(est.p, 4), est.df, est.mean
    (0.7, 0.0445, 9.0, 3.7)
    """
    where = "one_sample"
    sample = _series_sample(where, x=x, cluster=cluster)
    estimate = location_test(sample["x"], sample.get("cluster"), float(value), where)
    return OneSample.extending(estimate, mean=float(sample["x"].mean()))


def paired_difference(data: pd.DataFrame, a: str, b: str, cluster: str | None = None) -> PairedDifference:
    """Mean of ``a - b`` over respondents who answered both, with CI and the paired t test's p.

    Without ``cluster`` this is the paired t test (scipy ``ttest_rel``); with ``cluster`` the differences'
    mean gets CR2 cluster-robust errors with Satterthwaite df (and ``se``). ``mean_a`` and ``mean_b`` are the
    means of ``a`` and ``b`` in that sample.

    Parameters
    ----------
    data : DataFrame
        One row per respondent.
    a, b : str
        The two numeric columns; the difference is ``a - b``.
    cluster : str, optional
        Column of each respondent's cluster; CR2 cluster-robust inference when given.

    Returns
    -------
    PairedDifference
        ``value`` the mean difference, its CI, ``p``, ``df``, ``n``, ``mean_a`` and ``mean_b``.

    References
    ----------
    Student (1908). The probable error of a mean. *Biometrika*, 6(1), 1-25. R: ``t.test(a, b, paired = TRUE)``;
    with clusters ``clubSandwich::coef_test(lm(a - b ~ 1), vcov = "CR2", test = "Satterthwaite")``.

    Examples
    --------
    >>> data = pd.DataFrame({"a": [4.0, 5, 3, 4, 5, 4], "b": [3.0, 4, 3, 2, 4, 4]})
    >>> est = paired_difference(data, "a", "b")
    >>> round(est.value, 3), round(est.p, 4), round(est.mean_a, 3), round(est.mean_b, 3)
    (0.833, 0.0422, 4.167, 3.333)
    """
    where = f"paired_difference({a!r}, {b!r})"
    columns = [a, b, *([cluster] if cluster else [])]
    sample = analysis_sample(data, columns, where, numeric=[a, b])
    estimate = location_test(sample[a] - sample[b], sample[cluster] if cluster else None, 0.0, where)
    return PairedDifference.extending(estimate, mean_a=float(sample[a].mean()), mean_b=float(sample[b].mean()))


def two_sample(x: pd.Series, y: pd.Series) -> TwoSample:
    """Mean of ``x`` minus mean of ``y`` with Welch's t test, and Hedges' g.

    Welch (1947) interval and p (scipy ``ttest_ind(equal_var=False)``), with the group means and sizes
    (``mean_x``, ``mean_y``, ``n_x``, ``n_y``), ``t``, and Hedges' g with its CI (``hedges_g``,
    ``hedges_g_ci_low``, ``hedges_g_ci_high``; pingouin ``compute_effsize``/``compute_esci``).

    Parameters
    ----------
    x, y : Series
        The two groups' numeric values; missing values are left out.

    Returns
    -------
    TwoSample
        ``value`` the difference of means, its CI, ``p``, ``df`` (Welch–Satterthwaite), the groups' means and
        sizes, ``t`` and Hedges' g with its CI.

    References
    ----------
    Welch, B. L. (1947). The generalization of 'Student's' problem when several different population variances
    are involved. *Biometrika*, 34(1/2), 28-35. Hedges, L. V. (1981). Distribution theory for Glass's estimator
    of effect size and related estimators. *Journal of Educational Statistics*, 6(2), 107-128.
    R: ``t.test(x, y)`` (Welch by default); pingouin ``compute_effsize(eftype="hedges")``.

    Examples
    --------
    >>> est = two_sample(pd.Series([4.0, 5, 3, 4, 5, 4]), pd.Series([3.0, 4, 3, 2, 4]))
    >>> round(est.value, 3), round(est.df, 2), round(est.p, 4), round(est.hedges_g, 3)
    (0.967, 8.22, 0.08, 1.117)
    """
    where = "two_sample"
    first = _series_sample(where, x=x)["x"]
    second = _series_sample(where, numeric=("y",), y=y)["y"]
    test = stats.ttest_ind(first, second, equal_var=False)
    low, high = test.confidence_interval(CONFIDENCE)
    g = float(pg.compute_effsize(first, second, eftype="hedges"))
    g_low, g_high = pg.compute_esci(g, len(first), len(second), eftype="hedges", confidence=CONFIDENCE, decimals=12)
    return TwoSample(
        value=float(first.mean() - second.mean()),
        ci_low=float(low),
        ci_high=float(high),
        n=len(first) + len(second),
        p=float(test.pvalue),
        df=float(test.df),
        mean_x=float(first.mean()),
        mean_y=float(second.mean()),
        n_x=len(first),
        n_y=len(second),
        t=float(test.statistic),
        hedges_g=g,
        hedges_g_ci_low=float(g_low),
        hedges_g_ci_high=float(g_high),
    )


def cr2_estimate(y: np.ndarray, design: np.ndarray, cluster: np.ndarray, term: int) -> Estimate:
    """Coefficient ``term`` of the OLS of ``y`` on ``design`` with its CR2 SE and Satterthwaite t(df) test.

    CR2 and its degrees of freedom follow Bell & McCaffrey (2002) and Pustejovsky & Tipton (2018), see
    :func:`loopbaanleren.stats.sandwich.cluster_robust`.

    Parameters
    ----------
    y : array of shape (n,)
        Outcome.
    design : array of shape (n, k)
        Design matrix, with a column of ones for an intercept.
    cluster : array of shape (n,)
        Cluster label of each row.
    term : int
        Column of ``design`` whose coefficient is returned.

    Returns
    -------
    Estimate
        The coefficient with its CI, ``p``, ``df`` (Satterthwaite), ``se``, ``n`` and ``n_clusters``.

    References
    ----------
    Bell, R. M. & McCaffrey, D. F. (2002). Bias reduction in standard errors for linear regression with
    multi-stage samples. *Survey Methodology*, 28(2), 169-181. Pustejovsky, J. E. & Tipton, E. (2018), *Journal
    of Business & Economic Statistics*, 36(4), 672-683. R: ``clubSandwich::coef_test(fit, vcov = "CR2",
    cluster = cluster, test = "Satterthwaite")``.

    Examples
    --------
    >>> y = np.array([3.0, 4, 5, 4, 2, 3, 3, 2, 5, 5, 4, 5])
    >>> design = np.column_stack([np.ones(12), np.r_[np.zeros(6), np.ones(6)]])
    >>> est = cr2_estimate(y, design, np.array(list("xyzw" * 3)), term=1)
    >>> round(est.value, 3), round(est.se, 3), round(est.df, 2)
    (0.5, 0.836, 2.99)
    """
    fit = cluster_robust(y, design, cluster, kind="CR2")
    low, high = fit.ci(CONFIDENCE)
    return Estimate(
        value=float(fit.params[term]), ci_low=float(low[term]), ci_high=float(high[term]), n=fit.n,
        p=float(fit.p[term]), n_clusters=fit.n_clusters, df=float(fit.df[term]), se=float(fit.se[term]),
    )


def location_test(x: pd.Series, cluster: pd.Series | None, null: float, where: str) -> Estimate:
    """Mean of ``x`` minus ``null``: one-sample t test, or CR2 cluster-robust OLS on a constant with ``cluster``.

    The common step of the procedures here and of :func:`loopbaanleren.stats.groups.group_means`, on values already
    checked (no missing values, at least two); ``where`` names the analysis in errors.
    """
    if cluster is None:
        test = stats.ttest_1samp(x, null)
        low, high = test.confidence_interval(CONFIDENCE)
        return Estimate(
            value=float(x.mean() - null),
            ci_low=float(low - null),
            ci_high=float(high - null),
            n=len(x),
            p=float(test.pvalue),
            df=float(test.df),
        )
    cluster_count(cluster, where)
    return cr2_estimate((x - null).to_numpy(float), np.ones((len(x), 1)), np.asarray(cluster), 0)


def _series_sample(
    where: str, numeric: Sequence[str] = ("x",), min_rows: int = 2, **series: pd.Series | None
) -> pd.DataFrame:
    """Complete cases of the given series side by side, the ``numeric`` ones checked to hold numbers."""
    frame = series_frame(where, **series)
    return analysis_sample(frame, list(frame.columns), where, numeric=numeric, min_rows=min_rows)
