"""Reproducible research compendium of a Dutch study of career learning (loopbaanleren) in hbo."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("loopbaanleren")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0"
