"""A claim's evaluation as text: the phrases the evaluators return (a template key with its values, numbers still
unformatted: :class:`~loopbaanleren.claims.phrases.Phrase`) become Dutch text here, their numbers through the book's
number formats (:mod:`loopbaanleren.book.formatting`)."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from loopbaanleren.book.formatting import fmt_margin, fmt_n, fmt_num, fmt_p, fmt_pct, fmt_points, fmt_rule_p
from loopbaanleren.book.verdict_text import HYPOTHESIS_NL, OUTCOME_NL, REASONS
from loopbaanleren.claims.phrases import Number, Phrase

NUMBER_FORMATS: dict[str, Callable[[float], str]] = {
    "num": fmt_num, "pct": fmt_pct, "p": fmt_p, "points": fmt_points, "rule_p": fmt_rule_p, "margin": fmt_margin,
}
"""How each kind of :class:`~loopbaanleren.claims.phrases.Number` becomes text."""
TEXT_COLUMNS = ("expected_nl", "found_nl", "reason")
"""The columns of :func:`loopbaanleren.claims.evaluate.evaluate_claims` that hold a phrase (or nothing); a
hypothesis's ``computed`` is one too."""

POPULATION_NL = {"students": "studenten", "counsellors": "begeleiders", "both": "studenten en begeleiders"}
"""The Dutch name of each population, as a phrase names it."""
NOT_COMPUTED_DETAIL = "niet berekenbaar"
"""What a qualitative claim that cannot be computed shows as its detail."""


def _quoted(labels: tuple[str, ...], joiner: str = " of ") -> str:
    return joiner.join(f"‘{label}’" for label in labels)


def _outcomes(counts: dict) -> str:
    """Counts of a hypothesis's predictions by outcome, e.g. "2 gesteund, 1 niet gesteund, 0 tegengesteld"."""
    return ", ".join(f"{fmt_n(counts.get(key, 0))} {OUTCOME_NL[key]}" for key in ("supported", "not_supported", "contrary"))


def _separation(outcome: str, terms: tuple[str, ...]) -> str:
    named = " en ".join(f"'{term}'" for term in terms)
    verb = "scheidt" if len(terms) == 1 else "scheiden"
    return (f"het ordinale model van '{outcome}' heeft geen eindige schattingen: {named} {verb} de antwoorden "
            "(volledige of quasi-volledige scheiding)")


def _codes_met(not_met: tuple[str, ...], codes: int, least: str, count: int, n: int) -> str:
    least_text = f"minst genoemd: {least} ({fmt_n(count)} van {fmt_n(n)})"
    if not_met:
        return f"{fmt_n(len(not_met))} van {fmt_n(codes)} codes voldoen niet ({', '.join(not_met)}); {least_text}"
    return f"alle {fmt_n(codes)} codes voldoen; {least_text}"


