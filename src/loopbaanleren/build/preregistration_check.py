"""The check of a build against a preregistration (:mod:`loopbaanleren.build.preregistration` writes one).

:func:`check_build` compares a build with a preregistration: the same registry, codebook, evaluators, α, rules
and correction families, and the planned sizes reached or not. Every difference is a deviation: it is recorded
(``results/provenance.json``, the colophon, the ledger's ``preregistered`` column) and never stops the build.
The hashes, rules and families it compares are made here too, so that writing and checking agree by construction.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import loopbaanleren.claims as claims_package
from loopbaanleren.book.preregistered import AS_PREREGISTERED
from loopbaanleren.book.rule_tables import reproduced_when
from loopbaanleren.book.verdict_text import family_of
from loopbaanleren.data.manifest import sha256_file
from loopbaanleren.data.registry import REGISTRY_FILES, Claim, is_derived, load_registry
from loopbaanleren.errors import ParameterError
from loopbaanleren.resources import resource_path

SCHEMA = "preregistration.schema.json"


JSON_NAME = "preregistration.json"


QUALITATIVE_RULE = (
    "het aantal interviews ligt binnen de tolerantie rond het gepubliceerde aantal (of boven het minimum)"
)



def file_hashes() -> dict[str, str]:
    """SHA-256 of the registry (both files), the codebook, the simulation parameters and the evaluators."""
    def digest(*names: str) -> str:
        h = hashlib.sha256()
        for name in names:
            h.update(name.encode() + b"\0" + resource_path(name).read_bytes())
        return h.hexdigest()

    return {
        "registry": digest(*REGISTRY_FILES),
        "codebook": digest("codebook.yaml"),
        "simulation": digest("simulation.yaml"),
        "evaluators": _evaluators_hash(claims_package.EVALUATOR_VERSION),
    }



def _evaluators_hash(version: int) -> str:
    """SHA-256 of the evaluator version and the sources of the claims layer (:mod:`loopbaanleren.claims`)."""
    root = Path(claims_package.__file__).parent
    h = hashlib.sha256(f"evaluator_version {version}".encode())
    for path in sorted(root.glob("*.py")):
        h.update(b"\0" + path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()



def claim_hash(claim: Claim) -> str:
    """SHA-256 of a claim's registry entry (kind, population, published value, specification)."""
    entry = {"id": claim.id, "rq": claim.rq, "population": claim.population, "kind": claim.kind,
             "published": claim.published, "derived": claim.derived, "spec": claim.spec}
    return hashlib.sha256(json.dumps(entry, sort_keys=True, default=str).encode()).hexdigest()



def is_near(claim: Claim) -> bool:
    """True for a level claim judged near the scale's midpoint (``direction: near``)."""
    return claim.kind == "level" and claim.get("direction") == "near"



def rule_family(claim: Claim) -> str | None:
    """The family of rules (:data:`loopbaanleren.claims.verdicts.RULES`) that judges the claim; None for a count of
    the interview study."""
    return family_of(claim.kind, is_derived(claim), is_near(claim))



def rule_text(claim: Claim, alpha: float, rules: dict) -> str:
    """When the claim is reproduced, in Dutch, filled in with ``alpha`` and the registry's bounds."""
    family = rule_family(claim)
    if family is None:
        return QUALITATIVE_RULE
    return reproduced_when(family, alpha, rules["equivalence_bound"])



def correction_family(claim: Claim, rules: dict) -> dict | None:
    """The family within which the claim's p-value is corrected (method and research question); None for a claim
    without a test of its own (point values, derived claims, the interview study)."""
    family = rule_family(claim)
    if family in (None, "puntwaarde", "afgeleid") or rules["multiple_testing"] == "none":
        return None
    return {"method": rules["multiple_testing"], "within": claim.rq}



def schema() -> dict:
    """The JSON Schema of ``preregistration.json`` (``resources/preregistration.schema.json``)."""
    return json.loads(resource_path(SCHEMA).read_text(encoding="utf-8"))



