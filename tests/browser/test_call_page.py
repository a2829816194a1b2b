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
