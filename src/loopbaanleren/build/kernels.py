"""The kernel a notebook runs in: started from preloaded libraries, its own messages to a log file.

**Preloaded.** Every chapter imports the same analysis stack (pandas, statsmodels, SciPy, seaborn, the
package), which takes several seconds per kernel. :class:`PreloadedProvisioner` (a jupyter_client kernel
provisioner) forks each kernel from a server process that has imported the modules of ``preload`` once:
Python's own ``multiprocessing`` fork server, one per process that starts kernels. The kernel is the same
ipykernel with the same arguments, environment and working folder as a kernel started from scratch, in its
own session; only its imports are already done, in a pristine process that has run nothing else. Where the
kernel is not this interpreter's ipykernel, the process may not have children (a daemonic Dask worker), or
a variable read on import (:data:`IMPORT_ENVIRONMENT`) differs from the server's, the kernel is started from
scratch as usual. A forked kernel first moves the preloaded modules' objects out of the garbage collector's
reach (``gc.freeze``): they live as long as the kernel, so no collection (nor the one IPython runs at exit) need
scan them, and their memory stays shared with the server instead of being copied on the collector's first write.

**Prompt.** The build waits for no fixed interval: :class:`PromptKernelClient` is ready when the kernel has
answered (not after 0.2 s without messages), and :class:`LoggedKernelManager` sees the kernel end within 10 ms
(not at the next tenth of a second).

**Logged.** A kernel writes to its inherited standard error what is not a cell's output: the interrupt sent
at every shutdown, or ``asyncio``'s "Task was destroyed but it is pending!" when its event loop closes before
a pending task. A cell's own output reaches the notebook through the kernel's messages, so nothing of the
analysis is lost; a kernel that dies says why in the log, which :func:`log_tail` quotes.

**Private parts of other libraries** are used in this module only: ``atexit._run_exitfuncs``, the fields of
``multiprocessing``'s fork server, a bare ``sys.modules["__main__"]`` while forking, and jupyter_client's
``_async_*`` methods; ``tests/test_kernels.py`` fails when a new version of either library changes one of them.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import logging
import multiprocessing
import os
import sys
import threading
import time
import types
import uuid
from collections.abc import Iterator
from pathlib import Path
from queue import Empty

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner
from traitlets import List, Type, Unicode

from loopbaanleren.build.executor import THREAD_VARIABLES

INLINE_BACKEND = "module://matplotlib_inline.backend_inline"
"""The matplotlib backend ipykernel chooses when ``MPLBACKEND`` is not set (matplotlib reads it on import)."""
IMPORT_ENVIRONMENT = ("PYTHONPATH", "MPLBACKEND", *THREAD_VARIABLES)
"""Variables read when the preloaded modules are imported: a kernel whose values differ from the server's starts
from scratch."""
KERNEL_ENVIRONMENT = {"OPENBLAS_NUM_THREADS": "1"}
"""A kernel's environment unless the build's own says otherwise: the chapters multiply small matrices, and one BLAS
thread per kernel is several times faster than kernels running side by side with a thread per core each."""


class ForkedKernel:
    """A kernel process forked from the preload server, with the part of :class:`subprocess.Popen` that
    :class:`~jupyter_client.provisioning.LocalProvisioner` uses."""

    stdin = stdout = stderr = None

    def __init__(self, process: multiprocessing.Process):
        self._process = process
        self.pid = process.pid

    def poll(self) -> int | None:
        """The exit code, or None while the kernel runs."""
        return None if self._process.is_alive() else self._process.exitcode

    def wait(self) -> int | None:
        """Wait for the kernel to end; its exit code."""
        self._process.join()
        return self._process.exitcode

    def send_signal(self, signum: int) -> None:
        """Send ``signum`` to the kernel; nothing once it has ended (as :class:`subprocess.Popen`)."""
        if self.poll() is None:
            with contextlib.suppress(ProcessLookupError):  # it ended just now
                os.kill(self.pid, signum)

    def terminate(self) -> None:
        """End the kernel (SIGTERM)."""
        self._process.terminate()

    def kill(self) -> None:
        """Kill the kernel (SIGKILL)."""
        self._process.kill()


def _run_kernel(arguments: list[str], env: dict[str, str], cwd: str, log: str | None) -> None:
    """In the forked process: a session of its own, the kernel's environment, folder and stderr; run ipykernel."""
    gc.freeze()  # the preloaded modules' objects (see the module's docstring)
    os.setsid()  # as a kernel started from scratch: Ctrl-C in the terminal reaches the build, not the kernel
    if log:
        descriptor = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        os.dup2(descriptor, 2)
        os.close(descriptor)
    os.environ.clear()
    os.environ.update(env)
    os.chdir(cwd)
    # the kernel ends when its parent, the server, ends (the default is read from the environment on import)
    sys.argv = ["ipykernel_launcher", f"--IPKernelApp.parent_handle={os.getppid()}", *arguments]
    from ipykernel import kernelapp

    try:
        kernelapp.launch_new_instance()
    finally:  # multiprocessing ends the process with os._exit: run what the kernel left for its exit, as Python would
        atexit._run_exitfuncs()


