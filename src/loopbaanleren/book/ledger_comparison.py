"""Two claims ledgers side by side, claim by claim: which verdicts changed between two builds.

A ledger is a build's ``results/claims.csv`` (:mod:`loopbaanleren.book.ledger`), given as the file or as the results
folder that holds it; the word ``published`` stands for the original study's published values (every claim of
the registry as the study stated it: verdict *reproduced*, estimate its published number), the first comparison
for a build on one's own data. :func:`compare_ledgers` joins two ledgers on the claim id (A's order, then the
claims only B has); a claim is *changed* when its verdict differs (a claim missing from one ledger counts as
changed). The table is written as CSV and as Markdown (:func:`write_comparison`) and summarised in a few lines
(:func:`summary_lines`).
"""

from __future__ import annotations

import math
import numbers
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from loopbaanleren.book.escape import markdown_text, spreadsheet_frame
from loopbaanleren.errors import ParameterError
from loopbaanleren.book.verdict_text import VERDICT_NL
from loopbaanleren.data.registry import load_registry
from loopbaanleren.book.claim_labels import claim_label

PUBLISHED = "published"
"""The name that stands for the original study's published values instead of a ledger file."""
LEDGER_FILE = "claims.csv"
REQUIRED = ("id", "verdict", "estimate", "ci_low", "ci_high")
"""Columns a ledger must have to be compared (see :data:`loopbaanleren.book.ledger.CSV_COLUMNS`)."""
SIDE_COLUMNS = ("verdict", "estimate", "ci_low", "ci_high")
COLUMNS = ("id", "label", *(f"{c}_a" for c in SIDE_COLUMNS), *(f"{c}_b" for c in SIDE_COLUMNS), "changed")
OUTPUT_NAME = "vergelijking"
"""The comparison's files: ``vergelijking.csv`` and ``vergelijking.md``."""
ABSENT = "absent"
"""The verdict column's value for a claim that one ledger does not hold."""
HEADER_NL = {
    "id": "id", "label": "bewering", "verdict": "oordeel", "estimate": "schatting", "interval": "interval",
    "changed": "veranderd",
}


@dataclass(frozen=True)
class Ledger:
    """A ledger read for comparison: its rows (``REQUIRED`` columns and ``claim_nl``, as text) and its name."""

    table: pd.DataFrame
    name: str


def ledger_file(source: str | Path) -> Path:
    """The ``claims.csv`` a source names: the file itself, or the one in a results folder."""
    path = Path(source)
    return path / LEDGER_FILE if path.is_dir() else path


def published_ledger() -> Ledger:
    """The registry's published values as a ledger: every claim reproduced, its estimate the published number."""
    rows = [
        {
            "id": claim.id,
            "claim_nl": claim.sentence_nl,
            "verdict": "reproduced",
            "estimate": _number_text(claim.published),
            "ci_low": "",
            "ci_high": "",
        }
        for claim in load_registry()
    ]
    return Ledger(pd.DataFrame(rows), "gepubliceerd")


def _number_text(value: object) -> str:
    if isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(value):
        return f"{float(value):.4f}"
    return ""


def read_ledger(source: str | Path) -> Ledger:
    """A ledger from a ``claims.csv``, a results folder, or ``published``; ``ParameterError`` naming the file and
    what is wrong when it is not a ledger."""
    if str(source) == PUBLISHED:
        return published_ledger()
    path = ledger_file(source)
    if not path.is_file():
        raise ParameterError(f"{path}: no claims ledger found (give a claims.csv, a results folder, or '{PUBLISHED}')")
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise ParameterError(f"{path}: not a readable CSV file ({type(exc).__name__})") from None
    missing = [c for c in REQUIRED if c not in table.columns]
    if missing:
        raise ParameterError(f"{path}: not a claims ledger (missing columns {', '.join(missing)})")
    duplicated = sorted(set(table.loc[table["id"].duplicated(), "id"]))
    if duplicated:
        raise ParameterError(f"{path}: claim id(s) listed more than once: {', '.join(duplicated)}")
    if "claim_nl" not in table:
        table["claim_nl"] = ""
    return Ledger(table[["id", "claim_nl", *SIDE_COLUMNS]], str(source))


def _label(claim_id: str, sentences: dict[str, str]) -> str:
    """A claim's Dutch label: what the registry says it is about, else the ledger's sentence."""
    try:
        return claim_label(claim_id)
    except KeyError:
        return sentences.get(claim_id, "")


