"""The front page: the summary with this build's numbers; a replication report on own data; nothing typed."""

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
from loopbaanleren.book import chapter_claims as chapter, front_page, ledger, rule_tables
from loopbaanleren.claims import verdicts
from loopbaanleren.book.chapter_claims import TEXT_KINDS, format_ci, format_published, format_value
from loopbaanleren.data.registry import load_registry
from loopbaanleren.data.codebook import load_codebook
from loopbaanleren.claims.evaluate import evaluate_claims
from loopbaanleren.book.formatting import MISSING, fmt_n, fmt_p, fmt_pct
from loopbaanleren.data.survey_files import read_survey, write_survey
from loopbaanleren.build.layout import Layout, copy_sources
from loopbaanleren.build.pipeline import build
from loopbaanleren.data.coding_frame import load_coding_frame
from loopbaanleren.data.simulation import load_parameters, not_decidable, simulate
from loopbaanleren.claims.verdicts import VERDICTS

REGISTRY = load_registry()
SURVEY = [c for c in REGISTRY if c.rq != "KWAL"]
DIGIT = re.compile(r"\d")
NUMBER = re.compile(r"\d[\d.,]*\d|\d")


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


# ------------------------------------------------------------------------------------------- template


def test_every_claim_of_both_summaries_is_asserted_by_exactly_one_sentence():
    asserted = [c for section in front_page.load_template() for p in section.paragraphs for s in p
                if not s.gloss for c in s.claims]
    assert sorted(asserted) == sorted(c.id for c in REGISTRY)


def test_the_template_follows_the_summary_and_types_no_number():
    sections = front_page.load_template()
    assert [s.id for s in sections] == ["intro", "rq1", "rq2", "rq3", "rq4", "rq5", "h1", "rq6", "h2", "kwal"]
    for section in sections:
        for paragraph in section.paragraphs:
            for sentence in paragraph:
                literal = front_page.PLACEHOLDER.sub("", sentence.text)
                assert not DIGIT.search(literal), sentence.text


def test_claim_patterns_expand_in_registry_order_and_must_match():
    assert front_page.expand("h1_pg_*", "test") == ("h1_pg_lr", "h1_pg_we", "h1_pg_ls", "h1_pg_nw")
    with pytest.raises(ValueError, match=re.escape("'h9_*' matches no claim")):
        front_page.expand("rq1_s_pg_onder, h9_*", "test")


# ------------------------------------------------------------------------------------------- rendering


def test_placeholders_are_filled_from_the_ledger_the_registry_and_the_codebook():
    page = page_of(ledger_of(computed={"rq1_s_buiten_telt_niet": 0.7391}))
    text = BeautifulSoup(front_page.render_text(
        "Aldus {value:rq1_s_buiten_telt_niet}, {if:rq1_s_pg_onder|weinig|niet weinig}, schaal {range:counsellors.samenwerking}, "
        "midden {midpoint:counsellors.samenwerking}, {categories:rq2_c_gesprekken_1_4}, {fact:n_students}.", page),
        "html.parser").get_text()
    scale = load_codebook().scales("counsellors")["samenwerking"]
    label = load_codebook().variables("counsellors")["slb_gesprekken_per_jaar"].values[2]
    midpoint = f"{scale.midpoint:.1f}".replace(".", ",")
    assert text == (f"Aldus 74% [gepubliceerd: 75%], weinig, schaal {scale.valid_min}-{scale.valid_max}, "
                    f"midden {midpoint}, {label}, 812.")


