"""The check of build parameters (:mod:`loopbaanleren.build.params` declares them): every problem at once, one
line each, in a ``ParameterError``; files a parameter names (data, a preregistration, a ledger to compare with) are
read far enough to know they are what the parameter says."""

from __future__ import annotations

import reprlib
from collections.abc import Mapping
from pathlib import Path

from loopbaanleren.build.params import (
    DATA_KEYS, DEFAULTS, EXECUTION_KEYS, EXTRA_MINIMUM, FILE_KEYS, REPLICATION_KEYS, SET_BY_BUILD,
    SWITCHES, BuildParams,
)
from loopbaanleren.build.replication_build import check_source
from loopbaanleren.data.codebook import POPULATIONS
from loopbaanleren.data.file_formats import SUFFIXES
from loopbaanleren.data.scenarios import SCENARIOS
from loopbaanleren.errors import ParameterError

DATA_SUFFIXES = {"students": SUFFIXES, "counsellors": SUFFIXES, "interviews": (".csv",)}
"""The file types each data file may have (survey files: :data:`loopbaanleren.data.file_formats.SUFFIXES`)."""

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
