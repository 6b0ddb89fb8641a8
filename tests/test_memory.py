"""release_free_memory gives freed heap pages back: the resident size falls to what the process holds."""

import json
import subprocess
import sys

import pytest

from loopbaanleren.memory import _malloc_trim

PATTERN = """
import gc, json
import numpy as np, psutil
from loopbaanleren.memory import release_free_memory

def resident():
    return psutil.Process().memory_info().rss / 2**20

for _ in range(2):  # the first round raises glibc's mmap threshold, so the second's arrays lie on the heap
    large = np.ones(2**21)  # 16 MiB: freed, it raises the threshold (at most 32 MiB) to its size
    del large
    arrays = [np.ones(2**17) for _ in range(300)]  # 300 arrays of 1 MiB
    pinned = [np.ones(10) for _ in range(1000)]  # small blocks after them: the heap cannot shrink by itself
    held = resident()
    del arrays
    gc.collect()
    freed = resident()
print(json.dumps({"held": held, "freed": freed, "released": release_free_memory(), "after": resident()}))
"""


@pytest.mark.skipif(_malloc_trim() is None, reason="the C library has no malloc_trim (not glibc)")
def test_memory_freed_on_the_heap_is_returned():
    # in a fresh interpreter: what this one allocated before would fill the freed blocks
    run = subprocess.run([sys.executable, "-c", PATTERN], capture_output=True, text=True, check=True)
    sizes = json.loads(run.stdout)
    assert sizes["freed"] > sizes["held"] - 50  # glibc kept the freed arrays' pages
    assert sizes["released"] and sizes["after"] < sizes["freed"] - 250
