"""Hostile and faulty input to a build and to ``simulate`` (issue 31, points 4 to 9), each made in the test.

Every build here runs as a program with its output piped, as ``make book | tail`` does, on a small project that
already has a book and results (``built_copy``). Each case asserts the exit code, the one message, that the pipes
close (every process holding them ended), that no process the build started is left (found by a marker in
their environment, which every descendant inherits, orphans too), that the previous book and results are intact
unless the build succeeded, and that the scratch folder ``.build/run`` is gone.

Compressed bombs are not made at full size: a ``.zsav`` holds 200,000 rows in a few kB and the memory limit is set
low (``LOOPBAANLEREN_MEMORY_LIMIT``); an ``.xlsx`` *declares* a sheet of five million rows; a "2 GB file of NUL bytes"
is a sparse file that takes no disk space.
"""

from __future__ import annotations

import errno
import json
import os
import re
import subprocess
import time
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import psutil
import pyreadstat
import pytest
import yaml
from build_helpers import (
    CLI,
    FIRST,
    SMALL_SIZES,
    built_copy,  # noqa: F401  (fixture)
    outputs,
    previous_build,  # noqa: F401  (fixture)
)
from typer.testing import CliRunner

from loopbaanleren.data import limits
from loopbaanleren.build.cli import app
from loopbaanleren.errors import ParameterError
from loopbaanleren.data.survey_files import read_survey, write_survey
from loopbaanleren.build.param_check import check
from loopbaanleren.data.manifest import MANIFEST, sha256_file
from loopbaanleren.data.simulation import simulate

MARK = "LOOPBAANLEREN_TEST_MARK"
SIZES = ("--n-students", str(SMALL_SIZES["n_students"]), "--n-counsellors", str(SMALL_SIZES["n_counsellors"]))
WAIT = 300  # seconds: only a guard; a pipe still open after it is a process left holding it


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    left: list[str]  # processes the build started that are still alive


def marked(mark: str) -> list[str]:
    """The live processes whose environment holds ``MARK=mark`` (``psutil`` reads ``/proc/<pid>/environ``)."""
    found = []
    for process in psutil.process_iter(["pid", "name", "status"]):
        try:
            if process.info["status"] != psutil.STATUS_ZOMBIE and process.environ().get(MARK) == mark:
                found.append(f"{process.info['pid']} {process.info['name']}")
        except psutil.Error:
            pass
    return found


