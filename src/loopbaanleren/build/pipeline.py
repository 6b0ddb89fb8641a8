"""Build orchestration: notebooks (jupytext -> papermill, cached) into a scratch folder, then the book.

A build runs in ``<project>/.build/run``; only when every notebook and the book succeeded does it
replace ``book/_build/html`` and ``results/`` (rename swap, with signals held back). Each executed notebook
is cached (``loopbaanleren.build.cache``) under a key made of its source, the parameters it declares, the checksums
of the data it reads, the package modules and resources it uses (``loopbaanleren.build.dependencies``), the key library
versions, and the sources and results of the chapters it depends on. The chapter graph
(``loopbaanleren.build.graph``) gives the order and which chapters run together. SIGINT or SIGTERM at any
moment stop the build with ``interrupt.Interrupted`` and leave the previous book and results as they were;
so does a file that cannot be written (a full disk, an unwritable folder), with a ``BuildError`` naming it.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import shutil
import tempfile
import textwrap
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

import jupytext
import nbformat
import yaml
from rich.console import Console

from loopbaanleren.build import params as build_params
from loopbaanleren.build import cache, dependencies, interrupt, provenance, replication_build
from loopbaanleren.data import limits, manifest
from loopbaanleren.build.scrub import machine_roots, scrub_notebook
from loopbaanleren.build.book_process import BookProcess
from loopbaanleren.data.codebook import POPULATIONS, load_codebook
from loopbaanleren.errors import BuildError, InputError, ParameterError, file_error, writing
from loopbaanleren.book.escape import html_text, myst_text
from loopbaanleren.build.executor import Executor, SerialExecutor, make_executor
from loopbaanleren.build.graph import GRAPH_FILE, ChapterGraph, read_graph
from loopbaanleren.build.memory import release_free_memory
from loopbaanleren.build.shared import read_survey_shared, shared_folder, sharing

# Reading and simulating data (pandas, scikit-learn) and executing notebooks (papermill) are imported where they
# are used, after the parameter checks: a build with a bad parameter answers at once.

PROJECT_ROOT = Path(__file__).resolve().parents[3]
NOTEBOOK_FILE = re.compile(r"^(\d{2})_[A-Za-z0-9_]+\.py$")
KERNEL = "python3"
BOOK_WARNING = re.compile(r"(WARNING|ERROR|CRITICAL|Exception|Error):")
ANSI_CODE = re.compile(r"\x1b\[[0-9;]*m")
BOOK_OUTPUTS = shutil.ignore_patterns("_build", ".*")
FOLDER_PARAMETERS = ("results_dir", "notebooks_dir")  # where things are, not what they hold: not in cache keys
READ_STATUS_BYTES = 5_000_000  # a data file this large gets a status line while it is read


@dataclass(frozen=True)
class Layout:
    """Where a build reads notebooks and book sources and writes data, results, HTML and scratch files."""

    root: Path = PROJECT_ROOT
    partial: str = ""  # e.g. "partial-05": a partial book goes to its own folders (see prepare_layout)

    @property
    def notebooks(self) -> Path:
        """The chapters' jupytext scripts."""
        return self.root / "notebooks"

    @property
    def graph_file(self) -> Path:
        """The declared chapter graph (see :mod:`loopbaanleren.build.graph`)."""
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


@dataclass(eq=False)
class Notebook:
    """A jupytext percent script ``NN_name.py`` and the names/defaults of its parameters cell."""

    name: str
    path: Path
    text: str
    node: nbformat.NotebookNode
    parameters: dict[str, object]


