"""Student's t (the normal where ``df`` is None): quantiles and tail probabilities from the special functions that
:mod:`scipy.stats` evaluates for them, called directly.

``scipy.stats.t.ppf`` and its siblings check, broadcast and place their arguments before they call
``scipy.special.stdtrit`` (or ``stdtr``, ``ndtri``, ``ndtr``): about 0.1 ms a call, and the analyses make thousands
of calls (an equivalence test per coefficient and specification). The values are the same, bit for bit, for
probabilities strictly between 0 and 1 and any finite or infinite ``x``.

>>> from scipy import stats
>>> bool(t_quantile(0.975, 10) == stats.t.ppf(0.975, 10)), bool(t_quantile(0.975) == stats.norm.ppf(0.975))
(True, True)
>>> bool(t_sf(2.1, 7.5) == stats.t.sf(2.1, 7.5)), bool(t_cdf(-2.1) == stats.norm.cdf(-2.1))
(True, True)
"""

from __future__ import annotations

from scipy import special


def t_quantile(q, df=None):
    """The ``q`` quantile (0 < q < 1) of t(``df``), or of the standard normal when ``df`` is None."""
    return special.ndtri(q) if df is None else special.stdtrit(df, q)


def t_sf(x, df=None):
    """P(T > ``x``) for T ~ t(``df``), or standard normal when ``df`` is None."""
    return special.ndtr(-x) if df is None else special.stdtr(df, -x)


def t_cdf(x, df=None):
    """P(T <= ``x``) for T ~ t(``df``), or standard normal when ``df`` is None."""
    return special.ndtr(x) if df is None else special.stdtr(df, x)
