"""Jupyter Book in a process started ahead (loopbaanleren.build.book_process): the same command line as ``jupyter-book``."""

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PROJECT_ROOT

from loopbaanleren.build.book_process import BookProcess

JUPYTER_BOOK = str(Path(sys.executable).with_name("jupyter-book"))


@pytest.mark.parametrize("arguments", [["--version"], ["build", "no-such-folder"]])
def test_it_answers_as_jupyter_book_does(arguments, tmp_path):
    arguments = [*arguments[:1], *(str(tmp_path / a) for a in arguments[1:])]
    expected = subprocess.run([JUPYTER_BOOK, *arguments], capture_output=True, text=True)
    with BookProcess(PROJECT_ROOT / "book") as book:
        got = book.run(arguments)
    assert (got.returncode, got.stdout, got.stderr) == (expected.returncode, expected.stdout, expected.stderr)
    assert (got.returncode == 0) == (arguments == ["--version"]) and (got.stdout + got.stderr).strip()


def test_it_starts_once_runs_once_and_a_process_not_used_is_ended():
    book = BookProcess(PROJECT_ROOT / "book")
    book.start()
    process = book._process
    book.start()
    assert book._process is process and process.poll() is None
    book.close()
    assert process.poll() is not None
    with pytest.raises(RuntimeError, match="the book process has already run"):
        book.run(["--version"])
    book.start()
    assert book._process is None


def test_a_book_whose_extension_cannot_be_imported_fails_in_the_build_not_before(tmp_path):
    book_folder = tmp_path / "book"
    book_folder.mkdir()
    (book_folder / "_config.yml").write_text("sphinx:\n  extra_extensions: [no_such_extension]\n")
    (book_folder / "_toc.yml").write_text("format: jb-book\nroot: index\n")
    (book_folder / "index.md").write_text("# Index\n")
    with BookProcess(book_folder) as book:
        done = book.run(["build", str(book_folder), "-q"])
    assert done.returncode != 0
    assert "no_such_extension" in done.stdout + done.stderr
