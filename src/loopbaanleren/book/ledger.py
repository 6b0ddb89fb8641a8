"""The claims ledger: every registry claim with its published value, computed value and verdict.

The research-question chapters evaluate their claims with :func:`loopbaanleren.book.chapter_claims.evaluate_chapter`, which
saves them as ``claims_<rq>.csv`` in the build's results folder. The ledger (notebook ``90_claims``, run after
the chapters) reads those files, evaluates the qualitative claims itself through the same
:func:`~loopbaanleren.claims.evaluate.evaluate_claims`, and gives every registry claim one row, in registry order. A
claim whose chapter did not run in this build, or that its chapter did not compute, is ``not_computable`` with
the reason; so is a claim the data cannot carry (a missing variable, an absent or small sector).

``results/claims.csv`` (:func:`claims_csv`) is the ledger in a fixed form a reviewer can diff between runs:
columns :data:`CSV_COLUMNS`; numbers with four decimals (shares as proportions); ``verdict`` one of
reproduced, not_reproduced, undecided, not_computable; ``estimate`` the computed number (empty for a text
result); ``p_adjusted`` empty where no test belongs to the claim; ``derived`` true/false; ``data`` "synthetic"
or the user's file name(s); ``reason`` a short Dutch phrase; for a ``not_computable`` claim, ``computed`` holds
the reason too. Totals (:func:`verdict_counts`) count only claims that are not derived.
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import jupytext
import pandas as pd
from docutils.nodes import fully_normalize_name, make_id

from loopbaanleren.book.chapter_claims import LABELS_NL, TEXT_KINDS, claims_table
from loopbaanleren.data.registry import RQ_ORDER, Claim, load_registry
from loopbaanleren.errors import BuildError
from loopbaanleren.book.claim_text import with_text
from loopbaanleren.claims.context import Context
from loopbaanleren.claims.evaluate import QUALITATIVE_RQ, RESULT_COLUMNS, evaluate_claims, not_computable_row
from loopbaanleren.book import cells
from loopbaanleren.book.formatting import MISSING
from loopbaanleren.book.glue_keys import CLAIM_PARTS, RQ_COUNTS, claim_key, rq_key
from loopbaanleren.book.chapter_graph import ChapterGraph, chapter_graph
from loopbaanleren.book.preregistered import preregistered_nl
from loopbaanleren.book.escape import html_text
from loopbaanleren.book.report import link_html, save_result
from loopbaanleren.book.verdict_text import VERDICT_NL
from loopbaanleren.claims.verdicts import VERDICTS
from loopbaanleren.data.simulation import not_decidable

CSV_COLUMNS = (
    "id", "rq", "population", "kind", "claim_nl", "published", "computed", "verdict",
    "n", "estimate", "ci_low", "ci_high", "p_adjusted", "margin", "derived", "data", "reason",
)
NUMERIC_COLUMNS = ("ci_low", "ci_high", "p", "p_adjusted", "n", "margin")

ROBUSTNESS_FILE = "robustness.csv"
"""Saved by the multiverse chapter (92_robuustheid): per claim the share of specifications that reproduce it."""
NOT_RUN = "hoofdstuk {chapter} is in deze build niet uitgevoerd"
NOT_IN_CHAPTER = "niet berekend in hoofdstuk {chapter}"

_GLUE_ROLE = re.compile(r"\{glue(?::text|:any|:md)?\}`([^`]+)`")
_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")


def result_path(results_dir: str | Path, rq: str) -> Path:
    """Where a chapter saves the claims of research question ``rq``."""
    return Path(results_dir) / f"claims_{rq.lower()}.csv"


def read_chapter_results(results_dir: str | Path | None) -> pd.DataFrame:
    """The claims the chapters saved in ``results_dir``, typed as :func:`evaluate_claims` returns them."""
    frames = []
    for rq in RQ_ORDER:
        path = result_path(results_dir, rq) if results_dir else None
        if path is not None and path.is_file():
            frames.append(_read_result_file(path))
    if not frames:
        return pd.DataFrame(columns=RESULT_COLUMNS)
    return pd.concat(frames, ignore_index=True)


def _read_result_file(path: Path) -> pd.DataFrame:
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in RESULT_COLUMNS if c not in raw.columns]
    if missing:
        raise BuildError(f"{path.name}: not a chapter's claims file (missing columns {', '.join(missing)})")
    table = raw[list(RESULT_COLUMNS)].astype(object)
    for column in NUMERIC_COLUMNS:
        table[column] = pd.to_numeric(raw[column].replace("", None), errors="coerce")
    table["computed"] = [
        None if not text else text if kind in TEXT_KINDS else float(text)
        for kind, text in zip(raw["kind"], raw["computed"])
    ]
    table["derived"] = raw["derived"].str.lower() == "true"
    return table


def assemble(
    results_dir: str | Path | None,
    interviews: pd.DataFrame | None,
    alpha: float = 0.05,
    min_cell: int = 10,
    claims: Iterable[Claim] | None = None,
    graph: ChapterGraph | None = None,
) -> pd.DataFrame:
    """The ledger: the chapters' results in ``results_dir`` and the qualitative claims evaluated on ``interviews``;
    ``graph`` names the chapter of each research question (default: :func:`~loopbaanleren.book.chapter_graph.chapter_graph`)."""
    claims = list(claims if claims is not None else load_registry())
    computed = read_chapter_results(results_dir)
    qualitative = [c for c in claims if c.rq == QUALITATIVE_RQ]
    if qualitative:
        evaluated = with_text(evaluate_claims(Context({"interviews": interviews}, alpha, min_cell), qualitative))
        computed = pd.concat([computed, evaluated], ignore_index=True) if len(computed) else evaluated
    return with_robustness(collect(computed, claims, graph), results_dir)


def with_robustness(ledger: pd.DataFrame, results_dir: str | Path | None) -> pd.DataFrame:
    """The ledger with a ``robustness`` column (the share of a claim's specifications in which it is reproduced)
    when the multiverse chapter saved ``robustness.csv`` in ``results_dir``; unchanged otherwise."""
    path = Path(results_dir) / ROBUSTNESS_FILE if results_dir else None
    if path is None or not path.is_file():
        return ledger
    shares = pd.read_csv(path).set_index("id")["robustness"]
    return ledger.assign(robustness=ledger["id"].map(shares))


def collect(computed: pd.DataFrame, claims: Iterable[Claim] | None = None, graph: ChapterGraph | None = None
            ) -> pd.DataFrame:
    """One row per registry claim, in registry order: its computed row, or ``not_computable`` with the reason (naming
    the claim's chapter in ``graph``, default :func:`~loopbaanleren.book.chapter_graph.chapter_graph`)."""
    claims = list(claims if claims is not None else load_registry())
    graph = graph or chapter_graph()
    found = {row["id"]: row for row in computed.to_dict("records")}
    ran = set(computed["rq"])
    rows = []
    for claim in claims:
        if claim.id in found:
            row = found[claim.id] | {"published": claim.published, "claim_nl": claim.sentence_nl}
        else:
            chapter = graph.chapter_of(claim.rq)
            reason = (NOT_IN_CHAPTER if claim.rq in ran else NOT_RUN).format(chapter=chapter)
            row = not_computable_row(claim, reason)
        rows.append(row)
    return pd.DataFrame(rows, columns=RESULT_COLUMNS)


def plain(value) -> str:
    """A value as ``claims.csv`` writes it: empty when missing, whole numbers as such, others with four decimals."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, numbers.Integral):
        return str(int(value))
    return f"{float(value):.4f}"


DATA_ROLES = {"students": ("students",), "counsellors": ("counsellors",), "both": ("students", "counsellors")}


def data_label(population: str, rq: str, sources: dict[str, str]) -> str:
    """What a claim was computed on: "synthetic" or the file name(s), from ``sources`` (role -> label)."""
    roles = ("interviews",) if rq == QUALITATIVE_RQ else DATA_ROLES[population]
    return " + ".join(dict.fromkeys(sources.get(role, "") for role in roles))


def claims_csv(ledger: pd.DataFrame, sources: dict[str, str] | None = None) -> pd.DataFrame:
    """The ledger as ``results/claims.csv`` holds it: the columns ``CSV_COLUMNS``, every cell as fixed text.

    ``sources`` maps students / counsellors / interviews to "synthetic" or the user's file name.
    """
    sources = sources or {}
    table = pd.DataFrame(index=ledger.index)
    for column in CSV_COLUMNS:
        table[column] = ledger[column] if column in ledger else ""
    table["published"] = [plain(v) for v in ledger["published"]]
    table["computed"] = [
        reason if verdict == "not_computable" else plain(value)
        for value, verdict, reason in zip(ledger["computed"], ledger["verdict"], ledger["reason"])
    ]
    table["estimate"] = [plain(v) if isinstance(v, numbers.Real) else "" for v in ledger["computed"]]
    for column in ("n", "ci_low", "ci_high", "p_adjusted", "margin"):
        table[column] = [plain(int(v) if column == "n" and pd.notna(v) else v) for v in ledger[column]]
    table["derived"] = ["true" if bool(v) else "false" for v in ledger["derived"].fillna(False)]
    table["data"] = [data_label(pop, rq, sources) for pop, rq in zip(ledger["population"], ledger["rq"])]
    table["reason"] = ledger["reason"].fillna("")
    if "robustness" in ledger:
        table["robustness"] = [plain(v) for v in ledger["robustness"]]
    if "preregistered" in ledger:  # a build checked against a preregistration (loopbaanleren.build.preregistration)
        table["preregistered"] = ledger["preregistered"]
    return table.astype(str)


def write_claims_csv(ledger: pd.DataFrame, results_dir: str | Path, sources: dict[str, str] | None = None) -> Path:
    """Write ``claims.csv`` into ``results_dir`` (see :func:`claims_csv`) and return its path."""
    return save_result(claims_csv(ledger, sources), "claims", results_dir)


def on_simulated_data(ledger: pd.DataFrame, sources: dict[str, str] | None) -> pd.Series:
    """Per claim, whether it was computed (in part) on simulated data, in a book on the user's own data; all False
    when no source is the user's own (a book on simulated data only)."""
    sources = sources or {}
    if all(label == SYNTHETIC for label in sources.values()):
        return pd.Series(False, index=ledger.index)
    labels = [data_label(pop, rq, sources) for pop, rq in zip(ledger["population"], ledger["rq"])]
    return pd.Series([SYNTHETIC in label.split(" + ") for label in labels], index=ledger.index)


SYNTHETIC = "synthetic"
"""The data label of a simulated source (see :func:`data_label`)."""


def with_design_reasons(ledger: pd.DataFrame, sources: dict[str, str], scenario: str) -> pd.DataFrame:
    """The ledger with, for an *onbeslist* claim computed on simulated data of the default scenario that the
    simulation parameters list as not decidable by the original design
    (:func:`loopbaanleren.data.simulation.not_decidable`), that reason before the rule's: "<design>; <rule>".
    Other claims, the null scenario and own data keep the rule's reason."""
    if scenario != "default":
        return ledger
    reasons = not_decidable()
    rows = zip(ledger["id"], ledger["population"], ledger["rq"], ledger["verdict"], ledger["reason"])
    return ledger.assign(reason=[
        f"{reasons[claim_id]}; {reason}" if verdict == "undecided" and claim_id in reasons
        and data_label(population, rq, sources) == SYNTHETIC else reason
        for claim_id, population, rq, verdict, reason in rows
    ])


def verdict_counts(ledger: pd.DataFrame, simulated: pd.Series | None = None) -> pd.DataFrame:
    """Per research question (registry order): the number of claims and of each verdict, derived claims left out;
    with ``simulated`` (:func:`on_simulated_data`) the claims computed on simulated data are not counted but
    given in a column ``simulated`` of their own."""
    independent = ledger[~ledger["derived"].fillna(False).astype(bool)]
    flagged = (simulated if simulated is not None else pd.Series(False, index=ledger.index)).reindex(independent.index)
    own = independent[~flagged.astype(bool)]
    counts = pd.crosstab(own["rq"], own["verdict"]).reindex(columns=list(VERDICTS), fill_value=0)
    rqs = [rq for rq in RQ_ORDER if rq in set(independent["rq"])]
    counts = counts.reindex(rqs, fill_value=0)
    counts.insert(0, "claims", counts.sum(axis=1))
    if simulated is not None and flagged.any():
        counts["simulated"] = independent[flagged.astype(bool)].groupby("rq").size().reindex(rqs, fill_value=0)
    return counts.rename_axis("rq").reset_index()


def summary_line(row) -> str:
    """One research question's counts in Dutch: ``"RQ1: 17 van 17 gereproduceerd"`` (plus what did not, and the
    claims on simulated data, which are not counted)."""
    line = f"{row['rq']}: {row['reproduced']} van {row['claims']} {VERDICT_NL['reproduced']}"
    rest = [f"{row[v]} {VERDICT_NL[v]}" for v in VERDICTS[1:] if row[v]]
    line += f" ({', '.join(rest)})" if rest else ""
    if row.get("simulated", 0):
        line += f"; {row['simulated']} op gesimuleerde data, niet meegeteld"
    return line


# ---------------------------------------------------------------------------------------------- chapters


@dataclass(frozen=True)
class ChapterOutline:
    """A chapter's title and, per glue key in its text, the id of the section where the key first appears."""

    title: str | None
    sections: dict[str, str]

    def section_of(self, claim_id: str, rq: str | None = None) -> str | None:
        """The section that shows the claim: the first one pasting one of its keys (a chapter showing any of them
        computes the claim), else the one pasting the counts of its research question ``rq`` (the section of the
        chapter's claims table)."""
        keys = {claim_key(claim_id, part) for part in CLAIM_PARTS}
        counts = {rq_key(rq, count) for count in RQ_COUNTS} if rq else set()
        for wanted in (keys, counts):
            section = next((section for key, section in self.sections.items() if key in wanted), None)
            if section:
                return section
        return None


def outline(source: str) -> ChapterOutline:
    """The outline of a chapter from its jupytext percent source; section ids as Sphinx makes them (the title
    heading's text is the page's, not a section's)."""
    title, current, sections = None, None, {}
    for cell in jupytext.reads(source, fmt="py:percent").cells:
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            heading = _HEADING.match(line)
            if heading:
                text = re.sub(r"[*`]", "", heading.group(2))
                current = make_id(fully_normalize_name(text)) if len(heading.group(1)) > 1 else None
                title = title or text
            for role in _GLUE_ROLE.findall(line):
                if "::" not in role and current:
                    sections.setdefault(role.split(":")[0], current)
    return ChapterOutline(title, sections)


def chapter_links(
    ledger: pd.DataFrame, notebooks_dir: str | Path, chapters: Iterable[str], graph: ChapterGraph | None = None
) -> dict[str, tuple[str, str]]:
    """Per claim, the link to where it is computed: ``(href, chapter title)``; none for a chapter that is not one
    of ``chapters`` (the notebooks this build runs, so the pages of its book).

    The href points at the chapter section that shows the claim, else the one with the table of its research
    question's claims (its page when no section does); ``graph`` names the chapter of each research question
    (default: :func:`~loopbaanleren.book.chapter_graph.chapter_graph`).
    """
    chapters = set(chapters)
    by_rq = (graph or chapter_graph()).by_research_question()
    outlines = {}
    for name in set(by_rq.values()):
        path = Path(notebooks_dir) / f"{name}.py"
        if path.is_file():
            outlines[name] = outline(path.read_text(encoding="utf-8"))
    links = {}
    for row in ledger.itertuples(index=False):
        chapter = by_rq[row.rq]
        if chapter not in outlines or chapter not in chapters:
            continue
        section = outlines[chapter].section_of(row.id, row.rq)
        href = f"{chapter}.html" + (f"#{section}" if section else "")
        links[row.id] = (href, outlines[chapter].title or chapter)
    return links


def ledger_table(ledger: pd.DataFrame, links: dict[str, tuple[str, str]], simulated: pd.Series | None = None
                 ) -> pd.DataFrame:
    """The ledger as the book shows it: per claim its question, sentence, test, values, verdict and chapter link;
    with ``simulated`` (:func:`on_simulated_data`, some claims on simulated data) a column ``data`` saying which
    claims rest on simulated data.

    The summary sentence is shown once for a run of claims that share it; show the table with
    ``formats={"hoofdstuk": link_html}``.
    """
    table = claims_table(ledger).rename(columns={"bewering": LABELS_NL["expected_nl"]})
    sentences = ledger["claim_nl"].where(ledger["claim_nl"] != ledger["claim_nl"].shift(), "")
    table.insert(1, "vraag", ledger["rq"].to_list())
    table["bewering"] = sentences.to_list()
    if "robustness" in ledger:
        table[LABELS_NL["robustness"]] = [cells.pct(v) for v in ledger["robustness"]]
    if "preregistered" in ledger:
        table["gepreregistreerd"] = [preregistered_nl(v) for v in ledger["preregistered"]]
    table["hoofdstuk"] = [links.get(claim_id) for claim_id in ledger["id"]]
    # what a reader looks for first (verdict and numbers) before the long texts
    first = [LABELS_NL[key] for key in ("subject", "verdict", "computed", "ci", "p_adjusted", "n", "published")]
    first.insert(1, "vraag")
    if simulated is not None and simulated.any():
        table.insert(0, "data", ["gesimuleerd" if flag else "eigen data" for flag in simulated])
        first.insert(2, "data")
    return table[first + [c for c in table.columns if c not in first]]


MAIN_COLUMNS = ("id", "bewering", LABELS_NL["published"], LABELS_NL["computed"], LABELS_NL["verdict"])
"""The ledger's main table: what a reader looks up, narrow enough to read without scrolling sideways."""
IN_CLAIM = (LABELS_NL["subject"], LABELS_NL["expected_nl"], "bewering")
"""Columns of :func:`ledger_table` that the main table's *bewering* cell shows (the summary's sentence in its details)."""


@dataclass(frozen=True)
class ClaimCell:
    """A main-table cell: what the claim is about, what the data must show, and the claim's other columns."""

    subject: str
    tested: str
    details: tuple[tuple[str, object], ...]


def ledger_main_table(ledger: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """The ledger's main table (:data:`MAIN_COLUMNS`), one row per row of ``table`` (:func:`ledger_table` of
    ``ledger``): the claim id, the claim (its subject and what the data must show, with the summary's sentence and
    every other column of ``table`` as its details), the published and the found value and the verdict. Show it
    with ``formats={"bewering": claim_cell_html}``."""
    rest = [column for column in table.columns if column not in MAIN_COLUMNS + IN_CLAIM]
    sentences = ledger["claim_nl"].fillna("").to_list()
    rows = table.to_dict("records")
    claims = [
        ClaimCell(row[LABELS_NL["subject"]], row[LABELS_NL["expected_nl"]],
                  (("samenvatting", sentence), *((column, row[column]) for column in rest)))
        for row, sentence in zip(rows, sentences)
    ]
    main = pd.DataFrame({"id": ledger["id"].to_list(), "bewering": claims})
    for column in MAIN_COLUMNS[2:]:
        main[column] = table[column].to_list()
    return main


def claim_cell_html(cell: ClaimCell) -> str:
    """A :class:`ClaimCell` as HTML: the claim in one line, its details in a ``<details>`` element (open in print);
    a link ``(href, text)`` among them as a link, every text escaped. The toggle's word comes from the style sheet,
    so that the table's filter and the printed row's text hold only the claim's own words."""
    def value(shown: object) -> str:
        if isinstance(shown, tuple):
            return link_html(shown)
        missing = shown == "" if isinstance(shown, str) else shown is None or bool(pd.isna(shown))
        return MISSING if missing else html_text(str(shown))

    details = "".join(f"<dt>{html_text(label)}:</dt><dd>{value(shown)}</dd>" for label, shown in cell.details)
    return (f'<span class="ll-claim-subject">{html_text(cell.subject)}</span>: {html_text(cell.tested)}'
            f'<details class="ll-row-details"><summary></summary><dl>{details}</dl></details>')
