"""The book step: the executed notebooks and the book's pages staged with the build's notices, then Jupyter Book."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import nbformat
import yaml

from loopbaanleren.book.build_labels import ROLE_NL, SCENARIO_NL
from loopbaanleren.book.chapter_graph import toc_files
from loopbaanleren.book.escape import html_text, myst_text
from loopbaanleren.build import provenance, replication_build
from loopbaanleren.build.layout import BOOK_OUTPUTS, Layout
from loopbaanleren.build.scrub import machine_roots, scrub_notebook
from loopbaanleren.errors import BuildError, writing

BOOK_WARNING = re.compile(r"(WARNING|ERROR|CRITICAL|Exception|Error):")


ANSI_CODE = re.compile(r"\x1b\[[0-9;]*m")


def read_toc(book: Path, chapters: list[str]) -> dict:
    """The book's ``_toc.yml``, checked to list every chapter of the graph and no notebook that does not exist."""
    path = book / "_toc.yml"
    if not path.is_file():
        raise BuildError(f"missing table of contents {path}")
    toc = yaml.safe_load(path.read_text(encoding="utf-8"))
    listed = set(toc_files(toc))
    names = set(chapters)
    problems = [
        f"{path}: notebook {name}.py is not listed (add '- file: {name}')" for name in chapters if name not in listed
    ]
    problems += [
        f"{path}: lists '{entry}' but there is no notebooks/{entry}.py"
        for entry in sorted(listed - names)
        if re.match(r"^\d{2}_", entry) and not (book / f"{entry}.md").exists()
    ]
    if problems:
        raise BuildError("\n".join(problems))
    return toc


def filter_toc(node: object, dropped: set[str]) -> object:
    """The table of contents without the entries in ``dropped`` (and without parts left empty)."""
    if isinstance(node, list):
        kept = [filter_toc(item, dropped) for item in node]
        return [item for item in kept if item is not None]
    if isinstance(node, dict):
        if node.get("file") in dropped:
            return None
        out = {key: filter_toc(value, dropped) for key, value in node.items()}
        if "caption" in node and not out.get("chapters") and "file" not in node:
            return None
        return out
    return node


def _presentable(executed: Path) -> nbformat.NotebookNode:
    """The executed notebook as the book shows it: parameter cells removed, code folded away."""
    node = nbformat.read(executed, as_version=4)
    for cell in node.cells:
        if cell.cell_type != "code":
            continue
        tags = cell.metadata.setdefault("tags", [])
        if {"parameters", "injected-parameters"} & set(tags):
            tags.append("remove-cell")
        elif not {"remove-cell", "remove-input", "hide-input", "hide-cell"} & set(tags):
            tags.append("hide-input")
    return node


def _book_config(book: Path, record: dict, synthetic_roles: list[str]) -> dict:
    """The book's ``_config.yml`` with the synthetic-data banner (if any) and the provenance footer."""
    config = yaml.safe_load((book / "_config.yml").read_text(encoding="utf-8"))
    html = config.setdefault("html", {})
    notices = []
    own = [role for role, entry in record["data"].items() if not entry["synthetic"] and not entry.get("absent")]
    absent = [role for role, entry in record["data"].items() if entry.get("absent")]
    if synthetic_roles:
        roles = ", ".join(ROLE_NL[role] for role in synthetic_roles)
        scenario = record["data"][synthetic_roles[0]].get("scenario", "default")
        mixed = (f" Eigen data: {', '.join(ROLE_NL[role] for role in own)}; beweringen op gesimuleerde "
                 "data zijn gemarkeerd en tellen niet mee met die op eigen data." if own else "")
        notices.append(
            f'<span class="synthetische-data"><strong>Synthetische data</strong> ({roles}): '
            f"gesimuleerde antwoorden, niet de antwoorden uit het onderzoek; scenario: {SCENARIO_NL[scenario]}.{mixed}</span>"
        )
    if absent:
        notices.append(
            f'<span class="niet-gegeven"><strong>Niet gegeven</strong>: '
            f"{', '.join(ROLE_NL[role] for role in absent)}; hun beweringen zijn niet te berekenen.</span>"
        )
    only = record["parameters"].get("only")
    if only:
        notices.append(
            '<span class="deelboek"><strong>Deelboek</strong>: alleen hoofdstuk '
            f"{html_text(', '.join(name[:2] for name in only))}; waarden uit weggelaten hoofdstukken blijven leeg.</span>"
        )
    if notices:
        html["announcement"] = " ".join(notices)
    html["extra_footer"] = f'<p class="build-herkomst">{html_text(provenance.footer_text(record))}</p>'
    return config


