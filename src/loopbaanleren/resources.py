"""Access to the data files shipped inside the package (codebook, claims registry, model parameters)."""

from functools import cache
from importlib.resources import files
from pathlib import Path

import yaml


def resource_path(name: str) -> Path:
    """Path of a file in the package's ``resources`` folder."""
    return Path(str(files("loopbaanleren") / "resources" / name))


@cache
def load_yaml(name: str) -> dict:
    """Parse a YAML resource once per process."""
    with resource_path(name).open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)
