"""No machine paths in what the book offers for download.

The executed notebooks (downloadable from every chapter, and copied to ``_sources/``) hold the absolute paths of
the machine that built them: the injected parameters (``students_path = "/home/.../students.csv"``), papermill's
metadata (input and output path) and outputs that print a temporary folder. :func:`scrub_notebook` makes them
relative to the folders they lie in.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterable
from pathlib import Path

import nbformat


def machine_roots(project: Path, data_paths: Iterable[str | Path] = ()) -> list[str]:
    """The folders whose absolute names must not appear: the data files' folders, the project, home, temp."""
    roots = {str(Path(p).resolve().parent) for p in data_paths if p}
    roots |= {str(Path(project).resolve()), str(Path(project)), str(Path.home()), tempfile.gettempdir()}
    return sorted((r.rstrip("/") for r in roots if r not in ("", "/")), key=len, reverse=True)


def scrub_text(text: str, roots: Iterable[str]) -> str:
    """``text`` with every ``<root>/`` removed (a path below it becomes relative) and a bare root as ``.``."""
    for root in roots:
        text = text.replace(root + "/", "").replace(root, ".")
    return text


def scrub_notebook(node: nbformat.NotebookNode, roots: Iterable[str]) -> nbformat.NotebookNode:
    """The notebook with machine paths removed from sources, outputs and metadata; papermill's paths dropped."""
    papermill = node.metadata.get("papermill", {})
    for key in ("input_path", "output_path"):
        papermill.pop(key, None)
    roots = list(roots)
    text = scrub_text(json.dumps(node, ensure_ascii=False), roots)
    return nbformat.from_dict(json.loads(text))
