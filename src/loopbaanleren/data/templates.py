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

from loopbaanleren.data.codebook import POPULATIONS, load_codebook
from loopbaanleren.data.file_formats import declared_mask, read_cells
from loopbaanleren.data.survey_files import infer_recode, write_sav
from loopbaanleren.data.validation import normalise_label

GUESS_CUTOFF = 0.6  # least similarity (difflib ratio) of name or label for a guess


def write_templates(folder: str | Path) -> list[Path]:
    """Write ``<population>_leeg.csv``, ``<population>_leeg.sav`` and ``vragenlijst_<population>.md``."""
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
        write_sav(empty, sav, population, False, "Lege vragenlijst (template)", numeric)
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
        texts = [label, *_item_texts(label)] if label else []
        for name, var in variables.items():
            scores = [(difflib.SequenceMatcher(None, column.casefold(), name).ratio(), "name")]
            for text in texts:
                ratio = difflib.SequenceMatcher(None, normalise_label(text), normalise_label(var.label_nl)).ratio()
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


STEM_SEPARATORS = (" - ", " – ", ": ")
"""What a survey tool puts between a matrix question's stem and its item text (Qualtrics, LimeSurvey)."""


def _item_texts(label: str) -> list[str]:
    """The item text of a matrix question's label: what follows its stem ("Hoe goed ...? - Ik zoek uit ...";
    LimeSurvey's "[Ik zoek uit ...]")."""
    found = [label.rsplit(sep, 1)[1] for sep in STEM_SEPARATORS if sep in label]
    if "[" in label and label.rstrip().endswith("]"):
        found.append(label.rstrip()[:-1].rsplit("[", 1)[1])
    return [text.strip() for text in found if text.strip()]


