"""Every figure the package draws keeps its text inside the saved image, apart from other text and from its legends.

Each figure function runs on small inputs with the book's longest title and long labels; the saved image is then
measured (:func:`figure_helpers.text_problems`). A figure function the package adds must be added here as well.
"""

from __future__ import annotations

import inspect
import re
import textwrap
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from figure_helpers import text_problems
from matplotlib.text import Text
from simulated_helpers import simulated
from test_docstrings import public_objects

from loopbaanleren.book import figures, hypotheses, items, model_tables as regression, replicability, sectors
from loopbaanleren.book import multiverse_display
from loopbaanleren.book.figures import MIN_FONT_PT
from loopbaanleren.book.figure_output import smallest_font_pt
from loopbaanleren.robustness import multiverse_design, planner
from loopbaanleren.claims.qualitative_analysis import cooccurrence, presence_matrix
from loopbaanleren.data.segments import read_segments
from loopbaanleren.claims.context import Context
from loopbaanleren.book import qualitative_figures as qualitative_figures

TITLE = "Eigen inbreng in het gesprek met de studieloopbaanbegeleider per sector (studenten)"
"""The longest title of a figure in the book."""
LABELS = ["Ervaringen buiten school tellen mee bij de beoordeling", "Ik kan zelf keuzes maken in mijn studie",
          "Ik word geholpen bij het kiezen van een stage"]
ANSWERS = ["helemaal mee oneens", "mee oneens", "neutraal", "mee eens", "helemaal mee eens"]
FREQUENCIES = ["nooit", "1 keer per jaar", "2 tot 4 keer per jaar", "5 tot 8 keer per jaar", "meer dan 8 keer per\njaar"]


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def data() -> dict[str, pd.DataFrame]:
    return simulated(2026, 600, 150)


def shares(columns: list[str]) -> pd.DataFrame:
    values = np.random.default_rng(1).dirichlet(np.ones(len(columns)), size=len(LABELS))
    return pd.DataFrame(values, index=LABELS, columns=columns)


def intervals(labels: list[str]) -> pd.DataFrame:
    mean = np.linspace(2.2, 3.4, len(labels))
    return pd.DataFrame({"label": labels, "group": labels, "n": 40, "mean": mean, "ci_low": mean - 0.2,
                         "ci_high": mean + 0.2})


def coefficients(panels: list[str]) -> pd.DataFrame:
    """Coefficients of three terms per panel, their labels wrapped as :func:`loopbaanleren.book.hypotheses.forest` does."""
    terms = [textwrap.fill(label, hypotheses.LABEL_WIDTH) for label in LABELS]
    rows = [{"term": term, "panel": panel, "beta": beta, "ci_low": beta - 0.1, "ci_high": beta + 0.1}
            for panel in panels for term, beta in zip(terms, (0.3, 0.05, -0.2), strict=True)]
    return pd.DataFrame(rows)


def specifications() -> pd.DataFrame:
    """Rows of a small multiverse: every option of every choice once per claim, with a coefficient and a verdict."""
    mv = multiverse_design.load_multiverse()
    rows = []
    for claim in ("h1_a", "h1_b"):
        for name in multiverse_design.DIMENSIONS:
            for option in mv.dimensions[name].options:
                beta = 0.1 * len(rows) - 1
                rows.append({**mv.primary, name: option, "id": claim, "computed": beta,
                             "verdict": "reproduced" if beta > 0 else "undecided"})
    return pd.DataFrame(rows)


