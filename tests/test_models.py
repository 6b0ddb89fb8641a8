"""Regression models against hand-built least squares, sandwiches and simulations with known truth."""

import time

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from loopbaanleren.errors import InputError, ParameterError
from loopbaanleren.stats import equivalence, fit_regression, icc, vif
from loopbaanleren.stats.ordinal import SeparationError


def cr1_covariance(design: np.ndarray, residuals: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Textbook CR1 sandwich: G/(G-1)·(N-1)/(N-K)·(X'X)⁻¹ Σ_g X_g'e_g e_g'X_g (X'X)⁻¹."""
    n, k = design.shape
    labels = np.unique(groups)
    bread = np.linalg.inv(design.T @ design)
    scores = [design[groups == g].T @ residuals[groups == g] for g in labels]
    meat = sum(np.outer(score, score) for score in scores)
    factor = len(labels) / (len(labels) - 1) * (n - 1) / (n - k)
    return factor * bread @ meat @ bread


def zscore(values: np.ndarray) -> np.ndarray:
    return (values - values.mean(axis=0)) / values.std(axis=0, ddof=1)


def clustered_data(n: int = 2000, n_clusters: int = 11, tau: float = 0.5, seed: int = 0) -> pd.DataFrame:
    """x1, x2 correlated predictors, a sector control, y with a random intercept per hogeschool."""
    rng = np.random.default_rng(seed)
    school = rng.integers(0, n_clusters, n)
    x1 = rng.normal(size=n)
    x2 = 0.5 * x1 + rng.normal(size=n)
    sector = rng.choice(["Economie", "Onderwijs", "Techniek"], n)
    school_effect = rng.normal(0, tau, n_clusters)[school]
    y = 0.4 * x1 - 0.2 * x2 + 0.3 * (sector == "Onderwijs") + school_effect + rng.normal(size=n)
    return pd.DataFrame({"y": y, "x1": x1, "x2": x2, "sector": sector, "school": [f"H{s:02d}" for s in school]})


def test_ols_betas_and_cr1_errors_match_hand_computation():
    data = clustered_data()
    data.loc[:29, "x2"] = np.nan
    result = fit_regression(data, "y", ["x1"], ["x2"], ["sector"], cluster="school", method="ols_cluster")
    complete = data.dropna()
    design = np.column_stack(
        [
            np.ones(len(complete)),
            zscore(complete[["x1", "x2"]].to_numpy()),
            complete["sector"] == "Onderwijs",
            complete["sector"] == "Techniek",
        ]
    ).astype(float)
    y = zscore(complete["y"].to_numpy())
    beta, *_ = np.linalg.lstsq(design, y, rcond=None)
    se = np.sqrt(np.diag(cr1_covariance(design, y - design @ beta, complete["school"].to_numpy())))
    table = result.coefficients.set_index("term")
    terms = ["x1", "x2", "sector[Onderwijs]", "sector[Techniek]"]
    np.testing.assert_allclose(table.loc[terms, "beta"], beta[1:], rtol=1e-10)
    np.testing.assert_allclose(table.loc[terms, "se"], se[1:], rtol=1e-8)
    half = stats.t.ppf(0.975, 10) * se[1:]
    np.testing.assert_allclose(table.loc[terms, "ci_low"], beta[1:] - half, rtol=1e-8)
    np.testing.assert_allclose(table.loc[terms, "p"], 2 * stats.t.sf(np.abs(beta[1:] / se[1:]), 10), rtol=1e-6)
    assert list(table["role"]) == ["predictor", "control", "control", "control"]
    assert (result.n, result.n_clusters, result.method) == (1970, 11, "ols_cluster")
    assert result.r2 == pytest.approx(1 - np.sum((y - design @ beta) ** 2) / np.sum(y**2))
    estimate = result.coefficient("x1")
    assert (estimate.value, estimate.df, estimate.n_clusters) == (pytest.approx(beta[1]), 10, 11)
    assert estimate.se == pytest.approx(se[1])


def test_mixed_model_recovers_fixed_effect_and_icc():
    rng = np.random.default_rng(3)
    n, n_clusters, b, tau, sigma = 5000, 50, 0.5, 0.6, 1.0
    school = rng.integers(0, n_clusters, n)
    x = rng.normal(size=n)
    y = b * x + rng.normal(0, tau, n_clusters)[school] + rng.normal(0, sigma, n)
    data = pd.DataFrame({"y": y, "x": x, "school": school})
    result = fit_regression(data, "y", ["x"], cluster="school", method="mixed")
    total_sd = np.sqrt(b**2 + tau**2 + sigma**2)
    beta = result.coefficient("x")
    assert beta.value == pytest.approx(b / total_sd, abs=0.02)
    assert beta.ci_low < b / total_sd < beta.ci_high
    assert result.icc == pytest.approx(tau**2 / (tau**2 + sigma**2), abs=0.05)
    assert result.r2 == pytest.approx(b**2 / total_sd**2, abs=0.03)
    assert result.converged and result.n_clusters == n_clusters
    null = icc(data, "y", "school")
    truth = tau**2 / (tau**2 + sigma**2 + b**2)
    assert null.value == pytest.approx(truth, abs=0.05)
    assert null.ci_low < truth < null.ci_high
    assert null.value == pytest.approx(null.tau2 / (null.tau2 + null.sigma2))


def test_a_cached_mixed_fit_reads_as_statsmodels_result_but_keeps_one_copy_of_the_design():
    import pickle

    from loopbaanleren.stats.mixed import mixed_fit

    data = clustered_data(n=3000)
    result = fit_regression(data, "y", ["x1", "x2"], cluster="school", method="mixed")
    design = pd.DataFrame(result.fit.model.exog, columns=result.fit.model.exog_names)
    y = pd.Series(result.fit.model.endog)
    full = mixed_fit(y, design, pd.Series(result.fit.model.groups))
    for alpha in (0.05, 0.1):
        np.testing.assert_allclose(result.fit.conf_int(alpha).to_numpy(), full.conf_int(alpha).to_numpy(), rtol=1e-6)
    np.testing.assert_allclose(result.fit.fittedvalues, full.fittedvalues, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(result.fit.params, full.params, rtol=1e-6)
    assert result.fit.scale == pytest.approx(full.scale, rel=1e-6)
    assert len(pickle.dumps(result, protocol=5)) < len(pickle.dumps(full, protocol=5)) / 3  # statsmodels': 4x


def test_mixed_model_is_fast_on_a_full_sample():
    rng = np.random.default_rng(4)
    data = pd.DataFrame(rng.normal(size=(5000, 14)), columns=[f"x{j}" for j in range(14)])
    data["school"] = rng.integers(0, 11, 5000)
    data["sector"] = rng.choice(list("ABCDEFG"), 5000)
    data["y"] = data["x0"] + rng.normal(0, 0.4, 11)[data["school"]] + rng.normal(size=5000)
    start = time.perf_counter()
    result = fit_regression(data, "y", ["x0", "x1"], [f"x{j}" for j in range(2, 14)], ["sector"], "school")
    assert time.perf_counter() - start < 5
    assert result.converged and len(result.coefficients) == 14 + 6


def test_ordinal_model_recovers_a_log_odds_coefficient():
    rng = np.random.default_rng(5)
    n, b = 4000, 0.8
    x = rng.normal(size=n)
    item = np.digitize(b * x + rng.logistic(size=n), [-1.0, 0.0, 1.5]) + 1
    data = pd.DataFrame({"item": item.astype(float), "x": x, "school": rng.integers(0, 11, n)})
    plain = fit_regression(data, "item", ["x"], method="ordinal")
    clustered = fit_regression(data, "item", ["x"], cluster="school", method="ordinal")
    per_sd = b * x.std(ddof=1)
    assert plain.coefficient("x").value == pytest.approx(per_sd, abs=0.08)
    assert plain.coefficient("x").ci_low < per_sd < plain.coefficient("x").ci_high
    assert clustered.coefficient("x").value == pytest.approx(plain.coefficient("x").value, rel=1e-6)
    assert clustered.coefficient("x").df == 10
    assert plain.r2 is None and plain.icc is None


def test_the_ordinal_logits_analytic_derivatives_equal_numerical_ones_and_its_fit_statsmodels_own():
    from statsmodels.miscmodels.ordinal_model import OrderedModel
    from statsmodels.tools.numdiff import approx_fprime

    from loopbaanleren.stats.ordinal import OrderedLogit

    rng = np.random.default_rng(8)
    X = rng.normal(size=(800, 3))
    y = np.digitize(X @ [0.5, -0.3, 0.0] + rng.logistic(size=800), [-1.5, -0.2, 0.4, 1.8])
    model = OrderedLogit(y, X, distr="logit")
    for params in (model.start_params, rng.normal(scale=0.5, size=len(model.start_params))):
        np.testing.assert_allclose(model.score_obs(params), approx_fprime(params, model.loglikeobs, centered=True), rtol=1e-6, atol=1e-8)
        np.testing.assert_allclose(model.hessian(params), approx_fprime(params, model.score, centered=True), rtol=1e-6, atol=1e-6)
    fast = model.fit(method="newton", disp=False)
    slow = OrderedModel(y, X, distr="logit").fit(method="bfgs", disp=False, maxiter=1000)
    assert fast.mle_retvals["converged"] and fast.llf >= slow.llf - 1e-9
    np.testing.assert_allclose(fast.params, slow.params, atol=1e-4)  # statsmodels stops within ~1e-5 (see polr in test_r_reference)
    np.testing.assert_allclose(fast.bse, slow.bse, rtol=1e-3)


def _separable(seed: int = 3, n: int = 60) -> pd.DataFrame:
    """x orders three answers perfectly (complete separation); z is noise; six schools."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    return pd.DataFrame({"y": np.digitize(x, [-0.3, 0.3]) + 1.0, "x": x, "z": rng.normal(size=n),
                         "school": np.repeat(list("abcdef"), n // 6)})


@pytest.mark.parametrize("cluster", [None, "school"])
def test_an_ordinal_outcome_separated_by_a_predictor_is_refused_by_name(cluster):
    """Before: β of x = 505 with SE 50,578 (or, cluster-robust, SE 3.7 and p = 1e-9), flagged only by converged=False."""
    with pytest.raises(SeparationError, match=r"fit_regression\('y'\): the answers are separated by 'x' \(") as caught:
        fit_regression(_separable(), "y", ["x"], ["z"], cluster=cluster, method="ordinal")
    assert (caught.value.outcome, caught.value.terms) == ("y", ["x"])
    assert isinstance(caught.value, InputError)  # shown without a traceback, and a claim's "not computable"


def test_quasi_complete_separation_and_separation_by_a_combination_are_found():
    data = _separable()
    tied = data.assign(x=np.round(data["x"], 0), y=np.where(np.round(data["x"], 0) >= 0, 2.0, 1.0))
    tied.loc[tied.index[tied["x"] == 0][:1], "y"] = 1.0  # one tie across the boundary: quasi-complete
    with pytest.raises(SeparationError, match="'x'"):
        fit_regression(tied, "y", ["x"], ["z"], method="ordinal")
    both = data.assign(y=np.where(data["x"] + data["z"] > 0, 2.0, 1.0))
    with pytest.raises(SeparationError) as caught:  # neither alone orders the answers, their sum does
        fit_regression(both, "y", ["x"], ["z"], method="ordinal")
    assert sorted(caught.value.terms) == ["x", "z"]


def test_an_ordinal_model_with_one_answer_split_separated_has_finite_estimates():
    """The top answer only above x = 1 and the two lower ones mixed: one cumulative split is separated, but the
    common slope is finite (the mixed lower answers bound it), so the model is fitted."""
    data = _separable()
    rng = np.random.default_rng(1)
    data["y"] = np.where(data["x"] > 1.0, 3.0, rng.integers(1, 3, len(data)))
    result = fit_regression(data, "y", ["x"], ["z"], method="ordinal")
    assert result.converged and abs(result.coefficient("x").value) < 5


def test_separation_is_found_exactly_where_the_likelihood_has_no_finite_maximum():
    """On small random data sets (6 to 29 answers, 2 to 4 levels, 1 to 3 terms, strong effects) the linear
    programme finds separation exactly where Newton's method on the proportional-odds likelihood (50 steps) does
    not converge to a finite maximum; where it converges the estimates can still be large (up to 45 here)."""
    import warnings

    from loopbaanleren.stats.ordinal import OrderedLogit, separating_direction

    found = {True: 0, False: 0}
    for seed in range(40):
        rng = np.random.default_rng(seed)
        n, levels, k = int(rng.integers(6, 30)), int(rng.integers(2, 5)), int(rng.integers(1, 4))
        X = rng.normal(size=(n, k))
        latent = X @ rng.normal(size=k) * rng.uniform(0.5, 6) + rng.logistic(size=n)
        codes = np.unique(np.digitize(latent, np.sort(rng.normal(size=levels - 1))), return_inverse=True)[1]
        if codes.max() == 0:
            continue
        separated = separating_direction(codes, X) is not None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                fit = OrderedLogit(pd.Categorical(codes, ordered=True), X, distr="logit").fit(
                    method="newton", disp=False, maxiter=50)
                finite = fit.mle_retvals["converged"]
            except np.linalg.LinAlgError:  # a singular Hessian on the way to infinity
                finite = False
        assert separated == (not finite), f"seed {seed}: separated {separated}, finite maximum {finite}"
        found[separated] += 1
    assert min(found.values()) >= 8, found  # both cases were tried


@pytest.mark.parametrize("seed", [0, 3])
def test_the_icc_on_its_boundary_has_the_documented_interval_from_zero_to_not_estimated(seed):
    """Eight schools of 25 with no variance between them (REML: τ² = 0, as lme4 finds, test_r_reference): the Wald
    interval for log(τ²/σ²) does not exist there, so the interval is [0, NaN] (it was [0, 1] for these seeds)."""
    rng = np.random.default_rng(seed)
    data = pd.DataFrame({"y": rng.normal(size=200), "school": np.repeat(np.arange(8), 25)})
    estimate = icc(data, "y", "school")
    assert estimate.value < 1e-8 and estimate.ci_low == 0 and np.isnan(estimate.ci_high)
    data["y"] += np.repeat(rng.normal(0, 0.5, 8), 25)  # variance between schools: an interval around the ICC
    estimate = icc(data, "y", "school")
    assert 0 < estimate.ci_low < estimate.value < estimate.ci_high < 1


def test_the_profile_reml_ratio_is_where_statsmodels_own_optimiser_ends():
    from statsmodels.regression.mixed_linear_model import MixedLM

    from loopbaanleren.stats.mixed import mixed_fit, reml_ratio

    rng = np.random.default_rng(9)
    school = rng.integers(0, 11, 1500)
    X = np.column_stack([np.ones(1500), rng.normal(size=(1500, 2))])
    y = X @ [0.1, 0.4, -0.2] + rng.normal(scale=0.4, size=11)[school] + rng.normal(size=1500)
    free = MixedLM(y, X, groups=school).fit(reml=True)
    ratio = reml_ratio(y, X, school)
    assert ratio == pytest.approx(float(free.params[-1]), rel=1e-3)
    started = mixed_fit(pd.Series(y), pd.DataFrame(X), pd.Series(school))  # MixedLM started at that ratio
    assert float(started.params.iloc[-1]) == pytest.approx(ratio, rel=1e-6) and started.llf >= free.llf - 1e-9


def test_vif_matches_one_over_one_minus_r_squared():
    rng = np.random.default_rng(6)
    a = rng.normal(size=500)
    data = pd.DataFrame({"a": a, "b": 0.7 * a + rng.normal(size=500), "c": rng.normal(size=500)})
    table = vif(data, ["a", "b", "c"]).set_index("term")
    for name in "abc":
        others = np.column_stack([np.ones(500), data.drop(columns=name).to_numpy()])
        fitted = others @ np.linalg.lstsq(others, data[name].to_numpy(), rcond=None)[0]
        r2 = 1 - np.sum((data[name] - fitted) ** 2) / np.sum((data[name] - data[name].mean()) ** 2)
        assert table.loc[name, "vif"] == pytest.approx(1 / (1 - r2), rel=1e-8)


def test_equivalence_matches_two_one_sided_tests_by_hand():
    beta, se, bound = 0.04, 0.03, 0.1
    result = equivalence(beta, se, bound)
    p_lower = 1 - stats.norm.cdf((beta + bound) / se)
    p_upper = stats.norm.cdf((beta - bound) / se)
    assert result.p == pytest.approx(max(p_lower, p_upper))
    assert result.ci_low == pytest.approx(beta - 1.6448536 * se)
    assert result.ci_high == pytest.approx(beta + 1.6448536 * se)
    assert result.equivalent
    wide = equivalence(0.08, 0.05, 0.1, df=10)
    assert wide.p == pytest.approx(stats.t.cdf((0.08 - 0.1) / 0.05, 10))
    assert not wide.equivalent and wide.ci_high > 0.1


def test_bad_model_requests_are_reported():
    data = clustered_data(n=300)
    with pytest.raises(ParameterError, match="unknown method 'probit'"):
        fit_regression(data, "y", ["x1"], cluster="school", method="probit")
    with pytest.raises(ParameterError, match="needs a cluster column"):
        fit_regression(data, "y", ["x1"], method="mixed")
    with pytest.raises(ParameterError, match="'x1' used twice"):
        fit_regression(data, "y", ["x1"], ["x1"], cluster="school", method="ols_cluster")
    with pytest.raises(InputError, match="'x9' not found"):
        fit_regression(data, "y", ["x9"], cluster="school")
    with pytest.raises(InputError, match="'x2' has no variance"):
        fit_regression(data.assign(x2=1.0), "y", ["x1", "x2"], cluster="school")
    with pytest.raises(InputError, match="whole-number answers"):
        fit_regression(data, "y", ["x1"], method="ordinal")
    with pytest.raises(InputError, match="1 cluster"):
        fit_regression(data.assign(school="H01"), "y", ["x1"], cluster="school", method="ols_cluster")
    with pytest.raises(ParameterError, match="no term 'x2'"):
        fit_regression(data, "y", ["x1"], cluster="school", method="ols_cluster").coefficient("x2")
    with pytest.raises(ParameterError, match="se must be positive"):
        equivalence(0.1, 0.0, 0.2)
