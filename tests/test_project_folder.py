"""The project is where you run it: a copied project builds into itself, and says when its package is elsewhere."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from build_helpers import CLI
from conftest import PROJECT_ROOT

from loopbaanleren.errors import ParameterError
from loopbaanleren.build.project import find_project, installed_elsewhere


def test_the_project_is_found_at_or_above_the_current_folder(tmp_path):
    (tmp_path / "p" / "notebooks").mkdir(parents=True)
    (tmp_path / "p" / "notebooks" / "chapters.yaml").write_text("chapters: {}\n")
    (tmp_path / "p" / "data" / "deep").mkdir(parents=True)
    assert find_project(tmp_path / "p" / "data" / "deep") == (tmp_path / "p").resolve()
    with pytest.raises(ParameterError, match=r"^no compendium at or above .*give --project FOLDER$"):
        find_project(tmp_path)
    assert installed_elsewhere(PROJECT_ROOT) == ""


def test_a_copied_project_builds_into_itself_and_names_the_package_it_runs(tmp_path):
    copy = tmp_path / "kopie"
    for part in ("notebooks", "book", "src"):
        shutil.copytree(PROJECT_ROOT / part, copy / part,
                        ignore=shutil.ignore_patterns("_build", "__pycache__", "*.egg-info", ".*"))
    original = PROJECT_ROOT / "book" / "_build" / "partial-00"
    before = sorted(p.stat().st_mtime_ns for p in original.rglob("*")) if original.is_dir() else None
    done = subprocess.run([CLI, "build", "--only", "00", "--n-students", "200", "--n-counsellors", "40"],
                          cwd=copy / "notebooks", capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    assert (copy / "book" / "_build" / "partial-00" / "00_data.html").is_file()
    assert (copy / "results" / "partial-00" / "provenance.json").is_file()
    after = sorted(p.stat().st_mtime_ns for p in original.rglob("*")) if original.is_dir() else None
    assert after == before  # nothing written into the checkout the package is installed from
    note = [line for line in done.stderr.splitlines() if line.startswith("note:")]
    assert note == [f"note: the loopbaanleren package that runs is installed from {PROJECT_ROOT}, not from this "
                    f"project ({copy.resolve()}); the book is built here, with that package's code. Repair: run "
                    f"'make install' in {copy.resolve()}"]
