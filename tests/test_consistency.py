"""What a reviewer compares across pages: counts of claims that add up, a null-scenario column with its comment,
and Dutch names wherever a reader sees a claim kind."""

from __future__ import annotations

import re

import pytest

from loopbaanleren.book import replicability
from loopbaanleren.book.rule_tables import rules_table
from loopbaanleren.book.verdict_text import KIND_NL
from loopbaanleren.claims.verdicts import RULES
from loopbaanleren.data.registry import load_registry
from loopbaanleren.robustness import planner


def test_the_registry_counts_add_up_to_both_pages_numbers():
    claims = list(load_registry())
    counts = replicability.registry_counts()
    interviews = [c for c in claims if c.rq == "KWAL"]
    derived = [c for c in claims if c.derived or c.kind in ("hypothesis", "same_mode")]
    assert counts["all"] == len(claims) == counts["survey"] + counts["interviews"]
    assert counts["interviews"] == len(interviews) > 0 and counts["derived"] == len(derived) > 0
    assert counts["survey"] == len(planner.planned_claims())  # the count of chapter 91
    assert counts["independent"] == len(claims) - len(derived)  # the count of chapter 90
    text = replicability.registry_text(counts)
    assert f"telt {counts['all']} beweringen: {counts['survey']} uit de enquête en {counts['interviews']} uit" in text


def test_the_null_note_names_a_kind_falsely_reproduced_more_often_than_alpha():
    stored = planner.load_result()
    note = replicability.null_note(stored)
    assert note.startswith("Geen soort bewering wordt in het nulscenario vaker dan α = 5% onterecht gereproduceerd")
    table = stored.table.copy()
    hypotheses = (table["kind"] == "hypothesis") & (table["scenario"] == "null")
    table.loc[hypotheses & (table["claim"] == "h2_hypothese"), "share_reproduced"] = 1.0  # h1 stays at 0
    flawed = planner.PlannerResult(table, stored.meta)
    assert replicability.null_note(flawed).startswith(
        "Vaker dan α = 5% onterecht gereproduceerd in het nulscenario: hypothese 50,0%.")


def test_the_rule_table_names_claim_kinds_in_dutch():
    table = rules_table(0.05, 0.08)
    codes = {kind for kinds, _ in RULES.values() for kind in kinds}
    shown = " ".join(table["claimsoorten"])
    assert not [code for code in codes if code != KIND_NL[code] and re.search(rf"\b{code}\b", shown)]
    assert all(KIND_NL[kind] in shown for kind in codes)
    assert "afgeleid: ja" in shown and "derived" not in shown and "true" not in shown


def _text(page: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


@pytest.mark.parametrize("page", ["90_claims.html", "91_herhaalbaarheid.html"])
def test_both_pages_say_how_the_registrys_claims_divide(built_book, page):
    text = _text((built_book.project / "book" / "_build" / "html" / page).read_text(encoding="utf-8"))
    counts = replicability.registry_counts()
    assert replicability.registry_text(counts) in text


def test_the_ledger_page_shows_no_claim_kind_code(built_book):
    text = _text((built_book.project / "book" / "_build" / "html" / "90_claims.html").read_text(encoding="utf-8"))
    assert "group_extreme" not in text and "derived: true" not in text and "null_effect" not in text
    assert "hoogste of laagste sector" in text and "afgeleid: ja" in text
