"""The book's presentation helpers: downloads, row anchors, Dutch interface and search, paths, citation, PDF page."""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pandas as pd
import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import PROJECT_ROOT

from loopbaanleren.book import book_pages, figure_output, report, tables
from loopbaanleren.build.scrub import machine_roots, scrub_notebook, scrub_text


def _decoded(link) -> bytes:
    return base64.b64decode(link["href"].split("base64,", 1)[1])


def test_a_table_downloads_as_csv_and_xlsx_with_its_values():
    data = pd.DataFrame({"sector": ["Techniek", "Zorg & Welzijn"], "n": [812, 12], "hoofdstuk": [("a.html", "RQ1"), None]})
    soup = BeautifulSoup(report.download_links(data, "per-sector", xlsx=True), "html.parser")
    csv_link, xlsx_link, schema_link = soup.find_all("a")
    assert csv_link["download"] == "per-sector.csv" and xlsx_link["download"] == "per-sector.xlsx"
    assert schema_link["download"] == "per-sector.schema.json"
    assert _decoded(csv_link).decode("utf-8-sig").splitlines() == ["sector,n,hoofdstuk", "Techniek,812,RQ1", "Zorg & Welzijn,12,"]
    back = pd.read_excel(io.BytesIO(_decoded(xlsx_link)))
    assert back["sector"].tolist() == ["Techniek", "Zorg & Welzijn"] and back["n"].tolist() == [812, 12]


def test_a_markdown_table_gets_a_csv_download_of_its_cells():
    from docutils.core import publish_doctree
    from docutils.nodes import raw, table

    doctree = publish_doctree(
        "Tekst.\n\n========= =======\nParameter Waarde\n========= =======\n``seed``  2026\nalpha     0,05\n========= =======\n"
    )
    book_pages.add_table_downloads(None, doctree, "colophon")
    (shown,) = list(doctree.findall(table))
    block = shown.parent[shown.parent.index(shown) + 1]
    assert isinstance(block, raw) and block["format"] == "html"
    link, schema = BeautifulSoup(block.astext(), "html.parser").select("p.ll-downloads a")
    assert (link["download"], schema["download"]) == ("parameter-waarde.csv", "parameter-waarde.schema.json")
    assert _decoded(link).decode("utf-8-sig").splitlines() == ["Parameter,Waarde", "seed,2026", "alpha,0.05"]


def test_a_workbook_is_the_same_bytes_whenever_it_is_made(monkeypatch):
    import datetime
    import time
    import zipfile

    data = pd.DataFrame({"sector": ["Techniek"], "n": [812]})
    first = report.xlsx_bytes(data)
    later = time.time() + 86_400 * 400  # a year and more later: openpyxl and zipfile stamp the time now
    monkeypatch.setattr(time, "localtime", lambda *_: datetime.datetime.fromtimestamp(later).timetuple())
    monkeypatch.setattr(time, "time", lambda: later)
    assert report.xlsx_bytes(data) == first
    with zipfile.ZipFile(io.BytesIO(first)) as book:
        assert {part.date_time for part in book.infolist()} == {report.XLSX_TIME}
        assert b"1980-01-01T00:00:00Z</dcterms:modified>" in book.read("docProps/core.xml")
    assert pd.read_excel(io.BytesIO(first))["n"].tolist() == [812]


def test_rows_get_the_anchors_in_order_and_captions_a_file_name():
    html = tables.table_html(pd.DataFrame({"a": [1, 2, 3]}), "Tabel", anchors=["x1", "x2", "x3"])
    assert [tr.get("id") for tr in BeautifulSoup(html, "html.parser").tbody.find_all("tr")] == ["x1", "x2", "x3"]
    assert report.slug("Aantal respondenten per sector (Zorg & Welzijn)") == "aantal-respondenten-per-sector-zorg-welz"


def test_the_interactive_table_is_the_plain_table_plus_the_offline_bundle():
    from loopbaanleren.book.tables import interactive_table_html

    html = interactive_table_html(pd.DataFrame({"a": [1, 2]}), "Tabel", anchors=["r1", "r2"])
    soup = BeautifulSoup(html, "html.parser")
    table = soup.find("table")
    assert table["data-ll-interactive"] == "true" and [tr["id"] for tr in table.tbody.find_all("tr")] == ["r1", "r2"]
    assert "https://" not in html and "http://" not in html  # nothing from the network
    assert f'document.getElementById("{table["id"]}")' in html and "injectModule" in html


def test_the_figure_scales_to_its_column_up_to_a_quarter_above_its_size_and_opens_at_full_size():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.0, 3.0))
    ax.plot([0, 1], [0, 1])
    ax.tick_params(labelsize=8)
    ax.set_title("Titel", fontsize=12)
    html = figure_output.figure_html(fig, "Een lijn", data=pd.DataFrame({"x": [0, 1]}))
    figure = BeautifulSoup(html, "html.parser").figure
    img = figure.button.img
    assert float(img["data-min-font-pt"]) == 8 and float(img["data-width-in"]) == 6
    # 6 by 3 inches is 576 by 288 CSS px; shown at most 1.25 times as wide: 720 px
    assert (img["width"], img["height"]) == ("576", "288") and "style" not in img.attrs
    assert figure["style"] == "--ll-figure-width:720px"
    assert figure.button["type"] == "button" and "ll-figure-open" in figure.button["class"]
    assert base64.b64decode(img["src"].split(",", 1)[1])[:4] == b"\x89PNG"
    plt.close(fig)


