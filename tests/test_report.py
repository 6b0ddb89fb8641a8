"""Dutch number formatting, glue, tables and figures for the book."""

from __future__ import annotations

import base64
import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from bs4 import BeautifulSoup
from hypothesis import given
from hypothesis import strategies as st

from loopbaanleren.book import figure_output, report, tables
from loopbaanleren.book.formatting import fmt_bound, fmt_cell, fmt_ci, fmt_n, fmt_num, fmt_p, fmt_pct


def parse_dutch(text: str) -> float:
    """Read a Dutch-formatted number back (an independent inverse: drop thousands points, comma to point)."""
    return float(text.replace(".", "").replace(",", ".").replace("\u2212", "-").rstrip("%"))


@pytest.mark.parametrize(
    ("value", "digits", "expected"),
    [(3.3449, 2, "3,34"), (2.75, 2, "2,75"), (0.5, 1, "0,5"), (-1.25, 1, "\u22121,2"), (12345.678, 2, "12.345,68"), (7, 0, "7")],
)
def test_fmt_num_uses_decimal_comma_and_thousands_point(value, digits, expected):
    assert fmt_num(value, digits) == expected


def test_negative_numbers_have_a_true_minus_and_a_rounded_zero_has_no_sign():
    assert fmt_num(-0.3) == "\u22120,30"
    assert fmt_num(-0.0) == "0,00"
    assert fmt_num(-1e-9) == "0,00"
    assert fmt_num(-1234.5, 1) == "\u22121.234,5"
    assert fmt_pct(-0.12) == "\u221212%"
    assert fmt_ci(-0.004, 0.2) == "[\u22120,004; 0,20]"
    assert "-" not in fmt_num(-5.0) + fmt_pct(-0.5) + fmt_ci(-2, -1)


@pytest.mark.parametrize(
    ("value", "digits", "expected"),
    [(0.005, 2, "0,005"), (-0.004, 2, "\u22120,004"), (0.0049, 2, "0,005"), (0.0123, 2, "0,01"), (0.04, 1, "0,04"),
     (0.000001, 2, "0,000001"), (0.4, 0, "0,4")],
)
def test_a_small_number_keeps_a_significant_digit(value, digits, expected):
    assert fmt_num(value, digits) == expected
    assert fmt_pct(value / 100, digits) == expected + "%"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0.5, "0,5"), (0.25, "0,25"), (0.08, "0,08"), (0.0, "0"), (0.0825, "0,082"), (-0.25, "\u22120,25"), (1500.5, "1.500,5")],
)
def test_a_bound_has_at_most_three_decimals_without_trailing_zeros(value, expected):
    assert fmt_bound(value) == expected


def test_counts_have_no_decimals():
    assert fmt_n(10.0) == "10"
    assert fmt_cell(np.int64(10)) == "10"
    assert fmt_cell(pd.array([10, None], dtype="Int64")[0]) == "10"


def test_counts_and_percentages_as_in_the_summary():
    assert fmt_n(4820) == "4.820"
    assert fmt_n(371) == "371"
    assert fmt_pct(0.75) == "75%"
    assert fmt_pct(0.58) == "58%"
    assert fmt_pct(0.755, 1) == "75,5%"
    assert (fmt_pct(1128 / 1133), fmt_pct(0.001), fmt_pct(1.0), fmt_pct(0.0)) == ("99,6%", "0,1%", "100%", "0%")


def test_p_values_and_intervals():
    assert fmt_p(0.0341) == "p = 0,034"
    assert fmt_p(0.0004) == "p < 0,001"
    assert fmt_p(0.2, digits=2) == "p = 0,20"
    assert fmt_ci(2.104, 2.349) == "[2,10; 2,35]"


def test_missing_values_show_a_dash():
    for formatted in (fmt_num(float("nan")), fmt_pct(None), fmt_p(np.nan), fmt_cell(pd.NA)):
        assert formatted == "–"


