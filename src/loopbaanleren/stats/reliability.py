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
from loopbaanleren.stats.results import CONFIDENCE, Reliability
from loopbaanleren.stats.samples import analysis_sample

N_BOOT = 200
FACTOR_START_SEED = 0
"""Seed of the random starting values statsmodels draws for each factor analysis."""
BOOT_ROW_DRAWS_MAX_N = 100_000
"""Up to this many respondents a resample draws n row numbers; above, it draws the n counts of the answer
patterns at once from the multinomial distribution (the same bootstrap distribution, other random numbers)."""
BOOT_CHUNK_CELLS = 4_000_000
"""Resamples are summarised in chunks of at most this many (resample, answer pattern) counts (memory)."""


def cronbach_alpha(items: pd.DataFrame, ci: float = CONFIDENCE) -> Reliability:
    """Cronbach's alpha, k/(k-1)·(1 - Σ var_i / var_total), with Feldt's F-based CI (pingouin).

    Follows Cronbach (1951) and Feldt, Woodruff & Salih (1987); pingouin rounds the CI to three
    decimals. ``n_items`` is k.

    Parameters
    ----------
    items : DataFrame
        One numeric column per item (at least two), one row per respondent.
    ci : float, default 0.95
        Level of the interval.

    Returns
    -------
    Reliability
        ``value`` alpha with its CI, ``n`` and ``n_items``.

    References
    ----------
    Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests. *Psychometrika*, 16(3),
    297-334. Feldt, L. S., Woodruff, D. J. & Salih, F. A. (1987). Statistical inference for coefficient alpha.
    *Applied Psychological Measurement*, 11(1), 93-103. R: ``psych::alpha``; pingouin ``cronbach_alpha``.

    Examples
    --------
    >>> items = pd.DataFrame({"a": [1, 2, 3, 4, 5, 3], "b": [2, 2, 3, 5, 4, 3], "c": [1, 3, 3, 4, 5, 2]})
    >>> est = cronbach_alpha(items)
    >>> round(est.value, 3), est.n, est.n_items
    (0.932, 6, 3)
    """
    sample = _items_sample(items, "cronbach_alpha", min_items=2)
    alpha, (low, high) = pg.cronbach_alpha(data=sample, nan_policy="listwise", ci=ci)
    return Reliability(value=float(alpha), ci_low=float(low), ci_high=float(high), n=len(sample), n_items=sample.shape[1])


def mcdonald_omega(items: pd.DataFrame, n_boot: int = N_BOOT, seed: int = 0, ci: float = CONFIDENCE) -> Reliability:
    """McDonald's omega total, (Σλ)² / ((Σλ)² + Σθ), from a one-factor ML model of the item correlations.

    λ are the standardised loadings and θ = 1 - λ² the uniquenesses of a maximum-likelihood factor
    analysis (statsmodels ``Factor``), following McDonald (1999) and Hayes & Coutts (2020). The CI is a
    percentile bootstrap over respondents with ``n_boot`` resamples drawn with ``seed``. Needs at
    least three items. The result holds ``n_items`` and ``n_boot``.

    The bootstrap is vectorised, not an analytic interval: the resamples are the same as those of a
    refit per resample (``n_boot`` draws of n row numbers from ``seed``), so the interval is the same
    percentile interval as before, but each resample is reduced to its correlation matrix (through the
    counts of distinct answer patterns) and all one-factor ML solutions are found together by the
    fixed-point iteration of Jöreskog (1967), warm-started at the full-sample solution (see
    :func:`one_factor_ml`). That replaces ``n_boot`` numerical optimisations per scale by a few dozen
    batched eigen-decompositions, and it keeps the percentile interval (which respects the bounds of ω),
    which an analytic delta-method interval would not.

    Parameters
    ----------
    items : DataFrame
        One numeric column per item (at least three), one row per respondent.
    n_boot : int, default 200
        Bootstrap resamples (at least 10).
    seed : int, default 0
        Seed of the resamples.
    ci : float, default 0.95
        Level of the percentile interval.

    Returns
    -------
    Reliability
        ``value`` omega with its CI, ``n``, ``n_items`` and ``n_boot``.

    References
    ----------
    McDonald, R. P. (1999). *Test Theory: A Unified Treatment*. Mahwah, NJ: Erlbaum. Hayes, A. F. & Coutts, J. J.
    (2020). Use omega rather than Cronbach's alpha for estimating reliability. But... *Communication Methods and
    Measures*, 14(1), 1-24. R: ``psych::omega(nfactors = 1)``'s omega total.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> f = rng.normal(size=(300, 1))
    >>> items = pd.DataFrame(f + rng.normal(size=(300, 4)), columns=list("abcd"))
    >>> est = mcdonald_omega(items, n_boot=50)
    >>> bool(est.ci_low < est.value < est.ci_high)
    True
    """
    where = "mcdonald_omega"
    if n_boot < 10:
        raise ParameterError(f"{where}: n_boot must be at least 10, got {n_boot}")
    sample = _items_sample(items, where, min_items=3)
    values = sample.to_numpy(dtype=float)
    n = len(values)
    value, start = _omega_and_uniqueness(values)
    replicates = bootstrap_omegas(values, n_boot, seed, start)
    low, high = np.nanpercentile(replicates, [50 * (1 - ci), 50 * (1 + ci)])
    return Reliability(value=value, ci_low=float(low), ci_high=float(high), n=n, n_items=values.shape[1], n_boot=n_boot)


