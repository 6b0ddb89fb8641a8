"""End to end: the repository's book built from small synthetic data, and the command line's errors."""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import E2E_PARAMS, PROJECT_ROOT, notebook_source

from loopbaanleren.build import provenance
from loopbaanleren.data.registry import load_registry
from loopbaanleren.data.codebook import load_codebook
from loopbaanleren.book.chapter_graph import toc_files

CLI = [str(Path(sys.executable).with_name("loopbaanleren")), "build"]


def pages(built_book) -> list[Path]:
    return sorted(p for p in built_book.html.glob("*.html") if p.name not in {"genindex.html", "search.html"})


def test_every_chapter_is_built(built_book):
    toc = yaml.safe_load((PROJECT_ROOT / "book" / "_toc.yml").read_text())
    for name in toc_files(toc):
        assert (built_book.html / f"{name}.html").is_file(), name
    assert (built_book.html / "index.html").is_file()


def test_counts_on_the_data_chapter_match_the_data(built_book):
    path = Path(built_book.provenance["data"]["students"]["path"])
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == E2E_PARAMS["n_students"]
    assert built_book.pasted("00_data")[0] == str(len(rows))
    assert built_book.pasted("methods")[0] == str(len(rows))  # pasted from another page

    labels = load_codebook().variables("students")["sector"].values
    counts = {labels[int(code)]: sum(1 for row in rows if row["sector"] == code) for code in {r["sector"] for r in rows}}
    table = next(t for t in built_book.page("00_data").find_all("table") if "per sector" in t.caption.get_text())
    shown = {tr.find_all("td")[0].get_text(): tr.find_all("td")[1].get_text() for tr in table.tbody.find_all("tr")}
    for sector, count in counts.items():
        assert shown[sector] == (str(count) if count >= 10 else "onderdrukt (n < 10)"), sector


def test_the_methods_page_pastes_the_numbers_the_code_defines(built_book):
    """Scale scores, small groups, margins and imputation: the numbers come from the build (none is left empty)."""
    text = " ".join(built_book.page("methods").get_text().split())
    assert "Wie minder dan 50% van de items van een schaal heeft beantwoord" in text  # codebook.MIN_ITEM_SHARE
    assert "(in deze build 10)" in text  # min_cell
    assert "N = 4.820 studenten of 371 begeleiders" in text and "G = 11 hogescholen" in text  # the original study
    imputations = E2E_PARAMS["multiverse_overrides"]["imputations"]
    assert f"meervoudige imputatie: {imputations} aangevulde datasets" in text
    icc = re.search(r"ICC = ([\d,]+)\)", text).group(1)  # printed with its significant digits
    assert float(icc.replace(",", ".")) == load_registry().rules["margin"]["icc"], icc
    for reference in ("Holm, S. (1979)", "Bell, R. M., & McCaffrey, D. F. (2002)", "Rubin, D. B. (1987)",
                      "Van Diepen, M. (2020)", "Schuirmann, D. J. (1987)", "Webb, M. D. (2014)"):
        assert reference in text, reference


def test_the_interview_claims_verdicts_link_to_the_section_of_their_chapter(built_book):
    index = built_book.page("index")
    attributes = ("data-reproduced", "data-not-reproduced", "data-undecided", "data-not-computable")
    interview = [v for v in index.select("small.ll-verdict") if " ".join(v[a] for a in attributes).strip().startswith("q_")]
    hrefs = {a["href"] for v in interview for a in v.select("a:not(.ll-claim-link):not(.ll-ledger-row)")}
    assert interview and hrefs == {"07_kwalitatief.html#beweringen-uit-de-samenvatting"}
    assert built_book.page("07_kwalitatief").find(id="beweringen-uit-de-samenvatting") is not None


def test_figures_carry_their_alt_text(built_book):
    images = built_book.page("00_data").find_all("img")
    assert any(img["alt"].startswith("Staafdiagram van het aantal studenten per sector: ") for img in images)
    assert all(img.get("alt") for img in images)


