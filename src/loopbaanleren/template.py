"""Templates for fielding the survey and for mapping an export: ``loopbaanleren template``.

``write_templates`` writes, per population, an empty CSV and an empty SPSS ``.sav`` with the codebook's
variables, labels and missing codes, and the questionnaire as a readable Dutch Markdown document (items and
answer options). ``write_mapping_skeleton`` guesses from a user's export which of its columns is which
codebook variable (by name and by the file's variable labels) and writes a mapping file to review.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pandas as pd

from loopbaanleren.codebook import POPULATIONS, load_codebook
from loopbaanleren.formats import read_cells
from loopbaanleren.validate import normalise_label

GUESS_CUTOFF = 0.6  # least similarity (difflib ratio) of name or label for a guess


def write_templates(folder: str | Path) -> list[Path]:
    """Write ``<population>_leeg.csv``, ``<population>_leeg.sav`` and ``vragenlijst_<population>.md``."""
    from loopbaanleren.io import _write_sav

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for population in POPULATIONS:
        variables = load_codebook().variables(population)
        empty = pd.DataFrame(
            {name: pd.Series(dtype=object if var.type == "id" else "float64") for name, var in variables.items()}
        )
        csv = folder / f"{population}_leeg.csv"
        empty.to_csv(csv, index=False, encoding="utf-8")
        sav = folder / f"{population}_leeg.sav"
        numeric = [name for name, var in variables.items() if var.type != "id"]
        _write_sav(empty, sav, population, False, "Lege vragenlijst (template)", numeric)
        markdown = folder / f"vragenlijst_{population}.md"
        markdown.write_text(questionnaire_markdown(population), encoding="utf-8")
        written += [csv, sav, markdown]
    return written


def questionnaire_markdown(population: str) -> str:
    """The population's questionnaire in Dutch: background questions, single items, then scales by block."""
    codebook = load_codebook()
    pop = codebook.population(population)
    missing = "; ".join(f"{code} = {label}" for code, label in codebook.missing_codes.items())
    lines = [
        f"# Vragenlijst {pop.label_nl}",
        "",
        "Uit het codeboek van het compendium *Loopbaanleren in het hbo*. Per vraag staat de variabelenaam (tussen "
        "`code`-tekens) en de antwoordmogelijkheden met hun codes. Ontbrekende antwoorden worden gecodeerd als "
        f"{missing}.",
        "",
        "## Achtergrond en losse vragen",
        "",
    ]
    number = 0
    for var in pop.variables.values():
        if var.type == "id" or var.scale:
            continue
        number += 1
        lines += [f"{number}. {var.label_nl} (`{var.name}`)", "", *_answers(var), ""]
    for scale in pop.scales.values():
        lines += [f"## {scale.label_nl}", ""]
        first = pop.variables[scale.items[0]]
        lines += ["Antwoordmogelijkheden bij elke stelling: "
                  + "; ".join(f"{code} = {label}" for code, label in first.values.items()) + ".", ""]
        for item in scale.items:
            number += 1
            var = pop.variables[item]
            note = " *(omgekeerd gescoord)*" if var.reverse else ""
            lines.append(f"{number}. {var.label_nl} (`{item}`){note}")
        lines.append("")
    return "\n".join(lines)


def _answers(var) -> list[str]:
    if var.open_codes:
        return ["   Code per hogeschool (1, 2, 3, ...); namen zijn optioneel."]
    if var.values:
        return [f"   - {code} = {label}" for code, label in var.values.items()]
    if var.type == "numeric":
        return [f"   Getal van {var.valid_min:g} tot en met {var.valid_max:g}."]
    return []


def guess_columns(columns: list[str], labels: dict[str, str], population: str) -> dict[str, tuple[str, float, str]]:
    """For each export column the codebook variable it most likely is: ``{column: (name, score, why)}``.

    A column whose name is a codebook name (case ignored) is that variable (score 1). Otherwise the best of the
    name's and the file's variable label's similarity to the codebook's names and Dutch labels, at least
    ``GUESS_CUTOFF``; each codebook variable is given to one column at most (the most similar).
    """
    variables = load_codebook().variables(population)
    by_name = {name.casefold(): name for name in variables}
    exact = {c: by_name[c.strip().casefold()] for c in columns if c.strip().casefold() in by_name}
    candidates = []
    for column in columns:
        if column in exact:
            continue
        label = labels.get(column, "")
        for name, var in variables.items():
            scores = [(difflib.SequenceMatcher(None, column.casefold(), name).ratio(), "name")]
            if label:
                ratio = difflib.SequenceMatcher(None, normalise_label(label), normalise_label(var.label_nl)).ratio()
                scores.append((ratio, f"label '{label}'"))
            score, why = max(scores)
            if score >= GUESS_CUTOFF:
                candidates.append((score, column, name, why))
    taken = set(exact.values())
    guesses = {column: (name, 1.0, "same name") for column, name in exact.items()}
    for score, column, name, why in sorted(candidates, reverse=True):
        if column in guesses or name in taken:
            continue
        guesses[column] = (name, score, why)
        taken.add(name)
    return guesses


def write_mapping_skeleton(export: str | Path, population: str, folder: str | Path) -> tuple[Path, int, int]:
    """Write ``mapping_<export stem>.yaml`` guessing the renames; return its path, guesses and unmatched columns."""
    export = Path(export)
    raw, declared = read_cells(export)
    columns = [str(c).strip() for c in raw.columns]
    guesses = guess_columns(columns, declared.column_labels, population)
    variables = load_codebook().variables(population)
    lines = [
        f"# Mapping for {export.name} ({population}), guessed by 'loopbaanleren template --from'.",
        "# Check every line marked 'review' and delete the wrong ones; then run:",
        f"#   loopbaanleren validate {export.name} --population {population} --mapping <this file>",
        "skip_rows: []            # rows after the header to drop, e.g. [1, 2] for survey-tool header rows",
        "rename:",
    ]
    renames = [(c, g) for c, g in guesses.items() if g[0] != c]
    for column, (name, score, why) in renames:
        lines.append(f"  {_yaml_key(column)}: {name}    # review: {why} ~ '{variables[name].label_nl[:60]}' ({score:.2f})")
    if not renames:
        lines[-1] = "rename: {}"
    unmatched = [c for c in columns if c not in guesses]
    if unmatched:
        lines.append(f"# not matched (kept as extra columns): {', '.join(unmatched)}")
    absent = [name for name in variables if name not in {g[0] for g in guesses.values()}]
    if absent:
        lines.append(f"# codebook variables not found (not asked? then their claims are not computable): {', '.join(absent)}")
    declared_missing = sorted({str(e) for entries in declared.missing.values() for e in entries})
    lines += [
        "recode: {}               # e.g. sector: {\"Gedrag en Maatschappij\": 3}",
        "missing_codes: []        # e.g. [98, 99]"
        + (f"; the file declares {', '.join(declared_missing)} already (honoured)" if declared_missing else ""),
        "trust_labels: false      # true: accept the file's codes when its label wording differs",
        "reverse: []              # items keyed the other way in your questionnaire",
        "",
    ]
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"mapping_{export.stem}.yaml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path, len(renames), len(unmatched)


def _yaml_key(column: str) -> str:
    import yaml

    return yaml.safe_dump(column, default_style=None).strip().removesuffix("...").strip()
