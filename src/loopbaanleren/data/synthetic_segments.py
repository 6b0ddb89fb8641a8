"""Synthetic coded segments for the ten alumni interviews, from the model in the coding frame's ``synthetic_model``.

The model (assumptions of this compendium, documented in ``resources/coding_frame.yaml``):

* interviews A01..A10; for each code exactly ``mentioned_by[code]`` alumni, drawn at random, mention it;
* each mention by the first coder yields ``1 + Poisson(extra_segments)`` segments;
* the second coder codes ``double_coded`` interviews drawn at random; per interview and code the second
  coder's presence differs from the first coder's with probability ``disagreement``.

The segment text is a neutral placeholder, never an invented quotation, and every row says it is synthetic.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from loopbaanleren.errors import ParameterError
from loopbaanleren.data.coding_frame import CodingFrame, load_coding_frame

PLACEHOLDER = "[synthetisch segment]"
_KEYS = ("interviews", "coders", "double_coded", "disagreement", "extra_segments", "mentioned_by")


def is_synthetic(path: str | Path) -> bool:
    """Whether a segments file is a simulated one: its name contains ``synthetic`` (see :func:`write_synthetic_segments`).

    >>> is_synthetic("data/interviews_synthetic.csv"), is_synthetic("mijn_interviews.csv")
    (True, False)
    """
    return "synthetic" in Path(path).name


def write_synthetic_segments(
    path: str | Path, seed: int = 2026, frame: CodingFrame | None = None, scenario: str = "default"
) -> Path:
    """Write a deterministic synthetic coded-segments CSV (UTF-8, comma) and return its path.

    ``scenario="null"`` (the negative control): each code is mentioned by the contrary number of alumni,
    ``interviews - mentioned_by[code]``.

    The file name must contain ``synthetic`` so the data can never pass for real interviews.
    """
    path = Path(path)
    if not is_synthetic(path):
        raise ParameterError(f"{path.name}: the file name of synthetic segments must contain 'synthetic'")
    if not (_whole(seed) or isinstance(seed, np.integer)):
        raise ParameterError(f"seed must be an integer, got {seed!r}")
    frame = frame or load_coding_frame()
    segments = synthetic_segments(seed, frame, scenario)
    path.parent.mkdir(parents=True, exist_ok=True)
    segments.to_csv(path, index=False, encoding="utf-8")
    return path


def synthetic_segments(seed: int, frame: CodingFrame, scenario: str = "default") -> pd.DataFrame:
    """The synthetic segments as a table (columns of the segments file plus ``comment``)."""
    model = _checked_model(frame)
    if scenario == "null":
        model = model | {"mentioned_by": {code: model["interviews"] - k for code, k in model["mentioned_by"].items()}}
    elif scenario != "default":
        raise ParameterError(f"scenario: unknown scenario {scenario!r}; choose one of default, null")
    rng = np.random.default_rng(seed)
    interviews = [f"A{i:02d}" for i in range(1, model["interviews"] + 1)]
    first = pd.DataFrame(0, index=frame.code_ids(), columns=interviews)
    for code in first.index:
        chosen = rng.choice(len(interviews), size=model["mentioned_by"][code], replace=False)
        first.iloc[first.index.get_loc(code), chosen] = 1
    double = sorted(rng.choice(len(interviews), size=model["double_coded"], replace=False))
    second = first.iloc[:, double]
    second = second ^ (rng.random(second.shape) < model["disagreement"])

    coder_1, coder_2 = model["coders"]
    rows = []
    for coder, presence in ((coder_1, first), (coder_2, second)):
        for interview in presence.columns:
            mentioned = presence.index[presence[interview] == 1]
            n_segments = 1 + rng.poisson(model["extra_segments"], size=len(mentioned))
            codes = np.repeat(mentioned, n_segments)
            rows += [
                {"interview": interview, "code": code, "coder": coder,
                 "segment_id": f"{interview}-{coder}-{k:03d}", "segment": PLACEHOLDER}
                for k, code in enumerate(codes, start=1)
            ]
    table = pd.DataFrame(rows).sort_values(["interview", "coder"], kind="stable")
    scenario_note = "" if scenario == "default" else f", scenario {scenario}"
    table["comment"] = f"synthetische data (seed {seed}{scenario_note}); geen echte interviewgegevens"
    return table.reset_index(drop=True)


def _checked_model(frame: CodingFrame) -> dict:
    model = frame.synthetic_model
    where = f"{frame.path.name}, synthetic_model"
    problems = [f"{where}: missing '{key}'" for key in _KEYS if key not in model]
    if problems:
        raise ParameterError("\n".join(problems))
    n = model["interviews"]
    if not (_whole(n) and n >= 1):
        raise ParameterError(f"{where}: 'interviews' must be a positive whole number, got {n!r}")
    mentioned = model["mentioned_by"] if isinstance(model["mentioned_by"], dict) else {}
    problems += [f"{where}: 'mentioned_by' lacks code '{code}'" for code in frame.code_ids() if code not in mentioned]
    problems += [f"{where}: 'mentioned_by' has unknown code '{code}'"
                 for code in mentioned if code not in frame.codes.index]
    problems += [f"{where}: mentioned_by '{code}' must be a whole number 0..{n}, got {k!r}"
                 for code, k in mentioned.items() if not (_whole(k) and 0 <= k <= n)]
    if not (_whole(model["double_coded"]) and 0 <= model["double_coded"] <= n):
        problems.append(f"{where}: 'double_coded' must be a whole number 0..{n}")
    if not (isinstance(model["coders"], list) and len(model["coders"]) == 2 and len(set(model["coders"])) == 2):
        problems.append(f"{where}: 'coders' must list two different coder ids")
    if not (_number(model["disagreement"]) and 0 <= model["disagreement"] <= 1):
        problems.append(f"{where}: 'disagreement' must be a probability (0..1)")
    if not (_number(model["extra_segments"]) and model["extra_segments"] >= 0):
        problems.append(f"{where}: 'extra_segments' must be a number >= 0")
    if problems:
        raise ParameterError("\n".join(problems))
    return model


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
