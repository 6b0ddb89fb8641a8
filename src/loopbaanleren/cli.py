"""Command line interface: ``loopbaanleren simulate | validate | build``."""

from __future__ import annotations

import sys

import typer

from loopbaanleren.errors import CompendiumError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Reproducible research compendium 'Loopbaanleren in het hbo'.",
    pretty_exceptions_enable=False,
)


def fail(error: CompendiumError, code: int = 2) -> None:
    """Print a compendium error as plain lines on stderr and exit, never with a traceback."""
    print(f"error: {error}", file=sys.stderr)
    raise typer.Exit(code)


@app.callback()
def main() -> None:
    """Simulate, validate and analyse the survey data; build the book."""