def test_directions_follow_the_verdicts_and_explanations_need_their_claims():
    section = next(s for s in front_page.load_template() if s.id == "h2")
    held = BeautifulSoup(front_page.front_page_blocks(page_of(ledger_of()), (section,))["samenvatting_h2"], "html.parser")
    failed = BeautifulSoup(front_page.front_page_blocks(page_of(ledger_of({"h2_lr_ai": "not_reproduced"})), (section,))
                           ["samenvatting_h2"], "html.parser")
    assert "en draagt negatief bij aan arbeidsidentiteit" in held.get_text()
    assert "en draagt niet aantoonbaar negatief bij aan arbeidsidentiteit" in failed.get_text()
    assert "vervolgonderzoek" in held.get_text() and "vervolgonderzoek" not in failed.get_text()
    assert marked(failed, "not_reproduced") == {"h2_lr_ai"}
    assert marked(held, "not_reproduced") == set()
    unknown = BeautifulSoup(front_page.front_page_blocks(page_of(ledger_of({"h2_lr_ai": "not_computable"})), (section,))
                            ["samenvatting_h2"], "html.parser")
    assert "en draagt negatief bij aan arbeidsidentiteit" in unknown.get_text()  # the summary's words, not checked
    assert "vervolgonderzoek" not in unknown.get_text()
    assert marked(unknown, "not_computable") == {"h2_lr_ai"}


def test_own_data_gets_a_replication_report_instead_of_the_conclusions():
    frame = ledger_of({"rq1_s_buiten_telt_niet": "not_reproduced", "rq1_c_vg_contrast_e": "not_computable"})
    blocks = front_page.front_page_blocks(page_of(frame, synthetic=False))
    notice = BeautifulSoup(blocks["samenvatting_intro"], "html.parser")
    intro = notice.get_text()
    assert "Replicatie op eigen data" in intro and "studenten.csv" in intro and "ab" * 32 in intro and "812" in intro
    download, _ = notice.select("table.ll-data + p.ll-downloads a")  # the files' table downloads as CSV (and its schema)
    assert download["download"] == "gegevens.csv"
    rows = list(csv.reader(base64.b64decode(download["href"].split("base64,", 1)[1]).decode("utf-8-sig").splitlines()))
    assert rows[1:] == [[load_codebook().population(p).label_nl, f, n, sha, "eigen data"]
                        for p, f, n, sha in (("students", "studenten.csv", "812", "ab" * 32),
                                             ("counsellors", "slb.csv", "120", "cd" * 32))]
    rq1 = BeautifulSoup(blocks["samenvatting_rq1"], "html.parser")
    quoted = [q.get_text() for q in rq1.find_all("q")]
    assert quoted[0] == REGISTRY.get("rq1_s_pg_onder").sentence_nl
    assert "De conclusie is duidelijk" not in rq1.get_text()
    assert rq1.select_one(".ll-counts").get_text() == (
        "Op deze data: 18 van de 20 beweringen gereproduceerd, 1 niet gereproduceerd, 0 onbeslist en 1 niet te berekenen.")
    h2 = BeautifulSoup(blocks["samenvatting_h2"], "html.parser").get_text()
    assert "Oordeel over de hypothese op deze data" in h2


def test_own_survey_data_with_simulated_interviews_counts_only_the_survey_claims():
    frame = ledger_of({"rq1_s_buiten_telt_niet": "not_reproduced"})
    own = page_of(frame, synthetic=False)
    mixed = front_page.Page(own.ledger, own.links, own.files, own.facts, simulated_interviews=True)
    summarised = {c for section in front_page.load_template() for c in section.claims}
    interviews = [c for c in summarised if REGISTRY.get(c).rq == "KWAL"]
    survey = len(summarised) - len(interviews)
    text = BeautifulSoup(front_page.front_page_blocks(mixed)["samenvatting_intro"], "html.parser").get_text(" ")
    text = " ".join(text.split())
    assert f"{survey - 1} van de {survey} beweringen gereproduceerd, 1 niet gereproduceerd" in text
    assert f"De {len(interviews)} beweringen op gesimuleerde data" in text and "tellen hier niet mee" in text
    whole = BeautifulSoup(front_page.front_page_blocks(own)["samenvatting_intro"], "html.parser").get_text(" ")
    assert f"{len(summarised) - 1} van de {len(summarised)} beweringen" in " ".join(whole.split())
    assert "gesimuleerde data" not in whole


