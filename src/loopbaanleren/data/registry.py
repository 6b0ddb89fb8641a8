"""The claims registry: every claim of both summaries, with the rules by which a claim is judged.

Each survey claim is checked when the registry loads against the spec of its kind (:data:`SPECS`, pydantic
models that forbid unknown fields and check types) and against the codebook and the registry's models
(unknown variable, measure, category, sector or model term). Every problem is one line naming the claim and
the field; a registry with any problem raises :class:`RegistryError`, so a broken registry fails the build.

The registry's ``vocabulary`` gives each size word of the summary ("net boven", "matig", "weinigen", ...) its
operational bound and the reason for it. A claim that uses a word names it (``word:``); the loader fills the
field the word sets (e.g. ``max`` of a share) from the vocabulary, so every claim that uses a word uses its bound.
"""


from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, StrictBool, StrictFloat, StrictInt, StrictStr, ValidationError

from loopbaanleren.data.codebook import load_codebook
from loopbaanleren.errors import CompendiumError
from loopbaanleren.stats.multiple_testing import ADJUSTMENTS
from loopbaanleren.resources import load_yaml, resource_path

REGISTRY_FILES = ("claims.yaml", "claims_qualitative.yaml")
RQ_ORDER = ("RQ1", "RQ2", "RQ3", "RQ4", "RQ5", "RQ6", "KWAL")


class RegistryError(CompendiumError):
    """The claims registry does not fit the spec of its claim kinds (one line per problem)."""


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    id: StrictStr
    rq: Literal["RQ1", "RQ2", "RQ3", "RQ4", "RQ5", "RQ6"]
    population: Literal["students", "counsellors", "both"]
    sentence_nl: StrictStr
    derived: StrictBool = False
    word: StrictStr | None = None


class PercentageSpec(_Spec):
    """A share of answers in ``categories`` of ``variable``, published as a proportion."""

    kind: Literal["percentage"]
    variable: StrictStr
    categories: list[StrictInt]
    published: StrictFloat


class MeanSpec(_Spec):
    """The mean of ``measure``, published as a number on the measure's scale."""

    kind: Literal["mean"]
    measure: StrictStr
    published: StrictFloat


class LevelSpec(_Spec):
    """The mean of ``measure`` above, below or near the scale midpoint (``max_distance``: at most that far above)."""

    kind: Literal["level"]
    measure: StrictStr
    direction: Literal["above", "below", "near"]
    max_distance: StrictFloat | None = None


class OrderingSpec(_Spec):
    """Within respondents, ``higher`` exceeds each measure in ``lower`` (by more than ``min_difference``)."""

    kind: Literal["ordering"]
    higher: StrictStr
    lower: list[StrictStr]
    min_difference: StrictFloat | None = None


class ContrastSpec(_Spec):
    """Each of the ``focal`` sectors lower or higher on ``measure`` than the sectors not named."""

    kind: Literal["contrast"]
    measure: StrictStr
    focal: list[StrictStr]
    direction: Literal["lower", "higher"]


class GroupExtremeSpec(_Spec):
    """Sector ``group`` has the lowest or highest mean of ``measure``."""

    kind: Literal["group_extreme"]
    measure: StrictStr
    group: StrictStr
    extreme: Literal["lowest", "highest"]


class GroupRankSpec(_Spec):
    """Sectors ``groups`` take places ``ranks`` counted from the ``end`` (lowest or highest) on ``measure``."""

    kind: Literal["group_rank"]
    measure: StrictStr
    groups: list[StrictStr]
    ranks: list[StrictInt]
    end: Literal["lowest", "highest"]


class GroupLevelSpec(_Spec):
    """The mean of ``measure`` in sector ``group`` lies above or below the scale midpoint."""

    kind: Literal["group_level"]
    measure: StrictStr
    group: StrictStr
    direction: Literal["above", "below"]


class ModeSpec(_Spec):
    """Answer ``category`` of ``variable`` is chosen most often."""

    kind: Literal["mode"]
    variable: StrictStr
    category: StrictInt


class SameModeSpec(_Spec):
    """Students and counsellors choose the same answer of ``variable`` most often (derived)."""

    kind: Literal["same_mode"]
    variable: StrictStr


class ShareBoundSpec(_Spec):
    """The share of answers in ``categories`` of ``variable`` (or of scores of at least ``at_least`` on ``measure``)
    lies above ``min`` or below ``max``."""

    kind: Literal["share_bound"]
    variable: StrictStr | None = None
    categories: list[StrictInt] | None = None
    measure: StrictStr | None = None
    at_least: StrictFloat | None = None
    min: StrictFloat | None = None
    max: StrictFloat | None = None


