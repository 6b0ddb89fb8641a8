"""Read and write survey data files (CSV and SPSS .sav) in the compendium's one in-memory form.

In memory a questionnaire is a DataFrame with one row per respondent, ``resp_id`` as string and every other
codebook variable as float64 codes, missing codes (-9, -8) as NaN; unknown extra columns are kept. ``attrs``
carry ``source``, ``sha256``, ``population``, ``n``, ``synthetic`` and ``warnings`` (report lines).

CSV files may be comma separated or Dutch Excel style (``;`` or tab, and decimal comma), UTF-8 (with or
without BOM) or Windows-1252; the separator is sniffed from the header line. Whether data is synthetic is
read from a sidecar ``<file>.meta.json`` for CSV and from the file label (starting with ``SYNTHETISCH``)
for .sav.

The value labels of a .sav file are compared with the codebook (case and spacing ignored). A label that
differs from the codebook's label for the same code is an error: the codes would mean something else than
the analyses assume (a reversed answer scale, say). A label for a code the codebook does not have is a
warning: harmless by itself, and the code is an error of its own wherever it occurs in the data.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat

from loopbaanleren.codebook import load_codebook
from loopbaanleren.errors import InputError, ParameterError
from loopbaanleren.validate import Report, check_population, convert, normalise_label

SUFFIXES = (".csv", ".sav")
SYNTHETIC_MARK = "SYNTHETISCH"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_DECIMAL_COMMA = r"^(-?\d+),(\d+)$"
_POPULATION_HINTS = {"students": ("student",), "counsellors": ("counsel", "slb", "begeleider")}


def read_survey(path: str | Path, population: str) -> pd.DataFrame:
    """Read a .csv or .sav file of ``population``, validate it and return it in codes (see module docstring).

    Raises InputError listing every problem when the file is unreadable or does not fit the codebook.
    """
    path = Path(path)
    check_population(population)
    check_data_file(path)
    report = Report(path.name)
    reader = _read_csv if path.suffix.lower() == ".csv" else _read_sav
    raw, synthetic = reader(path, population, report)
    data = convert(raw, population, report)
    if not report.ok:
        count = len(report.errors)
        raise InputError(
            f"{path.name} does not fit the codebook ({count} problem{'s' if count > 1 else ''}):\n{report}"
        )
    with path.open("rb") as fh:
        sha256 = hashlib.file_digest(fh, "sha256").hexdigest()
    data.attrs.update(
        source=str(path),
        sha256=sha256,
        population=population,
        n=len(data),
        synthetic=synthetic,
        warnings=list(report.warnings),
    )
    return data


def write_survey(data: pd.DataFrame, path: str | Path, population: str, synthetic: bool, note: str = "") -> None:
    """Write valid data as .csv (plus ``<file>.meta.json``) or as .sav with the codebook's labels.

    Missing codes in ``data`` are written as such (declared user-missing in .sav); NaN is written empty
    (CSV) or system-missing (.sav). Raises InputError when the data does not fit the codebook.
    """
    path = Path(path)
    check_population(population)
    if path.suffix.lower() not in SUFFIXES:
        raise ParameterError(f"{path}: cannot write '{path.suffix}' files (use .csv or .sav)")
    report = Report(path.name)
    codes = convert(data, population, report, missing_as_nan=False)
    if not report.ok:
        raise InputError(f"refusing to write {path.name}: the data does not fit the codebook:\n{report}")
    whole = [c for c in codes if _whole(codes[c])]
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".csv":
        codes.astype(dict.fromkeys(whole, "Int64")).to_csv(path, index=False, encoding="utf-8")
        meta = {"population": population, "n": len(codes), "synthetic": bool(synthetic), "note": note}
        _sidecar(path).write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    else:
        _write_sav(codes, path, population, synthetic, note, whole)


def population_from_name(path: str | Path) -> str | None:
    """The population a file name points to ('student' or 'counsel'/'slb'/'begeleider'), None when unclear."""
    name = Path(path).name.casefold()
    found = [pop for pop, hints in _POPULATION_HINTS.items() if any(hint in name for hint in hints)]
    return found[0] if len(found) == 1 else None


def check_data_file(path: str | Path) -> None:
    """Raise InputError unless ``path`` is an existing .csv or .sav file."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a directory, not a data file")
    if path.suffix.lower() not in SUFFIXES:
        raise InputError(f"{path}: unknown file type '{path.suffix}' (expected .csv or .sav)")


def _sidecar(path: Path) -> Path:
    return path.with_name(path.name + ".meta.json")


