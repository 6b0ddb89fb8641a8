"""Every chapter of the shared end-to-end build ran without an error, saved its claims and glued each one's
outcome, glued every key its text cites (each once) and shows its figures with an alternative text."""

import ast
import re

import jupytext
import pandas as pd
import pytest
from ledger_helpers import RECORD
from conftest import PROJECT_ROOT

from loopbaanleren.data.registry import load_registry
from loopbaanleren.book.formatting import MISSING, fmt_p
from loopbaanleren.book.chapter_graph import chapter_graph
from loopbaanleren.book.verdict_text import VERDICT_NL

GLUE_REFERENCE = re.compile(r"\{glue:text\}`([^`:]+)`")
FIGURE = re.compile(r'<img src="data:image/png;base64,[^"]+" alt="([^"]*)"')
CHAPTERS = chapter_graph(PROJECT_ROOT / "notebooks").by_research_question()
RQ = {chapter: rq for rq, chapter in CHAPTERS.items()}
FIGURES = {"00_data": 1, "01_leeromgeving": 5, "02_gesprekken": 5, "03_slb": 1, "04_samenwerking": 1,
           "05_competenties": 4, "06_uitkomsten": 4, "91_herhaalbaarheid": 1, "92_robuustheid": 1}
"""The least number of figures each chapter shows on the shared end-to-end data."""
CHAPTER_NAMES = sorted(p.stem for p in (PROJECT_ROOT / "notebooks").glob("[0-9][0-9]_*.py"))


def _outputs(notebook: dict) -> list[dict]:
    return [output for cell in notebook["cells"] for output in cell.get("outputs", [])]


def _text(output: dict, kind: str) -> str:
    value = output.get("data", {}).get(kind, "")
    return "".join(value) if isinstance(value, list) else value


@pytest.mark.parametrize("name", CHAPTER_NAMES)
def test_chapter_ran_glued_what_it_cites_and_shows_its_figures(name, built_book):
    outputs = _outputs(built_book.executed(name))
    assert not [o for o in outputs if o.get("output_type") == "error"]

    names = [o["metadata"]["scrapbook"]["name"] for o in outputs if "scrapbook" in o.get("metadata", {})]
    assert len(set(names)) == len(names), "a glue key is glued twice"
    source = jupytext.read(PROJECT_ROOT / "notebooks" / f"{name}.py")
    assert not any(cell.get("outputs") for cell in source.cells), "notebooks are stored without outputs"
    cited = {key for cell in source.cells if cell.cell_type == "markdown" for key in GLUE_REFERENCE.findall(cell.source)}
    assert not cited - set(names), f"cited but never glued: {sorted(cited - set(names))}"

    alts = [alt for o in outputs for alt in FIGURE.findall(_text(o, "text/html"))]
    assert len(alts) >= FIGURES.get(name, 0) and all(len(alt.strip()) >= 20 for alt in alts), alts


@pytest.mark.parametrize("rq", [rq for rq in CHAPTERS if rq != "KWAL"])
def test_chapter_saved_every_claim_of_its_question_with_its_outcome_glued(rq, built_book):
    saved = pd.read_csv(built_book.results / f"claims_{rq.lower()}.csv")
    assert sorted(saved["id"]) == sorted(claim.id for claim in load_registry().for_rq(rq))
    outputs = _outputs(built_book.executed(CHAPTERS[rq]))
    glued = {o["metadata"]["scrapbook"]["name"]: _text(o, RECORD + "text/plain")
             for o in outputs if "scrapbook" in o.get("metadata", {})}
    for row in saved.itertuples(index=False):
        # "value [interval]; p; verdict", without the parts the claim does not have
        parts = ast.literal_eval(glued[f"{row.id}_uitslag"]).split("; ")
        assert parts[-1] == VERDICT_NL[row.verdict], (row.id, parts)
        assert (fmt_p(row.p_adjusted) in parts) == pd.notna(row.p_adjusted), (row.id, parts)
        assert MISSING not in parts, (row.id, parts)


def test_robustness_chapter_saved_every_survey_claim(built_book):
    saved = pd.read_csv(built_book.results / "robustness.csv")
    assert saved["id"].tolist() == [c.id for c in load_registry() if c.rq != "KWAL"]
    assert saved["robustness"].between(0, 1).all() and (saved["specifications"] >= 1).all()
