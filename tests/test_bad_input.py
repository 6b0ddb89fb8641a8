"""Bad input files through ``loopbaanleren validate``: each gives its specific message line, never a traceback."""

from __future__ import annotations

import json

import pandas as pd
import pyreadstat
import pytest
from io_helpers import valid_frame
from typer.testing import CliRunner

from loopbaanleren.build.cli import app
from loopbaanleren.data.codebook import load_codebook
from loopbaanleren.data.survey_files import write_survey


def students(changes: dict | None = None) -> pd.DataFrame:
    """Valid student data (20 rows, no missing answers) with ``changes`` {(column, positions): value} applied."""
    frame = valid_frame("students", n=20, seed=8, missing=0)
    for (column, rows), value in (changes or {}).items():
        if isinstance(value, str):
            frame = frame.astype({column: object})
        frame.loc[list(rows), column] = value
    return frame


def to_csv(tmp_path, frame, name="students.csv", **options):
    path = tmp_path / name
    frame.to_csv(path, index=False, **options)
    return [str(path)]


def to_bytes(tmp_path, content: bytes, name="students.csv"):
    path = tmp_path / name
    path.write_bytes(content)
    return [str(path)]


def missing_column(tmp_path):  # a required column (a measure not asked is no error)
    return to_csv(tmp_path, students().drop(columns=["hogeschool"]))


def off_scale(tmp_path):
    return to_csv(tmp_path, students({("pg_1", (4,)): 5}))


def text_in_numeric(tmp_path):
    return to_csv(tmp_path, students({("leeftijd", (2,)): "twintig"}))


def unknown_sector_code(tmp_path):
    return to_csv(tmp_path, students({("sector", (3, 16)): 9}))


def unknown_sector_label(tmp_path):
    frame = students()
    sectors = load_codebook().variables("students")["sector"].values
    frame["sector"] = [sectors[int(code)] for code in frame["sector"]]
    frame.loc[7, "sector"] = "Technologie"
    return to_csv(tmp_path, frame)


def duplicated_id(tmp_path):
    return to_csv(tmp_path, students({("resp_id", (9,)): "R0002"}))


def empty_id(tmp_path):
    return to_csv(tmp_path, students({("resp_id", (0,)): ""}))


def empty_file(tmp_path):
    return to_bytes(tmp_path, b"")


def header_only(tmp_path):
    return to_csv(tmp_path, students().iloc[:0])


def truncated_sav(tmp_path):
    path = tmp_path / "students.sav"
    write_survey(students(), path, "students", synthetic=True)
    return to_bytes(tmp_path, path.read_bytes()[:700], "students.sav")


def not_spss(tmp_path):
    return to_bytes(tmp_path, b"resp_id,sector\nR1,2\n", "students.sav")


def binary_csv(tmp_path):
    return to_bytes(tmp_path, bytes(range(256)) * 4)


def labels_disagree(tmp_path):
    sector = load_codebook().variables("students")["sector"].values
    path = tmp_path / "students.sav"
    pyreadstat.write_sav(students(), path, variable_value_labels={"sector": {**sector, 6: "Technisch"}})
    return [str(path)]


def age_out_of_range(tmp_path):
    return to_csv(tmp_path, students({("leeftijd", (10,)): 12}))


def no_such_path(tmp_path):
    return [str(tmp_path / "students.csv")]


def directory(tmp_path):
    (tmp_path / "students").mkdir()
    return [str(tmp_path / "students")]


def unknown_extension(tmp_path):
    return to_csv(tmp_path, students(), name="students.pdf")


def unknown_population(tmp_path):
    return [*to_csv(tmp_path, students()), "--population", "pupils"]


def population_not_in_name(tmp_path):
    return to_csv(tmp_path, students(), name="enquete.csv")


def sidecar_other_population(tmp_path):
    args = to_csv(tmp_path, students())
    (tmp_path / "students.csv.meta.json").write_text(json.dumps({"population": "counsellors", "synthetic": True}))
    return args


def sidecar_not_json(tmp_path):
    args = to_csv(tmp_path, students())
    (tmp_path / "students.csv.meta.json").write_text("{synthetic: yes")
    return args


def ragged_rows(tmp_path):
    args = to_csv(tmp_path, students())
    with open(args[0], "a", encoding="utf-8") as fh:
        fh.write("R9999" + ",1" * 90 + "\n")
    return args


