"""Read and write survey data files in the compendium's one in-memory form.

Read: CSV, SPSS .sav/.zsav/.por, Stata .dta and Excel .xlsx (see :mod:`loopbaanleren.data.file_formats`), optionally
through a mapping file (:mod:`loopbaanleren.data.mapping`). Written: CSV and .sav.

In memory a questionnaire is a DataFrame with one row per respondent, ``resp_id`` as string and every other
codebook variable as float64 codes, missing codes (-9, -8) as NaN; unknown extra columns are kept. ``attrs``
carry ``source``, ``sha256``, ``population``, ``n``, ``synthetic`` and ``warnings`` (report lines).

CSV files may be comma separated or Dutch Excel style (``;`` or tab, and decimal comma), UTF-8 (with or
without BOM), UTF-16 or Windows-1252; the separator is sniffed from the header line. Missing codes and ranges a
file declares (SPSS user-missing) are treated as missing. Whether data is synthetic is
read from a sidecar ``<file>.meta.json`` for CSV and from the file label (starting with ``SYNTHETISCH``)
for .sav.

The value labels of a .sav or .dta file are compared with the codebook (case and spacing ignored). A label that
differs from the codebook's label for the same code is an error: the codes would mean something else than
the analyses assume (a reversed answer scale, say). A label for a code the codebook does not have is a
warning: harmless by itself, and the code is an error of its own wherever it occurs in the data.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from loopbaanleren.data.codebook import load_codebook
from loopbaanleren.errors import InputError, ParameterError
from loopbaanleren.data.file_formats import SUFFIXES as READ_SUFFIXES
from loopbaanleren.data.file_formats import TEXT_SUFFIXES, Declared, declared_mask, read_cells
from loopbaanleren.data.limits import check_readable
from loopbaanleren.data.manifest import sha256_file
from loopbaanleren.data.mapping import EMPTY, Mapping, new_record, recode_lookup
from loopbaanleren.data.validation import Report, check_population, convert, normalise_label

SUFFIXES = (".csv", ".sav")  # the formats written
SYNTHETIC_MARK = "SYNTHETISCH"
_POPULATION_HINTS = {"students": ("student",), "counsellors": ("counsel", "slb", "begeleider")}


def read_survey(path: str | Path, population: str, mapping: Mapping | None = None, full: bool = False) -> pd.DataFrame:
    """Read a data file of ``population`` (any format of :mod:`loopbaanleren.data.file_formats`), apply the ``mapping``
    (see :mod:`loopbaanleren.data.mapping`), validate it and return it in codes (see module docstring).

    Missing codes and ranges the file declares (SPSS user-missing) become NaN, reported once as a warning.
    ``full`` lists every instance of a repeated problem instead of the first five. Raises InputError listing every
    problem when the file is unreadable or does not fit the codebook.
    """
    path = Path(path)
    check_population(population)
    check_data_file(path)
    if _is_absent(path):
        return absent_survey(path, population)
    check_readable(path)  # a file too large for memory (or declaring so) is refused before it is read
    mapping = (mapping or EMPTY).for_population(population)
    report = Report(path.name, full=full)
    raw, declared = read_cells(path, mapping.header_row)
    problems = mapping.check(population, [str(c).strip() for c in raw.columns])
    if problems:
        raise InputError("\n".join(problems))
    renamed = dict(zip((str(c).strip() for c in raw.columns), mapping.renamed_columns(list(raw.columns))))
    record = new_record()
    record["unit"] = "line" if path.suffix.lower() in (*TEXT_SUFFIXES, ".xlsx") else "case"
    record["header_row"] = mapping.header_row
    lines = raw.attrs.get("lines") or list(range(1, len(raw) + 1))  # a text file's lines, else case numbers
    raw = mapping.apply(raw, population, record, lines=lines)
    dropped = set(record["rows_dropped"])
    report.lines = [line for line in lines if line not in dropped]
    report.unit = record["unit"]
    raw = _honour_declared_missing(raw, declared, renamed, population, report, record)
    labels = {
        renamed.get(column, column): {
            code: label for code, label in values.items() if not declared_mask(pd.Series([code]), declared.missing.get(column, [])).iloc[0]
        }
        for column, values in declared.labels.items()
    }
    record["trusted"] = _compare_value_labels(labels, population, report, mapping)
    if path.suffix.lower() in TEXT_SUFFIXES:
        synthetic = _read_sidecar(path, population, report)
    else:
        synthetic = declared.file_label.startswith(SYNTHETIC_MARK)
    data = convert(raw, population, report)
    report.collapse()
    if not report.ok:
        count = len(report.errors)
        raise InputError(
            f"{path.name} does not fit the codebook ({count} problem{'s' if count > 1 else ''}; {report.numbering}):"
            f"\n{report}"
        )
    data = mapping.reverse_items(data, population)
    record["reversed"] = [name for name in mapping.reverse if name in data]
    data.attrs.update(
        source=str(path),
        sha256=sha256_file(path),
        population=population,
        n=len(data),
        synthetic=synthetic,
        warnings=list(report.warnings),
        not_measured=list(data.attrs.get("not_measured", [])),
        absent_measures=list(data.attrs.get("absent_measures", [])),
        mapping_report=record,
    )
    if path.suffix.lower() in TEXT_SUFFIXES and _sidecar_description(path):
        data.attrs["description"] = _sidecar_description(path)
    return data


def write_absent(path: Path, population: str) -> None:
    """Write the stand-in of a survey the user left out (``--no-students``/``--no-counsellors``): the codebook's
    header without rows, its sidecar saying ``absent``; read back by :func:`absent_survey`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    names = list(load_codebook().variables(population))
    path.write_text(",".join(names) + "\n", encoding="utf-8")
    meta = {"population": population, "n": 0, "synthetic": False, "absent": True}
    _sidecar(path).write_text(json.dumps(meta) + "\n", encoding="utf-8")


