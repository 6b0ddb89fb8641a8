"""Build parameters: defaults, the ``--params`` YAML file and what each notebook receives (checked by
:mod:`loopbaanleren.build.param_check`).

A build parameter comes from (last wins) its default (``DEFAULTS``), the YAML file, or its command line flag.

| build key (YAML / flag)          | notebook parameter | meaning                                          |
|----------------------------------|--------------------|--------------------------------------------------|
| ``students`` / ``--students``    | ``students_path``  | student data, CSV or SPSS .sav (default: simulated) |
| ``counsellors``                  | ``counsellors_path`` | counsellor data, CSV or .sav (default: simulated) |
| ``interviews``                   | ``interviews_path``  | coded interview segments, CSV (default: simulated) |
| ``seed``                         | ``seed``           | random seed of the simulation and any resampling |
| ``alpha``                        | ``alpha``          | significance level, in (0, 1)                    |
| ``min_cell``                     | ``min_cell``       | smallest group size shown                        |
| ``scenario`` / ``--scenario``    | ``scenario``       | simulated data: ``default`` or ``null`` (negative control) |
| ``n_students`` / ``n_counsellors`` | (none)           | size of the simulated data (default: the codebook's N) |
| ``only``                         | (none)             | run only these notebooks, e.g. ``00,03``, into ``partial-00-03`` folders |
| ``mapping`` / ``--mapping``      | (none)             | mapping file for the user's survey files (see ``loopbaanleren.data.mapping``) |
| ``no_interviews``                | (none)             | leave the interview study out                    |
| ``no_students`` / ``no_counsellors`` | (none)         | leave that survey out (its claims: not computable) |
| ``simulate_missing``             | (none)             | with own data for one survey, simulate the other (marked) |
| ``jobs`` / ``--jobs``            | (none)             | notebooks executed at once (default: all cores)  |
| ``scheduler`` / ``--scheduler``  | (none)             | address of a Dask scheduler to execute them on   |
| ``preregistration``              | (none)             | a preregistration.json to check the build against |
| ``compare_with``                 | (none)             | a ledger (or ``published``) the book compares its claims with |
| (set by the build)               | ``preregistered``  | per claim: analysed as preregistered, or the deviations |
| (set by the build)               | ``synthetic``      | True when any input was simulated                |
| (set by the build)               | ``results_dir``    | folder for the notebook's result files           |
| (set by the build)               | ``notebooks_dir``  | the notebooks' folder (see below)                |

Which chapters a notebook reads the results of (e.g. the claims ledger) is declared in the chapter graph
(:mod:`loopbaanleren.book.chapter_graph`); such a notebook runs after them and is re-executed whenever their sources or
results change.

Any other name a notebook declares in its parameters cell may be set in the YAML file too; its value
must have the type of the notebook's default (and meet ``EXTRA_MINIMUM`` where a type is not enough, e.g.
``n_boot`` at least 1). Paths in the YAML file are relative to that file.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

from loopbaanleren.data.yaml_files import load_yaml_file
from loopbaanleren.errors import ParameterError

DATA_KEYS = {"students": "students_path", "counsellors": "counsellors_path", "interviews": "interviews_path"}
FILE_KEYS = (*DATA_KEYS, "mapping")
EXTRA_MINIMUM = {"n_boot": 1, "workers": 1}  # notebook parameters whose type alone does not make them valid
SET_BY_BUILD = ("synthetic", "results_dir", "notebooks_dir", "shared_dir", "chapters", "preregistered")
DEFAULTS = {"seed": 2026, "alpha": 0.05, "min_cell": 10, "scenario": "default"}
REPLICATION_KEYS = ("preregistration", "compare_with")
"""Keys of a replication (see :mod:`loopbaanleren.build.replication_build`): what the build is checked against and
compared with; they change the ledger's column and the book's pages, not what the chapters compute."""
SWITCHES = ("no_interviews", "no_students", "no_counsellors", "simulate_missing")
"""The true/false build keys (command line flags without a value)."""
EXECUTION_KEYS = ("jobs", "scheduler")
"""Keys that say how the notebooks are executed, not what they compute: not recorded, not in cache keys."""


@dataclass(frozen=True, kw_only=True)
class BuildParams:
    """Checked build parameters; data paths are absolute, ``None`` meaning 'simulate'."""

    students: Path | None = None
    counsellors: Path | None = None
    interviews: Path | None = None
    seed: int = DEFAULTS["seed"]
    alpha: float = DEFAULTS["alpha"]
    min_cell: int = DEFAULTS["min_cell"]
    scenario: str = DEFAULTS["scenario"]
    n_students: int
    n_counsellors: int
    only: tuple[str, ...] = ()
    mapping: Path | None = None
    no_interviews: bool = False
    no_students: bool = False
    no_counsellors: bool = False
    simulate_missing: bool = False
    jobs: int | None = None  # how, not what: neither recorded nor in cache keys
    scheduler: str | None = None
    preregistration: Path | None = None
    compare_with: str | None = None
    preregistered: dict[str, str] = field(default_factory=dict)  # set by the build from the preregistration
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def partial(self) -> str:
        """The folder name of a partial book (``partial-00-05``), empty for the full book."""
        return "partial-" + "-".join(name[:2] for name in self.only) if self.only else ""

    def recorded(self) -> dict[str, object]:
        """The parameters as provenance records them (the data files are recorded on their own)."""
        sizes = {"n_students": self.n_students, "n_counsellors": self.n_counsellors, "only": list(self.only)}
        for switch in SWITCHES:
            if getattr(self, switch):
                sizes[switch] = True
        return {**self.notebook_values(), **sizes}

    def notebook_values(self) -> dict[str, object]:
        """The values notebooks may declare, by notebook parameter name (data paths excluded)."""
        return {"seed": self.seed, "alpha": self.alpha, "min_cell": self.min_cell, "scenario": self.scenario, **self.extra}


def declared_parameters(source: str) -> dict[str, object]:
    """Names and literal defaults (``None`` if not a literal) of a parameters cell's assignments."""
    from papermill.translators import PythonTranslator  # papermill's own reading of a parameters cell

    declared = {}
    for param in PythonTranslator.inspect({"source": source}):
        try:
            declared[param.name] = ast.literal_eval(param.default)
        except (ValueError, SyntaxError):
            declared[param.name] = None
    return declared


def load_params_file(path: Path) -> dict[str, object]:
    """The mapping in a YAML parameters file, its relative data paths resolved against the file's folder."""
    if path.is_dir():
        raise ParameterError(f"--params: {path} is a folder, not a file")
    if not path.is_file():
        raise ParameterError(f"--params: file not found: {path}")
    raw = load_yaml_file(path, "--params")
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ParameterError(f"--params {path}: expected a mapping of parameter: value")
    for key in (*FILE_KEYS, *REPLICATION_KEYS):
        if isinstance(raw.get(key), str) and raw[key] != "published":
            try:
                raw[key] = str((path.parent / raw[key]).resolve())
            except ValueError:  # no path at all (a NUL byte, a lone surrogate): check() reports it
                pass
    return raw
