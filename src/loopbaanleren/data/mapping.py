"""A mapping file: how a survey export's columns and codes become the codebook's variables and codes.

A researcher's own export rarely uses the codebook's names and codes. A mapping file (YAML) says how to read
it::

    header_row: 3                  # the line or spreadsheet row with the column names (default 1)
    skip_rows: [1, 2]              # rows after the header to drop (survey-tool exports), 1-based
    rename: {ResponseId: resp_id, Q1_1: hogeschool, Q2_3: le_buiten_telt_mee}
    recode:
      sector: {"Gedrag en Maatschappij": 3, "Landbouw": 1}
    missing_codes: {we_3: [0], "*": [98, 99]}   # per variable; "*": every variable
    trust_labels: [bdv_1]          # accept the file's codes of these variables when their label wording differs
    reverse: []                    # items keyed the other way in the user's questionnaire

``recode`` is keyed by the codebook's variable name (after ``rename``); its values map the file's cell text
or code to a code of the codebook. ``missing_codes`` and ``trust_labels`` name their variables; ``"*"`` means
every variable and must be spelled out. The whole-file forms (``missing_codes: [0]``, ``trust_labels: true``
or ``"*"``) are refused, naming the variables, where they would change data: a missing code that is a valid
answer of a variable in the file, trust in labels that are the codebook's in another order (the file's codes
mean other answers; the message gives the recode). ``true`` trusts nothing silently: any variable whose labels
differ must be named. ``reverse`` names items whose answer scale runs the other way in the
user's questionnaire; they are flipped (min + max - x) before any analysis. Every rule is checked against
the codebook and the file; each problem is one line naming the rule. The same mapping may serve both
populations: rules for variables the population does not have are ignored when the other population has them.
Rules for one population only go under its name and override the shared ones key by key::

    rename: {ResponseId: resp_id}
    students: {skip_rows: [1, 2]}
    counsellors: {missing_codes: [99]}
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from loopbaanleren.data.codebook import POPULATIONS, load_codebook
from loopbaanleren.data.yaml_files import load_yaml_file
from loopbaanleren.errors import InputError, ParameterError

Cell = str | int | float


class Mapping(BaseModel):
    """A checked mapping file (see the module docstring); the empty mapping changes nothing."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    header_row: int = 1
    skip_rows: list[int] = []
    rename: dict[str, str] = {}
    recode: dict[str, dict[Cell, int]] = {}
    missing_codes: list[float] | dict[str, list[float]] = []
    trust_labels: bool | Literal["*"] | list[str] = False
    reverse: list[str] = []
    source: str = "mapping"
    students: "Mapping | None" = None
    counsellors: "Mapping | None" = None

    def for_population(self, population: str) -> "Mapping":
        """The rules for ``population``: the shared ones, overridden key by key by its own section."""
        own = getattr(self, population, None)
        shared = self.model_dump(exclude={"students", "counsellors"})
        if own is not None:
            shared.update(own.model_dump(exclude_unset=True, exclude={"students", "counsellors", "source"}))
        return Mapping(**shared)

    @field_validator("header_row")
    @classmethod
    def _header_from_one(cls, row: int) -> int:
        if row < 1:
            raise ValueError(f"the header is counted from 1 (the file's first line or row), got {row}")
        return row

    @field_validator("skip_rows")
    @classmethod
    def _positive_rows(cls, rows: list[int]) -> list[int]:
        bad = [row for row in rows if row < 1]
        if bad:
            raise ValueError(f"rows are counted from 1 (the first row after the header), got {bad}")
        return rows

    def check(self, population: str, columns: list[str] | None = None) -> list[str]:
        """Every rule that does not fit the codebook (or the file's ``columns``), one line per rule."""
        if self.students is not None or self.counsellors is not None:
            return self.for_population(population).check(population, columns)
        codebook = load_codebook()
        variables = codebook.variables(population)
        known_anywhere = {name for pop in POPULATIONS for name in codebook.variables(pop)}
        problems = []
        where = f"{self.source}: "
        for column, target in self.rename.items():
            if target not in known_anywhere:
                problems.append(
                    f"{where}rename {column} -> {target}: '{target}' is not a variable of the codebook"
                    + _nearest(target, known_anywhere)
                )
            elif columns is not None and target in variables and column not in columns:
                problems.append(f"{where}rename {column} -> {target}: the file has no column '{column}'")
        renamed = self.renamed_columns(columns) if columns is not None else None
        for name, rules in self.recode.items():
            if name not in known_anywhere:
                problems.append(f"{where}recode {name}: '{name}' is not a variable of the codebook" + _nearest(name, known_anywhere))
                continue
            if name not in variables:
                continue
            var = variables[name]
            if renamed is not None and name not in renamed:
                problems.append(f"{where}recode {name}: the file has no column '{name}' (after rename)")
            if not var.coded:
                problems.append(f"{where}recode {name}: '{name}' has no answer categories to recode to")
                continue
            valid = {**var.values, **var.missing_codes}
            for value, code in rules.items():
                if code not in valid and not (name == "hogeschool"):
                    codes = ", ".join(f"{k} = {v}" for k, v in var.values.items())
                    problems.append(
                        f"{where}recode {name}: {value!r} -> {code}: {code} is not a code of '{name}' ({codes})"
                    )
        scoped = self.missing_codes if isinstance(self.missing_codes, dict) else {}
        trusted = self.trust_labels if isinstance(self.trust_labels, list) else []
        for rule, names in (("missing_codes", [n for n in scoped if n != ALL]), ("trust_labels", trusted)):
            for name in names:
                if name not in known_anywhere:
                    problems.append(f"{where}{rule} {name}: '{name}' is not a variable of the codebook"
                                    + _nearest(name, known_anywhere))
                elif renamed is not None and name in variables and name not in renamed:
                    problems.append(f"{where}{rule} {name}: the file has no column '{name}' (after rename)")
        for name in self.reverse:
            if name not in known_anywhere:
                problems.append(f"{where}reverse {name}: '{name}' is not a variable of the codebook" + _nearest(name, known_anywhere))
            elif name in variables:
                if variables[name].type not in ("ordinal",):
                    problems.append(f"{where}reverse {name}: only ordinal items can be reversed")
                elif renamed is not None and name not in renamed:
                    problems.append(f"{where}reverse {name}: the file has no column '{name}' (after rename)")
        return problems

    def missing_for(self, name: str) -> list[float]:
        """The extra missing codes of variable ``name``: its own and those given for every variable."""
        if isinstance(self.missing_codes, list):
            return list(self.missing_codes)
        return [*self.missing_codes.get(ALL, []), *self.missing_codes.get(name, [])]

    def trusts(self, name: str) -> str:
        """How the labels of variable ``name`` are trusted: ``"named"``, ``"all"`` (``"*"`` or ``true``) or ``""``."""
        if isinstance(self.trust_labels, list):
            return "named" if name in self.trust_labels else ""
        return "all" if self.trust_labels else ""

    def _whole_file_missing(self, data: pd.DataFrame, variables: dict) -> str:
        """The line refusing a missing code given for every variable that is a valid answer, present in the data,
        of some variable (empty when there is none)."""
        codes = self.missing_codes if isinstance(self.missing_codes, list) else self.missing_codes.get(ALL, [])
        if not codes:
            return ""
        present = [name for name in variables if name in data and variables[name].type != "id"]
        numeric = {name: pd.to_numeric(_first(data, name), errors="coerce") for name in present}
        hit, elsewhere = {}, []
        for code in codes:
            for name in present:
                if not numeric[name].eq(code).any():
                    continue
                if _valid_answer(variables[name], code):
                    hit.setdefault(name, code)
                elif not variables[name].open_codes:
                    elsewhere.append((name, code))
        if not hit:
            return ""
        shown = "[" + ", ".join(f"{code:g}" for code in codes) + "]"
        form = shown if isinstance(self.missing_codes, list) else f"{{'*': {shown}}}"
        names = list(hit)
        listed = ", ".join(names[:8]) + (f", ... ({len(names)} variables)" if len(names) > 8 else "")
        valid = list(dict.fromkeys(hit.values()))
        example, code = elsewhere[0] if elsewhere else ("<variable>", valid[0])
        return (
            f"{self.source}: missing_codes {form} applies to every variable, but {', '.join(f'{c:g}' for c in valid)} "
            f"{'is a valid answer' if len(valid) == 1 else 'are valid answers'} of {listed}; name the variables it "
            f"means 'no answer' for, e.g. missing_codes: {{{example}: [{code:g}]}}"
        )

    def renamed_columns(self, columns: list[str], population: str | None = None) -> list[str]:
        """The column names after the mapping's ``rename`` (of ``population``'s rules when given), stripped."""
        rules = self.for_population(population) if population else self
        return [rules.rename.get(str(c).strip(), str(c).strip()) for c in columns]

    def apply(self, raw: pd.DataFrame, population: str, record: dict | None = None,
              lines: list[int] | None = None) -> pd.DataFrame:
        """The raw cells with rows skipped, columns renamed, recodes and extra missing codes applied.

        What was done is added to ``record`` (see :func:`new_record`): the dropped rows as the file's numbers
        (``lines``, one per row; default: the line of a CSV file whose header is line 1), per variable the cells recoded (from ->
        to, count) and the cells set missing (code, count). Raises InputError when a missing code given for every
        variable is a valid answer of a variable in the data.
        """
        if self.students is not None or self.counsellors is not None:
            return self.for_population(population).apply(raw, population, record, lines)
        record = record if record is not None else new_record()
        variables = load_codebook().variables(population)
        drop = [row - 1 for row in self.skip_rows if row - 1 < len(raw)]
        lines = lines or list(range(2, len(raw) + 2))
        record["rows_dropped"] += [lines[row] for row in drop]
        data = raw.drop(index=raw.index[drop]).reset_index(drop=True) if drop else raw.reset_index(drop=True)
        data = data.set_axis(self.renamed_columns(list(data.columns)), axis=1)
        for name, rules in self.recode.items():
            if name not in data or name not in variables:
                continue
            lookup = {_key(value): (value, code) for value, code in rules.items()}
            column = data[name]
            found = column.map(lambda cell: lookup.get(_key(cell)) if not _blank(cell) else None)
            changed = found.notna()
            counts = found[changed].map(lambda pair: (str(pair[0]), pair[1])).value_counts(sort=False)
            done = [{"from": value, "to": code, "n": int(n)} for (value, code), n in counts.items()
                    if _key(value) != _key(code)]
            if done:
                record["recoded"][name] = sorted(done, key=lambda entry: entry["from"])
            data[name] = column.where(~changed, found[changed].map(lambda pair: pair[1]))
        refused = self._whole_file_missing(data, variables)
        if refused:
            raise InputError(refused)
        for name, var in variables.items():
            extra = self.missing_for(name)
            if extra and name in data and var.type != "id":
                numeric = pd.to_numeric(_first(data, name), errors="coerce")
                mask = numeric.isin(extra)
                if mask.any():
                    counted = numeric[mask].value_counts().sort_index()
                    record["set_missing"].setdefault(name, {}).update({f"{code:g}": int(n) for code, n in counted.items()})
                data[name] = data[name].mask(mask)
        return data

    def reverse_items(self, codes: pd.DataFrame, population: str) -> pd.DataFrame:
        """Flip the ``reverse`` items of the population (valid min + max - code; missing stays missing)."""
        if self.students is not None or self.counsellors is not None:
            return self.for_population(population).reverse_items(codes, population)
        variables = load_codebook().variables(population)
        for name in self.reverse:
            if name in codes and name in variables:
                var = variables[name]
                codes[name] = var.valid_min + var.valid_max - codes[name]
        return codes