class PopulationDifferenceSpec(_Spec):
    """Counsellors score higher or lower than students on ``measure``."""

    kind: Literal["population_difference"]
    measure: StrictStr
    direction: Literal["counsellors_higher", "counsellors_lower"]


class EffectSpec(_Spec):
    """In registry model ``model``, ``predictor`` has a coefficient of ``sign`` on ``outcome``."""

    kind: Literal["effect"]
    model: StrictStr
    outcome: StrictStr
    predictor: StrictStr
    sign: Literal["+", "-"]


NON_EFFECT_WORDS = ("draagt niet bij", "draagt niet bij aan het beperken", "niet aantoonbaar")
"""The three forms of a non-effect: claimed absence (equivalence), one-sided absence, and not demonstrated."""


class NullEffectSpec(_Spec):
    """In registry model ``model``, ``predictor`` has no effect on ``outcome``, in the sense of ``word``
    (:data:`NON_EFFECT_WORDS`); a one-sided non-effect names the sign it denies (``denied_sign``)."""

    kind: Literal["null_effect"]
    model: StrictStr
    outcome: StrictStr
    predictor: StrictStr
    word: Literal["draagt niet bij", "draagt niet bij aan het beperken", "niet aantoonbaar"]
    denied_sign: Literal["+", "-"] | None = None


class Word(BaseModel):
    """A size word of the summary: the claim kinds it qualifies, the claim field its ``bound`` sets (``sets``),
    the word whose bound it shares (``bound_of``), the unit of the bound, and in Dutch what it means and why."""

    model_config = ConfigDict(extra="forbid", strict=True)
    word: StrictStr
    also: list[StrictStr] = []
    kinds: list[StrictStr]
    sets: StrictStr | None = None
    bound: StrictFloat | None = None
    bound_of: StrictStr | None = None
    unit: StrictStr
    meaning_nl: StrictStr
    justification_nl: StrictStr


class Prediction(BaseModel):
    """One prediction of a hypothesis: the sign of ``predictor``'s coefficient on ``outcome``."""

    model_config = ConfigDict(extra="forbid", strict=True)
    outcome: StrictStr
    predictor: StrictStr
    sign: Literal["+", "-"]


class HypothesisSpec(_Spec):
    """A hypothesis of model ``model``, published as confirmed, partly confirmed or rejected from its ``predictions``."""

    kind: Literal["hypothesis"]
    model: StrictStr
    predictions: list[Prediction]
    published: Literal["bevestigd", "deels bevestigd", "verworpen"]


SPECS: dict[str, type[_Spec]] = {
    spec.model_fields["kind"].annotation.__args__[0]: spec
    for spec in (PercentageSpec, MeanSpec, LevelSpec, OrderingSpec, ContrastSpec, GroupExtremeSpec, GroupRankSpec,
                 GroupLevelSpec, ModeSpec, SameModeSpec, ShareBoundSpec, PopulationDifferenceSpec, EffectSpec,
                 NullEffectSpec, HypothesisSpec)
}
"""One pydantic spec per survey claim kind."""


@dataclass(frozen=True)
class Claim:
    """One claim: where it comes from (sentence, research question) and what it is computed from (spec)."""

    id: str
    rq: str
    population: str
    kind: str
    sentence_nl: str
    published: object = None
    spec: dict = field(default_factory=dict)
    derived: bool = False

    def __getitem__(self, key: str):
        return self.spec[key]

    def get(self, key: str, default=None):
        """A field of the claim's spec, ``default`` when the spec has none."""
        return self.spec.get(key, default)


DERIVED_KINDS = ("hypothesis", "same_mode")
"""Kinds that are derived by their nature (they restate other claims); other claims are derived when marked."""


def is_derived(claim: Claim) -> bool:
    """True for a claim that restates others (a hypothesis, an agreement, or marked ``derived: true``)."""
    return claim.derived or claim.kind in DERIVED_KINDS


@dataclass(frozen=True)
class Registry:
    """The loaded registry: the claims in order, the ``rules`` of judgement and the regression ``models``."""

    claims: tuple[Claim, ...]
    rules: dict
    models: dict
    vocabulary: tuple[Word, ...] = ()

    def __iter__(self):
        return iter(self.claims)

    def __len__(self) -> int:
        return len(self.claims)

    def get(self, claim_id: str) -> Claim:
        """The claim with this id; KeyError when the registry has none."""
        for claim in self.claims:
            if claim.id == claim_id:
                return claim
        raise KeyError(f"no claim with id {claim_id!r} in the registry")

    def for_rq(self, *rqs: str) -> tuple[Claim, ...]:
        """The claims of these research questions, in registry order."""
        return tuple(c for c in self.claims if c.rq in rqs)


HEAD = ("id", "rq", "population", "kind", "sentence_nl")


