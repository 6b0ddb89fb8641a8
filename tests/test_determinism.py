"""Two builds with the same data, parameters and seed give the same book.

The session's end-to-end build is repeated from scratch in a fresh copy of the project (no cache, the synthetic
data simulated again). Compared: the claims ledger ``results/claims.csv`` byte for byte (every ``results/*.csv``
while the ledger does not exist yet), every figure of the book pixel for pixel, and every value pasted into the
pages and every table cell (except the colophon's, which records when the build ran and how long it took).
"""

from __future__ import annotations

import base64
import io

import numpy as np
import pytest
from bs4 import BeautifulSoup
from conftest import E2E_PARAMS, PROJECT_ROOT
from PIL import Image
from rich.console import Console

from loopbaanleren.build.layout import Layout, copy_sources
from loopbaanleren.build.pipeline import build

RUN_RECORD = "colophon.html"  # its tables hold the build's date and the notebooks' run times


@pytest.fixture(scope="module")
def second_build(built_book, tmp_path_factory) -> Layout:
    layout = copy_sources(Layout(PROJECT_ROOT), tmp_path_factory.mktemp("determinism"))
    report = build(E2E_PARAMS, layout, Console(quiet=True))
    assert {run["status"] for run in report.notebooks.values()} == {"executed"}
    return layout


def result_files(results) -> list[str]:
    if (results / "claims.csv").is_file():
        return ["claims.csv"]
    return sorted(p.relative_to(results).as_posix() for p in results.rglob("*.csv"))


def test_results_are_byte_identical(built_book, second_build):
    names = result_files(built_book.results)
    assert names, "the build wrote no result files"
    assert result_files(second_build.results) == names
    for name in names:
        assert (second_build.results / name).read_bytes() == (built_book.results / name).read_bytes(), name


def page_content(html, name):
    """The figures (decoded pixels), pasted values and table cells of a page, in order."""
    soup = BeautifulSoup((html / name).read_text(encoding="utf-8"), "html.parser")
    main = soup.find("main") or soup
    figures = []
    for img in main.find_all("img"):
        source = img["src"]
        data = base64.b64decode(source.split(",", 1)[1]) if source.startswith("data:") else (html / source).read_bytes()
        with Image.open(io.BytesIO(data)) as image:
            figures.append((img.get("alt"), np.asarray(image.convert("RGBA"))))
    pasted = [span.get_text() for span in main.select("span.pasted-text")]
    cells = [cell.get_text(" ", strip=True) for cell in main.select("table td, table th")]
    return figures, pasted, cells


def test_figures_values_and_tables_are_identical(built_book, second_build):
    pages = sorted(p.name for p in built_book.html.glob("*.html"))
    assert sorted(p.name for p in second_build.html.glob("*.html")) == pages
    figures_seen = 0
    for name in pages:
        figures, pasted, cells = page_content(built_book.html, name)
        again, pasted_again, cells_again = page_content(second_build.html, name)
        assert pasted_again == pasted, name
        assert name == RUN_RECORD or cells_again == cells, name
        assert [alt for alt, _ in again] == [alt for alt, _ in figures], name
        for (alt, pixels), (_, pixels_again) in zip(figures, again, strict=True):
            assert np.array_equal(pixels, pixels_again), f"{name}: figure '{alt[:60]}' differs"
        figures_seen += len(figures)
    assert figures_seen > 0
