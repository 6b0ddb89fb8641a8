"""The four verdicts and the three-way rules that decide them, defined once.

A claim is ``reproduced`` when the data support it, ``not_reproduced`` when they contradict it, ``undecided``
when they are not precise enough to tell, and ``not_computable`` when the data cannot carry it. The rules
per family of claim kinds (:data:`RULES`) are pure functions of the computed numbers, so that the evaluators
(:mod:`loopbaanleren.claims.evaluate`), the tests and the book's description of the rules
(:mod:`loopbaanleren.book.rule_tables`) share them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


VERDICTS = ("reproduced", "not_reproduced", "undecided", "not_computable")
VERDICT_NL = {
    "reproduced": "gereproduceerd",
    "not_reproduced": "niet gereproduceerd",
    "undecided": "onbeslist",
    "not_computable": "niet te berekenen",
}
DECIDED = ("reproduced", "not_reproduced")


@dataclass(frozen=True)
class Decision:
    """A verdict with its short Dutch reason (e.g. "niet significant (p = 0,21)")."""

    verdict: str
    reason: str


def _p(p: float) -> str:
    return "p < 0,001" if p < 0.001 else f"p = {p:.3f}".replace(".", ",") if p < 0.01 else f"p = {p:.2f}".replace(".", ",")


def _n(x: float) -> str:
    return f"{x:.3f}".rstrip("0").rstrip(".").replace(".", ",") if abs(x) < 1 else f"{x:.2f}".replace(".", ",")


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
    >>> direction(0.3, 0.2, +1, 0.05, negligible=False)
    Decision(verdict='undecided', reason='juiste richting, niet significant (p = 0,20)')
    >>> direction(-0.3, 0.01, +1, 0.05, negligible=False).verdict
    'not_reproduced'
    """
    right = math.copysign(1, estimate) == claimed_sign
    if p_adjusted < alpha:
        if right:
            return Decision("reproduced", f"significant in de verwachte richting ({_p(p_adjusted)})")
        return Decision("not_reproduced", f"significant in de andere richting ({_p(p_adjusted)})")
    if negligible:
        return Decision("not_reproduced", f"verwaarloosbaar: binnen de equivalentiegrens ({_p(p_adjusted)})")
    side = "juiste" if right else "andere"
    return Decision("undecided", f"{side} richting, niet significant ({_p(p_adjusted)})")


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

    >>> non_effect(0.003, 0.01, equivalent=True, alpha=0.05)
    Decision(verdict='not_reproduced', reason='significant (p = 0,01), al is het verband verwaarloosbaar')
    >>> non_effect(0.40, 1.0, equivalent=True, alpha=0.05).verdict
    'reproduced'
    >>> non_effect(0.40, 1.0, equivalent=False, alpha=0.05).verdict
    'undecided'
    >>> non_effect(0.02, 0.22, equivalent=None, alpha=0.05)
    Decision(verdict='undecided', reason='significant zonder correctie (p = 0,02), niet na correctie (p = 0,22)')
    """
    if p_adjusted < alpha:
        tail = ", al is het verband verwaarloosbaar" if equivalent else ""
        return Decision("not_reproduced", f"significant ({_p(p_adjusted)}){tail}")
    if p < alpha:
        return Decision("undecided", f"significant zonder correctie ({_p(p)}), niet na correctie ({_p(p_adjusted)})")
    if equivalent is None:
        return Decision("reproduced", f"niet significant, ook zonder correctie ({_p(p)})")
    if equivalent:
        return Decision("reproduced", f"niet significant zonder correctie ({_p(p)}) en binnen de equivalentiegrens")
    return Decision("undecided", f"niet significant ({_p(p)}), maar niet aantoonbaar verwaarloosbaar")


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
        return Decision("reproduced", f"interval binnen de marge ±{_n(margin)}")
    if ci_high < low or ci_low > high:
        return Decision("not_reproduced", f"interval geheel buiten de marge ±{_n(margin)}")
    return Decision("undecided", f"interval deels buiten de marge ±{_n(margin)}")


def derived(verdicts: list[str], agree: bool | None) -> Decision:
    """Rule of a derived claim (a hypothesis, an agreement): it follows from the verdicts it rests on.

    ``agree`` says whether the decided parts give the claimed conclusion (``None``: it depends on parts that
    are undecided). Not computable when any part is; undecided when the conclusion depends on undecided parts.

    >>> derived(["reproduced", "undecided"], None).verdict
    'undecided'
    """
    if "not_computable" in verdicts:
        return Decision("not_computable", "een onderdeel is niet te berekenen")
    if agree is None:
        return Decision("undecided", "hangt af van onderdelen die onbeslist zijn")
    return Decision("reproduced", "volgt uit de onderdelen") if agree else Decision("not_reproduced", "volgt uit de onderdelen")


RULES = {
    "richting": (
        ("level", "ordering", "contrast", "group_level", "population_difference", "share_bound", "effect"),
        direction.__doc__,
        "significant in de verwachte richting na correctie (bij meer sectoren of verschillen: elk onderdeel)",
        "een onderdeel significant in de andere richting, of aantoonbaar verwaarloosbaar (equivalentietoets)",
    ),
    "rangorde": (
        ("group_extreme", "group_rank", "mode"),
        direction.__doc__,
        "de genoemde groep of categorie verschilt significant van elke andere in de genoemde richting "
        "(in het bijzonder van de naaste concurrent), na correctie",
        "een andere groep of categorie ligt significant voor",
    ),
    "geen effect": (
        ("null_effect",),
        non_effect.__doc__,
        "niet significant zonder correctie; bij \"draagt niet bij\" bovendien equivalent aan nul (het {level}-interval "
        "ligt binnen ±{bound}); bij \"draagt niet bij aan het beperken\" eenzijdig: niet significant in de ontkende "
        "richting en die kant van het {level}-interval binnen de grens; bij \"niet aantoonbaar\" alleen niet significant",
        "significant na correctie (bij \"aan het beperken\": in de ontkende richting), ook als het verband "
        "verwaarloosbaar is",
    ),
    "puntwaarde": (
        ("percentage", "mean", "level (matig/enigermate)"),
        point.__doc__,
        "het 95%-interval ligt binnen de marge rond de gepubliceerde waarde",
        "het 95%-interval ligt geheel buiten de marge",
    ),
    "afgeleid": (
        ("hypothesis", "same_mode", "claims met derived: true"),
        derived.__doc__,
        "volgt uit de oordelen over de onderdelen; telt niet mee in totalen en niet in een correctiefamilie",
        "volgt uit de oordelen over de onderdelen",
    ),
}
"""Per family of rules: the claim kinds it covers, the rule's definition (the function's docstring), and in
Dutch when a claim is reproduced and when not; in every family a claim that is neither is undecided."""


def family_of(kind: str, derived: bool = False, near: bool = False) -> str | None:
    """The family of :data:`RULES` that judges a claim: "afgeleid" for a derived claim, "puntwaarde" for a level
    near the scale midpoint (``near``: "matig", "enigermate"), else the family that lists its kind; ``None`` for
    a kind no family lists (the counts of the interview study).

    >>> family_of("contrast"), family_of("level", near=True), family_of("group_extreme", derived=True)
    ('richting', 'puntwaarde', 'afgeleid')
    >>> family_of("mentioned_by") is None
    True
    """
    if derived:
        return "afgeleid"
    if near:
        return "puntwaarde"
    return next((family for family, (kinds, *_) in RULES.items() if kind in kinds), None)
