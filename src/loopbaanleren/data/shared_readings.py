"""Survey data read and validated once per build and shared with the notebooks.

Every chapter reads both survey files, and reading means validating each cell against the codebook. The build
does it once, before any notebook runs (:func:`loopbaanleren.build.inputs.prepare_inputs`), and stores each
result in ``.build/shared/<preparation hash>/``; it passes that folder to the notebooks as their parameter
``shared_dir``, and they take the stored reading from there (:func:`read_survey_shared`, used by
:func:`loopbaanleren.book.chapter_claims.load_survey_data`). A reading stored by the build also names the user's
file a prepared CSV was made from (``origin``), which the file itself does not tell a reader.

An entry is keyed by what the reading depends on: the file's path and SHA-256, the SHA-256 of its metadata
file (``<file>.meta.json``, which marks synthetic data), the population, and (through the folder) the
hash of the code that reads it (:func:`loopbaanleren.build.inputs.preparation_hash`). A notebook's cache key holds
the same data checksums and the code it uses, which includes that reading code, so a notebook can never be
cached on one reading and run on another. Without a folder (a notebook run by hand, a test),
:func:`read_survey_shared` simply reads the file.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path

import pandas as pd

from loopbaanleren.data.survey_files import check_data_file, read_survey


def shared_folder(work: Path, package: str) -> Path:
    """The folder of shared readings for this version of the reading code (``package``, a hash) under ``work``."""
    return work / "shared" / package[:16]


def _digest(path: Path) -> str:
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def entry_key(path: Path, population: str) -> str:
    """What a reading of ``path`` as ``population`` depends on, hashed."""
    path = Path(path).resolve()
    meta = path.with_name(path.name + ".meta.json")
    parts = [str(path), _digest(path), _digest(meta) if meta.is_file() else "", population]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def read_survey_shared(path: str | Path, population: str, folder: str | Path | None = None,
                       origin: dict[str, str] | None = None) -> pd.DataFrame:
    """:func:`loopbaanleren.data.survey_files.read_survey`, taken from (or stored into) the shared ``folder``.

    Without ``folder`` (None or empty) the file is read as usual. A file that does not fit the codebook raises the
    same ``InputError`` and stores nothing. ``origin`` (``source``, ``sha256``), given by the build that prepared
    ``path`` from a user's file, names that file in the reading it stores (the sidecar the build wrote next to
    ``path`` records it too, so it is part of the entry's key).
    """
    if not folder:
        return read_survey(path, population)
    check_data_file(Path(path))
    entry = Path(folder) / f"{population}-{entry_key(Path(path), population)}.pickle"
    if entry.is_file():
        try:
            return pickle.loads(entry.read_bytes())  # written by this build's own process, below
        except (OSError, EOFError, pickle.UnpicklingError):
            pass
    data = read_survey(path, population)
    data.attrs.update(origin or {})
    entry.parent.mkdir(parents=True, exist_ok=True)
    scratch = entry.with_name(f".{entry.name}.{os.getpid()}")
    scratch.write_bytes(pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
    scratch.replace(entry)
    return data