def test_figures_are_numbered_through_the_book_in_its_order(built_book):
    toc = yaml.safe_load((PROJECT_ROOT / "book" / "_toc.yml").read_text())
    numbered = "figure.ll-figure:not(.ll-scorecard-figure) figcaption"  # the front page's scorecard is not numbered
    captions = [caption.get_text(" ", strip=True) for name in toc_files(toc) for caption in built_book.page(name).select(numbered)]
    numbers = [re.match(r"Figuur (\d+)\. \S", caption) for caption in captions]
    assert len(captions) > 10 and all(numbers), [c for c, n in zip(captions, numbers) if not n][:3]
    assert [int(number.group(1)) for number in numbers] == list(range(1, len(captions) + 1))


def test_every_page_shows_the_synthetic_notice_and_the_provenance_footer(built_book):
    commit = built_book.provenance["git"]["commit"][:7]
    for page in pages(built_book):
        text = page.read_text(encoding="utf-8")
        assert "<strong>Synthetische data</strong>" in text, page.name
        footer = rf"Gebouwd op \d+ \w+ \d{{4}} uit commit ({commit}|onbekend); studenten: synthetisch, seed 2026"
        assert re.search(footer, text), page.name
        assert re.search(r"Laatste aanpassing op \d{1,2} [a-z]+ \d{4}\.", text), page.name


def test_pages_need_no_network(built_book):
    for page in pages(built_book):
        soup = built_book.page(page.stem)
        addresses = [tag.get("src") or tag.get("href") or "" for tag in soup.find_all(["script", "link", "img"])]
        remote = [address for address in addresses if re.match(r"https?:", address)]
        assert remote == [], page.name


def test_provenance_records_data_parameters_versions_and_notebooks(built_book):
    record = json.loads((built_book.results / "provenance.json").read_text())
    first = built_book.provenance
    assert record == first  # a rebuild that changed nothing keeps the record of the build that made the book
    assert first["data"]["students"] | {"path": None, "sha256": None} == {
        "file": "students.csv", "path": None, "sha256": None, "synthetic": True, "seed": 2026, "n": 600,
        "scenario": "default",
    }
    assert first["parameters"]["n_boot"] == 20
    assert first["versions"]["pandas"] and first["versions"]["jupyter-book"] == "1.0.4.post1"
    assert set(first["notebooks"]) == {p.stem for p in (PROJECT_ROOT / "notebooks").glob("[0-9][0-9]_*.py")}
    assert {run["status"] for run in first["notebooks"].values()} == {"executed"}
    assert first["started"] <= first["finished"]
    colophon = built_book.page("colophon").get_text()
    assert "00_data" in colophon and first["git"]["commit"] in colophon


def test_a_second_build_with_nothing_changed_executes_nothing(built_book):
    assert {run["status"] for run in built_book.rebuild["notebooks"].values()} == {"cached"}
    assert built_book.rebuild["book"]["status"] == "unchanged"


# ------------------------------------------------------------------------------------------- command line

TRIVIAL = notebook_source("# Proef", 'parameters:\nstudents_path = ""\nalpha = 0.05', "half = alpha / 2")


def run_cli(*args: str) -> subprocess.CompletedProcess:
    wide = {**os.environ, "COLUMNS": "250"}  # keeps the command line's error box on one line
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=300, env=wide)


@pytest.fixture
def project(make_project):
    return make_project({"00_proef": TRIVIAL})


def assert_refused(done: subprocess.CompletedProcess, message: str, layout) -> None:
    assert done.returncode == 2, done.stderr
    assert message in done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert not layout.html.exists() and not layout.results.exists() and not layout.run.exists()


def test_unknown_key_in_params_file(project, tmp_path):
    (tmp_path / "p.yml").write_text("sed: 3\n")
    done = run_cli("--project", str(project.root), "--params", str(tmp_path / "p.yml"))
    assert_refused(done, "error: unknown parameter 'sed'; known parameters: ", project)


def test_bad_type_on_the_command_line(project):
    done = run_cli("--project", str(project.root), "--seed", "abc")
    assert_refused(done, "Invalid value for '--seed': Input should be a valid integer", project)


def test_bad_value_in_params_file(project, tmp_path):
    (tmp_path / "p.yml").write_text("alpha: veel\nmin_cell: 0\n")
    done = run_cli("--project", str(project.root), "--params", str(tmp_path / "p.yml"))
    expected = "error: alpha: expected a number between 0 and 1, got 'veel'\nmin_cell: must be at least 1"
    assert_refused(done, expected, project)