@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), st.integers(min_value=0, max_value=4))
def test_fmt_num_round_trips_to_the_rounded_value(value, digits):
    assert math.isclose(parse_dutch(fmt_num(value, digits)), value, abs_tol=0.5 * 10**-digits + 1e-9)


@given(st.floats(min_value=0, max_value=1, allow_nan=False))
def test_fmt_pct_is_the_proportion_times_hundred(proportion):
    assert abs(parse_dutch(fmt_pct(proportion)) - 100 * proportion) <= 0.5 + 1e-9


def test_glue_value_glues_the_formatted_text(monkeypatch):
    calls = []
    monkeypatch.setattr(report, "glue", lambda key, value, display: calls.append((key, value, display)))
    assert report.glue_value("n_students", 4820, "n") == "4.820"
    assert report.glue_value("score", 3.3449, "num", digits=1) == "3,3"
    assert calls == [("n_students", "4.820", False), ("score", "3,3", False)]


def test_glue_value_rejects_an_unknown_format():
    with pytest.raises(ValueError, match="unknown fmt 'percent'"):
        report.glue_value("x", 0.5, "percent")


def test_table_html_formats_cells_and_drops_the_index():
    data = pd.DataFrame({"sector": ["Techniek", "Zorg & Welzijn"], "n": [4820, 12], "gemiddelde": [3.3449, np.nan]})
    soup = BeautifulSoup(tables.table_html(data, caption="Tabel <1>"), "html.parser")
    assert soup.caption.get_text() == "Tabel <1>"
    assert [th.get_text() for th in soup.thead.find_all("th")] == ["sector", "n", "gemiddelde"]
    rows = [[td.get_text() for td in tr.find_all("td")] for tr in soup.tbody.find_all("tr")]
    assert rows == [["Techniek", "4.820", "3,34"], ["Zorg & Welzijn", "12", "–"]]


def test_table_html_applies_column_formats():
    data = pd.DataFrame({"aandeel": [0.75, 0.58]})
    soup = BeautifulSoup(tables.table_html(data, formats={"aandeel": fmt_pct}), "html.parser")
    assert [td.get_text() for td in soup.find_all("td")] == ["75%", "58%"]


def test_a_figure_is_a_png_with_its_alt_text_and_a_caption_naming_its_data(monkeypatch):
    students = pd.DataFrame({"x": range(812)})
    students.attrs |= {"synthetic": True}
    counsellors = pd.DataFrame({"x": range(120)})
    counsellors.attrs |= {"synthetic": False, "source": "/home/r/slb_2026.sav"}
    monkeypatch.setattr(figure_output, "FIGURE_SOURCE", {})
    figure_output.set_figure_source({"students": students, "counsellors": counsellors})
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1])
    soup = BeautifulSoup(figure_output.figure_html(fig, "Lijn van\n links naar rechts", caption="Een lijn"), "html.parser")
    plt.close(fig)
    img = soup.find("img")
    assert img["alt"] == "Lijn van links naar rechts"
    assert base64.b64decode(img["src"].removeprefix("data:image/png;base64,"))[:8] == b"\x89PNG\r\n\x1a\n"
    assert soup.find("figcaption").get_text() == (
        "Een lijn (Bron: synthetische data, 812 studenten; slb_2026.sav, 120 studieloopbaanbegeleiders)")


def test_a_figure_needs_alt_text():
    fig = plt.figure()
    with pytest.raises(ValueError, match="alt text"):
        figure_output.figure_html(fig, "  ")
    plt.close(fig)


def test_save_result_writes_csv(tmp_path):
    path = report.save_result(pd.DataFrame({"a": [1, 2]}), "tabel", tmp_path / "results")
    assert path == tmp_path / "results" / "tabel.csv"
    assert path.read_text().splitlines() == ["a", "1", "2"]


# Downloads: plain numbers, a data dictionary, the page's text in the workbook (loopbaanleren.book.cells).

