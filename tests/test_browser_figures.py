"""The book's figures in a real browser (Chromium, fixtures of :mod:`test_browser`): at 390 px (a phone, a 358 px
column) and at 1400 px, on every page, each figure fits its column whole (no wider than the column, its box does
not scroll, its aspect kept) and its smallest text is at least 9 CSS px as displayed; a click (or Enter) opens a
figure at full size and Escape closes it. The measured widths and text sizes are printed per page."""

from __future__ import annotations

import pytest
from test_browser import WIDTHS, Watched, browser, site, toc_pages  # noqa: F401 (fixtures)

MIN_TEXT_PX = 9
SLACK_PX = 0.5
"""Rounding of layout boxes (CSS px)."""

FIGURES = """() => {
  const article = document.querySelector('main article.bd-article') || document.querySelector('main');
  const style = getComputedStyle(article);
  const box = article.getBoundingClientRect();
  const column = {left: box.left + parseFloat(style.paddingLeft), right: box.right - parseFloat(style.paddingRight)};
  return Array.from(article.querySelectorAll('figure.ll-figure img')).map(img => {
    const shown = img.getBoundingClientRect();
    const scrolling = [];
    for (let el = img.parentElement; el && el !== article; el = el.parentElement) {
      const style = getComputedStyle(el);  // a box that clips or scrolls (the front page's sections let notes overflow)
      if ((style.overflowX !== 'visible' && el.scrollWidth > el.clientWidth + 1)
          || (style.overflowY !== 'visible' && el.scrollHeight > el.clientHeight + 1)) scrolling.push(el.tagName + '.' + el.className);
    }
    return {
      alt: (img.getAttribute('alt') || '').slice(0, 60),
      font: parseFloat(img.dataset.minFontPt),
      inches: parseFloat(img.dataset.widthIn),
      left: shown.left, right: shown.right, width: shown.width, height: shown.height,
      natural: img.naturalWidth / img.naturalHeight,
      column: column.right - column.left, columnLeft: column.left, columnRight: column.right,
      scrolling,
    };
  });
}"""


@pytest.mark.parametrize("width", WIDTHS)
def test_every_figure_fits_its_column_whole_with_readable_text(browser, site, toc_pages, width, record_property):
    rows, problems, count = [], [], 0
    for name in toc_pages:
        tab = Watched(browser, width)
        assert tab.open(f"{site}/{name}.html") == [], name
        figures = tab.page.evaluate(FIGURES)
        tab.page.close()
        for figure in figures:
            where = f"{name} at {width} px, {figure['alt']!r}"
            if figure["left"] < figure["columnLeft"] - SLACK_PX or figure["right"] > figure["columnRight"] + SLACK_PX:
                problems.append(f"{where}: {figure['width']:.0f} px wide in a {figure['column']:.0f} px column")
            if figure["scrolling"]:
                problems.append(f"{where}: cropped in a scrolling box {figure['scrolling']}")
            if abs(figure["width"] / figure["height"] / figure["natural"] - 1) > 0.01:
                problems.append(f"{where}: aspect {figure['width'] / figure['height']:.3f}, drawn {figure['natural']:.3f}")
            # the PNG is drawn for width_in * 96 CSS px; text of f points is f * 96/72 px at that size
            figure["text"] = figure["font"] * 96 / 72 * figure["width"] / (figure["inches"] * 96)
            if figure["text"] < MIN_TEXT_PX:
                problems.append(f"{where}: smallest text {figure['text']:.1f} px")
        count += len(figures)
        if figures:
            widest = max(figures, key=lambda f: f["width"])
            rows.append(f"  {name:<22} {len(figures):>2} figures, widest {widest['width']:.0f} px in a "
                        f"{widest['column']:.0f} px column, smallest text {min(f['text'] for f in figures):.1f} px")
    print(f"{width} px: {count} figures", *rows, sep="\n")
    record_property(f"figures_{width}", count)
    assert count > 10
    assert problems == []


def test_a_figure_opens_at_full_size_on_click_and_on_enter_and_escape_closes_it(browser, site):
    for width in WIDTHS:
        tab = Watched(browser, width)
        assert tab.open(f"{site}/01_leeromgeving.html") == []
        opener = tab.page.locator("figure.ll-figure button.ll-figure-open").first
        opener.scroll_into_view_if_needed()
        natural = opener.locator("img").evaluate("img => [img.naturalWidth, img.naturalHeight]")
        dialog = tab.page.locator("dialog.ll-figure-dialog")
        opener.click()
        assert dialog.evaluate("d => d.open")
        big = dialog.locator("img").evaluate("img => [img.getBoundingClientRect().width, img.getBoundingClientRect().height]")
        assert [round(v) for v in big] == natural, "the dialog shows the image at its own pixel size"
        tab.page.keyboard.press("Escape")
        assert not dialog.evaluate("d => d.open")
        opener.focus()
        tab.page.keyboard.press("Enter")
        assert dialog.evaluate("d => d.open")
        tab.page.keyboard.press("Escape")
        assert not dialog.evaluate("d => d.open")
        assert opener.evaluate("b => b === document.activeElement"), "the focus returns to the figure"
        assert tab.problems == []
        tab.page.close()
