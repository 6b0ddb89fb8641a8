"""Check survey data against the codebook and turn it into codes, reporting every problem at once.

Each problem is one line naming the file, the column, the rows (the first few and a count) and what is wrong, e.g.
``students.csv: column 'sector', lines 5, 18 (2 lines): value 9 is not a code of the codebook (1-7)``. Rows of a
text file or spreadsheet are its line numbers (the header is line 1), of an SPSS or Stata file its case numbers,
of a data frame its 1-based positions. A problem of one kind in many columns or of many values is one line.
Errors make the data unusable; warnings (unknown extra columns) do not. The per-column checks (required
columns, valid codes and ranges, unique and non-empty respondent ids) are a pandera schema built from the
codebook and validated lazily; its failure cases are rewritten as such lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandas.api.types import is_bool_dtype, is_float_dtype, is_integer_dtype

from loopbaanleren.data.codebook import POPULATIONS, Variable, load_codebook
from loopbaanleren.errors import ParameterError

SHOWN = 5  # row numbers and values shown per problem line
REQUIRED = ("resp_id", "hogeschool")  # without these no analysis can run; every other variable may be absent


@dataclass
class Report:
    """All problems found in one data source: ``errors`` make it unusable, ``warnings`` do not."""

    source: str
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    lines: list[int] | None = None
    """The file's number of each data row (by position), when it is not position + 1."""
    unit: str = "row"
    """What a row number counts: 'row' (position), 'line' (of a text file or spreadsheet) or 'case'."""
    full: bool = False
    """List every instance of a repeated problem (``validate --all``) instead of the first five."""
    _by_column: list[tuple[str, str, object, str]] = field(default_factory=list, repr=False)
    _warn_by_column: list[tuple[str, str, object, str]] = field(default_factory=list, repr=False)

    @property
    def ok(self) -> bool:
        """True when no error was found."""
        return not self.errors

    def error(self, what: str, column: str | None = None, rows=None) -> None:
        """Record an error, of ``column`` and ``rows`` when given (see :meth:`collapse`)."""
        line = self._line(what, column, rows)
        self.errors.append(line)
        if column is not None:
            self._by_column.append((what, column, rows, line))

    def collapse(self, least: int = 3) -> None:
        """One line for a problem that recurs in ``least`` or more columns: the columns, their count, the
        first rows (errors and warnings alike)."""
        self.errors = self._collapsed(self.errors, self._by_column, least)
        self.warnings = self._collapsed(self.warnings, self._warn_by_column, least)
        self._by_column, self._warn_by_column = [], []
        first_two, first = f", {self._rows([0, 1])}:", f", {self._rows([0])}:"
        header = [line for line in self.errors if first_two in line or first in line]
        if len(header) >= least and len(header) >= len(self.errors) // 2:
            rows = "[1, 2]" if any(first_two in line for line in header) else "[1]"
            self.errors.insert(
                0,
                f"{self.source}: the first rows after the header look like a survey tool's extra header rows; "
                f"drop them with 'skip_rows: {rows}' in a mapping file",
            )

    def _collapsed(self, lines: list[str], by_column: list, least: int) -> list[str]:
        groups: dict[str, list] = {}
        for what, column, rows, line in by_column:
            groups.setdefault(what, []).append((column, rows, line))
        for what, entries in groups.items():
            if len(entries) < least:
                continue
            merged_lines = {line for _, _, line in entries}
            first = next(i for i, line in enumerate(lines) if line in merged_lines)
            columns = [column for column, _, _ in entries]
            rows = sorted({self._number(int(r)) - 1 for _, found, _ in entries if found is not None for r in found})
            shown = ", ".join(f"'{c}'" for c in columns[:SHOWN]) + (", ..." if len(columns) > SHOWN else "")
            where = f"{self.source}: columns {shown} ({len(columns)} columns)"
            if rows:
                where += f", {_rows(rows, None, self.unit)}"
            lines = [line for line in lines if line not in merged_lines]
            lines.insert(min(first, len(lines)), f"{where}: {what}")
        return lines

    def warn(self, what: str, column: str | None = None, rows=None, line: str | None = None) -> None:
        """Record a warning, of ``column`` and ``rows`` when given (see :meth:`collapse`); ``line`` is its wording
        when it stands alone (default: source, column, rows, ``what``)."""
        line = line or self._line(what, column, rows)
        self.warnings.append(line)
        if column is not None:
            self._warn_by_column.append((what, column, rows, line))

    def _line(self, what: str, column: str | None, rows) -> str:
        where = [self.source]
        if column is not None:
            where.append(f"column '{column}'")
        if rows is not None:
            where[-1] += f", {self._rows(rows)}"
        return ": ".join([*where, what])

    def _number(self, position: int) -> int:
        """The file's number of the data row at ``position``."""
        return self.lines[position] if self.lines is not None and position < len(self.lines) else position + 1

    def _rows(self, index) -> str:
        return _rows([self._number(int(i)) - 1 for i in index], None, self.unit)

    @property
    def numbering(self) -> str:
        """What the row numbers in the lines mean, in words (empty for a data frame's positions)."""
        return {"line": "line numbers are the file's, the header being line 1",
                "case": "case numbers count the file's cases from 1"}.get(self.unit, "")

    def __str__(self) -> str:
        return "\n".join([*self.errors, *(f"warning: {line}" for line in self.warnings)])


