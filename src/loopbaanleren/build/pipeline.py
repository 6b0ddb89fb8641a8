"""Build orchestration: notebooks (jupytext -> papermill, cached) into a scratch folder, then the book.

A build runs in ``<project>/.build/run``; only when every notebook and the book succeeded does it
replace ``book/_build/html`` and ``results/`` (rename swap, with signals held back). Each executed notebook
is cached (``loopbaanleren.build.cache``) under a key made of its source, the parameters it declares, the checksums
of the data it reads, the package modules and resources it uses (``loopbaanleren.build.dependencies``), the key library
versions, and the sources and results of the chapters it depends on. The chapter graph
(``loopbaanleren.book.chapter_graph``) gives the order and which chapters run together. SIGINT or SIGTERM at any
moment stop the build with ``interrupt.Interrupted`` and leave the previous book and results as they were;
so does a file that cannot be written (a full disk, an unwritable folder), with a ``BuildError`` naming it.

The steps live in modules of their own: where things are (:mod:`~loopbaanleren.build.layout`), the data
(:mod:`~loopbaanleren.build.inputs`), the notebooks and their cache keys (:mod:`~loopbaanleren.build.notebooks`),
their runs (:mod:`~loopbaanleren.build.execution`), the book (:mod:`~loopbaanleren.build.book_step`) and the swap
that publishes book and results (:mod:`~loopbaanleren.build.publish`).
"""

from __future__ import annotations

import contextlib
import fcntl
import shutil
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime

from rich.console import Console

from loopbaanleren.book.chapter_graph import ChapterGraph
from loopbaanleren.build import interrupt, provenance, replication_build
from loopbaanleren.build import params as build_params
from loopbaanleren.build.param_check import check as check_params
from loopbaanleren.build.book_step import book_cache_key, build_book, read_toc, stage_book
from loopbaanleren.build.execution import run_notebooks
from loopbaanleren.build.executor import make_executor
from loopbaanleren.build.inputs import prepare_inputs, preparation_hash
from loopbaanleren.build.layout import Layout, remove_if_not_a_folder
from loopbaanleren.build.notebooks import Notebook, discover, graph_problems
from loopbaanleren.build.publish import swap
from loopbaanleren.data import limits
from loopbaanleren.data.codebook import POPULATIONS, load_codebook
from loopbaanleren.errors import BuildError, file_error, writing



@dataclass(frozen=True)
class BuildReport:
    """What a build did: per-notebook status and seconds, whether the book was rebuilt, the provenance."""

    notebooks: dict[str, dict[str, object]]
    book_rebuilt: bool
    provenance: dict[str, object]


