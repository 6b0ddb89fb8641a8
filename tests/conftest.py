"""Shared fixtures: a small simulated data set, throw-away projects, and one end-to-end build of the book.

``built_book`` builds the repository's notebooks and book once per test session (shared by the pytest-xdist
workers through a file lock) on small synthetic data, then rebuilds once with nothing changed. Tests of any
chapter can inspect its pages, results and provenance::

    def test_my_number(built_book):
        assert "3,34" in built_book.pasted("03_slb")
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # small matrices: BLAS threads only compete with the xdist workers

import fcntl
import json
import shutil
import textwrap
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from rich.console import Console

from loopbaanleren.errors import CompendiumError
from loopbaanleren.build.layout import Layout, copy_sources
from loopbaanleren.build.pipeline import build
from loopbaanleren.data.simulation import write_synthetic

PROJECT_ROOT = Path(__file__).resolve().parents[1]
"""The compendium the tests run in (the package finds a project at run time; the tests know theirs)."""

E2E_PARAMS = {
    "n_students": 600, "n_counsellors": 150, "seed": 2026, "n_boot": 20,
    "multiverse_overrides": {"design": {"product": {"inference": ["cr2", "wild"]}}, "imputations": 2,
                             "wild_bootstrap": {"draws": 99, "weights": "webb", "seed": 1}},
}
"""Parameters of the shared end-to-end build: small data, few bootstrap resamples, a small multiverse."""


@contextmanager
def _exclusive(path: Path):
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        yield


def _session_dir(tmp_path_factory, worker_id: str) -> Path:
    """A folder shared by all workers of this test session."""
    base = tmp_path_factory.getbasetemp()
    return base if worker_id == "master" else base.parent


@pytest.fixture(scope="session")
def small_data(tmp_path_factory, worker_id) -> dict[str, Path]:
    """Simulated students (600) and counsellors (150), seed 2026, as CSV and .sav: ``{"students": csv, ...}``."""
    folder = _session_dir(tmp_path_factory, worker_id) / "small-data"
    with _exclusive(folder.with_suffix(".lock")):
        if not (folder / "counsellors.sav").is_file():
            write_synthetic(folder, 2026, 600, 150)
    return {population: folder / f"{population}.csv" for population in ("students", "counsellors")}


@dataclass(frozen=True)
class BuiltBook:
    """The outputs of one build of the repository's book, and the provenance of a no-op rebuild."""

    project: Path
    provenance: dict
    rebuild: dict

    @property
    def html(self) -> Path:
        return self.project / "book" / "_build" / "html"

    @property
    def results(self) -> Path:
        return self.project / "results"

    def page(self, name: str) -> BeautifulSoup:
        """The parsed HTML of a page, e.g. ``page("00_data")``."""
        return BeautifulSoup((self.html / f"{name}.html").read_text(encoding="utf-8"), "html.parser")

    def executed(self, name: str) -> dict:
        """The executed notebook of a chapter, as the cache holds it (``{"cells": [...], ...}``)."""
        entries = sorted((self.project / ".build" / "cache" / name).glob("*/notebook.ipynb"), key=lambda p: p.stat().st_mtime)
        return json.loads(entries[-1].read_text(encoding="utf-8"))

    def pasted(self, name: str) -> list[str]:
        """The glued values shown on a page, in order."""
        return [span.get_text() for span in self.page(name).select("span.pasted-text")]


