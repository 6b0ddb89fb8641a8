"""The front page: both summaries word for word, this build's numbers and verdicts beside them; own data too."""

from __future__ import annotations

import base64
import csv
import hashlib
import re
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup
from ledger_helpers import chapter_results, front_page_html, marked, read_claims, run_ledger, write_data
from rich.console import Console
from simulated_helpers import simulated
from conftest import PROJECT_ROOT

from loopbaanleren.book.claim_text import with_text
from loopbaanleren.claims.context import Context
from loopbaanleren.book import chapter_claims as chapter, front_page, ledger, margin_notes, scorecard
from loopbaanleren.book.chapter_claims import TEXT_KINDS, format_ci, format_published, format_value
from loopbaanleren.book.summary_text import load_summaries, parse_summary, plain_text
from loopbaanleren.data.registry import load_registry
from loopbaanleren.data.codebook import load_codebook
from loopbaanleren.claims.evaluate import evaluate_claims
from loopbaanleren.book.formatting import fmt_n
from loopbaanleren.data.survey_files import read_survey, write_survey
from loopbaanleren.build.layout import Layout, copy_sources
from loopbaanleren.build.pipeline import build
from loopbaanleren.data.coding_frame import load_coding_frame
from loopbaanleren.data.simulation import load_parameters, not_decidable, simulate
from loopbaanleren.claims.verdicts import VERDICTS

REGISTRY = load_registry()
DIGIT = re.compile(r"\d")
NUMBER = re.compile(r"\d[\d.,]*\d|\d")
SUMMARIES = {"management": "management-samenvatting-loopbaanleren-hbo.txt",
             "kwalitatief": "samenvatting-elk-lob-gesprek-is-er-1.txt"}
"""The two published summaries as text (the PDFs' text), the independent reference for the front page's wording."""
NOTES = "aside.ll-note, .ll-sic, .ll-context-mark"
"""What the page adds to the summaries' text: the notes in the margin, the [sic] marks and the context marks."""


def _normalised(text: str) -> str:
    return " ".join(text.split())


def published_text(summary_id: str) -> str:
    """A summary as published, whitespace normalised, the bullet glyphs left out."""
    return _normalised((Path(__file__).parent / "data" / SUMMARIES[summary_id]).read_text(encoding="utf-8").replace("•", " "))


def ledger_of(verdicts: dict[str, str] | None = None, computed: dict | None = None) -> pd.DataFrame:
    """A ledger in which every claim is reproduced (at its published value, if any) unless told otherwise."""
    verdicts, computed = verdicts or {}, computed or {}
    rows = []
    for claim in REGISTRY:
        verdict = verdicts.get(claim.id, "reproduced")
        rows.append({
            **dict.fromkeys(ledger.RESULT_COLUMNS), "id": claim.id, "rq": claim.rq, "population": claim.population,
            "kind": claim.kind, "claim_nl": claim.sentence_nl, "published": claim.published,
            "computed": computed.get(claim.id, claim.published if claim.published is not None else 0.5),
            "verdict": verdict, "expected_nl": "verwacht iets", "found_nl": "gevonden iets",
            "reason": "ontbreekt" if verdict == "not_computable" else "",
        })
    return pd.DataFrame(rows)


def page_of(ledger_frame: pd.DataFrame, synthetic: bool = True) -> front_page.Page:
    files = (front_page.DataFile("students", "studenten.csv", 812, "ab" * 32, synthetic),
             front_page.DataFile("counsellors", "slb.csv", 120, "cd" * 32, synthetic))
    facts = {"n_students": 812, "n_counsellors": 120, "n_hogescholen": 9}
    return front_page.Page(ledger_frame, {}, files, facts)


# ------------------------------------------------------------------------------------------- text and template


def test_the_summaries_resource_is_the_published_text_word_for_word():
    summaries = load_summaries()
    assert [s.id for s in summaries] == list(SUMMARIES)
    for summary in summaries:
        assert plain_text(summary) == published_text(summary.id)
    units = [u for s in summaries for u in s.units]
    assert sum(u.kind == "bullet" for u in units) == 21 and sum(u.kind == "numbered" for u in units) == 5
    assert "De helft van de ondervraagde studenten" in plain_text(summaries[0])
    assert "1-4 maal per jaar" in plain_text(summaries[0]) and "praktijk- els vraaggerichtheid" in plain_text(summaries[0])
    closing = [u.text for u in summaries[1].units][-5:]
    assert closing[1].startswith("In het voorjaar van 2021") and "tweede cohort" in closing[2]
    assert closing[3].startswith("De zes trajecten")


