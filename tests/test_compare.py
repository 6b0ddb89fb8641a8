"""Shares, means and group comparisons against scipy, statsmodels, pingouin and hand formulas."""

import warnings

import numpy as np
import pandas as pd
import pingouin as pg
import pytest
from scipy import stats
from statsmodels.stats.proportion import proportion_confint
from cr2_helpers import cr2_dense, cr2_mean

from loopbaanleren.stats.compare import (
    games_howell,
    group_means,
    holm,
    mean_ci,
    one_sample,
    paired_difference,
    planned_contrast,
    proportion,
    two_sample,
    welch_anova,
)
from loopbaanleren.errors import InputError, ParameterError

SECTORS = ["Agrarisch", "Economie", "Gezondheidszorg", "Kunst", "Onderwijs", "Sociaal", "Techniek"]


@pytest.fixture(scope="module")
def survey() -> pd.DataFrame:
    rng = np.random.default_rng(42)
    n = 1500
    school = rng.integers(0, 11, n)
    sector = rng.choice(SECTORS, n)
    shift = np.where(np.isin(sector, ["Economie", "Techniek"]), -0.25, 0.0)
    score = np.clip(2.4 + shift + rng.normal(0, 0.25, 11)[school] + rng.normal(0, 0.6, n), 1, 4)
    data = pd.DataFrame(
        {
            "score": score,
            "other": np.clip(score + rng.normal(0.1, 0.4, n), 1, 4),
            "answer": rng.choice([1, 2, 3, 4], n, p=[0.2, 0.3, 0.3, 0.2]).astype(float),
            "sector": sector,
            "school": [f"H{s:02d}" for s in school],
        }
    )
    data.loc[rng.choice(n, 60, replace=False), "score"] = np.nan
    data.loc[rng.choice(n, 40, replace=False), "answer"] = np.nan
    return data


def clustered_mean(values: pd.Series, groups: pd.Series) -> tuple[float, float, float]:
    """Mean, its CR2 standard error and Bell–McCaffrey df by the dense hand computation (constant only)."""
    return cr2_mean(values.to_numpy(), groups.to_numpy())


def test_proportion_uses_the_wilson_interval(survey):
    result = proportion(survey["answer"], [1, 2])
    answered = survey["answer"].dropna()
    count = int(answered.isin([1, 2]).sum())
    low, high = proportion_confint(count, len(answered), method="wilson")
    assert (result.value, result.n, result.count) == (count / len(answered), len(answered), count)
    assert (result.ci_low, result.ci_high) == (pytest.approx(low), pytest.approx(high))


def test_proportion_with_clusters_uses_cr2_and_bell_mccaffrey_df(survey):
    result = proportion(survey["answer"], [1, 2], cluster=survey["school"])
    complete = survey[["answer", "school"]].dropna()
    share, se, df = clustered_mean(complete["answer"].isin([1, 2]).astype(float), complete["school"])
    half = stats.t.ppf(0.975, df) * se
    assert result.value == pytest.approx(share)
    assert (result.ci_low, result.ci_high) == (pytest.approx(share - half), pytest.approx(share + half))
    assert result.n_clusters == 11 and result.df == pytest.approx(df) and df < 10


def test_mean_ci_without_and_with_clusters(survey):
    scores = survey["score"].dropna()
    plain = mean_ci(survey["score"])
    half = stats.t.ppf(0.975, len(scores) - 1) * scores.std(ddof=1) / np.sqrt(len(scores))
    assert (plain.value, plain.n, plain.p) == (pytest.approx(scores.mean()), len(scores), None)
    assert plain.ci_high == pytest.approx(scores.mean() + half)
    clustered = mean_ci(survey["score"], cluster=survey["school"])
    complete = survey[["score", "school"]].dropna()
    mean, se, df = clustered_mean(complete["score"], complete["school"])
    assert clustered.ci_low == pytest.approx(mean - stats.t.ppf(0.975, df) * se)
    assert clustered.ci_high - clustered.ci_low > plain.ci_high - plain.ci_low


