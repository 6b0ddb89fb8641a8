"""Which compendium a command works on: the one at or above the current folder, never where the package lives.

A project is a folder holding ``notebooks/chapters.yaml``. ``loopbaanleren build`` uses the project given with
``--project``, else the nearest one at or above the current folder; a copied or moved project thus builds into
itself. When the package that runs is installed from another folder (a copied virtual environment whose
editable install still points back), one line says so and how to repair it.
"""

from __future__ import annotations

from pathlib import Path

from loopbaanleren.errors import ParameterError
from loopbaanleren.book.chapter_graph import GRAPH_FILE, find_notebooks

PACKAGE_ROOT = Path(__file__).resolve().parents[3]
"""The folder the running package was installed from (its checkout, for an editable install)."""


def find_project(start: Path | None = None) -> Path:
    """The nearest folder at or above ``start`` (default: the current folder) that holds ``notebooks/chapters.yaml``.

    Raises ParameterError, in one line, when there is none.
    """
    start = (start or Path.cwd()).resolve()
    notebooks = find_notebooks(start)
    if notebooks is not None and notebooks.name == "notebooks":
        return notebooks.parent
    raise ParameterError(
        f"no compendium at or above {start} (a folder with notebooks/{GRAPH_FILE}); run the command inside the "
        "project or give --project FOLDER"
    )


def installed_elsewhere(project: Path) -> str:
    """One line when the running package is installed from another folder than ``project`` has its sources in
    (empty when it is this project's own, or when ``project`` has no ``src/loopbaanleren``)."""
    own = project / "src" / "loopbaanleren"
    if not own.is_dir() or own.resolve() == (PACKAGE_ROOT / "src" / "loopbaanleren").resolve():
        return ""
    return (
        f"note: the loopbaanleren package that runs is installed from {PACKAGE_ROOT}, not from this project "
        f"({project}); the book is built here, with that package's code. Repair: run 'make install' in {project}"
    )