_server_lock = threading.Lock()
_server: dict[str, object] = {}


def _context(preload: list[str], env: dict[str, str]) -> multiprocessing.context.BaseContext | None:
    """The fork-server context of this process, its server started on first use: with the values of
    :data:`IMPORT_ENVIRONMENT` in the kernel environment ``env``, importing ``preload``. None when the server
    runs with other values than ``env`` has."""
    from multiprocessing import forkserver

    with _server_lock:
        if not _server:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["ipykernel.kernelapp", *preload])
            wanted = _import_values(env)
            wanted["MPLBACKEND"] = wanted["MPLBACKEND"] or INLINE_BACKEND  # as ipykernel sets it before matplotlib
            _server.update(context=context, environment=_import_values(env), wanted=wanted)
        saved = {name: os.environ.get(name) for name in IMPORT_ENVIRONMENT}
        try:
            _set_environment(_server["wanted"])  # the server is started with this process's environment
            try:
                forkserver.ensure_running()  # started, or started again if a failed build's clean-up ended it
            except ChildProcessError:  # that clean-up also reaped it: forget it (as ensure_running does), start anew
                _forget_fork_server(forkserver._forkserver)
                forkserver.ensure_running()
        finally:
            _set_environment(saved)
        return _server["context"] if _server["environment"] == _import_values(env) else None


def _forget_fork_server(server) -> None:
    """Clear the state of a ``multiprocessing`` fork server whose process was ended and reaped elsewhere, as
    ``ForkServer.ensure_running`` itself does for one it finds ended (its fields: Python 3.11's)."""
    with contextlib.suppress(OSError, TypeError):
        os.close(server._forkserver_alive_fd)
    server._forkserver_address = server._forkserver_alive_fd = server._forkserver_pid = None


def _import_values(env: dict[str, str]) -> dict[str, str | None]:
    return {name: env.get(name) for name in IMPORT_ENVIRONMENT}


def _set_environment(values: dict[str, str | None]) -> None:
    for name, value in values.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@contextlib.contextmanager
def _bare_main() -> Iterator[None]:
    """Within this block ``__main__`` is an empty module: a forked kernel does not run this process's main script
    again (``multiprocessing`` would, as ``__mp_main__``), it starts from the server's pristine state."""
    main = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = main


def _kernel_arguments(cmd: list[str]) -> list[str] | None:
    """The ipykernel arguments of ``cmd`` when it starts this interpreter's ipykernel, else None."""
    if not cmd or os.path.abspath(cmd[0]) != os.path.abspath(sys.executable):
        return None
    for i in range(1, len(cmd) - 1):
        if cmd[i : i + 2] == ["-m", "ipykernel_launcher"]:
            return cmd[i + 2 :]
        if not cmd[i].startswith("-X"):
            return None
    return None


def _forkable() -> bool:
    return hasattr(os, "fork") and not multiprocessing.current_process().daemon


class PreloadedProvisioner(LocalProvisioner):
    """A :class:`~jupyter_client.provisioning.LocalProvisioner` that forks the kernel from the preload server."""

    async def launch_kernel(self, cmd: list[str], **kwargs):
        """Fork the kernel of ``cmd`` from the server (see the module's docstring), or launch it as usual."""
        arguments = _kernel_arguments(cmd)
        env = dict(kwargs.get("env") or os.environ)
        context = _context(list(getattr(self.parent, "preload", [])), env) if arguments is not None and _forkable() else None
        if context is None:
            return await super().launch_kernel(cmd, **kwargs)
        log = getattr(kwargs.get("stderr"), "name", None)
        cwd = str(kwargs.get("cwd") or Path.cwd())
        process = context.Process(target=_run_kernel, args=(arguments, env, cwd, log if isinstance(log, str) else None))
        with _server_lock, _bare_main():
            process.start()
        self.process = ForkedKernel(process)
        self.pid = self.pgid = process.pid  # the kernel leads its own process group once it has called setsid
        self.cwd = cwd
        return self.connection_info


