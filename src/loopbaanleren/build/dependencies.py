"""What a piece of code uses of the package: its modules, followed through their imports, and the resources they name.

A notebook's cache key hashes only these files (:func:`code_hash`), so editing a module re-executes only the
notebooks that import it, directly or through other modules. Imports are read with :mod:`ast`, not executed:
every ``import loopbaanleren.x`` and ``from loopbaanleren[.x] import y`` anywhere in a file (also inside a
function) counts, as do relative imports inside the package and the ``__init__`` of every package on the way. A
resource (a file under ``resources/``) is used by a module that names it in a string: its path, its file name, or
a folder it lies in (``"planner"``, or ``f"locale/{language}/..."``).

>>> used = modules("from loopbaanleren.book.report import glue_value")
>>> "loopbaanleren.book.tables" in used  # report imports it
True
>>> "loopbaanleren.data.simulation" in used  # nothing on the way imports it
False
"""

from __future__ import annotations

import ast
import hashlib
import json
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import loopbaanleren

PACKAGE = "loopbaanleren"
ROOT = Path(loopbaanleren.__file__).resolve().parent
RESOURCES = ROOT / "resources"


def module_file(name: str) -> Path | None:
    """The file of package module ``name`` (``loopbaanleren.x.y``), or None when it is no module of the package."""
    if name != PACKAGE and not name.startswith(PACKAGE + "."):
        return None
    base = ROOT.joinpath(*name.split(".")[1:])
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported(tree: ast.AST, current: str | None) -> set[str]:
    """The package modules an AST imports (``current``: the module's own name, for relative imports)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level and current:
                package = current if module_file(current).name == "__init__.py" else current.rpartition(".")[0]
                for _ in range(node.level - 1):
                    package = package.rpartition(".")[0]
                base = ".".join(p for p in (package, node.module) if p)
            else:
                base = node.module or ""
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)  # a submodule imported by name
    named = {name for name in found if module_file(name)}
    # importing a.b.c runs the __init__ of a and a.b first
    return named | {".".join(name.split(".")[:i]) for name in named for i in range(1, name.count(".") + 1)}


@cache
def _parsed(path: Path, mtime_ns: int) -> tuple[frozenset[str], frozenset[str]]:
    """A module's imported package modules and its string constants (cached per file version)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    strings = frozenset(n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str))
    return frozenset(_imported(tree, _module_name(path))), strings


def modules(source: str) -> set[str]:
    """Every package module that Python ``source`` imports, directly or through other package modules."""
    todo = list(_imported(ast.parse(source), None))
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        path = module_file(name)
        todo.extend(_parsed(path, path.stat().st_mtime_ns)[0] - seen)
    return seen


def resources(names: Iterable[str]) -> set[Path]:
    """The resource files the modules ``names`` name in their strings (see the module docstring)."""
    strings = set()
    for name in names:
        path = module_file(name)
        strings |= _parsed(path, path.stat().st_mtime_ns)[1]
    strings = {s.strip("/") for s in strings if s.strip("/")}
    used = set()
    for path in (p for p in RESOURCES.rglob("*") if p.is_file()):
        relative = path.relative_to(RESOURCES)
        folders = {Path(*relative.parts[:i]).as_posix() for i in range(1, len(relative.parts))}
        if strings & ({relative.as_posix(), relative.name} | folders) or any(
            s.startswith(f"{folder}/") for folder in folders for s in strings
        ):
            used.add(path)
    return used


def files(source: str) -> list[Path]:
    """The package files ``source`` uses: its modules and their resources, sorted."""
    names = modules(source)
    return sorted({module_file(name) for name in names} | resources(names))


def code_hash(source: str, versions: dict[str, str]) -> str:
    """SHA-256 over the package files ``source`` uses (path and content) and the library ``versions``."""
    digest = hashlib.sha256(json.dumps(versions, sort_keys=True).encode())
    for path in files(source):
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()
