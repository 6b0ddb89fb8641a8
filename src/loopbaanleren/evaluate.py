"""The one definition of how a claim is checked: one evaluator per claim kind, and the verdicts.

``evaluate_claims`` takes the data of both populations and a set of registry claims and returns one row per
claim: the computed value, its uncertainty, the test, and the verdict (reproduced, not_reproduced,
not_computable). Notebooks, the ledger and the front page all call it, so a claim is judged the same way
everywhere. Tested claims (a direction that must be significant) are Holm-adjusted within their research
question; students are nested in hogescholen, so tests use cluster-robust errors with t(G - 1).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from loopbaanleren import compare, models
from loopbaanleren.claims import Claim, load_registry
from loopbaanleren.codebook import POPULATIONS, load_codebook, with_scale_scores
from loopbaanleren.errors import CompendiumError
from loopbaanleren.report import fmt_num, fmt_pct

VERDICTS = ("reproduced", "not_reproduced", "not_computable")
QUALITATIVE_RQ = "KWAL"
POPULATION_NL = {"students": "studenten", "counsellors": "begeleiders", "both": "studenten en begeleiders"}


class NotComputable(Exception):
    """The claim cannot be computed on this data (the message says why, in Dutch)."""


@dataclass
class Outcome:
    """What an evaluator found before multiple-testing adjustment."""

    computed: object
    n: int | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    p: float | None = None  # set for tested claims: direction must hold and adjusted p < alpha
    holds: bool = True  # the direction (tested claims) or the whole rule (untested claims)
    expected_nl: str = ""
    found_nl: str = ""


RESULT_COLUMNS = [
    "id", "rq", "population", "kind", "claim_nl", "published", "expected_nl", "computed",
    "ci_low", "ci_high", "p", "p_adjusted", "n", "verdict", "found_nl", "reason",
]
NOT_COMPUTED = {"expected_nl": "", "computed": None, "ci_low": None, "ci_high": None, "p": None,
                "p_adjusted": None, "n": None, "verdict": "not_computable", "found_nl": ""}


def _claim_head(claim: Claim) -> dict:
    return {"id": claim.id, "rq": claim.rq, "population": claim.population, "kind": claim.kind,
            "claim_nl": claim.sentence_nl, "published": claim.published}


def not_computable_row(claim: Claim, reason: str) -> dict:
    """A result row (RESULT_COLUMNS) for a claim that cannot be computed, with the reason in Dutch."""
    return _claim_head(claim) | NOT_COMPUTED | {"reason": reason}


def analysis_frame(data: pd.DataFrame, population: str) -> pd.DataFrame:
    """Data with scale scores, sector and hogeschool as labelled categories, and indicator columns."""
    codebook = load_codebook()
    frame = with_scale_scores(data, population)
    variables = codebook.variables(population)
    for name in ("sector", "hogeschool"):
        labels = variables[name].values
        frame[name] = pd.Categorical(frame[name].map(labels), categories=list(labels.values()))
    frame["geslacht=vrouw"] = np.where(frame["geslacht"].isna(), np.nan, (frame["geslacht"] == 2).astype(float))
    return frame


class Context:
    """The data of both populations prepared once, the registry's rules, and a cache of fitted models."""

    def __init__(self, data: dict[str, pd.DataFrame], alpha: float = 0.05, min_cell: int = 10):
        self.frames = {pop: analysis_frame(data[pop], pop) for pop in POPULATIONS if data.get(pop) is not None}
        self.interviews = data.get("interviews")
        registry = load_registry()
        self.rules, self.models = registry.rules, registry.models
        self.alpha, self.min_cell = alpha, min_cell
        self._fits: dict[tuple, models.Regression] = {}

    def frame(self, population: str) -> pd.DataFrame:
        if population not in self.frames:
            raise NotComputable(f"geen data van {POPULATION_NL[population]}")
        return self.frames[population]

    def column(self, population: str, name: str) -> pd.Series:
        frame = self.frame(population)
        if name not in frame or frame[name].notna().sum() == 0:
            raise NotComputable(f"variabele '{name}' ontbreekt of is leeg in de data van {POPULATION_NL[population]}")
        return frame[name]

    def cluster(self, population: str) -> pd.Series:
        return self.frame(population)[self.rules["cluster_variable"]]

    def fit(self, model_id: str, outcome: str, method: str = "mixed") -> models.Regression:
        key = (model_id, outcome, method)
        if key not in self._fits:
            spec = self.models[model_id]
            population = spec["population"]
            for name in [outcome, *spec["predictors"], *spec["controls"], *spec["categorical"]]:
                self.column(population, name)
            self._fits[key] = models.fit_regression(
                self.frame(population),
                outcome,
                spec["predictors"],
                spec["controls"],
                spec["categorical"],
                cluster=self.rules["cluster_variable"],
                method=method,
            )
        return self._fits[key]

    def group_table(self, population: str, measure: str) -> pd.DataFrame:
        """Sector means of a measure, only sectors with at least min_cell respondents."""
        frame = self.frame(population)
        self.column(population, measure)
        table = compare.group_means(frame, measure, self.rules["sector_variable"], cluster=self.rules["cluster_variable"])
        return table[table["n"] >= self.min_cell].reset_index(drop=True)


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


