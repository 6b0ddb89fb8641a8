"""Faults a build must survive, on a small project that already has a book and results (``built_copy``).

1. Interruption by SIGINT or SIGTERM at start-up, during the simulation, in a notebook, in the book step and
   during the swap: exit code 130/143, one line on stderr, no process of the build left (kernels included),
   the previous book and results unchanged (after the swap: the new ones, complete), the scratch folder gone.
   The tests set the child's signal dispositions themselves (SIGINT ignored, as under some CI runners and
   ``cmd &``) and wait for a stated point of the build: a ``pause: NAME`` line (``LOOPBAANLEREN_TEST_PAUSE_AT``)
   or a file that a slowed notebook or book extension writes when it gets there.
2. A damaged cache entry is a miss, reported once, and executed again.
3. A full disk (a write raising ENOSPC) or an unwritable folder at each step: a ``BuildError`` naming the path,
   the previous book and results unchanged, no cache entry or simulated data left half-written, and the next
   build works.
"""

from __future__ import annotations

import builtins
import errno
import io
import json
import os
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

import nbformat
import psutil
import pytest
import yaml
from conftest import notebook_source
from build_helpers import (
    CLI,
    SMALL_SIZES,
    built_copy,  # noqa: F401  (fixture)
    outputs,
    previous_build,  # noqa: F401  (fixture)
    run_cli,
)
from rich.console import Console

from loopbaanleren.build import cache
from loopbaanleren.errors import BuildError
from loopbaanleren.build.interrupt import PAUSE_VARIABLE
from loopbaanleren.build.interrupt import KEPT_NOTE, PUBLISHED_NOTE
from loopbaanleren.build.pipeline import build

SLOW_NOTEBOOK = "LOOPBAANLEREN_TEST_SLOW_NOTEBOOK"
SLOW_BOOK = "LOOPBAANLEREN_TEST_SLOW_BOOK"
SLOW_SECOND = notebook_source(
    "# Tweede",
    """parameters:
    alpha = 0.05
    results_dir = ""
    """,
    f"""
    import os
    import time
    from pathlib import Path
    import pandas as pd
    from loopbaanleren.book.report import save_result
    if os.environ.get("{SLOW_NOTEBOOK}"):  # a slowed notebook: says where its kernel runs, then waits
        Path(os.environ["{SLOW_NOTEBOOK}"]).write_text(str(os.getpid()))
        time.sleep(300)
    save_result(pd.DataFrame({{"alpha": [alpha]}}), "tweede", results_dir)
    """,
)
SLOW_EXTENSION = f'''
"""A Sphinx extension that slows the book step: it says where Jupyter Book runs, then waits."""
import os
import time
from pathlib import Path


def setup(app):
    if os.environ.get("{SLOW_BOOK}"):
        Path(os.environ["{SLOW_BOOK}"]).write_text(str(os.getpid()))
        time.sleep(300)
    return {{"parallel_read_safe": True}}
'''
SIZES = ("--n-students", str(SMALL_SIZES["n_students"]), "--n-counsellors", str(SMALL_SIZES["n_counsellors"]))
"""The sizes of the previous build's simulated data."""
WAIT = 300  # seconds: only a guard against a build that never gets to the stated point


# ------------------------------------------------------------------------------------------- helpers


