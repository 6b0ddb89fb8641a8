"""A partial, students-only survey builds a complete book: absent measures said, their claims not computable,
no model fitted without its predictors, no synthetic counsellors slipped in."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
import yaml
from build_helpers import made_once, run_cli
from conftest import E2E_PARAMS, PROJECT_ROOT
from partial_survey_helpers import N_HOGESCHOLEN, N_STUDENTS, write_partial_survey

from loopbaanleren.data.registry import load_registry
from loopbaanleren.build.layout import Layout, copy_sources


@dataclass(frozen=True)
class PartialBook:
    folder: Path
    returncode: int
    stderr: str

    @property
    def html(self) -> Path:
        return self.folder / "project" / "book" / "_build" / "html"

    @property
    def results(self) -> Path:
        return self.folder / "project" / "results"


@pytest.fixture(scope="module")
def partial_book(tmp_path_factory, worker_id) -> PartialBook:
    def make(folder: Path) -> None:
        survey = write_partial_survey(folder)
        copy_sources(Layout(PROJECT_ROOT), folder / "project")
        params = folder / "params.yml"
        params.write_text(yaml.safe_dump({k: v for k, v in E2E_PARAMS.items() if k not in ("n_students", "n_counsellors")}))
        refused = run_cli("build", "--project", folder / "project", "--params", params, "--students", survey,
                          "--no-interviews")
        done = run_cli("build", "--project", folder / "project", "--params", params, "--students", survey,
                       "--no-counsellors", "--no-interviews")
        (folder / "run.json").write_text(json.dumps({
            "refused": [refused.returncode, refused.stderr], "returncode": done.returncode, "stderr": done.stderr}))

    folder = made_once(tmp_path_factory, worker_id, "partial-survey-book", make)
    run = json.loads((folder / "run.json").read_text())
    return PartialBook(folder, run["returncode"], json.dumps(run["refused"]))


def test_one_population_without_a_word_about_the_other_stops_with_the_ways_out(partial_book):
    code, stderr = json.loads(partial_book.stderr)
    assert code == 2
    assert stderr.splitlines() == [
        "error: --students is your own data, but no --counsellors file is given: add --counsellors FILE, or "
        "--no-counsellors (the counsellors' claims are then not computable), or --simulate-missing (simulated "
        "counsellors, marked as such and never counted with your own data)"
    ]


def test_a_students_only_survey_of_rq1_and_rq5_builds_a_complete_book(partial_book):
    assert partial_book.returncode == 0
    claims = pd.read_csv(partial_book.results / "claims.csv", dtype=str, keep_default_na=False)
    registry = load_registry()
    assert len(claims) == len(list(registry))
    counsellors = claims[claims["population"].isin(["counsellors", "both"])]
    assert (counsellors["verdict"] == "not_computable").all()
    assert "begeleiders" in counsellors["reason"].iloc[0]
    # no model without its predictors: every cell of hypothesis 1 names the absent RQ2 scale, none is estimated
    h1 = claims[claims["id"].str.startswith("h1_")]
    assert (h1["verdict"] == "not_computable").all()
    cells = h1[h1["derived"] != "true"]
    assert len(cells) == len(h1) - 1 and cells["reason"].str.contains("eigen_inbreng").all()
    # the RQ1 and RQ5 questions asked are computed
    students_rq1 = claims[(claims["rq"] == "RQ1") & (claims["population"] == "students")]
    assert (students_rq1["verdict"] != "not_computable").all()
    assert (claims.loc[claims["id"].str.startswith("rq5_"), "verdict"] != "not_computable").all()
    provenance = json.loads((partial_book.results / "provenance.json").read_text())
    assert provenance["data"]["students"]["n"] == N_STUDENTS
    assert provenance["data"]["counsellors"]["absent"] is True
    students = pd.read_csv(partial_book.folder / "studenten_rq1_rq5.csv")
    assert students["hogeschool"].nunique() == N_HOGESCHOLEN


def test_every_page_says_the_same_about_the_data_and_absent_sections_show_one_sentence(partial_book):
    pages = sorted(partial_book.html.glob("*.html"))
    assert {p.stem for p in pages} >= {"00_data", "01_leeromgeving", "02_gesprekken", "03_slb", "04_samenwerking",
                                       "05_competenties", "06_uitkomsten", "90_claims", "92_robuustheid"}
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "Synthetische data" not in text and "synthetische data</strong>" not in text, page.name
        assert "<strong>Niet gegeven</strong>: studieloopbaanbegeleiders" in text, page.name
    gesprekken = (partial_book.html / "02_gesprekken.html").read_text(encoding="utf-8")
    assert "Niet gemeten:" in gesprekken and "<img" not in gesprekken  # no figure on data that are not there


def test_a_section_on_absent_measures_is_one_sentence_naming_them(tmp_path):
    from loopbaanleren.book import data_sections, sections
    from loopbaanleren.data.survey_files import absent_survey, read_survey, write_absent

    survey = read_survey(write_partial_survey(tmp_path), "students")
    write_absent(tmp_path / "counsellors.csv", "counsellors")
    data = {"students": survey, "counsellors": read_survey(tmp_path / "counsellors.csv", "counsellors")}
    assert len(data["counsellors"]) == 0 and data["counsellors"].attrs["absent"]
    assert sections.is_absent(data, "students", "eigen_inbreng") and sections.is_absent(data, "students", "ib_2")
    assert not sections.is_absent(data, "students", "praktijkgericht")
    assert all(sections.is_absent(data, "counsellors", name) for name in ("praktijkgericht", "bpg_1", "sector"))
    section = sections.lacking(data, {"students": ["praktijkgericht", "eigen_inbreng"]})
    assert section.notice == (
        "*Niet gemeten:* de gegevens van de studenten bevatten Eigen inbreng in het gesprek met de "
        "studieloopbaanbegeleider (`eigen_inbreng`) niet; dit onderdeel wordt daarom niet getoond en de beweringen "
        "die het nodig hebben, zijn niet te berekenen."
    )
    assert not section.figures and not section.tables
    assert sections.lacking(data, {"students": ["praktijkgericht"]}) is None
    table = data_sections.reliability(data, {"students": ["praktijkgericht", "eigen_inbreng"]}, 1, 20, "t").tables[0].data
    assert "Eigen inbreng" not in " ".join(table.astype(str).to_numpy().ravel())
    assert absent_survey(tmp_path / "counsellors.csv", "counsellors").attrs["n"] == 0