@dataclass(frozen=True)
class DataInput:
    """One data file of a build: the user's or a simulated one."""

    role: str
    path: Path
    sha256: str
    synthetic: bool
    source: Path | None = None  # the user's own file a prepared ``path`` was made from
    source_sha256: str = ""
    n: int | None = None
    not_measured: tuple[str, ...] = ()
    absent: bool = False  # a survey the user left out (--no-students / --no-counsellors)
    mapping_report: dict | None = None

    def record(self, params: build_params.BuildParams) -> dict[str, object]:
        """The file as provenance records it (the user's own file, not the prepared copy)."""
        source = self.source or self.path
        entry: dict[str, object] = {
            "file": source.name,
            "path": str(source),
            "sha256": self.source_sha256 or self.sha256,
            "synthetic": self.synthetic,
        }
        if self.n is not None:
            entry["n"] = self.n
        if self.not_measured:
            entry["not_measured"] = list(self.not_measured)
        if self.absent:
            entry = {"file": "", "path": "", "sha256": "", "synthetic": False, "absent": True, "n": 0}
        if self.mapping_report is not None:
            entry["mapping_report"] = self.mapping_report
        if self.synthetic:
            entry["seed"] = params.seed
            entry["scenario"] = params.scenario
            if self.role in POPULATIONS and self.n is None:
                entry["n"] = getattr(params, f"n_{self.role}")
        return entry


def prepare_survey(data: "pd.DataFrame", role: str, folder: Path, console=None):
    """Write the user's read ``data`` (see ``read_survey``) as the prepared CSV of ``role``; return its DataInput.

    The CSV (``.build/data/<role>/<role>.csv``) holds the codebook's names and codes; its sidecar names the
    original file and its SHA-256, so the notebooks need neither the mapping nor the original format. Warnings
    (declared missing codes, measures not asked) are printed once, before any notebook runs.
    """
    from loopbaanleren.data.survey_files import write_survey

    source = Path(data.attrs["source"])
    for line in data.attrs.get("warnings", []):
        if console is not None:
            console.print(f"warning: {role}: {line}", markup=False, highlight=False, soft_wrap=True)
    path = folder / role / f"{role}.csv"
    origin = {"source": source.name, "sha256": data.attrs["sha256"], "mapping_report": data.attrs.get("mapping_report", {})}
    write_survey(data, path, role, synthetic=False, origin=origin)
    sidecar = path.with_name(path.name + ".meta.json")  # what the mapping did, shown by the data chapter
    checksum = hashlib.sha256((manifest.sha256_file(path) + manifest.sha256_file(sidecar)).encode()).hexdigest()
    return DataInput(
        role,
        path,
        checksum,
        synthetic=False,
        source=source,
        source_sha256=data.attrs["sha256"],
        n=len(data),
        not_measured=tuple(data.attrs.get("not_measured", [])),
        mapping_report=data.attrs.get("mapping_report"),
    )


@dataclass(frozen=True)
class BuildReport:
    """What a build did: per-notebook status and seconds, whether the book was rebuilt, the provenance."""

    notebooks: dict[str, dict[str, object]]
    book_rebuilt: bool
    provenance: dict[str, object]


# ---------------------------------------------------------------------------------------------- notebooks


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


def read_toc(book: Path, chapters: list[str]) -> dict:
    """The book's ``_toc.yml``, checked to list every chapter of the graph and no notebook that does not exist."""
    path = book / "_toc.yml"
    if not path.is_file():
        raise BuildError(f"missing table of contents {path}")
    toc = yaml.safe_load(path.read_text(encoding="utf-8"))
    listed = set(toc_files(toc))
    names = set(chapters)
    problems = [
        f"{path}: notebook {name}.py is not listed (add '- file: {name}')" for name in chapters if name not in listed
    ]
    problems += [
        f"{path}: lists '{entry}' but there is no notebooks/{entry}.py"
        for entry in sorted(listed - names)
        if re.match(r"^\d{2}_", entry) and not (book / f"{entry}.md").exists()
    ]
    if problems:
        raise BuildError("\n".join(problems))
    return toc


