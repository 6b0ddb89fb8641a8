"""One specification of the multiverse as the evaluators' analysis: the same :class:`~loopbaanleren.claims.context.Context`
and evaluators as everywhere, with the scale scores, clusters and model fits the specification chooses.

:class:`Specification` is an :class:`~loopbaanleren.claims.context.Analysis`: a context made with it
(:meth:`Specification.context`) prepares each population's frame with the specification's scale scores and
cluster column, fits a registry model under its controls, outcome scale, missing data and inference, and tests
the equivalence of a bootstrapped coefficient by two one-sided wild bootstrap tests.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd

from loopbaanleren.claims.context import Analysis, Context
from loopbaanleren.data.codebook import load_codebook, scale_score
from loopbaanleren.robustness.estimators import (
    CoefficientView, WildBootstrap, chained_imputations, factor_scores, pool_rubin, regression_from_view,
    standardised_ordinal,
)
from loopbaanleren.robustness.multiverse_design import Multiverse, single_items
from loopbaanleren import stats
from loopbaanleren.stats.tost import Equivalence
from loopbaanleren.stats.regression import Regression
from loopbaanleren.stats.distributions import t_quantile

CLUSTER_COLUMN = "hogeschool × sector"


class Specification(Analysis):
    """The analysis of one specification (``spec``: one option per dimension of ``mv``).

    ``specified``: frames under a specification's scale scores and clusters, by (population, scores, cluster),
    shared with other specifications of the same data; ``fitted``: the fits of :func:`stats.fit_regression` by
    their data and arguments, shared with specifications that make the same fits (the CR2 fit under a wild
    bootstrap is the CR2 fit of the same specification under CR2).
    """

    def __init__(self, spec: Mapping[str, str], mv: Multiverse, seed: int = 2026,
                 specified: dict[tuple[str, str, str], pd.DataFrame] | None = None,
                 fitted: dict[tuple, Regression] | None = None):
        self.spec, self.mv, self.seed = dict(spec), mv, seed
        self.specified = {} if specified is None else specified
        self.fitted = {} if fitted is None else fitted
        self._tost: dict[tuple[float, float], Callable[[float], Equivalence]] = {}
        self._imputed: dict[str, list[pd.DataFrame]] = {}

    @property
    def rules(self) -> dict[str, str]:
        """The registry rules this specification replaces: the cluster variable."""
        return {"cluster_variable": CLUSTER_COLUMN} if self.spec["cluster"] == "hogeschool_sector" else {}

    def context(self, data: Mapping[str, pd.DataFrame], alpha: float, min_cell: int,
                frames: Mapping[str, pd.DataFrame] | None = None) -> Context:
        """A context of ``data`` under this specification (``frames``: their analysis frames, when made)."""
        return Context(data, alpha, min_cell, frames=frames, rules=self.rules, analysis=self)

    def frame(self, population: str, frame: pd.DataFrame) -> pd.DataFrame:
        """The population's analysis frame with this specification's scale scores and clusters (made once for
        ``specified``)."""
        key = (population, self.spec["scores"], self.spec["cluster"])
        if key not in self.specified:
            if self.spec["scores"] != "half" or self.spec["cluster"] == "hogeschool_sector":
                frame = frame.copy()
            if self.spec["scores"] != "half":
                for name, scale in load_codebook().scales(population).items():
                    frame[name] = (factor_scores(frame, scale) if self.spec["scores"] == "factor"
                                   else scale_score(frame, scale, min_items=1.0))
            if self.spec["cluster"] == "hogeschool_sector":
                frame[CLUSTER_COLUMN] = frame["hogeschool"].astype(str) + " × " + frame["sector"].astype(str)
            self.specified[key] = frame
        return self.specified[key]

    def equivalent(self, ctx: Context, estimate: float, se: float, df: float | None,
                   bound: float) -> Equivalence | None:
        """Two one-sided wild bootstrap tests for a bootstrapped coefficient; None (the context's TOST) otherwise."""
        tost = self._tost.get((estimate, se))
        return tost(bound) if tost else None

    def model_terms(self, ctx: Context, model_id: str) -> tuple[list[str], list[str], list[str]]:
        """Predictors, controls and categorical terms of a registry model under this specification's ``controls``."""
        spec = ctx.models[model_id]
        controls, categorical = list(spec["controls"]), list(spec["categorical"])
        if self.spec["controls"] == "none":
            controls, categorical = [], []
        elif self.spec["controls"] == "plus_sector" and "sector" not in categorical:
            categorical.append("sector")
        return list(spec["predictors"]), controls, categorical

    def fit(self, ctx: Context, model_id: str, outcome: str, method: str) -> Regression:
        """A registry model under this specification: its controls, outcome scale, missing data and clusters.

        ``method`` is ignored: the specification's ``inference`` chooses the analysis.
        """
        population = ctx.models[model_id]["population"]
        predictors, controls, categorical = self.model_terms(ctx, model_id)
        for name in [outcome, *predictors, *controls, *categorical]:
            ctx.column(population, name)
        if self.spec["outcome"] == "ordinal" and outcome in single_items(population):
            return standardised_ordinal(self._fit(ctx, population, outcome, predictors, controls, categorical, "ordinal"))
        if self.spec["missing"] == "imputed":
            return self._fit_imputed(ctx, model_id, outcome, predictors, controls, categorical)
        chosen = {"cr2": "ols_cr2", "wild": "ols_cr2", "mixed": "mixed"}[self.spec["inference"]]
        fit = self._fit(ctx, population, outcome, predictors, controls, categorical, chosen)
        return self._wild(ctx, fit, predictors, population) if self.spec["inference"] == "wild" else fit

    def _fit(self, ctx: Context, population: str, outcome: str, predictors: list[str], controls: list[str],
             categorical: list[str], method: str) -> Regression:
        """:func:`stats.fit_regression` on this specification's frame and clusters, made once for ``fitted``."""
        cluster = ctx.rules["cluster_variable"]
        key = (population, self.spec["scores"], cluster, outcome, tuple(predictors), tuple(controls),
               tuple(categorical), method)
        if key not in self.fitted:
            self.fitted[key] = stats.fit_regression(ctx.frame(population), outcome, predictors, controls,
                                                     categorical, cluster=cluster, method=method)
        return self.fitted[key]

    def _wild(self, ctx: Context, fit: Regression, predictors: list[str], population: str) -> Regression:
        """The CR2 fit with its predictors' p-values (and equivalence tests) from the wild cluster bootstrap."""
        result = fit.fit
        y, X = result.model.endog, result.model.exog
        names = list(result.params.index)
        rows = result.model.data.row_labels
        cluster = ctx.frame(population).loc[rows, ctx.rules["cluster_variable"]].astype(str).to_numpy()
        p = result.pvalues.copy()
        boot = WildBootstrap(y, X, cluster, draws=self.mv.draws, kind=self.mv.weights, seed=self.mv.seed)
        alpha = ctx.alpha
        for term in predictors:
            c = np.zeros(len(names))
            c[names.index(term)] = 1.0
            p[term] = boot.test(c).p
            estimate, se, df = float(result.params[term]), float(result.bse[term]), float(result.df_terms[term])

            def tost(bound: float, c=c, estimate=estimate, se=se, df=df) -> Equivalence:
                low = boot.test(c, r=-bound, alternative="greater").p
                high = boot.test(c, r=bound, alternative="less").p
                q = t_quantile(1 - alpha, df)  # the CR2 interval, for the text only; the verdict is the bootstrap's
                return Equivalence(max(low, high), estimate - q * se, estimate + q * se, max(low, high) < alpha)

            self._tost[(estimate, se)] = tost
        view = CoefficientView(names, result.params, result.bse, p, result.df_terms)
        return regression_from_view(fit, view, "wild")

    def _fit_imputed(self, ctx: Context, model_id, outcome, predictors, controls, categorical) -> Regression:
        """CR2 fits on each multiply imputed data set, pooled by Rubin's rules (Barnard–Rubin df)."""
        cluster = ctx.rules["cluster_variable"]
        fits = [stats.fit_regression(frame, outcome, predictors, controls, categorical, cluster=cluster, method="ols_cr2")
                for frame in self._imputations(ctx, model_id)]
        names = list(fits[0].fit.params.index)
        pooled = pool_rubin([f.fit.params[names] for f in fits], [f.fit.bse[names] ** 2 for f in fits],
                            np.mean([f.fit.df_terms[names] for f in fits], axis=0))
        return regression_from_view(fits[0], CoefficientView(names, pooled.estimate, pooled.se, pooled.p, pooled.df),
                                    "imputed")

    def _imputations(self, ctx: Context, model_id: str) -> list[pd.DataFrame]:
        """``imputations`` data sets in which the model's continuous columns are imputed (:func:`chained_imputations`,
        the categorical terms as dummies among the predictors)."""
        if model_id not in self._imputed:
            spec = ctx.models[model_id]
            frame = ctx.frame(spec["population"])
            predictors, controls, categorical = self.model_terms(ctx, model_id)
            columns = list(dict.fromkeys([*spec["outcomes"], *predictors, *controls]))
            numeric = frame[columns].astype(float)
            extra = pd.get_dummies(frame[categorical], dtype=float) if categorical else pd.DataFrame(index=frame.index)
            matrix = pd.concat([numeric, extra], axis=1).to_numpy()
            sets = []
            for filled in chained_imputations(matrix, self.mv.imputations, self.seed):
                copy = frame.copy()
                copy[columns] = filled[:, : len(columns)]
                sets.append(copy)
            self._imputed[model_id] = sets
        return self._imputed[model_id]
