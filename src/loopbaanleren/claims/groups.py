"""Evaluators of claims that compare sectors or answer categories: a sector against the others (contrast), the
lowest or highest sector, sectors in named places, a sector against the scale midpoint, the most frequent answer
and the same most frequent answer in both populations.

Sector means are compared by CR2 contrasts of a sector fit (intersection-union: the runner-up decides); each
evaluator takes a registry claim and a :class:`~loopbaanleren.claims.context.Context` and returns an
:class:`~loopbaanleren.claims.context.Outcome`.
"""

from __future__ import annotations

import numpy as np

from loopbaanleren.claims import verdicts
from loopbaanleren.claims.context import (  # noqa: F401 - example_context: the examples
    Context, NotComputable, Outcome, example_context, midpoint,
)
from loopbaanleren.claims.phrases import Number, Phrase
from loopbaanleren.data.registry import Claim, load_registry  # noqa: F401 - the examples
from loopbaanleren.data.codebook import load_codebook
from loopbaanleren import stats
from loopbaanleren.stats.results import Contrast


def contrast_parts(claim: Claim, ctx: Context) -> list[tuple[str, object]]:
    """Each focal sector of a ``contrast`` claim against the sectors the claim does not name (CR2 planned
    contrast of that sector against those sectors pooled), as (sector, estimate) pairs in the claim's order."""
    pop, measure = claim.population, claim["measure"]
    frame = ctx.frame(pop)
    ctx.column(pop, measure)
    sector = ctx.rules["sector_variable"]
    counts = frame.loc[frame[measure].notna(), sector].value_counts()
    small = [g for g in claim["focal"] if counts.get(g, 0) < ctx.min_cell]
    if small:
        raise NotComputable("sectors_too_small", sectors=tuple(small), min_cell=ctx.min_cell)
    others = ~frame[sector].isin(claim["focal"])
    if not (others & frame[measure].notna()).any():
        raise NotComputable("no_other_sector")
    return [(g, stats.planned_contrast(frame[others | (frame[sector] == g)], measure, sector, [g],
                                         ctx.rules["cluster_variable"]))
            for g in claim["focal"]]


def eval_contrast(claim: Claim, ctx: Context) -> Outcome:
    """Direction rule on each focal sector against the sectors not named (CR2 planned contrasts;
    intersection-union: reproduced only when every named sector is, so the claim rests on the largest p and
    the smallest difference in the claimed direction; when a part goes the other way, on that part's p).
    Negligible when a part's 1 - 2·alpha interval lies within ±``negligible_difference``.

    Examples
    --------
    >>> eval_contrast(load_registry().get("rq1_s_pg_contrast_te"), example_context()).sign
    -1
    """
    parts = contrast_parts(claim, ctx)
    lower = claim["direction"] == "lower"
    sign = -1 if lower else 1
    name, worst = min(parts, key=lambda part: sign * part[1].value)
    right = all(sign * est.value > 0 for _, est in parts)
    negligible = any(ctx.equivalent(est.value, est.se, est.df, ctx.negligible_difference).equivalent
                     for _, est in parts)
    return Outcome(
        computed=worst.value, effect=worst.value, n=sum(est.n_focal for _, est in parts) + parts[0][1].n_other,
        ci_low=worst.ci_low, ci_high=worst.ci_high, p=max(est.p for _, est in parts) if right else worst.p,
        rule="direction", sign=sign, negligible=negligible,
        expected=Phrase("sectors_each", sectors=tuple(claim["focal"]), lower=lower, several=len(parts) > 1),
        found=Phrase("sector_contrasts", parts=tuple((g, Number(est.value), Number(est.p, "p")) for g, est in parts)),
    )


def sector_fit(ctx: Context, pop: str, measure: str, groups: list[str]):
    """CR2 OLS of the measure on one indicator per sector (no intercept), sectors of at least min_cell only:
    ``(fit, sectors kept, n)``; NotComputable when a sector of ``groups`` is not kept."""
    frame = ctx.frame(pop)
    ctx.column(pop, measure)
    sector, cluster = ctx.rules["sector_variable"], ctx.rules["cluster_variable"]
    sample = frame[[measure, sector, cluster]].dropna()
    counts = sample[sector].value_counts()
    kept = [g for g in sample[sector].cat.categories if counts.get(g, 0) >= ctx.min_cell]
    missing = [g for g in groups if g not in kept]
    if missing:
        raise NotComputable("sectors_missing", sectors=tuple(missing), min_cell=ctx.min_cell)
    sample = sample[sample[sector].isin(kept)]
    design = np.column_stack([(sample[sector] == g).to_numpy(float) for g in kept])
    fit = stats.cluster_robust(sample[measure].to_numpy(float), design, sample[cluster].to_numpy(), kind="CR2")
    return fit, kept, len(sample)


