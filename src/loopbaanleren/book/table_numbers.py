"""Sphinx extension that numbers the book's tables per chapter and gives every download a unique file name.

A chapter's tables are numbered in the order they are shown, "Tabel 1.3" for the third table of chapter 01
(``01_leeromgeving``); a page without a chapter number (the colophon) numbers its own tables "Tabel 1", "Tabel 2".
A table is one of the book's tables when it has downloads (every table of data has); a layout table has no number.
The number is part of the caption's text in the HTML, so the book and its PDF (printed from the HTML by
:mod:`loopbaanleren.book.pdf`) show the same number and a screen reader reads it; a table without a caption (a
Markdown table) gets one that holds only its number.

Each download (:func:`loopbaanleren.book.report.download_links`) is named after what it belongs to, the table or
figure shown before it: ``01-tabel-3-<naam>.csv``, ``01-figuur-12-<naam>.csv`` (figures keep their number through
the book, :mod:`loopbaanleren.book.figure_numbers`), and its ``.xlsx`` and ``.schema.json`` alike. The chapter and
number make every file name unique in the book.
"""

from __future__ import annotations

import re

from docutils import nodes

from loopbaanleren.book.figure_numbers import FIGURE_START, first_number

NUMBER = '<span class="ll-table-number">{label}.</span> '
"""What a table's caption starts with; ``table_numbers.css`` sets it in bold."""

_EVENTS = re.compile(
    r"<script\b.*?</script>"  # skipped: a script may hold HTML in its strings
    rf"|(?P<table><table\b[^>]*>)(?P<caption>\s*<caption\b[^>]*>)?"
    rf"|(?P<figure>{re.escape(FIGURE_START)})"
    r'|(?P<downloads><p class="ll-downloads">.*?</p>)',
    re.S,
)
_FILE = re.compile(r'(?<=download=")([^"]+?)(\.csv|\.xlsx|\.schema\.json)(?=")')


def chapter_of(docname: str) -> str:
    """The chapter number of a page as its file names start with it: ``chapter_of("01_leeromgeving") == "01"``;
    a page without one is named by itself (``"colophon"``)."""
    found = re.match(r"(\d+)_", docname)
    return found.group(1) if found else docname


def table_label(docname: str, number: int) -> str:
    """The label of a page's ``number``-th table: ``"Tabel 1.3"`` in chapter 01, ``"Tabel 3"`` on the colophon."""
    chapter = chapter_of(docname)
    return f"Tabel {int(chapter)}.{number}" if chapter.isdigit() else f"Tabel {number}"


def _has_downloads(text: str, start: int) -> bool:
    """Whether the table that ends its opening tag at ``start`` has downloads: they come before the next table or
    figure. A table without (a layout table in the front page's panels) is not one of the book's tables."""
    following = next((m for m in _EVENTS.finditer(text, start) if not m.group(0).startswith("<script")), None)
    return following is not None and following.group("downloads") is not None


class _Numbering:
    """The tables and figures of one page as they are met, and the name prefix of the downloads that follow."""

    def __init__(self, docname: str, first_figure: int) -> None:
        self.docname, self.chapter = docname, chapter_of(docname)
        self.tables, self.figure = 0, first_figure - 1
        self.prefix = f"{self.chapter}-bijlage"

    def table(self) -> str:
        self.tables += 1
        self.prefix = f"{self.chapter}-tabel-{self.tables}"
        return table_label(self.docname, self.tables)

    def next_figure(self) -> None:
        self.figure += 1
        self.prefix = f"{self.chapter}-figuur-{self.figure}"

    def rename(self, block: str) -> str:
        """The downloads' paragraph with each file named ``<prefix>-<name>``, in its link text too."""
        stems = {match.group(1) for match in _FILE.finditer(block)}
        for stem in stems:
            block = re.sub(rf'(?<=["(]){re.escape(stem)}(?=(\.csv|\.xlsx|\.schema\.json)[")])',
                           f"{self.prefix}-{stem}", block)
        return block

    def html(self, text: str) -> str:
        """``text`` (raw HTML of the page) with its tables' captions numbered and its downloads renamed."""

        def visit(match: re.Match) -> str:
            if match.group("table") and _has_downloads(text, match.end()):
                label = self.table()
                caption = match.group("caption") or "<caption>"
                body = match.group("table") + caption + NUMBER.format(label=label)
                return body if match.group("caption") else body + "</caption>"
            if match.group("figure"):
                self.next_figure()
                return match.group(0)
            if match.group("downloads"):
                return self.rename(match.group("downloads"))
            return match.group(0)

        return _EVENTS.sub(visit, text)


def number_tables(app, doctree: nodes.Node, docname: str) -> None:
    """Number the tables of the page in the caption and name the downloads after the table or figure above."""
    numbering = _Numbering(docname, first_number(app.env, docname))
    for node in list(doctree.findall(lambda n: isinstance(n, (nodes.raw, nodes.table)))):
        if isinstance(node, nodes.table):
            number = nodes.raw("", NUMBER.format(label=numbering.table()), format="html")
            if not node["ids"]:  # a captioned table needs an id (Sphinx links its caption); the number is unique
                node["ids"].append(numbering.prefix)
            if node.children and isinstance(node.children[0], nodes.title):
                node.children[0].insert(0, number)
            else:
                node.insert(0, nodes.title("", "", number))
        elif "html" in node.get("format", "").split():
            text = numbering.html(node.astext())
            if text != node.astext():
                node.replace_self(nodes.raw(node.rawsource, text, **node.attributes))


def setup(app):
    """The Sphinx extension: number the tables and name the downloads of each page as it is written."""
    app.connect("doctree-resolved", number_tables)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
