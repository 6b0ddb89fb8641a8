"""Build orchestration: notebooks (jupytext -> papermill, cached) into a scratch folder, then the book.

A build runs in ``<project>/.build/run``; only when every notebook and the book succeeded does it
replace ``book/_build/html`` and ``results/`` (rename swap). Each executed notebook is cached under a
key made of its source, the parameters it declares, the checksums of the data it reads, and the
package's own sources and key library versions.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import jupytext
import nbformat
import papermill
import yaml
from papermill.exceptions import PapermillExecutionError
from rich.console import Console
from traitlets.config import Config

import loopbaanleren
from loopbaanleren import params as build_params
from loopbaanleren import provenance
from loopbaanleren.codebook import POPULATIONS, load_codebook
from loopbaanleren.errors import BuildError, InputError
from loopbaanleren.io import read_survey
from loopbaanleren.qualitative.segments import read_segments
from loopbaanleren.qualitative.synthetic import write_synthetic_segments
from loopbaanleren.simulate import SCENARIO_NL, write_synthetic

PROJECT_ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK_FILE = re.compile(r"^(\d{2})_[A-Za-z0-9_]+\.py$")
KERNEL = "python3"
KEPT_CACHE_ENTRIES = 3
BOOK_WARNING = re.compile(r"(WARNING|ERROR|CRITICAL|Exception|Error):")
ANSI_CODE = re.compile(r"\x1b\[[0-9;]*m")
BOOK_OUTPUTS = shutil.ignore_patterns("_build", ".*")
FOLDER_PARAMETERS = ("results_dir", "notebooks_dir")  # where things are, not what they hold: not in cache keys


@dataclass(frozen=True)
class Layout:
    """Where a build reads notebooks and book sources and writes data, results, HTML and scratch files."""

    root: Path = PROJECT_ROOT

    @property
    def notebooks(self) -> Path:
        return self.root / "notebooks"

    @property
    def book(self) -> Path:
        return self.root / "book"

    @property
    def html(self) -> Path:
        return self.book / "_build" / "html"

    @property
    def results(self) -> Path:
        return self.root / "results"

    @property
    def synthetic(self) -> Path:
        return self.root / "data" / "synthetic"

    @property
    def work(self) -> Path:
        return self.root / ".build"

    @property
    def run(self) -> Path:
        return self.work / "run"

    @property
    def failed(self) -> Path:
        return self.work / "failed"

    @property
    def cache(self) -> Path:
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

    def record(self, params: build_params.BuildParams) -> dict[str, object]:
        """The file as provenance records it."""
        entry: dict[str, object] = {
            "file": self.path.name,
            "path": str(self.path),
            "sha256": self.sha256,
            "synthetic": self.synthetic,
        }
        if self.synthetic:
            entry["seed"] = params.seed
            entry["scenario"] = params.scenario
            if self.role in POPULATIONS:
                entry["n"] = getattr(params, f"n_{self.role}")
        return entry


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
    if not files:
        raise BuildError(f"no notebooks named NN_name.py in {folder}")
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


def read_toc(book: Path, notebooks: list[Notebook]) -> dict:
    """The book's ``_toc.yml``, checked to list every notebook and no notebook that does not exist."""
    path = book / "_toc.yml"
    if not path.is_file():
        raise BuildError(f"missing table of contents {path}")
    toc = yaml.safe_load(path.read_text(encoding="utf-8"))
    listed = set(toc_files(toc))
    names = {nb.name for nb in notebooks}
    problems = [
        f"{path}: notebook {nb.path.name} is not listed (add '- file: {nb.name}')"
        for nb in notebooks
        if nb.name not in listed
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


def package_hash() -> str:
    """SHA-256 over the package's own files (sources and resources) and the key library versions."""
    root = Path(loopbaanleren.__file__).parent
    digest = hashlib.sha256(json.dumps(provenance.library_versions(), sort_keys=True).encode())
    for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


SIMULATED_FILES = {
    "students": "students.csv",
    "counsellors": "counsellors.csv",
    "interviews": "interviews_synthetic.csv",  # the qualitative reader wants 'synthetic' in the name
}


def _synthetic_folder(params: build_params.BuildParams, layout: Layout, package: str) -> Path:
    """The folder of simulated data for the seed and sizes, written (atomically) when missing or stale."""
    folder = layout.synthetic / f"seed-{params.seed}-n-{params.n_students}-{params.n_counsellors}"
    if params.scenario != "default":
        folder = folder.with_name(f"{folder.name}-{params.scenario}")
    stamp = folder / "package.sha256"
    if stamp.is_file() and stamp.read_text() == package:
        return folder
    scratch = folder.with_name(f".{folder.name}.{os.getpid()}")
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    try:
        write_synthetic(scratch, params.seed, params.n_students, params.n_counsellors, scenario=params.scenario)
        for population in POPULATIONS:
            read_survey(scratch / SIMULATED_FILES[population], population)
        write_synthetic_segments(scratch / SIMULATED_FILES["interviews"], params.seed, scenario=params.scenario)
        (scratch / stamp.name).write_text(package)
        _swap({scratch: folder})
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return folder


def prepare_inputs(params: build_params.BuildParams, layout: Layout, package: str) -> dict[str, DataInput]:
    """Check the user's data files against the codebook and coding frame; simulate the missing ones."""
    readers = {population: lambda path, p=population: read_survey(path, p) for population in POPULATIONS}
    readers["interviews"] = read_segments
    problems = []
    for role, reader in readers.items():
        path = getattr(params, role)
        if path is not None:
            try:
                reader(path)
            except InputError as exc:
                problems.append(f"{role} ({path}): {exc}")
    if problems:
        raise InputError("\n".join(problems))

    given = {role: getattr(params, role) for role in build_params.DATA_KEYS}
    simulated = _synthetic_folder(params, layout, package) if None in given.values() else None
    inputs = {}
    for role, path in given.items():
        path = path or simulated / SIMULATED_FILES[role]
        inputs[role] = DataInput(role, path, provenance.sha256_file(path), synthetic=given[role] is None)
    return inputs


# ---------------------------------------------------------------------------------------------- execution


def notebook_parameters(
    nb: Notebook, params: build_params.BuildParams, inputs: Mapping[str, DataInput], layout: Layout
) -> dict[str, object]:
    """The values injected into ``nb``: only the parameters its parameters cell declares."""
    available = params.notebook_values()
    for role, data in inputs.items():
        available[build_params.DATA_KEYS[role]] = str(data.path)
    available["synthetic"] = any(data.synthetic for data in inputs.values())
    available["results_dir"] = str(layout.run / "results")
    available["notebooks_dir"] = str(layout.notebooks)
    return {name: value for name, value in available.items() if name in nb.parameters}


def upstream_hash(notebooks: list[Notebook], results: Path) -> str:
    """What a summary notebook reads besides its data: every notebook's source and the results so far."""
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
    """Hash of the notebook source, its parameters (data by content, folders left out), the package, and
    for a summary notebook (one that declares ``notebooks_dir``) the ``upstream_hash``."""
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


def execute(nb: Notebook, injected: Mapping[str, object], layout: Layout) -> Path:
    """Run the notebook with papermill into ``.build/run/executed``; on failure keep it in ``.build/failed``."""
    source = layout.run / "source" / f"{nb.name}.ipynb"
    executed = layout.run / "executed" / f"{nb.name}.ipynb"
    for folder in (source.parent, executed.parent):
        folder.mkdir(parents=True, exist_ok=True)
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
                # local sockets rather than unencrypted TCP ports between this process and the kernel
                config=Config({"KernelManager": {"transport": "ipc", "ip": str(Path(sockets) / "kernel")}}),
                # the kernel's own log (e.g. the interrupt sent at every shutdown) is not the notebook's output
                extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
            )
    except PapermillExecutionError as exc:
        kept = _keep_failed(executed, layout, nb)
        raise BuildError(
            f"notebook {nb.path.name} failed in cell {exc.cell_index} ({_first_line(exc.source)}): "
            f"{exc.ename}: {exc.evalue}\nthe executed notebook is kept for inspection: {kept}"
        ) from None
    except Exception as exc:  # a dead kernel, a timeout, an unreadable notebook: not a cell's error
        kept = _keep_failed(executed, layout, nb)
        raise BuildError(
            f"notebook {nb.path.name} could not be executed: {type(exc).__name__}: {exc}"
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


def _store(entry: Path, executed: Path, written: list[Path], results: Path, seconds: float) -> None:
    """Save an executed notebook and the result files it wrote as a cache entry (atomically)."""
    scratch = entry.with_name(f".{entry.name}.{os.getpid()}")
    shutil.rmtree(scratch, ignore_errors=True)
    (scratch / "results").mkdir(parents=True)
    shutil.copy2(executed, scratch / "notebook.ipynb")
    for path in written:
        target = scratch / "results" / path.relative_to(results)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
    (scratch / "meta.json").write_text(json.dumps({"seconds": seconds}))
    shutil.rmtree(entry, ignore_errors=True)
    scratch.rename(entry)
    entries = [p for p in entry.parent.iterdir() if p.is_dir() and not p.name.startswith(".")]
    for stale in sorted(entries, key=lambda p: p.stat().st_mtime)[:-KEPT_CACHE_ENTRIES]:
        shutil.rmtree(stale, ignore_errors=True)


def run_notebooks(
    notebooks: list[Notebook],
    params: build_params.BuildParams,
    inputs: Mapping[str, DataInput],
    layout: Layout,
    package: str,
    console: Console,
) -> tuple[dict[str, Path], dict[str, dict[str, object]]]:
    """Execute (or take from the cache) each notebook in order; result files land in ``.build/run/results``.

    A summary notebook (one that declares ``notebooks_dir``, like the ledger) runs after all the others, so that
    it reads the results of every chapter, whatever its number.
    """
    results = layout.run / "results"
    results.mkdir(parents=True, exist_ok=True)
    executed, runs = {}, {}
    for nb in sorted(notebooks, key=lambda nb: "notebooks_dir" in nb.parameters):
        injected = notebook_parameters(nb, params, inputs, layout)
        upstream = upstream_hash(notebooks, results) if "notebooks_dir" in injected else None
        key = cache_key(nb, injected, inputs, package, upstream)
        entry = layout.cache / nb.name / key
        started = time.perf_counter()
        if (entry / "meta.json").is_file():
            shutil.copytree(entry / "results", results, dirs_exist_ok=True)
            entry.touch()
            status = "cached"
        else:
            before = _snapshot(results)
            with console.status(f"executing {nb.name} ..."):
                output = execute(nb, injected, layout)
            after = _snapshot(results)
            written = [p for p, stat in after.items() if before.get(p) != stat]
            _store(entry, output, written, results, time.perf_counter() - started)
            status = "executed"
        seconds = time.perf_counter() - started
        executed[nb.name] = entry / "notebook.ipynb"
        runs[nb.name] = {"status": status, "seconds": round(seconds, 2), "cache_key": key}
        console.print(f"  {nb.name:<28} {status:<9} {seconds:6.1f} s")
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
    if synthetic_roles:
        roles = ", ".join(provenance.ROLE_NL[role] for role in synthetic_roles)
        scenario = record["data"][synthetic_roles[0]].get("scenario", "default")
        html["announcement"] = (
            f'<span class="synthetische-data"><strong>Synthetische data</strong> ({roles}): '
            f"gesimuleerde antwoorden, niet de antwoorden uit het onderzoek; scenario: {SCENARIO_NL[scenario]}.</span>"
        )
    html["extra_footer"] = f'<p class="build-herkomst">{provenance.footer_text(record)}</p>'
    return config


def stage_book(
    layout: Layout, toc: dict, executed: Mapping[str, Path], all_names: list[str], record: dict
) -> Path:
    """Assemble the book's sources in ``.build/run/book``: pages, executed notebooks, config, provenance."""
    stage = layout.run / "book"
    shutil.rmtree(stage, ignore_errors=True)
    shutil.copytree(layout.book, stage, ignore=BOOK_OUTPUTS)
    dropped = set(all_names) - set(executed)
    (stage / "_toc.yml").write_text(yaml.safe_dump(filter_toc(toc, dropped), sort_keys=False, allow_unicode=True))
    synthetic = [role for role, entry in record["data"].items() if entry["synthetic"]]
    config = _book_config(layout.book, record, synthetic)
    if dropped:
        # a subset build: pages may paste values from notebooks that were left out
        sphinx_config = config.setdefault("sphinx", {}).setdefault("config", {})
        suppressed = ["mystnb.glue", "mystnb.glue_ref", "myst.xref_missing"]
        sphinx_config["suppress_warnings"] = [*sphinx_config.get("suppress_warnings", []), *suppressed]
    (stage / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True))
    for name, path in executed.items():
        nbformat.write(_presentable(path), stage / f"{name}.ipynb")
    (stage / "_provenance.md").write_text(provenance.markdown(record), encoding="utf-8")
    return stage


