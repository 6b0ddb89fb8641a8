"""What the front page sets beside a summary's sentence, in the page's margin: numbers, a verdict mark, a count.

A sentence that carries claims gets one note (:func:`claims_note`): for each claim whose published value is a
number, a labelled line "label: gepubliceerd 75% · gevonden 74% [70%; 78%]", then one compact verdict mark
("✓ 3/3 gereproduceerd") that opens a short "hoe getoetst" panel listing each claim by label with what was
published, what was found and its verdict, under a link to its row in the ledger. A bullet of the qualitative
summary that names a code of the coding frame gets the number of interviews naming it (:func:`mention_note`).
Sentences the summary says without a claim are marked inline (:func:`context_mark`).

The notes are ``aside.margin`` elements: sphinx-book-theme floats them into the right margin on wide screens;
``front_page.css`` sets them in the text column, after their sentence, on narrow screens and in print, where the panel stays closed and the claim
ids (the ledger's row anchors) are printed instead. Every value the build computed is a
``span.pasted-text.ll-computed``, every value taken from the registry a ``.ll-published``, every label from the codebook or the coding
frame a ``.ll-codebook``; ``data-claim``,
``data-ci``, ``data-found``, ``data-expected`` and ``data-mention`` say which.
"""

from __future__ import annotations

import numbers

import pandas as pd

from loopbaanleren.book.chapter_claims import format_ci, format_published, format_value
from loopbaanleren.book.claim_labels import subject
from loopbaanleren.book.escape import html_text
from loopbaanleren.book.formatting import MISSING, fmt_n
from loopbaanleren.book.report import ledger_href
from loopbaanleren.book.verdict_text import VERDICT_NL
from loopbaanleren.claims.verdicts import VERDICTS
from loopbaanleren.data.codebook import load_codebook
from loopbaanleren.data.coding_frame import load_coding_frame
from loopbaanleren.data.registry import Claim, load_registry

MARKS = {"reproduced": "✓", "not_reproduced": "✗", "undecided": "~", "not_computable": "?"}
CONTEXT_MARK = "○"
GLOSS_MARK = "◐"
LEGEND = (
    (MARKS["reproduced"], "gereproduceerd: de data van deze build steunen de bewering"),
    (MARKS["not_reproduced"], "niet gereproduceerd: de data spreken haar tegen"),
    (MARKS["undecided"], "onbeslist: de data zijn niet precies genoeg"),
    (MARKS["not_computable"], "niet te berekenen in deze build"),
    (GLOSS_MARK, "toelichting op de beweringen ervoor, zelf niet getoetst"),
    (CONTEXT_MARK, "context: geen bewering, niet getoetst"),
)
"""The marks of the front page with what they mean (the legend at the top of the page)."""
HOW_TESTED = "hoe getoetst"
EFFECT_KINDS = {"effect", "null_effect"}
"""Kinds whose value is a standardised coefficient, shown as ``β = ...``."""
MENTION_KINDS = {"mentioned_by", "all_mentioned"}
"""Kinds whose value is a number of interviews out of all, shown as ``x van de N``."""


def span(text: str, kind: str, **data: str) -> str:
    """``text`` escaped in a span marking where it comes from: ``computed`` (this build), ``published`` (the
    registry), ``codebook``; ``data`` become ``data-*`` attributes."""
    classes = "pasted-text ll-computed" if kind == "computed" else f"ll-{kind}"
    attributes = "".join(f' data-{k}="{html_text(v)}"' for k, v in data.items())
    return f'<span class="{classes}"{attributes}>{html_text(text)}</span>'


LABEL_CHARS = 34
"""Longest label of a number in the margin (the panel gives the whole label)."""


def short(text: str, limit: int = LABEL_CHARS) -> str:
    """``text`` cut after its last whole word within ``limit`` characters, with an ellipsis when cut.

    >>> short("Ervaringen die ik buiten de school opdoe, tellen mee voor mijn studie", 30)
    'Ervaringen die ik buiten de…'
    """
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"


def claim_label(claim: Claim, limit: int | None = None) -> str:
    """Which item or group a claim is about: its subject (cut to ``limit`` characters), and for a share the
    answer categories it counts."""
    label = subject(claim).rstrip(" :")
    label = short(label, limit) if limit else label
    if claim.kind == "percentage" and claim.get("categories"):
        values = load_codebook().variables(claim.population)[claim["variable"]].values
        label += ": " + " of ".join(str(values[c]) for c in claim["categories"])
    return label


