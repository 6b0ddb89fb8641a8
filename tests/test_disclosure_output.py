"""Disclosure control checked on what a build publishes: every file of ``book/_build/html`` and ``results/``.

The repository's book is built on a researcher's export of data with groups smaller than ``min_cell``
(``own_data_book``: a hogeschool with 3 students and 2 counsellors, a sector with 4 students and no counsellors,
all counsellors in one sector; no interviews). The interview study, which that book leaves out, is scanned on the
shared build (``built_book``). The scan fails when

1. a table row or column headed by a group that is smaller than ``min_cell`` in every population shows a number
   (the suppression marker aside), in the HTML tables and in the ``results/*.csv`` files;
2. a count of respondents is below ``min_cell``: a number in a column headed ``n``, ``N``, ``aantal`` or
   ``n_...``, the ``(k)`` in a column headed "... (n)", or any number in a table captioned "Aantal respondenten",
   "Aantal studenten" or "Aantal (studieloopbaan)begeleiders" (counts of the ten interviews of the qualitative
   study are not respondent counts of the survey: the rule does not apply to them);
3. running text or a figure's alt text says ``n = k`` with k below ``min_cell``; a figure's alt text gives a
   number for a small group; or a figure of group means ("... voor k groepen") plots more groups than the table
   that follows it shows unsuppressed (a plotted small group);
4. a respondent id of the data appears anywhere;
5. a respondent's full answer pattern appears anywhere: as a table row, or as text joined by ``,`` ``;`` tab,
   space or ``|``.

The scanner is first shown to find each of these in planted output, so that its passing on the book means
something.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup
from build_helpers import MIN_CELL, SMALL_HOGESCHOOL, SMALL_SECTOR, caption_text, own_data_book  # noqa: F401
from disclosure_helpers import assert_undetermined, feasible_intervals

from loopbaanleren.data.codebook import POPULATIONS, load_codebook
from loopbaanleren.data.disclosure import complementary_marker, suppression_marker

POPULATIONS_NL = {population: load_codebook().population(population).label_nl for population in POPULATIONS}

TEXT_SUFFIXES = {".html", ".js", ".json", ".csv", ".txt", ".ipynb", ".md", ".tex", ".xml", ".yml", ".yaml", ".log"}
GROUPING = ("sector", "hogeschool")
COUNT_HEADER = re.compile(r"^(n|aantal|count|frequentie)([ _(].*)?$", re.IGNORECASE)
NOT_RESPONDENTS = re.compile(r"item|boot|claim|segment|interview|code|cel|schal|model|param", re.IGNORECASE)
COUNT_CAPTION = re.compile(r"^aantal (respondenten|studenten|studieloopbaanbegeleiders|begeleiders)", re.IGNORECASE)
COUNT_IN_BRACKETS = re.compile(r"\((\d{1,3}(?:\.\d{3})*|\d+)\)")
GROUP_FIGURE = re.compile(r"voor (\d+) groepen?\b")
N_EQUALS = re.compile(r"\b[nN]\s*=\s*(\d{1,3}(?:[.\u202f ]\d{3})*|\d+)(?![\d,])")
DUTCH_INT = re.compile(r"^-?\d{1,3}(\.\d{3})*$|^-?\d+$")


@dataclass(frozen=True)
class Table:
    where: str
    caption: str
    header: list[str]
    rows: list[list[str]]


def html_tables(html: Path) -> Iterator[Table]:
    for page in sorted(html.rglob("*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8", errors="replace"), "html.parser")
        for number, table in enumerate(soup.find_all("table"), start=1):
            caption = caption_text(table)
            head = table.thead.find_all("tr")[-1] if table.thead and table.thead.find_all("tr") else None
            header = [cell.get_text(" ", strip=True) for cell in head.find_all(["th", "td"])] if head else []
            body = [tr for tr in table.find_all("tr") if tr.find_parent("thead") is None]
            rows = [[cell.get_text(" ", strip=True) for cell in tr.find_all(["td", "th"])] for tr in body]
            yield Table(f"{page.relative_to(html)} table {number}", caption, header, [r for r in rows if r])


def csv_tables(results: Path) -> Iterator[Table]:
    for path in sorted(results.rglob("*.csv")):
        with path.open(encoding="utf-8", errors="replace", newline="") as fh:
            rows = list(csv.reader(fh))
        if rows:
            yield Table(f"results/{path.relative_to(results)}", "", rows[0], rows[1:])


def text_files(*folders: Path) -> Iterator[tuple[str, str]]:
    """Every text file of the folders but the theme's assets (``_static``, the same in every build)."""
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix.lower() in TEXT_SUFFIXES and "_static" not in path.parts:
                yield f"{folder.name}/{path.relative_to(folder)}", path.read_text(encoding="utf-8", errors="replace")