EMPTY = Mapping()


def new_record() -> dict:
    """An empty report of what a mapping did to a file (filled by :meth:`Mapping.apply` and the reader)."""
    return {"rows_dropped": [], "recoded": {}, "set_missing": {}, "declared_missing": {}, "trusted": [],
            "reversed": []}
ALL = "*"
"""The variable name that stands for every variable in ``missing_codes`` (and the value of ``trust_labels``)."""


def recode_lookup(mapping: Mapping, name: str) -> dict[float, float]:
    """The numeric part of the mapping's recode of variable ``name``: file code -> codebook code."""
    lookup = {}
    for value, code in mapping.recode.get(name, {}).items():
        try:
            lookup[float(_key(value))] = float(code)
        except ValueError:  # a text answer: no code in the file's value labels
            continue
    return lookup


def _valid_answer(var, code: float) -> bool:
    """Whether ``code`` is a valid answer of ``var`` by the codebook (open hogeschool codes excepted)."""
    if var.type == "id" or var.open_codes:
        return False
    if var.coded:
        return code in var.values
    return var.valid_min is not None and var.valid_min <= code <= var.valid_max


def load_mapping(path: str | Path) -> Mapping:
    """Read and check the form of a mapping file; raises ParameterError with one line per problem."""
    path = Path(path)
    if not path.is_file():
        raise ParameterError(f"mapping: file not found: {path}")
    raw = load_yaml_file(path, "mapping")  # no aliases (a few lines expanding to billions of values), no objects
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ParameterError(f"{path.name}: expected a mapping with keys skip_rows, rename, recode, ...")
    try:
        for population in POPULATIONS:
            if isinstance(raw.get(population), dict):
                raw[population] = {**raw[population], "source": f"{path.name} ({population})"}
        return Mapping(**raw, source=path.name)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            where = ".".join(str(part) for part in err["loc"] if not str(part).startswith("function-"))
            if err["type"] == "extra_forbidden":
                known = ", ".join(name for name in Mapping.model_fields if name != "source")
                lines.append(f"{path.name}: unknown key '{where}' (known keys: {known})")
            else:
                lines.append(f"{path.name}: {where}: {err['msg']}")
        raise ParameterError("\n".join(dict.fromkeys(lines))) from None