def absent_survey(path: Path, population: str) -> pd.DataFrame:
    """A survey that was not held: no rows, every codebook variable, every measure named as absent (so that every
    claim on it is not computable and every section on it says so)."""
    codebook = load_codebook()
    variables = codebook.variables(population)
    data = pd.DataFrame({name: pd.Series(dtype=object if var.type == "id" else "float64")
                         for name, var in variables.items()})
    scales = codebook.scales(population)
    in_scale = {item for scale in scales.values() for item in scale.items}
    measures = [*scales, *(name for name, var in variables.items() if var.type != "id" and name not in in_scale)]
    data.attrs.update(source=str(path), sha256=sha256_file(path), population=population, n=0, synthetic=False, absent=True,
                      warnings=[], not_measured=[f"de hele vragenlijst ({population} left out)"],
                      absent_measures=measures, mapping_report=new_record())
    return data


def _is_absent(path: Path) -> bool:
    sidecar = _sidecar(path)
    if path.suffix.lower() not in TEXT_SUFFIXES or not sidecar.is_file():
        return False
    try:
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return False
    return isinstance(meta, dict) and meta.get("absent") is True


def _honour_declared_missing(
    raw: pd.DataFrame, declared: Declared, renamed: dict[str, str], population: str, report: Report, record: dict
) -> pd.DataFrame:
    """Cells holding a missing code the file declares become empty; one warning names the codes, ``record``
    counts the cells per variable and code."""
    variables = load_codebook().variables(population)
    own = set(load_codebook().missing_codes)
    seen: dict[str, int] = {}
    for column, entries in declared.missing.items():
        name = renamed.get(column, column)
        if name not in raw or name not in variables or variables[name].type == "id":
            continue
        mask = declared_mask(raw[name], entries)
        if mask.any():
            counted = pd.to_numeric(raw[name][mask], errors="coerce").value_counts().sort_index()
            counted = counted[~counted.index.isin(list(own))]  # the codebook's own missing codes change nothing
            if len(counted):
                record["declared_missing"][name] = {f"{code:g}": int(n) for code, n in counted.items()}
            raw[name] = raw[name].mask(mask)
        for entry in entries:
            shown = f"{entry[0]:g}-{entry[1]:g}" if isinstance(entry, tuple) else f"{entry:g}"
            if isinstance(entry, tuple) or entry not in own:
                seen[shown] = seen.get(shown, 0) + 1
    if seen:
        codes = ", ".join(seen)
        columns = max(seen.values())
        report.warn(
            f"the file declares missing codes {codes} (in {columns} column{'s' if columns != 1 else ''}); "
            "those cells are treated as missing"
        )
    return raw


