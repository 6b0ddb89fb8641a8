"""Replication planner: how likely each claim is to be reproduced at a given sample size, by Monte Carlo.

For each size (students, counsellors) and scenario (``calibrated``: the generative model as calibrated to the
published summary; ``null``: every claim's generating parameter moved to its contrary) the planner simulates
R data sets and evaluates every survey claim on each with the book's own evaluators
(:func:`loopbaanleren.claims.evaluate.evaluate_claims`: evaluation only, no figures, notebooks or files). The
operating characteristics are, per claim, size and scenario, the share of the R replications with each verdict
and its Monte Carlo standard error sqrt(p (1 - p) / R).

Sizes are *paired*: the i-th number of students goes with the i-th number of counsellors (a single value is
used with every value of the other list). A claim about students depends on the number of students only, a
claim about counsellors on the number of counsellors, so a paired grid gives each claim its power curve at
half the cost of the crossed one; claims on both populations are read against the number of counsellors, the
smaller group, which limits their precision.

Each data set is drawn as a researcher draws a sample: K whole hogescholen at random (a cluster sample,
``--hogescholen``, by default all hogescholen of the simulation parameters) and the students and counsellors at
random within them, so the sector composition varies from sample to sample (the book's own data fill the
study's composition by quota instead).

Replication r draws its data from the seed ``SeedSequence(seed).spawn(R)[r]`` (the same for every size and
scenario: common random numbers make the curves smoother), so results do not depend on how the tasks are
spread over processes or a Dask cluster. The claims of the interview study do not depend on the survey's
size and are left out.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

import loopbaanleren.claims as claims_package
from loopbaanleren.claims.context import Context
from loopbaanleren.claims.evaluate import QUALITATIVE_RQ, claim_verdicts
from loopbaanleren.data.registry import Claim, is_derived, load_registry
from loopbaanleren.claims.verdicts import VERDICTS
from loopbaanleren.data.codebook import POPULATIONS, load_codebook
from loopbaanleren.data.simulation import load_parameters, simulate
from loopbaanleren.errors import CompendiumError, ParameterError
from loopbaanleren.robustness.executor import Executor
from loopbaanleren.resources import load_yaml

SCENARIOS = ("calibrated", "null")
SCENARIO_CHOICES = (*SCENARIOS, "both")
SIMULATOR_SCENARIO = {"calibrated": "default", "null": "null"}
"""The simulator's name of each planner scenario (see :data:`loopbaanleren.data.simulation.SCENARIOS`)."""
DEFAULT_REPLICATIONS = 200
DEFAULT_SEED = 2026
RESULT_NAME = "operating_characteristics"
TARGET_POWER = 0.8
CHUNK_PER_WORKER = 8
"""Tasks handed to each worker at a time between two updates of the progress bar."""
ERROR = "error"
"""The planner's mark of a claim whose evaluator failed on a replication (counted as not computable)."""
MIN_SIZE = 22
"""Smallest number of students or counsellors planned: two per hogeschool on average."""
STORED = Path(__file__).parents[1] / "resources" / "planner"
"""The planner result shipped with the package, read by the chapter 'Herhaalbaarheid' and the ledger."""
_ADDRESS = re.compile(r"^(tcp|tls|inproc|ucx|ws|wss)://[^\s/]+$|^[A-Za-z0-9_.\-]+:\d+$")


# ---------------------------------------------------------------------------------------------- plan


@dataclass(frozen=True)
class Size:
    """A number of students and of counsellors."""

    n_students: int
    n_counsellors: int


