"""Where a build reads its sources and writes its data, results, book and scratch files."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console

from loopbaanleren.book.chapter_graph import GRAPH_FILE, ChapterGraph, read_graph

BOOK_OUTPUTS = shutil.ignore_patterns("_build", ".*")


@dataclass(frozen=True)
class Layout:
    """Where a build reads notebooks and book sources and writes data, results, HTML and scratch files.

    ``root`` is the project folder (found at run time: :func:`loopbaanleren.build.project.find_project`)."""

    root: Path
    partial: str = ""  # e.g. "partial-05": a partial book goes to its own folders (see prepare_layout)

    @property
    def notebooks(self) -> Path:
        """The chapters' jupytext scripts."""
        return self.root / "notebooks"

    @property
    def graph_file(self) -> Path:
        """The declared chapter graph (see :mod:`loopbaanleren.book.chapter_graph`)."""
        return self.notebooks / GRAPH_FILE

    def graph(self) -> ChapterGraph:
        """The chapter graph of this project's notebooks (``notebooks/chapters.yaml``)."""
        return read_graph(self.graph_file)

    @property
    def book(self) -> Path:
        """The Jupyter Book sources (configuration, table of contents, fixed pages)."""
        return self.root / "book"

    @property
    def html(self) -> Path:
        """The built HTML book (a partial book in a folder of its own)."""
        return self.book / "_build" / (self.partial or "html")

    @property
    def results(self) -> Path:
        """The ledger, provenance and other result files (a partial book's in a folder of its own)."""
        return self.root / "results" / self.partial if self.partial else self.root / "results"

    @property
    def book_key(self) -> Path:
        """The cache key of the last book built from these sources."""
        return self.work / (f"book-{self.partial}.key" if self.partial else "book.key")

    @property
    def prepared(self) -> Path:
        """Own data converted for the chapters (CSV with sidecars)."""
        return self.work / "data"

    @property
    def synthetic(self) -> Path:
        """The synthetic data simulated for a build."""
        return self.root / "data" / "synthetic"

    @property
    def work(self) -> Path:
        """The build's scratch folder."""
        return self.root / ".build"

    @property
    def run(self) -> Path:
        """The executed notebooks of the build in progress."""
        return self.work / "run"

    @property
    def failed(self) -> Path:
        """The executed notebooks of the last failed build, kept for inspection."""
        return self.work / "failed"

    @property
    def cache(self) -> Path:
        """Executed notebooks by cache key, reused when nothing they depend on changed."""
        return self.work / "cache"


def copy_sources(source: Layout, target: Path) -> Layout:
    """A project at ``target`` with the notebooks and book pages of ``source``, no outputs (for trial builds)."""
    shutil.copytree(source.notebooks, target / "notebooks", ignore=shutil.ignore_patterns(".*", "__pycache__"))
    shutil.copytree(source.book, target / "book", ignore=BOOK_OUTPUTS)
    return Layout(target)


def remove_if_not_a_folder(folder: Path, console: Console) -> None:
    """A file (or a link) where the build keeps one of its own folders is damage: reported once and removed."""
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        console.print(f"{folder}: geen map, verwijderd", markup=False, highlight=False, soft_wrap=True)
        folder.unlink()
