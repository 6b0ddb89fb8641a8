"""Synthetic survey data from a documented generative model calibrated to the claims registry.

The model and its parameters are described in ``resources/simulation.yaml``; ``describe_model`` renders them
for the book. Data come out as the codebook's numeric codes, with -9 for item non-response, exactly like a
user's file, and take the same path through the reader and validator.
"""

from __future__ import annotations

import copy
import errno
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import brentq

from loopbaanleren.data.registry import load_registry
from loopbaanleren.data import limits
from loopbaanleren.data.codebook import MIN_ITEM_SHARE, POPULATIONS, load_codebook
from loopbaanleren.data.manifest import MANIFEST, read_manifest, sha256_file, write_manifest
from loopbaanleren.data.scenarios import SCENARIOS
from loopbaanleren.data.survey_files import write_survey
from loopbaanleren.errors import ParameterError
from loopbaanleren.resources import load_yaml
from loopbaanleren.stats.margins import margin_point

MISSING_CODE = -9
ID_PREFIX = {"students": "S", "counsellors": "B"}
PERSON_EFFECTS = ("vrouw", "studiejaar", "leeftijd")


NULL_EFFECT_PATH = 0.2
"""Under the null scenario, a claimed non-effect becomes a path of this size (well beyond the equivalence bound)."""


def load_parameters() -> dict:
    """A fresh copy of the model parameters (safe to modify for what-if simulations)."""
    return copy.deepcopy(load_yaml("simulation.yaml"))


def not_decidable() -> dict[str, str]:
    """The claims the original design cannot decide on the default population (claim id: its reason in Dutch), as
    the simulation parameters list them (``not_decidable``): the book may show them *onbeslist*, with that reason."""
    return dict(load_yaml("simulation.yaml").get("not_decidable", {}))


def check_scenario(scenario: str) -> str:
    """The scenario name when it is one of :data:`SCENARIOS`; ParameterError otherwise."""
    if scenario not in SCENARIOS:
        raise ParameterError(f"scenario: unknown scenario {scenario!r}; choose one of {', '.join(SCENARIOS)}")
    return scenario


def scenario_parameters(scenario: str = "default") -> dict:
    """The model parameters of a scenario.

    "default": as calibrated to the claims. "null" (the negative control): the same model with every claim's
    generating parameter moved to its contrary: effect paths and sector shifts set to zero, claimed non-effects
    given a path of :data:`NULL_EFFECT_PATH`, published percentages and means shifted by twice their margin
    (towards the middle of the range), other target means mirrored around the scale midpoint (which reverses
    every level and ordering), means "near the midpoint" moved twice the near margin away from it, and the
    shares of single items reversed (which changes their most frequent answer and their side of a bound).
    """
    params = load_parameters()
    if check_scenario(scenario) == "default":
        return params
    registry = load_registry()
    codebook = load_codebook()
    near = {(c.population, c["measure"]) for c in registry if c.kind == "level" and c.get("direction") == "near"}
    for population in POPULATIONS:
        spec = params[population]
        for lat in spec["latents"].values():
            lat.pop("sector", None)
        n = codebook.population(population).default_n
        n_clusters = len(spec["design"]["hogeschool_weights"])
        for name, measure in spec["measures"].items():
            scale = codebook.measure(population, name)
            mid = (scale.valid_min + scale.valid_max) / 2
            if "shares_from" in measure:
                shift = {}
                for claim_id in measure["shares_from"]:
                    p = registry.get(claim_id).published
                    m = margin_point(np.sqrt(p * (1 - p)), n, n_clusters, **_margin_rule(registry))
                    shift[claim_id] = -2 * m if p >= 0.5 else 2 * m
                measure["shift"] = shift
            elif "mean_from" in measure:
                p = registry.get(measure["mean_from"]).published
                m = margin_point(params["null_scenario"]["mean_sd"], n, n_clusters, **_margin_rule(registry))
                measure["shift"] = -2 * m if p >= mid else 2 * m
            elif "shares" in measure:
                keys = list(measure["shares"])
                measure["shares"] = dict(zip(keys, reversed([measure["shares"][k] for k in keys])))
            elif (population, name) in near:
                measure["mean"] = mid - 2 * float(registry.rules["near_margin"])
            else:
                measure["mean"] = 2 * mid - measure["mean"]
    for claim in registry:
        if claim.kind in ("effect", "null_effect"):
            _null_path(params, registry.models[claim["model"]]["population"], claim)
    return params


