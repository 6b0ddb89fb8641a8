"""Families of tests and their correction for multiple testing.

Tested claims (directions and non-effects) are corrected within their research question by the registry's
method (``rules.multiple_testing``); a derived claim (``derived: true``, hypotheses, agreements) enters no family:
it is adjusted together with its family but leaves the family's own adjustment unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from loopbaanleren.claims.context import Outcome
from loopbaanleren.claims.registry import Claim
from loopbaanleren.stats.compare import holm

DERIVED_KINDS = ("hypothesis", "same_mode")
"""Kinds that are derived by their nature (they restate other claims); other claims are derived when marked."""
POINT_KINDS = ("percentage", "mean")
"""Kinds judged by an interval against a published value: no test, no family."""


def is_derived(claim: Claim) -> bool:
    """True for a claim that restates others (a hypothesis, an agreement, or marked ``derived: true``)."""
    return claim.derived or claim.kind in DERIVED_KINDS


def adjust(pvalues: Sequence[float], method: str) -> np.ndarray:
    """p-values corrected for multiple testing by the registry's method (holm, bonferroni or none).

    Holm (1979): the step-down correction of :func:`loopbaanleren.stats.compare.holm`; Bonferroni: each p times m, at
    most 1.

    Examples
    --------
    >>> adjust([0.01, 0.04, 0.03], "holm")
    array([0.03, 0.06, 0.06])
    >>> adjust([0.01, 0.04, 0.03], "bonferroni")
    array([0.03, 0.12, 0.09])
    """
    values = np.asarray(pvalues, dtype=float)
    if method == "none" or len(values) == 0:
        return values
    if method == "bonferroni":
        return np.minimum(1.0, values * len(values))
    return holm(values)


def adjusted_p(claims: Sequence[Claim], outcomes: Mapping[str, Outcome | str], method: str) -> dict[str, float]:
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
            adjusted.update(zip(family, adjust([outcomes[i].p for i in family], method)))
        for extra in (c.id for c in claims if c.rq == rq and tested(c) and is_derived(c)):
            ids = [*family, extra]
            adjusted[extra] = float(adjust([outcomes[i].p for i in ids], method)[-1])
    return adjusted


def testable(claims: Sequence[Claim]) -> list[Claim]:
    """The claims among ``claims`` whose tests can form a family: not derived and not a point value."""
    return [c for c in claims if not is_derived(c) and c.kind not in POINT_KINDS]
