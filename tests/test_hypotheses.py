"""Sign tables, robustness and ICCs of hypotheses H1 and H2 against hand-built expectations and independent fits."""

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from threadpoolctl import threadpool_limits

from loopbaanleren.book.claim_text import with_text
from loopbaanleren.book import hypotheses
from loopbaanleren.data.registry import load_registry
from loopbaanleren.errors import InputError, ParameterError
from loopbaanleren.claims.context import Context
from loopbaanleren.claims.evaluate import evaluate_claims
from loopbaanleren.book.model_tables import model_tables
from loopbaanleren.data.simulation import load_parameters, simulate

from simulated_helpers import as_read, simulated

H2_PREDICTORS = ["loopbaanreflectie", "werkexploratie", "loopbaansturing", "netwerken"]
H2_OUTCOMES = ["leermotivatie", "arbeidsidentiteit", "keuzezekerheid", "uitvaldreiging"]

# The 4 x 4 pattern of section 6 of the summary, typed from its text: rows = competencies, columns = outcomes.
SUMMARY_H2 = pd.DataFrame(
    [["0", "-", "-", "+"], ["+", "+", "+", "0"], ["+", "+", "+", "0"], ["0", "+", "+", "0"]],
    index=H2_PREDICTORS,
    columns=H2_OUTCOMES,
)


@pytest.fixture(autouse=True, scope="module")
def one_blas_thread():
    """Small least-squares fits run faster on one BLAS thread, and pytest-xdist workers do not compete."""
    with threadpool_limits(limits=1, user_api="blas"):
        yield


@pytest.fixture(scope="module")
def small_context():
    """Both populations of the small simulated data set (the end-to-end build's size), prepared for fitting."""
    return Context(simulated(2026, 600, 150))


def rq6_results(data: dict) -> pd.DataFrame:
    return evaluate_claims(Context(data), load_registry().for_rq("RQ6"))


def fake_results(rows: dict[str, tuple]) -> pd.DataFrame:
    """A results frame as evaluate_claims returns it: claim id -> (computed, p_adjusted, verdict)."""
    kinds = {claim.id: claim.kind for claim in load_registry()}
    return pd.DataFrame(
        [
            {"id": claim_id, "kind": kinds[claim_id], "computed": beta, "p_adjusted": p, "verdict": verdict}
            for claim_id, (beta, p, verdict) in rows.items()
        ]
    )


def test_published_signs_are_the_summary_pattern_of_h2():
    signs = hypotheses.published_signs("h2").loc[H2_PREDICTORS, H2_OUTCOMES]
    assert signs.to_numpy().tolist() == SUMMARY_H2.to_numpy().tolist()


def test_published_signs_of_h1_cover_every_cell():
    signs = hypotheses.published_signs("h1")
    assert signs.shape == (8, 4)
    assert set(signs.loc["helpend"]) == {"-"} and set(signs.loc["onderwerp_studie"]) == {"0"}
    assert (signs.drop(index=["helpend", "onderwerp_studie"]) == "+").all().all()


def test_predicted_signs_follow_the_hypotheses():
    h2 = hypotheses.predicted_signs("h2_hypothese")
    assert (h2[["leermotivatie", "arbeidsidentiteit", "keuzezekerheid"]] == "+").all().all()
    assert (h2["uitvaldreiging"] == "-").all()
    h1 = hypotheses.predicted_signs("h1_hypothese")
    assert (h1.loc[["praktijkgericht", "vraaggericht", "eigen_inbreng"]] == "+").all().all()
    assert (h1.drop(index=["praktijkgericht", "vraaggericht", "eigen_inbreng"]) == "").all().all()


def test_found_signs_follow_the_rule_of_each_claim_kind():
    results = fake_results(
        {
            "h2_we_lm": (0.20, 0.001, "reproduced"),  # effect, significant, right sign -> +
            "h2_we_ai": (-0.15, 0.001, "not_reproduced"),  # effect, significant, wrong sign -> -
            "h2_we_kz": (0.30, 0.20, "not_reproduced"),  # effect, not significant -> 0
            "h2_we_ud": (0.01, np.nan, "reproduced"),  # non-effect, equivalent -> 0
            "h2_nw_lm": (-0.12, np.nan, "not_reproduced"),  # non-effect, not equivalent -> sign of beta
            "h2_nw_ai": (np.nan, np.nan, "not_computable"),  # -> not judged
        }
    )
    found = hypotheses.found_signs(results, "h2", alpha=0.05)
    expected = {
        ("werkexploratie", "leermotivatie"): "+",
        ("werkexploratie", "arbeidsidentiteit"): "-",
        ("werkexploratie", "keuzezekerheid"): "0",
        ("werkexploratie", "uitvaldreiging"): "0",
        ("netwerken", "leermotivatie"): "-",
    }
    for (predictor, outcome), sign in expected.items():
        assert found.loc[predictor, outcome] == sign, (predictor, outcome)
    judged = (found != "").sum().sum()
    assert judged == len(expected)  # the not-computable cell and the cells without results stay empty


