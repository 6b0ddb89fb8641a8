"""Synthetic survey data from a documented generative model calibrated to the claims registry.

The model and its parameters are described in ``resources/simulation.yaml``; ``describe_model`` renders them
for the book. Data come out as the codebook's numeric codes, with -9 for item non-response, exactly like a
user's file, and take the same path through the reader and validator.
"""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import brentq

from loopbaanleren.claims import load_registry
from loopbaanleren.codebook import POPULATIONS, load_codebook
from loopbaanleren.errors import ParameterError
from loopbaanleren.resources import load_yaml

MISSING_CODE = -9
ID_PREFIX = {"students": "S", "counsellors": "B"}
PERSON_EFFECTS = ("vrouw", "studiejaar", "leeftijd")


def load_parameters() -> dict:
    """A fresh copy of the model parameters (safe to modify for what-if simulations)."""
    return copy.deepcopy(load_yaml("simulation.yaml"))


def _normalise(weights) -> np.ndarray:
    w = np.asarray(list(weights), dtype=float)
    return w / w.sum()


def _quota(n: int, weights, rng: np.random.Generator) -> np.ndarray:
    """Indices 0..k-1 in shuffled order, each as often as its share of n (largest remainder rounding)."""
    share = _normalise(weights) * n
    counts = np.floor(share).astype(int)
    counts[np.argsort(counts - share)[: n - counts.sum()]] += 1
    return rng.permutation(np.repeat(np.arange(len(counts)), counts))


def _draw_design(population: str, n: int, design: dict, rng: np.random.Generator) -> pd.DataFrame:
    """Hogeschool and sector by quota (the study's fixed composition), then gender, study year and age."""
    codebook = load_codebook()
    sector_codes = {label: code for code, label in codebook.variables(population)["sector"].values.items()}
    sectors = list(design["sector_weights"])
    frame = pd.DataFrame(
        {
            "hogeschool": _quota(n, design["hogeschool_weights"], rng) + 1,
            "sector": np.array([sector_codes[s] for s in sectors])[_quota(n, design["sector_weights"].values(), rng)],
        }
    )
    female = design["female_share"]
    share = np.array([female.get(s, female["default"]) for s in sectors])
    sector_index = {sector_codes[s]: i for i, s in enumerate(sectors)}
    frame["geslacht"] = np.where(rng.random(n) < share[frame["sector"].map(sector_index)], 2, 1)
    year = np.zeros(n)
    if "studiejaar_weights" in design:
        year = rng.choice(4, n, p=_normalise(design["studiejaar_weights"])) + 1
        frame["studiejaar"] = year
    age = design["age"]
    years = age["mean"] + age["per_year"] * np.maximum(year - 1, 0) + age["sd"] * rng.standard_normal(n)
    frame["leeftijd"] = np.clip(np.round(years), age["min"], age["max"]).astype(int)
    return frame


def _person(frame: pd.DataFrame) -> dict[str, np.ndarray]:
    age = frame["leeftijd"].to_numpy(float)
    return {
        "vrouw": (frame["geslacht"].to_numpy() == 2).astype(float),
        "studiejaar": frame["studiejaar"].to_numpy(float) - 2.5 if "studiejaar" in frame else np.zeros(len(frame)),
        "leeftijd": (age - age.mean()) / (age.std() or 1.0),
    }


def _draw_latents(population: str, frame: pd.DataFrame, spec: dict, rng: np.random.Generator) -> dict:
    codebook = load_codebook()
    sector_codes = {label: code for code, label in codebook.variables(population)["sector"].values.items()}
    n = len(frame)
    person = _person(frame)
    school_index = frame["hogeschool"].to_numpy() - 1
    n_schools = len(spec["design"]["hogeschool_weights"])
    latents: dict[str, np.ndarray] = {}
    for name, lat in spec["latents"].items():
        value = rng.standard_normal(n)
        for sector, shift in lat.get("sector", {}).items():
            value += shift * (frame["sector"].to_numpy() == sector_codes[sector])
        for parent, coef in lat.get("parents", {}).items():
            value += coef * latents[parent]
        for effect, coef in lat.get("person", {}).items():
            value += coef * person[effect]
        if lat.get("school"):
            effects = rng.normal(0.0, spec["design"]["school_sd"], n_schools)
            value += (effects - effects.mean())[school_index]
        latents[name] = value
    return latents