@pytest.fixture(scope="session")
def built_book(tmp_path_factory, worker_id) -> BuiltBook:
    """The repository's book built once per session on ``E2E_PARAMS``, then rebuilt with nothing changed.

    With ``BOOK_UNDER_TEST`` set to a project folder, that project's last build instead (e.g. the default book:
    ``BOOK_UNDER_TEST=. .venv/bin/python -m pytest tests/test_browser.py`` after ``make book``).
    """
    if os.environ.get("BOOK_UNDER_TEST"):
        project = Path(os.environ["BOOK_UNDER_TEST"]).resolve()
        record = json.loads((project / "results" / "provenance.json").read_text(encoding="utf-8"))
        return BuiltBook(project, record, record)
    shared = _session_dir(tmp_path_factory, worker_id)
    project = shared / "e2e-project"
    done, failed = shared / "e2e-provenance.json", shared / "e2e-error.txt"
    with _exclusive(shared / "e2e.lock"):
        if not done.is_file() and not failed.is_file():
            copy_sources(Layout(PROJECT_ROOT), project)
            with (shared / "e2e-console.txt").open("w") as log:
                quiet = Console(file=log, width=120)
                try:
                    first = build(E2E_PARAMS, Layout(project), quiet).provenance
                    rebuild = build(E2E_PARAMS, Layout(project), quiet).provenance
                except CompendiumError as exc:
                    failed.write_text(str(exc))
                else:
                    done.write_text(json.dumps({"first": first, "rebuild": rebuild}, default=str))
    if failed.is_file():
        pytest.fail(f"the end-to-end build failed:\n{failed.read_text()}")
    record = json.loads(done.read_text())
    return BuiltBook(project, record["first"], record["rebuild"])


def notebook_source(*cells: str) -> str:
    """A jupytext percent script from cells: ``parameters:...`` is the parameters cell, ``#...`` Markdown."""
    parts = []
    for cell in cells:
        cell = textwrap.dedent(cell).strip("\n")
        if cell.startswith("parameters:"):
            parts.append('# %% tags=["parameters"]\n' + cell.removeprefix("parameters:").lstrip("\n"))
        elif cell.startswith("#"):
            parts.append("# %% [markdown]\n" + "\n".join(f"# {line}".rstrip() for line in cell.splitlines()))
        else:
            parts.append("# %%\n" + cell)
    return "\n\n".join(parts) + "\n"


def write_graph(root: Path, depends_on: dict[str, list[str]] | None = None) -> Path:
    """A chapter graph ``notebooks/chapters.yaml`` for the notebooks in ``root/notebooks``: each reads the data its
    parameters cell declares, may write any result, and depends on the chapters ``depends_on`` names."""
    from loopbaanleren.build.params import DATA_KEYS
    from loopbaanleren.build.notebooks import discover

    chapters = {
        nb.name: {
            "reads": [role for role, key in DATA_KEYS.items() if key in nb.parameters],
            "writes": ["*"],
            "depends_on": (depends_on or {}).get(nb.name, []),
        }
        for nb in discover(root / "notebooks")
    }
    path = root / "notebooks" / "chapters.yaml"
    path.write_text(yaml.safe_dump({"chapters": chapters}, sort_keys=False))
    return path


@pytest.fixture
def make_project(tmp_path):
    """Factory: a throw-away project with the given notebooks (and the chapters each depends on), the repository's
    book config, a toc and a chapter graph."""

    def make(notebooks: dict[str, str], depends_on: dict[str, list[str]] | None = None) -> Layout:
        root = tmp_path / "project"
        (root / "notebooks").mkdir(parents=True)
        for name, source in notebooks.items():
            (root / "notebooks" / f"{name}.py").write_text(source)
        book = root / "book"
        book.mkdir()
        shutil.copy(PROJECT_ROOT / "book" / "_config.yml", book / "_config.yml")
        shutil.copy(PROJECT_ROOT / "book" / "colophon.md", book / "colophon.md")
        (book / "index.md").write_text("# Proefboek\n\nEen boek om de build te toetsen.\n")
        toc = {"format": "jb-book", "root": "index", "chapters": [{"file": n} for n in notebooks] + [{"file": "colophon"}]}
        (book / "_toc.yml").write_text(yaml.safe_dump(toc, sort_keys=False))
        write_graph(root, depends_on)
        return Layout(root)

    return make
