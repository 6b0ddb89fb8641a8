"""Evaluators of claims about a registry model's standardised coefficient: an effect of a claimed sign, or a
claimed non-effect, judged on the context's CR2 OLS fit (:meth:`~loopbaanleren.claims.context.Context.fit`)."""

from __future__ import annotations

from loopbaanleren.claims import verdicts
from loopbaanleren.claims.context import Context, Outcome, example_context  # noqa: F401 - the examples
from loopbaanleren.claims.phrases import Number, Phrase
from loopbaanleren.data.registry import Claim, load_registry  # noqa: F401 - the examples
from loopbaanleren.stats.distributions import t_sf


def eval_effect(claim: Claim, ctx: Context) -> Outcome:
    """Direction rule on a standardised coefficient (CR2 OLS); negligible when its 1 - 2·alpha interval lies
    within ±``equivalence_bound``.

    Examples
    --------
    >>> eval_effect(load_registry().get("h1_pg_lr"), example_context()).sign
    1
    """
    fit = ctx.fit(claim["model"], claim["outcome"])
    est = fit.coefficient(claim["predictor"])
    positive = claim["sign"] == "+"
    return Outcome(
        computed=est.value, effect=est.value, n=est.n, ci_low=est.ci_low, ci_high=est.ci_high, p=est.p,
        rule="direction", sign=1 if positive else -1, negligible=ctx.equivalent(est.value, est.se, est.df, ctx.bound).equivalent,
        expected=Phrase("effect", positive=positive),
        found=Phrase("beta", beta=Number(est.value), level=None),
    )


def eval_null_effect(claim: Claim, ctx: Context) -> Outcome:
    """Non-effect rule on a standardised coefficient (CR2 OLS), in the form the claim's ``word`` names:

    * "draagt niet bij" (a claimed absence): not significant without correction and equivalent to zero by
      TOST within ±``equivalence_bound``;
    * "draagt niet bij aan het beperken" (one-sided, ``denied_sign``): not significant in the denied direction
      (one-sided p, without correction) and the denied side of the 1 - 2·alpha interval within the bound; an
      effect the other way does not contradict it;
    * "niet aantoonbaar": not significant in either direction without correction.

    A contradiction needs significance after correction (the test is one of its family's); in between the
    claim is undecided (:func:`loopbaanleren.claims.verdicts.non_effect`).

    Examples
    --------
    >>> eval_null_effect(load_registry().get("h1_studie_lr"), example_context()).rule
    'non_effect'
    """
    fit = ctx.fit(claim["model"], claim["outcome"])
    est = fit.coefficient(claim["predictor"])
    word = claim["word"]
    tost = ctx.equivalent(est.value, est.se, est.df, ctx.bound)
    p, equivalent = est.p, tost.equivalent
    expected = Phrase("no_effect", bound=Number(ctx.bound))
    if word == "draagt niet bij aan het beperken":
        denied = 1 if claim["denied_sign"] == "+" else -1
        se = est.se
        p = float(t_sf(denied * est.value / se, est.df or None)) if se > 0 else float(denied * est.value <= 0)
        equivalent = tost.ci_high < ctx.bound if denied > 0 else tost.ci_low > -ctx.bound
        expected = Phrase("no_effect_one_sided", positive=denied > 0, bound=Number(ctx.bound))
    elif word == "niet aantoonbaar":
        equivalent = None
        expected = Phrase("no_demonstrable_effect")
    return Outcome(
        computed=est.value, n=est.n, ci_low=est.ci_low, ci_high=est.ci_high, p=p, rule="non_effect",
        equivalent=equivalent, expected=expected,
        found=Phrase("beta", beta=Number(est.value), level=Number(verdicts.tost_level(ctx.alpha), "pct"),
                     low=Number(tost.ci_low), high=Number(tost.ci_high)),
    )
