"""The ``loopbaanleren validate`` command: summary line, warnings, population from the file name, help."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from io_helpers import valid_frame
from typer.testing import CliRunner

from loopbaanleren.build.cli import app
from loopbaanleren.data.survey_files import write_survey


def run(*args: str):
    return CliRunner().invoke(app, ["validate", *args])


def test_help():
    result = run("--help")
    assert result.exit_code == 0
    assert "--population" in result.output and "FILE" in result.output.upper()


def test_valid_file_gives_one_summary_line(tmp_path):
    path = tmp_path / "students.sav"
    write_survey(valid_frame("students", n=37), path, "students", synthetic=True)
    result = run(str(path))
    assert result.exit_code == 0
    assert result.stdout == "students.sav: 37 rows, valid\n"
    assert result.stderr == ""


def test_warnings_are_counted_and_listed(tmp_path):
    frame = valid_frame("counsellors", n=12)
    frame["opmerking"] = "één café"
    frame["datum"] = "2024-03-01"
    path = tmp_path / "begeleiders.csv"
    frame.to_csv(path, sep=";", decimal=",", index=False, encoding="cp1252")
    result = run(str(path))
    assert result.exit_code == 0
    assert result.stdout == "begeleiders.csv: 12 rows, valid (2 warnings)\n"
    assert result.stderr.splitlines() == [
        "warning: begeleiders.csv: column 'opmerking' is not in the codebook; kept as is",
        "warning: begeleiders.csv: column 'datum' is not in the codebook; kept as is",
    ]


def test_population_option_overrides_the_name(tmp_path):
    path = tmp_path / "export.csv"
    valid_frame("counsellors", n=9).to_csv(path, index=False, encoding="utf-8-sig")
    assert run(str(path), "--population", "counsellors").stdout == "export.csv: 9 rows, valid\n"
    assert run(str(path), "-p", "students").exit_code == 2


def test_command_line_program_prints_no_traceback(tmp_path):
    path = tmp_path / "students.sav"
    path.write_text("dit is geen SPSS-bestand", encoding="utf-8")
    program = Path(sys.executable).parent / "loopbaanleren"
    result = subprocess.run([program, "validate", path], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("error: students.sav: not a readable SPSS .sav file")
    assert "Traceback" not in result.stderr