def _target_shares(codes: list[int], measure: dict) -> np.ndarray:
    """Category shares of a single item: claim-fixed totals, the rest split by the relative weights."""
    weights = {int(k): float(v) for k, v in measure["shares"].items()}
    shares = {}
    registry = load_registry()
    for claim_id in measure.get("shares_from", []):
        claim = registry.get(claim_id)
        cats = claim["categories"]
        total = sum(weights[c] for c in cats)
        for cat in cats:
            shares[cat] = claim.published * weights[cat] / total
    rest = [c for c in codes if c not in shares]
    rest_total = sum(weights[c] for c in rest)
    remaining = 1.0 - sum(shares.values())
    for cat in rest:
        shares[cat] = remaining * weights[cat] / rest_total
    return np.array([shares[c] for c in codes])


def _thresholds(codes: list[int], measure: dict, response: np.ndarray, spacing: float) -> np.ndarray:
    """Cut points on the latent response that give the target shares or target mean on the reference draw."""
    if "shares" in measure:
        cumulative = np.cumsum(_target_shares(codes, measure))[:-1]
        return np.quantile(response, cumulative)
    target = measure["mean"] if "mean" in measure else load_registry().get(measure["mean_from"]).published
    offsets = spacing * (np.arange(len(codes) - 1) - (len(codes) - 2) / 2)
    sorted_response = np.sort(response)
    values = np.asarray(codes, dtype=float)

    def mean_minus_target(shift: float) -> float:
        index = np.searchsorted(offsets + shift, sorted_response)
        return values[index].mean() - target

    return offsets + brentq(mean_minus_target, -8.0, 8.0)


def _measure_items(population: str, name: str) -> tuple[list[str], list[int], set[str]]:
    codebook = load_codebook()
    pop = codebook.population(population)
    if name in pop.scales:
        scale = pop.scales[name]
        items = list(scale.items)
        reverse = set(scale.reverse)
    else:
        items, reverse = [name], set()
    codes = sorted(pop.variables[items[0]].values)
    return items, codes, reverse


def _response(latent: np.ndarray, standard: tuple[float, float], loading: float, rng) -> np.ndarray:
    z = (latent - standard[0]) / standard[1]
    return loading * z + np.sqrt(1.0 - loading**2) * rng.standard_normal(len(latent))


def _check_spec(population: str, spec: dict) -> None:
    pop = load_codebook().population(population)
    for name, measure in spec["measures"].items():
        if name not in pop.scales and name not in pop.variables:
            raise ParameterError(f"simulation parameters ({population}): measure {name!r} is not in the codebook")
        if measure["latent"] not in spec["latents"]:
            raise ParameterError(f"simulation parameters ({population}): {name!r} loads on unknown latent")
        if not -1.0 < float(measure["loading"]) < 1.0:
            raise ParameterError(f"simulation parameters ({population}): loading of {name!r} must lie in (-1, 1)")


def _calibrate(population: str, spec: dict, reference: dict) -> dict:
    """Latent standardisation and item thresholds, computed on a large reference draw with a fixed seed."""
    rng = np.random.default_rng(reference["seed"])
    frame = _draw_design(population, reference["n"], spec["design"], rng)
    latents = _draw_latents(population, frame, spec, rng)
    standard = {name: (v.mean(), v.std()) for name, v in latents.items()}
    thresholds = {}
    for name, measure in spec["measures"].items():
        _, codes, _ = _measure_items(population, name)
        response = _response(latents[measure["latent"]], standard[measure["latent"]], measure["loading"], rng)
        thresholds[name] = _thresholds(codes, measure, response, reference["threshold_spacing"])
    return {"standard": standard, "thresholds": thresholds}


@cache
def _default_calibration(population: str) -> dict:
    params = load_yaml("simulation.yaml")
    return _calibrate(population, params[population], params["reference"])


