"""Reproducible research compendium of a Dutch study of career learning (loopbaanleren) in hbo."""


def __getattr__(name: str) -> str:
    """``__version__``, looked up only when asked for (reading package metadata is slow at start-up)."""
    if name != "__version__":
        raise AttributeError(f"module 'loopbaanleren' has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("loopbaanleren")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
        return "0.0.0"