def _tolerance(ctx: Context, kind: str, population: str) -> float:
    return ctx.rules["tolerance"][kind][population]


def eval_percentage(claim: Claim, ctx: Context) -> Outcome:
    pop = claim.population
    est = compare.proportion(ctx.column(pop, claim["variable"]), claim["categories"], ctx.cluster(pop))
    tol = _tolerance(ctx, "percentage", pop)
    return Outcome(
        computed=est.value, n=est.n, ci_low=est.ci_low, ci_high=est.ci_high,
        holds=abs(est.value - claim.published) <= tol + 1e-12,
        expected_nl=f"{_pct(claim.published)} (marge {_pct(tol)})",
        found_nl=f"{_pct(est.value)} {_categories_nl(pop, claim['variable'], claim['categories'])}",
    )


def eval_mean(claim: Claim, ctx: Context) -> Outcome:
    pop = claim.population
    est = compare.mean_ci(ctx.column(pop, claim["measure"]), ctx.cluster(pop))
    tol = _tolerance(ctx, "mean", pop)
    return Outcome(
        computed=est.value, n=est.n, ci_low=est.ci_low, ci_high=est.ci_high,
        holds=abs(est.value - claim.published) <= tol + 1e-12,
        expected_nl=f"gemiddelde {_num(claim.published)} (marge {_num(tol)})",
        found_nl=f"gemiddelde {_num(est.value)}",
    )


def eval_level(claim: Claim, ctx: Context) -> Outcome:
    pop, measure = claim.population, claim["measure"]
    mid = _midpoint(pop, measure)
    direction = claim["direction"]
    if direction == "near":
        est = compare.mean_ci(ctx.column(pop, measure), ctx.cluster(pop))
        margin = ctx.rules["near_margin"]
        return Outcome(
            computed=est.value, n=est.n, ci_low=est.ci_low, ci_high=est.ci_high,
            holds=mid - margin < est.ci_low and est.ci_high < mid + margin,
            expected_nl=f"rond het schaalmidden {_num(mid)} (binnen {_num(margin)})",
            found_nl=f"gemiddelde {_num(est.value)}",
        )
    est = compare.one_sample(ctx.column(pop, measure), mid, ctx.cluster(pop))
    mean = est.extra["mean"]
    holds = (mean > mid) if direction == "above" else (mean < mid)
    if "max_distance" in claim.spec:
        holds = holds and abs(mean - mid) <= claim["max_distance"]
    where = {"above": "boven", "below": "onder"}[direction]
    return Outcome(
        computed=mean, n=est.n, ci_low=est.ci_low + mid, ci_high=est.ci_high + mid, p=est.p, holds=holds,
        expected_nl=f"{'net ' if 'max_distance' in claim.spec else ''}{where} het schaalmidden {_num(mid)}",
        found_nl=f"gemiddelde {_num(mean)}",
    )


