"""The four verdicts and the three-way rules that decide them, defined once.

A claim is ``reproduced`` when the data support it, ``not_reproduced`` when they contradict it, ``undecided``
when they are not precise enough to tell, and ``not_computable`` when the data cannot carry it. The rules
per family of claim kinds (:data:`RULES`) are pure functions of the computed numbers, so that the evaluators
(:mod:`loopbaanleren.claims.evaluate`), the tests and the book's description of the rules
(:mod:`loopbaanleren.book.rule_tables`) share them.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from loopbaanleren.claims.phrases import Number, Phrase


VERDICTS = ("reproduced", "not_reproduced", "undecided", "not_computable")
DECIDED = ("reproduced", "not_reproduced")


@dataclass(frozen=True)
class Decision:
    """A verdict with its reason: a template key and its values, which the book words
    (:mod:`loopbaanleren.book.verdict_text`)."""

    verdict: str
    reason: Phrase | None


def _p(p: float) -> Number:
    return Number(p, "rule_p")


def tost_level(alpha: float) -> float:
    """Confidence level of the interval that is equivalent to two one-sided tests at ``alpha``: 1 - 2·alpha.

    >>> tost_level(0.05)
    0.9
    """
    return round(1 - 2 * alpha, 12)


def direction(estimate: float, p_adjusted: float, claimed_sign: int, alpha: float, negligible: bool) -> Decision:
    """Direction rule: levels, orderings, contrasts, sector ranks, shares against a bound, effects.

    Reproduced when the test is significant after correction (``p_adjusted < alpha``) in the claimed
    direction; not reproduced when it is significant in the other direction or the difference is shown
    negligible (its 1 - 2·alpha interval lies within the equivalence bound); otherwise undecided.

    >>> direction(0.3, 0.01, +1, 0.05, negligible=False).verdict
    'reproduced'
    >>> direction(0.3, 0.2, +1, 0.05, negligible=False).reason.key
    'not_significant'
    >>> direction(-0.3, 0.01, +1, 0.05, negligible=False).verdict
    'not_reproduced'
    """
    right = math.copysign(1, estimate) == claimed_sign
    if p_adjusted < alpha:
        if right:
            return Decision("reproduced", Phrase("significant_expected", p=_p(p_adjusted)))
        return Decision("not_reproduced", Phrase("significant_other", p=_p(p_adjusted)))
    if negligible:
        return Decision("not_reproduced", Phrase("negligible", p=_p(p_adjusted)))
    return Decision("undecided", Phrase("not_significant", right=right, p=_p(p_adjusted)))


def non_effect(p: float, p_adjusted: float, equivalent: bool | None, alpha: float) -> Decision:
    """Non-effect rule, one for the three forms of "draagt niet bij" (the claim's ``word``).

    ``p`` is the coefficient's p-value without correction (two-sided; for "draagt niet bij aan het beperken" the
    one-sided p in the denied direction), ``p_adjusted`` the same corrected within its family, ``equivalent``
    whether the 1 - 2·alpha interval lies within the equivalence bound (on both sides for a claimed absence, on
    the denied side for a one-sided one; ``None`` for "niet aantoonbaar", which claims no bound). Reproduced when
    the coefficient is not significant without correction (a correction would make "no effect" easier to claim)
    and, where there is a bound, equivalent; not reproduced when it is significant after correction (a
    contradiction with the family-wise error rate controlled; also when it lies within the bound all the same);
    otherwise undecided.

    >>> non_effect(0.003, 0.01, equivalent=True, alpha=0.05).reason
    Phrase(key='significant', values={'p': Number(value=0.01, format='rule_p'), 'negligible': True})
    >>> non_effect(0.40, 1.0, equivalent=True, alpha=0.05).verdict
    'reproduced'
    >>> non_effect(0.40, 1.0, equivalent=False, alpha=0.05).verdict
    'undecided'
    >>> non_effect(0.02, 0.22, equivalent=None, alpha=0.05).reason.key
    'significant_uncorrected'
    """
    if p_adjusted < alpha:
        return Decision("not_reproduced", Phrase("significant", p=_p(p_adjusted), negligible=bool(equivalent)))
    if p < alpha:
        return Decision("undecided", Phrase("significant_uncorrected", p=_p(p), p_adjusted=_p(p_adjusted)))
    if equivalent is None:
        return Decision("reproduced", Phrase("not_significant_uncorrected", p=_p(p)))
    if equivalent:
        return Decision("reproduced", Phrase("not_significant_equivalent", p=_p(p)))
    return Decision("undecided", Phrase("not_significant_not_equivalent", p=_p(p)))


def point(ci_low: float, ci_high: float, published: float, margin: float) -> Decision:
    """Point-value rule: percentages, means, "matig"/"enigermate" (a mean near the scale midpoint).

    Reproduced when the computed interval lies inside published ± margin; not reproduced when it lies
    wholly outside; otherwise (the interval straddles an edge of the margin) undecided.

    >>> point(0.58, 0.62, 0.60, 0.05).verdict
    'reproduced'
    >>> point(0.63, 0.68, 0.60, 0.05).verdict
    'undecided'
    >>> point(0.66, 0.70, 0.60, 0.05).verdict
    'not_reproduced'
    """
    low, high = published - margin, published + margin
    if low <= ci_low and ci_high <= high:
        return Decision("reproduced", Phrase("interval_inside", margin=Number(margin, "margin")))
    if ci_high < low or ci_low > high:
        return Decision("not_reproduced", Phrase("interval_outside", margin=Number(margin, "margin")))
    return Decision("undecided", Phrase("interval_straddles", margin=Number(margin, "margin")))


def derived(verdicts: list[str], agree: bool | None) -> Decision:
    """Rule of a derived claim (a hypothesis, an agreement): it follows from the verdicts it rests on.

    ``agree`` says whether the decided parts give the claimed conclusion (``None``: it depends on parts that
    are undecided). Not computable when any part is; undecided when the conclusion depends on undecided parts.

    >>> derived(["reproduced", "undecided"], None).verdict
    'undecided'
    """
    if "not_computable" in verdicts:
        return Decision("not_computable", Phrase("part_not_computable"))
    if agree is None:
        return Decision("undecided", Phrase("parts_undecided"))
    return Decision("reproduced" if agree else "not_reproduced", Phrase("follows_from_parts"))


RULES: dict[str, tuple[tuple[str, ...], Callable[..., Decision]]] = {
    "direction": (("level", "ordering", "contrast", "group_level", "population_difference", "share_bound", "effect"),
                  direction),
    "rank": (("group_extreme", "group_rank", "mode"), direction),
    "non_effect": (("null_effect",), non_effect),
    "point": (("percentage", "mean"), point),
    "derived": (("hypothesis", "same_mode"), derived),
}
"""Per family of rules: the claim kinds it covers and the function that decides its verdicts; in every family a
claim that is neither reproduced nor not reproduced is undecided. A level near the scale midpoint ("matig",
"enigermate") is judged by the point rule, a claim marked derived by the derived rule (:func:`family_of`)."""


def family_of(kind: str, derived: bool = False, near: bool = False) -> str | None:
    """The family of :data:`RULES` that judges a claim: "derived" for a derived claim, "point" for a level
    near the scale midpoint (``near``: "matig", "enigermate"), else the family that lists its kind; ``None`` for
    a kind no family lists (the counts of the interview study).

    >>> family_of("contrast"), family_of("level", near=True), family_of("group_extreme", derived=True)
    ('direction', 'point', 'derived')
    >>> family_of("mentioned_by") is None
    True
    """
    if derived:
        return "derived"
    if near:
        return "point"
    return next((family for family, (kinds, *_) in RULES.items() if kind in kinds), None)