def filter_toc(node: object, dropped: set[str]) -> object:
    """The table of contents without the entries in ``dropped`` (and without parts left empty)."""
    if isinstance(node, list):
        kept = [filter_toc(item, dropped) for item in node]
        return [item for item in kept if item is not None]
    if isinstance(node, dict):
        if node.get("file") in dropped:
            return None
        out = {key: filter_toc(value, dropped) for key, value in node.items()}
        if "caption" in node and not out.get("chapters") and "file" not in node:
            return None
        return out
    return node


# ---------------------------------------------------------------------------------------------- data

KEPT_SIMULATIONS = 4
"""Folders of simulated data kept besides the one a build uses (the most recently used; each seed's is 4.4 MB at the
study's size, and any is simulated again in seconds when asked for)."""


def preparation_hash() -> str:
    """What the data a build prepares (simulated, checked, read once) depends on: the package modules and
    resources this module uses, followed through their imports, and the key library versions."""
    return dependencies.code_hash(Path(__file__).read_text(encoding="utf-8"), provenance.library_versions())


def notebook_code(nb: Notebook) -> str:
    """The Python of a notebook's code cells, each dedented as IPython does (magics and shell lines left out)."""
    cells = [c.source for c in nb.node.cells if c.cell_type == "code"]
    kept = ["\n".join(line for line in cell.splitlines() if not line.lstrip().startswith(("%", "!"))) for cell in cells]
    return "\n".join(textwrap.dedent(cell) for cell in kept)


def code_hash(nb: Notebook, versions: Mapping[str, str], graph_file: Path) -> str:
    """The hash of what ``nb`` uses of the package (:func:`loopbaanleren.build.dependencies.code_hash`), and of the
    chapter graph ``graph_file`` when it uses :mod:`loopbaanleren.build.graph` (the ledger's chapter map)."""
    code = notebook_code(nb)
    try:
        digest = dependencies.code_hash(code, dict(versions))
    except SyntaxError as exc:
        raise BuildError(f"notebook {nb.path.name}: line {exc.lineno} of its code is not Python: {exc.msg}") from None
    if "loopbaanleren.build.graph" in dependencies.modules(code):
        digest = hashlib.sha256(digest.encode() + b"\0" + graph_file.read_bytes()).hexdigest()
    return digest


SIMULATED_FILES = {
    "students": "students.csv",
    "counsellors": "counsellors.csv",
    "interviews": "interviews_synthetic.csv",  # the qualitative reader wants 'synthetic' in the name
}


def _synthetic_folder(
    params: build_params.BuildParams, layout: Layout, preparation: str, shared: Path, console: Console | None = None
) -> Path:
    """The folder of simulated data for the seed and sizes, written (atomically) when missing or stale.

    Its manifest (:func:`loopbaanleren.data.manifest.write_manifest`) records every file's SHA-256 and the
    ``preparation`` hash of the code that wrote it; before the folder is used again every file is hashed anew, and
    a folder whose files changed (edited, truncated, removed) is reported in one line and simulated again. Its
    survey files are checked by reading them where the notebooks will, through ``shared`` (so that the reading
    is the one they share); the manifest is written only when both read."""
    folder = layout.synthetic / f"seed-{params.seed}-n-{params.n_students}-{params.n_counsellors}"
    if params.scenario != "default":
        folder = folder.with_name(f"{folder.name}-{params.scenario}")
    _prune_simulations(layout, keep=folder)
    if folder.is_dir() and (manifest.read_manifest(folder) or {}).get("preparation") == preparation:
        damage = provenance.manifest_problem(folder)
        if damage is None:
            folder.touch()  # most recently used
            return folder
        if console is not None:
            console.print(f"gesimuleerde data {folder.name}: {damage}; opnieuw gesimuleerd", markup=False,
                          highlight=False, soft_wrap=True)
    from loopbaanleren.data.synthetic_segments import write_synthetic_segments
    from loopbaanleren.data.simulation import write_synthetic, written_files

    for stale in layout.synthetic.glob(".seed-*") if layout.synthetic.is_dir() else ():  # of a build killed midway
        shutil.rmtree(stale, ignore_errors=True)  # (builds of a project take turns: this one holds the lock)
    scratch = folder.with_name(f".{folder.name}.{os.getpid()}")
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    try:
        write_synthetic(scratch, params.seed, params.n_students, params.n_counsellors, scenario=params.scenario)
        interrupt.checkpoint("simulation")
        write_synthetic_segments(scratch / SIMULATED_FILES["interviews"], params.seed, scenario=params.scenario)
        _swap({scratch: folder})
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    for population in POPULATIONS:
        read_survey_shared(folder / SIMULATED_FILES[population], population, shared)
    files = [*written_files(), SIMULATED_FILES["interviews"]]
    manifest.write_manifest(folder, files, preparation=preparation, seed=params.seed, scenario=params.scenario,
                              n_students=params.n_students, n_counsellors=params.n_counsellors)
    (folder / "package.sha256").unlink(missing_ok=True)  # the stamp of earlier versions
    return folder


