"""Bad input to ``loopbaanleren build``, run as a program on a project that already has a book and results.

Each case asserts the exact message, the exit code, that no traceback is printed and that the previous
``book/_build/html`` and ``results/`` are unchanged, file by file:

1. unknown parameter in the ``--params`` file
2. unknown option on the command line
3. parameter of the wrong type in the ``--params`` file
4. a notebook's own parameter of the wrong type
5. parameter of the wrong type on the command line
6. parameter out of its range
7. ``--params`` file that is not valid YAML
8. ``--params`` file that is not a mapping
9. ``--params`` file that does not exist
10. data file that does not exist
11. project folder that does not exist
12. ``--only`` naming no notebook
13. data file that does not fit the codebook
14. another build running in the same project
15. project folder that cannot be written
16. a notebook that fails halfway through the build
17. a build killed after the first notebook (the next build still works)
18. a data set with one sector only (the book is built; sector comparisons say they cannot be made)
19. groups smaller than ``--min-cell`` (the book is built; their counts are suppressed)
20. a data path in the ``--params`` file that is no path (a NUL character)
21. an interview file of separators only
22. a kernel that writes to its own stderr at exit (the build stays quiet)
23. a kernel that dies (reported once, with the last lines of its log)

Interruption by SIGINT or SIGTERM at each step of a build is tested in ``test_faults.py``.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import subprocess

import pytest
from build_helpers import (
    CLI,
    MIN_CELL,
    SECOND,
    SMALL_HOGESCHOOL,
    SMALL_HOGESCHOOL_SIZES,
    SMALL_SECTOR,
    SMALL_SECTOR_STUDENTS,
    built_copy,  # noqa: F401  (fixture)
    code_of,
    outputs,
    own_data_book,  # noqa: F401  (fixture)
    previous_build,  # noqa: F401  (fixture)
    run_cli,
    table_rows,
)

from loopbaanleren.data.disclosure import suppression_marker


def build(layout, *args):
    return run_cli("build", "--project", layout.root, *args)


def assert_refused(done: subprocess.CompletedProcess, stderr: str, code: int = 2) -> None:
    """Exit code, the whole of stderr, nothing on stdout and no traceback."""
    assert (done.returncode, done.stderr) == (code, stderr), done.stdout + done.stderr
    assert done.stdout == ""
    assert "Traceback" not in done.stderr


def assert_usage_error(done: subprocess.CompletedProcess, message: str) -> None:
    """A command line the parser rejects: exit 2, the usage lines and one error line."""
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.splitlines() == [
        "Usage: loopbaanleren build [OPTIONS]",
        "Try 'loopbaanleren build --help' for help.",
        "",
        f"Error: {message}",
    ]


@pytest.fixture
def before(built_copy):  # noqa: F811
    """The project copy and the fingerprint of its book and results before the bad build."""
    fingerprint = outputs(built_copy)
    assert fingerprint["html"] and fingerprint["results"]
    return built_copy, fingerprint


def params_file(layout, text: str):
    path = layout.root / "params.yml"
    path.write_text(text)
    return path


KNOWN = (
    "alpha, compare_with, counsellors, interviews, jobs, mapping, min_cell, n_counsellors, n_students, "
    "no_counsellors, no_interviews, no_students, only, pause, preregistration, scenario, scheduler, seed, "
    "simulate_missing, students"
)


def test_unknown_parameter_in_params_file(before):
    layout, fingerprint = before
    done = build(layout, "--params", params_file(layout, "sed: 3\n"))
    assert_refused(done, f"error: unknown parameter 'sed'; known parameters: {KNOWN}\n")
    assert outputs(layout) == fingerprint


def test_unknown_option(before):
    layout, fingerprint = before
    assert_usage_error(build(layout, "--sed", "3"), "No such option: --sed (Possible options: --scheduler, --seed)")
    assert outputs(layout) == fingerprint


def test_wrong_type_in_params_file(before):
    layout, fingerprint = before
    done = build(layout, "--params", params_file(layout, "seed: abc\nmin_cell: 2.5\n"))
    assert_refused(done, "error: seed: expected a whole number, got 'abc'\nmin_cell: expected a whole number, got 2.5\n")
    assert outputs(layout) == fingerprint


def test_wrong_type_of_a_notebook_parameter(before):
    layout, fingerprint = before
    done = build(layout, "--params", params_file(layout, "pause: lang\n"))
    assert_refused(done, "error: pause: expected int like the notebooks' default 0, got 'lang'\n")
    assert outputs(layout) == fingerprint


def test_wrong_type_on_the_command_line(before):
    layout, fingerprint = before
    done = build(layout, "--seed", "abc")
    assert_usage_error(done, "Invalid value for '--seed': Input should be a valid integer, unable to parse string as an integer")
    assert outputs(layout) == fingerprint


def test_parameter_out_of_range(before):
    layout, fingerprint = before
    done = build(layout, "--alpha", "1.5", "--min-cell", "0")
    assert_refused(done, "error: alpha: must lie strictly between 0 and 1, got 1.5\nmin_cell: must be at least 1, got 0\n")
    assert outputs(layout) == fingerprint


def test_params_file_not_valid_yaml(before):
    layout, fingerprint = before
    path = params_file(layout, "seed: 1\n  alpha: 0.1\n")
    done = build(layout, "--params", path)
    assert_refused(done, f"error: --params {path}: not valid YAML (line 2): mapping values are not allowed here\n")
    assert outputs(layout) == fingerprint


def test_params_file_not_a_mapping(before):
    layout, fingerprint = before
    path = params_file(layout, "- seed: 1\n- alpha: 0.1\n")
    assert_refused(build(layout, "--params", path), f"error: --params {path}: expected a mapping of parameter: value\n")
    assert outputs(layout) == fingerprint


def test_params_file_does_not_exist(before, tmp_path):
    layout, fingerprint = before
    done = build(layout, "--params", tmp_path / "nergens.yml")
    assert_refused(done, f"error: --params: file not found: {tmp_path / 'nergens.yml'}\n")
    assert outputs(layout) == fingerprint


def test_data_file_does_not_exist(before, tmp_path):
    layout, fingerprint = before
    done = build(layout, "--students", tmp_path / "studenten.sav")
    assert_refused(done, f"error: students: file not found: {tmp_path / 'studenten.sav'}\n")
    assert outputs(layout) == fingerprint


def test_data_path_that_is_no_path(before):
    layout, fingerprint = before
    done = build(layout, "--params", params_file(layout, 'students: "studenten\\0.csv"\n'))
    assert_refused(done, "error: students: expected a file path, got 'studenten\\x00.csv'\n")
    assert outputs(layout) == fingerprint


def test_interview_file_of_separators_only(before, tmp_path):
    layout, fingerprint = before
    interviews = tmp_path / "interviews.csv"
    interviews.write_text(",,,\n , ,\n", encoding="utf-8")
    done = build(layout, "--interviews", interviews)
    assert_refused(done, f"error: interviews ({interviews}): interviews.csv: the file is empty\n")
    assert outputs(layout) == fingerprint


def test_project_folder_does_not_exist(tmp_path):
    done = run_cli("build", "--project", tmp_path / "nergens")
    assert_refused(done, f"error: no notebooks named NN_name.py in {tmp_path / 'nergens' / 'notebooks'}\n")
    assert not (tmp_path / "nergens").exists()


def test_only_names_no_notebook(before):
    layout, fingerprint = before
    done = build(layout, "--only", "00,42")
    assert_refused(done, "error: only: '42' does not name one notebook; notebooks: 00_eerste, 01_tweede\n")
    assert outputs(layout) == fingerprint


def test_data_file_that_does_not_fit_the_codebook(before, small_data, tmp_path):
    layout, fingerprint = before
    lines = small_data["students"].read_text(encoding="utf-8").splitlines()
    cells = lines[3].split(",")
    cells[2] = "9"  # the sector of the third respondent: no such code
    lines[3] = ",".join(cells)
    bad = tmp_path / "students.csv"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = build(layout, "--students", bad, "--no-counsellors")
    assert_refused(
        done,
        f"error: students ({bad}): students.csv does not fit the codebook (1 problem; line numbers are the file's, the header being line 1):\n"
        "students.csv: column 'sector', line 4 (1 line): value 9 is not a code of the codebook (1-7)\n",
    )
    assert outputs(layout) == fingerprint


def test_another_build_running(before):
    layout, fingerprint = before
    with (layout.work / "lock").open("w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        done = build(layout, "--seed", "7")
    assert_refused(done, f"error: another build is running in {layout.root}\n", code=1)
    assert outputs(layout) == fingerprint


def read_only(layout) -> tuple[list[str], str]:
    """A command prefix under which the project cannot be written, and the system's reason for it."""
    if os.geteuid() != 0:
        for path in (layout.root, layout.work, layout.work / "lock"):
            path.chmod(0o555)
        return [], "Permission denied"
    if shutil.which("unshare") is None:
        pytest.skip("running as root without unshare: cannot make the project read-only")
    mount = 'mount --bind -o ro "$1" "$1" && shift && exec "$@"'
    probe = subprocess.run(["unshare", "-m", "sh", "-c", mount, "sh", str(layout.root), "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"cannot mount the project read-only here: {probe.stderr.decode().strip()}")
    return ["unshare", "-m", "sh", "-c", mount, "sh", str(layout.root)], "Read-only file system"


def test_project_folder_not_writable(before):
    layout, fingerprint = before
    prefix, reason = read_only(layout)
    env = {**os.environ, "COLUMNS": "250"}
    command = [*prefix, str(CLI), "build", "--project", str(layout.root), "--seed", "7"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, env=env)
    for path in (layout.root, layout.work, layout.work / "lock"):
        path.chmod(0o755)
    assert_refused(done, f"error: {layout.work / 'lock'}: {reason}\n", code=1)
    assert outputs(layout) == fingerprint


def test_a_failing_notebook(before):
    layout, fingerprint = before
    broken = SECOND.replace("time.sleep(pause)", "time.sleep(pause)\nraise KeyError('schaal')")
    (layout.notebooks / "01_tweede.py").write_text(broken)
    done = build(layout)
    assert done.returncode == 1
    assert done.stderr == (
        "error: notebook 01_tweede.py failed in cell 3 (import time): KeyError: 'schaal'\n"
        f"the executed notebook is kept for inspection: {layout.failed / '01_tweede.ipynb'}\n"
    )
    assert "Traceback" not in done.stdout + done.stderr
    assert outputs(layout) == fingerprint


def start_slow_build(layout) -> subprocess.Popen:
    """A build whose second notebook sleeps; returns once the first notebook is done."""
    params = params_file(layout, "pause: 120\nseed: 11\n")
    process = subprocess.Popen(
        [CLI, "build", "--project", str(layout.root), "--params", str(params)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        env={**os.environ, "COLUMNS": "250"},
    )
    for line in process.stdout:
        if line.split()[:2] == ["00_eerste", "executed"]:
            return process
    process.kill()
    pytest.fail(f"the first notebook did not finish: {process.communicate()[1]}")


def test_killed_build_keeps_the_previous_book_and_the_next_build_works(before):
    layout, fingerprint = before
    process = start_slow_build(layout)
    os.killpg(process.pid, signal.SIGKILL)
    process.communicate(timeout=60)
    assert process.returncode == -signal.SIGKILL
    assert outputs(layout) == fingerprint

    done = build(layout, "--seed", "12")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert (layout.results / "eerste.csv").read_text().splitlines()[1].endswith(",12")
    assert not layout.failed.exists()


def test_one_sector_only_is_built_with_comparisons_marked_untestable(own_data_book):  # noqa: F811
    book = own_data_book
    assert book.returncode == 0, book.stderr
    assert book.stderr == ""
    assert "Traceback" not in book.stdout
    assert book.stdout.splitlines()[-1] == f"Done: {book.layout.html / 'index.html'}  (results in {book.layout.results})"
    assert book.frame("counsellors")["sector"].nunique() == 1
    untestable = f"niet te toetsen (minder dan twee groepen met ten minste {MIN_CELL} respondenten)"
    pages = [p for p in book.layout.html.glob("*.html") if untestable in p.read_text(encoding="utf-8")]
    assert pages, "no sector comparison says it cannot be made"


def test_groups_below_min_cell_are_built_with_their_counts_suppressed(own_data_book):  # noqa: F811
    book = own_data_book
    assert book.returncode == 0, book.stderr
    students = book.frame("students")
    for population, size in SMALL_HOGESCHOOL_SIZES.items():  # as small_group_data made them, after the export
        school = book.frame(population)["hogeschool"] == code_of(population, "hogeschool", SMALL_HOGESCHOOL)
        assert school.sum() == size < MIN_CELL
    assert (students["sector"] == code_of("students", "sector", SMALL_SECTOR)).sum() == SMALL_SECTOR_STUDENTS < MIN_CELL
    marker = suppression_marker(MIN_CELL)
    page = book.layout.html / "00_data.html"
    assert table_rows(page, "Aantal respondenten per hogeschool")[SMALL_HOGESCHOOL] == [marker, marker]
    assert table_rows(page, "Aantal respondenten per sector")[SMALL_SECTOR] == [marker, marker]  # no counsellor


def test_a_kernel_that_writes_to_its_own_stderr_at_exit_leaves_the_build_quiet(before):
    """What a kernel prints outside any cell (asyncio's "Task was destroyed ...") goes to its log."""
    layout, _ = before
    noisy = SECOND.replace("time.sleep(pause)", "import atexit, os\natexit.register(os.write, 2, b'late kernel message\\n')")
    (layout.notebooks / "01_tweede.py").write_text(noisy)
    done = build(layout)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert "late kernel message" not in done.stdout


def test_a_kernel_that_dies_is_reported_with_its_last_words(before):
    layout, fingerprint = before
    dying = SECOND.replace(
        "time.sleep(pause)", "import os, sys\nos.write(sys.__stderr__.fileno(), b'out of memory, say\\n')\nos._exit(3)"
    )
    (layout.notebooks / "01_tweede.py").write_text(dying)
    done = build(layout)
    assert done.returncode == 1
    assert done.stderr == (
        "error: notebook 01_tweede.py could not be executed: DeadKernelError: Kernel died\n"
        "the kernel's last words:\n  out of memory, say\n"
    )
    assert "Traceback" not in done.stdout + done.stderr
    assert outputs(layout) == fingerprint
