"""Build parameters: defaults, YAML files, checks against the notebooks' parameters cells."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from loopbaanleren.errors import ParameterError
from loopbaanleren.build.param_check import check
from loopbaanleren.build.params import declared_parameters, load_params_file

DECLARED = {
    "00_data": {"students_path": "", "seed": 2026, "min_cell": 10, "synthetic": True, "n_boot": 200},
    "03_slb": {"counsellors_path": "", "alpha": 0.05, "labels": ["a"]},
}
SIZES = (4820, 371)


def test_defaults():
    params = check({}, DECLARED, SIZES)
    assert (params.seed, params.alpha, params.min_cell) == (2026, 0.05, 10)
    assert (params.n_students, params.n_counsellors) == SIZES
    assert params.students is None and params.only == () and params.extra == {}


def test_values_given_are_kept_and_paths_made_absolute(tmp_path, monkeypatch):
    (tmp_path / "s.csv").write_text("x\n")
    monkeypatch.chdir(tmp_path)
    params = check({"students": "s.csv", "no_counsellors": True, "seed": 7, "alpha": 0.01, "min_cell": 5,
                    "n_students": 600}, DECLARED, SIZES)
    assert params.students == tmp_path / "s.csv"
    assert (params.seed, params.alpha, params.min_cell, params.n_students, params.n_counsellors) == (7, 0.01, 5, 600, 371)


def test_own_data_for_one_population_says_what_happens_to_the_other(tmp_path):
    (tmp_path / "s.csv").write_text("x\n")
    students = str(tmp_path / "s.csv")
    with pytest.raises(ParameterError, match=r"^--students is your own data, but no --counsellors file is given: "
                                             r"add --counsellors FILE, or --no-counsellors .* or --simulate-missing"):
        check({"students": students}, DECLARED, SIZES)
    assert check({"students": students, "no_counsellors": True}, DECLARED, SIZES).no_counsellors
    assert check({"students": students, "simulate_missing": True}, DECLARED, SIZES).simulate_missing
    with pytest.raises(ParameterError, match="^no_students: the students are left out, but a students file is given"):
        check({"students": students, "no_students": True}, DECLARED, SIZES)
    with pytest.raises(ParameterError, match="both surveys left out"):
        check({"no_students": True, "no_counsellors": True}, DECLARED, SIZES)


def test_notebook_values_only_hold_what_notebooks_may_declare():
    params = check({"alpha": 0.1, "n_boot": 50}, DECLARED, SIZES)
    assert params.notebook_values() == {"seed": 2026, "alpha": 0.1, "min_cell": 10, "scenario": "default", "n_boot": 50}


def test_scenario_is_checked():
    assert check({"scenario": "null"}, DECLARED, SIZES).scenario == "null"
    with pytest.raises(ParameterError) as info:
        check({"scenario": "nul"}, DECLARED, SIZES)
    assert str(info.value) == "scenario: expected one of default, null, got 'nul'"


def test_unknown_key_names_the_known_ones():
    with pytest.raises(ParameterError) as info:
        check({"sed": 1}, DECLARED, SIZES)
    message = str(info.value)
    assert message.startswith("unknown parameter 'sed'; known parameters: ")
    assert "seed" in message and "n_boot" in message and "labels" in message


def test_parameters_set_by_the_build_cannot_be_given():
    with pytest.raises(ParameterError, match="unknown parameter 'synthetic'"):
        check({"synthetic": False}, DECLARED, SIZES)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"seed": "abc"}, "seed: expected a whole number, got 'abc'"),
        ({"seed": True}, "seed: expected a whole number, got True"),
        ({"seed": -1}, "seed: must be at least 0, got -1"),
        ({"min_cell": 0}, "min_cell: must be at least 1, got 0"),
        ({"n_students": 2.5}, "n_students: expected a whole number, got 2.5"),
        ({"alpha": 1.0}, "alpha: must lie strictly between 0 and 1, got 1.0"),
        ({"alpha": "0.05"}, "alpha: expected a number between 0 and 1, got '0.05'"),
        ({"n_boot": "veel"}, "n_boot: expected int like the notebooks' default 200, got 'veel'"),
        ({"labels": "a"}, "labels: expected list like the notebooks' default ['a'], got 'a'"),
        ({"only": "09"}, "only: '09' does not name one notebook; notebooks: 00_data, 03_slb"),
    ],
)
def test_bad_values(raw, message):
    with pytest.raises(ParameterError) as info:
        check(raw, DECLARED, SIZES)
    assert str(info.value) == message


def test_every_problem_is_reported_at_once(tmp_path):
    with pytest.raises(ParameterError) as info:
        check({"seed": "x", "alpha": 2, "students": str(tmp_path / "nope.csv")}, DECLARED, SIZES)
    assert str(info.value).splitlines() == [
        "seed: expected a whole number, got 'x'",
        "alpha: must lie strictly between 0 and 1, got 2",
        f"students: file not found: {tmp_path / 'nope.csv'}",
    ]


def test_data_files_need_the_right_suffix(tmp_path):
    (tmp_path / "s.pdf").write_text("")
    (tmp_path / "i.sav").write_text("")
    (tmp_path / "m.json").write_text("")
    with pytest.raises(ParameterError) as info:
        check({"students": tmp_path / "s.pdf", "interviews": tmp_path / "i.sav", "mapping": tmp_path / "m.json"}, DECLARED, SIZES)
    assert str(info.value).splitlines() == [
        "students: s.pdf is not a .csv or .tsv or .txt or .sav or .zsav or .por or .dta or .xlsx file",
        "interviews: i.sav is not a .csv file",
        "mapping: m.json is not a .yaml or .yml file",
    ]


def test_int_is_accepted_where_the_default_is_a_float():
    assert check({"alpha": 0.1}, DECLARED, SIZES).alpha == 0.1
    declared = {"00_x": {"threshold": 0.5}}
    assert check({"threshold": 1}, declared, SIZES).extra == {"threshold": 1}


def test_only_accepts_numbers_names_and_lists():
    assert check({"only": "03"}, DECLARED, SIZES).only == ("03_slb",)
    assert check({"only": "00, 03_slb"}, DECLARED, SIZES).only == ("00_data", "03_slb")
    assert check({"only": [3, "00"]}, DECLARED, SIZES).only == ("00_data", "03_slb")


def test_declared_parameters_reads_names_and_literal_defaults():
    source = 'students_path = ""\nseed = 2026  # the seed\nalpha: float = 0.05\nlabels = [\n  "a",\n]\nnow = f()\n'
    assert declared_parameters(source) == {"students_path": "", "seed": 2026, "alpha": 0.05, "labels": ["a"], "now": None}


def test_params_file_paths_are_relative_to_the_file(tmp_path):
    folder = tmp_path / "conf"
    folder.mkdir()
    (folder / "build.yml").write_text("students: data/s.csv\nseed: 5\n")
    assert load_params_file(folder / "build.yml") == {"students": str(folder / "data" / "s.csv"), "seed": 5}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("seed: [1\n", "not valid YAML (line 2)"),
        ("- seed\n", "expected a mapping of parameter: value"),
    ],
)
def test_bad_params_files(tmp_path, text, message):
    path = tmp_path / "p.yml"
    path.write_text(text)
    with pytest.raises(ParameterError, match=re.escape(message)):
        load_params_file(path)


def test_missing_params_file(tmp_path):
    with pytest.raises(ParameterError, match="--params: file not found"):
        load_params_file(Path(tmp_path / "nope.yml"))


def test_empty_params_file_means_defaults(tmp_path):
    path = tmp_path / "p.yml"
    path.write_text("# nothing\n")
    assert load_params_file(path) == {}