def as_count(cell: str) -> int | None:
    """A whole number as the book (4.820) or a CSV file (4820, 4820.0) writes it; None for anything else."""
    cell = cell.strip().replace("\u202f", "")
    if re.fullmatch(r"-?\d+\.0+", cell):
        return int(float(cell))
    return int(cell.replace(".", "")) if DUTCH_INT.match(cell) else None


def as_number(cell: str) -> float | None:
    """A number as the book (3,34) or a CSV file (3.34) writes it; None for anything else."""
    cell = cell.strip()
    for text in (cell, cell.replace(".", "").replace(",", ".")):
        try:
            return float(text)
        except ValueError:
            continue
    return None


def small_groups(data: dict[str, pd.DataFrame], min_cell: int) -> set[str]:
    """Labels of the sectors and hogescholen with fewer than ``min_cell`` respondents in every population."""
    small = None
    for population, frame in data.items():
        variables = load_codebook().variables(population)
        labels = set()
        for variable in GROUPING:
            counts = frame[variable].value_counts()
            labels |= {label for code, label in variables[variable].values.items() if counts.get(str(code), 0) < min_cell}
        small = labels if small is None else small & labels
    return small or set()


def answer_patterns(data: dict[str, pd.DataFrame]) -> dict[tuple, str]:
    """Each respondent's answers (every codebook variable but the id, in file order) by pattern: the id."""
    patterns = {}
    for frame in data.values():
        answers = frame.drop(columns="resp_id")
        for resp_id, row in zip(frame["resp_id"], answers.itertuples(index=False), strict=True):
            patterns[tuple(as_number(value) for value in row)] = resp_id
    return patterns


def group_figures(html: Path, marker: str) -> Iterator[tuple[str, int, int]]:
    """Each figure of group means: where, the number of groups it plots, the unsuppressed rows of its table."""
    for page in sorted(html.rglob("*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8", errors="replace"), "html.parser")
        for img in soup.find_all("img"):
            match = GROUP_FIGURE.search(img.get("alt") or "")
            table = img.find_next("table") if match else None
            if table is not None:
                rows = [[td.get_text(" ", strip=True) for td in tr.find_all("td")] for tr in table.select("tbody tr")]
                shown = sum(1 for row in rows if row and not any(marker in cell for cell in row))
                yield f"{page.relative_to(html)} figure '{img['alt'][:50]}'", int(match.group(1)), shown


def has_digit(cell: str, marker: str) -> bool:
    return bool(re.search(r"\d", cell.replace(marker, "")))


