"""The book's tables on a phone (390 px) and a desktop (1400 px), in Chromium (fixtures of ``test_browser``).

Checked: no table title is cut (it wraps inside its box and the viewport); the ledger's five main columns are in
view at 1400 px without scrolling; a link to a ledger row (opened directly, or clicked on the front page) leaves
the row in view under the table's header row, highlighted; a wide table scrolled sideways keeps its first column
at the box's left edge, on top of the cells passing under it; the colophon on a phone has no squeezed column and
the page does not scroll sideways.
"""

from __future__ import annotations

import pytest
from test_browser import WIDTHS, Watched, browser, site, toc_pages  # noqa: F401  (fixtures)

from loopbaanleren.data.registry import load_registry

SCROLL_BOX = """el => {
  let box = el.parentElement;
  while (box && !['auto', 'scroll'].includes(getComputedStyle(box).overflowX)) box = box.parentElement;
  return box;
}"""

CAPTIONS = f"""() => {{
  const scrollBox = {SCROLL_BOX};
  return Array.from(document.querySelectorAll('main table caption')).map(caption => {{
    const style = getComputedStyle(caption), shown = caption.getBoundingClientRect();
    const box = scrollBox(caption);
    const edge = box ? box.getBoundingClientRect() : {{left: 0, right: innerWidth}};
    return {{text: caption.textContent.trim().slice(0, 60), scroll: caption.scrollWidth, client: caption.clientWidth,
             overflow: style.overflowX, ellipsis: style.textOverflow, nowrap: style.whiteSpace,
             left: shown.left, right: shown.right, boxLeft: edge.left, boxRight: edge.right, view: innerWidth}};
  }});
}}"""

MAIN_COLUMNS = ("id", "bewering", "gepubliceerd", "gevonden", "oordeel")


@pytest.mark.parametrize("width", WIDTHS)
def test_no_table_title_is_cut(browser, site, toc_pages, width):
    cut, seen = [], 0
    for name in toc_pages:
        tab = Watched(browser, width)
        assert tab.open(f"{site}/{name}.html") == [], name
        for caption in tab.page.evaluate(CAPTIONS):
            seen += 1
            inside = min(caption["view"], caption["boxRight"]) + 1
            if (caption["scroll"] > caption["client"] + 1 or caption["ellipsis"] == "ellipsis"
                    or caption["overflow"] in ("hidden", "clip") or caption["nowrap"] == "nowrap"
                    or caption["left"] < max(0, caption["boxLeft"]) - 1 or caption["right"] > inside):
                cut.append(f"{name}: {caption}")
        tab.page.close()
    assert seen > 50
    assert cut == []


def ledger_row(tab) -> dict:
    """Where the target row of the ledger and its table's header row are, and how both look."""
    tab.page.wait_for_selector("table[data-ll-interactive].dataTable", timeout=30_000)
    tab.page.wait_for_timeout(300)  # the table's script brings the row back into view after adding its filter
    return tab.page.evaluate("""() => {
      const row = document.getElementById(decodeURIComponent(location.hash.slice(1)));
      const table = row.closest('table');
      const heads = Array.from(table.querySelectorAll('thead th'));
      const head = heads[1].getBoundingClientRect();
      const probe = document.elementFromPoint(head.left + head.width / 2, head.top + head.height / 2);
      const rows = Array.from(table.tBodies[0].rows), at = rows.indexOf(row);
      const others = rows.filter((r, i) => i !== at && Math.abs(i - at) <= 2);
      return {top: row.getBoundingClientRect().top, bottom: row.getBoundingClientRect().bottom, view: innerHeight,
              headTop: head.top, headBottom: head.bottom, headShown: table.tHead.getBoundingClientRect().height > 1,
              headOnTop: !!probe && heads[1].contains(probe),
              colour: getComputedStyle(row.cells[1]).backgroundColor,
              ordinary: others.map(r => getComputedStyle(r.cells[1]).backgroundColor)};
    }""")


def assert_row_shown(where: dict, width: int) -> None:
    assert 0 <= where["top"] < where["view"] and where["bottom"] > 0, where
    assert where["colour"] not in where["ordinary"], f"the linked row is not highlighted: {where}"
    if where["headShown"]:  # on a phone the rows are labelled blocks and the header row is hidden
        assert where["headOnTop"] and where["headTop"] >= 0, f"the header row is not in view: {where}"
        assert where["headBottom"] <= where["top"] + 1, f"the header row covers the linked row: {where}"
    else:
        assert width < 1000, "the ledger's header row is hidden on a wide screen"


