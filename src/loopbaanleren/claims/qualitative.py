"""The claims of the qualitative summary and how each is checked against coded segments.

Kinds (counts are numbers of interviews):

* ``n_interviews``: the number of interviews;
* ``mentioned_by``: interviews mentioning ``code``, or any code of ``theme``;
* ``all_mentioned``: every code of ``codes`` (or of ``theme``) meets the target; the computed value is the
  count of the least-mentioned code.

The target is ``published`` ± ``tolerance`` (default 0) or a minimum ``at_least``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd
import yaml

from loopbaanleren.errors import InputError, ParameterError
from loopbaanleren.claims.phrases import Phrase
from loopbaanleren.claims.qualitative_analysis import presence_matrix
from loopbaanleren.data.coding_frame import CodingFrame, load_coding_frame
from loopbaanleren.resources import resource_path

DEFAULT_CLAIMS = "claims_qualitative.yaml"
KINDS = ("n_interviews", "mentioned_by", "all_mentioned")
_REQUIRED = ("id", "rq", "population", "sentence_nl", "kind")
_TARGETS = {"n_interviews": (), "mentioned_by": ("code", "theme"), "all_mentioned": ("codes", "theme")}


def load_qualitative_claims(path: str | Path | None = None) -> list[dict]:
    """Read and check a qualitative claims file (mapping with key ``claims``); default the compendium's own."""
    path = Path(path) if path is not None else resource_path(DEFAULT_CLAIMS)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: claims file not found") from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise InputError(f"{path.name}: cannot read claims ({str(exc).splitlines()[0]})") from None
    claims = data.get("claims") if isinstance(data, dict) else None
    if not isinstance(claims, list) or not claims:
        raise InputError(f"{path.name}: expected a mapping with a non-empty list 'claims'")
    problems = [f"{path.name}: {line}" for claim in claims for line in _claim_problems(claim)]
    ids = [claim.get("id") for claim in claims if isinstance(claim, dict)]
    duplicates = sorted({str(i) for i in ids if ids.count(i) > 1})
    if duplicates:
        problems.append(f"{path.name}: duplicate claim id(s): {', '.join(duplicates)}")
    if problems:
        raise InputError("\n".join(problems))
    return claims


def evaluate_qualitative_claim(claim: Mapping, segments: pd.DataFrame, frame: CodingFrame | None = None) -> dict:
    """Verdict on one claim: ``computed``, ``n`` (interviews), ``reproduced`` (None when not computable),
    ``reason`` (why not computable, else None) and a ``detail``, both phrases
    (:class:`~loopbaanleren.claims.phrases.Phrase`) that the book words.

    ``claim`` is an entry of the claims file, or a registry ``Claim`` (``loopbaanleren.data.registry``).
    """
    claim = _as_dict(claim)
    problems = _claim_problems(claim)
    if problems:
        raise ParameterError("\n".join(problems))
    frame = frame or load_coding_frame()
    presence = presence_matrix(segments, frame)
    n = presence.shape[1]
    if n == 0:
        return _not_computable(n, Phrase("no_interviews_in_data"))
    if claim["kind"] == "n_interviews":
        return _verdict(claim, n, n, Phrase("interviews", n=n))

    codes = _target_codes(claim, frame)
    unknown = [code for code in codes if code not in presence.index]
    if unknown:
        return _not_computable(n, Phrase("unknown_codes", codes=tuple(unknown)))
    if not codes:
        return _not_computable(n, Phrase("unknown_theme", theme=claim["theme"]))
    if claim["kind"] == "mentioned_by":
        count = int(presence.loc[codes].max().sum())
        what = frame.codes.at[codes[0], "label_nl"] if "code" in claim else frame.themes.at[claim["theme"], "label_nl"]
        return _verdict(claim, count, n, Phrase("mentioned", label=what, count=count, n=n))

    counts = presence.loc[codes].sum(axis=1)
    least = counts.idxmin()
    not_met = [code for code, count in counts.items() if not _meets(claim, count)]
    detail = Phrase("codes_met", not_met=tuple(frame.codes.at[code, "label_nl"] for code in not_met), codes=len(codes),
                    least=frame.codes.at[least, "label_nl"], count=int(counts[least]), n=n)
    return _verdict(claim, int(counts[least]), n, detail, reproduced=not not_met)