def test_own_students_with_simulated_counsellors_never_counts_a_counsellor_claim_as_own():
    frame = ledger_of({"rq1_s_buiten_telt_niet": "not_reproduced"})
    files = (front_page.DataFile("students", "studenten.csv", 812, "ab" * 32, False),
             front_page.DataFile("counsellors", "counsellors.csv", 120, "cd" * 32, True))
    page = front_page.Page(frame, {}, files, {"n_students": 812, "n_counsellors": 120, "n_hogescholen": 9})
    summarised = {c for section in front_page.load_template() for c in section.claims}
    on_counsellors = {c for c in summarised if REGISTRY.get(c).population in ("counsellors", "both")}
    own = [c for c in summarised if c not in on_counsellors]  # the interviews are not simulated here
    blocks = front_page.front_page_blocks(page)
    text = " ".join(BeautifulSoup(blocks["samenvatting_intro"], "html.parser").get_text(" ").split())
    assert f"Over de hele samenvatting: {len(own) - 1} van de {len(own)} beweringen gereproduceerd" in text
    assert f"De {len(on_counsellors)} beweringen op gesimuleerde data" in text
    rq1 = BeautifulSoup(blocks["samenvatting_rq1"], "html.parser")
    rq1_counsellors = [c for c in REGISTRY.for_rq("RQ1") if c.population in ("counsellors", "both") and c.id in summarised]
    own_rq1 = [c for c in REGISTRY.for_rq("RQ1") if c.population == "students" and c.id in summarised]
    simulated_line = rq1.select_one(".ll-simulated").get_text()
    assert simulated_line.startswith(f"Op gesimuleerde data (telt niet mee): {len(rq1_counsellors)} van de "
                                     f"{len(rq1_counsellors)} beweringen")
    assert rq1.select_one(".ll-counts").get_text().startswith(f"Op deze data: {len(own_rq1) - 1} van de {len(own_rq1)}")
    marked = [li for li in rq1.select("li") if li.select_one(".ll-simulated-mark")]
    assert marked and len(marked) < len(rq1.select("li"))
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
    intro = BeautifulSoup(glued["samenvatting_intro"]["text/html"], "html.parser").get_text()
    sha = hashlib.sha256(paths["students"].read_bytes()).hexdigest()
    assert "Replicatie op eigen data" in intro and "students.csv" in intro and sha in intro
    assert fmt_n(len(read_survey(paths["students"], "students"))) in intro


def _section(section_id: str) -> front_page.Section:
    return next(s for s in front_page.load_template() if s.id == section_id)