def _downloaded(block: str) -> dict[str, bytes]:
    return {link["download"]: base64.b64decode(link["href"].split("base64,", 1)[1])
            for link in BeautifulSoup(block, "html.parser").select("a.ll-download")}


def hand_table() -> pd.DataFrame:
    from loopbaanleren.book import cells

    return pd.DataFrame({
        "groep": ["Techniek", "Zorg"],
        "n": [cells.count(4820), "onderdrukt (n < 10)"],
        "gemiddelde": [cells.num(2.30449, unit=cells.SCALE_SCORE), cells.marked("onderdrukt (n < 10)")],
        "95%-BI": [cells.ci(2.2412, 2.3677), cells.ci(float("nan"), 1.0)],
        "aandeel": [cells.pct(0.755, 1), cells.pct(0.0)],
        "p": [cells.p_value(0.00004), cells.p_value(0.0341)],
    })


def test_a_table_shows_dutch_text_and_its_csv_holds_the_plain_numbers():
    block = report.table_block_html(hand_table(), "Groepen", name="groepen")
    cells_shown = [td.get_text() for td in BeautifulSoup(block, "html.parser").select("tbody tr:first-child td")]
    assert cells_shown == ["Techniek", "4.820", "2,30", "[2,24; 2,37]", "75,5%", "p < 0,001"]
    text = _downloaded(block)["groepen.csv"].decode("utf-8-sig")
    assert text.splitlines() == [
        "groep,n,gemiddelde,95%-BI_ondergrens,95%-BI_bovengrens,aandeel,p",
        "Techniek,4820,2.30449,2.2412,2.3677,0.755,4e-05",
        "Zorg,onderdrukt (n < 10),onderdrukt (n < 10),–,–,0.0,0.0341",
    ]


def test_the_data_dictionary_is_a_table_schema_naming_each_column_its_type_and_unit():
    import json

    schema = json.loads(_downloaded(report.table_block_html(hand_table(), "Groepen", name="g"))["g.schema.json"])
    assert [(f["name"], f["type"]) for f in schema["fields"]] == [
        ("groep", "string"), ("n", "integer"), ("gemiddelde", "number"), ("95%-BI_ondergrens", "number"),
        ("95%-BI_bovengrens", "number"), ("aandeel", "number"), ("p", "number"),
    ]
    described = {f["name"]: f["description"] for f in schema["fields"]}
    assert described["n"] == "aantal" and described["aandeel"] == "aandeel (0–1)" and described["p"] == "p-waarde"
    assert described["gemiddelde"].startswith("schaalscore")
    assert described["95%-BI_ondergrens"].startswith("ondergrens")
    assert schema["missingValues"] == ["", "onderdrukt (n < 10)", "–"]


def test_units_given_by_the_call_site_name_plain_numeric_columns():
    import json

    frame = pd.DataFrame({"α": [0.8312], "aantal items": [12], "p (Holm)": [0.5], "Breusch–Pagan p": [0.1]})
    schema = json.loads(_downloaded(report.table_block_html(frame, "x", name="x", units={"α": "Cronbachs α"}))
                        ["x.schema.json"])
    assert schema["fields"] == [{"name": "α", "type": "number", "description": "Cronbachs α"},
                                {"name": "aantal items", "type": "integer", "description": "geheel getal"},
                                {"name": "p (Holm)", "type": "number", "description": "p-waarde"},
                                {"name": "Breusch–Pagan p", "type": "number", "description": "p-waarde"}]


def test_the_workbook_keeps_the_text_the_page_shows():
    import io

    files = _downloaded(report.table_block_html(hand_table(), "Groepen", name="g", xlsx=True))
    sheet = pd.read_excel(io.BytesIO(files["g.xlsx"]), dtype=str)
    assert list(sheet.iloc[0]) == ["Techniek", "4.820", "2,30", "[2,24; 2,37]", "75,5%", "p < 0,001"]
    assert list(sheet.columns) == list(hand_table().columns)


