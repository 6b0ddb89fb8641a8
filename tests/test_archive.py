"""The last build as an RO-Crate: read back with rocrate, own data described but not included unless asked."""

from __future__ import annotations

import hashlib
import zipfile

import pytest
from build_helpers import run_cli
from conftest import notebook_source
from rich.console import Console

from loopbaanleren.build.archive import write_archive
from loopbaanleren.errors import ParameterError
from loopbaanleren.build.pipeline import build

CHAPTER = notebook_source(
    "# Beweringen",
    """parameters:
    students_path = ""
    results_dir = ""
    """,
    """
    import pandas as pd
    from loopbaanleren.book.report import save_result
    rows = [["rq1_s_pg_onder", "", "reproduced", "1.0000", "0.5000", "1.5000"]]
    save_result(pd.DataFrame(rows, columns=["id", "claim_nl", "verdict", "estimate", "ci_low", "ci_high"]), "claims", results_dir)
    """,
)


@pytest.fixture
def own_data_build(make_project, small_data):
    """A built project on own student data (and simulated counsellors)."""
    layout = make_project({"90_claims": CHAPTER})
    build({"students": str(small_data["students"]), "n_counsellors": 30, "simulate_missing": True}, layout, Console(quiet=True))
    return layout


def test_the_archive_loads_with_rocrate_and_holds_the_build_without_own_data(own_data_build, small_data, tmp_path):
    from rocrate.rocrate import ROCrate

    archive = write_archive(own_data_build, tmp_path / "archief", zip_file=True)
    assert archive.path == tmp_path / "archief.zip" and archive.left_out == ("students.csv",)
    crate = ROCrate(archive.path)
    ids = {entity.id for entity in crate.get_entities()}
    assert {"results/claims.csv", "results/provenance.json", "book/index.html", "requirements.txt",
            "environment.yml", "resources/codebook.yaml", "resources/claims.yaml", "notebooks/90_claims.py"} <= ids
    assert crate.name.startswith("Loopbaanleren in het hbo") and crate.license.id == "https://spdx.org/licenses/MIT"
    names = zipfile.ZipFile(archive.path).namelist()
    assert not any(name.endswith("students.csv") for name in names)  # personal data stay out
    described = crate.get("#data-students")
    own = small_data["students"]
    assert described["sha256"] == hashlib.sha256(own.read_bytes()).hexdigest()
    assert described["contentSize"] == own.stat().st_size and described["name"] == "students.csv"
    counsellors = next(e for e in crate.get_entities() if e.id.startswith("data/counsellors/") and e.id.endswith(".csv"))
    assert counsellors.id in names  # synthetic data are included, with their hash
    with zipfile.ZipFile(archive.path) as zf:
        assert hashlib.sha256(zf.read(counsellors.id)).hexdigest() == counsellors["sha256"]
    assert archive.entities == len(ids)


def test_include_data_puts_own_data_in_the_crate(own_data_build, tmp_path):
    done = run_cli("archive", "--out", tmp_path / "met-data", "--include-data", "--project", own_data_build.root)
    assert done.returncode == 0, done.stderr
    assert "RO-Crate with" in done.stdout and "not included" not in done.stdout
    assert (tmp_path / "met-data" / "data" / "students" / "students.csv").is_file()


def test_no_build_no_archive(make_project, tmp_path):
    layout = make_project({"90_claims": CHAPTER})
    with pytest.raises(ParameterError, match="no build to archive"):
        write_archive(layout, tmp_path / "archief")
    done = run_cli("archive", "--out", tmp_path / "archief", "--project", layout.root)
    assert done.returncode == 2 and "Traceback" not in done.stderr
