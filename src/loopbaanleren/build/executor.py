"""Run independent tasks concurrently and get their results back in input order.

One service for every part of the compendium that has independent work (the build's notebooks now, a
Monte Carlo planner's replications later): :func:`make_executor` gives

* a :class:`SerialExecutor` for ``jobs=1`` (in this process, one task after another, as a plain loop);
* a :class:`LocalExecutor` for ``jobs>1``: local worker processes (``concurrent.futures``);
* a :class:`DaskExecutor` when a scheduler address is given: the tasks run on that Dask distributed
  cluster (``dask.distributed.Client``). Its workers must see the same files as this process (a shared
  file system) and have the package installed.

Each executor has ``map(function, tasks)``, which returns ``function(task)`` for every task in the order of
``tasks`` (whatever the order they finish in), and ``shutdown(cancel=True)``, which cancels what has not
started and stops the workers (what an interrupted build calls). A task's exception is raised by ``map``
after the tasks not yet started are cancelled. ``map(function, tasks, done)`` also calls ``done(index, result)``
here, in this process, as each task finishes (so what is done is kept when the rest is interrupted); an
exception from ``done`` ends ``map`` as a task's would. ``function`` and the tasks must be picklable (a function
defined at module level), except for the serial executor.

Examples
--------
>>> with make_executor(jobs=1) as executor:
...     executor.map(abs, [-2, 1, -3])
[2, 1, 3]
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from typing import Any, Protocol, TypeVar

from loopbaanleren.build import interrupt
from loopbaanleren.errors import ParameterError

Task = TypeVar("Task")
Result = TypeVar("Result")
Done = Callable[[int, Any], object]
"""Called with a task's index and result as the task finishes."""


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class Executor(Protocol):
    """Runs independent tasks; results in input order."""

    workers: int

    def map(
        self, function: Callable[[Task], Result], tasks: Iterable[Task], done: Done | None = None
    ) -> list[Result]:
        """``function(task)`` for every task, in input order; ``done(index, result)`` here as each finishes."""

    def shutdown(self, cancel: bool = True) -> None:
        """Stop the workers; with ``cancel``, drop the tasks not started and end those running."""


class _Closing:
    def __enter__(self):
        return self

    def __exit__(self, kind, *_):
        self.shutdown(cancel=kind is not None)


class SerialExecutor(_Closing):
    """The tasks in this process, one after another."""

    workers = 1

    def map(self, function: Callable[[Task], Result], tasks: Iterable[Task], done: Done | None = None) -> list[Result]:
        """``function(task)`` for each task in turn; ``done(index, result)`` after each."""
        results = []
        for index, task in enumerate(tasks):
            results.append(function(task))
            if done is not None:
                done(index, results[-1])
        return results

    def shutdown(self, cancel: bool = True) -> None:
        """Nothing to stop: the tasks ran in this process."""


THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
"""The variables that say how many threads BLAS and OpenMP start (read when the library loads)."""


def _worker_setup(threads: int) -> None:
    """A local worker's initializer: signals as :func:`interrupt.worker_setup` sets them, and, unless the environment
    says otherwise (:data:`THREAD_VARIABLES`), at most ``threads`` BLAS and OpenMP threads. Workers side by side that
    each start a thread per core take turns on the cores: the multiverse's small matrices took three times as long."""
    from threadpoolctl import threadpool_limits

    interrupt.worker_setup()
    if not any(name in os.environ for name in THREAD_VARIABLES):
        os.environ.update(dict.fromkeys(THREAD_VARIABLES, str(threads)))  # the libraries loaded from now on
        threadpool_limits(threads)  # those loaded already (by the imports of the main module)


