"""The verdicts, their rules and their reasons in Dutch: the words of :mod:`loopbaanleren.claims.verdicts`.

The claims layer decides a verdict and says why as a phrase (a template key and its values,
:class:`~loopbaanleren.claims.phrases.Phrase`); this module holds the Dutch names of the verdicts, of the families
of rules and of the claim kinds, and the templates of the verdicts' reasons.
"""

from __future__ import annotations

from collections.abc import Callable

from loopbaanleren.claims import verdicts

VERDICT_NL = {
    "reproduced": "gereproduceerd",
    "not_reproduced": "niet gereproduceerd",
    "undecided": "onbeslist",
    "not_computable": "niet te berekenen",
}
"""The Dutch name of each verdict (:data:`loopbaanleren.claims.verdicts.VERDICTS`)."""

OUTCOME_NL = {"supported": "gesteund", "not_supported": "niet gesteund", "contrary": "tegengesteld", "open": "onbeslist"}
"""What a prediction of a hypothesis came to (:data:`loopbaanleren.claims.hypotheses.OUTCOMES`)."""

HYPOTHESIS_NL = {"confirmed": "bevestigd", "partly_confirmed": "deels bevestigd", "rejected": "verworpen"}
"""The label of a hypothesis by how many of its predictions are supported
(:func:`loopbaanleren.claims.hypotheses.hypothesis_label`)."""

KIND_NL = {
    "percentage": "percentage",
    "mean": "gemiddelde",
    "level": "niveau t.o.v. het schaalmidden",
    "ordering": "volgorde van twee schalen",
    "contrast": "sectorcontrast",
    "group_extreme": "hoogste of laagste sector",
    "group_rank": "rangorde van sectoren",
    "group_level": "niveau van één sector",
    "mode": "vaakst gekozen antwoord",
    "same_mode": "zelfde vaakst gekozen antwoord",
    "share_bound": "aandeel boven of onder een grens",
    "population_difference": "begeleiders t.o.v. studenten",
    "effect": "verband",
    "null_effect": "geen verband",
    "hypothesis": "hypothese",
}
"""Dutch name of each claim kind, as the chapters and the rule table show it."""

FAMILY_NL = {"direction": "richting", "rank": "rangorde", "non_effect": "geen effect", "point": "puntwaarde",
             "derived": "afgeleid"}
"""The Dutch name of each family of rules (:data:`loopbaanleren.claims.verdicts.RULES`)."""

EXTRA_KINDS_NL = {"point": ("niveau (matig/enigermate)",), "derived": ("beweringen met afgeleid: ja",)}
"""Claims a family judges besides its kinds: a level near the scale midpoint, a claim marked derived."""

RULE_TEXT = {
    "richting": (
        "significant in de verwachte richting na correctie (bij meer sectoren of verschillen: elk onderdeel)",
        "een onderdeel significant in de andere richting, of aantoonbaar verwaarloosbaar (equivalentietoets)",
    ),
    "rangorde": (
        "de genoemde groep of categorie verschilt significant van elke andere in de genoemde richting "
        "(in het bijzonder van de naaste concurrent), na correctie",
        "een andere groep of categorie ligt significant voor",
    ),
    "geen effect": (
        "niet significant zonder correctie; bij \"draagt niet bij\" bovendien equivalent aan nul (het {level}-interval "
        "ligt binnen ±{bound}); bij \"draagt niet bij aan het beperken\" eenzijdig: niet significant in de ontkende "
        "richting en die kant van het {level}-interval binnen de grens; bij \"niet aantoonbaar\" alleen niet significant",
        "significant na correctie (bij \"aan het beperken\": in de ontkende richting), ook als het verband "
        "verwaarloosbaar is",
    ),
    "puntwaarde": (
        "het 95%-interval ligt binnen de marge rond de gepubliceerde waarde",
        "het 95%-interval ligt geheel buiten de marge",
    ),
    "afgeleid": (
        "volgt uit de oordelen over de onderdelen; telt niet mee in totalen en niet in een correctiefamilie",
        "volgt uit de oordelen over de onderdelen",
    ),
}
"""Per family of rules (by its Dutch name), when a claim is reproduced and when not; ``{level}`` and ``{bound}``
are filled in with the build's TOST level and equivalence bound."""


def family_of(kind: str, derived: bool = False, near: bool = False) -> str | None:
    """The Dutch name of the family of rules that judges a claim (:func:`loopbaanleren.claims.verdicts.family_of`).

    >>> family_of("contrast"), family_of("level", near=True), family_of("group_extreme", derived=True)
    ('richting', 'puntwaarde', 'afgeleid')
    """
    family = verdicts.family_of(kind, derived, near)
    return None if family is None else FAMILY_NL[family]


def _margin_reason(where: str) -> Callable[..., str]:
    return lambda margin: f"interval {where} de marge ±{margin}"


REASONS: dict[str, Callable[..., str]] = {
    "significant_expected": lambda p: f"significant in de verwachte richting ({p})",
    "significant_other": lambda p: f"significant in de andere richting ({p})",
    "negligible": lambda p: f"verwaarloosbaar: binnen de equivalentiegrens ({p})",
    "not_significant": lambda right, p: f"{'juiste' if right else 'andere'} richting, niet significant ({p})",
    "significant": lambda p, negligible: f"significant ({p})" + (", al is het verband verwaarloosbaar" if negligible else ""),
    "significant_uncorrected": lambda p, p_adjusted: f"significant zonder correctie ({p}), niet na correctie ({p_adjusted})",
    "not_significant_uncorrected": lambda p: f"niet significant, ook zonder correctie ({p})",
    "not_significant_equivalent": lambda p: f"niet significant zonder correctie ({p}) en binnen de equivalentiegrens",
    "not_significant_not_equivalent": lambda p: f"niet significant ({p}), maar niet aantoonbaar verwaarloosbaar",
    "interval_inside": _margin_reason("binnen"),
    "interval_outside": _margin_reason("geheel buiten"),
    "interval_straddles": _margin_reason("deels buiten"),
    "interval_beyond_distance": lambda whole, distance:
        f"interval {'geheel' if whole else 'deels'} verder dan {distance} boven het midden",
    "part_not_computable": lambda: "een onderdeel is niet te berekenen",
    "parts_undecided": lambda: "hangt af van onderdelen die onbeslist zijn",
    "follows_from_parts": lambda: "volgt uit de onderdelen",
}
"""The Dutch template of each reason a verdict rule gives (:mod:`loopbaanleren.claims.verdicts`), its numbers
already formatted."""