def test_one_sample_matches_scipy_and_the_clustered_t(survey):
    result = one_sample(survey["score"], 2.5)
    reference = stats.ttest_1samp(survey["score"].dropna(), 2.5)
    assert result.value == pytest.approx(survey["score"].mean() - 2.5)
    assert result.p == pytest.approx(reference.pvalue)
    assert result.df == reference.df
    assert result.mean == pytest.approx(survey["score"].mean())
    clustered = one_sample(survey["score"], 2.5, cluster=survey["school"])
    complete = survey[["score", "school"]].dropna()
    mean, se, df = clustered_mean(complete["score"], complete["school"])
    assert clustered.p == pytest.approx(2 * stats.t.sf(abs(mean - 2.5) / se, df))


def test_paired_difference_matches_scipy_ttest_rel(survey):
    result = paired_difference(survey, "other", "score")
    both = survey[["other", "score"]].dropna()
    reference = stats.ttest_rel(both["other"], both["score"])
    assert result.value == pytest.approx((both["other"] - both["score"]).mean())
    assert result.p == pytest.approx(reference.pvalue)
    assert (result.n, result.mean_a) == (len(both), pytest.approx(both["other"].mean()))
    low, high = reference.confidence_interval()
    assert (result.ci_low, result.ci_high) == (pytest.approx(low), pytest.approx(high))


def test_two_sample_matches_welch_and_hedges(survey):
    x = survey.loc[survey["sector"] == "Techniek", "score"]
    y = survey.loc[survey["sector"] == "Onderwijs", "score"]
    result = two_sample(x, y)
    x, y = x.dropna(), y.dropna()
    reference = stats.ttest_ind(x, y, equal_var=False)
    assert result.value == pytest.approx(x.mean() - y.mean())
    assert (result.p, result.df) == (pytest.approx(reference.pvalue), pytest.approx(reference.df))
    assert (result.n_x, result.n_y, result.n) == (len(x), len(y), len(x) + len(y))
    assert (result.mean_x, result.mean_y) == (pytest.approx(x.mean()), pytest.approx(y.mean()))
    welch_se = np.sqrt(x.var() / len(x) + y.var() / len(y))
    assert result.t == pytest.approx((x.mean() - y.mean()) / welch_se)
    half = stats.t.ppf(0.975, reference.df) * welch_se
    assert (result.ci_low, result.ci_high) == (pytest.approx(result.value - half), pytest.approx(result.value + half))
    pooled = np.sqrt(((len(x) - 1) * x.var() + (len(y) - 1) * y.var()) / (len(x) + len(y) - 2))
    d = (x.mean() - y.mean()) / pooled
    g = result.hedges_g
    assert g == pytest.approx(pg.compute_effsize(x, y, eftype="hedges"))
    assert g == pytest.approx(d * (1 - 3 / (4 * (len(x) + len(y)) - 9)), rel=1e-3)
    se = np.sqrt((len(x) + len(y)) / (len(x) * len(y)) + g**2 / (2 * (len(x) + len(y))))
    g_half = stats.t.ppf(0.975, len(x) + len(y) - 2) * se
    assert (result.hedges_g_ci_low, result.hedges_g_ci_high) == (
        pytest.approx(g - g_half, abs=1e-9), pytest.approx(g + g_half, abs=1e-9)
    )


def test_a_result_is_one_flat_row_with_the_fields_its_case_computes(survey):
    common = ["value", "ci_low", "ci_high", "n", "p", "n_clusters", "df"]
    groups = ["mean_focal", "mean_other", "n_focal", "n_other"]
    g = ["hedges_g", "hedges_g_ci_low", "hedges_g_ci_high"]
    welch = two_sample(survey["score"], survey["other"])
    row = welch.to_dict()
    assert list(row) == [*common, "mean_x", "mean_y", "n_x", "n_y", "t", *g]
    assert (row["value"], row["t"], row["hedges_g_ci_high"]) == (welch.value, welch.t, welch.hedges_g_ci_high)
    plain = planned_contrast(survey, "score", "sector", ["Techniek"])
    assert list(plain.to_dict()) == [*common, *groups, *g]
    clustered = planned_contrast(survey, "score", "sector", ["Techniek"], cluster="school")
    assert list(clustered.to_dict()) == [*common, "se", *groups]
    assert clustered.to_dict()["se"] == clustered.se and clustered.hedges_g is None
    share = proportion(survey["answer"], [1], cluster=survey["school"])  # a clipped interval has no SE
    assert list(share.to_dict()) == [*common, "count"] and share.se is None