def _margin_rule(registry) -> dict:
    rule = registry.rules["margin"]
    return {"icc": rule["icc"], "z_level": rule["level"]}


def _null_path(params: dict, population: str, claim) -> None:
    """Set the generating path of an effect claim to zero, or of a non-effect claim to NULL_EFFECT_PATH (in the
    denied direction for a one-sided non-effect)."""
    spec = params[population]
    outcome = spec["latents"][spec["measures"][claim["outcome"]]["latent"]]
    value = 0.0 if claim.kind == "effect" else NULL_EFFECT_PATH * (-1 if claim.get("denied_sign") == "-" else 1)
    predictor = claim["predictor"]
    if predictor == "geslacht=vrouw":
        outcome.setdefault("person", {})["vrouw"] = value
    elif "observed_parents" in outcome:
        outcome["observed_parents"][predictor] = value
    else:
        outcome.setdefault("parents", {})[spec["measures"][predictor]["latent"]] = value


def _normalise(weights) -> np.ndarray:
    w = np.asarray(list(weights), dtype=float)
    return w / w.sum()


def _quota(n: int, weights, rng: np.random.Generator) -> np.ndarray:
    """Indices 0..k-1 in shuffled order, each as often as its share of n (largest remainder rounding)."""
    share = _normalise(weights) * n
    counts = np.floor(share).astype(int)
    counts[np.argsort(counts - share)[: n - counts.sum()]] += 1
    return rng.permutation(np.repeat(np.arange(len(counts)), counts))


def composition(population: str, params: dict | None = None) -> pd.DataFrame:
    """The population's share of respondents in each hogeschool x sector cell (rows: hogeschool 1..H, columns:
    sectors; sums to 1).

    A sector is taught only at the hogescholen ``sector_hogescholen`` lists for it (every hogeschool when it is
    not listed); within that pattern the table is the one whose margins are the design's ``hogeschool_weights``
    and ``sector_weights``, found by iterative proportional fitting (raking) of the pattern to both margins.
    """
    params = load_parameters() if params is None else params
    design = params[population]["design"]
    rows, sectors = _normalise(design["hogeschool_weights"]), list(design["sector_weights"])
    columns = _normalise(design["sector_weights"].values())
    taught = params.get("sector_hogescholen", {})
    mask = np.ones((len(rows), len(sectors)))
    for sector, schools in taught.items():
        if sector not in sectors:
            raise ParameterError(f"simulation parameters: sector_hogescholen names unknown sector {sector!r}")
        if not schools or any(not 1 <= int(h) <= len(rows) for h in schools):
            raise ParameterError(
                f"simulation parameters: sector_hogescholen[{sector!r}] must list hogescholen between 1 and {len(rows)}"
            )
        mask[:, sectors.index(sector)] = np.isin(np.arange(1, len(rows) + 1), [int(h) for h in schools])
    if not mask.any(axis=1).all():
        empty = [str(h + 1) for h in np.flatnonzero(~mask.any(axis=1))]
        raise ParameterError(f"simulation parameters: hogeschool {', '.join(empty)} teaches no sector")
    table = mask / mask.sum()
    for _ in range(10_000):
        table *= (rows / table.sum(axis=1))[:, None]
        table *= columns / table.sum(axis=0)
        if np.abs(table.sum(axis=1) - rows).max() < 1e-12:
            break
    else:
        raise ParameterError(
            f"simulation parameters ({population}): the sector weights cannot be met by the hogescholen that teach "
            "each sector (sector_hogescholen against hogeschool_weights)"
        )
    return pd.DataFrame(table, index=pd.RangeIndex(1, len(rows) + 1, name="hogeschool"), columns=sectors)


