"""Limits checked before any work starts: memory for simulated and read data, disk space for what is written.

A build or command that would exhaust the machine's memory is refused at once with one line saying the limit and
how to go beyond it, instead of being killed by the operating system minutes later; one that would fill the disk
says so before it writes. The estimates are measured, generous figures (see each constant):

* simulating costs about :data:`SIMULATION_BYTES` of memory per respondent, and writes about
  :data:`WRITTEN_BYTES` per respondent to disk (``.csv`` and ``.sav``);
* reading a data file costs about :data:`TEXT_FACTOR` times its size for a text file, and
  :data:`CELL_BYTES` per cell a compressed file (``.zsav``, ``.xlsx``) *declares* (rows times columns, read from its
  header without unpacking it), or :data:`TEXT_FACTOR` times a worksheet's declared uncompressed size.

The memory budget is half of what the operating system reports available (``psutil``; the notebooks' kernels
hold the data too); ``LOOPBAANLEREN_MEMORY_LIMIT`` (bytes) sets a smaller one, e.g. for a test or a shared machine.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import zipfile
from pathlib import Path

from loopbaanleren.errors import InputError, ParameterError

MEMORY_VARIABLE = "LOOPBAANLEREN_MEMORY_LIMIT"
SIMULATION_BYTES = 4_000
"""Memory per simulated respondent: measured 2.2 kB (370 MB for 48,200 students and 3,710 counsellors against 268 MB
for a tenth of that), doubled."""
WRITTEN_BYTES = 2_000
"""Disk space per simulated respondent: measured 0.94 kB (44 MB for 48,200 students and 3,710 counsellors), doubled."""
TEXT_FACTOR = 15
"""Memory per byte of a text file read (the bytes, the decoded text, every cell as a Python string): measured 7.7
(a CSV of 70 MB, 202,440 students, read and validated in 674 MB), doubled."""
CELL_BYTES = 60
"""Memory per cell of a statistical or Excel file read: measured 30 bytes (a .zsav of 202,440 rows of 86 columns read
and validated in 655 MB), doubled."""
MEMORY_SHARE = 2
"""The data may take 1/MEMORY_SHARE of the memory available: the notebooks' kernels hold them too."""
BOOK_BYTES = 60_000_000
"""Disk space of a new book and its results (measured 28 MB), doubled: they are written before the previous ones go."""
SCRATCH_BYTES = 100_000_000
"""Disk space of a build's scratch folder and new cache entries (measured 51 MB and 11 MB), with room to spare."""


def megabytes(size: float) -> str:
    """A size in MB or GB, for a message.

    >>> megabytes(4.4e6), megabytes(3.2e12)
    ('4.4 MB', '3,200 GB')
    """
    return f"{size / 1e9:,.0f} GB" if size >= 1e10 else f"{size / 1e9:.1f} GB" if size >= 1e9 else f"{size / 1e6:.1f} MB"


def memory_budget() -> int:
    """Bytes of memory simulating or reading data may take: half of what the system reports available (the
    notebooks' kernels need the rest), or ``LOOPBAANLEREN_MEMORY_LIMIT`` when that is smaller."""
    import psutil

    available = psutil.virtual_memory().available // MEMORY_SHARE
    limit = os.environ.get(MEMORY_VARIABLE, "")
    return min(available, int(limit)) if limit.isdigit() else available


def check_simulation(n_students: int, n_counsellors: int) -> None:
    """Raise ParameterError when simulating these numbers of respondents would not fit in memory."""
    needed = (n_students + n_counsellors) * SIMULATION_BYTES
    budget = memory_budget()
    if needed > budget:
        most = budget // SIMULATION_BYTES
        raise ParameterError(
            f"n_students/n_counsellors: simulating {n_students:,} students and {n_counsellors:,} counsellors needs "
            f"about {megabytes(needed)} of memory; {megabytes(budget)} may be used here, enough for about {most:,} "
            "respondents. Simulate fewer, or build on a machine with more memory (the notebooks themselves can run "
            "on a Dask cluster, --scheduler, but the data are simulated and read on this machine)"
        )


def check_disk(folder: Path, needed: int, what: str) -> None:
    """Raise OSError(ENOSPC) naming ``folder`` and the space needed when its disk has less than ``needed`` free."""
    existing = next((p for p in (folder, *folder.parents) if p.exists()), None)
    if existing is None:
        return
    free = shutil.disk_usage(existing).free
    if free < needed:
        raise OSError(
            errno.ENOSPC,
            f"No space left on device: {what} needs about {megabytes(needed)}, {megabytes(free)} free",
            str(folder),
        )


def read_estimate(path: Path) -> tuple[int, str]:
    """Bytes of memory reading ``path`` would take, and how that was found (for the message)."""
    size = path.stat().st_size
    suffix = path.suffix.lower()
    if suffix == ".xlsx" and zipfile.is_zipfile(path):
        return _xlsx_estimate(path, size)
    if suffix in (".sav", ".zsav", ".por", ".dta"):
        cells = _declared_cells(path, suffix)
        if cells is not None:
            rows, columns = cells
            return max(rows * columns * CELL_BYTES, size * 4), f"it declares {rows:,} rows of {columns:,} columns"
    return size * TEXT_FACTOR, f"it holds {megabytes(size)}"


def _declared_cells(path: Path, suffix: str) -> tuple[int, int] | None:
    """Rows and columns a statistical file declares in its header (None when it declares no row count)."""
    import pyreadstat

    reader = {".sav": pyreadstat.read_sav, ".zsav": pyreadstat.read_sav, ".por": pyreadstat.read_por,
              ".dta": pyreadstat.read_dta}[suffix]
    try:
        _, meta = reader(path, metadataonly=True)
    except Exception:  # an unreadable file: reading it says why
        return None
    rows, columns = meta.number_rows, meta.number_columns
    return (rows, columns) if isinstance(rows, int) and rows >= 0 and isinstance(columns, int) else None


_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="[A-Z]*\d*:?([A-Z]+)(\d+)"')


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def _xlsx_estimate(path: Path, size: int) -> tuple[int, str]:
    """An Excel workbook's estimate: its worksheets' declared uncompressed size, and the first one's dimension."""
    with zipfile.ZipFile(path) as archive:
        sheets = [info for info in archive.infolist() if info.filename.startswith("xl/worksheets/")]
        unpacked = sum(info.file_size for info in sheets)
        estimate, why = max(size, unpacked) * TEXT_FACTOR, f"its worksheets unpack to {megabytes(unpacked)}"
        first = min(sheets, key=lambda info: info.filename, default=None)
        if first is not None:
            with archive.open(first) as fh:
                head = fh.read(4096)
            found = _DIMENSION.search(head)
            if found:
                rows, columns = int(found.group(2)), _column_number(found.group(1).decode())
                if rows * columns * CELL_BYTES > estimate:
                    estimate, why = rows * columns * CELL_BYTES, f"its first sheet declares {rows:,} rows of {columns:,} columns"
    return estimate, why


def check_readable(path: Path) -> None:
    """Raise InputError when reading the data file ``path`` would not fit in memory (see the module's docstring)."""
    needed, why = read_estimate(path)
    budget = memory_budget()
    if needed > budget:
        raise InputError(
            f"{path.name}: too large to read here: {why}, which takes about {megabytes(needed)} of memory; "
            f"{megabytes(budget)} may be used here (half the memory available). Read it on a machine with more "
            "memory, or split it"
        )
