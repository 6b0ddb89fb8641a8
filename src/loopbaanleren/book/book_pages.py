"""Sphinx extension for the book's HTML pages: favicon, scripts listed once, Dutch interface, page style.

Without a favicon the browser's request for ``/favicon.ico`` fails on every page. Sphinx 7.4 lists a script
that an extension registers after the builder started twice: once as given (an inline script has the file
name ``None``) and once more from its registry with the file name ``''``, which its duplicate check does not
recognise; the second copy of sphinx-thebe's inline ``const`` declarations is a script error on every page.

Dutch interface: Sphinx has a Dutch catalogue, pydata-sphinx-theme none; ``resources/locale`` holds the theme's
strings in Dutch, compiled here and consulted after Sphinx's own. A few labels are typed in the themes' templates
without translation (``UNTRANSLATED``); they are replaced in the written pages. ``resources/static`` holds the
page style (responsive tables, numbered captions, print style) in one or more style sheets, all added to every page.

Downloads: every table a page writes in Markdown (the colophon's provenance, the parameters of *Zelf opnieuw
uitvoeren*) gets the CSV download the notebooks' tables have (:func:`loopbaanleren.book.report.download_links`),
holding the cells' text, named after the table's header row.

Dutch search: Sphinx 7.4 stems the index in Python with snowballstemmer's ``dutch`` algorithm, which since
snowballstemmer 3 is the new Dutch stemmer (it strips ``ge-``: "gereproduceerd" becomes "reproduceer"), but stems
the reader's query in the browser with its bundled ``dutch-stemmer.js``, the original Snowball Dutch stemmer
("gereproduceerd" stays "gereproduceerd"): the two never meet, and the search finds nothing for such words.
:class:`SearchDutch` indexes with the original algorithm (``dutch_porter``), the one the browser uses.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import snowballstemmer
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from docutils import nodes
from sphinx.search.nl import SearchDutch as SphinxSearchDutch

from loopbaanleren.book.escape import TEXT_ROLE
from loopbaanleren.book.cells import read_number
from loopbaanleren.book.report import download_links, slug
from loopbaanleren.resources import resource_path

FAVICON = "favicon.svg"
CATALOG = "sphinx"

UNTRANSLATED = {
    'title="Toggle secondary sidebar"': 'title="Inhoud van deze pagina tonen of verbergen"',
    'title="Toggle primary sidebar"': 'title="Navigatie tonen of verbergen"',
    'aria-label="Toggle secondary sidebar"': 'aria-label="Inhoud van deze pagina tonen of verbergen"',
    'aria-label="Toggle primary sidebar"': 'aria-label="Navigatie tonen of verbergen"',
    'aria-label="Main"': 'aria-label="Hoofdnavigatie"',
    'aria-label="Page"': 'aria-label="Pagina"',
    'aria-label="Announcement"': 'aria-label="Mededeling"',
    'aria-label="Version switcher list"': 'aria-label="Versies"',
    "Hide code cell source": "Code verbergen",
    "Show code cell source": "Code tonen",
    "Hide code cell output": "Uitvoer verbergen",
    "Show code cell output": "Uitvoer tonen",
    "Hide code cell content": "Code en uitvoer verbergen",
    "Show code cell content": "Code en uitvoer tonen",
}
"""Interface strings the themes write in English whatever the language, and their Dutch text."""


class SearchDutch(SphinxSearchDutch):
    """Sphinx's Dutch search, indexed with the stemmer its JavaScript uses (the original Snowball Dutch)."""

    def init(self, options: dict[str, str]) -> None:
        """Use the Snowball ``dutch_porter`` stemmer (Sphinx's default Dutch stemmer differs from its JavaScript's)."""
        self.stemmer = snowballstemmer.stemmer("dutch_porter")


def compiled_catalog(language: str) -> Path | None:
    """A locale folder holding the package's catalogue for ``language`` as a compiled ``.mo``; None without one."""
    po = resource_path(f"locale/{language}/LC_MESSAGES/{CATALOG}.po")
    if not po.is_file():
        return None
    folder = Path(tempfile.mkdtemp(prefix="loopbaanleren-locale-"))
    target = folder / language / "LC_MESSAGES"
    target.mkdir(parents=True)
    with po.open("rb") as source, (target / f"{CATALOG}.mo").open("wb") as out:
        write_mo(out, read_po(source, locale=language))
    return folder


