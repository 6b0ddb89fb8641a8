"""The claims ledger: one row per registry claim, read from the chapters' results, written as a diffable CSV."""

from __future__ import annotations

import csv
import textwrap

import numpy as np
import pandas as pd
import pytest
from ledger_helpers import chapter_results, front_page_html, marked, read_claims, run_ledger, write_data
from simulated_helpers import simulated

from loopbaanleren.book import ledger, report
from loopbaanleren.book.chapter_claims import evaluate_chapter
from loopbaanleren.claims.context import Context
from loopbaanleren.data.registry import load_registry
from loopbaanleren.errors import BuildError
from loopbaanleren.claims.qualitative import evaluate_qualitative_claims
from loopbaanleren.data.segments import read_segments
from loopbaanleren.data.synthetic_segments import write_synthetic_segments
from loopbaanleren.data.simulation import not_decidable

REGISTRY = load_registry()


def result_row(claim_id: str, verdict: str = "reproduced", computed=0.5, **extra) -> dict:
    """A row as a chapter's claims file holds it, for the registry claim ``claim_id``."""
    claim = REGISTRY.get(claim_id)
    row = dict.fromkeys(ledger.RESULT_COLUMNS)
    row.update(id=claim.id, rq=claim.rq, population=claim.population, kind=claim.kind, claim_nl=claim.sentence_nl,
               published=claim.published, expected_nl="", computed=computed, verdict=verdict, found_nl="", reason="",
               derived=claim.derived or claim.kind in ("hypothesis", "same_mode"))
    return row | extra


CHAPTER_SOURCE = textwrap.dedent(
    """\
    # %% [markdown]
    # # De leeromgeving
    #
    # Waarom dit hoofdstuk {glue:text}`rq1_n_claims` beweringen toetst.

    # %% tags=["parameters"]
    results_dir = ""

    # %%
    # ## Geen kop: dit is code
    x = 1

    # %% [markdown]
    # ## Een ‘naar binnen’ gerichte opleiding
    #
    # Aldus {glue:text}`rq1_s_buiten_telt_niet` van de studenten.

    # %% [markdown]
    # ### Studenten: *praktijkgerichtheid*
    #
    # Uitslag: {glue:text}`rq1_s_pg_contrast_te_uitslag`; elders: {glue:text}`03_slb.ipynb::rq1_s_pg_onder:s`.
    """
)


def test_collect_gives_every_registry_claim_in_order_and_says_why_one_is_missing():
    rq1 = [c.id for c in REGISTRY.for_rq("RQ1")]
    computed = pd.DataFrame([result_row(i) for i in rq1[1:]])
    result = ledger.collect(computed)
    assert list(result["id"]) == [c.id for c in REGISTRY]
    first = result.set_index("id").loc[rq1[0]]
    assert (first["verdict"], first["reason"]) == ("not_computable", "niet berekend in hoofdstuk 01_leeromgeving")
    other = result[result["rq"] == "RQ2"]
    assert set(other["verdict"]) == {"not_computable"}
    assert set(other["reason"]) == {"hoofdstuk 02_gesprekken is in deze build niet uitgevoerd"}
    published = result.set_index("id").loc["rq1_s_buiten_telt_niet", "published"]
    assert published == 0.75


def test_chapter_results_survive_their_csv_file(tmp_path):
    saved = evaluate_chapter(Context(simulated(2026, 400, 150)), ("RQ2", "RQ4"), tmp_path)
    read = ledger.read_chapter_results(tmp_path)
    assert list(read["id"]) == list(saved["id"])
    for column in ledger.RESULT_COLUMNS:
        if column == "published":
            continue
        for found, expected in zip(read[column], saved[column]):
            if isinstance(expected, str):
                assert found == expected or (expected == "" and found in ("", None)), column
            elif expected is None or pd.isna(expected):
                assert found is None or pd.isna(found), column
            else:
                assert float(found) == float(expected), column
    computed = read.set_index("id")["computed"]
    assert isinstance(computed["rq2_s_gesprekken_1_4"], str)  # a mode's answer stays text
    assert isinstance(computed["rq4_sw_volgend"], float)  # a rank claim's difference with the next sector


