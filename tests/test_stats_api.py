"""The statistics as a researcher imports them: ``from loopbaanleren import stats``, each procedure documented."""

from __future__ import annotations

import inspect
import re

import pytest

from loopbaanleren import stats

SECTION = re.compile(r"^\s*(\w[\w ]*)\n\s*-{3,}\s*$", re.MULTILINE)


def sections(doc: str) -> dict[str, str]:
    """A numpydoc docstring's sections by title (a title line underlined with dashes), each with its text."""
    heads = list(SECTION.finditer(doc))
    return {h.group(1).strip(): doc[h.end():(heads[i + 1].start() if i + 1 < len(heads) else len(doc))]
            for i, h in enumerate(heads)}


def test_sections_are_read_by_their_underlined_titles():
    doc = "Summary.\n\n    Parameters\n    ----------\n    x : int\n\n    Examples\n    --------\n    >>> 1\n    1\n"
    assert {k: v.strip() for k, v in sections(doc).items()} == {"Parameters": "x : int", "Examples": ">>> 1\n    1"}


def test_the_facade_exports_exactly_its_procedures():
    assert stats.__all__ == sorted(set(stats.__all__))
    for name in stats.__all__:
        procedure = getattr(stats, name)
        assert inspect.isfunction(procedure) and procedure.__module__.startswith("loopbaanleren.stats."), name
    public = {name for name, value in vars(stats).items() if not name.startswith("_") and inspect.isfunction(value)}
    assert public == set(stats.__all__)


@pytest.mark.parametrize("name", stats.__all__)
def test_every_procedure_has_parameters_returns_examples_and_references(name):
    procedure = getattr(stats, name)
    found = sections(inspect.getdoc(procedure))
    for title in ("Parameters", "Returns", "Examples", "References"):
        assert found.get(title, "").strip(), f"stats.{name} has no {title} section"
    assert ">>> " in found["Examples"], f"stats.{name}: Examples without a runnable example"
    documented = {part.strip() for line in found["Parameters"].splitlines() if re.match(r"^[\w, *]+ :", line)
                  for part in line.split(" :")[0].replace("*", "").split(",")}
    missing = set(inspect.signature(procedure).parameters) - documented
    assert not missing, f"stats.{name}: parameters {sorted(missing)} not documented"
