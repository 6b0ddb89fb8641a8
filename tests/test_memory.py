"""release_free_memory gives freed heap pages back: the resident size falls to what the process holds."""

import gc

import numpy as np
import psutil
import pytest

from loopbaanleren.memory import _malloc_trim, release_free_memory


def _resident_mib() -> float:
    return psutil.Process().memory_info().rss / 2**20


@pytest.mark.skipif(_malloc_trim() is None, reason="the C library has no malloc_trim (not glibc)")
def test_memory_freed_on_the_heap_is_returned():
    for _ in range(2):  # the first round raises glibc's mmap threshold, so the second's arrays lie on the heap
        large = np.ones(2**22)  # 32 MiB
        del large
        arrays = [np.ones(2**17) for _ in range(300)]  # 300 arrays of 1 MiB
        pinned = [np.ones(10) for _ in range(1000)]  # small blocks after them: the heap cannot shrink by itself
        held = _resident_mib()
        del arrays
        gc.collect()
        freed = _resident_mib()
    assert release_free_memory()
    assert _resident_mib() < min(held, freed) - 200
    del pinned