def exact_contrast(fit, c: np.ndarray) -> Contrast:
    """A contrast of a CR2 fit; one without any spread (every answer equal within groups) is exact: p 0 or 1."""
    try:
        return fit.contrast(c)
    except ZeroDivisionError:
        estimate = float(c @ fit.params)
        return Contrast(value=estimate, ci_low=estimate, ci_high=estimate, n=fit.n, p=0.0 if estimate else 1.0,
                        n_clusters=fit.n_clusters, df=1.0, se=0.0, t=np.inf)


class SectorSubset:
    """A view of a sector fit restricted to some sectors (their contrasts only)."""

    def __init__(self, fit, index: list[int]):
        self.fit, self.index = fit, index
        self.params = fit.params[index]

    def contrast(self, c: np.ndarray) -> Contrast:
        """The contrast ``c`` of the kept sectors, in the full fit."""
        full = np.zeros(len(self.fit.params))
        full[self.index] = c
        return exact_contrast(self.fit, full)


def rank_outcome(fit, kept: list[str], claimed: list[str], sign: int, n: int, ctx: Context) -> tuple[Outcome, str]:
    """Each claimed group against each group not claimed (intersection-union): the runner-up decides.

    ``sign`` = -1 when the claimed groups should be lower than the others. Returns the outcome and the runner-up.
    """
    others = [g for g in kept if g not in claimed]
    if not others or not claimed:
        raise NotComputable("no_sector_to_compare", min_cell=ctx.min_cell)
    pairs = []
    for a in claimed:
        for b in others:
            c = np.zeros(len(kept))
            c[kept.index(a)], c[kept.index(b)] = 1, -1
            pairs.append((a, b, exact_contrast(fit, c)))
    worst = min(pairs, key=lambda t: sign * t[2].value)
    contrary = [t for t in pairs if sign * t[2].value < 0 and t[2].p < ctx.alpha]
    est = worst[2]
    all_right = all(sign * t[2].value > 0 for t in pairs)
    out = Outcome(
        computed=est.value, effect=est.value, n=n, ci_low=est.ci_low, ci_high=est.ci_high,
        p=max(t[2].p for t in pairs) if all_right else est.p, rule="direction", sign=sign,
        negligible=ctx.equivalent(est.value, est.se, est.df, ctx.negligible_difference).equivalent,
    )
    if contrary and all_right is False and out.p >= ctx.alpha:  # another group significantly ahead
        out.p = min(t[2].p for t in contrary)
    return out, worst[1]


def eval_group_extreme(claim: Claim, ctx: Context) -> Outcome:
    """Rank rule: the named sector is the lowest (highest), tested against every other sector with CR2
    contrasts of sector means; the runner-up decides (intersection-union, largest p).

    Examples
    --------
    >>> eval_group_extreme(load_registry().get("rq4_sw_laagste_e"), example_context()).sign
    -1
    """
    pop, measure, group = claim.population, claim["measure"], claim["group"]
    fit, kept, n = sector_fit(ctx, pop, measure, [group])
    lowest = claim["extreme"] == "lowest"
    out, runner_up = rank_outcome(fit, kept, [group], -1 if lowest else 1, n, ctx)
    out.expected = Phrase("sector_extreme", sector=group, lowest=lowest)
    out.found = Phrase("runner_up", ordered=None, runner_up=runner_up, difference=Number(out.computed))
    return out


def eval_group_rank(claim: Claim, ctx: Context) -> Outcome:
    """Rank rule: the named sectors take the named places; each is tested against every sector ranked after
    them (CR2 contrasts of sector means, intersection-union) and, for places after the first, the sectors
    before them must be significantly more extreme as well.

    Examples
    --------
    >>> eval_group_rank(load_registry().get("rq4_sw_volgend"), example_context()).rule
    'direction'
    """
    pop, measure = claim.population, claim["measure"]
    fit, kept, n = sector_fit(ctx, pop, measure, list(claim["groups"]))
    lowest = claim["end"] == "lowest"
    sign = -1 if lowest else 1
    means = dict(zip(kept, fit.params))
    ordered = sorted(kept, key=lambda g: means[g], reverse=not lowest)
    first = min(claim["ranks"])
    before = ordered[: first - 1] if set(ordered[: first - 1]).isdisjoint(claim["groups"]) else []
    after_kept = [g for g in kept if g not in before]
    sub = [kept.index(g) for g in after_kept]
    out, runner_up = rank_outcome(SectorSubset(fit, sub), after_kept, list(claim["groups"]), sign, n, ctx)
    if before:  # the places before: those sectors must beat the named ones
        ahead, _ = rank_outcome(SectorSubset(fit, [kept.index(g) for g in kept]), kept, before, sign, n, ctx)
        out.p = max(out.p, ahead.p) if ahead.sign * ahead.computed > 0 else ahead.p
    out.expected = Phrase("sector_places", sectors=tuple(claim["groups"]), ranks=tuple(claim["ranks"]), lowest=lowest)
    out.found = Phrase("runner_up", ordered=tuple(ordered), runner_up=runner_up, difference=Number(out.computed))
    return out


