"""The chapter graph (``notebooks/chapters.yaml``): per chapter its research questions, data, results and dependencies.

The build reads it for the order and parallelism of the notebooks (:meth:`ChapterGraph.waves`: a chapter runs
after the chapters it depends on, the others run together), for the cache dependencies of a chapter (the sources
and results of the chapters it depends on) and for the chapters the table of contents must list (:func:`toc_files`); the ledger for
the chapter of each research question (:meth:`ChapterGraph.chapter_of`); each survey chapter for its own research
questions (:meth:`ChapterGraph.research_questions_of`). A chapter finds the graph of the project it runs in
(:func:`chapter_graph`: at or above its working folder, which the build sets to the project's scratch folder).
Which package modules and resources a chapter uses is not declared but found from its imports
(:mod:`loopbaanleren.build.dependencies`).

Fields per chapter (each optional, default empty):

* ``research_questions``: the registry's research questions (``RQ1`` ... ``KWAL``) whose claims it computes;
* ``reads``: the data it reads (``students``, ``counsellors``, ``interviews``), as its parameters cell declares;
* ``writes``: the result files it writes to ``results_dir`` (names or ``fnmatch`` patterns);
* ``depends_on``: the chapters whose results (and sources) it reads; they run first.

A file with any problem raises :class:`GraphError`, one line per problem naming the chapter and the field.

>>> graph = parse_graph({"chapters": {"01_a": {"research_questions": ["RQ1"], "writes": ["claims_rq1.csv"]},
...                                   "90_b": {"depends_on": ["01_a"]}, "02_c": {}}})
>>> graph.waves(["01_a", "90_b", "02_c"]), graph.chapter_of("RQ1"), graph.research_questions_of("01_a")
([['01_a', '02_c'], ['90_b']], '01_a', ('RQ1',))
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fnmatch import fnmatchcase
from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, StrictStr, ValidationError

from loopbaanleren.data.registry import RQ_ORDER
from loopbaanleren.errors import BuildError

GRAPH_FILE = "chapters.yaml"
"""A project's graph is ``notebooks/chapters.yaml``, beside the notebooks."""
CHAPTER_NAME = re.compile(r"^\d{2}_[A-Za-z0-9_]+$")


class GraphError(BuildError):
    """The chapter graph, or the notebooks and table of contents against it, has one or more problems."""


class Chapter(BaseModel):
    """One chapter as the graph declares it."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
    name: StrictStr
    research_questions: list[StrictStr] = []
    reads: list[Literal["students", "counsellors", "interviews"]] = []
    writes: list[StrictStr] = []
    depends_on: list[StrictStr] = []

    def may_write(self, name: str) -> bool:
        """Whether ``name`` (a path under ``results_dir``) is one of the results the chapter declares."""
        return any(fnmatchcase(name, pattern) for pattern in self.writes)


@dataclass(frozen=True)
class ChapterGraph:
    """The declared chapters, in the file's order."""

    chapters: dict[str, Chapter]
    path: Path | None = None

    @property
    def names(self) -> list[str]:
        """The chapter names, in the file's order."""
        return list(self.chapters)

    def __getitem__(self, name: str) -> Chapter:
        return self.chapters[name]

    def research_questions_of(self, name: str) -> tuple[str, ...]:
        """The research questions chapter ``name`` computes; :class:`GraphError` when the graph declares none."""
        where = self.path or GRAPH_FILE
        if name not in self.chapters:
            raise GraphError(f"{where}: chapter {name} is not declared (add a chapter '{name}' with its research_questions)")
        if not self[name].research_questions:
            raise GraphError(f"{where}: chapter {name}: field 'research_questions' is empty")
        return tuple(self[name].research_questions)

    def chapter_of(self, rq: str) -> str:
        """The chapter that computes the claims of research question ``rq``."""
        return self.by_research_question()[rq]

    def by_research_question(self) -> dict[str, str]:
        """Research question -> chapter, in the order of :data:`RQ_ORDER`."""
        found = {rq: chapter.name for chapter in self.chapters.values() for rq in chapter.research_questions}
        return {rq: found[rq] for rq in RQ_ORDER if rq in found}

    def waves(self, selected: Iterable[str]) -> list[list[str]]:
        """The ``selected`` chapters in the order they run: each wave after the chapters it depends on; the
        chapters of one wave may run together (in the file's order). A dependency not selected is left out."""
        chosen = set(selected)
        todo = [name for name in self.chapters if name in chosen]
        done: set[str] = set()
        waves = []
        while todo:
            ready = [name for name in todo if set(self[name].depends_on) & chosen <= done]
            waves.append(ready)
            done.update(ready)
            todo = [name for name in todo if name not in done]
        return waves


