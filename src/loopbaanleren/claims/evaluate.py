"""The one definition of how a claim is checked: one evaluator per claim kind, and the verdicts.

``evaluate_claims`` takes a :class:`~loopbaanleren.claims.context.Context` (the data of both populations, owned by
the caller) and a set of registry claims and returns one row per claim: the computed value, its uncertainty, the
test, and the verdict, one of :data:`loopbaanleren.claims.verdicts.VERDICTS` decided by the three-way rules of
:mod:`loopbaanleren.claims.verdicts`. Notebooks, the ledger and the front page all call it, so a claim is judged the
same way everywhere; a claim evaluated once on a context is not evaluated again on it (:func:`outcome`).

The evaluators live by claim kind in :mod:`~loopbaanleren.claims.scores`, :mod:`~loopbaanleren.claims.groups` and
:mod:`~loopbaanleren.claims.effects`; a hypothesis follows from its cells (:mod:`~loopbaanleren.claims.hypotheses`).
Students are nested in eleven hogescholen, so every test uses CR2 cluster-robust errors with Bell–McCaffrey
/ Satterthwaite degrees of freedom (:mod:`loopbaanleren.stats.sandwich`). Tested claims are corrected for multiple
testing within their research question with the registry's method (:mod:`~loopbaanleren.claims.families`); a derived
claim (``derived: true``, hypotheses) gets a verdict but enters no family and counts in no total.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pandas as pd

from loopbaanleren.claims import effects, groups, hypotheses, scores, verdicts
from loopbaanleren.claims.context import Context, NotComputable, Outcome, example_data  # noqa: F401 - the examples
from loopbaanleren.claims.phrases import Phrase
from loopbaanleren.claims.families import adjusted_p, testable
from loopbaanleren.claims.qualitative import evaluate_qualitative_claim
from loopbaanleren.data.registry import Claim, is_derived, load_registry
from loopbaanleren.claims.verdicts import Decision
from loopbaanleren.errors import CompendiumError
from loopbaanleren.stats.ordinal import SeparationError

QUALITATIVE_RQ = "KWAL"
RESULT_COLUMNS = [
    "id", "rq", "population", "kind", "claim_nl", "published", "expected_nl", "computed",
    "ci_low", "ci_high", "p", "p_adjusted", "n", "margin", "derived", "verdict", "found_nl", "reason",
]
NOT_COMPUTED = {"expected_nl": None, "computed": None, "ci_low": None, "ci_high": None, "p": None,
                "p_adjusted": None, "n": None, "margin": None, "verdict": "not_computable", "found_nl": None}
def _claim_head(claim: Claim) -> dict:
    return {"id": claim.id, "rq": claim.rq, "population": claim.population, "kind": claim.kind,
            "claim_nl": claim.sentence_nl, "published": claim.published, "derived": is_derived(claim)}


def not_computable_row(claim: Claim, reason: Phrase | str) -> dict:
    """A result row (RESULT_COLUMNS) for a claim that cannot be computed, with the reason (a phrase, or the book's
    text)."""
    return _claim_head(claim) | NOT_COMPUTED | {"reason": reason}


def eval_qualitative(claim: Claim, ctx: Context) -> Outcome:
    """Claims of the interview study: counts of alumni who mention a code (see :mod:`loopbaanleren.claims.qualitative`)."""
    if ctx.interviews is None:
        raise NotComputable("no_interviews")
    found = evaluate_qualitative_claim(claim, ctx.interviews)
    if found["reproduced"] is None:
        raise NotComputable(found["reason"].key, **found["reason"].values)
    verdict = "reproduced" if found["reproduced"] else "not_reproduced"
    return Outcome(computed=found["computed"], n=found["n"], decision=Decision(verdict, None), found=found["detail"])


def decide(out: Outcome, p_adjusted: float | None, alpha: float) -> Decision:
    """The verdict on an evaluator's outcome by its rule (see :mod:`loopbaanleren.claims.verdicts`)."""
    if out.rule == "direction":
        return verdicts.direction(out.effect, p_adjusted, out.sign, alpha, out.negligible)
    if out.rule == "non_effect":
        return verdicts.non_effect(out.p, p_adjusted, out.equivalent, alpha)
    if out.rule == "point":
        return verdicts.point(out.ci_low, out.ci_high, out.target, out.margin)
    return out.decision


def outcome(claim: Claim, ctx: Context) -> Outcome | Phrase:
    """What the claim's evaluator finds on the context (before the correction for multiple testing), or why the
    claim cannot be computed there (a phrase); evaluated once per context (:attr:`Context.outcomes`)."""
    if claim.id not in ctx.outcomes:
        ctx.outcomes[claim.id] = _evaluate(claim, ctx)
    return ctx.outcomes[claim.id]


def _evaluate(claim: Claim, ctx: Context) -> Outcome | Phrase:
    try:
        if claim.rq == QUALITATIVE_RQ:
            return eval_qualitative(claim, ctx)
        return EVALUATORS[claim.kind](claim, ctx)
    except NotComputable as reason:
        return reason.phrase
    except SeparationError as error:  # an ordinal model whose estimates lie at infinity
        return Phrase("separation", outcome=error.outcome, terms=tuple(error.terms))
    except CompendiumError as error:  # too few cases, a degenerate column: the data cannot carry this claim
        return Phrase("error", message=str(error).splitlines()[0])


