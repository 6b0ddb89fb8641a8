"""The book's HTML tables (:func:`table_html`), and sortable, filterable ones that work offline, enhanced by DataTables.

The wide tables (the claims ledger, the codebook) are rendered as every other table (:func:`table_html`:
Dutch number format, row anchors, links) and then enhanced in the browser by the DataTables library that ITables
bundles (``itables/html/dt_bundle.js``). The bundle is embedded in the page the way ITables' offline mode
(``init_notebook_mode(connected=False)``) embeds it, so the table needs no network. DataTables reads the rows
from the table in the page, so each row keeps its ``id`` and the links in its cells; a reader without
JavaScript, a printer and a search engine see the plain table. No paging: every row (and its anchor) is on the
page; the filter only hides rows.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping, Sequence
from importlib.resources import files

import pandas as pd
from itables import __version__ as itables_version
from itables.javascript import generate_init_offline_itables_html
from pandas.io.formats.style import Styler

from loopbaanleren.book.escape import html_text
from loopbaanleren.book.formatting import fmt_cell

DT_BUNDLE = files("itables") / "html" / "dt_bundle.js"
READY = f"_itables_{itables_version.replace('.', '_').replace('-', '_')}"
"""The promise ITables' offline loader sets on ``window`` (its ``_itables_underscore_version``)."""
READY_EVENT = f"itables-{itables_version}-ready"

LANGUAGE_NL = {
    "search": "Filter:",
    "info": "_TOTAL_ rijen",
    "infoEmpty": "geen rijen",
    "infoFiltered": "(gefilterd uit _MAX_)",
    "zeroRecords": "Geen rijen gevonden",
    "emptyTable": "Geen gegevens",
    "aria": {"orderable": "sorteer op deze kolom", "orderableReverse": "sorteer omgekeerd"},
}
"""DataTables' interface strings in Dutch."""

def table_html(
    data: pd.DataFrame,
    caption: str | None = None,
    formats: Mapping[str, Callable[[object], str]] | None = None,
    digits: int = 2,
    anchors: Sequence[str] | None = None,
) -> str:
    """An HTML table of ``data`` without index; cells formatted by ``fmt_cell`` unless ``formats`` names the column.

    ``anchors``: one id per row, set on the row's ``<tr>`` so that ``page.html#<id>`` shows it. Each body cell
    carries its column's name as ``data-label``, so that a narrow screen can show the rows as labelled blocks.
    """
    formatters = {column: lambda value: fmt_cell(value, digits) for column in data.columns}
    formatters.update(formats or {})
    uuid = hashlib.sha256(data.to_csv().encode()).hexdigest()[:8]
    styler = (
        Styler(data, cell_ids=False, uuid=uuid)
        .hide(axis="index")
        .format(formatters, escape="html")
        .format_index(html_text, axis=1)
        .set_table_attributes('class="table"')
    )
    if caption:
        styler = styler.set_caption(html_text(caption))
    shown = label_cells(styler.to_html(), [str(column) for column in data.columns])
    if anchors is not None:
        shown = anchor_rows(shown, anchors)
    return shown


def label_cells(table: str, columns: Sequence[str]) -> str:
    """Give each body cell of a table that :class:`~pandas.io.formats.style.Styler` made (cells of class
    ``col<j>``) the name of its column as ``data-label``."""
    return re.sub(r'(<td class="data row\d+ col(\d+)")',
                  lambda cell: f'{cell.group(1)} data-label="{html_text(columns[int(cell.group(2))])}"', table)


def anchor_rows(table: str, anchors: Sequence[str]) -> str:
    """Give the body rows of an HTML table the ids ``anchors``, in order."""
    head, _, body = table.partition("<tbody>")
    ids = iter(anchors)
    body = re.sub(r"<tr>", lambda _: f'<tr id="{html_text(next(ids))}">', body)
    return f"{head}<tbody>{body}" if _ else table


OPTIONS = {"paging": False, "order": [], "autoWidth": False, "scrollX": False, "language": LANGUAGE_NL}


def enhance_script(table_id: str) -> str:
    """The module script that turns the table ``table_id`` into a DataTable once the bundle is loaded."""
    return f"""<script type="module">
const start = async () => {{
  const {{ default: DataTable }} = await window.{READY};
  const table = document.getElementById({json.dumps(table_id)});
  if (!table || table.classList.contains("dataTable")) return;
  new DataTable(table, {json.dumps(OPTIONS)});
  // the filter box added above the table moved the row a link points at: bring it back into view
  const row = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
  if (row && table.contains(row)) row.scrollIntoView({{block: "start"}});
}};
if (window.{READY}) start(); else window.addEventListener({json.dumps(READY_EVENT)}, start);
</script>"""


def interactive_table_html(
    data: pd.DataFrame,
    caption: str | None = None,
    formats: Mapping[str, Callable[[object], str]] | None = None,
    digits: int = 2,
    anchors: Sequence[str] | None = None,
) -> str:
    """The table of :func:`table_html` with the offline DataTables bundle and the script that enhances it."""
    table = table_html(data, caption, formats, digits, anchors)
    found = re.search(r'<table id="([^"]+)"', table)
    if not found:
        raise ValueError("interactive_table_html: the table has no id")
    table = table.replace("<table ", '<table data-ll-interactive="true" ', 1)
    loader = re.sub(r"<noscript>.*?</noscript>", "", generate_init_offline_itables_html(DT_BUNDLE), flags=re.S)
    return loader + table + enhance_script(found.group(1))
