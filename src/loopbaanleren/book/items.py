"""What respondents answered, item by item and measure by measure, as the chapters show it.

* :func:`answer_shares`: per item the share of each answer category and the number of valid answers, with
  small cells suppressed; :meth:`AnswerShares.table` and :meth:`AnswerShares.plot` show them as a Dutch
  table and a diverging stacked bar chart; :func:`combine` puts several parts (e.g. students and
  counsellors on the same question) into one chart.
* :func:`mean_scores`: mean and cluster-robust 95% CI of scales or items; :func:`plot_levels` and
  :func:`mean_table` show them against the scale midpoint.
* :func:`population_differences`: counsellors against students on the same measure (Welch, Hedges' g),
  and :func:`difference_table` to show them.
* :func:`reliability`: Cronbach's α and McDonald's ω with CI for the scales a chapter uses.

Every function takes the survey data as read (codes, missing values as NaN) and the population's name.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from loopbaanleren import stats
from loopbaanleren.data.registry import load_registry
from loopbaanleren.data.codebook import item_scores, load_codebook
from loopbaanleren.data.disclosure import suppression_marker
from loopbaanleren.errors import InputError, ParameterError
from loopbaanleren.book.figures import (
    PAGE_WIDTH,
    STYLE,
    Plot,
    apply_style,
    diverging_stacked_bar,
    level_plot,
    set_title,
    share_bars,
    wrap_to_figure,
)
from loopbaanleren.book import cells
from loopbaanleren.data.frames import analysis_frame
from loopbaanleren.stats.reliability import N_BOOT, reliability_table

LABEL_WIDTH = 32
"""Characters per line of an item label in a chart (longer labels are wrapped)."""
CATEGORY_WIDTH = 22
"""Characters per line of an answer category in a chart's legend."""


@dataclass(frozen=True)
class AnswerShares:
    """Answer shares per item (rows, labelled) and category (columns, in answer order).

    ``shares`` holds proportions of the item's valid answers, NaN where fewer than ``min_cell`` respondents
    gave that answer; ``n`` the number of valid answers, NaN (and the whole row of ``shares`` NaN) where
    that is below ``min_cell``.
    """

    shares: pd.DataFrame
    n: pd.Series
    categories: tuple[str, ...]
    min_cell: int
    nominal: bool = False
    """True when the answers are categories without order (codebook type ``categorical``): plain bars."""

    def table(self, label_column: str = "vraag") -> pd.DataFrame:
        """A Dutch table: one row per item, the percentages per answer and n; suppressed cells marked."""
        marker = suppression_marker(self.min_cell)
        table = self.shares.map(lambda share: marker if pd.isna(share) else cells.pct(share))
        table["n"] = [marker if pd.isna(n) else cells.count(n) for n in self.n]
        return table.rename_axis(label_column).reset_index()

    def plot(self, title: str, order: Sequence[str] | None = None) -> Plot:
        """A diverging stacked bar chart of the items that are not suppressed (answers in ``order``).

        ``order`` runs from the most negative to the most positive answer; default: the answer order.
        """
        shown = self.shares[self.n.notna()]
        order = list(order or self.categories)
        unknown = [category for category in order if category not in self.categories]
        if unknown:
            raise InputError(f"AnswerShares.plot: {unknown} are not answers; answers are {list(self.categories)}")
        if shown.empty:
            return suppressed_plot(title, self.min_cell)
        wrapped = {category: _wrap(category, CATEGORY_WIDTH) for category in self.categories}
        data = shown.rename_axis("vraag").reset_index()
        shown = shown.rename(index=lambda label: _wrap(str(label), LABEL_WIDTH), columns=wrapped)
        if self.nominal:
            plot = share_bars(shown, [wrapped[category] for category in order], title)
        else:
            plot = diverging_stacked_bar(shown, [wrapped[category] for category in order], title)
        return plot._replace(data=data)