def test_welch_anova_matches_pingouin_and_the_hand_formula(survey):
    result = welch_anova(survey, "score", "sector")
    data = survey[["score", "sector"]].dropna()
    groups = data.groupby("sector")["score"]
    n, mean, var, k = groups.count(), groups.mean(), groups.var(), groups.ngroups
    w = n / var
    grand = (w * mean).sum() / w.sum()
    lam = ((1 - w / w.sum()) ** 2 / (n - 1)).sum()
    f = ((w * (mean - grand) ** 2).sum() / (k - 1)) / (1 + 2 * (k - 2) / (k**2 - 1) * lam)
    df2 = (k**2 - 1) / (3 * lam)
    assert (result.f, result.df1, result.df2) == (pytest.approx(f), k - 1, pytest.approx(df2))
    assert result.p == pytest.approx(stats.f.sf(f, k - 1, df2))
    assert result.p == pytest.approx(pg.welch_anova(data=data, dv="score", between="sector")["p_unc"].iloc[0])
    ss_between = (n * (mean - data["score"].mean()) ** 2).sum()
    assert result.eta2 == pytest.approx(ss_between / ((data["score"] - data["score"].mean()) ** 2).sum())
    assert result.omega2 == pytest.approx((k - 1) * (f - 1) / ((k - 1) * (f - 1) + len(data)))
    assert (result.n, result.n_groups) == (len(data), 7)


def test_games_howell_p_and_intervals_by_hand(survey):
    table = games_howell(survey, "score", "sector")
    assert len(table) == 21
    data = survey[["score", "sector"]].dropna()
    row = table[(table["group_a"] == "Economie") & (table["group_b"] == "Onderwijs")].iloc[0]
    a, b = (data.loc[data["sector"] == name, "score"] for name in ("Economie", "Onderwijs"))
    va, vb = a.var() / len(a), b.var() / len(b)
    se = np.sqrt(va + vb)
    df = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
    diff = a.mean() - b.mean()
    assert (row["diff"], row["se"], row["df"]) == (pytest.approx(diff), pytest.approx(se), pytest.approx(df))
    assert row["p"] == pytest.approx(stats.studentized_range.sf(abs(diff) / se * np.sqrt(2), 7, df), rel=1e-4)
    half = stats.studentized_range.ppf(0.95, 7, df) / np.sqrt(2) * se
    assert (row["ci_low"], row["ci_high"]) == (pytest.approx(diff - half), pytest.approx(diff + half))
    excludes_zero = (table["ci_low"] > 0) | (table["ci_high"] < 0)
    assert (excludes_zero == (table["p"] < 0.05)).all()


def test_planned_contrast_without_clusters_is_welch(survey):
    result = planned_contrast(survey, "score", "sector", ["Economie", "Techniek"])
    data = survey[["score", "sector"]].dropna()
    focal = data["sector"].isin(["Economie", "Techniek"])
    reference = stats.ttest_ind(data.loc[focal, "score"], data.loc[~focal, "score"], equal_var=False)
    assert result.value == pytest.approx(data.loc[focal, "score"].mean() - data.loc[~focal, "score"].mean())
    assert result.p == pytest.approx(reference.pvalue)
    assert (result.n_focal, result.n_other) == (focal.sum(), (~focal).sum())
    welch = two_sample(data.loc[focal, "score"], data.loc[~focal, "score"])
    assert result.value < 0 and result.se is None
    assert (result.hedges_g, result.hedges_g_ci_low, result.hedges_g_ci_high) == (
        welch.hedges_g, welch.hedges_g_ci_low, welch.hedges_g_ci_high
    )


