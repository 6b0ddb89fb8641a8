"""A hypothesis as the pattern of its predictions: each prediction's published outcome, and whether the claim of
its model cell (an effect or a non-effect) is found as published.

These functions read outcomes already evaluated; :func:`loopbaanleren.claims.evaluate.prediction_pattern`
evaluates the cells' research question and calls them.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from loopbaanleren.claims import verdicts
from loopbaanleren.claims.context import NotComputable, Outcome
from loopbaanleren.claims.phrases import Phrase
from loopbaanleren.data.registry import Claim, load_registry

OUTCOMES = ("supported", "not_supported", "contrary", "open")
"""What a prediction of a hypothesis can come to."""


def hypothesis_label(consistent: int, total: int) -> str:
    """Label of a hypothesis from the number of its predictions that are supported: "confirmed" (all),
    "rejected" (none) or "partly_confirmed"."""
    if consistent == total:
        return "confirmed"
    return "rejected" if consistent == 0 else "partly_confirmed"


def published_outcome(prediction: dict, cell: Claim) -> str:
    """What the summary reports for a prediction, from its model cell's claim: "supported" (an effect of the
    predicted sign), "contrary" (an effect of the other sign) or "not_supported" (a non-effect).

    >>> cell = load_registry().get("h2_lr_ai")
    >>> published_outcome({"outcome": "arbeidsidentiteit", "predictor": "loopbaanreflectie", "sign": "+"}, cell)
    'contrary'
    """
    if cell.kind == "null_effect":
        return "not_supported"
    return "supported" if cell["sign"] == prediction["sign"] else "contrary"


def prediction_cells(claim: Claim) -> dict[tuple[str, str], Claim]:
    """The claim of each prediction's model cell, by (predictor, outcome); NotComputable when one has none."""
    cells = {(c["predictor"], c["outcome"]): c for c in load_registry()
             if c.kind in ("effect", "null_effect") and c.get("model") == claim["model"]}
    missing = [(p["predictor"], p["outcome"]) for p in claim["predictions"] if (p["predictor"], p["outcome"]) not in cells]
    if missing:
        raise NotComputable("no_cell_claim", cells=tuple(missing))
    return cells


def pattern(claim: Claim, cells: Mapping[tuple[str, str], Claim], outcomes: Mapping[str, Outcome | Phrase],
            adjusted: Mapping[str, float], decided: Mapping[str, str], alpha: float) -> pd.DataFrame:
    """One row per prediction of ``claim``: ``predictor``, ``outcome``, ``sign``, ``cell`` (the claim id),
    ``published``, ``beta``, ``p_adjusted``, ``verdict`` (of the cell, from ``decided``), ``found`` and
    ``as_published``.

    A prediction is found as published when its cell's claim is reproduced. Otherwise the found outcome is
    "supported" or "contrary" when β is significant after correction (by its sign against the predicted one),
    and "open" when the cell is undecided.
    """
    rows = []
    for prediction in claim["predictions"]:
        cell = cells[(prediction["predictor"], prediction["outcome"])]
        published = published_outcome(prediction, cell)
        out = outcomes[cell.id]
        if isinstance(out, Phrase):
            verdict, beta, p_adj, found = "not_computable", np.nan, np.nan, "open"
        else:
            verdict, beta, p_adj = decided[cell.id], out.computed, adjusted.get(cell.id)
            if verdict == "reproduced":
                found = published
            elif p_adj is not None and p_adj < alpha:
                found = "supported" if (beta > 0) == (prediction["sign"] == "+") else "contrary"
            else:
                found = "open" if verdict == "undecided" else "not_supported"
        rows.append({"predictor": prediction["predictor"], "outcome": prediction["outcome"], "sign": prediction["sign"],
                     "cell": cell.id, "published": published, "beta": beta, "p_adjusted": p_adj, "verdict": verdict,
                     "found": found, "as_published": verdict == "reproduced"})
    return pd.DataFrame(rows)


def hypothesis_outcome(claim: Claim, predictions: pd.DataFrame) -> Outcome:
    """Derived: a hypothesis is reproduced when its published pattern is, i.e. every prediction's published
    outcome (supported, not supported, contrary; :func:`published_outcome`) is found as published
    (``predictions``: :func:`pattern`). Not reproduced when a cell's claim is not reproduced; undecided when
    some are undecided and none is contradicted. So "deels bevestigd" fails both on data without the effects and
    on data where every prediction holds (that pattern is "bevestigd"). The label found (bevestigd / deels
    bevestigd / verworpen) counts the predictions found supported.
    """
    total, agree = len(predictions), int(predictions["as_published"].sum())
    open_ = int((predictions["found"] == "open").sum())
    supported = int((predictions["found"] == "supported").sum())
    label = Phrase("hypothesis_label", low=hypothesis_label(supported, total),
                   high=hypothesis_label(supported + open_, total))
    verdict_list = list(predictions["verdict"])
    contradicted = "not_reproduced" in verdict_list
    agree_all = False if contradicted else (True if agree == total else None)
    published = predictions["published"].value_counts().to_dict()
    return Outcome(
        computed=label, n=None, decision=verdicts.derived(verdict_list if not contradicted else ["not_reproduced"], agree_all),
        expected=Phrase("hypothesis_pattern", label=claim.published, counts=published),
        found=Phrase("hypothesis_found", as_published=agree, total=total, undecided=open_,
                     counts=predictions["found"].value_counts().to_dict(), label=label),
    )
