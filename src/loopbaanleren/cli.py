"""Command line interface: ``loopbaanleren simulate | validate | build``."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Annotated

import typer

from loopbaanleren.errors import BuildError, CompendiumError, ParameterError
from loopbaanleren.io import check_data_file, population_from_name, read_survey
from loopbaanleren.params import DEFAULTS, load_params_file
from loopbaanleren.pipeline import PROJECT_ROOT, Layout, build

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Reproducible research compendium 'Loopbaanleren in het hbo'.",
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # usage errors as one plain line, not a panel wrapped to the terminal's width
)


def fail(error: CompendiumError, code: int = 2) -> None:
    """Print a compendium error as plain lines on stderr and exit, never with a traceback."""
    print(f"error: {error}", file=sys.stderr)
    raise typer.Exit(code)


@app.callback()
def main() -> None:
    """Simulate, validate and analyse the survey data; build the book."""


@app.command("simulate")
def simulate_command(
    out: Annotated[Path, typer.Option(help="Folder to write students/counsellors .csv and .sav into.")],
    seed: Annotated[int, typer.Option(help="Random seed; the same seed gives the same data.")] = 2026,
    n_students: Annotated[int | None, typer.Option(help="Number of students (default: the study's 4,820).")] = None,
    n_counsellors: Annotated[int | None, typer.Option(help="Number of counsellors (default: the study's 371).")] = None,
    scenario: Annotated[str, typer.Option(help="default (the calibrated model) or null (the negative control).")] = "default",
) -> None:
    """Write synthetic data from the calibrated model (marked synthetic in the files and their metadata)."""
    from loopbaanleren.simulate import check_scenario, write_synthetic

    try:
        check_scenario(scenario)
        paths = write_synthetic(out, seed, n_students, n_counsellors, scenario=scenario)
    except CompendiumError as error:
        fail(error)
    except OSError as error:
        fail(ParameterError(f"cannot write to {out}: {error.strerror}"))
    for population, path in paths.items():
        typer.echo(f"{population}: {path} and {path.with_suffix('.sav')} (synthetisch, seed {seed}, scenario {scenario})")


@app.command("validate")
def validate_command(
    file: Annotated[Path, typer.Argument(help="Data file to check (.csv or .sav).", show_default=False)],
    population: Annotated[
        str | None,
        typer.Option(
            "--population",
            "-p",
            help="students or counsellors; guessed from the file name when omitted.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Check a survey data file against the codebook and report every problem at once."""
    try:
        check_data_file(file)
        population = population or population_from_name(file)
        if population is None:
            raise ParameterError(
                f"cannot tell the population from the file name '{file.name}'; "
                "give --population students or --population counsellors"
            )
        data = read_survey(file, population)
    except CompendiumError as error:
        fail(error)
    for line in data.attrs["warnings"]:
        print(f"warning: {line}", file=sys.stderr)
    count = len(data.attrs["warnings"])
    suffix = f" ({count} warning{'s' if count > 1 else ''})" if count else ""
    typer.echo(f"{file.name}: {len(data)} rows, valid{suffix}")


@app.command("build")
def build_command(
    students: Annotated[Path | None, typer.Option(help="Student data (.csv or .sav); default: simulated.")] = None,
    counsellors: Annotated[Path | None, typer.Option(help="Counsellor data (.csv or .sav); default: simulated.")] = None,
    interviews: Annotated[Path | None, typer.Option(help="Coded interview segments (.csv); default: simulated.")] = None,
    seed: Annotated[int | None, typer.Option(help=f"Random seed (default {DEFAULTS['seed']}).")] = None,
    alpha: Annotated[float | None, typer.Option(help=f"Significance level in (0, 1) (default {DEFAULTS['alpha']}).")] = None,
    min_cell: Annotated[int | None, typer.Option(help=f"Smallest group size shown (default {DEFAULTS['min_cell']}).")] = None,
    n_students: Annotated[int | None, typer.Option(help="Students in the simulated data (default: the codebook's N).")] = None,
    n_counsellors: Annotated[int | None, typer.Option(help="Counsellors in the simulated data (default: the codebook's N).")] = None,
    only: Annotated[str | None, typer.Option(help="Run only these notebooks, e.g. 00,03.")] = None,
    scenario: Annotated[str | None, typer.Option(help="Simulated data: default or null (the negative control).")] = None,
    params: Annotated[Path | None, typer.Option(help="YAML file of parameters; flags override it.")] = None,
    project: Annotated[Path, typer.Option(help="Folder with notebooks/ and book/; outputs go there too.")] = PROJECT_ROOT,
) -> None:
    """Run the notebooks and build the book into book/_build/html (results in results/)."""
    flags = {
        "students": students,
        "counsellors": counsellors,
        "interviews": interviews,
        "seed": seed,
        "alpha": alpha,
        "min_cell": min_cell,
        "n_students": n_students,
        "n_counsellors": n_counsellors,
        "only": only,
        "scenario": scenario,
    }
    logging.getLogger().addHandler(logging.NullHandler())  # libraries' log lines are not messages for the user
    try:
        raw = load_params_file(params) if params else {}
        raw.update({key: value for key, value in flags.items() if value is not None})
        build(raw, Layout(project.resolve()))
    except BuildError as error:
        fail(error, code=1)
    except CompendiumError as error:
        fail(error)
    except OSError as error:  # e.g. a project folder that cannot be written
        fail(BuildError(f"{error.filename or project}: {error.strerror or error}"), code=1)
    except KeyboardInterrupt:
        fail(BuildError("the build was interrupted; the previous book and results are unchanged"), code=130)
