"""The multiverse: its declared file, each alternative estimator against an independent computation, and a run."""

import copy
import itertools
import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from statsmodels.miscmodels.ordinal_model import OrderedModel

from loopbaanleren.claims.context import Context
from loopbaanleren.book import multiverse_display as display
from loopbaanleren.build.executor import make_executor
from loopbaanleren.robustness import estimators, multiverse as mvm, multiverse_design as design
from loopbaanleren.book.claim_labels import claim_label
from loopbaanleren.data.registry import load_registry
from loopbaanleren.claims.evaluate import evaluate_claims
from loopbaanleren.resources import load_yaml
from loopbaanleren.data.simulation import MISSING_CODE, simulate
from loopbaanleren.claims.verdicts import VERDICTS


def raw_file() -> dict:
    return copy.deepcopy(load_yaml(design.MULTIVERSE_FILE))


# ---------------------------------------------------------------------------------------------- the declared file


def test_the_shipped_file_loads_and_its_design_starts_with_the_primary_analysis():
    mv = design.load_multiverse()
    specs = design.specifications(mv)
    assert specs[0] == mv.primary == {"inference": "cr2", "scores": "half", "controls": "published",
                                      "outcome": "linear", "missing": "available", "cluster": "hogeschool"}
    assert len({tuple(s.values()) for s in specs}) == len(specs)
    product = math.prod(len(v) for v in mv.product.values())
    one_at_a_time = sum(len(d.options) - len(mv.product.get(n, (d.primary,))) for n, d in mv.dimensions.items())
    assert len(specs) == product + one_at_a_time


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda r: r.update(extra=1), "multiverse.yaml: unknown key 'extra'; keys are kind_groups, dimensions, design, wild_bootstrap, imputations, max_size"),
        (lambda r: r["dimensions"]["inference"]["options"].update(bootstrap={"label_nl": "x"}),
         "multiverse.yaml: dimensions.inference.options.bootstrap: unknown option; options of inference are cr2, wild, mixed"),
        (lambda r: r["dimensions"]["scores"]["options"]["factor"].update(kinds=["regresion"]),
         "multiverse.yaml: dimensions.scores.options.factor.kinds: 'regresion' is neither a kind group nor a claim kind"),
        (lambda r: r["dimensions"]["cluster"].update(options={"hogeschool_sector": {"label_nl": "x"}, "hogeschool": {"label_nl": "y"}}),
         "multiverse.yaml: dimensions.cluster.options: the first option is the primary analysis and must be 'hogeschool', got 'hogeschool_sector'"),
        (lambda r: r["dimensions"].pop("missing"), "multiverse.yaml: dimensions: missing dimension 'missing'"),
        (lambda r: r["design"]["product"].update(inference=["cr2", "cr3"]),
         "multiverse.yaml: design.product.inference: 'cr3' is not an option of inference"),
        (lambda r: r["wild_bootstrap"].update(weights="mammen"),
         "multiverse.yaml: wild_bootstrap.weights: 'mammen' is not one of webb, rademacher"),
        (lambda r: r["wild_bootstrap"].update(draws=10),
         "multiverse.yaml: wild_bootstrap.draws: expected a whole number of at least 99, got 10"),
        (lambda r: r.update(imputations=1), "multiverse.yaml: imputations: expected a whole number of at least 2, got 1"),
        (lambda r: r.update(max_size=0), "multiverse.yaml: max_size: expected a positive number (times the study's size), got 0"),
        (lambda r: r["kind_groups"]["location"].append("median"), "multiverse.yaml: kind_groups.location: 'median' is not a claim kind"),
    ],
)
def test_a_bad_entry_is_named_in_one_line(edit, message):
    raw = raw_file()
    edit(raw)
    with pytest.raises(design.MultiverseError) as caught:
        design.parse_multiverse(raw)
    assert str(caught.value) == message


