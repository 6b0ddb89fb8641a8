"""User strings are text, never markup, and never a spreadsheet formula: a corpus of hostile file names, labels,
ids and coder names, through the escaping functions and through one small build of the book.

The build (``--only 00,07``, on the shared small data under hostile file names, with coded interviews whose ids
and coders are payloads) is made once per session. Its pages are parsed with BeautifulSoup: no element or
attribute of a payload may exist, and each payload must be visible as the text it is; its CSV downloads and
``results/`` files must hold no cell a spreadsheet would run as a formula.
"""

from __future__ import annotations

import base64
import csv
import io
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import yaml
from bs4 import BeautifulSoup
from build_helpers import made_once, run_cli
from conftest import E2E_PARAMS, PROJECT_ROOT

from loopbaanleren.book import front_page, ledger
from loopbaanleren.book.escape import FORMULA_START, csv_text, html_text, markdown_text, myst_text, spreadsheet_cell
from loopbaanleren.book.figures import apply_style
from loopbaanleren.build.layout import Layout, copy_sources
from loopbaanleren.data.synthetic_segments import write_synthetic_segments
from loopbaanleren.book.figure_output import figure_html
from loopbaanleren.book.report import csv_bytes, xlsx_bytes
from loopbaanleren.book.tables import table_html

IMG = "<img src=x onerror=alert(1)>"
RAW_FENCE = "\n```{raw} html\n<img src=y onerror=alert(2)>\n```\n"
STUDENTS_NAME = f'=HYPERLINK("x"){IMG} {{ref}}`x` *em* \\\\ "q" -- ....csv'
COUNSELLORS_NAME = f"@SUM(1,1){RAW_FENCE}[l](l.html) $m$ |a|.csv"  # no "/": names of files
INTERVIEWS_NAME = "+1+1 <b>vet<b> `code` &amp;.csv"
INTERVIEW_IDS = ['=HYPERLINK("http://evil","klik")', "+1+1", "@SUM(1,1)", "-2+3", "\tTAB", f"{IMG}", "i{ref}`x`",
                 "$\\frac{a}{$", "7", "8"]
CODERS = ["<script>alert(4)<", "=1+1"]
PAYLOAD_TAGS = ("img", "script", "b", "em")


def formula_cells(rows: list[list[str]]) -> list[str]:
    """The cells a spreadsheet would run as a formula: they start with ``=``, ``+``, ``-``, ``@``, a tab or CR and
    are not a plain number."""
    def number(cell: str) -> bool:
        try:
            float(cell)
        except ValueError:
            return False
        return True

    return [cell for row in rows for cell in row if cell.startswith(FORMULA_START) and not number(cell)]


def injected(soup: BeautifulSoup) -> list[str]:
    """Elements and attributes a payload would add: an ``on…`` attribute or a script running ``alert``, an image of
    source ``x``/``y``, a ``<b>vet</b>``, a link to ``http://x`` or ``l.html``."""
    found = [f"{tag.name}[{name}]" for tag in soup.find_all(True) for name, value in tag.attrs.items()
             if name.lower().startswith("on") and "alert(" in str(value)]
    found += [str(tag)[:80] for tag in soup.find_all("script") if "alert(" in (tag.string or "")]
    found += [str(tag) for tag in soup.find_all("img") if tag.get("src") in ("x", "y")]
    found += [str(tag) for tag in soup.find_all("b") if tag.get_text() == "vet"]
    found += [str(tag) for tag in soup.find_all("a") if tag.get("href") in ("http://x", "l.html")]
    return found


def decoded(link) -> list[list[str]]:
    """The rows of a CSV download (a data URI); none for another download (Excel)."""
    if not link["download"].endswith(".csv"):
        return []
    body = base64.b64decode(link["href"].split("base64,", 1)[1]).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


# ------------------------------------------------------------------------------------------- the functions


@pytest.mark.parametrize("text", [IMG, STUDENTS_NAME, COUNSELLORS_NAME, INTERVIEWS_NAME, *INTERVIEW_IDS, *CODERS])
def test_html_text_is_text(text):
    soup = BeautifulSoup(f'<p title="{html_text(text)}">{html_text(text)}</p>', "html.parser")
    assert [tag.name for tag in soup.find_all(True)] == ["p"]
    assert soup.p.get_text() == text and soup.p["title"] == text


def test_markdown_text_reads_as_the_same_text_in_plain_markdown():
    from markdown_it import MarkdownIt

    assert markdown_text("a*b* [x](y)") == "a\\*b\\* \\[x\\](y)"
    for text in ("a*b*", "[x](javascript:y)", "<img src=x>", "`code`", "# kop", "_x_ | ~y~ & $z$", "{ll-tekst}`x`"):
        rendered = BeautifulSoup(MarkdownIt("commonmark").render(markdown_text(text)), "html.parser")
        assert rendered.get_text().strip() == text and not rendered.find_all(["em", "a", "img", "code", "h1"])


