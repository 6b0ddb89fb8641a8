"""The built book in a real browser: headless Chromium (Debian's ``chromium``) driven by Playwright.

The book of the session's end-to-end build is served on 127.0.0.1. Checked: the front page loads without
console errors or failed requests, every page of the table of contents is reachable from the front page's
navigation and loads cleanly, no internal link or anchor is broken, every image has alt text and shows, the
search page finds a known word, and a screenshot of the front page is saved to ``$SCREENSHOT_DIR/front.png``
(default: ``screenshots/`` in the test's build folder; the path is printed and recorded as the test property
``screenshot``). Without Chromium or Playwright these tests are skipped; the two without a browser check the
Sphinx extension that keeps the pages free of script errors and favicon requests that fail.
"""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urldefrag, urljoin, urlparse

import pytest
import yaml
from bs4 import BeautifulSoup
from hardening_helpers import serve
from PIL import Image
from sphinx.builders.html._assets import _JavaScript

from loopbaanleren.book_pages import drop_repeated_scripts, use_favicon
from loopbaanleren.pipeline import toc_files

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



class Watched:
    """A browser page that records console errors, uncaught script errors and failed requests."""

    def __init__(self, browser):
        self.page = browser.new_page(viewport={"width": 1280, "height": 900})
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