def test_found_sign_is_published_where_reproduced_and_a_flipped_path_flips_exactly_its_cell():
    default = rq6_results(simulated(2026))
    published, found = hypotheses.published_signs("h2"), hypotheses.found_signs(default, "h2", alpha=0.05)
    verdicts = default.set_index("id")["verdict"]
    for (predictor, outcome), claim in hypotheses.cell_claims("h2").items():
        same = published.loc[predictor, outcome] == found.loc[predictor, outcome]
        assert same == (verdicts[claim.id] == "reproduced"), claim.id
    assert hypotheses.sign_agreement(published, found) == (16, 16)

    params = load_parameters()
    params["students"]["latents"]["AI"]["observed_parents"]["loopbaanreflectie"] = 0.4  # reflectie -> AI made positive
    flipped_data = {pop: as_read(frame) for pop, frame in simulate(2026, params=params).items()}
    flipped = hypotheses.found_signs(rq6_results(flipped_data), "h2", alpha=0.05)
    changed = [(p, o) for p in found.index for o in found.columns if found.loc[p, o] != flipped.loc[p, o]]
    assert changed == [("loopbaanreflectie", "arbeidsidentiteit")]
    assert (found.loc[changed[0]], flipped.loc[changed[0]]) == ("-", "+")
    assert hypotheses.sign_agreement(published, flipped) == (15, 16)


def test_sign_agreement_counts_only_cells_judged_on_both_sides():
    published = pd.DataFrame([["+", "0"], ["-", ""]], index=["a", "b"], columns=["x", "y"])
    found = pd.DataFrame([["+", "+"], ["", "0"]], index=["a", "b"], columns=["x", "y"])
    assert hypotheses.sign_agreement(published, found) == (1, 2)


def test_sign_table_shows_published_and_found_with_dutch_labels():
    published = hypotheses.published_signs("h2")
    found = published.copy()
    found.loc["loopbaanreflectie", "arbeidsidentiteit"] = "+"
    found.loc["netwerken", "uitvaldreiging"] = ""
    table = hypotheses.sign_table(published, found, "students").set_index("voorspeller")
    assert list(table.columns) == ["Leermotivatie", "Arbeidsidentiteit", "Keuzezekerheid", "Uitvaldreiging"]
    assert table.at["Loopbaanreflectie", "Arbeidsidentiteit"] == "− / +"
    assert table.at["Netwerken", "Uitvaldreiging"] == "0 / ·"
    assert table.at["Werkexploratie", "Leermotivatie"] == "+ / +"
    with pytest.raises(InputError, match="same predictors"):
        hypotheses.sign_table(published, found.drop(index="netwerken"), "students")


def test_predictions_table_shows_each_prediction_as_published_and_found(small_context):
    data = simulated(2026, 600, 150)
    table = hypotheses.predictions_table(Context(data), "h2_hypothese")
    verdict = with_text(evaluate_claims(Context(data), [load_registry().get("h2_hypothese")])).iloc[0]
    agree = int(table["zoals gepubliceerd"].sum())
    assert verdict["found_nl"].startswith(f"{agree} van de 16 voorspellingen zoals gepubliceerd")
    # each prediction is judged by its cell's own claim, evaluated with its research question
    cells = evaluate_claims(Context(data), load_registry().for_rq("RQ6")).set_index("id")
    predictions = load_registry().get("h2_hypothese")["predictions"]
    ids = [hypotheses.cell_claims("h2")[(p["predictor"], p["outcome"])].id for p in predictions]
    assert table["β"].tolist() == pytest.approx(cells.loc[ids, "computed"].astype(float).tolist())
    assert table["p (Holm)"].tolist() == pytest.approx(cells.loc[ids, "p_adjusted"].astype(float).tolist())
    assert table["zoals gepubliceerd"].tolist() == (cells.loc[ids, "verdict"] == "reproduced").tolist()
    # the published pattern: 8 supported, 5 not supported, 3 contrary
    assert table["gepubliceerd"].value_counts().to_dict() == {"gesteund": 8, "niet gesteund": 5, "tegengesteld": 3}
    row = table[(table["voorspeller"] == "Loopbaanreflectie") & (table["uitkomst"] == "Uitvaldreiging")].iloc[0]
    assert (row["voorspeld"], row["gepubliceerd"]) == ("−", "tegengesteld")


