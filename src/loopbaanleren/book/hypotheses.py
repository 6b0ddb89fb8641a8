"""Hypotheses H1 and H2: the summary's sign pattern against the one found, its robustness, and the ICCs.

A registry model (``models:`` in ``claims.yaml``) has one ``effect`` or ``null_effect`` claim per
predictor × outcome cell. From those claims and their evaluated results (``evaluate_claims``):

* :func:`published_signs` and :func:`found_signs` give the sign per cell ("+", "-", "0", or "" where no
  claim was judged) and :func:`sign_table` shows them side by side in Dutch; :func:`predicted_signs` gives
  the signs a ``hypothesis`` claim predicts and :func:`predictions_table` which predictions came out as the
  summary publishes them (supported, not supported, contrary);
* :func:`robustness` sets the mixed model next to OLS with cluster-robust errors for every outcome and,
  for an outcome that is a single ordered item, next to an ordinal logit model (via
  :mod:`loopbaanleren.book.model_tables`);
* :func:`icc_table` gives each outcome's intraclass correlation between hogescholen and its design effect.

The verdict on a hypothesis itself is the ``hypothesis`` claim's, computed in :mod:`loopbaanleren.claims.evaluate`.
"""

from __future__ import annotations

import textwrap

import pandas as pd
from matplotlib.ticker import MaxNLocator

from loopbaanleren import stats
from loopbaanleren.data.registry import Claim, load_registry
from loopbaanleren.book.claim_text import render
from loopbaanleren.book.verdict_text import OUTCOME_NL, VERDICT_NL
from loopbaanleren.data.codebook import load_codebook
from loopbaanleren.errors import InputError, ParameterError
from loopbaanleren.stats.ordinal import SeparationError
from loopbaanleren.claims.context import Context, NotComputable
from loopbaanleren.claims.evaluate import prediction_pattern
from loopbaanleren.book.figures import SIGNS, Plot, forest_plot
from loopbaanleren.book.model_tables import (
    METHOD_SHORT_NL,
    ModelTable,
    forest_frame,
    measured_outcomes,
    robustness_table,
    robustness_text,
    term_label,
)
from loopbaanleren.book import cells
from loopbaanleren.book.formatting import fmt_num

CELL_KINDS = ("effect", "null_effect")
LABEL_WIDTH = 30
"""Predictor labels in figures are wrapped at this many characters, so that the plot keeps its width."""
RESULT_COLUMNS = ("id", "kind", "computed", "p_adjusted", "verdict")
NOT_COMPUTABLE = VERDICT_NL["not_computable"]


def model_spec(model_id: str) -> dict:
    """The registry's specification of ``model_id`` (population, outcomes, predictors, controls)."""
    specs = load_registry().models
    if model_id not in specs:
        raise ParameterError(f"no model {model_id!r} in the claims registry; models are {', '.join(specs)}")
    return specs[model_id]


def short_label(population: str, name: str) -> str:
    """Dutch label of a predictor or outcome for table headers.

    A scale has its codebook label; a single item, whose codebook label is the whole question, is named by
    its variable name (``uitvaldreiging`` becomes "Uitvaldreiging").
    """
    if name in load_codebook().scales(population):
        return term_label(population, name)
    return name.replace("_", " ").capitalize()


def cell_claims(model_id: str) -> dict[tuple[str, str], Claim]:
    """The effect and non-effect claims of a model, keyed by (predictor, outcome)."""
    model_spec(model_id)
    cells: dict[tuple[str, str], Claim] = {}
    for claim in load_registry():
        if claim.kind in CELL_KINDS and claim.get("model") == model_id:
            cells[(claim["predictor"], claim["outcome"])] = claim
    return cells


def published_signs(model_id: str) -> pd.DataFrame:
    """The summary's sign per predictor (rows) × outcome (columns): an effect's sign, "0" for a non-effect."""
    signs = _empty_grid(model_id)
    for (predictor, outcome), claim in cell_claims(model_id).items():
        signs.loc[predictor, outcome] = claim["sign"] if claim.kind == "effect" else "0"
    return signs