class LocalExecutor(_Closing):
    """The tasks in up to ``jobs`` local worker processes (started fresh, not forked from this process), each with
    its share of the cores for BLAS threads."""

    def __init__(self, jobs: int):
        self.workers = jobs
        self._pool: ProcessPoolExecutor | None = None

    def map(self, function: Callable[[Task], Result], tasks: Iterable[Task], done: Done | None = None) -> list[Result]:
        """``function(task)`` for every task in the worker processes (started on first use), in input order.

        When a task fails, those not started are cancelled, those running are awaited, and the first failure in
        input order is raised.
        """
        tasks = list(tasks)
        if not tasks:
            return []
        if self._pool is None:
            context = multiprocessing.get_context("spawn")  # no copy of this process's threads and state
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers, mp_context=context, initializer=_worker_setup,
                initargs=(max(1, default_jobs() // self.workers),),
            )
        futures = [self._pool.submit(function, task) for task in tasks]
        index = {future: i for i, future in enumerate(futures)}
        pending, failed = set(futures), False
        while pending:
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in sorted(finished, key=index.__getitem__):
                if future.cancelled():
                    continue
                if future.exception() is not None:
                    if not failed:  # a task failed: cancel those not started, wait for those running
                        failed = True
                        for other in pending:
                            other.cancel()
                elif done is not None:
                    done(index[future], future.result())
        for future in futures:  # the first failure in input order
            if not future.cancelled() and future.exception() is not None:
                raise future.exception()
        return [future.result() for future in futures]

    def shutdown(self, cancel: bool = True) -> None:
        """Stop the workers; with ``cancel``, drop queued tasks and terminate the running ones."""
        pool, self._pool = self._pool, None
        if pool is None:
            return
        if cancel:
            processes = list((getattr(pool, "_processes", None) or {}).values())
            manager = getattr(pool, "_executor_manager_thread", None)
            pool.shutdown(wait=False, cancel_futures=True)
            for process in processes:
                if process.is_alive():
                    process.terminate()
            # the pool's own thread reaps the workers (two threads waiting for one process race): wait for it;
            # a worker still starting may ignore SIGTERM (inherited) until its set-up ran, so it is killed
            if manager is not None:
                manager.join(timeout=interrupt.GRACE)
            for process in processes:
                if process.is_alive():
                    process.kill()
                    process.join(timeout=interrupt.GRACE)
            if manager is not None:
                manager.join(timeout=interrupt.GRACE)
        else:
            pool.shutdown(wait=True)


class DaskExecutor(_Closing):
    """The tasks on the Dask distributed cluster at ``address`` (or a ``distributed.Client`` given)."""

    def __init__(self, address: Any):
        from distributed import Client

        try:
            self._client = address if isinstance(address, Client) else Client(address, timeout="10s")
        except (OSError, TimeoutError, ValueError) as exc:
            raise ParameterError(f"scheduler: cannot connect to the Dask scheduler at {address}: {exc}") from None
        self._owned = not isinstance(address, Client)
        self.workers = max(1, len(self._client.scheduler_info().get("workers", {})))
        self._futures: list = []

    def map(self, function: Callable[[Task], Result], tasks: Iterable[Task], done: Done | None = None) -> list[Result]:
        """``function(task)`` for every task on the cluster (never from its memory), in input order.

        A failure cancels the tasks still on the cluster and is raised.
        """
        from distributed import as_completed

        tasks = list(tasks)
        if not tasks:
            return []
        # pure=False: a task is run each time it is asked for, never taken from the cluster's memory
        self._futures = self._client.map(function, tasks, pure=False)
        index = {future.key: i for i, future in enumerate(self._futures)}
        try:
            if done is not None:
                for future in as_completed(self._futures):
                    if future.status != "finished":
                        break  # a failure: gather raises it (the first in input order)
                    done(index[future.key], future.result())
            return self._client.gather(self._futures, errors="raise")
        except BaseException:
            self._client.cancel(self._futures)
            raise
        finally:
            self._futures = []

    def shutdown(self, cancel: bool = True) -> None:
        """With ``cancel``, cancel the tasks on the cluster; close the client this executor opened."""
        if cancel and self._futures:
            self._client.cancel(self._futures)
        if self._owned:
            self._client.close()


def make_executor(jobs: int | None = None, scheduler: Any = None) -> SerialExecutor | LocalExecutor | DaskExecutor:
    """The executor for ``jobs`` local workers (default: all cores), or for the Dask ``scheduler`` given."""
    if scheduler:
        return DaskExecutor(scheduler)
    jobs = default_jobs() if jobs is None else jobs
    if jobs < 1:
        raise ParameterError(f"jobs: must be at least 1, got {jobs}")
    return SerialExecutor() if jobs == 1 else LocalExecutor(jobs)


def run_tasks(function: Callable[[Task], Result], tasks: Sequence[Task], executor: Executor | None = None) -> list[Result]:
    """``function(task)`` for every task, in input order, on ``executor`` (default: all local cores)."""
    if executor is not None:
        return executor.map(function, tasks)
    with make_executor(min(default_jobs(), max(1, len(tasks)))) as local:
        return local.map(function, tasks)