def eval_group_level(claim: Claim, ctx: Context) -> Outcome:
    """Direction rule on one sector's mean against the scale midpoint (CR2 one-sample test in that sector).

    Examples
    --------
    >>> eval_group_level(load_registry().get("rq4_sw_onderwijs_onder"), example_context()).sign
    -1
    """
    pop, measure, group = claim.population, claim["measure"], claim["group"]
    frame = ctx.frame(pop)
    ctx.column(pop, measure)
    part = frame[frame[ctx.rules["sector_variable"]] == group]
    if part[measure].notna().sum() < ctx.min_cell:
        raise NotComputable("sectors_too_small", sectors=(group,), min_cell=ctx.min_cell)
    mid = midpoint(pop, measure)
    est = stats.one_sample(part[measure], mid, part[ctx.rules["cluster_variable"]])
    below = claim["direction"] == "below"
    return Outcome(
        computed=est.mean, effect=est.value, n=est.n, ci_low=est.ci_low + mid, ci_high=est.ci_high + mid, p=est.p,
        rule="direction", sign=-1 if below else 1,
        negligible=ctx.equivalent(est.value, est.se, est.df, ctx.negligible_difference).equivalent,
        expected=Phrase("sector_beyond_midpoint", sector=group, below=below, midpoint=Number(mid)),
        found=Phrase("sector_mean", sector=group, mean=Number(est.mean)),
    )


def mode_test(ctx: Context, pop: str, variable: str, category: int):
    """Share of ``category`` minus the share of the most frequent other category, CR2 (paired indicators):
    ``(interval estimate, test, the rival category, the shares)``."""
    x = ctx.column(pop, variable)
    valid = x.notna()
    shares = x[valid].value_counts(normalize=True)
    rival = shares.drop(category, errors="ignore").idxmax()
    diff = (x[valid] == category).astype(float) - (x[valid] == rival).astype(float)
    est = stats.mean_ci(diff, ctx.cluster(pop)[valid])
    test = stats.one_sample(diff, 0.0, ctx.cluster(pop)[valid])
    return est, test, int(rival), shares


def eval_mode(claim: Claim, ctx: Context) -> Outcome:
    """Rank rule on answer categories: the named category is chosen more often than the runner-up category
    (difference of the two shares, CR2); not reproduced when another category is significantly more frequent.

    Examples
    --------
    >>> eval_mode(load_registry().get("rq2_s_gesprekken_1_4"), example_context()).rule
    'direction'
    """
    pop, variable = claim.population, claim["variable"]
    est, test, rival, shares = mode_test(ctx, pop, variable, claim["category"])
    values = load_codebook().variables(pop)[variable].values
    return Outcome(
        computed=values[int(shares.idxmax())], n=est.n, ci_low=est.ci_low, ci_high=est.ci_high, p=test.p,
        effect=test.value, rule="direction",
        expected=Phrase("mode", category=values[claim["category"]]),
        found=Phrase("mode_found", category=values[int(shares.idxmax())], share=Number(shares.max(), "pct"),
                     rival=values[rival], difference=Number(test.value, "pct")),
    )


def eval_same_mode(claim: Claim, ctx: Context) -> Outcome:
    """Derived: students and counsellors name the same category most often; follows from each population's
    mode test (rank rule at alpha): reproduced when both name the same category significantly ahead of its
    runner-up, not reproduced when both are decided and differ, otherwise undecided.

    Examples
    --------
    >>> eval_same_mode(load_registry().get("rq2_eens_frequentie"), example_context()).rule
    'fixed'
    """
    variable = claim["variable"]
    found = {}
    for pop in ("students", "counsellors"):
        mode = int(ctx.column(pop, variable).value_counts().idxmax())
        _, test, _, _ = mode_test(ctx, pop, variable, mode)
        found[pop] = (mode, test.p < ctx.alpha)
    values = load_codebook().variables("students")[variable].values
    decided = all(sig for _, sig in found.values())
    same = found["students"][0] == found["counsellors"][0]
    decision = verdicts.derived(["reproduced" if decided else "undecided"], same if decided else None)
    return Outcome(
        computed=" / ".join(values[m] for m, _ in found.values()),
        n=sum(int(ctx.column(pop, variable).notna().sum()) for pop in found), decision=decision,
        expected=Phrase("same_mode"),
        found=Phrase("modes", students=values[found["students"][0]], counsellors=values[found["counsellors"][0]]),
    )
