"""The front page: the management summary, section by section, with this build's numbers, directions and verdicts.

The summary's text is a template (``resources/front_page.yaml``): its sections, paragraphs and sentences in the
summary's order and wording, with placeholders wherever the data decides (numbers, directions, verdicts). The
ledger notebook renders each section to an HTML block (:func:`front_page_blocks`) and glues it under
``samenvatting_<section>``; ``book/index.md`` pastes the blocks with the ``{glue}`` directive and
``:doc: 90_claims.ipynb``. The blocks are HTML because myst-nb 1.4 pastes only text/plain, text/html and images
across pages (``{glue:md}`` works only inside the notebook that glued it).

Two modes. On synthetic data the page tells the summary with the computed numbers (those of the calibrated
model), each sentence followed by its verdict, linked to the chapter section that computes it. On the user's own
data (replicatie op eigen data) it names the files (name, N, SHA-256) and lists per research question and per
hypothesis which of the original claims hold on those data and which do not, instead of repeating the original
conclusions.

Each verdict carries an expandable detail (:func:`detail_html`, an HTML ``<details>``: no script, opened when
the book is printed): per claim the rule that judged it, what was tested and found, n, the corrected p, the
margin where its kind has one and the multiverse's robustness share, under a link to the claim's row in the
ledger. The ledger notebook glues the blocks, so the ledger page is built whenever they are on the page.

In the HTML each value the build computed is a ``span.pasted-text.ll-computed``, each value taken from the claims
registry (published numbers, quoted summary sentences) a ``.ll-published`` and each codebook value a
``.ll-codebook``; the template's own text holds no digits. The values of a detail carry ``data-detail`` (which
field) and ``data-of`` (which claim).
"""

from __future__ import annotations

import numbers
import re
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from functools import cache, cached_property
from pathlib import Path

import pandas as pd

from loopbaanleren.book.chapter_claims import (
    LABELS_NL, format_ci, format_margin, format_published, format_value, verdict_text,
)
from loopbaanleren.book.claim_labels import subject
from loopbaanleren.data.registry import Claim, is_derived, load_registry
from loopbaanleren.data.codebook import POPULATIONS, load_codebook
from loopbaanleren.data.coding_frame import load_coding_frame
from loopbaanleren.book.escape import html_text
from loopbaanleren.book.formatting import MISSING, fmt_n, fmt_num, fmt_p, fmt_pct
from loopbaanleren.book.glue_keys import summary_key
from loopbaanleren.book.build_labels import SCENARIO_NL
from loopbaanleren.book.report import LEDGER_PAGE, download_links, ledger_href
from loopbaanleren.resources import load_yaml
from loopbaanleren.book.rule_tables import reproduced_when
from loopbaanleren.book.verdict_text import VERDICT_NL, family_of

TEMPLATE = "front_page.yaml"
FACTS = ("n_students", "n_counsellors", "n_hogescholen")
PLACEHOLDER = re.compile(r"\{(value|if|categories|fact|range|midpoint|mention|mentions|steps|quoted):([^{}]*)\}")
CLAIM_PLACEHOLDERS = ("value", "if", "categories")
FRAME_PLACEHOLDERS = ("mention", "mentions", "steps")
"""Placeholders filled from the coded interviews: a code's count, a theme's codes with counts, the steps."""
MARKS = {"reproduced": "✓", "not_reproduced": "✗", "undecided": "~", "not_computable": "?"}
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
class Sentence:
    """A sentence of the summary: its template text, the claims it asserts, and whether it only explains them."""

    text: str
    claims: tuple[str, ...]
    gloss: bool = False


@dataclass(frozen=True)
class Section:
    """A section of the summary: its id and its paragraphs of sentences."""

    id: str
    paragraphs: tuple[tuple[Sentence, ...], ...]

    @property
    def claims(self) -> tuple[str, ...]:
        """The claims the section asserts (those of its sentences that are not glosses), in order."""
        found = [c for paragraph in self.paragraphs for s in paragraph if not s.gloss for c in s.claims]
        return tuple(dict.fromkeys(found))