def _problems(where: str, raw: object) -> list[str]:
    if not isinstance(raw, dict) or not isinstance(raw.get("chapters"), dict) or set(raw) != {"chapters"}:
        return [f"{where}: expected one key 'chapters' mapping each chapter name to its fields"]
    problems, owner = [], {}
    names = list(raw["chapters"])
    for name, fields in raw["chapters"].items():
        at = f"{where}: chapter {name}"
        if not CHAPTER_NAME.match(str(name)):
            problems.append(f"{at}: a chapter is named like its notebook, NN_name")
            continue
        try:
            chapter = Chapter(name=name, **(fields or {}))
        except (ValidationError, TypeError) as error:
            errors = error.errors() if isinstance(error, ValidationError) else [{"loc": ("?",), "msg": str(error)}]
            problems += [f"{at}: field '{e['loc'][0]}': {e['msg'].lower()}" for e in errors]
            continue
        for rq in chapter.research_questions:
            if rq not in RQ_ORDER:
                problems.append(f"{at}: field 'research_questions': unknown research question {rq!r}")
            elif rq in owner:
                problems.append(f"{at}: field 'research_questions': {rq} is also computed by {owner[rq]}")
            owner.setdefault(rq, name)
        for other in chapter.depends_on:
            if other not in names or other == name:
                problems.append(f"{at}: field 'depends_on': {'itself' if other == name else f'unknown chapter {other!r}'}")
    return problems


def _cycle(chapters: Mapping[str, Chapter]) -> list[str] | None:
    """A dependency cycle (its chapters in order, the first repeated at the end), or None."""
    state: dict[str, str] = {}

    def visit(name: str, path: list[str]) -> list[str] | None:
        state[name] = "open"
        for other in chapters[name].depends_on:
            if state.get(other) == "open":
                return [*path[path.index(other):], other] if other in path else [name, other]
            if other not in state and (found := visit(other, [*path, other])):
                return found
        state[name] = "done"
        return None

    for name in chapters:
        if name not in state and (found := visit(name, [name])):
            return found
    return None


def parse_graph(raw: object, path: Path | None = None) -> ChapterGraph:
    """The chapter graph from a parsed YAML document; :class:`GraphError` with every problem."""
    where = str(path) if path else GRAPH_FILE
    problems = _problems(where, raw)
    if problems:
        raise GraphError("\n".join(problems))
    chapters = {name: Chapter(name=name, **(fields or {})) for name, fields in raw["chapters"].items()}
    cycle = _cycle(chapters)
    if cycle:
        raise GraphError(f"{where}: chapter {cycle[0]}: field 'depends_on': a cycle {' -> '.join(cycle)}")
    return ChapterGraph(chapters, path)


def read_graph(path: Path) -> ChapterGraph:
    """Read and check a chapter graph file."""
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise GraphError(f"{path}: cannot read the chapter graph: {exc}") from None
    return parse_graph(raw, Path(path))


def toc_files(toc: dict) -> list[str]:
    """Every ``file:`` entry of a Jupyter Book table of contents, in order."""
    found = [toc["root"]] if "root" in toc else []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if "file" in node:
                found.append(str(node["file"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk({k: v for k, v in toc.items() if k != "root"})
    return found


def find_notebooks(start: Path | None = None) -> Path | None:
    """The notebooks folder of the nearest project at or above ``start`` (default: the current folder): the first
    ``notebooks`` folder holding :data:`GRAPH_FILE`, or ``start`` itself when it holds the file; None when none does."""
    start = (start or Path.cwd()).resolve()
    if (start / GRAPH_FILE).is_file():
        return start
    return next((folder / "notebooks" for folder in (start, *start.parents)
                 if (folder / "notebooks" / GRAPH_FILE).is_file()), None)


def chapter_graph(notebooks: str | Path = "") -> ChapterGraph:
    """The chapter graph in the folder ``notebooks``, or (empty) that of the project at or above the current folder;
    :class:`GraphError` when there is none."""
    folder = Path(notebooks) if notebooks else find_notebooks()
    if folder is None:
        raise GraphError(f"no {GRAPH_FILE} in a folder notebooks at or above {Path.cwd()}")
    path = folder.resolve() / GRAPH_FILE
    return _read_once(path, path.stat().st_mtime_ns) if path.is_file() else read_graph(path)


@cache
def _read_once(path: Path, modified: int) -> ChapterGraph:
    """The graph of ``path`` as last ``modified`` (read once per process and version of the file)."""
    return read_graph(path)
