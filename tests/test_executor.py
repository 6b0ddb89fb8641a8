"""The executor service, and builds whose notebooks run in parallel or on a Dask cluster."""

from __future__ import annotations

import json
import os
import time

import nbformat
import pytest
from conftest import notebook_source
from rich.console import Console

from loopbaanleren.errors import ParameterError
from loopbaanleren.build.executor import (
    THREAD_VARIABLES,
    LocalExecutor,
    SerialExecutor,
    default_jobs,
    make_executor,
    run_tasks,
)
from loopbaanleren.build.param_check import check
from loopbaanleren.build.layout import copy_sources
from loopbaanleren.build.pipeline import build

SMALL = {"n_students": 60, "n_counsellors": 30}


def slow_square(x: float) -> float:
    time.sleep(0.3 if x == 1 else 0.0)  # the first task finishes last
    return x * x


def blas_threads(_) -> list[tuple[str, int]]:
    """The BLAS libraries loaded and their threads, once NumPy and SciPy's linear algebra are imported."""
    import numpy  # noqa: F401
    import scipy.linalg  # noqa: F401
    from threadpoolctl import threadpool_info

    return sorted({(pool["filepath"], pool["num_threads"]) for pool in threadpool_info() if pool["user_api"] == "blas"})


def fail_on_two(x: int) -> int:
    if x == 2:
        raise ValueError("two")
    return x


def test_results_come_back_in_input_order():
    tasks = [1, 2, 3, 4]
    assert run_tasks(slow_square, tasks, SerialExecutor()) == [1, 4, 9, 16]
    with make_executor(jobs=2) as executor:
        assert isinstance(executor, LocalExecutor)
        assert executor.map(slow_square, tasks) == [1, 4, 9, 16]
        assert executor.map(slow_square, []) == []


def test_a_failing_task_raises_and_shutdown_stops_the_workers():
    executor = make_executor(jobs=2)
    with pytest.raises(ValueError, match="two"):
        executor.map(fail_on_two, [1, 2, 3])
    processes = list(executor._pool._processes.values())
    executor.shutdown(cancel=True)
    assert processes and not any(process.is_alive() for process in processes)
    executor.shutdown(cancel=True)  # twice is harmless


def test_jobs_and_scheduler_are_checked():
    with pytest.raises(ParameterError, match="jobs: must be at least 1"):
        make_executor(jobs=0)
    declared = {"00_a": {"seed": 0}}
    with pytest.raises(ParameterError) as problems:
        check({"jobs": 0, "scheduler": ""}, declared, (10, 10))
    assert str(problems.value).splitlines() == [
        "jobs: must be at least 1, got 0",
        "scheduler: expected the address of a Dask scheduler like 'tcp://host:8786', got ''",
    ]
    params = check({"jobs": 3, "scheduler": "tcp://localhost:8786"}, declared, (10, 10))
    assert (params.jobs, params.scheduler) == (3, "tcp://localhost:8786")
    assert "jobs" not in params.recorded() and "scheduler" not in params.recorded()


# Three chapters that each glue a value and write a result, and a summary reading them all.
CHAPTER = """parameters:
seed = 0
results_dir = ""
""", """
import pandas as pd
from loopbaanleren.book.report import glue_value, save_result
value = seed * {factor}
glue_value("value_{name}", value, "n")
_ = save_result(pd.DataFrame({{"value": [value]}}), "result_{name}", results_dir)
"""
SUMMARY = notebook_source(
    "# Overzicht",
    'parameters:\nresults_dir = ""\nnotebooks_dir = ""',
    """
    from pathlib import Path
    import pandas as pd
    from loopbaanleren.book.report import save_result
    files = sorted(p.name for p in Path(results_dir).glob("result_*.csv"))
    total = sum(int(pd.read_csv(Path(results_dir) / name)["value"].iloc[0]) for name in files)
    _ = save_result(pd.DataFrame({"files": [",".join(files)], "total": [total]}), "summary", results_dir)
    """,
)


def project_notebooks() -> dict[str, str]:
    notebooks = {
        f"0{i}_{name}": notebook_source(f"# Hoofdstuk {name}", CHAPTER[0], CHAPTER[1].format(factor=i + 1, name=name))
        for i, name in enumerate(("a", "b", "c"))
    }
    return notebooks | {"90_summary": SUMMARY}


def outputs(layout, report) -> dict:
    """What a build produced, without the times and paths that differ between any two builds."""
    results = {p.name: p.read_text() for p in sorted(layout.results.glob("*.csv"))}
    cells = {}
    for name, run in report.provenance["notebooks"].items():
        node = nbformat.read(layout.cache / name / run["cache_key"] / "notebook.ipynb", as_version=4)
        cells[name] = [
            [output.get("data", output.get("text")) for output in cell.get("outputs", [])]
            for cell in node.cells
            if cell.cell_type == "code" and "injected-parameters" not in cell.metadata.get("tags", [])
        ]
    record = json.loads((layout.results / "provenance.json").read_text())
    for key in ("started", "finished", "book"):
        record.pop(key)
    for run in record["notebooks"].values():
        run.pop("seconds")
    for entry in record["data"].values():
        entry.pop("path")
    pages = sorted(p.name for p in layout.html.glob("*.html"))
    return {"results": results, "cells": cells, "provenance": record, "pages": pages}


def test_parallel_and_dask_builds_equal_a_sequential_build(tmp_path_factory, make_project):
    distributed = pytest.importorskip("distributed")
    quiet = Console(file=open(os.devnull, "w"))
    layout = make_project(project_notebooks(), depends_on={"90_summary": ["00_a", "01_b", "02_c"]})
    sequential = build({**SMALL, "seed": 2, "jobs": 1}, layout, quiet)
    expected = outputs(layout, sequential)
    assert expected["results"]["summary.csv"].splitlines()[1] == '"result_a.csv,result_b.csv,result_c.csv",12'

    for kind in ("local", "dask"):
        target = copy_sources(layout, tmp_path_factory.mktemp(kind))
        if kind == "local":
            report = build({**SMALL, "seed": 2, "jobs": 3}, target, quiet)
        else:
            with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                          dashboard_address=None) as cluster:
                report = build({**SMALL, "seed": 2, "scheduler": cluster.scheduler_address}, target, quiet)
        assert {run["status"] for run in report.notebooks.values()} == {"executed"}
        assert outputs(target, report) == expected


def test_local_workers_share_the_cores_for_blas_threads_unless_the_environment_says(monkeypatch):
    for name in THREAD_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    with LocalExecutor(2) as executor:
        shared = executor.map(blas_threads, [0, 1])
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", str(default_jobs()))  # a thread per core, as the user says
    with LocalExecutor(2) as executor:
        told = executor.map(blas_threads, [0])
    assert len(shared[0]) >= 1 and shared[0] == shared[1]
    assert {threads for _, threads in shared[0]} == {max(1, default_jobs() // 2)}
    assert {threads for _, threads in told[0]} == {default_jobs()}
