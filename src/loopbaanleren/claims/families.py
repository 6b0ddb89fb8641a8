"""Families of tests and their correction for multiple testing.

Tested claims (directions and non-effects) are corrected within their research question by the registry's
method (``rules.multiple_testing``); a derived claim (``derived: true``, hypotheses, agreements) enters no family:
it is adjusted together with its family but leaves the family's own adjustment unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from loopbaanleren.claims.context import Outcome
from loopbaanleren.claims.phrases import Phrase
from loopbaanleren.data.registry import Claim, is_derived
from loopbaanleren.stats.multiple_testing import adjust_pvalues

POINT_KINDS = ("percentage", "mean")
"""Kinds judged by an interval against a published value: no test, no family."""


def adjusted_p(claims: Sequence[Claim], outcomes: Mapping[str, Outcome | Phrase], method: str) -> dict[str, float]:
    """Adjusted p per tested claim of ``claims`` (``outcomes``: each claim's outcome, or the reason it is not
    computable): one family per research question of the non-derived tests (directions and non-effects); a
    derived claim is adjusted together with its family but leaves the family's own adjustment unchanged."""
    adjusted: dict[str, float] = {}

    def tested(claim: Claim) -> bool:
        out = outcomes[claim.id]
        return isinstance(out, Outcome) and out.rule in ("direction", "non_effect") and out.p is not None

    for rq in dict.fromkeys(c.rq for c in claims):
        family = [c.id for c in claims if c.rq == rq and tested(c) and not is_derived(c)]
        if family:
            adjusted.update(zip(family, adjust_pvalues([outcomes[i].p for i in family], method)))
        for extra in (c.id for c in claims if c.rq == rq and tested(c) and is_derived(c)):
            ids = [*family, extra]
            adjusted[extra] = float(adjust_pvalues([outcomes[i].p for i in ids], method)[-1])
    return adjusted


def testable(claims: Sequence[Claim]) -> list[Claim]:
    """The claims among ``claims`` whose tests can form a family: not derived and not a point value."""
    return [c for c in claims if not is_derived(c) and c.kind not in POINT_KINDS]
