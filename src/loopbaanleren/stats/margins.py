"""The margin within which a replication reproduces a published percentage or mean, from the original study's
sampling error under clustering (Kish's design effect)."""

from __future__ import annotations

import math

from loopbaanleren.stats.distributions import t_quantile


def margin_point(sd: float, n: int, n_clusters: int, icc: float, z_level: float) -> float:
    """Margin of a published percentage or mean from the original study's own sampling error.

    SE = sd / sqrt(n) · sqrt(deff), with Kish's design effect deff = 1 + (n / G - 1) · ICC for ``n``
    respondents in ``n_clusters`` hogescholen; the margin is z · sqrt(2) · SE, the half-width of the
    ``z_level`` interval of the difference between two studies of the original's size and design.

    Parameters
    ----------
    sd : float
        Standard deviation of one answer (sqrt(p(1 - p)) for a share).
    n, n_clusters : int
        Respondents and clusters of the original study.
    icc : float
        Intra-class correlation assumed for the design effect.
    z_level : float
        Level of the interval (0.95: z = 1.96).

    Returns
    -------
    float

    References
    ----------
    Kish, L. (1965). *Survey Sampling*. New York: Wiley (the design effect 1 + (m - 1)·ICC).

    Examples
    --------
    >>> round(margin_point(0.5, 371, 11, 0.01, 0.95), 3)
    0.083
    """
    deff = 1 + (n / n_clusters - 1) * icc
    z = t_quantile(0.5 + z_level / 2)
    return float(z * math.sqrt(2) * sd / math.sqrt(n) * math.sqrt(deff))
