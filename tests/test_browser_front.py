"""The front page in a real browser (Chromium): the verdict marks in the right margin beside their sentence on a
wide screen, in the text column on a phone, and the context marks visible without hovering.

Reuses the fixtures of ``tests/test_browser.py``; ``BOOK_UNDER_TEST=. .venv/bin/python -m pytest -q
tests/test_browser_front.py`` checks the last ``make book``. Screenshots of the front page at both widths go to
``FRONT_SCREENSHOTS`` (default: the built project's ``screenshots`` folder).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from test_browser import Watched, browser, site  # noqa: F401  (fixtures)

NOTES = """() => [...document.querySelectorAll('.ll-s-claim')].map(s => {
  const note = s.nextElementSibling, mark = note.querySelector('.ll-mark'), block = s.closest('.ll-para, ul');
  const column = block.getBoundingClientRect();
  const lines = [...s.getClientRects()], m = mark.getBoundingClientRect(), n = note.getBoundingClientRect();
  return {text: s.textContent.slice(0, 60), block: [...document.querySelectorAll('.ll-para, ul')].indexOf(block),
          noteBottom: n.bottom, columnRight: column.right, columnTop: column.top,
          columnBottom: column.bottom, sentenceTop: lines[0].top, sentenceBottom: lines[lines.length - 1].bottom,
          noteLeft: n.left, noteRight: n.right, noteTop: n.top, markTop: m.top, markBottom: m.bottom,
          markLines: mark.getClientRects().length};
})"""


def _front(browser, site, width: int) -> Watched:  # noqa: F811
    tab = Watched(browser, width)
    assert tab.open(f"{site}/index.html") == []
    return tab


def _screenshot(tab: Watched, built_book, width: int) -> Path:
    folder = Path(os.environ.get("FRONT_SCREENSHOTS") or built_book.project / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    tab.page.locator(".ll-summary-management .ll-para").nth(2).scroll_into_view_if_needed()
    shot = folder / f"front-{width}.png"
    tab.page.screenshot(path=str(shot))
    return shot


def test_at_1400_px_every_verdict_mark_stands_in_the_right_margin_beside_its_sentence(browser, site, built_book):  # noqa: F811
    tab = _front(browser, site, 1400)
    notes = tab.page.evaluate(NOTES)
    assert len(notes) > 50
    viewport = tab.page.evaluate("document.documentElement.clientWidth")
    for note in notes:
        assert note["noteLeft"] >= note["columnRight"] - 1, note  # right of the text column
        assert note["noteRight"] <= viewport, note  # and on the screen
        assert note["markLines"] == 1, note  # "✓ 3/3 gereproduceerd" on one line
    # each note stands beside its sentence, or right under the note before it when that one reaches further down;
    # never above its sentence; a paragraph starts below the notes before it, so its first note is level with it
    previous = None
    for note in notes:
        same_block = previous is not None and previous["block"] == note["block"]
        assert note["noteTop"] >= note["sentenceTop"] - 6, note
        highest = max(note["sentenceTop"], previous["noteBottom"] if previous else 0)
        assert note["noteTop"] <= max(highest, note["sentenceBottom"]) + 6, note
        if not same_block:
            assert note["noteTop"] <= note["sentenceBottom"] + 6, note
        previous = note
    assert tab.page.evaluate("document.documentElement.scrollWidth") <= viewport
    print(f"screenshot of the front page at 1400 px: {_screenshot(tab, built_book, 1400)}")


def test_at_390_px_the_marks_stand_in_the_column_and_nothing_scrolls_sideways(browser, site, built_book):  # noqa: F811
    tab = _front(browser, site, 390)
    viewport = tab.page.evaluate("document.documentElement.clientWidth")
    assert tab.page.evaluate("document.documentElement.scrollWidth") <= viewport
    notes = tab.page.evaluate(NOTES)
    for note in notes:
        assert note["noteRight"] <= note["columnRight"] + 1, note  # in the text column, not beside it
        assert note["noteTop"] >= note["sentenceBottom"] - 30, note  # after its sentence
        assert note["markLines"] == 1, note  # the mark never wraps away from its word
    wide = tab.page.evaluate("""() => [...document.querySelectorAll('.ll-summary *, .ll-front *')]
        .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
        .filter(e => { for (let p = e.parentElement; p; p = p.parentElement)  // not inside a box scrolling on its own
                         if (getComputedStyle(p).overflowX !== 'visible') return false;
                       return true; })
        .map(e => e.tagName + '.' + e.className)""")
    assert wide == []
    print(f"screenshot of the front page at 390 px: {_screenshot(tab, built_book, 390)}")


@pytest.mark.parametrize("width", [390, 1400])
def test_a_context_mark_and_the_legend_are_visible_without_hovering(browser, site, width):  # noqa: F811
    tab = _front(browser, site, width)
    marks = tab.page.locator(".ll-context-mark")
    assert marks.count() > 20
    first = marks.first
    first.scroll_into_view_if_needed()
    assert first.is_visible() and first.bounding_box()["width"] > 4
    assert tab.page.locator(".ll-legend").is_visible()
    panel = tab.page.locator("details.ll-how").first
    assert not panel.locator(".ll-how-body").is_visible()  # closed until tapped
    panel.locator("summary").click()
    assert panel.locator(".ll-how-body").is_visible()
    assert panel.locator("a.ll-ledger-row").first.get_attribute("href").startswith("90_claims.html#")
