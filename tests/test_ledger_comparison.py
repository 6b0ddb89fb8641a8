"""Comparing two claims ledgers: hand-made ledgers with known changes, and the default against the null scenario."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from build_helpers import run_cli

from loopbaanleren.book.claim_text import with_text
from loopbaanleren.claims.context import Context
from loopbaanleren.book import ledger, ledger_comparison
from loopbaanleren.data.registry import load_registry
from loopbaanleren.errors import ParameterError
from loopbaanleren.claims.evaluate import evaluate_claims
from loopbaanleren.robustness.planner import as_read, planned_claims
from loopbaanleren.data.simulation import simulate

HEADER = ["id", "claim_nl", "verdict", "estimate", "ci_low", "ci_high", "p_adjusted"]


def write_ledger(path: Path, rows: list[list[str]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


@pytest.fixture
def two_ledgers(tmp_path) -> tuple[Path, Path]:
    """A and B: rq1_s_pg_onder flips to not reproduced, rq2_x only in A, extra only in B, the rest unchanged."""
    a = write_ledger(tmp_path / "a" / "claims.csv", [
        ["rq1_s_pg_onder", "Zin 1", "reproduced", "2.9000", "2.8000", "3.0000", ""],
        ["rq1_s_vg_onder", "Zin 2", "undecided", "3.1000", "2.9000", "3.3000", ""],
        ["rq2_x", "Weg in B", "reproduced", "0.5000", "0.4000", "0.6000", "0.0100"],
    ])
    b = write_ledger(tmp_path / "b.csv", [
        ["rq1_s_pg_onder", "Zin 1", "not_reproduced", "3.4000", "3.3000", "3.5000", ""],
        ["rq1_s_vg_onder", "Zin 2", "undecided", "3.0000", "2.8000", "3.2000", ""],
        ["extra", "Alleen in B", "reproduced", "1.0000", "", "", ""],
    ])
    return a.parent, b  # a results folder and a file


def test_hand_made_ledgers_give_the_known_changed_ids(two_ledgers):
    a, b = two_ledgers
    table = ledger_comparison.compare_ledgers(ledger_comparison.read_ledger(a), ledger_comparison.read_ledger(b))
    assert table["id"].to_list() == ["rq1_s_pg_onder", "rq1_s_vg_onder", "rq2_x", "extra"]
    assert table.loc[table["changed"], "id"].to_list() == ["rq1_s_pg_onder", "rq2_x", "extra"]
    first = table.iloc[0]
    assert (first["verdict_a"], first["estimate_a"], first["ci_high_b"]) == ("reproduced", "2.9000", "3.5000")
    assert table.set_index("id").loc["rq2_x", "verdict_b"] == "absent"
    # a registry claim is labelled by what it is about, a claim the registry does not know by its sentence
    assert table.set_index("id").loc["extra", "label"] == "Alleen in B"
    assert table.iloc[0]["label"] not in ("", "Zin 1")


def test_the_command_prints_the_summary_and_writes_csv_and_markdown(two_ledgers, tmp_path):
    a, b = two_ledgers
    done = run_cli("compare", a, b, "--out", tmp_path / "out")
    assert done.returncode == 0, done.stderr
    assert "4 claims compared" in done.stdout and "3 verdicts changed" in done.stdout
    assert "changed: rq1_s_pg_onder, rq2_x, extra" in done.stdout
    assert "reproduced -> not_reproduced: 1" in done.stdout
    with (tmp_path / "out" / "vergelijking.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["id"] for r in rows if r["changed"] == "true"] == ["rq1_s_pg_onder", "rq2_x", "extra"]
    md = (tmp_path / "out" / "vergelijking.md").read_text(encoding="utf-8")
    assert "| rq1\\_s\\_pg\\_onder |" in md and "niet gereproduceerd" in md


def test_user_text_stays_text_in_the_markdown(tmp_path):
    a = write_ledger(tmp_path / "a.csv", [["x", "*vet* <b>en</b> | `code`", "reproduced", "1", "", "", ""]])
    md = ledger_comparison.markdown(ledger_comparison.compare_ledgers(*map(ledger_comparison.read_ledger, (a, a))))
    assert "\\*vet\\* \\<b\\>en\\</b\\> \\| \\`code\\`" in md


def test_a_file_that_is_not_a_ledger_is_named_with_what_it_lacks(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("id,verdict\nx,reproduced\n", encoding="utf-8")
    with pytest.raises(ParameterError, match=r"bad\.csv: not a claims ledger \(missing columns estimate, ci_low, ci_high\)"):
        ledger_comparison.read_ledger(bad)
    done = run_cli("compare", bad, tmp_path / "nowhere")
    assert done.returncode == 2 and "Traceback" not in done.stderr and "bad.csv" in done.stderr


def test_published_values_are_every_registry_claim_as_reproduced_with_its_number():
    published = ledger_comparison.read_ledger("published").table
    registry = list(load_registry())
    assert published["id"].to_list() == [c.id for c in registry]
    assert set(published["verdict"]) == {"reproduced"}
    first_numeric = next(c for c in registry if isinstance(c.published, float))
    assert float(published.set_index("id").loc[first_numeric.id, "estimate"]) == pytest.approx(first_numeric.published)


@pytest.fixture(scope="module")
def scenario_ledgers(tmp_path_factory) -> dict[str, Path]:
    """The survey claims' ledgers of one simulated data set (600 students, 150 counsellors) per scenario."""
    folder = tmp_path_factory.mktemp("scenarios")
    paths = {}
    for scenario in ("default", "null"):
        data = {p: as_read(frame, p) for p, frame in simulate(2026, 600, 150, scenario=scenario).items()}
        table = ledger.claims_csv(ledger.collect(with_text(evaluate_claims(Context(data), planned_claims()))))
        paths[scenario] = folder / scenario / "claims.csv"
        paths[scenario].parent.mkdir()
        table.to_csv(paths[scenario], index=False)
    return paths


