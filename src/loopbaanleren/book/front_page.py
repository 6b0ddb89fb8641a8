"""The front page: both summaries in their authors' words, with this build's numbers and verdicts in the margin.

The summaries' text is a resource (``resources/summaries/*.md``, read by :mod:`loopbaanleren.book.summary_text`);
``resources/front_page.yaml`` says which sentence carries which claims (:func:`load_template`). The ledger
notebook renders the page (:func:`front_page_blocks`) to HTML blocks and glues each under
``samenvatting_<section>`` (:data:`SECTIONS`); ``book/index.md`` pastes them with the ``{glue}`` directive and
``:doc: 90_claims.ipynb``. The blocks are HTML because myst-nb 1.4 pastes only text/plain, text/html and images
across pages (``{glue:md}`` works only inside the notebook that glued it).

The page opens with the notice on the data (synthetic, or the user's own files with their checksums), a legend
of the marks and the scorecard (:mod:`loopbaanleren.book.scorecard`). Then every line of both summaries, as
written: a sentence carrying claims gets one note in the margin with its numbers and verdict mark
(:mod:`loopbaanleren.book.margin_notes`), a sentence without a claim a visible context mark. On the user's own
data the same text stands with the verdicts on those data; claims resting on simulated data are flagged and not
counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from functools import cache, cached_property
from pathlib import Path

import pandas as pd
import yaml

from loopbaanleren.book.build_labels import SCENARIO_NL
from loopbaanleren.book.escape import html_text
from loopbaanleren.book.formatting import fmt_n
from loopbaanleren.book.glue_keys import summary_key
from loopbaanleren.book.margin_notes import claims_note, context_mark, legend_html, mention_note, span
from loopbaanleren.book.report import LEDGER_PAGE, download_links
from loopbaanleren.book.scorecard import scorecard_html
from loopbaanleren.book.summary_text import Summary, Unit, load_summaries
from loopbaanleren.book.verdict_text import VERDICT_NL
from loopbaanleren.data.codebook import POPULATIONS, load_codebook
from loopbaanleren.data.coding_frame import load_coding_frame
from loopbaanleren.data.registry import load_registry
from loopbaanleren.resources import resource_path

TEMPLATE = "front_page.yaml"
SECTIONS = ("overzicht", "oordelen", "management", "kwalitatief")
"""The page's blocks in order: the notice and legend, the scorecard, then each summary (their ids). ``index.md``
gives the scorecard a heading of its own: with it the page has a table of contents, whose sidebar the theme's
script hides while a margin note is in view (without one, that script fails)."""
KEYS = {"claims", "explains", "mention", "sic", "sentence"}
CAVEAT = (
    "Wat dit wel en niet laat zien: het model dat de synthetische data trekt, is gekalibreerd op deze "
    "samenvatting zelf. Dat een bewering hier gereproduceerd wordt, laat zien dat de analyses terugvinden wat "
    "in het model is gestopt, en dat de berekening van elke bewering werkt; het zegt niets over de vraag of "
    "het oorspronkelijke onderzoek klopt of elders herhaald zou worden. Dat kan alleen een build op echte "
    "gegevens laten zien: met eigen data toetst dit boek elke bewering opnieuw."
)
"""The plain caveat above a front page built on synthetic data."""


# ---------------------------------------------------------------------------------------------- template


@dataclass(frozen=True)
class Entry:
    """What a line of a summary carries: the claims it asserts, the claims it only explains, the code of the
    coding frame it names, and its typos with their reading."""

    claims: tuple[str, ...] = ()
    explains: tuple[str, ...] = ()
    mention: str | None = None
    sic: tuple[tuple[str, str], ...] = ()


def expand(patterns, where: str) -> tuple[str, ...]:
    """Claim ids matching the ids or fnmatch patterns (a list or comma-separated), in registry order; each must match."""
    items = [p.strip() for p in patterns.split(",")] if isinstance(patterns, str) else [str(p) for p in patterns]
    ids = [claim.id for claim in load_registry()]
    found = []
    for pattern in items:
        matched = [i for i in ids if fnmatchcase(i, pattern)]
        if not matched:
            raise ValueError(f"{TEMPLATE}, {where}: '{pattern}' matches no claim of the registry")
        found += matched
    return tuple(dict.fromkeys(found))


def _locate(summary: Summary, fragment: str, file: str) -> int:
    """The index of the one line of ``summary`` holding ``fragment``; an error naming both when there is not one."""
    hits = [i for i, unit in enumerate(summary.units) for _ in range(unit.text.count(fragment))]
    if len(hits) != 1:
        where = "no line" if not hits else f"{len(hits)} places"
        raise ValueError(f"{file}: the fragment '{fragment}' is found in {where} of {summary.file}; "
                         "give a fragment of exactly one sentence")
    return hits[0]


def _entry(raw: dict, unit: Unit, where: str) -> Entry:
    unknown = set(raw) - KEYS
    if unknown:
        raise ValueError(f"{where}: unknown key(s) {', '.join(sorted(unknown))} (known: {', '.join(sorted(KEYS))})")
    mention = raw.get("mention")
    if mention is not None and mention not in load_coding_frame().codes.index:
        raise ValueError(f"{where}: mention '{mention}' is no code of the coding frame")
    sic = tuple((str(typo), str(reading)) for typo, reading in raw.get("sic", []))
    for typo, _ in sic:
        if typo not in unit.text:
            raise ValueError(f"{where}: sic '{typo}' does not occur in the sentence")
    return Entry(expand(raw.get("claims", []), where) if raw.get("claims") else (),
                 expand(raw.get("explains", []), where) if raw.get("explains") else (), mention, sic)


def parse_template(data: dict, file: str = TEMPLATE) -> dict[str, dict[int, Entry]]:
    """Per summary id, per line index, what the line carries, from the mapping ``data`` (``front_page.yaml``)."""
    summaries = {summary.id: summary for summary in load_summaries()}
    template: dict[str, dict[int, Entry]] = {}
    for summary_id, entries in (data or {}).items():
        if summary_id not in summaries:
            raise ValueError(f"{file}: '{summary_id}' is no summary (known: {', '.join(summaries)})")
        found: dict[int, Entry] = {}
        for raw in entries:
            fragment = str(raw.get("sentence", ""))
            index = _locate(summaries[summary_id], fragment, file)
            if index in found:
                raise ValueError(f"{file}: the fragment '{fragment}' names a sentence another entry names too")
            found[index] = _entry(raw, summaries[summary_id].units[index], f"{file}, '{fragment}'")
        template[summary_id] = found
    return template


@cache
def load_template() -> dict[str, dict[int, Entry]]:
    """What each line of the summaries carries (``resources/front_page.yaml``, checked against the summaries)."""
    text = resource_path(TEMPLATE).read_text(encoding="utf-8")
    return parse_template(yaml.safe_load(text), TEMPLATE)


def summarised_claims(template: dict[str, dict[int, Entry]] | None = None) -> tuple[str, ...]:
    """Every claim some sentence asserts, in the summaries' order."""
    template = template if template is not None else load_template()
    return tuple(dict.fromkeys(c for summary in template.values() for index in sorted(summary)
                               for c in summary[index].claims))