@dataclass(frozen=True)
class Plan:
    """Checked parameters of a planner run."""

    sizes: tuple[Size, ...]
    replications: int = DEFAULT_REPLICATIONS
    seed: int = DEFAULT_SEED
    scenarios: tuple[str, ...] = SCENARIOS
    alpha: float = 0.05
    min_cell: int = 10
    jobs: int | None = None
    scheduler: str | None = None
    out: Path = Path("results")
    hogescholen: int | None = None

    def tasks(self) -> list[Task]:
        """One task per scenario, size and replication, in a fixed order."""
        seeds = [replication_seed(self.seed, r) for r in range(self.replications)]
        cells = [(scenario, size, r) for scenario in self.scenarios for size in self.sizes for r in range(self.replications)]
        k = self.hogescholen or total_hogescholen()
        return [
            Task(i, scenario, size.n_students, size.n_counsellors, r, seeds[r], self.alpha, self.min_cell, k)
            for i, (scenario, size, r) in enumerate(cells)
        ]


@dataclass(frozen=True)
class Task:
    """One replication: simulate one data set of a size and scenario, and evaluate every claim on it."""

    index: int
    scenario: str
    n_students: int
    n_counsellors: int
    replication: int
    seed: int
    alpha: float = 0.05
    min_cell: int = 10
    hogescholen: int | None = None


def total_hogescholen() -> int:
    """The number of hogescholen in the simulation parameters (the population a cluster sample draws from)."""
    return len(load_parameters()["students"]["design"]["hogeschool_weights"])


def original_size() -> Size:
    """The original study's size (the codebook's N)."""
    codebook = load_codebook()
    return Size(codebook.population("students").default_n, codebook.population("counsellors").default_n)


def replication_seed(seed: int, replication: int) -> int:
    """The simulation seed of replication ``replication``: from ``SeedSequence(seed).spawn(...)[replication]``.

    >>> replication_seed(2026, 3) == int(np.random.SeedSequence(2026).spawn(4)[3].generate_state(1, np.uint64)[0])
    True
    """
    child = np.random.SeedSequence(seed, spawn_key=(replication,))
    return int(child.generate_state(1, np.uint64)[0])


def _whole_numbers(option: str, text: object, minimum: int, problems: list[str]) -> list[int]:
    values = []
    for part in str(text).split(","):
        part = part.strip()
        if not re.fullmatch(r"\d+", part):
            problems.append(f"{option}: expected whole numbers separated by commas, got {part!r} in {text!r}")
        elif int(part) < minimum:
            problems.append(f"{option}: every value must be at least {minimum}, got {part}")
        else:
            values.append(int(part))
    return values