def test_planned_contrast_with_clusters_matches_the_cr2_sandwich(survey):
    result = planned_contrast(survey, "score", "sector", ["Economie", "Techniek"], cluster="school")
    data = survey[["score", "sector", "school"]].dropna()
    design = np.column_stack([np.ones(len(data)), data["sector"].isin(["Economie", "Techniek"])]).astype(float)
    beta, se, df = cr2_dense(design, data["score"].to_numpy(), data["school"].to_numpy(), np.array([0.0, 1.0]))
    assert result.value == pytest.approx(beta)
    assert result.ci_high == pytest.approx(beta + stats.t.ppf(0.975, df) * se)
    assert result.p == pytest.approx(2 * stats.t.sf(abs(beta / se), df))
    assert (result.n, result.n_clusters) == (len(data), 11) and result.df == pytest.approx(df)


def test_group_means_rows_in_the_given_order(survey):
    data = survey.assign(school=np.where(survey["sector"] == "Kunst", "H99", survey["school"]))
    table = group_means(data, "score", "sector", cluster="school", order=["Techniek", "Kunst", "Rechten"])
    assert list(table["group"]) == ["Techniek", "Kunst", "Rechten"]
    techniek = survey.loc[survey["sector"] == "Techniek", "score"].dropna()
    assert (table.loc[0, "n"], table.loc[0, "mean"]) == (len(techniek), pytest.approx(techniek.mean()))
    assert table.loc[0, "ci_low"] < techniek.mean() < table.loc[0, "ci_high"]
    assert table.loc[1, "n_clusters"] == 1 and np.isnan(table.loc[1, "ci_low"])
    assert table.loc[2, "n"] == 0 and np.isnan(table.loc[2, "mean"])
    plain = group_means(survey, "score", "sector")
    assert list(plain["group"]) == SECTORS
    half = stats.t.ppf(0.975, len(techniek) - 1) * techniek.std() / np.sqrt(len(techniek))
    assert plain.set_index("group").loc["Techniek", "ci_high"] == pytest.approx(techniek.mean() + half)


def test_holm_by_hand():
    p = np.array([0.01, 0.04, 0.03, 0.005])
    order = np.argsort(p)
    expected = np.empty(4)
    expected[order] = np.minimum(1, np.maximum.accumulate(p[order] * (4 - np.arange(4))))
    np.testing.assert_allclose(holm(p), expected)
    series = holm(pd.Series([0.01, np.nan, 0.04], index=["a", "b", "c"]))
    assert list(series.index) == ["a", "b", "c"] and np.isnan(series["b"])
    assert series["c"] == pytest.approx(0.04) and series["a"] == pytest.approx(0.02)


def test_bad_input_is_reported(survey):
    with pytest.raises(InputError, match="'score' not found"):
        welch_anova(survey.drop(columns="score"), "score", "sector")
    with pytest.raises(InputError, match="'sector' must be numeric"):
        group_means(survey, "sector", "school")
    with pytest.raises(ParameterError, match="focal groups"):
        planned_contrast(survey, "score", "sector", ["Rechten"])
    with pytest.raises(ParameterError, match="every group is focal"):
        planned_contrast(survey, "score", "sector", SECTORS)
    with pytest.raises(InputError, match="1 cluster"):
        mean_ci(survey["score"], cluster=pd.Series("H01", index=survey.index))
    with pytest.raises(InputError, match="does not share the index"):
        mean_ci(survey["score"], cluster=survey["school"].reset_index(drop=True).iloc[::-1])
    with pytest.raises(InputError, match="group 'Kunst'"):
        welch_anova(survey.assign(score=np.where(survey["sector"] == "Kunst", 2.0, survey["score"])), "score", "sector")
    with pytest.raises(ParameterError, match="between 0 and 1"):
        holm([0.2, 1.5])
    with pytest.raises(ParameterError, match="not answers"):
        proportion(pd.Series(pd.Categorical(["ja", "nee"])), ["misschien"])


