"""Interruption by SIGINT or SIGTERM: one exception in the main thread, and no child process left behind.

``handling()`` installs handlers for SIGINT and SIGTERM whatever disposition the process inherited (a CI
runner, or ``cmd &`` in a script, starts it with SIGINT ignored). The first signal stops every descendant
process (papermill kernels, each in a session of its own; worker processes; Jupyter Book) and raises
``Interrupted`` in the main thread; leaving ``handling()`` with it, children still alive are killed after a
short grace period. ``deferred()`` holds a signal back during the few renames of a swap. Notebook kernels are
started by nbclient on an event loop that refuses signal handlers (nbclient's own would replace these, and
reset SIGTERM to its default afterwards).

Worker processes (e.g. of a ``concurrent.futures.ProcessPoolExecutor``) need nothing: they are descendants and
are stopped with the rest; ``worker_setup``, which the local executor's initializer calls, lets them leave
Ctrl-C to the build.

``checkpoint(name)`` is for the tests: with ``LOOPBAANLEREN_TEST_PAUSE_AT=name`` in the environment the build
prints ``pause: name`` on stdout at that point and waits there (at most a minute) for a signal.

>>> str(Interrupted(signal.SIGTERM, "het vorige boek en results/ zijn ongewijzigd"))
'loopbaanleren: onderbroken (SIGTERM); het vorige boek en results/ zijn ongewijzigd'
>>> Interrupted(signal.SIGINT).exit_code
130
"""

from __future__ import annotations

import asyncio
import atexit
import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import psutil

KEPT_NOTE = "het vorige boek en results/ zijn ongewijzigd"
"""What an interrupted build says when it stopped before the swap."""
PUBLISHED_NOTE = "het nieuwe boek en results/ stonden al op hun plaats"
"""What it says when the signal came during the swap (held back until the renames were done)."""

SIGNALS = (signal.SIGINT, signal.SIGTERM)
PAUSE_VARIABLE = "LOOPBAANLEREN_TEST_PAUSE_AT"
PAUSE_LIMIT = 60.0
GRACE = 1.0
"""Seconds a child has to end after SIGTERM before it is killed."""
FORCED_EXIT = 3.0
"""Seconds after the signal at which a command (``handling(exit_on_hang=True)``) ends whatever still runs."""


class Interrupted(BaseException):
    """The build was stopped by a signal (a BaseException, so ``except Exception`` does not swallow it)."""

    def __init__(self, signum: int, note: str = "") -> None:
        super().__init__(signum)
        self.signum = signum
        self.note = note

    @property
    def exit_code(self) -> int:
        """128 + the signal's number, as a shell reports a process ended by it: 130 for SIGINT, 143 for SIGTERM."""
        return 128 + self.signum

    def __str__(self) -> str:
        name = signal.Signals(self.signum).name
        return f"loopbaanleren: onderbroken ({name})" + (f"; {self.note}" if self.note else "")


class _State:
    def __init__(self) -> None:
        self.depth = 0  # nesting of handling()
        self.deferring = 0  # nesting of deferred()
        self.pending: int | None = None  # a signal held back by deferred()
        self.raised: Interrupted | None = None  # the interruption under way
        self.exit_on_hang = False
        self.wake = threading.Event()
        self.report_lock = threading.Lock()
        self.reported = False


_state = _State()


# ------------------------------------------------------------------------------------------- children


def _descendants() -> list[psutil.Process]:
    import psutil  # loaded by handling() before any signal arrives; not at start-up (the CLI's --help)

    try:
        return psutil.Process().children(recursive=True)
    except psutil.Error:
        return []


def _signal_children(signum: int, keep: frozenset[int] = frozenset()) -> list[psutil.Process]:
    """Send ``signum`` to every descendant (but those in ``keep``), and to the process group of each one that leads
    a group of its own (a kernel's own children); never to this process's group. Returns the descendants found."""
    import psutil

    own = os.getpgrp()
    found = [child for child in _descendants() if child.pid not in keep]
    for child in found:
        try:
            group = os.getpgid(child.pid)
            if group != own and group == child.pid:
                os.killpg(group, signum)
            else:
                child.send_signal(signum)
        except (OSError, psutil.Error):
            pass  # already gone
    return found


def terminate_children(grace: float = GRACE, keep: frozenset[int] = frozenset()) -> None:
    """End every descendant process (but those in ``keep``): SIGTERM, then SIGKILL for those still alive after
    ``grace`` seconds. All are found before any is signalled, so a worker's own children (a fork server, its
    kernels) are ended too, not orphaned."""
    import psutil

    for _ in range(3):  # a pool may start a replacement worker while its workers end
        found = _signal_children(signal.SIGTERM, keep)
        if not found:
            return
        _, alive = psutil.wait_procs(found, timeout=grace)
        for child in alive:
            try:
                group = os.getpgid(child.pid)
                if group != os.getpgrp() and group == child.pid:
                    os.killpg(group, signal.SIGKILL)
                child.kill()
            except (OSError, psutil.Error):
                pass
        psutil.wait_procs(alive, timeout=grace)


def helpers() -> frozenset[int]:
    """This process's own helper processes, which end when it ends: ``multiprocessing``'s fork server and resource
    tracker (started by :mod:`loopbaanleren.build.kernels` and kept from build to build in one process)."""
    from multiprocessing import forkserver, resource_tracker

    pids = (getattr(forkserver._forkserver, "_forkserver_pid", None), getattr(resource_tracker._resource_tracker, "_pid", None))
    return frozenset(pid for pid in pids if pid)