def test_a_summary_block_mixing_bullets_and_sentences_is_an_error():
    with pytest.raises(ValueError, match=r"summaries/x\.md: a block mixes bullet, sentence"):
        parse_summary("x", "Een zin.\n- een punt", "summaries/x.md")


def test_every_claim_of_both_summaries_is_asserted_by_exactly_one_sentence():
    asserted = [c for summary in front_page.load_template().values() for entry in summary.values() for c in entry.claims]
    assert sorted(asserted) == sorted(c.id for c in REGISTRY)


def test_claim_patterns_expand_in_registry_order_and_must_match():
    assert front_page.expand("h1_pg_*", "test") == ("h1_pg_lr", "h1_pg_we", "h1_pg_ls", "h1_pg_nw")
    with pytest.raises(ValueError, match=re.escape("'h9_*' matches no claim")):
        front_page.expand("rq1_s_pg_onder, h9_*", "test")


@pytest.mark.parametrize(("entries", "message"), [
    ([{"sentence": "Dit staat nergens", "claims": ["rq1_s_pg_onder"]}],
     "mijn.yaml: the fragment 'Dit staat nergens' is found in no line of summaries/management.md"),
    ([{"sentence": "studieloopbaanbegeleiders", "claims": ["rq1_s_pg_onder"]}],
     "mijn.yaml: the fragment 'studieloopbaanbegeleiders' is found in {count} places of summaries/management.md"),
    ([{"sentence": "De helft van de", "claims": ["rq2_s_inhoud_slb"]},
      {"sentence": "De helft van de ondervraagde", "claims": ["rq2_s_inhoud_zelf"]}],
     "mijn.yaml: the fragment 'De helft van de ondervraagde' names a sentence another entry names too"),
    ([{"sentence": "De helft van de", "sic": [["Het geheel", "x"]]}], "sic 'Het geheel' does not occur"),
    ([{"sentence": "De helft van de", "claim": ["rq2_s_inhoud_slb"]}], "unknown key(s) claim"),
])
def test_a_template_naming_a_sentence_wrongly_gets_one_clear_error(entries, message):
    message = message.replace("{count}", str(published_text("management").count("studieloopbaanbegeleiders")))
    with pytest.raises(ValueError, match=re.escape(message)):
        front_page.parse_template({"management": entries}, "mijn.yaml")


def test_a_template_naming_an_unknown_summary_is_an_error():
    with pytest.raises(ValueError, match=re.escape("mijn.yaml: 'samenvatting' is no summary")):
        front_page.parse_template({"samenvatting": []}, "mijn.yaml")


# ------------------------------------------------------------------------------------------- rendering


def blocks_soup(page: front_page.Page) -> BeautifulSoup:
    return BeautifulSoup("\n".join(front_page.front_page_blocks(page).values()), "html.parser")


def shown_lines(soup: BeautifulSoup) -> list[str]:
    """The summaries' lines as the page shows them, without what the page adds."""
    soup = BeautifulSoup(str(soup), "html.parser")
    for tag in soup.select(NOTES):
        tag.decompose()
    return [_normalised(tag.get_text()) for tag in soup.select(".ll-summary-title, .ll-summary-heading, .ll-s")]


def note_of(soup: BeautifulSoup, fragment: str):
    """The note following the sentence holding ``fragment``."""
    (sentence,) = [s for s in soup.select(".ll-s") if fragment in s.get_text()]
    return sentence.find_next_sibling()


@pytest.mark.parametrize("verdicts", [{}, {"rq2_s_inhoud_slb": "not_reproduced", "h2_lr_ai": "not_computable"}])
def test_every_line_of_both_summaries_is_shown_in_its_words_whatever_the_verdicts(verdicts):
    soup = blocks_soup(page_of(ledger_of(verdicts)))
    assert shown_lines(soup) == [u.text for s in load_summaries() for u in s.units]
    assert marked(soup, "not_reproduced") == {i for i, v in verdicts.items() if v == "not_reproduced"}
    assert marked(soup, "not_computable") == {i for i, v in verdicts.items() if v == "not_computable"}
    sic = [tag.get_text().strip() for tag in soup.select(".ll-sic")]
    assert "[sic: als]" in sic and len(sic) == 7
    (sentence,) = [s for s in soup.select(".ll-s") if "praktijk- els" in s.get_text()]
    assert sentence.get_text().startswith("De sectoren Techniek en Economie scoren op zowel praktijk- els [sic: als] vraag")