def eval_ordering(claim: Claim, ctx: Context) -> Outcome:
    """Paired: the higher measure exceeds each lower one within respondents (intersection-union: largest p)."""
    pop = claim.population
    frame = ctx.frame(pop)
    ctx.column(pop, claim["higher"])
    diffs = [
        compare.paired_difference(frame.assign(**{low: ctx.column(pop, low)}), claim["higher"], low, ctx.rules["cluster_variable"])
        for low in claim["lower"]
    ]
    worst = min(diffs, key=lambda d: d.value)
    labels = ", ".join(load_codebook().label(pop, low) for low in claim["lower"])
    return Outcome(
        computed=worst.value, n=worst.n, ci_low=worst.ci_low, ci_high=worst.ci_high,
        p=max(d.p for d in diffs), holds=all(d.value > 0 for d in diffs),
        expected_nl=f"‘{load_codebook().label(pop, claim['higher'])}’ hoger dan {labels}",
        found_nl=f"kleinste verschil {_num(worst.value)}",
    )


def eval_contrast(claim: Claim, ctx: Context) -> Outcome:
    pop, measure = claim.population, claim["measure"]
    frame = ctx.frame(pop)
    ctx.column(pop, measure)
    sector = ctx.rules["sector_variable"]
    counts = frame.loc[frame[measure].notna(), sector].value_counts()
    small = [g for g in claim["focal"] if counts.get(g, 0) < ctx.min_cell]
    if small:
        raise NotComputable(f"sector {', '.join(small)} heeft minder dan {ctx.min_cell} respondenten")
    est = compare.planned_contrast(frame, measure, sector, claim["focal"], ctx.rules["cluster_variable"])
    lower = claim["direction"] == "lower"
    return Outcome(
        computed=est.value, n=est.n, ci_low=est.ci_low, ci_high=est.ci_high, p=est.p,
        holds=(est.value < 0) if lower else (est.value > 0),
        expected_nl=f"{' en '.join(claim['focal'])} {'lager' if lower else 'hoger'} dan de andere sectoren",
        found_nl=f"verschil {_num(est.value)}",
    )


def eval_group_extreme(claim: Claim, ctx: Context) -> Outcome:
    pop, measure, group = claim.population, claim["measure"], claim["group"]
    table = ctx.group_table(pop, measure)
    if group not in set(table["group"]):
        raise NotComputable(f"sector {group} ontbreekt of heeft minder dan {ctx.min_cell} respondenten")
    lowest = claim["extreme"] == "lowest"
    ranked = table.sort_values("mean", ascending=lowest)
    est = compare.planned_contrast(
        ctx.frame(pop), measure, ctx.rules["sector_variable"], [group], ctx.rules["cluster_variable"]
    )
    first = ranked["group"].iloc[0]
    row = table[table["group"] == group].iloc[0]
    return Outcome(
        computed=float(row["mean"]), n=int(row["n"]), ci_low=row["ci_low"], ci_high=row["ci_high"], p=est.p,
        holds=first == group and ((est.value < 0) if lowest else (est.value > 0)),
        expected_nl=f"{group} {'laagste' if lowest else 'hoogste'} van alle sectoren",
        found_nl=f"{'laagste' if lowest else 'hoogste'}: {first}",
    )


def eval_group_rank(claim: Claim, ctx: Context) -> Outcome:
    pop, measure = claim.population, claim["measure"]
    table = ctx.group_table(pop, measure)
    missing = [g for g in claim["groups"] if g not in set(table["group"])]
    if missing:
        raise NotComputable(f"sector {', '.join(missing)} ontbreekt of heeft minder dan {ctx.min_cell} respondenten")
    ranked = list(table.sort_values("mean", ascending=claim["end"] == "lowest")["group"])
    found = [ranked[r - 1] for r in claim["ranks"] if r <= len(ranked)]
    end = "laagste" if claim["end"] == "lowest" else "hoogste"
    return Outcome(
        computed=", ".join(found), n=int(table["n"].sum()),
        holds=set(found) == set(claim["groups"]),
        expected_nl=f"{' en '.join(claim['groups'])} op plaats {'-'.join(map(str, claim['ranks']))} van {end}",
        found_nl=f"op die plaatsen: {', '.join(found)}",
    )