def test_default_against_null_lists_the_flipped_claims(scenario_ledgers):
    with scenario_ledgers["default"].open(encoding="utf-8") as fh:
        default = {row["id"]: row["verdict"] for row in csv.DictReader(fh)}
    with scenario_ledgers["null"].open(encoding="utf-8") as fh:
        null = {row["id"]: row["verdict"] for row in csv.DictReader(fh)}
    table = ledger_comparison.compare_ledgers(*map(ledger_comparison.read_ledger, scenario_ledgers.values()))
    flipped = [claim for claim in default if default[claim] != null[claim]]
    assert table.loc[table["changed"], "id"].to_list() == flipped
    # the negative control moves the claims: most claims reproduced on the calibrated model are not on the null one
    reproduced = [claim for claim, verdict in default.items() if verdict == "reproduced"]
    assert sum(null[claim] != "reproduced" for claim in reproduced) > 0.9 * len(reproduced)
    moves = ledger_comparison.transitions(table)
    assert moves[("reproduced", "not_reproduced")] + moves[("reproduced", "undecided")] >= 0.9 * len(reproduced)
    assert ("not_computable", "reproduced") not in moves  # what cannot be computed stays so on the same design


def test_the_csv_neutralises_formulas_in_a_ledgers_text_and_keeps_numbers(tmp_path):
    a = write_ledger(tmp_path / "a.csv", [["x", "=HYPERLINK(\"http://e\")", "reproduced", "-0.2500", "", "", ""]])
    comparison = ledger_comparison.compare_ledgers(*map(ledger_comparison.read_ledger, (a, a)))
    written, _ = ledger_comparison.write_comparison(comparison, tmp_path / "out")
    rows = list(csv.DictReader(written.open(encoding="utf-8")))
    cells = [value for row in rows for value in row.values()]
    assert not any(value.startswith(("=", "+", "@")) for value in cells)
    assert any(value.startswith("'=HYPERLINK") for value in cells)
    assert "-0.25" in {value.rstrip("0") for value in cells}  # a number stays a number
