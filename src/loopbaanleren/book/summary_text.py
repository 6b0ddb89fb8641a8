"""The two summaries in their authors' words, read from ``resources/summaries/*.md``.

Each file is the published PDF's text with the PDF's line wraps joined; nothing is corrected. Its format: ``#``
the summary's title, ``##`` a heading of the summary (a research question), a blank line between blocks, one
sentence per line within a paragraph, ``- `` a bullet, ``1. `` a numbered point (the number is the text's own).
Every line is one *unit*: a heading, a sentence, a bullet or a numbered point, the thing the front page shows
and marks (:mod:`loopbaanleren.book.margin_notes`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from loopbaanleren.resources import resource_path

SUMMARIES = {"management": "management.md", "kwalitatief": "kwalitatief.md"}
"""The summaries, by id: the management summary of the survey and the qualitative study's summary."""
NUMBERED = re.compile(r"\d+\. ")


@dataclass(frozen=True)
class Unit:
    """A line of a summary: its text and what it is (``title``, ``heading``, ``sentence``, ``bullet``, ``numbered``)."""

    text: str
    kind: str


@dataclass(frozen=True)
class Block:
    """A block of a summary: a heading, a paragraph of sentences or a list of bullets or numbered points."""

    kind: str
    units: tuple[Unit, ...]


@dataclass(frozen=True)
class Summary:
    """A summary: its id, the resource file it is read from and its blocks in order."""

    id: str
    file: str
    blocks: tuple[Block, ...]

    @property
    def units(self) -> tuple[Unit, ...]:
        """Every line of the summary, in order."""
        return tuple(unit for block in self.blocks for unit in block.units)


def _unit(line: str) -> Unit:
    if line.startswith("## "):
        return Unit(line[3:], "heading")
    if line.startswith("# "):
        return Unit(line[2:], "title")
    if line.startswith("- "):
        return Unit(line[2:], "bullet")
    if NUMBERED.match(line):
        return Unit(line, "numbered")
    return Unit(line, "sentence")


def parse_summary(summary_id: str, text: str, file: str = "") -> Summary:
    """A summary from its text in the resource format (see the module's docstring)."""
    blocks = []
    for chunk in re.split(r"\n\s*\n", text.strip()):
        units = tuple(_unit(" ".join(line.split())) for line in chunk.splitlines() if line.strip())
        kinds = {unit.kind for unit in units}
        if len(kinds) != 1:
            raise ValueError(f"{file or summary_id}: a block mixes {', '.join(sorted(kinds))}: '{units[0].text}'")
        kind = kinds.pop()
        blocks.append(Block({"sentence": "paragraph"}.get(kind, kind), units))
    return Summary(summary_id, file, tuple(blocks))


@cache
def load_summaries() -> tuple[Summary, ...]:
    """Both summaries, management summary first."""
    found = []
    for summary_id, name in SUMMARIES.items():
        path = resource_path(f"summaries/{name}")
        found.append(parse_summary(summary_id, path.read_text(encoding="utf-8"), f"summaries/{name}"))
    return tuple(found)


def plain_text(summary: Summary) -> str:
    """The summary's words in order, one space between them (bullet and heading marks left out)."""
    return " ".join(" ".join(unit.text for unit in summary.units).split())
