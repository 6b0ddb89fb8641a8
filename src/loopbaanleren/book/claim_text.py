"""A claim's evaluation as text: the phrases the evaluators return (Dutch parts with numbers still unformatted,
:class:`~loopbaanleren.claims.context.Number`) become text here, through the book's number formats."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from loopbaanleren.book.formatting import fmt_num, fmt_p, fmt_pct
from loopbaanleren.claims.context import Number, Phrase

NUMBER_FORMATS: dict[str, Callable[[float], str]] = {
    "num": fmt_num, "pct": fmt_pct, "p": fmt_p, "points": lambda share: f"{100 * share:.1f}".replace(".", ","),
}
"""How each kind of :class:`~loopbaanleren.claims.context.Number` becomes text."""
TEXT_COLUMNS = ("expected_nl", "found_nl", "reason")
"""The columns of :func:`loopbaanleren.claims.evaluate.evaluate_claims` that may hold a phrase."""


def render(phrase: Phrase | str) -> str:
    """A phrase as text, its numbers formatted (:data:`NUMBER_FORMATS`); a text stays as it is.

    >>> render(("gemiddelde ", Number(3.3449), " (marge ±", Number(0.1, "points"), " procentpunt)"))
    'gemiddelde 3,34 (marge ±10,0 procentpunt)'
    """
    if isinstance(phrase, str):
        return phrase
    return "".join(NUMBER_FORMATS[part.format](part.value) if isinstance(part, Number) else part for part in phrase)


def with_text(results: pd.DataFrame) -> pd.DataFrame:
    """Evaluated claims (:func:`loopbaanleren.claims.evaluate.evaluate_claims`) with their phrases as text."""
    return results.assign(**{column: results[column].map(render) for column in TEXT_COLUMNS})
