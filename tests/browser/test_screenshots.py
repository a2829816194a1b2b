"""Screenshots of the main pages on a desktop and a phone, kept under tests/artifacts/screenshots.

People look at them; the test checks they were taken at the width asked for.
"""

from __future__ import annotations

import struct

import pytest

from . import expect
from .support import DESKTOP, PHONE, save_screenshot

PAGES = {
    "home": "",
    "call": f"calls/{expect.CALL_IDS[0]}/",
    "compare": "compare/",
    "finder": "finder/",
}
SIZES = {"desktop": (DESKTOP, False), "phone": (PHONE, True)}


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


@pytest.mark.parametrize("name", ["home", "call"])
def test_screenshot_dark(open_page, name):
    page = open_page(PHONE["width"], PHONE["height"], mobile=True, color_scheme="dark")
    page.goto(PAGES[name])
    page.evaluate("document.fonts.ready")
    assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
    path = save_screenshot(page, f"{name}-{PHONE['width']}-dark")
    assert png_size(path.read_bytes())[0] == PHONE["width"] * 2
