"""The multiverse as the book shows it: the design, the sample and the choices verdicts depend on in Dutch, the
per-claim tables (claims linked to the ledger) and the specification curve.

The multiverse itself (its declared design and its runs) is :mod:`loopbaanleren.robustness.multiverse`.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from loopbaanleren.book.claim_labels import claim_label, claim_link
from loopbaanleren.book.figures import (
    MIN_FONT_PT,
    PAGE_WIDTH,
    STYLE,
    Plot,
    apply_style,
    legend_below,
    set_title,
    wrap_to_figure,
)
from loopbaanleren.book.formatting import fmt_n, fmt_num
from loopbaanleren.book.report import save_result
from loopbaanleren.book.claim_text import POPULATION_NL
from loopbaanleren.book.verdict_text import VERDICT_NL
from loopbaanleren.claims.verdicts import VERDICTS
from loopbaanleren.robustness.multiverse import MultiverseResult
from loopbaanleren.robustness.multiverse_design import DIMENSIONS, Multiverse, load_multiverse


def choice_nl(dimension: str, option: str, mv: Multiverse) -> str:
    """A choice in Dutch: the dimension's label and the option's ("alleen combinaties van keuzes" for "combinaties")."""
    if dimension == "combinaties":
        return "alleen combinaties van keuzes"
    return f"{mv.dimensions[dimension].label_nl}: {mv.dimensions[dimension].options[option]}"


def dependence_sentence(claim_id: str, dependence_table: pd.DataFrame, mv: Multiverse | None = None) -> str:
    """In Dutch: the choices the claim's verdict depends on ("hangt af van ..."), or that it depends on none.

    Examples
    --------
    >>> table = pd.DataFrame([{"id": "h2_lr_lm", "dimension": "inference", "option": "mixed", "primary": "reproduced",
    ...                        "alone": "undecided", "specifications": 1, "changed": 1}])
    >>> dependence_sentence("h2_lr_lm", table)
    'Het oordeel over Loopbaanreflectie → Leermotivatie (primair gereproduceerd) hangt af van inferentie: gemengd model (random intercept per cluster) (daar onbeslist).'
    """
    mv = mv or load_multiverse()
    part = dependence_table[dependence_table["id"] == claim_id]
    label = claim_label(claim_id)
    if part.empty:
        return f"Het oordeel over {label} hangt van geen van de keuzes af."
    choices = [choice_nl(r.dimension, r.option, mv) + (f" (daar {VERDICT_NL[r.alone]})" if r.alone else
                                                        f" ({r.changed} van {r.specifications} specificaties anders)")
               for r in part.itertuples()]
    primary = VERDICT_NL[part["primary"].iloc[0]]
    return f"Het oordeel over {label} (primair {primary}) hangt af van " + "; ".join(choices) + "."


def write_robustness(table: pd.DataFrame, results_dir) -> None:
    """Save the per-claim robustness as ``robustness.csv`` in the build's results folder (read by the ledger)."""
    save_result(table[["id", "specifications", "robustness"]], "robustness", results_dir)


def design_text(mv: Multiverse | None = None) -> str:
    """The dimensions and their options in Dutch, primary option first ("inferentie: CR2 ... (primair), ...")."""
    mv = mv or load_multiverse()
    parts = []
    for dim in mv.dimensions.values():
        labels = [f"{label} (primair)" if option == dim.primary else label for option, label in dim.options.items()]
        parts.append(f"{dim.label_nl}: {', '.join(labels)}")
    return "; ".join(parts)


def sample_text(result: MultiverseResult, mv: Multiverse | None = None) -> str:
    """In Dutch, on which rows the multiverse ran: all of them, or the random sample
    :func:`~loopbaanleren.robustness.multiverse.subsample` drew."""
    mv = mv or load_multiverse()
    drawn = {pop: sizes for pop, sizes in result.sizes.items() if sizes[0] < sizes[1]}
    if not drawn:
        return "Het multiversum rekent op alle respondenten."
    counts = " en ".join(f"{fmt_n(used)} van de {fmt_n(total)} {POPULATION_NL[pop]}" for pop, (used, total) in drawn.items())
    return (f"De data zijn groter dan {fmt_num(mv.max_size, digits=0 if mv.max_size == int(mv.max_size) else 1)} keer "
            f"het onderzoek zelf; het multiversum rekent daarom op een enkelvoudige aselecte steekproef van {counts} "
            f"(zaad {mv.seed}), omdat zijn traagste analyses (imputatie, factorscores, de bootstrap) met het aantal "
            "rijen groeien. De hoofdstukken rekenen op alle respondenten.")