def scan(html: Path, results: Path, data: dict[str, pd.DataFrame], min_cell: int) -> list[str]:
    """Every disclosure problem in the published files, one line each (see the module docstring)."""
    marker = suppression_marker(min_cell)
    small = small_groups(data, min_cell)
    problems = []
    tables = [*html_tables(html), *csv_tables(results)]
    patterns = answer_patterns(data)
    length = len(next(iter(patterns)))
    for table in tables:
        counted = [i for i, name in enumerate(table.header) if COUNT_HEADER.match(name) and not NOT_RESPONDENTS.search(name)]
        by_caption = bool(COUNT_CAPTION.match(table.caption))
        bracketed = [i for i, name in enumerate(table.header) if "(n)" in name]
        small_columns = [i for i, name in enumerate(table.header) if name in small]
        for row in table.rows:
            label = next((cell for cell in row if cell in small), None)
            if label is not None and any(has_digit(cell, marker) for cell in row if cell != label):
                problems.append(f"{table.where}: small group '{label}' shown with numbers: {row}")
            for i in small_columns:
                if i < len(row) and has_digit(row[i], marker):
                    problems.append(f"{table.where}: small group '{table.header[i]}' shown with number {row[i]!r}")
            cells = range(1, len(row)) if by_caption else counted
            counts = [(row[i], as_count(row[i])) for i in cells if i < len(row)]
            for i in bracketed:
                counts += [(m.group(1), as_count(m.group(1))) for m in COUNT_IN_BRACKETS.finditer(row[i] if i < len(row) else "")]
            for text, count in counts:
                if count is not None and count < min_cell:
                    problems.append(f"{table.where}: count {text} below {min_cell}: {row}")
            values = [as_number(cell) for cell in row]
            for start in range(len(values) - length + 1):
                resp_id = patterns.get(tuple(values[start : start + length]))
                if resp_id is not None:
                    problems.append(f"{table.where}: answers of respondent {resp_id} as a table row")
    for page in sorted(html.rglob("*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8", errors="replace"), "html.parser")
        texts = [soup.get_text(" "), *(img.get("alt") or "" for img in soup.find_all("img"))]
        for text in texts:
            for match in N_EQUALS.finditer(text):
                if int(re.sub(r"\D", "", match.group(1))) < min_cell:
                    problems.append(f"{page.relative_to(html)}: '{match.group(0)}' is below {min_cell}")
        for img in soup.find_all("img"):
            for part in re.split(r"[;:]", (img.get("alt") or "").replace(marker, "")):
                for label in small:
                    if label in part and re.search(r"\d", part.replace(label, "")):
                        problems.append(f"{page.relative_to(html)}: figure shows small group '{label}': {part.strip()}")
    for where, plotted, shown in group_figures(html, marker):
        if plotted > shown:
            problems.append(f"{where}: plots {plotted} groups, its table shows {shown}")
    ids = {resp_id for frame in data.values() for resp_id in frame["resp_id"]}
    rows = {
        tuple(row): resp_id
        for frame in data.values()
        for resp_id, row in zip(frame["resp_id"], frame.drop(columns="resp_id").itertuples(index=False), strict=True)
    }
    for where, text in text_files(html, results):
        for resp_id in sorted(ids & set(re.findall(r"\w+", text))):
            problems.append(f"{where}: respondent id {resp_id}")
        for separator in (",", ";", "\t", " ", "|"):
            cell = r"[-+\d.]*"
            run = re.compile(rf"{cell}(?:{re.escape(separator)}{cell}){{{length - 1},}}")
            for match in run.finditer(text):
                cells = match.group(0).split(separator)
                for start in range(len(cells) - length + 1):
                    resp_id = rows.get(tuple(cells[start : start + length]))
                    if resp_id is not None:
                        problems.append(f"{where}: answers of respondent {resp_id} as text")
    return problems


def read_data(paths: dict[str, Path]) -> dict[str, pd.DataFrame]:
    return {population: pd.read_csv(paths[population], dtype=str, keep_default_na=False) for population in POPULATIONS}


# ------------------------------------------------------------------------------------- the scanner itself


@pytest.fixture
def planted(tmp_path, small_data):
    """A clean page (suppressed small groups) and empty results, and the data they come from."""
    data = read_data(small_data)
    for population, frame in data.items():
        school = load_codebook().variables(population)["hogeschool"].values
        code = next(c for c, label in school.items() if label == SMALL_HOGESCHOOL)
        frame.loc[frame["hogeschool"] == str(code), "hogeschool"] = "1"
        frame.loc[:2, "hogeschool"] = str(code)
    html, results = tmp_path / "html", tmp_path / "results"
    html.mkdir()
    results.mkdir()
    marker = suppression_marker(MIN_CELL)
    clean = f"""<html><body><main><h1>Gegevens</h1><p>Alle groepen met n = 12 of meer.</p>
    <table><caption>Aantal respondenten per hogeschool</caption>
    <thead><tr><th>hogeschool</th><th>studenten</th><th>begeleiders</th></tr></thead>
    <tbody><tr><td>Hogeschool A</td><td>1.204</td><td>35</td></tr>
    <tr><td>{SMALL_HOGESCHOOL}</td><td>{marker}</td><td>{marker}</td></tr></tbody></table>
    <img src="x.png" alt="Staafdiagram: Hogeschool A 1.204; {SMALL_HOGESCHOOL} {marker}."></main></body></html>"""
    (html / "index.html").write_text(clean, encoding="utf-8")
    return html, results, data


