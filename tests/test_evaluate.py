"""The claim evaluators against hand computations on small, controlled data."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.multitest import multipletests

from loopbaanleren.book.claim_text import render, with_text
from loopbaanleren.book.verdict_text import HYPOTHESIS_NL
from loopbaanleren.stats import equivalence, fit_regression
from loopbaanleren.claims import verdicts
from loopbaanleren.data.registry import Claim, is_derived, load_registry
from loopbaanleren.data.codebook import load_codebook, scale_score
from loopbaanleren.claims.context import Context, example_context
from loopbaanleren.claims.evaluate import evaluate_claims
from loopbaanleren.claims.hypotheses import hypothesis_label
from loopbaanleren.claims.phrases import Phrase

from simulated_helpers import simulated


def base(seed=5, n_students=600, n_counsellors=200):
    return {pop: df.copy() for pop, df in simulated(seed, n_students, n_counsellors).items()}


def one(data, claim, **kw):
    return with_text(evaluate_claims(Context(data, **kw), [claim])).iloc[0]


def test_percentage_is_the_share_of_valid_answers_with_a_margin_from_the_original_sampling_error():
    data = base()
    x = np.array([1] * 300 + [2] * 150 + [3] * 100 + [4] * 50, dtype=float)
    x[:20] = np.nan  # non-response does not count
    data["students"]["le_buiten_telt_mee"] = x
    expected = (280 + 150) / 580
    claim = load_registry().get("rq1_s_buiten_telt_niet")
    row = one(data, claim)
    assert row["computed"] == pytest.approx(expected)
    assert row["n"] == 580
    assert row["ci_low"] < expected < row["ci_high"]
    # margin = z(0.995) * sqrt(2) * sqrt(p(1 - p) / 4820) * sqrt(1 + (4820 / 11 - 1) * icc), by hand
    rule = load_registry().rules["margin"]
    deff = 1 + (4820 / 11 - 1) * rule["icc"]
    hand = stats.norm.ppf(0.5 + rule["level"] / 2) * np.sqrt(2 * 0.75 * 0.25 / 4820 * deff)
    assert row["margin"] == pytest.approx(hand)


def test_percentage_inside_straddling_and_outside_the_margin():
    data = {pop: df.copy() for pop, df in simulated(2026).items()}
    frame = data["students"]
    x = np.tile([1.0, 1.0, 2.0, 3.0], len(frame) // 4 + 1)[: len(frame)]  # 75% answer 1 or 2 in every hogeschool
    frame["le_buiten_telt_mee"] = x
    claim = load_registry().get("rq1_s_buiten_telt_niet")
    row = one(data, claim)
    margin, half = row["margin"], (row["ci_high"] - row["ci_low"]) / 2
    assert row["computed"] == pytest.approx(0.75, abs=1e-3) and half < margin
    assert row["verdict"] == "reproduced"
    straddling = Claim(**{**claim.__dict__, "published": row["computed"] - margin})  # the interval crosses the edge
    assert one(data, straddling)["verdict"] == "undecided"
    outside = Claim(**{**claim.__dict__, "published": row["computed"] - margin - 2 * half})
    assert one(data, outside)["verdict"] == "not_reproduced"


def test_direction_with_p_about_0_2_is_undecided_not_contradicted():
    data = base()
    scale = load_codebook().scales("students")["praktijkgericht"]
    frame = data["students"]
    answers = np.tile([1.0, 4.0], len(frame) // 2)  # mean 2.5 = the midpoint, wide spread ...
    answers[np.random.default_rng(0).choice(np.flatnonzero(answers == 4), 16, replace=False)] = 1.0  # ... nudged below
    for item in scale.items:
        frame[item] = 5.0 - answers if item in scale.reverse else answers
    row = one(data, load_registry().get("rq1_s_pg_onder"))
    assert 0.05 < row["p_adjusted"] < 0.6
    assert row["verdict"] == "undecided" and "niet significant" in row["reason"]


def test_significant_but_negligible_non_effect_is_not_reproduced():
    # beta = 0.03 with se 0.01 on 30 df: t = 3, significant; its 90% interval [0.013, 0.047] lies within the bound
    tost = equivalence(0.03, 0.01, 0.08, alpha=0.05, df=30)
    assert tost.equivalent and tost.ci_low == pytest.approx(0.03 - stats.t.ppf(0.95, 30) * 0.01)
    p = 2 * stats.t.sf(3, 30)
    decision = verdicts.non_effect(p, p, tost.equivalent, 0.05)
    assert decision.verdict == "not_reproduced" and "verwaarloosbaar" in render(decision.reason)
    assert verdicts.non_effect(0.4, 1.0, True, 0.05).verdict == "reproduced"
    assert verdicts.non_effect(0.4, 1.0, False, 0.05).verdict == "undecided"
    assert verdicts.tost_level(0.05) == 0.9 and verdicts.tost_level(0.025) == 0.95


def test_level_compares_the_scale_mean_with_the_midpoint():
    data = base()
    scale = load_codebook().scales("students")["praktijkgericht"]
    row = one(data, load_registry().get("rq1_s_pg_onder"))
    expected = scale_score(data["students"], scale).mean()
    assert row["computed"] == pytest.approx(expected)
    assert row["verdict"] == ("reproduced" if expected < 2.5 and row["p"] < 0.05 else "undecided")
    for item in scale.items:  # everybody fully agrees (reverse-keyed item fully disagrees): far above the midpoint
        data["students"][item] = 1.0 if item in scale.reverse else 4.0
    assert one(data, load_registry().get("rq1_s_pg_onder"))["verdict"] == "not_reproduced"


def test_contrast_not_computable_when_a_focal_sector_is_absent_or_small():
    data = base()
    data["students"] = data["students"][data["students"]["sector"] != 6]
    row = one(data, load_registry().get("rq1_s_vg_contrast_te"))
    assert row["verdict"] == "not_computable" and "Techniek" in row["reason"]
    data = base()
    frame = data["students"]
    techniek = frame.index[frame["sector"] == 6]
    data["students"] = frame.drop(techniek[5:])
    row = one(data, load_registry().get("rq1_s_vg_contrast_te"), min_cell=10)
    assert row["verdict"] == "not_computable"


def test_missing_variable_makes_a_claim_not_computable_not_an_error():
    data = base()
    data["students"] = data["students"].drop(columns=["le_geholpen_kiezen"])
    row = one(data, load_registry().get("rq1_s_geholpen_kiezen"))
    assert row["verdict"] == "not_computable" and "le_geholpen_kiezen" in row["reason"]
    row = one({"students": base()["students"]}, load_registry().get("rq1_c_geen_netwerk"))
    assert row["verdict"] == "not_computable"


def test_holm_adjustment_within_each_research_question_without_derived_claims():
    claims = load_registry().for_rq("RQ1", "RQ3", "RQ4")
    results = evaluate_claims(Context(base()), claims)
    assert load_registry().rules["multiple_testing"] == "holm"
    for rq, part in results.groupby("rq"):
        tested = part[part["p"].notna() & ~part["derived"]]
        expected = multipletests(tested["p"].to_numpy(), method="holm")[1]
        np.testing.assert_allclose(tested["p_adjusted"].to_numpy(), expected)
    derived = results.set_index("id").loc["rq4_sw_laagste_e"]
    assert derived["derived"] and is_derived(load_registry().get("rq4_sw_laagste_e"))
    family = results[(results["rq"] == "RQ4") & results["p"].notna() & ~results["derived"]]
    with_it = multipletests([*family["p"], derived["p"]], method="holm")[1][-1]
    assert derived["p_adjusted"] == pytest.approx(with_it)


def test_mode_and_same_mode():
    data = base()
    data["students"]["slb_gesprekken_per_jaar"] = [3.0] * 400 + [2.0] * 200
    row = one(data, load_registry().get("rq2_s_gesprekken_1_4"))
    assert row["verdict"] == "not_reproduced"  # another category significantly more frequent
    # the test: share of category 2 minus share of the runner-up (3), i.e. 1/3 - 2/3
    assert row["ci_low"] < -1 / 3 < row["ci_high"]
    row = one(data, load_registry().get("rq2_eens_frequentie"))
    assert row["verdict"] == "not_reproduced"
    assert row["computed"] == "5 tot 8 keer per jaar / 1 tot 4 keer per jaar"


def test_group_rank_and_extreme_by_sector_means():
    data = base()
    frame = data["counsellors"]
    scale = load_codebook().scales("counsellors")["samenwerking"]
    order = {1: 2, 2: 1, 3: 4, 4: 4, 5: 4, 6: 4, 7: 3}  # Economie lowest, Agrarisch, Zorg & Welzijn next
    for item in scale.items:
        frame[item] = frame["sector"].map(order).astype(float)
    frame.loc[frame["sector"] == 5, list(scale.items)] = 4.0
    reg = load_registry()
    lowest = one(data, reg.get("rq4_sw_laagste_e"))
    assert lowest["verdict"] == "reproduced"
    assert lowest["computed"] == pytest.approx(-1.0)  # Economie (1) against its runner-up Agrarisch (2)
    rank = one(data, reg.get("rq4_sw_volgend"))
    assert rank["verdict"] == "reproduced" and "Agrarisch" in rank["found_nl"]
    frame.loc[frame["sector"] == 3, list(scale.items)] = 3.0  # Gedrag & Maatschappij ties with Zorg & Welzijn
    tied = one(data, reg.get("rq4_sw_volgend"))
    assert tied["verdict"] == "not_reproduced" and tied["computed"] == 0  # places 2-3 are not theirs alone


def test_null_effect_uses_the_equivalence_bound():
    data = base(seed=6, n_students=3000, n_counsellors=100)
    row = one(data, load_registry().get("h1_studie_lr"))
    bound = load_registry().rules["equivalence_bound"]
    tost = equivalence(row["computed"], (row["ci_high"] - row["ci_low"]) / 2 / 1.96, bound)
    assert row["verdict"] in ("reproduced", "undecided")
    assert (row["verdict"] == "reproduced") == (row["p"] >= 0.05 and "binnen de equivalentiegrens" in row["reason"])
    assert abs(row["computed"]) < bound or not tost.equivalent
    frame = data["students"]
    comp = load_codebook().scales("students")["loopbaanreflectie"]
    topic = load_codebook().scales("students")["onderwerp_studie"]
    for item in topic.items:  # make the topic a strong driver of reflection: the non-effect must fail
        frame[item] = np.clip(np.round(scale_score(frame, comp)), 1, 4)
    assert one(data, load_registry().get("h1_studie_lr"))["verdict"] == "not_reproduced"


@pytest.mark.parametrize("consistent,total,label", [(12, 12, "bevestigd"), (0, 16, "verworpen"), (8, 16, "deels bevestigd")])
def test_hypothesis_label(consistent, total, label):
    assert HYPOTHESIS_NL[hypothesis_label(consistent, total)] == label


def test_every_registry_kind_has_an_evaluator():
    from loopbaanleren.claims.evaluate import EVALUATORS

    kinds = {c.kind for c in load_registry() if c.rq != "KWAL"}
    assert kinds <= set(EVALUATORS)
    assert isinstance(pd.DataFrame(), pd.DataFrame)


def test_the_fits_of_one_outcome_by_two_methods_hold_one_copy_of_its_design():
    ctx = example_context(300, 60)
    cr2 = ctx.fit("h1", "loopbaanreflectie", "ols_cr2")
    mixed = ctx.fit("h1", "loopbaanreflectie", "mixed")
    assert mixed.fit.model.exog is cr2.fit.model.exog and mixed.fit.model.endog is cr2.fit.model.endog
    assert mixed.fit.model.groups is not None  # the mixed model keeps its own clusters
    spec = ctx.models["h1"]
    alone = fit_regression(ctx.frame("students"), "loopbaanreflectie", spec["predictors"], spec["controls"],
                                  spec["categorical"], cluster=ctx.rules["cluster_variable"], method="mixed")
    pd.testing.assert_frame_equal(mixed.coefficients, alone.coefficients)
    assert np.array_equal(alone.fit.model.exog, mixed.fit.model.exog) and alone.fit.model.exog is not cr2.fit.model.exog


def _cell(outcome, predictor, denied_sign=None):
    spec = {"model": "h2", "outcome": outcome, "predictor": predictor, "word": "draagt niet bij"}
    if denied_sign:
        spec |= {"word": "draagt niet bij aan het beperken", "denied_sign": denied_sign}
    return Claim(id="x", rq="RQ6", population="students", kind="null_effect", sentence_nl="", spec=spec)


def _with_paths(cells, seed=2026):
    """Default data with the generating path of each (outcome, predictor, denied_sign) set to +-0.2 (the null
    scenario's size: '-' gives -0.2)."""
    from loopbaanleren.data.simulation import _null_path, load_parameters, simulate

    from simulated_helpers import as_read

    params = load_parameters()
    for cell in cells:
        _null_path(params, "students", _cell(*cell))
    return {pop: as_read(frame) for pop, frame in simulate(seed, params=params).items()}


def test_one_sided_non_effect_is_not_contradicted_by_an_effect_the_other_way():
    # "dragen niet bij aan het beperken van uitvaldreiging": work exploration raising drop-out risk is no reducing effect
    claim = load_registry().get("h2_we_ud")
    raising = one(_with_paths([("uitvaldreiging", "werkexploratie")]), claim)
    assert raising["computed"] > 0.1 and raising["verdict"] == "reproduced"
    reducing = one(_with_paths([("uitvaldreiging", "werkexploratie", "-")]), claim)
    assert reducing["computed"] < -0.1 and reducing["verdict"] == "not_reproduced"
    # the one-sided p of the denied (negative) direction, by hand from beta and its 95% t interval
    se = (raising["ci_high"] - raising["ci_low"]) / 2 / 1.96
    assert raising["p"] == pytest.approx(stats.norm.sf(-raising["computed"] / se), rel=0.05)


def test_not_demonstrable_uses_the_unadjusted_p():
    # "draagt niet aantoonbaar bij": raw p .013, Holm-adjusted .22 is not "not demonstrable"
    decision = verdicts.non_effect(0.013, 0.22, None, 0.05)
    assert decision.verdict == "undecided"
    assert verdicts.non_effect(0.30, 1.0, None, 0.05).verdict == "reproduced"
    assert verdicts.non_effect(0.001, 0.01, None, 0.05).verdict == "not_reproduced"
    # a claimed absence likewise: equivalent, but significant before correction, is not reproduced as "no effect"
    assert verdicts.non_effect(0.013, 0.22, True, 0.05).verdict == "undecided"


def _economie_raised(data, measure):
    """Economie's students moved on every item of ``measure`` so that its scale mean equals that of the sectors
    the claim does not name (not Techniek, not Economie)."""
    from loopbaanleren.data.frames import analysis_frame

    data = {pop: frame.copy() for pop, frame in data.items()}
    frame = data["students"]
    scale = load_codebook().scales("students")[measure]
    economie, others = frame["sector"] == 2, ~frame["sector"].isin([2, 6])
    scores = analysis_frame(frame, "students")[measure]
    shift = scores[others.to_numpy()].mean() - scores[economie.to_numpy()].mean()
    for item in scale.items:
        frame.loc[economie, item] += -shift if item in scale.reverse else shift
    scores = analysis_frame(frame, "students")[measure]
    assert scores[economie.to_numpy()].mean() == pytest.approx(scores[others.to_numpy()].mean(), abs=1e-9)
    return data


def test_two_sector_probe_one_sector_at_the_others_mean_is_not_reproduced():
    claim = load_registry().get("rq1_s_pg_contrast_te")
    data = {pop: frame.copy() for pop, frame in simulated(2026).items()}
    assert one(data, claim)["verdict"] == "reproduced"
    row = one(_economie_raised(data, "praktijkgericht"), claim)
    assert row["verdict"] == "not_reproduced"
    assert row["computed"] == pytest.approx(0.0, abs=1e-9)  # Economie's part decides: no difference
    assert "Techniek −0," in row["found_nl"] and "Economie 0,00" in row["found_nl"]  # the page shows each part


def test_each_named_sector_is_compared_with_the_sectors_not_named():
    data = base()
    frame = data["students"]
    score = scale_score(frame, load_codebook().scales("students")["vraaggericht"])
    others = ~frame["sector"].isin([6, 2])
    row = one(data, load_registry().get("rq1_s_vg_contrast_te"))
    parts = [score[frame["sector"] == code].mean() - score[others].mean() for code in (6, 2)]
    assert row["computed"] == pytest.approx(max(parts))  # the part closest to "not lower" decides


def test_least_positive_sectors_are_ranked_against_the_runner_up():
    claim = load_registry().get("rq2_s_helpend_contrast_te")
    assert claim.kind == "group_rank" and list(claim["groups"]) == ["Techniek", "Economie"]
    data = {pop: frame.copy() for pop, frame in simulated(2026).items()}
    frame = data["students"]
    rng = np.random.default_rng(3)
    scale = load_codebook().scales("students")["helpend"]

    def answers(level):
        centre = frame["sector"].map(level).fillna(3.0).to_numpy()
        return np.clip(np.round(centre + rng.normal(0, 0.7, len(frame))), 1, 4)

    for item in scale.items:  # Techniek and Economie lowest, Agrarisch as low as Economie: not theirs alone
        frame[item] = answers({6: 1.8, 2: 1.8, 1: 1.8})
    row = one(data, claim)
    assert row["verdict"] != "reproduced" and "(Agrarisch)" in row["found_nl"]
    for item in scale.items:  # Agrarisch with the others: Techniek and Economie are "het minst positief"
        frame[item] = answers({6: 1.8, 2: 1.8})
    assert one(data, claim)["verdict"] == "reproduced"


def _level_claim_data(measure, mean, n=4800, seed=0):
    """Default data with every item of ``measure`` set so that each student's score is 2 or 3 and the mean ``mean``."""
    data = {pop: frame.copy() for pop, frame in simulated(2026).items()}
    frame = data["students"]
    rng = np.random.default_rng(seed)
    high = rng.permutation(len(frame)) < round((mean - 2) * len(frame))
    scale = load_codebook().scales("students")[measure]
    for item in scale.items:
        frame[item] = np.where(high, 3.0, 2.0) if item not in scale.reverse else np.where(high, 2.0, 3.0)
    return data


def test_net_boven_at_its_bound_is_not_reproduced():
    claim = load_registry().get("rq5_lr_boven")
    bound = claim["max_distance"]
    word = {w.word: w for w in load_registry().vocabulary}["net boven"]
    assert bound == word.bound == load_registry().rules["near_margin"]  # as far as "matig", no further
    at = one(_level_claim_data("loopbaanreflectie", 2.5 + bound), claim)
    assert at["computed"] == pytest.approx(2.5 + bound, abs=1e-3)
    assert at["verdict"] == "undecided"  # the interval straddles the bound
    beyond = one(_level_claim_data("loopbaanreflectie", 2.5 + bound + 0.1), claim)
    assert beyond["verdict"] == "not_reproduced"
    within = one(_level_claim_data("loopbaanreflectie", 2.5 + bound / 2), claim)
    assert within["verdict"] == "reproduced"


def test_weinigen_at_its_bound_is_not_reproduced():
    claim = load_registry().get("rq6_ud_weinig")
    assert claim["max"] == 0.25
    data = {pop: frame.copy() for pop, frame in simulated(2026).items()}
    frame = data["students"]
    frame["uitvaldreiging"] = np.where(np.arange(len(frame)) % 4 == 0, 3.0, 1.0)  # exactly a quarter agree
    row = one(data, claim)
    assert row["computed"] == pytest.approx(0.25) and row["verdict"] == "undecided"


def test_verreweg_needs_a_difference_beyond_its_bound():
    claim = load_registry().get("rq2_s_medestudenten_meest")
    bound = claim["min_difference"]
    data = {pop: frame.copy() for pop, frame in simulated(2026).items()}
    frame = data["students"]
    rng = np.random.default_rng(1)
    base_answer = rng.integers(1, 3, len(frame)).astype(float)  # 1-2
    frame["praat_vakdocenten"] = base_answer
    frame["praat_slb"] = base_answer
    frame["praat_medestudenten"] = base_answer + (np.arange(len(frame)) % 2)  # half a point higher on average
    row = one(data, claim)
    assert row["computed"] == pytest.approx(bound) and row["verdict"] == "undecided"
    frame["praat_medestudenten"] = base_answer + 1 + (np.arange(len(frame)) % 2)  # a point and a half: "verreweg"
    assert one(data, claim)["verdict"] == "reproduced"


def test_grootste_deel_is_a_majority_of_scores_of_at_least_3_not_a_mean_above_the_midpoint():
    claim = load_registry().get("rq6_kz_hoog")
    assert claim.kind == "share_bound" and claim["min"] == 0.5 and claim["at_least"] == 3.0
    data = _level_claim_data("keuzezekerheid", 2.4)  # 40% score 3, 60% score 2: mean 2.4
    data["students"]["kz_1"] = np.where(data["students"]["kz_1"] == 2.0, 2.0, 4.0)  # the 40% very sure: mean above 2.5
    row = one(data, claim)
    assert row["computed"] == pytest.approx(0.4, abs=0.01) and row["verdict"] == "not_reproduced"


def test_an_ordinal_outcome_separated_by_its_predictor_makes_the_claim_not_computable_with_the_reason():
    """The multiverse's ordinal specification of h2_lr_ud on data in which uitvaldreiging follows loopbaanreflectie
    step by step: the proportional-odds estimates do not exist (SeparationError), so the claim is not
    computable, with the reason in Dutch, instead of a coefficient of hundreds flagged only as not converged."""
    from loopbaanleren.robustness import multiverse as mvm, multiverse_design

    data = base()
    reflection = Context(data).frames["students"]["loopbaanreflectie"]
    steps = np.digitize(reflection, np.nanquantile(reflection, [0.25, 0.5, 0.75])) + 1.0
    data["students"]["uitvaldreiging"] = np.where(reflection.notna(), steps, np.nan)
    mv = multiverse_design.load_multiverse()
    spec = dict(multiverse_design.specifications(mv)[0]) | {"outcome": "ordinal"}
    task = mvm.Task("regression", tuple(spec.items()), ("h2_lr_ud",))
    [(outcomes, _)] = mvm.run_batch(mvm.Batch((task,), data, 0.05, 10, 2026, mv))
    reason = outcomes["h2_lr_ud"]
    assert isinstance(reason, Phrase), reason
    assert render(reason) == ("het ordinale model van 'uitvaldreiging' heeft geen eindige schattingen: 'loopbaanreflectie' "
                      "scheidt de antwoorden (volledige of quasi-volledige scheiding)")


def test_a_context_is_owned_by_its_caller_and_shares_nothing_with_another():
    data = base(seed=6, n_students=300, n_counsellors=60)
    first, second = Context(data), Context(data)
    fit = first.fit("h1", "loopbaanreflectie")
    assert first.fit("h1", "loopbaanreflectie") is fit  # fitted once per context
    assert second.fit("h1", "loopbaanreflectie") is not fit  # no cache shared between contexts of the same data
    assert second.fit("h1", "loopbaanreflectie").coefficients.equals(fit.coefficients)


def test_a_claim_is_evaluated_once_per_context_even_when_a_hypothesis_rests_on_it(monkeypatch):
    from loopbaanleren.claims import evaluate

    calls: dict[str, int] = {}
    for kind in ("effect", "null_effect"):
        def counted(claim, ctx, inner=evaluate.EVALUATORS[kind]):
            calls[claim.id] = calls.get(claim.id, 0) + 1
            return inner(claim, ctx)

        monkeypatch.setitem(evaluate.EVALUATORS, kind, counted)
    ctx = Context(base(seed=6, n_students=300, n_counsellors=60))
    claims = load_registry().for_rq("RQ6")
    table = with_text(evaluate_claims(ctx, claims))
    cells = {p["predictor"] + p["outcome"] for p in load_registry().get("h2_hypothese")["predictions"]}
    assert len(cells) > 1 and calls and set(calls.values()) == {1}
    again = evaluate.prediction_pattern(load_registry().get("h2_hypothese"), ctx)  # as the chapter's table asks
    assert set(calls.values()) == {1}
    hypothesis = table.set_index("id").loc["h2_hypothese"]
    assert hypothesis["found_nl"].startswith(f"{int(again['as_published'].sum())} van de {len(again)} voorspellingen")
