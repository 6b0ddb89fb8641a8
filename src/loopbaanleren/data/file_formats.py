"""Reading the file formats researchers hold into raw cells, with what the file declares about them.

Supported: CSV (and ``.tsv``/``.txt``; comma, semicolon or tab; UTF-8 with or without BOM, UTF-16 with BOM,
Windows-1252), SPSS ``.sav``/``.zsav``/``.por``, Stata ``.dta`` and Excel ``.xlsx``. A file that cannot be
read gives one ``InputError`` line naming the file and what it seems to be, never a traceback.

What a file declares travels in ``Declared``: value labels per column, user-missing codes and ranges per
column (SPSS), and whether the file label marks it synthetic.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from loopbaanleren.errors import InputError

TEXT_SUFFIXES = (".csv", ".tsv", ".txt")
DELIMITERS = ",;\t"
"""The delimiters a text file may use; the one most frequent in its first non-blank line is taken."""
SPSS_SUFFIXES = (".sav", ".zsav", ".por")
SUFFIXES = (*TEXT_SUFFIXES, *SPSS_SUFFIXES, ".dta", ".xlsx")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_DECIMAL_COMMA = r"^(-?\d+),(\d+)$"
_FORMAT_NL = {".sav": "SPSS .sav", ".zsav": "SPSS .zsav", ".por": "SPSS portable .por", ".dta": "Stata .dta",
              ".xlsx": "Excel .xlsx"}


@dataclass
class Declared:
    """What a data file says about its columns besides the cells."""

    labels: dict[str, dict] = field(default_factory=dict)
    missing: dict[str, list] = field(default_factory=dict)  # column -> codes and (low, high) ranges
    file_label: str = ""
    column_labels: dict[str, str] = field(default_factory=dict)


def decode_text(raw: bytes, name: str) -> str:
    """The text of a CSV file: UTF-16 (by its BOM), UTF-8 (BOM or not), else Windows-1252.

    Raises InputError when it is none of them (a binary file, say).

    >>> decode_text("hé;1".encode("utf-16"), "x.csv")
    'hé;1'
    """
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError(f"{name}: starts like UTF-16 text but cannot be decoded as such") from None
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not _CONTROL.search(text):
            return text
    raise InputError(f"{name}: not a readable text file (neither UTF-8, UTF-16 nor Windows-1252 text)")


def read_text_file(path: Path) -> tuple[str, str]:
    """The decoded text of a delimited text file (survey or coded interviews) and its delimiter.

    The one decoder of both: the encoding by :func:`decode_text` (UTF-16 by its BOM, UTF-8 with or without BOM,
    else Windows-1252); the delimiter is that of :data:`DELIMITERS` which occurs most often in the first
    non-blank line (the comma on a tie). Raises InputError, naming the file, when it cannot be read, is not
    text, or holds only white space.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "interviews.csv"
    >>> _ = path.write_text("\\ninterview\\tcode\\nI1\\tleerzaam\\n", encoding="utf-16")
    >>> text, delimiter = read_text_file(path)
    >>> text.split(), delimiter
    (['interview', 'code', 'I1', 'leerzaam'], '\\t')
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: file not found") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read file ({exc.strerror})") from None
    text = decode_text(raw, path.name)
    if not text.strip():
        raise InputError(f"{path.name}: the file is empty")
    first_line = next(line for line in text.splitlines() if line.strip())
    return text, max(DELIMITERS, key=first_line.count)


def read_cells(path: Path, header_row: int = 1) -> tuple[pd.DataFrame, Declared]:
    """The file's data as a DataFrame (header as column names) and what it declares.

    ``header_row`` is the line (of a text file) or row (of a spreadsheet) holding the column names, counted from 1
    as the file shows them; the lines above it (a spreadsheet's title, say) are passed over. ``attrs["lines"]``
    gives each data row's line or row number.
    """
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return _read_text(path, header_row), Declared()
    if suffix == ".xlsx":
        return _read_xlsx(path, header_row), Declared()
    return _read_stat(path, suffix)


