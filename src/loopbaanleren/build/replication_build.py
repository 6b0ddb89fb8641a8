"""What a build adds for a replication: the comparison chapter (``--compare-with``) and the preregistration check
(``--preregistration``, see :mod:`loopbaanleren.build.preregistration`).

The comparison puts this build's ledger (``results/claims.csv``) beside another ledger, or beside the published
values: a build on one's own data compares with those unless ``--compare-with`` names another ledger. It is
written to ``results/vergelijking.csv`` and ``.md`` and shown as the page *Vergelijking* after the ledger, a
page generated into the staged book (so it goes through the book's normal build, warnings as errors). Both
are recorded in ``results/provenance.json`` (``comparison``, ``preregistration``) and shown in the colophon.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd

from loopbaanleren.book import cells, escape, ledger_comparison
from loopbaanleren.book.formatting import fmt_n
from loopbaanleren.book.report import table_block_html
from loopbaanleren.build.preregistration_check import check_build, read_preregistration
from loopbaanleren.data.manifest import sha256_file
from loopbaanleren.data.registry import load_registry
from loopbaanleren.errors import CompendiumError

COMPARISON_PAGE = "vergelijking"
AFTER = "90_claims"
"""The comparison page follows the ledger in the table of contents."""


def check_source(key: str, value: object, problems: list[str]) -> object:
    """A checked ``preregistration`` (a JSON file) or ``compare_with`` (a ledger, a results folder, or
    ``published``); a problem is appended when it is not one."""
    if key == "compare_with" and value == ledger_comparison.PUBLISHED:
        return value
    try:
        path = Path(value).expanduser().resolve() if isinstance(value, (str, Path)) and str(value) else None
    except ValueError:
        path = None
    if path is None:
        problems.append(f"{key}: expected a file path, got {value!r}")
        return None
    if key == "preregistration":
        try:
            read_preregistration(path)
        except CompendiumError as exc:
            problems.append(f"preregistration: {exc}")
        return path
    try:
        ledger_comparison.read_ledger(path)
    except CompendiumError as exc:
        problems.append(f"compare_with: {exc}")
    return str(path)


def comparison_source(compare_with: str | None, own_data: bool) -> str | None:
    """What this build's ledger is compared with: ``compare_with``, else the published values on own data."""
    return compare_with or (ledger_comparison.PUBLISHED if own_data else None)


def compare(results: Path, source: str) -> dict | None:
    """Compare ``results/claims.csv`` with ``source``; write ``vergelijking.csv`` and ``.md`` into ``results``.

    Returns the provenance entry (what was compared, its SHA-256, counts, the changed ids), None when this build
    made no ledger (a partial book without the ledger chapter).
    """
    if not (results / ledger_comparison.LEDGER_FILE).is_file():
        return None
    other = ledger_comparison.read_ledger(source)
    table = ledger_comparison.compare_ledgers(other, ledger_comparison.read_ledger(results))
    ledger_comparison.write_comparison(table, results, other.name, "deze build")
    changed = table.loc[table["changed"], "id"].to_list()
    entry = {"with": source, "claims": len(table), "changed": len(changed), "changed_ids": changed}
    if source != ledger_comparison.PUBLISHED:
        entry["sha256"] = sha256_file(ledger_comparison.ledger_file(source))
    return entry


def _insert_after(node: object, after: str, entry: dict) -> bool:
    """Put ``entry`` after the toc entry ``file: after`` (in place); whether it was found."""
    if isinstance(node, list):
        for i, item in enumerate(node):
            if isinstance(item, dict) and item.get("file") == after:
                node.insert(i + 1, entry)
                return True
            if _insert_after(item, after, entry):
                return True
    elif isinstance(node, dict):
        return any(_insert_after(value, after, entry) for value in node.values())
    return False


def short_name(source: str) -> str:
    """How the book names a compared ledger: its file or folder with the folder above it (``golf1/results``)."""
    path = Path(source)
    return "/".join(path.parts[-2:]) if len(path.parts) > 1 else path.name


def _number(text: str) -> float | None:
    """A number of the comparison's CSV; None for an empty cell."""
    return float(text) if text else None


def _number_cell(text: str) -> cells.Shown | str:
    """An estimate of the comparison's CSV as a cell: Dutch decimals on the page, the number in the download; a
    text (a mode) as it is."""
    try:
        return cells.Shown(float(text), text.replace(".", ","))
    except ValueError:
        return text