def test_scanner_passes_a_clean_page(planted):
    html, results, data = planted
    assert SMALL_HOGESCHOOL in small_groups(data, MIN_CELL)
    assert scan(html, results, data, MIN_CELL) == []


def test_scanner_finds_each_kind_of_leak(planted):
    html, results, data = planted
    students = data["students"]
    first = students.iloc[0]
    leaky = f"""<html><body><main><p>Bij {SMALL_HOGESCHOOL} (n = 3) is het anders.</p>
    <table><thead><tr><th>groep</th><th>gemiddelde</th></tr></thead>
    <tbody><tr><td>{SMALL_HOGESCHOOL}</td><td>3,12</td></tr></tbody></table>
    <table><thead><tr><th>sector</th><th>n</th></tr></thead><tbody><tr><td>Techniek</td><td>7</td></tr></tbody></table>
    <table><thead><tr><th>sector</th><th>studenten: gemiddelde (n)</th></tr></thead>
    <tbody><tr><td>Economie</td><td>2,95 (8)</td></tr></tbody></table>
    <table><tbody><tr>{"".join(f"<td>{v}</td>" for v in first.drop("resp_id"))}</tr></tbody></table>
    <img src="y.png" alt="Gemiddelden: {SMALL_HOGESCHOOL} 2,9; Hogeschool A 3,1">
    <img src="z.png" alt="Groepsgemiddelden voor 2 groepen">
    <table><tbody><tr><td>Hogeschool A</td><td>3,1</td></tr>
    <tr><td>Hogeschool B</td><td>{suppression_marker(MIN_CELL)}</td></tr></tbody></table></main></body></html>"""
    (html / "leak.html").write_text(leaky, encoding="utf-8")
    students.iloc[[5]].to_csv(results / "export.csv", index=False)
    found = "\n".join(scan(html, results, data, MIN_CELL))
    assert f"small group '{SMALL_HOGESCHOOL}' shown with numbers" in found
    assert "count 7 below 10" in found
    assert "count 8 below 10" in found
    assert "'n = 3' is below 10" in found
    assert f"figure shows small group '{SMALL_HOGESCHOOL}'" in found
    assert "plots 2 groups, its table shows 1" in found
    assert f"answers of respondent {first['resp_id']} as a table row" in found
    assert f"results/export.csv: respondent id {students.iloc[5]['resp_id']}" in found
    assert f"answers of respondent {students.iloc[5]['resp_id']} as text" in found


# ------------------------------------------------------------------------------------- the built book


def test_built_book_and_results_disclose_no_small_group_and_no_respondent(own_data_book):  # noqa: F811
    book = own_data_book
    assert book.returncode == 0, book.stderr
    data = read_data(book.data)
    assert small_groups(data, MIN_CELL) >= {SMALL_SECTOR, SMALL_HOGESCHOOL}
    tables = [*html_tables(book.layout.html), *csv_tables(book.layout.results)]
    assert len(tables) > 10 and any(SMALL_HOGESCHOOL in row for table in tables for row in table.rows)
    assert any(shown < 7 for _, _, shown in group_figures(book.layout.html, suppression_marker(MIN_CELL)))
    assert scan(book.layout.html, book.layout.results, data, MIN_CELL) == []


