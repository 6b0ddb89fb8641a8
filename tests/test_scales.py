"""Reliability: alpha against the textbook formula, omega against the population value of a known model."""

import time

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from loopbaanleren.errors import InputError, ParameterError
from loopbaanleren.scales import cronbach_alpha, mcdonald_omega, reliability_table

LOADINGS = np.array([0.8, 0.7, 0.6, 0.5, 0.4])


def one_factor_items(loadings: np.ndarray, n: int, seed: int) -> pd.DataFrame:
    """Standardised items x_j = λ_j f + e_j with var(e_j) = 1 - λ_j²."""
    rng = np.random.default_rng(seed)
    factor = rng.normal(size=(n, 1))
    noise = rng.normal(size=(n, len(loadings))) * np.sqrt(1 - loadings**2)
    return pd.DataFrame(factor * loadings + noise, columns=[f"item{j + 1}" for j in range(len(loadings))])


def population_omega(loadings: np.ndarray) -> float:
    return loadings.sum() ** 2 / (loadings.sum() ** 2 + (1 - loadings**2).sum())


def hand_alpha(items: pd.DataFrame) -> float:
    values = items.to_numpy()
    k = values.shape[1]
    return k / (k - 1) * (1 - values.var(axis=0, ddof=1).sum() / values.sum(axis=1).var(ddof=1))


def test_alpha_matches_the_textbook_formula_and_feldt_interval():
    items = one_factor_items(LOADINGS, 400, seed=1).round(0).clip(-2, 2) + 3
    result = cronbach_alpha(items)
    expected = hand_alpha(items)
    assert result.value == pytest.approx(expected, rel=1e-12)
    n, k = len(items), items.shape[1]
    feldt_low = 1 - (1 - expected) * stats.f.ppf(0.975, n - 1, (n - 1) * (k - 1))
    feldt_high = 1 - (1 - expected) * stats.f.ppf(0.025, n - 1, (n - 1) * (k - 1))
    assert result.ci_low == pytest.approx(feldt_low, abs=6e-4)
    assert result.ci_high == pytest.approx(feldt_high, abs=6e-4)
    assert result.n == n and result.extra["n_items"] == k and result.p is None


def test_alpha_drops_incomplete_respondents():
    items = one_factor_items(LOADINGS, 300, seed=2)
    items.iloc[:25, 0] = np.nan
    items.iloc[20:40, 3] = np.nan
    result = cronbach_alpha(items)
    complete = items.dropna()
    assert result.n == len(complete) == 260
    assert result.value == pytest.approx(hand_alpha(complete))


def test_omega_recovers_the_population_value_of_a_one_factor_model():
    items = one_factor_items(LOADINGS, 5000, seed=3)
    result = mcdonald_omega(items, n_boot=200, seed=11)
    truth = population_omega(LOADINGS)
    assert result.value == pytest.approx(truth, abs=0.015)
    assert result.ci_low < truth < result.ci_high
    assert result.ci_low < result.value < result.ci_high
    assert result.ci_high - result.ci_low < 0.04


def test_omega_equals_alpha_for_equal_loadings():
    # Tau-equivalent standardised items: population alpha and omega coincide.
    items = one_factor_items(np.full(4, 0.6), 5000, seed=4)
    assert mcdonald_omega(items, n_boot=20).value == pytest.approx(hand_alpha(items), abs=0.005)


def test_omega_is_reproducible_and_exceeds_alpha_for_unequal_loadings():
    items = one_factor_items(LOADINGS, 800, seed=5)
    first = mcdonald_omega(items, n_boot=50, seed=7)
    again = mcdonald_omega(items, n_boot=50, seed=7)
    other = mcdonald_omega(items, n_boot=50, seed=8)
    assert (first.ci_low, first.ci_high) == (again.ci_low, again.ci_high)
    assert (first.ci_low, first.ci_high) != (other.ci_low, other.ci_high)
    # With unequal loadings alpha underestimates omega (Novick & Lewis 1967).
    assert first.value > hand_alpha(items)


def test_omega_bootstrap_is_fast_enough_for_the_book():
    items = one_factor_items(np.array([0.7, 0.6, 0.6, 0.5, 0.5, 0.4]), 5000, seed=6)
    start = time.perf_counter()
    mcdonald_omega(items, n_boot=200)
    assert time.perf_counter() - start < 5


def test_reliability_table_has_one_row_per_scale():
    data = one_factor_items(LOADINGS, 500, seed=7)
    data.loc[:9, "item5"] = np.nan
    table = reliability_table(data, {"breed": list(data.columns), "kort": ["item1", "item2"]}, n_boot=30)
    assert list(table["scale"]) == ["breed", "kort"]
    assert list(table["n_items"]) == [5, 2]
    assert list(table["n"]) == [490, 500]
    assert table.loc[0, "alpha"] == pytest.approx(hand_alpha(data.dropna()))
    assert table.loc[1, "alpha"] == pytest.approx(hand_alpha(data[["item1", "item2"]]))
    assert table.loc[0, "omega_ci_low"] < table.loc[0, "omega"] < table.loc[0, "omega_ci_high"]
    assert table.loc[1, ["omega", "omega_ci_low", "omega_ci_high"]].isna().all()


def test_bad_items_are_reported():
    items = one_factor_items(LOADINGS, 100, seed=8)
    with pytest.raises(InputError, match="at least 3"):
        mcdonald_omega(items[["item1", "item2"]])
    with pytest.raises(InputError, match="'item2' has no variance"):
        cronbach_alpha(items.assign(item2=1.0))
    with pytest.raises(InputError, match="'item3' must be numeric"):
        cronbach_alpha(items.assign(item3="eens"))
    with pytest.raises(InputError, match="'onbekend' not found"):
        reliability_table(items, {"schaal": ["item1", "onbekend"]})
    with pytest.raises(ParameterError, match="n_boot"):
        mcdonald_omega(items, n_boot=1)
