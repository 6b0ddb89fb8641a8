"""A folder's manifest: the SHA-256 of each file written into it and what it was written from."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path

from loopbaanleren.errors import writing


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


MANIFEST = "manifest.json"
"""The file that lists what a folder of written data holds: each file's SHA-256, and what it was written from."""


def write_manifest(folder: Path, files: list[str], **about: object) -> Path:
    """Record the SHA-256 of ``files`` (names in ``folder``) and ``about`` in the folder's manifest (written
    whole or not at all)."""
    record = {**about, "files": {name: sha256_file(folder / name) for name in files}}
    scratch = folder / f".{MANIFEST}.tmp"
    with writing(folder / MANIFEST):
        scratch.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    scratch.replace(folder / MANIFEST)
    return folder / MANIFEST


def read_manifest(folder: Path) -> dict | None:
    """The folder's manifest (see :func:`write_manifest`), None when it has none or one that cannot be read."""
    try:
        record = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    files = record.get("files") if isinstance(record, dict) else None
    if not isinstance(files, dict) or not all(isinstance(v, str) for v in files.values()):
        return None
    return record


def first_changed(folder: Path, files: Mapping[str, str]) -> tuple[str, bool] | None:
    """The first of ``files`` (name under ``folder`` -> SHA-256, in name order) that is missing (``False``) or whose
    bytes have another checksum (``True``), as ``(name, present)``; None when every file checks out.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.csv").write_text("x")
    >>> first_changed(folder, {"a.csv": sha256_file(folder / "a.csv"), "b.csv": "0"})
    ('b.csv', False)
    >>> first_changed(folder, {"a.csv": "0"}), first_changed(folder, {})
    (('a.csv', True), None)
    """
    for name, digest in sorted(files.items()):
        path = folder / name
        if not path.is_file():
            return name, False
        if sha256_file(path) != digest:
            return name, True
    return None
