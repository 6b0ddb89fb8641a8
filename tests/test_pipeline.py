"""Build orchestration: notebook discovery, table of contents, cache keys, swaps, and small real builds."""

from __future__ import annotations

import hashlib
import json
import os

import nbformat
import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import notebook_source
from rich.console import Console

from loopbaanleren.build import provenance
from loopbaanleren.data.manifest import sha256_file
from loopbaanleren.build.cache import store
from loopbaanleren.errors import BuildError, ParameterError
from loopbaanleren.build.param_check import check
from loopbaanleren.book.chapter_graph import toc_files
from loopbaanleren.build.book_step import filter_toc, read_toc
from loopbaanleren.build.inputs import DataInput
from loopbaanleren.build.layout import Layout
from loopbaanleren.build.notebooks import cache_key, discover, notebook_parameters, upstream_hash
from loopbaanleren.build.pipeline import build
from loopbaanleren.build.publish import swap
from loopbaanleren.data.synthetic_segments import write_synthetic_segments

FIRST = notebook_source(
    "# Eerste\n\nEr zijn {glue:text}`n_rows` studenten.",
    """parameters:
    students_path = ""
    seed = 0
    results_dir = ""
    """,
    """
    import pandas as pd
    from loopbaanleren.book.report import glue_value, save_result
    with open(students_path, encoding="utf-8") as fh:
        n_rows = sum(1 for _ in fh) - 1
    glue_value("n_rows", n_rows, "n")
    save_result(pd.DataFrame({"n": [n_rows]}), "eerste", results_dir)
    """,
)
SECOND = notebook_source("# Tweede", "parameters:\nalpha = 0.05", "doubled = alpha * 2\nprint(doubled)")
SUMMARY = notebook_source(
    "# Overzicht",
    'parameters:\nresults_dir = ""\nnotebooks_dir = ""',
    """
    from pathlib import Path
    chapters = sorted(p.stem for p in Path(notebooks_dir).glob("*.py"))
    rows = (Path(results_dir) / "eerste.csv").read_text().splitlines()
    """,
)
SMALL = {"n_students": 60, "n_counsellors": 30}


def quiet() -> Console:
    return Console(file=open(os.devnull, "w"))


def statuses(report) -> dict[str, str]:
    return {name: run["status"] for name, run in report.notebooks.items()}


# ------------------------------------------------------------------------------------------- pieces


def test_discover_reads_notebooks_in_order_with_their_parameters(tmp_path):
    (tmp_path / "01_b.py").write_text(SECOND)
    (tmp_path / "00_a.py").write_text(FIRST)
    (tmp_path / "helper.py").write_text("x = 1\n")
    notebooks = discover(tmp_path)
    assert [nb.name for nb in notebooks] == ["00_a", "01_b"]
    assert notebooks[0].parameters == {"students_path": "", "seed": 0, "results_dir": ""}
    assert notebooks[1].node.metadata["kernelspec"]["name"] == "python3"


def test_discover_needs_one_parameters_cell_and_unique_numbers(tmp_path):
    (tmp_path / "00_a.py").write_text(SECOND)
    (tmp_path / "00_b.py").write_text(SECOND)
    (tmp_path / "01_c.py").write_text(notebook_source("x = 1"))
    with pytest.raises(BuildError) as info:
        discover(tmp_path)
    assert str(info.value).splitlines() == [
        f"{tmp_path / '00_b.py'}: number 00 is also used by 00_a.py",
        f"{tmp_path / '01_c.py'}: needs exactly one cell tagged parameters, found 0",
    ]


def test_discover_an_empty_folder(tmp_path):
    with pytest.raises(ParameterError, match="no notebooks named NN_name.py in"):
        discover(tmp_path)


TOC = {
    "format": "jb-book",
    "root": "index",
    "parts": [
        {"caption": "Gegevens", "chapters": [{"file": "00_a"}]},
        {"caption": "Vragen", "chapters": [{"file": "01_b", "sections": [{"file": "extra"}]}]},
    ],
}


def test_toc_files_and_filter():
    assert toc_files(TOC) == ["index", "00_a", "01_b", "extra"]
    assert filter_toc(TOC, {"01_b"}) == {
        "format": "jb-book",
        "root": "index",
        "parts": [{"caption": "Gegevens", "chapters": [{"file": "00_a"}]}],
    }


