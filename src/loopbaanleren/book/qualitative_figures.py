"""The chapter's figures: code × interview heatmap, code co-occurrence and the trajectory's steps.

Like ``loopbaanleren.book.figures``: each function applies the book's style and returns a ``Plot`` (figure and
a one-sentence Dutch description built from the data).
"""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.colors import ListedColormap
from matplotlib.patches import FancyBboxPatch, Patch

from loopbaanleren.book.figures import INK, PAGE_WIDTH, Plot, apply_style
from loopbaanleren.data.coding_frame import CodingFrame, load_coding_frame

MENTIONED, NOT_MENTIONED = "#1f5f8b", "#eceff1"
ANNOTATE_UP_TO = 12  # co-occurrence cells carry their number up to this many rows


def plot_presence(presence: pd.DataFrame, frame: CodingFrame | None = None) -> Plot:
    """Heatmap of ``presence_matrix``: codes (grouped by theme, Dutch labels) × interviews."""
    frame = frame or load_coding_frame()
    apply_style()
    themes = frame.codes.loc[presence.index, "theme"].to_numpy()
    n_codes, n_interviews = presence.shape
    fig, ax = plt.subplots(figsize=(PAGE_WIDTH, 1.0 + 0.24 * n_codes))
    sns.heatmap(
        presence.rename(index=frame.codes["label_nl"]), ax=ax, cmap=ListedColormap([NOT_MENTIONED, MENTIONED]),
        vmin=0, vmax=1, cbar=False, linewidths=0.5, linecolor="white",
    )
    bounds = np.flatnonzero(themes[1:] != themes[:-1]) + 1
    ax.hlines(bounds, 0, n_interviews, colors=INK, linewidth=1)
    for start, end in zip(np.r_[0, bounds], np.r_[bounds, n_codes], strict=True):
        label = textwrap.fill(frame.themes.at[themes[start], "label_nl"], 18, break_long_words=False)
        ax.text(n_interviews + 0.3, (start + end) / 2, label, va="center", fontsize=8)
    ax.set(xlabel="Interview", ylabel="")
    ax.tick_params(axis="x", rotation=90)
    ax.legend(
        handles=[Patch(color=MENTIONED, label="genoemd"),
                 Patch(facecolor=NOT_MENTIONED, edgecolor="0.6", label="niet genoemd")],
        loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2,
    )
    counts = presence.sum(axis=1)
    alt = (
        f"Heatmap van {n_codes} codes, gegroepeerd per thema, in {n_interviews} interviews: "
        f"{(counts == n_interviews).sum()} codes komen in alle interviews voor, {(counts == 0).sum()} in geen enkel."
    )
    return Plot(fig, alt, presence.rename(index=frame.codes["label_nl"]).rename_axis("code").reset_index())


def plot_cooccurrence(cooccurrence: pd.DataFrame, frame: CodingFrame | None = None) -> Plot:
    """Lower-triangle heatmap of ``cooccurrence``: in how many interviews two codes (or themes) both occur."""
    frame = frame or load_coding_frame()
    apply_style()
    labels = (frame.themes if cooccurrence.index.name == "theme" else frame.codes)["label_nl"]
    size = len(cooccurrence)
    unit = "thema's" if cooccurrence.index.name == "theme" else "codes"
    side = PAGE_WIDTH if size <= ANNOTATE_UP_TO else PAGE_WIDTH * 1.35  # room for many labels at a readable size
    fig, ax = plt.subplots(figsize=(side, side * 0.95))
    sns.heatmap(
        cooccurrence.rename(index=labels, columns=labels), ax=ax, cmap="Blues", vmin=0, square=True,
        mask=np.triu(np.ones((size, size), dtype=bool), k=1), annot=size <= ANNOTATE_UP_TO, fmt="d",
        cbar_kws={"label": "aantal interviews", "shrink": 0.6}, linewidths=0.3, linecolor="white",
        xticklabels=True, yticklabels=True,
    )
    ax.grid(False)
    ax.tick_params(labelsize=7 if size > ANNOTATE_UP_TO else 8)
    ax.set(xlabel="", ylabel="")
    off_diagonal = cooccurrence.where(~np.eye(size, dtype=bool)).stack()
    first, second = off_diagonal.idxmax()
    alt = (
        f"Driehoekige heatmap met voor elk paar van {size} {unit} het aantal interviews waarin beide voorkomen; "
        f"het vaakst samen: {labels[first]} en {labels[second]} ({int(off_diagonal.max())} interviews)."
    )
    data = cooccurrence.rename(index=labels, columns=labels).rename_axis(index="", columns=None).reset_index()
    return Plot(fig, alt, data)


def plot_steps(frame: CodingFrame | None = None) -> Plot:
    """The ordered steps of the coding frame as a horizontal flow of numbered boxes."""
    frame = frame or load_coding_frame()
    apply_style()
    steps = frame.steps()
    fig, ax = plt.subplots(figsize=(PAGE_WIDTH, 1.5))
    width, gap = 1.0, 0.35
    for position, (step, label) in enumerate(zip(steps["step"], steps["label_nl"], strict=True)):
        left = position * (width + gap)
        ax.add_patch(FancyBboxPatch((left, 0), width, 1, boxstyle="round,pad=0.03", facecolor=MENTIONED, linewidth=0))
        ax.text(left + width / 2, 0.8, str(step), ha="center", va="center", color="white",
                fontsize=12, fontweight="bold")
        ax.text(left + width / 2, 0.38, textwrap.fill(label, 13, break_long_words=False),
                ha="center", va="center", color="white", fontsize=7.5)
        if position < len(steps) - 1:
            ax.annotate("", xy=(left + width + gap - 0.04, 0.5), xytext=(left + width + 0.06, 0.5),
                        arrowprops={"arrowstyle": "-|>", "color": INK})
    ax.set(xlim=(-0.06, len(steps) * (width + gap) - gap + 0.06), ylim=(-0.06, 1.06))
    ax.axis("off")
    enumeration = ", ".join(f"{step}. {label}" for step, label in zip(steps["step"], steps["label_nl"], strict=True))
    data = steps[["step", "label_nl"]].rename(columns={"step": "stap", "label_nl": "omschrijving"})
    return Plot(fig, f"De {len(steps)} stappen van het traject van links naar rechts: {enumeration}.", data)
