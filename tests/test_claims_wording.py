"""The claims layer states numbers and English codes only; every Dutch word a reader sees is the book's."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from loopbaanleren.book.claim_text import PHRASES, render
from loopbaanleren.claims.phrases import Number, Phrase
from loopbaanleren.data.registry import load_registry

CLAIMS = Path(__file__).parents[1] / "src" / "loopbaanleren" / "claims"
DUTCH = frozenset("""
    de het een van niet geen en dan met voor bij ook zijn heeft hebben wordt naar uit om te tot over onder boven
    hoger lager laagste hoogste gemiddelde verband verschil schaalmidden marge onderdeel onderdelen berekenen
    berekenbaar onbeslist gereproduceerd bevestigd verworpen gesteund tegengesteld studenten begeleiders sector
    sectoren variabele ontbreekt genoemd codeurs gepoold gegevens codeschema codeerschema thema alle
""".split())
"""Dutch function words and the words of the old phrases: a string literal holding one is reader text."""


def _docstrings(tree: ast.AST) -> set[int]:
    """The ids of the docstring nodes of a module, its classes and its functions."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
        if isinstance(node, (ast.Module, ast.ClassDef)):  # attribute docstrings: a string right after an assignment
            for first, second in zip(node.body, node.body[1:]):
                if isinstance(first, (ast.Assign, ast.AnnAssign)) and isinstance(second, ast.Expr) \
                        and isinstance(second.value, ast.Constant):
                    found.add(id(second.value))
    return found


def dutch_literals(folder: Path, allowed: frozenset[str] = frozenset()) -> list[str]:
    """Every string literal (f-string parts too) of the modules in ``folder``, docstrings aside, that holds a word
    of :data:`DUTCH`, as "file:line: text"; literals in ``allowed`` (data keys) excepted."""
    found = []
    for path in sorted(folder.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _docstrings(tree)
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Constant) and isinstance(node.value, str)) or id(node) in skip:
                continue
            words = set(re.findall(r"\w+", node.value.lower()))  # an identifier (a_code) is one word
            if words & DUTCH and node.value not in allowed:
                found.append(f"{path.name}:{node.lineno}: {node.value!r}")
    return found


def registry_words() -> frozenset[str]:
    """The registry's size words ("draagt niet bij", ...): data keys the evaluators compare a claim's word with."""
    return frozenset(name for word in load_registry().vocabulary for name in (word.word, *word.also))


def test_the_check_finds_dutch_reader_text(tmp_path):
    (tmp_path / "module.py").write_text('"""Docstring: de data van het onderzoek."""\n\nX = "gemiddelde "\n'
                                        'Y = f"geen data van {X}"\nZ = "no_data"\nW = "draagt niet bij"\n')
    assert dutch_literals(tmp_path, frozenset({"draagt niet bij"})) == [
        "module.py:3: 'gemiddelde '", "module.py:4: 'geen data van '"]


def test_no_string_literal_in_the_claims_layer_is_dutch_reader_text():
    assert dutch_literals(CLAIMS, registry_words()) == []


def test_every_phrase_key_the_claims_layer_names_has_a_dutch_template():
    keys = set()
    for path in CLAIMS.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("Phrase", "NotComputable") \
                    and node.args and isinstance(node.args[0], ast.Constant):
                keys.add(node.args[0].value)
    assert keys and keys <= set(PHRASES), sorted(keys - set(PHRASES))


@pytest.mark.parametrize("phrase,text", [
    (Phrase("share_margin", share=Number(0.64, "pct"), margin=Number(0.0999, "points")), "64% (marge ±10,0 procentpunt)"),
    (Phrase("not_significant", right=False, p=Number(0.2049, "rule_p")), "andere richting, niet significant (p = 0,20)"),
    (Phrase("significant", p=Number(0.0004, "rule_p"), negligible=True),
     "significant (p < 0,001), al is het verband verwaarloosbaar"),
    (Phrase("interval_inside", margin=Number(0.05, "margin")), "interval binnen de marge ±0,05"),
    (Phrase("beyond_midpoint", direction="above", midpoint=Number(2.5), distance=Number(0.5)),
     "net boven het schaalmidden 2,50 (hooguit 0,50 erboven)"),
    (Phrase("no_effect_one_sided", positive=False, bound=Number(0.08)), "geen negatief verband (β > −0,08; eenzijdig)"),
    (Phrase("share_beyond", above=False, bound=Number(0.5, "pct"),
            of=Phrase("categories", categories=("nooit", "zelden"))), "minder dan 50% ‘nooit’ of ‘zelden’"),
])
def test_a_phrase_reads_as_the_book_words_it(phrase, text):
    assert render(phrase) == text