def test_read_toc_checks_notebooks_against_the_toc(tmp_path):
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "00_a.py").write_text(SECOND)
    (tmp_path / "notebooks" / "02_c.py").write_text(SECOND)
    (tmp_path / "_toc.yml").write_text(yaml.safe_dump(TOC))
    with pytest.raises(BuildError) as info:
        read_toc(tmp_path, [nb.name for nb in discover(tmp_path / "notebooks")])
    assert str(info.value).splitlines() == [
        f"{tmp_path / '_toc.yml'}: notebook 02_c.py is not listed (add '- file: 02_c')",
        f"{tmp_path / '_toc.yml'}: lists '01_b' but there is no notebooks/01_b.py",
    ]


@pytest.fixture
def two_notebooks(tmp_path):
    (tmp_path / "00_a.py").write_text(FIRST)
    (tmp_path / "01_b.py").write_text(SECOND)
    data = tmp_path / "students.csv"
    data.write_text("resp_id\nR1\n")
    inputs = {role: DataInput(role, data, "abc", True) for role in ("students", "counsellors", "interviews")}
    return discover(tmp_path), inputs


def test_notebooks_receive_only_what_they_declare(two_notebooks, tmp_path):
    (first, second), inputs = two_notebooks
    params = check({"seed": 5}, {"00_a": first.parameters, "01_b": second.parameters}, (10, 5))
    layout = Layout(tmp_path)
    assert notebook_parameters(first, params, inputs, layout) == {
        "students_path": str(tmp_path / "students.csv"),
        "seed": 5,
        "results_dir": str(tmp_path / ".build" / "run" / "results"),
    }
    assert notebook_parameters(second, params, inputs, layout) == {"alpha": 0.05}


def test_a_notebook_declaring_chapters_is_told_the_notebooks_the_build_runs(tmp_path):
    (tmp_path / "90_c.py").write_text(notebook_source("# Overzicht", "parameters:\nchapters = []", "print(chapters)"))
    (summary,) = discover(tmp_path)
    params = check({}, {"90_c": summary.parameters}, (10, 5))
    injected = notebook_parameters(summary, params, {}, Layout(tmp_path), ["00_a", "90_c"])
    assert injected == {"chapters": ["00_a", "90_c"]}
    with pytest.raises(ParameterError, match="chapters"):  # set by the build, not by its user
        check({"chapters": ["00_a"]}, {"90_c": summary.parameters}, (10, 5))


def test_cache_key_changes_with_source_parameters_data_and_package(two_notebooks, tmp_path):
    (first, _), inputs = two_notebooks
    injected = {"students_path": str(tmp_path / "students.csv"), "seed": 5, "results_dir": "/a"}
    key = cache_key(first, injected, inputs, "pkg")
    assert cache_key(first, {**injected, "results_dir": "/elsewhere", "notebooks_dir": "/x"}, inputs, "pkg") == key
    assert cache_key(first, injected, inputs, "pkg", upstream="abc") != key
    assert cache_key(first, {**injected, "seed": 6}, inputs, "pkg") != key
    assert cache_key(first, injected, inputs, "pkg2") != key
    changed = {**inputs, "students": DataInput("students", tmp_path / "students.csv", "abd", True)}
    assert cache_key(first, injected, changed, "pkg") != key
    first.text += "\n# %%\nprint(1)\n"
    assert cache_key(first, injected, inputs, "pkg") != key


def test_upstream_hash_follows_sources_and_results(two_notebooks, tmp_path):
    notebooks, _ = two_notebooks
    results = tmp_path / "results"
    results.mkdir()
    before = upstream_hash(notebooks, results)
    (results / "eerste.csv").write_text("n\n1\n")
    with_result = upstream_hash(notebooks, results)
    notebooks[1].text += "\n# changed\n"
    assert len({before, with_result, upstream_hash(notebooks, results)}) == 3


def test_swap_replaces_targets_and_keeps_nothing_else(tmp_path):
    for name, text in (("new_a", "new"), ("a", "old"), ("new_b", "new")):
        (tmp_path / name).mkdir()
        (tmp_path / name / "f").write_text(text)
    swap({tmp_path / "new_a": tmp_path / "a", tmp_path / "new_b": tmp_path / "out" / "b"})
    assert (tmp_path / "a" / "f").read_text() == "new"
    assert (tmp_path / "out" / "b" / "f").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "out"]


def test_swap_failure_restores_the_previous_targets(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "f").write_text("old")
    (tmp_path / "new_a").mkdir()
    with pytest.raises(BuildError, match="could not replace"):
        swap({tmp_path / "new_a": tmp_path / "a", tmp_path / "missing": tmp_path / "b"})
    assert (tmp_path / "a" / "f").read_text() == "old"