def eval_group_level(claim: Claim, ctx: Context) -> Outcome:
    pop, measure, group = claim.population, claim["measure"], claim["group"]
    frame = ctx.frame(pop)
    ctx.column(pop, measure)
    part = frame[frame[ctx.rules["sector_variable"]] == group]
    if part[measure].notna().sum() < ctx.min_cell:
        raise NotComputable(f"sector {group} heeft minder dan {ctx.min_cell} respondenten")
    mid = _midpoint(pop, measure)
    est = compare.one_sample(part[measure], mid, part[ctx.rules["cluster_variable"]])
    mean = est.extra["mean"]
    below = claim["direction"] == "below"
    return Outcome(
        computed=mean, n=est.n, ci_low=est.ci_low + mid, ci_high=est.ci_high + mid, p=est.p,
        holds=(mean < mid) if below else (mean > mid),
        expected_nl=f"{group} {'onder' if below else 'boven'} het schaalmidden {_num(mid)}",
        found_nl=f"gemiddelde {group} {_num(mean)}",
    )


def eval_mode(claim: Claim, ctx: Context) -> Outcome:
    pop, variable = claim.population, claim["variable"]
    shares = ctx.column(pop, variable).value_counts(normalize=True)
    mode = int(shares.idxmax())
    values = load_codebook().variables(pop)[variable].values
    return Outcome(
        computed=values[mode], n=int(ctx.column(pop, variable).notna().sum()),
        holds=mode == claim["category"],
        expected_nl=f"meest genoemd: ‘{values[claim['category']]}’",
        found_nl=f"meest genoemd: ‘{values[mode]}’ ({_pct(shares.max())})",
    )


def eval_same_mode(claim: Claim, ctx: Context) -> Outcome:
    variable = claim["variable"]
    modes = {pop: int(ctx.column(pop, variable).value_counts().idxmax()) for pop in ("students", "counsellors")}
    values = load_codebook().variables("students")[variable].values
    return Outcome(
        computed=" / ".join(values[m] for m in modes.values()),
        n=sum(int(ctx.column(pop, variable).notna().sum()) for pop in modes),
        holds=len(set(modes.values())) == 1,
        expected_nl="studenten en begeleiders noemen dezelfde categorie het vaakst",
        found_nl=f"studenten: ‘{values[modes['students']]}’, begeleiders: ‘{values[modes['counsellors']]}’",
    )


def eval_share_bound(claim: Claim, ctx: Context) -> Outcome:
    pop = claim.population
    est = compare.proportion(ctx.column(pop, claim["variable"]), claim["categories"], ctx.cluster(pop))
    if "min" in claim.spec:
        holds, expected = est.ci_low > claim["min"], f"meer dan {_pct(claim['min'])}"
    else:
        holds, expected = est.ci_high < claim["max"], f"minder dan {_pct(claim['max'])}"
    return Outcome(
        computed=est.value, n=est.n, ci_low=est.ci_low, ci_high=est.ci_high, holds=holds,
        expected_nl=f"{expected} {_categories_nl(pop, claim['variable'], claim['categories'])}",
        found_nl=f"{_pct(est.value)}",
    )


def eval_population_difference(claim: Claim, ctx: Context) -> Outcome:
    measure = claim["measure"]
    est = compare.two_sample(ctx.column("counsellors", measure), ctx.column("students", measure))
    higher = claim["direction"] == "counsellors_higher"
    return Outcome(
        computed=est.value, n=est.n, ci_low=est.ci_low, ci_high=est.ci_high, p=est.p,
        holds=(est.value > 0) if higher else (est.value < 0),
        expected_nl=f"begeleiders {'hoger' if higher else 'lager'} dan studenten",
        found_nl=f"verschil {_num(est.value)} (Hedges' g {_num(est.extra['hedges_g'])})",
    )


def eval_effect(claim: Claim, ctx: Context) -> Outcome:
    fit = ctx.fit(claim["model"], claim["outcome"])
    est = fit.coefficient(claim["predictor"])
    positive = claim["sign"] == "+"
    return Outcome(
        computed=est.value, n=est.n, ci_low=est.ci_low, ci_high=est.ci_high, p=est.p,
        holds=(est.value > 0) if positive else (est.value < 0),
        expected_nl=f"{'positief' if positive else 'negatief'} verband (β {'>' if positive else '<'} 0)",
        found_nl=f"β = {_num(est.value)}",
    )