def _all_predictions_hold(seed=2026):
    """Default data in which every prediction of H2 holds: each path in the predicted direction."""
    from loopbaanleren.data.registry import Claim
    from loopbaanleren.data.simulation import _null_path

    params = load_parameters()
    for p in load_registry().get("h2_hypothese")["predictions"]:
        spec = {"model": "h2", "outcome": p["outcome"], "predictor": p["predictor"]}
        if p["sign"] == "-":
            spec |= {"word": "draagt niet bij aan het beperken", "denied_sign": "-"}
        _null_path(params, "students", Claim(id="x", rq="RQ6", population="students", kind="null_effect",
                                             sentence_nl="", spec=spec))
    return {pop: as_read(frame) for pop, frame in simulate(seed, params=params).items()}


def test_partly_confirmed_fails_on_the_null_scenario_and_where_every_prediction_holds():
    h2 = load_registry().get("h2_hypothese")
    assert evaluate_claims(Context(simulated(2026)), [h2]).iloc[0]["verdict"] == "reproduced"
    null = {pop: as_read(frame) for pop, frame in simulate(2026, scenario="null").items()}
    assert evaluate_claims(Context(null), [h2]).iloc[0]["verdict"] == "not_reproduced"
    everything = with_text(evaluate_claims(Context(_all_predictions_hold()), [h2])).iloc[0]
    assert everything["computed"] == "bevestigd" and everything["verdict"] == "not_reproduced"


def test_effect_summary_gives_the_range_and_the_count():
    results = fake_results(
        {"h2_we_lm": (0.214, 0.001, "reproduced"), "h2_we_ai": (0.262, 0.001, "reproduced"),
         "h2_we_kz": (-0.004, 0.9, "not_reproduced"), "h2_we_ud": (0.031, np.nan, "reproduced")}
    )
    summary = hypotheses.effect_summary(results, ["h2_we_lm", "h2_we_ai"])
    assert summary == "β van 0,21 tot 0,26; 2 van de 2 gereproduceerd"
    assert hypotheses.effect_summary(results, ["h2_we_kz"]) == "β = −0,004; 0 van de 1 gereproduceerd"
    with pytest.raises(InputError, match="not effect"):
        hypotheses.effect_summary(results, ["h2_hypothese"])


def test_short_labels_come_from_the_codebook_or_name_a_single_item():
    assert hypotheses.short_label("students", "keuzezekerheid") == "Keuzezekerheid"
    assert hypotheses.short_label("students", "uitvaldreiging") == "Uitvaldreiging"


def test_unknown_models_and_claims_are_reported():
    with pytest.raises(ParameterError, match="no model 'h9'"):
        hypotheses.published_signs("h9")
    with pytest.raises(ParameterError, match="not a hypothesis"):
        hypotheses.predicted_signs("h2_we_lm")
    with pytest.raises(ParameterError, match="no claim"):
        hypotheses.predictions_table(Context({}), "h3_hypothese")
    with pytest.raises(InputError, match="lack column"):
        hypotheses.found_signs(pd.DataFrame({"id": ["h2_we_lm"]}), "h2", alpha=0.05)


def test_robustness_sets_the_mixed_model_and_for_a_single_item_the_ordinal_model_next_to_cr2(small_context):
    table = hypotheses.robustness(small_context, "h2")
    family = table["methode"].str.split(" ").str[0]
    assert list(family.value_counts().sort_index().items()) == [("gemengd", 16), ("ordinaal", 4)]
    for outcome in load_registry().models["h2"]["outcomes"]:  # a degenerate mixed model (ICC about 0) is flagged
        label = hypotheses.short_label("students", outcome)
        shown = set(table.loc[(table["uitkomst"] == label) & (family == "gemengd"), "methode"])
        degenerate = small_context.fit("h2", outcome, "mixed").degenerate
        assert shown == {"gemengd (ontaard: ICC ≈ 0)" if degenerate else "gemengd"}
    assert set(table.loc[table["methode"] == "ordinaal", "uitkomst"]) == {"Uitvaldreiging"}
    # the OLS coefficient against an independent fit on a hand-built standardised design
    frame = small_context.frame("students")
    spec = load_registry().models["h2"]
    columns = ["leermotivatie", *spec["predictors"], *spec["controls"], "sector", "hogeschool"]
    sample = frame[columns].dropna()
    numeric = sample[["leermotivatie", *spec["predictors"], *spec["controls"]]].astype(float)
    z = (numeric - numeric.mean()) / numeric.std()
    dummies = pd.get_dummies(sample["sector"], drop_first=True, dtype=float)
    design = sm.add_constant(pd.concat([z.drop(columns="leermotivatie"), dummies], axis=1))
    beta = sm.OLS(z["leermotivatie"], design).fit().params["netwerken"]
    mixed_rows = table[family == "gemengd"]
    row = mixed_rows[(mixed_rows["uitkomst"] == "Leermotivatie") & (mixed_rows["term"] == "Netwerken")]
    assert row["β CR2"].iloc[0] == pytest.approx(beta, abs=1e-8)  # CR2 changes the errors, not the OLS estimate
    mixed = small_context.fit("h2", "leermotivatie", "mixed").coefficient("netwerken").value
    assert row["β ander"].iloc[0] == pytest.approx(mixed)
    sentence = hypotheses.robustness_sentence(table)
    assert sentence.startswith("gemengd") and "naast OLS-CR2: bij " in sentence
    assert "; ordinaal naast OLS-CR2: bij " in sentence


