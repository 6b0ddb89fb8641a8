"""The kernel a notebook runs in (loopbaanleren.kernels): forked from the preload server, ready when it answers."""

import asyncio
import os
import signal

import pytest

from loopbaanleren.kernels import LoggedKernelManager, PromptKernelClient


async def _run(code: str, tmp_path, kill_first: bool = False) -> str:
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


def test_a_forked_kernel_is_ready_when_it_answers_and_runs_code_with_the_preloaded_objects_frozen(tmp_path):
    said = asyncio.run(_run("import gc, os, sys; print('json' in sys.modules, gc.get_freeze_count() > 0, os.getcwd())",
                            tmp_path))
    assert said.split() == ["True", "True", str(tmp_path)]


def test_waiting_for_a_dead_kernel_fails_at_once(tmp_path):
    with pytest.raises(RuntimeError, match="Kernel died before replying to kernel_info"):
        asyncio.run(_run("print(1)", tmp_path, kill_first=True))