def sampled_hogescholen(params: dict, seed: int, k: int) -> np.ndarray:
    """The hogescholen (codes 1..H) of a cluster sample of ``k`` of the H in the parameters, drawn at random
    (without replacement, equal chances) from the seed; the same for both populations."""
    total = len(params["students"]["design"]["hogeschool_weights"])
    if not 1 <= int(k) <= total:
        raise ParameterError(f"hogescholen: a sample takes between 1 and {total} hogescholen (got {k})")
    rng = np.random.default_rng([int(seed), len(POPULATIONS)])
    return np.sort(rng.choice(total, int(k), replace=False)) + 1


def _draw_design(population: str, n: int, params: dict, rng: np.random.Generator,
                 hogescholen: np.ndarray | None = None) -> pd.DataFrame:
    """Hogeschool and sector, then gender, study year and age.

    Without ``hogescholen`` (the study's fixed composition): every hogeschool x sector cell of
    :func:`composition` by quota. With ``hogescholen`` (a cluster sample): every respondent at random from
    those hogescholen, in proportion to the cells' shares, so the composition varies from sample to sample.
    """
    design = params[population]["design"]
    codebook = load_codebook()
    sector_codes = {label: code for code, label in codebook.variables(population)["sector"].values.items()}
    sectors = list(design["sector_weights"])
    table = composition(population, params)
    if hogescholen is None:
        cell = _quota(n, table.to_numpy().ravel(), rng)
    else:
        cells = table.loc[list(hogescholen)].to_numpy()
        chosen = rng.choice(cells.size, n, p=_normalise(cells.ravel()))
        cell = np.ravel_multi_index(
            (np.asarray(hogescholen)[chosen // len(sectors)] - 1, chosen % len(sectors)), table.shape
        )
    school, sector = np.divmod(cell, len(sectors))
    frame = pd.DataFrame({"hogeschool": school + 1, "sector": np.array([sector_codes[s] for s in sectors])[sector]})
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


def _latent_value(name: str, lat: dict, frame: pd.DataFrame, person: dict, latents: dict, scores: dict,
                  sector_codes: dict, n_schools: int, rng: np.random.Generator) -> np.ndarray:
    """One latent: N(0, 1) + sector shifts + parent paths + observed-score paths + person effects + hogeschool.

    The hogeschool effect is drawn from N(0, s) per hogeschool and centred, with s such that it makes up the
    share ``icc`` of the latent's variance: s^2 = icc / (1 - icc) * (variance of the other parts).
    """
    value = rng.standard_normal(len(frame))
    for sector, shift in lat.get("sector", {}).items():
        value += shift * (frame["sector"].to_numpy() == sector_codes[sector])
    for parent, coef in lat.get("parents", {}).items():
        value += coef * latents[parent]
    for measure, coef in lat.get("observed_parents", {}).items():
        value += coef * scores[measure]
    for effect, coef in lat.get("person", {}).items():
        value += coef * person[effect]
    icc = float(lat.get("icc", 0.0))
    if icc:
        school_sd = np.sqrt(icc / (1.0 - icc) * value.var())
        effects = rng.normal(0.0, school_sd, n_schools)
        value += (effects - effects.mean())[frame["hogeschool"].to_numpy() - 1]
    return value


def _observed_score(answers: np.ndarray) -> np.ndarray:
    """The scale score as the analysis computes it (mean of the answered items, at least ``MIN_ITEM_SHARE`` of
    them), z-scored; 0 where it is missing (such a respondent leaves the regression anyway)."""
    answered = ~np.isnan(answers)
    enough = answered.sum(axis=1) >= MIN_ITEM_SHARE * answers.shape[1]
    total = np.where(answered, answers, 0.0).sum(axis=1)
    score = np.where(enough, total / np.maximum(answered.sum(axis=1), 1), np.nan)
    z = (score - np.nanmean(score)) / (np.nanstd(score) or 1.0)
    return np.nan_to_num(z, nan=0.0)


def _claim_fixed(measure: dict) -> bool:
    """A measure whose target a registry claim fixes (a published share or mean)."""
    return "shares_from" in measure or "mean_from" in measure


def _generate(population: str, frame: pd.DataFrame, spec: dict, params: dict, rng: np.random.Generator,
              calibration: dict | None) -> tuple[dict, dict]:
    """Latents in the listed order, each followed by the items of the measures that load on it.

    With ``calibration`` (a sample): the reference draw's standardisation and thresholds, except that a
    measure whose target a claim fixes is calibrated on the sample's own responses, so that the sample shows
    the published value (up to non-response). Without (the reference draw): standardisation and thresholds
    are computed here. Returns (item answers with missing codes, the calibration).
    """
    codebook = load_codebook()
    sector_codes = {label: code for code, label in codebook.variables(population)["sector"].values.items()}
    person = _person(frame)
    n_schools = len(spec["design"]["hogeschool_weights"])
    spacing = params["reference"]["threshold_spacing"]
    own = {"standard": {}, "thresholds": {}}
    latents, scores, columns = {}, {}, {}
    by_latent: dict[str, list[str]] = {}
    for name, measure in spec["measures"].items():
        by_latent.setdefault(measure["latent"], []).append(name)
    for name, lat in spec["latents"].items():
        latents[name] = _latent_value(name, lat, frame, person, latents, scores, sector_codes, n_schools, rng)
        standard = calibration["standard"][name] if calibration else (latents[name].mean(), latents[name].std())
        own["standard"][name] = standard
        for mname in by_latent.get(name, []):
            measure = spec["measures"][mname]
            items, codes, reverse = _measure_items(population, mname)
            responses = [_response(latents[name], standard, measure["loading"], rng) for _ in items]
            if calibration is None or _claim_fixed(measure):
                thresholds = _thresholds(codes, measure, np.concatenate(responses), spacing)
            else:
                thresholds = calibration["thresholds"][mname]
            own["thresholds"][mname] = thresholds
            values = np.asarray(codes)
            answers = []
            for item, response in zip(items, responses):
                answer = values[np.searchsorted(thresholds, response)]
                missing = rng.random(len(answer)) < params["item_missing_rate"]
                answers.append(np.where(missing, np.nan, answer))
                if item in reverse:
                    answer = values.min() + values.max() - answer
                answer[missing] = MISSING_CODE
                columns[item] = answer
            scores[mname] = _observed_score(np.column_stack(answers))
    return columns, own


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
            shares[cat] = (claim.published + measure.get("shift", {}).get(claim_id, 0.0)) * weights[cat] / total
    fixed = sum(shares.values())
    if fixed > 1.0:  # shifted targets (null scenario) that no longer fit: keep their proportions
        shares = {cat: share / fixed for cat, share in shares.items()}
    rest = [c for c in codes if c not in shares]
    rest_total = sum(weights[c] for c in rest)
    remaining = max(0.0, 1.0 - sum(shares.values()))
    for cat in rest:
        shares[cat] = remaining * weights[cat] / rest_total
    return np.array([shares[c] for c in codes])


def _thresholds(codes: list[int], measure: dict, response: np.ndarray, spacing: float) -> np.ndarray:
    """Cut points on the latent response that give the target shares or target mean on the reference draw."""
    if "shares" in measure:
        cumulative = np.cumsum(_target_shares(codes, measure))[:-1]
        return np.quantile(response, cumulative)
    target = measure["mean"] if "mean" in measure else load_registry().get(measure["mean_from"]).published
    target += measure.get("shift", 0.0)
    spacing = measure.get("spacing", spacing)  # a measure may space its thresholds more widely
    offsets = spacing * (np.arange(len(codes) - 1) - (len(codes) - 2) / 2)
    sorted_response = np.sort(response)
    values = np.asarray(codes, dtype=float)

    def mean_minus_target(shift: float) -> float:
        # a response above k of the cut points gets codes[k]: the codes' mean from the number above each cut point
        # (whole codes, so the sum is exact and equals summing the codes of every response)
        above = len(response) - np.searchsorted(sorted_response, offsets + shift, side="right")
        counts = -np.diff(above, prepend=len(response), append=0)
        return (values @ counts) / len(response) - target

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
    for name, lat in spec["latents"].items():
        if not 0.0 <= float(lat.get("icc", 0.0)) < 1.0:
            raise ParameterError(f"simulation parameters ({population}): icc of latent {name!r} must lie in [0, 1)")


def _calibrate(population: str, spec: dict, params: dict) -> dict:
    """Latent standardisation and item thresholds, computed on a large reference draw with a fixed seed."""
    reference = params["reference"]
    rng = np.random.default_rng(reference["seed"])
    frame = _draw_design(population, reference["n"], params, rng)
    return _generate(population, frame, spec, params, rng, None)[1]


@cache
def _default_calibration(population: str, scenario: str) -> dict:
    params = scenario_parameters(scenario)
    return _calibrate(population, params[population], params)


def simulate_population(
    population: str, n: int, seed: int, params: dict | None = None, scenario: str = "default",
    hogescholen: int | None = None,
) -> pd.DataFrame:
    """One synthetic data set in the codebook's layout (numeric codes, -9 for non-response).

    ``scenario`` is "default" (the calibrated model) or "null" (see :func:`scenario_parameters`); custom
    ``params`` are used as given. Without ``hogescholen`` the data have the study's fixed composition (every
    hogeschool x sector cell of :func:`composition` by quota); with ``hogescholen`` = K they are a cluster
    sample: K hogescholen at random (:func:`sampled_hogescholen`) and the respondents at random within them.
    """
    if population not in POPULATIONS:
        raise ParameterError(f"unknown population {population!r}; choose one of {', '.join(POPULATIONS)}")
    if int(n) < 1:
        raise ParameterError(f"the number of {population} must be at least 1 (got {n})")
    custom = params is not None
    params = params if custom else scenario_parameters(scenario)
    spec = params[population]
    _check_spec(population, spec)
    calibration = _calibrate(population, spec, params) if custom else _default_calibration(population, scenario)
    rng = np.random.default_rng([int(seed), POPULATIONS.index(population)])
    schools = None if hogescholen is None else sampled_hogescholen(params, seed, hogescholen)
    frame = _draw_design(population, int(n), params, rng, schools)
    columns, _ = _generate(population, frame, spec, params, rng, calibration)
    codebook = load_codebook().population(population)
    width = max(4, len(str(int(n))))
    data = pd.DataFrame({codebook.id: [f"{ID_PREFIX[population]}{i:0{width}d}" for i in range(1, int(n) + 1)]})
    data = pd.concat([data, frame, pd.DataFrame(columns)], axis=1)
    missing = [v for v in codebook.variables if v not in data]
    if missing:
        raise ParameterError(f"simulation parameters ({population}) generate no values for: {', '.join(missing)}")
    data = data[list(codebook.variables)]
    data.attrs.update({"population": population, "synthetic": True, "seed": int(seed), "scenario": scenario})
    return data


def simulate(
    seed: int, n_students: int | None = None, n_counsellors: int | None = None, params=None, scenario: str = "default",
    hogescholen: int | None = None,
) -> dict:
    """Both synthetic data sets, keyed by population; sizes default to the codebook's (the original study's) N;
    ``hogescholen`` = K makes both a cluster sample of the same K hogescholen (see :func:`simulate_population`)."""
    codebook = load_codebook()
    sizes = {"students": n_students, "counsellors": n_counsellors}
    return {
        pop: simulate_population(
            pop, codebook.population(pop).default_n if sizes[pop] is None else sizes[pop], seed, params, scenario,
            hogescholen,
        )
        for pop in POPULATIONS
    }


def written_files() -> list[str]:
    """The files :func:`write_synthetic` writes, by name: per population ``.csv`` (with its sidecar) and ``.sav``."""
    return [name for pop in POPULATIONS for name in (f"{pop}.csv", f"{pop}.csv.meta.json", f"{pop}.sav")]


def foreign_files(out: Path) -> list[str]:
    """What ``out`` holds that this module did not write there, or changed since: every entry its manifest
    (:func:`loopbaanleren.data.manifest.write_manifest`) does not list with the same checksum."""
    if not out.exists():
        return []
    if not out.is_dir():
        return [out.name]
    own = (read_manifest(out) or {"files": {}})["files"]
    return [
        path.name
        for path in sorted(out.iterdir())
        if path.name != MANIFEST
        and (path.name not in own or not path.is_file() or path.is_symlink() or sha256_file(path) != own[path.name])
    ]


def write_synthetic(
    out_dir, seed: int, n_students=None, n_counsellors=None, params=None, scenario: str = "default", force: bool = False
) -> dict[str, Path]:
    """Write students/counsellors as .csv and .sav into ``out_dir``, each marked synthetic; returns the CSV paths.

    The folder's manifest (``manifest.json``) records the files written and their SHA-256. A folder that holds
    anything else (a file this function did not write, or one changed since) is refused with a ParameterError,
    unless ``force``; so is a size that would not fit in memory (:func:`loopbaanleren.data.limits.check_simulation`)
    or on the disk (an ``OSError`` naming the folder and the space needed). Every check comes before any work.
    """
    out = Path(out_dir)
    codebook = load_codebook()
    sizes = {
        pop: codebook.population(pop).default_n if n is None else n
        for pop, n in (("students", n_students), ("counsellors", n_counsellors))
    }
    if out.exists() and not out.is_dir():
        raise ParameterError(f"--out {out}: exists and is not a folder")
    foreign = [] if force else foreign_files(out)
    if foreign:
        shown = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
        raise ParameterError(
            f"--out {out}: the folder holds files this command did not write ({shown}); "
            "give a new or empty folder, or add --force to overwrite them"
        )
    if min(sizes.values()) >= 1:
        limits.check_simulation(sizes["students"], sizes["counsellors"])
        limits.check_disk(out, sum(sizes.values()) * limits.WRITTEN_BYTES, "the simulated data")
    paths = {}
    try:
        out.mkdir(parents=True, exist_ok=True)
        for pop, data in simulate(seed, sizes["students"], sizes["counsellors"], params, scenario).items():
            note = f"synthetische data, seed {seed}, n = {len(data)}" + ("" if scenario == "default" else f", scenario {scenario}")
            write_survey(data, [out / f"{pop}.csv", out / f"{pop}.sav"], pop, synthetic=True, note=note)
            paths[pop] = out / f"{pop}.csv"
        write_manifest(out, written_files(), seed=int(seed), scenario=scenario, **{f"n_{pop}": n for pop, n in sizes.items()})
    except OSError as exc:
        for name in written_files():  # nothing half-written is left (a user's file, with --force, is gone)
            (out / name).unlink(missing_ok=True)
        if exc.errno != errno.ENOSPC or "needs about" in str(exc.strerror):
            raise
        needed = limits.megabytes(sum(sizes.values()) * limits.WRITTEN_BYTES)
        raise OSError(exc.errno, f"{exc.strerror} (the simulated data need about {needed})", exc.filename) from None
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
        for measure, coef in lat.get("observed_parents", {}).items():
            rows.append((target, f"geobserveerde score {measure}", coef, "pad vanuit de gemeten score"))
        for effect, coef in lat.get("person", {}).items():
            rows.append((target, person_nl[effect], coef, "persoonskenmerk"))
        if lat.get("icc"):
            rows.append((target, "hogeschool", lat["icc"], "intraklassecorrelatie (eigen hogeschooleffect)"))
    return pd.DataFrame(rows, columns=["construct", "bron", "waarde", "soort parameter"])
