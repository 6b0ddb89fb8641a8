"""The result types of statistical estimates, shared by the procedures of this package.

Every estimate carries its value, a confidence interval, the p-value of its test (``None`` when no test
belongs to it), the number of cases used and, when clustering was taken into account, the number of
clusters. A procedure with numbers of its own returns a subclass of :class:`Estimate` that adds them as
typed fields: :class:`Share`, :class:`OneSample`, :class:`PairedDifference`, :class:`TwoSample`,
:class:`Contrast`, :class:`IntraclassCorrelation` and :class:`Reliability`. Tables of several results are
plain DataFrames; ``Estimate.to_dict`` gives one row.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Self

import numpy as np
import pandas as pd

CONFIDENCE = 0.95
"""Level of every confidence interval unless a function is told otherwise."""
_WHEN_SET = "when_set"


def _when_set() -> Any:
    """A field that only some cases of a procedure compute: None otherwise, and then no column of a row."""
    return field(default=None, metadata={_WHEN_SET: True})


@dataclass(frozen=True)
class Estimate:
    """A point estimate with its confidence interval and test.

    Attributes: ``value``, ``ci_low``, ``ci_high`` (95 % unless stated otherwise), ``p`` (two-sided, or
    ``None``), ``n`` (cases used after listwise deletion), ``n_clusters`` (when cluster-robust),
    ``df`` (degrees of freedom of the reference distribution, when a t or F distribution is used) and
    ``se`` (the standard error, when the procedure computes one: CR2 estimates and model coefficients).
    """

    value: float
    ci_low: float
    ci_high: float
    n: int
    p: float | None = None
    n_clusters: int | None = None
    df: float | None = None
    se: float | None = _when_set()

    def to_dict(self) -> dict[str, Any]:
        """One flat row: the common fields, then the procedure's own; ``se`` and the other fields that only
        some cases compute are left out while they are None.

        Examples
        --------
        >>> Estimate(0.5, 0.25, 0.75, 40).to_dict()
        {'value': 0.5, 'ci_low': 0.25, 'ci_high': 0.75, 'n': 40, 'p': None, 'n_clusters': None, 'df': None}
        >>> Share(0.5, 0.25, 0.75, 40, count=20).to_dict()["count"]
        20
        """
        return {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if getattr(self, f.name) is not None or not f.metadata.get(_WHEN_SET)
        }

    @classmethod
    def from_fit(cls, fit: Any, term: str, n: int, n_clusters: int | None = None) -> Estimate:
        """Coefficient ``term`` of a statsmodels result fitted on pandas data, with its SE, CI, p and df."""
        return cls.all_from_fit(fit, [term], n, n_clusters)[term]

    @classmethod
    def all_from_fit(cls, fit: Any, terms: list[str], n: int, n_clusters: int | None = None) -> dict[str, Estimate]:
        """:meth:`from_fit` for each of ``terms``, the fit's tables read once."""
        where = fit.params.index.get_indexer(terms)  # the fit's tables share the order of its params
        if (where < 0).any():
            raise KeyError(f"no term {terms[int(np.argmin(where))]!r} in the fit")
        low, high = np.asarray(fit.conf_int(alpha=1 - CONFIDENCE), float)[where].T
        per_term = getattr(fit, "df_terms", None)  # per-coefficient df (CR2, Satterthwaite)
        if per_term is not None:
            dfs = np.asarray(per_term, float)[where]
        else:
            df = getattr(fit, "df_resid_inference", None) or (fit.df_resid if fit.use_t else None)
            dfs = [df] * len(terms)
        values, ps, ses = (np.asarray(getattr(fit, name), float)[where] for name in ("params", "pvalues", "bse"))
        return {
            term: cls(value=float(values[i]), ci_low=float(low[i]), ci_high=float(high[i]), n=int(n), p=float(ps[i]),
                      n_clusters=n_clusters, df=None if dfs[i] is None else float(dfs[i]), se=float(ses[i]))
            for i, term in enumerate(terms)
        }

    @classmethod
    def extending(cls, estimate: Estimate, **own: Any) -> Self:
        """``estimate`` as a ``cls``: its common fields, completed (or replaced) by ``own``.

        Examples
        --------
        >>> OneSample.extending(Estimate(0.7, 0.1, 1.3, 10, p=0.04), mean=3.7).mean
        3.7
        """
        common = {f.name: getattr(estimate, f.name) for f in fields(Estimate)}
        return cls(**(common | own))