def validate(data: pd.DataFrame, population: str, source: str) -> Report:
    """Every problem of ``data`` (raw or converted) against the population's codebook."""
    report = Report(source)
    convert(data, population, report)
    return report


def convert(
    data: pd.DataFrame, population: str, report: Report, missing_as_nan: bool = True
) -> pd.DataFrame:
    """The data in codes: ``resp_id`` as string, codebook variables as float64, unknown columns kept as they are.

    Text cells are parsed as numbers or, for variables with answer categories, as their Dutch value labels
    (case and spacing ignored). Missing codes become NaN unless ``missing_as_nan`` is false. Every problem
    is added to ``report``; cells that cannot be read become NaN.
    """
    check_population(population)
    variables = load_codebook().variables(population)
    data, doubled = _normalise_columns(data.reset_index(drop=True), variables)
    if data.columns.empty:
        report.error("no columns (the data is empty)")
        return data
    other = _other_population(data.columns, population)
    if other:
        report.error(other)
        return data
    if not data.columns.isin(list(variables)).any():
        report.error(_no_codebook_column(data.columns, population))
        return data
    for name, count in doubled.items():
        report.error(f"column '{name}' occurs {count} times; only the first is used")
    if data.empty:
        report.error("no data rows (only a header)")

    codes = pd.DataFrame({name: _convert_column(column, variables, report) for name, column in data.items()})
    absent = [name for name in variables if name not in codes and name not in REQUIRED]
    for name in absent:  # not asked: an empty column, so only the claims that need it are not computable
        codes[name] = np.nan
    _check_schema(codes, variables, report)
    answered = codes.copy()
    for name in codes.columns.intersection(list(variables), sort=False):
        if variables[name].missing_codes:
            answered[name] = codes[name].mask(codes[name].isin(list(variables[name].missing_codes)))
    not_measured, names = _not_measured(answered, population, set(absent))
    if not_measured:
        report.warn(
            "not measured (absent or empty; the claims that need them are not computable): " + "; ".join(not_measured)
        )
    order = [name for name in variables if name in codes] + [c for c in codes if c not in variables]
    result = (answered if missing_as_nan else codes)[order]
    result.attrs["not_measured"] = not_measured
    result.attrs["absent_measures"] = names
    return result


def check_population(population: str) -> None:
    """Raise ParameterError unless ``population`` is one of the codebook's populations."""
    if population not in POPULATIONS:
        raise ParameterError(f"unknown population {population!r} (choose from: {', '.join(POPULATIONS)})")


def _normalise_columns(data: pd.DataFrame, variables: dict[str, Variable]) -> tuple[pd.DataFrame, dict[str, int]]:
    """Column names stripped and matched to the codebook regardless of case, the first of duplicates kept;
    and how often each duplicated name occurs."""
    known = {name.casefold(): name for name in variables}
    names = pd.Index([known.get(str(c).strip().casefold(), str(c).strip()) for c in data.columns])
    doubled = {name: count for name, count in names.value_counts(sort=False).items() if count > 1}
    data = data.set_axis(names, axis=1)
    return data.loc[:, ~names.duplicated()], doubled


def _convert_column(column: pd.Series, variables: dict[str, Variable], report: Report) -> pd.Series:
    var = variables.get(column.name)
    if var is None:
        report.warn("not in the codebook; kept as is", str(column.name),
                    line=f"{report.source}: column '{column.name}' is not in the codebook; kept as is")
        return column
    return _to_id(column) if var.type == "id" else _to_codes(column, var, report)


def _to_id(column: pd.Series) -> pd.Series:
    """Respondent ids as strings (whole numbers without a decimal part); blank ids become missing."""
    if is_float_dtype(column):
        column = column.map(lambda v: f"{v:.0f}" if v.is_integer() else str(v), na_action="ignore")
    text = column.astype(str).str.strip()
    return text.mask(text == "")


