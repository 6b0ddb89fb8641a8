"""The RQ5 and RQ6 chapters execute on small simulated data, save every claim and glue every number they cite."""

import re

import jupytext
import nbformat
import pandas as pd
import papermill
import pytest

from loopbaanleren.claims import load_registry
from loopbaanleren.pipeline import KERNEL, PROJECT_ROOT

GLUE_REFERENCE = re.compile(r"\{glue:text\}`([^`:]+)`")
FIGURE = re.compile(r"!\[([^\]]*)\]\(data:image/png;base64,")


@pytest.mark.parametrize(("name", "rq", "n_figures"), [("05_competenties", "RQ5", 4), ("06_uitkomsten", "RQ6", 4)])
def test_chapter_executes_and_saves_one_row_per_claim(name, rq, n_figures, small_data, tmp_path, monkeypatch):
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "1")  # BLAS threads would compete with the pytest-xdist workers
    source = jupytext.read(PROJECT_ROOT / "notebooks" / f"{name}.py")
    source.metadata["kernelspec"] = {"name": KERNEL, "display_name": "Python 3", "language": "python"}
    nbformat.write(source, tmp_path / "in.ipynb")
    results_dir = tmp_path / "results"
    papermill.execute_notebook(
        tmp_path / "in.ipynb",
        tmp_path / "out.ipynb",
        parameters={
            "students_path": str(small_data["students"]),
            "counsellors_path": str(small_data["counsellors"]),
            "results_dir": str(results_dir),
        },
        kernel_name=KERNEL,
        progress_bar=False,
    )
    executed = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    outputs = [output for cell in executed.cells for output in cell.get("outputs", [])]
    assert not [output for output in outputs if output.get("output_type") == "error"]

    saved = pd.read_csv(results_dir / f"claims_{rq.lower()}.csv")
    assert sorted(saved["id"]) == sorted(claim.id for claim in load_registry().for_rq(rq))

    glued = {output["metadata"]["scrapbook"]["name"] for output in outputs if "scrapbook" in output.get("metadata", {})}
    markdown = "\n".join(cell.source for cell in executed.cells if cell.cell_type == "markdown")
    cited = set(GLUE_REFERENCE.findall(markdown))
    assert cited and not cited - glued, f"cited but not glued: {sorted(cited - glued)}"

    figures = [alt for output in outputs for alt in FIGURE.findall(output.get("data", {}).get("text/markdown", ""))]
    assert len(figures) == n_figures and all(alt.strip() for alt in figures)
