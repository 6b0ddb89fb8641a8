"""Notebook runs: each chapter executed by papermill in its kernel (or taken from the cache), in the graph's waves."""

from __future__ import annotations

import shutil
import tempfile
import textwrap
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

import nbformat
from rich.console import Console

from loopbaanleren.book.chapter_graph import GRAPH_FILE, ChapterGraph
from loopbaanleren.build import cache, dependencies, provenance
from loopbaanleren.build import params as build_params
from loopbaanleren.build.executor import Executor, SerialExecutor
from loopbaanleren.build.inputs import DataInput
from loopbaanleren.build.kernels import LoggedKernelManager, log_tail, quiet_papermill
from loopbaanleren.build.layout import Layout, remove_if_not_a_folder
from loopbaanleren.build.notebooks import KERNEL, Notebook, cache_key, code_hash, notebook_code, notebook_parameters, upstream_hash
from loopbaanleren.data.shared_readings import shared_folder
from loopbaanleren.errors import BuildError, writing

def _snapshot(folder: Path) -> dict[Path, tuple[int, int]]:
    return {p: (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.rglob("*") if p.is_file()}


def _first_line(source: str) -> str:
    lines = [line.strip() for line in source.splitlines() if line.strip()]
    return lines[0] if lines else "(empty cell)"


def execute(nb: Notebook, injected: Mapping[str, object], layout: Layout, preload: Sequence[str] = ()) -> Path:
    """Run the notebook with papermill into ``.build/run/executed``; on failure keep it in ``.build/failed``.

    ``preload`` are the modules the kernel's fork server imports before its first kernel (see
    :mod:`loopbaanleren.build.kernels`).
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError
    from traitlets.config import Config


    quiet_papermill()

    source = layout.run / "source" / f"{nb.name}.ipynb"
    executed = layout.run / "executed" / f"{nb.name}.ipynb"
    kernel_log = layout.run / "kernels" / f"{nb.name}.log"
    for folder in (source.parent, executed.parent):
        folder.mkdir(parents=True, exist_ok=True)
    with writing(source):
        nbformat.write(nb.node, source)
    try:
        with tempfile.TemporaryDirectory(prefix="loopbaanleren-") as sockets:
            papermill.execute_notebook(
                str(source),
                str(executed),
                parameters=dict(injected),
                kernel_name=KERNEL,
                progress_bar=False,
                request_save_on_cell_execute=False,
                cwd=str(layout.run),
                kernel_manager_class=LoggedKernelManager,
                config=Config(
                    {
                        # local sockets rather than unencrypted TCP ports between this process and the kernel
                        "KernelManager": {"transport": "ipc", "ip": str(Path(sockets) / "kernel")},
                        # the kernel's own messages are not the notebook's output (see loopbaanleren.build.kernels)
                        "LoggedKernelManager": {"log_file": str(kernel_log), "preload": list(preload)},
                    }
                ),
                extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
            )
    except PapermillExecutionError as exc:
        kept = _keep_failed(executed, layout, nb)
        raise BuildError(
            f"notebook {nb.path.name} failed in cell {exc.cell_index} ({_first_line(exc.source)}): "
            f"{exc.ename}: {exc.evalue}\nthe executed notebook is kept for inspection: {kept}"
        ) from None
    except OSError:  # a file that cannot be written (a full disk): build() names it
        raise
    except Exception as exc:  # a dead kernel, a timeout, an unreadable notebook: not a cell's error
        kept = _keep_failed(executed, layout, nb)
        said = log_tail(kernel_log)
        raise BuildError(
            f"notebook {nb.path.name} could not be executed: {type(exc).__name__}: {exc}"
            + (f"\nthe kernel's last words:\n{textwrap.indent(said, '  ')}" if said else "")
            + (f"\nthe executed notebook is kept for inspection: {kept}" if kept else "")
        ) from None
    return executed


def _keep_failed(executed: Path, layout: Layout, nb: Notebook) -> Path | None:
    if not executed.is_file():
        return None
    layout.failed.mkdir(parents=True, exist_ok=True)
    kept = layout.failed / f"{nb.name}.ipynb"
    shutil.move(executed, kept)
    return kept


def _execute_task(task: tuple[Notebook, Mapping[str, object], Layout, Sequence[str]]) -> tuple[Path, float]:
    """Execute one notebook (see :func:`execute`); the executed notebook and the seconds it took."""
    nb, injected, layout, preload = task
    started = time.perf_counter()
    output = execute(nb, injected, layout, preload)
    return output, time.perf_counter() - started


def run_notebooks(
    notebooks: list[Notebook],
    params: build_params.BuildParams,
    inputs: Mapping[str, DataInput],
    layout: Layout,
    preparation: str,
    console: Console,
    executor: Executor | None = None,
    graph: ChapterGraph | None = None,
) -> tuple[dict[str, Path], dict[str, dict[str, object]]]:
    """Execute (or take from the cache) each notebook; result files land in ``.build/run/results``.

    The notebooks run in the waves of the chapter graph (``graph``, default the layout's): a chapter after the
    chapters it depends on, the chapters of one wave together on ``executor`` (default: one after another
    here). Each writes into its own folder ``.build/run/parts/<name>``, which first holds the results of the chapters it
    depends on; the files it wrote become its cache entry as soon as it is done (an interrupted build
    keeps the chapters that finished) and are then copied into ``results`` in the graph's order. A chapter that
    writes a result its ``writes`` does not declare fails the build. ``preparation`` is the
    :func:`preparation_hash` of the shared readings. The outputs, cache keys and provenance are those of running
    the notebooks one by one.
    """
    graph = graph or layout.graph()
    results = layout.run / "results"
    results.mkdir(parents=True, exist_ok=True)
    shared = shared_folder(layout.work, preparation)
    versions = provenance.library_versions()
    by_name = {nb.name: nb for nb in notebooks}
    executed, runs, entries = {}, {}, {}
    preload = sorted(set().union(*(dependencies.modules(notebook_code(nb)) for nb in notebooks)))  # see execute

    def report(name: str) -> None:
        console.print(f"  {name:<28} {runs[name]['status']:<9} {runs[name]['seconds']:6.1f} s")
        console.file.flush()  # seen as it happens, also through a pipe (a CI log, a script waiting for it)

    def take(name: str) -> None:  # a chapter's cache entry (stored or verified in this build) into results
        started = time.perf_counter()
        if cache.load(entries[name], results) is None:
            raise BuildError(f"cache entry {entries[name]} disappeared during the build")
        runs[name]["seconds"] = round(runs[name]["seconds"] + time.perf_counter() - started, 2)
        executed[name] = entries[name] / cache.NOTEBOOK

    waves = graph.waves(by_name)
    for number, wave in enumerate(waves, 1):
        planned = []
        for name in wave:
            nb, part = by_name[name], layout.run / "parts" / name
            remove_if_not_a_folder(layout.cache / name, console)
            part.mkdir(parents=True, exist_ok=True)
            upstream = [by_name[other] for other in graph[name].depends_on if other in by_name]
            for other in upstream:  # what it reads of the chapters it depends on
                cache.load(entries[other.name], part)
            injected = notebook_parameters(nb, params, inputs, layout, list(by_name), shared)
            code = code_hash(nb, versions, layout.graph_file)
            key = cache_key(nb, injected, inputs, code, upstream_hash(upstream, part) if upstream else None)
            entries[name] = entry = layout.cache / name / key
            runs[name] = {"status": "cached", "seconds": 0.0, "cache_key": key}
            if cache.verify(entry, console.print):
                entry.touch()
                continue
            if "results_dir" in injected:
                injected = {**injected, "results_dir": str(part)}
            planned.append((nb, injected, part, _snapshot(part)))

        def store(index: int, outcome: tuple[Path, float], planned=planned) -> None:  # as each chapter finishes
            (nb, _, part, before), (output, seconds) = planned[index], outcome
            written = sorted(p for p, stat in _snapshot(part).items() if before.get(p) != stat)
            undeclared = [p.relative_to(part).as_posix() for p in written]
            undeclared = [name for name in undeclared if not graph[nb.name].may_write(name)]
            if undeclared:
                raise BuildError(
                    f"chapter {nb.name} wrote {', '.join(undeclared)}, not in its field 'writes' of the chapter graph "
                    f"({graph.path or GRAPH_FILE})"
                )
            cache.store(entries[nb.name], output, written, part, seconds)
            runs[nb.name].update(status="executed", seconds=seconds)
            report(nb.name)  # as it finishes; its results are taken after the wave, in the graph's order

        waiting = {nb.name for nb, *_ in planned}
        for name in (name for name in wave if name not in waiting):  # cached: reported before anything runs
            take(name)
            report(name)
        if planned:
            workers = min(getattr(executor, "workers", 1), len(planned))
            with console.status(f"executing {len(planned)} notebook(s), {workers} at a time ..."):
                tasks = [(nb, injected, layout, preload) for nb, injected, *_ in planned]
                (executor or SerialExecutor()).map(_execute_task, tasks, done=store)
        for name in (name for name in wave if name in waiting):
            take(name)
    return {nb.name: executed[nb.name] for nb in notebooks}, {nb.name: runs[nb.name] for nb in notebooks}
