"""The chapter graph: it agrees with the notebooks and the table of contents; a bad file is one line per problem;
a chapter's cache key follows the package modules it imports and no others."""

from __future__ import annotations

import shutil

import pytest
from conftest import PROJECT_ROOT

from loopbaanleren.build import dependencies
from loopbaanleren.data.registry import RQ_ORDER, load_registry
from loopbaanleren.book.chapter_graph import GraphError, chapter_graph, parse_graph
from loopbaanleren.book.chapter_graph import toc_files
from loopbaanleren.build.book_step import read_toc
from loopbaanleren.build.notebooks import code_hash, discover, graph_problems

GRAPH = chapter_graph(PROJECT_ROOT / "notebooks")
CHAPTERS = GRAPH.by_research_question()


def test_every_notebook_is_declared_with_the_data_its_parameters_cell_reads():
    notebooks = {nb.name: nb.parameters for nb in discover(PROJECT_ROOT / "notebooks")}
    assert graph_problems(GRAPH, notebooks) == []
    assert set(GRAPH.names) == set(notebooks)


def test_the_graph_follows_the_table_of_contents():
    toc = read_toc(PROJECT_ROOT / "book", GRAPH.names)
    listed = [entry for entry in toc_files(toc) if entry in GRAPH.chapters]
    assert listed == GRAPH.names


def test_dependencies_run_first_and_every_chapter_runs_once():
    waves = GRAPH.waves(GRAPH.names)
    position = {name: i for i, wave in enumerate(waves) for name in wave}
    assert sorted(position) == sorted(GRAPH.names)
    for name in GRAPH.names:
        assert all(position[other] < position[name] for other in GRAPH[name].depends_on)
    # the ledger reads the research-question chapters' claims and the multiverse's robustness shares
    assert set(GRAPH["90_claims"].depends_on) == {CHAPTERS[rq] for rq in RQ_ORDER if rq != "KWAL"} | {"92_robuustheid"}
    assert waves[-1] == ["90_claims"]


def test_each_research_question_of_the_registry_has_one_chapter():
    assert set(CHAPTERS) == {claim.rq for claim in load_registry()}
    for rq, chapter in CHAPTERS.items():
        if rq != "KWAL":  # the ledger evaluates the interview claims itself
            assert f"claims_{rq.lower()}.csv" in GRAPH[chapter].writes


def test_a_partial_selection_keeps_the_order_without_the_left_out_chapters():
    assert GRAPH.waves(["90_claims", "03_slb"]) == [["03_slb"], ["90_claims"]]


@pytest.mark.parametrize(
    ("chapters", "problem"),
    [
        ({"01_a": {"reads": ["alumni"]}}, "chapters.yaml: chapter 01_a: field 'reads': input should be 'students', 'counsellors' or 'interviews'"),
        ({"01_a": {"depends_on": ["02_b"]}}, "chapters.yaml: chapter 01_a: field 'depends_on': unknown chapter '02_b'"),
        ({"01_a": {"writes": "claims.csv"}}, "chapters.yaml: chapter 01_a: field 'writes': input should be a valid list"),
        ({"01_a": {"research_questions": ["RQ9"]}}, "chapters.yaml: chapter 01_a: field 'research_questions': unknown research question 'RQ9'"),
        ({"01_a": {"research_questions": ["RQ1"]}, "02_b": {"research_questions": ["RQ1"]}},
         "chapters.yaml: chapter 02_b: field 'research_questions': RQ1 is also computed by 01_a"),
        ({"01_a": {"needs": []}}, "chapters.yaml: chapter 01_a: field 'needs': extra inputs are not permitted"),
        ({"01_a": {"depends_on": ["02_b"]}, "02_b": {"depends_on": ["03_c"]}, "03_c": {"depends_on": ["02_b"]}},
         "chapters.yaml: chapter 02_b: field 'depends_on': a cycle 02_b -> 03_c -> 02_b"),
        ({"ledger": {}}, "chapters.yaml: chapter ledger: a chapter is named like its notebook, NN_name"),
    ],
)
def test_a_bad_graph_names_the_chapter_and_the_field(chapters, problem):
    with pytest.raises(GraphError) as info:
        parse_graph({"chapters": chapters})
    assert str(info.value) == problem


