"""Shares, means and group comparisons of survey answers and scale scores.

Each function takes plain pandas objects and column names, drops missing values listwise on the
variables it uses, and returns an :class:`~loopbaanleren.stats.results.Estimate` (one estimate, as the result
type of its procedure) or a DataFrame (one row per group or pair). Where ``cluster`` is given, the
respondents' hogeschool is taken into account with CR2 cluster-robust errors and Bell–McCaffrey /
Satterthwaite degrees of freedom (see :func:`loopbaanleren.stats.cluster_robust.cluster_robust`), the small-sample
correction that holds with eleven clusters.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
import pingouin as pg
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from loopbaanleren.stats import studentized
from loopbaanleren.errors import InputError, ParameterError
from loopbaanleren.stats.results import CONFIDENCE, Contrast, Estimate, OneSample, PairedDifference, Share, TwoSample
from loopbaanleren.stats.cluster_robust import cluster_robust
from loopbaanleren.stats.samples import analysis_sample, cluster_count, levels, series_frame


@dataclass(frozen=True)
class WelchAnova:
    """Welch's F test of equal means with its effect sizes (see :func:`welch_anova`)."""

    f: float
    df1: float
    df2: float
    p: float
    eta2: float
    omega2: float
    n: int
    n_groups: int


def proportion(x: pd.Series, categories: Sequence, cluster: pd.Series | None = None) -> Share:
    """Share of the non-missing values of ``x`` that fall in ``categories``.

    Without ``cluster``: Wilson score interval (statsmodels ``proportion_confint``; Wilson 1927). With
    ``cluster``: the mean of the 0/1 indicator with a CR2 cluster-robust t(df) interval, clipped to
    [0, 1] (and so without an SE). ``count`` is the number of values in ``categories``.

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
    clustered = _location(hits, sample["cluster"], 0.0, where)
    bounds = {"ci_low": max(0.0, clustered.ci_low), "ci_high": min(1.0, clustered.ci_high)}
    return Share.extending(clustered, p=None, se=None, count=count, **bounds)


def mean_ci(x: pd.Series, cluster: pd.Series | None = None) -> Estimate:
    """Mean of ``x`` with a t interval (n - 1 df), or a CR2 cluster-robust interval with Satterthwaite df.

    Examples
    --------
    >>> x = pd.Series([3.0, 4, 5, 4, 2, 3, 5, 4, 4, 3])
    >>> est = mean_ci(x, pd.Series(list("aabbccddee")))
    >>> est.value, round(est.ci_low, 3), round(est.ci_high, 3), est.n_clusters
    (3.7, 2.661, 4.739, 5)
    """
    where = "mean_ci"
    sample = _series_sample(where, x=x, cluster=cluster)
    return replace(_location(sample["x"], sample.get("cluster"), 0.0, where), p=None)


def one_sample(x: pd.Series, value: float, cluster: pd.Series | None = None) -> OneSample:
    """Mean of ``x`` minus ``value`` with CI and the two-sided p of the one-sample t test.

    Without ``cluster`` this is Student's one-sample t test (scipy ``ttest_1samp``); with ``cluster`` the
    test uses CR2 cluster-robust errors with Satterthwaite df (and ``se``). ``mean`` is the mean itself.

    Examples
    --------
    >>> est = one_sample(pd.Series([3.0, 4, 5, 4, 2, 3, 5, 4, 4, 3]), 3)
    >>> round(est.value, 2), round(est.p, 4), est.df, est.mean
    (0.7, 0.0445, 9.0, 3.7)
    """
    where = "one_sample"
    sample = _series_sample(where, x=x, cluster=cluster)
    estimate = _location(sample["x"], sample.get("cluster"), float(value), where)
    return OneSample.extending(estimate, mean=float(sample["x"].mean()))


def paired_difference(data: pd.DataFrame, a: str, b: str, cluster: str | None = None) -> PairedDifference:
    """Mean of ``a - b`` over respondents who answered both, with CI and the paired t test's p.

    Without ``cluster`` this is the paired t test (scipy ``ttest_rel``); with ``cluster`` the differences'
    mean gets CR2 cluster-robust errors with Satterthwaite df (and ``se``). ``mean_a`` and ``mean_b`` are the
    means of ``a`` and ``b`` in that sample.

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
    estimate = _location(sample[a] - sample[b], sample[cluster] if cluster else None, 0.0, where)
    return PairedDifference.extending(estimate, mean_a=float(sample[a].mean()), mean_b=float(sample[b].mean()))


