"""The chapter's figures: code × interview heatmap, code co-occurrence and the trajectory's steps.

Like ``loopbaanleren.book.figures``: each function applies the book's style and returns a ``Plot`` (figure and
a one-sentence Dutch description built from the data).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.colors import ListedColormap
from matplotlib.patches import FancyBboxPatch, Patch

from loopbaanleren.book.figures import INK, MIN_FONT_PT, PAGE_WIDTH, Plot, apply_style, legend_below, text_width
from loopbaanleren.data.coding_frame import CodingFrame, load_coding_frame

MENTIONED, NOT_MENTIONED = "#1f5f8b", "#eceff1"
ANNOTATE_UP_TO = 12  # co-occurrence cells carry their number up to this many rows; more are numbered
STEP_SIZE = 10
"""Font size (points) of a step's description in :func:`plot_steps`."""
NUMBER_EVERY = 5
"""With more than :data:`ANNOTATE_UP_TO` codes, every this-many-th column of the co-occurrence is labelled."""


def plot_presence(presence: pd.DataFrame, frame: CodingFrame | None = None) -> Plot:
    """Heatmap of ``presence_matrix``: codes (Dutch labels) × interviews, each theme's codes under its name (bold)."""
    frame = frame or load_coding_frame()
    apply_style()
    themes = frame.codes.loc[presence.index, "theme"].to_numpy()
    n_codes, n_interviews = presence.shape
    blocks, names = [], []
    for theme in dict.fromkeys(themes):  # a blank row headed by the theme's name, then its codes
        codes = presence[themes == theme]
        blocks += [pd.DataFrame(np.nan, index=[len(names)], columns=presence.columns), codes.set_axis(
            range(len(names) + 1, len(names) + 1 + len(codes)))]
        names += [frame.themes.at[theme, "label_nl"], *frame.codes.loc[codes.index, "label_nl"]]
    shown = pd.concat(blocks)
    fig, ax = plt.subplots(figsize=(PAGE_WIDTH, 1.2 + 0.22 * len(shown)))
    sns.heatmap(shown, ax=ax, cmap=ListedColormap([NOT_MENTIONED, MENTIONED]), vmin=0, vmax=1, cbar=False,
                linewidths=0.5, linecolor="white", yticklabels=names)
    headers = {frame.themes.at[theme, "label_nl"] for theme in themes}
    for label in ax.get_yticklabels():
        if label.get_text() in headers:
            label.set_fontweight("bold")
    ax.set(xlabel="Interview", ylabel="")
    ax.grid(False)
    ax.tick_params(axis="x", rotation=90)
    ax.tick_params(axis="y", length=0)
    legend_below(fig, 2, handles=[Patch(color=MENTIONED, label="genoemd"),
                                  Patch(facecolor=NOT_MENTIONED, edgecolor="0.6", label="niet genoemd")])
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
    names = [str(labels[key]) for key in cooccurrence.index]
    annotate = size <= ANNOTATE_UP_TO
    if not annotate:  # many codes: numbered rows, and the columns by number, so that the labels stay readable
        names = [f"{i} {name}" for i, name in enumerate(names, 1)]
    row = MIN_FONT_PT * 1.45 / 72
    cells = PAGE_WIDTH - text_width("\n".join(names), MIN_FONT_PT) - 0.3  # room beside the labels
    fig, ax = plt.subplots(figsize=(PAGE_WIDTH, 1.9 + size * max(row, cells / size if annotate else row)))
    sns.heatmap(
        cooccurrence.set_axis(names, axis=0).set_axis(range(1, size + 1) if not annotate else names, axis=1), ax=ax,
        cmap="Blues", vmin=0, square=annotate, mask=np.triu(np.ones((size, size), dtype=bool), k=1),
        annot=annotate, fmt="d",
        cbar_kws={"label": "aantal interviews", "orientation": "horizontal", "location": "bottom", "shrink": 0.8},
        linewidths=0.3, linecolor="white", xticklabels=True if annotate else NUMBER_EVERY, yticklabels=True,
    )
    if not annotate:
        ax.set_xticks(np.arange(NUMBER_EVERY, size + 1, NUMBER_EVERY) - 0.5,
                      labels=[str(i) for i in range(NUMBER_EVERY, size + 1, NUMBER_EVERY)], rotation=0)
        ax.set_xlabel("code (nummer)")
    ax.grid(False)
    ax.tick_params(labelsize=MIN_FONT_PT)
    if annotate:
        ax.set(xlabel="")
    ax.set(ylabel="")
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
    n_steps = len(steps)
    fig, ax = plt.subplots(figsize=(PAGE_WIDTH, 0.3 + 0.5 * n_steps))
    for position, (step, label) in enumerate(zip(steps["step"], steps["label_nl"], strict=True)):
        top = n_steps - position  # first step on top, each box 0.7 high, arrows in the gaps between them
        ax.add_patch(FancyBboxPatch((0, top - 0.85), 0.6, 0.7, boxstyle="round,pad=0.03", facecolor=MENTIONED,
                                    linewidth=0))
        ax.text(0.3, top - 0.5, str(step), ha="center", va="center", color="white", fontsize=12, fontweight="bold")
        ax.text(0.8, top - 0.5, label, ha="left", va="center", color=INK, fontsize=STEP_SIZE)
        if position < n_steps - 1:
            ax.annotate("", xy=(0.3, top - 1.13), xytext=(0.3, top - 0.87), arrowprops={"arrowstyle": "-|>", "color": INK})
    ax.set(xlim=(-0.06, PAGE_WIDTH * 0.9), ylim=(-0.02, n_steps + 0.02))
    ax.axis("off")
    enumeration = ", ".join(f"{step}. {label}" for step, label in zip(steps["step"], steps["label_nl"], strict=True))
    data = steps[["step", "label_nl"]].rename(columns={"step": "stap", "label_nl": "omschrijving"})
    return Plot(fig, f"De {len(steps)} stappen van het traject van links naar rechts: {enumeration}.", data)
