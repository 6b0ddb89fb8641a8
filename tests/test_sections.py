"""The section builders on small synthetic data: each figure's data, each table's rows and each glued text
against a computation of their own."""

import numpy as np
import pandas as pd
import pytest
from simulated_helpers import simulated

from loopbaanleren.book.claim_text import with_text
from loopbaanleren.claims.context import Context
from loopbaanleren.book import chapter_claims as chapter_module
from loopbaanleren.book import data_sections, formatting, sections
from loopbaanleren.book.chapter_claims import format_outcome
from loopbaanleren.data.registry import load_registry
from loopbaanleren.data.codebook import item_scores, load_codebook
from loopbaanleren.data.disclosure import suppression_marker
from loopbaanleren.claims.evaluate import evaluate_claims
from loopbaanleren.book.chapter_graph import GraphError, chapter_graph
from loopbaanleren.book.verdict_text import VERDICT_NL

RQS = ("RQ1", "RQ3", "RQ4", "RQ5")


@pytest.fixture(scope="module")
def chapter() -> sections.Chapter:
    """400 students and 150 counsellors (the data of ``context.example_context``), claims of four questions."""
    data = simulated(2026, 400, 150)
    ctx = Context(data, alpha=0.05, min_cell=10)
    return sections.Chapter(data, with_text(evaluate_claims(ctx, load_registry().for_rq(*RQS))), ctx)


def _dutch(cell) -> float:
    """The number a cell shows, read back from its Dutch text."""
    return float(str(cell).replace(".", "").replace(",", ".").replace("\u2212", "-").rstrip("%"))


def test_build_facts_are_the_data_and_rules_in_dutch(chapter):
    rules = load_registry().rules
    facts = sections.build_facts(chapter.data, 0.01, 12)
    assert facts["alpha"] == "0,01" and facts["min_cell"] == "12" and facts["marker"] == suppression_marker(12)
    assert facts["n_students"] == "400" and facts["n_counsellors"] == "150"
    assert _dutch(facts["n_hogescholen"]) == chapter.data["students"]["hogeschool"].nunique()
    assert facts["tost_level"] == "98%"
    assert _dutch(facts["equivalence_bound"]) == pytest.approx(rules["equivalence_bound"], abs=0.005)
    assert _dutch(facts["margin_level"]) == pytest.approx(100 * rules["margin"]["level"], abs=0.5)
    # the original study the margins assume (the summary: 4820 students, 371 counsellors, 11 hogescholen)
    assert (facts["margin_n_students"], facts["margin_n_counsellors"], facts["margin_clusters"]) == ("4.820", "371", "11")
    assert facts["min_item_share"] == "50%"  # a scale score needs at least half of the items


def test_show_glues_the_texts_then_shows_figures_and_tables(chapter, monkeypatch):
    calls = []
    monkeypatch.setattr(sections, "glue_value", lambda key, text, fmt: calls.append(("glue", key, text, fmt)))
    monkeypatch.setattr(sections, "show_figure", lambda fig, alt, data=None: calls.append(("figure", alt)))
    monkeypatch.setattr(sections, "show_table", lambda data, caption, formats: calls.append(("table", caption)))
    section = sections.levels(chapter, "students", ["praktijkgericht"], "Titel", "Bijschrift")
    sections.Section(section.figures, section.tables, {"sleutel": "tekst"}).show()
    assert [call[0] for call in calls] == ["glue", "figure", "table"]
    assert calls[0] == ("glue", "sleutel", "tekst", "text") and calls[2] == ("table", "Bijschrift")


def test_a_built_section_leaves_no_open_figure_and_still_renders_it(chapter):
    import matplotlib.pyplot as plt

    from loopbaanleren.book.figure_output import figure_html

    before = set(plt.get_fignums())
    section = sections.levels(chapter, "students", ["praktijkgericht"], "Titel", "Bijschrift")
    assert set(plt.get_fignums()) == before  # the inline backend shows open figures at the end of a cell
    fig, alt, *_ = section.figures[0]
    assert '<img src="data:image/png;base64,' in figure_html(fig, alt)