def check_plan(
    n_students: str | None = None,
    n_counsellors: str | None = None,
    replications: int = DEFAULT_REPLICATIONS,
    seed: int = DEFAULT_SEED,
    scenario: str = "both",
    jobs: int | None = None,
    scheduler: str | None = None,
    out: str | Path = "results",
    alpha: float = 0.05,
    min_cell: int = 10,
    hogescholen: int | None = None,
) -> Plan:
    """The checked ``Plan``; every problem is reported at once, one line each, in a ``ParameterError``.

    ``n_students`` and ``n_counsellors`` are comma lists (default: the original study's N), paired by position;
    ``hogescholen`` is the number K of hogescholen of each sample (default: all of the simulation parameters).

    >>> check_plan("600,4820", "50,371", replications=10).sizes
    (Size(n_students=600, n_counsellors=50), Size(n_students=4820, n_counsellors=371))
    """
    problems: list[str] = []
    default = original_size()
    students = _whole_numbers("--n-students", n_students, MIN_SIZE, problems) if n_students is not None else [default.n_students]
    counsellors = (
        _whole_numbers("--n-counsellors", n_counsellors, MIN_SIZE, problems) if n_counsellors is not None else [default.n_counsellors]
    )
    if students and counsellors and len(students) != len(counsellors) and 1 not in (len(students), len(counsellors)):
        problems.append(
            f"--n-students ({len(students)} values) and --n-counsellors ({len(counsellors)} values) are paired by "
            "position: give as many of each, or one value for either"
        )
    if not isinstance(replications, int) or isinstance(replications, bool) or replications < 1:
        problems.append(f"--replications: must be a whole number of at least 1, got {replications!r}")
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        problems.append(f"--seed: must be a whole number of at least 0, got {seed!r}")
    if scenario not in SCENARIO_CHOICES:
        problems.append(f"--scenario: choose one of {', '.join(SCENARIO_CHOICES)}, got {scenario!r}")
    if jobs is not None and (not isinstance(jobs, int) or isinstance(jobs, bool) or jobs < 1):
        problems.append(f"--jobs: must be a whole number of at least 1, got {jobs!r}")
    if scheduler is not None and not _ADDRESS.match(str(scheduler)):
        problems.append(f"--scheduler: expected a Dask scheduler address like tcp://host:8786, got {scheduler!r}")
    if scheduler is not None and jobs is not None:
        problems.append("--jobs and --scheduler: give one of them (the cluster decides how many workers run)")
    if isinstance(alpha, bool) or not isinstance(alpha, (int, float)) or not 0 < alpha < 1:
        problems.append(f"alpha: must lie strictly between 0 and 1, got {alpha!r}")
    if not isinstance(min_cell, int) or isinstance(min_cell, bool) or min_cell < 1:
        problems.append(f"min_cell: must be a whole number of at least 1, got {min_cell!r}")
    total = total_hogescholen()
    if hogescholen is not None and (
        not isinstance(hogescholen, int) or isinstance(hogescholen, bool) or not 2 <= hogescholen <= total
    ):
        problems.append(f"--hogescholen: a sample takes between 2 and {total} whole hogescholen, got {hogescholen!r}")
    out = Path(out)
    if out.exists() and not out.is_dir():
        problems.append(f"--out: {out} exists and is not a folder")
    if problems:
        raise ParameterError("\n".join(problems))
    count = max(len(students), len(counsellors))
    students = students * count if len(students) == 1 else students
    counsellors = counsellors * count if len(counsellors) == 1 else counsellors
    sizes = tuple(dict.fromkeys(Size(s, c) for s, c in zip(students, counsellors)))
    scenarios = SCENARIOS if scenario == "both" else (scenario,)
    return Plan(sizes, replications, seed, scenarios, float(alpha), min_cell, jobs, scheduler, out, hogescholen or total)


# ---------------------------------------------------------------------------------------------- one replication


def simulate_replication(
    scenario: str, n_students: int, n_counsellors: int, seed: int, hogescholen: int | None = None
) -> dict[str, pd.DataFrame]:
    """One simulated sample of both populations from ``hogescholen`` whole hogescholen drawn at random (default:
    all), respondents at random within them, in the codebook's codes (the one seam to the simulator)."""
    k = hogescholen or total_hogescholen()
    return simulate(seed, n_students, n_counsellors, scenario=SIMULATOR_SCENARIO[scenario], hogescholen=k)


def as_read(data: pd.DataFrame, population: str) -> pd.DataFrame:
    """Simulated codes as :func:`loopbaanleren.data.survey_files.read_survey` returns them (missing codes as NaN, floats),
    without the checks a user's file needs (the simulator writes valid codes only)."""
    variables = load_codebook().variables(population)
    columns = {}
    for name, column in data.items():
        var = variables[name]
        if var.type == "id":
            columns[name] = column.astype("str")
        else:
            values = column.to_numpy(dtype=float)
            if var.missing_codes:
                values = np.where(np.isin(values, list(var.missing_codes)), np.nan, values)
            columns[name] = values
    return pd.DataFrame(columns, index=data.index)


def planned_claims() -> tuple[Claim, ...]:
    """The claims the planner evaluates: every survey claim of the registry (not the interview study's)."""
    return tuple(c for c in load_registry() if c.rq != QUALITATIVE_RQ)


