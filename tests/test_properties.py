"""Property-based tests of the readers, the validator and the parameter checks: whatever comes in, the answer is
data, a report, or the compendium's own error, never another exception.

They extend tests/test_validate.py (any counsellor frame yields a report) and tests/test_io.py (any CSV or bytes
read as students) with: soundness of the validator (data it passes really fits the codebook), SPSS files with
any values, labels and user-missing codes, every CSV dialect and encoding, the command line, the interview
reader, and the build parameters and their YAML file.
"""

from __future__ import annotations

import json
import math
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from loopbaanleren.build.cli import app
from loopbaanleren.data.codebook import load_codebook
from loopbaanleren.errors import InputError, ParameterError
from loopbaanleren.data.survey_files import read_survey
from loopbaanleren.build.param_check import check
from loopbaanleren.build.params import BuildParams, load_params_file
from loopbaanleren.data.segments import read_segments
from loopbaanleren.data.validation import Report, convert

VARIABLES = load_codebook().variables("students")
SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def valid_cell(name: str):
    """A cell the codebook allows in column ``name``: a code, a label (any case and spacing), a missing code, empty."""
    var = VARIABLES[name]
    missing = [*var.missing_codes, None, math.nan]
    if var.coded:
        labels = st.sampled_from([*var.values.values(), *var.missing_codes.values()])
        return st.one_of(
            st.sampled_from(list(var.values)),
            st.sampled_from(list(var.values)).map(str),
            labels.map(lambda label: f" {label.upper()} "),
            st.sampled_from(missing),
        )
    return st.one_of(st.floats(var.valid_min, var.valid_max), st.sampled_from(missing))


noise = st.one_of(st.none(), st.floats(), st.integers(-20, 120), st.text(max_size=6))


@st.composite
def student_frames(draw):
    """A student table with valid cells, then (often) some damage: cells, stray or dropped columns, ids."""
    n = draw(st.integers(0, 6))
    data = {"resp_id": [f"R{i:03d}" for i in range(n)]}
    for name in list(VARIABLES)[1:]:
        data[name] = draw(st.lists(valid_cell(name), min_size=n, max_size=n))
    frame = pd.DataFrame(data, dtype=object)
    columns = st.sampled_from([*VARIABLES, "extra", "SECTOR", " pg_1", ""])
    for column, row, value in draw(st.lists(st.tuples(columns, st.integers(0, 5), noise), max_size=3)):
        if column not in frame:
            frame[column] = None
        if row < n:
            frame.loc[row, column] = value
    dropped = draw(st.lists(st.sampled_from(list(VARIABLES)), unique=True, max_size=2))
    return frame.drop(columns=dropped if draw(st.booleans()) else [])


@SETTINGS
@given(frame=student_frames())
def test_data_the_validator_passes_fits_the_codebook(frame):
    report = Report("s.csv")
    data = convert(frame, "students", report)
    if not report.ok:
        assert all(line.startswith("s.csv: ") for line in report.errors)
        return
    assert len(data) == len(frame) > 0
    ids = data["resp_id"]
    assert ids.notna().all() and ids.is_unique
    for name, var in VARIABLES.items():
        if var.type == "id":
            continue
        values = data[name].dropna()
        assert data[name].dtype == "float64"
        if var.coded:
            assert values.isin(list(var.values)).all(), name
        else:
            assert values.between(var.valid_min, var.valid_max).all(), name


def any_sav_frame():
    """Columns named after codebook variables holding numbers or text, as pyreadstat can write them."""
    numbers = st.lists(st.one_of(st.floats(-1e6, 1e6), st.integers(-99, 99).map(float), st.just(math.nan)), min_size=3, max_size=3)
    texts = st.lists(st.text(st.characters(codec="latin-1", exclude_categories=["Cc"]), max_size=5), min_size=3, max_size=3)
    names = st.lists(st.sampled_from([*list(VARIABLES)[:12], "extra"]), unique=True, min_size=1, max_size=8)
    return names.flatmap(lambda cols: st.fixed_dictionaries({c: st.one_of(numbers, texts) for c in cols})).map(pd.DataFrame)