def write_mapping_skeleton(export: str | Path, population: str, folder: str | Path) -> tuple[Path, int, int]:
    """Write ``mapping_<export stem>.yaml`` guessing the renames; return its path, guesses and unmatched columns.

    Guessed from the file's content: the header line of a spreadsheet with title rows above it (``header_row``), a
    survey tool's extra header rows (an ImportId row, a row of question texts: ``skip_rows``), the columns by
    name, variable label or a matrix item's text after its stem, recodes from text answers and from value labels
    that are the codebook's in another order, "weet niet"/"n.v.t." answers as missing, and items whose answer
    scale has more points than the codebook's (flagged: the user chooses, nothing is rescaled).
    """
    export = Path(export)
    raw, declared = read_cells(export)
    header_row = _header_line(raw)
    if header_row > 1:
        raw, declared = read_cells(export, header_row)
    columns = [str(c).strip() for c in raw.columns]
    labels, skip = dict(declared.column_labels), _header_rows(raw)
    for position in [row - 1 for row in skip]:  # a question-text row names the columns best
        texts = {c: str(v) for c, v in zip(columns, raw.iloc[position]) if isinstance(v, str) and v.strip()}
        if not any(text.lstrip().startswith('{"ImportId"') for text in texts.values()):
            labels.update(texts)
    guesses = guess_columns(columns, labels, population)
    variables = load_codebook().variables(population)
    lines = [
        f"# Mapping for {export.name} ({population}), guessed by 'loopbaanleren template --from'.",
        "# Check every line marked 'review' and delete the wrong ones; then run:",
        f"#   loopbaanleren validate {export.name} --population {population} --mapping <this file>",
    ]
    if header_row > 1:
        lines.append(f"header_row: {header_row}          # review: the column names are on this line (title rows above)")
    lines += [
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
    cells = raw.drop(index=raw.index[[row - 1 for row in skip]])
    recodes = _recode_guesses(cells, guesses, population)
    from_labels, missing = _label_guesses(declared, guesses, population)
    for name, rules in from_labels.items():
        recodes.setdefault(name, {}).update(rules)
    if recodes:
        lines.append("recode:")
        for name, values in recodes.items():
            lines.append(f"  {name}:")
            for value, (code, label) in values.items():
                lines.append(f"    {_yaml_key(value)}: {code}    # review: ~ '{label}'" if code else
                             f"    {_yaml_key(value)}: {code}    # review: {label}")
    else:
        lines.append("recode: {}               # e.g. sector: {\"Gedrag en Maatschappij\": 3}")
    if declared_missing:
        lines.append(f"# the file declares {', '.join(declared_missing)} already (honoured)")
    if missing:
        lines.append("missing_codes:           # review: codes labelled as no answer that the file does not declare")
        lines += [f"  {name}: [{', '.join(f'{code:g}' for code in codes)}]" for name, codes in missing.items()]
    else:
        lines.append("missing_codes: {}        # per variable, e.g. {we_3: [0], '*': [98, 99]} ('*': every variable)")
    lines += [
        "trust_labels: []         # variables whose codes you accept although their label wording differs",
        "reverse: []              # items keyed the other way in your questionnaire",
    ]
    lines += [f"# CHOOSE: {line}" for line in _wider_scales(cells, guesses, population, declared, missing)]
    lines.append("")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"mapping_{export.stem}.yaml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path, len(renames), len(unmatched)


MISSING_ANSWERS = ("weet niet", "n.v.t.", "nvt", "niet van toepassing", "geen antwoord", "geen mening",
                   "wil ik niet zeggen", "don't know", "not applicable", "no answer")
"""Answers a survey tool records that mean 'no answer': proposed as the codebook's missing code."""


def _means_missing(text: str) -> bool:
    key = normalise_label(text).strip(" .")
    return any(key == normalise_label(answer).strip(" .") for answer in MISSING_ANSWERS) or key.startswith("weet niet")


def _label_guesses(declared, guesses: dict, population: str) -> tuple[dict, dict]:
    """From the file's value labels: recodes where they are the codebook's labels in another order, and codes
    labelled as 'no answer' that the file does not declare missing."""
    variables = load_codebook().variables(population)
    recodes, missing = {}, {}
    for column, labels in declared.labels.items():
        if column not in guesses:
            continue
        var = variables[guesses[column][0]]
        if not var.coded or var.open_codes:
            continue
        declared_codes = declared.missing.get(column, [])
        unanswered = [code for code, label in labels.items() if _means_missing(str(label))
                      and code not in declared_codes and code not in var.values and code not in var.missing_codes]
        if unanswered:
            missing[var.name] = sorted(unanswered)
        answered = {code: label for code, label in labels.items() if code not in unanswered and code not in declared_codes}
        inferred = infer_recode(answered, var.values)
        if inferred:
            recodes[var.name] = {f"{code:g}": (new, f"{answered[code]}: the file's code {code:g}, the codebook's {new}")
                                 for code, new in inferred.items() if code != new}
    return recodes, missing


def _wider_scales(cells: pd.DataFrame, guesses: dict, population: str, declared, missing: dict) -> list[str]:
    """One line per item whose answers go beyond the codebook's scale (a 5-point item on a 4-point scale), codes
    that are, or are proposed as, missing aside: the compendium does not guess a rescaling; the user decides."""
    variables = load_codebook().variables(population)
    found = []
    for column, (name, _, _) in guesses.items():
        var = variables[name]
        if var.type != "ordinal" or column not in cells:
            continue
        codes = pd.to_numeric(cells[column], errors="coerce").dropna()
        codes = codes[~codes.isin([*var.missing_codes, *missing.get(name, [])])
                      & ~declared_mask(codes, declared.missing.get(column, []))]
        if codes.empty or codes.max() <= var.valid_max or codes.min() < var.valid_min:
            continue
        points = int(codes.max() - var.valid_min + 1)
        found.append(
            f"{name} ({column}) has answers up to {codes.max():g}, a {points}-point scale; the codebook's has "
            f"{int(var.valid_max - var.valid_min + 1)} ({var.valid_min:g}-{var.valid_max:g}). Either recode it onto "
            f"the codebook's answers (recode: {{{name}: {{...}}}}, your choice: e.g. merge two answers), or leave it "
            "out (delete its rename line: its claims become not computable)."
        )
    return found


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
        unknown_code = min(set(range(-1, -100, -1)) - set(var.values) - set(var.missing_codes), key=abs)
        for text in sorted(unknown):  # no close label: a code the check refuses until it is filled in
            if _means_missing(text) and var.missing_codes:
                word = normalise_label(text).split()[0]  # 'weet niet' -> the codebook's 'weet niet / ...' code
                code = next((c for c, name in var.missing_codes.items() if word in normalise_label(name)),
                            next(iter(var.missing_codes)))
                guessed[text] = (code, f"{var.missing_codes[code]} (missing)")
                continue
            close = difflib.get_close_matches(normalise_label(text), list(labels), n=1, cutoff=GUESS_CUTOFF)
            guessed[text] = labels[close[0]] if close else (unknown_code, "no label is close: write the code")
        if guessed:
            found[name] = guessed
    return found


def _header_rows(raw: pd.DataFrame) -> list[int]:
    """The leading rows (1-based, after the header) that are a survey tool's extra header rows, by their content:
    a Qualtrics ImportId row, or a row of question texts (text cells that never recur in their column below,
    unlike answers). A first respondent who answered in words is no header row."""
    rows = []
    below = raw.iloc[3:]
    for position in range(min(3, len(raw))):
        cells = raw.iloc[position].dropna().astype(str).str.strip()
        cells = cells[cells != ""]
        if cells.empty:
            break
        if cells.str.startswith('{"ImportId"').any():
            rows.append(position + 1)
            continue
        text = cells[pd.to_numeric(cells, errors="coerce").isna()]
        recurring = sum(bool(below[column].astype(str).str.strip().eq(value).any()) for column, value in text.items()
                        if column in below)
        if len(text) > 0.8 * len(cells) and recurring <= 0.2 * len(text):
            rows.append(position + 1)
        else:
            break
    return rows


def _header_line(raw: pd.DataFrame) -> int:
    """The line holding the column names when a spreadsheet has title rows above it: the first row that fills most
    columns (1 when the first line does)."""
    names = [str(c).strip() for c in raw.columns]
    if sum(bool(name) and name != "nan" for name in names) > len(names) / 2:
        return 1
    lines = raw.attrs.get("lines") or list(range(2, len(raw) + 2))
    for position in range(min(10, len(raw))):
        if raw.iloc[position].notna().sum() > len(names) / 2:
            return lines[position]
    return 1


def _yaml_key(column: str) -> str:
    import yaml

    return yaml.safe_dump(column, default_style=None).strip().removesuffix("...").strip()
