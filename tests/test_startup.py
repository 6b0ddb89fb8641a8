"""Start-up: the command line module does not import the heavy libraries its commands use later."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("papermill", "jupyter_book", "statsmodels", "matplotlib", "pandas", "sklearn", "nbclient")


def imported_after(statement: str) -> list[str]:
    code = f"import json, sys; {statement}; print(json.dumps(sorted(m for m in {list(HEAVY)!r} if m in sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_importing_the_cli_imports_no_heavy_library():
    assert imported_after("import loopbaanleren.build.cli") == []


def test_the_build_checks_parameters_before_importing_papermill_or_statsmodels():
    # pandas reads the codebook and papermill the notebooks' parameters cells; the rest waits for the notebooks
    statement = (
        "from loopbaanleren.errors import ParameterError\n"
        "from loopbaanleren.build.layout import Layout\n"
        "from loopbaanleren.build.pipeline import build\n"
        "try:\n build({'alpha': 2}, Layout(Path.cwd()))\nexcept ParameterError as e:\n print(e, file=sys.stderr)"
    )
    code = f"import json, sys\nfrom pathlib import Path\n{statement}\nprint(json.dumps(sorted(m for m in {list(HEAVY)!r} if m in sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "alpha: must lie strictly between 0 and 1" in done.stderr
    assert set(json.loads(done.stdout.strip().splitlines()[-1])) <= {"pandas", "papermill", "nbclient"}
