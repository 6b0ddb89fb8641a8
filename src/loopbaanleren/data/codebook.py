"""The codebook: every variable, item, scale, label, valid range and missing code of both questionnaires.

The data lives in ``resources/codebook.yaml``; this module turns it into objects and scores scales.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import numpy as np
import pandas as pd

from loopbaanleren.resources import load_yaml

POPULATIONS = ("students", "counsellors")


@dataclass(frozen=True)
class Variable:
    """One column of a questionnaire's data file."""

    name: str
    population: str
    label_nl: str
    type: str  # id | categorical | ordinal | numeric
    values: dict[int, str] = field(default_factory=dict)
    valid_min: float | None = None
    valid_max: float | None = None
    missing_codes: dict[int, str] = field(default_factory=dict)
    scale: str | None = None
    reverse: bool = False
    assumption: str | None = None
    open_codes: bool = False  # codes come from the data (any whole number >= 1); the labels are examples

    @property
    def coded(self) -> bool:
        """True when the variable has answer categories (value labels)."""
        return bool(self.values)


@dataclass(frozen=True)
class Scale:
    """A multi-item scale; its score is the mean of its (reverse-keyed) items."""

    name: str
    population: str
    label_nl: str
    items: tuple[str, ...]
    reverse: tuple[str, ...]
    valid_min: int
    valid_max: int
    assumption: str | None = None

    @property
    def midpoint(self) -> float:
        """The midpoint of the answer scale, (min + max) / 2."""
        return (self.valid_min + self.valid_max) / 2


@dataclass(frozen=True)
class Population:
    """One questionnaire's population: its Dutch label, id variable, the original study's N, variables and scales."""

    name: str
    label_nl: str
    id: str
    default_n: int
    variables: dict[str, Variable]
    scales: dict[str, Scale]


@dataclass(frozen=True)
class Codebook:
    """Both populations' variables and scales, and the missing codes shared by all variables."""

    populations: dict[str, Population]
    missing_codes: dict[int, str]

    def population(self, name: str) -> Population:
        """The population ``students`` or ``counsellors``."""
        return self.populations[name]

    def variables(self, population: str) -> dict[str, Variable]:
        """The population's variables by name, in questionnaire order."""
        return self.populations[population].variables

    def scales(self, population: str) -> dict[str, Scale]:
        """The population's multi-item scales by name."""
        return self.populations[population].scales

    def measure(self, population: str, name: str) -> Variable | Scale:
        """A scale or a single variable by name."""
        pop = self.populations[population]
        if name in pop.scales:
            return pop.scales[name]
        return pop.variables[name]

    def label(self, population: str, name: str) -> str:
        """The Dutch label of a scale or variable."""
        return self.measure(population, name).label_nl

    def value_label(self, population: str, name: str, code: int) -> str:
        """The Dutch label of answer code ``code`` of a variable."""
        return self.variables(population)[name].values[code]

    def value_labels(self, population: str, name: str, codes=()) -> dict[int, str]:
        """The codebook's labels of a variable, plus a generic label for each code in ``codes`` that an
        open-coded variable (e.g. ``hogeschool``) has in the data but the codebook does not name."""
        var = self.variables(population)[name]
        labels = dict(var.values)
        if var.open_codes:
            for code in sorted({int(c) for c in codes if pd.notna(c)} - set(labels)):
                labels[code] = f"{var.label_nl} {code}"
        return labels

    def code_of(self, population: str, name: str, label: str) -> int:
        """The code of an answer category given its Dutch label."""
        for code, text in self.variables(population)[name].values.items():
            if text == label:
                return code
        raise KeyError(f"{name}: no category labelled {label!r}")

    def table(self) -> pd.DataFrame:
        """The codebook as one readable table (one row per variable)."""
        rows = []
        for pop in self.populations.values():
            for var in pop.variables.values():
                if var.values:
                    answers = "; ".join(f"{k} = {v}" for k, v in var.values.items())
                elif var.type == "numeric":
                    answers = f"{var.valid_min:g}-{var.valid_max:g}"
                else:
                    answers = ""
                rows.append(
                    {
                        "populatie": pop.label_nl,
                        "variabele": var.name,
                        "schaal": var.scale or "",
                        "omschrijving": var.label_nl,
                        "type": var.type,
                        "antwoorden": answers,
                        "omgescoord": "ja" if var.reverse else "",
                        "aanname": var.assumption or "",
                    }
                )
        return pd.DataFrame(rows)


def _parse_population(name: str, raw: dict, answer_sets: dict, missing: dict[int, str]) -> Population:
    variables: dict[str, Variable] = {}

    def coded(answers: str) -> dict:
        values = {int(k): str(v) for k, v in answer_sets[answers].items()}
        return {"values": values, "valid_min": min(values), "valid_max": max(values)}

    for spec in raw["variables"]:
        kind = spec["type"]
        extra = coded(spec["answers"]) if "answers" in spec else {}
        if kind == "numeric":
            extra = {"valid_min": spec["valid_min"], "valid_max": spec["valid_max"]}
        variables[spec["name"]] = Variable(
            name=spec["name"],
            population=name,
            label_nl=spec["label_nl"],
            type=kind,
            missing_codes=missing if kind != "id" else {},
            assumption=spec.get("assumption"),
            open_codes=bool(spec.get("open_codes", False)),
            **extra,
        )
    scales: dict[str, Scale] = {}
    for scale_name, spec in raw.get("scales", {}).items():
        reverse = tuple(spec.get("reverse", []))
        answers = coded(spec["answers"])
        for item, text in spec["items"].items():
            variables[item] = Variable(
                name=item,
                population=name,
                label_nl=text,
                type="ordinal",
                missing_codes=missing,
                scale=scale_name,
                reverse=item in reverse,
                assumption=spec.get("assumption"),
                **answers,
            )
        scales[scale_name] = Scale(
            name=scale_name,
            population=name,
            label_nl=spec["label_nl"],
            items=tuple(spec["items"]),
            reverse=reverse,
            valid_min=answers["valid_min"],
            valid_max=answers["valid_max"],
            assumption=spec.get("assumption"),
        )
    return Population(
        name=name,
        label_nl=raw["label_nl"],
        id=raw["id"],
        default_n=int(raw["default_n"]),
        variables=variables,
        scales=scales,
    )


@cache
def load_codebook() -> Codebook:
    """Read the codebook shipped with the package."""
    raw = load_yaml("codebook.yaml")
    missing = {int(k): str(v) for k, v in raw["missing_codes"].items()}
    pops = {
        name: _parse_population(name, raw["populations"][name], raw["answer_sets"], missing)
        for name in POPULATIONS
    }
    return Codebook(populations=pops, missing_codes=missing)


def item_scores(data: pd.DataFrame, scale: Scale) -> pd.DataFrame:
    """The scale's item columns as floats, reverse-keyed items flipped (min + max - x)."""
    items = data[list(scale.items)].astype(float)
    for item in scale.reverse:
        items[item] = scale.valid_min + scale.valid_max - items[item]
    return items


MIN_ITEM_SHARE = 0.5
"""The share of a scale's items a respondent must have answered to get a scale score (rounded up to whole items)."""


def scale_score(data: pd.DataFrame, scale: Scale, min_items: float = MIN_ITEM_SHARE) -> pd.Series:
    """Mean of the scale's items; missing when fewer than ``min_items`` (share) were answered."""
    items = item_scores(data, scale)
    answered = items.notna().sum(axis=1)
    score = items.mean(axis=1)
    score[answered < np.ceil(min_items * len(scale.items))] = np.nan
    return score.rename(scale.name)
