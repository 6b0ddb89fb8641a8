"""The one definition of how a claim is checked: one evaluator per claim kind, and the verdicts.

``evaluate_claims`` takes the data of both populations and a set of registry claims and returns one row per
claim: the computed value, its uncertainty, the test, and the verdict, one of
:data:`loopbaanleren.claims.verdicts.VERDICTS` decided by the three-way rules of :mod:`loopbaanleren.claims.verdicts`.
Notebooks, the ledger and the front page all call it, so a claim is judged the same way everywhere.

Students are nested in eleven hogescholen, so every test uses CR2 cluster-robust errors with Bell–McCaffrey
/ Satterthwaite degrees of freedom (:mod:`loopbaanleren.stats.cluster_robust`). Tested claims are corrected for multiple
testing within their research question with the registry's method (``rules.multiple_testing``); a derived
claim (``derived: true``, hypotheses) gets a verdict but enters no family and counts in no total.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from loopbaanleren import stats
from loopbaanleren.claims import verdicts
from loopbaanleren.claims.registry import Claim, load_registry
from loopbaanleren.data.codebook import POPULATIONS, load_codebook
from loopbaanleren.errors import CompendiumError
from loopbaanleren.stats.equivalence import Equivalence
from loopbaanleren.stats.multiple_testing import adjust_pvalues
from loopbaanleren.stats.ordinal import SeparationError
from loopbaanleren.stats.regression import Regression
from loopbaanleren.stats.results import Contrast, DesignMatrices, Estimate
from loopbaanleren.book.formatting import fmt_num, fmt_p, fmt_pct
from loopbaanleren.data.frames import analysis_frame
from loopbaanleren.claims.verdicts import Decision

QUALITATIVE_RQ = "KWAL"
POPULATION_NL = {"students": "studenten", "counsellors": "begeleiders", "both": "studenten en begeleiders"}
DERIVED_KINDS = ("hypothesis", "same_mode")
"""Kinds that are derived by their nature (they restate other claims); other claims are derived when marked."""
POINT_KINDS = ("percentage", "mean")
RANK_KINDS = ("group_extreme", "group_rank", "mode")


class NotComputable(Exception):
    """The claim cannot be computed on this data (the message says why, in Dutch)."""


@dataclass
class Outcome:
    """What an evaluator found before the correction for multiple testing.

    ``rule`` is "direction" (with ``p``, ``sign`` and ``negligible``), "non_effect" (with ``p`` and
    ``equivalent``, None when the claim has no bound), "point" (with ``published`` and ``margin``; the verdict follows from the interval) or
    "fixed" (the evaluator decided the verdict itself, in ``decision``).
    """

    computed: object
    effect: float = 0.0  # direction rule: the quantity whose sign is claimed (e.g. mean - midpoint)
    n: int | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    p: float | None = None
    rule: str = "fixed"
    sign: int = 1
    negligible: bool = False
    equivalent: bool | None = False
    margin: float | None = None
    target: float | None = None
    decision: Decision | None = None
    expected_nl: str = ""
    found_nl: str = ""


RESULT_COLUMNS = [
    "id", "rq", "population", "kind", "claim_nl", "published", "expected_nl", "computed",
    "ci_low", "ci_high", "p", "p_adjusted", "n", "margin", "derived", "verdict", "found_nl", "reason",
]
NOT_COMPUTED = {"expected_nl": "", "computed": None, "ci_low": None, "ci_high": None, "p": None,
                "p_adjusted": None, "n": None, "margin": None, "verdict": "not_computable", "found_nl": ""}


def is_derived(claim: Claim) -> bool:
    """True for a claim that restates others (a hypothesis, an agreement, or marked ``derived: true``)."""
    return claim.derived or claim.kind in DERIVED_KINDS


def _claim_head(claim: Claim) -> dict:
    return {"id": claim.id, "rq": claim.rq, "population": claim.population, "kind": claim.kind,
            "claim_nl": claim.sentence_nl, "published": claim.published, "derived": is_derived(claim)}


def not_computable_row(claim: Claim, reason: str) -> dict:
    """A result row (RESULT_COLUMNS) for a claim that cannot be computed, with the reason in Dutch."""
    return _claim_head(claim) | NOT_COMPUTED | {"reason": reason}


_SHARED: dict[str, tuple[dict, dict]] = {}
"""Analysis frames and fitted models per content of the data, shared by the Contexts of this process."""
_SHARED_KEPT = 4


def _shared(data: dict[str, pd.DataFrame]) -> tuple[dict, dict]:
    """The (frames, fits) cache for data with this content (the last few kept).

    A chapter evaluates its claims, shows its models and tabulates its hypotheses through several
    Contexts of the same data; they share the models fitted once. The key is a hash of the values, so
    data changed in place get a cache of their own.
    """
    digest = hashlib.sha256()
    for pop in POPULATIONS:
        if data.get(pop) is not None:
            frame = data[pop]
            digest.update(f"{pop}\0{list(frame.columns)}\0{list(map(str, frame.dtypes))}".encode())
            digest.update(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes())
    key = digest.hexdigest()
    if key not in _SHARED:
        while len(_SHARED) >= _SHARED_KEPT:
            _SHARED.pop(next(iter(_SHARED)))
        _SHARED[key] = ({}, {})
    return _SHARED[key]


class Context:
    """The data of both populations prepared once, the registry's rules, and a cache of fitted models."""

    def __init__(self, data: dict[str, pd.DataFrame], alpha: float = 0.05, min_cell: int = 10,
                 frames: dict[str, pd.DataFrame] | None = None):
        """``frames``: the analysis frames of ``data`` when already made (the fits are then this Context's own)."""
        if frames is None:
            frames, self._fits = _shared(data)
            if not frames:
                frames.update({pop: analysis_frame(data[pop], pop) for pop in POPULATIONS if data.get(pop) is not None})
        else:
            self._fits = {}
        self.frames = dict(frames)
        self._filled: dict[tuple[str, str], tuple[pd.DataFrame, bool]] = {}
        self.interviews = data.get("interviews")
        registry = load_registry()
        self.rules, self.models = registry.rules, dict(registry.models)
        self.dropped_controls = self._drop_empty_controls()
        self.alpha, self.min_cell = alpha, min_cell

    def _drop_empty_controls(self) -> dict[str, list[str]]:
        """Models run without a control variable that has no value in the data; which were dropped, by model."""
        dropped = {}
        for model_id, spec in self.models.items():
            frame = self.frames.get(spec["population"])
            if frame is None:
                continue
            empty = [c for c in spec["controls"] if c not in frame or frame[c].notna().sum() == 0]
            if empty:
                self.models[model_id] = {**spec, "controls": [c for c in spec["controls"] if c not in empty]}
                dropped[model_id] = empty
        return dropped

    def frame(self, population: str) -> pd.DataFrame:
        """The population's analysis frame; NotComputable without data of that population."""
        if population not in self.frames:
            raise NotComputable(f"geen data van {POPULATION_NL[population]}")
        return self.frames[population]

    def column(self, population: str, name: str) -> pd.Series:
        """A column of the analysis frame; NotComputable when it is absent or empty."""
        frame = self.frame(population)
        seen = self._filled.get((population, name))
        if seen is None or seen[0] is not frame:  # checked once per frame (a specification may swap the frame)
            seen = self._filled[(population, name)] = (frame, name in frame and bool(frame[name].notna().any()))
        if not seen[1]:
            raise NotComputable(f"variabele '{name}' ontbreekt of is leeg in de data van {POPULATION_NL[population]}")
        return frame[name]

    def cluster(self, population: str) -> pd.Series:
        """The cluster of each respondent (``rules.cluster_variable``, the hogeschool)."""
        return self.frame(population)[self.rules["cluster_variable"]]

    def fit(self, model_id: str, outcome: str, method: str = "ols_cr2") -> Regression:
        """A registry model for one outcome; CR2 OLS is the primary analysis, "mixed" the robustness check."""
        key = (model_id, outcome, method)
        if key not in self._fits:
            spec = self.models[model_id]
            population = spec["population"]
            for name in [outcome, *spec["predictors"], *spec["controls"], *spec["categorical"]]:
                self.column(population, name)
            self._fits[key] = stats.fit_regression(
                self.frame(population),
                outcome,
                spec["predictors"],
                spec["controls"],
                spec["categorical"],
                cluster=self.rules["cluster_variable"],
                method=method,
            )
            self._share_design(key)
        return self._fits[key]

    def _share_design(self, key: tuple[str, str, str]) -> None:
        """Let the new fit ``key`` hold the outcome and design arrays of a cached fit of the same model and outcome
        by another method when they are equal (the same sample): one copy of the design per outcome, not one per
        method (tens of MB each at a hundred times the study's size)."""
        new = self._fits[key].fit
        for (model_id, outcome, method), other in self._fits.items():
            if (model_id, outcome) != key[:2] or method == key[2]:
                continue
            old = getattr(other.fit, "model", None)
            if not (isinstance(old, DesignMatrices) and isinstance(new.model, DesignMatrices)):
                continue
            if np.array_equal(old.endog, new.model.endog) and np.array_equal(old.exog, new.model.exog):
                new.model = replace(new.model, endog=old.endog, exog=old.exog)
                return

    def group_table(self, population: str, measure: str) -> pd.DataFrame:
        """Sector means of a measure, only sectors with at least min_cell respondents."""
        frame = self.frame(population)
        self.column(population, measure)
        table = stats.group_means(frame, measure, self.rules["sector_variable"], cluster=self.rules["cluster_variable"])
        return table[table["n"] >= self.min_cell].reset_index(drop=True)

    @property
    def bound(self) -> float:
        """Equivalence bound of a standardised coefficient (rules.equivalence_bound)."""
        return float(self.rules["equivalence_bound"])

    @property
    def negligible_difference(self) -> float:
        """Equivalence bound of a difference in scale points (rules.negligible_difference)."""
        return float(self.rules["negligible_difference"])

    def equivalent(self, estimate: float, se: float, df: float | None, bound: float) -> Equivalence:
        """TOST of -bound < estimate < bound at the build's alpha (its interval has level 1 - 2·alpha).

        An estimate without spread (se 0: every answer the same) is equivalent exactly when it lies within the bound.
        """
        if not se > 0:
            inside = abs(estimate) < bound
            return Equivalence(0.0 if inside else 1.0, estimate, estimate, inside)
        return stats.equivalence(estimate, se, bound, alpha=self.alpha, df=df)

    def margin(self, population: str, sd: float) -> float:
        """Margin of a published point value with standard deviation ``sd`` (see :func:`loopbaanleren.stats.margins.margin_point`)."""
        rule = self.rules["margin"]
        n, n_clusters = original_design(population)
        return stats.margin_point(sd, n, n_clusters, rule["icc"], rule["level"])


