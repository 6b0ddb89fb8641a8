"""release_free_memory gives freed heap pages back: the resident size falls to what the process holds."""

import json
import subprocess
import sys

import pytest

from loopbaanleren.build.memory import _malloc_trim

PATTERN = """
import ctypes, gc, json
import numpy as np, psutil
from loopbaanleren.build.memory import release_free_memory

def resident():
    return psutil.Process().memory_info().rss / 2**20

libc = ctypes.CDLL(None)
libc.mallopt(-3, 64 * 2**20)  # M_MMAP_THRESHOLD: arrays below 64 MiB on the heap (as after freeing large ones)
libc.mallopt(-1, 2**30)  # M_TRIM_THRESHOLD: the heap's top is not trimmed by itself
arrays, pinned = [], []
for _ in range(300):  # 1 MiB arrays, each followed by a small block that stays
    arrays.append(np.ones(2**17))
    pinned.append(bytearray(4096))
held = resident()
del arrays
gc.collect()
freed = resident()  # the heap cannot shrink past the small blocks: the freed pages stay resident
print(json.dumps({"held": held, "freed": freed, "released": release_free_memory(), "after": resident()}))
"""


@pytest.mark.skipif(_malloc_trim() is None, reason="the C library has no malloc_trim (not glibc)")
def test_memory_freed_on_the_heap_is_returned():
    # in a fresh interpreter: what this one allocated before would fill the freed blocks
    run = subprocess.run([sys.executable, "-c", PATTERN], capture_output=True, text=True, check=True)
    sizes = json.loads(run.stdout)
    assert sizes["freed"] > sizes["held"] - 50  # glibc kept the freed arrays' pages
    assert sizes["released"] and sizes["after"] < sizes["freed"] - 250