def test_levels_shows_the_mean_of_each_scale_per_population(chapter):
    measures = ["praktijkgericht", "vraaggericht"]
    section = sections.levels(chapter, ("students", "counsellors"), measures, "Titel", "Bijschrift")
    (plot,), (table,) = section.figures, section.tables
    codebook = load_codebook()
    expected = [
        item_scores(chapter.data[p], codebook.scales(p)[m]).mean(axis=1).mean()
        for p in ("students", "counsellors") for m in measures
    ]
    assert plot.data["mean"].to_numpy() == pytest.approx(expected, abs=0.02)
    assert [_dutch(m) for m in table.data["gemiddelde"]] == pytest.approx(expected, abs=0.02)
    assert list(table.data["populatie"]) == ["studenten"] * 2 + ["studieloopbaanbegeleiders"] * 2
    assert table.caption == "Bijschrift"


def test_levels_without_a_title_is_only_the_table(chapter):
    section = sections.levels(chapter, "students", ["praktijkgericht"], caption="Bijschrift")
    assert section.figures == () and len(section.tables) == 1


def test_shares_are_the_answer_counts_over_the_valid_answers(chapter):
    section = sections.shares(chapter, "students", ["le_buiten_telt_mee", "le_geholpen_kiezen"], "Titel", "Bijschrift")
    (plot,), (table,) = section.figures, section.tables
    answered = chapter.data["students"]["le_geholpen_kiezen"].dropna()
    values = load_codebook().variables("students")["le_geholpen_kiezen"].values
    row = table.data.set_index("vraag").iloc[1]
    for code, label in values.items():
        assert _dutch(row[label]) == pytest.approx(100 * (answered == code).mean(), abs=0.5)
    assert str(row["n"]) == formatting.fmt_n(len(answered)) and row["n"].value == len(answered)
    assert len(plot.data) == 2


def test_shares_by_population_has_one_row_per_population(chapter):
    section = sections.shares_by_population(chapter, "slb_gesprekken_per_jaar", "Hoe vaak?")
    (table,) = section.tables
    assert list(table.data["vraag"]) == ["studenten", "studieloopbaanbegeleiders"]
    expected = [chapter.data[p]["slb_gesprekken_per_jaar"].notna().sum() for p in ("students", "counsellors")]
    assert [int(_dutch(n)) for n in table.data["n"]] == expected


def test_statement_shares_show_every_item_of_the_scales_wrapped(chapter):
    scales = load_codebook().scales("counsellors")
    section = sections.statement_shares(chapter, "counsellors", ["draagkracht", "draagvlak"], "Titel", "Bijschrift")
    (table,) = section.tables
    assert len(table.data) == len(scales["draagkracht"].items) + len(scales["draagvlak"].items)
    assert table.data.columns[0] == "uitspraak"
    assert all(len(line) <= sections.STATEMENT_WIDTH for label in table.data["uitspraak"] for line in label.split("\n"))


def test_statement_items_keep_a_single_item_as_it_is():
    scales = load_codebook().scales("students")
    assert sections.statement_items("students", ["leermotivatie", "uitvaldreiging"]) == [
        *scales["leermotivatie"].items, "uitvaldreiging"
    ]


def test_sector_comparison_texts_rest_on_the_group_means(chapter):
    section = sections.sector_comparison(chapter, "counsellors", "samenwerking", ("Economie",), "sw",
                                         partners={"Economie": "sw_gh"})
    (plot,), (table,) = section.figures, section.tables
    frame = chapter.ctx.frame("counsellors")
    economics = frame.loc[frame["sector"] == "Economie", "samenwerking"].dropna()
    assert section.texts["sw_contrast"].startswith(f"Economie gemiddeld {formatting.fmt_num(economics.mean())} ")
    assert section.texts["sw_anova"].startswith("Welch-F(")
    shown = section.result.means
    label = load_codebook().label("counsellors", "samenwerking")
    assert table.caption == f"{label} per sector (studieloopbaanbegeleiders)"
    assert sorted(plot.data["group"]) == sorted(shown["group"])
    differs = section.result.posthoc
    n_differs = int(((differs["group_a"] == "Economie") | (differs["group_b"] == "Economie")).mul(differs["p"] < 0.05).sum())
    assert section.texts["sw_gh"] == f"{n_differs} van de {len(shown) - 1}"