def start(layout, *args: str, pause_at: str | None = None, sigint=signal.SIG_IGN, **env: str) -> subprocess.Popen:
    """``loopbaanleren build`` in a process group of its own, started with SIGINT set to ``sigint``."""

    def dispositions() -> None:
        signal.signal(signal.SIGINT, sigint)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)

    environment = {k: v for k, v in os.environ.items() if k not in (PAUSE_VARIABLE, SLOW_NOTEBOOK, SLOW_BOOK)}
    environment.update(COLUMNS="250", **env)
    if pause_at:
        environment[PAUSE_VARIABLE] = pause_at
    return subprocess.Popen(
        [str(CLI), "build", "--project", str(layout.root), *SIZES, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        process_group=0,
        preexec_fn=dispositions,
        env=environment,
    )


def wait_for_line(process: subprocess.Popen, expected: str) -> None:
    """Read the build's output until the line ``expected``."""
    for line in process.stdout:
        if line.rstrip("\n") == expected:
            return
    process.wait(WAIT)
    pytest.fail(f"the build ended (exit {process.returncode}) before '{expected}': {process.stderr.read()}")


def wait_for_file(process: subprocess.Popen, path: Path) -> int:
    """Wait until a slowed step wrote its process id to ``path``; return it."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if path.is_file() and path.read_text():
            return int(path.read_text())
        if process.poll() is not None:
            pytest.fail(f"the build ended (exit {process.returncode}) before {path.name}: {process.stderr.read()}")
        time.sleep(0.05)
    pytest.fail(f"the build did not get to {path.name}")


def running(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def group_left(group: int) -> list[int]:
    """The live processes of a process group."""
    left = []
    for process in psutil.process_iter(["pid", "status"]):
        try:
            if os.getpgid(process.pid) == group and process.info["status"] != psutil.STATUS_ZOMBIE:
                left.append(process.pid)
        except (ProcessLookupError, psutil.Error):
            pass
    return left


def interrupt_and_check(process, signum, layout, fingerprint, note: str | None, *pids: int) -> str:
    """Send ``signum``; check exit code, the one line on stderr, processes, outputs and scratch; return stdout."""
    sent = time.monotonic()
    process.send_signal(signum)
    stdout, stderr = process.communicate(timeout=WAIT)
    assert time.monotonic() - sent < 5  # issue 21: ended within 5 s of the signal
    name = signal.Signals(signum).name
    line = f"loopbaanleren: onderbroken ({name})" + (f"; {note}" if note else "")
    assert (process.returncode, stderr) == (128 + signum, line + "\n")
    assert "Traceback" not in stdout
    assert group_left(process.pid) == []
    assert [pid for pid in pids if running(pid)] == []
    if fingerprint is not None:
        assert outputs(layout) == fingerprint
    assert not layout.run.exists()
    return stdout


def scratch_left(layout) -> list[Path]:
    """Hidden scratch folders of the cache and the simulated data."""
    return [p for folder in (layout.cache, layout.synthetic) if folder.is_dir() for p in folder.rglob(".*")]


@pytest.fixture
def project(built_copy):  # noqa: F811
    """The project copy with a slowable second notebook, and the fingerprint of its book and results."""
    fingerprint = outputs(built_copy)
    assert fingerprint["html"] and fingerprint["results"]
    (built_copy.notebooks / "01_tweede.py").write_text(SLOW_SECOND)
    assert not built_copy.run.exists()  # a finished build removed its scratch; an interrupted one must leave none
    return built_copy, fingerprint


# ------------------------------------------------------------------------------------------- interruption


def test_interrupted_at_start_up(project):
    layout, fingerprint = project
    process = start(layout, pause_at="startup")
    wait_for_line(process, "pause: startup")
    interrupt_and_check(process, signal.SIGINT, layout, fingerprint, None)


def test_interrupted_during_the_simulation(project):
    layout, fingerprint = project
    before = sorted(p.name for p in layout.synthetic.iterdir())
    process = start(layout, "--seed", "21", pause_at="simulation")
    wait_for_line(process, "pause: simulation")
    interrupt_and_check(process, signal.SIGTERM, layout, fingerprint, KEPT_NOTE)
    assert sorted(p.name for p in layout.synthetic.iterdir()) == before  # no seed-21 folder, no scratch


@pytest.mark.parametrize(
    ("signum", "inherited"),
    [(signal.SIGINT, signal.SIG_IGN), (signal.SIGINT, signal.SIG_DFL), (signal.SIGTERM, signal.SIG_IGN)],
    ids=["SIGINT-inherited-ignored", "SIGINT", "SIGTERM"],
)
def test_interrupted_in_a_notebook(project, tmp_path, signum, inherited):
    layout, fingerprint = project
    marker = tmp_path / "kernel.pid"
    # two local worker processes: the slowed kernel is a grandchild of the build (build -> worker -> kernel),
    # and it and the workers (in the build's process group) must be ended too
    process = start(layout, "--jobs", "2", sigint=inherited, **{SLOW_NOTEBOOK: str(marker)})
    kernel = wait_for_file(process, marker)
    assert psutil.Process(kernel).ppid() != process.pid  # started by a worker, not by the build itself
    assert running(kernel)
    stdout = interrupt_and_check(process, signum, layout, fingerprint, KEPT_NOTE, kernel)
    assert stdout.splitlines()[1].split()[:2] == ["00_eerste", "cached"]
    assert scratch_left(layout) == []


def wait_for_entry(process: subprocess.Popen, folder: Path, before: set[str]) -> None:
    """Wait until the build stored a new cache entry (a name not in ``before``) in ``folder``."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if {p.name for p in folder.iterdir() if not p.name.startswith(".")} - before:
            return
        if process.poll() is not None:
            pytest.fail(f"the build ended (exit {process.returncode}) before storing in {folder}")
        time.sleep(0.05)
    pytest.fail(f"the build stored nothing in {folder}")


def test_the_build_after_an_interrupted_one_works(project, tmp_path):
    layout, fingerprint = project
    marker = tmp_path / "kernel.pid"
    before = {p.name for p in (layout.cache / "00_eerste").iterdir()}
    process = start(layout, "--seed", "22", "--jobs", "2", **{SLOW_NOTEBOOK: str(marker)})
    kernel = wait_for_file(process, marker)
    # the chapters run side by side: the interruption comes once 00_eerste is done (and stored) and 01_tweede waits
    wait_for_entry(process, layout.cache / "00_eerste", before)
    interrupt_and_check(process, signal.SIGTERM, layout, fingerprint, KEPT_NOTE, kernel)
    done = run_cli("build", "--project", layout.root, *SIZES, "--seed", "22")
    assert (done.returncode, done.stderr) == (0, "")
    statuses = [line.split()[:2] for line in done.stdout.splitlines()[1:3]]
    assert statuses == [["00_eerste", "cached"], ["01_tweede", "executed"]]
    assert (layout.results / "eerste.csv").read_text().splitlines()[1].endswith(",22")


def test_interrupted_in_the_book_step(project, tmp_path):
    layout, fingerprint = project
    (tmp_path / "extensions").mkdir()
    (tmp_path / "extensions" / "slow_book.py").write_text(SLOW_EXTENSION)
    config = yaml.safe_load((layout.book / "_config.yml").read_text())
    config["sphinx"]["local_extensions"] = {"slow_book": str(tmp_path / "extensions")}
    (layout.book / "_config.yml").write_text(yaml.safe_dump(config))
    marker = tmp_path / "book.pid"
    process = start(layout, **{SLOW_BOOK: str(marker)})
    jupyter_book = wait_for_file(process, marker)
    interrupt_and_check(process, signal.SIGTERM, layout, fingerprint, KEPT_NOTE, jupyter_book)


def test_interrupted_during_the_swap_completes_it(project):
    layout, fingerprint = project
    process = start(layout, "--alpha", "0.01", pause_at="swap")
    wait_for_line(process, "pause: swap")  # results/ replaced, book/_build/html not yet
    interrupt_and_check(process, signal.SIGINT, layout, None, PUBLISHED_NOTE)
    assert outputs(layout)["html"] != fingerprint["html"] and (layout.html / "index.html").is_file()
    assert (layout.results / "tweede.csv").read_text().splitlines()[1].endswith("0.01")
    record = json.loads((layout.results / "provenance.json").read_text())
    assert record["parameters"]["alpha"] == 0.01
    assert sorted(p.name for p in layout.root.iterdir() if p.name.startswith(".") and p.name != ".build") == []
    assert sorted(p.name for p in layout.html.parent.iterdir()) == ["html"]


# ------------------------------------------------------------------------------------------- damaged cache


def entry_of(layout, notebook: str) -> Path:
    (entry,) = [p for p in (layout.cache / notebook).iterdir() if not p.name.startswith(".")]
    return entry


def test_a_damaged_cache_entry_is_executed_again_and_reported_once(built_copy):  # noqa: F811
    layout = built_copy
    entry = entry_of(layout, "00_eerste")
    notebook = entry / cache.NOTEBOOK
    notebook.write_bytes(notebook.read_bytes()[:100])  # truncated
    done = run_cli("build", "--project", layout.root, *SIZES, "--alpha", "0.01")  # a build that needs the book
    assert (done.returncode, done.stderr) == (0, "")
    damage = "notebook.ipynb: checksum wijkt af"
    message = f"cache-item 00_eerste/{entry.name[:12]} beschadigd ({damage}), opnieuw uitgevoerd"
    assert [line for line in done.stdout.splitlines() if "beschadigd" in line] == [message]
    statuses = dict(line.split()[:2] for line in done.stdout.splitlines() if line.startswith("  0"))
    assert statuses["00_eerste"] == "executed"  # chapters report as they finish, in any order
    assert nbformat.read(entry_of(layout, "00_eerste") / cache.NOTEBOOK, 4).cells
    again = run_cli("build", "--project", layout.root, *SIZES, "--alpha", "0.01")
    assert (again.returncode, again.stderr) == (0, "")
    assert "beschadigd" not in again.stdout
    assert "Book: unchanged, kept as it is" in again.stdout


def _truncate(entry):
    (entry / cache.NOTEBOOK).write_text('{"cells": [')


def _edit_result(entry):
    (entry / "results" / "t.csv").write_text("a\n2\n")


def _delete_result(entry):
    (entry / "results" / "t.csv").unlink()


def _add_file(entry):
    (entry / "results" / "extra.csv").write_text("x\n")


def _no_manifest(entry):
    (entry / cache.MANIFEST).unlink()


def _manifest_not_json(entry):
    (entry / cache.MANIFEST).write_text('{"files": ')


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (_truncate, "notebook.ipynb: checksum wijkt af"),
        (_edit_result, "results/t.csv: checksum wijkt af"),
        (_delete_result, "results/t.csv ontbreekt"),
        (_add_file, "results/extra.csv staat niet in manifest.json"),
        (_no_manifest, "manifest.json ontbreekt"),
        (_manifest_not_json, "manifest.json onleesbaar"),
    ],
)
def test_a_damaged_entry_is_a_miss(tmp_path, damage, reason):
    executed = tmp_path / "nb.ipynb"
    nbformat.write(nbformat.v4.new_notebook(), executed)
    results = tmp_path / "results"
    results.mkdir()
    (results / "t.csv").write_text("a\n1\n")
    key = "0123456789abcdef0123"
    entry = cache.store(tmp_path / "cache" / "00_a" / key, executed, [results / "t.csv"], results, 1.0)
    copied = tmp_path / "copied"
    assert cache.load(entry, copied) == entry / cache.NOTEBOOK
    assert (copied / "t.csv").read_text() == "a\n1\n"

    damage(entry)
    said = []
    assert cache.load(entry, tmp_path / "elsewhere", said.append) is None
    assert said == [f"cache-item 00_a/0123456789ab beschadigd ({reason}), opnieuw uitgevoerd"]
    assert not entry.exists() and not (tmp_path / "elsewhere").exists()
    assert cache.load(entry, tmp_path / "elsewhere", said.append) is None
    assert len(said) == 1


