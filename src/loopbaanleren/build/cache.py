"""The notebook cache: an executed notebook and the result files it wrote, stored under a key, verified when read.

An entry is a folder ``<cache>/<notebook>/<key>/`` with ``notebook.ipynb``, ``results/...`` and
``manifest.json``, the SHA-256 of every other file of the entry. An entry is written into a scratch folder
(manifest last) and renamed into place, so a build that stops halfway, or a full disk, leaves no entry at all.
An entry whose files do not match its manifest (truncated, edited, partly deleted, no manifest) is a miss:
reported once, removed, and the notebook is executed again.

>>> import tempfile, nbformat
>>> root = Path(tempfile.mkdtemp())
>>> nbformat.write(nbformat.v4.new_notebook(), root / "executed.ipynb")
>>> entry = store(root / "cache" / "00_a" / "k1", root / "executed.ipynb", [], root, 1.0)
>>> load(entry, root / "results") == entry / NOTEBOOK
True
>>> (entry / NOTEBOOK).write_text("{")
1
>>> load(entry, root / "results", print)
cache-item 00_a/k1 beschadigd (notebook.ipynb: checksum wijkt af), opnieuw uitgevoerd
>>> entry.exists()
False
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from loopbaanleren.data.manifest import MANIFEST, first_changed, write_manifest

NOTEBOOK = "notebook.ipynb"
RESULTS = "results"
KEPT_ENTRIES = 3
"""Entries kept per notebook (the most recently used)."""


def store(entry: Path, executed: Path, written: Iterable[Path], results: Path, seconds: float) -> Path:
    """Save the executed notebook and the result files it wrote (``written``, under ``results``) as ``entry``.

    Raises ``OSError`` (a full disk, say) without leaving an entry or scratch folder behind. Keeps the
    ``KEPT_ENTRIES`` most recently used entries of the notebook.
    """
    entry.parent.mkdir(parents=True, exist_ok=True)
    for stale in entry.parent.glob(".*"):  # scratch of a build that was killed (builds of a project take turns)
        shutil.rmtree(stale, ignore_errors=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{entry.name[:16]}.", dir=entry.parent))
    try:
        copies = {NOTEBOOK: executed, **{f"{RESULTS}/{p.relative_to(results).as_posix()}": p for p in written}}
        for name, source in copies.items():
            target = scratch / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
        write_manifest(scratch, list(copies), seconds=seconds)
        shutil.rmtree(entry, ignore_errors=True)
        scratch.rename(entry)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)  # nothing left there once renamed
    kept = [p for p in entry.parent.iterdir() if p.is_dir() and not p.name.startswith(".")]
    for old in sorted(kept, key=lambda p: p.stat().st_mtime)[:-KEPT_ENTRIES]:
        shutil.rmtree(old, ignore_errors=True)
    return entry


def problem(entry: Path) -> str | None:
    """Why ``entry`` cannot be used (in Dutch, for the build's output), or None when every file checks out."""
    try:
        manifest = json.loads((entry / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return f"{MANIFEST} ontbreekt"
    except (OSError, ValueError):
        return f"{MANIFEST} onleesbaar"
    files = manifest.get("files") if isinstance(manifest, dict) else None
    if not isinstance(files, dict) or NOTEBOOK not in files:
        return f"{MANIFEST} onvolledig"
    present = {p.relative_to(entry).as_posix() for p in entry.rglob("*") if p.is_file()} - {MANIFEST}
    for name in sorted(present - set(files)):
        return f"{name} staat niet in {MANIFEST}"
    changed = first_changed(entry, files)
    if changed is None:
        return None
    name, present = changed
    return f"{name}: checksum wijkt af" if present else f"{name} ontbreekt"


def verify(entry: Path, say: Callable[[str], object] | None = None) -> bool:
    """Whether ``entry`` exists and every file in it checks out against its manifest.

    A damaged entry is reported through ``say`` (one line) and removed, so it is reported once.
    """
    if not entry.is_dir():
        return False
    damage = problem(entry)
    if damage:
        if say:
            say(f"cache-item {entry.parent.name}/{entry.name[:12]} beschadigd ({damage}), opnieuw uitgevoerd")
        shutil.rmtree(entry, ignore_errors=True)
        return False
    return True


def load(entry: Path, results: Path, say: Callable[[str], object] | None = None) -> Path | None:
    """The entry's executed notebook, after copying its result files into ``results``; None on a miss
    (see :func:`verify`)."""
    if not verify(entry, say):
        return None
    if (entry / RESULTS).is_dir():
        shutil.copytree(entry / RESULTS, results, dirs_exist_ok=True)
    entry.touch()  # most recently used
    return entry / NOTEBOOK
