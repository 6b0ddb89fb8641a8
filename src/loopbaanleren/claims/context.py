"""The evaluation context: the data of both populations prepared once, the registry's rules, the fitted models and
the claims' outcomes, owned by its caller.

A chapter makes one :class:`Context` and passes it to everything that evaluates or shows its claims (the claims,
the model tables, the hypotheses), so that each model is fitted once and each claim evaluated once. Nothing is
shared between contexts: a context is released with its caller. How the context prepares a frame, fits a registry
model and tests equivalence is its :class:`Analysis`: the primary analysis by default, a robustness
specification in the multiverse (:mod:`loopbaanleren.robustness.specification`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from loopbaanleren.data.registry import load_registry, original_design
from loopbaanleren.claims.phrases import Phrase
from loopbaanleren.claims.verdicts import Decision
from loopbaanleren.data.codebook import POPULATIONS, load_codebook
from loopbaanleren.data.frames import analysis_frame
from loopbaanleren.data.simulation import MISSING_CODE, simulate
from loopbaanleren import stats
from loopbaanleren.stats.tost import Equivalence
from loopbaanleren.stats.regression import Regression
from loopbaanleren.stats.results import DesignMatrices

class NotComputable(Exception):
    """The claim cannot be computed on this data; ``phrase`` says why (a template key and its values)."""

    def __init__(self, key: str, **values: object):
        super().__init__(key)
        self.phrase = Phrase(key, **values)


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
    reason: Phrase | None = None
    """Why the evaluator decided the verdict itself (rule "fixed"), when that needs a number (else the decision's)."""
    expected: Phrase | None = None
    found: Phrase | None = None


class Analysis:
    """The primary analysis: how a context prepares a population's frame, fits a registry model and tests
    equivalence. A robustness specification overrides some of these (the context stays the same)."""

    def frame(self, population: str, frame: pd.DataFrame) -> pd.DataFrame:
        """The frame the evaluators read: the analysis frame itself."""
        return frame

    def fit(self, ctx: Context, model_id: str, outcome: str, method: str) -> Regression:
        """The registry model ``model_id`` for ``outcome`` by ``method`` (CR2 OLS: the primary analysis)."""
        spec = ctx.models[model_id]
        population = spec["population"]
        for name in [outcome, *spec["predictors"], *spec["controls"], *spec["categorical"]]:
            ctx.column(population, name)
        return stats.fit_regression(ctx.frame(population), outcome, spec["predictors"], spec["controls"],
                                     spec["categorical"], cluster=ctx.rules["cluster_variable"], method=method)

    def equivalent(self, ctx: Context, estimate: float, se: float, df: float | None,
                   bound: float) -> Equivalence | None:
        """An equivalence test of this analysis's own, or None for the context's TOST."""
        return None


class Context:
    """The data of both populations prepared once, the registry's rules, and the models fitted and claims
    evaluated on them.

    ``frames``: the analysis frames of ``data`` when already made; ``rules``: rules that replace the registry's
    (e.g. another ``cluster_variable``); ``analysis``: how frames are prepared and models fitted (default:
    the primary :class:`Analysis`). ``outcomes`` holds each claim's outcome once evaluated
    (:func:`loopbaanleren.claims.evaluate.outcome`).
    """

    def __init__(self, data: Mapping[str, pd.DataFrame], alpha: float = 0.05, min_cell: int = 10, *,
                 frames: Mapping[str, pd.DataFrame] | None = None, rules: Mapping | None = None,
                 analysis: Analysis | None = None):
        if frames is None:
            frames = {pop: analysis_frame(data[pop], pop) for pop in POPULATIONS if data.get(pop) is not None}
        self.frames = dict(frames)
        self.interviews = data.get("interviews")
        registry = load_registry()
        self.rules = {**registry.rules, **(rules or {})}
        self.models = dict(registry.models)
        self.alpha, self.min_cell = alpha, min_cell
        self.analysis = analysis or Analysis()
        self.outcomes: dict[str, object] = {}
        self._fits: dict[tuple[str, str, str], Regression] = {}
        self._prepared: dict[str, pd.DataFrame] = {}
        self._filled: dict[tuple[str, str], bool] = {}
        self.dropped_controls = self._drop_empty_controls()

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
        """The population's frame as the analysis prepares it; NotComputable without data of that population."""
        if population not in self.frames:
            raise NotComputable("no_data", population=population)
        if population not in self._prepared:
            self._prepared[population] = self.analysis.frame(population, self.frames[population])
        return self._prepared[population]

    def column(self, population: str, name: str) -> pd.Series:
        """A column of the population's frame; NotComputable when it is absent or empty."""
        frame = self.frame(population)
        key = (population, name)
        if key not in self._filled:
            self._filled[key] = name in frame and bool(frame[name].notna().any())
        if not self._filled[key]:
            raise NotComputable("no_variable", variable=name, population=population)
        return frame[name]

    def cluster(self, population: str) -> pd.Series:
        """The cluster of each respondent (``rules.cluster_variable``, the hogeschool)."""
        return self.frame(population)[self.rules["cluster_variable"]]

    def fit(self, model_id: str, outcome: str, method: str = "ols_cr2") -> Regression:
        """A registry model for one outcome; CR2 OLS is the primary analysis, "mixed" the robustness check."""
        key = (model_id, outcome, method)
        if key not in self._fits:
            self._fits[key] = self.analysis.fit(self, model_id, outcome, method)
            self._share_design(key)
        return self._fits[key]

    def _share_design(self, key: tuple[str, str, str]) -> None:
        """Let the new fit ``key`` hold the outcome and design arrays of a fit of the same model and outcome
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

    @property
    def bound(self) -> float:
        """Equivalence bound of a standardised coefficient (rules.equivalence_bound)."""
        return float(self.rules["equivalence_bound"])

    @property
    def negligible_difference(self) -> float:
        """Equivalence bound of a difference in scale points (rules.negligible_difference)."""
        return float(self.rules["negligible_difference"])

    def equivalent(self, estimate: float, se: float, df: float | None, bound: float) -> Equivalence:
        """TOST of -bound < estimate < bound at the build's alpha (its interval has level 1 - 2·alpha), or the
        analysis's own test.

        An estimate without spread (se 0: every answer the same) is equivalent exactly when it lies within the bound.
        """
        own = self.analysis.equivalent(self, estimate, se, df, bound)
        if own is not None:
            return own
        if not se > 0:
            inside = abs(estimate) < bound
            return Equivalence(0.0 if inside else 1.0, estimate, estimate, inside)
        return stats.equivalence(estimate, se, bound, alpha=self.alpha, df=df)

    def margin(self, population: str, sd: float) -> float:
        """Margin of a published point value with standard deviation ``sd`` (see :func:`loopbaanleren.stats.margins.margin_point`),
        at the original study's design whatever the clusters of this analysis."""
        rule = self.rules["margin"]
        n, n_clusters = original_design(population)
        return stats.margin_point(sd, n, n_clusters, rule["icc"], rule["level"])


def midpoint(population: str, measure: str) -> float:
    """The midpoint of a measure's answer scale (the codebook's valid range)."""
    item = load_codebook().measure(population, measure)
    return (item.valid_min + item.valid_max) / 2


def example_data(n_students: int = 400, n_counsellors: int = 150, seed: int = 2026) -> dict[str, pd.DataFrame]:
    """Small synthetic survey data of both populations (missing codes as NaN), for the examples in docstrings."""
    return {pop: frame.replace(MISSING_CODE, np.nan) for pop, frame in simulate(seed, n_students, n_counsellors).items()}


def example_context(n_students: int = 400, n_counsellors: int = 150, seed: int = 2026) -> Context:
    """A context on :func:`example_data`, for the examples in the evaluators' docstrings."""
    return Context(example_data(n_students, n_counsellors, seed))
