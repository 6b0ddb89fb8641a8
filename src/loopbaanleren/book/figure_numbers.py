"""Sphinx extension that numbers the book's figures: "Figuur N." at the start of each caption, in the page's text.

The figures are HTML that the notebooks write (:func:`loopbaanleren.book.figure_output.figure_html`), not Sphinx figures, so
Sphinx's ``numfig`` does not see them. Like ``numfig`` in a book without section numbers, the figures are numbered
through the whole book in the order of its table of contents; the number is part of the HTML, so the book and
its PDF (printed from the HTML by :mod:`loopbaanleren.book.pdf`) show the same number, and a screen reader reads it.
"""

from __future__ import annotations

import itertools

from docutils import nodes

FIGURE_START = '<figure class="ll-figure"'
"""How a figure of :func:`loopbaanleren.book.figure_output.figure_html` begins."""

CAPTION = "<figcaption>"
"""Where a figure's caption begins: its number follows."""

LABEL = '<span class="ll-figure-number">Figuur {number}.</span> '
"""What a figure's caption starts with; the style sheet sets the class in bold."""


def _figures(doctree: nodes.Node) -> list[nodes.raw]:
    return [node for node in doctree.findall(nodes.raw) if FIGURE_START in node.astext()]


def count_figures(app, doctree: nodes.Node) -> None:
    """Note how many figures the page just read holds."""
    app.env.ll_figure_counts = getattr(app.env, "ll_figure_counts", {})
    app.env.ll_figure_counts[app.env.docname] = sum(node.astext().count(CAPTION) for node in _figures(doctree))


def forget_page(app, env, docname: str) -> None:
    """Drop a page's count before it is read again."""
    getattr(env, "ll_figure_counts", {}).pop(docname, None)


def merge_counts(app, env, docnames, other) -> None:
    """Take the counts of pages read in a parallel process."""
    env.ll_figure_counts = getattr(env, "ll_figure_counts", {}) | {
        name: count for name, count in getattr(other, "ll_figure_counts", {}).items() if name in docnames
    }


def page_order(env) -> list[str]:
    """The pages in the order of the table of contents (depth first from the root), then any others by name."""
    order: list[str] = []

    def visit(docname: str) -> None:
        if docname in order:
            return
        order.append(docname)
        for child in env.toctree_includes.get(docname, ()):
            visit(child)

    visit(env.config.root_doc)
    return order + sorted(set(env.found_docs) - set(order))


def first_number(env, docname: str) -> int:
    """The number of the first figure on ``docname``."""
    counts = getattr(env, "ll_figure_counts", {})
    before = page_order(env)
    return 1 + sum(counts.get(name, 0) for name in before[: before.index(docname)])


def number_figures(app, doctree: nodes.Node, docname: str) -> None:
    """Start the caption of each figure on the page with its number in the book."""
    numbers = itertools.count(first_number(app.env, docname))
    for node in _figures(doctree):
        parts = node.astext().split(CAPTION)
        text = parts[0] + "".join(CAPTION + LABEL.format(number=next(numbers)) + part for part in parts[1:])
        node.replace_self(nodes.raw(node.rawsource, text, **node.attributes))


def setup(app):
    """The Sphinx extension: count the figures of each page as it is read, number them as it is written."""
    app.connect("doctree-read", count_figures)
    app.connect("env-purge-doc", forget_page)
    app.connect("env-merge-info", merge_counts)
    app.connect("doctree-resolved", number_figures)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