def test_games_howell_intervals_stay_exact_for_small_groups():
    rng = np.random.default_rng(9)
    sizes = {"Agrarisch": 6, "Kunst": 11, "Onderwijs": 25, "Techniek": 40}
    data = pd.DataFrame(
        [(name, value) for name, size in sizes.items() for value in rng.normal(3, 0.5 + size / 40, size)],
        columns=["sector", "score"],
    )
    table = games_howell(data, "score", "sector")
    half = stats.studentized_range.ppf(0.95, 4, table["df"]) / np.sqrt(2) * table["se"]
    np.testing.assert_allclose(table["ci_high"] - table["diff"], half, rtol=1e-8)


def test_games_howell_intervals_use_each_pairs_own_quantile_when_one_pair_has_one_df():
    """A group of two with a wide spread gives its pairs Welch df of about 1; every pair's interval still uses the
    exact studentized-range quantile at its own df (scipy), not one interpolated across the pairs' df."""
    rng = np.random.default_rng(1)
    data = pd.DataFrame({
        "sector": ["Agrarisch"] * 2 + ["Kunst"] * 30 + ["Onderwijs"] * 40 + ["Techniek"] * 200,
        "score": np.r_[[1.0, 9.0], rng.normal(3, 1, 30), rng.normal(3, 1, 40), rng.normal(3, 1, 200)],
    })
    table = games_howell(data, "score", "sector")
    assert table["df"].min() == pytest.approx(1, abs=0.01)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # scipy's quadrature warns about its own accuracy near df = 1
        quantiles = [stats.studentized_range.ppf(0.95, 4, df) for df in table["df"]]
    np.testing.assert_allclose((table["ci_high"] - table["diff"]) * np.sqrt(2) / table["se"], quantiles, rtol=1e-8)
    np.testing.assert_allclose(table["ci_high"] - table["diff"], table["diff"] - table["ci_low"], rtol=1e-12)


def test_games_howell_equals_pingouins_table(survey):
    mine = games_howell(survey, "score", "sector")
    theirs = pg.pairwise_gameshowell(data=survey[["score", "sector"]].dropna(), dv="score", between="sector")
    assert list(mine["group_a"]) == list(theirs["A"]) and list(mine["group_b"]) == list(theirs["B"])
    for column, reference in {"mean_a": "mean_A", "mean_b": "mean_B", "diff": "diff", "se": "se", "t": "T",
                              "df": "df", "hedges_g": "hedges"}.items():
        np.testing.assert_allclose(mine[column], theirs[reference], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(mine["p"], theirs["pval"], rtol=0, atol=1e-9)


def test_studentized_range_matches_scipy():
    from loopbaanleren.stats import studentized

    q = np.array([0.4, 1.5, 3.0, 4.5, 7.0])
    for k, df in [(2, 4.5), (4, 30.0), (7, 250.0), (11, 3000.0)]:
        np.testing.assert_allclose(studentized.sf(q, k, df), stats.studentized_range.sf(q, k, df), atol=1e-10)
    df = np.array([5.0, 60.0, 900.0])
    np.testing.assert_allclose(studentized.ppf(0.95, 7, df), stats.studentized_range.ppf(0.95, 7, df), atol=1e-9)


@pytest.mark.parametrize("seed", range(5))
def test_holm_and_bonferroni_match_statsmodels_with_ties(seed):
    from statsmodels.stats.multitest import multipletests

    from loopbaanleren.claims.families import adjust

    rng = np.random.default_rng(seed)
    p = np.round(rng.uniform(0, 0.2, 12), 2)  # rounded: ties
    for method in ("holm", "bonferroni"):
        np.testing.assert_allclose(adjust(list(p), method), multipletests(p, method=method)[1], rtol=0, atol=1e-15)