def _to_codes(column: pd.Series, var: Variable, report: Report) -> pd.Series:
    """A variable's cells as float codes; text that is no number (nor value label) is reported and becomes NaN."""
    if is_float_dtype(column) or is_integer_dtype(column) or is_bool_dtype(column):
        return column.astype("float64")
    text = column.astype(str).str.strip()
    text = text.mask(text == "")
    values = pd.to_numeric(text, errors="coerce").astype("float64")
    unread = text.notna() & values.isna()
    if var.coded and unread.any():
        labels = {normalise_label(label): code for code, label in {**var.values, **var.missing_codes}.items()}
        values[unread] = text[unread].map(lambda cell: labels.get(normalise_label(cell), np.nan)).astype("float64")
        unread = text.notna() & values.isna()
    if unread.any():
        bad = text[unread]
        one = bad.nunique() == 1
        if var.coded:
            what = "is neither a code nor a value label" if one else "are neither codes nor value labels"
            what += " of the codebook (map them with 'recode' in a mapping file)"
        else:
            what = "is not a number" if one else "are not numbers"
        report.error(f"{_values(bad.unique(), 'text')} {what}", var.name, bad.index)
    return values


def _schema(variables: dict[str, Variable]) -> pa.DataFrameSchema:
    """Per-column checks of the codebook: required columns, valid codes or range, unique non-empty ids."""
    columns = {}
    for var in variables.values():
        if var.type == "id":
            columns[var.name] = pa.Column(nullable=False, unique=True)
            continue
        missing = list(var.missing_codes)
        if var.open_codes:
            check = pa.Check(lambda s, missing=missing: ((s >= 1) & (s == s.round())) | s.isin(missing))
        elif var.coded:
            check = pa.Check.isin([*var.values, *missing])
        else:
            low, high = var.valid_min, var.valid_max
            check = pa.Check(lambda s, low=low, high=high, missing=missing: s.between(low, high) | s.isin(missing))
        columns[var.name] = pa.Column(nullable=True, checks=check)
    return pa.DataFrameSchema(columns)


