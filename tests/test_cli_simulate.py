import subprocess
import sys

import pandas as pd
import pyreadstat

from loopbaanleren.data.survey_files import read_survey

CLI = [sys.executable, "-m", "loopbaanleren"]


def run(*args):
    return subprocess.run([*CLI, *args], capture_output=True, text=True)


def test_simulate_writes_csv_and_sav_marked_synthetic(tmp_path):
    result = run("simulate", "--out", str(tmp_path / "a"), "--seed", "4", "--n-students", "120", "--n-counsellors", "40")
    assert result.returncode == 0, result.stderr
    for pop, n in (("students", 120), ("counsellors", 40)):
        data = read_survey(tmp_path / "a" / f"{pop}.csv", pop)
        assert len(data) == n and data.attrs["synthetic"]
        _, meta = pyreadstat.read_sav(tmp_path / "a" / f"{pop}.sav", metadataonly=True)
        assert meta.file_label.startswith("SYNTHETISCH")
        assert meta.variable_value_labels["sector"][6] == "Techniek"


def test_simulate_is_deterministic_per_seed(tmp_path):
    for name, seed in (("a", "9"), ("b", "9"), ("c", "10")):
        assert run("simulate", "--out", str(tmp_path / name), "--seed", seed, "--n-students", "50", "--n-counsellors", "20").returncode == 0
    same = (tmp_path / "a" / "students.csv").read_bytes() == (tmp_path / "b" / "students.csv").read_bytes()
    other = (tmp_path / "a" / "students.csv").read_bytes() == (tmp_path / "c" / "students.csv").read_bytes()
    assert same and not other
    pd.testing.assert_frame_equal(read_survey(tmp_path / "a" / "students.sav", "students"),
                                  read_survey(tmp_path / "b" / "students.sav", "students"), check_like=True)


def test_simulate_help_and_bad_size(tmp_path):
    assert "synthetic" in run("simulate", "--help").stdout
    result = run("simulate", "--out", str(tmp_path), "--n-students", "0")
    assert result.returncode == 2
    assert "at least 1" in result.stderr and "Traceback" not in result.stderr