def test_every_verdict_has_a_detail_with_rule_n_p_margin_robustness_and_ledger_row():
    """A hand-made ledger of RQ4 and H1: each verdict's <details> lists its claims, in order, each under a link to
    its ledger row, with the rule of its kind, n, the Holm-corrected p, the margin where the kind has one and the
    multiverse's share of specifications that reproduce it."""
    fields = {  # id: n, corrected p, margin, robustness share
        "rq4_sw_onvoldoende": (371, None, 0.0859, 0.9), "rq4_sw_geen": (370, None, 0.101, 0.5),
        "rq4_sw_contrast_e": (366, 0.0004, None, 1.0), "rq4_sw_acties": (352, 0.0213, None, 0.75),
        "h1_studie_lr": (4102, 0.64, None, 0.625),
    }
    frame = ledger_of().assign(robustness=float("nan"))
    for claim_id, values in fields.items():
        frame.loc[frame["id"] == claim_id, ["n", "p_adjusted", "margin", "robustness"]] = values
    page = replace(page_of(frame), alpha=0.025)
    blocks = front_page.front_page_blocks(page, (_section("rq4"), _section("h1")))
    soup = BeautifulSoup(blocks["samenvatting_rq4"] + blocks["samenvatting_h1"], "html.parser")
    verdicts_shown = soup.select("small.ll-verdict")
    assert verdicts_shown and all(len(v.select("details.ll-detail > summary")) == 1 for v in verdicts_shown)
    shown = [[claim["data-of"] for claim in v.select(".ll-detail-claim")] for v in verdicts_shown]
    assert shown == [v["data-reproduced"].split() for v in verdicts_shown]  # every claim reproduced here
    assert [c for claims in shown for c in claims] == [*_section("rq4").claims, *_section("h1").claims]

    def field(claim_id: str, name: str):
        found = soup.select(f'.ll-detail-claim[data-of="{claim_id}"] [data-detail="{name}"]')
        return found[0].get_text() if found else None

    assert [field("rq4_sw_onvoldoende", f) for f in ("n", "p", "margin", "robustness")] == ["371", "–", "±8,6 procentpunt", "90%"]
    assert [field("rq4_sw_contrast_e", f) for f in ("n", "p", "margin", "robustness")] == ["366", "p < 0,001", None, "100%"]
    assert [field("rq4_sw_acties", f) for f in ("n", "p", "margin", "robustness")] == ["352", "p = 0,021", None, "75%"]
    assert [field("h1_studie_lr", f) for f in ("n", "p", "margin", "robustness")] == ["4.102", "p = 0,640", "±0,08", "62%"]
    assert field("rq4_sw_contrast_e", "rule") == (
        "richting: gereproduceerd als significant in de verwachte richting na correctie (bij meer sectoren of verschillen: "
        "elk onderdeel)")
    assert field("rq4_sw_onvoldoende", "rule") == (
        "puntwaarde: gereproduceerd als het 95%-interval ligt binnen de marge rond de gepubliceerde waarde")
    assert field("h1_studie_lr", "rule") == (  # alpha 0.025: the 95% interval of TOST
        "geen effect: gereproduceerd als niet significant zonder correctie; bij \"draagt niet bij\" bovendien equivalent "
        "aan nul (het 95%-interval ligt binnen ±0,08); bij \"draagt niet bij aan het beperken\" eenzijdig: niet "
        "significant in de ontkende richting en die kant van het 95%-interval binnen de grens; bij \"niet aantoonbaar\" "
        "alleen niet significant")
    assert field("rq4_sw_laagste_e", "rule").startswith("afgeleid: ")  # derived in the registry
    assert field("rq4_sw_acties", "expected") == "verwacht iets" and field("rq4_sw_acties", "verdict") == "gereproduceerd"
    detail = soup.select_one('.ll-detail-claim[data-of="rq4_sw_acties"]')
    assert detail.select_one("a.ll-ledger-row")["href"] == "90_claims.html#rq4_sw_acties"
    labels = [load_codebook().label("counsellors", name) for name in ("samenwerking", "onderwerp_acties")]
    assert detail.select_one("a.ll-ledger-row").get_text() == " → ".join(labels)
    without = front_page.front_page_blocks(page_of(ledger_of()), (_section("rq4"),))["samenvatting_rq4"]
    assert "data-detail=\"robustness\"" not in without and "data-detail=\"n\"" in without  # no multiverse, no share


