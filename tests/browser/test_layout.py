"""Phone layout (390×844): no page scrolls sideways; the comparison table scrolls in its box."""

from __future__ import annotations

import pytest

from . import expect
from .support import PHONE

PAGES = ["", "compare/", "finder/", *[f"calls/{cid}/" for cid in expect.CALL_IDS]]

#: Elements allowed to be wider than the screen: they sit in their own scrolling box
#: or off-canvas (Material's drawer and search).
_SCROLLS_ALONE = "[data-kx=compare-scroll], .md-typeset__scrollwrap, pre, .md-sidebar, .md-search"
_OVERFLOW_JS = """([alone, screen]) => {
  const width = Math.min(innerWidth, screen);
  const wide = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.width && r.right > width + 1 && !el.closest(alone)) {
      const cls = typeof el.className === 'string' ? el.className.trim().split(/\\s+/)[0] : '';
      wide.push(`${el.tagName.toLowerCase()}${cls ? '.' + cls : ''} right=${Math.round(r.right)}`);
    }
  }
  return {scrollWidth: document.scrollingElement.scrollWidth, innerWidth, wide: wide.slice(0, 8)};
}"""


@pytest.mark.parametrize("path", PAGES, ids=[p or "home" for p in PAGES])
def test_no_sideways_scroll_on_a_phone(phone_page, path):
    phone_page.goto(path)
    m = phone_page.evaluate(_OVERFLOW_JS, [_SCROLLS_ALONE, PHONE["width"]])
    # A phone widens the layout viewport to fit wide content and zooms out, so compare
    # with the screen's width too, not only with innerWidth.
    assert m["scrollWidth"] <= min(m["innerWidth"], PHONE["width"]), (
        f"{path or 'home'} scrolls sideways on a phone: {m['scrollWidth']}px > "
        f"{m['innerWidth']}px; too wide: {m['wide']}"
    )


def test_comparison_table_scrolls_inside_its_box_on_a_phone(phone_page, calls):
    phone_page.goto("compare/")
    wrapper = phone_page.locator("[data-kx=compare-scroll]")
    table = wrapper.locator("[data-kx=compare-table]")
    assert table.count() == 1, "the comparison table is not inside its scrolling box"
    box = wrapper.evaluate(
        """el => ({client: el.clientWidth, scroll: el.scrollWidth,
            overflow: getComputedStyle(el).overflowX, right: el.getBoundingClientRect().right})"""
    )
    assert box["right"] <= PHONE["width"] + 1, f"the box is wider than the screen: {box}"
    if box["scroll"] > box["client"]:
        assert box["overflow"] in ("auto", "scroll"), f"a wide table is clipped: {box}"
        before = wrapper.evaluate("el => el.scrollLeft")
        wrapper.evaluate("el => el.scrollBy(200, 0)")
        assert wrapper.evaluate("el => el.scrollLeft") > before, "the table box does not scroll"
    assert table.locator("th").count() >= 1
    for call in calls:
        assert call.short_title in table.inner_text() or table.locator(f"a[href*='calls/{call.id}/']").count(), (
            f"{call.id} is not in the comparison"
        )
    smallest = table.evaluate(
        "t => Math.min(...Array.from(t.querySelectorAll('th,td')).map(c => parseFloat(getComputedStyle(c).fontSize)))"
    )
    assert smallest >= 12, f"comparison text is {smallest}px on a phone, too small to read"
