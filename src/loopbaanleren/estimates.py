"""The one result type for a statistical estimate, shared by scales, compare and models.

Every estimate carries its value, a confidence interval, the p-value of its test (``None`` when no test
belongs to it), the number of cases used and, when clustering was taken into account, the number of
clusters. Tables of several results are plain DataFrames; ``Estimate.to_dict`` gives one row.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

CONFIDENCE = 0.95
"""Level of every confidence interval unless a function is told otherwise."""


@dataclass(frozen=True)
class Estimate:
    """A point estimate with its confidence interval and test.

    Attributes: ``value``, ``ci_low``, ``ci_high`` (95 % unless stated otherwise), ``p`` (two-sided, or
    ``None``), ``n`` (cases used after listwise deletion), ``n_clusters`` (when cluster-robust),
    ``df`` (degrees of freedom of the reference distribution, when a t or F distribution is used) and
    ``extra`` (procedure-specific numbers such as group means or an effect size).
    """

    value: float
    ci_low: float
    ci_high: float
    n: int
    p: float | None = None
    n_clusters: int | None = None
    df: float | None = None
    extra: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """One flat row: the fixed fields followed by the entries of ``extra``."""
        row = asdict(self)
        extra = row.pop("extra")
        return row | extra

    @classmethod
    def from_fit(cls, fit: Any, term: str, n: int, n_clusters: int | None = None, **extra: Any) -> Estimate:
        """Coefficient ``term`` of a statsmodels result fitted on pandas data, with its CI, p and df."""
        low, high = fit.conf_int(alpha=1 - CONFIDENCE).loc[term]
        terms = getattr(fit, "df_terms", None)  # per-coefficient df (CR2, Satterthwaite)
        df = terms[term] if terms is not None else getattr(fit, "df_resid_inference", None) or (fit.df_resid if fit.use_t else None)
        return cls(
            value=float(fit.params[term]),
            ci_low=float(low),
            ci_high=float(high),
            n=int(n),
            p=float(fit.pvalues[term]),
            n_clusters=n_clusters,
            df=None if df is None else float(df),
            extra=dict(extra),
        )
