"""Time the build against its floor and against what a user would otherwise write, and its scaling.

Usage: ``python scripts/benchmark.py [--n-students N] [--n-counsellors N] [--seed S] [--touch NAME] [--only 00,03]
[--jobs J] [--scales 1,10,100] [--skip-alternatives]``

Measured side by side, each on a fresh copy of the notebooks and book sources in a temporary folder (the
repository's book and cache stay as they are):

(a) our cold build; (b) a no-op rebuild; (c) a rebuild after changing one notebook; (d) the in-process floor:
every notebook's code cells run in this process with the parameters the build injects (the same reading of
data and package calls, without kernels, papermill or Jupyter Book); the book step alone; (e) a plain
sequential papermill loop over the same notebooks, then ``jupyter-book build``; (f) Jupyter Book's own
execution of the notebooks (``execute_notebooks: force``, parameters written into the notebooks); and the
scaling curve: a cold build (as a separate ``loopbaanleren build`` process) at each multiple of the study's
size, with its time and peak memory of the build and all its processes, sampled every 0.2 s: the summed
proportional set size (PSS: a page shared by several processes, such as the analysis stack the kernels are forked
with, counted once, in shares) and, for comparison, the summed resident size (RSS: shared pages counted in every
process). Writes ``results/benchmark.json`` (a later build replaces ``results/``) and prints the tables.

``python scripts/benchmark.py --cold N`` times only N cold builds, each on a fresh copy (the machine may be shared:
their spread says how far one figure can be trusted), and writes ``results/benchmark_cold.json``.

``python scripts/benchmark.py --planner [--n-students N] [--n-counsellors N] [--replications R]`` times the
replication planner instead: its inner loop per replication and a plan on 1 and 2 workers
(``results/benchmark_planner.json``).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from loopbaanleren.build.book_step import build_book, read_toc, stage_book  # noqa: E402
from loopbaanleren.build.cache import NOTEBOOK  # noqa: E402
from loopbaanleren.build.inputs import preparation_hash, prepare_inputs  # noqa: E402
from loopbaanleren.build.layout import Layout, copy_sources  # noqa: E402
from loopbaanleren.build.notebooks import discover, notebook_parameters  # noqa: E402
from loopbaanleren.build.pipeline import build  # noqa: E402
from loopbaanleren.build.project import find_project  # noqa: E402
from loopbaanleren.build.executor import make_executor  # noqa: E402
from loopbaanleren.data.codebook import load_codebook  # noqa: E402
from loopbaanleren.data.shared_readings import shared_folder  # noqa: E402
from loopbaanleren.errors import CompendiumError, ParameterError  # noqa: E402
from loopbaanleren.build.param_check import check  # noqa: E402


def timed(step) -> tuple[float, object]:
    started = time.perf_counter()
    result = step()
    seconds = time.perf_counter() - started
    print(f"    {seconds:.1f} s", flush=True)  # shown at once: a later step's failure keeps the earlier figures
    return seconds, result


def analyses_in_process(layout: Layout, raw: dict) -> dict[str, float]:
    """Run every notebook's code cells here, with the build's parameters and its kernels' BLAS threads
    (:data:`loopbaanleren.build.kernels.KERNEL_ENVIRONMENT`), output discarded; seconds per notebook."""
    from threadpoolctl import threadpool_limits

    from loopbaanleren.build.kernels import KERNEL_ENVIRONMENT

    with threadpool_limits(int(KERNEL_ENVIRONMENT["OPENBLAS_NUM_THREADS"]), user_api="blas"):
        return _analyses(layout, raw)


def _analyses(layout: Layout, raw: dict) -> dict[str, float]:
    notebooks = discover(layout.notebooks)
    params = check(raw, {nb.name: nb.parameters for nb in notebooks}, (raw["n_students"], raw["n_counsellors"]))
    package = preparation_hash()
    inputs = prepare_inputs(params, layout, package)
    (layout.run / "results").mkdir(parents=True, exist_ok=True)
    shared = shared_folder(layout.work, package)
    seconds = {}
    for nb in (nb for nb in notebooks if not params.only or nb.name in params.only):
        started = time.perf_counter()
        namespace: dict = {}
        with contextlib.redirect_stdout(io.StringIO()), contextlib.chdir(layout.run):  # as a kernel runs
            for cell in (c for c in nb.node.cells if c.cell_type == "code"):
                exec(compile(cell.source, nb.path.name, "exec"), namespace)  # noqa: S102
                if "parameters" in cell.metadata.get("tags", []):  # as papermill injects after this cell
                    namespace.update(notebook_parameters(nb, params, inputs, layout, shared=shared))
        import matplotlib.pyplot as plt

        plt.close("all")
        seconds[nb.name] = time.perf_counter() - started
    return seconds


def book_step(layout: Layout) -> None:
    """The book step alone, from the start of its process (its imports included), on the sources of the last build:
    staged again from its executed notebooks in the cache and its provenance (a build removes its scratch folder)."""
    record = json.loads((layout.results / "provenance.json").read_text(encoding="utf-8"))
    names = list(record["notebooks"])
    executed = {name: layout.cache / name / run["cache_key"] / NOTEBOOK for name, run in record["notebooks"].items()}
    stage = stage_book(layout, read_toc(layout.book, names), executed, names, record)
    build_book(stage, layout)


def _parameterised(layout: Layout, raw: dict) -> list[tuple[object, dict, Path]]:
    """Each notebook (of ``only``), the parameters the build would inject, and the project's data inputs."""
    notebooks = discover(layout.notebooks)
    params = check(raw, {nb.name: nb.parameters for nb in notebooks}, (raw["n_students"], raw["n_counsellors"]))
    inputs = prepare_inputs(params, layout, preparation_hash())
    chosen = [nb for nb in notebooks if not params.only or nb.name in params.only]
    return [(nb, notebook_parameters(nb, params, inputs, layout)) for nb in chosen]