def test_every_problem_is_reported_at_once():
    raw = raw_file()
    raw["imputations"] = 0
    raw["wild_bootstrap"]["seed"] = "x"
    assert len(design.check_multiverse(raw)) == 2


def test_choices_apply_only_where_declared():
    mv = design.load_multiverse()
    registry = load_registry()
    ordinal = mv.primary | {"outcome": "ordinal", "inference": "wild"}
    # the ordinal option acts on a single-item outcome, and brings its own inference there
    assert design.effective(ordinal, registry.get("h2_lr_ud"), mv) == mv.primary | {"outcome": "ordinal"}
    assert design.effective(ordinal, registry.get("h2_lr_ai"), mv) == mv.primary | {"inference": "wild"}
    # a percentage rests on no model: only clusters and scale scores could change it
    assert design.effective(ordinal, registry.get("rq1_s_geen_keuzes"), mv) == mv.primary
    assert design.effective(mv.primary | {"controls": "plus_sector"}, registry.get("h1_pg_lr"), mv) == mv.primary


# ---------------------------------------------------------------------------------------------- estimators


def _tiny(seed=3, clusters=6, per=5):
    rng = np.random.default_rng(seed)
    g = np.repeat(np.arange(clusters), per)
    x = rng.normal(size=len(g)) + 0.5 * rng.normal(size=clusters)[g]
    X = np.column_stack([np.ones(len(g)), x, rng.normal(size=len(g))])
    y = X @ [0.5, 0.3, -0.2] + rng.normal(size=clusters)[g] + rng.normal(size=len(g))
    return y, X, g


@pytest.mark.parametrize("r", [0.0, 0.25])
def test_wild_bootstrap_p_equals_a_direct_enumeration_of_all_rademacher_draws(r):
    y, X, g = _tiny()
    clusters = np.unique(g)
    draws = np.array(list(itertools.product([-1.0, 1.0], repeat=len(clusters)))).T  # (G, 2^G)
    test = estimators.wild_cluster_test(y, X, g, [0, 1, 0], r=r, weights=draws)

    # by hand: impose the null by OLS of y - r·x on the other columns, refit each bootstrap sample with
    # statsmodels' cluster-robust errors (its small-sample factor is the same in every draw)
    def t_stat(values):
        fit = sm.OLS(values, X).fit(cov_type="cluster", cov_kwds={"groups": g})
        return (fit.params[1] - r) / fit.bse[1]

    restricted = sm.OLS(y - r * X[:, 1], X[:, [0, 2]]).fit()
    fitted = restricted.fittedvalues + r * X[:, 1]
    t = t_stat(y)
    t_star = np.array([t_stat(fitted + restricted.resid * w[g]) for w in draws.T])
    n, k, G = len(y), X.shape[1], len(clusters)
    factor = math.sqrt(G / (G - 1) * (n - 1) / (n - k))  # statsmodels' CR1 factor; the function's t has none
    assert test.t == pytest.approx(t * factor, rel=1e-10)
    np.testing.assert_allclose(test.t_star, t_star * factor, rtol=1e-8)
    assert test.p == np.mean(np.abs(t_star) >= abs(t) - 1e-10 * max(1, abs(t)))


def test_one_bootstrap_per_fit_gives_the_p_values_of_a_fresh_test_per_hypothesis():
    y, X, g = _tiny()
    boot = estimators.WildBootstrap(y, X, g, draws=499, seed=3)
    for contrast, r, side in [([0, 1, 0], 0.0, "two-sided"), ([0, 0, 1], 0.1, "greater"), ([0, 1, 0], -0.2, "less")]:
        fresh = estimators.wild_cluster_test(y, X, g, contrast, r=r, draws=499, seed=3, alternative=side)
        again = boot.test(contrast, r=r, alternative=side)
        assert again.p == fresh.p and again.t == pytest.approx(fresh.t, rel=1e-12)


