"""The data of a build: the user's files checked and prepared, the missing ones simulated, each survey read once."""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd
from rich.console import Console

from loopbaanleren.build import dependencies, interrupt, provenance
from loopbaanleren.build import params as build_params
from loopbaanleren.build.layout import Layout
from loopbaanleren.build.memory import release_free_memory
from loopbaanleren.build.publish import swap
from loopbaanleren.data import limits, manifest
from loopbaanleren.data.codebook import POPULATIONS
from loopbaanleren.data.mapping import load_mapping
from loopbaanleren.data.segments import read_segments
from loopbaanleren.data.shared_readings import read_survey_shared, shared_folder
from loopbaanleren.data.simulation import write_synthetic, written_files
from loopbaanleren.data.survey_files import read_survey, write_absent, write_survey
from loopbaanleren.data.synthetic_segments import write_synthetic_segments
from loopbaanleren.errors import InputError


READ_STATUS_BYTES = 5_000_000  # a data file this large gets a status line while it is read


@dataclass(frozen=True)
class DataInput:
    """One data file of a build: the user's or a simulated one."""

    role: str
    path: Path
    sha256: str
    synthetic: bool
    source: Path | None = None  # the user's own file a prepared ``path`` was made from
    source_sha256: str = ""
    n: int | None = None
    not_measured: tuple[str, ...] = ()
    absent: bool = False  # a survey the user left out (--no-students / --no-counsellors)
    mapping_report: dict | None = None

    def record(self, params: build_params.BuildParams) -> dict[str, object]:
        """The file as provenance records it (the user's own file, not the prepared copy)."""
        source = self.source or self.path
        entry: dict[str, object] = {
            "file": source.name,
            "path": str(source),
            "sha256": self.source_sha256 or self.sha256,
            "synthetic": self.synthetic,
        }
        if self.n is not None:
            entry["n"] = self.n
        if self.not_measured:
            entry["not_measured"] = list(self.not_measured)
        if self.absent:
            entry = {"file": "", "path": "", "sha256": "", "synthetic": False, "absent": True, "n": 0}
        if self.mapping_report is not None:
            entry["mapping_report"] = self.mapping_report
        if self.synthetic:
            entry["seed"] = params.seed
            entry["scenario"] = params.scenario
            if self.role in POPULATIONS and self.n is None:
                entry["n"] = getattr(params, f"n_{self.role}")
        return entry


def prepare_survey(data: pd.DataFrame, role: str, folder: Path, console=None):
    """Write the user's read ``data`` (see ``read_survey``) as the prepared CSV of ``role``; return its DataInput.

    The CSV (``.build/data/<role>/<role>.csv``) holds the codebook's names and codes; its sidecar names the
    original file and its SHA-256, so the notebooks need neither the mapping nor the original format. Warnings
    (declared missing codes, measures not asked) are printed once, before any notebook runs.
    """

    source = Path(data.attrs["source"])
    for line in data.attrs.get("warnings", []):
        if console is not None:
            console.print(f"warning: {role}: {line}", markup=False, highlight=False, soft_wrap=True)
    path = folder / role / f"{role}.csv"
    origin = {"source": source.name, "sha256": data.attrs["sha256"], "mapping_report": data.attrs.get("mapping_report", {})}
    write_survey(data, path, role, synthetic=False, origin=origin)
    sidecar = path.with_name(path.name + ".meta.json")  # what the mapping did, shown by the data chapter
    checksum = hashlib.sha256((manifest.sha256_file(path) + manifest.sha256_file(sidecar)).encode()).hexdigest()
    return DataInput(
        role,
        path,
        checksum,
        synthetic=False,
        source=source,
        source_sha256=data.attrs["sha256"],
        n=len(data),
        not_measured=tuple(data.attrs.get("not_measured", [])),
        mapping_report=data.attrs.get("mapping_report"),
    )


KEPT_SIMULATIONS = 4
"""Folders of simulated data kept besides the one a build uses (the most recently used; each seed's is 4.4 MB at the
study's size, and any is simulated again in seconds when asked for)."""


def preparation_hash() -> str:
    """What the data a build prepares (simulated, checked, read once) depends on: the package modules and
    resources this module uses, followed through their imports, and the key library versions."""
    return dependencies.code_hash(Path(__file__).read_text(encoding="utf-8"), provenance.library_versions())


SIMULATED_FILES = {
    "students": "students.csv",
    "counsellors": "counsellors.csv",
    "interviews": "interviews_synthetic.csv",  # the qualitative reader wants 'synthetic' in the name
}