def _check_schema(codes: pd.DataFrame, variables: dict[str, Variable], report: Report) -> None:
    """Validate lazily against the codebook's schema and report each failing column as one line."""
    try:
        _schema(variables).validate(codes, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    else:
        return
    for name in cases.loc[cases["check"] == "column_in_dataframe", "failure_case"]:
        report.error(
            f"column '{name}' is missing (required; if your file names it otherwise, map it in a mapping file: "
            f"rename: {{<your column>: {name}}})"
        )
    cases = cases[cases["column"].isin(list(variables)) & cases["index"].notna()]
    for (name, check), group in cases.groupby(["column", "check"], sort=False):
        var = variables[name]
        rows = group["index"].astype(int)
        values = group["failure_case"].unique()
        if check == "not_nullable":
            report.error("respondent id is empty", name, rows)
        elif check == "field_uniqueness":
            doubled = sorted(group.groupby("failure_case", sort=False), key=lambda pair: pair[1]["index"].min())
            if len(doubled) <= SHOWN or report.full:
                for value, dup in doubled:
                    report.error(f"respondent id '{value}' occurs more than once", name, dup["index"].astype(int))
            else:
                examples = "; ".join(f"'{value}' ({report._rows(dup['index'].astype(int))})" for value, dup in doubled[:SHOWN])
                report.error(f"{len(doubled)} respondent ids occur more than once ({len(group)} rows), e.g. {examples}; "
                             "list them all with: loopbaanleren validate FILE --all", name)
        elif var.open_codes:
            what = "is not a code" if len(values) == 1 else "are not codes"
            report.error(f"{_values(values)} {what} (whole numbers from 1)", name, rows)
        elif var.coded:
            what = "is not a code" if len(values) == 1 else "are not codes"
            hint = _missing_hint(values)
            report.error(f"{_values(values)} {what} of the codebook ({_codes(var)}){hint}", name, rows)
        else:
            what = "is outside" if len(values) == 1 else "are outside"
            report.error(f"{_values(values)} {what} the valid range {var.valid_min:g}-{var.valid_max:g}", name, rows)


def _not_measured(answered: pd.DataFrame, population: str, absent: set[str]) -> tuple[list[str], list[str]]:
    """The scales and single variables with no answer at all (absent from the file or empty): report
    phrases, and the names of the measures that cannot be used."""
    if answered.empty:
        return [], []
    codebook = load_codebook()
    empty = {name for name in codebook.variables(population) if name in answered and answered[name].isna().all()}
    found, covered, names = [], set(), []
    for scale in codebook.scales(population).values():
        if set(scale.items) <= empty:
            found.append(f"scale '{scale.name}'" + (" (absent)" if set(scale.items) <= absent else ""))
            covered |= set(scale.items)
            names.append(scale.name)
        elif set(scale.items) & empty:
            missing = [item for item in scale.items if item in empty]
            found.append(f"items {', '.join(missing)} of scale '{scale.name}' (scored from the others)")
            covered |= set(missing)
    for name in codebook.variables(population):
        if name in empty and name not in covered:
            found.append(f"'{name}'" + (" (absent)" if name in absent else " (empty)"))
            names.append(name)
    return found, names


def _other_population(columns: pd.Index, population: str) -> str | None:
    """A message when the columns are clearly the other population's questionnaire."""
    codebook = load_codebook()
    mine = set(codebook.variables(population))
    for other in POPULATIONS:
        if other == population:
            continue
        own = set(codebook.variables(other)) - mine
        hits = own.intersection(columns)
        if len(hits) >= 3 and len(hits) > len((mine - set(codebook.variables(other))).intersection(columns)):
            return (
                f"this looks like the {codebook.population(other).label_nl} questionnaire, not the "
                f"{codebook.population(population).label_nl} one ({len(hits)} of its own columns, e.g. "
                f"{', '.join(sorted(hits)[:3])}); give it as --{other} (or --population {other})"
            )
    return None


def _no_codebook_column(columns: pd.Index, population: str) -> str:
    """The message for a file none of whose columns is a codebook variable: what was found, what is near."""
    import difflib

    names = list(load_codebook().variables(population))
    found = [str(c) for c in columns]
    shown = ", ".join(found[:8]) + (f", ... ({len(found)} columns)" if len(found) > 8 else "")
    near = []
    for column in found:
        close = difflib.get_close_matches(column.casefold(), names, n=1, cutoff=0.6)
        if close:
            near.append(f"{column} -> {close[0]}")
    lines = [f"no column name is a variable of the codebook; the file has: {shown}"]
    if near:
        lines.append("  nearest codebook names: " + ", ".join(near[:8]))
    lines.append(
        "  write a mapping file (YAML) with 'rename: {<your column>: <codebook name>, ...}' and pass it with "
        "--mapping; 'loopbaanleren template --from <file>' writes a first guess of it"
    )
    lines.append("  (is the first line the header? survey-tool header rows go in 'skip_rows: [1, 2]')")
    return "\n".join(lines)


def _missing_hint(values) -> str:
    """A hint when the bad codes look like a survey tool's missing codes (97, 98, 99, 999, ...)."""
    looks = [v for v in values if isinstance(v, int | float) and v >= 90 and float(v).is_integer()]
    if not looks:
        return ""
    codes = ", ".join(f"{v:g}" for v in sorted(set(looks))[:SHOWN])
    return f"; if these mean 'no answer', declare them in a mapping file: missing_codes: [{codes}]"


def normalise_label(label: str) -> str:
    """A label for comparison: case and spacing ignored."""
    return " ".join(str(label).split()).casefold()


def _rows(index, lines=None, unit: str = "row") -> str:
    """'rows 4, 17 (2 rows)' for 0-based positions 3 and 16 (``unit`` 'line' or 'case' instead of 'row')."""
    rows = sorted(int(i) + 1 for i in index)
    shown = ", ".join(map(str, rows[:SHOWN])) + (", ..." if len(rows) > SHOWN else "")
    word = unit if len(rows) == 1 else f"{unit}s"
    return f"{word} {shown} ({len(rows)} {word})"


def _values(values, kind: str = "value") -> str:
    """'value 9', 'values 0, 9', "text 'abc'" (the first few)."""
    shown = [f"'{v}'" if isinstance(v, str) else f"{v:g}" for v in values[:SHOWN]]
    plural = "" if len(values) == 1 else "s"
    return f"{kind}{plural} {', '.join(shown)}" + (", ..." if len(values) > SHOWN else "")


def _codes(var: Variable) -> str:
    """The valid codes, as a range when they are consecutive: '1-7' or '0, 2, 5'."""
    codes = sorted(var.values)
    if codes == list(range(codes[0], codes[-1] + 1)):
        return f"{codes[0]}-{codes[-1]}"
    return ", ".join(map(str, codes))