def bootstrap_omegas(values: np.ndarray, n_boot: int, seed: int, start: np.ndarray | None = None) -> np.ndarray:
    """Omega of each of ``n_boot`` bootstrap resamples of the rows of ``values`` (NaN where not estimable).

    Resample ``b`` is ``values[rng.integers(0, n, n)]`` for the ``b``-th draw of ``default_rng(seed)``,
    the resamples of a refit per resample. Each is summarised by the counts of the distinct rows (answer
    patterns) it drew, from which its correlation matrix follows exactly; the one-factor ML fits of all
    resamples are then solved at once (:func:`one_factor_ml`, warm-started at ``start``). Above
    ``BOOT_ROW_DRAWS_MAX_N`` respondents the pattern counts are drawn directly, multinomial(n, shares of the
    patterns): the same resampling distribution at a cost that does not grow with n.
    """
    n, k = values.shape
    patterns, pattern_of = np.unique(values, axis=0, return_inverse=True)
    pattern_of = pattern_of.ravel()
    products = np.einsum("ui,uj->uij", patterns, patterns).reshape(len(patterns), k * k)
    rng = np.random.default_rng(seed)
    chunk = max(1, min(n_boot, BOOT_CHUNK_CELLS // len(patterns)))
    corr = np.empty((n_boot, k, k))
    for first in range(0, n_boot, chunk):
        size = min(chunk, n_boot - first)
        weights = np.empty((size, len(patterns)))
        if n > BOOT_ROW_DRAWS_MAX_N:
            weights[:] = rng.multinomial(n, np.bincount(pattern_of, minlength=len(patterns)) / n, size=size)
        for b in range(size if n <= BOOT_ROW_DRAWS_MAX_N else 0):
            weights[b] = np.bincount(pattern_of[rng.integers(0, n, n)], minlength=len(patterns))
        weights /= n
        means = weights @ patterns
        cov = (weights @ products).reshape(size, k, k) - means[:, :, None] * means[:, None, :]
        sd = np.sqrt(np.clip(np.einsum("bii->bi", cov), 0, None))
        with np.errstate(invalid="ignore", divide="ignore"):
            corr[first : first + size] = cov / sd[:, :, None] / sd[:, None, :]
    finite = np.all(np.isfinite(corr), axis=(1, 2))
    omegas = np.full(n_boot, np.nan)
    if finite.any():
        omegas[finite] = _omega_from(*one_factor_ml(corr[finite], start))
    return omegas


def one_factor_ml(
    corr: np.ndarray, start: np.ndarray | None = None, tol: float = 1e-12, max_iter: int = 5000
) -> tuple[np.ndarray, np.ndarray]:
    """Loadings and uniquenesses of the one-factor ML model of each correlation matrix in ``corr`` (b, k, k).

    Jöreskog's (1967) fixed point: for uniquenesses ψ, the loadings are ψ^½ v (γ - 1)^½ with γ, v the
    largest eigenvalue and vector of ψ^-½ R ψ^-½, and the new ψ is diag(R - λλ'). At convergence the
    likelihood's gradient is zero, so the solution is the ML solution statsmodels ``Factor`` finds (to
    its optimiser's tolerance). ψ is kept at or above 1e-6 (a Heywood case stays finite). ``start``
    (k uniquenesses) is the starting point, default 1 - (largest correlation of each item)².
    """
    corr = np.asarray(corr, dtype=float)
    if start is None:
        off = corr - np.einsum("ij,bij->bij", np.eye(corr.shape[-1]), corr)
        psi = np.clip(1 - np.max(np.abs(off), axis=-1) ** 2, 0.05, 0.95)
    else:
        psi = np.broadcast_to(np.asarray(start, dtype=float), corr.shape[:2]).copy()
    diag = np.einsum("bii->bi", corr)
    loadings = np.zeros_like(psi)
    active = np.arange(len(corr))  # matrices not yet converged
    for _ in range(max_iter):
        root = np.sqrt(psi[active])
        scaled = corr[active] / root[:, :, None] / root[:, None, :]
        gamma, vectors = np.linalg.eigh(scaled)
        loadings[active] = root * vectors[:, :, -1] * np.sqrt(np.maximum(gamma[:, -1] - 1, 0))[:, None]
        new = np.maximum(diag[active] - loadings[active] ** 2, 1e-6)
        moving = np.max(np.abs(new - psi[active]), axis=1) >= tol
        psi[active] = new
        active = active[moving]
        if not len(active):
            break
    return loadings, psi


def _omega_from(loadings: np.ndarray, uniqueness: np.ndarray) -> np.ndarray:
    common = np.sum(loadings, axis=-1) ** 2
    return common / (common + np.sum(uniqueness, axis=-1))


def reliability_table(
    data: pd.DataFrame, scales: Mapping[str, Sequence[str]], seed: int = 0, n_boot: int = N_BOOT
) -> pd.DataFrame:
    """One row per scale: scale, n_items, n, alpha with CI, omega with CI (NaN for two-item scales).

    Parameters
    ----------
    data : DataFrame
        One row per respondent, the items as columns.
    scales : mapping of str to sequence of str
        Each scale's name and its items.
    seed : int, default 0
        Seed of omega's bootstrap.
    n_boot : int, default 200
        Omega's bootstrap resamples.

    Returns
    -------
    DataFrame
        One row per scale, with the columns named above (and the intervals' ``*_ci_low``/``*_ci_high``).

    References
    ----------
    As :func:`cronbach_alpha` (Cronbach 1951; Feldt et al. 1987) and :func:`mcdonald_omega` (McDonald 1999).

    Examples
    --------
    >>> items = pd.DataFrame({"a": [1, 2, 3, 4, 5, 3], "b": [2, 2, 3, 5, 4, 3], "c": [1, 3, 3, 4, 5, 2]})
    >>> table = reliability_table(items, {"abc": ["a", "b", "c"], "ab": ["a", "b"]}, n_boot=20)
    >>> table[["scale", "n", "alpha", "omega"]].round(3)
      scale  n  alpha  omega
    0   abc  6  0.932  0.944
    1    ab  6  0.908    NaN
    """
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


def _omega_and_uniqueness(values: np.ndarray) -> tuple[float, np.ndarray | None]:
    """Omega total of one data matrix (statsmodels ML fit) and its uniquenesses; NaN, None if not estimable."""
    corr = np.corrcoef(values, rowvar=False)
    if not np.all(np.isfinite(corr)):
        return np.nan, None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = Factor(corr=corr, n_factor=1, method="ml", nobs=len(values)).fit(rng=FACTOR_START_SEED)
    common = np.sum(fit.loadings[:, 0]) ** 2
    return float(common / (common + np.sum(fit.uniqueness))), np.asarray(fit.uniqueness)


def _omega(values: np.ndarray) -> float:
    """Omega total of one data matrix (rows respondents, columns items); NaN if the model cannot be fitted."""
    return _omega_and_uniqueness(values)[0]
