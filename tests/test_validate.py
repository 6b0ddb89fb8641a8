"""Validation of data frames against the codebook: one line per problem, all problems at once."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from io_helpers import valid_frame

from loopbaanleren.data.codebook import load_codebook
from loopbaanleren.errors import ParameterError
from loopbaanleren.data.validation import Report, convert, validate

SRC = "students.csv"


def with_cells(frame: pd.DataFrame, column: str, rows: list[int], value) -> pd.DataFrame:
    """A copy with ``value`` at 0-based positions ``rows`` of ``column`` (object column when value is text)."""
    frame = frame.astype({column: object}) if isinstance(value, str) else frame.copy()
    frame.loc[rows, column] = value
    return frame


@pytest.mark.parametrize("population", ["students", "counsellors"])
def test_valid_frame_has_no_problems(population):
    report = validate(valid_frame(population, n=50), population, "data.csv")
    assert report.ok and report.errors == [] and report.warnings == [] and str(report) == ""


def test_all_problems_reported_at_once():
    frame = valid_frame("students", n=20, missing=0).drop(columns=["geslacht"])
    frame = with_cells(frame, "sector", [3, 16], 9)
    frame = with_cells(frame, "leeftijd", [0], 80)
    frame["opmerking"] = "x"
    report = validate(frame, "students", SRC)
    assert not report.ok
    assert sorted(report.errors) == sorted(
        [
            "students.csv: column 'sector', rows 4, 17 (2 rows): value 9 is not a code of the codebook (1-7)",
            "students.csv: column 'leeftijd', row 1 (1 row): value 80 is outside the valid range 16-65",
        ]
    )
    # a variable not asked is no error: only the claims that need it are not computable
    assert report.warnings == [
        "students.csv: column 'opmerking' is not in the codebook; kept as is",
        "students.csv: not measured (absent or empty; the claims that need them are not computable): 'geslacht' (absent)",
    ]


def test_several_bad_values_in_one_line_with_row_numbers_cut_short():
    frame = with_cells(valid_frame("students", n=20, missing=0), "pg_2", [1, 2, 5, 7, 9, 11, 12], 0)
    frame.loc[[12], "pg_2"] = 7
    report = validate(frame, "students", SRC)
    assert report.errors == [
        "students.csv: column 'pg_2', rows 2, 3, 6, 8, 10, ... (7 rows): values 0, 7 are not codes of the codebook (1-4)"
    ]


def test_codes_listed_when_not_consecutive_and_range_for_yes_no():
    frame = with_cells(valid_frame("counsellors", n=10, missing=0), "sw_geen", [4], 2)
    assert validate(frame, "counsellors", "c.sav").errors == [
        "c.sav: column 'sw_geen', row 5 (1 row): value 2 is not a code of the codebook (0-1)"
    ]


def test_counsellor_age_range_differs_from_students():
    frame = with_cells(valid_frame("counsellors", n=10, missing=0), "leeftijd", [2], 18)
    assert validate(frame, "counsellors", "c.csv").errors == [
        "c.csv: column 'leeftijd', row 3 (1 row): value 18 is outside the valid range 20-70"
    ]
    students = with_cells(valid_frame("students", n=10, missing=0), "leeftijd", [2], 18)
    assert validate(students, "students", SRC).ok


def test_missing_codes_and_their_labels_are_valid_values():
    frame = with_cells(valid_frame("students", n=10, missing=0), "leeftijd", [0, 1], -9)
    frame = with_cells(frame, "sector", [2], "weet niet / niet van toepassing")
    assert validate(frame, "students", SRC).ok


def test_text_in_numeric_and_coded_columns():
    frame = with_cells(valid_frame("students", n=10, missing=0), "leeftijd", [6], "twintig")
    frame = with_cells(frame, "sector", [1, 2], "Technik")
    frame = with_cells(frame, "sector", [3], "Zorg")
    assert sorted(validate(frame, "students", SRC).errors) == [
        "students.csv: column 'leeftijd', row 7 (1 row): text 'twintig' is not a number",
        "students.csv: column 'sector', rows 2, 3, 4 (3 rows): texts 'Technik', 'Zorg' are neither codes nor "
        "value labels of the codebook (map them with 'recode' in a mapping file)",
    ]


def test_respondent_ids():
    frame = valid_frame("students", n=10)
    frame.loc[[2, 7], "resp_id"] = "R0001"
    frame.loc[4, "resp_id"] = "  "
    frame.loc[5, "resp_id"] = None
    assert sorted(validate(frame, "students", SRC).errors) == [
        "students.csv: column 'resp_id', rows 1, 3, 8 (3 rows): respondent id 'R0001' occurs more than once",
        "students.csv: column 'resp_id', rows 5, 6 (2 rows): respondent id is empty",
    ]


def test_scale_with_all_items_missing():
    frame = valid_frame("students", n=10)
    frame[["nw_1", "nw_2", "nw_3", "nw_4"]] = -8.0
    frame.loc[3, "nw_2"] = np.nan
    report = validate(frame, "students", SRC)  # a scale nobody answered: only its claims are not computable
    assert report.errors == []
    assert report.warnings == [
        "students.csv: not measured (absent or empty; the claims that need them are not computable): scale 'netwerken'"
    ]


def test_empty_frames():
    assert validate(pd.DataFrame(), "students", SRC).errors == ["students.csv: no columns (the data is empty)"]
    header_only = valid_frame("students", n=0)
    assert validate(header_only, "students", SRC).errors == ["students.csv: no data rows (only a header)"]


def test_duplicate_and_differently_spelled_columns():
    frame = valid_frame("students", n=5).rename(columns={"sector": " Sector "})
    assert validate(frame, "students", SRC).ok
    doubled = pd.concat([frame, frame[["pg_1"]].rename(columns={"pg_1": "PG_1"})], axis=1)
    assert validate(doubled, "students", SRC).errors == [
        "students.csv: column 'pg_1' occurs 2 times; only the first is used"
    ]


def test_convert_gives_codes_with_missing_as_nan():
    frame = valid_frame("students", n=12, seed=9, missing=0.3)
    frame = with_cells(frame, "sector", [0], "Techniek")
    report = Report(SRC)
    data = convert(frame, "students", report)
    assert report.ok
    assert data.loc[0, "sector"] == 6.0  # Techniek is code 6 in the codebook
    numeric = frame.columns.drop("resp_id")
    assert (data[numeric].dtypes == "float64").all()
    expected = frame[numeric].drop(columns="sector").astype(float)
    expected = expected.where(~expected.isin([-9, -8]))
    pd.testing.assert_frame_equal(data[expected.columns], expected)
    kept = convert(frame, "students", Report(SRC), missing_as_nan=False)
    assert kept["pg_1"].isin([-9.0]).sum() == frame["pg_1"].isin([-9.0]).sum()
    assert data["resp_id"].tolist() == frame["resp_id"].tolist()


def test_unknown_population():
    with pytest.raises(ParameterError, match="unknown population 'slb'"):
        validate(valid_frame("students", n=3), "slb", SRC)


cells = st.one_of(
    st.none(),
    st.floats(),
    st.integers(),
    st.booleans(),
    st.text(max_size=8),
    st.sampled_from(["Techniek", "man", "-9", " 3 ", "", "inf"]),
)


@st.composite
def frames(draw):
    names = list(load_codebook().variables("counsellors"))
    columns = draw(st.lists(st.sampled_from([*names, "extra", "Leeftijd"]), unique=True, max_size=15))
    if draw(st.booleans()):
        columns = names + columns
    n = draw(st.integers(0, 6))
    frame = pd.DataFrame({c: draw(st.lists(cells, min_size=n, max_size=n)) for c in dict.fromkeys(columns)})
    return frame.astype(object) if draw(st.booleans()) else frame


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frame=frames())
def test_any_frame_yields_a_report(frame):
    report = validate(frame, "counsellors", "c.csv")
    assert isinstance(report, Report)
    assert report.ok == (report.errors == [])
    assert all(line.startswith("c.csv: ") for line in report.errors + report.warnings)
