"""Command line interface: ``loopbaanleren simulate | validate | build | template | plan | compare | archive | preregister``."""

from __future__ import annotations

import logging
import signal
import sys
from pathlib import Path
from typing import Annotated

import typer

from loopbaanleren.errors import BuildError, CompendiumError, ParameterError
from loopbaanleren.build.interrupt import KEPT_NOTE, Interrupted
from loopbaanleren.build.params import DEFAULTS, load_params_file

# Heavy libraries (pandas, papermill, Jupyter Book, statsmodels, matplotlib) are imported inside the commands
# that use them, so that --help and the parameter checks answer at once.

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
    force: Annotated[
        bool, typer.Option("--force", help="Write into a folder that holds files this command did not write.")
    ] = False,
) -> None:
    """Write synthetic data from the calibrated model (marked synthetic in the files and their metadata).

    A folder that holds files this command did not write (its manifest.json lists those it did) is refused
    unless --force."""
    from loopbaanleren.data.simulation import check_scenario, write_synthetic

    try:
        check_scenario(scenario)
        paths = write_synthetic(out, seed, n_students, n_counsellors, scenario=scenario, force=force)
    except CompendiumError as error:
        fail(error)
    except OSError as error:  # a full disk, an unwritable folder: not bad input
        fail(BuildError(f"{error.filename or out}: {error.strerror or error}"), code=1)
    for population, path in paths.items():
        typer.echo(f"{population}: {path} and {path.with_suffix('.sav')} (synthetisch, seed {seed}, scenario {scenario})")


@app.command("validate")
def validate_command(
    file: Annotated[
        Path,
        typer.Argument(help="Data file to check (.csv, .sav, .zsav, .por, .dta or .xlsx).", show_default=False),
    ],
    population: Annotated[
        str | None,
        typer.Option(
            "--population",
            "-p",
            help="students or counsellors; guessed from the file name when omitted.",
            show_default=False,
        ),
    ] = None,
    mapping: Annotated[
        Path | None, typer.Option(help="Mapping file (YAML): renames, recodes, missing codes, skipped rows.")
    ] = None,
    all_problems: Annotated[
        bool, typer.Option("--all", help="List every instance of a repeated problem, not the first five.")
    ] = False,
) -> None:
    """Check a survey data file against the codebook and report every problem at once; then what the mapping did
    (rows dropped, values recoded, values set missing, labels trusted), per rule and variable."""
    from loopbaanleren.data.survey_files import check_data_file, population_from_name, read_survey

    try:
        rules = None
        if mapping is not None:
            from loopbaanleren.data.mapping import load_mapping

            rules = load_mapping(mapping)
        check_data_file(file)
        population = population or population_from_name(file)
        if population is None:
            raise ParameterError(
                f"cannot tell the population from the file name '{file.name}'; "
                "give --population students or --population counsellors"
            )
        data = read_survey(file, population, rules, full=all_problems)
    except CompendiumError as error:
        fail(error)
    from loopbaanleren.data.mapping import report_lines

    for line in data.attrs["warnings"]:
        print(f"warning: {line}", file=sys.stderr)
    count = len(data.attrs["warnings"])
    suffix = f" ({count} warning{'s' if count > 1 else ''})" if count else ""
    typer.echo(f"{file.name}: {len(data)} rows, valid{suffix}")
    done = report_lines(data.attrs.get("mapping_report", {}))
    if done:
        typer.echo("what the mapping and the file's declarations did:")
        for line in done:
            typer.echo(f"  {line}")