def duplicate_column(tmp_path):
    frame = students()
    return to_csv(tmp_path, pd.concat([frame, frame[["sector"]]], axis=1))


def counsellor_file_as_students(tmp_path):
    return [*to_csv(tmp_path, valid_frame("counsellors", n=5), name="slb.csv"), "--population", "students"]


CASES = [
    (missing_column, "students.csv: column 'hogeschool' is missing (required;"),
    (off_scale, "students.csv: column 'pg_1', line 6 (1 line): value 5 is not a code of the codebook (1-4)"),
    (text_in_numeric, "students.csv: column 'leeftijd', line 4 (1 line): text 'twintig' is not a number"),
    (
        unknown_sector_code,
        "students.csv: column 'sector', lines 5, 18 (2 lines): value 9 is not a code of the codebook (1-7)",
    ),
    (
        unknown_sector_label,
        "students.csv: column 'sector', line 9 (1 line): text 'Technologie' is neither a code nor a value label "
        "of the codebook",
    ),
    (
        duplicated_id,
        "students.csv: column 'resp_id', lines 3, 11 (2 lines): respondent id 'R0002' occurs more than once",
    ),
    (empty_id, "students.csv: column 'resp_id', line 2 (1 line): respondent id is empty"),
    (empty_file, "error: students.csv: the file is empty"),
    (header_only, "students.csv: no data rows (only a header)"),
    (truncated_sav, "error: students.sav: not a readable SPSS .sav file"),
    (not_spss, "error: students.sav: not a readable SPSS .sav file"),
    (binary_csv, "error: students.csv: not a readable text file (neither UTF-8, UTF-16 nor Windows-1252 text)"),
    (
        labels_disagree,
        "students.sav: column 'sector': value labels disagree with the codebook: 6 = 'Technisch' "
        "(codebook: 'Techniek')",
    ),
    (age_out_of_range, "students.csv: column 'leeftijd', line 12 (1 line): value 12 is outside the valid range 16-65"),
    (no_such_path, "students.csv: no such file"),
    (directory, "students: is a directory, not a data file"),
    (unknown_extension, "students.pdf: unknown file type '.pdf' (expected one of .csv, .tsv, .txt, .sav, .zsav, .por, .dta, .xlsx)"),
    (unknown_population, "error: unknown population 'pupils' (choose from: students, counsellors)"),
    (
        population_not_in_name,
        "error: cannot tell the population from the file name 'enquete.csv'; "
        "give --population students or --population counsellors",
    ),
    (
        sidecar_other_population,
        "students.csv: sidecar students.csv.meta.json says population 'counsellors', not 'students'",
    ),
    (sidecar_not_json, "students.csv: sidecar students.csv.meta.json is not valid JSON"),
    (ragged_rows, "error: students.csv: not a readable CSV file (Error tokenizing data. C error: Expected 86 fields"),
    (duplicate_column, "students.csv: column 'sector' occurs 2 times; only the first is used"),
    (
        counsellor_file_as_students,
        "slb.csv: this looks like the studieloopbaanbegeleiders questionnaire, not the studenten one",
    ),
]


@pytest.mark.parametrize(("make", "message"), CASES, ids=[make.__name__ for make, _ in CASES])
def test_bad_input_gives_its_message_and_no_traceback(tmp_path, make, message):
    result = CliRunner().invoke(app, ["validate", *make(tmp_path)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert any(message in line for line in result.stderr.splitlines()), result.stderr
    assert result.stderr.startswith("error: ")
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)


def test_report_names_the_number_of_problems(tmp_path):
    args = to_csv(tmp_path, students({("sector", (1,)): 8, ("pg_2", (2,)): 0}).drop(columns=["vg_1"]))
    stderr = CliRunner().invoke(app, ["validate", *args]).stderr
    assert stderr.splitlines()[0] == "error: students.csv does not fit the codebook (2 problems; line numbers are the file's, the header being line 1):"
    # the item not asked is a warning: its scale is scored from the other items
    assert stderr.splitlines()[3] == (
        "warning: students.csv: not measured (absent or empty; the claims that need them are not computable): "
        "items vg_1 of scale 'vraaggericht' (scored from the others)"
    )
    assert len(stderr.splitlines()) == 4
