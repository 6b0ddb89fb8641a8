"""The chapter Robuustheid executes on small simulated data, saves the robustness per claim and glues its text."""

import re

import jupytext
import nbformat
import pandas as pd
import papermill

from loopbaanleren.claims import load_registry
from loopbaanleren.pipeline import KERNEL, PROJECT_ROOT

GLUE_REFERENCE = re.compile(r"\{glue:text\}`([^`:]+)`")
FIGURE = re.compile(r"!\[([^\]]*)\]\(data:image/png;base64,")


def test_chapter_executes_and_saves_the_robustness_of_every_survey_claim(small_data, tmp_path, monkeypatch):
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "1")
    source = jupytext.read(PROJECT_ROOT / "notebooks" / "92_robuustheid.py")
    source.metadata["kernelspec"] = {"name": KERNEL, "display_name": "Python 3", "language": "python"}
    nbformat.write(source, tmp_path / "in.ipynb")
    results_dir = tmp_path / "results"
    papermill.execute_notebook(
        tmp_path / "in.ipynb", tmp_path / "out.ipynb",
        parameters={"students_path": str(small_data["students"]), "counsellors_path": str(small_data["counsellors"]),
                    "results_dir": str(results_dir)},
        kernel_name=KERNEL, progress_bar=False,
    )
    executed = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    outputs = [output for cell in executed.cells for output in cell.get("outputs", [])]
    assert not [output for output in outputs if output.get("output_type") == "error"]

    saved = pd.read_csv(results_dir / "robustness.csv")
    survey = [c.id for c in load_registry() if c.rq != "KWAL"]
    assert saved["id"].tolist() == survey
    assert saved["robustness"].between(0, 1).all() and (saved["specifications"] >= 1).all()

    glued = {output["metadata"]["scrapbook"]["name"] for output in outputs if "scrapbook" in output.get("metadata", {})}
    cited = {key for cell in executed.cells if cell.cell_type == "markdown" for key in GLUE_REFERENCE.findall(cell.source)}
    assert cited <= glued
    figures = [m for output in outputs for m in FIGURE.findall(str(output.get("data", {}).get("text/markdown", "")))]
    assert len(figures) == 1 and figures[0]