def test_myst_text_is_one_role_whatever_the_text():
    assert myst_text("a*b*") == "{ll-tekst}`a*b*`"
    assert myst_text("x`y``z") == "{ll-tekst}```x`y``z```"  # more backticks than any run inside
    assert myst_text(COUNSELLORS_NAME).count("\n") == 0  # a line break cannot open a fence
    assert myst_text("a|b", in_table=True) == "{ll-tekst}`a\\|b`"
    assert myst_text("`x") == "{ll-tekst}`` `x ``" and myst_text("") == ""


@pytest.mark.parametrize("value,written", [
    ("=1+1", "'=1+1"), ("+1+1", "'+1+1"), ("-2+3", "'-2+3"), ("@SUM(1,1)", "'@SUM(1,1)"), ("\tx", "'\tx"),
    ("\rx", "'\rx"), ("-0.25", "-0.25"), ("+3", "+3"), ("1e-5", "1e-5"), ("a=b", "a=b"), (-2.5, -2.5), (3, 3),
])
def test_spreadsheet_cell_neutralises_formulas_and_keeps_numbers(value, written):
    assert spreadsheet_cell(value) == written


def test_csv_quotes_each_neutralised_cell_and_reads_back():
    frame = pd.DataFrame({"=kop": ["=HYPERLINK(\"http://x\")", "gewoon", None], "n": [1, -2, 3], "x": [0.5, -1.25, float("nan")]})
    text = csv_text(frame)
    assert text.splitlines()[0] == "\"'=kop\",n,x"
    assert text.splitlines()[1] == "\"'=HYPERLINK(\"\"http://x\"\")\",1,0.5"
    assert text.splitlines()[2:] == ["gewoon,-2,-1.25", ",3,"]
    assert list(csv.reader(io.StringIO(text)))[1] == ["'=HYPERLINK(\"http://x\")", "1", "0.5"]
    plain = pd.DataFrame({"a": ["x, y", 'z "q"'], "b": [1.0, 2.5], "c": [True, False]})
    assert csv_text(plain) == plain.to_csv(index=False)  # otherwise as pandas writes it


def test_downloads_and_excel_hold_no_formula():
    frame = pd.DataFrame({"interview": INTERVIEW_IDS, "n": range(len(INTERVIEW_IDS))})
    rows = list(csv.reader(io.StringIO(csv_bytes(frame).decode("utf-8-sig"))))
    assert formula_cells(rows) == [] and [row[0][1:] for row in rows[1:6]] == INTERVIEW_IDS[:5]
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(frame))).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [cell.value for cell in cells if cell.data_type == "f"]
    assert sheet["A2"].value == "'" + INTERVIEW_IDS[0] and sheet["B2"].value == 0


def test_tables_and_figures_show_hostile_text_as_text():
    import matplotlib.pyplot as plt

    apply_style()  # as every figure of the book does
    frame = pd.DataFrame({IMG: INTERVIEW_IDS, "n": range(len(INTERVIEW_IDS))})
    soup = BeautifulSoup(table_html(frame, caption=f"Tabel {IMG}", anchors=INTERVIEW_IDS), "html.parser")
    assert injected(soup) == []
    assert soup.th.get_text() == IMG and soup.caption.get_text() == f"Tabel {IMG}"
    assert [tr["id"] for tr in soup.select("tbody tr")] == INTERVIEW_IDS
    assert [tr.td.get_text() for tr in soup.select("tbody tr")] == INTERVIEW_IDS
    fig, ax = plt.subplots()
    ax.set_xticks(range(3), INTERVIEW_IDS[-3:])  # mathtext is off: "$\frac{a}{$" is drawn as text
    soup = BeautifulSoup(figure_html(fig, alt=f"Figuur {IMG}", data=frame), "html.parser")
    plt.close(fig)
    assert injected(soup) == [] and soup.img["alt"] == f"Figuur {IMG}"
    assert formula_cells(decoded(soup.find("a", class_="ll-download"))) == []


def test_the_front_pages_data_table_and_its_download():
    files = (front_page.DataFile("students", STUDENTS_NAME, 600, "ab" * 32, False),
             front_page.DataFile("counsellors", COUNSELLORS_NAME, 150, "cd" * 32, False))
    soup = BeautifulSoup(front_page.data_table_html(files), "html.parser")
    assert injected(soup) == []
    assert [td.get_text() for td in soup.select("tbody td:nth-of-type(2)")] == [STUDENTS_NAME, COUNSELLORS_NAME]
    rows = decoded(soup.find("a", class_="ll-download"))
    assert formula_cells(rows) == [] and rows[1][1] == "'" + STUDENTS_NAME


def test_the_ledgers_data_column_holds_no_formula(tmp_path):
    claims = pd.DataFrame({column: [""] for column in ledger.CSV_COLUMNS} | {
        "population": ["students"], "rq": ["RQ1"], "published": [0.5], "computed": [-0.25], "verdict": ["reproduced"],
        "reason": [""], "n": [600], "ci_low": [-0.5], "ci_high": [0.1], "p_adjusted": [0.01], "margin": [0.1],
        "derived": [False]})
    path = ledger.write_claims_csv(claims, tmp_path, {"students": STUDENTS_NAME})
    rows = list(csv.reader(path.open(encoding="utf-8", newline="")))
    header, row = rows
    assert row[header.index("data")] == "'" + STUDENTS_NAME and row[header.index("estimate")] == "-0.2500"
    assert formula_cells(rows) == []