def run(*args: str | Path, **env: str) -> Run:
    """``loopbaanleren ARGS`` with stdout and stderr piped and no terminal width set (as in ``make book | tail``)."""
    mark = uuid.uuid4().hex
    environment = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    environment.update({MARK: mark, **env})
    started = time.monotonic()
    process = subprocess.Popen([CLI, *map(str, args)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=environment)
    try:
        stdout, stderr = process.communicate(timeout=WAIT)  # returns once every holder of the pipes closed them
    except subprocess.TimeoutExpired:
        process.kill()
        pytest.fail(f"the pipes were still open after {WAIT} s: held by {marked(mark)}")
    return Run(process.returncode, stdout, stderr, time.monotonic() - started, marked(mark))


def build(layout, *args: str | Path, **env: str) -> Run:
    return run("build", "--project", layout.root, *SIZES, *args, **env)


def assert_refused(done: Run, message: str, layout, fingerprint, code: int = 2) -> None:
    """One message on stderr, the exit code, nothing left: processes, scratch; book and results as they were."""
    assert (done.returncode, done.stderr.count("error: ")) == (code, 1), done.stderr
    assert message in done.stderr, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert done.left == []
    assert not layout.run.exists()
    assert outputs(layout) == fingerprint


@pytest.fixture
def before(built_copy):  # noqa: F811
    fingerprint = outputs(built_copy)
    assert fingerprint["html"] and fingerprint["results"]
    return built_copy, fingerprint


# ------------------------------------------------------------------------------------------- 4. provenance


def test_simulated_data_changed_on_disk_are_simulated_again(before):
    layout, _ = before
    (folder,) = layout.synthetic.glob("seed-*")
    students = folder / "students.csv"
    lines = students.read_text(encoding="utf-8").splitlines(keepends=True)
    students.write_text("".join(lines[:21]), encoding="utf-8")  # 20 of the 60 students left
    done = build(layout, "--alpha", "0.02")
    assert (done.returncode, done.stderr) == (0, ""), done.stderr
    said = [line for line in done.stdout.splitlines() if "opnieuw gesimuleerd" in line]
    assert said == [f"gesimuleerde data {folder.name}: students.csv is gewijzigd (checksum wijkt af); opnieuw gesimuleerd"]
    assert pd.read_csv(layout.results / "eerste.csv")["n"].tolist() == [SMALL_SIZES["n_students"]]  # all 60 analysed
    record = json.loads((layout.results / "provenance.json").read_text())
    assert record["data"]["students"]["sha256"] == sha256_file(students)  # the file as it is now, hashed by the build
    assert record["data"]["students"]["n"] == len(read_survey(students, "students")) == SMALL_SIZES["n_students"]
    assert done.left == [] and not layout.run.exists()


def test_a_sidecar_describes_a_file_but_never_names_it_or_its_checksum(tmp_path):
    data = simulate(3, 30, 10)["students"]
    path = tmp_path / "mijn_studenten.csv"
    write_survey(data, path, "students", synthetic=False)
    sidecar = path.with_name(path.name + ".meta.json")
    forged = {"origin": {"source": "echte_enquete.sav", "sha256": "0" * 64}, "description": "voorjaarsmeting"}
    sidecar.write_text(json.dumps({**json.loads(sidecar.read_text()), **forged}))
    read = read_survey(path, "students")
    assert (read.attrs["source"], read.attrs["sha256"]) == (str(path), sha256_file(path))
    assert read.attrs["description"] == "voorjaarsmeting"


# ------------------------------------------------------------------------------------------- 5. limits


def test_simulated_sizes_beyond_memory_are_refused_before_any_work(before):
    layout, fingerprint = before
    synthetic = sorted(p.name for p in layout.synthetic.iterdir())
    done = run("build", "--project", layout.root, "--n-students", "1000000000")
    message = "error: n_students/n_counsellors: simulating 1,000,000,000 students and 371 counsellors needs about 4,000 GB"
    assert_refused(done, message, layout, fingerprint)
    assert "more memory" in done.stderr and "Dask" in done.stderr
    assert sorted(p.name for p in layout.synthetic.iterdir()) == synthetic  # no .seed-… scratch left


def zsav_bomb(path: Path, rows: int) -> Path:
    """A compressed SPSS file of ``rows`` identical rows: a few kB that expand to rows x 5 cells when read."""
    frame = pd.DataFrame({name: [1.0] * rows for name in ("a", "b", "c", "d", "e")})
    pyreadstat.write_sav(frame, path, compress=True)
    return path


def test_a_compressed_sav_is_refused_by_the_rows_it_declares(before, tmp_path):
    layout, fingerprint = before
    bomb = zsav_bomb(tmp_path / "studenten.zsav", 200_000)
    assert bomb.stat().st_size < 100_000
    done = build(layout, "--students", bomb, "--no-counsellors", **{limits.MEMORY_VARIABLE: str(30_000_000)})
    message = ("studenten.zsav: too large to read here: it declares 200,000 rows of 5 columns, which takes about "
               "60.0 MB of memory; 30.0 MB may be used here")
    assert_refused(done, message, layout, fingerprint)


def xlsx_declaring(path: Path, dimension: str) -> Path:
    """A small workbook whose sheet declares the ``dimension`` (e.g. ``A1:Z5000000``) of a huge one."""
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["resp_id", "hogeschool"])
    book.active.append(["S1", 1])
    plain = path.with_suffix(".plain.xlsx")
    book.save(plain)
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename.startswith("xl/worksheets/"):
                content = re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{dimension}"'.encode(), content)
            target.writestr(info, content)
    return path


def test_an_xlsx_is_refused_by_the_size_its_sheet_declares(before, tmp_path):
    layout, fingerprint = before
    bomb = xlsx_declaring(tmp_path / "studenten.xlsx", "A1:ZZ9000000")
    assert bomb.stat().st_size < 20_000
    done = build(layout, "--students", bomb, "--no-counsellors")
    assert_refused(done, "studenten.xlsx: too large to read here: its first sheet declares 9,000,000 rows of 702 "
                         "columns, which takes about 379 GB of memory", layout, fingerprint)


def test_a_file_of_nul_bytes_larger_than_memory_is_refused_unread(before, tmp_path):
    layout, fingerprint = before
    nul = tmp_path / "studenten.csv"
    with nul.open("wb") as fh:
        fh.truncate(2 * limits.memory_budget() // limits.TEXT_FACTOR)  # sparse: no disk space, all NUL bytes
    done = build(layout, "--students", nul, "--no-counsellors")
    assert_refused(done, "studenten.csv: too large to read here: it holds", layout, fingerprint)
    assert done.seconds < 60


def test_a_data_file_beyond_a_set_memory_limit_is_refused(before, tmp_path):
    layout, fingerprint = before
    path = tmp_path / "studenten.csv"
    write_survey(simulate(5, 400, 10)["students"], path, "students", synthetic=False)
    limit = path.stat().st_size * limits.TEXT_FACTOR // 2
    done = build(layout, "--students", path, "--no-counsellors", **{limits.MEMORY_VARIABLE: str(limit)})
    assert_refused(done, "studenten.csv: too large to read here", layout, fingerprint)


LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
    f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
    for i in range(8)
)  # nine levels of nine: 9**9 = 387 million values from ten lines