def _stage_pages(layout: Layout, target: Path, force: bool) -> Path:
    """The book's pages in ``target``, configured to execute the notebooks itself (``force``) or not."""
    import yaml

    shutil.copytree(layout.book, target, ignore=shutil.ignore_patterns("_build", ".*"))
    config = yaml.safe_load((target / "_config.yml").read_text(encoding="utf-8"))
    if force:
        config["execute"] = {"execute_notebooks": "force", "timeout": -1}
    (target / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True))
    return target


def _jupyter_book(stage: Path) -> None:
    command = [str(Path(sys.executable).with_name("jupyter-book")), "build", str(stage), "-q"]
    subprocess.run(command, check=True, capture_output=True)


def papermill_loop(layout: Layout, raw: dict, folder: Path) -> None:
    """(e): each notebook by papermill, one after another, then ``jupyter-book build`` (no cache, no checks)."""
    import jupytext
    import papermill

    stage = _stage_pages(layout, folder / "book-e", force=False)
    for nb, injected in _parameterised(layout, raw):
        injected = {**injected, "results_dir": str(folder / "results-e")} if "results_dir" in injected else injected
        source = folder / f"{nb.name}.ipynb"
        jupytext.write(nb.node, source)
        papermill.execute_notebook(str(source), str(stage / f"{nb.name}.ipynb"), parameters=injected,
                                   kernel_name="python3", progress_bar=False, cwd=str(folder))
    _jupyter_book(stage)


def jupyter_book_execution(layout: Layout, raw: dict, folder: Path) -> None:
    """(f): the notebooks, with the build's parameters written in, executed by Jupyter Book itself."""
    from papermill.parameterize import parameterize_notebook

    stage = _stage_pages(layout, folder / "book-f", force=True)
    for nb, injected in _parameterised(layout, raw):
        injected = {**injected, "results_dir": str(folder / "results-f")} if "results_dir" in injected else injected
        import copy

        import nbformat

        node = copy.deepcopy(nb.node)
        node.metadata.setdefault("papermill", {})  # where papermill records the parameters
        for cell in node.cells:  # papermill looks for the tags of every cell
            cell.metadata.setdefault("tags", [])
        nbformat.write(parameterize_notebook(node, dict(injected), kernel_name="python3"), stage / f"{nb.name}.ipynb")
    _jupyter_book(stage)


def peak_memory_run(command: list[str]) -> tuple[float, float, float]:
    """Seconds, peak summed PSS and peak summed RSS (GiB) of ``command`` and all its descendants."""
    import psutil

    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = {"pss": 0, "rss": 0}
    done = threading.Event()

    def sample() -> None:
        parent = psutil.Process(process.pid)
        while not done.is_set():
            total = {"pss": 0, "rss": 0}
            try:
                for p in [parent, *parent.children(recursive=True)]:
                    with contextlib.suppress(psutil.Error):  # a process that ended while being read
                        info = p.memory_full_info()
                        total["pss"] += info.pss
                        total["rss"] += info.rss
            except psutil.Error:
                pass
            peak.update({key: max(peak[key], total[key]) for key in peak})
            done.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, errors = process.communicate()
    done.set()
    sampler.join()
    if process.returncode != 0:
        raise CompendiumError(f"scaling build failed ({' '.join(command)}):\n{errors[-2000:]}")
    return time.perf_counter() - started, peak["pss"] / 2**30, peak["rss"] / 2**30