def test_store_keeps_the_newest_cache_entries(tmp_path):
    executed = tmp_path / "nb.ipynb"
    nbformat.write(nbformat.v4.new_notebook(), executed)
    results = tmp_path / "results"
    (results / "sub").mkdir(parents=True)
    (results / "sub" / "t.csv").write_text("a\n")
    for number in range(5):
        entry = tmp_path / "cache" / "00_a" / f"key{number}"
        store(entry, executed, [results / "sub" / "t.csv"], results, 1.5)
        os.utime(entry, (number, number))
    assert sorted(p.name for p in (tmp_path / "cache" / "00_a").iterdir()) == ["key2", "key3", "key4"]
    assert (entry / "results" / "sub" / "t.csv").read_text() == "a\n"
    manifest = json.loads((entry / "manifest.json").read_text())
    assert manifest["seconds"] == 1.5
    assert manifest["files"]["results/sub/t.csv"] == hashlib.sha256(b"a\n").hexdigest()


# ------------------------------------------------------------------------------------------- builds


def test_builds_are_incremental(make_project):
    layout = make_project({"00_eerste": FIRST, "01_tweede": SECOND, "90_overzicht": SUMMARY},
                          depends_on={"90_overzicht": ["00_eerste", "01_tweede"]})
    first = build(SMALL, layout, quiet())
    assert statuses(first) == {"00_eerste": "executed", "01_tweede": "executed", "90_overzicht": "executed"}
    assert first.book_rebuilt
    assert (layout.results / "eerste.csv").read_text().splitlines() == ["n", "60"]

    again = build(SMALL, layout, quiet())
    assert statuses(again) == {"00_eerste": "cached", "01_tweede": "cached", "90_overzicht": "cached"}
    assert not again.book_rebuilt
    assert (layout.results / "eerste.csv").read_text().splitlines() == ["n", "60"]

    (layout.notebooks / "01_tweede.py").write_text(SECOND.replace("alpha * 2", "alpha * 3"))
    edited = build(SMALL, layout, quiet())
    assert statuses(edited) == {"00_eerste": "cached", "01_tweede": "executed", "90_overzicht": "executed"}
    assert edited.book_rebuilt

    other_alpha = build({**SMALL, "alpha": 0.01}, layout, quiet())
    assert statuses(other_alpha) == {"00_eerste": "cached", "01_tweede": "executed", "90_overzicht": "cached"}

    other_data = build({**SMALL, "alpha": 0.01, "n_students": 70}, layout, quiet())
    assert statuses(other_data) == {"00_eerste": "executed", "01_tweede": "cached", "90_overzicht": "executed"}
    assert (layout.results / "eerste.csv").read_text().splitlines() == ["n", "70"]


def test_a_failing_notebook_leaves_the_previous_book_and_results(make_project):
    layout = make_project({"00_eerste": FIRST, "01_tweede": SECOND})
    build(SMALL, layout, quiet())
    index = (layout.html / "index.html").read_text()
    provenance = (layout.results / "provenance.json").read_text()

    broken = SECOND.replace("doubled = alpha * 2", "doubled = alpha * 2\nraise KeyError('schaal')")
    (layout.notebooks / "01_tweede.py").write_text(broken)
    with pytest.raises(BuildError) as info:
        build({**SMALL, "seed": 3}, layout, quiet())
    kept = layout.work / "failed" / "01_tweede.ipynb"
    assert str(info.value).splitlines() == [
        "notebook 01_tweede.py failed in cell 3 (doubled = alpha * 2): KeyError: 'schaal'",
        f"the executed notebook is kept for inspection: {kept}",
    ]
    assert (layout.html / "index.html").read_text() == index
    assert (layout.results / "provenance.json").read_text() == provenance
    outputs = [o for c in nbformat.read(kept, 4).cells if c.cell_type == "code" for o in c.outputs]
    assert any(o.get("ename") == "KeyError" for o in outputs)


def test_only_builds_the_chosen_chapters(make_project):
    layout = make_project({"00_eerste": FIRST, "01_tweede": SECOND})
    (layout.book / "index.md").write_text("# Proefboek\n\nEr zijn {glue:text}`00_eerste.ipynb::n_rows:s` studenten.\n")
    report = build({**SMALL, "only": "01"}, layout, quiet())
    assert statuses(report) == {"01_tweede": "executed"}
    partial = Layout(layout.root, partial="partial-01")  # a partial book has its own folders
    assert (partial.html / "01_tweede.html").is_file() and not (partial.html / "00_eerste.html").exists()
    assert not layout.html.exists() and (layout.results / "partial-01").is_dir()

    full = build(SMALL, layout, quiet())
    assert statuses(full) == {"00_eerste": "executed", "01_tweede": "cached"}
    assert "Er zijn 60 studenten." in BeautifulSoup((layout.html / "index.html").read_text(), "html.parser").get_text()


