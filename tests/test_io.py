"""Reading and writing survey files: round trips, CSV dialects and encodings, labels, synthetic flag."""

from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from io_helpers import answered, valid_frame

from loopbaanleren.data.codebook import POPULATIONS, load_codebook
from loopbaanleren.data.segments import read_segments
from loopbaanleren.errors import InputError, ParameterError
from loopbaanleren.data.survey_files import population_from_name, read_survey, write_survey


def assert_same_data(read: pd.DataFrame, expected: pd.DataFrame) -> None:
    assert list(read.columns) == list(expected.columns)
    assert read["resp_id"].tolist() == expected["resp_id"].tolist()
    numeric = expected.columns.drop("resp_id")
    assert (read[numeric].dtypes == "float64").all()
    np.testing.assert_array_equal(read[numeric].to_numpy(), expected[numeric].to_numpy().astype(float))


@pytest.mark.parametrize("population", POPULATIONS)
def test_sav_round_trip_keeps_values_labels_and_missing_codes(tmp_path, population):
    frame = valid_frame(population, n=40, seed=3, missing=0.2)
    assert frame.isin([-9.0]).any().any() and frame.isin([-8.0]).any().any() and frame.isna().any().any()
    path = tmp_path / f"{population}.sav"
    write_survey(frame, path, population, synthetic=True, note="toets")

    raw, meta = pyreadstat.read_sav(path, user_missing=True)
    assert_same_data(raw, frame)  # the missing codes themselves are stored
    variables = load_codebook().variables(population)
    assert meta.column_names_to_labels == {name: var.label_nl for name, var in variables.items()}
    for name, var in variables.items():
        if var.type == "id":
            continue
        expected = {float(k): v for k, v in {**var.values, -9: "geen antwoord", -8: "weet niet / niet van toepassing"}.items()}
        assert meta.variable_value_labels[name] == expected
        assert meta.missing_ranges[name] == [{"lo": -9.0, "hi": -9.0}, {"lo": -8.0, "hi": -8.0}]
    assert meta.file_label.startswith("SYNTHETISCH")
    assert meta.notes == ["toets"]

    data = read_survey(path, population)
    assert_same_data(data, answered(frame))
    assert data.attrs["synthetic"] is True
    assert data.attrs["population"] == population
    assert data.attrs["n"] == 40
    assert data.attrs["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert data.attrs["source"] == str(path)


def test_sav_not_synthetic_without_the_mark(tmp_path):
    path = tmp_path / "students.sav"
    write_survey(valid_frame("students", n=5), path, "students", synthetic=False)
    assert not pyreadstat.read_sav(path, metadataonly=True)[1].file_label.startswith("SYNTHETISCH")
    assert read_survey(path, "students").attrs["synthetic"] is False


def test_csv_round_trip_and_sidecar(tmp_path):
    frame = valid_frame("counsellors", n=25, seed=5, missing=0.1)
    path = tmp_path / "counsellors.csv"
    write_survey(frame, path, "counsellors", synthetic=True, note="gesimuleerd")
    assert json.loads((tmp_path / "counsellors.csv.meta.json").read_text(encoding="utf-8")) == {
        "population": "counsellors",
        "n": 25,
        "synthetic": True,
        "note": "gesimuleerd",
    }
    written = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert written.loc[0, "resp_id"] == "R0001"
    assert not written["sector"].str.contains(r"\.").any()  # codes written as whole numbers
    assert written.isin([""]).any().any()  # NaN written as an empty cell
    data = read_survey(path, "counsellors")
    assert_same_data(data, answered(frame))
    assert data.attrs["synthetic"] is True


def test_csv_without_sidecar_is_not_synthetic(tmp_path):
    path = tmp_path / "students.csv"
    valid_frame("students", n=5).to_csv(path, index=False)
    assert read_survey(path, "students").attrs["synthetic"] is False


@pytest.mark.parametrize("separator", [";", "\t"])
def test_dutch_excel_csv_cp1252_decimal_comma(tmp_path, separator):
    frame = valid_frame("students", n=12, seed=7, missing=0)
    frame["leeftijd"] = frame["leeftijd"] + 0.5
    frame["opmerking"] = "één café, graag"
    path = tmp_path / "students.csv"
    frame.to_csv(path, sep=separator, decimal=",", index=False, encoding="cp1252")
    assert b"5,5" in path.read_bytes() and "é".encode("cp1252") in path.read_bytes()
    data = read_survey(path, "students")
    assert data["leeftijd"].tolist() == frame["leeftijd"].tolist()
    assert data["opmerking"].tolist() == ["één café, graag"] * 12
    assert data.attrs["warnings"] == ["students.csv: column 'opmerking' is not in the codebook; kept as is"]


def test_utf8_bom_is_read(tmp_path):
    frame = valid_frame("students", n=8, seed=2)
    path = tmp_path / "students.csv"
    frame.to_csv(path, index=False, encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    data = read_survey(path, "students")
    assert data.columns[0] == "resp_id"
    assert_same_data(data, answered(frame))


def test_user_missing_codes_become_nan(tmp_path):
    frame = valid_frame("students", n=6, missing=0)
    frame.loc[1, "sector"] = -9
    frame.loc[4, "leeftijd"] = -8
    path = tmp_path / "students.sav"
    pyreadstat.write_sav(frame, path, missing_ranges={"sector": [-9, -8], "leeftijd": [-9, -8]})
    data = read_survey(path, "students")
    assert np.isnan(data.loc[1, "sector"]) and np.isnan(data.loc[4, "leeftijd"])
    assert data["sector"].notna().sum() == 5


def test_category_labels_are_mapped_to_codes(tmp_path):
    frame = valid_frame("students", n=10, seed=4, missing=0)
    book = load_codebook()
    labelled = frame.astype({"sector": object, "pg_1": object})
    labelled["sector"] = [book.value_label("students", "sector", int(c)) for c in frame["sector"]]
    labelled.loc[0, "sector"] = "  " + labelled.loc[0, "sector"].upper() + " "
    labelled.loc[1, "pg_1"] = "Helemaal  mee eens"
    labelled.loc[2, "pg_1"] = "geen antwoord"
    path = tmp_path / "students.csv"
    labelled.to_csv(path, index=False)
    data = read_survey(path, "students")
    assert data["sector"].tolist() == frame["sector"].tolist()
    assert data.loc[1, "pg_1"] == 4.0
    assert np.isnan(data.loc[2, "pg_1"])


def test_sav_with_string_labels_and_upper_case_names(tmp_path):
    frame = valid_frame("counsellors", n=6, missing=0)
    labelled = frame.astype({"geslacht": object})
    labelled["geslacht"] = frame["geslacht"].map({1.0: "man", 2.0: "vrouw"})
    labelled = labelled.rename(columns={"geslacht": "GESLACHT", "resp_id": "Resp_ID"})
    path = tmp_path / "counsellors.sav"
    pyreadstat.write_sav(labelled, path)
    data = read_survey(path, "counsellors")
    assert data["geslacht"].tolist() == frame["geslacht"].tolist()
    assert data["resp_id"].tolist() == frame["resp_id"].tolist()


def test_sav_value_labels_compared_with_the_codebook(tmp_path):
    sector = load_codebook().variables("students")["sector"].values
    path = tmp_path / "students.sav"
    labels = {**sector, 6: "  TECHNIEK ", 8: "Overig"}  # case and spacing differ: fine; code 8 unknown: warning
    pyreadstat.write_sav(valid_frame("students", n=6, missing=0), path, variable_value_labels={"sector": labels})
    data = read_survey(path, "students")
    assert data.attrs["warnings"] == [
        "students.sav: column 'sector': value labels for codes the codebook does not have: 8 = 'Overig'"
    ]


def test_numeric_ids_read_as_whole_number_strings(tmp_path):
    frame = valid_frame("counsellors", n=4, missing=0)
    frame["resp_id"] = [101.0, 102.0, 103.0, 104.0]
    path = tmp_path / "counsellors.sav"
    pyreadstat.write_sav(frame, path)
    assert read_survey(path, "counsellors")["resp_id"].tolist() == ["101", "102", "103", "104"]


def test_write_refuses_invalid_data_and_unknown_type(tmp_path):
    frame = valid_frame("students", n=5)
    frame.loc[2, "sector"] = 12
    with pytest.raises(InputError, match=r"column 'sector', row 3 \(1 row\): value 12 is not a code"):
        write_survey(frame, tmp_path / "students.csv", "students", synthetic=True)
    assert not (tmp_path / "students.csv").exists()
    with pytest.raises(ParameterError, match="use .csv or .sav"):
        write_survey(valid_frame("students", n=5), tmp_path / "students.xlsx", "students", synthetic=True)
    with pytest.raises(ParameterError, match="unknown population 'pupils'"):
        write_survey(valid_frame("students", n=5), tmp_path / "students.csv", "pupils", synthetic=True)


def test_write_sav_reports_names_spss_cannot_hold(tmp_path):
    frame = valid_frame("students", n=3)
    frame["1e kolom"] = 1.0
    with pytest.raises(InputError, match=r"students.sav: cannot be written as SPSS .sav \(variable name '1e kolom'"):
        write_survey(frame, tmp_path / "students.sav", "students", synthetic=True)


def test_write_creates_the_folder(tmp_path):
    path = tmp_path / "nieuw" / "students.sav"
    write_survey(valid_frame("students", n=5), path, "students", synthetic=True)
    assert read_survey(path, "students").attrs["n"] == 5


@pytest.mark.parametrize(
    ("name", "population"),
    [
        ("students.csv", "students"),
        ("Studenten_2024.sav", "students"),
        ("counsellors.sav", "counsellors"),
        ("slb-enquete.csv", "counsellors"),
        ("begeleiders.csv", "counsellors"),
        ("data.csv", None),
        ("student_slb.csv", None),
    ],
)
def test_population_from_name(name, population):
    assert population_from_name(name) == population


def test_simulated_data_reads_back(tmp_path):
    simulate = pytest.importorskip("loopbaanleren.data.simulation").simulate
    frames = simulate(seed=11, n_students=120, n_counsellors=40)
    for population, frame in frames.items():
        for suffix in (".csv", ".sav"):
            path = tmp_path / f"{population}{suffix}"
            write_survey(frame, path, population, synthetic=True)
            data = read_survey(path, population)
            assert data.attrs["synthetic"] is True
            assert_same_data(data, answered(frame[list(data.columns)]))


cells = st.one_of(
    st.none(),
    st.floats(),
    st.integers(),
    st.text(max_size=6),
    st.sampled_from(["Techniek", "-9", "3,5", "", " ", "nan", "1e999"]),
)


@st.composite
def frames(draw):
    variables = list(load_codebook().variables("students"))
    columns = draw(st.lists(st.sampled_from([*variables, "extra", "SECTOR"]), unique=True, max_size=12))
    n = draw(st.integers(0, 5))
    if draw(st.booleans()):
        columns = variables + columns  # often a complete file with some noise
    return pd.DataFrame({c: draw(st.lists(cells, min_size=n, max_size=n)) for c in dict.fromkeys(columns)})


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frame=frames(), sep=st.sampled_from([",", ";"]))
def test_read_survey_on_any_csv_returns_data_or_input_error(frame, sep):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "students.csv"
        frame.to_csv(path, sep=sep, index=False)
        try:
            data = read_survey(path, "students")
        except InputError as error:
            assert str(error).strip()
        else:
            assert data.attrs["n"] == len(frame)


@settings(max_examples=40, deadline=None)
@given(content=st.binary(max_size=300), suffix=st.sampled_from([".csv", ".sav"]))
def test_read_survey_on_any_bytes_returns_data_or_input_error(content, suffix):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"students{suffix}"
        path.write_bytes(content)
        try:
            read_survey(path, "students")
        except InputError as error:
            assert str(error).strip()


DIALECTS = [("utf-8", ","), ("utf-8-sig", ";"), ("utf-16", "\t"), ("cp1252", ";")]


@pytest.mark.parametrize(("encoding", "separator"), DIALECTS)
def test_surveys_and_interviews_are_decoded_by_one_reader(tmp_path, encoding, separator):
    frame = valid_frame("students", n=6, seed=5, missing=0)
    frame["opmerking"] = "café"
    survey = tmp_path / "students.csv"
    survey.write_bytes(("\n" + frame.to_csv(index=False, sep=separator)).encode(encoding))  # a blank first line
    data = read_survey(survey, "students")
    assert_same_data(data.drop(columns="opmerking"), frame.drop(columns="opmerking"))
    assert data["opmerking"].tolist() == ["café"] * 6

    rows = [["interview", "code", "segment"], ["I1", "leerzaam", "geïnterviewd"], ["I2", "Plezierig", "café"]]
    interviews = tmp_path / "interviews.csv"
    interviews.write_bytes(("\n" + "\n".join(separator.join(row) for row in rows) + "\n").encode(encoding))
    segments = read_segments(interviews)
    assert segments["code"].tolist() == ["leerzaam", "plezierig"]
    assert segments["segment"].tolist() == ["geïnterviewd", "café"]


@pytest.mark.parametrize("content", [b"", b" \n\t\n", "\n".encode("utf-16")])
def test_an_empty_text_file_is_refused_alike_for_surveys_and_interviews(tmp_path, content):
    for name, read in (("students.csv", lambda p: read_survey(p, "students")), ("interviews.csv", read_segments)):
        path = tmp_path / name
        path.write_bytes(content)
        with pytest.raises(InputError) as exc:
            read(path)
        assert str(exc.value) == f"{name}: the file is empty"


def test_the_delimiter_is_the_most_frequent_in_the_first_non_blank_line(tmp_path):
    from loopbaanleren.data.file_formats import read_text_file

    path = tmp_path / "x.csv"
    path.write_text("\n  \na;b;c,d\n1,2,3,4\n", encoding="utf-8")
    assert read_text_file(path) == ("\n  \na;b;c,d\n1,2,3,4\n", ";")
    path.write_text("a;b,c\tx\n", encoding="utf-8")  # a tie goes to the comma
    assert read_text_file(path)[1] == ","
    with pytest.raises(InputError, match="missing.csv: file not found"):
        read_text_file(tmp_path / "missing.csv")
