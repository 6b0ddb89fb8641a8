"""The replication planner: operating characteristics, seeds, the inner loop, executors, parameters."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from typer.testing import CliRunner

from loopbaanleren.claims.context import Context
from loopbaanleren.robustness import planner
from loopbaanleren.data.registry import load_registry
from loopbaanleren.build.cli import app
from loopbaanleren.build.executor import make_executor
from loopbaanleren.claims.evaluate import evaluate_claims
from loopbaanleren.claims.verdicts import VERDICTS
from loopbaanleren.errors import ParameterError
from loopbaanleren.data.simulation import simulate
from loopbaanleren.data.validation import Report, convert


def _tasks(sizes, replications):
    return [
        planner.Task(i, "calibrated", s, c, r, r)
        for i, ((s, c), r) in enumerate((size, r) for size in sizes for r in range(replications))
    ]


def test_operating_characteristics_shares_and_mc_se():
    claims = list(load_registry())[:3]
    tasks = _tasks([(100, 50), (400, 50)], 5)
    pattern = {  # per size: the verdicts of each claim over the 5 replications
        (100, 50): [["reproduced"] * 5, ["reproduced", "undecided", "not_reproduced", "reproduced", "undecided"], ["not_computable"] * 5],
        (400, 50): [["reproduced", "reproduced", "reproduced", "reproduced", "undecided"], ["not_reproduced"] * 5,
                    ["undecided", "error", "undecided", "not_computable", "error"]],
    }
    verdicts = {t.index: tuple(pattern[(t.n_students, t.n_counsellors)][j][t.replication] for j in range(3)) for t in tasks}
    table = planner.operating_characteristics(tasks, verdicts, claims)
    assert len(table) == 6
    share_columns = [f"share_{v}" for v in VERDICTS]
    np.testing.assert_allclose(table[share_columns].sum(axis=1), 1.0)
    row = table[(table["claim"] == claims[1].id) & (table["n_students"] == 100)].iloc[0]
    for verdict, count in {"reproduced": 2, "undecided": 2, "not_reproduced": 1}.items():
        if verdict in VERDICTS:
            assert row[f"share_{verdict}"] == pytest.approx(count / 5)
            # Monte Carlo SE of a share: the binomial standard deviation of the count, divided by R
            assert row[f"se_{verdict}"] == pytest.approx(stats.binom(5, count / 5).std() / 5)
    first = table[(table["claim"] == claims[0].id) & (table["n_students"] == 400)].iloc[0]
    assert first["share_reproduced"] == pytest.approx(0.8) and first["se_reproduced"] == pytest.approx(np.sqrt(0.8 * 0.2 / 5))
    assert set(table["replications"]) == {5}
    third = table[(table["claim"] == claims[2].id) & (table["n_students"] == 400)].iloc[0]
    assert third["evaluator_errors"] == 2 and third["share_not_computable"] == pytest.approx(3 / 5)


def test_replication_seed_is_the_spawned_child():
    children = np.random.SeedSequence(7).spawn(5)
    expected = [int(c.generate_state(1, np.uint64)[0]) for c in children]
    assert [planner.replication_seed(7, r) for r in range(5)] == expected
    assert len(set(expected)) == 5


def test_as_read_equals_the_reader():
    for population, raw in simulate(5, 300, 60).items():
        read = convert(raw, population, Report("simulated"))
        ours = planner.as_read(raw, population)
        numeric = list(read.columns[1:])
        pd.testing.assert_frame_equal(ours[numeric], read[numeric])
        assert list(ours.iloc[:, 0]) == list(read.iloc[:, 0])


def test_a_replication_gets_the_verdicts_of_the_book(small_data):
    from loopbaanleren.book.chapter_claims import load_survey_data

    data = load_survey_data(small_data["students"], small_data["counsellors"])
    book = evaluate_claims(Context(data), planner.planned_claims())
    assert planner.evaluate_replication(data) == tuple(book["verdict"])


def _plan(tmp_path, name, **kwargs):
    plan = planner.check_plan("40", "30", replications=2, seed=11, scenario="both", out=tmp_path / name, **kwargs)
    with make_executor(plan.jobs, plan.scheduler) as executor:
        table = planner.run_plan(plan, executor)
    return planner.write_result(table, planner.metadata(plan), plan.out).read_bytes()


def test_same_bytes_on_one_process_and_on_a_dask_cluster(tmp_path):
    from distributed import LocalCluster

    single = _plan(tmp_path, "single", jobs=1)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        distributed = _plan(tmp_path, "cluster", scheduler=cluster.scheduler_address)
    assert distributed == single
    assert _plan(tmp_path, "local", jobs=2) == single
    assert (tmp_path / "cluster" / "operating_characteristics.json").read_bytes() == (
        tmp_path / "single" / "operating_characteristics.json"
    ).read_bytes()
    table = planner.load_result(tmp_path / "single").table
    assert len(table) == len(planner.planned_claims()) * table["scenario"].nunique()
    np.testing.assert_allclose(table[[f"share_{v}" for v in VERDICTS]].sum(axis=1), 1.0, atol=1e-6)


def test_bad_parameters_one_line_each_exit_2(tmp_path):
    (tmp_path / "file").write_text("x")
    result = CliRunner().invoke(
        app,
        ["plan", "--n-students", "600,abc,5", "--n-counsellors", "50,60", "--replications", "0", "--seed", "-1",
         "--scenario", "sometimes", "--jobs", "0", "--scheduler", "not an address", "--out", str(tmp_path / "file"),
         "--hogescholen", "12"],
    )
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    expected = [
        "--n-students: expected whole numbers separated by commas, got 'abc' in '600,abc,5'",
        f"--n-students: every value must be at least {planner.MIN_SIZE}, got 5",
        "--replications: must be a whole number of at least 1, got 0",
        "--seed: must be a whole number of at least 0, got -1",
        "--scenario: choose one of calibrated, null, both, got 'sometimes'",
        "--jobs: must be a whole number of at least 1, got 0",
        "--scheduler: expected a Dask scheduler address like tcp://host:8786, got 'not an address'",
        "--jobs and --scheduler: give one of them (the cluster decides how many workers run)",
        "--hogescholen: a sample takes between 2 and 11 whole hogescholen, got 12",
        f"--out: {tmp_path / 'file'} exists and is not a folder",
    ]
    assert lines[0] == "error: " + expected[0]
    assert lines[1:] == expected[1:]


def test_sizes_are_paired_and_a_single_value_is_recycled():
    plan = planner.check_plan("600,1200,4820", "371", replications=3, scenario="calibrated")
    assert [(s.n_students, s.n_counsellors) for s in plan.sizes] == [(600, 371), (1200, 371), (4820, 371)]
    assert [(t.n_students, t.replication) for t in plan.tasks()] == [(s, r) for s in (600, 1200, 4820) for r in range(3)]
    with pytest.raises(ParameterError, match="paired by position"):
        planner.check_plan("600,1200,4820", "50,371", scenario="calibrated")


def test_each_replication_is_a_cluster_sample_of_k_hogescholen(monkeypatch):
    plan = planner.check_plan("600", "50", replications=2, scenario="calibrated", hogescholen=4)
    assert {t.hogescholen for t in plan.tasks()} == {4} and planner.metadata(plan)["hogescholen"] == 4
    assert planner.check_plan("600", "50", replications=2, scenario="calibrated").hogescholen == 11
    drawn = {}

    def evaluate(data, alpha, min_cell):
        drawn.update({pop: frame for pop, frame in data.items()})
        return ()

    monkeypatch.setattr(planner, "evaluate_replication", evaluate)
    task = plan.tasks()[1]
    planner.run_task(task)
    schools = set(drawn["students"]["hogeschool"])
    assert len(schools) == 4 and set(drawn["counsellors"]["hogeschool"]) <= schools
    planner.run_task(plan.tasks()[0])
    assert set(drawn["students"]["hogeschool"]) != schools  # another replication, other hogescholen


def test_power_interpolation_and_size_for_power():
    curve = pd.DataFrame({"n": [100.0, 1000.0, 10000.0], "power": [0.1, 0.6, 0.9]})
    # log-linear between 1000 (0.6) and 10000 (0.9): 0.8 is reached at 10 ** (3 + 2/3)
    needed, how = planner.size_for_power(curve, 0.8)
    assert how == "interpolated" and needed == pytest.approx(10 ** (3 + 2 / 3))
    assert planner.interpolate_power(curve, 10 ** 2.5) == pytest.approx(0.35)
    assert planner.interpolate_power(curve, 50) == pytest.approx(0.1)  # held constant beyond the sizes
    assert planner.size_for_power(curve, 0.95) == (None, "beyond")
    assert planner.size_for_power(curve, 0.05) == (100.0, "at_most")


def test_a_failing_evaluator_costs_only_its_own_claim(small_data, monkeypatch):
    from loopbaanleren.claims import evaluate
    from loopbaanleren.book.chapter_claims import load_survey_data

    data = load_survey_data(small_data["students"], small_data["counsellors"])
    claims = planner.planned_claims()
    failing = next(c for c in claims if c.kind == "mean")

    def broken(claim, ctx):
        raise ValueError("min() arg is an empty sequence")

    monkeypatch.setitem(evaluate.EVALUATORS, "mean", broken)
    found = planner.evaluate_replication(data)
    expected = evaluate_claims(Context(data), [c for c in claims if c.kind != "mean"])["verdict"]
    assert [v for c, v in zip(claims, found) if c.kind == "mean"] == [planner.ERROR] * sum(c.kind == "mean" for c in claims)
    assert [v for c, v in zip(claims, found) if c.kind != "mean"] == list(expected)
    assert failing.id in {c.id for c, v in zip(claims, found) if v == planner.ERROR}