@dataclass(frozen=True, kw_only=True)
class Share(Estimate):
    """A share of answers (:func:`loopbaanleren.stats.location.proportion`); ``count``: the number in the categories."""

    count: int


@dataclass(frozen=True, kw_only=True)
class OneSample(Estimate):
    """A mean minus a reference value (:func:`loopbaanleren.stats.location.one_sample`); ``mean`` is the mean itself."""

    mean: float


@dataclass(frozen=True, kw_only=True)
class PairedDifference(Estimate):
    """The mean of a - b (:func:`loopbaanleren.stats.location.paired_difference`) with the means of a and b."""

    mean_a: float
    mean_b: float


@dataclass(frozen=True, kw_only=True)
class TwoSample(Estimate):
    """Mean of x minus mean of y by Welch's t test (:func:`loopbaanleren.stats.location.two_sample`).

    The groups' means and sizes (``mean_x``, ``mean_y``, ``n_x``, ``n_y``), the statistic ``t`` and Hedges' g
    with its CI (``hedges_g``, ``hedges_g_ci_low``, ``hedges_g_ci_high``).
    """

    mean_x: float
    mean_y: float
    n_x: int
    n_y: int
    t: float
    hedges_g: float
    hedges_g_ci_low: float
    hedges_g_ci_high: float


@dataclass(frozen=True, kw_only=True)
class Contrast(Estimate):
    """A contrast: the focal groups pooled minus all others (:func:`loopbaanleren.stats.groups.planned_contrast`), or
    a linear combination c'b of cluster-robust coefficients (:meth:`.cluster_robust.ClusterRobust.contrast`).

    A planned contrast holds the two sides' means and sizes (``mean_focal``, ``mean_other``, ``n_focal``,
    ``n_other``); without clusters (Welch's test) also Hedges' g with its CI, with clusters (CR2) ``se`` instead.
    A linear combination holds ``se``, ``df`` and its statistic ``t``.
    """

    mean_focal: float | None = _when_set()
    mean_other: float | None = _when_set()
    n_focal: int | None = _when_set()
    n_other: int | None = _when_set()
    hedges_g: float | None = _when_set()
    hedges_g_ci_low: float | None = _when_set()
    hedges_g_ci_high: float | None = _when_set()
    t: float | None = _when_set()


@dataclass(frozen=True, kw_only=True)
class IntraclassCorrelation(Estimate):
    """τ² / (τ² + σ²) of a null random-intercept model (:func:`.mixed.icc`): ``tau2`` and ``sigma2``."""

    tau2: float
    sigma2: float


@dataclass(frozen=True, kw_only=True)
class Reliability(Estimate):
    """A scale's alpha or omega (:mod:`loopbaanleren.stats.reliability`): ``n_items`` items, and ``n_boot`` resamples for omega."""

    n_items: int
    n_boot: int | None = _when_set()


@dataclass(frozen=True)
class DesignMatrices:
    """What the tables read of a fitted model (``endog``, ``exog``, ``exog_names``, ``data.row_labels``, and a mixed
    model's ``groups``), without the two rank computations (full SVDs) with which statsmodels' ``OLS`` starts."""

    endog: np.ndarray
    exog: np.ndarray
    exog_names: list[str]
    row_labels: pd.Index
    groups: np.ndarray | None = None

    @classmethod
    def of(cls, y: pd.Series, design: pd.DataFrame, groups: pd.Series | None = None) -> DesignMatrices:
        """The outcome, design and (a mixed model's) clusters of a fit as float arrays, named as the design."""
        return cls(y.to_numpy(float), design.to_numpy(float), list(design.columns), y.index,
                   None if groups is None else groups.to_numpy())

    @property
    def data(self) -> DesignMatrices:
        """As statsmodels' ``model.data``: holds ``row_labels``."""
        return self
