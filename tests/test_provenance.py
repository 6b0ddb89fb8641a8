"""The colophon's account of the work tree: the state of the tracked files when the build starts."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from loopbaanleren.build import pipeline, provenance
from loopbaanleren.build.layout import Layout, copy_sources
from loopbaanleren.errors import BuildError

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


# --- how to get the compendium (the rerun page) --------------------------------------------------------------

def test_the_rerun_page_clones_the_repository_named_in_citation_cff(tmp_path):
    (tmp_path / "CITATION.cff").write_text("cff-version: 1.2.0\nrepository-code: https://example.org/loop/baan.git\n",
                                           encoding="utf-8")
    text = provenance.fetch_text(tmp_path)
    assert "git clone https://example.org/loop/baan.git loopbaanleren\ncd loopbaanleren\nmake book" in text
    assert "<" not in text and "repository-code" in text


def test_without_an_address_the_rerun_page_says_how_to_get_the_compendium(tmp_path):
    (tmp_path / "CITATION.cff").write_text("cff-version: 1.2.0\ntitle: x\n", encoding="utf-8")
    text = provenance.fetch_text(tmp_path)
    assert "git clone" not in text.split("```")[1] and "make book" in text.split("```")[1]
    assert "<" not in text and "geen openbaar adres" in text and "Makefile" in text
    assert provenance.fetch_text(tmp_path / "elders") == text  # no CITATION.cff at all: the same


def test_an_address_that_is_not_one_line_is_refused_with_the_file_named(tmp_path):
    (tmp_path / "CITATION.cff").write_text("repository-code: \"https://x.org/a\\n```\\nrm -rf ~\"\n", encoding="utf-8")
    with pytest.raises(BuildError, match="CITATION.cff: repository-code"):
        provenance.fetch_text(tmp_path)


def test_the_built_rerun_page_has_no_placeholder_and_says_how_to_get_the_compendium(built_book):
    page = " ".join(built_book.page("rerun").get_text(" ").split())
    assert "adres van deze repository" not in page and "<adres" not in page
    assert "geen openbaar adres" in page and "make book" in page  # CITATION.cff names no repository-code


def test_the_colophon_names_the_parameters_and_the_scenario_in_dutch():
    record = {"started": "2026-03-05T14:30:00+01:00", "git": {"commit": "0123456789abcdef", "dirty": False},
              "data": {}, "notebooks": {}, "versions": {},
              "parameters": {"seed": 7, "alpha": 0.05, "min_cell": 10, "scenario": "null", "n_students": 4820,
                             "n_counsellors": 371, "only": [], "n_boot": 20}}
    table = [line for line in provenance.markdown(record).splitlines() if line.startswith("| ")]
    shown = " ".join(table)
    assert not [key for key in ("min_cell", "n_students", "n_counsellors", "only", "alpha", "| seed") if key in shown]
    assert "| kleinste getoonde groep | {ll-tekst}`10` |" in table
    assert "| scenario | {ll-tekst}`de negatieve controle (nulscenario)` |" in table
    assert "| {ll-tekst}`n_boot` | {ll-tekst}`20` |" in table  # a chapter's own parameter keeps its name
