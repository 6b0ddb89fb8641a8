"""Means compared across the groups of one variable (sectors): Welch's ANOVA, Games–Howell pairs, a planned
contrast of some groups against the rest, and each group's mean with its interval.

Each function drops missing values listwise on the columns it uses; with ``cluster`` the respondents' hogeschool
is taken into account with CR2 cluster-robust errors (:mod:`loopbaanleren.stats.sandwich`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pingouin as pg

from loopbaanleren.errors import InputError, ParameterError
from loopbaanleren.stats import studentized
from loopbaanleren.stats.location import cr2_estimate, location_test, two_sample
from loopbaanleren.stats.results import CONFIDENCE, Contrast
from loopbaanleren.stats.samples import analysis_sample, cluster_count, levels


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


def welch_anova(data: pd.DataFrame, dv: str, between: str) -> WelchAnova:
    """Welch's one-way ANOVA of ``dv`` across the groups of ``between`` (Welch 1951; pingouin).

    ``eta2`` is SS_between / SS_total; ``omega2`` is the Welch-based estimate
    df1 (F - 1) / (df1 (F - 1) + N) of Carroll & Nordholm (1975), set to 0 when F < 1.

    Parameters
    ----------
    data : DataFrame
        One row per respondent.
    dv : str
        The numeric outcome column.
    between : str
        The grouping column; every group needs at least two differing values.

    Returns
    -------
    WelchAnova
        ``f``, ``df1``, ``df2``, ``p``, ``eta2``, ``omega2``, ``n`` and ``n_groups``.

    References
    ----------
    Welch, B. L. (1951). On the comparison of several mean values: an alternative approach. *Biometrika*,
    38(3/4), 330-336. Carroll, R. M. & Nordholm, L. A. (1975). Sampling characteristics of Kelley's ε and Hays'
    ω. *Educational and Psychological Measurement*, 35(3), 541-554. R: ``oneway.test(dv ~ between)``;
    pingouin ``welch_anova``.

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

    Parameters
    ----------
    data : DataFrame
        One row per respondent.
    dv : str
        The numeric outcome column.
    between : str
        The grouping column; every group needs at least two differing values.

    Returns
    -------
    DataFrame
        One row per pair of groups, with the columns named above.

    References
    ----------
    Games, P. A. & Howell, J. F. (1976). Pairwise multiple comparison procedures with unequal n's and/or
    variances: a Monte Carlo study. *Journal of Educational Statistics*, 1(2), 113-125.
    R: ``rstatix::games_howell_test``; pingouin ``pairwise_gameshowell``.

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

    Without ``cluster``: Welch's t test (see :func:`~loopbaanleren.stats.location.two_sample`, whose Hedges' g
    with its CI is kept). With ``cluster``: OLS of ``dv`` on the focal indicator with CR2 cluster-robust errors
    and Satterthwaite df, see :func:`~loopbaanleren.stats.location.cr2_estimate` (and ``se``). Both give
    ``mean_focal``, ``mean_other``, ``n_focal`` and ``n_other``.

    Parameters
    ----------
    data : DataFrame
        One row per respondent.
    dv : str
        The numeric outcome column.
    group : str
        The grouping column.
    focal : sequence
        The groups pooled on the focal side; at least one group must remain on the other side.
    cluster : str, optional
        Column of each respondent's cluster; CR2 cluster-robust inference when given.

    Returns
    -------
    Contrast
        ``value`` the focal mean minus the other mean, its CI, ``p``, ``df`` and both sides' means and sizes.

    References
    ----------
    Welch, B. L. (1947), *Biometrika*, 34(1/2), 28-35 (without clusters). Bell, R. M. & McCaffrey, D. F. (2002),
    *Survey Methodology*, 28(2), 169-181, and Pustejovsky, J. E. & Tipton, E. (2018), *Journal of Business &
    Economic Statistics*, 36(4), 672-683 (with clusters). R: ``t.test(dv ~ focal)``, or
    ``clubSandwich::coef_test(lm(dv ~ focal), vcov = "CR2", cluster = cluster, test = "Satterthwaite")``.

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
    """Mean of ``dv`` with its CI per group of ``group`` (see :func:`~loopbaanleren.stats.location.mean_ci`).

    Rows follow ``order`` when given (a group without data gets n = 0), else the category order of a
    categorical column, else sorted values. Columns: group, n, mean, ci_low, ci_high, and with ``cluster``
    also n_clusters. The CI is missing (NaN) for a group with fewer than 2 cases or, with ``cluster``,
    fewer than 2 clusters.

    Parameters
    ----------
    data : DataFrame
        One row per respondent.
    dv : str
        The numeric outcome column.
    group : str
        The grouping column.
    cluster : str, optional
        Column of each respondent's cluster; CR2 cluster-robust intervals when given.
    order : sequence, optional
        The groups to show, in this order.

    Returns
    -------
    DataFrame
        One row per group, with the columns named above.

    References
    ----------
    Student (1908). The probable error of a mean. *Biometrika*, 6(1), 1-25; with clusters Pustejovsky, J. E. &
    Tipton, E. (2018), *Journal of Business & Economic Statistics*, 36(4), 672-683. R: ``t.test`` per group, or
    ``clubSandwich::conf_int(lm(dv ~ 1), vcov = "CR2")`` per group.

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
            estimate = location_test(part[dv], part[cluster] if cluster else None, 0.0, where)
            row["ci_low"], row["ci_high"] = estimate.ci_low, estimate.ci_high
        rows.append(row)
    return pd.DataFrame(rows)


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
