"""The RQ1 and RQ2 chapters execute on small simulated data, glue every key they cite and save every claim."""

import re

import jupytext
import nbformat
import pandas as pd
import papermill
import pytest

from loopbaanleren.claims import load_registry
from loopbaanleren.pipeline import PROJECT_ROOT

GLUE_REFERENCE = re.compile(r"\{glue:text\}`([^`:]+)`")
FIGURE = re.compile(r"!\[([^\]]*)\]\(data:image/png;base64,")


@pytest.mark.parametrize(("notebook", "rq"), [("01_leeromgeving", "RQ1"), ("02_gesprekken", "RQ2")])
def test_chapter_executes_and_saves_every_claim(notebook, rq, small_data, tmp_path):
    source = jupytext.read(PROJECT_ROOT / "notebooks" / f"{notebook}.py")
    unexecuted = tmp_path / f"{notebook}.ipynb"
    nbformat.write(source, unexecuted)
    results = tmp_path / "results"
    executed = papermill.execute_notebook(
        str(unexecuted),
        str(tmp_path / f"{notebook}_out.ipynb"),
        parameters={
            "students_path": str(small_data["students"]),
            "counsellors_path": str(small_data["counsellors"]),
            "results_dir": str(results),
            "min_cell": 10,
            "n_boot": 20,
        },
        kernel_name="python3",
        progress_bar=False,
    )
    outputs = [output for cell in executed.cells for output in cell.get("outputs", [])]
    assert not [output for output in outputs if output.get("output_type") == "error"]

    saved = pd.read_csv(results / f"claims_{rq.lower()}.csv")
    assert list(saved["id"]) == [claim.id for claim in load_registry().for_rq(rq)]

    names = [output["metadata"]["scrapbook"]["name"] for output in outputs if "scrapbook" in output.get("metadata", {})]
    glued = set(names)
    assert len(glued) == len(names), "a glue key is glued twice"
    markdown = [cell.source for cell in source.cells if cell.cell_type == "markdown"]
    cited = {key for text in markdown for key in GLUE_REFERENCE.findall(text)}
    assert cited and not cited - glued, f"cited but never glued: {sorted(cited - glued)}"
    assert all(f"{claim_id}_oordeel" in glued for claim_id in saved["id"])

    shown = ["".join(output.get("data", {}).get("text/markdown", "")) for output in outputs]
    alts = [alt for text in shown for alt in FIGURE.findall(text)]
    assert len(alts) >= 5 and all(alt.strip() for alt in alts)