class PromptKernelClient(AsyncKernelClient):
    """jupyter_client's asynchronous client, ready as soon as the kernel has answered ``kernel_info`` on the shell
    channel and has reported that request done on IOPub, which shows IOPub connected (the base class waits for
    0.2 s without IOPub messages after the reply)."""

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        """Ask for ``kernel_info`` until the kernel answers on both channels; fail if it dies or ``timeout`` passes."""
        deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
        while True:
            request = self.kernel_info()
            try:
                reply = await self._async_recv_reply(request, timeout=1)
            except TimeoutError:
                reply = None
            if reply is not None and await self._idle_after(request, timeout=0.2):
                self._handle_kernel_info_reply(reply)
                return
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:g} seconds")

    async def _idle_after(self, request: str, timeout: float) -> bool:
        """Read IOPub up to the kernel's idle status after ``request``; False if it does not come within ``timeout``
        (IOPub not yet connected: the request is asked again)."""
        end = time.monotonic() + timeout
        while (left := end - time.monotonic()) > 0:
            try:
                msg = await self.iopub_channel.get_msg(timeout=left)
            except Empty:
                return False
            if (msg["parent_header"].get("msg_id") == request and msg["msg_type"] == "status"
                    and msg["content"]["execution_state"] == "idle"):
                return True
        return False


class LoggedKernelManager(AsyncKernelManager):
    """An :class:`~jupyter_client.manager.AsyncKernelManager` whose kernel writes its standard error to ``log_file``
    and is forked from preloaded modules (``preload``, see the module's docstring); its client is a
    :class:`PromptKernelClient`."""

    log_file = Unicode("", config=True, help="The file the kernel's standard error goes to (appended).")
    preload = List(Unicode(), config=True, help="Modules the kernel's fork server imports before any kernel starts.")
    client_factory = Type(PromptKernelClient, klass=AsyncKernelClient)

    async def _async_finish_shutdown(self, waittime: float | None = None, pollinterval: float = 0.01,
                                     restart: bool = False) -> None:
        """Wait for the kernel to end as the base class does, looking every 10 ms instead of every 100 ms."""
        await super()._async_finish_shutdown(waittime, pollinterval, restart)

    async def _async_pre_start_kernel(self, **kw):
        if self.provisioner is None:  # as the base class would, with this provisioner instead of the kernel spec's
            self.kernel_id = self.kernel_id or kw.pop("kernel_id", None) or str(uuid.uuid4())
            self.provisioner = PreloadedProvisioner(
                kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self
            )
        return await super()._async_pre_start_kernel(**kw)

    async def start_kernel(self, **kw):
        """Start the kernel as :class:`~jupyter_client.manager.AsyncKernelManager` does, its stderr to the log and
        :data:`KERNEL_ENVIRONMENT` in its environment."""
        kw["env"] = {**KERNEL_ENVIRONMENT, **(kw.get("env") or os.environ)}
        if self.log_file:
            Path(self.log_file).parent.mkdir(parents=True, exist_ok=True)
            with open(self.log_file, "ab") as log:  # the child keeps its own copy of the descriptor
                return await super().start_kernel(**{"stderr": log, **kw})
        return await super().start_kernel(**kw)


def quiet_papermill() -> None:
    """Keep papermill's log lines ("Kernel died while waiting ...") off stderr in any process, workers too.

    The build reports a failure once, in its own words; a handler on papermill's logger means Python's
    last-resort handler (which prints to stderr) is not used. A logging configuration of the user's still sees
    them, through the root logger.
    """
    logger = logging.getLogger("papermill")
    if not any(isinstance(handler, logging.NullHandler) for handler in logger.handlers):
        logger.addHandler(logging.NullHandler())


def log_tail(path: Path, lines: int = 5) -> str:
    """The last ``lines`` non-empty lines of a kernel log, or "" when there is none.

    >>> import tempfile
    >>> log = Path(tempfile.mkdtemp()) / "k.log"
    >>> _ = log.write_text("a\\n\\nb\\nc\\n")
    >>> log_tail(log, 2)
    'b\\nc'
    >>> log_tail(log.with_name("none.log"))
    ''
    """
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return "\n".join([line for line in text.splitlines() if line.strip()][-lines:])