def end_children_since(before: frozenset[int]) -> None:
    """End the descendants started since ``before`` (their process ids) was taken, but this process's helpers
    (:func:`helpers`): kernels, workers, and a worker's fork server with its kernels."""
    terminate_children(keep=before | helpers())


def children_now() -> frozenset[int]:
    """The process ids of this process's descendants (for :func:`end_children_since`)."""
    return frozenset(child.pid for child in _descendants())


def worker_setup() -> None:
    """Initializer for worker processes: Ctrl-C in a terminal reaches the whole process group, but it is the
    build that decides; SIGTERM (sent by the build) ends a worker at once."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


# ------------------------------------------------------------------------------------------- signals


def _interrupt(signum: int, note: str = "") -> Interrupted:
    """Start stopping: the exception to raise; children get SIGTERM now; a command gets a forced exit later."""
    _state.raised = Interrupted(signum, note)
    _signal_children(signal.SIGTERM)
    if _state.exit_on_hang:
        timer = threading.Timer(FORCED_EXIT, _forced_exit)
        timer.daemon = True
        timer.start()
    return _state.raised


def _handle(signum: int, frame: object) -> None:
    if _state.deferring:
        _state.pending = _state.pending or signum
        _state.wake.set()
        return
    if _state.raised is not None:
        return  # already stopping: a second signal does not break off the clean-up
    raise _interrupt(signum)


def _forced_exit() -> None:
    """The clean-up took too long (a library waiting on a child, say): kill everything and exit."""
    _signal_children(signal.SIGKILL)
    exc = _state.raised or Interrupted(signal.SIGTERM)
    report(exc)
    os._exit(exc.exit_code)


def report(exc: Interrupted) -> int:
    """Print the interruption's one line on stderr (once per process); return its exit code."""
    with _state.report_lock:
        if not _state.reported:
            _state.reported = True
            try:
                sys.stdout.flush()
            except (OSError, ValueError):
                pass
            print(exc, file=sys.stderr, flush=True)
    return exc.exit_code


def exit_now(code: int) -> None:
    """End the process with ``code`` after the exit handlers (nbclient's removes a kernel's connection file),
    without the interpreter's final garbage collection: the sockets of a kernel stopped mid-notebook can hold
    that up for seconds."""
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(code)


class _SignalFreeLoop(asyncio.SelectorEventLoop):
    """An event loop that refuses handlers for SIGINT and SIGTERM: ``handling()`` keeps them."""

    def add_signal_handler(self, sig, callback, *args):  # noqa: ANN001, ANN201
        if sig in SIGNALS:
            raise RuntimeError("SIGINT and SIGTERM are handled by loopbaanleren.build.interrupt")
        return super().add_signal_handler(sig, callback, *args)

    def remove_signal_handler(self, sig):  # noqa: ANN001, ANN201
        return False if sig in SIGNALS else super().remove_signal_handler(sig)


class _SignalFreePolicy(asyncio.DefaultEventLoopPolicy):
    def new_event_loop(self) -> asyncio.AbstractEventLoop:
        return _SignalFreeLoop()


@contextmanager
def handling(*, exit_on_hang: bool = False) -> Iterator[None]:
    """Turn SIGINT and SIGTERM into ``Interrupted`` in the main thread for the duration of the block.

    On leaving the block by an interruption (or a ``KeyboardInterrupt``, raised as ``Interrupted``), every child
    process is ended. ``exit_on_hang`` (for a command that owns its process): if the clean-up has not ended the
    process ``FORCED_EXIT`` seconds after the signal, it is ended then. Nested blocks share the outermost one's
    handlers; outside the main thread the block does nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    import psutil  # noqa: F401  (imported now, so that a signal handler never imports)

    outermost = _state.depth == 0
    if outermost:
        _state.raised, _state.pending, _state.reported = None, None, False
        _state.exit_on_hang = exit_on_hang
        previous = {signum: signal.signal(signum, _handle) for signum in SIGNALS}
        policy = asyncio.get_event_loop_policy()
        asyncio.set_event_loop_policy(_SignalFreePolicy())
    _state.depth += 1
    try:
        yield
    except KeyboardInterrupt:  # SIGINT after a library restored Python's default handler
        exc = _state.raised or _interrupt(signal.SIGINT)
        terminate_children()
        raise exc from None
    except Interrupted:
        terminate_children()
        raise
    finally:
        _state.depth -= 1
        if outermost:
            asyncio.set_event_loop_policy(policy)
            for signum, handler in previous.items():
                signal.signal(signum, handler if handler is not None else signal.SIG_DFL)


@contextmanager
def deferred(note: str = "") -> Iterator[None]:
    """Hold SIGINT and SIGTERM back inside the block; a signal that came meanwhile is raised after it, as
    ``Interrupted`` with ``note`` (of the outermost deferred block)."""
    _state.deferring += 1
    try:
        yield
    finally:
        _state.deferring -= 1
    if not _state.deferring and _state.pending is not None:
        signum, _state.pending = _state.pending, None
        raise _interrupt(signum, note)


def checkpoint(name: str) -> None:
    """For the tests: with ``LOOPBAANLEREN_TEST_PAUSE_AT=name``, print ``pause: name`` and wait for a signal."""
    if os.environ.get(PAUSE_VARIABLE) != name:
        return
    _state.wake.clear()
    print(f"pause: {name}", flush=True)
    if _state.pending is None:
        _state.wake.wait(PAUSE_LIMIT)  # the handler raises here, or (deferred) sets wake