def original_design(population: str) -> tuple[int, int]:
    """The original study's size for a population and its number of hogescholen (the codebook's), which the
    margins of published point values assume.

    >>> original_design("counsellors")
    (371, 11)
    """
    codebook, cluster = load_codebook(), load_registry().rules["cluster_variable"]
    return codebook.population(population).default_n, len(codebook.variables(population)[cluster].values)


def example_data(n_students: int = 400, n_counsellors: int = 150, seed: int = 2026) -> dict[str, pd.DataFrame]:
    """Small synthetic survey data of both populations (missing codes as NaN), for the examples in docstrings."""
    from loopbaanleren.data.simulation import MISSING_CODE, simulate

    return {pop: frame.replace(MISSING_CODE, np.nan) for pop, frame in simulate(seed, n_students, n_counsellors).items()}


def example_context(n_students: int = 400, n_counsellors: int = 150, seed: int = 2026) -> Context:
    """A context on :func:`example_data`, for the examples in this module's docstrings."""
    return Context(example_data(n_students, n_counsellors, seed))


def _midpoint(population: str, measure: str) -> float:
    item = load_codebook().measure(population, measure)
    return (item.valid_min + item.valid_max) / 2


def _pct(x: float) -> str:
    return fmt_pct(x)


def _num(x: float) -> str:
    return fmt_num(x)