def _decode(raw: bytes, name: str) -> str:
    """Text of a CSV file: UTF-8 (BOM or not), else Windows-1252; anything else is not a data file."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not _CONTROL.search(text):
            return text
    raise InputError(f"{name}: not a readable text file (neither UTF-8 nor Windows-1252 text)")


def _read_csv(path: Path, population: str, report: Report) -> tuple[pd.DataFrame, bool]:
    """The cells of a CSV file as text (separator sniffed from the header line) and its synthetic flag."""
    text = _decode(path.read_bytes(), path.name)
    if not text.strip():
        raise InputError(f"{path.name}: the file is empty")
    header = text.lstrip().splitlines()[0]
    separator = max(",;\t", key=header.count)
    try:
        cells = pd.read_csv(io.StringIO(text), sep=separator, header=None, dtype=str, skipinitialspace=True)
    except pd.errors.ParserError as exc:
        raise InputError(f"{path.name}: not a readable CSV file ({str(exc).strip().splitlines()[0]})") from None
    if separator != ",":  # Dutch Excel: decimal comma
        cells = cells.replace(_DECIMAL_COMMA, r"\1.\2", regex=True)
    raw = cells.iloc[1:].set_axis(cells.iloc[0].fillna(""), axis=1).reset_index(drop=True)
    return raw, _read_sidecar(path, population, report)


def _read_sidecar(path: Path, population: str, report: Report) -> bool:
    """Whether ``<file>.meta.json`` marks the data as synthetic (False without a sidecar)."""
    sidecar = _sidecar(path)
    if not sidecar.is_file():
        return False
    try:
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        report.error(f"sidecar {sidecar.name} is not valid JSON ({exc})")
        return False
    if not isinstance(meta, dict):
        report.error(f"sidecar {sidecar.name} is not a JSON object")
        return False
    if meta.get("population", population) != population:
        report.error(f"sidecar {sidecar.name} says population '{meta['population']}', not '{population}'")
    return meta.get("synthetic") is True


def _read_sav(path: Path, population: str, report: Report) -> tuple[pd.DataFrame, bool]:
    """The values of a .sav file as codes (user-missing codes kept) and its synthetic flag."""
    try:
        raw, meta = pyreadstat.read_sav(path, user_missing=True, apply_value_formats=False)
    except (pyreadstat.ReadstatError, pyreadstat.PyreadstatError, UnicodeError, ValueError, OSError) as exc:
        raise InputError(
            f"{path.name}: not a readable SPSS .sav file ({exc}); it may be damaged, truncated or of another type"
        ) from None
    _compare_value_labels(meta.variable_value_labels, population, report)
    _declared_missing_as_nan(raw, meta.missing_ranges, population, report)
    return raw, (meta.file_label or "").startswith(SYNTHETIC_MARK)


def _declared_missing_as_nan(raw: pd.DataFrame, ranges: dict[str, list], population: str, report: Report) -> None:
    """Values the file declares user-missing that are not a missing code of the codebook become NaN (a warning),
    as SPSS and R (haven::read_sav) read them; the codebook's own missing codes stay codes until ``convert``."""
    variables = {name.casefold(): var for name, var in load_codebook().variables(population).items()}
    for column, spans in ranges.items():
        if not spans or column not in raw or not pd.api.types.is_numeric_dtype(raw[column]):
            continue
        var = variables.get(column.strip().casefold())
        values = raw[column]
        declared = np.logical_or.reduce([values.between(span["lo"], span["hi"]).to_numpy() for span in spans])
        declared &= ~values.isin(list(var.missing_codes) if var else []).to_numpy()
        if declared.any():
            raw[column] = values.mask(declared)
            report.warn(f"{int(declared.sum())} value(s) the file declares user-missing read as missing", column)


def _compare_value_labels(labels: dict[str, dict], population: str, report: Report) -> None:
    """Report value labels of the file that disagree with the codebook (see module docstring)."""
    variables = {name.casefold(): var for name, var in load_codebook().variables(population).items()}
    for column, file_labels in labels.items():
        var = variables.get(column.strip().casefold())
        if var is None or var.type == "id":
            continue
        book = {**var.values, **var.missing_codes}
        differ, unknown = [], []
        for code, label in file_labels.items():
            numeric = isinstance(code, int | float)
            expected = book.get(int(code)) if numeric and float(code).is_integer() else None
            shown = f"{code:g}" if numeric else f"'{code}'"
            if expected is None:
                unknown.append(f"{shown} = '{label}'")
            elif normalise_label(label) != normalise_label(expected):
                differ.append(f"{shown} = '{label}' (codebook: '{expected}')")
        if differ:
            report.error(f"value labels disagree with the codebook: {'; '.join(differ)}", var.name)
        if unknown:
            report.warn(f"value labels for codes the codebook does not have: {'; '.join(unknown)}", var.name)


def _write_sav(
    codes: pd.DataFrame, path: Path, population: str, synthetic: bool, note: str, whole: list[str]
) -> None:
    """Write .sav with the codebook's variable and value labels and its missing codes declared user-missing."""
    pop = load_codebook().population(population)
    variables = {name: var for name, var in pop.variables.items() if name in codes}
    measure = {"id": "nominal", "categorical": "nominal", "ordinal": "ordinal", "numeric": "scale"}
    title = f"{SYNTHETIC_MARK} — gesimuleerde" if synthetic else "Loopbaanleren hbo —"
    try:
        pyreadstat.write_sav(
            codes,
            path,
            file_label=f"{title} {pop.label_nl}",
            column_labels={name: var.label_nl for name, var in variables.items()},
            note=note or None,
            variable_value_labels={
                name: {**var.values, **var.missing_codes} for name, var in variables.items() if var.type != "id"
            },
            missing_ranges={name: list(var.missing_codes) for name, var in variables.items() if var.missing_codes},
            variable_measure={name: measure[var.type] for name, var in variables.items()},
            variable_format=dict.fromkeys(whole, "F8.0"),
        )
    except (pyreadstat.PyreadstatError, pyreadstat.ReadstatError) as exc:
        raise InputError(f"{path.name}: cannot be written as SPSS .sav ({exc})") from None


def _whole(column: pd.Series) -> bool:
    """True for a float column holding only whole numbers (written without decimals)."""
    values = column.dropna()
    return column.dtype == "float64" and bool(np.isfinite(values).all() and values.eq(values.round()).all())