def test_a_graph_that_disagrees_with_the_notebooks():
    graph = parse_graph({"chapters": {"00_a": {"reads": ["students"]}, "01_b": {}}})
    assert graph_problems(graph, {"00_a": {"counsellors_path": ""}, "02_c": {}}) == [
        "chapters.yaml: notebook 02_c.py is not declared (add a chapter '02_c')",
        "chapters.yaml: chapter 01_b: there is no notebooks/01_b.py",
        "chapters.yaml: chapter 00_a: field 'reads': ['students'] but its parameters cell declares counsellors_path",
    ]


# ------------------------------------------------------------------------------------------- what a chapter uses


@pytest.fixture
def package_copy(tmp_path, monkeypatch):
    """A copy of the package's sources whose files a test may edit, as :mod:`loopbaanleren.build.dependencies` sees them."""
    root = tmp_path / "loopbaanleren"
    shutil.copytree(dependencies.ROOT, root, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(dependencies, "ROOT", root)
    monkeypatch.setattr(dependencies, "RESOURCES", root / "resources")
    return root


def _keys(notebooks):
    graph_file = PROJECT_ROOT / "notebooks" / "chapters.yaml"
    return {nb.name: code_hash(nb, {"pandas": "2"}, graph_file) for nb in notebooks}


def test_a_chapter_key_changes_only_with_the_modules_it_imports(package_copy):
    notebooks = discover(PROJECT_ROOT / "notebooks")
    before = _keys(notebooks)

    front_page = package_copy / "book" / "front_page.py"  # imported by the ledger alone
    front_page.write_text(front_page.read_text().replace("Wat dit wel en niet laat zien", "Wat dit laat zien"))
    changed = {name for name, key in _keys(notebooks).items() if key != before[name]}
    assert changed == {"90_claims"}

    before = _keys(notebooks)
    paradox = package_copy / "book" / "paradox.py"  # imported by the robustness chapter alone
    paradox.write_text(paradox.read_text() + "\n# edited\n")
    changed = {name for name, key in _keys(notebooks).items() if key != before[name]}
    assert changed == {"92_robuustheid"}


def test_a_chapter_key_follows_the_resources_its_modules_name(package_copy):
    notebooks = discover(PROJECT_ROOT / "notebooks")
    before = _keys(notebooks)
    template = package_copy / "resources" / "front_page.yaml"
    template.write_text(template.read_text() + "\n# edited\n")
    assert {name for name, key in _keys(notebooks).items() if key != before[name]} == {"90_claims"}
    before = _keys(notebooks)
    multiverse = package_copy / "resources" / "multiverse.yaml"
    multiverse.write_text(multiverse.read_text() + "\n# edited\n")
    assert {name for name, key in _keys(notebooks).items() if key != before[name]} == {"92_robuustheid"}


def test_imports_are_followed_through_functions_relative_imports_and_packages(package_copy):
    (package_copy / "probe_a.py").write_text("def f():\n    from .probe_b import g\n    return g()\n")
    (package_copy / "probe_b.py").write_text("from loopbaanleren.data import coding_frame\n\ndef g():\n    return 'coding_frame.yaml'\n")
    found = dependencies.modules("import os\nfrom loopbaanleren import probe_a")
    assert {"loopbaanleren", "loopbaanleren.probe_a", "loopbaanleren.probe_b", "loopbaanleren.data",
            "loopbaanleren.data.coding_frame"} <= found
    assert "os" not in found
    assert package_copy / "resources" / "coding_frame.yaml" in dependencies.resources(found)
    assert "loopbaanleren.book.chapter_graph" not in dependencies.modules("from loopbaanleren import probe_b")
