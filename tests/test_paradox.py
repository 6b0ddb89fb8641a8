"""Reflection-paradox diagnostics against independent computations (numpy, statsmodels formulas)."""

import numpy as np
import pytest
import statsmodels.formula.api as smf

from loopbaanleren.book import paradox
from loopbaanleren.claims.context import example_context


@pytest.fixture(scope="module")
def ctx():
    return example_context(400, 100)


def test_correlations_are_pearson_on_pairwise_complete_cases(ctx):
    frame = ctx.frame("students")
    r = paradox.correlations(ctx, "h2")
    both = frame[["loopbaanreflectie", "keuzezekerheid"]].dropna().to_numpy()
    assert r.at["loopbaanreflectie", "keuzezekerheid"] == pytest.approx(np.corrcoef(both.T)[0, 1])


def test_a_competence_alone_and_without_another_match_a_formula_fit(ctx):
    spec = ctx.models["h2"]
    frame = ctx.frame("students").rename(columns={"geslacht=vrouw": "vrouw"})
    controls = [c if c != "geslacht=vrouw" else "vrouw" for c in spec["controls"]]

    def beta(predictors, outcome):
        cols = [outcome, *predictors, *controls, "sector"]
        data = frame[cols].dropna().copy()
        for c in [outcome, *predictors, *controls]:
            data[c] = (data[c] - data[c].mean()) / data[c].std()
        fit = smf.ols(f"{outcome} ~ {' + '.join([*predictors, *controls])} + C(sector)", data=data).fit()
        return fit.params[predictors[0]]

    alone = paradox.alone(ctx, "h2")
    assert alone.at["loopbaanreflectie", "arbeidsidentiteit"] == pytest.approx(beta(["loopbaanreflectie"], "arbeidsidentiteit"))
    loo = paradox.leave_one_out(ctx, "h2")
    row = loo[(loo.predictor == "loopbaanreflectie") & (loo.outcome == "keuzezekerheid") & (loo.left_out == "netwerken")]
    others = ["loopbaanreflectie", "werkexploratie", "loopbaansturing"]
    assert row["beta_without"].iloc[0] == pytest.approx(beta(others, "keuzezekerheid"))
    assert row["change"].iloc[0] == pytest.approx(row["beta_without"].iloc[0] - row["beta"].iloc[0])
    text = paradox.paradox_text(paradox.paradox_table(ctx, "h2"))
    assert text.count("Bij ") == len(spec["outcomes"])


def test_without_a_measured_competence_there_is_no_paradox_table(ctx):
    from loopbaanleren.claims.context import Context
    from loopbaanleren.data.simulation import MISSING_CODE, simulate

    data = {pop: frame.replace(MISSING_CODE, np.nan) for pop, frame in simulate(2026, 400, 100).items()}
    data["students"] = data["students"].assign(**{f"we_{i}": np.nan for i in range(1, 5)})  # not asked
    missing = Context(data)
    table = paradox.paradox_table(missing, "h2")
    assert table.empty and paradox.labelled(table).empty
    assert "niet te berekenen" in paradox.paradox_text(table)
    assert paradox.side_by_side(missing, "h2")["competentie"].size == 4


def test_a_partial_coefficient_counts_as_stronger_only_beyond_the_tolerance():
    import pandas as pd

    def text(r, partial):
        table = pd.DataFrame([{"outcome": "uitvaldreiging", "r": r, "alone": r, "partial": partial}])
        return paradox.paradox_text(table, tolerance=0.08)

    assert "geen suppressie" in text(0.24, 0.25)  # 0.01 stronger: within the tolerance
    assert "suppressie in grootte" in text(0.10, 0.25)
    assert "(suppressie)" in text(0.10, -0.25)
    from loopbaanleren.data.registry import load_registry

    bound = load_registry().rules["equivalence_bound"]
    table = pd.DataFrame([{"outcome": "uitvaldreiging", "r": 0.2, "alone": 0.2, "partial": 0.2 + bound / 2}])
    assert "geen suppressie" in paradox.paradox_text(table)
