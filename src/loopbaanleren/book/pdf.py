"""The whole book as one PDF (``make pdf``), printed offline by headless Chromium from the built HTML.

:func:`print_html` joins the article of every page of the table of contents, in its order, into one page
``_print.html`` beside the PDF. Its ``<base>`` is the book's HTML folder, so the book's style sheets apply, with their
print rules (no navigation, every table complete and unclipped, each chapter on a new page), while the book's own
folder is never written to. Scripts are left out, so the sortable tables are printed as the plain tables they are
built from. Chromium has no Dutch hyphenation of its own: :func:`break_long_words` gives the long words of every table
cell their Dutch hyphenation points (soft hyphens) and the identifiers a break after each ``_``, so that a wide table's
columns can narrow to the page instead of to their longest word. :func:`make_pdf` prints that page with Chromium's
``--print-to-pdf`` and removes it again.

Run ``python -m loopbaanleren.book.pdf [project]``: reads ``book/_toc.yml`` and ``book/_build/html`` of the project
(default: the current folder) and writes ``book/_build/pdf/loopbaanleren.pdf``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path

import pyphen
import yaml
from bs4 import BeautifulSoup, NavigableString, Tag

from loopbaanleren.errors import BuildError
from loopbaanleren.book.chapter_graph import toc_files
from loopbaanleren.book.escape import html_text

CHROMIUM = ("chromium", "chromium-browser", "google-chrome")
PRINT_PAGE = "_print.html"
PDF_NAME = "loopbaanleren.pdf"
LONG_WORD = 16
"""Letters in a row from which a word in a table cell gets hyphenation points."""
LONG_LETTERS = re.compile(rf"[^\W\d_]{{{LONG_WORD},}}")


def toc_pages(book: Path) -> list[str]:
    """The pages of the book's table of contents, in order (the root first)."""
    toc = yaml.safe_load((book / "_toc.yml").read_text(encoding="utf-8"))
    return toc_files(toc)


@cache
def _dutch() -> pyphen.Pyphen:
    """The Dutch hyphenation dictionary (read once)."""
    return pyphen.Pyphen(lang="nl_NL", left=3, right=3)


def hyphenated(text: str) -> str:
    """``text`` with soft hyphens at the Dutch hyphenation points of each run of ``LONG_WORD`` letters or more."""
    return LONG_LETTERS.sub(lambda m: _dutch().inserted(m.group(), hyphen="\u00ad"), text)


def breakable(word: str) -> str:
    """``word`` hyphenated, or, an identifier, with a NUL (a ``<wbr>`` to be) after each ``_``."""
    return word.replace("_", "_\0") if "_" in word else hyphenated(word)


def break_long_words(root: Tag) -> None:
    """Let the long words of the table cells under ``root`` break: identifiers after each ``_``, words hyphenated."""
    for cell in root.select("td, th"):
        for string in list(cell.find_all(string=True)):
            if not string or type(string) is not NavigableString or string.find_parent("code"):
                continue
            first, *rest = re.sub(r"\S+", lambda m: breakable(m.group()), str(string)).split("\0")
            parts = [first]
            for chunk in rest:
                parts += [Tag(name="wbr", can_be_empty_element=True), chunk]
            string.replace_with(*(part for part in parts if part != ""))


def print_html(html_dir: Path, pages: list[str], folder: Path) -> Path:
    """Write ``folder/_print.html``: the front page's head, based on ``html_dir``, and each page's article, no scripts."""
    first = BeautifulSoup((html_dir / f"{pages[0]}.html").read_text(encoding="utf-8"), "html.parser")
    head = first.head
    for script in head.find_all("script"):
        script.decompose()
    head.insert(0, first.new_tag("base", href=html_dir.resolve().as_uri() + "/"))
    banner = first.select_one(".bd-header-announcement")
    parts = []
    for name in pages:
        path = html_dir / f"{name}.html"
        if not path.is_file():
            continue
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        article = soup.select_one("article.bd-article") or soup.select_one("main")
        for tag in article.find_all(["script", "noscript"]):
            tag.decompose()
        for tag in article.select(".ll-downloads, .headerlink, .toggle-details__summary, button"):
            tag.decompose()
        for details in article.find_all("details"):
            if "ll-how" not in details.get("class", []):  # the front page's panels print closed, as their claim ids
                details["open"] = ""
        break_long_words(article)
        parts.append(f'<section class="ll-book-page" id="pagina-{name}">{article.decode_contents()}</section>')
    notice = f'<div class="ll-print-banner">{html_text(banner.get_text(" ", strip=True))}</div>' if banner else ""
    page = (
        f'<!DOCTYPE html><html lang="nl">{head}<body class="ll-print">{notice}'
        f'<main class="bd-main"><div class="bd-article-container"><article class="bd-article">'
        f'{"".join(parts)}</article></div></main></body></html>'
    )
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / PRINT_PAGE
    target.write_text(page, encoding="utf-8")
    return target


def chromium() -> str:
    """The path of a Chromium executable; a clear error without one."""
    for name in CHROMIUM:
        found = shutil.which(name)
        if found:
            return found
    raise BuildError("make pdf needs Chromium (Debian: apt-get install chromium); none found on PATH")


def make_pdf(html_dir: Path, pages: list[str], out: Path, browser: str | None = None) -> Path:
    """Print the book's pages (``pages``, in order) from ``html_dir`` to the PDF ``out``; return ``out``."""
    source = print_html(html_dir, pages, out.parent)
    partial = out.with_suffix(".part.pdf")
    command = [
        browser or chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-pdf-header-footer", "--run-all-compositor-stages-before-draw", "--virtual-time-budget=20000",
        f"--print-to-pdf={partial}", source.resolve().as_uri(),
    ]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    finally:
        source.unlink(missing_ok=True)
    if done.returncode != 0 or not partial.is_file() or partial.stat().st_size == 0:
        partial.unlink(missing_ok=True)
        raise BuildError(f"Chromium could not print the book (exit code {done.returncode}):\n{done.stderr[-2000:]}")
    partial.replace(out)
    return out


def main(argv: list[str] | None = None) -> int:
    """Print the built book of the project at ``argv[0]`` (default: the working folder) into one PDF.

    Returns the exit code: 0 when printed, 1 when Chromium failed, 2 when no book is built.
    """
    args = sys.argv[1:] if argv is None else argv
    project = Path(args[0]) if args else Path.cwd()
    html_dir = project / "book" / "_build" / "html"
    if not (html_dir / "index.html").is_file():
        print(f"no built book in {html_dir}: run `make book` first", file=sys.stderr)
        return 2
    try:
        out = make_pdf(html_dir, toc_pages(project / "book"), project / "book" / "_build" / "pdf" / PDF_NAME)
    except BuildError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"PDF: {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
