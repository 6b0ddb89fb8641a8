"""Sphinx extension for the book's HTML pages: the compendium's favicon, and every script listed once.

Without a favicon the browser's request for ``/favicon.ico`` fails on every page. Sphinx 7.4 lists a script
that an extension registers after the builder started twice: once as given (an inline script has the file
name ``None``) and once more from its registry with the file name ``''``, which its duplicate check does not
recognise; the second copy of sphinx-thebe's inline ``const`` declarations is a script error on every page.
"""

from __future__ import annotations

from loopbaanleren.resources import resource_path

FAVICON = "favicon.svg"


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


def setup(app):
    app.connect("config-inited", use_favicon)
    app.connect("html-page-context", drop_repeated_scripts)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
