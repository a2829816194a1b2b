"""Home page: every call is listed with its status and deadline."""

from __future__ import annotations

import datetime as dt

from tests.conftest import TODAY

from . import expect


def test_home_lists_every_call_with_its_status(page, calls):
    page.goto("")
    cards = page.locator("[data-kx=call-card]")
    ids = cards.evaluate_all("els => els.map(e => e.dataset.callId)")
    assert sorted(ids) == sorted(c.id for c in calls), "每个通知一张卡片 / one card per call"
    for call in calls:
        card = page.locator(f"[data-kx=call-card][data-call-id='{call.id}']")
        assert card.is_visible(), call.id
        want = expect.status(call, TODAY)
        assert card.get_attribute("data-status") == want, call.id
        text = card.inner_text()
        assert call.short_title in text or call.title in text, f"{call.id}: no title on its card"
        if want == "unknown":
            assert "未载明" in text, f"{call.id}: an unknown deadline must read 未载明"
        elif want == "closed":
            assert "截止" in text, f"{call.id}: a closed call must say so"
        link = card.locator(f"a[href*='calls/{call.id}/']")
        assert link.count() >= 1, f"{call.id}: its card does not link to its page"


def test_card_link_opens_the_call_page(page, calls):
    page.goto("")
    call = calls[0]
    card = page.locator(f"[data-kx=call-card][data-call-id='{call.id}']")
    card.locator(f"a[href*='calls/{call.id}/']").first.click()
    page.wait_for_url(f"**/calls/{call.id}/")
    assert page.locator("[data-kx=key-facts]").is_visible()
    assert call.short_title in page.title() or call.title[:10] in page.inner_text("h1")


def test_days_left_names_a_deadline_of_the_call(page, calls):
    page.goto("")
    for call in calls:
        card = page.locator(f"[data-kx=call-card][data-call-id='{call.id}']")
        days = card.locator("[data-kx=days-left]")
        dates = {d.date.isoformat() for d in call.deadlines if d.date}
        if not dates:
            continue
        assert days.count() == 1, f"{call.id}: no days-left element"
        assert days.get_attribute("data-deadline") in dates, call.id


def test_days_left_is_refreshed_in_the_browser(open_page, calls):
    """A reader opening the page long after the build sees a countdown for *their* today."""
    first = open_page()
    first.goto("")
    days = first.locator("[data-kx=call-card] [data-kx=days-left][data-deadline]:not([data-deadline=''])")
    assert days.count() >= 1, "no card has a days-left element with a deadline"
    call_id = days.first.evaluate("el => el.closest('[data-kx=call-card]').dataset.callId")
    deadline = dt.date.fromisoformat(days.first.get_attribute("data-deadline"))
    reader_today = deadline - dt.timedelta(days=5)

    page = open_page()
    page.clock.install(time=dt.datetime(reader_today.year, reader_today.month, reader_today.day, 9))
    page.goto("")
    element = page.locator(f"[data-kx=call-card][data-call-id='{call_id}'] [data-kx=days-left]").element_handle()
    page.wait_for_function("el => /(^|[^0-9])5([^0-9]|$)/.test(el.textContent)", arg=element, timeout=5000)