@app.command("build")
def build_command(
    students: Annotated[
        Path | None, typer.Option(help="Student data (.csv, .sav, .zsav, .por, .dta, .xlsx); default: simulated.")
    ] = None,
    counsellors: Annotated[
        Path | None, typer.Option(help="Counsellor data (same formats); default: simulated.")
    ] = None,
    interviews: Annotated[Path | None, typer.Option(help="Coded interview segments (.csv); default: simulated.")] = None,
    seed: Annotated[int | None, typer.Option(help=f"Random seed (default {DEFAULTS['seed']}).")] = None,
    alpha: Annotated[float | None, typer.Option(help=f"Significance level in (0, 1) (default {DEFAULTS['alpha']}).")] = None,
    min_cell: Annotated[int | None, typer.Option(help=f"Smallest group size shown (default {DEFAULTS['min_cell']}).")] = None,
    n_students: Annotated[int | None, typer.Option(help="Students in the simulated data (default: the codebook's N).")] = None,
    n_counsellors: Annotated[int | None, typer.Option(help="Counsellors in the simulated data (default: the codebook's N).")] = None,
    only: Annotated[
        str | None, typer.Option(help="Run only these notebooks, e.g. 00,03 (a partial book in its own folders).")
    ] = None,
    mapping: Annotated[Path | None, typer.Option(help="Mapping file (YAML) for your survey files.")] = None,
    no_interviews: Annotated[
        bool, typer.Option("--no-interviews", help="Leave the interview study out (its claims: not computable).")
    ] = False,
    no_students: Annotated[
        bool, typer.Option("--no-students", help="No student survey (its claims: not computable).")
    ] = False,
    no_counsellors: Annotated[
        bool, typer.Option("--no-counsellors", help="No counsellor survey (its claims: not computable).")
    ] = False,
    simulate_missing: Annotated[
        bool,
        typer.Option("--simulate-missing", help="With own data for one survey, simulate the other (claims on it are "
                     "marked and not counted with your own data)."),
    ] = False,
    scenario: Annotated[str | None, typer.Option(help="Simulated data: default or null (the negative control).")] = None,
    jobs: Annotated[int | None, typer.Option(help="Notebooks executed at once (default: all cores).")] = None,
    scheduler: Annotated[str | None, typer.Option(help="Run the notebooks on the Dask scheduler at this address.")] = None,
    params: Annotated[Path | None, typer.Option(help="YAML file of parameters; flags override it.")] = None,
    preregistration: Annotated[
        Path | None, typer.Option(help="preregistration.json to check the build against (deviations are shown).")
    ] = None,
    compare_with: Annotated[
        str | None, typer.Option(help="Ledger (claims.csv or results folder) or 'published': a comparison chapter.")
    ] = None,
    project: Annotated[
        Path | None,
        typer.Option(help="Folder with notebooks/ and book/; outputs go there too (default: the compendium at or "
                     "above the current folder).", show_default=False),
    ] = None,
) -> None:
    """Run the notebooks and build the book into book/_build/html (results in results/); with --only into
    book/_build/partial-NN and results/partial-NN."""
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
        "mapping": mapping,
        "no_interviews": no_interviews or None,
        "no_students": no_students or None,
        "no_counsellors": no_counsellors or None,
        "simulate_missing": simulate_missing or None,
        "scenario": scenario,
        "jobs": jobs,
        "scheduler": scheduler,
        "preregistration": preregistration,
        "compare_with": compare_with,
    }
    logging.getLogger().addHandler(logging.NullHandler())  # libraries' log lines are not messages for the user
    try:
        raw = load_params_file(params) if params else {}
        raw.update({key: value for key, value in flags.items() if value is not None})
        from loopbaanleren.build.layout import Layout
        from loopbaanleren.build.pipeline import build
        from loopbaanleren.build.project import find_project, installed_elsewhere

        root = project.resolve() if project else find_project()
        note = installed_elsewhere(root)
        if note:
            print(note, file=sys.stderr)
        report = build(raw, Layout(root))
        check = report.provenance.get("preregistration")
        if check:
            typer.echo(f"Preregistration {check['file']}: {check['as_preregistered']} of {check['claims']} claims as "
                       f"preregistered, {len(check['deviations'])} deviation(s) (see the colophon)")
    except BuildError as error:
        fail(error, code=1)
    except CompendiumError as error:
        fail(error)
    except OSError as error:  # e.g. a project folder that cannot be written
        fail(BuildError(f"{error.filename or project or 'the project'}: {error.strerror or error}"), code=1)
    except KeyboardInterrupt:  # reported by the entry point (loopbaanleren.__main__), exit code 130
        raise Interrupted(signal.SIGINT, KEPT_NOTE) from None