def scaling(raw: dict, factors: list[int], jobs: int | None, console: Console) -> list[dict]:
    """A cold build as a separate process at each multiple of the study's size: seconds and peak GiB."""
    rows = []
    for factor in factors:
        with tempfile.TemporaryDirectory(prefix=f"benchmark-{factor}x-") as folder:
            layout = copy_sources(Layout(find_project()), Path(folder) / "project")
            n_students, n_counsellors = raw["n_students"] * factor, raw["n_counsellors"] * factor
            command = [str(Path(sys.executable).with_name("loopbaanleren")), "build", "--project", str(layout.root),
                       "--seed", str(raw["seed"]), "--n-students", str(n_students), "--n-counsellors", str(n_counsellors)]
            if jobs:
                command += ["--jobs", str(jobs)]
            console.print(f"scaling {factor}x ({n_students} / {n_counsellors}) ...")
            seconds, pss, rss = peak_memory_run(command)
            rows.append({"factor": factor, "n_students": n_students, "n_counsellors": n_counsellors,
                         "seconds": seconds, "peak_gib": pss, "peak_rss_gib": rss})
    return rows


def cold_builds(raw: dict, repeats: int, console: Console) -> list[float]:
    """Seconds of ``repeats`` cold builds, each in a fresh copy of the project (simulation included)."""
    seconds = []
    for number in range(1, repeats + 1):
        with tempfile.TemporaryDirectory(prefix="benchmark-cold-") as folder:
            layout = copy_sources(Layout(find_project()), Path(folder) / "project")
            console.print(f"cold build {number} of {repeats} ...")
            taken, _ = timed(lambda: build(raw, layout, Console(file=io.StringIO())))
            seconds.append(taken)
    return seconds


def cold_main(raw: dict, repeats: int, console: Console) -> None:
    """Time ``repeats`` cold builds; print them with their median and spread; write ``results/benchmark_cold.json``."""
    seconds = cold_builds(raw, repeats, console)
    median = statistics.median(seconds)
    console.print(f"cold builds: {', '.join(f'{s:.1f}' for s in seconds)} s; median {median:.1f} s, "
                  f"spread {max(seconds) - min(seconds):.1f} s")
    out = find_project() / "results" / "benchmark_cold.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"parameters": raw, "cores": os.cpu_count(), "seconds": seconds, "median": median},
                              indent=2) + "\n")
    console.print(f"written: {out}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    codebook = load_codebook()
    parser.add_argument("--n-students", type=int, default=codebook.population("students").default_n)
    parser.add_argument("--n-counsellors", type=int, default=codebook.population("counsellors").default_n)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--touch", help="notebook to change for (c), e.g. 00_data (default: the first)")
    parser.add_argument("--only", help="time only these notebooks, e.g. 00,03 (as the build's --only)")
    parser.add_argument("--jobs", type=int, help="the build's --jobs (default: all cores)")
    parser.add_argument("--scales", default="1,10,100", help="multiples of the size for the scaling curve ('' for none)")
    parser.add_argument("--skip-alternatives", action="store_true", help="leave out (e) and (f)")
    parser.add_argument("--cold", type=int, metavar="N", help="time only N cold builds (median and spread)")
    args = parser.parse_args()
    raw = {"n_students": args.n_students, "n_counsellors": args.n_counsellors, "seed": args.seed}
    if args.only:
        raw["only"] = args.only
    if args.jobs:
        raw["jobs"] = args.jobs
    console = Console()
    if args.cold:
        cold_main(raw, args.cold, console)
        return

    try:
        times, executed, chapters = measure(raw, args.touch, not args.skip_alternatives, console)
        factors = [int(f) for f in args.scales.split(",") if f.strip()]
        curve = scaling(raw, factors, args.jobs, console) if factors else []
    except CompendiumError as error:
        console.print(f"error: {error}", markup=False)
        raise SystemExit(1) from None
    report(times, executed, chapters, curve, raw, console)


def measure(
    raw: dict, touch: str | None, alternatives: bool, console: Console
) -> tuple[dict[str, float], dict[str, list[str]], dict[str, float]]:
    """Seconds of each step (a)-(f) on copies of the project, which notebooks each build executed, and the
    in-process floor's seconds per notebook."""
    with tempfile.TemporaryDirectory(prefix="benchmark-") as folder:
        layout = copy_sources(Layout(find_project()), Path(folder) / "project")
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
        times["d_in_process_floor"], chapters = timed(lambda: analyses_in_process(layout, raw))
        executed["d_in_process_floor"] = list(chapters)
        console.print("    the book step alone ...")
        times["book_step"], _ = timed(lambda: book_step(layout))
        if alternatives:
            plain = {key: value for key, value in raw.items() if key != "jobs"}
            console.print("(e) sequential papermill loop, then jupyter-book build ...")
            times["e_papermill_loop"], _ = timed(lambda: papermill_loop(layout, plain, Path(folder)))
            console.print("(f) Jupyter Book executing the notebooks ...")
            times["f_jupyter_book_execution"], _ = timed(lambda: jupyter_book_execution(layout, plain, Path(folder)))
    return times, executed, chapters


def report(
    times: dict[str, float], executed: dict[str, list[str]], chapters: dict[str, float], curve: list[dict], raw: dict,
    console: Console,
) -> None:
    """Print the tables of times, ratios, the floor per notebook and the scaling curve; write ``results/benchmark.json``."""
    floor = times["d_in_process_floor"]
    cold = times["a_cold_build"]
    table = Table(title=f"Build times, n = {raw['n_students']} / {raw['n_counsellors']}")
    for column in ("step", "seconds", "ratio to (d)", "ratio to (a)", "notebooks executed"):
        table.add_column(column, justify="left" if column in ("step", "notebooks executed") else "right")
    for step, seconds in times.items():
        names = ", ".join(executed[step]) or "none" if step in executed else ""
        table.add_row(step, f"{seconds:.1f}", f"{seconds / floor:.2f}", f"{seconds / cold:.2f}", names)
    console.print(table)
    bound = cold / (floor + times["book_step"])
    console.print(f"(a) / ((d) + book step) = {bound:.2f}")
    console.print("(d) per notebook: " + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in chapters.items()))
    if curve:
        scale = Table(title="Scaling: cold build as a separate process")
        for column in ("factor", "students", "counsellors", "seconds", "peak GiB (PSS)", "peak GiB (RSS summed)"):
            scale.add_column(column, justify="right")
        for row in curve:
            scale.add_row(f"{row['factor']}x", str(row["n_students"]), str(row["n_counsellors"]),
                          f"{row['seconds']:.1f}", f"{row['peak_gib']:.2f}", f"{row['peak_rss_gib']:.2f}")
        console.print(scale)

    out = find_project() / "results" / "benchmark.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    record = {
        "parameters": raw,
        "cores": os.cpu_count(),
        "seconds": times,
        "ratio_to_in_process": {k: v / floor for k, v in times.items()},
        "cold_over_floor_plus_book": bound,
        "notebooks_executed": executed,
        "floor_per_notebook": chapters,
        "scaling": curve,
    }
    out.write_text(json.dumps(record, indent=2) + "\n")
    console.print(f"written: {out}")


