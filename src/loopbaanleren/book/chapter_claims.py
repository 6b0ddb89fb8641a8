"""What every research-question chapter does with its claims: evaluate, glue, tabulate, save.

A chapter evaluates the registry claims of its research question(s) once, through
:func:`loopbaanleren.claims.evaluate.evaluate_claims`, and then shows each claim's number, interval and verdict.
Glue keys per claim (:func:`loopbaanleren.book.glue_keys.claim_key`; usable across pages as
``{glue:text}`NN_name.ipynb::<key>```):

* ``<id>``: the computed value in Dutch format (a percentage, a score, a coefficient or a short text);
* ``<id>_uitslag``: the value, its 95% confidence interval, the Holm-adjusted p and the verdict in one text
  (:func:`format_outcome`, e.g. "3,34 [3,28; 3,40]; p < 0,001; gereproduceerd");
* ``<id>_gepubliceerd``: the published value from the registry, in the same format.

Per research question also ``<rq>_n_claims`` and ``<rq>_n_reproduced`` (e.g. ``rq1_n_reproduced``,
:func:`~loopbaanleren.book.glue_keys.rq_key`), counting only claims that are not derived.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from loopbaanleren.data.registry import load_registry
from loopbaanleren.book.claim_labels import claim_label
from loopbaanleren.data.shared_readings import read_survey_shared
from loopbaanleren.book.glue_keys import claim_key, rq_key
from loopbaanleren.claims.context import Context
from loopbaanleren.claims.evaluate import evaluate_claims
from loopbaanleren.book.claim_text import with_text
from loopbaanleren.book import cells
from loopbaanleren.book.formatting import MISSING, fmt_ci, fmt_n, fmt_num, fmt_p, fmt_pct
from loopbaanleren.book.report import glue_value, save_result
from loopbaanleren.book.verdict_text import VERDICT_NL

SHARE_KINDS = {"percentage", "share_bound"}
TEXT_KINDS = {"mode", "same_mode", "hypothesis", "mentioned_by", "all_mentioned"}
"""Kinds whose computed value is a text (a rank claim's value is its difference with the next sector)."""


COUNT_KINDS = {"n_interviews", "mentioned_by", "all_mentioned"}
"""Kinds whose value is a number of interviews: shown without decimals."""

LABELS_NL = {
    "subject": "onderwerp", "expected_nl": "getoetst", "published": "gepubliceerd", "computed": "gevonden",
    "ci": "95%-BI", "p_adjusted": "p (Holm)", "n": "n", "verdict": "oordeel", "rule": "regel", "margin": "marge",
    "robustness": "robuust",
}
"""Dutch names of a claim's fields, as the chapters' tables, the ledger and the front page's details show them."""


def format_value(kind: str, value) -> str:
    """A claim's computed value as Dutch text, in the unit its kind speaks of (counts without decimals)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return MISSING
    if kind in COUNT_KINDS:
        try:
            return fmt_n(float(value))
        except (TypeError, ValueError):
            return str(value)
    if kind in TEXT_KINDS or isinstance(value, str):
        return str(value)
    return fmt_pct(value) if kind in SHARE_KINDS else fmt_num(value)


def format_ci(kind: str, low, high) -> str:
    """A claim's interval as Dutch text, ``[low; high]``, in percentages for share kinds; a dash when missing."""
    if low is None or high is None or pd.isna(low) or pd.isna(high):
        return MISSING
    if kind in SHARE_KINDS:
        return f"[{fmt_pct(low)}; {fmt_pct(high)}]"
    return fmt_ci(low, high)


CLAIM_UNITS = {"percentage": cells.SHARE, "share_bound": cells.SHARE, "effect": cells.BETA, "null_effect": cells.BETA,
               "level": cells.SCALE_SCORE, "mean": cells.SCALE_SCORE, "group_level": cells.SCALE_SCORE,
               "n_interviews": cells.COUNT, "mentioned_by": cells.COUNT, "all_mentioned": cells.COUNT}
"""The unit of a claim's value by its kind, as a download's data dictionary names it (other kinds: a number)."""


def value_cell(kind: str, value, shown: str) -> cells.Shown | str:
    """A claim's value as a table cell: ``shown`` (its Dutch text) on the page, the number in the download; a
    text value (a mode) stays text."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return shown
    return cells.Shown(None if pd.isna(number) else number, shown, CLAIM_UNITS.get(kind, ""))


def ci_cell(kind: str, low, high) -> cells.Parts:
    """A claim's interval as a table cell: :func:`format_ci` on the page, its two bounds in the download."""
    unit = CLAIM_UNITS.get(kind, "")
    missing = low is None or high is None or pd.isna(low) or pd.isna(high)
    bounds = (None, None) if missing else (float(low), float(high))
    return cells.Parts(((cells.LOW, bounds[0], unit), (cells.HIGH, bounds[1], unit)), format_ci(kind, low, high))


def format_margin(kind: str, margin) -> str:
    """A margin around a claim's value as Dutch text, in percentage points for share kinds; a dash when none.

    >>> format_margin("percentage", 0.0859), format_margin("mean", 0.25)
    ('±8,6 procentpunt', '±0,25')
    """
    if margin is None or pd.isna(margin):
        return MISSING
    if kind in SHARE_KINDS:
        return f"±{fmt_num(100 * margin, 1)} procentpunt"
    return f"±{fmt_num(margin)}"


def verdict_text(verdict: str, reason: str) -> str:
    """A verdict in Dutch with its reason in brackets: ``gereproduceerd (significant ...)``."""
    return VERDICT_NL[verdict] + (f" ({reason})" if reason else "")


def format_published(kind: str, published) -> str:
    """A claim's published value as Dutch text in the unit of its kind; a dash when the summary gives none."""
    if published is None or (isinstance(published, float) and pd.isna(published)):
        return MISSING
    if kind in {"percentage"}:
        return fmt_pct(published)
    return format_value(kind, published)


def format_outcome(row: Mapping[str, object]) -> str:
    """A claim's result row (:data:`loopbaanleren.claims.evaluate.RESULT_COLUMNS`) as one Dutch text: the value with
    its interval, the Holm-adjusted p and the verdict; a part the claim does not have is left out, and so is the
    interval of a text value (a mode's interval is that of a difference in shares, not of the answer).

    >>> format_outcome({"kind": "level", "computed": 3.3449, "ci_low": 3.28, "ci_high": 3.4,
    ...                 "p_adjusted": 0.0004, "verdict": "reproduced"})
    '3,34 [3,28; 3,40]; p < 0,001; gereproduceerd'
    >>> format_outcome({"kind": "mode", "computed": "1 tot 4 keer per jaar", "ci_low": 0.55, "ci_high": 0.62,
    ...                 "p_adjusted": None, "verdict": "undecided"})
    '1 tot 4 keer per jaar; onbeslist'
    """
    kind = row["kind"]
    interval = MISSING if kind in TEXT_KINDS else format_ci(kind, row["ci_low"], row["ci_high"])
    estimate = " ".join(part for part in (format_value(kind, row["computed"]), interval) if part != MISSING)
    parts = (estimate, fmt_p(row["p_adjusted"]), VERDICT_NL[row["verdict"]])
    return "; ".join(part for part in parts if part and part != MISSING)


def load_survey_data(students_path: str, counsellors_path: str, shared_dir: str = "") -> dict[str, pd.DataFrame]:
    """Both survey files, read and validated (see :func:`loopbaanleren.data.survey_files.read_survey`), once per build.

    Within a build the readings are those the build made before the notebooks ran, in the folder ``shared_dir`` it
    passes (:mod:`loopbaanleren.data.shared_readings`).
    """
    return {population: read_survey_shared(path, population, shared_dir)
            for population, path in (("students", students_path), ("counsellors", counsellors_path))}


def evaluate_chapter(ctx: Context, rqs: tuple[str, ...], results_dir: str | Path | None) -> pd.DataFrame:
    """Evaluate the claims of ``rqs`` on the chapter's context, glue their values, and save them as
    ``claims_<rq>.csv`` in ``results_dir``."""
    results = with_text(evaluate_claims(ctx, load_registry().for_rq(*rqs)))
    glue_claims(results)
    if results_dir:
        for rq, part in results.groupby("rq", sort=False):
            save_result(part, f"claims_{rq.lower()}", results_dir)
    return results


def glue_claims(results: pd.DataFrame) -> None:
    """Glue each claim's value, its outcome (:func:`format_outcome`) and its published value, and the counts per
    research question."""
    for row in results.to_dict("records"):
        glue_value(claim_key(row["id"]), format_value(row["kind"], row["computed"]), "text")
        glue_value(claim_key(row["id"], "outcome"), format_outcome(row), "text")
        glue_value(claim_key(row["id"], "published"), format_published(row["kind"], row["published"]), "text")
    for rq, part in results[~results["derived"].fillna(False).astype(bool)].groupby("rq", sort=False):
        glue_value(rq_key(rq, "n_claims"), len(part), "n")
        glue_value(rq_key(rq, "n_reproduced"), int((part["verdict"] == "reproduced").sum()), "n")


def claims_table(results: pd.DataFrame) -> pd.DataFrame:
    """The chapter's claims as a Dutch table: subject, claim, published, found, interval, p (Holm), n, verdict.

    The claim ids are not shown; :func:`loopbaanleren.book.report.show_table` can set them as row anchors.
    """
    label = LABELS_NL
    return pd.DataFrame(
        {
            label["subject"]: [claim_label(i) for i in results["id"]],
            "bewering": results["expected_nl"],
            label["published"]: [value_cell(k, v, format_published(k, v))
                                 for k, v in zip(results["kind"], results["published"])],
            label["computed"]: [value_cell(k, v, format_value(k, v)) for k, v in zip(results["kind"], results["computed"])],
            label["ci"]: [ci_cell(k, lo, hi) for k, lo, hi in zip(results["kind"], results["ci_low"], results["ci_high"])],
            label["p_adjusted"]: [cells.p_value(p) for p in results["p_adjusted"]],
            label["n"]: [cells.count(n) for n in results["n"]],
            label["verdict"]: [verdict_text(v, r) for v, r in zip(results["verdict"], results["reason"])],
        }
    )