@app.command("template")
def template_command(
    out: Annotated[Path, typer.Option(help="Folder to write the templates into.")] = Path("template"),
    from_file: Annotated[
        Path | None,
        typer.Option("--from", help="Your own export: write a mapping skeleton guessed from its names and labels."),
    ] = None,
    population: Annotated[
        str | None,
        typer.Option("--population", "-p", help="students or counsellors (for --from; guessed from the name)."),
    ] = None,
) -> None:
    """Write empty data files (.csv, .sav) and the questionnaire (Markdown, Dutch); with --from, a mapping skeleton."""
    from loopbaanleren.data.survey_files import check_data_file, population_from_name
    from loopbaanleren.data.templates import write_mapping_skeleton, write_templates

    try:
        if from_file is not None:
            check_data_file(from_file)
            population = population or population_from_name(from_file)
            if population is None:
                raise ParameterError(
                    f"cannot tell the population from the file name '{from_file.name}'; "
                    "give --population students or --population counsellors"
                )
            path, guessed, unmatched = write_mapping_skeleton(from_file, population, out)
            typer.echo(f"{path}: {guessed} columns guessed (check each '# review' line), {unmatched} not matched")
            return
        for path in write_templates(out):
            typer.echo(str(path))
    except CompendiumError as error:
        fail(error)
    except OSError as error:
        fail(ParameterError(f"cannot write to {out}: {error.strerror}"))


