"""The user's own survey files in the book: the notice naming the measures the data do not have.

A build prepares each of the user's files once (:func:`loopbaanleren.build.inputs.prepare_survey`); the chapters
read that copy and show, through this module, what it lacks.
"""

from __future__ import annotations

import pandas as pd
from IPython.display import Markdown, display

from loopbaanleren.data.codebook import load_codebook


def not_measured_text(data: dict[str, pd.DataFrame]) -> str:
    """Dutch Markdown naming, per population, the measures the data does not have, or that the population was left
    out (empty when nothing is missing)."""
    codebook = load_codebook()
    lines = []
    for population, frame in data.items():
        if frame is None:
            continue
        missing = frame.attrs.get("absent_measures") or []
        label = codebook.population(population).label_nl
        if frame.attrs.get("absent"):
            lines.append(f"- {label}: niet gegeven; al hun beweringen zijn niet te berekenen")
        elif missing:
            named = "; ".join(f"{codebook.label(population, name)} (`{name}`)" for name in missing)
            lines.append(f"- {label}: {named}")
    if not lines:
        return ""
    return (
        ":::{admonition} Niet gemeten\n:class: warning\n"
        "Deze gegevens bevatten niet alle maten van de vragenlijst. Beweringen die een ontbrekende maat nodig "
        "hebben, zijn *niet te berekenen*; regressiemodellen draaien zonder een ontbrekende controlevariabele.\n\n"
        + "\n".join(lines)
        + "\n:::"
    )


def not_measured_notice(data: dict[str, pd.DataFrame]) -> None:
    """Display the 'niet gemeten' admonition when a population's data lacks measures; nothing otherwise."""
    text = not_measured_text(data)
    if text:
        display(Markdown(text))