def test_batches_hold_every_task_once_and_spread_the_slow_ones():
    spec = dict(inference="cr2", scores="half", controls="published", outcome="linear", missing="available",
                cluster="hogeschool")
    slow = [mvm.Task("regression", tuple((spec | {"missing": "imputed"}).items()), (f"a{i}",)) for i in range(2)]
    fast = [mvm.Task("location", tuple(spec.items()), (f"b{i}",)) for i in range(10)]
    tasks = [*fast, *slow]
    parts = mvm.batches(tasks, 3)
    assert len(parts) == 3 and sorted(i for part in parts for i in part) == list(range(len(tasks)))
    assert all(sum(i >= len(fast) for i in part) <= 1 for part in parts)  # the two imputations apart
    assert mvm.batches(tasks[:2], 5) == [[0], [1]]


def test_tasks_that_differ_only_in_inference_share_a_batch_and_follow_each_other():
    spec = dict(inference="cr2", scores="half", controls="published", outcome="linear", missing="available",
                cluster="hogeschool")
    tasks = [mvm.Task("regression", tuple((spec | {"inference": inference, "controls": controls}).items()), ("a",))
             for inference in ("cr2", "wild", "mixed") for controls in ("published", "none")]
    parts = mvm.batches(tasks, 4)
    assert sorted(i for part in parts for i in part) == list(range(6))
    for part in parts:
        controls = [dict(tasks[i].spec)["controls"] for i in part]
        assert controls in ([], ["published"] * 3, ["none"] * 3)


def test_webb_weights_have_mean_zero_and_variance_one():
    w = estimators.bootstrap_weights(11, 60000, "webb", seed=1)
    assert w.shape == (11, 60000)
    assert sorted(np.unique(np.round(w**2, 12))) == [0.5, 1.0, 1.5]
    assert abs(w.mean()) < 0.01 and abs(w.var() - 1) < 0.01


def test_rubin_pooling_by_hand():
    q = np.array([[0.30, 1.0], [0.36, 1.1], [0.27, 0.9], [0.33, 1.2]])
    u = np.array([[0.010, 0.04], [0.012, 0.05], [0.011, 0.04], [0.009, 0.06]])
    pooled = estimators.pool_rubin(q, u, df_complete=[50, 50])
    m = 4
    for j in range(2):
        qbar, w = q[:, j].mean(), u[:, j].mean()
        b = sum((q[i, j] - qbar) ** 2 for i in range(m)) / (m - 1)
        t = w + (1 + 1 / m) * b
        lam = (1 + 1 / m) * b / t
        old = (m - 1) / lam**2
        observed = (50 + 1) / (50 + 3) * 50 * (1 - lam)
        assert pooled.estimate[j] == pytest.approx(qbar)
        assert pooled.se[j] == pytest.approx(math.sqrt(t))
        assert pooled.df[j] == pytest.approx(1 / (1 / old + 1 / observed))


def test_imputations_equal_those_of_the_imputer_modelling_every_column():
    from sklearn.experimental import enable_iterative_imputer  # noqa: F401
    from sklearn.impute import IterativeImputer

    rng = np.random.default_rng(5)
    x = rng.normal(size=(300, 5))
    x[:, 1] += x[:, 0]
    x[rng.random(300) < 0.2, 1] = np.nan  # columns 0, 2 and 4 complete, 1 and 3 not
    x[rng.random(300) < 0.1, 3] = np.nan
    copies = estimators.chained_imputations(x, 3, seed=11)
    for i, copy in enumerate(copies):
        every = IterativeImputer(sample_posterior=True, random_state=11 + i, max_iter=5).fit_transform(x)
        np.testing.assert_array_equal(copy, every)
    assert not np.array_equal(copies[0], copies[1])  # a seed per copy
    np.testing.assert_array_equal(copies[0][~np.isnan(x)], x[~np.isnan(x)])


