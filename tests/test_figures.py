"""Figures render, show one mark per input row, put answers on the right side and follow the style."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.patches import Rectangle

from loopbaanleren.errors import InputError
from loopbaanleren.book.figure_output import png_bytes
from loopbaanleren.book.figures import (
    STYLE,
    Plot,
    apply_style,
    diverging_stacked_bar,
    forest_plot,
    group_means_plot,
    level_plot,
    sign_matrix,
)

ITEMS = ["Ervaringen buiten school tellen mee", "Ik kan zelf keuzes maken", "Ik word geholpen bij het kiezen"]
SCALES = {
    2: ["nee", "ja"],
    3: ["oneens", "neutraal", "eens"],
    4: ["helemaal oneens", "oneens", "eens", "helemaal eens"],
}


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def bars(fig) -> list[Rectangle]:
    ax = fig.axes[0]
    return [patch for container in ax.containers for patch in container.patches]


def tick_texts(axis) -> list[str]:
    """The tick labels of ``axis`` as the book saves its figure (:func:`loopbaanleren.book.figure_output.png_bytes`)."""
    png_bytes(axis.figure)
    low, high = sorted(axis.get_view_interval())
    return [label.get_text() for label, at in zip(axis.get_ticklabels(), axis.get_majorticklocs(), strict=True)
            if label.get_text() and low <= at <= high]


def test_apply_style_sets_the_book_style():
    plt.rcdefaults()
    apply_style()
    assert plt.rcParams["font.size"] == STYLE["font.size"]
    assert tuple(plt.rcParams["figure.figsize"]) == STYLE["figure.figsize"]
    assert plt.rcParams["axes.spines.top"] is False


@pytest.mark.parametrize("k", [2, 3, 4])
def test_diverging_bar_puts_negative_answers_left_of_zero(k):
    order = SCALES[k]
    rng = np.random.default_rng(k)
    shares = pd.DataFrame(rng.dirichlet(np.ones(k), size=len(ITEMS)), index=ITEMS, columns=order)
    plot = diverging_stacked_bar(shares, order, "Praktijkgerichtheid")
    fig, alt, _ = plot
    assert isinstance(plot, Plot) and alt.startswith("Gestapeld staafdiagram van 3 items")
    rectangles = bars(fig)
    assert len(rectangles) == len(ITEMS) * k
    ax = fig.axes[0]
    for j, container in enumerate(ax.containers):
        for i, patch in enumerate(container.patches):
            left, right = patch.get_x(), patch.get_x() + patch.get_width()
            assert patch.get_width() == pytest.approx(100 * shares.iloc[i, j])
            if j < k // 2:
                assert right <= 1e-9
            elif k % 2 and j == k // 2:
                assert left == pytest.approx(-right)
            else:
                assert left >= -1e-9
    assert [text.get_text() for text in fig.legends[0].get_texts()] == order
    assert all("%" in text and "−" not in text for text in tick_texts(ax.xaxis))


def test_diverging_bar_rejects_percentages_and_unknown_categories():
    shares = pd.DataFrame({"nee": [40.0], "ja": [60.0]}, index=["Item"])
    with pytest.raises(InputError, match="proportions"):
        diverging_stacked_bar(shares, ["nee", "ja"], "Titel")
    with pytest.raises(InputError, match="misschien"):
        diverging_stacked_bar(shares / 100, ["nee", "misschien"], "Titel")


def test_level_plot_one_point_per_scale_with_midpoint_and_decimal_comma():
    estimates = pd.DataFrame(
        {
            "label": ["Loopbaanreflectie", "Werkexploratie", "Loopbaansturing", "Netwerken"],
            "mean": [2.56, 2.31, 2.42, 2.12],
            "ci_low": [2.53, 2.28, 2.39, 2.08],
            "ci_high": [2.59, 2.34, 2.45, 2.16],
        }
    )
    fig, alt, _ = level_plot(estimates, 2.5, (1, 4), "Loopbaancompetenties")
    ax = fig.axes[0]
    assert len(ax.lines[0].get_xdata()) == 4
    assert ax.get_xlim() == (1, 4)
    assert any(np.allclose(line.get_xdata(), 2.5) for line in ax.lines[1:])
    assert any("," in text for text in tick_texts(ax.xaxis))
    assert not any("." in text for text in tick_texts(ax.xaxis))
    assert "4 schalen" in alt and "1 daarvan ligt boven het schaalmidden (2,5)" in alt


def test_group_means_plot_labels_groups_with_their_size():
    table = pd.DataFrame(
        {
            "group": ["Techniek", "Economie", "Zorg"],
            "mean": [2.1, 2.2, 2.6],
            "ci_low": [2.0, 2.1, 2.5],
            "ci_high": [2.2, 2.3, 2.7],
            "n": [812, 1157, 733],
        }
    )
    fig, alt, _ = group_means_plot(table, midpoint=2.5)
    ax = fig.axes[0]
    assert len(ax.lines[0].get_xdata()) == 3
    labels = [label.get_text() for label in ax.get_yticklabels()]
    # by score, highest on top; the size kept on one line with its group (no-break spaces), in Dutch
    assert labels == ["Zorg (n\u00a0=\u00a0733)", "Economie (n\u00a0=\u00a01.157)", "Techniek (n\u00a0=\u00a0812)"]
    assert "het hoogst scoort Zorg (2,60), het laagst Techniek (2,10)" in alt
    with pytest.raises(InputError, match="'n'"):
        group_means_plot(table.drop(columns="n"))


def test_forest_plot_one_panel_per_outcome_and_open_points_for_intervals_over_zero():
    coefs = pd.DataFrame(
        {
            "term": ["Werkexploratie", "Netwerken", "Loopbaanreflectie"] * 2,
            "beta": [0.20, 0.05, -0.10, 0.10, 0.00, 0.12],
            "ci_low": [0.15, -0.01, -0.15, 0.05, -0.05, 0.07],
            "ci_high": [0.25, 0.11, -0.05, 0.15, 0.05, 0.17],
            "panel": ["Leermotivatie"] * 3 + ["Keuzezekerheid"] * 3,
        }
    )
    fig, alt, _ = forest_plot(coefs)
    assert [ax.get_title(loc="left") for ax in fig.axes] == ["Leermotivatie", "Keuzezekerheid"]
    for ax in fig.axes:
        filled, open_ = (c for c in ax.collections if isinstance(c, PathCollection))
        assert len(filled.get_offsets()) + len(open_.get_offsets()) == 3
        assert len(open_.get_offsets()) == 1
        assert sum(len(c.get_segments()) for c in ax.collections if isinstance(c, LineCollection)) == 3
    assert "4 van de 6 intervallen sluiten nul uit" in alt
    single, *_ = forest_plot(coefs.drop(columns="panel").iloc[:3])
    assert len(single.axes) == 1


def test_sign_matrix_counts_agreement():
    index = ["Werkexploratie", "Netwerken", "Loopbaanreflectie"]
    published = pd.DataFrame({"Leermotivatie": ["+", "0", "0"], "Uitvaldreiging": ["0", "0", "+"]}, index=index)
    found = pd.DataFrame({"Leermotivatie": ["+", "+", "0"], "Uitvaldreiging": ["-", None, "+"]}, index=index)
    fig, alt, _ = sign_matrix(published, found)
    texts = [text.get_text() for text in fig.axes[0].texts]
    assert len(texts) == 6 and "0 / −" in texts and "0 / ·" in texts
    assert "in 3 van de 5 getoetste cellen" in alt
    with pytest.raises(InputError, match="same predictors"):
        sign_matrix(published, found.iloc[:2])
    with pytest.raises(InputError, match="'pos'"):
        sign_matrix(published, found.replace("+", "pos"))


def test_every_numeric_axis_of_a_saved_figure_is_dutch():
    apply_style()
    fig, (left, right) = plt.subplots(1, 2)
    left.plot([-0.4, 0.0, 0.8], [600, 1600, 4820])
    left.set_xticks([-0.4, 0.0, 0.4, 0.8])
    left.set_yticks([600, 1600, 4820])
    right.plot([10, 1000], [0.25, 0.75])
    right.set_xscale("log")
    right.set_xlim(10, 1000)
    right.set_yticks([0.25, 0.5, 0.75])
    right.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:.0%}"))  # a plot's own labels
    assert tick_texts(left.xaxis) == ["\u22120,4", "0,0", "0,4", "0,8"]
    assert tick_texts(left.yaxis) == ["600", "1.600", "4.820"]
    assert tick_texts(right.xaxis) == ["10", "100", "1.000"]
    assert tick_texts(right.yaxis) == ["25%", "50%", "75%"]


def test_a_colour_bar_is_dutch_and_its_label_lies_within_the_figure():
    from loopbaanleren.book.qualitative_figures import plot_cooccurrence
    from loopbaanleren.data.coding_frame import load_coding_frame

    frame = load_coding_frame()
    codes = frame.codes.index
    counts = pd.DataFrame(np.add.outer(np.arange(len(codes)), np.arange(len(codes))) % 11, index=codes, columns=codes)
    fig = plot_cooccurrence(counts.rename_axis("code"), frame).figure
    png_bytes(fig)
    fig.canvas.draw()  # boxes at the figure's own dpi, as its bbox
    bar = fig.axes[-1]
    axis = bar.xaxis if bar.xaxis.label.get_text() else bar.yaxis  # the bar's long axis, however it lies
    assert axis.label.get_text() == "aantal interviews"
    box = axis.label.get_window_extent(fig.canvas.get_renderer())
    assert box.x0 >= 0 and box.y0 >= 0 and box.x1 <= fig.bbox.width and box.y1 <= fig.bbox.height, box
    ticks = tick_texts(axis)
    assert ticks[0] == "0" and ticks[-1] == "10" and all(tick.isdigit() for tick in ticks), ticks


def test_the_planner_figure_has_one_tick_per_planned_size_and_its_legend_outside_every_panel():
    from loopbaanleren.book.replicability import KIND_NL, kind_curves
    from loopbaanleren.robustness.planner import load_result, planned_claims

    fig = kind_curves(load_result()).figure
    png_bytes(fig)
    renderer = fig.canvas.get_renderer()
    panels = [ax for ax in fig.axes if ax.get_visible()]
    assert len(panels) == len({claim.kind for claim in planned_claims()})  # one panel per claim kind
    assert {ax.get_title("left").replace("\n", " ").split(" (")[0] for ax in panels} <= set(KIND_NL.values())
    for ax in panels:  # the stored result's sizes: 600, 1.600 and 4.820 students with 50, 125 and 371 counsellors
        assert [t.get_text() for t in ax.get_xticklabels()] == ["600\n50", "1.600\n125", "4.820\n371"]
        assert 1 <= len(ax.get_lines()) - 1 <= 2  # at most two series and the target line
    legends = fig.legends + [ax.get_legend() for ax in panels if ax.get_legend()]
    assert legends
    for legend in legends:
        box = legend.get_window_extent(renderer)
        for ax in panels:
            assert not box.overlaps(ax.get_window_extent(renderer)), (legend, ax.get_title("left"))
