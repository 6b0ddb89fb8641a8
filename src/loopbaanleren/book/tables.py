"""Sortable, filterable tables that work offline: the book's own HTML table, enhanced by DataTables.

The wide tables (the claims ledger, the codebook) are rendered as every other table (``report.table_html``:
Dutch number format, row anchors, links) and then enhanced in the browser by the DataTables library that ITables
bundles (``itables/html/dt_bundle.js``). The bundle is embedded in the page the way ITables' offline mode
(``init_notebook_mode(connected=False)``) embeds it, so the table needs no network. DataTables reads the rows
from the table in the page, so each row keeps its ``id`` and the links in its cells; a reader without
JavaScript, a printer and a search engine see the plain table. No paging: every row (and its anchor) is on the
page; the filter only hides rows.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from importlib.resources import files

import pandas as pd
from itables import __version__ as itables_version
from itables.javascript import generate_init_offline_itables_html

from loopbaanleren.book.report import table_html

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

OPTIONS = {"paging": False, "order": [], "autoWidth": False, "scrollX": False, "language": LANGUAGE_NL}


def enhance_script(table_id: str) -> str:
    """The module script that turns the table ``table_id`` into a DataTable once the bundle is loaded."""
    return f"""<script type="module">
const start = async () => {{
  const {{ default: DataTable }} = await window.{READY};
  const table = document.getElementById({json.dumps(table_id)});
  if (table && !table.classList.contains("dataTable")) new DataTable(table, {json.dumps(OPTIONS)});
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
    """The table of ``report.table_html`` with the offline DataTables bundle and the script that enhances it."""
    table = table_html(data, caption, formats, digits, anchors)
    found = re.search(r'<table id="([^"]+)"', table)
    if not found:
        raise ValueError("interactive_table_html: the table has no id")
    table = table.replace("<table ", '<table data-ll-interactive="true" ', 1)
    loader = re.sub(r"<noscript>.*?</noscript>", "", generate_init_offline_itables_html(DT_BUNDLE), flags=re.S)
    return loader + table + enhance_script(found.group(1))