def _claim(raw: dict) -> Claim:
    head = {k: raw[k] for k in HEAD}
    spec = {k: v for k, v in raw.items() if k not in head and k not in ("published", "derived")}
    return Claim(published=raw.get("published"), spec=spec, derived=bool(raw.get("derived", False)), **head)


def _field_name(location: tuple) -> str:
    return ".".join(str(part) for part in location if not isinstance(part, int)) or "(entry)"


def _pydantic_problems(where: str, raw: dict) -> list[str]:
    kind = raw.get("kind")
    if kind not in SPECS:
        return [f"{where}: field 'kind': unknown claim kind {kind!r}; kinds are {', '.join(SPECS)}"]
    try:
        SPECS[kind].model_validate(raw)
    except ValidationError as error:
        return [f"{where}: field '{_field_name(e['loc'])}': {e['msg'].lower()}" for e in error.errors()]
    return []


def _reference_problems(where: str, raw: dict, models: dict) -> list[str]:
    """Names the claim uses that the codebook or the registry's models do not know."""
    codebook = load_codebook()
    pops = ["students", "counsellors"] if raw["population"] == "both" else [raw["population"]]
    problems = []
    for pop in pops:
        names = set(codebook.variables(pop)) | set(codebook.scales(pop))
        sectors = set(codebook.variables(pop)["sector"].values.values())
        for key in ("variable", "measure", "higher"):
            if key in raw and raw[key] not in names:
                problems.append(f"{where}: field '{key}': {raw[key]!r} is not a variable or scale of {pop}")
        for name in raw.get("lower", []):
            if name not in names:
                problems.append(f"{where}: field 'lower': {name!r} is not a variable or scale of {pop}")
        if "variable" in raw and raw["variable"] in codebook.variables(pop):
            codes = set(codebook.variables(pop)[raw["variable"]].values)
            for code in [*raw.get("categories", []), *([raw["category"]] if "category" in raw else [])]:
                if code not in codes:
                    problems.append(f"{where}: field 'categories': {code!r} is not an answer code of {raw['variable']!r}")
        for key in ("focal", "groups", "group"):
            values = raw.get(key, [])
            for value in [values] if isinstance(values, str) else values:
                if value not in sectors:
                    problems.append(f"{where}: field '{key}': {value!r} is not a sector")
    if "model" in raw:
        model = models.get(raw["model"])
        if model is None:
            return problems + [f"{where}: field 'model': unknown model {raw['model']!r}; models are {', '.join(models)}"]
        terms = [raw] if "predictor" in raw else raw.get("predictions", [])
        field_prefix = "" if "predictor" in raw else "predictions."
        for term in terms:
            if term["outcome"] not in model["outcomes"]:
                problems.append(f"{where}: field '{field_prefix}outcome': {term['outcome']!r} is not an outcome of model {raw['model']!r}")
            if term["predictor"] not in model["predictors"]:
                problems.append(f"{where}: field '{field_prefix}predictor': {term['predictor']!r} is not a predictor of model {raw['model']!r}")
    if raw["kind"] == "share_bound" and ("min" in raw) == ("max" in raw):
        problems.append(f"{where}: field 'min': give exactly one of 'min' and 'max'")
    if raw["kind"] == "share_bound" and ("variable" in raw) == ("measure" in raw):
        problems.append(f"{where}: field 'variable': give exactly one of 'variable' (with 'categories') and 'measure' "
                        "(with 'at_least')")
    if raw.get("word") == "draagt niet bij aan het beperken" and "denied_sign" not in raw:
        problems.append(f"{where}: field 'denied_sign': a one-sided non-effect names the sign it denies")
    return problems


WORD_RULES = {"near_margin": "matig", "equivalence_bound": "draagt niet bij"}
"""Rules of the registry that are the bound of a size word (filled from the vocabulary when it loads)."""


def where_of(source: str, word: Word) -> str:
    """Where a vocabulary entry is, for a problem's line."""
    return f"{source}, vocabulary entry {word.word}"


def check_vocabulary(raw_words: list, source: str = REGISTRY_FILES[0]) -> tuple[dict[str, Word], list[str]]:
    """The vocabulary by word (and by each of its ``also`` words) and its problems, one line each."""
    words: dict[str, Word] = {}
    problems = []
    for number, raw in enumerate(raw_words or [], start=1):
        where = f"{source}, vocabulary entry {raw.get('word', f'#{number}') if isinstance(raw, dict) else number}"
        try:
            word = Word.model_validate(raw)
        except ValidationError as error:
            problems += [f"{where}: field '{_field_name(e['loc'])}': {e['msg'].lower()}" for e in error.errors()]
            continue
        if word.sets and word.bound is None:
            problems.append(f"{where}: field 'bound': a word that sets '{word.sets}' needs a bound")
        if word.bound_of and word.bound is not None:
            problems.append(f"{where}: field 'bound_of': a word with a bound of its own shares no other's")
        for name in (word.word, *word.also):
            if name in words:
                problems.append(f"{where}: the word {name!r} is defined twice")
            words[name] = word
    problems += [f"{where_of(source, word)}: field 'bound_of': {word.bound_of!r} is not a word with a bound"
                 for word in {id(w): w for w in words.values()}.values()
                 if word.bound_of and (word.bound_of not in words or words[word.bound_of].bound is None)]
    problems += [f"{source}: vocabulary: no word {word!r} (the bound of rule {rule!r})"
                 for rule, word in WORD_RULES.items() if word not in words or words[word].bound is None]
    return words, problems