def test_every_verdict_carries_its_number_outside_its_detail():
    """Each verdict shows its claims' numbers before the detail: a hypothesis the predictions its evaluator found
    borne out, an interview claim its count out of the interviews."""
    found = {"h1_hypothese": "9 van de 16 voorspellingen uitgekomen, 2 onbeslist: deels bevestigd",
             "h2_hypothese": "11 van de 16 voorspellingen uitgekomen: deels bevestigd"}
    counts = {"q_waardering_leerzaam": 10, "q_waardering_intensief": 9, "q_meerwaarde_traject": 4, "q_n_interviews": 10}
    frame = ledger_of(computed=counts)
    for claim_id, text in found.items():
        frame.loc[frame["id"] == claim_id, "found_nl"] = text
    frame.loc[frame["rq"] == "KWAL", "n"] = 10
    sections = tuple(_section(s) for s in ("h1", "h2", "kwal"))
    blocks = front_page.front_page_blocks(page_of(frame), sections)
    soup = BeautifulSoup("".join(blocks.values()), "html.parser")
    for verdict in soup.select("small.ll-verdict"):
        verdict.select_one("details").decompose()
        assert DIGIT.search(verdict.get_text()), verdict.get_text()

    def number(claim_id: str) -> str:
        link = soup.select_one(f'a.ll-claim-link[href="90_claims.html#{claim_id}"]')
        return " ".join(link.get_text().split())

    assert number("h1_hypothese") == found["h1_hypothese"] and number("h2_hypothese") == found["h2_hypothese"]
    assert [number(i) for i in ("q_waardering_leerzaam", "q_waardering_intensief", "q_meerwaarde_traject")] == [
        "10 van de 10", "9 van de 10", "4 van de 10"]
    assert number("q_n_interviews") == "10"


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
    block = BeautifulSoup(front_page.front_page_blocks(page, (_section("rq4"),))["samenvatting_rq4"], "html.parser")
    verdict = next(v for v in block.select("small.ll-verdict") if "rq4_sw_volgend" in v["data-reproduced"].split())
    sentence = " ".join(verdict.find_parent(class_="ll-para").get_text(" ").split())
    assert "op de voet gevolgd door de agrarische opleidingen en de sector Zorg & Welzijn" in sentence
    numbers = [a.get_text() for a in verdict.select("a.ll-claim-link")]
    assert numbers[-1] == "\u22121,00 [\u22121,00; \u22121,00]" and not any("Agrarisch" in n for n in numbers)
    assert field_of(verdict, "rq4_sw_volgend", "found").startswith("volgorde: Economie, Zorg & Welzijn, Agrarisch")


def field_of(soup, claim_id: str, name: str) -> str:
    return soup.select_one(f'.ll-detail-claim[data-of="{claim_id}"] [data-detail="{name}"]').get_text()


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


def _joined_sentences(text: str, sentences: set[str]) -> bool:
    """Whether ``text`` is one registry sentence or several joined by spaces (a summary sentence naming several claims)."""
    while text:
        first = next((s for s in sentences if text == s or text.startswith(s + " ")), None)
        if first is None:
            return False
        text = text[len(first):].lstrip(" ")
    return True


