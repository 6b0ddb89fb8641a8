import numpy as np
import pandas as pd
import pytest

from loopbaanleren.claims import load_registry
from loopbaanleren.codebook import load_codebook
from loopbaanleren.errors import ParameterError
from loopbaanleren.simulate import MISSING_CODE, describe_model, load_parameters, simulate, simulate_population


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