@app.command("plan")
def plan_command(
    n_students: Annotated[str | None, typer.Option(help="Numbers of students, e.g. 600,1200,4820 (default: the study's 4,820).")] = None,
    n_counsellors: Annotated[str | None, typer.Option(help="Numbers of counsellors, paired by position with --n-students (default: 371).")] = None,
    replications: Annotated[int, typer.Option(help="Simulated data sets per size and scenario.")] = 200,
    seed: Annotated[int, typer.Option(help="Random seed; replication r uses SeedSequence(seed).spawn(...)[r].")] = 2026,
    scenario: Annotated[str, typer.Option(help="calibrated, null or both.")] = "both",
    jobs: Annotated[int | None, typer.Option(help="Local worker processes (default: all cores).")] = None,
    scheduler: Annotated[str | None, typer.Option(help="Dask scheduler address, e.g. tcp://host:8786.")] = None,
    out: Annotated[Path, typer.Option(help="Folder for operating_characteristics.csv and .json.")] = Path("results"),
    hogescholen: Annotated[int | None, typer.Option(help="Whole hogescholen per sample, drawn at random (default: all of the simulation parameters).")] = None,
) -> None:
    """Operating characteristics: per claim, size and scenario, the shares of each verdict over simulated replications."""
    from loopbaanleren.build.executor import make_executor
    from loopbaanleren.robustness import planner

    try:
        plan = planner.check_plan(n_students, n_counsellors, replications, seed, scenario, jobs, scheduler, out,
                                  hogescholen=hogescholen)
    except CompendiumError as error:
        fail(error)
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    console = Console(stderr=True, highlight=False)
    sizes = ", ".join(f"{s.n_students}/{s.n_counsellors}" for s in plan.sizes)
    console.print(f"Planning {replications} replications x {len(plan.sizes)} sizes (students/counsellors: {sizes}) "
                  f"x {len(plan.scenarios)} scenario(s), {plan.hogescholen} hogescholen per sample, seed {seed}")
    columns = (TextColumn("replications"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn())
    try:
        with make_executor(plan.jobs, plan.scheduler) as executor, Progress(*columns, console=console) as progress:
            bar = progress.add_task("plan", total=len(plan.tasks()))
            table = planner.run_plan(plan, executor, lambda done, total: progress.update(bar, completed=done))
        path = planner.write_result(table, planner.metadata(plan), plan.out)
    except CompendiumError as error:
        fail(error)
    except OSError as error:  # e.g. an unreachable scheduler or an output folder that cannot be written
        fail(ParameterError(f"{error.filename or scheduler or out}: {error.strerror or error}"))
    except KeyboardInterrupt:
        fail(BuildError("the plan was interrupted; no result was written"), code=130)
    typer.echo(f"{path} and {path.with_suffix('.json')}")


@app.command("compare")
def compare_command(
    ledger_a: Annotated[str, typer.Argument(help="First ledger: a claims.csv, a results folder, or 'published'.", show_default=False)],
    ledger_b: Annotated[str, typer.Argument(help="Second ledger: a claims.csv or a results folder.", show_default=False)],
    out: Annotated[Path | None, typer.Option(help="Folder to write vergelijking.csv and vergelijking.md into.")] = None,
) -> None:
    """Two claims ledgers claim by claim: verdict, estimate and interval in each, and which verdicts changed."""
    from loopbaanleren.book import ledger_comparison

    try:
        a, b = ledger_comparison.read_ledger(ledger_a), ledger_comparison.read_ledger(ledger_b)
        comparison = ledger_comparison.compare_ledgers(a, b)
        written = ledger_comparison.write_comparison(comparison, out, a.name, b.name) if out else []
    except CompendiumError as error:
        fail(error)
    except OSError as error:
        fail(ParameterError(f"cannot write to {out}: {error.strerror}"))
    for line in ledger_comparison.summary_lines(comparison, a.name, b.name):
        typer.echo(line)
    for path in written:
        typer.echo(str(path))


@app.command("archive")
def archive_command(
    out: Annotated[Path, typer.Option(help="Folder to write the RO-Crate into (with --zip: this name with .zip).")],
    include_data: Annotated[
        bool, typer.Option("--include-data", help="Include your own data files (default: only name, size, SHA-256).")
    ] = False,
    zip_file: Annotated[bool, typer.Option("--zip", help="Write one .zip file, ready to upload.")] = False,
    project: Annotated[Path | None, typer.Option(help="Project folder whose last build to archive.", show_default=False)] = None,
) -> None:
    """Write the last build (book, results, notebooks, codebook, registry, environment, data) as an RO-Crate."""
    from loopbaanleren.build.archive import write_archive
    from loopbaanleren.build.layout import Layout
    from loopbaanleren.build.project import find_project

    try:
        archive = write_archive(Layout(project.resolve() if project else find_project()), out, include_data, zip_file)
    except CompendiumError as error:
        fail(error)
    except OSError as error:
        fail(ParameterError(f"cannot write to {out}: {error.strerror or error}"))
    typer.echo(f"{archive.path}: RO-Crate with {archive.entities} entities, {archive.size:,} bytes (read back: valid)")
    for name in archive.left_out:
        typer.echo(f"not included (personal data; name, size and SHA-256 recorded): {name}")


@app.command("preregister")
def preregister_command(
    n_students: Annotated[int | None, typer.Option(help="Planned number of students (default: the study's 4,820).")] = None,
    n_counsellors: Annotated[int | None, typer.Option(help="Planned number of counsellors (default: the study's 371).")] = None,
    hogescholen: Annotated[int | None, typer.Option(help="Planned number of hogescholen (default: the study's 11).")] = None,
    alpha: Annotated[float, typer.Option(help="Significance level in (0, 1).")] = 0.05,
    planner: Annotated[
        Path | None, typer.Option(help="Folder of a planner result (loopbaanleren plan --out); default: the stored one.")
    ] = None,
    out: Annotated[Path, typer.Option(help="Folder to write preregistratie.md and preregistration.json into.")] = Path("preregistratie"),
    pdf: Annotated[bool, typer.Option("--pdf", help="Also print preregistratie.pdf (headless Chromium, as make pdf).")] = False,
) -> None:
    """Write a preregistration (Dutch Markdown, OSF sections; and JSON) of a replication at the planned sizes."""
    from loopbaanleren.build import preregistration
    from loopbaanleren.data.registry import original_design

    students, counsellors = original_design("students"), original_design("counsellors")
    sizes = preregistration.Sizes(
        n_students if n_students is not None else students[0],
        n_counsellors if n_counsellors is not None else counsellors[0],
        hogescholen if hogescholen is not None else students[1],
    )
    try:
        document = preregistration.make_preregistration(sizes, alpha, planner)
        paths = preregistration.write_preregistration(document, out)
        if pdf:
            paths = (*paths, preregistration.write_pdf(paths[1]))
    except BuildError as error:  # Chromium missing or failing: the Markdown and JSON are written
        fail(error, code=1)
    except CompendiumError as error:
        fail(error)
    except OSError as error:
        fail(ParameterError(f"cannot write to {out}: {error.strerror}"))
    for path in paths:
        typer.echo(f"{path} ({path.stat().st_size:,} bytes)")
    if document["planner"]["command"]:
        typer.echo("the planner result does not hold these sizes; the chances are missing. Compute them with:\n  "
                   + document["planner"]["command"] + "\nand run preregister again with --planner FOLDER")
