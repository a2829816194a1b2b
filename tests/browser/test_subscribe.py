"""订阅与提醒: calendars by webcal:// and https, the feed with a copy button, a readable feed."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import pytest

from generator import urls

from . import expect


def _subscribe_links(page) -> list[dict]:
    return page.locator("[data-kx=subscribe] a").evaluate_all(
        "els => els.map(a => ({kx: a.dataset.kx || '', href: a.href, text: a.innerText}))"
    )


def _check_calendar(page, links: list[dict], site_url: str, path: str) -> None:
    https = urljoin(site_url, path)
    webcal = "webcal:" + https.split(":", 1)[1]
    assert any(a["kx"] == "webcal" and a["href"] == webcal for a in links), (path, links)
    assert any(a["kx"] == "ics" and a["href"] == https for a in links), (path, links)
    response = page.request.get(https)
    assert response.ok and b"BEGIN:VCALENDAR" in response.body()


def test_home_offers_site_and_per_call_calendars_and_the_feed(page, calls, site_url):
    page.goto("")
    box = page.locator("[data-kx=subscribe]")
    assert box.count() == 1
    assert page.locator("h2#subscribe").inner_text().startswith("订阅与提醒")
    links = _subscribe_links(page)
    _check_calendar(page, links, site_url, urls.calendar())
    for call in calls:
        _check_calendar(page, links, site_url, urls.call_calendar(call))
    assert any(a["kx"] == "feed" and a["href"] == urljoin(site_url, urls.feed()) for a in links)


@pytest.mark.parametrize("call_id", expect.CALL_IDS)
def test_call_page_offers_its_own_calendar(page, calls, site_url, call_id):
    call = expect.by_id(calls, call_id)
    page.goto(urls.call_page(call))
    links = _subscribe_links(page)
    _check_calendar(page, links, site_url, urls.call_calendar(call))
    _check_calendar(page, links, site_url, urls.calendar())


def test_feed_address_is_copied_by_a_button(open_page, site_url):
    page = open_page()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url.rstrip("/"))
    page.goto("")
    field = page.locator("[data-kx=subscribe] [data-kx=copy-field]")
    assert field.input_value() == urljoin(site_url, urls.feed())
    label = page.locator(f"label[for='{field.get_attribute('id')}']")
    assert label.inner_text() == "订阅源地址"
    button = page.locator("[data-kx=subscribe] button[data-kx=copy]")
    assert button.inner_text() == "复制地址"
    button.click()
    page.wait_for_function("() => document.querySelector('[data-kx=copy-status]').textContent === '已复制'")
    assert page.evaluate("navigator.clipboard.readText()") == urljoin(site_url, urls.feed())


@pytest.mark.parametrize("path", ["", "compare/", "self-check/"])
def test_every_page_declares_the_feed(page, site_url, path):
    page.goto(path)
    link = page.locator("head link[rel=alternate][type='application/atom+xml']")
    assert link.count() == 1
    href = link.evaluate("l => l.href")
    assert urlsplit(href).path == "/" + urls.feed()
    assert "更正" in link.get_attribute("title")


def test_feed_reads_as_a_page_in_the_browser(page, calls):
    """feed.xml names feed.xsl, shipped with the site: the browser shows titles and links."""
    page.goto(urls.feed())
    body = page.locator("body")
    assert "订阅源" in body.inner_text()
    for call in calls:
        assert page.locator(f"a[href$='{urls.call_page(call)}']").count() >= 1, call.id
    assert page.locator("h1").inner_text()
