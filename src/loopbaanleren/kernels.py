"""The kernel a notebook runs in: its own messages go to a log file, not to the build's stderr.

A kernel writes to its inherited standard error what is not a cell's output: the interrupt sent at every
shutdown, or ``asyncio``'s "Task was destroyed but it is pending!" when its event loop closes before a
pending task. A cell's own output reaches the notebook through the kernel's messages, so nothing of the
analysis is lost; a kernel that dies says why in the log, which :func:`log_tail` quotes.
"""

from __future__ import annotations

import logging
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from traitlets import Unicode


class LoggedKernelManager(AsyncKernelManager):
    """An :class:`~jupyter_client.manager.AsyncKernelManager` whose kernel writes its standard error to ``log_file``."""

    log_file = Unicode("", config=True, help="The file the kernel's standard error goes to (appended).")

    async def start_kernel(self, **kw):
        """Start the kernel as :class:`~jupyter_client.manager.AsyncKernelManager` does, its stderr to the log."""
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
