"""Where a build came from: data, parameters, library versions, commit, times; as JSON and as Dutch text."""

from __future__ import annotations

import json
import platform
import shlex
import subprocess
from collections.abc import Callable
from datetime import datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal
import yaml

from loopbaanleren.book.build_labels import ROLE_NL, SCENARIO_NL
from loopbaanleren.book.escape import myst_text
from loopbaanleren.book.formatting import fmt_n, fmt_num
from loopbaanleren.data.manifest import MANIFEST, first_changed, read_manifest, sha256_file
from loopbaanleren.errors import BuildError


KEY_LIBRARIES = (
    "loopbaanleren",
    "numpy",
    "pandas",
    "scipy",
    "statsmodels",
    "pingouin",
    "scikit-learn",
    "krippendorff",
    "pandera",
    "pyreadstat",
    "matplotlib",
    "seaborn",
    "papermill",
    "jupytext",
    "myst-nb",
    "jupyter-book",
    "sphinx",
)


def manifest_problem(folder: Path) -> str | None:
    """Why the data in ``folder`` are not those its manifest records, or None.

    Every file the manifest lists is hashed again: a file changed, truncated or removed after it was written is
    named (the first one found, in Dutch, for the build's output).
    """
    record = read_manifest(folder)
    if record is None:
        return f"{MANIFEST} ontbreekt of is onleesbaar"
    changed = first_changed(folder, record["files"])
    if changed is None:
        return None
    name, present = changed
    return f"{name} is gewijzigd (checksum wijkt af)" if present else f"{name} ontbreekt"


def library_versions() -> dict[str, str]:
    """Python's and the key libraries' versions."""
    found = {"python": platform.python_version()}
    for name in KEY_LIBRARIES:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "not installed"
    return found


def git_commit(folder: Path) -> dict[str, object]:
    """The commit checked out at ``folder`` and whether a tracked file in ``folder`` differs from it (``dirty``);
    ``"unknown"`` outside git. Untracked files (the build's own outputs, ``.venv``) and changes outside ``folder``
    (a repository the compendium is part of) do not count. The build asks before it writes anything."""

    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(
                ["git", *args], cwd=folder, capture_output=True, text=True, timeout=30, check=True
            )
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout.strip()

    sha = git("rev-parse", "HEAD")
    if not sha:
        return {"commit": "unknown", "dirty": None}
    return {"commit": sha, "dirty": bool(git("status", "--porcelain", "--untracked-files=no", "--", "."))}


def data_text(entry: dict) -> str:
    """One data input in Dutch, for a cell of the colophon's Markdown table: the simulation's seed and size, or the
    file's name (and N); both with the checksum. Seed, name and checksum are literal text
    (:func:`loopbaanleren.book.escape.myst_text`)."""
    size = f", n = {fmt_n(entry['n'])}" if entry.get("n") else ""
    if entry.get("absent"):
        return "niet gegeven"
    file, checksum = (myst_text(entry[key], in_table=True) for key in ("file", "sha256"))
    if entry["synthetic"]:
        return f"synthetisch, seed {myst_text(entry['seed'], in_table=True)}{size}, {file} (SHA-256 {checksum})"
    return f"{file}{size} (SHA-256 {checksum})"


def mapping_record(path: Path) -> dict[str, str]:
    """The mapping file of a build as provenance records it: name, path, SHA-256 and its whole text."""
    return {"file": path.name, "path": str(path), "sha256": sha256_file(path), "content": path.read_text(encoding="utf-8")}


def tree_text(git: dict) -> str:
    """Whether the work tree the book was built from was clean, in Dutch."""
    if git.get("dirty") is None:
        return "onbekend (geen git)"
    return "gewijzigd: met niet-vastgelegde wijzigingen" if git["dirty"] else "schoon: gelijk aan de commit"


PARAMETER_NL = {
    "seed": "startgetal",
    "alpha": "significantieniveau (α)",
    "min_cell": "kleinste getoonde groep",
    "scenario": "scenario",
    "n_students": "aantal studenten (simulatie)",
    "n_counsellors": "aantal begeleiders (simulatie)",
    "only": "alleen de hoofdstukken",
    "no_students": "zonder studenten",
    "no_counsellors": "zonder begeleiders",
    "no_interviews": "zonder interviews",
    "simulate_missing": "ontbrekende groep gesimuleerd",
}
"""The Dutch name of each build parameter the colophon lists (a chapter's own parameter keeps its name)."""


def parameter_text(value: object) -> str:
    """A parameter's value in Dutch: decimal comma, ja/nee, a list joined; an empty list means all."""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, float):
        return format_decimal(value, locale="nl_NL")
    if isinstance(value, (list, tuple)):
        return ", ".join(str(item) for item in value) or "alle"
    return str(value)


def footer_text(record: dict) -> str:
    """The short provenance line in each page's footer."""
    built = format_date(datetime.fromisoformat(record["started"]), format="long", locale="nl_NL")
    commit = record["git"]["commit"]
    commit = commit[:7] if commit != "unknown" else "onbekend"
    data = "; ".join(f"{ROLE_NL[role]}: {short_data_text(entry)}" for role, entry in record["data"].items())
    return f"Gebouwd op {built} uit commit {commit}; {data}"


def short_data_text(entry: dict) -> str:
    """One data input for the footer: the simulation's seed and size, or the file's name, size and short checksum."""
    size = f", n = {fmt_n(entry['n'])}" if entry.get("n") else ""
    if entry.get("absent"):
        return "niet gegeven"
    if entry["synthetic"]:
        return f"synthetisch, seed {entry['seed']}{size}"
    return f"{entry['file']} (sha256 {entry['sha256'][:12]}…){size}"