def answer_shares(
    data: pd.DataFrame,
    population: str,
    items: Sequence[str],
    min_cell: int = 10,
    labels: Mapping[str, str] | None = None,
) -> AnswerShares:
    """The answer shares of ``items`` (variables of ``population`` with the same answer categories).

    Rows are labelled with the codebook's Dutch item text, or with ``labels[item]`` where given. A share is
    the count of an answer over the item's non-missing answers (the same base as a percentage claim).
    """
    suppression_marker(min_cell)  # checks min_cell
    variables = _variables(population, items, "answer_shares")
    answers = {tuple(variables[item].values.items()) for item in items}
    if len(answers) > 1:
        raise InputError(f"answer_shares: items {list(items)} do not share one set of answer categories")
    values = variables[items[0]].values
    _require_columns(data, items, "answer_shares")
    labels = labels or {}
    shares, counts = {}, {}
    for item in items:
        answered = data[item].dropna()
        unknown = sorted(set(answered.unique()) - set(values))
        if unknown:
            shown = ", ".join(f"{value:g}" for value in unknown)
            raise InputError(f"answer_shares: item {item!r} has values {shown} outside its answer codes")
        count = answered.value_counts().reindex(list(values), fill_value=0)
        row = labels.get(item, variables[item].label_nl)
        counts[row] = len(answered)
        shares[row] = (count / max(len(answered), 1)).where(count >= min_cell).set_axis(list(values.values()))
    table = pd.DataFrame(shares).T
    n = pd.Series(counts, dtype=float)
    small = n < min_cell
    table.loc[small] = np.nan
    n[small] = np.nan
    nominal = variables[items[0]].type == "categorical"
    return AnswerShares(table.rename_axis(None), n, tuple(values.values()), min_cell, nominal)


def combine(parts: Sequence[AnswerShares]) -> AnswerShares:
    """Several :class:`AnswerShares` with the same answers and ``min_cell`` as one (rows in order)."""
    if not parts:
        raise InputError("combine: nothing to combine")
    if len({(part.categories, part.min_cell) for part in parts}) > 1:
        raise InputError("combine: the parts differ in answer categories or min_cell")
    shares = pd.concat([part.shares for part in parts])
    if shares.index.duplicated().any():
        raise InputError(f"combine: row labels {sorted(set(shares.index[shares.index.duplicated()]))} occur twice")
    return AnswerShares(
        shares, pd.concat([part.n for part in parts]), parts[0].categories, parts[0].min_cell, parts[0].nominal
    )


