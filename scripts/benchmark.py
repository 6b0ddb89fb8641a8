"""Time the build: cold, no-op, one notebook changed, the analyses alone, and the book alone.

Usage: ``python scripts/benchmark.py [--n-students N] [--n-counsellors N] [--seed S] [--touch NAME] [--only 00,03]``;
``python scripts/benchmark.py --planner [--n-students N] [--n-counsellors N] [--replications R]`` times the
replication planner instead (``results/benchmark_planner.json``).

The builds run on a copy of the notebooks and book sources in a temporary folder, so the repository's book
and cache stay as they are. The floor, (d), runs every notebook's code cells in this process with the same
parameters the build injects: the same reading of data and the same package calls, without kernels,
papermill or Jupyter Book. Writes ``results/benchmark.json`` (a later build replaces ``results/``).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import tempfile
import time
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from loopbaanleren.pipeline import (  # noqa: E402
    PROJECT_ROOT,
    Layout,
    build,
    build_book,
    copy_sources,
    discover,
    notebook_parameters,
    package_hash,
    prepare_inputs,
)
from loopbaanleren.codebook import load_codebook  # noqa: E402
from loopbaanleren.errors import CompendiumError, ParameterError  # noqa: E402
from loopbaanleren.params import check  # noqa: E402


def timed(step) -> tuple[float, object]:
    started = time.perf_counter()
    result = step()
    return time.perf_counter() - started, result


def analyses_in_process(layout: Layout, raw: dict) -> None:
    """Run every notebook's code cells here, with the build's parameters, output discarded."""
    notebooks = discover(layout.notebooks)
    params = check(raw, {nb.name: nb.parameters for nb in notebooks}, (raw["n_students"], raw["n_counsellors"]))
    inputs = prepare_inputs(params, layout, package_hash())
    for nb in (nb for nb in notebooks if not params.only or nb.name in params.only):
        namespace: dict = {}
        with contextlib.redirect_stdout(io.StringIO()):
            for cell in (c for c in nb.node.cells if c.cell_type == "code"):
                exec(compile(cell.source, nb.path.name, "exec"), namespace)  # noqa: S102
                if "parameters" in cell.metadata.get("tags", []):  # as papermill injects after this cell
                    namespace.update(notebook_parameters(nb, params, inputs, layout))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    codebook = load_codebook()
    parser.add_argument("--n-students", type=int, default=codebook.population("students").default_n)
    parser.add_argument("--n-counsellors", type=int, default=codebook.population("counsellors").default_n)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--touch", help="notebook to change for (c), e.g. 00_data (default: the first)")
    parser.add_argument("--only", help="time only these notebooks, e.g. 00,03 (as the build's --only)")
    args = parser.parse_args()
    raw = {"n_students": args.n_students, "n_counsellors": args.n_counsellors, "seed": args.seed}
    if args.only:
        raw["only"] = args.only
    console = Console()

    try:
        times, executed = measure(raw, args.touch, console)
    except CompendiumError as error:
        console.print(f"error: {error}", markup=False)
        raise SystemExit(1) from None
    report(times, executed, raw, console)


def measure(raw: dict, touch: str | None, console: Console) -> tuple[dict[str, float], dict[str, list[str]]]:
    """Seconds of each step (a)-(e) on a copy of the project, and which notebooks each build executed."""
    with tempfile.TemporaryDirectory(prefix="benchmark-") as folder:
        layout = copy_sources(Layout(), Path(folder) / "project")
        quiet = Console(file=io.StringIO())
        touched = layout.notebooks / f"{touch or discover(layout.notebooks)[0].name}.py"
        if not touched.is_file():
            raise ParameterError(f"--touch: no notebook {touched.name}")

        times, executed = {}, {}
        builds = {
            "a_cold_build": "cold build",
            "b_noop_rebuild": "no-op rebuild",
            "c_one_notebook_changed": f"rebuild after changing {touched.name}",
        }
        for step, label in builds.items():
            if step == "c_one_notebook_changed":
                touched.write_text(touched.read_text() + "\n# %%\n# benchmark: changed\n")
            console.print(f"({step[0]}) {label} ...")
            times[step], done = timed(lambda: build(raw, layout, quiet))
            executed[step] = [name for name, run in done.notebooks.items() if run["status"] == "executed"]
        console.print("(d) analyses in-process ...")
        times["d_analyses_in_process"], _ = timed(lambda: analyses_in_process(layout, raw))
        console.print("(e) book alone ...")
        times["e_book_alone"], _ = timed(lambda: build_book(layout.run / "book", layout))
    return times, executed


def report(times: dict[str, float], executed: dict[str, list[str]], raw: dict, console: Console) -> None:
    """Print the table of times, ratios and executed notebooks and write ``results/benchmark.json``."""
    floor = times["d_analyses_in_process"]
    table = Table(title=f"Build times, n = {raw['n_students']} / {raw['n_counsellors']}")
    for column in ("step", "seconds", "ratio to (d)", "notebooks executed"):
        table.add_column(column, justify="left" if column in ("step", "notebooks executed") else "right")
    for step, seconds in times.items():
        names = ", ".join(executed[step]) or "none" if step in executed else ""
        table.add_row(step, f"{seconds:.1f}", f"{seconds / floor:.2f}", names)
    console.print(table)

    out = PROJECT_ROOT / "results" / "benchmark.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    record = {
        "parameters": raw,
        "seconds": times,
        "ratio_to_in_process": {k: v / floor for k, v in times.items()},
        "notebooks_executed": executed,
    }
    out.write_text(json.dumps(record, indent=2) + "\n")
    console.print(f"written: {out}")


# ---------------------------------------------------------------------------------------------- replication planner


def planner_timings(n_students: int, n_counsellors: int, replications: int, seed: int, console: Console) -> dict:
    """The planner's inner loop and executors: per replication (one process) the seconds of simulation and of
    evaluation by the book's path and the lean path (wall and CPU), and a plan of ``replications`` at this size
    on 1 and 2 local workers and on a 2-worker Dask LocalCluster (wall seconds, speed-up against 1 worker)."""
    from distributed import LocalCluster

    from loopbaanleren import planner
    from loopbaanleren.codebook import POPULATIONS

    planner.run_task(planner.Task(-1, "calibrated", n_students, n_counsellors, 0, 0))  # warm the calibration
    steps: dict[str, list[float]] = {}
    for r in range(replications):
        clock = (time.perf_counter(), time.process_time())
        raw = planner.simulate_replication("calibrated", n_students, n_counsellors, planner.replication_seed(seed, r))
        data = {pop: planner.as_read(raw[pop], pop) for pop in POPULATIONS}
        marks = {"simulate": clock}
        for name, fast in (("evaluate_book", False), ("evaluate_lean", True)):
            marks[name] = (time.perf_counter(), time.process_time())
            planner.evaluate_replication(data, fast=fast)
        marks["end"] = (time.perf_counter(), time.process_time())
        names = list(marks)
        for a, b in zip(names, names[1:]):
            steps.setdefault(f"{a}_wall", []).append(marks[b][0] - marks[a][0])
            steps.setdefault(f"{a}_cpu", []).append(marks[b][1] - marks[a][1])
    per_replication = {name: sum(values) / len(values) for name, values in steps.items()}

    plan = dict(n_students=str(n_students), n_counsellors=str(n_counsellors), replications=replications, seed=seed,
                scenario="calibrated")
    runs = {}
    for label, options in (("1 worker", {"jobs": 1}), ("2 workers", {"jobs": 2})):
        console.print(f"planner: {replications} replications on {label} ...")
        runs[label], _ = timed(lambda: planner.run_plan(planner.check_plan(**plan, **options)))
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        console.print(f"planner: {replications} replications on a 2-worker Dask LocalCluster ...")
        runs["Dask, 2 workers"], _ = timed(lambda: planner.run_plan(planner.check_plan(**plan, scheduler=cluster.scheduler_address)))

    table = Table(title=f"Replication planner, n = {n_students} / {n_counsellors}, {replications} replications")
    for column in ("measure", "seconds", "speed-up"):
        table.add_column(column, justify="left" if column == "measure" else "right")
    for name, seconds in per_replication.items():
        table.add_row(f"per replication: {name}", f"{seconds:.3f}", "")
    for label, seconds in runs.items():
        table.add_row(f"plan on {label}", f"{seconds:.1f}", f"{runs['1 worker'] / seconds:.2f}")
    console.print(table)
    return {"n_students": n_students, "n_counsellors": n_counsellors, "replications": replications,
            "per_replication_seconds": per_replication, "plan_seconds": runs,
            "speed_up": {label: runs["1 worker"] / seconds for label, seconds in runs.items()}}


def planner_main() -> None:
    parser = argparse.ArgumentParser(description="Time the replication planner's inner loop and executors.")
    codebook = load_codebook()
    parser.add_argument("--planner", action="store_true", help="run this section (the planner) only")
    parser.add_argument("--n-students", type=int, default=codebook.population("students").default_n)
    parser.add_argument("--n-counsellors", type=int, default=codebook.population("counsellors").default_n)
    parser.add_argument("--replications", type=int, default=6)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    console = Console()
    record = planner_timings(args.n_students, args.n_counsellors, args.replications, args.seed, console)
    out = PROJECT_ROOT / "results" / "benchmark_planner.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(record, indent=2) + "\n")
    console.print(f"written: {out}")


if __name__ == "__main__":
    import sys

    planner_main() if "--planner" in sys.argv else main()
