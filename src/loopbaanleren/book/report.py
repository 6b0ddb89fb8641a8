"""What notebooks call to put values and tables into the book (figures: :mod:`loopbaanleren.book.figure_output`;
numbers formatted by :mod:`loopbaanleren.book.formatting`). ``glue_value`` stores a text under a key with
myst-nb's glue, so a page can paste it with ``{glue:text}`key``` (same notebook) or
``{glue:text}`01_leeromgeving.ipynb::key:s``` (any other page; the trailing ``:s`` is required there).
"""

from __future__ import annotations

import base64
import io
import json
import re
import zipfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import pandas as pd
from IPython.display import HTML, Markdown, display
from myst_nb import glue

from loopbaanleren.book.cells import HEADERS_NL, Parts, Shown, plain_frame, table_schema
from loopbaanleren.book.escape import csv_text, html_text, spreadsheet_cell, spreadsheet_frame
from loopbaanleren.book.formatting import MISSING, fmt_n, fmt_num, fmt_p, fmt_pct
from loopbaanleren.book.tables import interactive_table_html, table_html

SYNTHETIC_NOTICE = (
    "Dit boek is gebouwd op **synthetische data**: gesimuleerde antwoorden uit een gekalibreerd model, "
    "niet de antwoorden van echte studenten en studieloopbaanbegeleiders."
)


FORMATS: dict[str, Callable[..., str]] = {
    "num": fmt_num,
    "n": fmt_n,
    "pct": fmt_pct,
    "p": fmt_p,
    "text": str,
}


def glue_value(key: str, value, fmt: str = "num", **options) -> str:
    """Glue ``value`` as Dutch text under ``key`` (fmt: num, n, pct, p or text) and return that text.

    ``options`` go to the formatter, e.g. ``glue_value("alpha_ls", 0.812, "num", digits=2)``.
    """
    if fmt not in FORMATS:
        raise ValueError(f"glue_value({key!r}): unknown fmt {fmt!r}; use one of {', '.join(FORMATS)}")
    text = FORMATS[fmt](value, **options)
    glue(key, text, display=False)
    return text


def slug(text: str, limit: int = 40) -> str:
    """A file name from a caption: ``slug("Aantal respondenten per sector") == "aantal-respondenten-per-sector"``."""
    import unicodedata

    plain_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = re.sub(r"[^a-z0-9]+", "-", plain_text).strip("-")
    return words[:limit].rstrip("-") or "tabel"


def _cell_text(value) -> object:
    """A cell as a download holds it: a link ``(href, text)`` as its text, anything else as is."""
    return value[1] if isinstance(value, tuple) and len(value) == 2 else value


def _dutch_headers(data: pd.DataFrame) -> pd.DataFrame:
    """``data`` with the English column names of a figure's data (:data:`~loopbaanleren.book.cells.HEADERS_NL`)
    in Dutch, and an unnamed column (a figure's row labels) named "rij"."""
    return data.rename(columns=lambda column: HEADERS_NL.get(column, column) or "rij")


def download_frame(data: pd.DataFrame) -> pd.DataFrame:
    """The table as its CSV holds it: plain numbers (:func:`loopbaanleren.book.cells.plain_frame`), links as their
    text, Dutch headers, the index dropped."""
    return plain_frame(_dutch_headers(data.map(_cell_text)))


def shown_frame(data: pd.DataFrame) -> pd.DataFrame:
    """The table as its workbook holds it: each cell as the page shows it (a formatted number as its text, a
    plain number as the number), links as their text, Dutch headers, the index dropped."""
    shown = data.map(lambda value: str(value) if isinstance(value, (Shown, Parts)) else _cell_text(value))
    return _dutch_headers(shown).reset_index(drop=True)


def csv_bytes(data: pd.DataFrame) -> bytes:
    """The table as UTF-8 CSV of plain numbers (:func:`download_frame`; with BOM, so spreadsheet programs read the
    accents), formulas neutralised (:func:`loopbaanleren.book.escape.csv_text`)."""
    return csv_text(download_frame(data)).encode("utf-8-sig")


