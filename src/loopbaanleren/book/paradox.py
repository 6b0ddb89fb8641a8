"""The reflection paradox: why more career reflection goes with less work identity and choice certainty in H2.

In the H2 models each competence's coefficient is a *partial* one: the association with the outcome of what
that competence does not share with the other three. The four competencies are strongly correlated, so a
partial coefficient can differ in sign from the plain correlation (suppression). This module sets side by side:

* :func:`correlations`: the bivariate (Pearson) correlation of each competence with each outcome;
* :func:`partial_betas`: the standardised coefficients of the H2 models (the primary analysis);
* :func:`alone`: each competence as the only competence in the model (controls as published);
* :func:`leave_one_out`: each coefficient when each other competence is left out (suppression diagnostics).

All coefficients are standardised OLS betas on the listwise-complete sample of the model that is fitted; the
inference does not change them, so the diagnostics use plain OLS.
"""

from __future__ import annotations

import pandas as pd

from loopbaanleren import stats
from loopbaanleren.book import cells
from loopbaanleren.book.formatting import fmt_num
from loopbaanleren.book.hypotheses import short_label
from loopbaanleren.book.model_tables import measured_outcomes
from loopbaanleren.data.registry import load_registry
from loopbaanleren.claims.context import Context


def _spec(ctx: Context, model_id: str) -> dict:
    """The registry model with only the outcomes it can be fitted for (none when a competence is not measured)."""
    return {**ctx.models[model_id], "outcomes": measured_outcomes(ctx, model_id)}


def _betas(ctx: Context, model_id: str, outcome: str, predictors: list[str]) -> dict[str, float]:
    spec = ctx.models[model_id]  # population, controls and categorical terms; the outcome is given
    frame = ctx.frame(spec["population"])
    fit = stats.fit_regression(frame, outcome, predictors, spec["controls"], spec["categorical"],
                                cluster=ctx.rules["cluster_variable"], method="ols_cluster")
    table = fit.coefficients.set_index("term")["beta"]
    return {p: float(table[p]) for p in predictors}


def correlations(ctx: Context, model_id: str = "h2") -> pd.DataFrame:
    """Pearson correlation (pairwise complete) of each predictor (rows) with each outcome (columns)."""
    spec = _spec(ctx, model_id)
    frame = ctx.frame(spec["population"])
    return pd.DataFrame({o: [frame[p].corr(frame[o]) for p in spec["predictors"]] for o in spec["outcomes"]},
                        index=list(spec["predictors"]))


def partial_betas(ctx: Context, model_id: str = "h2") -> pd.DataFrame:
    """Standardised coefficient of each predictor (rows) for each outcome (columns), all predictors together."""
    spec = _spec(ctx, model_id)
    return pd.DataFrame({o: _betas(ctx, model_id, o, list(spec["predictors"])) for o in spec["outcomes"]})


def alone(ctx: Context, model_id: str = "h2") -> pd.DataFrame:
    """Standardised coefficient of each predictor as the only predictor in the model (controls kept)."""
    spec = _spec(ctx, model_id)
    return pd.DataFrame({o: {p: _betas(ctx, model_id, o, [p])[p] for p in spec["predictors"]} for o in spec["outcomes"]})


def leave_one_out(ctx: Context, model_id: str = "h2") -> pd.DataFrame:
    """Suppression diagnostics: per predictor, outcome and other predictor left out, the coefficient with all
    predictors (``beta``), without the other one (``beta_without``) and the change."""
    spec = _spec(ctx, model_id)
    predictors = list(spec["predictors"])
    full = partial_betas(ctx, model_id)
    rows = []
    for outcome in spec["outcomes"]:
        for left_out in predictors:
            kept = [p for p in predictors if p != left_out]
            betas = _betas(ctx, model_id, outcome, kept)
            for predictor in kept:
                rows.append({"predictor": predictor, "outcome": outcome, "left_out": left_out,
                             "beta": full.at[predictor, outcome], "beta_without": betas[predictor],
                             "change": betas[predictor] - full.at[predictor, outcome]})
    return pd.DataFrame(rows)