def validate(document: dict, where: str = JSON_NAME) -> None:
    """Check a preregistration against its schema; ``ParameterError`` naming the first problems otherwise."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(schema())
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
    if errors:
        lines = [f"{where}: {'/'.join(map(str, e.path)) or '(top)'}: {e.message}" for e in errors[:10]]
        raise ParameterError("not a valid preregistration:\n" + "\n".join(lines))



def read_preregistration(path: str | Path) -> dict:
    """A ``preregistration.json``, checked against the schema (``ParameterError`` naming the file otherwise)."""
    path = Path(path)
    if not path.is_file():
        raise ParameterError(f"file not found: {path}")
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ParameterError(f"preregistration {path}: not readable JSON ({exc})") from None
    validate(document, str(path))
    return document



def number_text(value: object) -> str:
    """A parameter's value as the documents write it: a float with a decimal comma (``0,05``), anything else as is."""
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    return str(value)



@dataclass
class Check:
    """The check of a build against a preregistration: per claim its status, and every deviation."""

    file: str
    sha256: str
    per_claim: dict[str, str] = field(default_factory=dict)
    deviations: list[str] = field(default_factory=list)
    sizes: dict[str, dict] = field(default_factory=dict)

    def record(self) -> dict:
        """The check as ``results/provenance.json`` records it."""
        analysed = sum(status == AS_PREREGISTERED for status in self.per_claim.values())
        return {"file": self.file, "sha256": self.sha256, "as_preregistered": analysed,
                "claims": len(self.per_claim), "sizes": self.sizes, "deviations": list(self.deviations)}



def check_build(path: str | Path, alpha: float, sizes: dict[str, int]) -> Check:
    """Check a build at ``alpha`` on data of ``sizes`` (n_students, n_counsellors, hogescholen) against the
    preregistration at ``path``: every difference is a deviation, listed once and per claim it touches."""
    path = Path(path)
    document = read_preregistration(path)
    check = Check(path.name, sha256_file(path))
    hashes, planned = file_hashes(), document["hashes"]
    names = {"registry": "het register van beweringen", "codebook": "het codeboek",
             "simulation": "de simulatieparameters", "evaluators": "de evaluatoren"}
    for key, name in names.items():
        if hashes[key] != planned[key]:
            check.deviations.append(f"{name} is gewijzigd sinds de preregistratie (SHA-256 verschilt)")
    if alpha != document["alpha"]:
        check.deviations.append(f"α is {number_text(alpha)} in plaats van {number_text(document['alpha'])}")
    for key, wanted in document["sizes"].items():
        if key not in sizes:  # a build without that population (it is reported as not computable)
            continue
        reached = sizes[key]
        check.sizes[key] = {"planned": wanted, "reached": reached, "met": reached >= wanted}
        if reached < wanted:
            check.deviations.append(f"{key}: {reached} in plaats van de geplande {wanted}")
    registry = load_registry()
    preregistered = {entry["id"]: entry for entry in document["claims"]}
    for claim in registry:
        entry = preregistered.get(claim.id)
        if entry is None:
            problems = ["niet gepreregistreerd"]
        else:
            problems = []
            if claim_hash(claim) != entry["claim_sha256"]:
                problems.append("bewering gewijzigd in het register")
            if rule_text(claim, alpha, registry.rules) != entry["rule"]:
                problems.append("regel gewijzigd")
            if alpha != entry["alpha"]:
                problems.append(f"α {number_text(alpha)} in plaats van {number_text(entry['alpha'])}")
            if correction_family(claim, registry.rules) != entry["family"]:
                problems.append("correctiefamilie gewijzigd")
        check.per_claim[claim.id] = "deviation: " + "; ".join(problems) if problems else AS_PREREGISTERED
        if problems:
            check.deviations.append(f"{claim.id}: {'; '.join(problems)}")
    for claim_id in preregistered.keys() - {claim.id for claim in registry}:
        check.deviations.append(f"{claim_id}: gepreregistreerd, maar niet meer in het register")
    return check

