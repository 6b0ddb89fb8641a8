"""Build parameters: defaults, the ``--params`` YAML file, checks, and what each notebook receives.

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
import reprlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from loopbaanleren.data.scenarios import SCENARIOS
from loopbaanleren.data.yaml_files import load_yaml_file
from loopbaanleren.errors import ParameterError

DATA_KEYS = {"students": "students_path", "counsellors": "counsellors_path", "interviews": "interviews_path"}
_SURVEY_SUFFIXES = (".csv", ".tsv", ".txt", ".sav", ".zsav", ".por", ".dta", ".xlsx")  # loopbaanleren.data.file_formats
DATA_SUFFIXES = {"students": _SURVEY_SUFFIXES, "counsellors": _SURVEY_SUFFIXES, "interviews": (".csv",)}
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


_SHOWN = reprlib.Repr()
_SHOWN.maxstring = _SHOWN.maxother = 80
_SHOWN.maxlist = _SHOWN.maxtuple = _SHOWN.maxdict = _SHOWN.maxset = 5
_SHOWN.maxlevel = 2


def _shown(value: object) -> str:
    """A value as a message shows it: its ``repr``, cut short (a message never prints an unbounded value).

    >>> _shown("x" * 1000)[:10], len(_shown("x" * 1000)) <= 80, _shown([[1, 2]] * 100)
    ("'xxxxxxxxx", True, '[[1, 2], [1, 2], [1, 2], [1, 2], [1, 2], ...]')
    """
    return _SHOWN.repr(value)


def _integer(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_value(key: str, value: object, problems: list[str]) -> object:
    """The checked value of a known build key; a problem is appended when it is not acceptable."""
    if key in REPLICATION_KEYS:
        from loopbaanleren.build.replication_build import check_source

        return check_source(key, value, problems)
    if key in SWITCHES:
        if not isinstance(value, bool):
            problems.append(f"{key}: expected true or false, got {_shown(value)}")
        return bool(value)
    if key in FILE_KEYS:
        try:
            path = Path(value).expanduser().resolve() if isinstance(value, (str, Path)) and str(value) else None
            found = path is not None and path.is_file()
        except ValueError:  # a NUL byte or a character no file name can hold
            path = None
        if path is None:
            problems.append(f"{key}: expected a file path, got {_shown(value)}")
            return None
        if not found and path.is_dir():
            problems.append(f"{key}: {path} is a folder, not a file")
        elif not found:
            problems.append(f"{key}: file not found: {path}")
        elif key == "mapping" and path.suffix.lower() not in (".yaml", ".yml"):
            problems.append(f"mapping: {path.name} is not a .yaml or .yml file")
        elif key in DATA_SUFFIXES and path.suffix.lower() not in DATA_SUFFIXES[key]:
            problems.append(f"{key}: {path.name} is not a {' or '.join(DATA_SUFFIXES[key])} file")
        return path
    if key == "alpha":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            problems.append(f"alpha: expected a number between 0 and 1, got {_shown(value)}")
        elif not 0 < value < 1:
            problems.append(f"alpha: must lie strictly between 0 and 1, got {value}")
        return value
    if key == "scenario":
        if value not in SCENARIOS:
            problems.append(f"scenario: expected one of {', '.join(SCENARIOS)}, got {_shown(value)}")
        return value
    if key == "scheduler":
        if not isinstance(value, str) or not value.strip():
            problems.append(f"scheduler: expected the address of a Dask scheduler like 'tcp://host:8786', got {_shown(value)}")
        return value
    if key == "only":
        # YAML reads `only: 05` as the int 5 and `only: 00, 05` as a string
        if _integer(value) or (isinstance(value, float) and value.is_integer()):
            value = [int(value)]
        items = value.split(",") if isinstance(value, str) else value
        if not isinstance(items, (list, tuple)) or not all(isinstance(i, (str, int)) for i in items):
            problems.append(f"only: expected notebook numbers like '00,03', got {_shown(value)}")
            return ()
        return tuple(f"{i:02d}" if _integer(i) else str(i).strip() for i in items if str(i).strip())
    minimum = {"seed": 0, "min_cell": 1, "n_students": 1, "n_counsellors": 1, "jobs": 1}[key]
    if not _integer(value):
        problems.append(f"{key}: expected a whole number, got {_shown(value)}")
    elif value < minimum:
        problems.append(f"{key}: must be at least {minimum}, got {value}")
    return value


def _check_extra(key: str, value: object, default: object, problems: list[str]) -> None:
    if default is None or value is None:
        return
    if isinstance(default, float) and _integer(value):
        return
    if type(value) is not type(default):
        problems.append(
            f"{key}: expected {type(default).__name__} like the notebooks' default {_shown(default)}, got {_shown(value)}"
        )
    elif key in EXTRA_MINIMUM and value < EXTRA_MINIMUM[key]:
        problems.append(f"{key}: must be at least {EXTRA_MINIMUM[key]}, got {value}")


def _population_problems(values: Mapping[str, object]) -> list[str]:
    """Own data for one survey and nothing said about the other (no synthetic data slips into an own-data book),
    a survey both given and left out, or both left out: one line each."""
    from loopbaanleren.data.codebook import POPULATIONS

    problems = []
    for population in POPULATIONS:
        if values.get(f"no_{population}") and values.get(population) is not None:
            problems.append(f"no_{population}: the {population} are left out, but a {population} file is given too")
    if all(values.get(f"no_{population}") for population in POPULATIONS):
        problems.append("no_students and no_counsellors: both surveys left out; there is nothing to compute")
    own = [population for population in POPULATIONS if values.get(population) is not None]
    if len(own) == 1 and not values.get("simulate_missing"):
        other = next(population for population in POPULATIONS if population not in own)
        if not values.get(f"no_{other}"):
            problems.append(
                f"--{own[0]} is your own data, but no --{other} file is given: add --{other} FILE, or --no-{other} "
                f"(the {other}' claims are then not computable), or --simulate-missing (simulated {other}, marked "
                "as such and never counted with your own data)"
            )
    return problems


def check(
    raw: Mapping[str, object],
    declared: Mapping[str, Mapping[str, object]],
    default_sizes: tuple[int, int],
) -> BuildParams:
    """Check raw parameters against the notebooks' parameters cells and return them as ``BuildParams``.

    ``declared`` maps each notebook name (``00_data``) to its parameters cell's names and defaults;
    ``default_sizes`` gives the simulated data's sizes (students, counsellors). Every problem found is
    reported at once, one line each, in a ``ParameterError``.
    """
    build_keys = set(FILE_KEYS) | set(DEFAULTS) | {"n_students", "n_counsellors", "only", *SWITCHES, *EXECUTION_KEYS,
                                                   *REPLICATION_KEYS}
    managed = set(DATA_KEYS.values()) | set(DEFAULTS) | set(SET_BY_BUILD)
    extra_defaults: dict[str, object] = {}
    for names in declared.values():
        for name, default in names.items():
            if name not in managed:
                extra_defaults.setdefault(name, default)

    problems: list[str] = []
    values: dict[str, object] = {}
    extra: dict[str, object] = {}
    for key, value in raw.items():
        if key in build_keys:
            values[key] = _check_value(key, value, problems)
        elif key in extra_defaults:
            _check_extra(key, value, extra_defaults[key], problems)
            extra[key] = value
        else:
            known = ", ".join(sorted(build_keys | set(extra_defaults)))
            problems.append(f"unknown parameter {_shown(key)}; known parameters: {known}")

    if values.get("no_interviews") and values.get("interviews") is not None:
        problems.append("no_interviews: the interviews are left out, but an interviews file is given too")
    if not problems:  # a data file that is not there is the one thing to say about it
        problems += _population_problems(values)
    for prefix in dict.fromkeys(values.get("only", ())):  # each named once
        matches = [name for name in declared if name == prefix or name.split("_", 1)[0] == prefix]
        if len(matches) != 1:
            problems.append(f"only: {_shown(prefix)} does not name one notebook; notebooks: {', '.join(declared)}")
    if problems:
        raise ParameterError("\n".join(problems))

    values.setdefault("n_students", default_sizes[0])
    values.setdefault("n_counsellors", default_sizes[1])
    values["only"] = tuple(
        name for name in declared for prefix in values.get("only", ()) if prefix in (name, name.split("_", 1)[0])
    )
    return BuildParams(**values, extra=extra)
