"""Reliability: alpha against the textbook formula, omega against the population value of a known model."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from loopbaanleren.errors import InputError, ParameterError
from statsmodels.multivariate.factor import Factor

from loopbaanleren.stats.reliability import bootstrap_omegas, cronbach_alpha, mcdonald_omega, one_factor_ml, reliability_table

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
    assert result.n == n and result.n_items == k and result.p is None


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


def refit_per_resample(values: np.ndarray, n_boot: int, seed: int) -> np.ndarray:
    """The bootstrap as a refit per resample: statsmodels' ML factor analysis of each resample's correlations."""
    rng = np.random.default_rng(seed)
    omegas = []
    for _ in range(n_boot):
        corr = np.corrcoef(values[rng.integers(0, len(values), len(values))], rowvar=False)
        fit = Factor(corr=corr, n_factor=1, method="ml", nobs=len(values)).fit(rng=0)
        common = fit.loadings[:, 0].sum() ** 2
        omegas.append(common / (common + fit.uniqueness.sum()))
    return np.array(omegas)


def test_vectorised_bootstrap_equals_a_statsmodels_refit_per_resample():
    # Likert-like answers (few distinct patterns) and continuous ones (every row its own pattern).
    likert = (one_factor_items(LOADINGS, 400, seed=12).round(0).clip(-2, 2) + 3).to_numpy()
    continuous = one_factor_items(np.array([0.8, 0.6, 0.4]), 300, seed=13).to_numpy()
    for values in (likert, continuous):
        expected = refit_per_resample(values, 25, seed=9)
        # statsmodels stops its optimiser at a gradient of 1e-7; the fixed point is solved to 1e-12
        np.testing.assert_allclose(bootstrap_omegas(values, 25, seed=9), expected, atol=1e-6, rtol=0)
    interval = mcdonald_omega(pd.DataFrame(likert), n_boot=25, seed=9)
    assert (interval.ci_low, interval.ci_high) == pytest.approx(
        tuple(np.percentile(refit_per_resample(likert, 25, seed=9), [2.5, 97.5])), abs=1e-6
    )


def test_one_factor_ml_solves_the_likelihood_equations_statsmodels_solves():
    corr = np.corrcoef(one_factor_items(np.array([0.9, 0.7, 0.6, 0.3]), 500, seed=14), rowvar=False)
    loadings, uniqueness = one_factor_ml(corr[None])
    fit = Factor(corr=corr, n_factor=1, method="ml", nobs=500).fit(rng=0)
    np.testing.assert_allclose(np.abs(loadings[0]), np.abs(fit.loadings[:, 0]), atol=1e-6)
    np.testing.assert_allclose(uniqueness[0], fit.uniqueness, atol=1e-6)
    # the ML score equations of a correlation matrix: the fitted diagonal reproduces the unit diagonal
    np.testing.assert_allclose(loadings[0] ** 2 + uniqueness[0], 1, atol=1e-10)


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


def test_large_samples_draw_pattern_counts_with_the_same_distribution(monkeypatch):
    import loopbaanleren.stats.reliability as scales

    values = (one_factor_items(LOADINGS, 2000, seed=15).round(0).clip(-2, 2) + 3).to_numpy()
    by_rows = bootstrap_omegas(values, 200, seed=3)
    monkeypatch.setattr(scales, "BOOT_ROW_DRAWS_MAX_N", 100)
    by_counts = bootstrap_omegas(values, 200, seed=3)
    assert not np.allclose(by_rows, by_counts)  # other random numbers ...
    # ... from the same bootstrap distribution: equal spread and centre within Monte Carlo error
    assert by_counts.std() == pytest.approx(by_rows.std(), rel=0.25)
    assert by_counts.mean() == pytest.approx(by_rows.mean(), abs=3 * by_rows.std() / np.sqrt(200) * 2)
