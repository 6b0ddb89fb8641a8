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
    labels, skip = dict(declared.column_labels), _header_rows(raw)
    if skip:  # a survey tool's extra header rows: the first holds the question texts
        labels.update({c: str(v) for c, v in zip(columns, raw.iloc[0]) if isinstance(v, str) and v.strip()})
    guesses = guess_columns(columns, labels, population)
    variables = load_codebook().variables(population)
    lines = [
        f"# Mapping for {export.name} ({population}), guessed by 'loopbaanleren template --from'.",
        "# Check every line marked 'review' and delete the wrong ones; then run:",
        f"#   loopbaanleren validate {export.name} --population {population} --mapping <this file>",
        f"skip_rows: {skip}            # rows after the header to drop (survey-tool header rows)",
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
    recodes = _recode_guesses(raw.iloc[len(skip):], guesses, population)
    if recodes:
        lines.append("recode:")
        for name, values in recodes.items():
            lines.append(f"  {name}:")
            for value, (code, label) in values.items():
                lines.append(f"    {_yaml_key(value)}: {code}    # review: ~ '{label}'" if code else
                             f"    {_yaml_key(value)}: {code}    # review: {label}")
    lines += [
        *([] if recodes else ["recode: {}               # e.g. sector: {\"Gedrag en Maatschappij\": 3}"]),
        "missing_codes: {}        # per variable, e.g. {we_3: [0], '*': [98, 99]} ('*': every variable)"
        + (f"; the file declares {', '.join(declared_missing)} already (honoured)" if declared_missing else ""),
        "trust_labels: []         # variables whose codes you accept although their label wording differs",
        "reverse: []              # items keyed the other way in your questionnaire",
        "",
    ]
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"mapping_{export.stem}.yaml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path, len(renames), len(unmatched)


def _recode_guesses(cells: pd.DataFrame, guesses: dict, population: str) -> dict[str, dict[str, tuple[int, str]]]:
    """For coded variables given as text that is not a codebook label: each text's nearest label and its code."""
    variables = load_codebook().variables(population)
    found = {}
    for column, (name, _, _) in guesses.items():
        var = variables[name]
        if not var.coded or var.open_codes or column not in cells:
            continue
        texts = cells[column].dropna().astype(str).str.strip()
        texts = texts[(texts != "") & pd.to_numeric(texts, errors="coerce").isna()].unique()
        labels = {normalise_label(label): (code, label) for code, label in var.values.items()}
        unknown = [text for text in texts if normalise_label(text) not in labels]
        guessed = {}
        for text in sorted(unknown):  # no close label: code 0, which the check refuses until it is filled in
            close = difflib.get_close_matches(normalise_label(text), list(labels), n=1, cutoff=GUESS_CUTOFF)
            guessed[text] = labels[close[0]] if close else (0, "no label is close: write the code")
        if guessed:
            found[name] = guessed
    return found


def _header_rows(raw: pd.DataFrame) -> list[int]:
    """The leading rows (1-based) in which most cells are text, not numbers: a survey tool's extra header rows."""
    rows = []
    for position in range(min(3, len(raw))):
        cells = raw.iloc[position].dropna().astype(str)
        if len(cells) and pd.to_numeric(cells, errors="coerce").isna().mean() > 0.8:
            rows.append(position + 1)
        else:
            break
    return rows


def _yaml_key(column: str) -> str:
    import yaml

    return yaml.safe_dump(column, default_style=None).strip().removesuffix("...").strip()