def build_book(stage: Path, layout: Layout) -> Path:
    """Run Jupyter Book (warnings are errors) on the staged sources; return the HTML folder."""
    output = layout.run / "book-output"
    shutil.rmtree(output, ignore_errors=True)
    command = [
        str(Path(sys.executable).with_name("jupyter-book")),
        "build", str(stage), "--path-output", str(output), "-W", "--keep-going", "-q",
    ]
    done = subprocess.run(command, capture_output=True, text=True)
    output_text = ANSI_CODE.sub("", done.stdout + done.stderr)
    log = layout.run / "book.log"
    log.write_text(output_text, encoding="utf-8")
    html = output / "_build" / "html"
    if done.returncode != 0 or not (html / "index.html").is_file():
        lines = [line.strip() for line in output_text.splitlines() if BOOK_WARNING.search(line)]
        shown = "\n".join(dict.fromkeys(lines[:15])) or "(no warning found; see the log)"
        raise BuildError(f"the book build failed:\n{shown}\nfull log: {log}")
    return html


def _book_key(layout: Layout, runs: Mapping[str, Mapping], record: dict) -> str:
    """What the book depends on: notebook cache keys, book sources, data, commit."""
    digest = hashlib.sha256()
    for path in sorted(p for p in layout.book.rglob("*") if p.is_file() and "_build" not in p.parts):
        digest.update(path.relative_to(layout.book).as_posix().encode() + b"\0" + path.read_bytes())
    digest.update(json.dumps([runs[name]["cache_key"] for name in runs]).encode())
    digest.update(json.dumps([record["data"], record["git"], record["parameters"]["only"]], sort_keys=True).encode())
    return digest.hexdigest()


