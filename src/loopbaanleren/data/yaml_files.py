"""A user's YAML file (build parameters, a mapping) read safely, with one clear message for every problem."""

from __future__ import annotations

from pathlib import Path

from loopbaanleren.errors import ParameterError

MAX_YAML_BYTES = 1_000_000
"""The largest parameters or mapping file read (a hand-written one is a few hundred bytes)."""


def load_yaml_file(path: Path, what: str) -> object:
    """The YAML in ``path`` read safely: no Python objects, no aliases (``*name``, which let a few lines expand to
    billions of values), at most :data:`MAX_YAML_BYTES`; ParameterError naming ``what`` and the line otherwise."""
    import yaml  # here, not at start-up: the command line's --help does not need it

    class NoAliases(yaml.SafeLoader):
        def compose_node(self, parent, index):  # noqa: ANN001, ANN201
            if self.check_event(yaml.AliasEvent):
                mark = self.peek_event().start_mark
                raise yaml.composer.ComposerError(None, None, "aliases (*name) are not allowed", mark)
            return super().compose_node(parent, index)

    size = path.stat().st_size
    if size > MAX_YAML_BYTES:
        raise ParameterError(f"{what} {path}: {size:,} bytes, more than a parameters file holds ({MAX_YAML_BYTES:,})")
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=NoAliases)  # noqa: S506  (a SafeLoader)
    except UnicodeDecodeError:
        raise ParameterError(f"{what} {path}: not valid YAML (not UTF-8 text)") from None
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" (line {where.line + 1})" if where else ""
        problem = getattr(exc, "problem", None)
        raise ParameterError(f"{what} {path}: not valid YAML{line}" + (f": {problem}" if problem else "")) from None
