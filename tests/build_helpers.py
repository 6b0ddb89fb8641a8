"""Shared pieces of the build-level tests: the command line run as a program, fingerprints of a build's outputs,
a local web server for the built HTML, and two builds made once per test session (shared by the pytest-xdist
workers): a small project with a previous book to damage, and the repository's book built on a researcher's own
export (read through a mapping file) of data with groups smaller than ``min_cell``.

Test modules use the session fixtures by importing them: ``from build_helpers import own_data_book``.
"""

from __future__ import annotations

import functools
import hashlib
import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import E2E_PARAMS, PROJECT_ROOT, _exclusive, _session_dir, notebook_source, write_graph
from own_data_helpers import make_export
from rich.console import Console

from loopbaanleren.data.codebook import POPULATIONS, load_codebook
from loopbaanleren.data.survey_files import read_survey, write_survey
from loopbaanleren.data.mapping import load_mapping
from loopbaanleren.build.layout import Layout, copy_sources
from loopbaanleren.build.pipeline import build

CLI = Path(sys.executable).with_name("loopbaanleren")
MIN_CELL = 10
SMALL_SECTOR = "Kunst & Cultuur"  # no claim of the summary names it
SMALL_SECTOR_STUDENTS = 4
SMALL_HOGESCHOOL = "Hogeschool K"
SMALL_HOGESCHOOL_SIZES = {"students": 3, "counsellors": 2}
ONLY_SECTOR = "Onderwijs"  # the one sector of every counsellor in the small-group data


def run_cli(*args: str | Path, timeout: float = 900) -> subprocess.CompletedProcess:
    """``loopbaanleren ARGS`` as a separate program, with a wide terminal so no line is wrapped."""
    env = {**os.environ, "COLUMNS": "250"}
    return subprocess.run([CLI, *map(str, args)], capture_output=True, text=True, timeout=timeout, env=env)