def _prune_simulations(layout: Layout, keep: Path) -> None:
    """Remove the folders of simulated data beyond the :data:`KEPT_SIMULATIONS` most recently used (and ``keep``)."""
    if not layout.synthetic.is_dir():
        return
    others = [p for p in layout.synthetic.glob("seed-*") if p.is_dir() and not p.is_symlink() and p != keep]
    for old in sorted(others, key=lambda p: p.stat().st_mtime, reverse=True)[KEPT_SIMULATIONS:]:
        shutil.rmtree(old, ignore_errors=True)


def prepare_inputs(
    params: build_params.BuildParams, layout: Layout, preparation: str, console: Console | None = None
) -> dict[str, DataInput]:
    """Check the user's data files against the codebook (through the mapping) and coding frame; write each
    survey file in codes as a prepared CSV the notebooks read; simulate the missing ones. Each survey file the
    notebooks read is read once here and shared with them (:mod:`loopbaanleren.build.shared`).

    Warnings (declared missing codes, measures not asked, empty control variables) are printed before any
    notebook runs.
    """
    from loopbaanleren.data.survey_files import read_survey
    from loopbaanleren.data.segments import read_segments

    shared = shared_folder(layout.work, preparation)
    readers = {population: lambda path, p=population: read_survey(path, p, mapping) for population in POPULATIONS}
    readers["interviews"] = read_segments
    mapping = None
    if params.mapping is not None:
        from loopbaanleren.data.mapping import load_mapping

        mapping = load_mapping(params.mapping)
    problems, read = [], {}
    for role, reader in readers.items():
        path = getattr(params, role)
        if path is not None:
            try:
                limits.check_readable(path)  # before reading: a file too large for memory is refused at once
                with _reading(console, path):
                    read[role] = reader(path)
            except InputError as exc:
                problems.append(f"{role} ({path}): {exc}")
    if problems:
        raise InputError("\n".join(problems))

    roles = [role for role in build_params.DATA_KEYS if not (role == "interviews" and params.no_interviews)]
    given = {role: getattr(params, role) for role in roles}
    left_out = [role for role in POPULATIONS if getattr(params, f"no_{role}")]
    simulated = (_synthetic_folder(params, layout, preparation, shared, console)
                 if any(path is None and role not in left_out for role, path in given.items()) else None)
    inputs = {}
    for role, path in given.items():
        if role in left_out:
            from loopbaanleren.data.survey_files import write_absent

            path = layout.prepared / role / f"{role}.csv"
            write_absent(path, role)
            inputs[role] = DataInput(role, path, manifest.sha256_file(path), synthetic=False, n=0, absent=True)
        elif path is None:
            path = simulated / SIMULATED_FILES[role]
            inputs[role] = DataInput(role, path, manifest.sha256_file(path), synthetic=True)
        elif role in POPULATIONS:
            inputs[role] = prepare_survey(read[role], role, layout.prepared, console)
        else:
            inputs[role] = DataInput(role, path, manifest.sha256_file(path), synthetic=False)
        if role in POPULATIONS:  # read once here, shared by the notebooks (naming the user's file, if any)
            data = inputs[role]
            origin = ({"source": data.source.name, "sha256": data.source_sha256,
                       "mapping_report": data.mapping_report or {}} if data.source else None)
            inputs[role] = replace(data, n=len(read_survey_shared(data.path, role, shared, origin=origin)))  # counted
    del read
    release_free_memory()  # what simulating and reading held (500 MB at 100x the study) is the kernels' to use
    return inputs