def predicted_signs(hypothesis_id: str) -> pd.DataFrame:
    """The signs a ``hypothesis`` claim predicts, on its model's grid ("" where it predicts nothing)."""
    claim = _hypothesis(hypothesis_id)
    signs = _empty_grid(claim["model"])
    for prediction in claim["predictions"]:
        signs.loc[prediction["predictor"], prediction["outcome"]] = prediction["sign"]
    return signs


def found_signs(results: pd.DataFrame, model_id: str, alpha: float) -> pd.DataFrame:
    """The sign found per cell, judged as the cell's claim is judged.

    Where the summary reports an effect, the found sign is the coefficient's sign if its Holm-adjusted p is
    below ``alpha`` and "0" otherwise; where it reports no effect, "0" if the claim is reproduced (the
    equivalence test holds) and otherwise the coefficient's sign. So a cell's found sign equals the published
    one exactly when its claim is reproduced. Cells whose claim is missing from ``results`` or could not be
    computed stay "".
    """
    missing = [column for column in RESULT_COLUMNS if column not in results]
    if missing:
        raise InputError(f"found_signs: results lack column(s) {missing}; pass the output of evaluate_claims")
    rows = results.set_index("id")
    signs = _empty_grid(model_id)
    for (predictor, outcome), claim in cell_claims(model_id).items():
        if claim.id not in rows.index or rows.at[claim.id, "verdict"] == "not_computable":
            continue
        row = rows.loc[claim.id]
        beta_sign = "+" if row["computed"] > 0 else "-"
        if claim.kind == "effect":
            signs.loc[predictor, outcome] = beta_sign if row["p_adjusted"] < alpha else "0"
        else:
            signs.loc[predictor, outcome] = "0" if row["verdict"] == "reproduced" else beta_sign
    return signs


def sign_agreement(published: pd.DataFrame, found: pd.DataFrame) -> tuple[int, int]:
    """(cells where the found sign equals the published one, cells where both are known)."""
    both = (published != "") & (found != "")
    return int((both & (published == found)).sum().sum()), int(both.sum().sum())


def labelled(signs: pd.DataFrame, population: str, width: int | None = LABEL_WIDTH) -> pd.DataFrame:
    """A sign grid with Dutch row (predictor) and column (outcome) labels; row labels wrapped at ``width``."""
    return signs.rename(
        index=lambda name: _wrap(short_label(population, name), width),
        columns=lambda name: short_label(population, name),
    )


def sign_table(published: pd.DataFrame, found: pd.DataFrame, population: str) -> pd.DataFrame:
    """Dutch table: one row per predictor, per outcome the cell "published / found" (· = not judged)."""
    if not (published.index.equals(found.index) and published.columns.equals(found.columns)):
        raise InputError("sign_table: published and found signs must have the same predictors and outcomes")
    cells = published.combine(found, lambda first, second: first.map(_shown) + " / " + second.map(_shown))
    return labelled(cells, population, width=None).rename_axis("voorspeller").reset_index()


def predictions_table(ctx: Context, hypothesis_id: str) -> pd.DataFrame:
    """Dutch table of a hypothesis' predictions: the predicted sign, the outcome the summary publishes (gesteund,
    niet gesteund, tegengesteld), β and Holm-adjusted p of the cell's claim, the outcome found and whether it is as
    published; the hypothesis' verdict rests on the last column (:func:`loopbaanleren.claims.evaluate.eval_hypothesis`), on the chapter's context."""
    claim = _hypothesis(hypothesis_id)
    pattern = prediction_pattern(claim, ctx)
    population = model_spec(claim["model"])["population"]
    return pd.DataFrame(
        {
            "voorspeller": [short_label(population, name) for name in pattern["predictor"]],
            "uitkomst": [short_label(population, name) for name in pattern["outcome"]],
            "voorspeld": [_shown(sign) for sign in pattern["sign"]],
            "gepubliceerd": pattern["published"].map(OUTCOME_NL),
            "β": pattern["beta"],
            "p (Holm)": pattern["p_adjusted"],
            "gevonden": pattern["found"].map(OUTCOME_NL),
            "zoals gepubliceerd": pattern["as_published"],
        }
    )


