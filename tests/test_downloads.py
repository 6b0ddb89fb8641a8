"""The built book's downloads: plain numbers a program can read, Dutch headers, one name per file, each CSV with
its data dictionary, and tables numbered the same in the HTML and the PDF's print page."""

from __future__ import annotations

import base64
import csv
import io
import json
import re
from collections import Counter

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from loopbaanleren.book.pdf import print_html, toc_pages

DISPLAY = {
    "decimal comma": re.compile(r"^[−-]?\d+,\d+%?$"),
    "thousands point": re.compile(r"^[−-]?[1-9]\d{0,2}(\.\d{3})*\.\d{2}0$"),  # a float's repr ends in no 0
    "interval": re.compile(r"^\[.*;.*\]$"),
    "percent": re.compile(r"^[−-]?\d+(,\d+)?\s?%$"),
    "p as text": re.compile(r"^p [<=>] "),
    "true minus": re.compile(r"^−\d"),
    "mean with n": re.compile(r"^[−-]?\d+,\d+ \(\d"),
}
"""How a number looks when it is written for a reader rather than a program."""

ENGLISH = {"mean", "ci_low", "ci_high", "group", "measure", "population", "panel", "beta", "label", "value",
           "count", "share", "estimate", "lower", "upper"}
"""English column names the figures' data had."""

DOWNLOAD_NAME = re.compile(r"^(\d\d|[a-z]+)-(tabel|figuur)-(\d+)-[a-z0-9-]+\.(csv|xlsx|schema\.json)$")


def downloads(built_book):
    """Every download of every page: (page, file name, bytes)."""
    found = []
    for page in sorted(built_book.html.glob("*.html")):
        if page.name.startswith("_"):
            continue
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for link in soup.select("a.ll-download"):
            found.append((page.stem, link["download"], base64.b64decode(link["href"].split("base64,", 1)[1])))
    return found


@pytest.fixture(scope="module")
def book_downloads(built_book):
    return downloads(built_book)


def csv_files(book_downloads):
    return [(page, name, body) for page, name, body in book_downloads if name.endswith(".csv")]


def test_every_csv_download_holds_plain_numbers_and_dutch_headers(book_downloads):
    checked = 0
    for page, name, body in csv_files(book_downloads):
        rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
        header, cells = rows[0], [cell.strip() for row in rows[1:] for cell in row]
        shown = {kind: cell for cell in cells for kind, pattern in DISPLAY.items() if pattern.search(cell)}
        assert not shown, (page, name, shown)
        assert not ENGLISH & set(header), (page, name, header)
        pd.read_csv(io.BytesIO(body), encoding="utf-8-sig")
        checked += 1
    print(f"{checked} CSV downloads checked")
    assert checked > 100


def test_every_download_name_is_unique_and_names_its_chapter_and_number(book_downloads):
    names = Counter(name for _, name, _ in book_downloads)
    assert [name for name, times in names.items() if times > 1] == []
    for page, name, _ in book_downloads:
        found = DOWNLOAD_NAME.match(name)
        assert found, (page, name)
        assert page.startswith(found.group(1)) or page == found.group(1), (page, name)


def test_every_csv_has_a_table_schema_naming_exactly_its_columns(book_downloads):
    files = {name: body for _, name, body in book_downloads}
    for page, name, body in csv_files(book_downloads):
        schema = json.loads(files[name.removesuffix(".csv") + ".schema.json"])
        frame = pd.read_csv(io.BytesIO(body), encoding="utf-8-sig", dtype=str, keep_default_na=False)
        assert [field["name"] for field in schema["fields"]] == list(frame.columns), (page, name)
        for field in schema["fields"]:
            assert field["type"] in {"string", "number", "integer", "boolean", "any"} and field["description"]
            if field["type"] in {"number", "integer"}:
                values = [v for v in frame[field["name"]] if v not in schema["missingValues"]]
                convert = int if field["type"] == "integer" else float
                for value in values:  # each value parses as its declared type (ValueError otherwise)
                    convert(value)


def test_table_captions_and_download_names_carry_the_same_number(built_book):
    checked = 0
    for page in toc_pages(built_book.project / "book"):
        soup = built_book.page(page)
        for caption in soup.select("article table > caption"):
            number = caption.select_one(".ll-table-number")
            assert number is not None, (page, caption.get_text()[:60])
            label = re.fullmatch(r"Tabel (?:(\d+)\.)?(\d+)\.", number.get_text())
            assert label, number.get_text()
            table = caption.find_parent("table")
            shown = lambda tag: tag.name not in ("script", "style")  # noqa: E731 (an interactive table's script)
            box = table
            while box.find_next_sibling(shown) is None and box.parent.name == "div":
                box = box.parent
            following = box.find_next_sibling(shown)
            link = following.select_one("a.ll-download")
            prefix = f"{label.group(1).zfill(2) if label.group(1) else page}-tabel-{label.group(2)}-"
            assert link["download"].startswith(prefix), (page, number.get_text(), link["download"])
            checked += 1
    assert checked > 50


def test_the_print_page_numbers_the_tables_as_the_html_pages_do(built_book, tmp_path):
    pages = toc_pages(built_book.project / "book")
    printed = BeautifulSoup(print_html(built_book.html, pages, tmp_path).read_text(encoding="utf-8"), "html.parser")
    def captions(soup):  # a caption's text without Sphinx's permalink sign
        for link in soup.select("caption a.headerlink"):
            link.decompose()
        return [" ".join(c.get_text().split()) for c in soup.select("caption")]

    on_pages = [text for p in pages for text in captions(built_book.page(p).select_one("article"))]
    in_print = captions(printed)
    assert in_print == on_pages and len(on_pages) > 50
    assert "Tabel 1.1." in " ".join(on_pages)