def check_every_number_is_traced(project, paths):
    """Every digit on the front page sits in a value traced to claims.csv, the chapters' files, the data,
    the registry or the codebook; the only typed numbers are those of the questions and hypotheses."""
    html_dir = project.html
    article = BeautifulSoup((html_dir / "index.html").read_text(), "html.parser").select_one("article")
    rows = {r["id"]: r for r in read_claims(project.results)}
    details = pd.concat([pd.read_csv(p, dtype=str, keep_default_na=False) for p in (project.results).glob("claims_rq*.csv")])
    details = details.set_index("id")

    # the typed text: only the headings' question and hypothesis numbers
    typed = BeautifulSoup(str(article), "html.parser")
    for span in typed.select(".ll-computed, .ll-published, .ll-codebook, .ll-frame, .ll-table-number, .ll-downloads"):
        span.decompose()
    for heading in typed.select("h1, h2, h3"):
        assert re.fullmatch(r"(\d\. |Hypothese \d: )?\D+#?", heading.get_text().strip()), heading.get_text()
        heading.decompose()
    text = typed.get_text().replace("SHA-256", "SHA")  # the checksum's name, not a number of the study
    assert not DIGIT.search(text), DIGIT.findall(text)

    # values from the registry and the codebook
    published = {format_published(c.kind, c.published) for c in REGISTRY if c.published is not None}
    sentences = {c.sentence_nl for c in REGISTRY}
    codebook = load_codebook()
    scales = [m for pop in ("students", "counsellors") for m in codebook.scales(pop).values()]
    from_codebook = {f"{m.valid_min}-{m.valid_max}" for m in scales} | {f"{m.midpoint:.1f}".replace(".", ",") for m in scales}
    from_codebook |= {label for pop in ("students", "counsellors") for v in codebook.variables(pop).values()
                      for label in v.values.values()}
    summaries = _normalised(" ".join((Path(__file__).parent / "data" / name).read_text(encoding="utf-8") for name in SUMMARIES))
    for span in article.select(".ll-published"):  # registry values and sentences, or words quoted from a summary
        text = span.get_text()
        assert text in published or _joined_sentences(text, sentences) or _normalised(text) in summaries, text
    steps = {str(int(step)) for step in load_coding_frame().steps()["step"]}
    for span in article.select(".ll-frame"):  # the numbers of the coding frame's steps
        assert span.get_text() in steps, span.get_text()
    for span in article.select(".ll-codebook"):
        assert all(part in from_codebook for part in span.get_text().split(" of ")), span.get_text()

    # values the build computed: claim values, data facts, counts of verdicts, verdict details
    frames = {p: pd.read_csv(paths[p], dtype=str) for p in ("students", "counsellors")}
    facts = {"n_students": fmt_n(len(frames["students"])), "n_counsellors": fmt_n(len(frames["counsellors"])),
             "n_hogescholen": fmt_n(pd.concat([f["hogeschool"] for f in frames.values()]).nunique())}
    # own survey data, simulated interviews: the totals count the survey claims (derived ones left out) and
    # name how many interview claims they leave out
    survey = [rows[c.id]["verdict"] for c in REGISTRY if rows[c.id]["derived"] == "false" and c.rq != "KWAL"]
    interviews = {c for section in front_page.load_template() for c in section.claims if REGISTRY.get(c).rq == "KWAL"}
    counts = {fmt_n(len(survey)), fmt_n(len(interviews))} | {fmt_n(survey.count(v)) for v in VERDICTS}
    reasons = {r["computed"] for r in rows.values()} | {r["reason"] for r in rows.values()}
    files = {facts["n_students"], facts["n_counsellors"]} | {
        hashlib.sha256(paths[p].read_bytes()).hexdigest() for p in ("students", "counsellors")}
    for span in article.select(".ll-computed"):
        text = span.get_text()
        if not DIGIT.search(text):
            continue
        verdict = span.find_parent(class_="ll-verdict")
        if span.has_attr("data-detail") and span["data-of"] not in details.index and span["data-detail"] == "found":
            # what an interview claim found (the ledger evaluates it): its count, the interviews, the codes counted
            row, claim = rows[span["data-of"]], REGISTRY.get(span["data-of"])
            sizes = set(map(str, load_coding_frame().codes.groupby("theme").size())) | {str(len(claim.get("codes", [])))}
            counted = {fmt_n(float(row[column])) for column in ("computed", "n") if row[column]}
            assert set(NUMBER.findall(text)) <= counted | sizes, text
        elif span.has_attr("data-detail"):  # a field of a verdict's detail
            assert text == detail_text(span["data-detail"], span["data-of"], rows, details), text
        elif span.has_attr("data-claim"):
            row = rows[span["data-claim"]]
            value = row["computed"] if row["kind"] in TEXT_KINDS else float(row["computed"])
            assert text == format_value(row["kind"], value)
        elif span.has_attr("data-found"):  # what a hypothesis' evaluator found: its predictions borne out
            assert text == details.loc[span["data-found"], "found_nl"], text
        elif span.has_attr("data-n"):  # the interviews an interview claim's count is out of
            assert text == fmt_n(int(float(rows[span["data-n"]]["n"]))), text
        elif span.has_attr("data-ci"):
            row = details.loc[span["data-ci"]]
            assert text == format_ci(row["kind"], float(row["ci_low"]), float(row["ci_high"]))
        elif span.has_attr("data-mention"):  # "n van de N" interviews mention a code of the coding frame
            mentioned, of = map(int, re.fullmatch(r"(\d+) van de (\d+)", text).groups())
            assert 0 <= mentioned <= of and str(of) == rows["q_n_interviews"]["computed"], text
        elif span.has_attr("data-fact"):
            assert text == facts[span["data-fact"]]
        elif verdict is not None:
            ids = " ".join(verdict.get(a, "") for a in ("data-reproduced", "data-not-reproduced", "data-undecided",
                                                        "data-not-computable"))
            sources = " ".join(f"{rows[i]['computed']} {details.loc[i, 'expected_nl']} {details.loc[i, 'found_nl']}"
                               if i in details.index else rows[i]["computed"] for i in ids.split())
            allowed = set(NUMBER.findall(sources)) | {str(len(ids.split())), str(len(verdict["data-reproduced"].split()))}
            assert set(NUMBER.findall(text)) <= allowed, text
        elif "ll-counts" in span.parent.get("class", []):  # a section's counts: checked as a whole below
            continue
        else:  # a count of verdicts, a data file's N or SHA-256, or a claim's reason from claims.csv
            assert text in counts or text in files or text in reasons, text
    for line in article.select("p.ll-counts"):  # "Op deze data: a van de n ..., b ..., c ... en d ..."
        numbers = [int(span.get_text().replace(".", "")) for span in line.select(".ll-computed")]
        assert len(numbers) == 1 + len(VERDICTS) and sum(numbers[:1] + numbers[2:]) == numbers[1], line.get_text()


