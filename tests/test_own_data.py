"""Own data: a foreign export read through a mapping file, its mistakes, the formats, templates, partial books."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pyreadstat
import pytest
from build_helpers import MIN_CELL, own_data_book, table_rows  # noqa: F401  (fixture)
from own_data_helpers import EXTRA_HOGESCHOOL, NOT_ASKED, make_export
from typer.testing import CliRunner

from loopbaanleren.build.cli import app
from loopbaanleren.data.codebook import load_codebook
from loopbaanleren.data.disclosure import suppression_marker
from loopbaanleren.errors import InputError, ParameterError
from loopbaanleren.book.formatting import fmt_n
from loopbaanleren.data.survey_files import read_survey
from loopbaanleren.data.mapping import Mapping, load_mapping
from loopbaanleren.build.param_check import check
from loopbaanleren.data.templates import guess_columns, questionnaire_markdown, write_templates

runner = CliRunner()


@pytest.fixture(scope="module")
def export(small_data, tmp_path_factory) -> dict[str, Path]:
    return make_export(small_data, tmp_path_factory.mktemp("export"))


def test_the_export_reads_through_its_mapping(export, small_data):
    mapping = load_mapping(export["mapping"])
    students = read_survey(export["students"], "students", mapping)
    original = read_survey(small_data["students"], "students")
    assert len(students) == len(original) == 600  # the two survey-tool header rows are skipped
    assert (students["sector"] == original["sector"]).all()  # spelled differently, recoded to the same codes
    assert (students["hogeschool"] == EXTRA_HOGESCHOOL).sum() == 40  # a 12th hogeschool is a cluster of its own
    assert students[list(NOT_ASKED)].isna().all().all()
    assert students.attrs["absent_measures"] == ["werkexploratie"]

    counsellors = read_survey(export["counsellors"], "counsellors", mapping)
    raw, _ = pyreadstat.read_sav(export["counsellors"], user_missing=True)
    declared = raw.filter(like="bdv_").isin([98, 99]).sum().sum()
    assert declared == 24
    expected = raw.filter(like="bdv_").mask(raw.filter(like="bdv_").isin([98, 99]))
    pd.testing.assert_frame_equal(counsellors.filter(like="bdv_"), expected.astype(float), check_names=False)
    assert any("declares missing codes 98, 99" in line for line in counsellors.attrs["warnings"])


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ({"rename": {"Q1_2": "sectr"}}, "mapping: rename Q1_2 -> sectr: 'sectr' is not a variable of the codebook (did you mean sector?)"),
        ({"rename": {"Q9_9": "leeftijd"}}, "mapping: rename Q9_9 -> leeftijd: the file has no column 'Q9_9'"),
        (
            {"rename": {"Q1_2": "sector"}, "recode": {"sector": {"Landbouw": 9}}},
            "mapping: recode sector: 'Landbouw' -> 9: 9 is not a code of 'sector' (1 = Agrarisch, 2 = Economie, "
            "3 = Gedrag & Maatschappij, 4 = Kunst & Cultuur, 5 = Onderwijs, 6 = Techniek, 7 = Zorg & Welzijn)",
        ),
        ({"recode": {"geslacht": {"M": 1}}, "rename": {"Q1_1": "hogeschool"}}, None),
        ({"reverse": ["pg_9"]}, "mapping: reverse pg_9: 'pg_9' is not a variable of the codebook (did you mean pg_5, pg_4, pg_3?)"),
    ],
)
def test_each_mapping_mistake_has_its_own_line(rules, message):
    columns = ["ResponseId", "Q1_1", "Q1_2", "geslacht"]
    problems = Mapping(**rules).check("students", columns)
    assert problems == ([message] if message else [])


def test_mapping_file_form_is_checked(tmp_path):
    path = tmp_path / "m.yaml"
    path.write_text("renames: {a: b}\nskip_rows: [0]\n")
    with pytest.raises(ParameterError) as err:
        load_mapping(path)
    assert str(err.value).splitlines() == [
        "m.yaml: skip_rows: Value error, rows are counted from 1 (the first row after the header), got [0]",
        "m.yaml: unknown key 'renames' (known keys: header_row, skip_rows, rename, recode, missing_codes, trust_labels, reverse, students, counsellors)",
    ]


def test_no_codebook_column_names_the_columns_the_nearest_names_and_the_way_out(tmp_path):
    path = tmp_path / "students.csv"
    path.write_text("ResponseId,Hogeschol,sectorr,Q5\n1,2,3,4\n")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[1] == "students.csv: no column name is a variable of the codebook; the file has: ResponseId, Hogeschol, sectorr, Q5"
    assert lines[2] == "  nearest codebook names: ResponseId -> resp_id, Hogeschol -> hogeschool, sectorr -> sector"
    assert "--mapping" in lines[3] and "template --from" in lines[3]


def test_counsellors_given_as_students_is_recognised(small_data):
    result = runner.invoke(app, ["validate", str(small_data["counsellors"].with_suffix(".sav")), "-p", "students"])
    assert result.exit_code == 2
    assert "looks like the studieloopbaanbegeleiders questionnaire, not the studenten one" in result.stderr
    assert "give it as --counsellors" in result.stderr


def test_a_problem_in_many_columns_is_one_line(small_data, tmp_path):
    data = read_survey(small_data["students"], "students")
    items = [f"pg_{i}" for i in range(1, 6)] + ["lm_1", "lm_2"]
    data.loc[[3, 7], items] = 99.0
    path = tmp_path / "students.csv"
    data.to_csv(path, index=False)
    with pytest.raises(InputError) as err:
        read_survey(path, "students")
    lines = str(err.value).splitlines()
    assert lines[1] == (
        "students.csv: columns 'pg_1', 'pg_2', 'pg_3', 'pg_4', 'pg_5', ... (7 columns), lines 5, 9 (2 lines): "
        "value 99 is not a code of the codebook (1-4); if these mean 'no answer', declare them in a mapping file: "
        "missing_codes: [99]"
    )
    assert len(lines) == 2
    fixed = read_survey(path, "students", Mapping(missing_codes=[99]))
    assert fixed.loc[[3, 7], items].isna().all().all()


@pytest.mark.parametrize("suffix", [".zsav", ".dta", ".xlsx", ".por", "utf-16.csv", "cp1252.csv"])
def test_every_format_reads_the_same_data(small_data, tmp_path, suffix):
    data = read_survey(small_data["students"], "students")
    codes = data.drop(columns=["resp_id"]).astype(float)
    codes.insert(0, "resp_id", data["resp_id"])
    path = tmp_path / f"students{suffix if suffix.startswith('.') else '.csv'}"
    if suffix == ".zsav":
        pyreadstat.write_sav(codes, path, compress=True)
    elif suffix == ".dta":
        pyreadstat.write_dta(codes, path)
    elif suffix == ".por":
        pass
    elif suffix == ".xlsx":
        codes.to_excel(path, index=False, engine="openpyxl")
    else:
        encoding = suffix.split(".")[0]
        codes.rename(columns={"leeftijd": "leeftijd"}).to_csv(path, index=False, sep=";", encoding=encoding)
    if suffix == ".por":  # the portable format keeps names of up to 8 characters, in capitals
        codes = codes.rename(columns={"hogeschool": "hogesch"})[[c for c in codes.rename(columns={"hogeschool": "hogesch"}) if len(c) <= 8]]
        pyreadstat.write_por(codes, path)
        again = read_survey(path, "students", Mapping(rename={"HOGESCH": "hogeschool"}))
        codes = codes.rename(columns={"hogesch": "hogeschool"})
    else:
        again = read_survey(path, "students")
    columns = [c for c in codes if c != "resp_id"]
    pd.testing.assert_frame_equal(again[columns], data[columns], check_dtype=False)
    assert again["resp_id"].tolist() == data["resp_id"].tolist()


@pytest.mark.parametrize("suffix", [".sav", ".zsav", ".por", ".dta", ".xlsx", ".csv"])
def test_an_unreadable_file_fails_with_one_line(tmp_path, suffix):
    path = tmp_path / f"students{suffix}"
    path.write_bytes(b"\x00\x01garbage\xff\xfe" * 50 if suffix != ".csv" else b"\x00\x9f\x00" * 40)
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"error: students{suffix}: not a readable")


def test_parameters_only_a_notebook_declares_are_checked_and_only_may_be_an_int():
    declared = {"00_data": {"n_boot": 200, "seed": 1}, "05_competenties": {"alpha": 0.05}}
    with pytest.raises(ParameterError, match=r"^n_boot: must be at least 1, got -5$"):
        check({"n_boot": -5}, declared, (600, 150))
    assert check({"only": 5}, declared, (600, 150)).only == ("05_competenties",)
    assert check({"only": "00, 05"}, declared, (600, 150)).partial == "partial-00-05"


def test_templates_carry_the_codebook(tmp_path):
    written = write_templates(tmp_path)
    assert {p.name for p in written} >= {"students_leeg.csv", "students_leeg.sav", "vragenlijst_counsellors.md"}
    data, meta = pyreadstat.read_sav(tmp_path / "students_leeg.sav", user_missing=True)
    assert len(data) == 0 and "pg_5" in data.columns
    assert meta.variable_value_labels["pg_1"][1] == "helemaal mee oneens"
    assert {"lo": -9.0, "hi": -9.0} in meta.missing_ranges["pg_1"]
    text = questionnaire_markdown("students")
    assert "Wat ik in mijn opleiding leer, staat ver af van de beroepspraktijk. (`pg_5`) *(omgekeerd gescoord)*" in text
    assert "   - 1 = Agrarisch" in text


def test_template_from_an_export_guesses_and_marks_for_review(export, tmp_path):
    guesses = guess_columns(["ResponseId", "Q1_1", "hogeschol", "pg_1"], {"Q1_1": "Leeftijd (jaren)"}, "students")
    assert guesses["pg_1"] == ("pg_1", 1.0, "same name")
    assert guesses["hogeschol"][0] == "hogeschool"
    assert guesses["Q1_1"][0] == "leeftijd"
    result = runner.invoke(app, ["template", "--from", str(export["counsellors"]), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    skeleton = (tmp_path / "mapping_counsellors_export.yaml").read_text()
    assert "# review" in skeleton and "the file declares 98.0, 99.0 already" in skeleton
    assert load_mapping(tmp_path / "mapping_counsellors_export.yaml").rename  # a valid mapping file


def test_make_book_reports_the_builds_own_exit_status():
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run(["make", "-s", "book", "ARGS=--alpha 5"], cwd=root, capture_output=True, text=True)
    assert done.returncode == 2  # make's own code for any failed recipe
    assert "make book: exit 2 (bad input or parameters; nothing was built)" in done.stderr
    done = subprocess.run([str(root / "scripts" / "book"), "--alpha", "5"], capture_output=True, text=True)
    assert done.returncode == 2 and "alpha: must lie strictly between 0 and 1" in done.stderr


def test_pspp_written_sav_loads_or_fails_cleanly(tmp_path):
    pspp = shutil.which("pspp")
    if pspp is None:
        pytest.skip("GNU PSPP is not installed (apt-get install pspp)")
    syntax = tmp_path / "make.sps"
    out = tmp_path / "pspp_students.sav"
    syntax.write_text(
        "DATA LIST FREE / resp_id hogeschool pg_1.\nBEGIN DATA\n1 1 4\n2 12 99\n3 2 1\nEND DATA.\n"
        "MISSING VALUES pg_1 (99).\nVALUE LABELS pg_1 1 'helemaal mee oneens' 4 'helemaal mee eens'.\n"
        f"SAVE OUTFILE='{out}'.\n"
    )
    subprocess.run([pspp, str(syntax)], check=True, capture_output=True)
    data = read_survey(out, "students")
    assert data["pg_1"].isna().tolist() == [False, True, False]
    assert data["hogeschool"].tolist() == [1, 12, 2]


def _tree(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.relative_to(folder).as_posix().startswith("partial-")
    }


def test_only_builds_a_partial_book_beside_the_full_one(built_book, tmp_path):
    from loopbaanleren.build.layout import Layout
    from loopbaanleren.build.pipeline import build
    from conftest import E2E_PARAMS

    project = tmp_path / "project"
    shutil.copytree(built_book.project, project, symlinks=True)
    layout = Layout(project)
    html, results = _tree(layout.html), _tree(layout.results)
    report = build({**E2E_PARAMS, "only": "03"}, layout)
    assert _tree(layout.html) == html and _tree(layout.results) == results
    partial = project / "book" / "_build" / "partial-03"
    assert (partial / "03_slb.html").is_file() and not (partial / "05_competenties.html").exists()
    assert "<strong>Deelboek</strong>" in (partial / "index.html").read_text(encoding="utf-8")
    assert (project / "results" / "partial-03" / "claims_rq3.csv").is_file()
    assert report.provenance["parameters"]["only"] == ["03_slb"]


def test_an_own_data_book_builds_from_the_export(own_data_book):  # noqa: F811
    """The book on a researcher's export (see ``OwnDataBook``) names the export's files and shows its data."""
    book = own_data_book
    assert book.returncode == 0, book.stderr
    data = book.provenance["data"]
    assert set(data) == {"students", "counsellors"}
    declared = len([column for column in book.frame("counsellors") if column.startswith("bdv_")])
    assert (f"warning: counsellors: {book.export['counsellors'].name}: the file declares missing codes 98, 99 "
            f"(in {declared} columns); those cells are treated as missing") in book.stdout.splitlines()
    footer = []
    for population, role in (("students", "studenten"), ("counsellors", "studieloopbaanbegeleiders")):
        path = book.export[population]
        entry, n = data[population], len(book.frame(population))
        assert (entry["file"], entry["n"]) == (path.name, n)
        assert entry["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
        footer.append(f"{role}: {path.name} (sha256 {entry['sha256'][:12]}…), n = {fmt_n(n)}")
    for page in ("00_data", "01_leeromgeving", "05_competenties", "06_uitkomsten", "90_claims"):
        text = (book.layout.html / f"{page}.html").read_text(encoding="utf-8")
        assert "Synthetische data" not in text, page
        assert "; ".join(footer) in text, page
    assert "Werkexploratie (<code" in (book.layout.html / "05_competenties.html").read_text(encoding="utf-8")
    assert not (book.layout.html / "07_kwalitatief.html").exists()
    claims = pd.read_csv(book.layout.results / "claims.csv")
    assert (claims.loc[claims["rq"] == "KWAL", "verdict"] == "not_computable").all()
    students = book.frame("students")
    counts = table_rows(book.layout.html / "00_data.html", "Aantal respondenten per hogeschool")
    extra = (students["hogeschool"] == str(EXTRA_HOGESCHOOL)).sum()
    assert counts[f"Hogeschool {EXTRA_HOGESCHOOL}"] == [fmt_n(extra), suppression_marker(MIN_CELL)]  # no counsellor

    # a column renamed in the export (Q2_3) is shown under its codebook question, with its answers
    answers = students.loc[students["le_buiten_telt_mee"] != "", "le_buiten_telt_mee"].astype(int)
    shares = [f"{share:.0%}" for share in answers.value_counts(normalize=True).sort_index()]
    question = load_codebook().variables("students")["le_buiten_telt_mee"].label_nl
    statements = table_rows(book.layout.html / "01_leeromgeving.html", "Antwoorden op de stellingen (studenten)")
    assert statements[question] == [*shares, fmt_n(len(answers))]


def test_haven_written_sav_loads_with_its_declared_missing_codes(tmp_path):
    rscript = shutil.which("Rscript")
    if rscript is None or subprocess.run([rscript, "-e", "library(haven)"], capture_output=True).returncode != 0:
        pytest.skip("R with the haven package is not installed")
    out = tmp_path / "haven_students.sav"
    script = (
        "library(haven); "
        "d <- data.frame(resp_id = c('a', 'b', 'c'), hogeschool = c(1, 12, 2)); "
        "d$pg_1 <- labelled_spss(c(4, 99, 1), c('helemaal mee oneens' = 1, 'helemaal mee eens' = 4), na_values = 99); "
        f"write_sav(d, '{out}')"
    )
    subprocess.run([rscript, "-e", script], check=True, capture_output=True)
    data = read_survey(out, "students")
    assert data["pg_1"].isna().tolist() == [False, True, False]
    assert data["hogeschool"].tolist() == [1, 12, 2]
    assert any("declares missing codes 99" in line for line in data.attrs["warnings"])