def test_a_published_number_stands_beside_its_sentence_labelled_with_what_was_found():
    frame = ledger_of(computed={"rq1_s_buiten_telt_niet": 0.7391, "rq1_s_niet_gestimuleerd": 0.58})
    frame.loc[frame["id"] == "rq1_s_buiten_telt_niet", ["ci_low", "ci_high"]] = (0.7012, 0.7733)
    soup = blocks_soup(page_of(frame))
    note = note_of(soup, "ervaringen buiten de school tellen niet mee")
    assert note.name == "aside" and "margin" in note["class"]
    lines = [_normalised(line.get_text(" ")) for line in note.select(".ll-number")]
    item = load_codebook().label("students", REGISTRY.get("rq1_s_buiten_telt_niet")["variable"])
    assert len(lines) == 2 and lines[0].startswith(margin_notes.short(item.rstrip(" :"), margin_notes.LABEL_CHARS))
    assert lines[0].endswith(": gepubliceerd 75% · gevonden 74% [70%; 77%]"), lines[0]
    assert "(aldus 75% van de studenten)" in note.find_previous_sibling().get_text()  # the summary's own number stays
    which = [line.select_one(".ll-number-label").get_text() for line in note.select(".ll-number")]
    assert which[0] != which[1]  # which of the two items


def test_each_sentence_with_claims_gets_one_mark_opening_a_panel_of_its_claims():
    frame = ledger_of({"rq1_s_vg_onder": "not_reproduced"})
    soup = blocks_soup(page_of(frame))
    entries = [e for summary in front_page.load_template().values() for e in summary.values() if e.claims]
    marks = soup.select("small.ll-verdict")
    assert len(marks) == len(entries)
    for mark, entry in zip(marks, entries):
        (details,) = mark.select("details.ll-how")
        assert not details.has_attr("open")
        rows = [a["href"] for a in details.select("a.ll-ledger-row")]
        assert rows == [f"90_claims.html#{c}" for c in entry.claims]
        assert mark.select_one(".ll-print-ids").get_text() == ", ".join(entry.claims)
        text = mark.select_one(".ll-mark").get_text()
        assert " " not in text  # never wraps away from its word
    first = marks[0].select_one(".ll-mark").get_text().replace("\u00a0", " ")
    assert first == "✗ 2/3 gereproduceerd"  # weinig praktijkgericht (ja), minder vraaggericht (nee), het verschil (ja)
    line = marks[0].select_one('.ll-how-claim[data-of="rq1_s_vg_onder"]').get_text(" ")
    assert "niet gereproduceerd" in line and "verwacht iets" in line and "gevonden" in line
    single = note_of(soup, "Slechts 11% van de").select_one(".ll-mark").get_text().replace("\u00a0", " ")
    assert single == "✓ gereproduceerd"


def test_sentences_without_a_claim_carry_a_visible_mark_the_legend_explains():
    soup = blocks_soup(page_of(ledger_of()))
    template = front_page.load_template()
    for summary in load_summaries():
        for index, unit in enumerate(summary.units):
            if unit.kind in ("title", "heading"):
                continue
            sentence = soup.find(id=f"zin-{summary.id}-{index + 1}")
            entry = template[summary.id].get(index)
            follower = sentence.find_next_sibling()
            if entry is None or (entry.explains and not entry.claims):
                assert follower["class"] == ["ll-context-mark"], unit.text
                assert follower.get_text() == (margin_notes.GLOSS_MARK if entry else margin_notes.CONTEXT_MARK)
            else:
                assert follower.name == "aside", unit.text
    legend = soup.select_one("ul.ll-legend").get_text()
    assert all(mark in legend and text in legend for mark, text in margin_notes.LEGEND)
    assert not soup.select("[title]")  # nothing that only a hover shows


def test_the_scorecard_counts_each_parts_verdicts_as_the_ledger_has_them():
    frame = ledger_of({"rq1_s_vg_onder": "not_reproduced", "rq2_s_inhoud_slb": "undecided", "q_helpend": "not_computable"})
    frame["derived"] = [bool(c.derived) for c in REGISTRY]
    table = scorecard.scorecard_frame(page_of(frame)).set_index("onderdeel")
    counted = frame[~frame["derived"]]
    assert table.loc["Vraag 1", "beweringen"] == (counted["rq"] == "RQ1").sum()
    assert table.loc["Vraag 1", "niet gereproduceerd"] == 1 and table.loc["Vraag 2", "onbeslist"] == 1
    assert table.loc["Kwalitatief onderzoek", "niet te berekenen"] == 1
    assert table["beweringen"].sum() == len(counted)
    assert (table[["gereproduceerd", "niet gereproduceerd", "onbeslist", "niet te berekenen"]].sum(axis=1)
            == table["beweringen"]).all()
    intro = BeautifulSoup(front_page.front_page_blocks(page_of(frame))["samenvatting_oordelen"], "html.parser")
    card = intro.select_one(".ll-scorecard")
    assert card.select_one("figure img")["alt"].startswith("Staafdiagram van de oordelen per onderdeel")
    assert card.select_one("table") is not None
    assert card.select_one('a[href="90_claims.html"]') is not None


