"""Reading coded segments: one row per coded segment, as exported (flattened to CSV) from ATLAS.ti, MAXQDA or NVivo.

Columns (names case-insensitive): ``interview`` and ``code`` are required; ``coder``, ``segment`` and
``segment_id`` are optional; other columns are ignored. A code is a code id or a Dutch code label of the coding
frame. Files may be comma-, semicolon- or tab-separated, in UTF-8 (with or without BOM), UTF-16 or cp1252
(read as the survey files are, by :func:`loopbaanleren.data.file_formats.read_text_file`).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from loopbaanleren.errors import InputError
from loopbaanleren.data.file_formats import read_text_file
from loopbaanleren.data.coding_frame import CodingFrame, load_coding_frame

REQUIRED = ("interview", "code")
OPTIONAL = ("coder", "segment", "segment_id")
COLUMNS = REQUIRED + OPTIONAL
_SHOW = 10  # at most this many line numbers or values per message line


def read_segments(path: str | Path, frame: CodingFrame | None = None) -> pd.DataFrame:
    """Read and check a coded-segments CSV file against the coding frame.

    Returns one row per segment with columns ``interview``, ``code`` (always the code id), ``coder``,
    ``segment`` and ``segment_id`` (missing optional columns are empty). Every problem is one line of the
    ``InputError``, naming the file, the column and the file's line numbers (line 1 is the header).
    """
    frame = frame or load_coding_frame()
    path = Path(path)
    name = path.name
    header, records = _parse(path)

    columns = [col.strip().casefold() for col in header]
    problems = [f"{name}: missing required column '{col}' (columns found: {', '.join(header)})"
                for col in REQUIRED if col not in columns]
    duplicated = sorted({col for col in columns if columns.count(col) > 1 and col in COLUMNS})
    problems += [f"{name}: column '{col}' appears more than once" for col in duplicated]
    ragged = [line for line, row in records if len(row) > len(header)]
    if ragged:
        problems.append(f"{name}: more fields than the header has ({len(header)}) in line(s) {_list(ragged)}")
    if problems:
        raise InputError("\n".join(problems))

    lines = [line for line, _ in records]
    table = pd.DataFrame([row + [""] * (len(header) - len(row)) for _, row in records], columns=columns)
    table = table[[col for col in COLUMNS if col in columns]].apply(lambda col: col.str.strip())
    if "coder" in table and (table["coder"] == "").all():
        table = table.drop(columns="coder")

    for col in (*REQUIRED, "coder"):
        if col in table:
            empty = [line for line, value in zip(lines, table[col], strict=True) if value == ""]
            if empty:
                problems.append(f"{name}, column '{col}': empty in line(s) {_list(empty)}")
    codes = [frame.resolve(value) if value else "" for value in table["code"]]
    unknown = [(line, value) for line, value, code in zip(lines, table["code"], codes, strict=True)
               if code is None]
    if unknown:
        values = list(dict.fromkeys(value for _, value in unknown))
        problems.append(
            f"{name}, column 'code': {len(values)} unknown code(s) in line(s) {_list([ln for ln, _ in unknown])}: "
            f"{_list([repr(v) for v in values], limit=5)} (use the code ids or labels of {frame.path.name})"
        )
    if problems:
        raise InputError("\n".join(problems))

    table["code"] = codes
    for col in OPTIONAL:
        if col not in table:
            table[col] = None
    return table[list(COLUMNS)].reset_index(drop=True)


def _parse(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and (line number, fields) of each non-blank record; errors for unreadable, empty or header-only files."""
    name = path.name
    text, delimiter = read_text_file(path)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records, start = [], 1
    try:
        for row in reader:
            if any(field.strip() for field in row):
                records.append((start, row))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise InputError(f"{name}: not a valid CSV file near line {reader.line_num} ({exc})") from None
    if not records:  # separators only
        raise InputError(f"{name}: the file is empty")
    header = records.pop(0)[1]
    if not records:
        raise InputError(f"{name}: header only, no coded segments")
    return header, records


def _list(items: list, limit: int = _SHOW) -> str:
    shown = ", ".join(str(item) for item in items[:limit])
    return shown if len(items) <= limit else f"{shown}, ... ({len(items)} in all)"