def apply_words(raw_claims: list, words: dict[str, Word], source: str = REGISTRY_FILES[0]) -> tuple[list, list[str]]:
    """The claims with each size word's bound filled into the field it sets, and the problems (an unknown word, a
    word on a kind it does not qualify, a claim that gives the word's number itself)."""
    out, problems = [], []
    for number, raw in enumerate(raw_claims):
        if not isinstance(raw, dict) or "word" not in raw:
            out.append(raw)
            continue
        where = f"{source}, claim {raw.get('id', f'#{number + 1}')}"
        word = words.get(raw["word"])
        if word is None:
            problems.append(f"{where}: field 'word': {raw['word']!r} is not in the vocabulary; words are {', '.join(words)}")
        elif raw.get("kind") not in word.kinds:
            problems.append(f"{where}: field 'word': {raw['word']!r} qualifies {', '.join(word.kinds)} claims, not {raw.get('kind')!r}")
        elif word.sets and word.sets in raw:
            problems.append(f"{where}: field '{word.sets}': given by the word {raw['word']!r}; remove it from the claim")
        elif word.sets:
            raw = {**raw, word.sets: word.bound}
        out.append(raw)
    return out, problems


def check_rules(rules: dict, source: str = REGISTRY_FILES[0]) -> list[str]:
    """Problems with the registry's ``rules``: the correction method must be known."""
    method = rules.get("multiple_testing")
    if method not in ADJUSTMENTS:
        return [f"{source}: rules: field 'multiple_testing': {method!r} is not one of {', '.join(ADJUSTMENTS)}"]
    return []


def check_claims(raw_claims: list, models: dict, source: str = REGISTRY_FILES[0]) -> list[str]:
    """Every problem of the survey claims ``raw_claims``, one line each: ``<file>, claim <id>: field '<f>': ...``."""
    problems = []
    for number, raw in enumerate(raw_claims, start=1):
        if not isinstance(raw, dict):
            problems.append(f"{source}, entry {number}: not a mapping")
            continue
        where = f"{source}, claim {raw.get('id', f'#{number}')}"
        found = _pydantic_problems(where, raw)
        problems += found or _reference_problems(where, raw, models)
    return problems


@cache
def load_registry() -> Registry:
    """Read and check the claims registry shipped with the package (survey and, when present, qualitative claims)."""
    main = load_yaml(REGISTRY_FILES[0])
    words, problems = check_vocabulary(main.get("vocabulary", []))
    raw_claims, word_problems = apply_words(main["claims"], words)
    problems += [f"{REGISTRY_FILES[0]}: rules: field '{rule}': the bound of the word {WORD_RULES[rule]!r} is given in "
                 "the vocabulary; remove it from the rules" for rule in WORD_RULES if rule in main["rules"]]
    problems += check_rules(main["rules"]) + word_problems + check_claims(raw_claims, main["models"])
    if problems:
        raise RegistryError("\n".join(problems))
    rules = {**main["rules"], **{rule: words[word].bound for rule, word in WORD_RULES.items()}}
    claims = [_claim(c) for c in raw_claims]
    for extra in REGISTRY_FILES[1:]:
        if resource_path(extra).exists():
            claims += [_claim(c) for c in load_yaml(extra)["claims"]]
    ids = [c.id for c in claims]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise RegistryError(f"claims registry: duplicated ids {duplicates}")
    claims.sort(key=lambda c: RQ_ORDER.index(c.rq))
    vocabulary = tuple({id(word): word for word in words.values()}.values())
    return Registry(claims=tuple(claims), rules=rules, models=main["models"], vocabulary=vocabulary)


def original_design(population: str) -> tuple[int, int]:
    """The original study's size for a population and its number of hogescholen (the codebook's), which the
    margins of published point values assume.

    >>> original_design("counsellors")
    (371, 11)
    """
    codebook, cluster = load_codebook(), load_registry().rules["cluster_variable"]
    return codebook.population(population).default_n, len(codebook.variables(population)[cluster].values)
