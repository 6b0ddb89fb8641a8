"""The studentized range (loopbaanleren.stats.studentized) against exact values for every df it accepts.

For k = 2 the range of two standard normal values is √2 times the absolute value of one, so Q = √2·|T_ν| and
P(Q ≤ q) = 2·F_t(q/√2; ν) − 1 exactly, for any ν > 0 and ν = ∞ (scipy's special functions): that checks the
whole (df, q) plane including the heavy tails at small df. For k > 2 the reference is scipy's
``studentized_range`` (adaptive quadrature to 1e-11 absolute, slow; it converges for q up to about 1e3 at df ≤ 1;
above df = 100,000 it switches to the df = ∞ formula, so those df are left out there).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from scipy import special, stats

from loopbaanleren.stats import studentized
from loopbaanleren.errors import ParameterError

DFS = [1.0, 1.5, 2.0, 7.3, 1e3, 1e7, 1e300, np.inf]
PS = np.array([1e-6, 0.05, 0.5, 0.95, 0.99, 1 - 1e-6])


def two_groups_cdf(q: np.ndarray, df: float) -> np.ndarray:
    """P(Q ≤ q) for k = 2: 2·F_t(q/√2; df) − 1 (the normal for df = ∞)."""
    half = np.asarray(q) / np.sqrt(2)
    return 2 * (special.ndtr(half) if np.isinf(df) else special.stdtr(df, half)) - 1


def two_groups_ppf(p: np.ndarray, df: float | np.ndarray) -> np.ndarray:
    """The p quantile for k = 2: √2 times the (1 + p)/2 quantile of t(df) (the normal for df = ∞)."""
    finite = np.isfinite(df)
    return np.sqrt(2) * np.where(finite, special.stdtrit(np.where(finite, df, 1.0), (1 + p) / 2), special.ndtri((1 + p) / 2))


@pytest.mark.parametrize("df", [0.5, 0.75, *DFS])
def test_cdf_of_two_groups_is_that_of_root_two_times_abs_t(df):
    q = np.logspace(-4, 8, 49)
    exact = two_groups_cdf(q, df)
    mine = studentized.cdf(q, 2, df)
    np.testing.assert_allclose(mine, exact, rtol=0, atol=1e-10)
    small = exact < 0.5  # the lower tail to relative accuracy
    np.testing.assert_allclose(mine[small], exact[small], rtol=1e-8)
    np.testing.assert_allclose(studentized.sf(q, 2, df), 1 - exact, rtol=0, atol=1e-10)


def test_cdf_of_two_groups_down_to_the_smallest_df():
    """Below df = 1.5 the rule has more nodes (the range of log S grows as 1/df), down to studentized.DF_MIN."""
    q = np.array([1e-3, 1.0, 1e2, 1e6, 1e20])
    for df in (studentized.DF_MIN, 0.3):
        np.testing.assert_allclose(studentized.cdf(q, 2, df), two_groups_cdf(q, df), rtol=1e-8, atol=1e-10)


@pytest.mark.parametrize("df", [0.5, *DFS])
def test_ppf_of_two_groups_is_that_of_root_two_times_abs_t(df):
    """Quantiles from p = 1e-6 to .99 to 1e-8 relative; at 1 - 1e-6 to 1e-7 (there 1e-14 on the distribution
    function, its rounding, moves the quantile by about 1e-8 relative at df = 1)."""
    mine = np.array([studentized.ppf(p, 2, df)[0] for p in PS])
    np.testing.assert_allclose(mine[:-1], two_groups_ppf(PS[:-1], df), rtol=1e-8)
    np.testing.assert_allclose(mine[-1], two_groups_ppf(PS[-1], df), rtol=1e-7)


@pytest.mark.parametrize("k", [3, 7])
@pytest.mark.parametrize("df", [1.0, 1.5, 2.0, 7.3, 1e3, np.inf])
def test_cdf_and_ppf_of_more_groups_match_scipy(k, df):
    q = np.array([0.05, 0.8, 2.5, 6.0, 40.0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # scipy's quadrature warns about its own accuracy at small df
        reference = np.array([stats.studentized_range.cdf(x, k, df) for x in q])
        ps = PS if df >= 1.5 else PS[:-1]  # at df = 1 scipy's quadrature fails beyond q ≈ 1e3
        quantiles = np.array([studentized.ppf(p, k, df)[0] for p in ps])
        found = np.array([stats.studentized_range.cdf(x, k, df) for x in quantiles])
    np.testing.assert_allclose(studentized.cdf(q, k, df), reference, rtol=0, atol=1e-10)
    np.testing.assert_allclose(found, ps, rtol=0, atol=1e-9)  # scipy's distribution function at the quantile
    off = np.abs(found - ps) / np.where(ps < 0.5, ps, np.maximum(1 - ps, 1e-4))  # relative in both tails, to scipy's
    assert off.max() < 1e-7, (ps[off.argmax()], off.max())  # accuracy (its quadrature's epsabs is 1e-11)


def test_the_quantile_that_overflowed_is_scipys():
    """df = 1, p = .99, seven groups: 1.7e307 before, scipy's 215.8 now (R's qtukey needs df ≥ 2)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = stats.studentized_range.ppf(0.99, 7, 1.0)
    assert studentized.ppf(0.99, 7, 1.0)[0] == pytest.approx(expected, rel=1e-8)


def test_ppf_is_exact_at_zero_and_one_and_vectorised_over_df():
    assert studentized.ppf(0.0, 4, [1.0, np.inf]).tolist() == [0.0, 0.0]
    assert studentized.ppf(1.0, 4, 3.0).tolist() == [np.inf]
    df = np.array([1.0, 2.0, 40.0, np.inf])
    together = studentized.ppf(0.95, 2, df)
    np.testing.assert_allclose(together, two_groups_ppf(np.full(4, 0.95), df), rtol=1e-9)
    np.testing.assert_allclose(together, [studentized.ppf(0.95, 2, x)[0] for x in df], rtol=1e-11)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: studentized.cdf(3.0, 4, 0.05), "at least 0.1"),
        (lambda: studentized.cdf(3.0, 4, [5.0, 0.0]), "got 0.0"),
        (lambda: studentized.sf(3.0, 4, -2.0), "got -2.0"),
        (lambda: studentized.ppf(0.5, 4, np.nan), "got nan"),
        (lambda: studentized.ppf(0.5, 1, 10.0), "whole number of at least 2"),
        (lambda: studentized.cdf(1.0, 2.5, 10.0), "whole number of at least 2"),
        (lambda: studentized.ppf(1.5, 3, 10.0), "p must lie between 0 and 1"),
        (lambda: studentized.ppf(np.nan, 3, 10.0), "p must lie between 0 and 1"),
        (lambda: studentized.ppf(1 - 1e-16, 3, 1.0), "too close to 1"),
    ],
)
def test_arguments_outside_the_domain_are_refused_by_name(call, message):
    with pytest.raises(ParameterError, match=message):
        call()