@contextmanager
def _lock(layout: Layout) -> Iterator[None]:
    layout.work.mkdir(parents=True, exist_ok=True)
    with (layout.work / "lock").open("w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildError(f"another build is running in {layout.root}") from None
        try:
            yield
        except interrupt.Interrupted:
            shutil.rmtree(layout.run, ignore_errors=True)  # this build's scratch (it holds the lock)
            raise


def build(raw: Mapping[str, object], layout: Layout, console: Console | None = None) -> BuildReport:
    """Check parameters and data, run the notebooks, build the book, and swap in book and results.

    ``raw`` holds build parameters by build key (see ``loopbaanleren.build.params``). Raises
    ``ParameterError``/``InputError`` before anything runs, ``BuildError`` when a notebook or the book fails
    or a file cannot be written (naming it), ``interrupt.Interrupted`` on SIGINT or SIGTERM (any child process
    ended); in every failure the previous book and results stay as they were.
    """
    space: list[str] = []  # the space the build needs, once known (named when the disk fills)
    with interrupt.handling():
        before = interrupt.children_now()
        try:
            return _build(raw, layout, console, space)
        except interrupt.Interrupted as exc:
            exc.note = exc.note or interrupt.KEPT_NOTE
            raise
        except OSError as exc:
            raise file_error(exc, layout.root, space[0] if space else "") from None
        finally:  # on every way out: no kernel, worker or fork server of this build left running
            interrupt.end_children_since(before)


def _build(raw: Mapping[str, object], layout: Layout, console: Console | None, space: list[str]) -> BuildReport:
    console = console or Console(highlight=False)
    started = datetime.now().astimezone()
    tree = provenance.git_commit(layout.root)  # the tree as the build found it, before it writes anything
    found = {nb.name: nb for nb in discover(layout.notebooks)}  # first: a project without notebooks has no graph
    graph = layout.graph()
    problems = graph_problems(graph, {name: nb.parameters for name, nb in found.items()})
    if problems:
        raise BuildError("\n".join(problems))
    notebooks = [found[name] for name in graph.names]
    toc = read_toc(layout.book, graph.names)
    codebook = load_codebook()
    sizes = (codebook.population("students").default_n, codebook.population("counsellors").default_n)
    params = check_params(raw, {nb.name: nb.parameters for nb in notebooks}, sizes)
    selected = [nb for nb in notebooks if not params.only or nb.name in params.only]
    if params.no_interviews:  # the interview study's own chapter is left out; the ledger still runs
        selected = [nb for nb in selected if graph[nb.name].reads != ["interviews"]]
    layout = replace(layout, partial=params.partial)  # a partial book never replaces the full one
    simulating = [role for role in build_params.DATA_KEYS
                  if getattr(params, role) is None and not getattr(params, f"no_{role}")]
    if set(simulating) & set(POPULATIONS):
        limits.check_simulation(params.n_students, params.n_counsellors)
    needed = _space_needed(layout, params if set(simulating) & set(POPULATIONS) else None)
    space.append(f"the build needs about {limits.megabytes(needed)} free")
    limits.check_disk(layout.root, needed, "the build")

    with _lock(layout):
        for folder in (layout.cache, layout.run, layout.failed, layout.prepared, layout.work / "shared"):
            remove_if_not_a_folder(folder, console)
        try:
            return _run(params, layout, console, selected, notebooks, graph, toc, started, tree=tree)
        finally:
            shutil.rmtree(layout.run, ignore_errors=True)  # the scratch, on every way out


def _space_needed(layout: Layout, simulated: build_params.BuildParams | None) -> int:
    """Bytes of disk a build may need: the new book and results next to the previous ones until the swap, the
    scratch folder, and the simulated data (``simulated``: the parameters of data still to simulate)."""
    published = sum(p.stat().st_size for folder in (layout.html, layout.results) if folder.is_dir()
                    for p in folder.rglob("*") if p.is_file())
    data = 0
    if simulated is not None:
        data = (simulated.n_students + simulated.n_counsellors) * limits.WRITTEN_BYTES
    return max(published, limits.BOOK_BYTES) + limits.SCRATCH_BYTES + data


def _run(params, layout: Layout, console: Console, selected: list[Notebook], notebooks: list[Notebook],
         graph: ChapterGraph, toc: dict, started: datetime, *, tree: dict) -> BuildReport:
    """The build once parameters are checked and the lock is held: data, notebooks, book, swap; ``tree`` is the
    commit and state of the work tree when the build started (:func:`~loopbaanleren.build.provenance.git_commit`)."""
    preparation = preparation_hash()
    inputs = prepare_inputs(params, layout, preparation, console)
    check, params = replication_build.check_preregistration(params, inputs)
    shutil.rmtree(layout.run, ignore_errors=True)
    shutil.rmtree(layout.failed, ignore_errors=True)
    layout.run.mkdir(parents=True)
    console.print(f"Notebooks ({layout.notebooks}):")
    before = interrupt.children_now()
    executor = make_executor(params.jobs, params.scheduler)
    try:
        executed, runs = run_notebooks(selected, params, inputs, layout, preparation, console, executor, graph)
    except BaseException:
        # the kernels and the workers' fork servers first: a worker ended first would leave them orphaned
        interrupt.end_children_since(before)
        executor.shutdown(cancel=True)
        raise
    executor.shutdown(cancel=False)

    record = {
        "started": started.isoformat(timespec="seconds"),
        "data": {role: data.record(params) for role, data in inputs.items()},
        "parameters": params.recorded(),
        "versions": provenance.library_versions(),
        "git": tree,
        "notebooks": runs,
    }
    replication_build.extend_record(record, params, inputs, layout.run / "results", check)
    if params.mapping is not None:  # read by the build: hashed by it, as the data are, and recorded whole
        record["mapping"] = provenance.mapping_record(params.mapping)
    book_key = book_cache_key(layout, runs, record)
    state_file = layout.book_key
    book_started = time.perf_counter()
    results = layout.run / "results"
    swaps = {results: layout.results}
    if state_file.is_file() and state_file.read_text() == book_key and (layout.html / "index.html").is_file():
        console.print("Book: unchanged, kept as it is")
        record["book"] = {"status": "unchanged", "seconds": 0.0}
    else:
        with console.status("building the book ..."):
            stage = stage_book(layout, toc, executed, [nb.name for nb in notebooks], record)
            swaps[build_book(stage, layout)] = layout.html
        record["book"] = {"status": "built", "seconds": round(time.perf_counter() - book_started, 2)}
        console.print(f"Book: built in {record['book']['seconds']:.1f} s")
    record["finished"] = datetime.now().astimezone().isoformat(timespec="seconds")
    previous = layout.results / "provenance.json"
    if record["book"]["status"] == "unchanged" and previous.is_file():
        # nothing changed: the book and its colophon still describe the build that made them, and so does this
        shutil.copy2(previous, results / "provenance.json")
    else:
        with writing(results / "provenance.json"):
            provenance.write(record, results / "provenance.json")
    state_file.unlink(missing_ok=True)
    if not layout.partial:  # keep the partial books' results next to the full ones
        for kept in layout.results.glob("partial-*") if layout.results.is_dir() else ():
            shutil.copytree(kept, results / kept.name, dirs_exist_ok=True)
    with interrupt.deferred(interrupt.PUBLISHED_NOTE):
        swap(swaps)
        with contextlib.suppress(OSError):  # not recorded (a full disk): the next build rebuilds the book
            state_file.write_text(book_key)
    console.print(f"Done: {layout.html / 'index.html'}  (results in {layout.results})", soft_wrap=True)
    return BuildReport(notebooks=runs, book_rebuilt=record["book"]["status"] == "built", provenance=record)
