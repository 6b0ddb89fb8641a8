import numpy as np
import pandas as pd
import pytest

from loopbaanleren.data.registry import load_registry
from loopbaanleren.data.codebook import load_codebook
from loopbaanleren.errors import ParameterError
from loopbaanleren.data.simulation import (
    MISSING_CODE,
    _latent_value,
    composition,
    describe_model,
    load_parameters,
    sampled_hogescholen,
    not_decidable,
    simulate,
    simulate_population,
)


def test_same_seed_gives_identical_data_and_other_seed_differs():
    a, b, c = simulate_population("students", 500, 7), simulate_population("students", 500, 7), simulate_population("students", 500, 8)
    pd.testing.assert_frame_equal(a, b)
    assert not a.drop(columns="resp_id").equals(c.drop(columns="resp_id"))


@pytest.mark.parametrize("population", ["students", "counsellors"])
def test_layout_and_values_follow_the_codebook(population):
    data = simulate_population(population, 2000, 3)
    variables = load_codebook().variables(population)
    assert list(data.columns) == list(variables)
    assert data["resp_id"].is_unique
    for name, var in variables.items():
        if var.type == "id":
            continue
        values = data[name][data[name] != MISSING_CODE]
        if var.values:
            assert set(values.unique()) <= set(var.values), name
        else:
            assert values.between(var.valid_min, var.valid_max).all(), name
    assert data.attrs["synthetic"] is True


def test_default_sizes_are_the_study_sizes():
    data = simulate(1)
    assert {pop: len(df) for pop, df in data.items()} == {"students": 4820, "counsellors": 371}


def test_item_shares_are_calibrated_to_the_registry():
    """On a large draw every single-item percentage of the registry is met within one percentage point."""
    registry = load_registry()
    data = {pop: simulate_population(pop, 150_000, 11) for pop in ("students", "counsellors")}
    checked = 0
    for claim in registry:
        if claim.kind != "percentage":
            continue
        x = data[claim.population][claim["variable"]]
        x = x[x != MISSING_CODE]
        share = x.isin(claim["categories"]).mean()
        assert share == pytest.approx(claim.published, abs=0.01), claim.id
        checked += 1
    assert checked >= 20


def test_scale_mean_is_calibrated_to_the_registry():
    claim = load_registry().get("rq3_loopbaansucces")
    data = simulate_population("counsellors", 100_000, 5)
    scale = load_codebook().scales("counsellors")["loopbaansucces"]
    items = data[list(scale.items)].replace(MISSING_CODE, np.nan)
    assert items.mean(axis=1).mean() == pytest.approx(claim.published, abs=0.01)


def test_sector_composition_is_fixed_by_quota():
    data = simulate_population("counsellors", 371, 1)
    other = simulate_population("counsellors", 371, 2)
    assert data["sector"].value_counts().sort_index().equals(other["sector"].value_counts().sort_index())


def test_changed_parameters_change_the_data():
    params = load_parameters()
    params["item_missing_rate"] = 0.0
    data = simulate_population("students", 300, 1, params)
    assert not (data == MISSING_CODE).any().any()


def test_bad_parameters_are_reported():
    params = load_parameters()
    params["students"]["measures"]["praktijkgericht"]["loading"] = 1.5
    with pytest.raises(ParameterError, match="loading of 'praktijkgericht'"):
        simulate_population("students", 10, 1, params)
    with pytest.raises(ParameterError, match="unknown population"):
        simulate_population("alumni", 10, 1)
    with pytest.raises(ParameterError, match="at least 1"):
        simulate_population("students", 0, 1)


def test_model_description_covers_every_latent_path():
    table = describe_model("students")
    params = load_parameters()["students"]["latents"]
    n_paths = sum(len(lat.get("parents", {})) for lat in params.values())
    assert (table["soort parameter"] == "pad (regressiegewicht)").sum() == n_paths


def test_the_composition_is_the_taught_pattern_raked_to_both_weights():
    params = load_parameters()
    for population in ("students", "counsellors"):
        design = params[population]["design"]
        table = composition(population)
        weights = np.asarray(design["hogeschool_weights"]) / sum(design["hogeschool_weights"])
        np.testing.assert_allclose(table.sum(axis=1), weights, atol=1e-9)
        sectors = pd.Series(design["sector_weights"])
        np.testing.assert_allclose(table.sum(axis=0), sectors / sectors.sum(), atol=1e-9)
        for sector in table.columns:
            taught = params["sector_hogescholen"].get(sector, range(1, len(weights) + 1))
            assert (table.loc[list(taught), sector] > 0).all()
            assert (table.drop(index=list(taught))[sector] == 0).all(), sector
    assert (composition("students") == 0).to_numpy().sum() == 4 + 6 + 9  # Onderwijs, Kunst & Cultuur, Agrarisch