def stage_book(
    layout: Layout, toc: dict, executed: Mapping[str, Path], all_names: list[str], record: dict
) -> Path:
    """Assemble the book's sources in ``.build/run/book``: pages, executed notebooks, config, provenance."""
    stage = layout.run / "book"
    shutil.rmtree(stage, ignore_errors=True)
    shutil.copytree(layout.book, stage, ignore=BOOK_OUTPUTS)
    dropped = set(all_names) - set(executed)
    toc = replication_build.stage_pages(stage, filter_toc(toc, dropped), record, layout.run / "results")
    with writing(stage / "_toc.yml"):
        (stage / "_toc.yml").write_text(yaml.safe_dump(toc, sort_keys=False, allow_unicode=True))
    synthetic = [role for role, entry in record["data"].items() if entry["synthetic"]]
    config = _book_config(layout.book, record, synthetic)
    if dropped:
        # a subset build: pages may paste values from notebooks that were left out
        sphinx_config = config.setdefault("sphinx", {}).setdefault("config", {})
        suppressed = ["mystnb.glue", "mystnb.glue_ref", "myst.xref_missing"]
        sphinx_config["suppress_warnings"] = [*sphinx_config.get("suppress_warnings", []), *suppressed]
    with writing(stage / "_config.yml"):
        (stage / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True))
    roots = machine_roots(layout.root, [entry["path"] for entry in record["data"].values()])
    for name, path in executed.items():
        with writing(stage / f"{name}.ipynb"):
            nbformat.write(scrub_notebook(_presentable(path), roots), stage / f"{name}.ipynb")
    with writing(stage / "_provenance.md"):
        colophon = provenance.markdown(record) + replication_build.provenance_text(record)
        (stage / "_provenance.md").write_text(colophon, encoding="utf-8")
    with writing(stage / "_fetch.md"):
        (stage / "_fetch.md").write_text(provenance.fetch_text(layout.root), encoding="utf-8")
    with writing(stage / "_timings.md"):
        (stage / "_timings.md").write_text(provenance.timings_text(record, myst_text) + "\n", encoding="utf-8")
    return stage


def build_book(stage: Path, layout: Layout) -> Path:
    """Run Jupyter Book (warnings are errors) on the staged sources in ``stage``; return the HTML folder."""
    output = layout.run / "book-output"
    shutil.rmtree(output, ignore_errors=True)
    command = [str(Path(sys.executable).with_name("jupyter-book")), "build", str(stage), "--path-output", str(output),
               "-W", "--keep-going", "-q"]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    output_text = ANSI_CODE.sub("", done.stdout + done.stderr)
    log = layout.run / "book.log"
    with writing(log):
        log.write_text(output_text, encoding="utf-8")
    html = output / "_build" / "html"
    if done.returncode != 0 or not (html / "index.html").is_file():
        lines = [line.strip() for line in output_text.splitlines() if BOOK_WARNING.search(line)]
        shown = "\n".join(dict.fromkeys(lines[:15])) or "(no warning found; see the log)"
        layout.failed.mkdir(parents=True, exist_ok=True)  # the scratch folder goes; the log is kept
        kept = shutil.copy2(log, layout.failed / log.name)
        raise BuildError(f"the book build failed:\n{shown}\nfull log: {kept}")
    return html


def book_cache_key(layout: Layout, runs: Mapping[str, Mapping], record: dict) -> str:
    """What the book depends on: notebook cache keys, book sources, data, commit."""
    digest = hashlib.sha256()
    for path in sorted(p for p in layout.book.rglob("*") if p.is_file() and "_build" not in p.parts):
        digest.update(path.relative_to(layout.book).as_posix().encode() + b"\0" + path.read_bytes())
    digest.update(json.dumps([runs[name]["cache_key"] for name in runs]).encode())
    digest.update(json.dumps([record["data"], record["git"], record["parameters"]["only"]], sort_keys=True).encode())
    digest.update(replication_build.book_key_part(record).encode())
    citation = layout.root / "CITATION.cff"  # the rerun page gives its repository-code
    digest.update(citation.read_bytes() if citation.is_file() else b"")
    return digest.hexdigest()
