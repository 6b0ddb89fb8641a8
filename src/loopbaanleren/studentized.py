"""The studentized range distribution, vectorised over its arguments (for Games–Howell).

scipy's ``studentized_range`` integrates numerically one argument at a time (about 0.03 s for a p-value and
0.5 s for a quantile). The same double integral is computed here for all arguments at once with fixed
Gauss–Legendre rules:

    P(Q ≤ q; k, ν) = ∫ f_S(s) W(q s) ds,   W(w) = k ∫ φ(z) [Φ(z) − Φ(z − w)]^(k−1) dz,

where S = √(χ²_ν / ν) (Tukey 1953; Lund & Lund 1983). The outer integral runs over the central 1 − 2·10⁻¹⁵
of S's distribution, the inner one over z in [−9, 9 + w]; with 160 nodes each, the result agrees with scipy's
adaptive quadrature to about 1e-10 (tested).
"""

from __future__ import annotations

import numpy as np
from scipy import special, stats

NODES = 160
TAIL = 1e-15
_X, _W = np.polynomial.legendre.leggauss(NODES)


def _range_cdf_normal(w: np.ndarray, k: int) -> np.ndarray:
    """W(w): the CDF of the range of k standard normal values, for each w (any shape)."""
    w = np.asarray(w, dtype=float)
    low, high = -9.0, 9.0 + w[..., None]
    z = low + (high - low) * (_X + 1) / 2
    inner = np.clip(special.ndtr(z) - special.ndtr(z - w[..., None]), 0, 1)
    values = k * np.exp(-(z**2) / 2) / np.sqrt(2 * np.pi) * inner ** (k - 1)
    return np.clip(((high - low)[..., 0] / 2) * (values @ _W), 0, 1)


def _outer(df: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Nodes s (n, NODES) over the central part of S's distribution for each df, and weights · density."""
    s_low = np.sqrt(stats.chi2.ppf(TAIL, df) / df)
    s_high = np.sqrt(stats.chi2.isf(TAIL, df) / df)
    s = s_low[:, None] + (s_high - s_low)[:, None] * (_X + 1) / 2
    nu = df[:, None]
    log_density = (
        nu / 2 * np.log(nu) - special.gammaln(nu / 2) - (nu / 2 - 1) * np.log(2) + (nu - 1) * np.log(s) - nu * s**2 / 2
    )
    return s, np.exp(log_density) * _W * ((s_high - s_low) / 2)[:, None]


def _cdf_on(q: np.ndarray, k: int, outer: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    s, weights = outer
    result = np.sum(weights * _range_cdf_normal(q[:, None] * s, k), axis=1)
    return np.where(q <= 0, 0.0, np.clip(result, 0, 1))


def cdf(q: np.ndarray | float, k: int, df: np.ndarray | float) -> np.ndarray:
    """P(Q ≤ q) of the studentized range of ``k`` means with ``df`` degrees of freedom (broadcast)."""
    q, df = np.broadcast_arrays(np.asarray(q, dtype=float), np.asarray(df, dtype=float))
    return _cdf_on(q.ravel(), k, _outer(df.ravel())).reshape(q.shape)


def sf(q: np.ndarray | float, k: int, df: np.ndarray | float) -> np.ndarray:
    """P(Q > q), e.g. the Games–Howell p-value of a pair at q = √2·|t|."""
    return np.clip(1 - cdf(q, k, df), 0, 1)


def ppf(p: float, k: int, df: np.ndarray | float, tol: float = 1e-12) -> np.ndarray:
    """The ``p`` quantile of the studentized range for each ``df``, by the Illinois variant of regula falsi on
    :func:`cdf` (Dowell & Jarratt 1971, BIT 11(2)): the bracket shrinks to ``tol`` in about ten evaluations
    where bisection needs forty."""
    df = np.atleast_1d(np.asarray(df, dtype=float))
    outer = _outer(df)
    low, high = np.zeros_like(df), np.full_like(df, 1.0)
    while np.any(short := _cdf_on(high, k, outer) < p):  # widen until the quantile is bracketed
        low, high = np.where(short, high, low), np.where(short, high * 2, high)
    f_low, f_high = _cdf_on(low, k, outer) - p, _cdf_on(high, k, outer) - p
    side = np.zeros_like(df)  # the end replaced last: -1 low, +1 high
    while np.any(open_ := (high - low > tol) & (f_high > f_low)):
        x = np.where(open_, high - f_high * (high - low) / np.where(open_, f_high - f_low, 1.0), low)
        fx = np.where(open_, _cdf_on(x, k, outer) - p, 0.0)
        exact = open_ & (fx == 0)
        left, right = open_ & (fx < 0), open_ & (fx > 0)
        f_high = np.where(left & (side == -1), f_high / 2, f_high)  # the same end twice: halve the other's value
        f_low = np.where(right & (side == 1), f_low / 2, f_low)
        low, f_low = np.where(left | exact, x, low), np.where(left, fx, f_low)
        high, f_high = np.where(right | exact, x, high), np.where(right, fx, f_high)
        side = np.where(left, -1, np.where(right, 1, side))
    return (low + high) / 2