def test_the_qualitative_bullets_carry_how_many_interviews_name_them():
    frame = load_coding_frame()
    counts = {code: (i % 10 + 1, 10) for i, code in enumerate(frame.codes.index)}
    page = replace(page_of(ledger_of()), mentions=counts)
    soup = BeautifulSoup(front_page.front_page_blocks(page)["samenvatting_kwalitatief"], "html.parser")
    items = soup.select("ul.ll-list > li")
    assert len(items) == 26
    for item in items:
        note = item.select_one("aside.ll-mention")
        code = note.select_one("[data-mention]")["data-mention"]
        assert _normalised(note.get_text(" ")).endswith(f"genoemd in {counts[code][0]} van de 10 interviews")
        assert note.select_one(".ll-number-label").get_text() == frame.codes.loc[code, "label_nl"] + ":"
    assert {a["href"] for a in soup.select("a.ll-ledger-row")} == {
        f"90_claims.html#{c.id}" for c in REGISTRY if c.rq == "KWAL"}


# ------------------------------------------------------------------------------------------- own data


def test_own_data_gets_the_replication_notice_and_its_own_verdicts():
    frame = ledger_of({"rq1_s_buiten_telt_niet": "not_reproduced", "rq1_c_vg_contrast_e": "not_computable"})
    blocks = front_page.front_page_blocks(page_of(frame, synthetic=False))
    notice = BeautifulSoup(blocks["samenvatting_overzicht"], "html.parser")
    intro = notice.get_text()
    assert "Replicatie op eigen data" in intro and "studenten.csv" in intro and "ab" * 32 in intro and "812" in intro
    assert "Synthetische data" not in intro
    download, _ = notice.select("table.ll-data + p.ll-downloads a")  # the files' table downloads as CSV (and its schema)
    assert download["download"] == "gegevens.csv"
    rows = list(csv.reader(base64.b64decode(download["href"].split("base64,", 1)[1]).decode("utf-8-sig").splitlines()))
    assert rows[1:] == [[load_codebook().population(p).label_nl, f, n, sha, "eigen data"]
                        for p, f, n, sha in (("students", "studenten.csv", "812", "ab" * 32),
                                             ("counsellors", "slb.csv", "120", "cd" * 32))]
    n = len(front_page.summarised_claims())
    assert notice.select_one(".ll-totals").get_text() == (
        f"Over de hele samenvatting: {n - 2} van de {n} beweringen gereproduceerd, 1 niet gereproduceerd, "
        "0 onbeslist en 1 niet te berekenen.")
    soup = BeautifulSoup(blocks["samenvatting_management"], "html.parser")
    assert marked(soup, "not_reproduced") == {"rq1_s_buiten_telt_niet"}
    assert "De conclusie is duidelijk" in soup.get_text()  # the summary's text, the verdicts of these data


def test_own_survey_data_with_simulated_interviews_counts_only_the_survey_claims():
    frame = ledger_of({"rq1_s_buiten_telt_niet": "not_reproduced"})
    own = page_of(frame, synthetic=False)
    mixed = front_page.Page(own.ledger, own.links, own.files, own.facts, simulated_interviews=True)
    summarised = set(front_page.summarised_claims())
    interviews = [c for c in summarised if REGISTRY.get(c).rq == "KWAL"]
    survey = len(summarised) - len(interviews)
    text = BeautifulSoup(front_page.front_page_blocks(mixed)["samenvatting_overzicht"], "html.parser").get_text(" ")
    text = " ".join(text.split())
    assert f"{survey - 1} van de {survey} beweringen gereproduceerd, 1 niet gereproduceerd" in text
    assert f"De {len(interviews)} beweringen op gesimuleerde data" in text and "tellen hier niet mee" in text
    whole = BeautifulSoup(front_page.front_page_blocks(own)["samenvatting_overzicht"], "html.parser").get_text(" ")
    assert f"{len(summarised) - 1} van de {len(summarised)} beweringen" in " ".join(whole.split())
    assert "gesimuleerde data" not in whole