def _categories_nl(population: str, variable: str, categories: Iterable[int]) -> str:
    values = load_codebook().variables(population)[variable].values
    return " of ".join(f"‘{values[c]}’" for c in categories)


def _se(est: Estimate) -> float:
    """Standard error of an estimate: its own, or recovered from its 95% t (or normal) interval."""
    if est.se is not None:
        return est.se
    from loopbaanleren.stats.distributions import t_quantile

    quantile = t_quantile(0.975, est.df or None)
    return (est.ci_high - est.ci_low) / (2 * quantile)


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
        expected_nl=f"{_pct(claim.published)} (marge ±{100 * margin:.1f} procentpunt)".replace(".", ","),
        found_nl=f"{_pct(est.value)} {_categories_nl(pop, claim['variable'], claim['categories'])}",
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
        expected_nl=f"gemiddelde {_num(claim.published)} (marge ±{_num(margin)})",
        found_nl=f"gemiddelde {_num(est.value)}",
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
    mid = _midpoint(pop, measure)
    direction = claim["direction"]
    if direction == "near":
        est = stats.mean_ci(ctx.column(pop, measure), ctx.cluster(pop))
        margin = float(ctx.rules["near_margin"])
        return Outcome(
            computed=est.value, n=est.n, ci_low=est.ci_low, ci_high=est.ci_high, rule="point", target=mid, margin=margin,
            expected_nl=f"rond het schaalmidden {_num(mid)} (binnen ±{_num(margin)})",
            found_nl=f"gemiddelde {_num(est.value)}",
        )
    est = stats.one_sample(ctx.column(pop, measure), mid, ctx.cluster(pop))
    mean = est.mean
    tost = ctx.equivalent(est.value, _se(est), est.df, ctx.negligible_difference)
    where = {"above": "boven", "below": "onder"}[direction]
    out = Outcome(
        computed=mean, effect=est.value, n=est.n, ci_low=est.ci_low + mid, ci_high=est.ci_high + mid, p=est.p,
        rule="direction", sign=1 if direction == "above" else -1, negligible=tost.equivalent,
        expected_nl=f"{'net ' if claim.get('max_distance') else ''}{where} het schaalmidden {_num(mid)}"
                    + (f" (hooguit {_num(claim['max_distance'])} erboven)" if claim.get("max_distance") else ""),
        found_nl=f"gemiddelde {_num(mean)}",
    )
    if claim.get("max_distance"):
        out.margin = float(claim["max_distance"])
        if out.ci_high > mid + out.margin:  # the "net" part: not clearly within max_distance
            whole = out.ci_low > mid + out.margin
            verdict = "not_reproduced" if whole else "undecided"
            out.rule, out.decision = "fixed", Decision(verdict, f"interval {'geheel' if whole else 'deels'} verder dan {_num(out.margin)} boven het midden")
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
    labels = ", ".join(load_codebook().label(pop, low) for low in claim["lower"])
    bound = claim.get("min_difference") or 0.0
    tests = [_against(d, bound) for d in diffs]
    word = f"meer dan {_num(bound)} punt " if bound else ""
    return Outcome(
        computed=worst.value, effect=worst.value - bound, n=worst.n, ci_low=worst.ci_low, ci_high=worst.ci_high,
        p=max(tests) if all(d.value > bound for d in diffs) else _against(worst, bound), rule="direction",
        negligible=ctx.equivalent(worst.value, _se(worst), worst.df, ctx.negligible_difference).equivalent,
        expected_nl=f"‘{load_codebook().label(pop, claim['higher'])}’ {word}hoger dan {labels}",
        found_nl=f"kleinste verschil {_num(worst.value)}",
    )


