"""What the claims layer states for a reader, without words: a template key with its named values, numbers still
unformatted. The book holds the Dutch templates and formats the numbers (:mod:`loopbaanleren.book.claim_text`,
:mod:`loopbaanleren.book.verdict_text`)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Number:
    """A number in a phrase, with the book format it takes when the phrase becomes text: "num" (a number, two
    decimals), "pct" (a share as a percentage), "p" (a p-value), "points" (a share as percentage points, one
    decimal), "rule_p" (a p-value as a verdict's reason gives it) or "margin" (a margin as a verdict's reason
    gives it)."""

    value: float
    format: str = "num"


@dataclass(frozen=True, init=False)
class Phrase:
    """What an evaluator states for the reader, as a template key and its named values (numbers still to be
    formatted, :class:`Number`; codebook labels; codes); the book words it
    (:func:`loopbaanleren.book.claim_text.render`).

    >>> Phrase("mean", value=Number(3.3449))
    Phrase(key='mean', values={'value': Number(value=3.3449, format='num')})
    """

    key: str
    values: dict

    def __init__(self, key: str, **values: object):
        object.__setattr__(self, "key", key)
        object.__setattr__(self, "values", values)
