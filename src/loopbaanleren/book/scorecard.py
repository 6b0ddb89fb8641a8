"""The front page's scorecard: per research question (and the qualitative study) how many claims got which verdict.

A small figure (stacked bars, one per research question, a hatch per verdict so that it reads in greyscale) and a
table with the same counts, above a link to the ledger. Derived claims (hypotheses, claims following from others)
are not counted, as in the ledger; in a book on own data the claims resting on simulated data are counted apart.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from loopbaanleren.book.figures import PAGE_WIDTH, apply_style, legend_below, likert_colors
from loopbaanleren.book.formatting import fmt_n
from loopbaanleren.book.ledger import verdict_counts
from loopbaanleren.book.figure_output import figure_html
from loopbaanleren.book.report import LEDGER_PAGE, table_block_html
from loopbaanleren.book.verdict_text import VERDICT_NL
from loopbaanleren.claims.verdicts import VERDICTS

PART_NL = {"RQ1": "Vraag 1", "RQ2": "Vraag 2", "RQ3": "Vraag 3", "RQ4": "Vraag 4", "RQ5": "Vraag 5 (met hypothese 1)",
           "RQ6": "Vraag 6 (met hypothese 2)", "KWAL": "Kwalitatief onderzoek"}
"""How the scorecard names each part of the summaries (the ledger's ``rq`` values)."""
HATCHES = {"reproduced": "", "not_reproduced": "xxx", "undecided": "///", "not_computable": "..."}
SIMULATED = "op gesimuleerde data (niet meegeteld)"


def scorecard_frame(page) -> pd.DataFrame:
    """Per part of the summaries: the number of claims and of each verdict (Dutch column names).

    ``page`` is a :class:`loopbaanleren.book.front_page.Page`."""
    simulated = pd.Series([page.on_simulated_data(i) for i in page.ledger["id"]], index=page.ledger.index)
    counts = verdict_counts(page.ledger, simulated if simulated.any() else None)
    frame = pd.DataFrame({"onderdeel": [PART_NL.get(rq, rq) for rq in counts["rq"]],
                          "beweringen": counts["claims"].astype(int)})
    for verdict in VERDICTS:
        frame[VERDICT_NL[verdict]] = counts[verdict].astype(int).to_numpy()
    if "simulated" in counts:
        frame[SIMULATED] = counts["simulated"].astype(int).to_numpy()
    return frame


def scorecard_figure(frame: pd.DataFrame) -> tuple[Figure, str]:
    """Stacked horizontal bars of the verdicts per part, with its Dutch alt text."""
    apply_style()
    height = 0.9 + 0.32 * len(frame)
    fig, ax = plt.subplots(figsize=(PAGE_WIDTH, height), layout="constrained")
    colours = dict(zip(VERDICTS, [likert_colors(4)[-1], likert_colors(4)[0], "0.75", "white"]))
    left = pd.Series(0, index=frame.index)
    for verdict in VERDICTS:
        values = frame[VERDICT_NL[verdict]]
        ax.barh(frame["onderdeel"], values, left=left, color=colours[verdict], edgecolor="0.25", linewidth=0.5,
                hatch=HATCHES[verdict], label=VERDICT_NL[verdict])
        left = left + values
    ax.invert_yaxis()
    ax.set_xlabel("aantal beweringen")
    ax.grid(axis="y", visible=False)
    legend_below(fig, 4)
    parts = "; ".join(f"{row['onderdeel']}: {fmt_n(row[VERDICT_NL['reproduced']])} van {fmt_n(row['beweringen'])} "
                      f"{VERDICT_NL['reproduced']}" for _, row in frame.iterrows())
    return fig, f"Staafdiagram van de oordelen per onderdeel van de samenvattingen: {parts}."


def scorecard_html(page) -> str:
    """The scorecard: figure, table and the link to the ledger."""
    frame = scorecard_frame(page)
    fig, alt = scorecard_figure(frame)
    # styled as the book's figures, but not one of its numbered figures (figure_numbers counts the figures of a
    # page's own cells when it reads the page, and this one is pasted onto the front page from the ledger notebook
    # later); its data is the table's below, which is downloaded
    figure = figure_html(fig, alt, "Oordelen per onderzoeksvraag en voor het kwalitatieve onderzoek",
                         extra_class="ll-scorecard-figure")
    plt.close(fig)
    table = table_block_html(frame, "Oordelen per onderdeel", name="voorpagina-oordelen-per-onderdeel")
    link = (f'<p class="ll-scorecard-link">Elke bewering met het gepubliceerde en het gevonden getal staat in het '
            f'<a href="{LEDGER_PAGE}">overzicht van de beweringen</a>.</p>')
    return f'<div class="ll-scorecard">{figure}{table}{link}</div>'