@SETTINGS
@given(
    frame=any_sav_frame(),
    labels=st.dictionaries(st.integers(-9, 9), st.text(max_size=8), max_size=4),
    missing=st.lists(st.integers(-99, 99), max_size=2),
)
def test_read_survey_on_any_sav_returns_data_or_input_error(frame, labels, missing):
    numeric = [c for c in frame if frame[c].dtype == "float64"]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "students.sav"
        pyreadstat.write_sav(
            frame,
            path,
            variable_value_labels={c: {float(k): v for k, v in labels.items()} for c in numeric[:2]},
            missing_ranges={c: missing for c in numeric[:1] if missing},
        )
        try:
            data = read_survey(path, "students")
        except InputError as error:
            assert str(error).strip()
        else:
            assert len(data) == len(frame)


@SETTINGS
@given(
    frame=student_frames(),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
    dialect=st.sampled_from([(",", "."), (";", ","), ("\t", ",")]),
)
def test_read_survey_in_any_dialect_and_encoding_returns_data_or_input_error(frame, encoding, dialect):
    separator, decimal = dialect
    frame = frame.map(lambda v: v.encode("cp1252", "replace").decode("cp1252") if isinstance(v, str) else v)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "students.csv"
        frame.to_csv(path, sep=separator, decimal=decimal, index=False, encoding=encoding)
        try:
            data = read_survey(path, "students")
        except InputError as error:
            assert str(error).strip()
        else:
            assert len(data) == len(frame)


@settings(max_examples=30, deadline=None)
@given(content=st.binary(max_size=400), name=st.sampled_from(["students.csv", "slb.csv", "students.sav", "x.csv"]))
def test_validate_command_on_any_bytes_exits_cleanly(content, name):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(content)
        result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code in (0, 2)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    if result.exit_code == 2:
        assert result.stdout == "" and result.stderr.startswith("error: ")
    else:
        assert result.stdout.startswith(f"{name}: ") and " rows, valid" in result.stdout


segment_cells = st.one_of(st.sampled_from(["A01", "B02", "C1", "leerzaam", "plezierig", "", " ", '"']), st.text(max_size=5))


@SETTINGS
@given(
    header=st.lists(st.sampled_from(["interview", "code", "coder", "segment", "segment_id", "Code", "extra"]), max_size=6),
    rows=st.lists(st.lists(segment_cells, max_size=7), max_size=5),
)
def test_read_segments_on_any_table_returns_segments_or_input_error(header, rows):
    text = "\n".join(",".join(row) for row in [header, *rows])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "interviews.csv"
        path.write_text(text, encoding="utf-8")
        try:
            segments = read_segments(path)
        except InputError as error:
            assert str(error).strip()
        else:
            assert {"interview", "code", "segment"} <= set(segments.columns)


DECLARED = {
    "00_data": {"students_path": "", "seed": 2026, "min_cell": 10, "n_boot": 200},
    "03_slb": {"alpha": 0.05, "labels": ["a"]},
}
KEYS = ["seed", "alpha", "min_cell", "n_students", "n_counsellors", "only", "n_boot", "labels", "students", "sed"]
values = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 10**6), st.floats(allow_nan=True), st.text(max_size=6),
    st.lists(st.integers(0, 9), max_size=3),
)


@SETTINGS
@given(raw=st.dictionaries(st.sampled_from(KEYS), values, max_size=5))
def test_build_parameters_are_accepted_or_refused_with_a_message(raw):
    try:
        params = check(raw, DECLARED, (4820, 371))
    except ParameterError as error:
        lines = str(error).splitlines()
        assert lines and len(set(lines)) == len(lines)  # each problem once
    else:
        assert isinstance(params, BuildParams)
        assert 0 < params.alpha < 1 and params.min_cell >= 1 and params.seed >= 0


params_lines = st.builds(lambda key, value: f"{key}: {json.dumps(value)}", st.sampled_from(KEYS), values | st.text(max_size=8))


@settings(max_examples=40, deadline=None)
@given(text=st.one_of(st.text(max_size=60), st.lists(params_lines, max_size=4).map("\n".join)))
def test_params_file_gives_parameters_or_a_parameter_error(text):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "p.yml"
        path.write_text(text, encoding="utf-8")
        try:
            params = check(load_params_file(path), DECLARED, (4820, 371))
        except ParameterError as error:
            assert str(error).strip()
        else:
            assert isinstance(params, BuildParams)


def test_the_soundness_property_can_fail():
    """The validator's pass is checked against the codebook itself: a value off the scale must not pass."""
    frame = pd.DataFrame({name: [np.nan] for name in VARIABLES}, dtype=object)
    frame["resp_id"] = ["R1"]
    frame["pg_1"] = [5]
    report = Report("s.csv")
    convert(frame, "students", report)
    assert not report.ok
