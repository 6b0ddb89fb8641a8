"""What the planner and the multiverse need of the executor their caller gives them: the protocol the build's
executors (:func:`loopbaanleren.build.executor.make_executor`: this process, local worker processes or a Dask
cluster) satisfy. Robustness runs its tasks on it and starts no workers of its own."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol


class Executor(Protocol):
    """Runs independent tasks: ``map(function, tasks)`` gives ``function(task)`` per task in input order, on
    ``workers`` workers."""

    workers: int

    def map(self, function: Callable, tasks: Sequence) -> list:
        """``function(task)`` for every task, in input order."""