def evaluate_replication(data: dict[str, pd.DataFrame], alpha: float = 0.05, min_cell: int = 10) -> tuple[str, ...]:
    """The verdict of every planned claim on one data set, in registry order, by the book's evaluators.

    When an evaluator fails on these data with an error that is not the data's (a bug: evaluate_claims would
    stop), that claim gets :data:`ERROR` and the others are evaluated without it (on the same context: what was
    evaluated is not evaluated again).
    """
    claims = planned_claims()
    ctx = Context(data, alpha, min_cell)
    try:
        return tuple(claim_verdicts(ctx, claims))
    except CompendiumError:
        raise
    except Exception:  # noqa: BLE001 - find the failing evaluators, keep the rest
        failing = set()
        for claim in claims:
            try:
                claim_verdicts(ctx, [claim])
            except Exception:  # noqa: BLE001
                failing.add(claim.id)
        kept = [c for c in claims if c.id not in failing]
        found = dict(zip([c.id for c in kept], claim_verdicts(ctx, kept)))
        return tuple(found.get(c.id, ERROR) for c in claims)


_THREADS_LIMITED = False


def run_task(task: Task) -> tuple[int, tuple[str, ...]]:
    """Simulate and evaluate one replication: ``(task.index, verdicts)``."""
    global _THREADS_LIMITED
    if not _THREADS_LIMITED:  # small matrices: BLAS threads only compete with the other workers
        from threadpoolctl import threadpool_limits

        threadpool_limits(limits=1)
        _THREADS_LIMITED = True
    with warnings.catch_warnings():  # numerical warnings of degenerate replications are no message for the user
        warnings.simplefilter("ignore")
        raw = simulate_replication(task.scenario, task.n_students, task.n_counsellors, task.seed, task.hogescholen)
        data = {pop: as_read(raw[pop], pop) for pop in POPULATIONS}
        return task.index, evaluate_replication(data, task.alpha, task.min_cell)


# ---------------------------------------------------------------------------------------------- executor


def map_tasks(fn: Callable[[Task], object], tasks: Sequence[Task], executor: Executor) -> Iterator[object]:
    """``fn`` applied to every task on ``executor``. Results come in the order of ``tasks``, in chunks of a few
    tasks per worker (for the progress bar)."""
    tasks = list(tasks)
    chunk = CHUNK_PER_WORKER * executor.workers
    for start in range(0, len(tasks), chunk):
        yield from executor.map(fn, tasks[start : start + chunk])


# ---------------------------------------------------------------------------------------------- results


def operating_characteristics(
    tasks: Sequence[Task], verdicts: dict[int, Sequence[str]], claims: Sequence[Claim]
) -> pd.DataFrame:
    """One row per claim, size and scenario: the share of replications with each verdict and its Monte Carlo
    standard error sqrt(p (1 - p) / R); ``evaluator_errors`` counts the replications in which the claim's
    evaluator failed (counted as not computable)."""
    groups: dict[tuple, list[Task]] = {}
    for task in tasks:
        groups.setdefault((task.scenario, task.n_students, task.n_counsellors), []).append(task)
    rows = []
    for (scenario, n_students, n_counsellors), members in groups.items():
        table = np.array([verdicts[t.index] for t in members], dtype=object)  # replications x claims
        r = len(members)
        for j, claim in enumerate(claims):
            row = {
                "claim": claim.id, "rq": claim.rq, "kind": claim.kind, "population": claim.population,
                "derived": is_derived(claim), "scenario": scenario,
                "n_students": n_students, "n_counsellors": n_counsellors, "replications": r,
            }
            errors = int(np.count_nonzero(table[:, j] == ERROR))
            for verdict in VERDICTS:
                count = np.count_nonzero(table[:, j] == verdict) + (errors if verdict == "not_computable" else 0)
                p = float(count) / r
                row[f"share_{verdict}"] = p
                row[f"se_{verdict}"] = math.sqrt(p * (1 - p) / r)
            row["evaluator_errors"] = errors
            rows.append(row)
    return pd.DataFrame(rows)


