"""A multiverse per claim: every survey claim re-evaluated under each declared reasonable alternative analysis.

The choices and the design are declared in ``resources/multiverse.yaml`` (:mod:`~loopbaanleren.robustness.multiverse_design`).
A claim is evaluated by the same evaluators as everywhere (:mod:`loopbaanleren.claims.evaluate`) on a
:class:`~loopbaanleren.claims.context.Context` whose analysis is the specification
(:class:`~loopbaanleren.robustness.specification.Specification`), which changes only what a specification changes: the
scale scores, the cluster variable, and how a registry model is fitted. The multiple-testing families and the
verdict rules are those of :func:`~loopbaanleren.claims.evaluate.evaluate_claims`.

:func:`run_multiverse` evaluates the distinct analyses on the executor it is given (anything with ``map`` and
``workers``, e.g. :func:`loopbaanleren.build.executor.make_executor`'s; results in input order) and returns one row
per claim × specification; :func:`robustness` the share of a claim's specifications in which it is reproduced,
and :func:`dependence` the choices its verdict depends on.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from loopbaanleren.claims.context import Context, Outcome
from loopbaanleren.claims.evaluate import QUALITATIVE_RQ, decide, outcome
from loopbaanleren.claims.phrases import Phrase
from loopbaanleren.claims.families import adjusted_p
from loopbaanleren.data.registry import Claim, is_derived, load_registry
from loopbaanleren.claims.verdicts import VERDICTS
from loopbaanleren.data.codebook import load_codebook
from loopbaanleren.robustness.executor import Executor
from loopbaanleren.robustness.multiverse_design import (
    DIMENSIONS, Multiverse, effective, group_key, group_of, load_multiverse, spec_label, specifications,
)
from loopbaanleren.robustness.specification import Specification

ROW_COLUMNS = ["id", "rq", "kind", "derived", "specification", *DIMENSIONS, "primary", "computed", "ci_low", "ci_high",
               "p_adjusted", "verdict", "reason"]
BATCHES_PER_WORKER = 3
"""Batches per worker: enough to even out their run times, few enough that the data are sent only a few times."""


@dataclass(frozen=True)
class Task:
    """One unit of work: the claims of one group (a regression group: of one registry model) under one
    specification."""

    group: str
    spec: tuple[tuple[str, str], ...]
    claim_ids: tuple[str, ...]

    @property
    def siblings(self) -> tuple:
        """What tasks that differ only in inference share (their claims and other choices): the same fits."""
        return self.group, self.claim_ids, tuple(item for item in self.spec if item[0] != "inference")

    @property
    def weight(self) -> int:
        """A rough relative cost, to spread the slow analyses (imputation, factor scores) over the batches."""
        spec = dict(self.spec)
        return len(self.claim_ids) * (20 if spec["missing"] == "imputed" else 5 if spec["scores"] == "factor" else 1)


@dataclass(frozen=True)
class Batch:
    """Tasks run one after another in one process (picklable): the data are sent, and their analysis frames
    made, once per batch instead of once per task."""

    tasks: tuple[Task, ...]
    data: dict
    alpha: float
    min_cell: int
    seed: int
    mv: Multiverse
    after_task: Callable[[], object] | None = None


def batches(tasks: Sequence[Task], n: int) -> list[list[int]]:
    """The tasks' indices in ``n`` batches of about equal weight (the heaviest first, each to the lightest batch);
    tasks that differ only in inference (:attr:`Task.siblings`) go together, one after another."""
    units: dict[tuple, list[int]] = {}
    for index, task in enumerate(tasks):
        units.setdefault(task.siblings, []).append(index)
    weights = {key: sum(tasks[i].weight for i in unit) for key, unit in units.items()}
    parts: list[list[int]] = [[] for _ in range(max(1, min(n, len(units))))]
    loads = [0] * len(parts)
    for key in sorted(units, key=lambda key: -weights[key]):
        lightest = loads.index(min(loads))
        parts[lightest].extend(units[key])
        loads[lightest] += weights[key]
    return parts



def run_batch(batch: Batch) -> list[tuple[dict[str, Outcome | str], float]]:
    """Per task of the batch, the evaluators' outcomes (before correction) of its claims and the CPU seconds they
    took; ``batch.after_task`` (e.g. giving freed memory back) is called after each task."""
    frames = Context(batch.data, batch.alpha, batch.min_cell).frames
    specified: dict = {}
    fitted: dict = {}  # the fits of the task before and its siblings (next to each other, see batches)
    registry = load_registry()
    out = []
    for number, task in enumerate(batch.tasks):
        if number and task.siblings != batch.tasks[number - 1].siblings:
            fitted.clear()
        started = time.process_time()
        ctx = Specification(dict(task.spec), batch.mv, batch.seed, specified, fitted).context(
            batch.data, batch.alpha, batch.min_cell, frames)
        out.append(({claim_id: outcome(registry.get(claim_id), ctx) for claim_id in task.claim_ids},
                    time.process_time() - started))
        del ctx  # its own fits and imputed data sets
        if batch.after_task is not None:
            batch.after_task()  # a worker keeps the size of its largest task otherwise
    return out


@dataclass
class MultiverseResult:
    """One row per claim × specification (:data:`ROW_COLUMNS`), the specifications, what the run cost, and per
    population the rows analysed and the rows in the data (fewer when :func:`subsample` drew a sample)."""

    rows: pd.DataFrame
    specs: list[dict[str, str]]
    cpu_seconds: float
    wall_seconds: float
    tasks: int
    sizes: dict[str, tuple[int, int]] = field(default_factory=dict)


def subsample(data: dict[str, pd.DataFrame], mv: Multiverse) -> dict[str, pd.DataFrame]:
    """Each population's rows, or above ``mv.max_size`` times the study's size a simple random sample of that
    many rows (seed ``mv.seed``, rows kept in their order): the multiverse asks how verdicts depend on analytic
    choices, which the study's own size answers, and its slowest analyses (imputation, factor scores, the wild
    bootstrap) grow with the rows."""
    codebook = load_codebook()
    out = {}
    for population, frame in data.items():
        cap = int(round(mv.max_size * codebook.population(population).default_n))
        if len(frame) > cap:
            rows = np.sort(np.random.default_rng(mv.seed).choice(len(frame), size=cap, replace=False))
            frame = frame.iloc[rows]
        out[population] = frame
    return out


def survey_claims(claims: Iterable[Claim] | None = None) -> list[Claim]:
    """The claims of the survey (default: the registry's), without those of the interview study."""
    claims = list(claims if claims is not None else load_registry())
    return [c for c in claims if c.rq != QUALITATIVE_RQ]


def run_multiverse(data: dict[str, pd.DataFrame], executor: Executor, claims: Iterable[Claim] | None = None,
                   alpha: float = 0.05, min_cell: int = 10, seed: int = 2026, mv: Multiverse | None = None,
                   after_task: Callable[[], object] | None = None) -> MultiverseResult:
    """Every survey claim under every specification of the declared design that applies to it.

    Each distinct analysis (a claim group under the choices that matter for it) is evaluated once, on
    ``executor`` (``after_task``: called in the worker after each, e.g.
    :func:`loopbaanleren.build.memory.release_free_memory`); per specification the tests are corrected in their
    research question's family and decided by the verdict rules, as in
    :func:`~loopbaanleren.claims.evaluate.evaluate_claims`.
    """
    started = time.perf_counter()
    cpu = time.process_time()
    mv = mv or load_multiverse()
    claims = survey_claims(claims)
    specs = specifications(mv)
    # the claims per unit of work: an analysis of the regression claims is run per registry model (its fits and
    # imputations are its own), so the slow ones (imputation, the mixed model) spread over the workers
    parts: dict[tuple[str, str], list[str]] = {}
    for claim in claims:
        group = group_of(claim, mv)
        parts.setdefault((group, claim.get("model", "") if group == "regression" else ""), []).append(claim.id)
    groups = list(dict.fromkeys(group for group, _ in parts))  # the groups that have claims
    keys = {(group, group_key(spec, group, mv)): None for spec in specs for group in groups}
    everything = {pop: frame for pop, frame in data.items() if pop in ("students", "counsellors")}
    plain = subsample(everything, mv)
    tasks = [Task(group, tuple(zip(DIMENSIONS, key)), tuple(ids))
             for group, key in keys for (part_group, _), ids in parts.items() if part_group == group]
    split = batches(tasks, 1 if executor.workers == 1 else BATCHES_PER_WORKER * executor.workers)
    results: list = [None] * len(tasks)
    done = executor.map(run_batch, [Batch(tuple(tasks[i] for i in part), plain, alpha, min_cell, seed, mv, after_task)
                                    for part in split])
    for part, outs in zip(split, done):
        for index, out in zip(part, outs):
            results[index] = out
    found: dict[tuple, dict] = {}
    for t, (out, _) in zip(tasks, results):
        found.setdefault((t.group, tuple(v for _, v in t.spec)), {}).update(out)
    task_cpu = sum(seconds for _, seconds in results)
    method = load_registry().rules["multiple_testing"]
    rows = []
    for number, spec in enumerate(specs):
        outcomes = {}
        for group in groups:
            outcomes.update(found[(group, group_key(spec, group, mv))])
        adjusted = adjusted_p(claims, outcomes, method)
        label = spec_label(spec, mv)
        for claim in claims:
            if effective(spec, claim, mv) != spec:
                continue
            out = outcomes[claim.id]
            head = {"id": claim.id, "rq": claim.rq, "kind": claim.kind, "derived": is_derived(claim),
                    "specification": label, **spec, "primary": number == 0}
            if isinstance(out, Phrase):
                rows.append(head | {"verdict": "not_computable", "reason": out})
                continue
            decision = decide(out, adjusted.get(claim.id), alpha)
            computed = out.computed if isinstance(out.computed, (int, float, np.floating)) else np.nan
            rows.append(head | {"computed": computed, "ci_low": out.ci_low, "ci_high": out.ci_high,
                                "p_adjusted": adjusted.get(claim.id), "verdict": decision.verdict,
                                "reason": decision.reason})
    table = pd.DataFrame(rows, columns=ROW_COLUMNS)
    own_cpu = time.process_time() - cpu
    return MultiverseResult(table, specs, own_cpu + (task_cpu if executor.workers != 1 else 0.0),
                            time.perf_counter() - started, len(keys),
                            {pop: (len(plain[pop]), len(frame)) for pop, frame in everything.items()})



def robustness(rows: pd.DataFrame) -> pd.DataFrame:
    """Per claim: its verdict in the primary analysis, the number of specifications, the share of them in which
    it is reproduced (``robustness``), and the count of each verdict."""
    counts = pd.crosstab(rows["id"], rows["verdict"]).reindex(columns=list(VERDICTS), fill_value=0)
    primary = rows[rows["primary"]].set_index("id")["verdict"]
    order = list(dict.fromkeys(rows["id"]))
    table = counts.reindex(order)
    table.insert(0, "specifications", table.sum(axis=1))
    table.insert(0, "primary", primary.reindex(order))
    table["robustness"] = table["reproduced"] / table["specifications"]
    first = rows.drop_duplicates("id").set_index("id")
    table.insert(0, "kind", first["kind"].reindex(order))
    table.insert(0, "rq", first["rq"].reindex(order))
    return table.rename_axis("id").reset_index()


def dependence(rows: pd.DataFrame, mv: Multiverse | None = None) -> pd.DataFrame:
    """The choices a verdict depends on: per claim and alternative option, when the verdict under the primary
    analysis with only that choice changed differs from the primary verdict (``alone``), with how many of the
    claim's specifications that make the choice (``specifications``) give another verdict (``changed``).

    A claim whose verdict differs only in combinations of choices gets one row with dimension "combinaties"."""
    mv = mv or load_multiverse()
    found = []
    for claim_id, part in rows.groupby("id", sort=False):
        primary = part[part["primary"]]
        if primary.empty or part["verdict"].nunique() == 1:
            continue
        base = primary["verdict"].iloc[0]
        before = len(found)
        for name in DIMENSIONS:
            for option in mv.dimensions[name].options:
                if option == mv.primary[name]:
                    continue
                others = [n for n in DIMENSIONS if n != name]
                rest = pd.Series({n: mv.primary[n] for n in others})
                single = part[(part[name] == option) & (part[others] == rest).all(axis=1)]
                if single.empty or single["verdict"].iloc[0] == base:
                    continue
                chosen = part[part[name] == option]
                found.append({"id": claim_id, "dimension": name, "option": option, "primary": base,
                              "alone": single["verdict"].iloc[0], "specifications": len(chosen),
                              "changed": int((chosen["verdict"] != base).sum())})
        if len(found) == before:
            changed = part[part["verdict"] != base]
            found.append({"id": claim_id, "dimension": "combinaties", "option": "", "primary": base, "alone": "",
                          "specifications": len(part), "changed": len(changed)})
    return pd.DataFrame(found, columns=["id", "dimension", "option", "primary", "alone", "specifications", "changed"])
