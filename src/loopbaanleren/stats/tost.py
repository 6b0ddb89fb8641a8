"""Equivalence of an estimate to zero within a bound: two one-sided tests (TOST)."""

from __future__ import annotations

from typing import NamedTuple

from loopbaanleren.errors import ParameterError
from loopbaanleren.stats.distributions import t_cdf, t_quantile, t_sf


class Equivalence(NamedTuple):
    """Result of two one-sided tests: the TOST p-value, the (1 - 2·alpha) CI and the verdict."""

    p: float
    ci_low: float
    ci_high: float
    equivalent: bool


def equivalence(beta: float, se: float, bound: float, alpha: float = 0.05, df: float | None = None) -> Equivalence:
    """Two one-sided tests of -bound < beta < bound (Schuirmann 1987; Lakens 2017).

    Uses the normal distribution, or t with ``df`` degrees of freedom when given. ``p`` is the larger of
    the two one-sided p-values; ``equivalent`` is ``p < alpha``, which is the same as the (1 - 2·alpha)
    confidence interval lying inside (-bound, bound).

    Parameters
    ----------
    beta : float
        The estimate.
    se : float
        Its standard error (positive).
    bound : float
        The equivalence bound (positive): equivalent means inside (-bound, bound).
    alpha : float, default 0.05
        Level of each one-sided test (between 0 and 0.5).
    df : float, optional
        Degrees of freedom of the t distribution; the normal distribution when None.

    Returns
    -------
    Equivalence
        ``p``, ``ci_low``, ``ci_high`` and ``equivalent``.

    References
    ----------
    Schuirmann, D. J. (1987). A comparison of the two one-sided tests procedure and the power approach for
    assessing the equivalence of average bioavailability. *Journal of Pharmacokinetics and Biopharmaceutics*,
    15(6), 657-680. Lakens, D. (2017). Equivalence tests. *Social Psychological and Personality Science*, 8(4),
    355-362. R: ``TOSTER::tsum_TOST``.

    Examples
    --------
    >>> res = equivalence(0.02, 0.03, bound=0.1)
    >>> round(res.p, 4), round(res.ci_low, 3), round(res.ci_high, 3), res.equivalent
    (0.0038, -0.029, 0.069, True)
    >>> equivalence(0.08, 0.03, bound=0.1).equivalent
    False
    """
    problems = [
        message
        for bad, message in (
            (not se > 0, f"equivalence: se must be positive, got {se}"),
            (not bound > 0, f"equivalence: bound must be positive, got {bound}"),
            (not 0 < alpha < 0.5, f"equivalence: alpha must lie between 0 and 0.5, got {alpha}"),
            (df is not None and not df > 0, f"equivalence: df must be positive, got {df}"),
        )
        if bad
    ]
    if problems:
        raise ParameterError("\n".join(problems))
    p = max(t_sf((beta + bound) / se, df), t_cdf((beta - bound) / se, df))
    half = t_quantile(1 - alpha, df) * se
    return Equivalence(p=float(p), ci_low=float(beta - half), ci_high=float(beta + half), equivalent=bool(p < alpha))