@pytest.mark.parametrize("width", WIDTHS)
def test_a_link_to_a_ledger_row_shows_it_under_its_header_highlighted(browser, site, width):
    claims = [claim.id for claim in load_registry()]
    for claim_id in (claims[len(claims) // 2], claims[-1]):
        tab = Watched(browser, width)
        assert tab.open(f"{site}/90_claims.html#{claim_id}") == []
        assert_row_shown(ledger_row(tab), width)
        tab.page.close()


def test_a_front_page_link_to_the_ledger_shows_its_row(browser, site):
    tab = Watched(browser, 1400)
    assert tab.open(f"{site}/index.html") == []
    links = tab.page.locator("main a[href*='90_claims.html#']")
    assert links.count() > 10
    link = links.nth(links.count() // 2)
    href = link.get_attribute("href")
    with tab.page.expect_navigation(wait_until="networkidle"):
        link.evaluate("a => a.click()")  # the link may sit in a closed detail panel
    assert tab.page.url.endswith(href.split("/")[-1])
    assert_row_shown(ledger_row(tab), 1400)
    assert tab.problems == []


def test_the_ledger_shows_its_main_columns_without_scrolling(browser, site):
    tab = Watched(browser, 1400)
    assert tab.open(f"{site}/90_claims.html") == []
    tab.page.wait_for_selector("table[data-ll-interactive].dataTable", timeout=30_000)
    table = tab.page.locator("table[data-ll-interactive]")
    table.scroll_into_view_if_needed()
    heads = table.evaluate(f"""t => {{
      const box = ({SCROLL_BOX})(t);
      const edge = box ? box.getBoundingClientRect() : {{left: 0, right: innerWidth}};
      return Array.from(t.querySelectorAll('thead th')).map(th => {{
        const r = th.getBoundingClientRect();
        return {{text: th.textContent.trim(), left: r.left, right: r.right, boxLeft: edge.left, boxRight: edge.right,
                scrolled: box ? box.scrollLeft : 0}};
      }});
    }}""")
    shown = {head["text"]: head for head in heads}
    assert set(MAIN_COLUMNS) <= set(shown), list(shown)
    for column in MAIN_COLUMNS:
        head = shown[column]
        assert head["scrolled"] == 0
        assert max(0, head["boxLeft"]) - 1 <= head["left"] and head["right"] <= min(1400, head["boxRight"]) + 1, head


@pytest.mark.parametrize("width", WIDTHS)
def test_a_wide_table_keeps_its_first_column_in_view_when_scrolled(browser, site, width):
    tab = Watched(browser, width)
    assert tab.open(f"{site}/02_gesprekken.html") == []
    checked = tab.page.evaluate(f"""() => {{
      const scrollBox = {SCROLL_BOX}, out = [];
      for (const table of document.querySelectorAll('main table')) {{
        const box = ['auto', 'scroll'].includes(getComputedStyle(table).overflowX) ? table : scrollBox(table);
        if (!box || box.scrollWidth <= box.clientWidth + 20) continue;
        box.scrollIntoView({{block: 'center'}});
        box.scrollLeft = Math.min(150, box.scrollWidth - box.clientWidth);
        const edge = box.getBoundingClientRect().left;
        for (const row of table.rows) {{
          const cell = row.cells[0], r = cell.getBoundingClientRect();
          const y = r.top + r.height / 2, inView = y > 80 && y < innerHeight;  // below the page's sticky header
          const probe = inView && document.elementFromPoint(r.left + Math.min(8, r.width / 2), y);
          out.push({{caption: (table.caption?.textContent || '').slice(0, 40), offset: r.left - edge,
                    onTop: !inView || (!!probe && cell.contains(probe)), probed: inView, scrolled: box.scrollLeft}});
        }}
      }}
      return out;
    }}""")
    assert checked, "no table on the page scrolls sideways"
    assert all(cell["scrolled"] > 0 for cell in checked)
    assert sum(cell["probed"] for cell in checked) >= 5
    off = [cell for cell in checked if abs(cell["offset"]) > 1 or not cell["onTop"]]
    assert off == []


def test_the_colophon_reads_on_a_phone(browser, site):
    tab = Watched(browser, 390)
    assert tab.open(f"{site}/colophon.html") == []
    found = tab.page.evaluate("""() => {
      const cells = Array.from(document.querySelectorAll('main table td, main table th')).filter(cell => {
        const head = cell.closest('thead'), r = cell.getBoundingClientRect();
        const hidden = head && head.getBoundingClientRect().height <= 1;
        return !hidden && r.width > 0 && r.height > 0;
      });
      // a label (a row's first cell) whose word runs over two lines or more, broken inside the word
      const broken = [];
      for (const row of document.querySelectorAll('main table tbody tr')) {
        const text = row.cells[0].firstChild?.nodeType === 3 ? row.cells[0].firstChild
                   : document.createTreeWalker(row.cells[0], NodeFilter.SHOW_TEXT).nextNode();
        if (!text) continue;
        for (const word of text.textContent.matchAll(/\\S+/g)) {
          const range = document.createRange();
          range.setStart(text, word.index);
          range.setEnd(text, word.index + word[0].length);
          const tops = new Set(Array.from(range.getClientRects()).map(r => Math.round(r.top)));
          if (tops.size > 1) broken.push(word[0]);
        }
      }
      return {widths: cells.map(cell => cell.getBoundingClientRect().width), broken,
              page: document.scrollingElement.scrollWidth, view: innerWidth};
    }""")
    assert len(found["widths"]) > 20
    assert min(found["widths"]) >= 60, sorted(found["widths"])[:5]
    assert found["broken"] == []
    assert found["page"] <= found["view"]