def eval_null_effect(claim: Claim, ctx: Context) -> Outcome:
    fit = ctx.fit(claim["model"], claim["outcome"])
    est = fit.coefficient(claim["predictor"])
    bound = ctx.rules["equivalence_bound"]
    tost = models.equivalence(est.value, est.extra["se"], bound, alpha=ctx.alpha, df=est.df)
    return Outcome(
        computed=est.value, n=est.n, ci_low=est.ci_low, ci_high=est.ci_high, holds=tost.equivalent,
        expected_nl=f"geen verband (|β| < {_num(bound)})",
        found_nl=f"β = {_num(est.value)}, 90%-BI [{_num(tost.ci_low)}; {_num(tost.ci_high)}]",
    )


def hypothesis_label(consistent: int, total: int) -> str:
    """Verdict on a hypothesis from the number of its predictions that the data bear out."""
    if consistent == total:
        return "bevestigd"
    return "verworpen" if consistent == 0 else "deels bevestigd"


def eval_hypothesis(claim: Claim, ctx: Context) -> Outcome:
    estimates = [ctx.fit(claim["model"], pred["outcome"]).coefficient(pred["predictor"]) for pred in claim["predictions"]]
    adjusted = compare.holm([e.p for e in estimates])
    consistent = sum(
        bool(p < ctx.alpha and np.sign(e.value) == (1 if pred["sign"] == "+" else -1))
        for e, p, pred in zip(estimates, adjusted, claim["predictions"])
    )
    label = hypothesis_label(consistent, len(estimates))
    return Outcome(
        computed=label, n=estimates[0].n, holds=label == claim.published,
        expected_nl=f"hypothese {claim.published}",
        found_nl=f"{consistent} van {len(estimates)} voorspellingen uitgekomen: {label}",
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
    from loopbaanleren.qualitative import evaluate_qualitative_claim

    if ctx.interviews is None:
        raise NotComputable("geen gecodeerde interviews")
    found = evaluate_qualitative_claim(claim, ctx.interviews)
    if found["reproduced"] is None:
        raise NotComputable(found["reason"])
    return Outcome(computed=found["computed"], n=found["n"], holds=bool(found["reproduced"]), found_nl=found["detail"])


def _run(claim: Claim, ctx: Context) -> Outcome | str:
    try:
        if claim.rq == QUALITATIVE_RQ:
            return eval_qualitative(claim, ctx)
        return EVALUATORS[claim.kind](claim, ctx)
    except NotComputable as reason:
        return str(reason)
    except CompendiumError as error:  # too few cases, a degenerate column: the data cannot carry this claim
        return str(error).splitlines()[0]


def evaluate_claims(
    data: dict[str, pd.DataFrame], claims: Iterable[Claim] | None = None, alpha: float = 0.05, min_cell: int = 10
) -> pd.DataFrame:
    """Evaluate claims (default: the whole registry) on the data: ``students``, ``counsellors``, ``interviews``."""
    ctx = Context(data, alpha=alpha, min_cell=min_cell)
    claims = list(claims if claims is not None else load_registry())
    outcomes = {c.id: _run(c, ctx) for c in claims}
    adjusted: dict[str, float] = {}
    for rq in dict.fromkeys(c.rq for c in claims):
        tested = [c.id for c in claims if c.rq == rq and isinstance(outcomes[c.id], Outcome) and outcomes[c.id].p is not None]
        if tested:
            adjusted.update(zip(tested, compare.holm([outcomes[i].p for i in tested])))
    rows = []
    for claim in claims:
        out = outcomes[claim.id]
        if isinstance(out, str):
            rows.append(not_computable_row(claim, out))
            continue
        p_adj = adjusted.get(claim.id)
        holds = out.holds and (p_adj is None or p_adj < alpha)
        found = {k: getattr(out, k) for k in ("expected_nl", "computed", "ci_low", "ci_high", "p", "n", "found_nl")}
        rows.append(_claim_head(claim) | found | {"p_adjusted": p_adj, "verdict": "reproduced" if holds else "not_reproduced", "reason": ""})
    return pd.DataFrame(rows, columns=RESULT_COLUMNS)