def two_sample(x: pd.Series, y: pd.Series) -> TwoSample:
    """Mean of ``x`` minus mean of ``y`` with Welch's t test, and Hedges' g.

    Welch (1947) interval and p (scipy ``ttest_ind(equal_var=False)``), with the group means and sizes
    (``mean_x``, ``mean_y``, ``n_x``, ``n_y``), ``t``, and Hedges' g with its CI (``hedges_g``,
    ``hedges_g_ci_low``, ``hedges_g_ci_high``; pingouin ``compute_effsize``/``compute_esci``).

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


def welch_anova(data: pd.DataFrame, dv: str, between: str) -> WelchAnova:
    """Welch's one-way ANOVA of ``dv`` across the groups of ``between`` (Welch 1951; pingouin).

    ``eta2`` is SS_between / SS_total; ``omega2`` is the Welch-based estimate
    df1 (F - 1) / (df1 (F - 1) + N) of Carroll & Nordholm (1975), set to 0 when F < 1.

    Examples
    --------
    >>> data = pd.DataFrame({"score": [3.0, 4, 5, 4, 2, 3, 3, 2, 5, 5, 4, 5], "sector": list("aaaabbbbcccc")})
    >>> res = welch_anova(data, "score", "sector")
    >>> round(res.f, 3), round(res.df2, 2), round(res.p, 4), res.n_groups
    (15.672, 5.81, 0.0046, 3)
    """
    where = f"welch_anova({dv!r} by {between!r})"
    sample = _groups_sample(data, dv, between, where)
    table = pg.welch_anova(data=sample, dv=dv, between=between).iloc[0]
    f, df1, n = float(table["F"]), float(table["ddof1"]), len(sample)
    return WelchAnova(
        f=f,
        df1=df1,
        df2=float(table["ddof2"]),
        p=float(table["p_unc"]),
        eta2=float(table["np2"]),
        omega2=max(0.0, df1 * (f - 1) / (df1 * (f - 1) + n)),
        n=n,
        n_groups=sample[between].nunique(),
    )


def games_howell(data: pd.DataFrame, dv: str, between: str) -> pd.DataFrame:
    """All pairwise differences of group means by the Games–Howell procedure (Games & Howell 1976).

    One row per pair: group_a, group_b, mean_a, mean_b, diff (a - b), se, t, df, p, ci_low, ci_high,
    hedges_g. For every pair at once: se² = s²_a/n_a + s²_b/n_b, Welch–Satterthwaite df, and
    p = P(Q > √2·|t|) of the studentized range of k groups (as pingouin's ``pairwise_gameshowell``, but with
    the distribution evaluated for all pairs together, :mod:`loopbaanleren.stats.studentized`). The p-values
    and the simultaneous intervals diff ± q(1 - alpha; k, df) / sqrt(2) · se, each with the exact quantile at
    its own pair's df, already account for the number of pairs. Groups in category order (else sorted); Hedges'
    g by pingouin ``compute_effsize``.

    Examples
    --------
    >>> data = pd.DataFrame({"score": [3.0, 4, 5, 4, 2, 3, 3, 2, 5, 5, 4, 5], "sector": list("aaaabbbbcccc")})
    >>> games_howell(data, "score", "sector")[["group_a", "group_b", "diff", "p"]].round(3)
      group_a group_b  diff      p
    0       a       b  1.50  0.061
    1       a       c -0.75  0.341
    2       b       c -2.25  0.003
    """
    where = f"games_howell({dv!r} by {between!r})"
    sample = _groups_sample(data, dv, between, where)
    grouped = sample.groupby(between, observed=True)[dv]
    groups = {label: values.to_numpy(dtype=np.float64) for label, values in grouped}
    labels = np.empty(len(groups), dtype=object)
    labels[:] = list(groups)
    n = grouped.count().to_numpy()
    means = grouped.mean().to_numpy()
    variances = grouped.var().to_numpy()
    a, b = np.triu_indices(len(labels), k=1)
    v = variances / n
    se = np.sqrt(v[a] + v[b])
    diff = means[a] - means[b]
    df = (v[a] + v[b]) ** 2 / (v[a] ** 2 / (n[a] - 1) + v[b] ** 2 / (n[b] - 1))
    k = len(labels)
    half = studentized.ppf(CONFIDENCE, k, df) / np.sqrt(2) * se
    hedges = [pg.compute_effsize(groups[labels[i]], groups[labels[j]], paired=False, eftype="hedges") for i, j in zip(a, b)]
    return pd.DataFrame(
        {
            "group_a": labels[a],
            "group_b": labels[b],
            "mean_a": means[a],
            "mean_b": means[b],
            "diff": diff,
            "se": se,
            "t": diff / se,
            "df": df,
            "p": studentized.sf(np.sqrt(2) * np.abs(diff / se), k, df),
            "ci_low": diff - half,
            "ci_high": diff + half,
            "hedges_g": hedges,
        }
    )


def planned_contrast(
    data: pd.DataFrame, dv: str, group: str, focal: Sequence, cluster: str | None = None
) -> Contrast:
    """Mean of ``dv`` in the ``focal`` groups pooled minus the mean in all other groups pooled.

    Without ``cluster``: Welch's t test (see :func:`two_sample`, whose Hedges' g with its CI is kept).
    With ``cluster``: OLS of ``dv`` on the focal indicator with CR2 cluster-robust errors and Satterthwaite
    df, see :func:`cr2_estimate` (and ``se``). Both give ``mean_focal``, ``mean_other``, ``n_focal`` and
    ``n_other``.

    Examples
    --------
    >>> data = pd.DataFrame({"score": [3.0, 4, 5, 4, 2, 3, 3, 2, 5, 5, 4, 5],
    ...                      "sector": list("aaaabbbbcccc"), "hogeschool": list("xyzw" * 3)})
    >>> est = planned_contrast(data, "score", "sector", ["b"], cluster="hogeschool")
    >>> round(est.value, 3), round(est.p, 4), est.n_focal, est.n_clusters
    (-1.875, 0.0043, 4, 4)
    """
    where = f"planned_contrast({dv!r} by {group!r})"
    sample = analysis_sample(data, [dv, group, *([cluster] if cluster else [])], where, numeric=[dv])
    present = set(sample[group].unique())
    unknown = [level for level in focal if level not in present]
    if unknown or not focal:
        raise ParameterError(
            f"{where}: focal groups {list(focal)} not all found; groups present: {sorted(map(str, present))}"
        )
    is_focal = sample[group].isin(focal)
    if is_focal.all():
        raise ParameterError(f"{where}: every group is focal, nothing to compare with")
    values = sample[dv]
    groups = {
        "mean_focal": float(values[is_focal].mean()),
        "mean_other": float(values[~is_focal].mean()),
        "n_focal": int(is_focal.sum()),
        "n_other": int((~is_focal).sum()),
    }
    if cluster is None:
        welch = two_sample(values[is_focal], values[~is_focal])
        return Contrast.extending(
            welch, **groups, hedges_g=welch.hedges_g, hedges_g_ci_low=welch.hedges_g_ci_low,
            hedges_g_ci_high=welch.hedges_g_ci_high,
        )
    cluster_count(sample[cluster], where)
    design = np.column_stack([np.ones(len(sample)), is_focal.to_numpy(float)])
    return Contrast.extending(cr2_estimate(values.to_numpy(float), design, sample[cluster].to_numpy(), 1), **groups)


def group_means(
    data: pd.DataFrame, dv: str, group: str, cluster: str | None = None, order: Sequence | None = None
) -> pd.DataFrame:
    """Mean of ``dv`` with its CI per group of ``group`` (see :func:`mean_ci`).

    Rows follow ``order`` when given (a group without data gets n = 0), else the category order of a
    categorical column, else sorted values. Columns: group, n, mean, ci_low, ci_high, and with ``cluster``
    also n_clusters. The CI is missing (NaN) for a group with fewer than 2 cases or, with ``cluster``,
    fewer than 2 clusters.

    Examples
    --------
    >>> data = pd.DataFrame({"score": [3.0, 4, 5, 4, 2, 3, 3, 2], "sector": list("aaaabbbb")})
    >>> group_means(data, "score", "sector").round(3)
      group  n  mean  ci_low  ci_high
    0     a  4   4.0   2.701    5.299
    1     b  4   2.5   1.581    3.419
    """
    where = f"group_means({dv!r} by {group!r})"
    sample = analysis_sample(data, [dv, group, *([cluster] if cluster else [])], where, numeric=[dv], min_rows=0)
    rows = []
    for level in levels(sample[group]) if order is None else order:
        part = sample[sample[group] == level]
        row = {"group": level, "n": len(part), "mean": part[dv].mean() if len(part) else np.nan}
        row["ci_low"] = row["ci_high"] = np.nan
        enough = len(part) >= 2
        if cluster:
            row["n_clusters"] = part[cluster].nunique()
            enough = enough and row["n_clusters"] >= 2
        if enough:
            estimate = _location(part[dv], part[cluster] if cluster else None, 0.0, where)
            row["ci_low"], row["ci_high"] = estimate.ci_low, estimate.ci_high
        rows.append(row)
    return pd.DataFrame(rows)


def holm(pvalues: Sequence[float] | np.ndarray | pd.Series) -> np.ndarray | pd.Series:
    """Holm (1979) step-down adjusted p-values; NaN stays NaN.

    The i-th smallest of m p-values becomes max over j <= i of min(1, (m - j + 1) p_(j)), as R's
    ``p.adjust(method = "holm")`` and statsmodels' ``multipletests`` compute it (without the latter's
    ``gc.collect()`` per call, which costs a quarter of a second in a loaded process). A Series comes back as a
    Series with the same index, anything else as a numpy array.

    Holm, S. (1979). A simple sequentially rejective multiple test procedure. *Scandinavian Journal of
    Statistics*, 6(2), 65-70.

    Examples
    --------
    >>> holm([0.01, 0.04, 0.03]).round(4).tolist()
    [0.03, 0.06, 0.06]
    """
    values = np.asarray(pvalues, dtype=float)
    finite = ~np.isnan(values)
    if np.any((values[finite] < 0) | (values[finite] > 1)):
        raise ParameterError("holm: p-values must lie between 0 and 1")
    adjusted = np.full(values.shape, np.nan)
    if finite.any():
        p = values[finite]
        order = np.argsort(p, kind="stable")
        stepped = np.minimum(1.0, np.maximum.accumulate(p[order] * np.arange(len(p), 0, -1)))
        adjusted[np.flatnonzero(finite)[order]] = stepped
    return pd.Series(adjusted, index=pvalues.index, name=pvalues.name) if isinstance(pvalues, pd.Series) else adjusted


def _series_sample(
    where: str, numeric: Sequence[str] = ("x",), min_rows: int = 2, **series: pd.Series | None
) -> pd.DataFrame:
    """Complete cases of the given series side by side, the ``numeric`` ones checked to hold numbers."""
    frame = series_frame(where, **series)
    return analysis_sample(frame, list(frame.columns), where, numeric=numeric, min_rows=min_rows)


def _groups_sample(data: pd.DataFrame, dv: str, between: str, where: str) -> pd.DataFrame:
    """Complete cases on ``dv`` and ``between``: at least two groups, each with two or more differing values."""
    sample = analysis_sample(data, [dv, between], where, numeric=[dv])
    sizes = sample.groupby(between, observed=True)[dv].agg(["count", "var"])
    problems = [
        f"{where}: group {group!r} has {int(row['count'])} case(s) or no variance; needs at least 2 differing values"
        for group, row in sizes.iterrows()
        if not (row["count"] >= 2 and row["var"] > 0)
    ]
    if len(sizes) < 2:
        problems.append(f"{where}: {len(sizes)} group(s) in the analysis sample, at least 2 needed")
    if problems:
        raise InputError("\n".join(problems))
    return sample


def _location(x: pd.Series, cluster: pd.Series | None, null: float, where: str) -> Estimate:
    """Mean of ``x`` minus ``null``: one-sample t test, or CR2 cluster-robust OLS on a constant."""
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


def cr2_estimate(y: np.ndarray, design: np.ndarray, cluster: np.ndarray, term: int) -> Estimate:
    """Coefficient ``term`` of the OLS of ``y`` on ``design`` with its CR2 SE and Satterthwaite t(df) test.

    CR2 and its degrees of freedom follow Bell & McCaffrey (2002) and Pustejovsky & Tipton (2018), see
    :func:`loopbaanleren.stats.cluster_robust.cluster_robust`.

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
