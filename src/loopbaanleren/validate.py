"""Check survey data against the codebook and turn it into codes, reporting every problem at once.

Each problem is one line naming the file, the column, the rows (1-based data rows as in the file: the first
few and a count) and what is wrong, e.g.
``students.csv: column 'sector', rows 4, 17 (2 rows): value 9 is not a code of the codebook (1-7)``.
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

from loopbaanleren.codebook import POPULATIONS, Variable, load_codebook
from loopbaanleren.errors import ParameterError

SHOWN = 5  # row numbers and values shown per problem line


@dataclass
class Report:
    """All problems found in one data source: ``errors`` make it unusable, ``warnings`` do not."""

    source: str
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, what: str, column: str | None = None, rows=None) -> None:
        self.errors.append(self._line(what, column, rows))

    def warn(self, what: str, column: str | None = None, rows=None) -> None:
        self.warnings.append(self._line(what, column, rows))

    def _line(self, what: str, column: str | None, rows) -> str:
        where = [self.source]
        if column is not None:
            where.append(f"column '{column}'")
        if rows is not None:
            where[-1] += f", {_rows(rows)}"
        return ": ".join([*where, what])

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
    if not data.columns.isin(list(variables)).any():
        report.error("no column name is a variable of the codebook (is the first line the header?)")
        return data
    for name, count in doubled.items():
        report.error(f"column '{name}' occurs {count} times; only the first is used")
    if data.empty:
        report.error("no data rows (only a header)")

    codes = pd.DataFrame({name: _convert_column(column, variables, report) for name, column in data.items()})
    _check_schema(codes, variables, report)
    answered = codes.copy()
    for name in codes.columns.intersection(list(variables), sort=False):
        if variables[name].missing_codes:
            answered[name] = codes[name].mask(codes[name].isin(list(variables[name].missing_codes)))
    _check_scales(answered, population, report)
    order = [name for name in variables if name in codes] + [c for c in codes if c not in variables]
    return (answered if missing_as_nan else codes)[order]


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
        report.warn(f"column '{column.name}' is not in the codebook; kept as is")
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
            what += " of the codebook"
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
        if var.coded:
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
        report.error(f"column '{name}' is missing")
    cases = cases[cases["column"].isin(list(variables)) & cases["index"].notna()]
    for (name, check), group in cases.groupby(["column", "check"], sort=False):
        var = variables[name]
        rows = group["index"].astype(int)
        values = group["failure_case"].unique()
        if check == "not_nullable":
            report.error("respondent id is empty", name, rows)
        elif check == "field_uniqueness":
            for value, dup in group.groupby("failure_case", sort=False):
                report.error(f"respondent id '{value}' occurs more than once", name, dup["index"].astype(int))
        elif var.coded:
            what = "is not a code" if len(values) == 1 else "are not codes"
            report.error(f"{_values(values)} {what} of the codebook ({_codes(var)})", name, rows)
        else:
            what = "is outside" if len(values) == 1 else "are outside"
            report.error(f"{_values(values)} {what} the valid range {var.valid_min:g}-{var.valid_max:g}", name, rows)


def _check_scales(answered: pd.DataFrame, population: str, report: Report) -> None:
    """A scale whose items are all missing for every respondent cannot be scored."""
    if answered.empty:
        return
    for scale in load_codebook().scales(population).values():
        items = [item for item in scale.items if item in answered]
        if items and answered[items].isna().all().all():
            report.error(f"scale '{scale.name}' ({', '.join(items)}): all items are missing for every respondent")


def normalise_label(label: str) -> str:
    """A label for comparison: case and spacing ignored."""
    return " ".join(str(label).split()).casefold()


def _rows(index) -> str:
    """'rows 4, 17 (2 rows)' for 0-based positions 3 and 16."""
    rows = sorted(int(i) + 1 for i in index)
    shown = ", ".join(map(str, rows[:SHOWN])) + (", ..." if len(rows) > SHOWN else "")
    return f"{'row' if len(rows) == 1 else 'rows'} {shown} ({len(rows)} {'row' if len(rows) == 1 else 'rows'})"


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
