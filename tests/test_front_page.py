"""The front page: the summary with this build's numbers; a replication report on own data; nothing typed."""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup
from ledger_helpers import chapter_results, front_page_html, marked, read_claims, run_ledger, write_data
from rich.console import Console

from loopbaanleren import front_page, ledger
from loopbaanleren.chapter import TEXT_KINDS, format_ci, format_published, format_value
from loopbaanleren.claims import load_registry
from loopbaanleren.codebook import load_codebook
from loopbaanleren.formatting import fmt_n
from loopbaanleren.io import read_survey, write_survey
from loopbaanleren.pipeline import Layout, build, copy_sources
from loopbaanleren.simulate import load_parameters, simulate
from loopbaanleren.verdicts import VERDICTS

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
    intro = BeautifulSoup(blocks["samenvatting_intro"], "html.parser").get_text()
    assert "Replicatie op eigen data" in intro and "studenten.csv" in intro and "ab" * 32 in intro and "812" in intro
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
    assert f"De {len(interviews)} beweringen uit het interviewonderzoek rusten op gesimuleerde interviews" in text
    whole = BeautifulSoup(front_page.front_page_blocks(own)["samenvatting_intro"], "html.parser").get_text(" ")
    assert f"{len(summarised) - 1} van de {len(summarised)} beweringen" in " ".join(whole.split())
    assert "gesimuleerde interviews" not in whole


def test_a_changed_parameter_turns_exactly_its_claim_on_own_data(tmp_path):
    params = load_parameters()
    params["students"]["latents"]["AI"]["observed_parents"]["loopbaanreflectie"] = 0.4
    paths = write_data(tmp_path / "data", params=params, synthetic=False)
    chapter_results(paths, tmp_path / "results")
    glued = run_ledger(paths, tmp_path / "results", tmp_path)
    rows = read_claims(tmp_path / "results")
    assert {r["id"] for r in rows if r["verdict"] != "reproduced"} == {"h2_lr_ai"}
    page = front_page_html(glued)
    assert marked(page, "not_reproduced") == {"h2_lr_ai"}
    assert marked(page, "not_computable") == set()
    intro = BeautifulSoup(glued["samenvatting_intro"]["text/html"], "html.parser").get_text()
    sha = hashlib.sha256(paths["students"].read_bytes()).hexdigest()
    assert "Replicatie op eigen data" in intro and "students.csv" in intro and sha in intro
    assert fmt_n(len(read_survey(paths["students"], "students"))) in intro


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
    project = copy_sources(Layout(), tmp_path / "project").root
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
    for span in typed.select(".ll-computed, .ll-published, .ll-codebook, .ll-frame"):
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
    from loopbaanleren.qualitative.frame import load_coding_frame

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
        if span.has_attr("data-claim"):
            row = rows[span["data-claim"]]
            value = row["computed"] if row["kind"] in TEXT_KINDS else float(row["computed"])
            assert text == format_value(row["kind"], value)
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


def check_verdicts_link_to_sections_of_built_chapters(project):
    html_dir = project.html
    index = BeautifulSoup((html_dir / "index.html").read_text(), "html.parser")
    links = [a["href"] for a in index.select(".ll-verdict a:not(.ll-claim-link)")]
    assert links and {href.split(".html")[0] for href in links} == {"01_leeromgeving", "04_samenwerking"}
    ledger_links = [a["href"] for a in index.select(".ll-verdict a.ll-claim-link")]
    assert ledger_links and {href.split("#")[0] for href in ledger_links} == {"90_claims.html"}
    for href in links + ledger_links:
        page, _, anchor = href.partition("#")
        target = BeautifulSoup((html_dir / page).read_text(), "html.parser")
        assert not anchor or target.find(id=anchor) is not None, href


def test_the_qualitative_summary_names_every_listed_point_with_its_count():
    from loopbaanleren.qualitative.frame import load_coding_frame

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
