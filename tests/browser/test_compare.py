"""对比: pick two or three notices (the address keeps the choice), sticky header row and first
column on a phone, dates in date order."""

from __future__ import annotations

import re

from .support import PHONE


def _shown(page) -> list[str]:
    return page.locator("[data-kx=compare-table] thead th[data-call-id]:not([hidden])").evaluate_all(
        "els => els.map(e => e.dataset.callId)"
    )


def test_choose_two_notices_and_share_the_address(open_page, calls):
    page = open_page(PHONE["width"], PHONE["height"], mobile=True)
    page.goto("compare/")
    ids = [c.id for c in calls]
    assert sorted(_shown(page)) == sorted(ids), "without a choice every notice is shown"
    choices = page.locator("[data-kx=compare-pick] input[data-kx=compare-choice]")
    assert choices.count() == len(ids)
    page.locator(f"[data-kx=compare-choice][value='{ids[1]}']").check()
    page.locator(f"[data-kx=compare-choice][value='{ids[3]}']").check()
    assert _shown(page) == [ids[1], ids[3]]
    # every row shows just these two columns
    widths = page.locator("[data-kx=compare-table] tbody tr").evaluate_all(
        "rows => rows.map(r => Array.from(r.cells).filter(c => !c.hidden).length)"
    )
    assert set(widths) == {3}
    assert f"calls={ids[1]}%2C{ids[3]}" in page.url or f"calls={ids[1]},{ids[3]}" in page.url
    # the two columns fit the phone: no sideways scrolling inside the table box
    box = page.locator("[data-kx=compare-scroll]")
    assert box.evaluate("e => e.scrollWidth <= e.clientWidth + 1")

    shared = page.url
    other = open_page(PHONE["width"], PHONE["height"], mobile=True)
    other.goto(shared)
    assert _shown(other) == [ids[1], ids[3]], "the shared address shows the same choice"
    assert other.locator(f"[data-kx=compare-choice][value='{ids[1]}']").is_checked()


def test_at_most_three_and_show_all_again(page, calls):
    page.goto("compare/")
    ids = [c.id for c in calls]
    for cid in ids[:3]:
        page.locator(f"[data-kx=compare-choice][value='{cid}']").check()
    assert page.locator(f"[data-kx=compare-choice][value='{ids[3]}']").is_disabled()
    assert "3" in page.locator("[data-kx=compare-pick] [role=status]").inner_text()
    page.locator("[data-kx=compare-all]").click()
    assert sorted(_shown(page)) == sorted(ids)
    assert "calls=" not in page.url


def test_header_row_and_first_column_stay_in_view_on_a_phone(open_page):
    page = open_page(PHONE["width"], PHONE["height"], mobile=True)
    page.goto("compare/")
    box = page.locator("[data-kx=compare-scroll]")
    box.scroll_into_view_if_needed()
    head = page.locator("[data-kx=compare-table] thead th").nth(1)
    first_col = page.locator("[data-kx=compare-table] tbody th").nth(3)
    before_head = head.bounding_box()["y"] - box.bounding_box()["y"]
    box.evaluate("e => { e.scrollTop = 400; e.scrollLeft = 300; }")
    page.wait_for_timeout(100)
    assert abs(head.bounding_box()["y"] - box.bounding_box()["y"] - before_head) < 2, "header row sticks"
    first = page.locator("[data-kx=compare-table] tbody th").first
    assert abs(first.bounding_box()["x"] - box.bounding_box()["x"]) < 3, "first column sticks"
    assert first_col.is_visible()


def test_periods_are_in_date_order(page, calls):
    """济宁's 项目周期: 6月, 9月, 10月, 11月, 12月 — dates, not text order (10月 before 6月)."""
    page.goto("compare/")
    row = page.locator("[data-kx=compare-table] tbody tr", has=page.locator("th", has_text="项目周期"))
    checked = 0
    for cell in row.locator("td").all():
        items = cell.locator("li").all_inner_texts()
        dates = []
        for text in items:
            m = re.search(r"(\d{4})年(\d{1,2})月(\d{1,2})日", text)
            if m:
                dates.append(tuple(int(x) for x in m.groups()))
        if len(dates) > 2:
            assert dates == sorted(dates), items
            checked += 1
    assert checked, "no notice states several dated periods; the scenario needs data"
