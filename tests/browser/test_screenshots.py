"""Screenshots of the main pages on a desktop and a phone, kept under tests/artifacts/screenshots.

People look at them; the test checks they were taken at the width asked for.
"""

from __future__ import annotations

import struct

import pytest

from . import expect
from .support import DESKTOP, PHONE, save_screenshot
from .support import SCREENSHOTS as SCREENSHOTS_DIR

PAGES = {
    "home": "",
    "call": f"calls/{expect.CALL_IDS[0]}/",
    "call-jining": "calls/jining-2023-reform-brand/",
    "compare": "compare/",
    "compare-two": f"compare/?calls={expect.CALL_IDS[2]},{expect.CALL_IDS[3]}",
    "finder": "finder/",
    "self-check": "self-check/",
    "feed": "feed.xml",
}
#: An office PC, a common laptop (1366×768) and a phone.
SIZES = {
    "desktop": (DESKTOP, False),
    "laptop": ({"width": 1366, "height": 768}, False),
    "phone": (PHONE, True),
}


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height of a PNG, from its IHDR chunk."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", PAGES)
def test_screenshot(open_page, name, size):
    viewport, mobile = SIZES[size]
    page = open_page(viewport["width"], viewport["height"], mobile=mobile)
    page.goto(PAGES[name])
    page.evaluate("document.fonts.ready")
    path = save_screenshot(page, f"{name}-{viewport['width']}")
    width, height = png_size(path.read_bytes())
    scale = 2 if mobile else 1
    assert width == viewport["width"] * scale, "the page is wider than the screen"
    assert height >= viewport["height"] * scale


@pytest.mark.parametrize("size", ["laptop", "phone"])
def test_screenshot_of_search_results(open_page, size):
    """What a reader sees after typing 科普: whole words marked, each hit naming its notice."""
    from .test_search import search

    viewport, mobile = SIZES[size]
    page = open_page(viewport["width"], viewport["height"], mobile=mobile)
    page.goto("")
    search(page, "科普", phone=mobile)
    page.evaluate("document.querySelector('.md-search__scrollwrap').scrollTop = 0")
    path = SCREENSHOTS_DIR / f"search-{viewport['width']}.png"
    SCREENSHOTS_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), animations="disabled")
    assert png_size(path.read_bytes())[0] == viewport["width"] * (2 if mobile else 1)


@pytest.mark.parametrize("name", ["home", "call"])
def test_screenshot_dark(open_page, name):
    page = open_page(PHONE["width"], PHONE["height"], mobile=True, color_scheme="dark")
    page.goto(PAGES[name])
    page.evaluate("document.fonts.ready")
    assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
    path = save_screenshot(page, f"{name}-{PHONE['width']}-dark")
    assert png_size(path.read_bytes())[0] == PHONE["width"] * 2