def detail_text(field: str, claim_id: str, rows: dict, details: pd.DataFrame) -> str:
    """What a verdict's detail must show for ``field`` of a claim: the values and texts its chapter saved
    (claims_rq*.csv, at full precision), else those of claims.csv (an interview claim, evaluated by the ledger),
    the rule of its kind from the registry's rules at the build's alpha."""
    row, claim = rows[claim_id], REGISTRY.get(claim_id)
    saved = details.loc[claim_id] if claim_id in details.index else row
    if field in ("expected", "found"):
        return saved[f"{field}_nl"]
    if field == "rule":
        family = verdicts.family_of(claim.kind, row["derived"] == "true", claim.get("direction") == "near")
        bound = REGISTRY.rules["equivalence_bound"]
        return f"{family}: gereproduceerd als {rule_tables.reproduced_when(family, 0.05, bound)}"
    if field == "margin":
        return front_page.claim_margin(claim, float(saved["margin"]) if saved["margin"] else None)
    if field == "robustness":
        return fmt_pct(float(row["robustness"])) if row["robustness"] else MISSING
    if field in ("n", "p"):
        value = saved["n" if field == "n" else "p_adjusted"]
        return MISSING if not value else fmt_n(int(float(value))) if field == "n" else fmt_p(float(value))
    assert field == "verdict", field
    return verdicts.VERDICT_NL[row["verdict"]] + (f" ({row['reason']})" if row["reason"] else "")


def check_verdicts_link_to_sections_of_built_chapters(project):
    html_dir = project.html
    index = BeautifulSoup((html_dir / "index.html").read_text(), "html.parser")
    links = [a["href"] for a in index.select(".ll-verdict a:not(.ll-claim-link):not(.ll-ledger-row)")]
    assert links and {href.split(".html")[0] for href in links} == {"01_leeromgeving", "04_samenwerking"}
    ledger_links = [a["href"] for a in index.select(".ll-verdict a.ll-claim-link, .ll-verdict a.ll-ledger-row")]
    assert ledger_links and {href.split("#")[0] for href in ledger_links} == {"90_claims.html"}
    rows = {a["href"] for a in index.select(".ll-detail a.ll-ledger-row")}  # every verdict's detail names its claims
    assert rows == {f"90_claims.html#{claim_id}" for verdict in index.select(".ll-verdict")
                    for attribute in ("data-reproduced", "data-not-reproduced", "data-undecided", "data-not-computable")
                    for claim_id in verdict[attribute].split()}
    targets = {}
    for href in links + ledger_links:
        page, _, anchor = href.partition("#")
        if page not in targets:
            targets[page] = BeautifulSoup((html_dir / page).read_text(), "html.parser")
        assert not anchor or targets[page].find(id=anchor) is not None, href


