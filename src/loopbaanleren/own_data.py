"""The user's own survey files in a build: prepared once in codes, labelled honestly in the book.

A build reads each of the user's files through the mapping (:func:`loopbaanleren.io.read_survey`) and writes
it in the codebook's names and codes as a prepared CSV (``.build/data/<role>/<role>.csv``) whose sidecar names
the original file and its SHA-256; the notebooks read that copy, so they need neither the mapping nor the
original format. Warnings (declared missing codes, measures not asked) are printed once, before any notebook
runs.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from IPython.display import Markdown, display

from loopbaanleren.codebook import load_codebook
from loopbaanleren.io import write_survey
from loopbaanleren.provenance import sha256_file


def prepare_survey(data: pd.DataFrame, role: str, folder: Path, console=None):
    """Write the read ``data`` (see ``read_survey``) as the prepared CSV of ``role``; return its DataInput."""
    from loopbaanleren.pipeline import DataInput

    source = Path(data.attrs["source"])
    for line in data.attrs.get("warnings", []):
        if console is not None:
            console.print(f"warning: {role}: {line}", markup=False, highlight=False, soft_wrap=True)
    path = folder / role / f"{role}.csv"
    origin = {"source": source.name, "sha256": data.attrs["sha256"]}
    write_survey(data, path, role, synthetic=False, origin=origin)
    return DataInput(
        role,
        path,
        sha256_file(path),
        synthetic=False,
        source=source,
        source_sha256=data.attrs["sha256"],
        n=len(data),
        not_measured=tuple(data.attrs.get("not_measured", [])),
    )


def not_measured_text(data: dict[str, pd.DataFrame]) -> str:
    """Dutch Markdown naming, per population, the measures the data does not have (empty when none)."""
    codebook = load_codebook()
    lines = []
    for population, frame in data.items():
        if frame is None:
            continue
        missing = frame.attrs.get("absent_measures") or []
        if missing:
            label = codebook.population(population).label_nl
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
