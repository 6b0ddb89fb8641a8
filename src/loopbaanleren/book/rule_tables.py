"""The verdict rules and the registry's size words as the book states them, in Dutch.

The rules themselves (:data:`loopbaanleren.claims.verdicts.RULES`, the functions that decide a verdict) live in the
claims layer and the size words (:attr:`loopbaanleren.data.registry.Registry.vocabulary`) in the registry; this module
fills their Dutch wording (:mod:`loopbaanleren.book.verdict_text`) in with the build's α and bounds for the methods
page, the ledger and the front page's details.
"""

from __future__ import annotations

import pandas as pd

from loopbaanleren.book.formatting import fmt_bound, fmt_pct
from loopbaanleren.book.verdict_text import EXTRA_KINDS_NL, FAMILY_NL, KIND_NL, RULE_TEXT, VERDICT_NL
from loopbaanleren.claims.verdicts import RULES, tost_level


def reproduced_when(family: str, alpha: float, bound: float) -> str:
    """When a claim of ``family`` is reproduced (Dutch), filled in with ``alpha`` and the equivalence ``bound``.

    >>> reproduced_when("geen effect", 0.05, 0.08)[:103]
    'niet significant zonder correctie; bij "draagt niet bij" bovendien equivalent aan nul (het 90%-interval'
    """
    return RULE_TEXT[family][0].format(level=fmt_pct(tost_level(alpha)), bound=fmt_bound(bound))


def rules_table(alpha: float, bound: float) -> pd.DataFrame:
    """The rules as the book shows them (Dutch), filled in with ``alpha`` and the equivalence ``bound``: per family
    its Dutch name and the Dutch names of the claim kinds it judges."""
    rows = [
        {
            "soort bewering": FAMILY_NL[family],
            "claimsoorten": ", ".join([*(KIND_NL[kind] for kind in kinds), *EXTRA_KINDS_NL.get(family, ())]),
            VERDICT_NL["reproduced"]: reproduced_when(FAMILY_NL[family], alpha, bound),
            VERDICT_NL["not_reproduced"]: RULE_TEXT[FAMILY_NL[family]][1],
            VERDICT_NL["undecided"]: "anders: de data zijn niet precies genoeg",
        }
        for family, (kinds, _) in RULES.items()
    ]
    return pd.DataFrame(rows)


def _bound_nl(word, words: dict) -> str:
    if word.bound is not None:
        return f"{fmt_bound(word.bound)} ({word.unit})"
    if word.bound_of:
        return f"{fmt_bound(words[word.bound_of].bound)} ({word.unit}; die van “{word.bound_of}”)"
    return "geen (alleen significantie)"


def vocabulary_table(vocabulary, claims) -> pd.DataFrame:
    """The registry's size words as the book shows them (Dutch): per word its bound with the unit, what it means,
    why, and the claims that use it (``vocabulary``: :attr:`loopbaanleren.data.registry.Registry.vocabulary`;
    ``claims``: the registry's claims)."""
    rows = []
    for word in vocabulary:
        names = (word.word, *word.also)
        used = [claim.id for claim in claims if claim.get("word") in names]
        rows.append({
            "woord": " / ".join(f"“{name}”" for name in names),
            "grens": _bound_nl(word, {w.word: w for w in vocabulary}),
            "betekenis": word.meaning_nl,
            "waarom deze grens": word.justification_nl,
            "beweringen": ", ".join(used) or "geen",
        })
    return pd.DataFrame(rows)
