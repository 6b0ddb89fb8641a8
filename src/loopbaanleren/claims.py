"""The claims registry: every claim of both summaries, with the rules by which a claim is judged."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from loopbaanleren.resources import load_yaml, resource_path

REGISTRY_FILES = ("claims.yaml", "claims_qualitative.yaml")
RQ_ORDER = ("RQ1", "RQ2", "RQ3", "RQ4", "RQ5", "RQ6", "KWAL")


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

    def __getitem__(self, key: str):
        return self.spec[key]

    def get(self, key: str, default=None):
        return self.spec.get(key, default)


@dataclass(frozen=True)
class Registry:
    claims: tuple[Claim, ...]
    rules: dict
    models: dict

    def __iter__(self):
        return iter(self.claims)

    def __len__(self) -> int:
        return len(self.claims)

    def get(self, claim_id: str) -> Claim:
        for claim in self.claims:
            if claim.id == claim_id:
                return claim
        raise KeyError(f"no claim with id {claim_id!r} in the registry")

    def for_rq(self, *rqs: str) -> tuple[Claim, ...]:
        return tuple(c for c in self.claims if c.rq in rqs)


def _claim(raw: dict) -> Claim:
    head = {k: raw[k] for k in ("id", "rq", "population", "kind", "sentence_nl")}
    spec = {k: v for k, v in raw.items() if k not in head and k != "published"}
    return Claim(published=raw.get("published"), spec=spec, **head)


@cache
def load_registry() -> Registry:
    """Read the claims registry shipped with the package (survey and, when present, qualitative claims)."""
    main = load_yaml(REGISTRY_FILES[0])
    claims = [_claim(c) for c in main["claims"]]
    for extra in REGISTRY_FILES[1:]:
        if resource_path(extra).exists():
            claims += [_claim(c) for c in load_yaml(extra)["claims"]]
    ids = [c.id for c in claims]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ValueError(f"claims registry: duplicated ids {duplicates}")
    claims.sort(key=lambda c: RQ_ORDER.index(c.rq))
    return Registry(claims=tuple(claims), rules=main["rules"], models=main["models"])