def tree_hashes(folder: Path) -> dict[str, str]:
    """SHA-256 of every file under ``folder``, by path relative to it (empty when the folder does not exist)."""
    if not folder.is_dir():
        return {}
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def outputs(layout: Layout) -> dict[str, dict[str, str]]:
    """Fingerprint of what a build publishes: every file of ``book/_build/html`` and ``results/``."""
    return {"html": tree_hashes(layout.html), "results": tree_hashes(layout.results)}


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` over HTTP on 127.0.0.1 (a free port) in a thread; yields the base URL."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def caption_text(table) -> str:
    """A table's caption without the number the book gives it ("Tabel 1.3."); "" for a table without one."""
    if not table.caption:
        return ""
    caption = BeautifulSoup(str(table.caption), "html.parser")
    for number in caption.select(".ll-table-number"):
        number.decompose()
    return caption.get_text(" ", strip=True)


def table_rows(page: Path, caption: str) -> dict[str, list[str]]:
    """The body of the table captioned ``caption`` on an HTML page: each row's first cell -> its other cells."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    table = next(t for t in soup.find_all("table") if caption_text(t) == caption)
    return {
        tr.find("td").get_text(strip=True): [td.get_text(strip=True) for td in tr.find_all("td")[1:]]
        for tr in table.select("tbody tr")
    }


def made_once(tmp_path_factory, worker_id: str, name: str, make: Callable[[Path], None]) -> Path:
    """``shared/name``, made by ``make`` once per test session whichever worker asks first.

    A failure is recorded and reported to every test that asks, without making it again.
    """
    shared = _session_dir(tmp_path_factory, worker_id)
    folder, done, failed = shared / name, shared / f"{name}.done", shared / f"{name}.error"
    with _exclusive(shared / f"{name}.lock"):
        if not done.is_file() and not failed.is_file():
            try:
                make(folder)
            except Exception as exc:  # reported to every test that needs the folder
                failed.write_text(f"{type(exc).__name__}: {exc}")
            else:
                done.touch()
    if failed.is_file():
        pytest.fail(f"making {name} failed:\n{failed.read_text()}")
    return folder


# ------------------------------------------------------------------------------------- a previous build

FIRST = notebook_source(
    "# Eerste",
    """parameters:
    students_path = ""
    seed = 0
    results_dir = ""
    """,
    """
    import pandas as pd
    from loopbaanleren.book.report import save_result
    with open(students_path, encoding="utf-8") as fh:
        n_rows = sum(1 for _ in fh) - 1
    save_result(pd.DataFrame({"n": [n_rows], "seed": [seed]}), "eerste", results_dir)
    """,
)
SECOND = notebook_source(
    "# Tweede",
    """parameters:
    alpha = 0.05
    pause = 0
    results_dir = ""
    """,
    """
    import time
    import pandas as pd
    from loopbaanleren.book.report import save_result
    time.sleep(pause)
    save_result(pd.DataFrame({"alpha": [alpha]}), "tweede", results_dir)
    """,
)
SMALL_SIZES = {"n_students": 60, "n_counsellors": 30}


def make_small_project(root: Path) -> Layout:
    """A project of two quick notebooks (``00_eerste``, ``01_tweede`` which sleeps ``pause`` seconds)."""
    (root / "notebooks").mkdir(parents=True)
    (root / "notebooks" / "00_eerste.py").write_text(FIRST)
    (root / "notebooks" / "01_tweede.py").write_text(SECOND)
    book = root / "book"
    book.mkdir()
    shutil.copy(PROJECT_ROOT / "book" / "_config.yml", book / "_config.yml")
    shutil.copy(PROJECT_ROOT / "book" / "colophon.md", book / "colophon.md")
    (book / "index.md").write_text("# Proefboek\n\nEen boek om kapotte invoer te toetsen.\n")
    chapters = [{"file": name} for name in ("00_eerste", "01_tweede", "colophon")]
    toc = {"format": "jb-book", "root": "index", "chapters": chapters}
    (book / "_toc.yml").write_text(yaml.safe_dump(toc, sort_keys=False))
    write_graph(root)
    return Layout(root)


@pytest.fixture(scope="session")
def previous_build(tmp_path_factory, worker_id) -> Path:
    """A small project built once per session: book, results, cache and simulated data in place."""

    def make(root: Path) -> None:
        build(SMALL_SIZES, make_small_project(root), Console(quiet=True))

    return made_once(tmp_path_factory, worker_id, "previous-build", make)


@pytest.fixture
def built_copy(previous_build, tmp_path) -> Layout:
    """A private copy of ``previous_build`` that a test may damage."""
    root = tmp_path / "project"
    shutil.copytree(previous_build, root, symlinks=True)
    return Layout(root)


# ------------------------------------------------------------------------------------- small groups


def code_of(population: str, variable: str, label: str) -> str:
    """The code (as written in a CSV file) of a category label of the codebook."""
    values = load_codebook().variables(population)[variable].values
    return str(next(code for code, text in values.items() if text == label))


def small_group_data(students: Path, counsellors: Path, folder: Path) -> dict[str, Path]:
    """User data files (not marked synthetic) made from simulated ones, with groups below ``MIN_CELL``.

    Students: ``SMALL_HOGESCHOOL`` keeps 3 and ``SMALL_SECTOR`` 4 respondents. Counsellors: all work in
    ``ONLY_SECTOR``; ``SMALL_HOGESCHOOL`` keeps 2.
    """
    folder.mkdir(parents=True, exist_ok=True)
    frames = {
        population: pd.read_csv(path, dtype=str, keep_default_na=False)
        for population, path in (("students", students), ("counsellors", counsellors))
    }
    for population, frame in frames.items():
        school = (frame["hogeschool"] == code_of(population, "hogeschool", SMALL_HOGESCHOOL)).to_numpy()
        frames[population] = frame.drop(frame.index[school][SMALL_HOGESCHOOL_SIZES[population]:])
    pupils = frames["students"]
    sector = (pupils["sector"] == code_of("students", "sector", SMALL_SECTOR)).to_numpy()
    frames["students"] = pupils.drop(pupils.index[sector][SMALL_SECTOR_STUDENTS:])
    frames["counsellors"]["sector"] = code_of("counsellors", "sector", ONLY_SECTOR)
    paths = {}
    for population, frame in frames.items():
        paths[population] = folder / f"{population}.csv"
        frame.to_csv(paths[population], index=False)
    return paths


@dataclass(frozen=True)
class OwnDataBook:
    """The repository's book built by the command line on a researcher's own export of data with groups below
    ``MIN_CELL``: ``make_export`` of ``small_group_data``, read through its mapping file, without interviews.

    ``export`` holds the export's files (``students``, ``counsellors``, ``mapping``); ``data`` the export as the
    build reads it (through the mapping), written as the codebook's CSV files.
    """

    project: Path
    export: dict[str, Path]
    data: dict[str, Path]
    returncode: int
    stdout: str
    stderr: str

    @property
    def layout(self) -> Layout:
        return Layout(self.project)

    @property
    def provenance(self) -> dict:
        return json.loads((self.layout.results / "provenance.json").read_text(encoding="utf-8"))

    def frame(self, population: str) -> pd.DataFrame:
        """The data of ``population`` as the build read it, every cell as text (as in a CSV file)."""
        return pd.read_csv(self.data[population], dtype=str, keep_default_na=False)


@pytest.fixture(scope="session")
def own_data_book(tmp_path_factory, worker_id, small_data) -> OwnDataBook:
    """The book built once per session on an export of small-group data (see ``OwnDataBook``): the students'
    file and the mapping named (relative) in a ``--params`` file, the rest on the command line."""

    def make(folder: Path) -> None:
        export = make_export(small_group_data(small_data["students"], small_data["counsellors"], folder / "data"),
                             folder / "export")
        rules = load_mapping(export["mapping"])
        read = {population: folder / "read" / f"{population}.csv" for population in POPULATIONS}
        for population, path in read.items():
            write_survey(read_survey(export[population], population, rules), path, population, synthetic=False)
        copy_sources(Layout(PROJECT_ROOT), folder / "project")
        params = folder / "params.yml"
        extra = {key: value for key, value in E2E_PARAMS.items() if key not in ("n_students", "n_counsellors")}
        files = {key: export[key].relative_to(folder).as_posix() for key in ("students", "mapping")}
        params.write_text(yaml.safe_dump({**extra, **files}))
        done = run_cli(
            "build", "--project", folder / "project", "--params", params, "--counsellors", export["counsellors"],
            "--min-cell", MIN_CELL, "--no-interviews",
        )
        paths = {"export": {k: str(v) for k, v in export.items()}, "data": {k: str(v) for k, v in read.items()}}
        record = {"returncode": done.returncode, "stdout": done.stdout, "stderr": done.stderr, **paths}
        (folder / "run.json").write_text(json.dumps(record))

    folder = made_once(tmp_path_factory, worker_id, "own-data-book", make)
    record = json.loads((folder / "run.json").read_text())
    paths = {key: {name: Path(path) for name, path in record.pop(key).items()} for key in ("export", "data")}
    return OwnDataBook(folder / "project", **paths, **record)