@pytest.mark.parametrize("population", ["students", "counsellors"])
def test_the_generated_sector_by_hogeschool_table_follows_the_composition(population):
    data = simulate_population(population, load_codebook().population(population).default_n, 2026)
    labels = load_codebook().variables(population)["sector"].values
    counts = pd.crosstab(data["hogeschool"], data["sector"].map(labels))
    expected = composition(population) * len(data)
    counts = counts.reindex(index=expected.index, columns=expected.columns, fill_value=0)
    assert (abs(counts - expected) < 1).all().all()  # by quota: every cell within rounding
    assert (counts[expected == 0].fillna(0) == 0).all().all()


def test_a_cluster_sample_takes_whole_hogescholen_at_random():
    params = load_parameters()
    first = simulate(3, 20_000, 60, hogescholen=4)
    schools = sampled_hogescholen(params, 3, 4)
    assert len(schools) == 4 and set(first["students"]["hogeschool"]) == set(schools)
    assert set(first["counsellors"]["hogeschool"]) <= set(schools)  # the same hogescholen for both groups
    # respondents at random within them: cells in proportion to the composition, not by quota
    labels = load_codebook().variables("students")["sector"].values
    shares = pd.crosstab(first["students"]["hogeschool"], first["students"]["sector"].map(labels), normalize=True)
    expected = composition("students").loc[schools]
    expected = expected / expected.to_numpy().sum()
    assert (abs(shares.reindex(columns=expected.columns, fill_value=0) - expected) < 0.01).all().all()
    counts = [simulate_population("counsellors", 50, seed, hogescholen=11)["sector"].value_counts() for seed in (1, 2)]
    assert not counts[0].sort_index().equals(counts[1].sort_index())
    assert [len(sampled_hogescholen(params, seed, 5)) for seed in (1, 2)] == [5, 5]
    assert list(sampled_hogescholen(params, 1, 5)) != list(sampled_hogescholen(params, 2, 5))
    with pytest.raises(ParameterError, match="between 1 and 11"):
        simulate(3, 100, 50, hogescholen=12)


def test_bad_compositions_are_reported():
    params = load_parameters()
    params["sector_hogescholen"] = {"Agrarisch": [12]}
    with pytest.raises(ParameterError, match=r"sector_hogescholen\['Agrarisch'\] must list hogescholen between 1 and 11"):
        composition("students", params)
    params["sector_hogescholen"] = {"Agrarisch": [11]}
    params["students"]["design"]["sector_weights"]["Agrarisch"] = 5.0  # more than hogeschool 11 holds
    with pytest.raises(ParameterError, match="cannot be met"):
        composition("students", params)
    params = load_parameters()
    params["students"]["latents"]["PG"]["icc"] = 1.0
    with pytest.raises(ParameterError, match="icc of latent 'PG'"):
        simulate_population("students", 10, 1, params)


def test_a_latents_icc_is_its_share_of_variance_between_hogescholen():
    """The hogeschool effect makes up the share ``icc`` of the latent's variance: the one-way ANOVA estimator
    (method of moments, computed here by hand) finds it on 400 hogescholen of 250 respondents."""
    rng = np.random.default_rng(9)
    schools, size = 400, 250
    frame = pd.DataFrame({"hogeschool": np.repeat(np.arange(1, schools + 1), size), "sector": 1})
    parent = rng.standard_normal(len(frame)) * 2.0  # a parent path adds variance; the share stays icc
    value = _latent_value("X", {"icc": 0.1, "parents": {"P": 0.5}}, frame, {}, {"P": parent}, {}, {}, schools, rng)
    groups = value.reshape(schools, size)
    msb = size * groups.mean(axis=1).var(ddof=1)
    msw = groups.var(axis=1, ddof=1).mean()
    assert (msb - msw) / (msb + (size - 1) * msw) == pytest.approx(0.1, abs=0.015)


def test_the_methods_page_states_the_composition_icc_and_not_decidable_claims_of_the_parameters():
    from pathlib import Path

    page = (Path(__file__).parents[1] / "book" / "methods.md").read_text(encoding="utf-8")
    section = " ".join(page[page.index("## Realistische clustering"):].split("\n## ")[0].split())
    params = load_parameters()
    taught = {sector: len(schools) for sector, schools in params["sector_hogescholen"].items()}
    total = len(params["students"]["design"]["hogeschool_weights"])
    assert f"agrarische opleidingen op {taught['Agrarisch']} van de {total} hogescholen" in section
    assert f"Onderwijs op {taught['Onderwijs']} en Kunst & Cultuur op {taught['Kunst & Cultuur']};" in section
    iccs = {f"{lat['icc']:.2f}".replace(".", ",") for pop in ("students", "counsellors")
            for lat in params[pop]["latents"].values() if "icc" in lat}
    assert all(value in section for value in iccs), iccs
    words = {9: "negen", 10: "tien", 11: "elf", 12: "twaalf"}
    assert f"{words.get(len(not_decidable()), len(not_decidable()))} beweringen niet betrouwbaar" in section