# ------------------------------------------------------------------------------------------- full disk


def fail_writes(monkeypatch, where, code: int = errno.ENOSPC) -> None:
    """Opening a file under ``where`` (a folder, or a file) for writing creates it empty, then raises ``code``,
    as on a disk that fills up at the first block."""
    real_open = io.open
    where = Path(where)

    def faulty_open(file, mode="r", *args, **kwargs):
        if isinstance(file, (str, os.PathLike)) and set(mode) & set("wax+"):
            path = Path(file)
            if path == where or where in path.parents:
                real_open(file, mode, *args, **kwargs).close()
                raise OSError(code, os.strerror(code), str(file))
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", faulty_open)
    monkeypatch.setattr(io, "open", faulty_open)


STEPS = {  # step: (parameters, where writes fail, the start of the message)
    "simulation": ({"seed": 31}, lambda l: l.synthetic, lambda l: f"{l.synthetic}/.seed-31-n-60-30."),
    "notebook": ({"alpha": 0.02}, lambda l: l.run / "executed", lambda l: f"{l.run}/executed/01_tweede.ipynb: "),
    "cache": ({"alpha": 0.03}, lambda l: l.cache, lambda l: f"{l.cache}/01_tweede/."),
    "book": ({"alpha": 0.04}, lambda l: l.run / "book", lambda l: f"{l.run / 'book'}/"),
    "provenance": (
        {"alpha": 0.05}, lambda l: l.run / "results" / "provenance.json", lambda l: f"{l.run}/results/provenance.json: "
    ),
    "unwritable": ({"alpha": 0.06}, lambda l: l.work / "lock", lambda l: f"{l.work / 'lock'}: "),
}