def test_own_students_with_simulated_counsellors_never_counts_a_counsellor_claim_as_own():
    frame = ledger_of({"rq1_s_buiten_telt_niet": "not_reproduced"})
    files = (front_page.DataFile("students", "studenten.csv", 812, "ab" * 32, False),
             front_page.DataFile("counsellors", "counsellors.csv", 120, "cd" * 32, True))
    page = front_page.Page(frame, {}, files, {"n_students": 812, "n_counsellors": 120, "n_hogescholen": 9})
    summarised = set(front_page.summarised_claims())
    on_counsellors = {c for c in summarised if REGISTRY.get(c).population in ("counsellors", "both")}
    own = [c for c in summarised if c not in on_counsellors]  # the interviews are not simulated here
    blocks = front_page.front_page_blocks(page)
    text = " ".join(BeautifulSoup(blocks["samenvatting_overzicht"], "html.parser").get_text(" ").split())
    assert f"Over de hele samenvatting: {len(own) - 1} van de {len(own)} beweringen gereproduceerd" in text
    assert f"De {len(on_counsellors)} beweringen op gesimuleerde data" in text
    soup = BeautifulSoup(blocks["samenvatting_management"], "html.parser")
    flagged = {c for mark in soup.select("small.ll-verdict") if mark.select_one(".ll-simulated-mark")
               for c in mark.select_one(".ll-print-ids").get_text().split(", ")}
    on_simulated = {c for mark in soup.select("small.ll-verdict") for c in mark.select_one(".ll-print-ids").get_text().split(", ")
                    if c in on_counsellors}
    assert on_simulated and on_simulated <= flagged  # a sentence resting on simulated data says so
    assert not flagged & {c for c in own if REGISTRY.get(c).population == "students"} - {
        c for mark in soup.select("small.ll-verdict") if mark.select_one(".ll-simulated-mark")
        for c in mark.select_one(".ll-print-ids").get_text().split(", ") if c in on_counsellors
        for c in mark.select_one(".ll-print-ids").get_text().split(", ")}
    panel = soup.select_one('.ll-how-claim[data-of="rq1_c_geen_netwerk"]').get_text()
    assert "op gesimuleerde data, telt niet mee" in panel
    simulated = ledger.on_simulated_data(frame, {"students": "studenten.csv", "counsellors": "synthetic"})
    counts = ledger.verdict_counts(frame, simulated).set_index("rq")
    assert counts.loc["RQ1", "simulated"] == simulated[frame["rq"] == "RQ1"].sum() > 0  # no claim here is derived
    assert counts.loc["RQ1", "claims"] + counts.loc["RQ1", "simulated"] == (frame["rq"] == "RQ1").sum()
    assert "op gesimuleerde data, niet meegeteld" in ledger.summary_line(counts.reset_index().iloc[0])


def test_a_changed_parameter_turns_exactly_its_claim_on_own_data(tmp_path):
    params = load_parameters()
    params["students"]["latents"]["AI"]["observed_parents"]["loopbaanreflectie"] = 0.4
    paths = write_data(tmp_path / "data", params=params, synthetic=False)
    chapter_results(paths, tmp_path / "results")
    glued = run_ledger(paths, tmp_path / "results", tmp_path)
    rows = read_claims(tmp_path / "results")
    # and H2, whose published pattern has that prediction contrary (claims not decidable on this population aside)
    assert {r["id"] for r in rows if r["verdict"] != "reproduced"} - set(not_decidable()) == {"h2_lr_ai", "h2_hypothese"}
    page = front_page_html(glued)
    assert marked(page, "not_reproduced") == {"h2_lr_ai", "h2_hypothese"}
    assert marked(page, "not_computable") == set()
    intro = BeautifulSoup(glued["samenvatting_overzicht"]["text/html"], "html.parser").get_text()
    sha = hashlib.sha256(paths["students"].read_bytes()).hexdigest()
    assert "Replicatie op eigen data" in intro and "students.csv" in intro and sha in intro
    assert fmt_n(len(read_survey(paths["students"], "students"))) in intro