def test_the_interview_study_discloses_no_respondent(built_book):
    """The shared build (simulated data and interviews) passes the scan, its interview chapter included, whose
    counts of interviews below ``min_cell`` are no respondent counts."""
    data = read_data({population: Path(built_book.provenance["data"][population]["path"]) for population in POPULATIONS})
    min_cell = built_book.provenance["parameters"]["min_cell"]
    interviews = [table for table in html_tables(built_book.html) if table.where.startswith("07_kwalitatief.html")]
    cells = [as_count(cell) for table in interviews for row in table.rows for cell in row]
    assert any(count is not None and count < min_cell for count in cells)
    assert scan(built_book.html, built_book.results, data, min_cell) == []


def test_small_groups_are_named_only_as_suppressed(own_data_book):  # noqa: F811
    """The small sector and hogeschool still appear in the book, each time marked as suppressed."""
    book = own_data_book
    assert book.returncode == 0, book.stderr
    marker = suppression_marker(MIN_CELL)
    for label in (SMALL_SECTOR, SMALL_HOGESCHOOL):
        rows = [row for table in html_tables(book.layout.html) for row in table.rows if label in row]
        assert rows, label
        assert all(marker in row for row in rows), (label, rows)


def test_no_suppressed_count_on_the_data_page_follows_from_the_totals(own_data_book):  # noqa: F811
    """Page 00 shows the number of students and counsellors and their counts per hogeschool and per sector: for
    each column, the hidden cells sum to the total minus the shown ones, and every small cell can still take every
    value below ``min_cell`` (linprog over the shown cells and the total; before, the hogeschool of 3 students and
    2 counsellors followed by subtraction: 4,820 − 4,817)."""
    book = own_data_book
    assert book.returncode == 0, book.stderr
    page = book.layout.html / "00_data.html"
    totals = {POPULATIONS_NL[p]: book.provenance["data"][p]["n"] for p in POPULATIONS}
    text = " ".join(BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").get_text(" ").split())
    assert all(f"{total:,}".replace(",", ".") in text for total in totals.values())  # the totals are on the page
    marker, extra_marker = suppression_marker(MIN_CELL), complementary_marker()
    checked = []
    for table in html_tables(page.parent):
        if not table.where.startswith("00_data.html") or not table.caption.startswith("Aantal respondenten per"):
            continue
        for column, label in enumerate(table.header[1:], start=1):
            cells = {row[0]: row[column] for row in table.rows}
            small = [name for name, cell in cells.items() if cell == marker]
            extra = [name for name, cell in cells.items() if cell == extra_marker]
            shown = sum(as_count(cell) for cell in cells.values() if cell not in (marker, extra_marker))
            if small:
                hidden = totals[label] - shown
                assert_undetermined(feasible_intervals(hidden, small, extra, MIN_CELL), small, MIN_CELL)
                checked.append((table.caption, label))
    assert ("Aantal respondenten per hogeschool", POPULATIONS_NL["students"]) in checked
    assert ("Aantal respondenten per hogeschool", POPULATIONS_NL["counsellors"]) in checked


def test_a_complementary_sector_is_hidden_wherever_the_small_sector_is(own_data_book):  # noqa: F811
    """Linked tables: the sector hidden on page 00 to protect the small sector is hidden in every table of the book
    that hides the small sector (the chapters' comparisons per sector), so no table gives its count away."""
    book = own_data_book
    marker, extra_marker = suppression_marker(MIN_CELL), complementary_marker()
    page = next(t for t in html_tables(book.layout.html)
                if t.where.startswith("00_data.html") and t.caption == "Aantal respondenten per sector")
    students = page.header.index(POPULATIONS_NL["students"])
    complements = [row[0] for row in page.rows if row[students] == extra_marker]
    assert complements, "page 00 should hide a complementary sector of students"
    linked = [t for t in html_tables(book.layout.html)
              if any(row and row[0] == SMALL_SECTOR and marker in row for row in t.rows) and "sector" in t.header]
    assert len(linked) > 3, "the chapters should compare the students across sectors"
    for table in linked:
        hidden = {row[0] for row in table.rows if extra_marker in row or marker in row}
        assert set(complements) <= hidden, (table.where, table.caption, hidden)
