"""Model tables against hand-built least squares, VIF, residuals and the Breusch–Pagan statistic."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
import yaml
from scipy import stats

from loopbaanleren.book import model_tables as rg
from loopbaanleren.errors import InputError, ParameterError
from loopbaanleren.claims.context import Context
from loopbaanleren.resources import resource_path

from simulated_helpers import simulated

RQ3 = ("rq3_gesprek", ["draagvlak", "draagkracht", "praktijkgericht", "vraaggericht", "geslacht=vrouw", "leeftijd"])


@pytest.fixture(scope="module")
def ctx() -> Context:
    return Context(simulated(2026, 600, 371))


def zscore(values: np.ndarray) -> np.ndarray:
    return (values - values.mean(axis=0)) / values.std(axis=0, ddof=1)


def complete_cases(ctx: Context, outcome: str, terms: list[str]) -> pd.DataFrame:
    return ctx.frame("counsellors")[[outcome, *terms, "hogeschool"]].dropna()


def hand_vif(design: np.ndarray) -> np.ndarray:
    """1 / (1 - R²_j) of each column regressed on the others with a constant."""
    values = []
    for j in range(design.shape[1]):
        others = np.column_stack([np.ones(len(design)), np.delete(design, j, axis=1)])
        coef, *_ = np.linalg.lstsq(others, design[:, j], rcond=None)
        residual = design[:, j] - others @ coef
        r2 = 1 - residual @ residual / np.sum((design[:, j] - design[:, j].mean()) ** 2)
        values.append(1 / (1 - r2))
    return np.array(values)


def test_ols_table_matches_hand_least_squares_and_vif(ctx):
    model_id, terms = RQ3
    table = rg.model_table(ctx, model_id, "onderwerp_zelfbeeld", "ols_cluster")
    sample = complete_cases(ctx, "onderwerp_zelfbeeld", terms)
    design = zscore(sample[terms].to_numpy(float))
    y = zscore(sample["onderwerp_zelfbeeld"].to_numpy(float))
    exog = np.column_stack([np.ones(len(y)), design])
    beta, *_ = np.linalg.lstsq(exog, y, rcond=None)
    coefficients = table.coefficients.set_index("term")
    np.testing.assert_allclose(coefficients.loc[terms, "beta"], beta[1:], rtol=1e-8)
    np.testing.assert_allclose(coefficients.loc[terms, "vif"], hand_vif(sample[terms].to_numpy(float)), rtol=1e-8)
    assert (table.n, table.n_clusters) == (len(sample), sample["hogeschool"].nunique())
    np.testing.assert_allclose(table.residuals["residual"], y - exog @ beta, atol=1e-10)
    assert table.r2 == pytest.approx(1 - np.sum((y - exog @ beta) ** 2) / np.sum(y**2))
    assert list(coefficients["role"]) == ["predictor"] * 5 + ["control"]


def test_mixed_residuals_add_up_to_the_standardised_outcome(ctx):
    model_id, terms = RQ3
    table = rg.model_table(ctx, model_id, "reflectief", "mixed")
    y = zscore(complete_cases(ctx, "reflectief", terms)["reflectief"].to_numpy(float))
    np.testing.assert_allclose(table.residuals["fitted"] + table.residuals["residual"], y, atol=1e-8)
    assert table.method == "mixed" and table.icc is not None
    assert table.outcome_label == "Reflectieve en activerende gespreksvorm"


def test_fit_summary_residual_checks_match_hand_formulas(ctx):
    model_id, terms = RQ3
    table = rg.model_table(ctx, model_id, "onderwerp_studie", "ols_cluster")
    row = rg.fit_summary([table]).iloc[0]
    e = table.residuals["residual"].to_numpy()
    centred = e - e.mean()
    m2, m3, m4 = (np.mean(centred**k) for k in (2, 3, 4))
    assert row["skewness"] == pytest.approx(m3 / m2**1.5)
    assert row["excess_kurtosis"] == pytest.approx(m4 / m2**2 - 3)
    # Breusch–Pagan (Koenker's studentised form): n·R² of e² on the design, chi² with k df.
    sample = complete_cases(ctx, "onderwerp_studie", terms)
    exog = np.column_stack([np.ones(len(e)), sample[terms].to_numpy(float)])
    coef, *_ = np.linalg.lstsq(exog, e**2, rcond=None)
    fitted = exog @ coef
    r2 = 1 - np.sum((e**2 - fitted) ** 2) / np.sum((e**2 - np.mean(e**2)) ** 2)
    assert row["breusch_pagan_p"] == pytest.approx(stats.chi2.sf(len(e) * r2, len(terms)), rel=1e-6)
    assert row["max_vif"] == pytest.approx(table.coefficients["vif"].max())
    assert (row["n"], row["method"], row["outcome"]) == (table.n, "ols_cluster", "onderwerp_studie")


def test_term_labels_come_from_the_codebook():
    raw = yaml.safe_load(resource_path("codebook.yaml").read_text(encoding="utf-8"))
    long = raw["populations"]["counsellors"]["scales"]["draagvlak"]["label_nl"]
    assert rg.term_label("counsellors", "draagvlak", short=False) == long
    assert rg.term_label("counsellors", "draagvlak") == long.split(" (")[0] == "Draagvlak"
    assert rg.term_label("counsellors", "geslacht=vrouw") == "Geslacht: vrouw"
    assert rg.term_label("students", "sector[Techniek]") == "Sector van de opleiding: Techniek"
    assert rg.term_label("students", "onbekend") == "onbekend"


def test_robustness_table_sets_the_two_methods_side_by_side(ctx):
    model_id, terms = RQ3
    assert rg.model_table(ctx, model_id, "onderwerp_zelfbeeld").method == "ols_cr2"  # the primary analysis
    table = rg.robustness_table(ctx, model_id, "onderwerp_zelfbeeld", ("mixed", "ols_cluster"))
    mixed = rg.model_table(ctx, model_id, "onderwerp_zelfbeeld", "mixed").coefficients.set_index("term")
    ols = rg.model_table(ctx, model_id, "onderwerp_zelfbeeld", "ols_cluster").coefficients.set_index("term")
    assert list(table["term"]) == terms
    np.testing.assert_allclose(table["beta_mixed"], mixed.loc[terms, "beta"])
    np.testing.assert_allclose(table["p_ols_cluster"], ols.loc[terms, "p"])
    # With alpha between a term's two p-values the methods disagree on that term only.
    gap = (table["p_mixed"] - table["p_ols_cluster"]).abs()
    term = table.loc[gap.idxmax(), "term"]
    low, high = sorted(table.loc[gap.idxmax(), ["p_mixed", "p_ols_cluster"]])
    # the other terms whose two estimates share a sign (a term near zero may differ in sign: never the same conclusion)
    others = (table["term"] != term) & (np.sign(table["beta_mixed"]) == np.sign(table["beta_ols_cluster"]))
    others_p = table.loc[others, ["p_mixed", "p_ols_cluster"]].to_numpy()
    for alpha in np.linspace(low, high, 7)[1:-1]:
        if np.all((others_p < alpha).all(axis=1) | (others_p >= alpha).all(axis=1)):
            split = rg.robustness_table(ctx, model_id, "onderwerp_zelfbeeld", ("mixed", "ols_cluster"), alpha=alpha)
            split = split.set_index("term")
            assert not split.loc[term, "same_conclusion"]
            assert split.loc[table.loc[others, "term"], "same_conclusion"].all()
            break
    else:
        pytest.skip("no alpha separates only one term on this data")


def test_forest_frame_has_one_panel_per_outcome(ctx):
    tables = rg.model_tables(ctx, "rq3_gesprek")
    frame = rg.forest_frame(tables)
    panels = list(dict.fromkeys(frame["panel"]))
    assert [" ".join(panel.split()) for panel in panels] == [t.outcome_label for t in tables]
    assert all(len(line) <= 18 for panel in panels for line in panel.split("\n"))  # three panels share a page
    assert len(frame) == 3 * 5  # five predictors, the control left out
    first = tables[0].coefficients.iloc[0]
    assert tuple(frame.iloc[0][["term", "beta", "ci_low", "ci_high"]]) == (
        first["label"], first["beta"], first["ci_low"], first["ci_high"],
    )
    with_controls = rg.forest_frame(tables, roles=("predictor", "control"))
    assert len(with_controls) == 3 * 6


def test_coefficient_table_is_dutch_and_complete(ctx):
    tables = rg.model_tables(ctx, "rq4_acties")
    table = rg.coefficient_table(tables)
    assert list(table.columns) == ["uitkomst", "term", "rol", "β", "95%-BI", "p", "VIF"]
    assert set(table["rol"]) == {"voorspeller", "controle"}
    assert table.loc[0, "term"] == "Samenwerking met het bedrijfsleven bij studieloopbaanbegeleiding"
    interval = table.loc[0, "95%-BI"]  # shown "[a; b]" with decimal commas, downloaded as its two bounds
    assert "," in interval.text and interval.text.startswith("[")
    (_, low, _), (_, high, _) = interval.parts
    assert low < high and interval.text == f"[{low:.2f}; {high:.2f}]".replace(".", ",").replace("-", "−")


def test_residual_plot_has_a_panel_per_model_and_alt_text(ctx):
    from statsmodels.nonparametric.smoothers_lowess import lowess

    tables = rg.model_tables(ctx, "rq3_gesprek")
    plot = rg.residual_plot(tables)
    assert len(plot.figure.axes) == 3
    assert "3 modellen" in plot.alt
    for ax, table in zip(plot.figure.axes, tables):  # the interpolated line lies on the exact lowess
        exact = lowess(table.residuals["residual"], table.residuals["fitted"], frac=2 / 3)
        drawn = ax.lines[0].get_xydata()
        np.testing.assert_allclose(drawn[:, 0], exact[:, 0])
        np.testing.assert_allclose(drawn[:, 1], exact[:, 1], atol=0.01)
    plt.close(plot.figure)


def test_ordinal_model_has_coefficients_but_no_residuals(ctx):
    local = Context(simulated(2026, 600, 371))
    local.models = {**local.models, "ordinal_test": {
        "population": "counsellors", "outcomes": ["sw_onvoldoende"], "predictors": ["samenwerking", "draagkracht"],
        "controls": ["leeftijd"], "categorical": [],
    }}
    table = rg.model_table(local, "ordinal_test", "sw_onvoldoende", "ordinal")
    assert table.residuals is None and table.r2 is None
    # more cooperation with practice, more often "the cooperation is sufficient"
    assert table.coefficients.set_index("term").loc["samenwerking", "beta"] > 0
    sample = local.frame("counsellors")[["sw_onvoldoende", "samenwerking", "draagkracht", "leeftijd"]].dropna()
    np.testing.assert_allclose(table.coefficients["vif"], hand_vif(sample.iloc[:, 1:].to_numpy(float)), rtol=1e-8)
    assert np.isnan(rg.fit_summary([table]).iloc[0]["breusch_pagan_p"])
    with pytest.raises(InputError, match="no residuals"):
        rg.residual_plot([table])
    with pytest.raises(InputError, match="whole-number"):
        rg.model_table(local, "rq3_gesprek", "reflectief", "ordinal")


def test_bad_input_gives_clear_errors(ctx):
    with pytest.raises(ParameterError, match="no model 'h9'"):
        rg.model_table(ctx, "h9", "reflectief")
    with pytest.raises(ParameterError, match="no outcome 'leermotivatie'"):
        rg.model_table(ctx, "rq3_gesprek", "leermotivatie")
    with pytest.raises(ParameterError, match="two different methods"):
        rg.robustness_table(ctx, "rq3_gesprek", "reflectief", ("mixed", "mixed"))
    with pytest.raises(ParameterError, match="unknown method"):
        rg.model_table(ctx, "rq3_gesprek", "reflectief", "probit")
    with pytest.raises(InputError, match="no model tables"):
        rg.fit_summary([])
    data = simulated(2026, 600, 371)
    counsellors = data["counsellors"].assign(**{f"bdv_{i}": np.nan for i in range(1, 5)})
    broken = Context({"students": data["students"], "counsellors": counsellors})
    with pytest.raises(InputError, match="draagvlak"):
        rg.model_table(broken, "rq3_gesprek", "reflectief")