def _synthetic_folder(
    params: build_params.BuildParams, layout: Layout, preparation: str, shared: Path, console: Console | None = None
) -> Path:
    """The folder of simulated data for the seed and sizes, written (atomically) when missing or stale.

    Its manifest (:func:`loopbaanleren.build.manifest.write_manifest`) records every file's SHA-256 and the
    ``preparation`` hash of the code that wrote it; before the folder is used again every file is hashed anew, and
    a folder whose files changed (edited, truncated, removed) is reported in one line and simulated again. Its
    survey files are checked by reading them where the notebooks will, through ``shared`` (so that the reading
    is the one they share); the manifest is written only when both read."""
    folder = layout.synthetic / f"seed-{params.seed}-n-{params.n_students}-{params.n_counsellors}"
    if params.scenario != "default":
        folder = folder.with_name(f"{folder.name}-{params.scenario}")
    _prune_simulations(layout, keep=folder)
    if folder.is_dir() and (manifest.read_manifest(folder) or {}).get("preparation") == preparation:
        damage = provenance.manifest_problem(folder)
        if damage is None:
            folder.touch()  # most recently used
            return folder
        if console is not None:
            console.print(f"gesimuleerde data {folder.name}: {damage}; opnieuw gesimuleerd", markup=False,
                          highlight=False, soft_wrap=True)
    for stale in layout.synthetic.glob(".seed-*") if layout.synthetic.is_dir() else ():  # of a build killed midway
        shutil.rmtree(stale, ignore_errors=True)  # (builds of a project take turns: this one holds the lock)
    scratch = folder.with_name(f".{folder.name}.{os.getpid()}")
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    try:
        write_synthetic(scratch, params.seed, params.n_students, params.n_counsellors, scenario=params.scenario)
        interrupt.checkpoint("simulation")
        write_synthetic_segments(scratch / SIMULATED_FILES["interviews"], params.seed, scenario=params.scenario)
        swap({scratch: folder})
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    for population in POPULATIONS:
        read_survey_shared(folder / SIMULATED_FILES[population], population, shared)
    files = [*written_files(), SIMULATED_FILES["interviews"]]
    manifest.write_manifest(folder, files, preparation=preparation, seed=params.seed, scenario=params.scenario,
                              n_students=params.n_students, n_counsellors=params.n_counsellors)
    (folder / "package.sha256").unlink(missing_ok=True)  # the stamp of earlier versions
    return folder


def _prune_simulations(layout: Layout, keep: Path) -> None:
    """Remove the folders of simulated data beyond the :data:`KEPT_SIMULATIONS` most recently used (and ``keep``)."""
    if not layout.synthetic.is_dir():
        return
    others = [p for p in layout.synthetic.glob("seed-*") if p.is_dir() and not p.is_symlink() and p != keep]
    for old in sorted(others, key=lambda p: p.stat().st_mtime, reverse=True)[KEPT_SIMULATIONS:]:
        shutil.rmtree(old, ignore_errors=True)


def prepare_inputs(
    params: build_params.BuildParams, layout: Layout, preparation: str, console: Console | None = None
) -> dict[str, DataInput]:
    """Check the user's data files against the codebook (through the mapping) and coding frame; write each
    survey file in codes as a prepared CSV the notebooks read; simulate the missing ones. Each survey file the
    notebooks read is read once here and shared with them (:mod:`loopbaanleren.data.shared_readings`).

    Warnings (declared missing codes, measures not asked, empty control variables) are printed before any
    notebook runs.
    """
    shared = shared_folder(layout.work, preparation)
    readers = {population: lambda path, p=population: read_survey(path, p, mapping) for population in POPULATIONS}
    readers["interviews"] = read_segments
    mapping = None
    if params.mapping is not None:
        mapping = load_mapping(params.mapping)
    problems, read = [], {}
    for role, reader in readers.items():
        path = getattr(params, role)
        if path is not None:
            try:
                limits.check_readable(path)  # before reading: a file too large for memory is refused at once
                with _reading(console, path):
                    read[role] = reader(path)
            except InputError as exc:
                problems.append(f"{role} ({path}): {exc}")
    if problems:
        raise InputError("\n".join(problems))

    roles = [role for role in build_params.DATA_KEYS if not (role == "interviews" and params.no_interviews)]
    given = {role: getattr(params, role) for role in roles}
    left_out = [role for role in POPULATIONS if getattr(params, f"no_{role}")]
    simulated = (_synthetic_folder(params, layout, preparation, shared, console)
                 if any(path is None and role not in left_out for role, path in given.items()) else None)
    inputs = {}
    for role, path in given.items():
        if role in left_out:

            path = layout.prepared / role / f"{role}.csv"
            write_absent(path, role)
            inputs[role] = DataInput(role, path, manifest.sha256_file(path), synthetic=False, n=0, absent=True)
        elif path is None:
            path = simulated / SIMULATED_FILES[role]
            inputs[role] = DataInput(role, path, manifest.sha256_file(path), synthetic=True)
        elif role in POPULATIONS:
            inputs[role] = prepare_survey(read[role], role, layout.prepared, console)
        else:
            inputs[role] = DataInput(role, path, manifest.sha256_file(path), synthetic=False)
        if role in POPULATIONS:  # read once here, shared by the notebooks (naming the user's file, if any)
            data = inputs[role]
            origin = ({"source": data.source.name, "sha256": data.source_sha256,
                       "mapping_report": data.mapping_report or {}} if data.source else None)
            inputs[role] = replace(data, n=len(read_survey_shared(data.path, role, shared, origin=origin)))  # counted
    del read
    release_free_memory()  # what simulating and reading held (500 MB at 100x the study) is the kernels' to use
    return inputs


@contextmanager
def _reading(console: Console | None, path: Path) -> Iterator[None]:
    """A status line while a large data file is read (seen in a terminal; a second or more of work)."""
    size = path.stat().st_size
    if console is None or size < READ_STATUS_BYTES:
        yield
        return
    with console.status(f"reading {path.name} ({size / 1e6:.0f} MB) ..."):
        yield