def _nearest(name: str, known) -> str:
    import difflib

    close = difflib.get_close_matches(name, sorted(known), n=3, cutoff=0.6)
    return f" (did you mean {', '.join(close)}?)" if close else ""


def _first(data: pd.DataFrame, name: str) -> pd.Series:
    """The column ``name`` (the first of several of that name; the reader reports the duplicates)."""
    column = data[name]
    return column.iloc[:, 0] if isinstance(column, pd.DataFrame) else column


def _blank(cell) -> bool:
    return cell is None or (isinstance(cell, float) and np.isnan(cell)) or (isinstance(cell, str) and not cell.strip())


def _key(cell) -> str:
    """A recode key: text case and spacing ignored, numbers as their shortest form (3.0 and '3' alike)."""
    if isinstance(cell, bool):
        return str(int(cell))
    if isinstance(cell, int | float | np.integer | np.floating):
        return f"{float(cell):g}"
    text = " ".join(str(cell).split()).casefold()
    try:
        return f"{float(text):g}"
    except ValueError:
        return text


def report_lines(record: dict) -> list[str]:
    """What a mapping did to a file (see :func:`new_record`), one line per rule and variable, for ``validate``."""
    unit = record.get("unit", "line")
    lines = []
    if record.get("header_row", 1) > 1:
        lines.append(f"header (header_row): line {record['header_row']}; the lines above it passed over")
    dropped = record.get("rows_dropped", [])
    if dropped:
        where = "the file's lines (header = line 1)" if unit == "line" else "cases"
        lines.append(f"rows dropped (skip_rows): {len(dropped)}, {where} {', '.join(map(str, dropped[:10]))}"
                     + (", ..." if len(dropped) > 10 else ""))
    for name, changes in record.get("recoded", {}).items():
        shown = ", ".join(f"{change['from']!r} -> {change['to']} ({change['n']})" for change in changes)
        lines.append(f"recoded {name} (recode): {shown}")
    for rule, key in (("missing_codes", "set_missing"), ("declared by the file", "declared_missing")):
        for name, codes in record.get(key, {}).items():
            shown = ", ".join(f"{code} ({n})" for code, n in codes.items())
            lines.append(f"set missing {name} ({rule}): {shown}")
    if record.get("trusted"):
        lines.append(f"codes trusted despite their labels (trust_labels): {', '.join(record['trusted'])}")
    if record.get("reversed"):
        lines.append(f"reversed (reverse): {', '.join(record['reversed'])}")
    return lines


