"""User strings as text, never markup: in HTML, in MyST Markdown and in spreadsheets (CSV and Excel).

File names, labels, ids, coder names and parameter values come from the user. Wherever the book writes one:

* into HTML, :func:`html_text`: ``<``, ``>``, ``&`` and both quotes as character references;
* into MyST Markdown (the colophon's provenance, Markdown a notebook displays), :func:`myst_text`: the text goes
  into the role ``{ll-tekst}`` (:data:`TEXT_ROLE`, registered by :mod:`loopbaanleren.book.book_pages`), whose content
  the parser passes on untouched: no role, directive, fence, emphasis, link or backslash escape in it is
  interpreted, and Sphinx gives it no typographic quotes, dashes or ellipses; a line break becomes a space;
* into a plain Markdown file outside the book (``loopbaanleren compare``'s ``.md``, read by any Markdown viewer,
  which knows no MyST role), :func:`markdown_text`: every character Markdown could read as markup escaped;
* into a CSV or Excel download or a file in ``results/``, :func:`spreadsheet_frame` and :func:`csv_text`: a text
  cell that a spreadsheet would read as a formula (it starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
  return) gets a leading single quote and is quoted, as OWASP advises for CSV files; numbers, and text that is a
  plain number (``"-0.25"``), stay as they are.
"""

from __future__ import annotations

import html
import math
import re
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas is imported where a frame is written (the command line starts without it)
    import pandas as pd

TEXT_ROLE = "ll-tekst"
"""The MyST role whose content is shown as plain text (see :func:`myst_text`)."""

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""The characters with which a spreadsheet cell starts a formula (OWASP, *CSV Injection*)."""

_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def html_text(value: object) -> str:
    """``value`` as text in HTML (an element's content or a quoted attribute): ``html_text("<b>") == "&lt;b&gt;"``."""
    return html.escape(str(value), quote=True)


def single_line(value: object) -> str:
    """``value`` as text on one line: every control character (a line break, a tab) becomes a space."""
    return "".join(" " if unicodedata.category(char) in ("Cc", "Zl", "Zp") else char for char in str(value))


def myst_text(value: object, in_table: bool = False) -> str:
    """``value`` as literal text in MyST Markdown, e.g. ``myst_text("a*b*") == "{ll-tekst}`a*b*`"``.

    The role's content is delimited by more backticks than the text holds in a row, so no backtick in it ends
    it. ``in_table``: the text stands in a cell of a Markdown table, whose cells are split at ``|`` before the
    role is read; a ``|`` in the text is written ``\\|``, which the table turns back into ``|``. Text that starts
    or ends with a backtick is padded with a space each side, which the role removes (as a code span does).
    """
    text = single_line(value)
    if not text:
        return ""
    ticks = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    if in_table:
        text = text.replace("|", "\\|")
    if text.startswith("`") or text.endswith("`"):
        text = f" {text} "  # else the backtick joins the delimiter; the role drops one space each side
    return f"{{{TEXT_ROLE}}}{ticks}{text}{ticks}"


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~$&])")


def markdown_text(value: object) -> str:
    """``value`` as literal text in plain Markdown, every character Markdown (or MyST) could read as markup
    escaped: ``markdown_text("a*b*") == "a\\*b\\*"``. Book pages use :func:`myst_text`."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(str(value).split()))


def _is_number_text(text: str) -> bool:
    return bool(_NUMBER.fullmatch(text))


def spreadsheet_cell(value: object) -> object:
    """A cell as a spreadsheet may read it: text starting a formula (:data:`FORMULA_START`) gets a leading ``'``.

    Numbers, missing values and text that is a plain number are returned unchanged.
    """
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _is_number_text(value):
        return "'" + value
    return value


def spreadsheet_frame(data: pd.DataFrame) -> pd.DataFrame:
    """``data`` with every cell and column name through :func:`spreadsheet_cell` (for CSV and Excel files)."""
    safe = data.map(spreadsheet_cell)
    safe.columns = [spreadsheet_cell(str(column)) for column in data.columns]
    return safe


def _field(value: object) -> str:
    """One CSV field: missing as empty, text as is, anything else as ``str``; quoted where needed or neutralised."""
    import pandas as pd

    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = value if isinstance(value, str) else str(value)
    defused = spreadsheet_cell(text) if isinstance(value, str) else text
    if defused is not text or any(char in text for char in ',"\r\n'):
        return '"' + defused.replace('"', '""') + '"'
    return text


def csv_text(data: pd.DataFrame) -> str:
    """``data`` (without its index) as CSV text, the one way the book writes CSV: comma-separated, ``\\n`` line
    ends, a field quoted when it holds a comma, a quote or a line break, and a text cell that a spreadsheet would
    take for a formula neutralised (:func:`spreadsheet_cell`) and quoted."""
    rows = [[_field(str(column)) for column in data.columns]]
    rows += [[_field(value) for value in row] for row in data.itertuples(index=False, name=None)]
    return "".join(",".join(row) + "\n" for row in rows)
