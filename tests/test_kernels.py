"""The kernel a notebook runs in (loopbaanleren.build.kernels): forked from the preload server, ready when it answers."""

import asyncio
import atexit
import inspect
import multiprocessing
import os
import signal
import sys
import types
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from loopbaanleren.build.kernels import LoggedKernelManager, PromptKernelClient


async def _run(code: str, tmp_path: Path, kill_first: bool = False) -> str:
    manager = LoggedKernelManager(kernel_name="python3", log_file=str(tmp_path / "kernel.log"), preload=["json"],
                                  transport="ipc", ip=str(tmp_path / "kernel"))
    await manager.start_kernel(cwd=str(tmp_path))
    client = manager.client()
    client.start_channels()
    outputs: list = []
    try:
        assert isinstance(client, PromptKernelClient)
        if kill_first:
            os.kill(manager.provisioner.pid, signal.SIGKILL)
            await asyncio.sleep(0.5)
        await client.wait_for_ready(timeout=30)
        reply = await client.execute_interactive(code, timeout=30, output_hook=outputs.append)
        assert reply["content"]["status"] == "ok"
        return "".join(m["content"].get("text", "") for m in outputs if m["msg_type"] == "stream")
    finally:
        client.stop_channels()
        await manager.shutdown_kernel(now=kill_first)


FORKED = "import gc, os, sys; print('json' in sys.modules, gc.get_freeze_count() > 0, os.getcwd())"
"""Prints whether the preloaded module is there, whether the kernel froze its objects (it was forked) and its folder."""


def _twice(tmp_path: str) -> tuple[str, str]:
    """In a process of its own: a kernel, then one whose ``OMP_NUM_THREADS`` (read on import) differs from the
    server's. Its own process, because the fork server lives as long as the process that started it: an earlier
    test's build started one, and Dask's nanny sets ``OMP_NUM_THREADS`` in the process that runs it."""
    for name in ("first", "second"):
        Path(tmp_path, name).mkdir()
    first = asyncio.run(_run(FORKED, Path(tmp_path, "first")))
    os.environ["OMP_NUM_THREADS"] = "3" if os.environ.get("OMP_NUM_THREADS") != "3" else "2"
    return first, asyncio.run(_run(FORKED, Path(tmp_path, "second")))


def test_a_kernel_is_forked_from_the_server_with_its_objects_frozen_unless_its_import_environment_differs(tmp_path):
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as fresh:
        forked, from_scratch = fresh.submit(_twice, str(tmp_path)).result()
    assert forked.split() == ["True", "True", str(tmp_path / "first")]
    assert from_scratch.split() == ["True", "False", str(tmp_path / "second")]


def test_waiting_for_a_dead_kernel_fails_at_once(tmp_path):
    with pytest.raises(RuntimeError, match="Kernel died before replying to kernel_info"):
        asyncio.run(_run("print(1)", tmp_path, kill_first=True))


def test_a_fork_server_ended_and_reaped_elsewhere_is_started_again():
    """A failed build's clean-up may end and reap the kernels' fork server (its pid then is no child of ours):
    the next kernel starts a new server instead of failing on ``os.waitpid``. Run in a process of its own, so
    no fork server outlives it in the test process."""
    import subprocess

    script = (
        "import os, signal\n"
        "from multiprocessing import forkserver\n"
        "from loopbaanleren.build import kernels\n"
        "kernels._context([], dict(os.environ))\n"
        "pid = forkserver._forkserver._forkserver_pid\n"
        "os.kill(pid, signal.SIGTERM); os.waitpid(pid, 0)\n"
        "kernels._context([], dict(os.environ))\n"
        "new = forkserver._forkserver._forkserver_pid\n"
        "os.kill(new, 0)\n"
        "print(pid != new)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "True"


def _parameters(function) -> list[str]:
    return list(inspect.signature(function).parameters)


def test_the_private_apis_the_kernels_rely_on_are_as_they_use_them():
    """kernels.py is the one module that uses private parts of the standard library and jupyter_client; this fails
    when a new version changes one of them (then kernels.py must change with it)."""
    from jupyter_client.asynchronous import AsyncKernelClient
    from jupyter_client.manager import AsyncKernelManager
    from multiprocessing import forkserver, spawn

    assert callable(atexit._run_exitfuncs)
    server = forkserver._forkserver
    assert {"_forkserver_address", "_forkserver_alive_fd", "_forkserver_pid"} <= set(vars(server))
    # a bare __main__ (kernels._bare_main) leaves the main script out of what a forked child prepares
    main = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        prepared = spawn.get_preparation_data("probe")
    finally:
        sys.modules["__main__"] = main
    assert not {"init_main_from_path", "init_main_from_name"} & set(prepared)
    assert _parameters(AsyncKernelClient._async_recv_reply)[:3] == ["self", "msg_id", "timeout"]
    assert _parameters(AsyncKernelClient._handle_kernel_info_reply) == ["self", "msg"]
    assert _parameters(AsyncKernelClient._async_is_alive) == ["self"]
    assert _parameters(AsyncKernelManager._async_finish_shutdown) == ["self", "waittime", "pollinterval", "restart"]
    # called with keywords only, which LoggedKernelManager passes on as they come
    pre_start = list(inspect.signature(AsyncKernelManager._async_pre_start_kernel).parameters.values())[1:]
    assert pre_start[-1].kind is inspect.Parameter.VAR_KEYWORD
    assert all(p.kind in (inspect.Parameter.KEYWORD_ONLY, inspect.Parameter.VAR_KEYWORD) for p in pre_start)