def test_regression_model_names_the_strongest_predictor(chapter):
    model = sections.regression_model(chapter, "rq3_gesprek", "rq3", "Titel",
                                      strongest={"onderwerp_zelfbeeld": "sterkste"})
    table = next(t for t in model.tables if t.outcome == "onderwerp_zelfbeeld").coefficients
    predictors = table[table["role"] == "predictor"]
    assert model.coefficients.texts["sterkste"] == predictors.loc[predictors["beta"].abs().idxmax(), "label"].lower()
    assert set(model.coefficients.texts) == {"rq3_diagnostiek", "rq3_robuustheid", "sterkste"}
    fit, overview = model.checks.tables
    assert fit.caption == "Fit en controles per model" and len(fit.data) == len(model.tables) == 3


def test_hypothesis_counts_the_cells_whose_claim_is_reproduced(chapter):
    h1 = sections.hypothesis(chapter, "h1", "Titel", ("voorspeller", "voorspellers"), ("competentie", "competenties"))
    results = chapter.results.set_index("id")
    cells = [claim for claim in load_registry() if claim.get("model") == "h1" and claim.kind in ("effect", "null_effect")]
    judged = [c.id for c in cells if results.at[c.id, "verdict"] != "not_computable"]
    reproduced = [i for i in judged if results.at[i, "verdict"] == "reproduced"]
    texts = h1.forest.texts
    assert texts["h1_n_cellen"] == formatting.fmt_n(len(judged))
    assert texts["h1_n_overeenkomst"] == formatting.fmt_n(len(reproduced))
    assert texts["h1_hypothese_gevonden"] == results.at["h1_hypothese", "found_nl"]
    ids = [c.id for c in cells if c["predictor"] == "praktijkgericht"]
    agreed = sum(results.at[i, "verdict"] == "reproduced" for i in ids)
    assert texts["h1_praktijkgericht_samenvatting"].endswith(f"{agreed} van de {len(ids)} gereproduceerd")
    assert h1.signs.figures[0].alt and h1.signs.tables[0].caption.startswith("Teken per voorspeller en competentie")
    (predictions,) = h1.predictions.tables
    assert len(predictions.data) == len(load_registry().get("h1_hypothese")["predictions"])
    assert h1.outcomes == ["loopbaanreflectie", "werkexploratie", "loopbaansturing", "netwerken"]


def test_claims_table_has_a_row_per_claim_with_its_verdict(chapter):
    rows = chapter.results["rq"] == "RQ4"
    (table,) = sections.claims(chapter, "Beweringen", rows).tables
    assert len(table.data) == int(rows.sum())
    assert [v.split(" (")[0] for v in table.data["oordeel"]] == [VERDICT_NL[v] for v in chapter.results.loc[rows, "verdict"]]


def _row(kind, computed, ci_low=None, ci_high=None, p_adjusted=None, verdict="reproduced"):
    return {"kind": kind, "computed": computed, "ci_low": ci_low, "ci_high": ci_high, "p_adjusted": p_adjusted,
            "verdict": verdict}


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (_row("level", 3.3449, 3.2801, 3.4049, 0.0004), "3,34 [3,28; 3,40]; p < 0,001; gereproduceerd"),
        (_row("effect", -0.2049, -0.31, -0.1, 0.0341, "undecided"), "\u22120,20 [\u22120,31; \u22120,10]; p = 0,034; onbeslist"),
        (_row("percentage", 0.6812, 0.65, 0.712), "68% [65%; 71%]; gereproduceerd"),
        (_row("mean", 2.75, verdict="not_reproduced"), "2,75; niet gereproduceerd"),
        (_row("mode", "1 tot 4 keer per jaar", 0.55, 0.62, 0.0001), "1 tot 4 keer per jaar; p < 0,001; gereproduceerd"),
        (_row("mentioned_by", 7.0), "7; gereproduceerd"),
        (_row("percentage", None, np.nan, np.nan, np.nan, "not_computable"), "niet te berekenen"),
    ],
)
def test_a_claims_outcome_is_one_text_without_the_parts_it_lacks(row, expected):
    assert format_outcome(row) == expected