@dataclass(frozen=True)
class DataFile:
    """A survey file the build read: its population, name, number of rows, checksum, and whether it is simulated."""

    population: str
    file: str
    n: int
    sha256: str
    synthetic: bool
    absent: bool = False  # left out by the user (--no-students / --no-counsellors)

    @classmethod
    def of(cls, frame: pd.DataFrame) -> DataFile:
        """From the ``attrs`` that :func:`loopbaanleren.data.survey_files.read_survey` sets."""
        attrs = frame.attrs
        if attrs.get("absent"):
            return cls(attrs["population"], "niet gegeven", 0, "", False, absent=True)
        name = Path(attrs["source"]).name
        return cls(attrs["population"], name, len(frame), attrs["sha256"], bool(attrs["synthetic"]))


@dataclass(frozen=True)
class Page:
    """What the front page is rendered from: the ledger, the chapter links, the data files and facts."""

    ledger: pd.DataFrame
    links: dict[str, tuple[str, str]]
    files: tuple[DataFile, ...]
    facts: dict[str, int]
    scenario: str = "default"
    mentions: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Per code of the coding frame: (interviews mentioning it, interviews)."""
    simulated_interviews: bool = False
    """True when the interview study's claims rest on simulated interviews."""
    alpha: float = 0.05
    """The build's significance level (it fills in the rules the details quote)."""

    @property
    def replication(self) -> bool:
        """True when any survey file is the user's own (not simulated)."""
        return any(not f.synthetic and not f.absent for f in self.files)

    def on_simulated_data(self, claim_id: str) -> bool:
        """In a book on own data: whether the claim rests (in part) on simulated data (never counted with own)."""
        if not self.replication:
            return False
        row = self.row(claim_id)
        if row["rq"] == "KWAL":
            return self.simulated_interviews
        roles = {"both": POPULATIONS}.get(row["population"], (row["population"],))
        return any(f.synthetic for f in self.files if f.population in roles)

    @cached_property
    def _by_id(self) -> pd.DataFrame:
        return self.ledger.set_index("id")

    def row(self, claim_id: str) -> pd.Series:
        """The ledger row of a claim."""
        return self._by_id.loc[claim_id]