def paradox_table(ctx: Context, model_id: str = "h2", focus: str = "loopbaanreflectie") -> pd.DataFrame:
    """For the ``focus`` competence and each outcome: the correlation, the coefficient alone, the partial
    coefficient, and the coefficient without each other competence."""
    r, single, partial = correlations(ctx, model_id), alone(ctx, model_id), partial_betas(ctx, model_id)
    loo = leave_one_out(ctx, model_id)
    rows = []
    for outcome in _spec(ctx, model_id)["outcomes"]:
        row = {"outcome": outcome, "r": r.at[focus, outcome], "alone": single.at[focus, outcome],
               "partial": partial.at[focus, outcome]}
        part = loo[(loo["predictor"] == focus) & (loo["outcome"] == outcome)]
        row |= {f"without {p}": b for p, b in zip(part["left_out"], part["beta_without"])}
        rows.append(row)
    return pd.DataFrame(rows)


def _label(name: str) -> str:
    return short_label("students", name)


def labelled(table: pd.DataFrame) -> pd.DataFrame:
    """A :func:`paradox_table` with Dutch headers and outcome labels."""
    names = {"outcome": "uitkomst", "r": "correlatie r", "alone": "β alleen", "partial": "β partieel (H2)"}
    if table.empty:
        return pd.DataFrame(columns=list(names.values()))
    out = table.rename(columns=names | {c: f"β zonder {_label(c.removeprefix('without '))}"
                                        for c in table.columns if c.startswith("without ")})
    out["uitkomst"] = [_label(o) for o in table["outcome"]]
    return out


def side_by_side(ctx: Context, model_id: str = "h2") -> pd.DataFrame:
    """Every competence (rows) × outcome (columns): "r / β" with the correlation and the partial coefficient
    (downloaded as the columns ``<uitkomst>_r`` and ``<uitkomst>_β``)."""
    r, partial = correlations(ctx, model_id), partial_betas(ctx, model_id)
    out = pd.DataFrame({_label(o): [cells.Parts((("r", float(r.at[p, o]), "correlatie r"),
                                                 ("β", float(partial.at[p, o]), cells.BETA)),
                                                f"{fmt_num(r.at[p, o])} / {fmt_num(partial.at[p, o])}")
                                    for p in r.index]
                        for o in r.columns}, index=range(len(r.index)))
    out.insert(0, "competentie", [_label(p) for p in r.index])
    return out


def paradox_text(table: pd.DataFrame, tolerance: float | None = None) -> str:
    """Dutch sentences on a :func:`paradox_table`: per outcome whether the sign of the partial coefficient is
    that of the correlation (and of the coefficient alone), i.e. whether the association is a suppression.

    The partial coefficient counts as stronger than the correlation only when it exceeds it by more than
    ``tolerance`` (default: the registry's equivalence bound, the smallest difference in a standardised
    coefficient the verdicts treat as more than negligible).
    """
    if tolerance is None:
        tolerance = float(load_registry().rules["equivalence_bound"])

    if table.empty:
        return ("Op deze gegevens niet te berekenen: een van de vier competenties of alle uitkomsten van "
                "hypothese 2 zijn niet gemeten.")
    sentences = []
    without = [c for c in table.columns if c.startswith("without ")]
    for row in table.to_dict("records"):
        label = _label(row["outcome"]).lower()
        same = (row["r"] > 0) == (row["partial"] > 0) == (row["alone"] > 0)
        flips = [c.removeprefix("without ") for c in without if (row[c] > 0) != (row["partial"] > 0)]
        text = (f"Bij {label} is de correlatie r = {fmt_num(row['r'])}, alleen β = {fmt_num(row['alone'])} en "
                f"partieel β = {fmt_num(row['partial'])}: ")
        if same and abs(row["partial"]) - abs(row["r"]) > tolerance:
            text += ("het teken is in alle drie hetzelfde, maar het partiële verband is sterker dan de correlatie: "
                     "naast de andere competenties wordt het groter (suppressie in grootte, geen tekenomslag)")
        elif same:
            text += ("het teken is in alle drie hetzelfde en het partiële verband niet meer dan "
                     f"{fmt_num(tolerance)} sterker: geen suppressie")
        else:
            text += "het partiële teken verschilt van dat van de correlatie of van β alleen (suppressie)"
        if flips:
            text += f"; zonder {' of '.join(_label(f).lower() for f in flips)} keert het teken om"
        sentences.append(text + ".")
    return " ".join(sentences)
