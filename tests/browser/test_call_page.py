"""A call page as a reader uses it: key facts, every deadline and category, notes, the 原文."""

from __future__ import annotations

import pytest

from generator import urls

from . import expect


@pytest.mark.parametrize("call_id", expect.CALL_IDS)
def test_call_page_shows_what_the_data_says(page, calls, call_id):
    call = expect.by_id(calls, call_id)
    page.goto(urls.call_page(call))
    assert page.locator("[data-kx=key-facts]").is_visible()

    shown = page.locator("[data-kx=key-facts] [data-kx=deadline]").evaluate_all(
        "els => els.map(e => [e.dataset.date || '', e.innerText])"
    )
    want = sorted(d.date.isoformat() if d.date else "" for d in call.deadlines)
    assert sorted(date for date, _ in shown) == want, f"deadlines on the page: {shown}"
    for date, text in shown:
        if not date:
            assert "未载明" in text, f"a deadline without a date must say 未载明: {text!r}"

    ids = set(page.locator("[data-kx=category]").evaluate_all("els => els.map(e => e.dataset.categoryId)"))
    missing = {c.id for c in call.all_categories()} - ids
    assert not missing, f"categories not on the page: {sorted(missing)}"

    notes = page.locator("[data-kx=discrepancy]").count()
    assert notes >= len(call.source.discrepancies), (
        f"{len(call.source.discrepancies)} discrepancies in the data, {notes} on the page"
    )


@pytest.mark.parametrize("call_id", expect.CALL_IDS)
def test_source_link_opens_the_notice_text(page, calls, call_id):
    call = expect.by_id(calls, call_id)
    page.goto(urls.call_page(call))
    page.locator("[data-kx=source-link]").first.click()
    page.wait_for_url(f"**/{urls.source_page(call)}**")
    text = page.locator("article.md-content__inner").inner_text()
    lines = [ln.strip() for ln in expect.source_text(call).splitlines() if len(ln.strip()) >= 8]
    assert lines, "the notice text is empty"
    for line in lines[:3]:
        assert line[:20] in text, f"原文页缺少 / the 原文 page lacks {line[:20]!r}"


# --------------------------------------------------------------------------- first screen, unknowns once

from .support import PHONE  # noqa: E402


@pytest.mark.parametrize("call_id", expect.CALL_IDS)
def test_first_phone_screen_answers_the_questions(open_page, calls, call_id):
    """Status, each deadline with days left, 限项, 下载申报表 and 加入日历, and jump links,
    all within the first 390×844 screen."""
    call = expect.by_id(calls, call_id)
    page = open_page(PHONE["width"], PHONE["height"], mobile=True)
    page.goto(urls.call_page(call))
    top = page.locator("[data-kx=call-top]")

    def on_screen(locator) -> bool:
        box = locator.bounding_box()
        return bool(box) and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]

    assert on_screen(top.locator(".kx-badge"))
    deadlines = top.locator("[data-kx=top-deadline]")
    assert deadlines.count() == len(call.deadlines)
    for i, d in enumerate(call.deadlines):
        item = deadlines.nth(i)
        assert on_screen(item), f"deadline {d.label} below the first screen"
        assert d.label in item.inner_text()
        if d.date:
            assert item.locator("[data-kx=days-left]").get_attribute("data-deadline") == d.date.isoformat()
    limits = top.locator("[data-kx=top-limits]")
    assert on_screen(limits) and limits.inner_text().startswith("限项")
    downloads = top.locator("[data-kx=top-download]")
    if expect.forms_count(call):
        assert downloads.count() >= 1 and on_screen(downloads.first), "下载申报表 on the first screen"
        assert "下载" in downloads.first.inner_text()
        assert page.request.get(downloads.first.evaluate("a => a.href")).ok
    calendar = top.locator("a[data-kx=webcal]")
    assert on_screen(calendar) and calendar.inner_text() == "加入日历"
    assert calendar.evaluate("a => a.href").startswith("webcal://")
    jumps = top.locator("nav.kx-jump a")
    assert jumps.all_inner_texts() == ["关键信息", "项目类别", "申报表", "联系方式"]
    for link in jumps.all():
        assert on_screen(link)
        target = link.get_attribute("href")[1:]
        assert page.locator(f"[id='{target}']").count() == 1


@pytest.mark.parametrize("call_id", expect.CALL_IDS)
def test_funding_chips_fit_a_phone(open_page, calls, call_id):
    call = expect.by_id(calls, call_id)
    page = open_page(PHONE["width"], PHONE["height"], mobile=True)
    page.goto(urls.call_page(call))
    wide = page.locator(".kx-chip").evaluate_all(
        f"els => els.filter(e => e.getBoundingClientRect().right > {PHONE['width']}).map(e => e.textContent)"
    )
    assert not wide, f"chips running off the screen: {wide}"


@pytest.mark.parametrize("call_id", expect.CALL_IDS)
def test_unknown_category_facts_are_said_once(page, calls, call_id):
    """A fact no category states is said once for the call; a category lists what it lacks
    in one line, never 原文未载明 three times."""
    call = expect.by_id(calls, call_id)
    page.goto(urls.call_page(call))
    facts = {"count": "计划数量", "funding": "经费额度", "period": "项目周期"}
    cats = call.all_categories()
    nowhere = [label for attr, label in facts.items() if cats and all(getattr(c, attr) is None for c in cats)]
    everywhere = page.locator("[data-kx=unknown-everywhere]")
    if nowhere:
        assert everywhere.count() == 1
        assert everywhere.inner_text() == "各类别均未载明：" + "、".join(nowhere)
    else:
        assert everywhere.count() == 0
    for cat in page.locator("[data-kx=category]").all():
        own = cat.locator(":scope > dl.kx-fields")
        assert own.locator(".kx-unknown").count() <= 1, cat.get_attribute("id")
        for label in nowhere:
            assert own.locator("dt", has_text=label).count() == 0
    # Outside the categories too, unknowns are not said field by field (55-59 原文未载明 on
    # the 山东 and 济宁 pages before): at most one marker per section of the page.
    outside = page.locator("article .kx-unknown").evaluate_all(
        "els => els.filter(e => !e.closest('[data-kx=category]')).length"
    )
    sections = page.locator("article h2").count()
    assert outside <= sections, f"{outside} unknown markers outside the categories, {sections} sections"