def effect_summary(results: pd.DataFrame, claim_ids: list[str]) -> str:
    """Dutch summary of a group of coefficient claims: the range of β and how many were reproduced."""
    rows = results.set_index("id").reindex(claim_ids)
    unknown = [claim_id for claim_id, kind in zip(claim_ids, rows["kind"]) if kind not in CELL_KINDS]
    if unknown:
        raise InputError(f"effect_summary: {unknown} are not effect or non-effect claims in the results")
    betas = rows["computed"].dropna().astype(float)
    low, high = fmt_num(betas.min()), fmt_num(betas.max())
    if betas.empty:
        span = "β niet te berekenen"
    elif low == high:
        span = f"β = {low}" if len(betas) == 1 else f"β = {low} voor elk"
    else:
        span = f"β van {low} tot {high}"
    reproduced = int((rows["verdict"] == "reproduced").sum())
    return f"{span}; {reproduced} van de {len(claim_ids)} gereproduceerd"


def forest(tables: list[ModelTable], title: str = "", width: int = LABEL_WIDTH) -> Plot:
    """Forest plot of the predictors' standardised coefficients, one panel per outcome, on one x-scale."""
    frame = forest_frame(tables, term_width=width)
    panels = dict(zip(dict.fromkeys(frame["panel"]), (short_label(t.population, t.outcome) for t in tables)))
    plot = forest_plot(frame.assign(panel=frame["panel"].map(panels)), title=title)
    low, high = min(frame["ci_low"].min(), 0), max(frame["ci_high"].max(), 0)
    margin = 0.08 * (high - low)
    for ax in plot.figure.axes:  # one x-scale for all panels, so the outcomes can be compared side by side
        ax.set_xlim(low - margin, high + margin)
        # at most three ticks, so that the labels of a narrow panel stay apart (a step of 4 keeps ranges such as
        # -0.4 to 0.35 from falling back to five ticks 0.2 apart)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=2, steps=[1, 2, 4, 5, 10]))
    return plot


def robustness(ctx: Context, model_id: str) -> pd.DataFrame:
    """The predictors' coefficients under the primary analysis (OLS with CR2 errors) next to each robustness
    check, as a Dutch table.

    Every outcome is compared with the mixed model (random intercept per hogeschool; "ontaard" in ``methode``
    when it puts the variance between hogescholen at about zero, so that it is OLS with model-based errors);
    an outcome that is a single ordered item (not a scale) also with a proportional-odds logit model, whose
    coefficients are log-odds per standard deviation of the predictor. Columns: uitkomst, term, methode,
    β CR2 and its 95%-BI, β and 95%-BI under the other method, p of both, and "zelfde conclusie" as
    :func:`loopbaanleren.book.model_tables.robustness_table` judges it. A check whose model has no finite
    estimates (an ordinal outcome separated by its terms, :class:`~loopbaanleren.stats.SeparationError`) is
    one row: "niet te berekenen" with the reason under term.
    """
    spec = model_spec(model_id)
    population = spec["population"]
    scales = load_codebook().scales(population)
    parts = []
    for outcome in measured_outcomes(ctx, model_id):  # an outcome not measured: its claims are not computable
        others = ["mixed"] + ([] if outcome in scales else ["ordinal"])
        for other in others:
            label = METHOD_SHORT_NL[other]
            try:
                table = robustness_table(ctx, model_id, outcome, ("ols_cr2", other))
            except SeparationError as error:
                parts.append(pd.DataFrame({"uitkomst": [short_label(population, outcome)],
                                           "term": [separation_text(error)], "methode": [label],
                                           "zelfde conclusie": [NOT_COMPUTABLE]}))
                continue
            if other == "mixed" and ctx.fit(model_id, outcome, "mixed").degenerate:
                label += " (ontaard: ICC ≈ 0)"
            table = table[table["role"] == "predictor"]
            part = {
                "uitkomst": short_label(population, outcome),
                "term": table["label"],
                "methode": label,
            }
            for method, name in (("ols_cr2", "CR2"), (other, "ander")):
                part[f"β {name}"] = table[f"beta_{method}"]
                bounds = zip(table[f"ci_low_{method}"], table[f"ci_high_{method}"], strict=True)
                part[f"95%-BI {name}"] = [cells.ci(low, high, unit=cells.BETA) for low, high in bounds]
                part[f"p {name}"] = table[f"p_{method}"]
            part["zelfde conclusie"] = table["same_conclusion"]
            parts.append(pd.DataFrame(part))
    columns = ["uitkomst", "term", "methode", *(f"{c} {n}" for n in ("CR2", "ander") for c in ("β", "95%-BI", "p")),
               "zelfde conclusie"]
    return pd.concat(parts, ignore_index=True).reindex(columns=columns)