def test_the_rq4_runner_ups_are_shown_in_the_published_order_when_reproduced(monkeypatch):
    """The summary: Economie lowest, "op de voet gevolgd door de agrarische opleidingen en de sector Zorg &
    Welzijn". On data in which Zorg & Welzijn comes second and Agrarisch third the claim (places 2-3 together, not
    their order) is reproduced. The front page's sentence and chapter 04's text then name the runner-ups in the
    summary's order, and what both paste for the claim is its number (the difference with the next sector), which
    names no sector; only the detail gives the order found, as found."""
    data = {population: frame.copy() for population, frame in simulated(5, 600, 200).items()}
    scale = load_codebook().scales("counsellors")["samenwerking"]
    order = {1: 3, 2: 1, 3: 4, 4: 4, 5: 4, 6: 4, 7: 2}  # Economie, then Zorg & Welzijn, then Agrarisch
    for item in scale.items:
        data["counsellors"][item] = data["counsellors"]["sector"].map(order).astype(float)
    results = with_text(evaluate_claims(Context(data), load_registry().for_rq("RQ4")))
    row = results.set_index("id").loc["rq4_sw_volgend"]
    assert row["verdict"] == "reproduced" and row["computed"] == pytest.approx(-1.0)  # Agrarisch (3) - the next (4)

    glued = {}  # chapter 04 pastes rq4_sw_volgend_uitslag right after naming the runner-ups
    monkeypatch.setattr(chapter, "glue_value", lambda key, value, fmt: glued.setdefault(key, value))
    chapter.glue_claims(results)
    assert glued["rq4_sw_volgend_uitslag"] == "\u22121,00 [\u22121,00; \u22121,00]; p < 0,001; gereproduceerd"
    source = (PROJECT_ROOT / "notebooks" / "04_samenwerking.py").read_text(encoding="utf-8")
    before = " ".join(source.split("{glue:text}`rq4_sw_volgend_uitslag`")[0].replace("#", " ").split())[-200:]
    assert before.rindex("de agrarische opleidingen") < before.rindex("Zorg & Welzijn"), before

    frame = ledger_of().set_index("id")
    frame.update(ledger.collect(results).set_index("id"))
    page = page_of(frame.reset_index())
    soup = BeautifulSoup(front_page.front_page_blocks(page)["samenvatting_management"], "html.parser")
    note = note_of(soup, "In de sector Economie is significant minder")
    sentence = note.find_previous_sibling().get_text()
    assert "op de voet gevolgd door de agrarische opleidingen en de sector Zorg & Welzijn" in sentence
    line = note.select_one('.ll-how-claim[data-of="rq4_sw_volgend"]')
    assert line.select_one('[data-claim="rq4_sw_volgend"]').get_text() == "\u22121,00"
    assert line.select_one('[data-ci="rq4_sw_volgend"]').get_text() == "[\u22121,00; \u22121,00]"
    assert "Zorg & Welzijn, Agrarisch" not in line.get_text() and "rq4_sw_volgend" in note.select_one("small.ll-verdict")["data-reproduced"]


# ------------------------------------------------------------------------------------------- the book


def _without_sector(folder, sector: str) -> dict:
    """Small simulated data (synthetic) from which one sector is left out."""
    paths = {}
    for population, frame in simulate(2026, 800, 150).items():
        code = load_codebook().code_of(population, "sector", sector)
        paths[population] = folder / f"{population}.csv"
        write_survey(frame[frame["sector"] != code], paths[population], population, synthetic=True)
    return paths


def test_a_book_on_data_without_a_sector_builds_with_a_traced_front_page(tmp_path):
    """Chapters 01 and 04 and the ledger, built on data without the sector Onderwijs (one build, three checks)."""
    paths = _without_sector(tmp_path, "Onderwijs")
    project = copy_sources(Layout(PROJECT_ROOT), tmp_path / "project").root
    with (tmp_path / "console.txt").open("w") as log:
        build({"students": str(paths["students"]), "counsellors": str(paths["counsellors"]), "only": "01,04,90"},
              Layout(project), Console(file=log, width=120))
    project = replace(Layout(project), partial="partial-01-04-90")  # a partial book has folders of its own
    check_sector_claims_not_computable(project)
    check_every_number_is_traced(project, paths)
    check_verdicts_link_to_sections_of_built_chapters(project)


def check_sector_claims_not_computable(project):
    rows = {r["id"]: r for r in read_claims(project.results)}
    for claim_id in ("rq4_sw_hoogste_onderwijs", "rq4_sw_onderwijs_onder"):
        assert rows[claim_id]["verdict"] == "not_computable"
        assert "Onderwijs" in rows[claim_id]["computed"]
    assert rows["rq2_s_inhoud_slb"]["computed"] == "hoofdstuk 02_gesprekken is in deze build niet uitgevoerd"
    index = BeautifulSoup((project.html / "index.html").read_text(), "html.parser")
    assert {"rq4_sw_hoogste_onderwijs", "rq4_sw_onderwijs_onder"} <= marked(index, "not_computable")


def table_frame(table) -> pd.DataFrame:
    """An HTML table's body as a frame under its header's names, counts as numbers (Dutch thousands point)."""
    header = [th.get_text(strip=True) for th in table.select("thead tr")[-1].select("th")]
    body = [[cell.get_text(strip=True) for cell in tr.select("th, td")][-len(header):] for tr in table.select("tbody tr")]
    frame = pd.DataFrame(body, columns=header)
    counts = [c for c in header if c != "onderdeel"]
    frame[counts] = frame[counts].apply(lambda column: column.str.replace(".", "", regex=False).astype(int))
    return frame