def test_standardised_ordinal_coefficient_matches_statsmodels():
    from loopbaanleren.stats import fit_regression

    rng = np.random.default_rng(5)
    n = 400
    frame = pd.DataFrame({"x": rng.normal(size=n), "z": rng.normal(size=n), "school": np.repeat(np.arange(8), 50)})
    latent = 0.8 * frame["x"] - 0.3 * frame["z"] + rng.logistic(size=n)
    frame["y"] = np.digitize(latent, [-1.0, 0.0, 1.5]) + 1
    fit = fit_regression(frame, "y", ["x", "z"], cluster="school", method="ordinal")
    scaled = estimators.standardised_ordinal(fit)
    design = (frame[["x", "z"]] - frame[["x", "z"]].mean()) / frame[["x", "z"]].std()
    ref = OrderedModel(frame["y"], design, distr="logit").fit(method="bfgs", disp=False, maxiter=1000)
    b = ref.params[["x", "z"]].to_numpy()
    expected = b / math.sqrt(np.var(design.to_numpy() @ b, ddof=1) + math.pi**2 / 3)
    np.testing.assert_allclose(scaled.coefficients["beta"], expected, rtol=1e-4)
    assert (scaled.coefficients["p"].to_numpy() == fit.coefficients["p"].to_numpy()).all()


def test_factor_scores_follow_the_mean_score():
    from loopbaanleren.data.codebook import load_codebook, scale_score
    from loopbaanleren.data.frames import with_scale_scores

    data = simulate(2026, 400, 100)["students"].replace(MISSING_CODE, np.nan)
    scale = load_codebook().scales("students")["loopbaanreflectie"]
    scores = estimators.factor_scores(data, scale)
    mean = scale_score(data, scale)
    assert scores.isna().equals(mean.isna())
    assert scores.corr(mean) > 0.95
    assert "loopbaanreflectie" in with_scale_scores(data, "students")


def test_factor_scores_are_those_of_the_randomized_svd_that_scikit_learn_uses_by_default(monkeypatch):
    import sklearn.decomposition
    from loopbaanleren.data.codebook import load_codebook

    data = simulate(2026, 400, 100)["students"].replace(MISSING_CODE, np.nan)
    scale = load_codebook().scales("students")["loopbaanreflectie"]
    exact = estimators.factor_scores(data, scale)
    default, made = sklearn.decomposition.FactorAnalysis, []

    def randomized_svd(**options):
        made.append(default(**{**options, "svd_method": "randomized", "random_state": 0}))
        return made[-1]

    monkeypatch.setattr(sklearn.decomposition, "FactorAnalysis", randomized_svd)
    randomized = estimators.factor_scores(data, scale)
    assert [model.svd_method for model in made] == ["randomized"]
    assert exact.notna().sum() > 300 and np.allclose(exact, randomized, rtol=0, atol=1e-10, equal_nan=True)


# ---------------------------------------------------------------------------------------------- a run


@pytest.fixture(scope="module")
def run():
    data = {p: f.replace(MISSING_CODE, np.nan) for p, f in simulate(2026, 600, 150).items()}
    registry = load_registry()
    claims = [*registry.for_rq("RQ6"), registry.get("rq3_loopbaansucces"), registry.get("rq1_s_pg_contrast_te")]
    small = {"wild_bootstrap": {"draws": 199, "weights": "webb", "seed": 1}, "imputations": 2,
             "design": {"product": {"inference": ["cr2", "wild"], "cluster": ["hogeschool", "hogeschool_sector"]}}}
    mv = design.parse_multiverse(raw_file() | small)
    return data, claims, mv, mvm.run_multiverse(data, make_executor(1), claims, mv=mv)


