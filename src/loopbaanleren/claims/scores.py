"""Evaluators of claims about the scores and shares of a population: a published percentage or mean, a mean
against the scale midpoint, an ordering of measures, a share against a bound, and a difference between students
and counsellors.

Each takes a registry claim and a :class:`~loopbaanleren.claims.context.Context` and returns an
:class:`~loopbaanleren.claims.context.Outcome` (CR2 cluster-robust inference throughout); its phrases carry
their numbers unformatted (:class:`~loopbaanleren.claims.phrases.Phrase`).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from loopbaanleren.claims.context import Context, Outcome, example_context, midpoint  # noqa: F401 - examples
from loopbaanleren.claims.phrases import Number, Phrase
from loopbaanleren.data.registry import Claim, load_registry  # noqa: F401 - the examples
from loopbaanleren.claims.verdicts import Decision
from loopbaanleren.data.codebook import load_codebook
from loopbaanleren import stats
from loopbaanleren.stats.distributions import t_sf
from loopbaanleren.stats.results import Estimate


def category_labels(population: str, variable: str, categories: Iterable[int]) -> tuple[str, ...]:
    """The codebook's labels of ``categories`` of ``variable``."""
    values = load_codebook().variables(population)[variable].values
    return tuple(values[c] for c in categories)


def against(est: Estimate, bound: float) -> float:
    """Two-sided p of an estimate against ``bound`` (its own p when the bound is 0), t with its df."""
    if not bound:
        return est.p
    if not est.se > 0:
        return 0.0 if est.value != bound else 1.0
    return float(min(1.0, 2 * t_sf(abs(est.value - bound) / est.se, est.df or None)))


def eval_percentage(claim: Claim, ctx: Context) -> Outcome:
    """Point rule on a share: the share of valid answers in ``categories`` with its CR2 interval.

    The margin is that of :func:`loopbaanleren.stats.margins.margin_point` with sd = sqrt(p(1 - p)) of the published
    share p at the original study's N and design effect.

    Examples
    --------
    >>> out = eval_percentage(load_registry().get("rq1_c_geen_netwerk"), example_context())
    >>> out.rule, round(out.margin, 3)
    ('point', 0.1)
    """
    pop = claim.population
    est = stats.proportion(ctx.column(pop, claim["variable"]), claim["categories"], ctx.cluster(pop))
    margin = ctx.margin(pop, float(np.sqrt(claim.published * (1 - claim.published))))
    return Outcome(
        computed=est.value, n=est.n, ci_low=est.ci_low, ci_high=est.ci_high, rule="point",
        target=claim.published, margin=margin,
        expected=Phrase("share_margin", share=Number(claim.published, "pct"), margin=Number(margin, "points")),
        found=Phrase("share_of", share=Number(est.value, "pct"),
                     categories=category_labels(pop, claim["variable"], claim["categories"])),
    )


def eval_mean(claim: Claim, ctx: Context) -> Outcome:
    """Point rule on a mean: the CR2 interval of the mean must lie within published ± margin.

    The margin uses the standard deviation of the measure in these data as the original study's.

    Examples
    --------
    >>> out = eval_mean(load_registry().get("rq3_loopbaansucces"), example_context())
    >>> out.rule, out.margin > 0
    ('point', True)
    """
    pop = claim.population
    x = ctx.column(pop, claim["measure"])
    est = stats.mean_ci(x, ctx.cluster(pop))
    margin = ctx.margin(pop, float(x.std()))
    return Outcome(
        computed=est.value, n=est.n, ci_low=est.ci_low, ci_high=est.ci_high, rule="point",
        target=claim.published, margin=margin,
        expected=Phrase("mean_margin", mean=Number(claim.published), margin=Number(margin)),
        found=Phrase("mean", mean=Number(est.value)),
    )


def eval_level(claim: Claim, ctx: Context) -> Outcome:
    """A mean against the scale midpoint.

    ``direction: above/below``: direction rule on mean - midpoint (one-sample CR2 test); negligible when its
    1 - 2·alpha interval lies within ±``negligible_difference``. ``max_distance`` ("net boven") adds a point
    rule: the interval must also lie below midpoint + max_distance. ``direction: near`` ("matig",
    "enigermate"): point rule, the 95% interval within midpoint ± ``near_margin``.

    Examples
    --------
    >>> eval_level(load_registry().get("rq1_s_pg_onder"), example_context()).rule
    'direction'
    >>> eval_level(load_registry().get("rq6_lm_matig"), example_context()).rule
    'point'
    """
    pop, measure = claim.population, claim["measure"]
    mid = midpoint(pop, measure)
    direction = claim["direction"]
    if direction == "near":
        est = stats.mean_ci(ctx.column(pop, measure), ctx.cluster(pop))
        margin = float(ctx.rules["near_margin"])
        return Outcome(
            computed=est.value, n=est.n, ci_low=est.ci_low, ci_high=est.ci_high, rule="point", target=mid, margin=margin,
            expected=Phrase("near_midpoint", midpoint=Number(mid), margin=Number(margin)),
            found=Phrase("mean", mean=Number(est.value)),
        )
    est = stats.one_sample(ctx.column(pop, measure), mid, ctx.cluster(pop))
    mean = est.mean
    tost = ctx.equivalent(est.value, est.se, est.df, ctx.negligible_difference)
    distance = claim.get("max_distance")
    out = Outcome(
        computed=mean, effect=est.value, n=est.n, ci_low=est.ci_low + mid, ci_high=est.ci_high + mid, p=est.p,
        rule="direction", sign=1 if direction == "above" else -1, negligible=tost.equivalent,
        expected=Phrase("beyond_midpoint", direction=direction, midpoint=Number(mid),
                        distance=Number(distance) if distance else None),
        found=Phrase("mean", mean=Number(mean)),
    )
    if distance:
        out.margin = float(distance)
        if out.ci_high > mid + out.margin:  # the "net" part: not clearly within max_distance
            whole = out.ci_low > mid + out.margin
            out.rule, out.decision = "fixed", Decision("not_reproduced" if whole else "undecided", None)
            out.reason = Phrase("interval_beyond_distance", whole=whole, distance=Number(out.margin))
    return out