def check_every_number_is_traced(project, paths):
    """Every digit on the front page is the summaries' own text (checked word for word against the published
    text) or sits in a value traced to claims.csv, the chapters' files, the data or the registry; the scorecard's
    counts are those of claims.csv."""
    html_dir = project.html
    article = BeautifulSoup((html_dir / "index.html").read_text(), "html.parser").select_one("article")
    rows = {r["id"]: r for r in read_claims(project.results)}
    details = pd.concat([pd.read_csv(p, dtype=str, keep_default_na=False) for p in (project.results).glob("claims_rq*.csv")])
    details = details.set_index("id")
    assert shown_lines(article) == [u.text for s in load_summaries() for u in s.units]

    # the typed text: no number of its own
    typed = BeautifulSoup(str(article), "html.parser")
    for tag in typed.select(".ll-computed, .ll-published, .ll-codebook, .ll-s, .ll-summary-title, .ll-summary-heading, "
                            ".ll-scorecard, .ll-table-number, .ll-downloads, "
                            ".ll-print-ids"):  # the claim ids (the ledger rows' anchors) printed in print only
        tag.decompose()
    text = typed.get_text().replace("SHA-256", "SHA")  # the checksum's name, not a number of the study
    assert not DIGIT.search(text), DIGIT.findall(text)

    # the scorecard: per part the verdicts of the claims that are not derived
    table = table_frame(article.select_one(".ll-scorecard table"))
    independent = [r for r in rows.values() if r["derived"] == "false"]
    replication = "Replicatie op eigen data" in article.get_text()
    own = [r for r in independent if not (replication and r["data"] == "synthetic")]  # simulated: counted apart
    assert table["beweringen"].sum() == len(own)
    assert table.get(scorecard.SIMULATED, pd.Series(0)).sum() == len(independent) - len(own)
    assert table["gereproduceerd"].sum() == sum(r["verdict"] == "reproduced" for r in own)
    assert table["niet te berekenen"].sum() == sum(r["verdict"] == "not_computable" for r in own)

    codebook, frame = load_codebook(), load_coding_frame()
    labels = " ".join([*(str(v.label_nl) + " " + " ".join(map(str, v.values.values())) for pop in ("students", "counsellors")
                         for v in codebook.variables(pop).values()), *frame.codes["label_nl"]])
    for span in article.select(".ll-codebook"):  # a label of the codebook or the coding frame
        assert set(NUMBER.findall(span.get_text())) <= set(NUMBER.findall(labels)), span.get_text()

    published = {format_published(c.kind, c.published) for c in REGISTRY if c.published is not None}
    for span in article.select(".ll-published"):  # the registry's published values
        assert span.get_text() in published, span.get_text()

    # values the build computed: claim values, data facts, counts of verdicts, verdict details
    frames = {p: pd.read_csv(paths[p], dtype=str) for p in ("students", "counsellors")}
    facts = {"n_students": fmt_n(len(frames["students"])), "n_counsellors": fmt_n(len(frames["counsellors"])),
             "n_hogescholen": fmt_n(pd.concat([f["hogeschool"] for f in frames.values()]).nunique())}
    reasons = {r["computed"] for r in rows.values()} | {r["reason"] for r in rows.values()}
    files = {facts["n_students"], facts["n_counsellors"]} | {
        hashlib.sha256(paths[p].read_bytes()).hexdigest() for p in ("students", "counsellors")}
    for span in article.select(".ll-computed"):
        text = span.get_text()
        if span.has_attr("data-detail"):  # the verdict a panel gives, with its reason
            row = rows[span["data-of"]]
            assert text == chapter.verdict_text(row["verdict"], row["reason"]), text
        elif not DIGIT.search(text):
            continue
        elif span.has_attr("data-mark"):  # a verdict mark: how many of its claims hold, out of how many
            ids = span["data-mark"].split()
            held = sum(rows[i]["verdict"] == "reproduced" for i in ids)
            assert set(NUMBER.findall(text)) <= {str(held), str(len(ids))}, text
        elif span.has_attr("data-expected"):  # what was tested: as the chapter saved it, or for an interview
            claim_id = span["data-expected"]  # claim (the ledger evaluates it) its codes and interviews counted
            if claim_id in details.index:
                assert text == details.loc[claim_id, "expected_nl"], text
            else:
                claim, row = REGISTRY.get(claim_id), rows[claim_id]
                sizes = set(map(str, load_coding_frame().codes.groupby("theme").size())) | {str(len(claim.get("codes", [])))}
                counted = {fmt_n(float(row[column])) for column in ("computed", "n") if row[column]}
                assert set(NUMBER.findall(text)) <= counted | sizes | {str(claim.published)}, text
        elif span.has_attr("data-claim"):
            row = rows[span["data-claim"]]
            value = row["computed"] if row["kind"] in TEXT_KINDS else float(row["computed"])
            assert text == format_value(row["kind"], value)
        elif span.has_attr("data-found"):  # what a hypothesis' evaluator found: its predictions borne out
            assert text == details.loc[span["data-found"], "found_nl"], text
        elif span.has_attr("data-n"):  # the interviews an interview claim's count is out of
            assert text == fmt_n(int(float(rows[span["data-n"]]["n"]))), text
        elif span.has_attr("data-ci"):
            row = details.loc[span["data-ci"]] if span["data-ci"] in details.index else rows[span["data-ci"]]
            assert text == format_ci(row["kind"], float(row["ci_low"]), float(row["ci_high"]))
        elif span.has_attr("data-mention"):  # interviews naming a code, out of all interviews
            assert 0 <= int(text) <= int(float(rows["q_n_interviews"]["computed"])), text
        elif span.has_attr("data-fact"):
            assert text == facts[span["data-fact"]]
        elif span.find_parent(class_="ll-totals"):  # the totals: checked as a whole below
            continue
        else:  # a data file's N or SHA-256, or a claim's reason from claims.csv
            assert text in files or text in reasons, text
    for line in article.select("p.ll-totals"):  # "Over de hele samenvatting: a van de n ..., b ..., c ... en d ..."
        numbers = [int(span.get_text().replace(".", "")) for span in line.select(".ll-computed")][:1 + len(VERDICTS)]
        assert sum(numbers[:1] + numbers[2:]) == numbers[1], line.get_text()