def schema_bytes(data: pd.DataFrame, units: Mapping[str, str] | None = None) -> bytes:
    """The data dictionary of the table's CSV (:func:`loopbaanleren.book.cells.table_schema`) as JSON."""
    schema = table_schema(_dutch_headers(data.map(_cell_text)), units)
    for field in schema["fields"]:  # named as the CSV's header names it
        field["name"] = spreadsheet_cell(field["name"])
    return (json.dumps(schema, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


XLSX_TIME = (1980, 1, 1, 0, 0, 0)
"""The time a workbook says it was made and its parts written: fixed, so the same table gives the same bytes."""


def xlsx_bytes(data: pd.DataFrame, sheet: str = "tabel") -> bytes:
    """The table as an Excel workbook (openpyxl) of the cells as the page shows them (:func:`shown_frame`), with
    fixed timestamps (:data:`XLSX_TIME`); text that would
    start a formula is neutralised (:func:`loopbaanleren.book.escape.spreadsheet_frame`), so it stays text."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        spreadsheet_frame(shown_frame(data)).to_excel(writer, index=False, sheet_name=sheet[:31])
    stamp = "{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}Z".format(*XLSX_TIME).encode()
    fixed = io.BytesIO()
    with zipfile.ZipFile(buffer) as made, zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as target:
        for part in made.infolist():  # openpyxl stamps the document properties and every part with the time now
            body = made.read(part)
            if part.filename == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp, body)
            target.writestr(zipfile.ZipInfo(part.filename, date_time=XLSX_TIME), body, zipfile.ZIP_DEFLATED)
    return fixed.getvalue()


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


LEDGER_PAGE = "90_claims.html"
"""The ledger's page; its rows are anchored by claim id."""


def ledger_href(claim_id: str) -> str:
    """The link to a claim's row in the ledger: ``ledger_href("h1_ls_ai") == "90_claims.html#h1_ls_ai"``."""
    return f"{LEDGER_PAGE}#{html_text(claim_id)}"


def link_html(link) -> str:
    """An HTML link from ``(href, text)``; the missing-value dash when there is none."""
    if not isinstance(link, tuple):
        return MISSING
    href, text = link
    return f'<a href="{html_text(href)}">{html_text(text)}</a>'


SCHEMA_TYPE = "application/schema+json"


def download_links(data: pd.DataFrame, name: str, xlsx: bool = False, units: Mapping[str, str] | None = None) -> str:
    """Links that download ``data`` as ``<name>.csv`` (plain numbers), its data dictionary ``<name>.schema.json``
    (a Frictionless Table Schema; ``units``: see :func:`loopbaanleren.book.cells.table_schema`) and, with ``xlsx``,
    ``<name>.xlsx``, embedded as data URIs (offline). The book numbers the file names by chapter
    (:mod:`loopbaanleren.book.table_numbers`)."""
    links = [("CSV", "text/csv;charset=utf-8", f"{name}.csv", csv_bytes(data))]
    if xlsx:
        links.append(("Excel", XLSX_TYPE, f"{name}.xlsx", xlsx_bytes(data)))
    links.append(("kolommen", SCHEMA_TYPE, f"{name}.schema.json", schema_bytes(data, units)))
    shown = " ".join(
        f'<a class="ll-download" download="{html_text(file)}" '
        f'href="data:{kind};base64,{base64.b64encode(body).decode("ascii")}">{label} ({html_text(file)})</a>'
        for label, kind, file, body in links
    )
    return f'<p class="ll-downloads">Download: {shown}</p>'


def table_block_html(
    data: pd.DataFrame,
    caption: str | None = None,
    formats: Mapping[str, Callable[[object], str]] | None = None,
    digits: int = 2,
    name: str | None = None,
    interactive: bool = False,
    xlsx: bool = False,
    anchors: Sequence[str] | None = None,
    shown: pd.DataFrame | None = None,
    units: Mapping[str, str] | None = None,
) -> str:
    """``data`` as a table (see :func:`~loopbaanleren.book.tables.table_html`) in a box that scrolls sideways, with a CSV download named
    ``name`` (default: after the caption).

    ``interactive`` makes it sortable and filterable (:func:`~loopbaanleren.book.tables.interactive_table_html`),
    ``xlsx`` adds an Excel download, ``anchors`` gives each row an id (e.g. the claim id) to link to, ``units``
    names the unit of numeric columns in the data dictionary (:func:`download_links`). ``shown``, when given, is
    the table the page shows instead of ``data`` (e.g. a few main columns, one row per row of ``data``); the
    downloads still hold ``data``.
    """
    page_table = data if shown is None else shown
    if interactive:
        table = interactive_table_html(page_table, caption, formats, digits, anchors)
    else:
        table = table_html(page_table, caption, formats, digits, anchors)
    file = name or slug(caption or "tabel")
    return f'<div class="ll-table-scroll">{table}</div>{download_links(data, file, xlsx, units)}'


def show_table(data: pd.DataFrame, caption: str | None = None, **options) -> None:
    """Display ``data`` as :func:`table_block_html` makes it (``options``: its keyword arguments)."""
    display(HTML(table_block_html(data, caption, **options)))


def synthetic_notice(synthetic: bool) -> None:
    """Display the 'synthetische data' admonition when the data was simulated; nothing otherwise."""
    if synthetic:
        display(Markdown(f":::{{admonition}} Synthetische data\n:class: attention\n{SYNTHETIC_NOTICE}\n:::"))


def save_result(data: pd.DataFrame, name: str, results_dir: str | Path) -> Path:
    """Write ``data`` as ``<results_dir>/<name>.csv`` (UTF-8, :func:`loopbaanleren.book.escape.csv_text`: formulas
    neutralised) and return the path."""
    path = Path(results_dir) / f"{name}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(csv_text(data), encoding="utf-8")
    return path