PHRASES: dict[str, Callable[..., str]] = {
    # what a claim expects and what was found
    "share_margin": lambda share, margin: f"{share} (marge ±{margin} procentpunt)",
    "share_of": lambda share, categories: f"{share} {_quoted(categories)}",
    "share": lambda share: share,
    "categories": lambda categories: _quoted(categories),
    "mean_margin": lambda mean, margin: f"gemiddelde {mean} (marge ±{margin})",
    "mean": lambda mean: f"gemiddelde {mean}",
    "near_midpoint": lambda midpoint, margin: f"rond het schaalmidden {midpoint} (binnen ±{margin})",
    "beyond_midpoint": lambda direction, midpoint, distance:
        f"{'net ' if distance else ''}{'boven' if direction == 'above' else 'onder'} het schaalmidden {midpoint}"
        + (f" (hooguit {distance} erboven)" if distance else ""),
    "higher_than": lambda higher, by, lower:
        f"‘{higher}’ " + (f"meer dan {by} punt " if by else "") + f"hoger dan {', '.join(lower)}",
    "smallest_difference": lambda difference: f"kleinste verschil {difference}",
    "share_beyond": lambda above, bound, of: f"{'meer' if above else 'minder'} dan {bound} {of}",
    "score_at_least": lambda score, measure: f"met een score van ten minste {score} op ‘{measure}’",
    "counsellors_vs_students": lambda higher: f"begeleiders {'hoger' if higher else 'lager'} dan studenten",
    "difference_g": lambda difference, g: f"verschil {difference} (Hedges' g {g})",
    "sectors_each": lambda sectors, lower, several:
        f"{' en '.join(sectors)} elk {'lager' if lower else 'hoger'} dan "
        + ("de niet genoemde sectoren" if several else "de andere sectoren"),
    "sector_contrasts": lambda parts: "; ".join(f"{sector} {value} ({p})" for sector, value, p in parts),
    "sector_extreme": lambda sector, lowest:
        f"{sector} {'laagste' if lowest else 'hoogste'} van alle sectoren (getoetst tegen elke andere sector)",
    "runner_up": lambda ordered, runner_up, difference:
        (f"volgorde: {', '.join(ordered)}; " if ordered else "") + f"verschil met de naaste sector ({runner_up}) {difference}",
    "sector_places": lambda sectors, ranks, lowest:
        f"{' en '.join(sectors)} op plaats {'-'.join(fmt_n(rank) for rank in ranks)} van {'laagste' if lowest else 'hoogste'}",
    "sector_beyond_midpoint": lambda sector, below, midpoint:
        f"{sector} {'onder' if below else 'boven'} het schaalmidden {midpoint}",
    "sector_mean": lambda sector, mean: f"gemiddelde {sector} {mean}",
    "mode": lambda category: f"meest genoemd: ‘{category}’",
    "mode_found": lambda category, share, rival, difference:
        f"meest genoemd: ‘{category}’ ({share}); verschil met ‘{rival}’ {difference}",
    "same_mode": lambda: "studenten en begeleiders noemen dezelfde categorie het vaakst",
    "modes": lambda students, counsellors: f"studenten: ‘{students}’, begeleiders: ‘{counsellors}’",
    "effect": lambda positive: f"{'positief' if positive else 'negatief'} verband (β {'>' if positive else '<'} 0)",
    "beta": lambda beta, level, low=None, high=None: f"β = {beta}" + (f", {level}-BI [{low}; {high}]" if level else ""),
    "no_effect": lambda bound: f"geen verband (|β| < {bound})",
    "no_effect_one_sided": lambda positive, bound:
        f"geen {'positief' if positive else 'negatief'} verband (β {'<' if positive else '>'} "
        f"{'' if positive else '−'}{bound}; eenzijdig)",
    "no_demonstrable_effect": lambda: "geen aantoonbaar verband (niet significant, zonder correctie)",
    "hypothesis_label": lambda low, high:
        HYPOTHESIS_NL[low] if low == high else f"{HYPOTHESIS_NL[low]} of {HYPOTHESIS_NL[high]}",
    "hypothesis_pattern": lambda label, counts:
        f"hypothese {label}: {_outcomes(counts)} (het patroon van de samenvatting)",
    "hypothesis_found": lambda as_published, total, undecided, counts, label:
        f"{fmt_n(as_published)} van de {fmt_n(total)} voorspellingen zoals gepubliceerd"
        + (f", {fmt_n(undecided)} onbeslist" if undecided else "") + f"; {_outcomes(counts)}: {label}",
    "interviews": lambda n: f"{fmt_n(n)} interviews",
    "mentioned": lambda label, count, n: f"{label}: genoemd in {fmt_n(count)} van {fmt_n(n)} interviews",
    "codes_met": _codes_met,
    # why a claim cannot be computed
    "no_data": lambda population: f"geen data van {POPULATION_NL[population]}",
    "no_variable": lambda variable, population:
        f"variabele '{variable}' ontbreekt of is leeg in de data van {POPULATION_NL[population]}",
    "sectors_too_small": lambda sectors, min_cell:
        f"sector {', '.join(sectors)} heeft minder dan {fmt_n(min_cell)} respondenten",
    "sectors_missing": lambda sectors, min_cell:
        f"sector {', '.join(sectors)} ontbreekt of heeft minder dan {fmt_n(min_cell)} respondenten",
    "no_other_sector": lambda: "geen andere sector om mee te vergelijken",
    "no_sector_to_compare": lambda min_cell:
        f"geen sector om mee te vergelijken met ten minste {fmt_n(min_cell)} respondenten",
    "no_cell_claim": lambda cells:
        f"geen bewering over {', '.join(f'{predictor} → {outcome}' for predictor, outcome in cells)}",
    "no_interviews": lambda: "geen gecodeerde interviews",
    "no_interviews_in_data": lambda: "geen interviews in de gegevens",
    "unknown_codes": lambda codes: f"onbekend in het codeerschema: {', '.join(codes)}",
    "unknown_theme": lambda theme: f"thema '{theme}' staat niet in het codeerschema",
    "separation": _separation,
    "error": lambda message: message,
    **REASONS,
}
"""The Dutch template of each phrase key, as a function of the phrase's values (numbers already formatted)."""


def _value(value: object) -> object:
    """A phrase's value with its numbers and nested phrases as text (also inside tuples)."""
    if isinstance(value, Number):
        return NUMBER_FORMATS[value.format](value.value)
    if isinstance(value, Phrase):
        return render(value)
    if isinstance(value, tuple):
        return tuple(_value(part) for part in value)
    return value


def render(phrase: Phrase | str | None) -> str:
    """A phrase as Dutch text, its numbers formatted (:data:`NUMBER_FORMATS`); a text stays as it is, None is empty.

    >>> render(Phrase("mean_margin", mean=Number(3.3449), margin=Number(0.1)))
    'gemiddelde 3,34 (marge ±0,10)'
    >>> render(Phrase("share_margin", share=Number(0.4, "pct"), margin=Number(0.1, "points")))
    '40% (marge ±10,0 procentpunt)'
    """
    if phrase is None:
        return ""
    if not isinstance(phrase, Phrase):
        return phrase
    return PHRASES[phrase.key](**{name: _value(value) for name, value in phrase.values.items()})


def with_text(results: pd.DataFrame) -> pd.DataFrame:
    """Evaluated claims (:func:`loopbaanleren.claims.evaluate.evaluate_claims`) with their phrases as text; the other
    values of ``computed`` (numbers, codebook labels) stay as they are."""
    return results.assign(**{column: results[column].map(render) for column in TEXT_COLUMNS},
                          computed=results["computed"].map(lambda value: render(value) if isinstance(value, Phrase) else value))