def evaluate_qualitative_claims(
    segments: pd.DataFrame, claims: list[Mapping] | None = None, frame: CodingFrame | None = None
) -> pd.DataFrame:
    """All claims (default: the compendium's) with their verdicts, one row per claim, indexed by claim id."""
    claims = [_as_dict(claim) for claim in (claims if claims is not None else load_qualitative_claims())]
    rows = [
        {"id": claim["id"], "sentence_nl": claim["sentence_nl"], "published": _published_text(claim),
         **evaluate_qualitative_claim(claim, segments, frame)}
        for claim in claims
    ]
    return pd.DataFrame(rows).set_index("id")


def _published_text(claim: dict) -> str:
    """The published target as short text: ``10``, ``10 ± 1`` or ``≥ 1``."""
    if "at_least" in claim:
        return f"≥ {claim['at_least']}"
    tolerance = claim.get("tolerance", 0)
    return f"{claim['published']} ± {tolerance}" if tolerance else str(claim["published"])


def _as_dict(claim: object) -> dict:
    """A claim as a plain mapping; registry ``Claim`` objects (fields plus ``spec``) are flattened."""
    if isinstance(claim, Mapping):
        return dict(claim)
    flat = {key: getattr(claim, key) for key in _REQUIRED} | dict(claim.spec)
    if claim.published is not None:
        flat["published"] = claim.published
    return flat


def _target_codes(claim: dict, frame: CodingFrame) -> list[str]:
    if "theme" in claim:
        return frame.code_ids(claim["theme"])
    return [claim["code"]] if "code" in claim else list(claim["codes"])


def _meets(claim: dict, count: int) -> bool:
    if "at_least" in claim:
        return count >= claim["at_least"]
    return abs(count - claim["published"]) <= claim.get("tolerance", 0)


def _verdict(claim: dict, computed: int, n: int, detail: Phrase, reproduced: bool | None = None) -> dict:
    if reproduced is None:
        reproduced = _meets(claim, computed)
    return {"computed": computed, "n": n, "reproduced": bool(reproduced), "reason": None, "detail": detail}


def _not_computable(n: int, reason: Phrase) -> dict:
    return {"computed": None, "n": n, "reproduced": None, "reason": reason, "detail": None}


def _count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _claim_problems(claim: object) -> list[str]:
    """One line per structural problem of a claim entry (not whether its codes exist: that depends on the frame)."""
    if not isinstance(claim, dict):
        return [f"claim entry is not a mapping: {claim!r}"]
    where = f"claim '{claim.get('id', '?')}'"
    problems = [f"{where}: missing '{key}'" for key in _REQUIRED if not claim.get(key)]
    kind = claim.get("kind")
    if kind and kind not in KINDS:
        problems.append(f"{where}: unknown kind '{kind}' (known: {', '.join(KINDS)})")
    elif kind:
        given = [key for key in _TARGETS[kind] if key in claim]
        if _TARGETS[kind] and len(given) != 1:
            problems.append(f"{where}: kind '{kind}' needs exactly one of {', '.join(_TARGETS[kind])}")
        if "codes" in given and not (isinstance(claim["codes"], list) and claim["codes"]):
            problems.append(f"{where}: 'codes' must be a non-empty list")
    targets = [key for key in ("published", "at_least") if key in claim]
    if len(targets) != 1:
        problems.append(f"{where}: needs exactly one of 'published' or 'at_least'")
    problems += [f"{where}: '{key}' must be a whole number >= 0" for key in (*targets, "tolerance")
                 if key in claim and not _count(claim[key])]
    return problems