def comparison_page(record: dict, results: Path) -> str:
    """The page *Vergelijking* in MyST Markdown: what was compared, the counts, and the table (escaped HTML)."""
    entry = record["comparison"]
    table = pd.read_csv(results / f"{ledger_comparison.OUTPUT_NAME}.csv", dtype=str, keep_default_na=False)
    table["changed"] = table["changed"] == "true"
    published = entry["with"] == ledger_comparison.PUBLISHED
    other = "de gepubliceerde waarden" if published else f"het overzicht {short_name(entry['with'])}"
    name_a = "gepubliceerd" if published else "vergeleken"
    shown = ledger_comparison.readable_table(table, name_a, "deze build")
    for suffix, name in (("a", name_a), ("b", "deze build")):  # Dutch decimals on the page, the download's numbers
        estimate, interval = (f"{ledger_comparison.HEADER_NL[key]} {name}" for key in ("estimate", "interval"))
        shown[estimate] = [_number_cell(text) for text in shown[estimate]]
        shown[interval] = [
            cells.Parts(((cells.LOW, _number(low), ""), (cells.HIGH, _number(high), "")), text.replace(".", ","))
            for text, low, high in zip(shown[interval], table[f"ci_low_{suffix}"], table[f"ci_high_{suffix}"])
        ]
    block = table_block_html(shown, f"Beweringen: {other} en deze build", name="vergelijking")
    lines = [
        "# Vergelijking",
        "",
        f"Deze pagina zet elke bewering van deze build naast {escape.markdown_text(other)}: het oordeel, "
        "de schatting en het interval in beide, en of het oordeel veranderde. "
        + ("De gepubliceerde waarden zijn de beweringen zoals het oorspronkelijke onderzoek ze deed (elk oordeel "
           "*gereproduceerd*, de schatting het gepubliceerde getal). " if published else "")
        + f"Van de {fmt_n(entry['claims'])} beweringen veranderde bij {fmt_n(entry['changed'])} het oordeel. "
        "Dezelfde tabel staat in `results/vergelijking.csv` en `results/vergelijking.md`.",
        "",
        " ".join(block.split("\n")),  # one HTML block: no blank line may end it early
        "",
    ]
    return "\n".join(lines)


def stage_pages(stage: Path, toc: dict, record: dict, results: Path) -> dict:
    """Write the comparison page into the staged book when this build compared; the table of contents with it."""
    if not record.get("comparison"):
        return toc
    (stage / f"{COMPARISON_PAGE}.md").write_text(comparison_page(record, results), encoding="utf-8")
    if not _insert_after(toc, AFTER, {"file": COMPARISON_PAGE}):
        chapters = toc["parts"][-1]["chapters"] if toc.get("parts") else toc.setdefault("chapters", [])
        chapters.append({"file": COMPARISON_PAGE})
    return toc


def provenance_text(record: dict) -> str:
    """The colophon's lines on the comparison and the preregistration check (empty when there was neither)."""
    lines = []
    check = record.get("preregistration")
    if check:
        deviations = check["deviations"]
        lines += [
            "",
            "## Preregistratie",
            "",
            f"Gecontroleerd tegen {escape.markdown_text(check['file'])} (SHA-256 `{check['sha256']}`): "
            f"{check['as_preregistered']} van de {check['claims']} beweringen zijn geanalyseerd zoals gepreregistreerd"
            + (f"; {len(deviations)} afwijkingen:" if deviations else "; geen afwijkingen."),
            "",
            *(f"- {escape.markdown_text(line)}" for line in deviations),
        ]
        lines += ["", "| Omvang | Gepland | Bereikt |", "|---|---|---|"]
        lines += [f"| {key} | {fmt_n(size['planned'])} | {fmt_n(size['reached'])} |" for key, size in check["sizes"].items()]
    entry = record.get("comparison")
    if entry:
        what = "de gepubliceerde waarden" if entry["with"] == ledger_comparison.PUBLISHED else short_name(entry["with"])
        lines += [
            "",
            "## Vergeleken",
            "",
            f"Vergeleken met {escape.markdown_text(what)}: {entry['changed']} van de {entry['claims']} "
            "oordelen veranderd (zie [Vergelijking](vergelijking.md)).",
        ]
    return "\n".join(lines)


def book_key_part(record: dict) -> str:
    """What the comparison and the preregistration check add to the book's cache key."""
    import json

    return json.dumps([record.get("comparison"), record.get("preregistration")], sort_keys=True, default=str)



def extend_record(record: dict, params, inputs: dict, results: Path, check=None) -> None:
    """Add this build's preregistration ``check`` and comparison (its files written into ``results``) to the
    provenance ``record``."""
    if check is not None:
        record["preregistration"] = check.record()
    own = any(not data.synthetic for role, data in inputs.items() if role != "interviews")
    source = comparison_source(params.compare_with, own)
    if source:
        entry = compare(results, source)
        if entry:
            record["comparison"] = entry


def reached_sizes(inputs: dict) -> dict[str, int]:
    """The numbers of students, counsellors and hogescholen (of the students) in the data a build reads."""
    cluster = load_registry().rules["cluster_variable"]
    sizes = {}
    for role in ("students", "counsellors"):
        if role in inputs:
            column = pd.read_csv(inputs[role].path, usecols=[cluster])[cluster]
            sizes[f"n_{role}"] = len(column)
            if role == "students":
                sizes["hogescholen"] = int(column.nunique())
    return sizes


def check_preregistration(params, inputs: dict):
    """The build's check against ``params.preregistration`` (:func:`loopbaanleren.build.preregistration_check.check_build`)
    and the parameters with each claim's status (``preregistered``, for the ledger); ``(None, params)`` without
    a preregistration."""
    if params.preregistration is None:
        return None, params
    check = check_build(params.preregistration, params.alpha, reached_sizes(inputs))
    return check, replace(params, preregistered=check.per_claim)