def test_a_chapter_glues_per_claim_its_value_outcome_and_published_value(chapter, monkeypatch):
    glued = {}
    monkeypatch.setattr(chapter_module, "glue_value", lambda key, value, fmt: glued.setdefault(key, value))
    results = chapter.results[chapter.results["rq"] == "RQ3"]
    chapter_module.glue_claims(results)
    suffixes = ("", "_uitslag", "_gepubliceerd")
    assert set(glued) == {f"{i}{s}" for i in results["id"] for s in suffixes} | {"rq3_n_claims", "rq3_n_reproduced"}
    first = results.iloc[0]
    assert glued[f"{first['id']}_uitslag"] == format_outcome(first)


def test_a_chapter_reads_its_research_questions_from_the_chapter_graph():
    graph = chapter_graph()  # the project the tests run in
    with pytest.raises(GraphError) as info:
        sections.Chapter.open("03_onbekend", sections.ChapterParams("", ""))
    assert str(info.value) == (
        f"{graph.path}: chapter 03_onbekend is not declared (add a chapter '03_onbekend' with its research_questions)"
    )
    with pytest.raises(GraphError) as info:
        sections.Chapter.open("00_data", sections.ChapterParams("", ""))
    assert str(info.value) == f"{graph.path}: chapter 00_data: field 'research_questions' is empty"
    assert graph.research_questions_of("03_slb") == ("RQ3",)


def test_a_chapter_takes_its_parameters_from_the_notebook_namespace():
    namespace = {"students_path": "s.csv", "counsellors_path": "c.csv", "alpha": 0.01, "seed": 7, "n_boot": 50}
    assert sections.ChapterParams.of(namespace) == sections.ChapterParams("s.csv", "c.csv", alpha=0.01)
    with pytest.raises(TypeError, match="students_path"):
        sections.ChapterParams.of({"counsellors_path": "c.csv"})


def test_small_cells_counts_the_cells_below_min_cell(chapter):
    texts = sections.small_cells(chapter, "counsellors", "sector", "hogeschool", "cellen").texts
    counts = pd.crosstab(chapter.ctx.frame("counsellors")["sector"], chapter.ctx.frame("counsellors")["hogeschool"])
    assert int(texts["cellen_klein"]) == int((counts.to_numpy() < 10).sum())
    assert int(texts["cellen"]) >= int(texts["cellen_klein"])


def test_scale_facts_give_the_range_and_midpoint():
    assert sections.scale_facts("counsellors", "loopbaansucces").texts == {"schaal": "1 tot 4", "midden": "2,5"}


def test_distribution_suppresses_small_cells_and_draws_the_students(chapter):
    section = data_sections.distribution(chapter.data, "sector", 10, "Bijschrift", "Titel")
    (plot,), (table,) = section.figures, section.tables
    counts = chapter.data["students"]["sector"].value_counts()
    labels = load_codebook().variables("students")["sector"].values
    shown = {labels[int(code)]: n for code, n in counts.items() if n >= 10}
    assert dict(zip(plot.data.iloc[:, 0], plot.data["aantal studenten"])) == shown
    column = table.data["studenten"]
    assert all(value == suppression_marker(10) for label, value in zip(table.data.iloc[:, 0], column) if label not in shown)
    assert plot.alt.startswith("Staafdiagram van het aantal studenten per sector: ")


def test_data_files_name_the_seed_or_the_checksum(chapter):
    data = {p: frame.copy() for p, frame in chapter.data.items()}
    data["students"].attrs.update(synthetic=True, source="/tmp/students.csv")
    data["counsellors"].attrs.update(synthetic=False, source="/x/slb.sav", sha256="abc123")
    (table,) = data_sections.data_files(data, seed=7).tables
    assert list(table.data["herkomst"]) == ["synthetisch, seed 7", "eigen bestand, SHA-256 abc123"]
    assert list(table.data["bestand"]) == ["students.csv", "slb.sav"] and list(table.data["aantal"]) == [400, 150]


def test_reliability_has_one_row_per_scale_in_population_order(chapter):
    (table,) = data_sections.reliability(chapter.data, {"students": ["praktijkgericht"], "counsellors": ["draagvlak"]},
                                    seed=1, n_boot=10, caption="Bijschrift").tables
    codebook = load_codebook()
    assert list(table.data["schaal"]) == [codebook.scales("students")["praktijkgericht"].label_nl,
                                          codebook.scales("counsellors")["draagvlak"].label_nl]
    assert np.all((table.data["α"] > 0) & (table.data["α"] < 1))