def quiet() -> Console:
    return Console(file=io.StringIO())


@pytest.mark.parametrize("step", STEPS)
def test_a_full_disk_at_each_step(built_copy, monkeypatch, step):  # noqa: F811
    layout = built_copy
    fingerprint = outputs(layout)
    parameters, where, start_of_message = STEPS[step]
    code = errno.EACCES if step == "unwritable" else errno.ENOSPC
    raw = {**SMALL_SIZES, **parameters}
    if step == "notebook":
        # the executed notebook is written by the process that runs it; the fault is injected in this process
        # only (a patched open), so this case runs the notebooks here, with the serial executor
        raw["jobs"] = 1
    with monkeypatch.context() as patch:
        fail_writes(patch, where(layout), code)
        with pytest.raises(BuildError) as info:
            build(raw, layout, quiet())
    message = str(info.value)
    assert message.startswith(start_of_message(layout)), message
    assert len(message.splitlines()) == 1, message
    if code == errno.ENOSPC:  # the file, and the space the build needs (issue 31)
        assert re.search(r": No space left on device \(the (build|simulated data) needs? about \d+\.\d MB( free)?\)$", message), message
    else:
        assert message.endswith(f": {os.strerror(code)}"), message
    assert not layout.run.exists()
    assert outputs(layout) == fingerprint
    assert scratch_left(layout) == []
    assert [entry for entry in layout.cache.glob("*/*") if cache.problem(entry)] == []
    assert not (layout.synthetic / "seed-31-n-60-30").exists()
    if step not in ("simulation", "cache"):
        return
    said = quiet()  # the next build does not take anything the failed one wrote for good
    report = build(raw, layout, said)
    assert "beschadigd" not in said.file.getvalue()
    assert report.book_rebuilt
    assert json.loads((layout.results / "provenance.json").read_text())["parameters"] == report.provenance["parameters"]