@pytest.mark.parametrize("key", ["seed", "only", "multiverse_overrides"])
def test_a_billion_laughs_parameters_file_is_refused_at_once(before, key):
    layout, fingerprint = before
    path = layout.root / "params.yml"
    path.write_text(LAUGHS.replace("i: &i", f"{key}: &i"))
    done = build(layout, "--params", path)
    assert_refused(done, f"error: --params {path}: not valid YAML (line 2): aliases (*name) are not allowed",
                   layout, fingerprint)
    assert done.seconds < 60 and len(done.stderr) < 500


def test_a_message_never_prints_an_unbounded_value(before):
    layout, fingerprint = before
    path = layout.root / "params.yml"
    path.write_text(yaml.safe_dump({"seed": "x" * 100_000, "alpha": list(range(10_000))}))
    done = build(layout, "--params", path)
    assert_refused(done, "error: alpha: expected a number between 0 and 1, got [0, 1, 2, 3, 4, ...]", layout, fingerprint)
    assert max(len(line) for line in done.stderr.splitlines()) < 200


# ------------------------------------------------------------------------------------------- 6. no process left


@pytest.mark.parametrize("where", [".build/cache/01_tweede", ".build/cache"])
def test_a_file_where_a_cache_folder_should_be_is_removed(before, where):
    layout, _ = before
    damaged = layout.root / where
    if damaged.is_dir():
        import shutil

        shutil.rmtree(damaged)
    damaged.write_text("geen map\n")
    done = build(layout, "--jobs", "2")
    assert (done.returncode, done.stderr) == (0, ""), done.stderr
    assert [line for line in done.stdout.splitlines() if "geen map" in line] == [f"{damaged}: geen map, verwijderd"]
    assert done.left == [] and not layout.run.exists() and damaged.is_dir()
    last = done.stdout.splitlines()[-1]  # 9. one line however long, though not a terminal (80 columns)
    assert last == f"Done: {layout.html / 'index.html'}  (results in {layout.results})" and len(last) > 80


def test_a_failure_while_a_kernel_runs_leaves_no_process(before):
    """A chapter that fails in the build's own process (it wrote a result it does not declare) while another
    chapter's kernel runs in a worker: the build ends at once, and the kernel, the worker's fork server and its
    resource tracker with it (they used to hold the pipe open for good)."""
    layout, fingerprint = before
    graph = yaml.safe_load(layout.graph_file.read_text())
    graph["chapters"]["00_eerste"]["writes"] = ["eerste.csv"]
    layout.graph_file.write_text(yaml.safe_dump(graph))
    undeclared = 'save_result(pd.DataFrame({"n": [n_rows]}), "ongevraagd", results_dir)\n'
    (layout.notebooks / "00_eerste.py").write_text(FIRST.rstrip("\n") + "\n" + undeclared)
    params = layout.root / "params.yml"
    params.write_text("pause: 120\n")  # 01_tweede's kernel sleeps while 00_eerste fails
    done = build(layout, "--jobs", "2", "--params", params)
    assert_refused(done, "error: chapter 00_eerste wrote ongevraagd.csv, not in its field 'writes'", layout,
                   fingerprint, code=1)
    assert done.seconds < 100


# ------------------------------------------------------------------------------------------- 7. simulate --out


def simulate_cli(out: Path, *args: str) -> Run:
    return run("simulate", "--out", out, "--n-students", "40", "--n-counsellors", "12", *args)


def test_simulate_never_overwrites_what_it_did_not_write(tmp_path):
    out = tmp_path / "data"
    out.mkdir()
    (out / "students.csv").write_text("resp_id\nmijn eigen data\n")
    done = simulate_cli(out)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (f"error: --out {out}: the folder holds files this command did not write (students.csv); "
                           "give a new or empty folder, or add --force to overwrite them\n")
    assert sorted(p.name for p in out.iterdir()) == ["students.csv"]
    assert (out / "students.csv").read_text() == "resp_id\nmijn eigen data\n"
    forced = simulate_cli(out, "--force")
    assert forced.returncode == 0, forced.stderr
    assert len(read_survey(out / "students.csv", "students")) == 40


