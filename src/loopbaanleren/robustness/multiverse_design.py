"""The declared multiverse: the analytic choices of ``resources/multiverse.yaml`` and which of them apply to a claim.

:func:`load_multiverse` checks the file when it loads (one line per problem, naming the entry). A
*specification* picks one option per dimension (inference, scale scores, controls, a single four-point outcome as
linear or ordinal, missing data, clusters); the first option of each dimension is the primary analysis, the one the
chapters use. :func:`specifications` gives the declared design: the full product of the options listed under
``design.product`` and every other option one at a time. A specification counts for a claim only when every choice
it makes applies to the claim (:func:`effective`), so no claim is counted twice under what is for it the same
analysis.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import cache

from loopbaanleren.data.registry import SPECS, Claim, load_registry
from loopbaanleren.data.codebook import load_codebook
from loopbaanleren.errors import CompendiumError
from loopbaanleren.resources import load_yaml

MULTIVERSE_FILE = "multiverse.yaml"
DIMENSIONS = ("inference", "scores", "controls", "outcome", "missing", "cluster")
OPTIONS = {
    "inference": ("cr2", "wild", "mixed"),
    "scores": ("half", "all", "factor"),
    "controls": ("published", "none", "plus_sector"),
    "outcome": ("linear", "ordinal"),
    "missing": ("available", "imputed"),
    "cluster": ("hogeschool", "hogeschool_sector"),
}
"""The dimensions and options the multiverse implements; the declared file may use a subset, primary first."""
WEIGHTS = ("webb", "rademacher")
TOP_KEYS = ("kind_groups", "dimensions", "design", "wild_bootstrap", "imputations", "max_size")


class MultiverseError(CompendiumError):
    """The declared multiverse file does not fit its spec (one line per problem)."""



@dataclass(frozen=True)
class Dimension:
    """One dimension of analytic choices: its options with Dutch labels (primary first), the claim kinds it applies
    to, and per option the kinds it changes.
    """

    name: str
    label_nl: str
    kinds: frozenset[str]
    options: dict[str, str]  # option -> label_nl, primary first
    option_kinds: dict[str, frozenset[str]]

    @property
    def primary(self) -> str:
        """The primary option (the analysis the chapters report)."""
        return next(iter(self.options))


@dataclass(frozen=True)
class Multiverse:
    """The declared multiverse: its dimensions, the design (full product or draws), the wild-bootstrap and
    imputation settings, and the largest data it runs on (``max_size`` times the study's size per population).
    """

    dimensions: dict[str, Dimension]
    product: dict[str, tuple[str, ...]]
    draws: int
    weights: str
    seed: int
    imputations: int
    max_size: float = 1.0

    @property
    def primary(self) -> dict[str, str]:
        """The primary option of each dimension: the primary specification."""
        return {name: dim.primary for name, dim in self.dimensions.items()}


def check_multiverse(raw: object, source: str = MULTIVERSE_FILE) -> list[str]:
    """Every problem of a declared multiverse, one line each, ``<file>: <where>: <what>``."""
    if not isinstance(raw, dict):
        return [f"{source}: not a mapping"]
    problems = [f"{source}: unknown key {key!r}; keys are {', '.join(TOP_KEYS)}" for key in raw if key not in TOP_KEYS]
    problems += [f"{source}: missing key {key!r}" for key in TOP_KEYS if key not in raw]
    if problems:
        return problems
    groups = raw["kind_groups"]
    if not isinstance(groups, dict):
        return [f"{source}: kind_groups: not a mapping"]
    for group, kinds in groups.items():
        for kind in kinds if isinstance(kinds, list) else [kinds]:
            if kind not in SPECS:
                problems.append(f"{source}: kind_groups.{group}: {kind!r} is not a claim kind")

    def known_kinds(where: str, names: object) -> list[str]:
        if not isinstance(names, list) or not names:
            return [f"{source}: {where}.kinds: expected a non-empty list of kind groups or claim kinds"]
        return [f"{source}: {where}.kinds: {n!r} is neither a kind group nor a claim kind"
                for n in names if n not in groups and n not in SPECS]

    dims = raw["dimensions"]
    if not isinstance(dims, dict):
        return problems + [f"{source}: dimensions: not a mapping"]
    for name, dim in dims.items():
        where = f"dimensions.{name}"
        if name not in OPTIONS:
            problems.append(f"{source}: {where}: unknown dimension; dimensions are {', '.join(DIMENSIONS)}")
            continue
        if not isinstance(dim, dict):
            problems.append(f"{source}: {where}: not a mapping")
            continue
        problems += [f"{source}: {where}: unknown field {key!r}" for key in dim if key not in ("label_nl", "kinds", "options")]
        if not isinstance(dim.get("label_nl"), str):
            problems.append(f"{source}: {where}.label_nl: expected a text")
        problems += known_kinds(where, dim.get("kinds"))
        options = dim.get("options")
        if not isinstance(options, dict) or len(options) < 2:
            problems.append(f"{source}: {where}.options: expected a mapping of at least two options")
            continue
        for option, spec in options.items():
            at = f"{where}.options.{option}"
            if option not in OPTIONS[name]:
                problems.append(f"{source}: {at}: unknown option; options of {name} are {', '.join(OPTIONS[name])}")
                continue
            if not isinstance(spec, dict) or not isinstance(spec.get("label_nl"), str):
                problems.append(f"{source}: {at}.label_nl: expected a text")
                continue
            problems += [f"{source}: {at}: unknown field {key!r}" for key in spec if key not in ("label_nl", "kinds")]
            if "kinds" in spec:
                problems += known_kinds(at, spec["kinds"])
        if next(iter(options)) != OPTIONS[name][0]:
            problems.append(f"{source}: {where}.options: the first option is the primary analysis and must be "
                            f"{OPTIONS[name][0]!r}, got {next(iter(options))!r}")
    problems += [f"{source}: dimensions: missing dimension {name!r}" for name in DIMENSIONS if name not in dims]
    design = raw["design"]
    product = design.get("product") if isinstance(design, dict) else None
    if not isinstance(product, dict):
        problems.append(f"{source}: design.product: expected a mapping of dimension to options")
    else:
        problems += [f"{source}: design: unknown field {key!r}" for key in design if key != "product"]
        for name, chosen in product.items():
            declared = (dims.get(name) or {}).get("options") if isinstance(dims.get(name), dict) else None
            if not isinstance(declared, dict):
                problems.append(f"{source}: design.product.{name}: not a declared dimension")
                continue
            if not isinstance(chosen, list) or not chosen:
                problems.append(f"{source}: design.product.{name}: expected a non-empty list of options")
                continue
            problems += [f"{source}: design.product.{name}: {option!r} is not an option of {name}"
                         for option in chosen if option not in declared]
    wild = raw["wild_bootstrap"]
    if not isinstance(wild, dict):
        problems.append(f"{source}: wild_bootstrap: not a mapping")
    else:
        if not (isinstance(wild.get("draws"), int) and wild["draws"] >= 99):
            problems.append(f"{source}: wild_bootstrap.draws: expected a whole number of at least 99, got {wild.get('draws')!r}")
        if wild.get("weights") not in WEIGHTS:
            problems.append(f"{source}: wild_bootstrap.weights: {wild.get('weights')!r} is not one of {', '.join(WEIGHTS)}")
        if not isinstance(wild.get("seed"), int):
            problems.append(f"{source}: wild_bootstrap.seed: expected a whole number, got {wild.get('seed')!r}")
    if not (isinstance(raw["imputations"], int) and raw["imputations"] >= 2):
        problems.append(f"{source}: imputations: expected a whole number of at least 2, got {raw['imputations']!r}")
    size = raw["max_size"]
    if isinstance(size, bool) or not isinstance(size, (int, float)) or not size > 0:
        problems.append(f"{source}: max_size: expected a positive number (times the study's size), got {size!r}")
    return problems


def parse_multiverse(raw: dict, source: str = MULTIVERSE_FILE) -> Multiverse:
    """The checked declaration as a :class:`Multiverse`; :class:`MultiverseError` listing every problem."""
    problems = check_multiverse(raw, source)
    if problems:
        raise MultiverseError("\n".join(problems))
    groups = raw["kind_groups"]

    def expand(names: list[str]) -> frozenset[str]:
        return frozenset(k for n in names for k in (groups[n] if n in groups else [n]))

    dims = {}
    for name in DIMENSIONS:
        spec = raw["dimensions"][name]
        kinds = expand(spec["kinds"])
        options = {option: o["label_nl"] for option, o in spec["options"].items()}
        option_kinds = {option: expand(o["kinds"]) & kinds if "kinds" in o else kinds for option, o in spec["options"].items()}
        dims[name] = Dimension(name, spec["label_nl"], kinds, options, option_kinds)
    wild = raw["wild_bootstrap"]
    product = {name: tuple(options) for name, options in raw["design"]["product"].items()}
    return Multiverse(dims, product, wild["draws"], wild["weights"], wild["seed"], raw["imputations"],
                      float(raw["max_size"]))


def load_multiverse(overrides: dict | None = None) -> Multiverse:
    """The multiverse declared in ``resources/multiverse.yaml``, checked; ``overrides`` replaces its top-level
    entries (e.g. ``{"imputations": 2}``, or a smaller ``design``), as the chapter's parameter
    ``multiverse_overrides`` does for a quick build."""
    return _declared() if not overrides else parse_multiverse(load_yaml(MULTIVERSE_FILE) | dict(overrides))


@cache
def _declared() -> Multiverse:
    return parse_multiverse(load_yaml(MULTIVERSE_FILE))


def specifications(mv: Multiverse) -> list[dict[str, str]]:
    """The declared design: the primary analysis first, then the product of ``design.product`` and every option
    not in the product one at a time from the primary analysis (each specification once)."""
    primary = mv.primary
    crossed = [mv.product.get(name, (primary[name],)) for name in DIMENSIONS]
    specs = [dict(zip(DIMENSIONS, combo)) for combo in itertools.product(*crossed)]
    for name, dim in mv.dimensions.items():
        for option in dim.options:
            if option not in mv.product.get(name, (primary[name],)):
                specs.append(primary | {name: option})
    unique = {tuple(s.values()): s for s in [primary, *specs]}
    return list(unique.values())


def spec_label(spec: dict[str, str], mv: Multiverse) -> str:
    """Short name of a specification: the options that differ from the primary analysis ("primair" if none)."""
    changed = [option for name, option in spec.items() if option != mv.primary[name]]
    return "+".join(changed) or "primair"

def single_items(population: str) -> set[str]:
    """The population's variables that belong to no scale (an outcome the ordinal option can apply to)."""
    return set(load_codebook().variables(population)) - {
        item for s in load_codebook().scales(population).values() for item in s.items
    }


def _uses_scale(claim: Claim) -> bool:
    """Whether a claim that rests on no model uses a scale score (a single item has none to choose)."""
    pops = ["students", "counsellors"] if claim.population == "both" else [claim.population]
    names = [claim.get(key) for key in ("variable", "measure", "higher")] + list(claim.get("lower", []))
    return any(name in load_codebook().scales(pop) for pop in pops for name in names if name)


def _claim_outcomes(claim: Claim) -> list[str]:
    if claim.kind == "hypothesis":
        return [p["outcome"] for p in claim["predictions"]]
    return [claim["outcome"]] if "outcome" in claim.spec else []


def effective(spec: dict[str, str], claim: Claim, mv: Multiverse) -> dict[str, str]:
    """The specification as it acts on ``claim``: a choice that does not apply to it is the primary one.

    Besides the declared kinds: the ordinal option applies only to a model outcome that is a single item (and
    brings its own cluster-robust inference, so with it the inference choice is the primary one unless the
    claim also rests on other outcomes); "plus sector" only to a model without sector among its controls.
    """
    out = {}
    for name, option in spec.items():
        dim = mv.dimensions[name]
        applies = claim.kind in dim.kinds and claim.kind in dim.option_kinds[option]
        out[name] = option if applies else dim.primary
    if "model" not in claim.spec and not _uses_scale(claim):
        out["scores"] = mv.dimensions["scores"].primary
    if "model" in claim.spec:
        model = load_registry().models[claim["model"]]
        singles = single_items(model["population"])
        outcomes = _claim_outcomes(claim)
        if not any(o in singles for o in outcomes):
            out["outcome"] = mv.dimensions["outcome"].primary
        elif out["outcome"] == "ordinal" and all(o in singles for o in outcomes):
            out["inference"] = mv.dimensions["inference"].primary
        if out["controls"] == "plus_sector" and "sector" in model["categorical"]:
            out["controls"] = mv.dimensions["controls"].primary
    return out


def group_of(claim: Claim, mv: Multiverse) -> str:
    """"regression" for a claim that rests on a registry model, "location" for the others."""
    return "regression" if "model" in claim.spec else "location"


def group_key(spec: dict[str, str], group: str, mv: Multiverse) -> tuple:
    """The choices that matter for the claims of a group: the others are the primary ones."""
    kinds = {k for k, s in SPECS.items() if (("model" in s.model_fields) == (group == "regression"))}
    out = []
    for name, option in spec.items():
        dim = mv.dimensions[name]
        applies = bool(kinds & dim.kinds & dim.option_kinds[option])
        out.append(option if applies else dim.primary)
    return tuple(out)
