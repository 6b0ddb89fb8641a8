"""Helpers for the tests of the claims ledger and the front page: data, chapter results, the ledger notebook."""

from __future__ import annotations

import csv
from pathlib import Path

import jupytext
import nbformat
import papermill
from bs4 import BeautifulSoup
from conftest import PROJECT_ROOT

from loopbaanleren.book.chapter_claims import evaluate_chapter, load_survey_data
from loopbaanleren.claims.context import Context
from loopbaanleren.data.survey_files import write_survey
from loopbaanleren.data.synthetic_segments import write_synthetic_segments
from loopbaanleren.data.simulation import simulate

SURVEY_RQS = ("RQ1", "RQ2", "RQ3", "RQ4", "RQ5", "RQ6")
LEDGER = PROJECT_ROOT / "notebooks" / "90_claims.py"
RECORD = "application/papermill.record/"


def write_data(folder: Path, seed: int = 2026, params: dict | None = None, synthetic: bool = True, **sizes) -> dict:
    """Simulated survey files and coded interviews in ``folder``; ``synthetic=False`` writes the survey files as
    the user's own data would be."""
    paths = {}
    for population, frame in simulate(seed, params=params, **sizes).items():
        paths[population] = folder / f"{population}.csv"
        write_survey(frame, paths[population], population, synthetic=synthetic)
    paths["interviews"] = write_synthetic_segments(folder / "interviews_synthetic.csv", seed)
    return paths


def chapter_results(paths: dict, results_dir: Path) -> None:
    """What the research-question chapters leave in the results folder: ``claims_<rq>.csv`` per question."""
    data = load_survey_data(paths["students"], paths["counsellors"])
    evaluate_chapter(Context(data, 0.05, 10), SURVEY_RQS, results_dir)


def run_ledger(paths: dict, results_dir: Path, work: Path) -> dict[str, dict]:
    """Execute the ledger notebook on the data and results folder; return its glued values by key (mime -> data)."""
    source, executed = work / "90_claims.ipynb", work / "90_claims_out.ipynb"
    nbformat.write(jupytext.read(LEDGER), source)
    papermill.execute_notebook(
        str(source), str(executed), kernel_name="python3", progress_bar=False, cwd=str(work),
        parameters={"students_path": str(paths["students"]), "counsellors_path": str(paths["counsellors"]),
                    "interviews_path": str(paths["interviews"]), "results_dir": str(results_dir),
                    "notebooks_dir": str(LEDGER.parent)},
    )
    glued = {}
    for cell in nbformat.read(executed, as_version=4).cells:
        for output in cell.get("outputs", []):
            name = output.get("metadata", {}).get("scrapbook", {}).get("name")
            if name:
                glued[name] = {mime.removeprefix(RECORD): value for mime, value in output["data"].items()}
    return glued


def read_claims(results_dir: Path) -> list[dict]:
    with (results_dir / "claims.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def front_page_html(glued: dict) -> BeautifulSoup:
    """All front-page blocks the ledger glued, as one parsed document."""
    blocks = [value["text/html"] for key, value in glued.items() if key.startswith("samenvatting_")]
    return BeautifulSoup("\n".join(blocks), "html.parser")


def marked(soup: BeautifulSoup, verdict: str) -> set[str]:
    """The claims the page's verdict marks put under ``verdict`` (reproduced, not_reproduced, not_computable)."""
    attribute = "data-" + verdict.replace("_", "-")
    return {claim for tag in soup.select(f"[{attribute}]") for claim in tag[attribute].split()}