def report_table(record: dict) -> pd.DataFrame:
    """What a mapping did, as a Dutch table for the data chapter: rule, variable, change, number of cells or rows."""
    rows = []
    if record.get("header_row", 1) > 1:
        rows.append(("header_row", "", f"kopregel op regel {record['header_row']}; de regels erboven overgeslagen",
                     record["header_row"] - 1))
    dropped = record.get("rows_dropped", [])
    if dropped:
        where = "regels van het bestand (kopregel = 1)" if record.get("unit", "line") == "line" else "gevallen"
        rows.append(("skip_rows", "", f"{where}: {', '.join(map(str, dropped[:10]))}" + (" …" if len(dropped) > 10 else ""),
                     len(dropped)))
    for name, changes in record.get("recoded", {}).items():
        rows += [("recode", name, f"{change['from']} → {change['to']}", change["n"]) for change in changes]
    for rule, key in (("missing_codes", "set_missing"), ("ontbrekend volgens het bestand", "declared_missing")):
        for name, codes in record.get(key, {}).items():
            rows += [(rule, name, f"{code} → ontbrekend", n) for code, n in codes.items()]
    rows += [("trust_labels", name, "codes aangenomen ondanks afwijkende labels", None) for name in record.get("trusted", [])]
    rows += [("reverse", name, "omgekeerd gescoord", None) for name in record.get("reversed", [])]
    return pd.DataFrame(rows, columns=["regel", "variabele", "wijziging", "aantal"])
