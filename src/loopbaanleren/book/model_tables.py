"""Model tables for the book: what a chapter shows of a regression model of the claims registry.

For a model of the registry (``models:`` in ``claims.yaml``) and one of its outcomes, :func:`model_table`
takes the fit from :meth:`loopbaanleren.claims.context.Context.fit`, the very fit the claims are judged on, and
adds what a reader needs to weigh it: Dutch labels, the variance inflation factor (VIF) of every term on the
model's own design, and the residuals for a residual plot. The other functions line several such tables up:

* :func:`model_tables`: one table per outcome of a model;
* :func:`coefficient_table`: standardised coefficients with 95% CI, p and VIF as a Dutch table;
* :func:`fit_summary`: per outcome n, number of hogescholen, R², ICC, largest VIF and residual checks
  (:func:`fit_table`: the same as a Dutch table);
* :func:`robustness_table`: the same coefficients under two methods (mixed model next to OLS with CR1
  cluster-robust errors and t(G - 1)), with whether the conclusion is the same; :func:`robustness_overview`
  does so for every outcome of a model as a Dutch table;
* :func:`diagnostics_text` and :func:`robustness_text`: the fit, the assumption checks and the robustness
  check in one Dutch sentence each, for gluing into a chapter's text;
* :func:`forest_frame`: coefficients ready for :func:`loopbaanleren.book.figures.forest_plot`;
* :func:`residual_plot`: residuals against fitted values per outcome.

Methods are those of :func:`loopbaanleren.stats.regression.fit_regression`: "mixed", "ols_cluster" and "ordinal"
(an ordinal model has no R² and no residuals; its coefficients are log-odds per standard deviation).
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib.pyplot as plt
from matplotlib.lines import Line2D
import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.nonparametric.smoothers_lowess import lowess
from statsmodels.stats.diagnostic import het_breuschpagan

from loopbaanleren.stats.regression import vif
from loopbaanleren.data.codebook import load_codebook
from loopbaanleren.errors import InputError, ParameterError
from loopbaanleren.book.claim_text import render
from loopbaanleren.book.verdict_text import VERDICT_NL
from loopbaanleren.claims.context import Context, NotComputable
from loopbaanleren.book.figures import INK, PAGE_WIDTH, Plot, apply_style, legend_below, panel_grid, set_title
from loopbaanleren.book import cells
from loopbaanleren.book.formatting import fmt_n, fmt_num, fmt_p

METHOD_SHORT_NL = {"ols_cr2": "OLS-CR2", "mixed": "gemengd", "ols_cluster": "OLS-CR1", "ordinal": "ordinaal"}
"""Short Dutch name of each method, for table headers."""

ROLE_NL = {"predictor": "voorspeller", "control": "controle"}

TERM_WIDTH = 24
"""Default characters per line of a term label in a forest plot."""

PAGE_CHARACTERS = 48
"""Characters of a title that fit across a book page."""

VIF_LIMIT = 5.0
"""A VIF above this common rule of thumb signals troublesome multicollinearity."""


@dataclass(frozen=True)
class ModelTable:
    """One fitted outcome of a registry model, ready to show.

    ``coefficients`` has one row per term of the design (predictors, controls, dummies): term, label
    (Dutch, short), role, beta, se, ci_low, ci_high, p (unadjusted) and vif. ``residuals`` has columns
    fitted and residual (conditional on the hogeschool effects for a mixed model), or is ``None`` for an
    ordinal model. ``design`` is the model's design matrix without the constant, used for VIF and the
    Breusch–Pagan test.
    """

    model_id: str
    population: str
    outcome: str
    outcome_label: str
    method: str
    coefficients: pd.DataFrame
    n: int
    n_clusters: int | None
    r2: float | None
    icc: float | None
    converged: bool
    residuals: pd.DataFrame | None
    design: pd.DataFrame


def term_label(population: str, term: str, short: bool = True) -> str:
    """Dutch label of a model term: a scale or variable, ``var=level`` or a dummy ``var[level]``.

    ``short`` drops a trailing explanation in brackets, e.g. "Draagvlak (steun van ...)" becomes "Draagvlak".
    """
    codebook = load_codebook()
    for opening, closing in (("=", ""), ("[", "]")):
        if opening in term and term.endswith(closing):
            name, level = term[: -len(closing) or None].split(opening, 1)
            return f"{term_label(population, name, short)}: {level}"
    try:
        label = codebook.label(population, term)
    except KeyError:
        return term
    return label.split(" (")[0] if short else label


def model_table(ctx: Context, model_id: str, outcome: str, method: str = "ols_cr2") -> ModelTable:
    """The fit of ``outcome`` in registry model ``model_id`` by ``method``, with labels, VIF and residuals."""
    spec = _model_spec(ctx, model_id, outcome)
    population = spec["population"]
    try:
        regression = ctx.fit(model_id, outcome, method)
    except NotComputable as reason:
        raise InputError(f"model {model_id!r}, outcome {outcome!r}: {render(reason.phrase)}") from None
    fit = regression.fit
    terms = list(regression.coefficients["term"])
    exog = np.asarray(fit.model.exog)
    design = pd.DataFrame(exog, columns=fit.model.exog_names[: exog.shape[1]])[terms]
    coefficients = regression.coefficients.assign(
        label=[term_label(population, term) for term in terms],
        vif=_vif(design),
    )[["term", "label", "role", "beta", "se", "ci_low", "ci_high", "p", "vif"]]
    residuals = None if method == "ordinal" else _residuals(fit)
    return ModelTable(
        model_id=model_id,
        population=population,
        outcome=outcome,
        outcome_label=term_label(population, outcome),
        method=method,
        coefficients=coefficients,
        n=regression.n,
        n_clusters=regression.n_clusters,
        r2=regression.r2,
        icc=regression.icc,
        converged=regression.converged,
        residuals=residuals,
        design=design,
    )


def _residuals(fit) -> pd.DataFrame:
    """Fitted values and residuals, conditional on the hogeschool effects of a mixed model
    (:class:`loopbaanleren.stats.mixed.MixedResult`)."""
    fitted = np.asarray(fit.fittedvalues)
    return pd.DataFrame({"fitted": fitted, "residual": np.asarray(fit.model.endog) - fitted})


def model_tables(ctx: Context, model_id: str, method: str = "ols_cr2") -> list[ModelTable]:
    """:func:`model_table` for every measured outcome of registry model ``model_id``, in registry order (an
    outcome the data does not have is left out: its claims are not computable)."""
    return [model_table(ctx, model_id, outcome, method) for outcome in measured_outcomes(ctx, model_id)]


def measured_outcomes(ctx: Context, model_id: str) -> list[str]:
    """The outcomes of registry model ``model_id`` that the data has (not absent, not empty); none when a
    predictor is not measured (the model cannot be fitted as specified)."""
    spec = _model_spec(ctx, model_id)
    try:
        for predictor in spec["predictors"]:
            ctx.column(spec["population"], predictor)
    except NotComputable:
        return []
    measured = []
    for outcome in spec["outcomes"]:
        try:
            ctx.column(spec["population"], outcome)
        except NotComputable:
            continue
        measured.append(outcome)
    return measured


def coefficient_table(tables: Sequence[ModelTable], roles: Sequence[str] = ("predictor", "control")) -> pd.DataFrame:
    """Dutch table of standardised coefficients: uitkomst, term, rol, β, 95%-BI, p, VIF (one row per term)."""
    rows = []
    for table in _non_empty(tables, "coefficient_table"):
        part = table.coefficients[table.coefficients["role"].isin(roles)]
        rows.append(
            pd.DataFrame(
                {
                    "uitkomst": table.outcome_label,
                    "term": part["label"],
                    "rol": part["role"].map(ROLE_NL),
                    "β": part["beta"],
                    "95%-BI": [cells.ci(low, high, unit=cells.BETA)
                               for low, high in zip(part["ci_low"], part["ci_high"], strict=True)],
                    "p": part["p"],
                    "VIF": part["vif"],
                }
            )
        )
    return pd.concat(rows, ignore_index=True)


def fit_summary(tables: Sequence[ModelTable]) -> pd.DataFrame:
    """One row per model: outcome, method, n, n_clusters, r2, icc, max_vif, converged and residual checks.

    Residual checks (NaN for an ordinal model): skewness and excess kurtosis of the residuals (scipy) and
    the p-value of the Breusch–Pagan test of constant residual variance against the design (statsmodels).
    """
    rows = []
    for table in _non_empty(tables, "fit_summary"):
        row = {
            "outcome": table.outcome,
            "label": table.outcome_label,
            "method": table.method,
            "n": table.n,
            "n_clusters": table.n_clusters,
            "r2": table.r2,
            "icc": table.icc,
            "max_vif": float(table.coefficients["vif"].max()),
            "converged": table.converged,
            "skewness": np.nan,
            "excess_kurtosis": np.nan,
            "breusch_pagan_p": np.nan,
        }
        if table.residuals is not None:
            residual = table.residuals["residual"].to_numpy()
            exog = np.column_stack([np.ones(len(residual)), table.design.to_numpy()])
            row["skewness"] = float(stats.skew(residual))
            row["excess_kurtosis"] = float(stats.kurtosis(residual))
            row["breusch_pagan_p"] = float(het_breuschpagan(residual, exog)[1])
        rows.append(row)
    return pd.DataFrame(rows)


def fit_table(tables: Sequence[ModelTable]) -> pd.DataFrame:
    """:func:`fit_summary` as a Dutch table (one row per model)."""
    summary = fit_summary(tables)
    return pd.DataFrame(
        {
            "uitkomst": summary["label"],
            "methode": summary["method"].map(METHOD_SHORT_NL),
            "n": summary["n"],
            "hogescholen": summary["n_clusters"],
            "R²": summary["r2"],
            "ICC": summary["icc"],
            "grootste VIF": summary["max_vif"],
            "scheefheid residuen": summary["skewness"],
            "overtollige kurtosis": summary["excess_kurtosis"],
            "Breusch–Pagan p": summary["breusch_pagan_p"],
        }
    )


def robustness_table(
    ctx: Context,
    model_id: str,
    outcome: str,
    methods: tuple[str, str] = ("ols_cr2", "mixed"),
    alpha: float | None = None,
) -> pd.DataFrame:
    """Coefficients of one outcome under two methods side by side, and whether both lead to the same conclusion.

    Columns: term, label, role, then beta, ci_low, ci_high, p suffixed with ``_<method>`` for each method,
    and ``same_conclusion``: both coefficients have the same sign and both are, or both are not,
    significant at ``alpha`` (default: the context's alpha).
    """
    if len(methods) != 2 or methods[0] == methods[1]:
        raise ParameterError(f"robustness_table: give two different methods, got {methods!r}")
    alpha = ctx.alpha if alpha is None else alpha
    first, second = (model_table(ctx, model_id, outcome, method).coefficients for method in methods)
    columns = ["beta", "ci_low", "ci_high", "p"]
    table = first[["term", "label", "role"]].copy()
    for method, part in zip(methods, (first, second), strict=True):
        values = part.set_index("term").loc[table["term"], columns].to_numpy()
        table[[f"{column}_{method}" for column in columns]] = values
    significant = [table[f"p_{method}"] < alpha for method in methods]
    table["same_conclusion"] = (
        np.sign(table[f"beta_{methods[0]}"]) == np.sign(table[f"beta_{methods[1]}"])
    ) & (significant[0] == significant[1])
    return table


def robustness_overview(
    ctx: Context,
    model_id: str,
    methods: tuple[str, str] = ("ols_cr2", "mixed"),
    roles: Sequence[str] = ("predictor",),
) -> pd.DataFrame:
    """:func:`robustness_table` for every outcome of ``model_id`` as a Dutch table (terms with ``roles``).

    Columns: uitkomst, term, β and 95%-BI under each method (headed by :data:`METHOD_SHORT_NL`), and
    "zelfde conclusie" (bool).
    """
    spec = _model_spec(ctx, model_id)
    parts = []
    for outcome in measured_outcomes(ctx, model_id):
        table = robustness_table(ctx, model_id, outcome, methods)
        table = table[table["role"].isin(roles)]
        part = {"uitkomst": term_label(spec["population"], outcome), "term": table["label"]}
        for method in methods:
            bounds = zip(table[f"ci_low_{method}"], table[f"ci_high_{method}"], strict=True)
            part[f"β {METHOD_SHORT_NL[method]}"] = table[f"beta_{method}"]
            part[f"95%-BI {METHOD_SHORT_NL[method]}"] = [cells.ci(low, high, unit=cells.BETA) for low, high in bounds]
        part["zelfde conclusie"] = table["same_conclusion"]
        parts.append(pd.DataFrame(part))
    return pd.concat(parts, ignore_index=True)


def robustness_text(overview: pd.DataFrame) -> str:
    """A Dutch sentence on a :func:`robustness_overview`: on how many coefficients the methods agree, where not,
    and for which outcomes the check is not computable (a row whose "zelfde conclusie" says so, the reason under
    term)."""
    open_ = overview["zelfde conclusie"].eq(VERDICT_NL["not_computable"])
    judged = overview[~open_]
    same = judged["zelfde conclusie"].astype(bool)
    parts = []
    if len(judged):
        parts.append(f"bij {int(same.sum())} van de {len(judged)} coëfficiënten leiden beide methoden tot dezelfde "
                     "conclusie")
    differ = judged[~same]
    if len(differ):
        parts.append("niet bij " + "; ".join(f"{row.term} → {row.uitkomst}" for row in differ.itertuples(index=False)))
    parts += [f"{VERDICT_NL['not_computable']} voor {row.uitkomst.lower()} ({row.term})"
              for row in overview[open_].itertuples(index=False)]
    return "; ".join(parts)


def diagnostics_text(tables: Sequence[ModelTable]) -> str:
    """One Dutch sentence on the fit and the assumption checks of :func:`fit_summary` for these models."""
    summary = fit_summary(tables)
    methods = set(summary["method"])
    r2_name = "marginale R²" if methods == {"mixed"} else "R²"
    sample = f"n = {_span(summary['n'], digits=0)}"
    if summary["n_clusters"].notna().all():
        sample += f" uit {fmt_n(int(summary['n_clusters'].max()))} hogescholen"
    parts = [sample]
    if summary["r2"].notna().all():
        parts.append(f"{r2_name} {_span(summary['r2'])}")
    if summary["icc"].notna().all():
        parts.append(f"ICC tussen hogescholen {_span(summary['icc'])}")
    largest = summary["max_vif"].max()
    parts.append(
        f"grootste VIF {fmt_num(largest)} ({'onder' if largest < VIF_LIMIT else 'boven'} de gangbare grens van "
        f"{fmt_num(VIF_LIMIT, 0)})"
    )
    if summary["skewness"].notna().any():
        parts.append(
            f"scheefheid van de residuen {_span(summary['skewness'])}, overtollige kurtosis "
            f"{_span(summary['excess_kurtosis'])}; Breusch–Pagan-toets op gelijke spreiding: kleinste "
            f"{fmt_p(summary['breusch_pagan_p'].min())}"
        )
    failed = int((~summary["converged"]).sum())
    if failed:
        which = "bij dit model" if len(summary) == 1 else f"bij {failed} van de {len(summary)} modellen"
        parts.append(
            f"{which} meldde de schatting een convergentieprobleem of een variantie tussen hogescholen op de "
            f"rand (nul)"
        )
    return "; ".join(parts)


def forest_frame(
    tables: Sequence[ModelTable], roles: Sequence[str] = ("predictor",), term_width: int = TERM_WIDTH
) -> pd.DataFrame:
    """Rows for :func:`~loopbaanleren.book.figures.forest_plot`: term (Dutch label), beta, ci_low, ci_high, panel.

    One panel per outcome (its Dutch label); only terms whose role is in ``roles``. Panel titles are wrapped
    to fit side by side on a book page, term labels to ``term_width`` characters per line.
    """
    tables = _non_empty(tables, "forest_frame")
    parts = [
        table.coefficients.loc[table.coefficients["role"].isin(roles), ["label", "beta", "ci_low", "ci_high"]]
        .rename(columns={"label": "term"})
        .assign(panel=_wrap(table.outcome_label, len(tables)))
        for table in tables
    ]
    frame = pd.concat(parts, ignore_index=True)
    if frame.empty:
        raise InputError(f"forest_frame: no terms with role {', '.join(roles)}")
    frame["term"] = [textwrap.fill(term, term_width, break_long_words=False) for term in frame["term"]]
    return frame


LOWESS_DELTA = 0.01
"""The residual plot's lowess line is fitted at points this share of the fitted values' range apart."""


def residual_plot(tables: Sequence[ModelTable], title: str = "") -> Plot:
    """Residuals against fitted values, one panel per outcome, with a lowess line and a zero line."""
    shown = [table for table in _non_empty(tables, "residual_plot") if table.residuals is not None]
    if not shown:
        raise InputError("residual_plot: ordinal models have no residuals to plot")
    apply_style()
    rows, columns = panel_grid(len(shown))
    fig = plt.figure(figsize=(PAGE_WIDTH, 1.2 + 2.2 * rows))
    panels = fig.subfigures()  # the panels and their axis labels: the legend then gets room of its own below
    grid = panels.subplots(rows, columns, squeeze=False, sharey=True)
    for ax in grid.ravel()[len(shown):]:
        ax.remove()
    axes = grid.ravel()[: len(shown)]
    largest = 0.0
    for ax, table in zip(axes, shown, strict=True):
        fitted, residual = table.residuals["fitted"], table.residuals["residual"]
        ax.scatter(fitted, residual, s=6, color=INK, alpha=max(0.08, min(0.4, 150 / len(fitted))), linewidths=0)
        # local fits 1% of the range apart, interpolated in between (statsmodels' advice for large n): the exact
        # lowess costs n times the neighbourhood, 40 s at 40,000 rows, for a line that differs by ~1e-3
        smooth = lowess(residual, fitted, frac=2 / 3, delta=LOWESS_DELTA * np.ptp(fitted), return_sorted=True)
        ax.plot(smooth[:, 0], smooth[:, 1], color=INK, linewidth=1.4, label="lowess-lijn")
        ax.axhline(0, color=INK, linestyle="--", linewidth=0.8, label="residu 0")
        ax.set_title(_wrap(table.outcome_label, columns), fontsize=9)
        largest = max(largest, float(np.abs(smooth[:, 1]).max()))
    panels.supxlabel("Voorspelde waarde (gestandaardiseerd)", fontsize=9)
    panels.supylabel("Residu", fontsize=9)
    set_title(fig, title)
    point = Line2D([], [], linestyle="none", marker="o", markersize=3, color=INK, label="respondent")
    legend_below(fig, 3, handles=[point, *axes[0].get_lines()])
    alt = (
        f"Spreidingsdiagrammen van residuen tegen voorspelde waarden voor {len(shown)} "
        f"{'model' if len(shown) == 1 else 'modellen'}, elk met een lowess-lijn; die lijn wijkt hooguit "
        f"{fmt_num(largest)} standaarddeviatie van nul af."
    )
    return Plot(fig, alt)


def _wrap(label: str, n_panels: int) -> str:
    """A panel title wrapped over lines so that ``n_panels`` side by side fit a book page."""
    return textwrap.fill(label, max(14, PAGE_CHARACTERS // n_panels), break_long_words=False)


def _span(values: pd.Series, digits: int = 2) -> str:
    """A range of numbers in Dutch ("0,15 tot 0,20"), or one number when they are all equal when shown."""
    low, high = fmt_num(values.min(), digits), fmt_num(values.max(), digits)
    return low if low == high else f"{low} tot {high}"


def _model_spec(ctx: Context, model_id: str, outcome: str | None = None) -> dict:
    """The registry's specification of ``model_id``, checked to have ``outcome``."""
    if model_id not in ctx.models:
        raise ParameterError(f"no model {model_id!r} in the claims registry; models are {', '.join(ctx.models)}")
    spec = ctx.models[model_id]
    if outcome is not None and outcome not in spec["outcomes"]:
        outcomes = ", ".join(spec["outcomes"])
        raise ParameterError(f"model {model_id!r} has no outcome {outcome!r}; outcomes are {outcomes}")
    return spec


def _vif(design: pd.DataFrame) -> list[float]:
    """VIF per column of the design (see :func:`loopbaanleren.stats.regression.vif`); 1 for a single term."""
    if design.shape[1] < 2:
        return [1.0] * design.shape[1]
    return list(vif(design, list(design.columns))["vif"])


def _non_empty(tables: Sequence[ModelTable], where: str) -> Sequence[ModelTable]:
    if not tables:
        raise InputError(f"{where}: no model tables given")
    return tables