def _against(est: Estimate, bound: float) -> float:
    """Two-sided p of an estimate against ``bound`` (its own p when the bound is 0), t with its df."""
    if not bound:
        return est.p
    from loopbaanleren.stats.distributions import t_sf

    se = _se(est)
    if not se > 0:
        return 0.0 if est.value != bound else 1.0
    return float(min(1.0, 2 * t_sf(abs(est.value - bound) / se, est.df or None)))


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
        raise NotComputable(f"sector {', '.join(small)} heeft minder dan {ctx.min_cell} respondenten")
    others = ~frame[sector].isin(claim["focal"])
    if not (others & frame[measure].notna()).any():
        raise NotComputable("geen andere sector om mee te vergelijken")
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
    negligible = any(ctx.equivalent(est.value, _se(est), est.df, ctx.negligible_difference).equivalent
                     for _, est in parts)
    others = "de andere sectoren" if len(parts) == 1 else "de niet genoemde sectoren"
    return Outcome(
        computed=worst.value, effect=worst.value, n=sum(est.n_focal for _, est in parts) + parts[0][1].n_other,
        ci_low=worst.ci_low, ci_high=worst.ci_high, p=max(est.p for _, est in parts) if right else worst.p,
        rule="direction", sign=sign, negligible=negligible,
        expected_nl=f"{' en '.join(claim['focal'])} elk {'lager' if lower else 'hoger'} dan {others}",
        found_nl="; ".join(f"{g} {_num(est.value)} ({fmt_p(est.p)})" for g, est in parts),
    )


def _sector_fit(ctx: Context, pop: str, measure: str, groups: list[str]):
    """CR2 OLS of the measure on one indicator per sector (no intercept), sectors of at least min_cell only."""
    frame = ctx.frame(pop)
    ctx.column(pop, measure)
    sector, cluster = ctx.rules["sector_variable"], ctx.rules["cluster_variable"]
    sample = frame[[measure, sector, cluster]].dropna()
    counts = sample[sector].value_counts()
    kept = [g for g in sample[sector].cat.categories if counts.get(g, 0) >= ctx.min_cell]
    missing = [g for g in groups if g not in kept]
    if missing:
        raise NotComputable(f"sector {', '.join(missing)} ontbreekt of heeft minder dan {ctx.min_cell} respondenten")
    sample = sample[sample[sector].isin(kept)]
    design = np.column_stack([(sample[sector] == g).to_numpy(float) for g in kept])
    fit = stats.cluster_robust(sample[measure].to_numpy(float), design, sample[cluster].to_numpy(), kind="CR2")
    return fit, kept, len(sample)


