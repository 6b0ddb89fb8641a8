"""What notebooks call to put values, tables and figures into the book (numbers formatted by
:mod:`loopbaanleren.book.formatting`). ``glue_value`` stores a text under a key with
myst-nb's glue, so a page can paste it with ``{glue:text}`key``` (same notebook) or
``{glue:text}`01_leeromgeving.ipynb::key:s``` (any other page; the trailing ``:s`` is required there).
"""

from __future__ import annotations

import base64
import io
import json
import math
import re
import zipfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import pandas as pd
from IPython.display import HTML, Markdown, display
from myst_nb import glue

from loopbaanleren.book.build_labels import ROLE_NL
from loopbaanleren.data.codebook import POPULATIONS
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


FIGURE_DPI = 200
"""Resolution of a figure's PNG: the figure keeps its physical size (inches) and is sharp on any screen."""

CSS_DPI = 96
"""CSS pixels per inch: a figure of ``w`` inches is shown at most ``w * 96`` px wide."""

MIN_TEXT_PX = 9
"""The smallest height (CSS px) at which a figure's text may be shown; below it the figure scrolls in its box."""


def _png(fig, dpi: int = FIGURE_DPI) -> bytes:
    """The figure as PNG at its own size (no tight bounding box); constrained layout keeps the labels inside.

    The layout engine runs once before saving and ``savefig`` solves the layout again: the axes' size decides
    which ticks they get, so the second solution measures the tick labels of the axes at the size they are drawn.
    Running only the layout engine beforehand, not a full draw, gives the same image.
    """
    if fig.get_layout_engine() is None:
        fig.set_layout_engine("constrained")
    fig.get_layout_engine().execute(fig)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


def smallest_font_pt(fig) -> float:
    """The size (points) of the smallest visible, non-empty text of a figure."""
    from matplotlib.text import Text

    sizes = [t.get_fontsize() for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
    sizes += [label.get_fontsize() for ax in fig.axes for label in ax.get_xticklabels() + ax.get_yticklabels()
              if label.get_visible() and label.get_text().strip()]
    return float(min(sizes)) if sizes else 10.0


FIGURE_SOURCE: dict[str, str] = {}
"""The data the figures of this kernel's chapter rest on, set once per chapter by :func:`set_figure_source`."""


def set_figure_source(data: Mapping[str, pd.DataFrame]) -> str:
    """Name the survey data under every figure of the chapter from now on ("Bron: …"); return that line.

    Each population is named by its origin (synthetic, or the user's file) and its number of respondents.

    >>> frame = pd.DataFrame({"x": range(3)})
    >>> frame.attrs |= {"synthetic": False, "source": "/data/mijn_studenten.sav"}
    >>> set_figure_source({"students": frame})
    'Bron: mijn_studenten.sav, 3 studenten'
    """
    parts = []
    for population, frame in data.items():
        if frame is None or population not in POPULATIONS:
            continue
        origin = "synthetische data" if frame.attrs.get("synthetic", True) else Path(str(frame.attrs.get("source", ""))).name
        parts.append(f"{origin}, {fmt_n(len(frame))} {ROLE_NL[population]}")
    FIGURE_SOURCE["text"] = "Bron: " + "; ".join(parts) if parts else ""
    return FIGURE_SOURCE["text"]


def figure_html(fig, alt: str, caption: str | None = None, data: pd.DataFrame | None = None,
                name: str = "figuur") -> str:
    """A figure as HTML: a PNG at its physical size, a caption naming the data it rests on (see
    :func:`set_figure_source`) and the data behind it as CSV.

    The image is shown at most at its physical width (``width * 96`` px) and at least so wide that the smallest
    text of the figure stays :data:`MIN_TEXT_PX` high; on a narrower screen the figure scrolls in its own box.
    The ``data-min-font-pt`` and ``data-width-in`` attributes let a test measure the rendered text size.
    """
    if not alt.strip():
        raise ValueError("a figure needs a non-empty alt text")
    png = base64.b64encode(_png(fig)).decode("ascii")  # drawing first creates the tick labels measured below
    width_in = float(fig.get_figwidth())
    font_pt = smallest_font_pt(fig)
    full = width_in * CSS_DPI
    least = min(full, full * MIN_TEXT_PX / (font_pt * CSS_DPI / 72))
    text = html_text(" ".join(alt.split()))
    shown = html_text(" ".join((caption or alt).split()))
    if FIGURE_SOURCE.get("text"):
        shown += f' <span class="ll-bron">({html_text(FIGURE_SOURCE["text"])})</span>'
    downloads = download_links(data, name) if data is not None else ""
    return (
        f'<figure class="ll-figure" style="overflow-x:auto">'
        f'<img src="data:image/png;base64,{png}" alt="{text}" data-min-font-pt="{font_pt:g}" '
        f'data-width-in="{width_in:g}" style="max-width:{full:.0f}px;min-width:{math.ceil(least)}px">'
        f"<figcaption>{shown}</figcaption></figure>{downloads}"
    )


def show_figure(fig, alt: str, data: pd.DataFrame | None = None, caption: str | None = None,
                name: str | None = None) -> None:
    """Display a matplotlib figure with ``alt`` as its HTML alt text (and caption), and close it.

    ``data``, the table the figure draws, becomes a CSV download under the figure (see :func:`figure_html`).
    """
    import matplotlib.pyplot as plt

    block = figure_html(fig, alt, caption, data, name or slug(caption or alt))
    plt.close(fig)
    display(HTML(block))


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
    units: Mapping[str, str] | None = None,
) -> str:
    """``data`` as a table (see :func:`~loopbaanleren.book.tables.table_html`) in a box that scrolls sideways, with a CSV download named
    ``name`` (default: after the caption).

    ``interactive`` makes it sortable and filterable (:func:`~loopbaanleren.book.tables.interactive_table_html`),
    ``xlsx`` adds an Excel download, ``anchors`` gives each row an id (e.g. the claim id) to link to, ``units``
    names the unit of numeric columns in the data dictionary (:func:`download_links`).
    """
    if interactive:
        shown = interactive_table_html(data, caption, formats, digits, anchors)
    else:
        shown = table_html(data, caption, formats, digits, anchors)
    file = name or slug(caption or "tabel")
    return f'<div class="ll-table-scroll">{shown}</div>{download_links(data, file, xlsx, units)}'


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