def test_an_ordinal_check_whose_answers_are_separated_is_a_row_not_computable_with_the_reason():
    """Uitvaldreiging following loopbaanreflectie step by step: the ordinal model has no finite estimates
    (models.SeparationError); the table shows that row as not computable instead of stopping the chapter."""
    data = {population: frame.copy() for population, frame in simulated(5, 600, 200).items()}
    reflection = Context(data).frames["students"]["loopbaanreflectie"]
    steps = np.digitize(reflection, np.nanquantile(reflection, [0.25, 0.5, 0.75])) + 1.0
    data["students"]["uitvaldreiging"] = np.where(reflection.notna(), steps, np.nan)
    table = hypotheses.robustness(Context(data), "h2")
    ordinal = table[table["methode"] == "ordinaal"]
    assert len(ordinal) == 1 and ordinal["uitkomst"].iloc[0] == "Uitvaldreiging"
    assert ordinal["zelfde conclusie"].iloc[0] == "niet te berekenen"
    assert "'loopbaanreflectie' scheidt de antwoorden" in ordinal["term"].iloc[0]
    assert ordinal[["β CR2", "β ander", "p CR2", "p ander"]].isna().all(axis=None)
    assert len(table[table["methode"] != "ordinaal"]) == 16  # the mixed model of every outcome is still shown
    sentence = hypotheses.robustness_sentence(table)
    assert "; ordinaal naast OLS-CR2: niet te berekenen voor uitvaldreiging (" in sentence


def anova_icc(values: pd.Series, groups: pd.Series) -> float:
    """ICC(1) by the ANOVA estimator for unequal group sizes (Shrout & Fleiss 1979; Donner 1986)."""
    frame = pd.DataFrame({"y": values, "g": groups}).dropna()
    stats = frame.groupby("g", observed=True)["y"].agg(["count", "mean", "var"])
    k, n = len(stats), len(frame)
    n0 = (n - (stats["count"] ** 2).sum() / n) / (k - 1)
    msb = (stats["count"] * (stats["mean"] - frame["y"].mean()) ** 2).sum() / (k - 1)
    msw = ((stats["count"] - 1) * stats["var"]).sum() / (n - k)
    return (msb - msw) / (msb + (n0 - 1) * msw)


def test_icc_table_against_the_anova_estimator_and_the_design_effect():
    context = Context(simulated(11, 800, 150))
    rng = np.random.default_rng(3)
    frame = context.frame("students")
    school = frame["hogeschool"].cat.codes.to_numpy()
    effects = rng.normal(0, 0.5, school.max() + 1)
    frame["leermotivatie"] = effects[school] + rng.normal(0, 1, len(frame))
    table = hypotheses.icc_table(context, "h2").set_index("uitkomst")
    row = table.loc["Leermotivatie"]
    assert row["ICC"] == pytest.approx(anova_icc(frame["leermotivatie"], frame["hogeschool"]), abs=0.02)
    assert row["ICC"] > 0.1
    assert row["design-effect"] == pytest.approx(1 + (row["n"] / row["hogescholen"] - 1) * row["ICC"])
    assert list(table.index) == ["Leermotivatie", "Arbeidsidentiteit", "Keuzezekerheid", "Uitvaldreiging"]


def test_icc_table_is_near_zero_without_differences_between_hogescholen():
    context = Context(simulated(2026))
    table = hypotheses.icc_table(context, "h2").set_index("uitkomst")
    frame = context.frame("students")
    reference = anova_icc(frame["arbeidsidentiteit"], frame["hogeschool"])
    assert reference < 0.01
    assert table.at["Arbeidsidentiteit", "ICC"] == pytest.approx(reference, abs=0.01)


def test_forest_puts_the_outcomes_side_by_side_on_one_scale(small_context):
    plot = hypotheses.forest(model_tables(small_context, "h1"), title="H1")
    limits = {ax.get_xlim() for ax in plot.figure.axes}
    titles = [ax.get_title("left") or ax.get_title() for ax in plot.figure.axes]
    assert len(plot.figure.axes) == 4 and len(limits) == 1
    assert titles == ["Loopbaanreflectie", "Werkexploratie", "Loopbaansturing", "Netwerken"]
    assert "8 termen in 4 modellen" in plot.alt