def write_survey(
    data: pd.DataFrame, path: str | Path | Sequence[str | Path], population: str, synthetic: bool, note: str = "",
    origin: dict | None = None,
) -> None:
    """Write valid data as .csv (plus ``<file>.meta.json``) or as .sav with the codebook's labels; ``path`` may be
    several files (the data are checked once).

    ``origin`` (``source``, ``sha256``, ``mapping_report``) names in the sidecar the user's file a CSV was prepared
    from and what the mapping did to it (a record for a reader; :func:`read_survey` takes name and checksum from
    the file itself, and the build passes the origin to the readers it shares).

    Missing codes in ``data`` are written as such (declared user-missing in .sav); NaN is written empty
    (CSV) or system-missing (.sav). Raises InputError when the data does not fit the codebook.
    """
    paths = [Path(path)] if isinstance(path, (str, Path)) else [Path(p) for p in path]
    check_population(population)
    for target in paths:
        if target.suffix.lower() not in SUFFIXES:
            raise ParameterError(f"{target}: cannot write '{target.suffix}' files (use .csv or .sav)")
    report = Report(", ".join(target.name for target in paths))
    codes = convert(data, population, report, missing_as_nan=False)
    if not report.ok:
        raise InputError(f"refusing to write {report.source}: the data does not fit the codebook:\n{report}")
    whole = [c for c in codes if _whole(codes[c])]
    for target in paths:
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            if target.suffix.lower() == ".csv":
                codes.astype(dict.fromkeys(whole, "Int64")).to_csv(target, index=False, encoding="utf-8")
                meta = {"population": population, "n": len(codes), "synthetic": bool(synthetic), "note": note}
                if origin:
                    meta["origin"] = origin
                _sidecar(target).write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            else:
                write_sav(codes, target, population, synthetic, note, whole)
        except OSError as exc:  # pandas names no file: the one that could not be written is named
            raise OSError(exc.errno, exc.strerror or str(exc), exc.filename or str(target)) from None


def population_from_name(path: str | Path) -> str | None:
    """The population a file name points to ('student' or 'counsel'/'slb'/'begeleider'), None when unclear."""
    name = Path(path).name.casefold()
    found = [pop for pop, hints in _POPULATION_HINTS.items() if any(hint in name for hint in hints)]
    return found[0] if len(found) == 1 else None


