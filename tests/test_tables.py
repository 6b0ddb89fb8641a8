"""The book's table display: labelled cells, the ledger's main table with its details, a table shown in a few
columns whose downloads hold them all (the built book's ledger too)."""

from __future__ import annotations

import base64
import io

import pandas as pd
from bs4 import BeautifulSoup

from loopbaanleren.book import ledger, report, tables
from loopbaanleren.data.registry import load_registry

HOSTILE = 'a"<b>&c'


def rq1_ledger() -> pd.DataFrame:
    """The ledger of the RQ1 claims, as if their chapter computed each of them (the rest not computable)."""
    rows = []
    for number, claim in enumerate(load_registry().for_rq("RQ1")):
        row = dict.fromkeys(ledger.RESULT_COLUMNS)
        row.update(id=claim.id, rq=claim.rq, population=claim.population, kind=claim.kind,
                   claim_nl=claim.sentence_nl, published=claim.published, expected_nl=f"toets {number} {HOSTILE}",
                   computed=0.1 * number, ci_low=0.0, ci_high=1.0, p_adjusted=0.001, n=100 + number,
                   verdict="reproduced", found_nl="", reason="", derived=False)
        rows.append(row)
    return ledger.collect(pd.DataFrame(rows))


def test_every_body_cell_carries_its_columns_name_as_text():
    soup = BeautifulSoup(tables.table_html(pd.DataFrame({HOSTILE: [1, 2], "b": ["x", "y"]})), "html.parser")
    labels = [[td["data-label"] for td in tr.find_all("td")] for tr in soup.select("tbody tr")]
    assert labels == [[HOSTILE, "b"], [HOSTILE, "b"]]
    assert [th.get_text() for th in soup.select("thead th")] == [HOSTILE, "b"]


def test_a_table_shown_in_a_few_columns_downloads_all_of_them():
    data = pd.DataFrame({"id": ["r1", "r2"], "waarde": [1.5, 2.5], "toelichting": ["lang", "langer"]})
    block = report.table_block_html(data, "Tabel", name="t", xlsx=True, anchors=["r1", "r2"],
                                    shown=data[["id", "waarde"]])
    soup = BeautifulSoup(block, "html.parser")
    assert [th.get_text() for th in soup.select("thead th")] == ["id", "waarde"]
    assert [tr["id"] for tr in soup.select("tbody tr")] == ["r1", "r2"]
    links = {a["download"]: a["href"] for a in soup.select("a.ll-download")}
    csv = base64.b64decode(links["t.csv"].split(",", 1)[1]).decode("utf-8-sig")
    assert pd.read_csv(io.StringIO(csv)).columns.to_list() == ["id", "waarde", "toelichting"]
    workbook = pd.read_excel(io.BytesIO(base64.b64decode(links["t.xlsx"].split(",", 1)[1])))
    assert workbook["toelichting"].to_list() == ["lang", "langer"]


def test_the_ledgers_main_table_holds_every_column_of_the_ledger_once():
    claims = rq1_ledger()
    first = claims["id"].iloc[0]
    links = {first: ("01_leeromgeving.html#sectie", "De leeromgeving")}
    full = ledger.ledger_table(claims, links)
    main = ledger.ledger_main_table(claims, full)
    assert tuple(main.columns) == ledger.MAIN_COLUMNS
    assert main["id"].to_list() == claims["id"].to_list()
    for column in ledger.MAIN_COLUMNS[2:]:
        assert main[column].to_list() == full[column].to_list()
    for position, cell in enumerate(main["bewering"]):
        source = full.iloc[position]
        assert (cell.subject, cell.tested) == (source["onderwerp"], source["getoetst"])
        details = dict(cell.details)
        # the summary's sentence on every row (the full table shows it once per run of claims that share it)
        assert details["samenvatting"] == claims["claim_nl"].iloc[position]
        shown = set(ledger.MAIN_COLUMNS) | set(ledger.IN_CLAIM) | set(details)
        assert shown >= set(full.columns)
        for column in set(full.columns) - set(ledger.MAIN_COLUMNS) - set(ledger.IN_CLAIM):
            assert details[column] == source[column]
    assert len(set(claims["claim_nl"])) < len(claims) and (full["bewering"] == "").any()


def test_a_claim_cell_is_text_with_its_details_and_its_chapter_link():
    cell = ledger.ClaimCell(HOSTILE, f"meer dan {HOSTILE}", (("samenvatting", HOSTILE), ("n", "1.234"),
                                                           ("hoofdstuk", ("01_x.html#a", HOSTILE)), ("robuust", None)))
    soup = BeautifulSoup(f"<td>{ledger.claim_cell_html(cell)}</td>", "html.parser")
    assert soup.select_one(".ll-claim-subject").get_text() == HOSTILE
    assert soup.td.contents[1] == f": meer dan {HOSTILE}"
    details = soup.select_one("details.ll-row-details")
    assert details.summary.get_text() == "" and not details.has_attr("open")  # its word is the style sheet's
    pairs = dict(zip((dt.get_text().removesuffix(":") for dt in details.select("dt")), details.select("dd")))
    assert pairs["samenvatting"].get_text() == HOSTILE and pairs["n"].get_text() == "1.234"
    assert pairs["hoofdstuk"].a["href"] == "01_x.html#a" and pairs["hoofdstuk"].a.get_text() == HOSTILE
    assert pairs["robuust"].get_text() == "–"
    assert soup.find("b") is None


def test_the_built_ledger_shows_five_columns_and_downloads_every_column(built_book):
    page = built_book.page("90_claims")
    table = page.select_one(".ll-ledger table[data-ll-interactive]")
    assert tuple(th.get_text() for th in table.select("thead th")) == ledger.MAIN_COLUMNS
    rows = table.select("tbody tr")
    assert [tr["id"] for tr in rows] == [claim.id for claim in load_registry()]
    block = table.find_parent(class_="ll-ledger")
    links = {a["download"]: a["href"] for a in block.select("a.ll-download")}
    csv_name = next(name for name in links if name.endswith(".csv"))
    assert any(name.endswith(".xlsx") for name in links)
    download = pd.read_csv(io.StringIO(base64.b64decode(links[csv_name].split(",", 1)[1]).decode("utf-8-sig")),
                           dtype=str)
    assert len(download) == len(rows)
    labels = {dt.get_text().removesuffix(":") for dt in rows[0].select("details dt")} - {"samenvatting"}
    shown = labels | set(ledger.MAIN_COLUMNS[2:]) | set(ledger.IN_CLAIM)
    # an interval is downloaded as its two bounds (<column>_ondergrens, <column>_bovengrens)
    assert labels and all(label in download.columns or {f"{label}_ondergrens", f"{label}_bovengrens"}
                          <= set(download.columns) for label in shown), sorted(download.columns)