def dependence_text(dependence_table: pd.DataFrame, mv: Multiverse | None = None) -> str:
    """One Dutch sentence per claim whose verdict depends on a choice (see :func:`dependence_sentence`)."""
    ids = list(dict.fromkeys(dependence_table["id"]))
    if not ids:
        return "Geen enkel oordeel hangt van een van de keuzes af."
    return " ".join(dependence_sentence(i, dependence_table, mv) for i in ids)


def robustness_table(table: pd.DataFrame) -> pd.DataFrame:
    """The per-claim robustness as the book shows it (Dutch headers, verdicts and claims linked to the ledger)."""
    return pd.DataFrame({
        "bewering": [claim_link(i) for i in table["id"]], "vraag": table["rq"], "primair": [VERDICT_NL[v] for v in table["primary"]],
        "specificaties": table["specifications"],
        **{VERDICT_NL[v]: table[v] for v in VERDICTS},
        "robuust": table["robustness"],
    })


def dependence_table(dependence_table: pd.DataFrame, mv: Multiverse | None = None) -> pd.DataFrame:
    """The choices verdicts depend on, in Dutch (claims linked to the ledger)."""
    mv = mv or load_multiverse()
    d = dependence_table
    return pd.DataFrame({
        "bewering": [claim_link(i) for i in d["id"]],
        "keuze": [choice_nl(n, o, mv) for n, o in zip(d["dimension"], d["option"])],
        "primair": [VERDICT_NL[v] for v in d["primary"]],
        "alleen deze keuze": [VERDICT_NL[v] if v else "" for v in d["alone"]],
        "anders in": [f"{c} van {s} specificaties" for c, s in zip(d["changed"], d["specifications"])],
    })


OPTION_ROW = 0.32
"""Height in inches of an option's row under the specification curve: its name and its marks."""

VERDICT_COLOURS = {"reproduced": "0.15", "undecided": "#e69f00", "not_reproduced": "#d55e00", "not_computable": "0.7"}


def specification_curve(rows: pd.DataFrame, title: str) -> Plot:
    """Per specification and claim the coefficient, sorted, coloured by verdict; below it which choices it made.

    Returns a :class:`loopbaanleren.book.figures.Plot` (figure and Dutch alt text).
    """
    apply_style()
    data = rows.dropna(subset=["computed"]).sort_values("computed").reset_index(drop=True)
    mv = load_multiverse()
    changing = [n for n in DIMENSIONS if data[n].nunique() > 1]
    options = max(sum(len(mv.dimensions[name].options) - 1 for name in changing), 1)  # a row each, below
    fig = plt.figure(figsize=(PAGE_WIDTH, 4.4 + OPTION_ROW * options))
    panels = fig.subfigures()  # the panels and their x label: the legend gets room of its own below them
    top, bottom = panels.subplots(2, 1, sharex=True, height_ratios=[2.6, OPTION_ROW * options])
    shown = []
    for verdict, colour in VERDICT_COLOURS.items():
        part = data[data["verdict"] == verdict]
        if len(part):
            shown.append(top.scatter(part.index, part["computed"], s=4, color=colour, label=VERDICT_NL[verdict]))
    top.axhline(0, color="0.5", linewidth=0.6)
    top.set_ylabel("gestandaardiseerde β")
    labels = []
    for name in changing:
        for option in mv.dimensions[name].options:
            if option == mv.primary[name]:
                continue
            y = len(labels)
            where = data.index[data[name] == option]
            bottom.scatter(where, np.full(len(where), y + 0.2), s=8, marker="|", color="0.2")
            # the option's name above its row, across the panel's whole width (as a tick label it would narrow it)
            bottom.text(0, y - 0.05, mv.dimensions[name].options[option], fontsize=MIN_FONT_PT, va="bottom",
                        transform=bottom.get_yaxis_transform())
            labels.append(mv.dimensions[name].options[option])
    bottom.set_ylim(len(labels) - 0.5, -0.75)
    bottom.set_yticks([])
    bottom.grid(False)
    size = STYLE["axes.labelsize"]
    panels.supxlabel(wrap_to_figure(fig, "specificaties van alle verbanden, van kleinste naar grootste β", size),
                     fontsize=size)
    set_title(fig, title)
    legend_below(fig, 3, handles=shown, markerscale=3)
    reproduced = int((data["verdict"] == "reproduced").sum())
    alt = (f"Specificatiecurve: {fmt_n(len(data))} coëfficiënten van {data['id'].nunique()} verbanden onder de "
           f"specificaties, van klein naar groot; {fmt_n(reproduced)} van de {fmt_n(len(data))} gereproduceerd.")
    return Plot(fig, alt)