def check_verdicts_link_to_sections_of_built_chapters(project):
    html_dir = project.html
    index = BeautifulSoup((html_dir / "index.html").read_text(), "html.parser")
    links = [a["href"] for a in index.select(".ll-verdict .ll-how-chapter a")]
    assert links and {href.split(".html")[0] for href in links} == {"01_leeromgeving", "04_samenwerking"}
    ledger_links = [a["href"] for a in index.select(".ll-verdict a.ll-ledger-row")]
    assert ledger_links and {href.split("#")[0] for href in ledger_links} == {"90_claims.html"}
    rows = {a["href"] for a in index.select(".ll-how a.ll-ledger-row")}  # every mark's panel names its claims
    assert rows == {f"90_claims.html#{claim_id}" for verdict in index.select(".ll-verdict")
                    for attribute in ("data-reproduced", "data-not-reproduced", "data-undecided", "data-not-computable")
                    for claim_id in verdict[attribute].split()}
    targets = {}
    for href in links + ledger_links:
        page, _, anchor = href.partition("#")
        if page not in targets:
            targets[page] = BeautifulSoup((html_dir / page).read_text(), "html.parser")
        assert not anchor or targets[page].find(id=anchor) is not None, href




# ------------------------------------------------------------------------------------------- the built book


def test_the_built_front_page_shows_every_line_of_both_summaries_word_for_word(built_book):
    """Against the published text: every sentence, bullet, point and heading, in order, whitespace normalised."""
    article = built_book.page("index").select_one("article")
    shown = shown_lines(article)
    lines = [u.text for s in load_summaries() for u in s.units]
    assert shown == lines
    page_text = _normalised(" ".join(shown))
    for summary_id in SUMMARIES:
        assert published_text(summary_id) in page_text
    assert len(lines) == 131  # 2 titles, 6 questions, 97 sentences, 21 bullets, 5 numbered points


def test_every_claim_of_the_template_links_to_its_ledger_row(built_book):
    index, ledger_page = built_book.page("index"), built_book.page("90_claims")
    links = {a["href"] for a in index.select("a.ll-ledger-row")}
    claims = front_page.summarised_claims()
    assert links == {f"90_claims.html#{claim_id}" for claim_id in claims}
    assert all(ledger_page.find(id=claim_id) is not None for claim_id in claims)


def test_the_printed_front_page_has_at_most_eight_pages(built_book, tmp_path):
    """The front page alone, printed as ``make pdf`` prints the book: the panels closed, the claim ids printed."""
    from loopbaanleren.book import pdf

    if not Path("/usr/bin/chromium").is_file():
        pytest.skip("printing needs Debian's chromium")
    printed = pdf.print_html(built_book.html, ["index"], tmp_path)
    page = BeautifulSoup(printed.read_text(encoding="utf-8"), "html.parser")
    assert page.select("details.ll-how") and not page.select("details.ll-how[open]")
    out = pdf.make_pdf(built_book.html, ["index"], tmp_path / "voorpagina.pdf", "/usr/bin/chromium")
    try:
        from pypdf import PdfReader

        pages = len(PdfReader(out).pages)
    except ImportError:
        pages = len(re.findall(rb"/Type\s*/Page[^s]", out.read_bytes()))
    assert 1 <= pages <= 8, pages