def mean_scores(
    data: pd.DataFrame, population: str, measures: Sequence[str], min_cell: int = 10, frame: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Mean of each measure (scale or item) with its 95% CI, cluster-robust over hogescholen (CR1, t(G - 1)).

    Columns: measure, label (codebook), population, n, mean, ci_low, ci_high. A measure with fewer than
    ``min_cell`` answers keeps its row with n, mean and CI missing. ``frame``: the analysis frame of ``data``
    when already made (e.g. :attr:`loopbaanleren.claims.context.Context.frames`).
    """
    suppression_marker(min_cell)  # checks min_cell
    _variables(population, measures, "mean_scores", scales=True)
    frame = _frame(data, population, "mean_scores", frame)
    cluster = frame[load_registry().rules["cluster_variable"]]
    codebook = load_codebook()
    rows = []
    for measure in measures:
        row = {"measure": measure, "label": codebook.label(population, measure), "population": population}
        answered = int(frame[measure].notna().sum())
        if answered >= min_cell:
            estimate = stats.mean_ci(frame[measure], cluster)
            row |= {"n": estimate.n, "mean": estimate.value, "ci_low": estimate.ci_low, "ci_high": estimate.ci_high}
        else:
            row |= dict.fromkeys(["n", "mean", "ci_low", "ci_high"], np.nan)
        rows.append(row)
    return pd.DataFrame(rows)


def plot_levels(scores: pd.DataFrame, title: str, min_cell: int) -> Plot:
    """:func:`mean_scores` as a level plot against the scale midpoint (suppressed measures left out).

    The measures must share one answer range; its midpoint is the reference line. Labels are wrapped.
    When every measure is suppressed the figure only says so (see :func:`suppressed_plot`).
    """
    shown = scores.dropna(subset=["mean"])
    if shown.empty:
        return suppressed_plot(title, min_cell)
    codebook = load_codebook()
    measures = [codebook.measure(p, name) for p, name in zip(shown["population"], shown["measure"])]
    ranges = {(measure.valid_min, measure.valid_max) for measure in measures}
    if len(ranges) > 1:
        raise InputError(f"plot_levels: the measures have different answer ranges {sorted(ranges)}")
    low, high = ranges.pop()
    labels = shown["label"].map(lambda label: _wrap(label, LABEL_WIDTH))
    return level_plot(shown.assign(label=labels), (low + high) / 2, (low, high), title=title)


def mean_table(scores: pd.DataFrame, min_cell: int) -> pd.DataFrame:
    """:func:`mean_scores` as a Dutch table: populatie, maat, n, gemiddelde and 95%-BI; suppressed rows marked."""
    marker = suppression_marker(min_cell)
    codebook = load_codebook()
    small = scores["n"].isna()
    return pd.DataFrame(
        {
            "populatie": [codebook.population(p).label_nl for p in scores["population"]],
            "maat": scores["label"],
            "n": [marker if s else cells.count(n) for s, n in zip(small, scores["n"])],
            "gemiddelde": [marker if s else cells.num(m, unit=cells.SCALE_SCORE) for s, m in zip(small, scores["mean"])],
            "95%-BI": [
                marker if s else cells.ci(lo, hi, unit=cells.SCALE_SCORE)
                for s, lo, hi in zip(small, scores["ci_low"], scores["ci_high"])
            ],
        }
    )


def population_differences(
    data: Mapping[str, pd.DataFrame], measures: Sequence[str], frames: Mapping[str, pd.DataFrame] | None = None
) -> pd.DataFrame:
    """Counsellors minus students on measures both questionnaires have: Welch's t test and Hedges' g.

    Uses :func:`loopbaanleren.stats.location.two_sample` (the test a ``population_difference`` claim uses).
    Columns: measure, label (the students' codebook label), n_students, mean_students, n_counsellors,
    mean_counsellors, diff, ci_low, ci_high, p, hedges_g, hedges_g_ci_low, hedges_g_ci_high. ``frames``: the
    analysis frames of ``data`` when already made (see :func:`mean_scores`).
    """
    made = frames or {}
    analysed = {}
    for population in ("students", "counsellors"):
        if population not in data:
            raise InputError(f"population_differences: no data of {population}")
        _variables(population, measures, "population_differences", scales=True)
        analysed[population] = _frame(data[population], population, "population_differences", made.get(population))
    codebook = load_codebook()
    rows = []
    for measure in measures:
        test = stats.two_sample(analysed["counsellors"][measure], analysed["students"][measure])
        rows.append(
            {
                "measure": measure,
                "label": codebook.label("students", measure),
                "n_students": test.n_y,
                "mean_students": test.mean_y,
                "n_counsellors": test.n_x,
                "mean_counsellors": test.mean_x,
                "diff": test.value,
                "ci_low": test.ci_low,
                "ci_high": test.ci_high,
                "p": test.p,
                "hedges_g": test.hedges_g,
                "hedges_g_ci_low": test.hedges_g_ci_low,
                "hedges_g_ci_high": test.hedges_g_ci_high,
            }
        )
    return pd.DataFrame(rows)


def difference_table(differences: pd.DataFrame) -> pd.DataFrame:
    """:func:`population_differences` as a Dutch table (p not adjusted for multiple testing)."""
    d = differences

    def mean_n(population: str) -> list[cells.Parts]:
        return [cells.mean_n(m, n, unit=cells.SCALE_SCORE) for m, n in zip(d[f"mean_{population}"], d[f"n_{population}"])]

    return pd.DataFrame(
        {
            "maat": d["label"],
            "studenten: gemiddelde (n)": mean_n("students"),
            "begeleiders: gemiddelde (n)": mean_n("counsellors"),
            "verschil (begeleiders − studenten)": [cells.num(x, unit=cells.SCALE_POINTS) for x in d["diff"]],
            "95%-BI": [cells.ci(lo, hi, unit=cells.SCALE_POINTS) for lo, hi in zip(d["ci_low"], d["ci_high"])],
            "Hedges' g [95%-BI]": [
                cells.estimate_ci(g, lo, hi, unit=cells.EFFECT_SIZE)
                for g, lo, hi in zip(d["hedges_g"], d["hedges_g_ci_low"], d["hedges_g_ci_high"])
            ],
            "p (Welch, ongecorrigeerd)": [cells.p_value(p) for p in d["p"]],
        }
    )


def reliability(
    data: pd.DataFrame, population: str, scales: Sequence[str], seed: int, n_boot: int = N_BOOT
) -> pd.DataFrame:
    """Reliability of ``scales`` as a Dutch table: schaal, items, n, α with Feldt CI, ω with bootstrap CI.

    Reverse-keyed items are flipped first; see :func:`loopbaanleren.stats.reliability.reliability_table`.
    """
    codebook = load_codebook()
    known = codebook.scales(population) if population in codebook.populations else {}
    unknown = [name for name in scales if name not in known]
    if unknown or population not in codebook.populations:
        raise InputError(f"reliability: {unknown or population!r} not among the {population} scales of the codebook")
    chosen = {name: known[name] for name in scales}
    _require_columns(data, [item for scale in chosen.values() for item in scale.items], "reliability")
    items = pd.concat([item_scores(data, scale) for scale in chosen.values()], axis=1)
    table = reliability_table(items, {name: scale.items for name, scale in chosen.items()}, seed=seed, n_boot=n_boot)
    return pd.DataFrame(
        {
            "schaal": [chosen[name].label_nl for name in table["scale"]],
            "items": table["n_items"],
            "n": table["n"],
            "α": table["alpha"],
            "95%-BI α": [cells.ci(lo, hi) for lo, hi in zip(table["alpha_ci_low"], table["alpha_ci_high"])],
            "ω": table["omega"],
            "95%-BI ω": [cells.ci(lo, hi) for lo, hi in zip(table["omega_ci_low"], table["omega_ci_high"])],
        }
    )


def _variables(population: str, names: Sequence[str], where: str, scales: bool = False) -> dict:
    """The codebook entries of ``names`` (variables, and scales when allowed); unknown names are an error."""
    codebook = load_codebook()
    if population not in codebook.populations:
        raise ParameterError(f"{where}: unknown population {population!r}; use one of {list(codebook.populations)}")
    if not names:
        raise ParameterError(f"{where}: no items or measures given")
    known = dict(codebook.variables(population))
    if scales:
        known |= codebook.scales(population)
    unknown = [name for name in names if name not in known]
    if unknown:
        raise InputError("\n".join(f"{where}: {name!r} is not in the {population} codebook" for name in unknown))
    coded = [name for name in names if not scales and not known[name].coded]
    if coded:
        raise InputError("\n".join(f"{where}: {name!r} has no answer categories" for name in coded))
    return {name: known[name] for name in names}


def _require_columns(data: pd.DataFrame, columns: Sequence[str], where: str) -> None:
    if not isinstance(data, pd.DataFrame):
        raise InputError(f"{where}: expected the survey data as a DataFrame, got {type(data).__name__}")
    missing = [name for name in columns if name not in data]
    if missing:
        raise InputError("\n".join(f"{where}: column {name!r} not found in the survey data" for name in missing))


def _frame(data: pd.DataFrame, population: str, where: str, frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """The analysis frame (scale scores, labelled sector and hogeschool) of the survey data: ``frame`` when
    already made."""
    _require_columns(data, [], where)
    if frame is not None:
        return frame
    try:
        return analysis_frame(data, population)
    except KeyError as missing:
        raise InputError(f"{where}: column {missing} not found in the survey data") from None


def suppressed_plot(title: str, min_cell: int) -> Plot:
    """A figure in place of one whose every group or item has fewer than ``min_cell`` respondents."""
    apply_style()
    figure, ax = plt.subplots(figsize=(PAGE_WIDTH, 1.2))
    text = f"Niet getoond: elke groep of vraag heeft minder dan {min_cell} respondenten."
    ax.text(0.5, 0.5, wrap_to_figure(figure, text, STYLE["font.size"]), ha="center", va="center",
            transform=ax.transAxes)
    ax.set_axis_off()
    set_title(figure, title)
    return Plot(figure, f"{title}: {text}")


def _wrap(text: str, width: int) -> str:
    """Text broken into lines of at most ``width`` characters, words kept whole."""
    return textwrap.fill(text, width, break_long_words=False, break_on_hyphens=False)