def test_a_file_that_is_not_a_chapters_claims_file_is_a_build_error(tmp_path):
    (tmp_path / "claims_rq1.csv").write_text("id,waarde\nrq1_s_pg_onder,2.3\n", encoding="utf-8")
    with pytest.raises(BuildError, match=r"claims_rq1\.csv: not a chapter's claims file \(missing columns rq, "):
        ledger.read_chapter_results(tmp_path)


def test_claims_csv_has_its_columns_and_a_fixed_format(tmp_path):
    rows = [
        result_row("rq1_s_buiten_telt_niet", computed=0.748312, n=4771, ci_low=0.731, ci_high=0.7651, margin=0.04051,
                   reason="interval binnen de marge ±0,041"),
        result_row("rq3_loopbaansucces", verdict="not_reproduced", computed=np.float64(3.2),),
        result_row("h2_hypothese", computed="deels bevestigd"),
        result_row("q_n_interviews", computed=10),
        result_row("rq4_sw_hoogste_onderwijs", verdict="not_computable", computed=None,
                   reason="sector Onderwijs ontbreekt of heeft minder dan 10 respondenten"),
    ]
    sources = {"students": "synthetic", "counsellors": "eigen_begeleiders.sav", "interviews": "synthetic"}
    table = ledger.claims_csv(pd.DataFrame(rows), sources)
    assert tuple(table.columns) == (
        "id", "rq", "population", "kind", "claim_nl", "published", "computed", "verdict",
        "n", "estimate", "ci_low", "ci_high", "p_adjusted", "margin", "derived", "data", "reason",
    )
    assert table.iloc[0][["n", "estimate", "ci_low", "ci_high", "p_adjusted", "margin", "derived", "data"]].tolist() == [
        "4771", "0.7483", "0.7310", "0.7651", "", "0.0405", "false", "synthetic"]
    assert table["derived"].tolist() == ["false", "false", "true", "false", "false"]
    assert table["data"].tolist() == ["synthetic", "eigen_begeleiders.sav", "synthetic", "synthetic", "eigen_begeleiders.sav"]
    assert table.iloc[0]["reason"] == "interval binnen de marge ±0,041"
    assert table["estimate"].tolist()[2] == ""  # a text result has no estimate
    assert table[["published", "computed", "verdict"]].values.tolist() == [
        ["0.7500", "0.7483", "reproduced"],
        ["3.3400", "3.2000", "not_reproduced"],
        ["deels bevestigd", "deels bevestigd", "reproduced"],
        ["10", "10", "reproduced"],
        ["", "sector Onderwijs ontbreekt of heeft minder dan 10 respondenten", "not_computable"],
    ]
    first = ledger.write_claims_csv(pd.DataFrame(rows), tmp_path / "a")
    second = ledger.write_claims_csv(pd.DataFrame(rows), tmp_path / "b")
    assert first.read_bytes() == second.read_bytes()
    with first.open(encoding="utf-8", newline="") as fh:
        assert next(csv.reader(fh)) == list(ledger.CSV_COLUMNS)


def test_counts_and_summary_lines_per_research_question():
    rows = [
        result_row("rq1_s_pg_onder"),
        result_row("rq1_s_vg_onder", verdict="not_reproduced"),
        result_row("rq1_s_pg_boven_vg", verdict="not_computable", reason="ontbreekt"),
        result_row("rq2_s_inhoud_slb"),
        result_row("rq2_s_inhoud_zelf", verdict="undecided"),
        result_row("rq2_eens_frequentie", verdict="not_reproduced"),  # derived: shown, never counted
    ]
    counts = ledger.verdict_counts(pd.DataFrame(rows))
    assert counts.to_dict("records") == [
        {"rq": "RQ1", "claims": 3, "reproduced": 1, "not_reproduced": 1, "undecided": 0, "not_computable": 1},
        {"rq": "RQ2", "claims": 2, "reproduced": 1, "not_reproduced": 0, "undecided": 1, "not_computable": 0},
    ]
    lines = [ledger.summary_line(row) for _, row in counts.iterrows()]
    assert lines == ["RQ1: 1 van 3 gereproduceerd (1 niet gereproduceerd, 1 niet te berekenen)",
                     "RQ2: 1 van 2 gereproduceerd (1 onbeslist)"]


