"""The RQ3 and RQ4 chapters execute on small simulated data, save every claim, and glue every key they cite."""

import json
import re

import jupytext
import pandas as pd
import papermill as pm
import pytest

from loopbaanleren.claims import load_registry
from loopbaanleren.pipeline import PROJECT_ROOT
from loopbaanleren.simulate import write_synthetic

CHAPTERS = {"03_slb": "RQ3", "04_samenwerking": "RQ4"}
GLUE_ROLE = re.compile(r"\{glue:text\}`([^`:]+)`")


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("rq34-data")
    write_synthetic(folder, 7, 800, 150)
    return folder


@pytest.mark.parametrize("name", CHAPTERS)
def test_chapter_executes_and_saves_its_claims(name, data_dir, tmp_path):
    source = jupytext.read(PROJECT_ROOT / "notebooks" / f"{name}.py")
    assert not any(cell.get("outputs") for cell in source.cells)
    notebook = tmp_path / f"{name}.ipynb"
    jupytext.write(source, notebook)
    results = tmp_path / "results"
    out = tmp_path / f"{name}_out.ipynb"
    pm.execute_notebook(
        notebook, out, kernel_name="python3", progress_bar=False,
        parameters={
            "students_path": str(data_dir / "students.csv"),
            "counsellors_path": str(data_dir / "counsellors.csv"),
            "results_dir": str(results),
        },
    )
    executed = json.loads(out.read_text(encoding="utf-8"))
    outputs = [output for cell in executed["cells"] for output in cell.get("outputs", [])]
    assert not [output for output in outputs if output["output_type"] == "error"]

    rq = CHAPTERS[name]
    saved = pd.read_csv(results / f"claims_{rq.lower()}.csv")
    assert sorted(saved["id"]) == sorted(claim.id for claim in load_registry().for_rq(rq))

    glued = {output["metadata"]["scrapbook"]["name"] for output in outputs if "scrapbook" in output.get("metadata", {})}
    cited = {key for cell in source.cells if cell.cell_type == "markdown" for key in GLUE_ROLE.findall(cell.source)}
    assert cited and cited <= glued, sorted(cited - glued)

    figures = [text for output in outputs for text in output.get("data", {}).get("text/markdown", []) if "![" in text]
    assert figures and all(re.match(r"!\[[^\]]{20,}\]\(data:image/png", text) for text in figures)