STATUS_NL = {"executed": "uitgevoerd", "cached": "uit cache"}


def markdown(record: dict) -> str:
    """The provenance as Dutch Markdown tables, for the colophon; every value from the build's inputs (file names,
    parameters, notebook names, versions) is literal text (:func:`loopbaanleren.book.escape.myst_text`)."""
    def cell(value: object) -> str:
        return myst_text(value, in_table=True)

    commit = record["git"]["commit"]
    if record["git"]["dirty"]:
        commit += " (met niet-vastgelegde wijzigingen)"
    started = format_datetime(datetime.fromisoformat(record["started"]), format="long", locale="nl_NL")
    lines = [
        f"Gebouwd op {started} uit commit {myst_text(commit)}.",
        "",
        f"Werkboom: {tree_text(record['git'])}. Begonnen: `{datetime.fromisoformat(record['started']).isoformat()}`.",
        "",
        "| Gegevens | Bron |",
        "|---|---|",
        *(
            f"| {ROLE_NL[role]} | {data_text(entry)} |"
            for role, entry in record["data"].items()
        ),
        "",
        "| Parameter | Waarde |",
        "|---|---|",
        *(f"| {PARAMETER_NL[name] if name in PARAMETER_NL else cell(name)} | "
          f"{cell(SCENARIO_NL.get(value, value) if name == 'scenario' else parameter_text(value))} |"
          for name, value in record["parameters"].items()),
        "",
        "| Notebook | Status | Seconden |",
        "|---|---|---|",
        *(
            f"| {cell(name)} | {STATUS_NL[run['status']]} | {fmt_num(run['seconds'], 1)} |"
            for name, run in record["notebooks"].items()
        ),
        "",
        "| Software | Versie |",
        "|---|---|",
        *(f"| {cell(name)} | {cell(value)} |" for name, value in record["versions"].items()),
        "",
    ]
    return "\n".join(lines)


def timings_text(record: dict, name_text: Callable[[str], str] = str) -> str:
    """How long this build's notebooks took, in Dutch, from the seconds the record measured: the executed ones
    together and the slowest, on which data; the ones taken from the cache. ``name_text`` writes the notebook's
    name (:func:`loopbaanleren.book.escape.myst_text` for Markdown)."""
    runs = record["notebooks"]
    executed = {name: run["seconds"] for name, run in runs.items() if run["status"] == "executed"}
    sizes = [f"{fmt_n(entry['n'])} {ROLE_NL[role]}" for role, entry in record["data"].items() if entry.get("n")]
    on = f", op de gegevens van {' en '.join(sizes)}" if sizes else ""
    if executed:
        slowest = max(executed, key=executed.get)
        text = (f"Deze build voerde {fmt_n(len(executed))} van de {fmt_n(len(runs))} notebooks uit{on}, samen in "
                f"{fmt_num(sum(executed.values()), 0)} seconden rekentijd; het langst duurde {name_text(slowest)} "
                f"({fmt_num(executed[slowest], 0)} seconden).")
    else:
        text = f"Deze build voerde geen notebook uit{on}."
    cached = len(runs) - len(executed)
    if cached:
        text += f" {fmt_n(cached)} van de {fmt_n(len(runs))} notebooks kwamen ongewijzigd uit de cache."
    return text


BUILD_COMMANDS = (
    "make book   # maakt .venv met de vastgepinde pakketten, simuleert de data, voert de notebooks uit, bouwt het boek\n"
    "make test   # voert de tests uit"
)


def repository_address(root: Path) -> str | None:
    """The repository's address from ``CITATION.cff``'s ``repository-code`` in ``root``; None without one. An
    address that is not one line without spaces or backticks is refused (BuildError naming the file)."""
    path = root / "CITATION.cff"
    try:
        citation = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise BuildError(f"{path}: cannot read ({str(exc).splitlines()[0]})") from None
    address = citation.get("repository-code") if isinstance(citation, dict) else None
    if address is None:
        return None
    if not isinstance(address, str) or not address.strip() or any(c.isspace() or c == "`" for c in address.strip()):
        raise BuildError(f"{path.name}: repository-code must be one address (a URL without spaces), got {address!r}")
    return address.strip()


def fetch_text(root: Path) -> str:
    """How to get and build the compendium, in Dutch Markdown, for the rerun page: ``git clone`` of the address in
    ``CITATION.cff`` (``repository-code``) when it names one, otherwise how to take over the compendium's folder."""
    address = repository_address(root)
    if address is None:
        return ("`CITATION.cff` noemt geen openbaar adres van dit compendium (het veld `repository-code`). Neem "
                "daarom de hele map van het compendium over van wie u dit boek kreeg: de map met `Makefile`, `src/`, "
                "`notebooks/` en `book/` (`.venv` hoeft niet mee; is de map een git-repository, dan kopieert "
                "`git clone` met het pad van die map ook de geschiedenis). Bouw daarna in die map:\n\n"
                f"```bash\n{BUILD_COMMANDS}\n```\n")
    return ("Het adres van de repository staat in `CITATION.cff` (het veld `repository-code`):\n\n"
            f"```bash\ngit clone {shlex.quote(address)} loopbaanleren\ncd loopbaanleren\n{BUILD_COMMANDS}\n```\n")


def write(record: dict, path: Path) -> None:
    """Write the record as indented JSON."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
