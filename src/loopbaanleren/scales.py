"""Reliability of multi-item scales: Cronbach's alpha and McDonald's omega, one scale or a table of them.

Each function uses the respondents who answered every item of the scale (listwise deletion).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import pingouin as pg
from statsmodels.multivariate.factor import Factor

from loopbaanleren.errors import InputError, ParameterError
from loopbaanleren.estimates import CONFIDENCE, Estimate
from loopbaanleren.samples import analysis_sample

N_BOOT = 200
FACTOR_START_SEED = 0
"""Seed of the random starting values statsmodels draws for each factor analysis."""


def cronbach_alpha(items: pd.DataFrame, ci: float = CONFIDENCE) -> Estimate:
    """Cronbach's alpha, k/(k-1)·(1 - Σ var_i / var_total), with Feldt's F-based CI (pingouin).

    Follows Cronbach (1951) and Feldt, Woodruff & Salih (1987); pingouin rounds the CI to three
    decimals. ``extra["n_items"]`` is k.
    """
    sample = _items_sample(items, "cronbach_alpha", min_items=2)
    alpha, (low, high) = pg.cronbach_alpha(data=sample, nan_policy="listwise", ci=ci)
    return Estimate(
        value=float(alpha), ci_low=float(low), ci_high=float(high), n=len(sample), extra={"n_items": sample.shape[1]}
    )


def mcdonald_omega(items: pd.DataFrame, n_boot: int = N_BOOT, seed: int = 0, ci: float = CONFIDENCE) -> Estimate:
    """McDonald's omega total, (Σλ)² / ((Σλ)² + Σθ), from a one-factor ML model of the item correlations.

    λ are the standardised loadings and θ = 1 - λ² the uniquenesses of a maximum-likelihood factor
    analysis (statsmodels ``Factor``), following McDonald (1999) and Hayes & Coutts (2020). The CI is a
    percentile bootstrap over respondents with ``n_boot`` resamples drawn with ``seed``. Needs at
    least three items. ``extra`` holds ``n_items`` and ``n_boot``.
    """
    where = "mcdonald_omega"
    if n_boot < 10:
        raise ParameterError(f"{where}: n_boot must be at least 10, got {n_boot}")
    sample = _items_sample(items, where, min_items=3)
    values = sample.to_numpy(dtype=float)
    n = len(values)
    rng = np.random.default_rng(seed)
    replicates = [_omega(values[rng.integers(0, n, n)]) for _ in range(n_boot)]
    low, high = np.nanpercentile(replicates, [50 * (1 - ci), 50 * (1 + ci)])
    return Estimate(
        value=_omega(values),
        ci_low=float(low),
        ci_high=float(high),
        n=n,
        extra={"n_items": values.shape[1], "n_boot": n_boot},
    )


def reliability_table(
    data: pd.DataFrame, scales: Mapping[str, Sequence[str]], seed: int = 0, n_boot: int = N_BOOT
) -> pd.DataFrame:
    """One row per scale: scale, n_items, n, alpha with CI, omega with CI (NaN for two-item scales)."""
    rows = []
    for name, columns in scales.items():
        items = analysis_sample(data, list(columns), f"reliability_table({name!r})")
        alpha = cronbach_alpha(items)
        omega = mcdonald_omega(items, n_boot=n_boot, seed=seed) if len(columns) >= 3 else None
        rows.append(
            {
                "scale": name,
                "n_items": len(columns),
                "n": alpha.n,
                "alpha": alpha.value,
                "alpha_ci_low": alpha.ci_low,
                "alpha_ci_high": alpha.ci_high,
                "omega": omega.value if omega else np.nan,
                "omega_ci_low": omega.ci_low if omega else np.nan,
                "omega_ci_high": omega.ci_high if omega else np.nan,
            }
        )
    return pd.DataFrame(rows)


def _items_sample(items: pd.DataFrame, where: str, min_items: int) -> pd.DataFrame:
    """Complete, numeric, non-constant item responses, at least ``min_items`` items."""
    if not isinstance(items, pd.DataFrame):
        raise InputError(f"{where}: expected a DataFrame of items, got {type(items).__name__}")
    if items.shape[1] < min_items:
        raise InputError(f"{where}: {items.shape[1]} item(s) given, at least {min_items} needed")
    sample = analysis_sample(items, list(items.columns), where, numeric=items.columns, min_rows=items.shape[1] + 2)
    constant = [name for name in sample.columns if not sample[name].std() > 0]
    if constant:
        raise InputError("\n".join(f"{where}: item {name!r} has no variance" for name in constant))
    return sample


def _omega(values: np.ndarray) -> float:
    """Omega total of one data matrix (rows respondents, columns items); NaN if the model cannot be fitted."""
    corr = np.corrcoef(values, rowvar=False)
    if not np.all(np.isfinite(corr)):
        return np.nan
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = Factor(corr=corr, n_factor=1, method="ml", nobs=len(values)).fit(rng=FACTOR_START_SEED)
    common = np.sum(fit.loadings[:, 0]) ** 2
    return float(common / (common + np.sum(fit.uniqueness)))
