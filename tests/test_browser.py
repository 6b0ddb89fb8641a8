"""The built book in a real browser: headless Chromium (Debian's ``chromium``) driven by Playwright.

The book of the session's end-to-end build is served on 127.0.0.1. Checked: the front page loads without
console errors or failed requests, every page of the table of contents is reachable from the front page's
navigation and loads cleanly, no internal link or anchor is broken, every image has alt text and shows, the
search page finds a known word, and a screenshot of the front page is saved to ``$SCREENSHOT_DIR/front.png``
(default: ``screenshots/`` in the test's build folder; the path is printed and recorded as the test property
``screenshot``). At 1400 and at 390 px (a phone) on every page: the page body never scrolls sideways, every
figure's text is at least 9 px high as rendered, no console errors; the search finds ten Dutch words of the text;
the sortable tables work; the PDF of the book holds every chapter and every table complete (each row's cells on one
page, no text off the page, none shrunk below 7 pt) and numbers every figure once, as the book does. Without Chromium
or Playwright these tests are skipped; the two without a browser check the Sphinx extension that keeps the pages free
of script errors and favicon requests that fail.
"""

from __future__ import annotations

import math
import os
import re
import unicodedata
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urldefrag, urljoin, urlparse

import pytest
import yaml
from bs4 import BeautifulSoup
from build_helpers import serve
from PIL import Image
from sphinx.builders.html._assets import _JavaScript

from loopbaanleren.book.book_pages import drop_repeated_scripts, use_favicon
from loopbaanleren.book.chapter_graph import toc_files

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SEARCH_WORD = "studieloopbaanbegeleiders"
DUTCH_WORDS = (
    "gereproduceerd", "onderdrukt", "beweringen", "studieloopbaanbegeleiders", "praktijkgerichtheid",
    "loopbaancompetenties", "hogescholen", "betrouwbaarheidsinterval", "synthetische", "gesprekken",
)
"""Words of the book's text (inflected as in the text) that the Dutch search must find."""
WIDTHS = (1400, 390)
MIN_TEXT_PX = 9
PDF_MIN_PT = 7
"""The smallest text of the PDF, in points (the tables' code); smaller, the pages were shrunk to fit."""



class Watched:
    """A browser page that records console errors, uncaught script errors and failed requests."""

    def __init__(self, browser, width: int = 1280):
        self.page = browser.new_page(viewport={"width": width, "height": 900})
        self.problems: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.problems.append(f"console: {m.text}"))
        self.page.on("pageerror", lambda e: self.problems.append(f"script error: {e}"))
        self.page.on("requestfailed", lambda r: self.problems.append(f"request failed: {r.url}"))
        self.page.on("response", lambda r: r.status >= 400 and self.problems.append(f"HTTP {r.status}: {r.url}"))

    def open(self, url: str) -> list[str]:
        """Load ``url`` until the network is idle; the problems seen while doing so."""
        self.problems.clear()
        response = self.page.goto(url, wait_until="networkidle")
        assert response is not None and response.ok, f"{url}: HTTP {response.status if response else 'none'}"
        return list(self.problems)


@pytest.fixture(scope="module")
def site(built_book):
    with serve(built_book.html) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    playwright = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    if not CHROMIUM.is_file():
        pytest.skip(f"{CHROMIUM} is missing: `make test` installs Debian's chromium (as root)")
    with playwright.sync_playwright() as driver:
        chromium = driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def toc_pages(built_book) -> list[str]:
    toc = yaml.safe_load((built_book.project / "book" / "_toc.yml").read_text(encoding="utf-8"))
    return toc_files(toc)


