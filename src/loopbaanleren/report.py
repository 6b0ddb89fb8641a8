"""What notebooks call to put values, tables and figures into the book, in Dutch number format.

The formatting functions are the one place where numbers become Dutch text (decimal comma, thousands
point, "75%"); they use Babel's ``nl_NL`` locale. ``glue_value`` stores such a text under a key with
myst-nb's glue, so a page can paste it with ``{glue:text}`key``` (same notebook) or
``{glue:text}`01_leeromgeving.ipynb::key:s``` (any other page; the trailing ``:s`` is required there).
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import math
import numbers
from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd
from babel.numbers import format_decimal, format_percent
from IPython.display import HTML, Markdown, display
from myst_nb import glue
from pandas.io.formats.style import Styler

LOCALE = "nl_NL"
MISSING = "–"
SYNTHETIC_NOTICE = (
    "Dit boek is gebouwd op **synthetische data**: gesimuleerde antwoorden uit een gekalibreerd model, "
    "niet de antwoorden van echte studenten en studieloopbaanbegeleiders."
)


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def fmt_num(value: float, digits: int = 2) -> str:
    """A number with a decimal comma and a thousands point: ``fmt_num(3.3449) == "3,34"``."""
    if _missing(value):
        return MISSING
    pattern = "#,##0." + "0" * digits if digits > 0 else "#,##0"
    return format_decimal(value, format=pattern, locale=LOCALE, decimal_quantization=True)


def fmt_n(value: int) -> str:
    """A count with a thousands point: ``fmt_n(4820) == "4.820"``."""
    return fmt_num(value, digits=0)


def fmt_pct(proportion: float, digits: int = 0) -> str:
    """A proportion as a percentage: ``fmt_pct(0.75) == "75%"``, ``fmt_pct(0.755, 1) == "75,5%"``."""
    if _missing(proportion):
        return MISSING
    pattern = "#,##0." + "0" * digits + "%" if digits > 0 else "#,##0%"
    return format_percent(proportion, format=pattern, locale=LOCALE, decimal_quantization=True)


def fmt_p(p: float, digits: int = 3) -> str:
    """A p-value as reported in the text: ``"p = 0,034"``, or ``"p < 0,001"`` below the precision."""
    if _missing(p):
        return MISSING
    floor = 10.0**-digits
    if p < floor:
        return f"p < {fmt_num(floor, digits)}"
    return f"p = {fmt_num(p, digits)}"


def fmt_ci(low: float, high: float, digits: int = 2) -> str:
    """A confidence interval; a semicolon separates the bounds since the comma is the decimal sign."""
    return f"[{fmt_num(low, digits)}; {fmt_num(high, digits)}]"


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


def figure_markdown(fig, alt: str, dpi: int = 144) -> str:
    """Markdown that shows the figure as an embedded PNG with ``alt`` as its alternative text."""
    if not alt.strip():
        raise ValueError("a figure needs a non-empty alt text")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight", metadata={"Software": None})
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    text = " ".join(alt.split()).replace("[", "(").replace("]", ")")
    return f"![{text}](data:image/png;base64,{data})"


def show_figure(fig, alt: str) -> None:
    """Display a matplotlib figure with ``alt`` as its HTML alt text, and close it.

    The figure is emitted as Markdown with a PNG data URI (``figure_markdown``), which the book renders as
    ``<img alt="..." src="data:image/png;base64,...">``: self-contained, with the alt text in the HTML.
    """
    import matplotlib.pyplot as plt

    markdown = figure_markdown(fig, alt)
    plt.close(fig)
    display(Markdown(markdown))


def fmt_cell(value, digits: int = 2) -> str:
    """A table cell: whole numbers with ``fmt_n``, other numbers with ``fmt_num``, text as is."""
    if _missing(value):
        return MISSING
    if isinstance(value, (bool, np.bool_)):
        return "ja" if value else "nee"
    if isinstance(value, numbers.Integral):
        return fmt_n(value)
    if isinstance(value, numbers.Real):
        return fmt_num(value, digits)
    return str(value)


def table_html(
    data: pd.DataFrame,
    caption: str | None = None,
    formats: Mapping[str, Callable[[object], str]] | None = None,
    digits: int = 2,
) -> str:
    """An HTML table of ``data`` without index; cells formatted by ``fmt_cell`` unless ``formats`` names the column."""
    formatters = {column: lambda value: fmt_cell(value, digits) for column in data.columns}
    formatters.update(formats or {})
    uuid = hashlib.sha256(data.to_csv().encode()).hexdigest()[:8]
    styler = (
        Styler(data, cell_ids=False, uuid=uuid)
        .hide(axis="index")
        .format(formatters, escape="html")
        .set_table_attributes('class="table"')
    )
    if caption:
        styler = styler.set_caption(html.escape(caption))
    return styler.to_html()


def show_table(
    data: pd.DataFrame,
    caption: str | None = None,
    formats: Mapping[str, Callable[[object], str]] | None = None,
    digits: int = 2,
) -> None:
    """Display ``data`` as a table (see ``table_html``)."""
    display(HTML(table_html(data, caption, formats, digits)))


def synthetic_notice(synthetic: bool) -> None:
    """Display the 'synthetische data' admonition when the data was simulated; nothing otherwise."""
    if synthetic:
        display(Markdown(f":::{{admonition}} Synthetische data\n:class: attention\n{SYNTHETIC_NOTICE}\n:::"))


def save_result(data: pd.DataFrame, name: str, results_dir: str | Path) -> Path:
    """Write ``data`` as ``<results_dir>/<name>.csv`` (UTF-8) and return the path."""
    path = Path(results_dir) / f"{name}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    data.to_csv(path, index=False)
    return path