def add_translations(app, config) -> None:
    """Add the package's Dutch theme strings behind Sphinx's own catalogue."""
    folder = compiled_catalog(config.language or "en")
    if folder is not None:
        app.add_message_catalog(CATALOG, str(folder))


def style_sheets() -> list[str]:
    """The package's style sheets, ``resources/static/*.css``, in name order (the base, ``loopbaanleren.css``, first)."""
    names = sorted(path.name for path in resource_path("static").glob("*.css"))
    return sorted(names, key=lambda name: name != "loopbaanleren.css")


def add_style(app, config) -> None:
    """Serve the package's page style on every page: each of :func:`style_sheets`, and each script of
    ``resources/static`` (the figures' full-size view) once."""
    static = str(resource_path("static"))
    if static not in config.html_static_path:
        config.html_static_path.append(static)
    for sheet in style_sheets():
        app.add_css_file(sheet)
    for script in sorted(path.name for path in resource_path("static").glob("*.js")):
        app.add_js_file(script, loading_method="defer")


def dutch_interface(text: str) -> str:
    """A written page with the themes' untranslated labels in Dutch."""
    for english, dutch in UNTRANSLATED.items():
        text = text.replace(english, dutch)
    return text


def translate_pages(app, exception) -> None:
    """After a successful HTML build, replace the untranslated labels in every page."""
    if exception is not None or app.builder.format != "html" or (app.config.language or "en") != "nl":
        return
    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        translated = dutch_interface(text)
        if translated != text:
            page.write_text(translated, encoding="utf-8")


def use_favicon(app, config) -> None:
    """Serve the package's favicon unless the book names its own."""
    if not config.html_favicon:
        config.html_favicon = str(resource_path(FAVICON))


def drop_repeated_scripts(app, pagename, templatename, context, doctree) -> None:
    """Keep the first of scripts that differ only in ``None`` or ``''`` as file name."""
    seen, kept = set(), []
    for script in context.get("script_files", []):
        key = (script.filename or "", script.priority, tuple(sorted(script.attributes.items())))
        if key not in seen:
            seen.add(key)
            kept.append(script)
    context["script_files"] = kept


def table_frame(table: nodes.table) -> pd.DataFrame:
    """A docutils table's cells: the header row as columns, the body rows as rows, a cell that shows a number as
    that number (:func:`loopbaanleren.book.cells.read_number`), any other as its text."""

    def cells(row: nodes.row) -> list[str]:
        return [" ".join(entry.astext().split()) for entry in row.findall(nodes.entry)]

    head = [cells(row) for part in table.findall(nodes.thead) for row in part.findall(nodes.row)]
    body = [cells(row) for part in table.findall(nodes.tbody) for row in part.findall(nodes.row)]
    columns = head[0] if head else [f"kolom {i + 1}" for i in range(max(map(len, body), default=0))]
    return pd.DataFrame(body, columns=columns).map(read_number)


def add_table_downloads(app, doctree, docname) -> None:
    """After each table of a page's own text, a CSV download of its cells."""
    for table in list(doctree.findall(nodes.table)):
        data = table_frame(table)
        table.parent.insert(table.parent.index(table) + 1,
                            nodes.raw("", download_links(data, slug("-".join(data.columns))), format="html"))


def text_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """The role ``{ll-tekst}`` (:func:`loopbaanleren.book.escape.myst_text`): its content as plain text, in a span that
    Sphinx's smart quotes leave alone (a file name keeps its straight quotes, ``--`` and ``...``)."""
    if len(text) > 2 and text[0] == text[-1] == " " and (text[1] == "`" or text[-2] == "`"):
        text = text[1:-1]
    return [nodes.inline(rawtext, text, classes=[TEXT_ROLE], support_smartquotes=False)], []


def setup(app):
    """The Sphinx extension: Dutch search, the package's favicon, translations and style, one copy of each script,
    a download of each Markdown table, the role that shows user text as text.

    Returns the extension's metadata (safe for parallel reading and writing).
    """
    app.add_search_language(SearchDutch)
    app.add_role(TEXT_ROLE, text_role)
    app.connect("config-inited", use_favicon)
    app.connect("config-inited", add_translations)
    app.connect("config-inited", add_style)
    app.connect("html-page-context", drop_repeated_scripts)
    app.connect("doctree-resolved", add_table_downloads)
    app.connect("build-finished", translate_pages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
