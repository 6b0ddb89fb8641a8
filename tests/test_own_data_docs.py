"""The README, the Dutch page 'Zelf opnieuw uitvoeren' and --help describe the same formats, keys and options."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner
from conftest import PROJECT_ROOT

from loopbaanleren.build.cli import app
from loopbaanleren.data.file_formats import SUFFIXES
from loopbaanleren.data.mapping import Mapping

FORMATS = [suffix for suffix in SUFFIXES if suffix not in (".tsv", ".txt")]
KEYS = [name for name in Mapping.model_fields if name not in ("source", "students", "counsellors")]
OPTIONS = ["--students", "--counsellors", "--mapping", "--no-students", "--no-counsellors", "--no-interviews",
           "--simulate-missing", "--project"]


@pytest.mark.parametrize("page", ["README.md", "book/rerun.md"])
def test_both_pages_describe_formats_template_keys_and_options(page):
    text = (PROJECT_ROOT / page).read_text(encoding="utf-8")
    for suffix in FORMATS:
        assert re.search(rf"`[^`]*\{suffix}`", text, re.IGNORECASE), (page, suffix)
    for key in KEYS:
        assert re.search(rf"^\s*{key}:", text, re.MULTILINE), (page, key)
    for option in OPTIONS:
        assert option in text, (page, option)
    assert "template --from" in text and "validate" in text and "make install" in text


def test_build_help_names_the_formats_and_the_options():
    runner = CliRunner()
    text = " ".join(runner.invoke(app, ["build", "--help"], terminal_width=200).output.split())
    for option in OPTIONS:
        assert option in text, option
    for suffix in FORMATS:
        assert suffix in text, suffix
    validate = " ".join(runner.invoke(app, ["validate", "--help"], terminal_width=200).output.split())
    assert all(suffix in validate for suffix in FORMATS) and "--all" in validate
