"""Give the memory that finished work freed back to the operating system.

glibc's ``malloc`` keeps freed blocks below its mmap threshold in the process heap, and that threshold grows (up to
32 MB on 64-bit Linux) each time a larger array is freed. A worker process that runs analysis after analysis
therefore stays at the size of its largest moment, several hundred MB more than it holds, although every
analysis frees what it allocated. :func:`release_free_memory` returns those free pages (``malloc_trim``).
"""

from __future__ import annotations

import ctypes
import functools
from collections.abc import Callable


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return getattr(ctypes.CDLL(None), "malloc_trim", None)
    except OSError:  # no C library to load: nothing to trim
        return None


def release_free_memory() -> bool:
    """Return the heap's free pages to the operating system; False where the C library cannot (not glibc).

    Called by a worker between tasks (:func:`loopbaanleren.robustness.multiverse.run_batch`) and by the build once the
    data are prepared (:func:`loopbaanleren.build.inputs.prepare_inputs`); tested in ``tests/test_memory.py``.
    """
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True