def data_facts(data: dict[str, pd.DataFrame]) -> dict[str, int]:
    """The facts the summary states about its data: both sample sizes and the number of hogescholen."""
    hogescholen = pd.concat([data[p]["hogeschool"] for p in POPULATIONS]).dropna().nunique()
    return {"n_students": len(data["students"]), "n_counsellors": len(data["counsellors"]),
            "n_hogescholen": hogescholen}


def make_page(
    ledger: pd.DataFrame,
    links: dict,
    data: dict[str, pd.DataFrame],
    scenario: str = "default",
    mentions: pd.DataFrame | None = None,
    simulated_interviews: bool = False,
    alpha: float = 0.05,
) -> Page:
    """The page of a build from its ledger, chapter links, survey data (as ``load_survey_data`` returns it), the
    scenario of the simulated data (see :func:`loopbaanleren.data.simulation.scenario_parameters`), the coded
    interviews' counts per code (``qualitative.mention_counts``), whether those interviews are simulated, and
    the build's ``alpha``."""
    counts = {} if mentions is None else {
        code: (int(row.n_mentioned), int(row.n_interviews)) for code, row in mentions.iterrows()
    }
    files = tuple(DataFile.of(data[p]) for p in POPULATIONS)
    return Page(ledger, links, files, data_facts(data), scenario, counts, simulated_interviews, alpha)


def counts_text(ids: tuple[str, ...], page: Page) -> str:
    """'k van de n beweringen gereproduceerd, ...' for a set of claims, as HTML; derived claims are not counted."""
    ids = tuple(i for i in ids if not bool(page.row(i).get("derived", False)))
    verdicts = [page.row(i)["verdict"] for i in ids]
    count = {v: span(fmt_n(verdicts.count(v)), "computed") for v in VERDICT_NL}
    return (
        f"{count['reproduced']} van de {span(fmt_n(len(ids)), 'computed')} beweringen {VERDICT_NL['reproduced']}, "
        f"{count['not_reproduced']} {VERDICT_NL['not_reproduced']}, {count['undecided']} {VERDICT_NL['undecided']} "
        f"en {count['not_computable']} {VERDICT_NL['not_computable']}"
    )


def data_frame(files: tuple[DataFile, ...]) -> pd.DataFrame:
    """The survey files of the build: population, file name, N, SHA-256 and origin (Dutch column names)."""
    codebook = load_codebook()
    return pd.DataFrame({
        "Gegevens": [codebook.population(f.population).label_nl for f in files], "Bestand": [f.file for f in files],
        "N": [f.n for f in files], "SHA-256": [f.sha256 for f in files],
        "Herkomst": ["niet gegeven" if f.absent else "synthetisch" if f.synthetic else "eigen data" for f in files],
    })


def data_table_html(files: tuple[DataFile, ...]) -> str:
    """The table of :func:`data_frame`, its computed values marked, with a CSV download."""
    data = data_frame(files)
    rows = "".join(
        f"<tr><td>{html_text(label)}</td><td>{span(file, 'computed')}</td><td>{span(fmt_n(n), 'computed')}</td>"
        f"<td><code>{span(sha, 'computed')}</code></td><td>{origin}</td></tr>"
        for label, file, n, sha, origin in data.itertuples(index=False)
    )
    head = "".join(f"<th>{html_text(column)}</th>" for column in data.columns)
    table = f'<table class="table ll-data"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'
    return table + download_links(data, "gegevens")


def replication_notice(files: tuple[DataFile, ...]) -> str:
    """The 'replicatie op eigen data' notice with the files it rests on."""
    return (
        '<div class="admonition important"><p class="admonition-title">Replicatie op eigen data</p>'
        "<p>Dit boek is gebouwd op eigen data, niet op de gegevens van het oorspronkelijke onderzoek. "
        "Elke bewering uit de samenvatting is op deze bestanden opnieuw getoetst.</p>"
        f"{data_table_html(files)}</div>"
    )


# ---------------------------------------------------------------------------------------------- page


def _sentence_html(unit: Unit, entry: Entry | None) -> str:
    """A line's text, escaped, with a ``[sic: reading]`` mark after each typo the template names."""
    text = html_text(unit.text)
    for typo, reading in entry.sic if entry else ():
        escaped = html_text(typo)
        text = text.replace(escaped, f'{escaped}<span class="ll-sic"> [sic: {html_text(reading)}]</span>', 1)
    return text


def _note(entry: Entry | None, page: Page) -> str:
    if entry and entry.claims:
        return claims_note(entry.claims, page)
    if entry and entry.mention:
        return mention_note(entry.mention, page)
    return context_mark(gloss=bool(entry and entry.explains))