def test_the_qualitative_summary_names_every_listed_point_with_its_count():
    frame = load_coding_frame()
    counts = {code: (i % 10 + 1, 10) for i, code in enumerate(frame.codes.index)}
    page = page_of(ledger_of())
    page = front_page.Page(page.ledger, page.links, page.files, page.facts, mentions=counts)
    block = BeautifulSoup(front_page.front_page_blocks(page)["samenvatting_kwal"], "html.parser")
    text = " ".join(block.get_text().split())
    listed = frame.codes[frame.codes["theme"].isin(["meerwaarde", "elementen", "helpend", "belemmerend", "opbouw"])]
    assert len(listed[listed["theme"] == "helpend"]) == 6 and len(listed[listed["theme"] == "belemmerend"]) == 7
    for code, row in listed.iterrows():
        assert f"{row['label_nl']} ({counts[code][0]} van de 10)" in text, code
    steps = frame.steps()
    order = [text.index(f"{int(r['step'])}. {r['label_nl']}") for _, r in steps[steps["theme"] == "opbouw"].iterrows()]
    assert len(order) == 5 and order == sorted(order)
    assert "Elk lob-gesprek is er 1" in text and block.select(".ll-context")
    assert {a["href"] for a in block.select("a.ll-claim-link")} == {
        f"90_claims.html#{c.id}" for c in REGISTRY if c.rq == "KWAL"}


SUMMARIES = ("management-samenvatting-loopbaanleren-hbo.txt", "samenvatting-elk-lob-gesprek-is-er-1.txt")
"""The two published summaries as text, the independent reference for the front page's wording."""
EDITORIAL = {
    # the template's corrections of the published text's typing errors, each: (summary's text, template's text)
    "praktijk- els vraaggerichtheid": "praktijk- als vraaggerichtheid",
    "ervaringen op de doen": "ervaringen op te doen",
    "schaal gemiddelde": "schaalgemiddelde",
    "met betrekking werk en loopbaan": "met betrekking tot werk en loopbaan",
    "begeleidinggesprekken": "begeleidingsgesprekken",
    "tegelijkertijd - matig": "tegelijkertijd – matig",
    "onzekerheid op het doel": "onzekerheid op; het doel",
    "praktijkgericht is zijn ze": "praktijkgericht is, zijn ze",
}


def _normalised(text: str) -> str:
    return " ".join(text.replace("’", "'").replace("‘", "'").split())


def test_the_front_page_keeps_the_summaries_wording():
    """Every literal part of every sentence (with the published branch of each {if:}) occurs in the summaries."""
    from pathlib import Path

    folder = Path(__file__).parent / "data"
    published = _normalised(" ".join((folder / name).read_text(encoding="utf-8") for name in SUMMARIES))
    for typo, corrected in EDITORIAL.items():
        assert typo in published, typo
        published = published.replace(typo, corrected)
    yes_branch = re.compile(r"\{if:([^|{}]*)\|([^|{}]*)\|([^{}]*)\}")
    checked, drifted = 0, []
    for section in front_page.load_template():
        for paragraph in section.paragraphs:
            for sentence in paragraph:
                text = yes_branch.sub(lambda m: m.group(2), sentence.text)
                for fragment in front_page.PLACEHOLDER.split(text)[::3]:
                    fragment = _normalised(fragment).strip(" ,.;:()")
                    if len(fragment) >= 4:
                        checked += 1
                        if fragment not in published:
                            drifted.append(f"{section.id}: {fragment}")
    assert drifted == []
    assert checked > 100