def separation_text(error: SeparationError) -> str:
    """Why an ordinal model has no estimates, in Dutch: the terms that separate its answers."""
    terms = " en ".join(f"'{term}'" for term in error.terms)
    verb = "scheidt" if len(error.terms) == 1 else "scheiden"
    return f"geen eindige schattingen: {terms} {verb} de antwoorden (volledige of quasi-volledige scheiding)"


def robustness_sentence(table: pd.DataFrame) -> str:
    """Dutch text on a :func:`robustness` table: per other method, where its conclusions match the primary analysis."""
    return "; ".join(
        f"{method} naast OLS-CR2: {robustness_text(part)}"
        for method, part in table.groupby("methode", sort=False)
    )


def icc_table(ctx: Context, model_id: str) -> pd.DataFrame:
    """Per outcome of the model: the ICC between hogescholen (null model) with 95% CI and the design effect.

    The ICC is :func:`loopbaanleren.stats.mixed.icc`; the design effect is Kish's 1 + (m - 1) · ICC with m the
    mean number of respondents per hogeschool, the factor by which clustering inflates the variance of a
    mean. Columns: uitkomst, n, hogescholen, ICC, 95%-BI, design-effect.
    """
    spec = model_spec(model_id)
    population = spec["population"]
    try:
        frame = ctx.frame(population)
    except NotComputable as reason:
        raise InputError(f"icc_table({model_id!r}): {render(reason.phrase)}") from None
    cluster = ctx.rules["cluster_variable"]
    rows = []
    for outcome in measured_outcomes(ctx, model_id):  # an outcome not measured has no ICC
        estimate = stats.icc(frame, outcome, cluster)
        rows.append(
            {
                "uitkomst": short_label(population, outcome),
                "n": estimate.n,
                "hogescholen": estimate.n_clusters,
                "ICC": estimate.value,
                "95%-BI": cells.ci(estimate.ci_low, estimate.ci_high),
                "design-effect": 1 + (estimate.n / estimate.n_clusters - 1) * estimate.value,
            }
        )
    return pd.DataFrame(rows)


def _hypothesis(hypothesis_id: str) -> Claim:
    try:
        claim = load_registry().get(hypothesis_id)
    except KeyError:
        raise ParameterError(f"no claim {hypothesis_id!r} in the claims registry") from None
    if claim.kind != "hypothesis":
        raise ParameterError(f"claim {hypothesis_id!r} is a {claim.kind} claim, not a hypothesis")
    return claim


def _empty_grid(model_id: str) -> pd.DataFrame:
    spec = model_spec(model_id)
    return pd.DataFrame("", index=pd.Index(spec["predictors"]), columns=pd.Index(spec["outcomes"]), dtype=object)


def _wrap(label: str, width: int | None) -> str:
    return label if width is None else textwrap.fill(label, width, break_long_words=False)


def _shown(sign: str) -> str:
    return SIGNS.get(sign, "·") if isinstance(sign, str) and sign else "·"
