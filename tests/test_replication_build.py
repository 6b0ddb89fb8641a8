"""A build for a replication: the comparison chapter (``--compare-with``) and the preregistration check."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from conftest import notebook_source
from rich.console import Console

from loopbaanleren.build.pipeline import build

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
        from loopbaanleren.book.report import save_result
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
    assert "bij 2 het oordeel" in page and f"{tmp_path.name}/vorige.csv" in page
    assert "[0,5000; 1,5000]" in page  # Dutch decimals on the page (the CSV keeps points)
    assert 'href="vergelijking.html"' in (layout.html / "90_claims.html").read_text(encoding="utf-8")  # in the toc
    assert f"Vergeleken met {tmp_path.name}/vorige.csv: 2 van de 3" in (layout.html / "colophon.html").read_text(encoding="utf-8")
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
    from loopbaanleren.build.replication_build import comparison_source

    assert comparison_source(None, own_data=True) == "published"
    assert comparison_source("vorige/claims.csv", own_data=True) == "vorige/claims.csv"
    assert comparison_source(None, own_data=False) is None


# ---------------------------------------------------------------------------------------------- preregistration

PREREGISTERED_LEDGER = notebook_source(
    "# Beweringen",
    """parameters:
    results_dir = ""
    alpha = 0.05
    preregistered = {}
    """,
    """
    from loopbaanleren.book import ledger
    from loopbaanleren.book import preregistered as preregistration
    from loopbaanleren.claims.evaluate import not_computable_row
    from loopbaanleren.data.registry import load_registry
    import pandas as pd
    rows = pd.DataFrame([not_computable_row(c, "niet berekend") for c in load_registry()])
    claims = preregistration.with_column(rows, preregistered)
    ledger.write_claims_csv(claims, results_dir)
    """,
)


@pytest.fixture(scope="module")
def preregistration_file(tmp_path_factory) -> Path:
    from loopbaanleren.build.preregistration import Sizes, make_preregistration, write_preregistration

    out = tmp_path_factory.mktemp("prereg")
    return write_preregistration(make_preregistration(Sizes(60, 30, 11)), out)[0]


def read_column(layout) -> dict[str, str]:
    with (layout.results / "claims.csv").open(encoding="utf-8") as fh:
        return {row["id"]: row["preregistered"] for row in csv.DictReader(fh)}


def test_a_build_as_preregistered_says_so_for_every_claim(make_project, preregistration_file):
    layout = make_project({"90_claims": PREREGISTERED_LEDGER})
    params = {"preregistration": str(preregistration_file), "n_students": 60, "n_counsellors": 30}
    record = build(params, layout, Console(quiet=True)).provenance
    column = read_column(layout)
    assert set(column.values()) == {"as preregistered"} and len(column) == record["preregistration"]["claims"]
    assert record["preregistration"]["deviations"] == []
    assert record["preregistration"]["sizes"]["n_students"] == {"planned": 60, "reached": 60, "met": True}
    colophon = (layout.html / "colophon.html").read_text(encoding="utf-8")
    assert "zijn geanalyseerd zoals gepreregistreerd; geen afwijkingen" in colophon


def test_a_changed_alpha_is_shown_as_a_deviation_and_the_book_is_built(make_project, preregistration_file):
    layout = make_project({"90_claims": PREREGISTERED_LEDGER})
    params = {"preregistration": str(preregistration_file), "n_students": 50, "n_counsellors": 30, "alpha": 0.01}
    record = build(params, layout, Console(quiet=True)).provenance
    assert all(v.startswith("deviation: ") and "α 0,01 in plaats van 0,05" in v for v in read_column(layout).values())
    deviations = json.loads((layout.results / "provenance.json").read_text())["preregistration"]["deviations"]
    assert "α is 0,01 in plaats van 0,05" in deviations and "n_students: 50 in plaats van de geplande 60" in deviations
    colophon = (layout.html / "colophon.html").read_text(encoding="utf-8")
    assert "α is 0,01 in plaats van 0,05" in colophon and "n_students: 50 in plaats van de geplande 60" in colophon
    assert record["preregistration"]["as_preregistered"] == 0


def test_the_ledger_shows_whether_each_claim_was_analysed_as_preregistered():
    import pandas as pd

    from loopbaanleren.book import ledger
    from loopbaanleren.book import preregistered as preregistration
    from loopbaanleren.data.registry import load_registry
    from loopbaanleren.claims.evaluate import not_computable_row

    claims = list(load_registry())[:3]
    rows = pd.DataFrame([not_computable_row(c, "x") for c in claims])
    status = {claims[0].id: "as preregistered", claims[1].id: "deviation: regel gewijzigd"}
    table = preregistration.with_column(rows, status)
    assert ledger.claims_csv(table)["preregistered"].to_list() == [
        "as preregistered", "deviation: regel gewijzigd", "deviation: niet gepreregistreerd"]
    shown = ledger.ledger_table(table, {})["gepreregistreerd"].to_list()
    assert shown == ["ja", "nee: regel gewijzigd", "nee: niet gepreregistreerd"]
    assert "preregistered" not in ledger.claims_csv(preregistration.with_column(rows, {}))


def test_a_preregistration_that_is_not_one_stops_before_anything_runs(make_project, tmp_path):
    from loopbaanleren.errors import ParameterError

    layout = make_project({"90_claims": PREREGISTERED_LEDGER})
    bad = tmp_path / "prereg.json"
    bad.write_text("{}", encoding="utf-8")
    with pytest.raises(ParameterError, match=r"preregistration: not a valid preregistration:\n.*prereg\.json"):
        build({"preregistration": str(bad)}, layout, Console(quiet=True))
    assert not layout.html.exists()