def test_user_data_builds_without_the_synthetic_notice(make_project, small_data, tmp_path):
    layout = make_project({"00_eerste": FIRST})
    interviews = write_synthetic_segments(tmp_path / "interviews_synthetic.csv", 1)
    raw = {"students": small_data["students"], "counsellors": small_data["counsellors"], "interviews": interviews}
    report = build(raw, layout, quiet())
    assert not any(entry["synthetic"] for entry in report.provenance["data"].values())
    page = (layout.html / "00_eerste.html").read_text()
    assert "Synthetische data" not in page
    assert "studenten: students.csv (sha256 " in page and "interviews: interviews_synthetic.csv (sha256 " in page
    assert report.provenance["data"]["students"]["n"] == 600
    assert not (layout.root / "data").exists()

    synthetic = build({**SMALL}, layout, quiet())
    assert synthetic.provenance["data"]["students"]["synthetic"]
    assert "Synthetische data" in (layout.html / "00_eerste.html").read_text()


# ------------------------------------------------------------------------------------------- provenance


def test_sha256_file_matches_hashlib(tmp_path):
    path = tmp_path / "f.bin"
    path.write_bytes(b"loopbaanleren" * 100_000)
    assert sha256_file(path) == hashlib.sha256(path.read_bytes()).hexdigest()


def test_git_commit_outside_a_repository(tmp_path):
    assert provenance.git_commit(tmp_path) == {"commit": "unknown", "dirty": None}


RECORD = {
    "started": "2026-03-05T14:30:00+01:00",
    "git": {"commit": "0123456789abcdef", "dirty": False},
    "data": {
        "students": {"file": "students.csv", "sha256": "ab" * 32, "synthetic": True, "seed": 7, "n": 4820},
        "interviews": {"file": "mijn.csv", "sha256": "cd" * 32, "synthetic": False},
    },
    "parameters": {"seed": 7, "alpha": 0.05, "only": []},
    "notebooks": {"00_data": {"status": "cached", "seconds": 1.25}},
    "versions": {"python": "3.11.7"},
}


def test_footer_and_colophon_text():
    assert provenance.footer_text(RECORD) == (
        "Gebouwd op 5 maart 2026 uit commit 0123456; studenten: synthetisch, seed 7, n = 4.820; "
        "interviews: mijn.csv (sha256 cdcdcdcdcdcd…)"
    )
    user = {**RECORD, "data": {"interviews": RECORD["data"]["interviews"]}, "git": {"commit": "unknown", "dirty": None}}
    assert provenance.footer_text(user) == "Gebouwd op 5 maart 2026 uit commit onbekend; interviews: mijn.csv (sha256 cdcdcdcdcdcd…)"
    lines = provenance.markdown(RECORD).splitlines()
    text = "{ll-tekst}`%s`".__mod__  # user text passes as literal text (loopbaanleren.book.escape.myst_text)
    assert f"| studenten | synthetisch, seed {text(7)}, n = 4.820, {text('students.csv')} (SHA-256 {text('ab' * 32)}) |" in lines
    assert f"| interviews | {text('mijn.csv')} (SHA-256 {text('cd' * 32)}) |" in lines
    assert "Werkboom: schoon: gelijk aan de commit. Begonnen: `2026-03-05T14:30:00+01:00`." in lines
    assert f"| significantieniveau (α) | {text('0,05')} |" in lines and f"| alleen de hoofdstukken | {text('alle')} |" in lines
    assert f"| {text('00_data')} | uit cache | 1,2 |" in lines


def test_the_timings_come_from_the_seconds_the_build_measured():
    runs = {"00_data": {"status": "executed", "seconds": 18.8}, "01_leeromgeving": {"status": "executed", "seconds": 28.4},
            "90_claims": {"status": "cached", "seconds": 0.3}}
    assert provenance.timings_text({**RECORD, "notebooks": runs}) == (
        "Deze build voerde 2 van de 3 notebooks uit, op de gegevens van 4.820 studenten, samen in 47 seconden "
        "rekentijd; het langst duurde 01_leeromgeving (28 seconden). 1 van de 3 notebooks kwamen ongewijzigd uit "
        "de cache.")
    assert provenance.timings_text(RECORD) == (
        "Deze build voerde geen notebook uit, op de gegevens van 4.820 studenten. 1 van de 1 notebooks kwamen "
        "ongewijzigd uit de cache.")