def test_the_figures_script_is_served_once_on_every_page():
    added = []
    app = SimpleNamespace(add_css_file=lambda *a, **k: None, add_js_file=lambda name, **k: added.append((name, k)))
    book_pages.add_style(app, SimpleNamespace(html_static_path=[]))
    assert added == [("figures.js", {"loading_method": "defer"})]


def test_dutch_interface_and_search_stemmer():
    page = '<button title="Toggle secondary sidebar"></button><nav aria-label="Main">'
    assert book_pages.dutch_interface(page) == (
        '<button title="Inhoud van deze pagina tonen of verbergen"></button><nav aria-label="Hoofdnavigatie">')
    search = book_pages.SearchDutch({})
    # the original Snowball Dutch stemmer, as Sphinx's dutch-stemmer.js: no ge- stripping
    assert search.stem("gereproduceerd") == "gereproduceerd" and search.stem("gesprekken") == "gesprek"
    folder = book_pages.compiled_catalog("nl")
    import gettext

    assert gettext.translation("sphinx", str(folder), ["nl"]).gettext("Skip to main content") == "Direct naar de inhoud"


def test_the_last_updated_date_is_written_the_dutch_way():
    from datetime import datetime

    from sphinx.util.i18n import format_date

    config = yaml.safe_load((PROJECT_ROOT / "book" / "_config.yml").read_text(encoding="utf-8"))["sphinx"]["config"]
    shown = config["html_last_updated_fmt"] or "%b %d, %Y"  # what Sphinx's HTML builder uses for an empty format
    assert format_date(shown, date=datetime(2026, 12, 3), language=config["language"]) == "3 december 2026"


def test_machine_paths_are_removed_from_a_notebook(tmp_path):
    project = tmp_path / "project"
    node = nbformat.v4.new_notebook()
    node.cells.append(nbformat.v4.new_code_cell(f'students_path = "{project}/data/students.csv"\nx = "/home/elders/mijn.sav"'))
    node.cells[0].outputs.append(nbformat.v4.new_output("stream", text=f"{tmp_path}/tmpabc/seg.csv"))
    node.metadata["papermill"] = {"input_path": str(project / "nb.ipynb"), "output_path": "/x/y.ipynb", "parameters": {}}
    roots = machine_roots(project, ["/home/elders/mijn.sav"])
    clean = json.dumps(scrub_notebook(node, roots))
    assert str(tmp_path) not in clean and "/home/elders" not in clean and "input_path" not in clean
    assert 'students_path = \\"data/students.csv\\"' in clean and "mijn.sav" in clean
    assert scrub_text("/a/b", ["/a/b"]) == "."


def test_the_citation_file_is_valid_cff():
    cff = yaml.safe_load((PROJECT_ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0" and cff["message"] and cff["title"] and cff["type"] == "software"
    assert all("name" in a or "family-names" in a for a in cff["authors"])
    titles = [r["title"] for r in cff["references"]]
    assert any(t.startswith("Loopbaanleren in het hbo") for t in titles)
    assert any(t.startswith("Elk lob-gesprek is er 1") for t in titles)
    van_diepen = next(r for r in cff["references"] if r["title"].startswith("Elk lob"))
    assert van_diepen["year"] == 2020 and van_diepen["authors"][0]["family-names"] == "Diepen"
    for reference in cff["references"]:
        assert reference["type"] and reference["authors"]
    allowed = {"cff-version", "message", "type", "title", "abstract", "authors", "version", "license", "keywords",
               "references", "date-released", "doi", "repository-code", "url", "identifiers"}
    assert set(cff) <= allowed


def test_the_print_page_joins_the_articles_in_order_without_scripts(tmp_path):
    from loopbaanleren.book.pdf import print_html

    for name, body in (("index", "Voorpagina"), ("a", "Hoofdstuk A"), ("b", "Hoofdstuk B")):
        (tmp_path / f"{name}.html").write_text(
            f'<html><head><link rel="stylesheet" href="_static/x.css"><script src="s.js"></script></head><body>'
            f'<article class="bd-article"><h1>{body}</h1><script>boom()</script><p class="ll-downloads">CSV</p>'
            f"</article></body></html>", encoding="utf-8")
    before = sorted(tmp_path.iterdir())
    written = print_html(tmp_path, ["index", "b", "a", "ontbreekt"], tmp_path / "pdf")
    assert written.parent == tmp_path / "pdf" and sorted(tmp_path.iterdir()) == [*before, tmp_path / "pdf"]
    page = BeautifulSoup(written.read_text(), "html.parser")
    assert [h.get_text() for h in page.find_all("h1")] == ["Voorpagina", "Hoofdstuk B", "Hoofdstuk A"]
    assert page.find("script") is None and page.select(".ll-downloads") == []
    assert page.find("base")["href"] == tmp_path.resolve().as_uri() + "/"
    assert page.find("link")["href"] == "_static/x.css"


def test_the_print_page_lets_the_long_words_of_table_cells_break():
    from loopbaanleren.book.pdf import break_long_words

    soup = BeautifulSoup(
        "<article><p>studieloopbaanbegeleiders</p><table><tr><th>gereproduceerd</th><td><a href='x'>Mijn "
        "studieloopbaanbegeleider</a> rq2_s_helpend_boven, <code>le_buiten_telt_mee</code></td></tr></table></article>",
        "html.parser")
    break_long_words(soup.article)
    assert soup.p.string == "studieloopbaanbegeleiders" and soup.th.string == "gereproduceerd"
    word = soup.td.a.string
    assert word.replace("\u00ad", "") == "Mijn studieloopbaanbegeleider" and "loop\u00adbaan" in word
    assert "rq2_<wbr/>s_<wbr/>helpend_<wbr/>boven, <code>le_buiten_telt_mee</code>" in soup.td.decode_contents()