def eval_ordering(claim: Claim, ctx: Context) -> Outcome:
    """Direction rule on paired differences: the higher measure exceeds each lower one within respondents.

    Each difference is a CR2 one-sample test, against ``min_difference`` when the claim has one ("verreweg":
    the difference must exceed that bound significantly); intersection-union: the claim rests on the smallest
    difference and the largest p. Negligible when the smallest difference's 1 - 2·alpha interval lies within
    ±``negligible_difference``.

    Examples
    --------
    >>> eval_ordering(load_registry().get("rq1_s_pg_boven_vg"), example_context()).sign
    1
    """
    pop = claim.population
    frame = ctx.frame(pop)
    ctx.column(pop, claim["higher"])
    diffs = [
        stats.paired_difference(frame.assign(**{low: ctx.column(pop, low)}), claim["higher"], low, ctx.rules["cluster_variable"])
        for low in claim["lower"]
    ]
    worst = min(diffs, key=lambda d: d.value)
    labels = tuple(load_codebook().label(pop, low) for low in claim["lower"])
    bound = claim.get("min_difference") or 0.0
    tests = [against(d, bound) for d in diffs]
    return Outcome(
        computed=worst.value, effect=worst.value - bound, n=worst.n, ci_low=worst.ci_low, ci_high=worst.ci_high,
        p=max(tests) if all(d.value > bound for d in diffs) else against(worst, bound), rule="direction",
        negligible=ctx.equivalent(worst.value, worst.se, worst.df, ctx.negligible_difference).equivalent,
        expected=Phrase("higher_than", higher=load_codebook().label(pop, claim["higher"]),
                        by=Number(bound) if bound else None, lower=labels),
        found=Phrase("smallest_difference", difference=Number(worst.value)),
    )


def eval_share_bound(claim: Claim, ctx: Context) -> Outcome:
    """Direction rule on a share against a bound ("meer dan de helft", "weinigen"): one-sample CR2 test of
    the 0/1 indicator against ``min`` (claimed above) or ``max`` (claimed below). The share is of answers in
    ``categories`` of ``variable``, or of scale scores of at least ``at_least`` on ``measure`` ("het grootste deel
    erg zeker").

    Examples
    --------
    >>> eval_share_bound(load_registry().get("rq6_ud_weinig"), example_context()).sign
    -1
    """
    pop = claim.population
    if claim.get("measure"):
        score = ctx.column(pop, claim["measure"])
        x, categories = (score >= claim["at_least"]).astype(float).where(score.notna()), [1.0]
        what = Phrase("score_at_least", score=Number(claim["at_least"]),
                      measure=load_codebook().label(pop, claim["measure"]))
    else:
        x, categories = ctx.column(pop, claim["variable"]), claim["categories"]
        what = Phrase("categories", categories=category_labels(pop, claim["variable"], categories))
    est = stats.proportion(x, categories, ctx.cluster(pop))
    above = claim.get("min") is not None
    bound = claim["min"] if above else claim["max"]
    valid = x.notna()
    test = stats.one_sample(x[valid].isin(categories).astype(float), bound, ctx.cluster(pop)[valid])
    return Outcome(
        computed=est.value, effect=test.value, n=est.n, ci_low=est.ci_low, ci_high=est.ci_high, p=test.p,
        rule="direction", sign=1 if above else -1,
        expected=Phrase("share_beyond", above=above, bound=Number(bound, "pct"), of=what),
        found=Phrase("share", share=Number(est.value, "pct")),
    )


def eval_population_difference(claim: Claim, ctx: Context) -> Outcome:
    """Direction rule on counsellors minus students: OLS of the measure on a counsellor indicator over both
    populations stacked, CR2 errors clustered by hogeschool (students and counsellors of one hogeschool
    form one cluster); Hedges' g as effect size.

    Examples
    --------
    >>> eval_population_difference(load_registry().get("rq2_c_zelfbeeld_hoger"), example_context()).sign
    1
    """
    measure = claim["measure"]
    c, s = ctx.column("counsellors", measure), ctx.column("students", measure)
    stacked = pd.DataFrame({
        "y": pd.concat([c, s], ignore_index=True),
        "counsellor": np.r_[np.ones(len(c)), np.zeros(len(s))],
        "cluster": pd.concat([ctx.cluster("counsellors").astype(str), ctx.cluster("students").astype(str)], ignore_index=True),
    }).dropna()
    design = np.column_stack([np.ones(len(stacked)), stacked["counsellor"].to_numpy()])
    est = stats.cr2_estimate(stacked["y"].to_numpy(float), design, stacked["cluster"].to_numpy(), 1)
    g = stats.two_sample(c, s).hedges_g
    higher = claim["direction"] == "counsellors_higher"
    return Outcome(
        computed=est.value, effect=est.value, n=est.n, ci_low=est.ci_low, ci_high=est.ci_high, p=est.p,
        rule="direction", sign=1 if higher else -1,
        negligible=ctx.equivalent(est.value, est.se, est.df, ctx.negligible_difference).equivalent,
        expected=Phrase("counsellors_vs_students", higher=higher),
        found=Phrase("difference_g", difference=Number(est.value), g=Number(g)),
    )