def _rank_outcome(fit, kept: list[str], claimed: list[str], sign: int, n: int, ctx: Context) -> tuple[Outcome, str]:
    """Each claimed group against each group not claimed (intersection-union): the runner-up decides.

    ``sign`` = -1 when the claimed groups should be lower than the others.
    """
    others = [g for g in kept if g not in claimed]
    if not others or not claimed:
        raise NotComputable(f"geen sector om mee te vergelijken met ten minste {ctx.min_cell} respondenten")
    pairs = []
    for a in claimed:
        for b in others:
            c = np.zeros(len(kept))
            c[kept.index(a)], c[kept.index(b)] = 1, -1
            pairs.append((a, b, _contrast(fit, c)))
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
    fit, kept, n = _sector_fit(ctx, pop, measure, [group])
    lowest = claim["extreme"] == "lowest"
    out, runner_up = _rank_outcome(fit, kept, [group], -1 if lowest else 1, n, ctx)
    word = "laagste" if lowest else "hoogste"
    out.expected_nl = f"{group} {word} van alle sectoren (getoetst tegen elke andere sector)"
    out.found_nl = f"verschil met de naaste sector ({runner_up}) {_num(out.computed)}"
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
    fit, kept, n = _sector_fit(ctx, pop, measure, list(claim["groups"]))
    lowest = claim["end"] == "lowest"
    sign = -1 if lowest else 1
    means = dict(zip(kept, fit.params))
    ordered = sorted(kept, key=lambda g: means[g], reverse=not lowest)
    first = min(claim["ranks"])
    before = ordered[: first - 1] if set(ordered[: first - 1]).isdisjoint(claim["groups"]) else []
    after_kept = [g for g in kept if g not in before]
    sub = [kept.index(g) for g in after_kept]
    out, runner_up = _rank_outcome(_Sub(fit, sub), after_kept, list(claim["groups"]), sign, n, ctx)
    if before:  # the places before: those sectors must beat the named ones
        ahead, _ = _rank_outcome(_Sub(fit, [kept.index(g) for g in kept]), kept, before, sign, n, ctx)
        out.p = max(out.p, ahead.p) if ahead.sign * ahead.computed > 0 else ahead.p
    end = "laagste" if lowest else "hoogste"
    out.expected_nl = f"{' en '.join(claim['groups'])} op plaats {'-'.join(map(str, claim['ranks']))} van {end}"
    out.found_nl = f"volgorde: {', '.join(ordered)}; verschil met de naaste sector ({runner_up}) {_num(out.computed)}"
    return out


def _contrast(fit, c: np.ndarray):
    """A contrast of a CR2 fit; one without any spread (every answer equal within groups) is exact: p 0 or 1."""
    try:
        return fit.contrast(c)
    except ZeroDivisionError:
        estimate = float(c @ fit.params)
        return Contrast(value=estimate, ci_low=estimate, ci_high=estimate, n=fit.n, p=0.0 if estimate else 1.0,
                        n_clusters=fit.n_clusters, df=1.0, se=0.0, t=np.inf)


class _Sub:
    """A view of a sector fit restricted to some sectors (their contrasts only)."""

    def __init__(self, fit, index: list[int]):
        self.fit, self.index = fit, index
        self.params = fit.params[index]

    def contrast(self, c: np.ndarray):
        full = np.zeros(len(self.fit.params))
        full[self.index] = c
        return _contrast(self.fit, full)


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
        raise NotComputable(f"sector {group} heeft minder dan {ctx.min_cell} respondenten")
    mid = _midpoint(pop, measure)
    est = stats.one_sample(part[measure], mid, part[ctx.rules["cluster_variable"]])
    mean = est.mean
    below = claim["direction"] == "below"
    return Outcome(
        computed=mean, effect=est.value, n=est.n, ci_low=est.ci_low + mid, ci_high=est.ci_high + mid, p=est.p,
        rule="direction", sign=-1 if below else 1,
        negligible=ctx.equivalent(est.value, _se(est), est.df, ctx.negligible_difference).equivalent,
        expected_nl=f"{group} {'onder' if below else 'boven'} het schaalmidden {_num(mid)}",
        found_nl=f"gemiddelde {group} {_num(mean)}",
    )


