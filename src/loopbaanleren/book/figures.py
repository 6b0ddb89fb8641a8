"""The book's figure style and plots.

:func:`apply_style` is the one definition of how figures look: sizes for a book page, readable fonts,
colours whose lightness differs (so they survive greyscale printing) and hatches where colour alone would
have to tell categories apart. Numbers on axes and in descriptions use the Dutch decimal comma (descriptions through
:mod:`loopbaanleren.book.report`).

Figures are designed for a phone: :data:`PAGE_WIDTH` is narrow enough that text of :data:`MIN_FONT_PT` points is
still 9 CSS px high when the image is scaled down to a phone's column (342 px at 390 px), so one image serves every
screen; panels that would be too narrow side by side are stacked (:func:`panel_grid`). Every number on an axis,
a colour bar or a tick is Dutch ("0,4", "4.820"): :func:`dutch_numbers` gives each numeric axis a
:class:`DutchFormatter` when the figure is saved.

Convention: every plot function applies the style, takes its Dutch labels from the caller and returns a
:class:`Plot`, a named tuple ``(figure, alt, data)``: the matplotlib Figure, a one-sentence Dutch
description of it built from the data (alt text and caption), and the table the figure draws (offered as CSV
under the figure by :func:`loopbaanleren.book.figure_output.show_figure`, so ``show_figure(*plot)`` shows all three).

A figure keeps its physical size: it is saved without a tight bounding box (constrained layout makes room for the
labels), so its text is as large on the page as its font size says. So that no text is cut off at the figure's
edge, a title spans the whole figure and is wrapped to its width (:func:`set_title`), and a legend under the axes
gets room of its own and as many columns as fit (:func:`legend_below`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib import ticker
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.textpath import TextToPath

from loopbaanleren.errors import InputError
from loopbaanleren.book.formatting import fmt_bound, fmt_n, fmt_num, fmt_pct

PAGE_WIDTH = 4.6
"""Width of a figure in inches (11.7 cm): its text of :data:`MIN_FONT_PT` points is 9.3 CSS px high when the image is
scaled to the 342 px that a notebook's output gets in a 390 px phone (``9 * 96/72 * 342 / (4.6 * 96)``), and 12 px at
its own size."""

MIN_FONT_PT = 9
"""The smallest font size (points) of any text in a figure."""

LABEL_SHARE = 0.45
"""The most of a figure's width that a row's label may take (:func:`row_labels` wraps longer ones)."""

MAX_PANEL_COLUMNS = 2
"""The most panels side by side in :data:`PAGE_WIDTH`; more are stacked in rows (:func:`panel_grid`)."""

INK = "0.15"
"""Colour of points, intervals and reference lines: near-black."""

NEUTRAL = (0.8, 0.8, 0.8)
"""Colour of a middle answer category, darker than the page so the bar stays visible."""

NEGATIVE_HATCH = "///"
"""Hatch of the negative answer categories, so that sides differ without colour."""

STYLE: dict[str, object] = {
    "figure.figsize": (PAGE_WIDTH, 3.6),
    "figure.dpi": 110,
    "savefig.dpi": 200,
    "savefig.bbox": None,
    "figure.constrained_layout.use": True,
    "font.family": "DejaVu Sans",
    "text.parse_math": False,  # a label from the data ("$x$", an interview id) is text, never mathtext
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.titlelocation": "left",
    "axes.labelsize": 10,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "legend.fontsize": 9,
    "legend.frameon": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "hatch.linewidth": 0.6,
    "hatch.color": "0.25",
    "axes.unicode_minus": True,
}
"""Matplotlib settings on top of seaborn's white-grid theme."""

LINE_SPACING = 1.3
"""Height of a line of text in font sizes (matplotlib's 1.2 and a little room)."""

ROW_GAP = 0.1
"""Least white space in inches between the labels of two rows (see :func:`row_height`)."""

SIGNS = {"+": "+", "-": "−", "−": "−", "0": "0"}
"""Accepted spellings of a coefficient's sign in :func:`sign_matrix`, mapped to how they are shown."""