# ---------------------------------------------------------------------------------------------- replication planner


def planner_timings(n_students: int, n_counsellors: int, replications: int, seed: int, console: Console) -> dict:
    """The planner's inner loop and executors: per replication (one process) the seconds of simulation and of
    evaluation (wall and CPU), and a plan of ``replications`` at this size
    on 1 and 2 local workers and on a 2-worker Dask LocalCluster (wall seconds, speed-up against 1 worker)."""
    from distributed import LocalCluster

    from loopbaanleren.robustness import planner
    from loopbaanleren.data.codebook import POPULATIONS

    planner.run_task(planner.Task(-1, "calibrated", n_students, n_counsellors, 0, 0))  # warm the calibration
    steps: dict[str, list[float]] = {}
    for r in range(replications):
        clock = (time.perf_counter(), time.process_time())
        raw = planner.simulate_replication("calibrated", n_students, n_counsellors, planner.replication_seed(seed, r))
        data = {pop: planner.as_read(raw[pop], pop) for pop in POPULATIONS}
        marks = {"simulate": clock, "evaluate": (time.perf_counter(), time.process_time())}
        planner.evaluate_replication(data)
        marks["end"] = (time.perf_counter(), time.process_time())
        names = list(marks)
        for a, b in zip(names, names[1:]):
            steps.setdefault(f"{a}_wall", []).append(marks[b][0] - marks[a][0])
            steps.setdefault(f"{a}_cpu", []).append(marks[b][1] - marks[a][1])
    per_replication = {name: sum(values) / len(values) for name, values in steps.items()}

    plan = dict(n_students=str(n_students), n_counsellors=str(n_counsellors), replications=replications, seed=seed,
                scenario="calibrated")
    runs = {}

    def run_planned(checked):
        with make_executor(checked.jobs, checked.scheduler) as executor:
            return planner.run_plan(checked, executor)

    for label, options in (("1 worker", {"jobs": 1}), ("2 workers", {"jobs": 2})):
        console.print(f"planner: {replications} replications on {label} ...")
        runs[label], _ = timed(lambda: run_planned(planner.check_plan(**plan, **options)))
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        console.print(f"planner: {replications} replications on a 2-worker Dask LocalCluster ...")
        runs["Dask, 2 workers"], _ = timed(lambda: run_planned(planner.check_plan(**plan, scheduler=cluster.scheduler_address)))

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
    out = find_project() / "results" / "benchmark_planner.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(record, indent=2) + "\n")
    console.print(f"written: {out}")


if __name__ == "__main__":
    planner_main() if "--planner" in sys.argv else main()