def _mode_test(ctx: Context, pop: str, variable: str, category: int):
    """Share of ``category`` minus the share of the most frequent other category, CR2 (paired indicators)."""
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
    est, test, rival, shares = _mode_test(ctx, pop, variable, claim["category"])
    values = load_codebook().variables(pop)[variable].values
    return Outcome(
        computed=values[int(shares.idxmax())], n=est.n, ci_low=est.ci_low, ci_high=est.ci_high, p=test.p,
        effect=test.value, rule="direction",
        expected_nl=f"meest genoemd: ‘{values[claim['category']]}’",
        found_nl=f"meest genoemd: ‘{values[int(shares.idxmax())]}’ ({_pct(shares.max())}); "
                 f"verschil met ‘{values[rival]}’ {_pct(test.value)}",
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
        _, test, _, _ = _mode_test(ctx, pop, variable, mode)
        found[pop] = (mode, test.p < ctx.alpha)
    values = load_codebook().variables("students")[variable].values
    decided = all(sig for _, sig in found.values())
    same = found["students"][0] == found["counsellors"][0]
    decision = verdicts.derived(["reproduced" if decided else "undecided"], same if decided else None)
    return Outcome(
        computed=" / ".join(values[m] for m, _ in found.values()),
        n=sum(int(ctx.column(pop, variable).notna().sum()) for pop in found), decision=decision,
        expected_nl="studenten en begeleiders noemen dezelfde categorie het vaakst",
        found_nl=f"studenten: ‘{values[found['students'][0]]}’, begeleiders: ‘{values[found['counsellors'][0]]}’",
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
        what = f"met een score van ten minste {_num(claim['at_least'])} op ‘{load_codebook().label(pop, claim['measure'])}’"
    else:
        x, categories = ctx.column(pop, claim["variable"]), claim["categories"]
        what = _categories_nl(pop, claim["variable"], categories)
    est = stats.proportion(x, categories, ctx.cluster(pop))
    above = claim.get("min") is not None
    bound = claim["min"] if above else claim["max"]
    valid = x.notna()
    test = stats.one_sample(x[valid].isin(categories).astype(float), bound, ctx.cluster(pop)[valid])
    expected = f"meer dan {_pct(bound)}" if above else f"minder dan {_pct(bound)}"
    return Outcome(
        computed=est.value, effect=test.value, n=est.n, ci_low=est.ci_low, ci_high=est.ci_high, p=test.p,
        rule="direction", sign=1 if above else -1,
        expected_nl=f"{expected} {what}",
        found_nl=f"{_pct(est.value)}",
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
        negligible=ctx.equivalent(est.value, _se(est), est.df, ctx.negligible_difference).equivalent,
        expected_nl=f"begeleiders {'hoger' if higher else 'lager'} dan studenten",
        found_nl=f"verschil {_num(est.value)} (Hedges' g {_num(g)})",
    )


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
        rule="direction", sign=1 if positive else -1, negligible=ctx.equivalent(est.value, _se(est), est.df, ctx.bound).equivalent,
        expected_nl=f"{'positief' if positive else 'negatief'} verband (β {'>' if positive else '<'} 0)",
        found_nl=f"β = {_num(est.value)}",
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
    tost = ctx.equivalent(est.value, _se(est), est.df, ctx.bound)
    level = f"{round(100 * verdicts.tost_level(ctx.alpha))}%"
    interval = f"{level}-BI [{_num(tost.ci_low)}; {_num(tost.ci_high)}]"
    p, equivalent = est.p, tost.equivalent
    expected = f"geen verband (|β| < {_num(ctx.bound)})"
    if word == "draagt niet bij aan het beperken":
        from loopbaanleren.stats.distributions import t_sf

        denied = 1 if claim["denied_sign"] == "+" else -1
        se = _se(est)
        p = float(t_sf(denied * est.value / se, est.df or None)) if se > 0 else float(denied * est.value <= 0)
        equivalent = tost.ci_high < ctx.bound if denied > 0 else tost.ci_low > -ctx.bound
        expected = f"geen {'positief' if denied > 0 else 'negatief'} verband (β {'<' if denied > 0 else '>'} " \
                   f"{'' if denied > 0 else '−'}{_num(ctx.bound)}; eenzijdig)"
    elif word == "niet aantoonbaar":
        equivalent = None
        expected = "geen aantoonbaar verband (niet significant, zonder correctie)"
    return Outcome(
        computed=est.value, n=est.n, ci_low=est.ci_low, ci_high=est.ci_high, p=p, rule="non_effect",
        equivalent=equivalent, expected_nl=expected, found_nl=f"β = {_num(est.value)}, {interval}",
    )


def hypothesis_label(consistent: int, total: int) -> str:
    """Label of a hypothesis from the number of its predictions that are supported."""
    if consistent == total:
        return "bevestigd"
    return "verworpen" if consistent == 0 else "deels bevestigd"


OUTCOME_NL = {"supported": "gesteund", "not_supported": "niet gesteund", "contrary": "tegengesteld", "open": "onbeslist"}
"""What a prediction of a hypothesis came to, in Dutch."""


def published_outcome(prediction: dict, cell: Claim) -> str:
    """What the summary reports for a prediction, from its model cell's claim: "supported" (an effect of the
    predicted sign), "contrary" (an effect of the other sign) or "not_supported" (a non-effect).

    >>> cell = load_registry().get("h2_lr_ai")
    >>> published_outcome({"outcome": "arbeidsidentiteit", "predictor": "loopbaanreflectie", "sign": "+"}, cell)
    'contrary'
    """
    if cell.kind == "null_effect":
        return "not_supported"
    return "supported" if cell["sign"] == prediction["sign"] else "contrary"


def prediction_pattern(claim: Claim, ctx: Context) -> pd.DataFrame:
    """Each prediction of a ``hypothesis`` claim: its published outcome, judged by its model cell's own claim.

    A prediction is found as published when the claim of its cell (``h2_we_ud``: an effect or a non-effect) is
    reproduced, evaluated with its research question's family as everywhere else. Otherwise the found outcome is
    "supported" or "contrary" when β is significant after correction (by its sign against the predicted one),
    and "open" when the cell is undecided. One row per prediction: ``predictor``, ``outcome``, ``sign``,
    ``cell`` (the claim id), ``published``, ``beta``, ``p_adjusted``, ``verdict`` (of the cell), ``found`` and
    ``as_published``. NotComputable when a prediction has no cell claim.
    """
    registry = load_registry()
    cells = {(c["predictor"], c["outcome"]): c for c in registry
             if c.kind in ("effect", "null_effect") and c.get("model") == claim["model"]}
    missing = [f"{p['predictor']} → {p['outcome']}" for p in claim["predictions"] if (p["predictor"], p["outcome"]) not in cells]
    if missing:
        raise NotComputable(f"geen bewering over {', '.join(missing)}")
    # the claims whose tests form the research question's family (a point value has no test in it)
    family = [c for c in registry.for_rq(claim.rq) if not is_derived(c) and c.kind not in POINT_KINDS]
    outcomes = {c.id: _run(c, ctx) for c in family}
    adjusted = _families(family, outcomes, ctx.rules["multiple_testing"])
    rows = []
    for prediction in claim["predictions"]:
        cell = cells[(prediction["predictor"], prediction["outcome"])]
        published = published_outcome(prediction, cell)
        out = outcomes[cell.id]
        if isinstance(out, str):
            verdict, beta, p_adj, found = "not_computable", np.nan, np.nan, "open"
        else:
            verdict, beta, p_adj = decide(out, adjusted.get(cell.id), ctx.alpha).verdict, out.computed, adjusted.get(cell.id)
            if verdict == "reproduced":
                found = published
            elif p_adj is not None and p_adj < ctx.alpha:
                found = "supported" if (beta > 0) == (prediction["sign"] == "+") else "contrary"
            else:
                found = "open" if verdict == "undecided" else "not_supported"
        rows.append({"predictor": prediction["predictor"], "outcome": prediction["outcome"], "sign": prediction["sign"],
                     "cell": cell.id, "published": published, "beta": beta, "p_adjusted": p_adj, "verdict": verdict,
                     "found": found, "as_published": verdict == "reproduced"})
    return pd.DataFrame(rows)


def _pattern_nl(counts: dict[str, int]) -> str:
    return ", ".join(f"{counts.get(key, 0)} {OUTCOME_NL[key]}" for key in ("supported", "not_supported", "contrary"))


def eval_hypothesis(claim: Claim, ctx: Context) -> Outcome:
    """Derived: a hypothesis is reproduced when its published pattern is, i.e. every prediction's published
    outcome (supported, not supported, contrary; :func:`published_outcome`) is found as published: the claim
    of each prediction's model cell is reproduced (:func:`prediction_pattern`). Not reproduced when a cell's
    claim is not reproduced; undecided when some are undecided and none is contradicted. So "deels bevestigd"
    fails both on data without the effects and on data where every prediction holds (that pattern is
    "bevestigd"). The label found (bevestigd / deels bevestigd / verworpen) counts the predictions found
    supported.

    Examples
    --------
    >>> eval_hypothesis(load_registry().get("h1_hypothese"), example_context()).rule
    'fixed'
    """
    pattern = prediction_pattern(claim, ctx)
    total, agree = len(pattern), int(pattern["as_published"].sum())
    open_ = int((pattern["found"] == "open").sum())
    supported = int((pattern["found"] == "supported").sum())
    low, high = hypothesis_label(supported, total), hypothesis_label(supported + open_, total)
    label = low if low == high else f"{low} of {high}"
    verdict_list = list(pattern["verdict"])
    contradicted = "not_reproduced" in verdict_list
    agree_all = False if contradicted else (True if agree == total else None)
    published = pattern["published"].value_counts().to_dict()
    return Outcome(
        computed=label, n=None, decision=verdicts.derived(verdict_list if not contradicted else ["not_reproduced"], agree_all),
        expected_nl=f"hypothese {claim.published}: {_pattern_nl(published)} (het patroon van de samenvatting)",
        found_nl=f"{agree} van de {total} voorspellingen zoals gepubliceerd{f', {open_} onbeslist' if open_ else ''}; "
                 f"{_pattern_nl(pattern['found'].value_counts().to_dict())}: {label}",
    )


EVALUATORS: dict[str, Callable[[Claim, Context], Outcome]] = {
    "percentage": eval_percentage,
    "mean": eval_mean,
    "level": eval_level,
    "ordering": eval_ordering,
    "contrast": eval_contrast,
    "group_extreme": eval_group_extreme,
    "group_rank": eval_group_rank,
    "group_level": eval_group_level,
    "mode": eval_mode,
    "same_mode": eval_same_mode,
    "share_bound": eval_share_bound,
    "population_difference": eval_population_difference,
    "effect": eval_effect,
    "null_effect": eval_null_effect,
    "hypothesis": eval_hypothesis,
}


def eval_qualitative(claim: Claim, ctx: Context) -> Outcome:
    """Claims of the interview study: counts of alumni who mention a code (see loopbaanleren.qualitative)."""
    from loopbaanleren.claims.qualitative import evaluate_qualitative_claim

    if ctx.interviews is None:
        raise NotComputable("geen gecodeerde interviews")
    found = evaluate_qualitative_claim(claim, ctx.interviews)
    if found["reproduced"] is None:
        raise NotComputable(found["reason"])
    verdict = "reproduced" if found["reproduced"] else "not_reproduced"
    return Outcome(computed=found["computed"], n=found["n"], decision=Decision(verdict, ""), found_nl=found["detail"])


def _run(claim: Claim, ctx: Context) -> Outcome | str:
    try:
        if claim.rq == QUALITATIVE_RQ:
            return eval_qualitative(claim, ctx)
        return EVALUATORS[claim.kind](claim, ctx)
    except NotComputable as reason:
        return str(reason)
    except SeparationError as error:  # an ordinal model whose estimates lie at infinity
        terms, verb = " en ".join(f"'{term}'" for term in error.terms), "scheidt" if len(error.terms) == 1 else "scheiden"
        return (f"het ordinale model van '{error.outcome}' heeft geen eindige schattingen: {terms} {verb} de antwoorden "
                "(volledige of quasi-volledige scheiding)")
    except CompendiumError as error:  # too few cases, a degenerate column: the data cannot carry this claim
        return str(error).splitlines()[0]


def decide(out: Outcome, p_adjusted: float | None, alpha: float) -> Decision:
    """The verdict on an evaluator's outcome by its rule (see :mod:`loopbaanleren.claims.verdicts`)."""
    if out.rule == "direction":
        return verdicts.direction(out.effect, p_adjusted, out.sign, alpha, out.negligible)
    if out.rule == "non_effect":
        return verdicts.non_effect(out.p, p_adjusted, out.equivalent, alpha)
    if out.rule == "point":
        return verdicts.point(out.ci_low, out.ci_high, out.target, out.margin)
    return out.decision


def _families(claims: list[Claim], outcomes: dict, method: str) -> dict[str, float]:
    """Adjusted p per tested claim: one family per research question of the non-derived tests (directions and
    non-effects);
    a derived claim is adjusted together with its family but leaves the family's own adjustment unchanged."""
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


def evaluate_claims(
    data: dict[str, pd.DataFrame], claims: Iterable[Claim] | None = None, alpha: float = 0.05, min_cell: int = 10
) -> pd.DataFrame:
    """Evaluate claims (default: the whole registry) on the data: ``students``, ``counsellors``, ``interviews``.

    One row per claim (:data:`RESULT_COLUMNS`); ``verdict`` is one of :data:`VERDICTS` and ``reason`` says why
    in a short Dutch phrase.

    Examples
    --------
    >>> claims = [load_registry().get(i) for i in ("rq1_c_geen_netwerk", "h1_pg_lr", "h1_studie_lr")]
    >>> table = evaluate_claims(example_data(), claims)
    >>> table[["id", "kind", "derived"]]
                       id         kind  derived
    0  rq1_c_geen_netwerk   percentage    False
    1            h1_pg_lr       effect    False
    2        h1_studie_lr  null_effect    False
    >>> bool(table["verdict"].isin(verdicts.VERDICTS).all() and table["p_adjusted"].iloc[1:].notna().all())
    True
    """
    ctx = Context(data, alpha=alpha, min_cell=min_cell)
    claims = list(claims if claims is not None else load_registry())
    outcomes = {c.id: _run(c, ctx) for c in claims}
    adjusted = _families(claims, outcomes, ctx.rules["multiple_testing"])
    rows = []
    for claim in claims:
        out = outcomes[claim.id]
        if isinstance(out, str):
            rows.append(not_computable_row(claim, out))
            continue
        p_adj = adjusted.get(claim.id)
        decision = decide(out, p_adj, alpha)
        found = {k: getattr(out, k) for k in ("expected_nl", "computed", "ci_low", "ci_high", "p", "n", "margin", "found_nl")}
        rows.append(_claim_head(claim) | found | {"p_adjusted": p_adj, "verdict": decision.verdict, "reason": decision.reason})
    return pd.DataFrame(rows, columns=RESULT_COLUMNS)
