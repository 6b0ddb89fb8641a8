"""A build for a replication: the comparison chapter (``--compare-with``) and the preregistration check."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from conftest import notebook_source
from rich.console import Console

from loopbaanleren.pipeline import build

LEDGER_ROWS = {  # id: (verdict in this build, verdict in the other ledger)
    "rq1_s_pg_onder": ("reproduced", "undecided"),
    "rq1_s_vg_onder": ("reproduced", "reproduced"),
    "rq2_s_gesprek": ("not_reproduced", "reproduced"),
}
COLUMNS = ["id", "claim_nl", "verdict", "estimate", "ci_low", "ci_high"]


def ledger_notebook() -> str:
    """A chapter that writes a hand-made ledger (claims.csv) into the results, as the ledger chapter does."""
    rows = [[claim, "", ours, "1.0000", "0.5000", "1.5000"] for claim, (ours, _) in LEDGER_ROWS.items()]
    return notebook_source(
        "# Beweringen",
        """parameters:
        results_dir = ""
        """,
        f"""
        import pandas as pd
        from loopbaanleren.report import save_result
        save_result(pd.DataFrame({rows!r}, columns={COLUMNS!r}), "claims", results_dir)
        """,
    )


def write_other(path: Path) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        writer.writerows([[claim, "", other, "2.0000", "", ""] for claim, (_, other) in LEDGER_ROWS.items()])
    return path


def test_compare_with_adds_the_comparison_chapter(make_project, tmp_path):
    layout = make_project({"90_claims": ledger_notebook()})
    other = write_other(tmp_path / "vorige.csv")
    record = build({"compare_with": str(other), "n_students": 60, "n_counsellors": 30}, layout, Console(quiet=True)).provenance
    changed = [claim for claim, (ours, theirs) in LEDGER_ROWS.items() if ours != theirs]
    assert record["comparison"]["changed_ids"] == changed
    assert json.loads((layout.results / "provenance.json").read_text())["comparison"]["changed"] == len(changed)
    page = (layout.html / "vergelijking.html").read_text(encoding="utf-8")
    assert "bij 2 het oordeel" in page and "vorige.csv" in page
    assert 'href="vergelijking.html"' in (layout.html / "90_claims.html").read_text(encoding="utf-8")  # in the toc
    assert "Vergeleken met vorige.csv: 2 van de 3" in (layout.html / "colophon.html").read_text(encoding="utf-8")
    with (layout.results / "vergelijking.csv").open(encoding="utf-8") as fh:
        assert [r["id"] for r in csv.DictReader(fh) if r["changed"] == "true"] == changed


def test_a_compare_with_that_is_not_a_ledger_stops_before_anything_runs(make_project, tmp_path):
    from loopbaanleren.errors import ParameterError

    layout = make_project({"90_claims": ledger_notebook()})
    bad = tmp_path / "geen.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(ParameterError, match="compare_with: .*geen.csv: not a claims ledger"):
        build({"compare_with": str(bad)}, layout, Console(quiet=True))
    assert not layout.html.exists()


def test_own_data_are_compared_with_the_published_values_unless_another_ledger_is_named():
    from loopbaanleren.replication_build import comparison_source

    assert comparison_source(None, own_data=True) == "published"
    assert comparison_source("vorige/claims.csv", own_data=True) == "vorige/claims.csv"
    assert comparison_source(None, own_data=False) is None
