"""The chapters as notebooks: their discovery, the parameters a build injects, and their cache keys."""

from __future__ import annotations

import hashlib
import json
import re
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import jupytext
import nbformat

from loopbaanleren.book.chapter_graph import ChapterGraph, GRAPH_FILE
from loopbaanleren.build import dependencies
from loopbaanleren.build import params as build_params
from loopbaanleren.build.inputs import DataInput
from loopbaanleren.build.layout import Layout
from loopbaanleren.errors import BuildError, ParameterError

NOTEBOOK_FILE = re.compile(r"^(\d{2})_[A-Za-z0-9_]+\.py$")


KERNEL = "python3"


FOLDER_PARAMETERS = ("results_dir", "notebooks_dir", "shared_dir")  # where things are, not what they hold: not in cache keys


@dataclass(eq=False)
class Notebook:
    """A jupytext percent script ``NN_name.py`` and the names/defaults of its parameters cell."""

    name: str
    path: Path
    text: str
    node: nbformat.NotebookNode
    parameters: dict[str, object]


def discover(folder: Path) -> list[Notebook]:
    """The notebooks ``NN_name.py`` in ``folder``, in order; each must have one cell tagged parameters."""
    files = sorted(p for p in folder.glob("*.py") if NOTEBOOK_FILE.match(p.name)) if folder.is_dir() else []
    if not files:  # a wrong --project: bad input
        raise ParameterError(f"no notebooks named NN_name.py in {folder}")
    problems, notebooks, numbers = [], [], {}
    for path in files:
        number = path.name[:2]
        if number in numbers:
            problems.append(f"{path}: number {number} is also used by {numbers[number]}")
        numbers[number] = path.name
        text = path.read_text(encoding="utf-8")
        node = jupytext.reads(text, fmt="py:percent")
        tagged = [c for c in node.cells if "parameters" in c.metadata.get("tags", [])]
        if len(tagged) != 1:
            problems.append(f"{path}: needs exactly one cell tagged parameters, found {len(tagged)}")
            continue
        node.metadata["kernelspec"] = {"name": KERNEL, "display_name": "Python 3", "language": "python"}
        parameters = build_params.declared_parameters(tagged[0].source)
        notebooks.append(Notebook(path.stem, path, text, node, parameters))
    if problems:
        raise BuildError("\n".join(problems))
    return notebooks


def graph_problems(graph: ChapterGraph, notebooks: Mapping[str, Mapping[str, object]]) -> list[str]:
    """How the notebooks (name -> parameters their parameters cell declares) disagree with the chapter ``graph``."""
    where = graph.path or GRAPH_FILE
    problems = [
        f"{where}: notebook {name}.py is not declared (add a chapter '{name}')"
        for name in notebooks if name not in graph.chapters
    ]
    problems += [f"{where}: chapter {name}: there is no notebooks/{name}.py" for name in graph.chapters if name not in notebooks]
    for name, parameters in notebooks.items():
        if name in graph.chapters:
            declared = {role for role, key in build_params.DATA_KEYS.items() if key in parameters}
            if declared != set(graph[name].reads):
                problems.append(
                    f"{where}: chapter {name}: field 'reads': {sorted(graph[name].reads)} but its parameters cell "
                    f"declares {', '.join(build_params.DATA_KEYS[r] for r in sorted(declared)) or 'no data'}"
                )
    return problems


def notebook_code(nb: Notebook) -> str:
    """The Python of a notebook's code cells, each dedented as IPython does (magics and shell lines left out)."""
    cells = [c.source for c in nb.node.cells if c.cell_type == "code"]
    kept = ["\n".join(line for line in cell.splitlines() if not line.lstrip().startswith(("%", "!"))) for cell in cells]
    return "\n".join(textwrap.dedent(cell) for cell in kept)


def code_hash(nb: Notebook, versions: Mapping[str, str], graph_file: Path) -> str:
    """The hash of what ``nb`` uses of the package (:func:`loopbaanleren.build.dependencies.code_hash`), and of the
    chapter graph ``graph_file`` when it uses :mod:`loopbaanleren.book.chapter_graph` (which chapter computes what)."""
    code = notebook_code(nb)
    try:
        digest = dependencies.code_hash(code, dict(versions))
    except SyntaxError as exc:
        raise BuildError(f"notebook {nb.path.name}: line {exc.lineno} of its code is not Python: {exc.msg}") from None
    if "loopbaanleren.book.chapter_graph" in dependencies.modules(code):
        digest = hashlib.sha256(digest.encode() + b"\0" + graph_file.read_bytes()).hexdigest()
    return digest


def notebook_parameters(
    nb: Notebook, params: build_params.BuildParams, inputs: Mapping[str, DataInput], layout: Layout,
    chapters: Sequence[str] = (), shared: Path | None = None,
) -> dict[str, object]:
    """The values injected into ``nb``: only the parameters its parameters cell declares; ``chapters`` are the
    notebooks this build runs (the book's pages a chapter may link to), ``shared`` the folder of the survey readings
    the build made once (:mod:`loopbaanleren.data.shared_readings`)."""
    available = params.notebook_values()
    available["chapters"] = list(chapters)
    available["preregistered"] = dict(params.preregistered)
    for role, data in inputs.items():
        available[build_params.DATA_KEYS[role]] = str(data.path)
    read = [data for role, data in inputs.items() if build_params.DATA_KEYS[role] in nb.parameters]
    shown = [data for data in (read or inputs.values()) if not data.absent]
    available["synthetic"] = bool(shown) and all(data.synthetic for data in shown)  # the data it shows: simulated only
    # (a page on own and simulated data together says so in the book-wide notice, the same on every page)
    if params.no_interviews:
        available["interviews_path"] = ""  # no interview study: its claims are not computable
    available["results_dir"] = str(layout.run / "results")
    available["notebooks_dir"] = str(layout.notebooks)
    available["shared_dir"] = str(shared or "")
    return {name: value for name, value in available.items() if name in nb.parameters}


def upstream_hash(notebooks: list[Notebook], results: Path) -> str:
    """What a chapter reads of the chapters it depends on: their sources (``notebooks``) and their results."""
    digest = hashlib.sha256()
    for nb in notebooks:
        digest.update(nb.name.encode() + b"\0" + nb.text.encode())
    for path in sorted(p for p in results.rglob("*") if p.is_file()):
        digest.update(path.relative_to(results).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def cache_key(
    nb: Notebook,
    injected: Mapping[str, object],
    inputs: Mapping[str, DataInput],
    package: str,
    upstream: str | None = None,
) -> str:
    """Hash of the notebook source, its parameters (data by content, folders left out), what it uses of the
    package (``package``, see :func:`code_hash`), and for a chapter that depends on others the ``upstream_hash``."""
    by_path = {build_params.DATA_KEYS[role]: data for role, data in inputs.items()}
    values = {}
    for name, value in injected.items():
        if name in FOLDER_PARAMETERS:
            continue
        data = by_path.get(name)
        values[name] = f"{data.path.name}:{data.sha256}" if data else value
    payload = {"source": nb.text, "parameters": values, "package": package, "upstream": upstream}
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()