def test_outline_finds_the_section_that_shows_a_claim():
    outline = ledger.outline(CHAPTER_SOURCE)
    assert outline.title == "De leeromgeving"
    assert outline.section_of("rq1_s_buiten_telt_niet") == "een-naar-binnen-gerichte-opleiding"
    assert outline.section_of("rq1_s_pg_contrast_te") == "studenten-praktijkgerichtheid"
    assert outline.section_of("rq1_s_pg_onder") is None  # only pasted from another page
    assert outline.section_of("rq1_s_vg_onder") is None


def test_links_go_to_chapters_that_ran(tmp_path):
    (tmp_path / "01_leeromgeving.py").write_text(CHAPTER_SOURCE, encoding="utf-8")
    (tmp_path / "02_gesprekken.py").write_text(CHAPTER_SOURCE.replace("De leeromgeving", "Gesprekken"), encoding="utf-8")
    computed = pd.DataFrame([result_row(c.id) for c in REGISTRY.for_rq("RQ1")])
    links = ledger.chapter_links(ledger.collect(computed), tmp_path, ["01_leeromgeving", "90_claims"])
    assert links["rq1_s_buiten_telt_niet"] == ("01_leeromgeving.html#een-naar-binnen-gerichte-opleiding", "De leeromgeving")
    assert links["rq1_s_vg_onder"] == ("01_leeromgeving.html", "De leeromgeving")
    assert not any(claim.id in links for claim in REGISTRY.for_rq("RQ2"))
    assert report.link_html(links["rq1_s_vg_onder"]) == '<a href="01_leeromgeving.html">De leeromgeving</a>'
    assert report.link_html(None) == "–"


QUALITATIVE_SOURCE = textwrap.dedent(
    """\
    # %% [markdown]
    # # Kwalitatief
    #
    # ## Beweringen uit de samenvatting
    #
    # Van de {glue:text}`kwal_n_claims` beweringen zijn er {glue:text}`kwal_n_reproduced` gereproduceerd.
    """
)


def test_the_interview_claims_link_to_the_section_of_their_table_when_their_chapter_runs(tmp_path):
    (tmp_path / "07_kwalitatief.py").write_text(QUALITATIVE_SOURCE, encoding="utf-8")
    claims = ledger.assemble(None, read_segments(write_synthetic_segments(tmp_path / "interviews_synthetic.csv", 2026)))
    interview = [c.id for c in REGISTRY if c.rq == "KWAL"]
    links = ledger.chapter_links(claims, tmp_path, ["07_kwalitatief", "90_claims"])
    assert {i: links.get(i) for i in interview} == dict.fromkeys(
        interview, ("07_kwalitatief.html#beweringen-uit-de-samenvatting", "Kwalitatief"))
    assert ledger.chapter_links(claims, tmp_path, ["90_claims"]) == {}  # a build without the chapter: no link


def test_the_qualitative_claims_are_judged_as_the_qualitative_chapter_judges_them(tmp_path):
    segments = read_segments(write_synthetic_segments(tmp_path / "interviews_synthetic.csv", 2026))
    result = ledger.assemble(None, segments).set_index("id")
    chapter = evaluate_qualitative_claims(segments)["reproduced"]  # indexed by claim id
    qualitative = result[result["rq"] == "KWAL"]
    assert len(qualitative) == len(chapter) > 0
    assert {i: v == "reproduced" for i, v in qualitative["verdict"].items()} == chapter.astype(bool).to_dict()
    assert set(result.loc[result["rq"] != "KWAL", "verdict"]) == {"not_computable"}

    without = ledger.assemble(None, None).set_index("id")
    assert set(without.loc[without["rq"] == "KWAL", "reason"]) == {"geen gecodeerde interviews"}