def result_key() -> dict[str, str | int]:
    """What a planner result's numbers depend on: the claims registry, the codebook and the simulation
    parameters (each a SHA-256 of its parsed content, so comments and layout do not count; the simulation
    parameters without their ``not_decidable`` list, which changes no number) and
    :data:`loopbaanleren.claims.EVALUATOR_VERSION`. A stored result is current while its key equals this one."""
    def digest(name: str) -> str:
        content = {k: v for k, v in load_yaml(name).items() if (name, k) != ("simulation.yaml", "not_decidable")}
        text = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(text.encode()).hexdigest()

    return {
        "registry_sha256": digest("claims.yaml"),
        "codebook_sha256": digest("codebook.yaml"),
        "simulation_sha256": digest("simulation.yaml"),
        "evaluator_version": claims_package.EVALUATOR_VERSION,
    }


def stale_parts(meta: dict) -> list[str]:
    """The parts of :func:`result_key` in which a result's ``meta`` differs from this version (empty: current)."""
    recorded = meta.get("key", {})
    return [name for name, value in result_key().items() if recorded.get(name) != value]


class StaleResultWarning(UserWarning):
    """A planner result made with other claims, parameters or evaluators than this version's."""


def regenerate_command(meta: dict, out: str = "src/loopbaanleren/resources/planner") -> str:
    """The ``loopbaanleren plan`` command that remakes a result with the same R, seed, sizes and hogescholen."""
    students, counsellors = (",".join(str(size[key]) for size in meta["sizes"]) for key in ("n_students", "n_counsellors"))
    k = f" --hogescholen {meta['hogescholen']}" if meta.get("hogescholen") else ""
    return (f"loopbaanleren plan --n-students {students} --n-counsellors {counsellors} --replications "
            f"{meta['replications']} --seed {meta['seed']}{k} --out {out}")


def warn_if_stale(result: PlannerResult) -> list[str]:
    """Warn (:class:`StaleResultWarning`) when ``result`` was made with another registry, codebook, simulation
    parameters or evaluator version than this version's; returns the parts that differ."""
    parts = stale_parts(result.meta)
    if parts:
        warnings.warn(
            f"the planner result was made before a change of {', '.join(parts)}; remake it with "
            f"'{regenerate_command(result.meta)}'", StaleResultWarning, stacklevel=2,
        )
    return parts


def metadata(plan: Plan) -> dict:
    """What a planner result was made with: R, seed, sizes, hogescholen, scenarios, rules, package version and
    the key of what its numbers depend on (:func:`result_key`)."""
    from importlib.metadata import version

    return {
        "replications": plan.replications,
        "seed": plan.seed,
        "sizes": [asdict(s) for s in plan.sizes],
        "hogescholen": plan.hogescholen or total_hogescholen(),
        "scenarios": list(plan.scenarios),
        "alpha": plan.alpha,
        "min_cell": plan.min_cell,
        "claims": len(planned_claims()),
        "package_version": version("loopbaanleren"),
        "key": result_key(),
    }