# ---------------------------------------------------------------------------------------------- swap


def _swap(pairs: Mapping[Path, Path]) -> None:
    """Rename each new folder onto its target; the previous targets stay until all renames succeeded."""
    old = {target: target.with_name(f".{target.name}.previous") for target in pairs.values()}
    moved: list[Path] = []
    try:
        for new, target in pairs.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.rmtree(old[target], ignore_errors=True)
            if target.exists():
                target.rename(old[target])
            new.rename(target)
            moved.append(target)
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
        yield


# ---------------------------------------------------------------------------------------------- build


def build(raw: Mapping[str, object], layout: Layout = Layout(), console: Console | None = None) -> BuildReport:
    """Check parameters and data, run the notebooks, build the book, and swap in book and results.

    ``raw`` holds build parameters by build key (see ``loopbaanleren.params``). Raises
    ``ParameterError``/``InputError`` before anything runs, ``BuildError`` when a notebook or the book fails;
    in every failure the previous book and results stay as they were.
    """
    console = console or Console(highlight=False)
    started = datetime.now().astimezone()
    notebooks = discover(layout.notebooks)
    toc = read_toc(layout.book, notebooks)
    codebook = load_codebook()
    sizes = (codebook.population("students").default_n, codebook.population("counsellors").default_n)
    params = build_params.check(raw, {nb.name: nb.parameters for nb in notebooks}, sizes)
    selected = [nb for nb in notebooks if not params.only or nb.name in params.only]

    with _lock(layout):
        package = package_hash()
        inputs = prepare_inputs(params, layout, package)
        shutil.rmtree(layout.run, ignore_errors=True)
        shutil.rmtree(layout.failed, ignore_errors=True)
        layout.run.mkdir(parents=True)
        console.print(f"Notebooks ({layout.notebooks}):")
        executed, runs = run_notebooks(selected, params, inputs, layout, package, console)

        record = {
            "started": started.isoformat(timespec="seconds"),
            "data": {role: data.record(params) for role, data in inputs.items()},
            "parameters": params.recorded(),
            "versions": provenance.library_versions(),
            "git": provenance.git_commit(layout.root),
            "notebooks": runs,
        }
        book_key = _book_key(layout, runs, record)
        state_file = layout.work / "book.key"
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
        provenance.write(record, results / "provenance.json")
        state_file.unlink(missing_ok=True)
        _swap(swaps)
        state_file.write_text(book_key)
    console.print(f"Done: {layout.html / 'index.html'}  (results in {layout.results})")
    return BuildReport(notebooks=runs, book_rebuilt=record["book"]["status"] == "built", provenance=record)


