"""The colophon's account of the work tree: the state of the tracked files when the build starts."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from loopbaanleren.build import pipeline, provenance
from loopbaanleren.build.layout import Layout, copy_sources

from conftest import PROJECT_ROOT


def git(folder: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=folder, check=True,
                   capture_output=True)


@pytest.fixture
def repository(tmp_path) -> Path:
    """A git repository whose subfolder ``project`` holds a tracked file, with an ignored build folder."""
    project = tmp_path / "project"
    project.mkdir()
    (project / "notes.md").write_text("één\n", encoding="utf-8")
    (tmp_path / "elsewhere.md").write_text("x\n", encoding="utf-8")
    (tmp_path / ".gitignore").write_text("results/\n", encoding="utf-8")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "start")
    return tmp_path


def test_a_clean_tree_with_build_outputs_and_untracked_files_is_clean(repository):
    project = repository / "project"
    (project / "results").mkdir()
    (project / "results" / "claims.csv").write_text("id\n")  # an ignored build output
    (project / ".venv").mkdir()
    (project / ".venv" / "marker").write_text("")  # untracked, not ignored
    found = provenance.git_commit(project)
    assert found["dirty"] is False and len(found["commit"]) == 40
    assert provenance.tree_text(found) == "schoon: gelijk aan de commit"


def test_a_changed_tracked_file_of_the_project_makes_the_tree_changed(repository):
    (repository / "project" / "notes.md").write_text("twee\n", encoding="utf-8")
    assert provenance.git_commit(repository / "project")["dirty"] is True


def test_a_change_outside_the_project_folder_is_not_the_projects(repository):
    (repository / "elsewhere.md").write_text("y\n", encoding="utf-8")
    assert provenance.git_commit(repository / "project")["dirty"] is False
    assert provenance.git_commit(repository)["dirty"] is True


def test_the_build_records_the_tree_as_it_was_when_the_build_started(tmp_path, monkeypatch):
    """A file the build itself changes (here: a tracked file, as a step run after the notebooks would see it) does
    not make the colophon say the tree had changes."""
    project = tmp_path / "compendium"
    copy_sources(Layout(PROJECT_ROOT), project)
    git(project, "init", "-q")
    git(project, "add", "notebooks", "book")
    git(project, "commit", "-q", "-m", "start")
    seen = {}

    def run(params, layout, console, *args, tree):
        (layout.book / "rerun.md").write_text("gewijzigd door de build\n", encoding="utf-8")
        seen["tree"] = tree
        seen["now"] = provenance.git_commit(layout.root)
        return None

    monkeypatch.setattr(pipeline, "_run", run)
    pipeline.build({"only": ["00_data"]}, Layout(project))
    assert seen["now"]["dirty"] is True  # the build did change a tracked file ...
    assert seen["tree"]["dirty"] is False  # ... but the tree was clean when it started