CASES = {
    "book.figures.diverging_stacked_bar": lambda data: figures.diverging_stacked_bar(shares(ANSWERS), ANSWERS, TITLE),
    "book.figures.share_bars": lambda data: figures.share_bars(shares(FREQUENCIES), FREQUENCIES, TITLE),
    "book.figures.count_bars": lambda data: figures.count_bars(pd.Series([120, 80, 40], index=LABELS), TITLE,
                                                          "aantal studenten", "sector"),
    "book.figures.level_plot": lambda data: figures.level_plot(intervals(LABELS), 2.5, (1, 4), TITLE),
    "book.figures.group_means_plot": lambda data: figures.group_means_plot(intervals(LABELS), 2.5, TITLE,
                                                                      scale_range=(1, 4)),
    "book.figures.forest_plot": lambda data: figures.forest_plot(coefficients(["Leermotivatie", "Keuzezekerheid",
                                                                          "Uitvaldreiging"]), TITLE),
    "book.figures.sign_matrix": lambda data: figures.sign_matrix(
        pd.DataFrame({"Leermotivatie": ["+", "0", "-"], "Keuzezekerheid": ["+", "+", "0"]}, index=LABELS),
        pd.DataFrame({"Leermotivatie": ["+", "+", "-"], "Keuzezekerheid": ["0", "+", None]}, index=LABELS),
        TITLE,
    ),
    "book.qualitative_figures.plot_presence": lambda data: qualitative_figures.plot_presence(
        presence_matrix(interviews())),
    "book.qualitative_figures.plot_cooccurrence": lambda data: qualitative_figures.plot_cooccurrence(
        cooccurrence(interviews())),
    "book.qualitative_figures.plot_steps": lambda data: qualitative_figures.plot_steps(),
    "book.multiverse_display.specification_curve": lambda data: multiverse_display.specification_curve(specifications(), TITLE),
    "book.model_tables.residual_plot": lambda data: regression.residual_plot(
        regression.model_tables(Context(data), "rq3_gesprek"), TITLE),
    "book.hypotheses.forest": lambda data: hypotheses.forest(regression.model_tables(Context(data), "h1"), TITLE),
    "book.replicability.kind_curves": lambda data: replicability.kind_curves(planner.load_result()),
    "book.items.AnswerShares.plot": lambda data: items.answer_shares(
        data["students"], "students", ["le_buiten_telt_mee", "le_alleen_gelaten", "le_docent_schrijft_voor"]
    ).plot(TITLE),
    "book.items.plot_levels": lambda data: items.plot_levels(
        items.mean_scores(data["students"], "students", ["praktijkgericht", "vraaggericht"]), TITLE, 10),
    "book.items.suppressed_plot": lambda data: items.suppressed_plot(TITLE, 10),
    "book.sectors.SectorComparison.plot": lambda data: sectors.compare_sectors(
        data["students"], "students", "vraaggericht", ["Techniek", "Economie"], min_cell=10).plot(TITLE),
}


def interviews() -> pd.DataFrame:
    return read_segments(Path(__file__).parent / "data" / "qualitative" / "small.csv")


def figure_functions() -> set[str]:
    """Every public function and method of the package that returns a figure (annotated ``-> Plot``)."""
    return {name.removeprefix("loopbaanleren.") for name, obj in public_objects()
            if inspect.isfunction(obj) and obj.__annotations__.get("return") in ("Plot", figures.Plot)}


def test_every_figure_function_is_checked():
    assert figure_functions() == set(CASES), "CASES should hold every figure function of the package"


DECIMAL_POINT = re.compile(r"\d\.(\d{1,2}|\d{4,})(?!\d)")
"""A number written with a decimal point ("0.4", "2.25"); a thousands point ("4.820") does not match."""


@pytest.mark.parametrize("name", CASES)
def test_no_text_is_cut_off_or_covered_by_a_legend_and_all_is_readable_and_dutch(name, data):
    figure = CASES[name](data).figure
    assert text_problems(figure) == []  # saved as the book saves it, so its axes have their Dutch tick labels
    assert smallest_font_pt(figure) >= MIN_FONT_PT
    shown = [text.get_text() for text in figure.findobj(Text) if text.get_visible() and text.get_text()]
    assert len(shown) > 3
    assert [text for text in shown if DECIMAL_POINT.search(text)] == []


@pytest.mark.parametrize("name", CASES)
def test_every_reference_line_is_in_a_legend(name, data):
    figure = CASES[name](data).figure
    legends = [legend for owner in (figure, *figure.subfigs, *figure.axes) for legend in
               ([owner.legend_] if getattr(owner, "legend_", None) else []) + list(getattr(owner, "legends", []))]
    entries = {text.get_text() for legend in legends for text in legend.get_texts()}
    dashed = [line for ax in figure.axes for line in ax.get_lines() if line.get_linestyle() == "--"]
    assert all(line.get_label() in entries for line in dashed), [line.get_label() for line in dashed]