def write_result(table: pd.DataFrame, meta: dict, out: str | Path) -> Path:
    """Write ``operating_characteristics.csv`` and ``.json`` into ``out`` (each replaced only when complete)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    csv, info = out / f"{RESULT_NAME}.csv", out / f"{RESULT_NAME}.json"
    for path, text in (
        (csv, table.to_csv(index=False, float_format="%.6f", lineterminator="\n")),
        (info, json.dumps(meta, indent=2, sort_keys=True) + "\n"),
    ):
        scratch = path.with_name(f".{path.name}.{os.getpid()}")
        scratch.write_text(text, encoding="utf-8")
        scratch.replace(path)
    return csv


def run_plan(plan: Plan, executor: Executor, progress: Callable[[int, int], None] | None = None) -> pd.DataFrame:
    """Run every task of the plan on ``executor`` (made for the plan's ``jobs`` and ``scheduler``) and return the
    operating characteristics.

    ``progress(done, total)`` is called after each finished replication.
    """
    tasks = plan.tasks()
    for scenario in plan.scenarios:  # calibrate the model here, before worker processes fork
        run_task(Task(-1, scenario, MIN_SIZE, MIN_SIZE, 0, 0, plan.alpha, plan.min_cell, plan.hogescholen))
    verdicts: dict[int, tuple[str, ...]] = {}
    for index, found in map_tasks(run_task, tasks, executor):
        verdicts[index] = found
        if progress:
            progress(len(verdicts), len(tasks))
    return operating_characteristics(tasks, verdicts, planned_claims())


# ---------------------------------------------------------------------------------------------- reading results


@dataclass(frozen=True)
class PlannerResult:
    """A planner result: the operating characteristics and what they were made with."""

    table: pd.DataFrame
    meta: dict = field(default_factory=dict)
    _curves: dict[str, dict[str, pd.DataFrame]] = field(default_factory=dict, init=False, repr=False, compare=False)
    _shares: dict[tuple, float] = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def replications(self) -> int:
        """The number of simulated data sets per design point."""
        return int(self.meta.get("replications", self.table["replications"].max()))

    @property
    def seed(self) -> int | None:
        """The seed the result was simulated with, None when not recorded."""
        return self.meta.get("seed")

    def curve(self, claim_id: str, scenario: str = "calibrated") -> pd.DataFrame:
        """:func:`power_curve` of ``claim_id``; the curves of all claims of a scenario are computed at its first
        use and shared (do not modify the returned frame)."""
        if scenario not in self._curves:
            self._curves[scenario] = power_curves(self.table, scenario)
        found = self._curves[scenario].get(claim_id)
        return found if found is not None else _empty_curve()

    def share_reproduced(
        self, claim_id: str, n_students: int, n_counsellors: int, scenario: str = "calibrated"
    ) -> float | None:
        """The share of replications in which ``claim_id`` was reproduced at a planned size (the first row of the
        table with it), None when the size was not planned."""
        if not self._shares:
            table = self.table
            keys = zip(table["claim"], table["scenario"], table["n_students"], table["n_counsellors"])
            for key, share in zip(keys, table["share_reproduced"].to_numpy(float)):
                self._shares.setdefault(key, float(share))
        return self._shares.get((claim_id, scenario, n_students, n_counsellors))


def load_result(folder: str | Path = STORED) -> PlannerResult:
    """Read ``operating_characteristics.csv`` and its ``.json`` from ``folder`` (default: the stored result)."""
    folder = Path(folder)
    csv = folder / f"{RESULT_NAME}.csv"
    if not csv.is_file():
        raise ParameterError(f"no planner result in {folder} (run 'loopbaanleren plan --out {folder}')")
    info = csv.with_suffix(".json")
    meta = json.loads(info.read_text(encoding="utf-8")) if info.is_file() else {}
    return PlannerResult(pd.read_csv(csv, keep_default_na=False), meta)  # "null" is a scenario, not a missing value


def governing_n(population: str, n_students: float, n_counsellors: float) -> float:
    """The size a claim's precision rests on: students, counsellors, or for both the counsellors (the fewer)."""
    return float(n_students) if population == "students" else float(n_counsellors)


def power_curve(table: pd.DataFrame, claim_id: str, scenario: str = "calibrated") -> pd.DataFrame:
    """The chance of ``reproduced`` against the claim's governing size: columns n, power, se (sorted by n)."""
    part = table[(table["claim"] == claim_id) & (table["scenario"] == scenario)]
    return power_curves(part, scenario).get(claim_id, _empty_curve())


def power_curves(table: pd.DataFrame, scenario: str = "calibrated") -> dict[str, pd.DataFrame]:
    """:func:`power_curve` of every claim of ``table`` in ``scenario``, by claim id, from one grouping of the table
    (the mean over planned sizes with the same governing size)."""
    part = table[table["scenario"] == scenario]
    n = [governing_n(p, s, c) for p, s, c in zip(part["population"], part["n_students"], part["n_counsellors"])]
    rows = pd.DataFrame(
        {
            "claim": part["claim"].to_numpy(),
            "n": np.asarray(n, dtype=float),
            "power": part["share_reproduced"].to_numpy(float),
            "se": part["se_reproduced"].to_numpy(float),
        }
    )
    means = rows.groupby(["claim", "n"]).mean()  # sorted by claim, then by n
    claims, sizes = means.index.get_level_values("claim").to_numpy(), means.index.get_level_values("n").to_numpy()
    power, se = means["power"].to_numpy(), means["se"].to_numpy()
    names, starts = np.unique(claims, return_index=True)
    ends = np.r_[starts[1:], len(claims)]
    return {
        name: pd.DataFrame({"n": sizes[a:b], "power": power[a:b], "se": se[a:b]})
        for name, a, b in zip(names, starts, ends)
    }


def _empty_curve() -> pd.DataFrame:
    return pd.DataFrame(columns=["n", "power", "se"])


def interpolate_power(curve: pd.DataFrame, n: float) -> float:
    """Power at ``n`` by linear interpolation in log n between the planned sizes (held constant beyond them).

    >>> round(interpolate_power(pd.DataFrame({"n": [100, 10000], "power": [0.2, 0.8]}), 1000), 6)
    0.5
    """
    if curve.empty:
        return math.nan
    return float(np.interp(math.log(n), np.log(curve["n"].to_numpy(float)), curve["power"].to_numpy(float)))


def size_for_power(curve: pd.DataFrame, target: float = TARGET_POWER) -> tuple[float | None, str]:
    """The smallest size with power >= ``target`` (log-linear between planned sizes) and how it is known:
    ``"interpolated"``, ``"at_most"`` (already at the smallest size) or ``"beyond"`` (not within the sizes).

    >>> size_for_power(pd.DataFrame({"n": [100, 10000], "power": [0.2, 0.8]}), 0.5)
    (1000.0, 'interpolated')
    """
    if curve.empty:
        return None, "beyond"
    n, power = curve["n"].to_numpy(float), curve["power"].to_numpy(float)
    if power[0] >= target:
        return float(n[0]), "at_most"
    for i in range(1, len(n)):
        if power[i] >= target:
            share = (target - power[i - 1]) / (power[i] - power[i - 1])
            return float(round(math.exp(math.log(n[i - 1]) + share * (math.log(n[i]) - math.log(n[i - 1]))), 6)), "interpolated"
    return None, "beyond"


def power_table(result: PlannerResult, claims: Iterable[Claim] | None = None) -> pd.DataFrame:
    """Per planned claim: its chance of being reproduced at each planned size (calibrated scenario) and the
    size needed for 80% power, with the population that size counts."""
    claims = list(claims if claims is not None else planned_claims())
    table = result.table[result.table["scenario"] == "calibrated"]
    sizes = list(dict.fromkeys(zip(table["n_students"], table["n_counsellors"])))
    rows = []
    for claim in claims:
        row = {"claim": claim.id, "rq": claim.rq, "kind": claim.kind, "population": claim.population}
        for s, c in sizes:
            share = result.share_reproduced(claim.id, s, c)
            row[(s, c)] = math.nan if share is None else share
        needed, how = size_for_power(result.curve(claim.id))
        row["n_80"], row["n_80_how"] = needed, how
        rows.append(row)
    return pd.DataFrame(rows)


def power_at_size(result: PlannerResult, claim: Claim, n_students: float, n_counsellors: float) -> float:
    """A claim's chance of being reproduced at the given sizes, interpolated from the result (calibrated)."""
    return interpolate_power(result.curve(claim.id), governing_n(claim.population, n_students, n_counsellors))