def compare_ledgers(a: Ledger | pd.DataFrame, b: Ledger | pd.DataFrame) -> pd.DataFrame:
    """Claim by claim: the verdict, estimate and interval in A and in B, and whether the verdict changed.

    Columns :data:`COLUMNS`; rows in A's order, then the claims only B holds; a claim one ledger lacks has the
    verdict ``absent`` there and counts as changed.
    """
    a, b = (x.table if isinstance(x, Ledger) else x for x in (a, b))
    ids = list(dict.fromkeys([*a["id"], *b["id"]]))
    sentences = {}
    for table in (b, a):  # A's sentence where both have one
        if "claim_nl" in table:
            sentences.update(zip(table["id"], table["claim_nl"]))
    sides = {}
    for suffix, table in (("a", a), ("b", b)):
        side = table.set_index("id")[list(SIDE_COLUMNS)].reindex(ids)
        side["verdict"] = side["verdict"].fillna(ABSENT)
        sides[suffix] = side.fillna("").add_suffix(f"_{suffix}")
    out = pd.concat([sides["a"], sides["b"]], axis=1).rename_axis("id").reset_index()
    out.insert(1, "label", [_label(i, sentences) for i in ids])
    out["changed"] = out["verdict_a"] != out["verdict_b"]
    return out[list(COLUMNS)]


def transitions(comparison: pd.DataFrame) -> Counter:
    """How many changed claims went from each verdict in A to each verdict in B."""
    changed = comparison[comparison["changed"]]
    return Counter(zip(changed["verdict_a"], changed["verdict_b"]))


def summary_lines(comparison: pd.DataFrame, name_a: str = "A", name_b: str = "B") -> list[str]:
    """The comparison in a few lines: claims compared, verdicts changed (by transition), the changed ids."""
    changed = comparison.loc[comparison["changed"], "id"].to_list()
    lines = [f"{len(comparison)} claims compared ({name_a} -> {name_b}): {len(changed)} verdicts changed"]
    for (before, after), count in sorted(transitions(comparison).items(), key=lambda item: (-item[1], item[0])):
        lines.append(f"  {before} -> {after}: {count}")
    if changed:
        lines.append("changed: " + ", ".join(changed))
    return lines


def _interval(low: str, high: str) -> str:
    return f"[{low}; {high}]" if low and high else ""


def readable_table(comparison: pd.DataFrame, name_a: str = "A", name_b: str = "B") -> pd.DataFrame:
    """The comparison with Dutch headers and verdicts, estimate and interval per ledger, changed as ja/nee."""
    h = HEADER_NL
    verdict = {**VERDICT_NL, ABSENT: "ontbreekt"}
    table = {h["id"]: comparison["id"], h["label"]: comparison["label"]}
    for suffix, name in (("a", name_a), ("b", name_b)):
        table[f"{h['verdict']} {name}"] = [verdict.get(v, v) for v in comparison[f"verdict_{suffix}"]]
        table[f"{h['estimate']} {name}"] = comparison[f"estimate_{suffix}"]
        table[f"{h['interval']} {name}"] = [
            _interval(lo, hi) for lo, hi in zip(comparison[f"ci_low_{suffix}"], comparison[f"ci_high_{suffix}"])
        ]
    table[h["changed"]] = ["ja" if c else "nee" for c in comparison["changed"]]
    return pd.DataFrame(table)


def markdown(comparison: pd.DataFrame, name_a: str = "A", name_b: str = "B") -> str:
    """The comparison as a Markdown document: a heading, the summary and the table (cells as literal text)."""
    table = readable_table(comparison, name_a, name_b)
    lines = [
        "# Vergelijking van twee overzichten van beweringen",
        "",
        f"A: {markdown_text(name_a)}; B: {markdown_text(name_b)}.",
        "",
        *(f"    {line}" for line in summary_lines(comparison, "A", "B")),
        "",
        "| " + " | ".join(markdown_text(c) for c in table.columns) + " |",
        "|" + "---|" * len(table.columns),
        *("| " + " | ".join(markdown_text(v) for v in row) + " |" for row in table.itertuples(index=False)),
        "",
    ]
    return "\n".join(lines)


def write_comparison(comparison: pd.DataFrame, out: str | Path, name_a: str = "A", name_b: str = "B") -> list[Path]:
    """Write ``vergelijking.csv`` (columns :data:`COLUMNS`) and ``vergelijking.md`` into ``out``; their paths."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    csv, md = out / f"{OUTPUT_NAME}.csv", out / f"{OUTPUT_NAME}.md"
    table = comparison.assign(changed=["true" if c else "false" for c in comparison["changed"]])
    csv.write_text(spreadsheet_frame(table).to_csv(index=False, lineterminator="\n"), encoding="utf-8")
    md.write_text(markdown(comparison, name_a, name_b), encoding="utf-8")
    return [csv, md]