def test_simulate_writes_again_only_over_its_own_unchanged_files(tmp_path):
    out = tmp_path / "data"
    assert simulate_cli(out).returncode == 0
    listed = json.loads((out / MANIFEST).read_text())["files"]
    assert sorted(listed) == sorted(p.name for p in out.iterdir() if p.name != MANIFEST)
    assert simulate_cli(out, "--seed", "8").returncode == 0  # its own files: replaced
    (out / "counsellors.csv").write_text("bewerkt\n")
    done = simulate_cli(out, "--seed", "9")
    assert (done.returncode, done.stderr.count("error: ")) == (2, 1)
    assert "(counsellors.csv)" in done.stderr and (out / "counsellors.csv").read_text() == "bewerkt\n"


# ------------------------------------------------------------------------------------------- 8. a full disk


def test_simulate_on_a_full_disk_is_an_os_error_naming_the_space_needed(tmp_path, monkeypatch):
    import shutil

    monkeypatch.setattr(shutil, "disk_usage", lambda path: shutil._ntuple_diskusage(10**9, 10**9 - 40_000, 40_000))
    done = CliRunner().invoke(app, ["simulate", "--out", str(tmp_path / "data")])
    assert done.exit_code == 1, done.output
    assert done.output.startswith(f"error: {tmp_path / 'data'}: No space left on device: the simulated data needs "
                                  "about 10.4 MB, 0.0 MB free")
    assert not (tmp_path / "data").exists()


def test_a_disk_filling_while_simulating_names_the_file(tmp_path, monkeypatch):
    import builtins
    import io

    real_open = io.open
    out = tmp_path / "data"

    def full(file, mode="r", *args, **kwargs):
        if isinstance(file, (str, os.PathLike)) and Path(file) == out / "students.csv" and "w" in mode:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))  # as a write fails: no file named
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", full)
    monkeypatch.setattr(io, "open", full)
    done = CliRunner().invoke(app, ["simulate", "--out", str(out), "--n-students", "40", "--n-counsellors", "12"])
    assert done.exit_code == 1, done.output
    assert done.output == (f"error: {out / 'students.csv'}: No space left on device (the simulated data need about "
                           "0.1 MB)\n")
    assert list(out.iterdir()) == []  # nothing half-written left: the next run needs no --force


# ------------------------------------------------------------------------------------------- 9. smaller points


def test_a_folder_given_as_a_data_file_is_named_a_folder(before, tmp_path):
    layout, fingerprint = before
    done = build(layout, "--students", tmp_path, "--no-counsellors")
    assert_refused(done, f"error: students: {tmp_path} is a folder, not a file\n", layout, fingerprint)


def test_every_notebook_parameter_is_checked_before_any_notebook_runs():
    declared = {"00_data": {"seed": 0}, "92_robuustheid": {"workers": 2}}
    with pytest.raises(ParameterError, match=r"^workers: must be at least 1, got 0$"):
        check({"workers": 0}, declared, (60, 30))


def test_a_project_without_notebooks_is_bad_input(tmp_path):
    done = run("build", "--project", tmp_path)
    assert (done.returncode, done.stderr) == (2, f"error: no notebooks named NN_name.py in {tmp_path / 'notebooks'}\n")
    assert done.left == []


def test_old_simulated_data_are_pruned(tmp_path):
    from loopbaanleren.build.inputs import KEPT_SIMULATIONS, _prune_simulations
    from loopbaanleren.build.layout import Layout

    layout = Layout(tmp_path)
    folders = [layout.synthetic / f"seed-{seed}-n-60-30" for seed in range(KEPT_SIMULATIONS + 3)]
    for age, folder in enumerate(folders):  # seed 0 the most recently used
        folder.mkdir(parents=True)
        os.utime(folder, (time.time() - 100 * age, time.time() - 100 * age))
    _prune_simulations(layout, keep=folders[-1])
    assert sorted(p.name for p in layout.synthetic.iterdir()) == sorted(
        f.name for f in [*folders[:KEPT_SIMULATIONS], folders[-1]]
    )


def test_a_sav_that_cannot_be_written_on_a_full_disk_is_an_os_error(tmp_path, monkeypatch):
    """readstat says only 'Unable to write data' (measured on a full 1 MB tmpfs): on a full disk that is ENOSPC
    naming the file, not bad data."""
    import shutil

    def unable(*args, **kwargs):
        raise pyreadstat.ReadstatError("Unable to write data")

    monkeypatch.setattr(pyreadstat, "write_sav", unable)
    monkeypatch.setattr(shutil, "disk_usage", lambda path: shutil._ntuple_diskusage(10**9, 10**9, 0))
    with pytest.raises(OSError) as info:
        write_survey(simulate(2, 20, 5)["students"], tmp_path / "studenten.sav", "students", synthetic=True)
    assert (info.value.errno, info.value.filename) == (errno.ENOSPC, str(tmp_path / "studenten.sav"))
