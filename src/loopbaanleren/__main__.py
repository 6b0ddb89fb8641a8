"""``python -m loopbaanleren``: the command line interface."""

from loopbaanleren.cli import app

app(prog_name="loopbaanleren")