def test_the_ledger_notebook_on_the_default_data_reproduces_every_claim(tmp_path):
    paths = write_data(tmp_path / "data")
    chapter_results(paths, tmp_path / "results")
    glued = run_ledger(paths, tmp_path / "results", tmp_path)
    rows = read_claims(tmp_path / "results")
    assert [r["id"] for r in rows] == [c.id for c in REGISTRY]
    undecidable = not_decidable()  # reproduced or undecided under realistic clustering, never contradicted
    failed = [(r["id"], r["computed"]) for r in rows if r["verdict"] != "reproduced" and r["id"] not in undecidable]
    assert failed == []
    assert {r["verdict"] for r in rows if r["id"] in undecidable} <= {"reproduced", "undecided"}
    page = front_page_html(glued)
    assert marked(page, "not_reproduced") == marked(page, "not_computable") == set()
    assert "gekalibreerde model, niet de oorspronkelijke enquête" in page.get_text()
    independent = [c for c in REGISTRY if not (c.derived or c.kind in ("hypothesis", "same_mode"))]
    verdict = {r["id"]: r["verdict"] for r in rows}
    reproduced = [c for c in independent if verdict[c.id] == "reproduced"]
    assert len(independent) - len(reproduced) <= len(undecidable)
    assert glued["ledger_n_reproduced"]["text/plain"] == repr(f"{len(reproduced)}")
    assert glued["ledger_n_derived"]["text/plain"] == repr(f"{len(REGISTRY) - len(independent)}")
    assert {r["data"] for r in rows} == {"synthetic"} and {r["derived"] for r in rows} == {"true", "false"}
    undecided = [r for r in rows if r["verdict"] == "undecided" and r["id"] in undecidable]
    assert undecided and all(r["reason"].startswith(f"{undecidable[r['id']]}; ") for r in undecided)


def test_an_undecided_claim_the_default_design_cannot_decide_shows_the_reason_of_the_simulation_parameters():
    claim_id = next(iter(not_decidable()))
    rule = "juiste richting, niet significant (p = 0,06)"
    table = pd.DataFrame([result_row(claim_id, "undecided", reason=rule), result_row("h1_hypothese", "undecided",
                                                                                     reason=rule)])
    synthetic = {"students": "synthetic", "counsellors": "synthetic"}
    shown = ledger.with_design_reasons(table, synthetic, "default")
    assert list(shown["reason"]) == [f"{not_decidable()[claim_id]}; {rule}", rule]
    assert list(table["reason"]) == [rule, rule]  # the ledger given is left as it was
    assert list(ledger.with_design_reasons(table, synthetic, "null")["reason"]) == [rule, rule]
    own = {"students": "mijn_studenten.sav", "counsellors": "mijn_slb.sav"}
    assert list(ledger.with_design_reasons(table, own, "default")["reason"]) == [rule, rule]
    decided = table.assign(verdict="reproduced")
    assert list(ledger.with_design_reasons(decided, synthetic, "default")["reason"]) == [rule, rule]


def test_the_ledger_takes_the_robustness_the_multiverse_chapter_saved(tmp_path):
    from loopbaanleren.claims.evaluate import not_computable_row

    claims = list(ledger.load_registry())[:3]
    table = pd.DataFrame([not_computable_row(c, "x") for c in claims])
    assert "robustness" not in ledger.with_robustness(table, tmp_path)
    pd.DataFrame({"id": [claims[0].id, claims[1].id], "specifications": [4, 19], "robustness": [1.0, 0.25]}).to_csv(
        tmp_path / ledger.ROBUSTNESS_FILE, index=False)
    merged = ledger.with_robustness(table, tmp_path)
    assert merged["robustness"].tolist()[:2] == [1.0, 0.25] and pd.isna(merged["robustness"].iloc[2])
