"""Dark mode and print: the pages render for a dark-themed phone and on paper."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from generator import urls

from . import expect

_LUMINANCE_JS = """el => {
  const [r, g, b] = getComputedStyle(el).backgroundColor.match(/[\\d.]+/g).map(Number);
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}"""


@pytest.mark.parametrize("path", ["", "compare/", f"calls/{expect.CALL_IDS[0]}/"])
def test_dark_mode_follows_the_system(open_page, path):
    page = open_page(color_scheme="dark")
    page.goto(path)
    assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
    assert page.locator("body").evaluate(_LUMINANCE_JS) < 0.3, "the background is not dark"


def test_light_mode_by_default(page):
    page.goto("")
    assert page.locator("body").get_attribute("data-md-color-scheme") == "default"
    assert page.locator("body").evaluate(_LUMINANCE_JS) > 0.7


@pytest.mark.parametrize("path", ["", "compare/", f"calls/{expect.CALL_IDS[0]}/"])
def test_print_hides_navigation_and_keeps_the_content(page, path):
    page.goto(path)
    page.emulate_media(media="print")
    for selector in (".md-header", ".md-tabs", ".md-sidebar--primary", ".md-footer"):
        for el in page.locator(selector).all():
            assert not el.is_visible(), f"{selector} is printed"
    article = page.locator("article.md-content__inner")
    assert article.is_visible()
    assert article.inner_text().strip()


def test_call_page_prints_to_pdf(page, calls):
    call = calls[0]
    page.goto(urls.call_page(call))
    pdf = page.pdf(format="A4", print_background=False)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 1
    text = "".join(p.extract_text() for p in reader.pages)
    assert call.short_title[:4] in text or call.title[:6] in text
