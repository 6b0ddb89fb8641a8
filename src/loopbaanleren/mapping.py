"""A mapping file: how a survey export's columns and codes become the codebook's variables and codes.

A researcher's own export rarely uses the codebook's names and codes. A mapping file (YAML) says how to read
it::

    skip_rows: [1, 2]              # rows after the header to drop (survey-tool exports), 1-based
    rename: {ResponseId: resp_id, Q1_1: hogeschool, Q2_3: le_buiten_telt_mee}
    recode:
      sector: {"Gedrag en Maatschappij": 3, "Landbouw": 1}
    missing_codes: [98, 99]        # in addition to those the codebook and the file declare
    trust_labels: true             # accept the file's codes when its label wording differs
    reverse: []                    # items keyed the other way in the user's questionnaire

``recode`` is keyed by the codebook's variable name (after ``rename``); its values map the file's cell text
or code to a code of the codebook. ``reverse`` names items whose answer scale runs the other way in the
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

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from loopbaanleren.codebook import POPULATIONS, load_codebook
from loopbaanleren.errors import ParameterError

Cell = str | int | float


class Mapping(BaseModel):
    """A checked mapping file (see the module docstring); the empty mapping changes nothing."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    skip_rows: list[int] = []
    rename: dict[str, str] = {}
    recode: dict[str, dict[Cell, int]] = {}
    missing_codes: list[float] = []
    trust_labels: bool = False
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
        for name in self.reverse:
            if name not in known_anywhere:
                problems.append(f"{where}reverse {name}: '{name}' is not a variable of the codebook" + _nearest(name, known_anywhere))
            elif name in variables:
                if variables[name].type not in ("ordinal",):
                    problems.append(f"{where}reverse {name}: only ordinal items can be reversed")
                elif renamed is not None and name not in renamed:
                    problems.append(f"{where}reverse {name}: the file has no column '{name}' (after rename)")
        return problems

    def renamed_columns(self, columns: list[str], population: str | None = None) -> list[str]:
        """The column names after the mapping's ``rename`` (of ``population``'s rules when given), stripped."""
        rules = self.for_population(population) if population else self
        return [rules.rename.get(str(c).strip(), str(c).strip()) for c in columns]

    def apply(self, raw: pd.DataFrame, population: str) -> pd.DataFrame:
        """The raw cells with rows skipped, columns renamed, recodes and extra missing codes applied."""
        if self.students is not None or self.counsellors is not None:
            return self.for_population(population).apply(raw, population)
        variables = load_codebook().variables(population)
        drop = [row - 1 for row in self.skip_rows if row - 1 < len(raw)]
        data = raw.drop(index=raw.index[drop]).reset_index(drop=True) if drop else raw.reset_index(drop=True)
        data = data.set_axis(self.renamed_columns(list(data.columns)), axis=1)
        for name, rules in self.recode.items():
            if name not in data or name not in variables:
                continue
            lookup = {_key(value): code for value, code in rules.items()}
            column = data[name]
            recoded = column.map(lambda cell: lookup.get(_key(cell), cell) if not _blank(cell) else cell)
            data[name] = recoded
        if self.missing_codes:
            extra = set(self.missing_codes)
            for name, var in variables.items():
                if name in data and var.type != "id":
                    numeric = pd.to_numeric(data[name], errors="coerce")
                    data[name] = data[name].mask(numeric.isin(extra))
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


def load_mapping(path: str | Path) -> Mapping:
    """Read and check the form of a mapping file; raises ParameterError with one line per problem."""
    path = Path(path)
    if not path.is_file():
        raise ParameterError(f"mapping: file not found: {path}")
    from loopbaanleren.params import load_yaml_file

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