def _numeric(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and not pd.isna(value)


def found_html(claim_id: str, row: pd.Series) -> str:
    """What the build found for a claim: its value and interval (``β = `` for an effect, ``x van de N``
    interviews), for a hypothesis its predictions borne out."""
    if row["kind"] == "hypothesis" and isinstance(row["found_nl"], str) and row["found_nl"]:
        return span(row["found_nl"], "computed", found=claim_id)
    value = span(format_value(row["kind"], row["computed"]), "computed", claim=claim_id)
    if row["kind"] in EFFECT_KINDS:
        value = "β = " + value
    elif row["kind"] in MENTION_KINDS and not pd.isna(row["n"]):
        value += f" van de {span(fmt_n(int(row['n'])), 'computed', n=claim_id)}"
    interval = format_ci(row["kind"], row["ci_low"], row["ci_high"])
    if interval != MISSING:
        value += " " + span(interval, "computed", ci=claim_id)
    return value


def number_line(claim: Claim, row: pd.Series) -> str:
    """A claim with a published number: 'label: gepubliceerd X · gevonden Y [interval]'."""
    published = span(format_published(claim.kind, claim.published), "published")
    return (f'<span class="ll-number" data-of="{html_text(claim.id)}"><span class="ll-number-label">'
            f"{span(claim_label(claim, LABEL_CHARS), 'codebook')}:</span> gepubliceerd {published} · gevonden "
            f"{found_html(claim.id, row)}</span>")


def status_of(verdicts: list[str]) -> str:
    """The mark's status: the first of not reproduced, undecided, not computable that occurs, else reproduced."""
    return next((v for v in VERDICTS[1:] if v in verdicts), "reproduced")


def mark_text(verdicts: list[str]) -> str:
    """The mark's words: '✓ gereproduceerd' for one claim, '✗ 2/3 gereproduceerd' for several (no break inside)."""
    status = status_of(verdicts)
    if len(verdicts) == 1:
        return f"{MARKS[status]}\u00a0{VERDICT_NL[status]}"
    held = verdicts.count("reproduced")
    if status == "not_computable" and held == 0 and set(verdicts) == {"not_computable"}:
        return f"{MARKS[status]}\u00a0{VERDICT_NL[status]}"
    return f"{MARKS[status]}\u00a0{held}/{len(verdicts)}\u00a0{VERDICT_NL['reproduced']}"


def _panel_line(claim: Claim, row: pd.Series, simulated: bool) -> str:
    published = (span(format_published(claim.kind, claim.published), "published") if _numeric(claim.published)
                 else span(row["expected_nl"] or MISSING, "computed", expected=claim.id))
    verdict = VERDICT_NL[row["verdict"]] + (f" ({row['reason']})" if row["reason"] else "")
    flag = " · op gesimuleerde data, telt niet mee" if simulated else ""
    return (f'<span class="ll-how-claim" data-of="{html_text(claim.id)}">'
            f'<a class="ll-ledger-row ll-claim-link" href="{ledger_href(claim.id)}">{span(claim_label(claim), "codebook")}</a> '
            f"<span class=\"ll-how-line\">{'gepubliceerd' if _numeric(claim.published) else 'getoetst'}: "
            f"{published} · gevonden: {found_html(claim.id, row)} · "
            f"{MARKS[row['verdict']]} {span(verdict, 'computed', detail='verdict', of=claim.id)}{flag}</span></span>")


def claims_note(ids: tuple[str, ...], page) -> str:
    """The margin note of a sentence carrying ``ids``: its claims' numbers and one verdict mark with its panel.

    ``page`` is a :class:`loopbaanleren.book.front_page.Page`: the ledger, the chapter links, the data."""
    registry = load_registry()
    rows = {i: page.row(i) for i in ids}
    verdicts = [rows[i]["verdict"] for i in ids]
    by_verdict = {v: [i for i in ids if rows[i]["verdict"] == v] for v in VERDICTS}
    status = status_of(verdicts)
    simulated = [i for i in ids if page.on_simulated_data(i)]
    numbers_html = "".join(number_line(registry.get(i), rows[i]) for i in ids if _numeric(registry.get(i).published))
    lines = "".join(_panel_line(registry.get(i), rows[i], i in simulated) for i in ids)
    failed = [i for v in VERDICTS[1:] for i in by_verdict[v]]
    link = next((page.links[i] for i in [*failed, *ids] if i in page.links), None)
    chapter = (f'<span class="ll-how-chapter">Berekend in <a href="{html_text(link[0])}">{html_text(link[1])}</a>'
               "</span>" if link else "")
    attributes = "".join(f' data-{v.replace("_", "-")}="{" ".join(by_verdict[v])}"' for v in VERDICTS)
    flag = ' <span class="ll-simulated-mark">(gesimuleerde data)</span>' if simulated else ""
    ids_text = ", ".join(ids)
    mark = (
        f'<small class="ll-verdict ll-{status}"{attributes}>'
        f'<details class="ll-how"><summary><span class="ll-mark pasted-text ll-computed" data-mark="{" ".join(ids)}">'
        f'{html_text(mark_text(verdicts))}</span>{flag} '
        f'<span class="ll-how-label">{HOW_TESTED}</span></summary>'
        f'<span class="ll-how-body">{lines}{chapter}</span></details>'
        f'<span class="ll-print-ids">{html_text(ids_text)}</span></small>'
    )
    return f'<aside class="margin ll-note">{numbers_html}{mark}</aside>'


def mention_note(code: str, page) -> str:
    """The margin note of a bullet naming a code: in how many of the interviews it is named."""
    n, total = page.mentions.get(code, (None, None))
    label = span(str(load_coding_frame().codes.loc[code, "label_nl"]), "codebook")
    if n is None:
        count = span(MISSING, "computed", mention=code)
    else:
        count = f"{span(fmt_n(n), 'computed', mention=code)} van de {span(fmt_n(total), 'computed', mention=code)}"
    return (f'<aside class="margin ll-note ll-mention"><span class="ll-number"><span class="ll-number-label">{label}'
            f":</span> genoemd in {count} interviews</span></aside>")


def context_mark(gloss: bool) -> str:
    """The inline mark of a sentence without a claim: a gloss on the claims before it, or context."""
    mark, kind = (GLOSS_MARK, "toelichting") if gloss else (CONTEXT_MARK, "context")
    return f'<span class="ll-context-mark" data-kind="{kind}" aria-label="{kind}, niet getoetst">{mark}</span>'


def legend_html() -> str:
    """The legend of the marks, visible (no tooltip), at the top of the page."""
    items = "".join(f'<li><span class="ll-mark">{html_text(mark)}</span> {html_text(text)}</li>' for mark, text in LEGEND)
    return f'<ul class="ll-legend">{items}</ul>'
