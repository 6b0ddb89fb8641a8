"""Publishing a build: its new folders renamed onto the previous ones, all or none."""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from pathlib import Path

from loopbaanleren.build import interrupt
from loopbaanleren.errors import BuildError

def swap(pairs: Mapping[Path, Path]) -> None:
    """Rename each new folder onto its target; the previous targets stay until all renames succeeded.

    SIGINT and SIGTERM are held back until the renames are done (``interrupt.deferred``).
    """
    old = {target: target.with_name(f".{target.name}.previous") for target in pairs.values()}
    moved: list[Path] = []
    with interrupt.deferred():
        try:
            for new, target in pairs.items():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.rmtree(old[target], ignore_errors=True)
                if target.exists():
                    target.rename(old[target])
                new.rename(target)
                moved.append(target)
                interrupt.checkpoint("swap")
        except OSError as exc:
            for target in moved:
                shutil.rmtree(target, ignore_errors=True)
            for target, previous in old.items():
                if previous.exists() and not target.exists():
                    previous.rename(target)
            raise BuildError(f"could not replace {', '.join(str(t) for t in pairs.values())}: {exc}") from None
    for previous in old.values():
        shutil.rmtree(previous, ignore_errors=True)