def _read_text(path: Path, header_row: int = 1) -> pd.DataFrame:
    text, separator = read_text_file(path)
    leading = text.splitlines(keepends=True)
    if header_row > 1:  # the separator of the header line, not of a title above it
        if header_row > len(leading):
            raise InputError(f"{path.name}: header_row {header_row}: the file has only {len(leading)} lines")
        separator = max(DELIMITERS, key=leading[header_row - 1].count)
    blank = max(header_row - 1, next((i for i, line in enumerate(leading) if line.strip()), 0))  # above the header
    text = "".join(leading[blank:])
    try:
        cells = pd.read_csv(io.StringIO(text), sep=separator, header=None, dtype=str, skipinitialspace=True,
                            skip_blank_lines=False)
    except pd.errors.ParserError as exc:
        raise InputError(f"{path.name}: not a readable CSV file ({str(exc).strip().splitlines()[0]})") from None
    if separator != ",":  # Dutch Excel: decimal comma
        cells = cells.replace(_DECIMAL_COMMA, r"\1.\2", regex=True)
    filled = cells.notna().any(axis=1)
    cells = cells[filled] if filled.any() else cells  # blank lines are no rows, but count as lines
    return _with_lines(cells.set_axis(cells.index + blank))


def _with_lines(cells: pd.DataFrame) -> pd.DataFrame:
    """The rows under the first (the header) with ``attrs["lines"]``: each row's line number in the file (the
    header's is the first; ``cells`` is indexed by 0-based line)."""
    data = cells.iloc[1:].set_axis(cells.iloc[0].fillna("").astype(str), axis=1)
    lines = [int(i) + 1 for i in data.index]
    data = data.reset_index(drop=True)
    data.attrs["lines"] = lines
    return data


def _read_xlsx(path: Path, header_row: int = 1) -> pd.DataFrame:
    if not zipfile.is_zipfile(path):
        raise InputError(f"{path.name}: not a readable Excel .xlsx file; it may be damaged or of another type")
    try:
        cells = pd.read_excel(path, header=None, dtype=str, engine="openpyxl")
    except Exception as exc:  # openpyxl raises many kinds for damaged workbooks
        raise InputError(f"{path.name}: not a readable Excel .xlsx file ({type(exc).__name__}: {exc})") from None
    if cells.empty:
        raise InputError(f"{path.name}: the first worksheet is empty")
    if header_row > len(cells):
        raise InputError(f"{path.name}: header_row {header_row}: the first worksheet has only {len(cells)} rows")
    return _with_lines(cells.iloc[header_row - 1:])


def _read_stat(path: Path, suffix: str) -> tuple[pd.DataFrame, Declared]:
    import pyreadstat

    readers = {
        ".sav": (pyreadstat.read_sav, {"user_missing": True}),
        ".zsav": (pyreadstat.read_sav, {"user_missing": True}),
        ".por": (pyreadstat.read_por, {}),
        ".dta": (pyreadstat.read_dta, {"user_missing": True}),
    }
    reader, options = readers[suffix]
    try:
        raw, meta = reader(path, apply_value_formats=False, **options)
    except Exception as exc:  # readstat's own errors, and whatever odd files make it raise
        raise InputError(
            f"{path.name}: not a readable {_FORMAT_NL[suffix]} file ({exc}); "
            "it may be damaged, truncated or of another type"
        ) from None
    missing: dict[str, list] = {}
    for column, ranges in (getattr(meta, "missing_ranges", None) or {}).items():
        for entry in ranges:
            low, high = entry.get("lo"), entry.get("hi")
            if isinstance(low, int | float) and isinstance(high, int | float):
                missing.setdefault(column, []).append(low if low == high else (low, high))
    for column, values in (getattr(meta, "missing_user_values", None) or {}).items():
        for value in values:
            if isinstance(value, int | float):
                missing.setdefault(column, []).append(value)
    labels = {column: dict(values) for column, values in (meta.variable_value_labels or {}).items()}
    column_labels = {
        name: label for name, label in zip(meta.column_names, meta.column_labels or []) if label
    }
    return raw, Declared(labels=labels, missing=missing, file_label=meta.file_label or "", column_labels=column_labels)


def declared_mask(column: pd.Series, declared: list) -> pd.Series:
    """True where a cell holds one of the declared missing codes or lies in a declared range."""
    numeric = pd.to_numeric(column, errors="coerce")
    mask = pd.Series(False, index=column.index)
    for entry in declared:
        if isinstance(entry, tuple):
            mask |= numeric.between(entry[0], entry[1])
        else:
            mask |= numeric == entry
    return mask