def test_a_full_disk_during_the_swap(built_copy, monkeypatch):  # noqa: F811
    layout = built_copy
    fingerprint = outputs(layout)
    real_rename = Path.rename
    failed = []

    def rename(self, target):
        if Path(target) == layout.html and not failed:  # once: putting the previous book back works
            failed.append(target)
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self), None, str(target))
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", rename)
    with pytest.raises(BuildError) as info:
        build({**SMALL_SIZES, "alpha": 0.07}, layout, quiet())
    message = f"could not replace {layout.results}, {layout.html}: [Errno 28] No space left on device"
    assert str(info.value).startswith(message)
    assert outputs(layout) == fingerprint
    assert sorted(p.name for p in layout.html.parent.iterdir()) == ["html"]
    assert not (layout.root / ".results.previous").exists()


def test_a_cache_store_that_fails_leaves_nothing(tmp_path, monkeypatch):
    executed = tmp_path / "nb.ipynb"
    nbformat.write(nbformat.v4.new_notebook(), executed)
    results = tmp_path / "results"
    results.mkdir()
    (results / "t.csv").write_text("a\n1\n")
    folder = tmp_path / "cache" / "00_a"
    (folder / ".stale.123").mkdir(parents=True)  # left by a build that was killed
    with monkeypatch.context() as patch:
        fail_writes(patch, folder)
        with pytest.raises(OSError, match="No space left on device"):
            cache.store(folder / "k1", executed, [results / "t.csv"], results, 1.0)
    assert list(folder.iterdir()) == []
    entry = cache.store(folder / "k1", executed, [results / "t.csv"], results, 1.0)
    assert cache.problem(entry) is None and [p.name for p in folder.iterdir()] == ["k1"]