def test_a_figures_english_column_names_are_downloaded_in_dutch():
    frame = pd.DataFrame({"group": ["a"], "mean": [2.5], "ci_low": [2.0], "ci_high": [3.0]})
    text = _downloaded(report.download_links(frame, "f"))["f.csv"].decode("utf-8-sig")
    assert text.splitlines()[0] == "groep,gemiddelde,ondergrens,bovengrens"


def test_a_cell_with_a_formula_stays_text_in_the_plain_csv():
    from loopbaanleren.book import cells

    frame = pd.DataFrame({"naam": ["=HYPERLINK(1)"], "waarde": [cells.num(-0.25)]})
    text = report.csv_bytes(frame).decode("utf-8-sig")
    assert text.splitlines()[1] == "\"'=HYPERLINK(1)\",-0.25"


def test_a_markdown_tables_dutch_numbers_are_read_back():
    from loopbaanleren.book.cells import read_number

    assert [getattr(read_number(t), "value", t) for t in ["4.820", "0,05", "−1,5", "12", "3.11", "v1.2", "abc"]] == \
        [4820, 0.05, -1.5, 12, "3.11", "v1.2", "abc"]


def test_the_same_table_gives_the_same_download_bytes():
    assert report.table_block_html(hand_table(), "G", xlsx=True) == report.table_block_html(hand_table(), "G", xlsx=True)


def test_an_unnamed_column_is_downloaded_as_rij():
    frame = pd.DataFrame({"": ["a"], "b": [1]})
    assert report.csv_bytes(frame).decode("utf-8-sig").splitlines()[0] == "rij,b"


def test_the_data_dictionary_names_a_formula_like_column_as_the_csv_header_does():
    import json

    frame = pd.DataFrame({"=SUM(1)": [1.5]})
    files = _downloaded(report.download_links(frame, "x"))
    assert files["x.csv"].decode("utf-8-sig").splitlines()[0] == "\"'=SUM(1)\""
    assert json.loads(files["x.schema.json"])["fields"][0]["name"] == "'=SUM(1)"


def test_tables_are_numbered_per_chapter_and_downloads_named_after_them():
    from loopbaanleren.book.table_numbers import _Numbering, chapter_of, table_label

    assert (chapter_of("01_leeromgeving"), chapter_of("colophon")) == ("01", "colophon")
    assert (table_label("01_leeromgeving", 3), table_label("90_claims", 1), table_label("colophon", 2)) == \
        ("Tabel 1.3", "Tabel 90.1", "Tabel 2")
    figure = pd.DataFrame({"x": [1]})
    page = (report.table_block_html(figure, "Eerste", name="groepen")
            + '<figure class="ll-figure"><figcaption>F</figcaption></figure>' + report.download_links(figure, "groepen")
            + "<script>'<table>'</script>" + report.table_block_html(figure, None, name="groepen"))
    numbered = BeautifulSoup(_Numbering("01_leeromgeving", first_figure=7).html(page), "html.parser")
    assert [c.get_text() for c in numbered.select("caption")] == ["Tabel 1.1. Eerste", "Tabel 1.2. "]
    assert [a["download"] for a in numbered.select("a.ll-download")] == [
        "01-tabel-1-groepen.csv", "01-tabel-1-groepen.schema.json",
        "01-figuur-7-groepen.csv", "01-figuur-7-groepen.schema.json",
        "01-tabel-2-groepen.csv", "01-tabel-2-groepen.schema.json",
    ]
    assert "CSV (01-figuur-7-groepen.csv)" in numbered.get_text()


def test_a_table_without_downloads_is_not_numbered():
    from loopbaanleren.book.table_numbers import _Numbering

    page = "<table><tr><td>opmaak</td></tr></table>" + report.table_block_html(pd.DataFrame({"x": [1]}), "Data")
    numbered = BeautifulSoup(_Numbering("index", first_figure=1).html(page), "html.parser")
    assert [c.get_text() for c in numbered.select("caption")] == ["Tabel 1. Data"]
    assert numbered.select_one("a.ll-download")["download"] == "index-tabel-1-data.csv"
