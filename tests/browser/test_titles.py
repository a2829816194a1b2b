"""Every page names itself: browser tab, sticky header and breadcrumbs (never "Index")."""

from __future__ import annotations

import pytest

from generator import urls

from . import expect

SITE = "科协申报指南"


def _header(page) -> str:
    return page.locator(".md-header__topic[data-md-component=header-topic]").inner_text().strip()


@pytest.mark.parametrize("call_id", expect.CALL_IDS)
def test_call_and_source_pages_are_named_by_their_short_title(page, calls, call_id):
    call = expect.by_id(calls, call_id)
    page.goto(urls.call_page(call))
    assert page.title() == f"{call.short_title} - {SITE}"
    assert _header(page) == call.short_title
    crumbs = page.locator("nav.kx-crumbs")
    assert crumbs.get_attribute("aria-label") == "当前位置"
    assert crumbs.inner_text().strip().endswith(call.short_title)

    page.goto(urls.source_page(call))
    assert page.title() == f"原文：{call.short_title} - {SITE}"
    assert _header(page) == f"原文：{call.short_title}"
    assert page.locator("nav.kx-crumbs").inner_text().strip().endswith("原文")
    assert call.short_title in page.locator("nav.kx-crumbs").inner_text()


@pytest.mark.parametrize("path", ["calls/", "compare/", "finder/", "self-check/", "guide/"])
def test_other_pages_have_their_own_title(page, path):
    page.goto(path)
    title = page.title()
    assert title.endswith(f" - {SITE}") and title != f" - {SITE}"
    assert "Index" not in title and "Index" not in _header(page)
    assert _header(page) == title.removesuffix(f" - {SITE}")