def expand(patterns: str | list[str], where: str) -> tuple[str, ...]:
    """Claim ids matching comma-separated ids or fnmatch patterns, in registry order; each must match."""
    items = [p.strip() for p in patterns.split(",")] if isinstance(patterns, str) else [str(p) for p in patterns]
    ids = [claim.id for claim in load_registry()]
    found = []
    for pattern in items:
        matched = [i for i in ids if fnmatchcase(i, pattern)]
        if not matched:
            raise ValueError(f"{TEMPLATE}, {where}: '{pattern}' matches no claim of the registry")
        found += matched
    return tuple(dict.fromkeys(found))


def _sentence(raw: str | dict, where: str) -> Sentence:
    entry = {"text": raw} if isinstance(raw, str) else raw
    text = entry["text"]
    claims: list[str] = []
    for name, argument in PLACEHOLDER.findall(text):
        if name in CLAIM_PLACEHOLDERS:
            ids = argument.split("|")[0]
            if name == "if" and argument.count("|") != 2:
                raise ValueError(f"{TEMPLATE}, {where}: {{if:{argument}}} needs ids and two alternatives")
            claims += expand(ids, where)
        elif name == "fact" and argument not in FACTS:
            raise ValueError(f"{TEMPLATE}, {where}: unknown fact '{argument}' (known: {', '.join(FACTS)})")
        elif name in FRAME_PLACEHOLDERS:
            _frame_check(name, argument, where)
    if "{" in PLACEHOLDER.sub("", text):
        raise ValueError(f"{TEMPLATE}, {where}: unknown placeholder in '{text}'")
    claims += expand(entry.get("claims", []), where) if entry.get("claims") else ()
    return Sentence(text, tuple(dict.fromkeys(claims)), bool(entry.get("gloss", False)))


@cache
def load_template() -> tuple[Section, ...]:
    """The summary's sections as the front page tells them (see ``resources/front_page.yaml``)."""
    sections = []
    for raw in load_yaml(TEMPLATE)["sections"]:
        paragraphs = tuple(
            tuple(_sentence(s, f"section {raw['id']}, paragraph {p + 1}") for s in paragraph)
            for p, paragraph in enumerate(raw["paragraphs"])
        )
        sections.append(Section(raw["id"], paragraphs))
    return tuple(sections)


# ---------------------------------------------------------------------------------------------- page


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


def _frame_check(name: str, argument: str, where: str) -> None:
    frame = load_coding_frame()
    known = frame.codes.index if name == "mention" else frame.themes.index
    if argument not in known:
        raise ValueError(f"{TEMPLATE}, {where}: {{{name}:{argument}}} names no {'code' if name == 'mention' else 'theme'} "
                         "of the coding frame")


def _mention(code: str, page: Page) -> str:
    n, total = page.mentions.get(code, (None, None))
    text = MISSING if n is None else f"{fmt_n(n)} van de {fmt_n(total)}"
    return _span(text, "computed", mention=code)


def _mentions(theme: str, page: Page, steps: bool = False) -> str:
    """A theme's codes with their counts: ``label (x van de N); ...``, for steps numbered in their order."""
    frame = load_coding_frame()
    codes = frame.steps() if steps else frame.codes
    codes = codes[codes["theme"] == theme]
    items = []
    for code, row in codes.iterrows():
        number = f"{_span(fmt_n(int(row['step'])), 'frame')}. " if steps else ""
        items.append(f"{number}{html_text(str(row['label_nl']))} ({_mention(code, page)})")
    return "; ".join(items)


def _span(text: str, kind: str, **data: str) -> str:
    classes = "pasted-text ll-computed" if kind == "computed" else f"ll-{kind}"
    attributes = "".join(f' data-{k}="{html_text(v)}"' for k, v in data.items())
    return f'<span class="{classes}"{attributes}>{html_text(text)}</span>'


def _tidy(fragment: str) -> str:
    return re.sub(r" {2,}", " ", fragment).strip()


