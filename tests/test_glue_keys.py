"""Glue keys: every key a page pastes is made by one family of :mod:`loopbaanleren.book.glue_keys`."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import jupytext
import pytest

from loopbaanleren.book import front_page, glue_keys
from loopbaanleren.book.glue_keys import (
    CLAIM_PARTS, FACTS, RQ_COUNTS, SECTION_PARTS, claim_key, effect_group, fact_key, rq_key, section_key, summary_key,
)
from loopbaanleren.data.registry import RQ_ORDER, load_registry

ROOT = Path(__file__).resolve().parents[1]
PASTED = re.compile(r"\{glue(?::[a-z]+)?\}`([^`]+)`|^```\{glue(?::[a-z]+)?\}\s+(\S+)", re.MULTILINE)


def pasted_keys() -> dict[str, set[str]]:
    """Per key, the notebooks and book pages that paste it (a page of another notebook: ``NN.ipynb::key:s``)."""
    pages = sorted((ROOT / "notebooks").glob("*.py")) + sorted((ROOT / "book").glob("*.md"))
    found: dict[str, set[str]] = {}
    for page in pages:
        for role, directive in PASTED.findall(page.read_text(encoding="utf-8")):
            key = (role or directive).split("::")[-1].split(":")[0]
            found.setdefault(key, set()).add(page.name)
    return found


def notebook_code() -> list[ast.Module]:
    """The code cells of the notebooks, parsed."""
    return [ast.parse(cell.source) for path in sorted((ROOT / "notebooks").glob("*.py"))
            for cell in jupytext.read(path).cells if cell.cell_type == "code"]


def notebook_literals() -> set[str]:
    """Every string literal in the code cells of the notebooks: the names a notebook gives its own keys."""
    return {node.value for tree in notebook_code() for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)}


def glued_literals() -> set[str]:
    """The keys the notebooks spell out in a call of ``glue_value`` or ``glue``."""
    return {node.args[0].value for tree in notebook_code() for node in ast.walk(tree)
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("glue_value", "glue")
            and node.args and isinstance(node.args[0], ast.Constant)}


def families() -> dict[str, set[str]]:
    """The keys each family's function makes for this registry, front page and notebooks."""
    registry = load_registry()
    literals = notebook_literals()
    groups = {effect_group(model_id, predictor) for model_id, spec in registry.models.items()
              for predictor in spec["predictors"]}
    return {
        "claim_key": {claim_key(claim.id, part) for claim in registry for part in CLAIM_PARTS},
        "rq_key": {rq_key(rq, count) for rq in RQ_ORDER for count in RQ_COUNTS},
        "section_key": {section_key(name, part) for name in literals | groups for part in SECTION_PARTS if part},
        "fact_key": {fact_key(name) for name in FACTS},
        "summary_key": {summary_key(section) for section in front_page.SECTIONS},
    }


def test_every_pasted_key_is_made_by_one_family():
    made = families()
    literals = notebook_literals()
    pasted = pasted_keys()
    assert len(pasted) > 200
    orphans = {key: pages for key, pages in pasted.items()
               if key not in literals and not any(key in keys for keys in made.values())}
    assert orphans == {}
    for key in pasted:
        makers = [name for name, keys in made.items() if key in keys]
        assert len(makers) <= 1, f"{key} is made by {makers}"
    assert glued_literals() & set().union(*made.values()) == set()  # a family's key is not spelled out
    counts = {name: len(keys & set(pasted)) for name, keys in made.items()}
    assert all(counts.values()), counts  # every family is used


def test_a_key_of_an_unknown_part_is_refused():
    with pytest.raises(ValueError, match="part is one of value, outcome, published"):
        claim_key("rq1_s_pg_onder", "found")
    with pytest.raises(ValueError, match="count is one of n_claims, n_reproduced"):
        rq_key("RQ1", "n_undecided")
    with pytest.raises(ValueError, match="part is one of"):
        section_key("rq1_s_pg", "welch")
    with pytest.raises(ValueError, match="not one of the facts"):
        fact_key("beta")


def test_the_keys_are_spelled_only_in_the_glue_keys_module():
    """No other module of the package spells a family's suffix as a key: the suffixes live in glue_keys."""
    package = ROOT / "src" / "loopbaanleren"
    suffixes = [suffix for suffix in (*CLAIM_PARTS.values(), *RQ_COUNTS, *SECTION_PARTS) if suffix]
    spelled = re.compile(r"""\}_(%s)["']|["']%s_["']""" % ("|".join(suffixes), glue_keys.SUMMARY_PREFIX))
    offenders = [f"{path.relative_to(package)}:{number}"
                 for path in package.rglob("*.py") if path.name != "glue_keys.py"
                 for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if spelled.search(line)]
    assert offenders == []