def test_one_row_per_claim_and_specification_with_the_four_verdicts(run):
    data, claims, mv, result = run
    rows = result.rows
    assert set(rows["verdict"]) <= set(VERDICTS)
    assert not rows.duplicated(["id", "specification"]).any()
    specs = design.specifications(mv)
    for claim in claims:
        own = {design.spec_label(s, mv) for s in specs if design.effective(s, claim, mv) == s}
        assert set(rows.loc[rows["id"] == claim.id, "specification"]) == own
    # a percentage has its clusters and its scale scores only; an effect every dimension
    assert (rows["id"] == "rq3_loopbaansucces").sum() == 3  # primary, all items, hogeschool × sector
    assert set(rows.loc[rows["id"] == "h2_lr_ai", "inference"]) == {"cr2", "wild", "mixed"}


def test_tasks_run_together_sharing_their_fits_find_what_each_finds_alone(run):
    data, claims, mv, _ = run
    ids = tuple(c.id for c in claims if c.get("model", "") == "h2")
    spec = dict(design.specifications(mv)[0])
    tasks = [mvm.Task("regression", tuple((spec | {"inference": inference}).items()), ids)
             for inference in ("cr2", "wild", "mixed")]
    together = mvm.run_batch(mvm.Batch(tuple(tasks), data, 0.05, 10, 2026, mv))
    for task, (outcomes, _) in zip(tasks, together):
        [(alone, _)] = mvm.run_batch(mvm.Batch((task,), data, 0.05, 10, 2026, mv))
        assert outcomes.keys() == alone.keys() and len(outcomes) == len(ids)
        for claim_id, outcome in outcomes.items():
            assert repr(outcome) == repr(alone[claim_id]), (dict(task.spec)["inference"], claim_id)


def test_data_above_the_declared_size_are_analysed_in_a_random_sample_and_the_page_says_so(run):
    data, claims, mv, result = run
    assert result.sizes == {"students": (600, 600), "counsellors": (150, 150)}
    assert display.sample_text(result, mv) == "Het multiversum rekent op alle respondenten."
    small = design.parse_multiverse(raw_file() | {"max_size": 0.1})  # 482 of 4,820 students, 37 of 371 counsellors
    drawn = mvm.subsample(data, small)
    assert [len(drawn["students"]), len(drawn["counsellors"])] == [482, 37]
    assert drawn["students"].index.is_monotonic_increasing and drawn["students"].index.isin(data["students"].index).all()
    assert drawn["students"].equals(mvm.subsample(data, small)["students"])  # the same sample every time
    assert mvm.subsample(data, mv)["students"] is data["students"]
    sizes = mvm.MultiverseResult(result.rows, result.specs, 0.0, 0.0, 1, {"students": (482, 600), "counsellors": (150, 150)})
    assert display.sample_text(sizes, small) == (
        "De data zijn groter dan 0,1 keer het onderzoek zelf; het multiversum rekent daarom op een enkelvoudige "
        "aselecte steekproef van 482 van de 600 studenten (zaad 20260), omdat zijn traagste analyses (imputatie, "
        "factorscores, de bootstrap) met het aantal rijen groeien. De hoofdstukken rekenen op alle respondenten.")


def test_the_primary_specification_is_the_chapters_analysis(run):
    data, claims, mv, result = run
    primary = result.rows[result.rows["primary"]].set_index("id")["verdict"]
    chapters = evaluate_claims(Context(data), claims).set_index("id")["verdict"]
    assert primary.to_dict() == chapters.to_dict()


def test_robustness_and_dependence(run):
    data, claims, mv, result = run
    table = mvm.robustness(result.rows)
    assert len(table) == len(claims)
    assert ((table["robustness"] >= 0) & (table["robustness"] <= 1)).all()
    assert (table[list(VERDICTS)].sum(axis=1) == table["specifications"]).all()
    depends = mvm.dependence(result.rows, mv)
    for claim_id in table.loc[table["robustness"].between(0, 1, inclusive="neither"), "id"]:
        assert claim_id in set(depends["id"])
        sentence = display.dependence_sentence(claim_id, depends, mv)
        assert sentence.startswith(f"Het oordeel over {claim_label(claim_id)} (") and claim_id not in sentence