def _numeric(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _value(claim_id: str, page: Page) -> str:
    row = page.row(claim_id)
    shown = _span(format_value(row["kind"], row["computed"]), "computed", claim=claim_id)
    if _numeric(row["published"]):
        shown += f" [gepubliceerd: {_span(format_published(row['kind'], row['published']), 'published')}]"
    return shown


def _categories(claim: Claim) -> str:
    values = load_codebook().variables(claim.population)[claim["variable"]].values
    return _span(" of ".join(values[c] for c in claim["categories"]), "codebook")


def _scale(argument: str, midpoint: bool) -> str:
    population, name = argument.split(".")
    measure = load_codebook().measure(population, name)
    if midpoint:
        middle = (measure.valid_min + measure.valid_max) / 2
        return _span(fmt_num(middle, 0 if float(middle).is_integer() else 1), "codebook")
    return _span(f"{fmt_n(measure.valid_min)}-{fmt_n(measure.valid_max)}", "codebook")


def _reproduced(ids: tuple[str, ...], page: Page) -> bool:
    return all(page.row(i)["verdict"] == "reproduced" for i in ids)


def _contradicted(ids: tuple[str, ...], page: Page) -> bool:
    return any(page.row(i)["verdict"] == "not_reproduced" for i in ids)


def render_text(text: str, page: Page) -> str:
    """A template text as HTML: literal parts escaped, placeholders filled from the page."""
    registry = load_registry()
    parts, end = [], 0
    for match in PLACEHOLDER.finditer(text):
        parts.append(html_text(text[end:match.start()]))
        name, argument = match.groups()
        if name == "value":
            parts.append(_value(argument, page))
        elif name == "if":
            ids, yes, no = argument.split("|")
            parts.append(html_text(no if _contradicted(expand(ids, "text"), page) else yes))
        elif name == "categories":
            parts.append(_categories(registry.get(argument)))
        elif name == "fact":
            parts.append(_span(fmt_n(page.facts[argument]), "computed", fact=argument))
        elif name == "mention":
            parts.append(_mention(argument, page))
        elif name == "quoted":  # the summary's own words that hold a digit (a title, a year)
            parts.append(_span(argument, "published"))
        elif name in ("mentions", "steps"):
            parts.append(_mentions(argument, page, steps=name == "steps"))
        else:
            parts.append(_scale(argument, midpoint=name == "midpoint"))
        end = match.end()
    parts.append(html_text(text[end:]))
    return _tidy("".join(parts))


def verdict_html(ids: tuple[str, ...], page: Page) -> str:
    """The verdict on a sentence's claims, linked to the chapter section computing the first claim that failed
    (or the first claim)."""
    registry = load_registry()
    rows = dict(zip(ids, (page.row(i) for i in ids)))
    by_verdict = {v: [i for i in ids if rows[i]["verdict"] == v] for v in VERDICT_NL}
    failed = by_verdict["not_reproduced"] + by_verdict["undecided"] + by_verdict["not_computable"]
    reasons = {rows[i]["reason"] for i in by_verdict["not_computable"]}
    if not failed:
        text = VERDICT_NL["reproduced"]
    elif len(by_verdict["not_computable"]) == len(ids) and len(reasons) == 1:  # e.g. the chapter did not run
        text = f"{VERDICT_NL['not_computable']} ({reasons.pop()})"
    else:
        problems = []
        for claim_id in failed:
            row, who = rows[claim_id], subject(registry.get(claim_id))
            if row["verdict"] in ("not_reproduced", "undecided"):
                problems.append(f"{who}: {VERDICT_NL[row['verdict']]}, verwacht {row['expected_nl']}, "
                                f"gevonden {row['found_nl']}")
            else:
                problems.append(f"{who}: {VERDICT_NL['not_computable']} ({row['reason']})")
        count = f"{len(by_verdict['reproduced'])} van {len(ids)} {VERDICT_NL['reproduced']}; " if len(ids) > 1 else ""
        text = count + "; ".join(problems)
    status = next((v for v in ("not_reproduced", "undecided", "not_computable") if by_verdict[v]), "reproduced")
    attributes = "".join(f' data-{v.replace("_", "-")}="{" ".join(by_verdict[v])}"' for v in VERDICT_NL)
    inner = f"{MARKS[status]} {_span(text, 'computed')}"
    link = next((page.links[i] for i in [*failed, *ids] if i in page.links), None)
    if link:
        inner = f'<a href="{html_text(link[0])}">{inner}</a>'
    numbers = "; ".join(claim_number_html(i, rows[i]) for i in ids)
    return f'<small class="ll-verdict ll-{status}"{attributes}>({inner}: {numbers}) {detail_html(ids, page)}</small>'


EFFECT_KINDS = {"effect", "null_effect"}
"""Kinds whose value is a standardised coefficient, shown as ``β = ...``."""


MENTION_KINDS = {"mentioned_by", "all_mentioned"}
"""Kinds whose value is a number of interviews out of all, shown as ``x van de N``."""


def claim_number_html(claim_id: str, row: pd.Series) -> str:
    """A claim's number linked to its row in the ledger: the estimate and interval (``β = `` for an effect), the
    interviews out of all (``x van de N``), for a hypothesis what its evaluator found (its predictions borne out)."""
    if row["kind"] == "hypothesis" and isinstance(row["found_nl"], str) and row["found_nl"]:
        value = _span(row["found_nl"], "computed", found=claim_id)
    else:
        value = _span(format_value(row["kind"], row["computed"]), "computed", claim=claim_id)
    if row["kind"] in EFFECT_KINDS:
        value = "β = " + value
    elif row["kind"] in MENTION_KINDS and not pd.isna(row["n"]):
        value += f" van de {_span(fmt_n(int(row['n'])), 'computed', n=claim_id)}"
    interval = format_ci(row["kind"], row["ci_low"], row["ci_high"])
    if interval != MISSING:
        value += " " + _span(interval, "computed", ci=claim_id)
    return f'<a class="ll-claim-link" href="{ledger_href(claim_id)}">{value}</a>'


DETAIL_SUMMARY = "hoe getoetst"
"""What the closed detail of a verdict says."""


def detail_html(ids: tuple[str, ...], page: Page) -> str:
    """The expandable detail of a verdict on ``ids``: per claim, under a link to its ledger row, the rule that
    judged it, what was tested and found, the verdict with its reason, n, the corrected p, the margin where its
    kind has one and the robustness share (when the multiverse chapter ran)."""
    claims = "".join(_claim_detail(claim_id, page) for claim_id in ids)
    return (f'<details class="ll-detail"><summary>{DETAIL_SUMMARY}</summary>'
            f'<span class="ll-detail-body">{claims}</span></details>')


def _claim_detail(claim_id: str, page: Page) -> str:
    claim, row = load_registry().get(claim_id), page.row(claim_id)

    def value(text: str, field: str) -> str:
        return _span(text, "computed", detail=field, of=claim_id)

    lines = []
    family = family_of(claim.kind, is_derived(claim), claim.get("direction") == "near")
    if family:
        bound = load_registry().rules["equivalence_bound"]
        rule = f"{family}: {VERDICT_NL['reproduced']} als {reproduced_when(family, page.alpha, bound)}"
        lines.append((LABELS_NL["rule"], value(rule, "rule")))
    for field, key in (("expected", "expected_nl"), ("found", "found_nl")):
        if isinstance(row[key], str) and row[key]:
            lines.append((LABELS_NL["computed" if field == "found" else key], value(row[key], field)))
    lines.append((LABELS_NL["verdict"], value(verdict_text(row["verdict"], row["reason"]), "verdict")))
    lines.append((LABELS_NL["n"], value(MISSING if pd.isna(row["n"]) else fmt_n(int(row["n"])), "n")))
    lines.append((LABELS_NL["p_adjusted"], value(fmt_p(row["p_adjusted"]), "p")))
    margin = claim_margin(claim, row["margin"])
    if margin:
        lines.append((LABELS_NL["margin"], value(margin, "margin")))
    if "robustness" in page.ledger:
        share = row["robustness"]
        shown = value(MISSING if pd.isna(share) else fmt_pct(share), "robustness")
        lines.append((LABELS_NL["robustness"], f"{shown} van de specificaties {VERDICT_NL['reproduced']}"))
    body = "".join(f'<span class="ll-detail-line"><span class="ll-detail-label">{html_text(label)}</span> '
                   f"{text}</span>" for label, text in lines)
    head = f'<a class="ll-ledger-row" href="{ledger_href(claim_id)}">{html_text(subject(claim))}</a>'
    return f'<span class="ll-detail-claim" data-of="{html_text(claim_id)}">{head}{body}</span>'


def claim_margin(claim: Claim, margin) -> str | None:
    """The margin a claim's kind has, as Dutch text: the evaluator's margin of a point value, the largest
    distance above the midpoint of a "net boven" level, the equivalence bound of a non-effect; None otherwise.

    >>> registry = load_registry()
    >>> claim_margin(registry.get("rq1_s_buiten_telt_niet"), 0.0123), claim_margin(registry.get("h1_studie_lr"), None)
    ('±1,2 procentpunt', '±0,08')
    >>> claim_margin(registry.get("rq1_s_pg_onder"), None) is None
    True
    """
    if claim.kind == "null_effect":
        return format_margin(claim.kind, load_registry().rules["equivalence_bound"])
    if margin is None or pd.isna(margin):
        return None
    if claim.get("max_distance"):
        return f"hooguit {fmt_num(margin)} boven het schaalmidden"
    return format_margin(claim.kind, margin)


def counts_text(ids: tuple[str, ...], page: Page) -> str:
    """'k van de n beweringen gereproduceerd, ...' for a set of claims, as HTML; derived claims are not counted."""
    ids = tuple(i for i in ids if not bool(page.row(i).get("derived", False)))
    verdicts = [page.row(i)["verdict"] for i in ids]
    count = {v: _span(fmt_n(verdicts.count(v)), "computed") for v in VERDICT_NL}
    return (
        f"{count['reproduced']} van de {_span(fmt_n(len(ids)), 'computed')} beweringen {VERDICT_NL['reproduced']}, "
        f"{count['not_reproduced']} {VERDICT_NL['not_reproduced']}, {count['undecided']} {VERDICT_NL['undecided']} "
        f"en {count['not_computable']} {VERDICT_NL['not_computable']}"
    )


def _summary_section(section: Section, page: Page) -> str:
    out = []
    for paragraph in section.paragraphs:
        shown = []
        for sentence in paragraph:
            if sentence.gloss and not _reproduced(sentence.claims, page):
                continue
            text = render_text(sentence.text, page)
            if sentence.claims and not sentence.gloss:
                text += " " + verdict_html(sentence.claims, page)
            else:
                kind = "toelichting" if sentence.gloss else "context"
                text = f'<span class="ll-context" title="{kind}, geen bewering">{text}</span>'
            shown.append(text)
        if shown:  # a div, not a p: a verdict's <details> may not stand inside a paragraph
            out.append(f'<div class="ll-para">{" ".join(shown)}</div>')
    return "\n".join(out)


def _replication_section(section: Section, page: Page) -> str:
    registry = load_registry()
    simulated = tuple(c for c in section.claims if page.on_simulated_data(c))
    own = tuple(c for c in section.claims if c not in simulated)
    out = [f'<p class="ll-counts">Op deze data: {counts_text(own, page)}.</p>']
    if simulated:
        out.append(f'<p class="ll-counts ll-simulated">Op gesimuleerde data (telt niet mee): '
                   f"{counts_text(simulated, page)}.</p>")
    for claim_id in section.claims:
        claim = registry.get(claim_id)
        if claim.kind == "hypothesis":
            row = page.row(claim_id)
            found = _span(row["found_nl"] or row["reason"], "computed")
            out.append(
                f"<p>Oordeel over de hypothese op deze data: <strong>{found}</strong> "
                f"(gepubliceerd: {_span(str(claim.published), 'published')}).</p>"
            )
    quotes: dict[str, list[str]] = {}  # the summary's sentence as the registry quotes it -> its claims
    for paragraph in section.paragraphs:
        for sentence in paragraph:
            if sentence.claims and not sentence.gloss:
                quoted = " ".join(dict.fromkeys(registry.get(i).sentence_nl for i in sentence.claims))
                quotes.setdefault(quoted, []).extend(sentence.claims)
    mark = ' <span class="ll-simulated-mark" title="berekend op gesimuleerde data">(gesimuleerde data)</span>'
    items = [f"<li><q>{_span(q, 'published')}</q> {verdict_html(tuple(ids), page)}"
             f"{mark if any(page.on_simulated_data(i) for i in ids) else ''}</li>" for q, ids in quotes.items()]
    out.append('<ul class="ll-claims">\n' + "\n".join(items) + "\n</ul>")
    return "\n".join(out)


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
        f"<tr><td>{html_text(label)}</td><td>{_span(file, 'computed')}</td><td>{_span(fmt_n(n), 'computed')}</td>"
        f"<td><code>{_span(sha, 'computed')}</code></td><td>{origin}</td></tr>"
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


def _intro(section: Section, page: Page, claims: tuple[str, ...]) -> str:
    ledger_link = f'<a href="{LEDGER_PAGE}">overzicht van de beweringen</a>'
    if page.replication:
        simulated = tuple(c for c in claims if page.on_simulated_data(c))
        own = tuple(c for c in claims if c not in simulated)
        counted = [c for c in simulated if not bool(page.row(c).get("derived", False))]  # as counts_text counts
        left_out = (f" De {_span(fmt_n(len(counted)), 'computed')} beweringen op gesimuleerde data "
                    f"({counts_text(simulated, page)}) tellen hier niet mee." if simulated else "")
        return "\n".join([
            replication_notice(page.files),
            "<p>Deze pagina herhaalt daarom niet de conclusies van het oorspronkelijke onderzoek. Per onderzoeksvraag "
            "en per hypothese staat hieronder welke beweringen uit de managementsamenvatting op deze data standhouden "
            "en welke niet; elk oordeel linkt naar de plaats in het hoofdstuk waar de bewering wordt berekend.</p>",
            f"<p>Over de hele samenvatting: {counts_text(own, page)}.{left_out} Het {ledger_link} geeft elke "
            "bewering met het gepubliceerde en het gevonden getal.</p>",
        ])
    counts = {p: _span(fmt_n(page.facts[f"n_{p}"]), "computed", fact=f"n_{p}") for p in POPULATIONS}
    notice = (
        '<div class="admonition attention"><p class="admonition-title">Synthetische data</p>'
        f"<p>De getallen op deze pagina tonen {SCENARIO_NL[page.scenario]}, niet de oorspronkelijke enquête: ze zijn "
        f"berekend op {counts['students']} gesimuleerde studenten en {counts['counsellors']} gesimuleerde "
        "studieloopbaanbegeleiders.</p>"
        f"<p>{CAVEAT}</p></div>"
    )
    guide = (
        "<p>Hieronder staat de managementsamenvatting van het onderzoek, zin voor zin. Waar de samenvatting een "
        "getal noemt, staat het getal van deze build, met het gepubliceerde getal erachter tussen teksthaken; woorden "
        "die een richting of een oordeel uitdrukken, volgen uit de berekening. Achter elke bewering staat of zij op "
        "deze data wordt gereproduceerd, met een link naar de plaats in het hoofdstuk waar zij wordt berekend; onder "
        f"<em>{DETAIL_SUMMARY}</em> staan per bewering de regel, n, de gecorrigeerde p-waarde, de marge en de "
        "robuustheid, met een link naar haar rij in het overzicht. Over "
        f"de hele samenvatting: {counts_text(claims, page)}; het {ledger_link} geeft ze allemaal.</p>"
    )
    return "\n".join([notice, guide, _summary_section(section, page)])


def front_page_blocks(page: Page, sections: tuple[Section, ...] | None = None) -> dict[str, str]:
    """Per section of the summary, its HTML block under the glue key ``samenvatting_<section>``."""
    sections = sections or load_template()
    claims = tuple(dict.fromkeys(c for s in sections for c in s.claims))
    blocks = {}
    for section in sections:
        if section.id == "intro":
            block = _intro(section, page, claims)
        elif page.replication:
            block = _replication_section(section, page)
        else:
            block = _summary_section(section, page)
        blocks[summary_key(section.id)] = f'<div class="ll-summary">\n{block}\n</div>'
    return blocks