def simulate_population(population: str, n: int, seed: int, params: dict | None = None) -> pd.DataFrame:
    """One synthetic data set in the codebook's layout (numeric codes, -9 for non-response)."""
    if population not in POPULATIONS:
        raise ParameterError(f"unknown population {population!r}; choose one of {', '.join(POPULATIONS)}")
    if int(n) < 1:
        raise ParameterError(f"the number of {population} must be at least 1 (got {n})")
    custom = params is not None
    params = params if custom else load_yaml("simulation.yaml")
    spec = params[population]
    _check_spec(population, spec)
    calibration = _calibrate(population, spec, params["reference"]) if custom else _default_calibration(population)
    rng = np.random.default_rng([int(seed), POPULATIONS.index(population)])
    frame = _draw_design(population, int(n), spec["design"], rng)
    latents = _draw_latents(population, frame, spec, rng)
    columns = {}
    for name, measure in spec["measures"].items():
        items, codes, reverse = _measure_items(population, name)
        values = np.asarray(codes)
        latent = latents[measure["latent"]]
        for item in items:
            response = _response(latent, calibration["standard"][measure["latent"]], measure["loading"], rng)
            answer = values[np.searchsorted(calibration["thresholds"][name], response)]
            if item in reverse:
                answer = values.min() + values.max() - answer
            answer[rng.random(len(answer)) < params["item_missing_rate"]] = MISSING_CODE
            columns[item] = answer
    codebook = load_codebook().population(population)
    width = max(4, len(str(int(n))))
    data = pd.DataFrame({codebook.id: [f"{ID_PREFIX[population]}{i:0{width}d}" for i in range(1, int(n) + 1)]})
    data = pd.concat([data, frame, pd.DataFrame(columns)], axis=1)
    missing = [v for v in codebook.variables if v not in data]
    if missing:
        raise ParameterError(f"simulation parameters ({population}) generate no values for: {', '.join(missing)}")
    data = data[list(codebook.variables)]
    data.attrs.update({"population": population, "synthetic": True, "seed": int(seed)})
    return data


def simulate(seed: int, n_students: int | None = None, n_counsellors: int | None = None, params=None) -> dict:
    """Both synthetic data sets, keyed by population; sizes default to the codebook's (the original study's) N."""
    codebook = load_codebook()
    sizes = {"students": n_students, "counsellors": n_counsellors}
    return {
        pop: simulate_population(pop, codebook.population(pop).default_n if sizes[pop] is None else sizes[pop], seed, params)
        for pop in POPULATIONS
    }


def write_synthetic(out_dir, seed: int, n_students=None, n_counsellors=None, params=None) -> dict[str, Path]:
    """Write students/counsellors as .csv and .sav into ``out_dir``, each marked synthetic; returns the CSV paths."""
    from loopbaanleren.io import write_survey

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {}
    for pop, data in simulate(seed, n_students, n_counsellors, params).items():
        note = f"synthetische data, seed {seed}, n = {len(data)}"
        for suffix in (".csv", ".sav"):
            write_survey(data, out / f"{pop}{suffix}", pop, synthetic=True, note=note)
        paths[pop] = out / f"{pop}.csv"
    return paths


def describe_model(population: str) -> pd.DataFrame:
    """The generative model, parameter by parameter, in Dutch (for the data chapter)."""
    spec = load_yaml("simulation.yaml")[population]
    labels = {name: lat["label_nl"] for name, lat in spec["latents"].items()}
    person_nl = {"vrouw": "vrouw (t.o.v. man)", "studiejaar": "studiejaar", "leeftijd": "leeftijd (gestandaardiseerd)"}
    rows = []
    for name, lat in spec["latents"].items():
        target = labels[name]
        for sector, shift in lat.get("sector", {}).items():
            rows.append((target, f"sector {sector}", shift, "verschuiving t.o.v. de andere sectoren"))
        for parent, coef in lat.get("parents", {}).items():
            rows.append((target, labels[parent], coef, "pad (regressiegewicht)"))
        for effect, coef in lat.get("person", {}).items():
            rows.append((target, person_nl[effect], coef, "persoonskenmerk"))
        if lat.get("school"):
            rows.append((target, "hogeschool", spec["design"]["school_sd"], "standaardafwijking hogeschooleffect"))
    return pd.DataFrame(rows, columns=["construct", "bron", "waarde", "soort parameter"])