def prediction_pattern(claim: Claim, ctx: Context) -> pd.DataFrame:
    """Each prediction of a ``hypothesis`` claim: its published outcome, judged by its model cell's own claim
    (:func:`loopbaanleren.claims.hypotheses.pattern`), evaluated with its research question's family as everywhere
    else. NotComputable when a prediction has no cell claim.
    """
    cells = hypotheses.prediction_cells(claim)
    family = testable(load_registry().for_rq(claim.rq))
    outcomes = {c.id: outcome(c, ctx) for c in family}
    adjusted = adjusted_p(family, outcomes, ctx.rules["multiple_testing"])
    decided = {cid: decide(out, adjusted.get(cid), ctx.alpha).verdict
               for cid, out in outcomes.items() if isinstance(out, Outcome)}
    return hypotheses.pattern(claim, cells, outcomes, adjusted, decided, ctx.alpha)


def eval_hypothesis(claim: Claim, ctx: Context) -> Outcome:
    """Derived: the hypothesis's published pattern against the pattern found (:func:`prediction_pattern`,
    :func:`loopbaanleren.claims.hypotheses.hypothesis_outcome`).

    Examples
    --------
    >>> eval_hypothesis(load_registry().get("h1_hypothese"), Context(example_data())).rule
    'fixed'
    """
    return hypotheses.hypothesis_outcome(claim, prediction_pattern(claim, ctx))


EVALUATORS: dict[str, Callable[[Claim, Context], Outcome]] = {
    "percentage": scores.eval_percentage,
    "mean": scores.eval_mean,
    "level": scores.eval_level,
    "ordering": scores.eval_ordering,
    "contrast": groups.eval_contrast,
    "group_extreme": groups.eval_group_extreme,
    "group_rank": groups.eval_group_rank,
    "group_level": groups.eval_group_level,
    "mode": groups.eval_mode,
    "same_mode": groups.eval_same_mode,
    "share_bound": scores.eval_share_bound,
    "population_difference": scores.eval_population_difference,
    "effect": effects.eval_effect,
    "null_effect": effects.eval_null_effect,
    "hypothesis": eval_hypothesis,
}


def _judged(ctx: Context, claims: list[Claim]) -> tuple[dict[str, Outcome | Phrase], dict[str, float]]:
    """Each claim's outcome and the adjusted p of the tested ones."""
    outcomes = {c.id: outcome(c, ctx) for c in claims}
    return outcomes, adjusted_p(claims, outcomes, ctx.rules["multiple_testing"])


def claim_verdicts(ctx: Context, claims: Iterable[Claim]) -> list[str]:
    """The verdict of each claim, in order, as :func:`evaluate_claims` decides it, without its texts (for the
    many data sets of a simulation)."""
    claims = list(claims)
    outcomes, adjusted = _judged(ctx, claims)
    return ["not_computable" if isinstance(out, Phrase) else decide(out, adjusted.get(claim.id), ctx.alpha).verdict
            for claim, out in zip(claims, outcomes.values())]


def evaluate_claims(ctx: Context, claims: Iterable[Claim] | None = None) -> pd.DataFrame:
    """Evaluate claims (default: the whole registry) on the context's data (``students``, ``counsellors``,
    ``interviews``) at its alpha and minimum cell.

    One row per claim (:data:`RESULT_COLUMNS`); ``verdict`` is one of :data:`VERDICTS` and ``reason`` says why.
    ``expected_nl``, ``found_nl``, ``reason`` and a hypothesis's ``computed`` are phrases
    (:class:`~loopbaanleren.claims.phrases.Phrase`) that the book words (:func:`loopbaanleren.book.claim_text.with_text`).

    Examples
    --------
    >>> claims = [load_registry().get(i) for i in ("rq1_c_geen_netwerk", "h1_pg_lr", "h1_studie_lr")]
    >>> table = evaluate_claims(Context(example_data()), claims)
    >>> table[["id", "kind", "derived"]]
                       id         kind  derived
    0  rq1_c_geen_netwerk   percentage    False
    1            h1_pg_lr       effect    False
    2        h1_studie_lr  null_effect    False
    >>> bool(table["verdict"].isin(verdicts.VERDICTS).all() and table["p_adjusted"].iloc[1:].notna().all())
    True
    """
    claims = list(claims if claims is not None else load_registry())
    outcomes, adjusted = _judged(ctx, claims)
    rows = []
    for claim in claims:
        out = outcomes[claim.id]
        if isinstance(out, Phrase):
            rows.append(not_computable_row(claim, out))
            continue
        p_adj = adjusted.get(claim.id)
        decision = decide(out, p_adj, ctx.alpha)
        found = {k: getattr(out, k) for k in ("computed", "ci_low", "ci_high", "p", "n", "margin")}
        rows.append(_claim_head(claim) | found | {"expected_nl": out.expected, "found_nl": out.found,
                                                  "p_adjusted": p_adj, "verdict": decision.verdict,
                                                  "reason": out.reason or decision.reason})
    return pd.DataFrame(rows, columns=RESULT_COLUMNS)
