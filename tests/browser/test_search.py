"""Searching the site the way a reader does: type into Material's search box, read the results."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page

from . import expect
from .support import PHONE

TERMS = ["乡村振兴", "青少年", "智库", "县级科协"]
_CALL_PATH = re.compile(r"/calls/([a-z0-9-]+)/")


def search(page: Page, term: str, *, phone: bool = False) -> list[str]:
    """Type ``term`` into the search box and return every result link, in ranked order.

    Material renders results ten at a time as the list scrolls, so the list is scrolled
    until no more appear.
    """
    page.wait_for_function(
        "() => { const m = document.querySelector('.md-search-result__meta');"
        " return m && !m.textContent.includes('初始化'); }"
    )
    if phone:
        page.locator("label.md-header__button[for='__search']").click()
    box = page.locator("input.md-search__input")
    box.click()
    box.fill(term)
    box.press("End")  # an IME commits with a key event; Material listens to key events
    page.wait_for_function(
        "() => { const m = document.querySelector('.md-search-result__meta');"
        " return document.querySelector('.md-search-result__item')"
        " || /没有|no matching/i.test(m.textContent); }"
    )
    meta = page.locator(".md-search-result__meta").inner_text()
    total = int(m.group(1)) if (m := re.search(r"(\d+)", meta)) else 0
    # Material renders 10 results, then 4 more each time the list is scrolled to its end:
    # scroll up and down, as a reader would, until all ``total`` results are there.
    page.wait_for_function(
        """(total) => {
          const wrap = document.querySelector('.md-search__scrollwrap');
          wrap.scrollTop = wrap.scrollTop > 0 ? 0 : wrap.scrollHeight;
          return document.querySelectorAll('.md-search-result__item').length >= total;
        }""",
        arg=total,
        polling=100,
    )
    links = page.locator(".md-search-result__item > a.md-search-result__link")
    return links.evaluate_all("els => els.map(e => e.href)")


def call_ids(hrefs: list[str]) -> list[str]:
    """The call each result belongs to (its page or a sub-page), in result order."""
    out = []
    for href in hrefs:
        m = _CALL_PATH.search(urlsplit(href).path)
        if m and m.group(1) not in out:
            out.append(m.group(1))
    return out


@pytest.mark.parametrize("term", TERMS)
def test_search_finds_the_right_calls(page, calls, term):
    expected = expect.calls_mentioning(calls, term)
    assert expected, f"no notice mentions {term}; the scenario needs data"
    page.goto("")
    found = call_ids(search(page, term))
    missing = expected - set(found)
    assert not missing, f"搜索“{term}”没有找到 / search for {term} misses {sorted(missing)}; found {found}"
    assert found[0] in expected, f"搜索“{term}”的第一条结果 {found[0]} 不含该词"


def test_search_result_opens_a_page_with_the_term(page, calls):
    term = "智库"
    page.goto("")
    hrefs = search(page, term)
    page.locator(".md-search-result__item > a.md-search-result__link").first.click()
    page.wait_for_url(hrefs[0].split("#")[0] + "**")
    assert term in page.locator("article").inner_text()


def test_search_works_on_a_phone(open_page, calls):
    term = "县级科协"
    page = open_page(PHONE["width"], PHONE["height"], mobile=True)
    page.goto("")
    found = call_ids(search(page, term, phone=True))
    assert expect.calls_mentioning(calls, term) <= set(found)
