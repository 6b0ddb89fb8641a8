"""Jupyter Book in a process started ahead of the book step: its libraries are imported while the last notebook runs.

The book step runs Jupyter Book's ``build`` command on the staged sources (:func:`loopbaanleren.build.book_step.build_book`).
Before it reads a page, that command starts Python and imports Sphinx, myst-nb, the theme and the book's extensions
(the package's own, pandas among them): about a quarter of the step. :meth:`BookProcess.start` starts this module as
a process that imports the extensions Jupyter Book loads by default and those the book's ``_config.yml`` adds, then
waits. The build starts it with the last wave of notebooks (the ledger, alone, leaves a core free).
:meth:`BookProcess.run` gives it the command's arguments, and it runs Jupyter Book's command line
(``jupyter_book.cli.main``) with them: the same command, output and exit code as ``jupyter-book`` itself. A process
that is given nothing (the build failed, was interrupted, or keeps its book) is ended by :meth:`BookProcess.close`,
or ends by itself when its standard input closes.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import subprocess
import sys
from pathlib import Path


class BookProcess:
    """A Jupyter Book command line waiting for its arguments (see the module's docstring)."""

    def __init__(self, book: Path):
        self._book = book
        self._process: subprocess.Popen | None = None
        self._ran = False

    def start(self) -> None:
        """Start the process, which imports the book's libraries and then waits (once; later calls do nothing)."""
        if self._process is None and not self._ran:
            self._process = subprocess.Popen(
                [sys.executable, "-P", "-m", __name__, str(self._book)],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            )

    def run(self, arguments: list[str]) -> subprocess.CompletedProcess:
        """Run ``jupyter-book`` with ``arguments`` in the process (started now if it was not); its exit code and
        output, as :func:`subprocess.run` with ``capture_output=True`` gives them."""
        if self._ran:
            raise RuntimeError("the book process has already run")
        self.start()
        process, self._process, self._ran = self._process, None, True
        stdout, stderr = process.communicate(json.dumps(arguments) + "\n")
        return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)

    def close(self) -> None:
        """End the process if it has not run; it will not run any more."""
        process, self._process, self._ran = self._process, None, True
        if process is not None:
            process.kill()
            process.communicate()

    def __enter__(self) -> BookProcess:
        return self

    def __exit__(self, *_) -> None:
        self.close()


def extensions(book: Path) -> list[str]:
    """The Sphinx extensions a build of ``book`` loads: Jupyter Book's default ones and the book's own.

    >>> from loopbaanleren.build.project import PACKAGE_ROOT
    >>> names = extensions(PACKAGE_ROOT / "book")
    >>> "myst_nb" in names and "loopbaanleren.book.figure_numbers" in names
    True
    """
    import yaml
    from jupyter_book.config import get_default_sphinx_config

    config = yaml.safe_load((book / "_config.yml").read_text(encoding="utf-8")) or {}
    own = (config.get("sphinx") or {}).get("extra_extensions") or []
    return list(dict.fromkeys([*get_default_sphinx_config()["extensions"], *own]))


SETUP_MODULES = ("myst_nb.sphinx_ext",)
"""Modules an extension imports only when Sphinx sets it up: myst-nb's, which imports its parser and cache (0.4 s)."""


def main(book: str) -> None:
    """Import what a build of ``book`` uses, then run the command line given on standard input (if any).

    A module that cannot be imported is left to the build, which reports it as Jupyter Book would.
    """
    import jupyter_book.cli.main

    for name in ["sphinx.application", "sphinx.builders.html", *extensions(Path(book)), *SETUP_MODULES]:
        with contextlib.suppress(Exception):
            importlib.import_module(name)
    line = sys.stdin.readline()
    if line:
        jupyter_book.cli.main.main(args=json.loads(line), prog_name="jupyter-book")


if __name__ == "__main__":
    main(sys.argv[1])