def check_data_file(path: str | Path) -> None:
    """Raise InputError unless ``path`` is an existing file of a readable type."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a directory, not a data file")
    if path.suffix.lower() not in READ_SUFFIXES:
        raise InputError(f"{path}: unknown file type '{path.suffix}' (expected one of {', '.join(READ_SUFFIXES)})")


def _sidecar(path: Path) -> Path:
    return path.with_name(path.name + ".meta.json")


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


def _sidecar_description(path: Path) -> str:
    """The ``description`` a sidecar ``<file>.meta.json`` gives the data ("" without one). A sidecar describes;
    it never names the file or its checksum, which the reader takes from the file itself."""
    sidecar = _sidecar(path)
    try:
        meta = json.loads(sidecar.read_text(encoding="utf-8")) if sidecar.is_file() else {}
    except (UnicodeDecodeError, json.JSONDecodeError):
        return ""
    description = meta.get("description") if isinstance(meta, dict) else None
    return description[:1000] if isinstance(description, str) else ""


def _compare_value_labels(labels: dict[str, dict], population: str, report: Report, mapping: Mapping) -> list[str]:
    """Report value labels of the file that disagree with the codebook (see module docstring); return the
    variables whose codes the ``mapping`` trusts despite their labels.

    The file's codes are first translated by the mapping's ``recode``. A disagreement is an error unless the
    mapping trusts the variable: by name always; by ``"*"`` only when the labels are worded differently, not
    when they are the codebook's labels in another order (then the error gives the recode that reads them).
    ``trust_labels: true`` trusts nothing: it is refused with one line naming the variables whose labels differ.
    """
    variables = {name.casefold(): var for name, var in load_codebook().variables(population).items()}
    trusted, reordered, worded = [], {}, []
    for column, file_labels in labels.items():
        var = variables.get(str(column).strip().casefold())
        if var is None or var.type == "id" or var.open_codes:
            continue
        lookup = recode_lookup(mapping, var.name)
        file_labels = {lookup.get(code, code): label for code, label in file_labels.items()}
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
        if unknown:
            report.warn(f"value labels for codes the codebook does not have: {'; '.join(unknown)}", var.name)
        if not differ:
            continue
        inferred = infer_recode(file_labels, var.values)
        how = mapping.trusts(var.name)
        if how == "named" or (how == "all" and mapping.trust_labels == "*" and inferred is None):
            trusted.append(var.name)
            continue
        if inferred is not None:
            reordered[var.name] = inferred
        else:
            worded.append(var.name)
        if mapping.trust_labels is True:
            continue
        if inferred is not None:
            rule = "{" + ", ".join(f"{k:g}: {v}" for k, v in inferred.items()) + "}"
            report.error(
                f"value labels are the codebook's in another order: {'; '.join(differ)}; to read the codes by "
                f"their labels put recode: {{{var.name}: {rule}}} in a mapping file (or trust_labels: [{var.name}] "
                "if the codes mean what the codebook says)",
                var.name,
            )
        else:
            report.error(
                f"value labels disagree with the codebook: {'; '.join(differ)} "
                f"(if the codes mean the same, set trust_labels: [{var.name}] in a mapping file)",
                var.name,
            )
    if mapping.trust_labels is True and (reordered or worded):
        names = [*reordered, *worded]
        listed = _listed(names)
        proposals = [f"recode: {{{name}: {{" + ", ".join(f"{k:g}: {v}" for k, v in rule.items()) + "}}"
                     for name, rule in reordered.items()]
        report.error(
            f"trust_labels: true would accept the codes of {listed}, whose value labels differ from the codebook's; "
            "name the variables you trust (trust_labels: [" + ", ".join((worded or names)[:3])
            + (", ..." if len(worded or names) > 3 else "") + "]"
            + (", or '*' for every variable whose labels are only worded differently)" if worded else ")")
            + (f" and recode those whose labels are the codebook's in another order ({'; '.join(proposals)})"
               if proposals else "")
        )
    if trusted:
        shown = ", ".join(trusted[:5]) + (", ..." if len(trusted) > 5 else "")
        report.warn(f"value labels worded differently from the codebook in {len(trusted)} "
                    f"column{'s' if len(trusted) != 1 else ''} ({shown}); codes trusted (trust_labels)")
    return trusted


def _listed(names: list[str], shown: int = 8) -> str:
    """'a, b, c' or the first ``shown`` names and how many there are."""
    return ", ".join(names[:shown]) + (f", ... ({len(names)} variables)" if len(names) > shown else "")


def infer_recode(file_labels: dict, values: dict[int, str]) -> dict[float, int] | None:
    """The recode (file code -> codebook code) that gives each labelled file code the codebook code of the same
    label, when the file's labels are the codebook's in another order; None when that is not so (labels worded
    otherwise, or the same order).

    Labels are matched with case and spacing ignored, else by the most similar codebook label (difflib ratio at
    least 0.8), one to one.

    >>> infer_recode({1: "Vrouw", 2: "Man"}, {1: "man", 2: "vrouw"})
    {1: 2, 2: 1}
    """
    import difflib

    by_label = {normalise_label(label): code for code, label in values.items()}
    codes = {code: label for code, label in file_labels.items()
             if isinstance(code, int | float) and float(code).is_integer() and int(code) in values}
    inferred: dict = {}
    for code, label in codes.items():
        key = normalise_label(label)
        if key not in by_label:
            close = difflib.get_close_matches(key, list(by_label), n=1, cutoff=0.8)
            if not close:
                return None
            key = close[0]
        inferred[int(code)] = by_label[key]
    if len(set(inferred.values())) != len(inferred) or all(k == v for k, v in inferred.items()):
        return None
    return inferred


def write_sav(
    codes: pd.DataFrame, path: Path, population: str, synthetic: bool, note: str, whole: list[str]
) -> None:
    """Write .sav with the codebook's variable and value labels and its missing codes declared user-missing."""
    import pyreadstat

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
    except Exception as exc:  # readstat's errors, and values it cannot store
        if "unable to write" in str(exc).lower():  # the disk, not the data (readstat names no cause)
            full = shutil.disk_usage(path.parent).free < (1 << 20)
            cause = errno.ENOSPC if full else errno.EIO
            raise OSError(cause, os.strerror(cause), str(path)) from None
        raise InputError(f"{path.name}: cannot be written as SPSS .sav ({exc})") from None


def _whole(column: pd.Series) -> bool:
    """True for a float column holding only whole numbers (written without decimals)."""
    values = column.dropna()
    return column.dtype == "float64" and bool(np.isfinite(values).all() and values.eq(values.round()).all())