class Plot(NamedTuple):
    """A figure with its one-sentence Dutch description and the data it draws."""

    figure: Figure
    alt: str
    data: pd.DataFrame | None = None


def apply_style() -> None:
    """Set the book's figure style for all figures made from now on."""
    sns.set_theme(context="paper", style="whitegrid", palette=likert_colors(4))
    plt.rcParams.update(STYLE)


def likert_colors(n_categories: int) -> list:
    """Diverging red–blue colours for answer categories from most negative to most positive.

    Lightness rises towards the middle of the scale, so strong and mild answers differ in greyscale; a
    middle (neutral) category is light grey. The sides themselves are told apart by position and by
    :data:`NEGATIVE_HATCH`.
    """
    colors = sns.color_palette("RdBu", n_colors=n_categories)
    if n_categories % 2:
        colors[n_categories // 2] = NEUTRAL
    return colors


class DutchFormatter(ticker.ScalarFormatter):
    """Matplotlib's tick labels (as many decimals as the ticks' spacing needs, no offset) in Dutch: a decimal
    comma, a thousands point and a true minus sign (:func:`~loopbaanleren.book.formatting.fmt_num`)."""

    def __init__(self) -> None:
        super().__init__(useOffset=False, useMathText=False)
        self.set_scientific(False)

    def __call__(self, x: float, pos: int | None = None) -> str:
        shown = super().__call__(x, pos).replace("\u2212", "-")
        if not shown:
            return shown
        return fmt_num(float(shown), len(shown.partition(".")[2]))


class DutchLogFormatter(ticker.LogFormatter):
    """Tick labels of a log axis as plain Dutch numbers ("1.000", "0,1"), no powers of ten."""

    def __call__(self, x: float, pos: int | None = None) -> str:
        shown = super().__call__(x, pos)
        return fmt_bound(x) if shown else shown


def dutch_numbers(fig: Figure) -> None:
    """Give every numeric axis of ``fig`` (colour bars too) Dutch tick labels: an axis with matplotlib's default
    labels gets a :class:`DutchFormatter` (a log axis a :class:`DutchLogFormatter`); labels a plot chose itself
    (categories, percentages) are kept."""
    for ax in fig.get_axes():
        for axis in (ax.xaxis, ax.yaxis):
            for formatter, setter in ((axis.get_major_formatter(), axis.set_major_formatter),
                                      (axis.get_minor_formatter(), axis.set_minor_formatter)):
                if isinstance(formatter, ticker.LogFormatter) and not isinstance(formatter, DutchLogFormatter):
                    setter(DutchLogFormatter(base=formatter._base, labelOnlyBase=formatter.labelOnlyBase,
                                             minor_thresholds=formatter.minor_thresholds))
                elif type(formatter) is ticker.ScalarFormatter:
                    setter(DutchFormatter())


def panel_grid(n_panels: int) -> tuple[int, int]:
    """Rows and columns for ``n_panels`` panels: at most :data:`MAX_PANEL_COLUMNS` side by side."""
    columns = min(n_panels, MAX_PANEL_COLUMNS)
    return -(-n_panels // columns), columns


def text_width(text: str, size: float) -> float:
    """Width in inches of the widest line of ``text`` in the book's font at ``size`` points."""
    font, paths = FontProperties(family=STYLE["font.family"], size=size), TextToPath()
    return max(paths.get_text_width_height_descent(line, font, ismath=False)[0] for line in text.split("\n")) / 72


def wrap_to_width(text: str, width: float, size: float) -> str:
    """``text`` broken between words so that no line is wider than ``width`` inches at ``size`` points."""
    lines = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):  # a no-break space (as in "n\u00a0=\u00a0241") keeps its words together
            if not word:
                continue
            longer = f"{line} {word}" if line else word
            if line and text_width(longer, size) > width:
                lines.append(line)
                longer = word
            line = longer
        lines.append(line)
    return "\n".join(lines)


def row_labels(labels: Sequence[object]) -> list[str]:
    """Labels of a chart's rows as text, each wrapped to at most :data:`LABEL_SHARE` of the figure's width."""
    return [wrap_to_width(re.sub(r"[ \t\n]+", " ", str(label)).strip(), LABEL_SHARE * PAGE_WIDTH,
                          STYLE["ytick.labelsize"]) for label in labels]


def row_height(labels: Sequence[object], least: float) -> float:
    """Height in inches of a row of a chart with one row per label: ``least``, or room for its longest label."""
    lines = max((str(label).count("\n") + 1 for label in labels), default=1)
    return max(least, lines * STYLE["ytick.labelsize"] * LINE_SPACING / 72 + ROW_GAP)


def _edge() -> float:
    """The layout's margin at the figure's edge, in inches."""
    return float(plt.rcParams["figure.constrained_layout.w_pad"])


def wrap_to_figure(fig: Figure, text: str, size: float) -> str:
    """``text`` broken between words so that it fits the width of ``fig`` (inside the layout's margins)."""
    return wrap_to_width(text, fig.get_figwidth() - 2 * _edge(), size)


def set_title(fig: Figure, title: str) -> None:
    """Give ``fig`` the title ``title`` (none when empty): left-aligned above all axes, wrapped to the figure's width."""
    if title:
        size = STYLE["axes.titlesize"]
        fig.suptitle(wrap_to_figure(fig, title, size), x=_edge() / fig.get_figwidth(), ha="left", fontsize=size)


def legend_below(fig: Figure, max_columns: int, **options) -> Legend:
    """A figure legend under the axes, with room of its own (constrained layout), in as many columns (at most
    ``max_columns``) as fit the figure's width; ``options`` go to :meth:`~matplotlib.figure.Figure.legend`."""
    room = fig.bbox.width - 2 * _edge() * fig.dpi
    columns = max(max_columns, 1)
    legend = fig.legend(loc="outside lower center", ncol=columns, **options)
    while columns > 1 and legend.get_window_extent(fig.canvas.get_renderer()).width > room:
        legend.remove()
        columns -= 1
        legend = fig.legend(loc="outside lower center", ncol=columns, **options)
    return legend


def diverging_stacked_bar(shares: pd.DataFrame, order: Sequence[str], title: str) -> Plot:
    """Likert-style bars: per item (row) the shares of the answer categories ``order``, centred on zero.

    ``shares`` has one row per item (index = Dutch item label) and one column per answer category;
    values are proportions (0–1). ``order`` lists the categories from most negative to most positive:
    the first half lies left of zero, the second half right of it and, for an odd number of categories,
    the middle one straddles zero. Two, three and four categories all work.
    """
    missing = [category for category in order if category not in shares.columns]
    if missing or len(order) < 2:
        raise InputError(
            f"diverging_stacked_bar: categories {missing or list(order)} not usable; "
            f"columns are {list(shares.columns)}"
        )
    values = shares[list(order)].astype(float).fillna(0.0)
    if (values < 0).any().any() or (values.sum(axis=1) > 1 + 1e-6).any():
        raise InputError(
            "diverging_stacked_bar: shares must be proportions between 0 and 1 that sum to at most 1 per item"
        )
    apply_style()
    k = len(order)
    n_negative = k // 2
    percent = values.to_numpy() * 100
    left = -(percent[:, :n_negative].sum(axis=1) + (percent[:, n_negative] / 2 if k % 2 else 0))
    labels = row_labels(values.index)
    legend_rows = -(-k // 3)  # the legend under the bars: about three answers to a row at this width
    fig, ax = plt.subplots(figsize=(PAGE_WIDTH, 1.2 + 0.2 * legend_rows + row_height(labels, 0.45) * len(values)))
    positions = np.arange(len(values))
    for j, (category, color) in enumerate(zip(order, likert_colors(k), strict=True)):
        ax.barh(
            positions,
            percent[:, j],
            left=left,
            color=color,
            edgecolor="white",
            linewidth=0.5,
            hatch=NEGATIVE_HATCH if j < n_negative else None,
            label=category,
        )
        left = left + percent[:, j]
    ax.axvline(0, color=INK, linewidth=0.8)
    reach = 10 * np.ceil(max(np.abs(left).max(), np.abs(left - percent.sum(axis=1)).max()) / 10)
    ax.set_xlim(-reach, reach)
    ax.set_yticks(positions, labels=labels)
    ax.invert_yaxis()
    ax.xaxis.set_major_formatter(ticker.FuncFormatter(lambda v, _: f"{abs(v):.0f}%"))
    ax.set_xlabel("Percentage respondenten")
    set_title(fig, title)
    legend_below(fig, k)
    positive = percent[:, k - n_negative :].sum(axis=1)
    top = int(np.argmax(positive))
    alt = (
        f"Gestapeld staafdiagram van {_count(len(values), 'item', 'items')} met de antwoorden {', '.join(order)}: "
        f"negatieve antwoorden links van nul, positieve rechts; het grootste aandeel positieve antwoorden "
        f"heeft ‘{values.index[top]}’ ({fmt_pct(positive[top] / 100)})."
    )
    return Plot(fig, alt, values.rename_axis("vraag").reset_index())


def share_bars(shares: pd.DataFrame, order: Sequence[str], title: str) -> Plot:
    """Plain bars for answers without order (nominal categories): per item (row) the share of each category.

    ``shares`` as for :func:`diverging_stacked_bar`; the categories are drawn side by side in the order
    ``order``, in one neutral colour with a hatch per category, and each bar is labelled with its percentage.
    """
    missing = [category for category in order if category not in shares.columns]
    if missing or not len(order):
        raise InputError(f"share_bars: categories {missing or list(order)} not usable; columns are {list(shares.columns)}")
    values = shares[list(order)].astype(float)
    apply_style()
    k, n_items = len(order), len(values)
    fig, ax = plt.subplots(figsize=(PAGE_WIDTH, 1.0 + 0.32 * k * n_items + 0.3 * n_items))
    height = 0.8 / k
    hatches = ["", "///", "...", "xx", "\\\\", "++", "oo"]
    for j, category in enumerate(order):
        y = np.arange(n_items) + (j - (k - 1) / 2) * height
        percent = values[category].to_numpy() * 100
        bars = ax.barh(y, np.nan_to_num(percent), height=height * 0.92, color=sns.color_palette("Blues", k + 1)[j + 1],
                       edgecolor=INK, linewidth=0.5, hatch=hatches[j % len(hatches)], label=category)
        ax.bar_label(bars, labels=[fmt_pct(p / 100) if not np.isnan(p) else "" for p in percent], padding=2,
                     fontsize=9)
    ax.set_yticks(np.arange(n_items), labels=row_labels(values.index))
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.xaxis.set_major_formatter(ticker.FuncFormatter(lambda v, _: f"{v:.0f}%"))
    ax.set_xlabel("Percentage respondenten")
    set_title(fig, title)
    legend_below(fig, 3)
    top = values.stack().idxmax() if values.notna().any().any() else None
    alt = (
        f"Staafdiagram van {_count(n_items, 'vraag', 'vragen')} met de antwoorden {', '.join(order)} naast elkaar"
        + (f"; het grootste aandeel heeft ‘{top[1]}’ bij ‘{top[0]}’ ({fmt_pct(values.loc[top[0], top[1]])})." if top else ".")
    )
    return Plot(fig, alt, values.rename_axis("vraag").reset_index())


def count_bars(counts: pd.Series, title: str, xlabel: str, subject: str) -> Plot:
    """Horizontal bars of ``counts`` (index: category labels), first category on top.

    The alt text names each bar with its count: "Staafdiagram van het <xlabel> per <subject>: A 12; B 30.".
    """
    apply_style()
    fig, ax = plt.subplots(figsize=(PAGE_WIDTH, 3.5))
    ax.barh(row_labels(counts.index), counts.to_numpy(), color=likert_colors(4)[-1])
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    set_title(fig, title)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    shown = "; ".join(f"{label} {fmt_num(count, 0)}" for label, count in counts.items())
    alt = f"Staafdiagram van het {xlabel} per {subject}: {shown}."
    return Plot(fig, alt, counts.rename(xlabel).rename_axis(subject).reset_index())


def level_plot(
    estimates: pd.DataFrame,
    midpoint: float,
    scale_range: tuple[float, float],
    title: str = "",
    xlabel: str = "Gemiddelde score",
) -> Plot:
    """Mean and CI per scale (columns label, mean, ci_low, ci_high) with a vertical line at ``midpoint``."""
    _require(estimates, ["label", "mean", "ci_low", "ci_high"], "level_plot")
    apply_style()
    fig, ax = _interval_axes(estimates["label"].astype(str), estimates, title, xlabel)
    _interval_legend(fig, _midpoint_line(ax, midpoint))
    ax.set_xlim(*scale_range)
    above = int((estimates["mean"] > midpoint).sum())
    alt = (
        f"Gemiddelde scores met 95%-betrouwbaarheidsinterval voor {_count(len(estimates), 'schaal', 'schalen')} "
        f"op een schaal "
        f"van {fmt_num(scale_range[0], 0)} tot {fmt_num(scale_range[1], 0)}; {above} daarvan "
        f"{'ligt' if above == 1 else 'liggen'} boven het schaalmidden ({fmt_num(midpoint, 1)})."
    )
    return Plot(fig, alt, estimates.copy())


def group_means_plot(
    table: pd.DataFrame,
    midpoint: float | None = None,
    title: str = "",
    xlabel: str = "Gemiddelde score",
    scale_range: tuple[float, float] | None = None,
) -> Plot:
    """Mean and CI per group (columns group, mean, ci_low, ci_high, n); labels show the group size.

    Groups are ordered by their mean, highest on top. ``scale_range`` fixes the axis to the whole answer scale,
    so that plots of the same scale share one axis.
    """
    _require(table, ["group", "mean", "ci_low", "ci_high", "n"], "group_means_plot")
    table = table.sort_values("mean", ascending=False, kind="stable").reset_index(drop=True)
    apply_style()
    labels = [f"{group} (n\u00a0=\u00a0{fmt_n(n)})" for group, n in zip(table["group"], table["n"], strict=True)]
    fig, ax = _interval_axes(pd.Series(labels), table, title, xlabel)
    _interval_legend(fig, None if midpoint is None else _midpoint_line(ax, midpoint))
    if scale_range is not None:
        ax.set_xlim(*scale_range)
    high, low = table.loc[table["mean"].idxmax()], table.loc[table["mean"].idxmin()]
    alt = (
        f"Groepsgemiddelden met 95%-betrouwbaarheidsinterval voor {_count(len(table), 'groep', 'groepen')}; "
        f"het hoogst scoort "
        f"{high['group']} ({fmt_num(high['mean'])}), het laagst {low['group']} ({fmt_num(low['mean'])})."
    )
    return Plot(fig, alt, table[["group", "n", "mean", "ci_low", "ci_high"]].copy())


def forest_plot(coefs: pd.DataFrame, title: str = "", xlabel: str = "Gestandaardiseerde coëfficiënt (β)") -> Plot:
    """Coefficients with CIs (columns term, beta, ci_low, ci_high); one panel per value of 'panel' if present.

    Terms keep the order of their first appearance. A filled point marks an interval that excludes zero,
    an open point one that includes zero.
    """
    _require(coefs, ["term", "beta", "ci_low", "ci_high"], "forest_plot")
    apply_style()
    panels = list(dict.fromkeys(coefs["panel"])) if "panel" in coefs else [None]
    terms = list(dict.fromkeys(coefs["term"]))
    rows, columns = panel_grid(len(panels))
    labels = text_width("\n".join(map(str, terms)), STYLE["ytick.labelsize"])
    panel_width = (PAGE_WIDTH - labels - 2 * _edge()) / columns - 2 * _edge()  # about, before the layout
    titles = [wrap_to_width(str(panel), panel_width, STYLE["axes.labelsize"]) for panel in panels]
    title_lines = max(title.count("\n") + 1 for title in titles) if panels != [None] else 0
    row = row_height(terms, 0.35) * len(terms) + title_lines * STYLE["axes.labelsize"] * LINE_SPACING / 72 + 0.35
    fig = plt.figure(figsize=(PAGE_WIDTH, 0.7 + rows * row))
    # the panels and their x label in a subfigure of their own: the figure's legend then gets room under the label
    panels_figure = fig.subfigures()
    grid = panels_figure.subplots(rows, columns, sharey=True, squeeze=False)
    for ax in grid.ravel()[len(panels):]:
        ax.remove()
    axes = grid.ravel()[: len(panels)]
    for ax, panel, panel_title in zip(axes, panels, titles, strict=True):
        part = coefs if panel is None else coefs[coefs["panel"] == panel]
        y = part["term"].map({term: i for i, term in enumerate(terms)}).to_numpy()
        excludes = _excludes_zero(part).to_numpy()
        ax.hlines(y, part["ci_low"], part["ci_high"], color=INK, linewidth=1)
        for filled in (True, False):
            ax.scatter(
                part["beta"][excludes == filled],
                y[excludes == filled],
                marker="o",
                s=22,
                color=INK if filled else "white",
                edgecolor=INK,
                zorder=3,
            )
        zero = _reference_line(ax, 0, "β = 0: geen verband")
        if panel is not None:
            ax.set_title(panel_title, fontsize=STYLE["axes.labelsize"])
    axes[0].set_yticks(range(len(terms)), labels=[str(term) for term in terms])
    axes[0].invert_yaxis()
    panels_figure.supxlabel(xlabel, fontsize=STYLE["axes.labelsize"])
    set_title(fig, title)
    legend_below(
        fig,
        3,
        handles=[
            Line2D([], [], linestyle="none", marker="o", color=INK, markerfacecolor=INK, label="interval sluit nul uit"),
            Line2D([], [], linestyle="none", marker="o", color=INK, markerfacecolor="white", label="interval omvat nul"),
            zero,
        ],
    )
    alt = (
        f"Bosdiagram van gestandaardiseerde coëfficiënten met 95%-betrouwbaarheidsinterval voor "
        f"{_count(len(terms), 'term', 'termen')} in {_count(len(panels), 'model', 'modellen')}; "
        f"{int(_excludes_zero(coefs).sum())} van de {len(coefs)} intervallen sluiten nul uit "
        f"(gevulde punten; open punten: het interval omvat nul)."
    )
    return Plot(fig, alt, coefs.copy())


def sign_matrix(published: pd.DataFrame, found: pd.DataFrame, title: str = "") -> Plot:
    """Published versus found sign per predictor (rows) and outcome (columns), with agreement marked.

    Cells hold "+", "−" (or "-") or "0"; an empty or missing cell means not assessed. Each cell shows
    "published / found"; a white cell agrees, a grey hatched cell does not.
    """
    if not (published.index.equals(found.index) and published.columns.equals(found.columns)):
        raise InputError("sign_matrix: published and found must have the same predictors (rows) and outcomes (columns)")
    shown = {name: _signs(frame, name) for name, frame in (("published", published), ("found", found))}
    apply_style()
    n_rows, n_cols = published.shape
    rows = row_labels(published.index)
    size = STYLE["xtick.labelsize"]
    labels = text_width("\n".join(rows), size)
    width = min(PAGE_WIDTH, labels + 0.5 + 1.1 * n_cols)
    columns = [str(c) for c in published.columns]
    upright = text_width("\n".join(columns), size) < (width - labels - 0.4) / n_cols - 0.1  # else turned on end
    top = 0.3 if upright else text_width("\n".join(columns), size)
    fig, ax = plt.subplots(figsize=(width, 0.6 + top + row_height(rows, 0.4) * n_rows))
    agree = assessed = 0
    for i in range(n_rows):
        for j in range(n_cols):
            first, second = shown["published"].iat[i, j], shown["found"].iat[i, j]
            both = bool(first and second)
            same = both and first == second
            assessed, agree = assessed + both, agree + same
            ax.add_patch(
                Rectangle(
                    (j, i), 1, 1,
                    facecolor="white" if same or not both else "0.8",
                    hatch=None if same or not both else NEGATIVE_HATCH,
                    edgecolor="0.6",
                    linewidth=0.6,
                )
            )
            ax.text(
                j + 0.5, i + 0.5, f"{first or '·'} / {second or '·'}", ha="center", va="center", color=INK,
                bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "none"},
            )
    ax.set_xlim(0, n_cols)
    ax.set_ylim(n_rows, 0)
    ax.set_xticks(np.arange(n_cols) + 0.5, labels=columns, rotation=0 if upright else 90)
    ax.set_yticks(np.arange(n_rows) + 0.5, labels=rows)
    ax.xaxis.tick_top()
    ax.tick_params(length=0)
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(False)
    legend_below(
        fig,
        2,
        handles=[
            Patch(facecolor="white", edgecolor="0.6", label="overeenstemming"),
            Patch(facecolor="0.8", edgecolor="0.6", hatch=NEGATIVE_HATCH, label="afwijking"),
        ],
        title="per cel: gepubliceerd / gevonden (· = niet getoetst)",
    )
    set_title(fig, title)
    alt = (
        f"Tekenmatrix van {n_rows} voorspellers bij {n_cols} uitkomsten: in {agree} van de {assessed} "
        f"getoetste cellen komt het gevonden teken overeen met het gepubliceerde."
    )
    data = shown["published"].stack().rename("gepubliceerd").to_frame().join(shown["found"].stack().rename("gevonden"))
    return Plot(fig, alt, data.rename_axis(["voorspeller", "uitkomst"]).reset_index())


def _interval_axes(labels: pd.Series, table: pd.DataFrame, title: str, xlabel: str) -> tuple[Figure, plt.Axes]:
    """Horizontal point-and-interval chart, first row on top."""
    labels = row_labels(labels)
    fig, ax = plt.subplots(figsize=(PAGE_WIDTH, 1.0 + row_height(labels, 0.4) * len(table)))
    y = np.arange(len(table))
    ax.hlines(y, table["ci_low"], table["ci_high"], color=INK, linewidth=1.2)
    ax.plot(table["mean"], y, linestyle="none", marker="o", color=INK, markersize=6)
    ax.set_yticks(y, labels=list(labels))
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    set_title(fig, title)
    return fig, ax


def _reference_line(ax: plt.Axes, x: float, label: str) -> Line2D:
    """A dashed vertical line at ``x`` (a scale's midpoint, zero), labelled for the legend."""
    return ax.axvline(x, color=INK, linestyle="--", linewidth=0.8, label=label)


def _midpoint_line(ax: plt.Axes, midpoint: float) -> Line2D:
    """The dashed line at a scale's midpoint, labelled for the legend."""
    return _reference_line(ax, midpoint, f"schaalmidden ({fmt_num(midpoint, 1)})")


def _interval_legend(fig: Figure, reference: Line2D | None) -> None:
    """The legend of a point-and-interval chart: the point with its interval, and the reference line if any."""
    point = Line2D([], [], color=INK, marker="o", markersize=6, linewidth=1.2, label="gemiddelde met 95%-interval")
    legend_below(fig, 2, handles=[point] if reference is None else [point, reference])


def _excludes_zero(coefs: pd.DataFrame) -> pd.Series:
    return (coefs["ci_low"] > 0) | (coefs["ci_high"] < 0)


def _count(n: int, singular: str, plural: str) -> str:
    return f"{n} {singular if n == 1 else plural}"


def _require(table: pd.DataFrame, columns: Sequence[str], where: str) -> None:
    missing = [column for column in columns if column not in table]
    if missing:
        raise InputError(f"{where}: column(s) {missing} not found; columns are {list(table.columns)}")
    if len(table) == 0:
        raise InputError(f"{where}: nothing to plot")


def _signs(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """Signs as shown ("+", "−", "0", or "" when not assessed); unknown spellings are an error."""
    text = frame.astype(object).where(frame.notna(), "").map(lambda cell: str(cell).strip())
    bad = sorted({cell for cell in text.to_numpy().ravel() if cell and cell not in SIGNS})
    if bad:
        raise InputError(f"sign_matrix: {name} holds {bad}; use '+', '-' or '0'")
    return text.map(lambda cell: SIGNS.get(cell, ""))