def test_missing_data_file(project, tmp_path):
    done = run_cli("--project", str(project.root), "--students", str(tmp_path / "nope.csv"))
    assert_refused(done, f"error: students: file not found: {tmp_path / 'nope.csv'}", project)


def test_data_failing_validation(project, tmp_path, small_data):
    bad = tmp_path / "students.csv"
    bad.write_text(small_data["students"].read_text().replace("resp_id", "respondent", 1))
    done = run_cli("--project", str(project.root), "--students", str(bad), "--counsellors", str(small_data["counsellors"]))
    assert_refused(done, f"error: students ({bad}): students.csv does not fit the codebook", project)


def test_a_failing_notebook_exits_with_one_message(project):
    (project.notebooks / "00_proef.py").write_text(TRIVIAL.replace("half = alpha / 2", "half = alpha / 0"))
    done = run_cli("--project", str(project.root), "--n-students", "60", "--n-counsellors", "30")
    assert done.returncode == 1
    expected = "notebook 00_proef.py failed in cell 3 (half = alpha / 0): ZeroDivisionError: float division by zero"
    assert f"error: {expected}" in done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert (project.work / "failed" / "00_proef.ipynb").is_file()
    assert not project.html.exists() and not project.results.exists()


def test_no_machine_path_in_any_downloadable_file(built_book):
    """The notebooks, sources and data downloads of the book name no folder of the machine that built it."""
    import base64
    import tempfile

    roots = {str(built_book.project), str(built_book.project.resolve()), tempfile.gettempdir() + "/", str(Path.home()) + "/"}
    checked = 0
    for path in [*built_book.html.rglob("*.ipynb"), *(built_book.html / "_sources").rglob("*")]:
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            assert not [root for root in roots if root in text], path.name
            checked += 1
    for page in pages(built_book):
        for link in built_book.page(page.stem).select("a.ll-download"):
            body = base64.b64decode(link["href"].split("base64,", 1)[1])
            if link["download"].endswith(".csv"):
                assert not [root for root in roots if root in body.decode("utf-8-sig")], (page.name, link["download"])
            checked += 1
    assert checked > 50


def test_the_colophon_shows_the_data_hashes_and_times_of_provenance_json(built_book):
    record = json.loads((built_book.results / "provenance.json").read_text())
    colophon = " ".join(built_book.page("colophon").get_text(" ").split())
    for entry in record["data"].values():
        assert entry["sha256"] in colophon
    assert record["started"] in colophon
    dirty = record["git"]["dirty"]
    assert ("onbekend" if dirty is None else "gewijzigd" if dirty else "schoon") in colophon
    for name, run in record["notebooks"].items():
        assert name in colophon


def test_the_rerun_page_states_the_times_this_build_measured(built_book):
    rerun = " ".join(built_book.page("rerun").get_text(" ").split())
    assert provenance.timings_text(built_book.provenance) in rerun


def test_every_table_of_the_book_downloads_as_csv(built_book):
    """Each table, in a notebook or in a page's own text, is followed by its CSV download."""
    checked = 0
    for page in pages(built_book):
        for table in built_book.page(page.stem).select("article table"):
            shown = lambda tag: tag.name not in ("script", "style")  # noqa: E731 (an interactive table's script)
            box = table
            while box.find_next_sibling(shown) is None and box.parent.name == "div":  # the table's scrolling boxes
                box = box.parent
            following = box.find_next_sibling(shown)
            assert following is not None and "ll-downloads" in following.get("class", []), (page.name, table.get_text()[:80])
            assert following.select_one("a.ll-download[download$='.csv']"), page.name
            checked += 1
    assert checked > 50


def test_every_page_links_each_style_sheet_of_the_package_base_first(built_book):
    """Every ``resources/static/*.css`` reaches every page, ``loopbaanleren.css`` before the others."""
    from loopbaanleren.resources import resource_path

    sheets = {path.name for path in resource_path("static").glob("*.css")}
    for page in pages(built_book):
        linked = [name for name in re.findall(r'href="_static/([^"?]+\.css)', page.read_text(encoding="utf-8"))
                  if name in sheets]
        assert set(linked) == sheets and linked[0] == "loopbaanleren.css", page.name