@contextmanager
def _reading(console: Console | None, path: Path) -> Iterator[None]:
    """A status line while a large data file is read (seen in a terminal; a second or more of work)."""
    size = path.stat().st_size
    if console is None or size < READ_STATUS_BYTES:
        yield
        return
    with console.status(f"reading {path.name} ({size / 1e6:.0f} MB) ..."):
        yield


# ---------------------------------------------------------------------------------------------- execution


def notebook_parameters(
    nb: Notebook, params: build_params.BuildParams, inputs: Mapping[str, DataInput], layout: Layout,
    chapters: Sequence[str] = (),
) -> dict[str, object]:
    """The values injected into ``nb``: only the parameters its parameters cell declares; ``chapters`` are the
    notebooks this build runs (the book's pages a chapter may link to)."""
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


def _snapshot(folder: Path) -> dict[Path, tuple[int, int]]:
    return {p: (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.rglob("*") if p.is_file()}


def _first_line(source: str) -> str:
    lines = [line.strip() for line in source.splitlines() if line.strip()]
    return lines[0] if lines else "(empty cell)"


def execute(nb: Notebook, injected: Mapping[str, object], layout: Layout, shared: Path | None = None,
            preload: Sequence[str] = ()) -> Path:
    """Run the notebook with papermill into ``.build/run/executed``; on failure keep it in ``.build/failed``.

    ``shared`` is the folder of results computed once per build (see :mod:`loopbaanleren.build.shared`); ``preload``
    the modules the kernel's fork server imports before its first kernel (see :mod:`loopbaanleren.build.kernels`).
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError
    from traitlets.config import Config

    from loopbaanleren.build.kernels import LoggedKernelManager, log_tail, quiet_papermill

    quiet_papermill()

    source = layout.run / "source" / f"{nb.name}.ipynb"
    executed = layout.run / "executed" / f"{nb.name}.ipynb"
    kernel_log = layout.run / "kernels" / f"{nb.name}.log"
    for folder in (source.parent, executed.parent):
        folder.mkdir(parents=True, exist_ok=True)
    with writing(source):
        nbformat.write(nb.node, source)
    try:
        with tempfile.TemporaryDirectory(prefix="loopbaanleren-") as sockets, sharing(shared):
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


def _execute_task(task: tuple[Notebook, Mapping[str, object], Layout, Path, Sequence[str]]) -> tuple[Path, float]:
    """Execute one notebook (see :func:`execute`); the executed notebook and the seconds it took."""
    nb, injected, layout, shared, preload = task
    started = time.perf_counter()
    output = execute(nb, injected, layout, shared, preload)
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
    last_wave: Callable[[], object] | None = None,
) -> tuple[dict[str, Path], dict[str, dict[str, object]]]:
    """Execute (or take from the cache) each notebook; result files land in ``.build/run/results``.

    The notebooks run in the waves of the chapter graph (``graph``, default the layout's): a chapter after the
    chapters it depends on, the chapters of one wave together on ``executor`` (default: one after another
    here); ``last_wave`` is called as the last wave starts to run notebooks (not when all of it is cached). Each
    writes into its own folder ``.build/run/parts/<name>``, which first holds the results of the chapters it
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
            _remove_if_not_a_folder(layout.cache / name, console)
            part.mkdir(parents=True, exist_ok=True)
            upstream = [by_name[other] for other in graph[name].depends_on if other in by_name]
            for other in upstream:  # what it reads of the chapters it depends on
                cache.load(entries[other.name], part)
            injected = notebook_parameters(nb, params, inputs, layout, list(by_name))
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

        if planned and number == len(waves) and last_wave is not None:
            last_wave()
        waiting = {nb.name for nb, *_ in planned}
        for name in (name for name in wave if name not in waiting):  # cached: reported before anything runs
            take(name)
            report(name)
        if planned:
            workers = min(getattr(executor, "workers", 1), len(planned))
            with console.status(f"executing {len(planned)} notebook(s), {workers} at a time ..."):
                tasks = [(nb, injected, layout, shared, preload) for nb, injected, *_ in planned]
                (executor or SerialExecutor()).map(_execute_task, tasks, done=store)
        for name in (name for name in wave if name in waiting):
            take(name)
    return {nb.name: executed[nb.name] for nb in notebooks}, {nb.name: runs[nb.name] for nb in notebooks}


# ---------------------------------------------------------------------------------------------- book


def _presentable(executed: Path) -> nbformat.NotebookNode:
    """The executed notebook as the book shows it: parameter cells removed, code folded away."""
    node = nbformat.read(executed, as_version=4)
    for cell in node.cells:
        if cell.cell_type != "code":
            continue
        tags = cell.metadata.setdefault("tags", [])
        if {"parameters", "injected-parameters"} & set(tags):
            tags.append("remove-cell")
        elif not {"remove-cell", "remove-input", "hide-input", "hide-cell"} & set(tags):
            tags.append("hide-input")
    return node


def _book_config(book: Path, record: dict, synthetic_roles: list[str]) -> dict:
    """The book's ``_config.yml`` with the synthetic-data banner (if any) and the provenance footer."""
    config = yaml.safe_load((book / "_config.yml").read_text(encoding="utf-8"))
    html = config.setdefault("html", {})
    notices = []
    own = [role for role, entry in record["data"].items() if not entry["synthetic"] and not entry.get("absent")]
    absent = [role for role, entry in record["data"].items() if entry.get("absent")]
    if synthetic_roles:
        roles = ", ".join(provenance.ROLE_NL[role] for role in synthetic_roles)
        scenario = record["data"][synthetic_roles[0]].get("scenario", "default")
        mixed = (f" Eigen data: {', '.join(provenance.ROLE_NL[role] for role in own)}; beweringen op gesimuleerde "
                 "data zijn gemarkeerd en tellen niet mee met die op eigen data." if own else "")
        notices.append(
            f'<span class="synthetische-data"><strong>Synthetische data</strong> ({roles}): '
            f"gesimuleerde antwoorden, niet de antwoorden uit het onderzoek; scenario: {build_params.SCENARIO_NL[scenario]}.{mixed}</span>"
        )
    if absent:
        notices.append(
            f'<span class="niet-gegeven"><strong>Niet gegeven</strong>: '
            f"{', '.join(provenance.ROLE_NL[role] for role in absent)}; hun beweringen zijn niet te berekenen.</span>"
        )
    only = record["parameters"].get("only")
    if only:
        notices.append(
            '<span class="deelboek"><strong>Deelboek</strong>: alleen hoofdstuk '
            f"{html_text(', '.join(name[:2] for name in only))}; waarden uit weggelaten hoofdstukken blijven leeg.</span>"
        )
    if notices:
        html["announcement"] = " ".join(notices)
    html["extra_footer"] = f'<p class="build-herkomst">{html_text(provenance.footer_text(record))}</p>'
    return config


def stage_book(
    layout: Layout, toc: dict, executed: Mapping[str, Path], all_names: list[str], record: dict
) -> Path:
    """Assemble the book's sources in ``.build/run/book``: pages, executed notebooks, config, provenance."""
    stage = layout.run / "book"
    shutil.rmtree(stage, ignore_errors=True)
    shutil.copytree(layout.book, stage, ignore=BOOK_OUTPUTS)
    dropped = set(all_names) - set(executed)
    toc = replication_build.stage_pages(stage, filter_toc(toc, dropped), record, layout.run / "results")
    with writing(stage / "_toc.yml"):
        (stage / "_toc.yml").write_text(yaml.safe_dump(toc, sort_keys=False, allow_unicode=True))
    synthetic = [role for role, entry in record["data"].items() if entry["synthetic"]]
    config = _book_config(layout.book, record, synthetic)
    if dropped:
        # a subset build: pages may paste values from notebooks that were left out
        sphinx_config = config.setdefault("sphinx", {}).setdefault("config", {})
        suppressed = ["mystnb.glue", "mystnb.glue_ref", "myst.xref_missing"]
        sphinx_config["suppress_warnings"] = [*sphinx_config.get("suppress_warnings", []), *suppressed]
    with writing(stage / "_config.yml"):
        (stage / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True))
    roots = machine_roots(layout.root, [entry["path"] for entry in record["data"].values()])
    for name, path in executed.items():
        with writing(stage / f"{name}.ipynb"):
            nbformat.write(scrub_notebook(_presentable(path), roots), stage / f"{name}.ipynb")
    with writing(stage / "_provenance.md"):
        colophon = provenance.markdown(record) + replication_build.provenance_text(record)
        (stage / "_provenance.md").write_text(colophon, encoding="utf-8")
    with writing(stage / "_timings.md"):
        (stage / "_timings.md").write_text(provenance.timings_text(record, myst_text) + "\n", encoding="utf-8")
    return stage


def build_book(stage: Path, layout: Layout, book: BookProcess) -> Path:
    """Run Jupyter Book (warnings are errors) on the staged sources in ``book``; return the HTML folder."""
    output = layout.run / "book-output"
    shutil.rmtree(output, ignore_errors=True)
    done = book.run(["build", str(stage), "--path-output", str(output), "-W", "--keep-going", "-q"])
    output_text = ANSI_CODE.sub("", done.stdout + done.stderr)
    log = layout.run / "book.log"
    with writing(log):
        log.write_text(output_text, encoding="utf-8")
    html = output / "_build" / "html"
    if done.returncode != 0 or not (html / "index.html").is_file():
        lines = [line.strip() for line in output_text.splitlines() if BOOK_WARNING.search(line)]
        shown = "\n".join(dict.fromkeys(lines[:15])) or "(no warning found; see the log)"
        layout.failed.mkdir(parents=True, exist_ok=True)  # the scratch folder goes; the log is kept
        kept = shutil.copy2(log, layout.failed / log.name)
        raise BuildError(f"the book build failed:\n{shown}\nfull log: {kept}")
    return html


def _book_key(layout: Layout, runs: Mapping[str, Mapping], record: dict) -> str:
    """What the book depends on: notebook cache keys, book sources, data, commit."""
    digest = hashlib.sha256()
    for path in sorted(p for p in layout.book.rglob("*") if p.is_file() and "_build" not in p.parts):
        digest.update(path.relative_to(layout.book).as_posix().encode() + b"\0" + path.read_bytes())
    digest.update(json.dumps([runs[name]["cache_key"] for name in runs]).encode())
    digest.update(json.dumps([record["data"], record["git"], record["parameters"]["only"]], sort_keys=True).encode())
    digest.update(replication_build.book_key_part(record).encode())
    return digest.hexdigest()


# ---------------------------------------------------------------------------------------------- swap


def _swap(pairs: Mapping[Path, Path]) -> None:
    """Rename each new folder onto its target; the previous targets stay until all renames succeeded.

    SIGINT and SIGTERM are held back until the renames are done (``interrupt.deferred``).
    """
    old = {target: target.with_name(f".{target.name}.previous") for target in pairs.values()}
    moved: list[Path] = []
    with interrupt.deferred():
        try:
            for new, target in pairs.items():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.rmtree(old[target], ignore_errors=True)
                if target.exists():
                    target.rename(old[target])
                new.rename(target)
                moved.append(target)
                interrupt.checkpoint("swap")
        except OSError as exc:
            for target in moved:
                shutil.rmtree(target, ignore_errors=True)
            for target, previous in old.items():
                if previous.exists() and not target.exists():
                    previous.rename(target)
            raise BuildError(f"could not replace {', '.join(str(t) for t in pairs.values())}: {exc}") from None
    for previous in old.values():
        shutil.rmtree(previous, ignore_errors=True)


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


# ---------------------------------------------------------------------------------------------- build


def build(raw: Mapping[str, object], layout: Layout = Layout(), console: Console | None = None) -> BuildReport:
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
    found = {nb.name: nb for nb in discover(layout.notebooks)}  # first: a project without notebooks has no graph
    graph = layout.graph()
    problems = graph.problems_with({name: nb.parameters for name, nb in found.items()})
    if problems:
        raise BuildError("\n".join(problems))
    notebooks = [found[name] for name in graph.names]
    toc = read_toc(layout.book, graph.names)
    codebook = load_codebook()
    sizes = (codebook.population("students").default_n, codebook.population("counsellors").default_n)
    params = build_params.check(raw, {nb.name: nb.parameters for nb in notebooks}, sizes)
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
            _remove_if_not_a_folder(folder, console)
        try:
            return _run(params, layout, console, selected, notebooks, graph, toc, started)
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


def _remove_if_not_a_folder(folder: Path, console: Console) -> None:
    """A file (or a link) where the build keeps one of its own folders is damage: reported once and removed."""
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        console.print(f"{folder}: geen map, verwijderd", markup=False, highlight=False, soft_wrap=True)
        folder.unlink()


def _run(params, layout: Layout, console: Console, selected: list[Notebook], notebooks: list[Notebook],
         graph: ChapterGraph, toc: dict, started: datetime) -> BuildReport:
    """The build once parameters are checked and the lock is held: data, notebooks, book, swap."""
    preparation = preparation_hash()
    inputs = prepare_inputs(params, layout, preparation, console)
    check, params = replication_build.check_preregistration(params, inputs)
    shutil.rmtree(layout.run, ignore_errors=True)
    shutil.rmtree(layout.failed, ignore_errors=True)
    layout.run.mkdir(parents=True)
    console.print(f"Notebooks ({layout.notebooks}):")
    before = interrupt.children_now()
    executor = make_executor(params.jobs, params.scheduler)
    with BookProcess(layout.book) as book:  # started with the last wave (see loopbaanleren.build.book_process)
        try:
            executed, runs = run_notebooks(selected, params, inputs, layout, preparation, console, executor, graph,
                                           last_wave=book.start)
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
            "git": provenance.git_commit(layout.root),
            "notebooks": runs,
        }
        replication_build.extend_record(record, params, inputs, layout.run / "results", check)
        if params.mapping is not None:  # read by the build: hashed by it, as the data are, and recorded whole
            record["mapping"] = provenance.mapping_record(params.mapping)
        book_key = _book_key(layout, runs, record)
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
                swaps[build_book(stage, layout, book)] = layout.html
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
        _swap(swaps)
        with contextlib.suppress(OSError):  # not recorded (a full disk): the next build rebuilds the book
            state_file.write_text(book_key)
    console.print(f"Done: {layout.html / 'index.html'}  (results in {layout.results})", soft_wrap=True)
    return BuildReport(notebooks=runs, book_rebuilt=record["book"]["status"] == "built", provenance=record)


