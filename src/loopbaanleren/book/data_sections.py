"""Sections about the data themselves: the survey files, what the mapping did, counts per category and the
reliability of the scales (the data chapter, and the reliability tables of chapters 1 and 2).

Each builder returns a :class:`~loopbaanleren.book.sections.Section`, shown with ``section.show()``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from loopbaanleren.book.figures import count_bars
from loopbaanleren.book import cells
from loopbaanleren.book.items import reliability as reliability_frame
from loopbaanleren.book.sections import Section, Table, is_absent, lacking
from loopbaanleren.data.codebook import POPULATIONS, load_codebook
from loopbaanleren.data.disclosure import protected_counts, suppression_marker
from loopbaanleren.data.mapping import report_table


def reliability(
    data: Mapping[str, pd.DataFrame], scales: Mapping[str, Sequence[str]], seed: int, n_boot: int, caption: str
) -> Section:
    """One table of Cronbach's α and McDonald's ω (:func:`loopbaanleren.book.items.reliability`) of the scales
    ``{population: [scale, ...]}``, populations in that order; scales the data lack are left out (only the 'niet
    gemeten' sentence when none is left)."""
    measured = {p: [n for n in names if not is_absent(data, p, n)] for p, names in scales.items()}
    measured = {p: names for p, names in measured.items() if names}
    if not measured:
        return lacking(data, scales) or Section()
    frames = [reliability_frame(data[p], p, names, seed=seed, n_boot=n_boot) for p, names in measured.items()]
    return Section(tables=(Table(pd.concat(frames, ignore_index=True), caption),))


def measured_scales(data: Mapping[str, pd.DataFrame], population: str) -> list[str]:
    """The codebook's scales of ``population`` that the data measure."""
    absent = data[population].attrs.get("absent_measures", [])
    return [name for name in load_codebook().scales(population) if name not in absent]


def data_files(data: Mapping[str, pd.DataFrame], seed: int) -> Section:
    """The table of the survey files: population, file name, number of respondents and origin.

    The origin of simulated data is its seed, of an own file its SHA-256 checksum.
    """
    codebook = load_codebook()
    table = pd.DataFrame({
        "populatie": [codebook.population(p).label_nl for p in POPULATIONS],
        "bestand": ["niet gegeven" if data[p].attrs.get("absent") else Path(data[p].attrs["source"]).name
                    for p in POPULATIONS],
        "aantal": [len(data[p]) for p in POPULATIONS],
        "herkomst": [_origin(data[p], seed) for p in POPULATIONS],
    })
    return Section(tables=(Table(table, "Gebruikte gegevensbestanden"),))


def mapping_report(data: Mapping[str, pd.DataFrame], min_cell: int) -> Section:
    """What the mapping file and the files' own declarations did to each own file (:func:`loopbaanleren.data.mapping.
    report_table`): one table per file, counts below ``min_cell`` suppressed (a recode's count can be a group's
    size), or one sentence when nothing was changed or no file is the user's own."""
    codebook = load_codebook()
    own = [p for p in POPULATIONS if not data[p].attrs.get("synthetic") and not data[p].attrs.get("absent")]
    if not own:
        return Section(notice="Deze build gebruikt geen eigen gegevensbestand; er is niets omgezet.")
    tables = []
    for population in own:
        table = report_table(data[population].attrs.get("mapping_report") or {})
        table["aantal"] = [suppression_marker(min_cell) if pd.notna(n) and n < min_cell else "" if pd.isna(n)
                           else cells.count(n) for n in table["aantal"]]
        if not table.empty:
            name = Path(str(data[population].attrs.get("source", ""))).name
            tables.append(Table(table, f"Wat de mapping deed met {name} ({codebook.population(population).label_nl})"))
    if not tables:
        return Section(notice="De mapping en de bestanden zelf hebben geen waarde omgezet, geen rij weggelaten en "
                              "geen waarde als ontbrekend gemarkeerd.")
    return Section(tables=tuple(tables))


def _origin(frame: pd.DataFrame, seed: int) -> str:
    if frame.attrs.get("absent"):
        return f"niet gegeven (--no-{frame.attrs['population']}): geen beweringen over deze groep"
    if frame.attrs["synthetic"]:
        return f"synthetisch, seed {seed}"
    return f"eigen bestand, SHA-256 {frame.attrs['sha256']}"


def distribution(
    data: Mapping[str, pd.DataFrame], variable: str, min_cell: int, caption: str, title: str | None = None
) -> Section:
    """Counts per category of ``variable`` for both populations, cells below ``min_cell`` suppressed, and so
    many more that none follows from the number of respondents (:func:`loopbaanleren.data.disclosure.protected_counts`;
    a category a population never gives counts as a small cell).

    The table has one row per category (the codebook's order) and one column per population; with ``title``
    also a bar chart of the students' counts in the categories that are shown.
    """
    codebook = load_codebook()
    labels = {p: codebook.population(p).label_nl for p in POPULATIONS}
    codes = pd.concat([data[p][variable] for p in POPULATIONS]).dropna().unique()
    categories = codebook.value_labels("students", variable, codes)
    lines = {p: data[p][variable].dropna().astype(int).value_counts().reindex(list(categories), fill_value=0)
             for p in POPULATIONS}  # every category, also those a population never gives: a zero is a small cell
    table = pd.DataFrame({labels[p]: protected_counts(line, min_cell).to_numpy() for p, line in lines.items()},
                         index=pd.Index(list(categories.values()), name=codebook.label("students", variable)))
    table = table.reset_index()
    figures = ()
    if title:
        students = pd.to_numeric(table[labels["students"]], errors="coerce")
        counts = pd.Series(students.to_numpy(), index=table.iloc[:, 0]).dropna().astype(int)
        figures = (count_bars(counts, title, "aantal studenten", variable),)
    return Section(figures, (Table(table, caption),), result=table)