# ------------------------------------------------------------------------------------------- the build


def hostile_interviews(path: Path) -> Path:
    """The synthetic coded segments with the hostile interview ids and coders."""
    write_synthetic_segments(path.with_name("segments_synthetic.csv"), 2026)
    segments = pd.read_csv(path.with_name("segments_synthetic.csv"), dtype=str, keep_default_na=False)
    ids = dict(zip(sorted(segments["interview"].unique()), INTERVIEW_IDS, strict=True))
    segments["interview"] = segments["interview"].map(ids)
    if "coder" in segments:
        coders = dict(zip(sorted(segments["coder"].unique()), CODERS * 5, strict=False))
        segments["coder"] = segments["coder"].map(coders)
    segments.to_csv(path, index=False)
    return path


@pytest.fixture(scope="session")
def hostile_book(tmp_path_factory, worker_id, small_data) -> Path:
    """The chapters 00 and 07 built by the command line on files with hostile names; returns the project."""

    def make(folder: Path) -> None:
        data = folder / "data"
        data.mkdir(parents=True)
        students, counsellors = data / STUDENTS_NAME, data / COUNSELLORS_NAME
        shutil.copy(small_data["students"], students)
        shutil.copy(small_data["counsellors"], counsellors)
        interviews = hostile_interviews(data / INTERVIEWS_NAME)
        copy_sources(Layout(PROJECT_ROOT), folder / "project")
        params = folder / "params.yml"
        params.write_text(yaml.safe_dump({"n_boot": E2E_PARAMS["n_boot"]}))
        done = run_cli("build", "--project", folder / "project", "--params", params, "--students", students,
                       "--counsellors", counsellors, "--interviews", interviews, "--only", "00,07")
        (folder / "run.txt").write_text(f"{done.returncode}\n{done.stdout}\n{done.stderr}")
        assert done.returncode == 0, done.stdout + done.stderr

    return made_once(tmp_path_factory, worker_id, "hostile-book", make) / "project"


def built_pages(project: Path) -> dict[str, BeautifulSoup]:
    html = next((project / "book" / "_build").glob("partial-*"))
    return {page.stem: BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser") for page in html.glob("*.html")}


def test_no_page_of_the_hostile_book_holds_an_injected_element(hostile_book):
    pages = built_pages(hostile_book)
    assert {"00_data", "07_kwalitatief", "colophon", "index"} <= set(pages)
    for name, soup in pages.items():
        assert injected(soup) == [], name
        footer = soup.find(class_="build-herkomst")
        assert STUDENTS_NAME in footer.get_text(), name  # the name as it is: quotes, backslashes, <img …>


def test_the_colophon_prints_each_name_exactly(hostile_book):
    colophon = built_pages(hostile_book)["colophon"]
    shown = [span.get_text() for span in colophon.select("span.ll-tekst")]
    assert STUDENTS_NAME in shown and INTERVIEWS_NAME in shown
    assert COUNSELLORS_NAME.replace("\n", " ") in shown  # a line break is a space: it opens no fence
    assert formula_cells([row for link in colophon.select("a.ll-download") for row in decoded(link)]) == []


def test_the_data_chapter_names_the_files_as_text_and_downloads_them_neutralised(hostile_book):
    page = built_pages(hostile_book)["00_data"]
    table = next(t for t in page.find_all("table") if t.caption and "gegevensbestanden" in t.caption.get_text())
    names = [tr.find_all("td")[1].get_text() for tr in table.select("tbody tr")]
    assert names == [STUDENTS_NAME, COUNSELLORS_NAME]
    rows = [row for link in page.select("a.ll-download") for row in decoded(link)]
    assert "'" + STUDENTS_NAME in [cell for row in rows for cell in row] and formula_cells(rows) == []


def test_the_interview_chapter_downloads_its_ids_neutralised(hostile_book):
    page = built_pages(hostile_book)["07_kwalitatief"]
    rows = [row for link in page.select("a.ll-download") for row in decoded(link)]
    cells = {cell for row in rows for cell in row}
    assert {"'=HYPERLINK(\"http://evil\",\"klik\")", "'+1+1", "'@SUM(1,1)", "'-2+3", IMG} <= cells
    assert "TAB" in cells  # the reader strips the tab of "\tTAB"
    assert formula_cells(rows) == []


def test_no_result_file_holds_a_formula(hostile_book):
    files = list((hostile_book / "results").rglob("*.csv"))
    rows = [row for path in files for row in csv.reader(path.open(encoding="utf-8", newline=""))]
    assert formula_cells(rows) == []
    record = provenance_of(hostile_book)
    assert record["data"]["students"]["file"] == STUDENTS_NAME


def provenance_of(project: Path) -> dict:
    import json

    return json.loads(next((project / "results").rglob("provenance.json")).read_text(encoding="utf-8"))