def _unit_html(summary_id: str, index: int, unit: Unit, entry: Entry | None, page: Page) -> str:
    kind = "claim" if entry and entry.claims else "gloss" if entry and entry.explains else (
        "mention" if entry and entry.mention else "context")
    return (f'<span class="ll-s ll-s-{kind}" id="zin-{summary_id}-{index + 1}">{_sentence_html(unit, entry)}</span>'
            f"{_note(entry, page)}")


def summary_html(summary: Summary, template: dict[int, Entry], page: Page) -> str:
    """A summary as HTML: its title and headings, paragraphs, bullets and numbered points in its words, each
    line followed by its note (see :mod:`loopbaanleren.book.margin_notes`)."""
    out, index = [], 0
    for block in summary.blocks:
        lines = []
        for unit in block.units:
            if block.kind == "title":
                lines.append(f'<p class="ll-summary-title">{html_text(unit.text)}</p>')
            elif block.kind == "heading":
                lines.append(f'<p class="ll-summary-heading">{html_text(unit.text)}</p>')
            else:
                lines.append(_unit_html(summary.id, index, unit, template.get(index), page))
            index += 1
        if block.kind in ("bullet", "numbered"):
            items = "".join(f"<li>{line}</li>" for line in lines)
            out.append(f'<ul class="ll-list ll-{block.kind}">{items}</ul>')
        elif block.kind == "paragraph":  # a div, not a p: a note's <details> may not stand inside a paragraph
            out.append(f'<div class="ll-para">{" ".join(lines)}</div>')
        else:
            out.append(lines[0])
    return f'<div class="ll-summary ll-summary-{summary.id}">\n' + "\n".join(out) + "\n</div>"


def _intro(page: Page, claims: tuple[str, ...]) -> str:
    ledger_link = f'<a href="{LEDGER_PAGE}">overzicht van de beweringen</a>'
    guide = (
        "<p>Hieronder staan de managementsamenvatting van het onderzoek en de samenvatting van het kwalitatieve "
        "onderzoek, woord voor woord zoals gepubliceerd (tikfouten gemarkeerd met [sic]). Naast elke zin die een "
        "bewering doet, staat in de marge (op een smal scherm: achter de zin) het gepubliceerde en het gevonden "
        "getal en één oordeel over de beweringen van die zin; het oordeel opent <em>hoe getoetst</em>: elke "
        f"bewering met een link naar haar rij in het {ledger_link}.</p>"
    )
    if page.replication:
        simulated = tuple(c for c in claims if page.on_simulated_data(c))
        own = tuple(c for c in claims if c not in simulated)
        counted = [c for c in simulated if not bool(page.row(c).get("derived", False))]  # as counts_text counts
        left_out = (f" De {span(fmt_n(len(counted)), 'computed')} beweringen op gesimuleerde data "
                    f"({counts_text(simulated, page)}) tellen hier niet mee." if simulated else "")
        head = "\n".join([
            replication_notice(page.files),
            "<p>De oordelen op deze pagina gelden voor deze data, niet voor de gegevens van het oorspronkelijke "
            "onderzoek: de tekst is die van de samenvatting, het oordeel ernaast zegt of de bewering op deze data "
            f"standhoudt.</p><p class=\"ll-totals\">Over de hele samenvatting: {counts_text(own, page)}.{left_out}</p>",
        ])
    else:
        counts = {p: span(fmt_n(page.facts[f"n_{p}"]), "computed", fact=f"n_{p}") for p in POPULATIONS}
        head = (
            '<div class="admonition attention"><p class="admonition-title">Synthetische data</p>'
            f"<p>De getallen op deze pagina tonen {SCENARIO_NL[page.scenario]}, niet de oorspronkelijke enquête: ze "
            f"zijn berekend op {counts['students']} gesimuleerde studenten en {counts['counsellors']} gesimuleerde "
            f"studieloopbaanbegeleiders.</p><p>{CAVEAT}</p></div>"
            f"<p class=\"ll-totals\">Over de hele samenvatting: {counts_text(claims, page)}.</p>"
        )
    return "\n".join([head, guide, legend_html()])


def front_page_blocks(page: Page, template: dict[str, dict[int, Entry]] | None = None) -> dict[str, str]:
    """The page's HTML blocks under their glue keys (``samenvatting_<section>``, :data:`SECTIONS`)."""
    template = template if template is not None else load_template()
    blocks = {summary_key("overzicht"): f'<div class="ll-front">\n{_intro(page, summarised_claims(template))}\n</div>',
              summary_key("oordelen"): f'<div class="ll-front">\n{scorecard_html(page)}\n</div>'}
    for summary in load_summaries():
        blocks[summary_key(summary.id)] = summary_html(summary, template.get(summary.id, {}), page)
    return blocks