def test_front_page_loads_without_errors_and_is_captured(browser, site, built_book, record_property):
    tab = Watched(browser)
    assert tab.open(f"{site}/index.html") == []
    assert "Loopbaanleren in het hbo" in tab.page.title()
    assert tab.page.locator("main h1:visible").count() == 1
    folder = Path(os.environ.get("SCREENSHOT_DIR") or built_book.project / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    shot = folder / "front.png"
    tab.page.screenshot(path=str(shot))
    record_property("screenshot", str(shot))
    print(f"screenshot of the front page: {shot}")
    with Image.open(shot) as image:
        assert image.size == (1280, 900)
        assert len(image.convert("L").getcolors()) > 10  # not a blank page


def test_every_toc_page_is_reachable_and_every_image_has_alt_text(browser, site, toc_pages):
    tab = Watched(browser)
    tab.open(f"{site}/index.html")
    linked = tab.page.eval_on_selector_all("nav.bd-docs-nav a.reference.internal", "els => els.map(e => e.href)")
    reached = {Path(urlparse(url).path).stem for url in linked if not url.endswith("#")}
    assert reached == set(toc_pages) - {"index"}
    images = 0
    for name in toc_pages:
        assert tab.open(f"{site}/{name}.html") == [], name
        assert tab.page.locator("main h1:visible").count() == 1, name
        shown = tab.page.eval_on_selector_all(
            "main img", "els => els.map(e => [e.getAttribute('src'), e.getAttribute('alt'), e.complete && e.naturalWidth])"
        )
        for src, alt, width in shown:
            assert alt and alt.strip(), f"{name}: image {src[:80]} has no alt text"
            assert width, f"{name}: image {src[:80]} does not show"
        images += len(shown)
    assert images > 0


def internal_links(html: Path, page: Path) -> set[str]:
    """Targets (relative to the site root, with fragment) of the links and images of a built page."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    targets = set()
    base = f"http://site/{page.relative_to(html).as_posix()}"
    for tag, attribute in (("a", "href"), ("img", "src"), ("link", "href"), ("script", "src")):
        for element in soup.find_all(tag):
            url = element.get(attribute)
            if not url or urlparse(url).scheme in ("mailto", "data", "javascript") or url.startswith("//"):
                continue
            resolved = urljoin(base, url)
            if resolved.startswith("http://site/"):
                targets.add(resolved.removeprefix("http://site/"))
    return targets


def test_no_internal_link_is_broken(built_book):
    html = built_book.html
    pages = sorted(html.glob("*.html"))
    soups = {page.name: BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser") for page in pages}
    ids = {name: {tag["id"] for tag in soup.find_all(id=True)} for name, soup in soups.items()}
    checked, broken = 0, []
    for page in pages:
        for target in sorted(internal_links(html, page)):
            path, fragment = urldefrag(target)
            path = path.split("?")[0] or page.name
            checked += 1
            if not (html / path).is_file():
                broken.append(f"{page.name} -> {target}: no such file")
            elif fragment and path.endswith(".html") and fragment not in ids[path]:
                broken.append(f"{page.name} -> {target}: no such anchor")
    assert broken == []
    assert checked > 10 * len(pages)


def test_search_finds_a_known_word(browser, site, toc_pages):
    pages = {f"{name}.html" for name in toc_pages}
    tab = Watched(browser)
    tab.open(f"{site}/search.html?q={SEARCH_WORD}")
    tab.page.wait_for_selector("#search-results ul.search li a", timeout=30_000)
    hits = tab.page.eval_on_selector_all("#search-results ul.search li a", "els => els.map(e => e.getAttribute('href'))")
    assert any(href.split("?")[0].split("#")[0] in pages for href in hits), hits
    assert tab.page.locator("#search-results span.highlighted").first.inner_text().casefold() == SEARCH_WORD
    assert tab.problems == []


def test_each_script_is_listed_once():
    """Sphinx 7.4 lists a late inline script twice, as file name None and ''; the book's pages keep one."""
    inline, again = _JavaScript(None, body="const X = 1"), _JavaScript("", body="const X = 1")
    scripts = [inline, _JavaScript("_static/a.js"), again, _JavaScript("_static/a.js", priority=800)]
    context = {"script_files": scripts}
    drop_repeated_scripts(None, "index", "page.html", context, None)
    assert context["script_files"] == [inline, scripts[1], scripts[3]]


def test_the_book_has_a_favicon_unless_it_names_one():
    config = SimpleNamespace(html_favicon=None)
    use_favicon(None, config)
    assert Path(config.html_favicon).read_text(encoding="utf-8").startswith("<svg")
    own = SimpleNamespace(html_favicon="_static/logo.png")
    use_favicon(None, own)
    assert own.html_favicon == "_static/logo.png"


SIDEWAYS = """() => {
  const root = document.scrollingElement || document.documentElement;
  return {page: root.scrollWidth, view: window.innerWidth};
}"""

FIGURE_TEXT = """() => Array.from(document.querySelectorAll('main img')).map(img => ({
  alt: (img.getAttribute('alt') || '').slice(0, 60),
  font: parseFloat(img.dataset.minFontPt),
  inches: parseFloat(img.dataset.widthIn),
  shown: img.getBoundingClientRect().width,
}))"""


@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_scrolls_sideways_and_figure_text_is_readable(browser, site, toc_pages, width, record_property):
    """On every page at ``width`` px: no sideways scrolling of the page body, figure text >= 9 px, no errors."""
    figures, smallest, checked = 0, float("inf"), []
    for name in toc_pages:
        tab = Watched(browser, width)  # a fresh tab per page: no request of the previous page is cut off
        assert tab.open(f"{site}/{name}.html") == [], name
        extent = tab.page.evaluate(SIDEWAYS)
        assert extent["page"] <= extent["view"], f"{name} at {width} px: the page is {extent['page']} px wide"
        on_page = []
        for figure in tab.page.evaluate(FIGURE_TEXT):
            assert figure["font"] > 0 and figure["inches"] > 0, f"{name}: figure {figure['alt']} has no size data"
            # the PNG is drawn for width_in * 96 CSS px; text of f points is f * 96/72 px at that size
            text_px = figure["font"] * 96 / 72 * figure["shown"] / (figure["inches"] * 96)
            assert text_px >= MIN_TEXT_PX, f"{name} at {width} px: text of {figure['alt']} is {text_px:.1f} px"
            on_page.append(text_px)
        figures, smallest = figures + len(on_page), min([smallest, *on_page])
        tables = tab.page.locator("main table").count()
        checked.append(f"  {name:<22} page {extent['page']:>4} px of {extent['view']}, {tables:>2} tables, "
                       f"{len(on_page):>2} figures" + (f", smallest text {min(on_page):.1f} px" if on_page else ""))
        tab.page.close()
    assert figures > 10
    record_property(f"smallest_figure_text_px_{width}", round(smallest, 1))
    print(f"{width} px: {len(toc_pages)} pages, {figures} figures, smallest figure text {smallest:.1f} px, "
          "no console errors, no sideways scrolling:", *checked, sep="\n")


@pytest.fixture(scope="module")
def book_text(built_book, toc_pages) -> str:
    return " ".join(built_book.page(name).select_one("main").get_text(" ") for name in toc_pages)


@pytest.mark.parametrize("word", DUTCH_WORDS)
def test_search_finds_dutch_words_of_the_text(browser, site, toc_pages, book_text, word):
    assert word in book_text, f"{word!r} is not a word of the book"
    pages = {f"{name}.html" for name in toc_pages}
    tab = Watched(browser)
    tab.open(f"{site}/search.html?q={word}")
    tab.page.wait_for_selector("#search-results ul.search li a", timeout=30_000)
    hits = tab.page.eval_on_selector_all("#search-results ul.search li a", "els => els.map(e => e.getAttribute('href'))")
    assert any(href.split("?")[0].split("#")[0] in pages for href in hits), (word, hits)
    assert tab.problems == []


def test_interface_strings_are_dutch(built_book, toc_pages):
    for name in toc_pages:
        text = (built_book.html / f"{name}.html").read_text(encoding="utf-8")
        for english in ("Skip to main content", "Toggle secondary sidebar", "Toggle primary sidebar", "Back to top",
                        'aria-label="Main"'):
            assert english not in text, (name, english)
        assert "Direct naar de inhoud" in text, name


def test_the_ledger_is_sortable_and_filterable_offline(browser, site):
    tab = Watched(browser)
    assert tab.open(f"{site}/90_claims.html") == []
    table = tab.page.locator("table[data-ll-interactive]")
    tab.page.wait_for_selector("table[data-ll-interactive].dataTable", timeout=30_000)
    rows = tab.page.locator("table[data-ll-interactive] tbody tr")
    total = rows.count()
    assert total > 100
    search = tab.page.locator(".dt-search input")
    search.fill("Techniek")
    shown = tab.page.locator("table[data-ll-interactive] tbody tr").count()
    assert 0 < shown < total
    search.fill("")
    header = table.locator("thead th").nth(1)
    header.click()
    assert tab.problems == []


def test_every_ledger_anchor_resolves(built_book):
    from loopbaanleren.data.registry import load_registry

    ledger = built_book.page("90_claims")
    rows = {tr["id"] for tr in ledger.select("table[data-ll-interactive] tbody tr[id]")}
    assert rows == {claim.id for claim in load_registry()}
    links = [a["href"] for a in built_book.page("index").select("a.ll-claim-link")]
    assert links
    for href in links:
        page, _, anchor = href.partition("#")
        assert page == "90_claims.html" and anchor in rows, href


def squashed(text: str) -> str:
    """``text`` as compared with the PDF's: no spaces or hyphens (where a line breaks), no ligatures."""
    return re.sub(r"[\s\u00ad\u2010-]+", "", unicodedata.normalize("NFKC", text))


def read_pdf(path: Path) -> SimpleNamespace:
    """The text of each page of a PDF, each piece of text that starts off its page, and the smallest text's size."""
    import pypdf

    texts, off_page, sizes = [], [], []
    for number, page in enumerate(pypdf.PdfReader(path).pages, 1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)

        def visit(text, cm, tm, font, size, number=number, width=width, height=height):
            if text.strip():
                a, b, _, _, x, y = pypdf.mult(tm, cm)
                sizes.append(size * math.hypot(a, b))
                if not (0 <= x < width and 0 <= y < height):
                    off_page.append((number, text))

        texts.append(page.extract_text(visitor_text=visit) or "")
    return SimpleNamespace(texts=texts, off_page=off_page, smallest=min(sizes))


def missing_table_rows(pdf_pages: list[str], tables: list[tuple[str, BeautifulSoup]]) -> list[str]:
    """The rows of ``tables`` (name, table; in the book's order) whose cells are not all on one page of the PDF."""
    pages = [squashed(text) for text in pdf_pages]
    missing, at = [], 0
    for name, table in tables:
        for row in table.find_all("tr"):
            cells = [cell for cell in (squashed(c.get_text(" ")) for c in row.find_all(["th", "td"])) if cell]
            found = next((n for n in range(at, len(pages)) if all(cell in pages[n] for cell in cells)), None)
            if found is None:
                caption = table.caption.get_text(" ", strip=True) if table.caption else ""
                missing.append(f"{name} {caption!r}: {[c for c in cells if c not in pages[at]][:4]}")
            else:
                at = found
    return missing


def test_the_pdf_holds_every_chapter_every_table_complete_and_each_figure_number_once(built_book, toc_pages, record_property, tmp_path):
    pytest.importorskip("pypdf")
    if not CHROMIUM.is_file():
        pytest.skip(f"{CHROMIUM} is missing")
    from loopbaanleren.book.pdf import make_pdf

    book_files = sorted(built_book.html.rglob("*"))
    out = make_pdf(built_book.html, toc_pages, tmp_path / "boek.pdf", str(CHROMIUM))
    assert sorted(built_book.html.rglob("*")) == book_files, "printing wrote into the book's folder"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["boek.pdf"]
    pdf = read_pdf(out)
    text = " ".join(" ".join(page.split()) for page in pdf.texts)
    record_property("pdf_pages", len(pdf.texts))
    print(f"PDF: {len(pdf.texts)} pages")
    pages = {name: built_book.page(name) for name in toc_pages}
    for name, page in pages.items():
        title = " ".join(page.select_one("main h1").get_text(" ").replace("#", "").split())
        assert title[:40] in text, f"chapter {name} ({title!r}) is not in the PDF"
    tables = [(name, table) for name, page in pages.items() for table in page.select("article.bd-article table")]
    assert {name for name, _ in tables} >= {"00_data", "90_claims", "92_robuustheid"}
    assert missing_table_rows(pdf.texts, tables) == [], "a table is cut off in the PDF"
    assert pdf.off_page == [], "text off the page"
    assert round(pdf.smallest, 1) >= PDF_MIN_PT, "the pages were shrunk to fit something too wide"
    figures = sum(len(page.select("figure.ll-figure:not(.ll-scorecard-figure)")) for page in pages.values())  # numbered
    numbers = [int(number) for number in re.findall(r"Figuur (\d+)\.", text)]
    assert numbers == list(range(1, figures + 1)), "each figure numbered once, as in the book"
