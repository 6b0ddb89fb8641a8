"""Every module, public function, public class and public method of the package has a docstring."""

import functools
import importlib
import inspect
import pkgutil

import loopbaanleren


def _modules() -> list:
    names = [info.name for info in pkgutil.walk_packages(loopbaanleren.__path__, "loopbaanleren.")]
    return [loopbaanleren, *(importlib.import_module(name) for name in names)]


def _function(obj):
    """The function behind a function, a cached function, a property or a static or class method; else None."""
    if isinstance(obj, property):
        obj = obj.fget
    elif isinstance(obj, functools.cached_property):
        obj = obj.func
    elif isinstance(obj, staticmethod | classmethod):
        obj = obj.__func__
    obj = inspect.unwrap(obj) if callable(obj) else obj
    return obj if inspect.isfunction(obj) else None


def public_objects() -> list[tuple[str, object]]:
    """(qualified name, object) of every public function, class and method defined in the package."""
    found = []
    for module in _modules():
        found.append((module.__name__, module))
        for name, obj in vars(module).items():
            if name.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
                continue
            if inspect.isclass(obj):
                found.append((f"{module.__name__}.{name}", obj))
                for attr, member in vars(obj).items():
                    function = _function(member)
                    if not attr.startswith("_") and function is not None:
                        found.append((f"{module.__name__}.{name}.{attr}", function))
            elif _function(obj) is not None:
                found.append((f"{module.__name__}.{name}", _function(obj)))
    return found


def _documented(obj) -> bool:
    """A docstring of its own: not inherited, not the signature a dataclass or named tuple writes in its place."""
    doc = (obj.__doc__ or "").strip()
    generated = inspect.isclass(obj) and doc.startswith(f"{obj.__name__}(") and "\n" not in doc
    return bool(doc) and not generated


def undocumented() -> list[str]:
    """Qualified names of the public objects without a docstring of their own."""
    return [name for name, obj in public_objects() if not _documented(obj)]


def test_the_walk_finds_functions_classes_methods_and_properties():
    names = dict(public_objects())
    assert {"loopbaanleren.claims.scores.eval_mean", "loopbaanleren.claims.context.Context",
            "loopbaanleren.claims.context.Context.fit", "loopbaanleren.claims.context.Context.bound",
            "loopbaanleren.data.codebook.load_codebook", "loopbaanleren.data.coding_frame"} <= set(names)
    assert not any(name.rsplit(".", 1)[-1].startswith("_") for name in names if name != "loopbaanleren.__main__")
    assert len(names) > 500


def test_every_public_object_has_a_docstring():
    missing = undocumented()
    assert not missing, f"{len(missing)} public objects without a docstring:\n" + "\n".join(missing)