def test_a_project_whose_build_folder_is_a_file(built_copy):  # noqa: F811
    layout = built_copy
    fingerprint = outputs(layout)
    shutil.rmtree(layout.work)
    layout.work.write_text("geen map\n")
    done = run_cli("build", "--project", layout.root, *SIZES)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == f"error: {layout.work}: exists and is not a folder\n"
    assert outputs(layout) == fingerprint


# ------------------------------------------------------------------------------------------- the interrupt module


def _sleep(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


def test_a_signal_stops_pool_workers_and_kernels_alike():
    from concurrent.futures import ProcessPoolExecutor

    from loopbaanleren.build import interrupt

    stubborn = subprocess.Popen(  # a kernel-like child: a session of its own, and SIGTERM ignored
        ["python3", "-c", "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(300)"],
        start_new_session=True,
    )
    pool = ProcessPoolExecutor(2, initializer=interrupt.worker_setup)
    futures = [pool.submit(_sleep, 300) for _ in range(2)]
    try:
        while len(psutil.Process().children()) < 3:  # the child and both workers started
            time.sleep(0.05)
        workers = [p.pid for p in psutil.Process().children() if p.pid != stubborn.pid]
        with pytest.raises(interrupt.Interrupted) as info, interrupt.handling():
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(300)  # the handler raises before this ends
        assert (info.value.exit_code, str(info.value)) == (143, "loopbaanleren: onderbroken (SIGTERM)")
        assert [pid for pid in (stubborn.pid, *workers) if running(pid)] == []  # ended (and reaped)
        assert all(future.done() for future in futures)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
        stubborn.kill()
    assert signal.getsignal(signal.SIGTERM) is not interrupt._handle  # the previous handler is back


def test_a_signal_during_a_deferred_block_is_raised_after_it():
    from loopbaanleren.build import interrupt

    done = []
    with pytest.raises(interrupt.Interrupted) as info, interrupt.handling():
        with interrupt.deferred("klaar"):
            os.kill(os.getpid(), signal.SIGINT)
            with interrupt.deferred():
                time.sleep(0.01)
            done.append("renames")
    assert done == ["renames"]
    assert (info.value.exit_code, str(info.value)) == (130, "loopbaanleren: onderbroken (SIGINT); klaar")


def test_handlers_are_set_over_an_inherited_ignore():
    from loopbaanleren.build import interrupt

    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with pytest.raises(interrupt.Interrupted), interrupt.handling():
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(300)
        assert signal.getsignal(signal.SIGINT) == signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, previous)
