"""Accessibility: axe-core finds nothing serious; headings are in order; tables have headers."""

from __future__ import annotations

import pytest

from . import expect
from .support import describe, failing, heading_problems, headings, run_axe

CALL_PAGES = [f"calls/{cid}/" for cid in expect.CALL_IDS]
#: Pages a reader uses: home, each call, its 原文, the comparison and the finder.
PAGES = ["", *CALL_PAGES, *[f"{p}source/" for p in CALL_PAGES], "compare/", "finder/"]
#: The pages of the issue, checked by axe in light and dark colours.
AXE_PAGES = ["", *CALL_PAGES, "compare/", "finder/"]


def _ids(paths: list[str]) -> list[str]:
    return [p.strip("/") or "home" for p in paths]


@pytest.mark.parametrize("path", AXE_PAGES, ids=_ids(AXE_PAGES))
def test_axe_finds_no_serious_violation(page, path):
    page.goto(path)
    bad = failing(run_axe(page))
    assert not bad, f"axe on {path or 'home'}:\n{describe(bad)}"


DARK_PAGES = ["", CALL_PAGES[0], "compare/"]


@pytest.mark.parametrize("path", DARK_PAGES, ids=_ids(DARK_PAGES))
def test_axe_in_dark_mode(open_page, path):
    page = open_page(color_scheme="dark")
    page.goto(path)
    bad = failing(run_axe(page))
    assert not bad, f"axe on {path or 'home'} (dark):\n{describe(bad)}"


def test_axe_on_the_self_check(page, site_dir):
    page.goto(expect.self_check_path(site_dir))
    bad = failing(run_axe(page))
    assert not bad, describe(bad)


def test_axe_on_the_finder_after_choosing(page):
    """The results a reader sees after picking an applicant type are checked too."""
    page.goto("finder/")
    page.locator("select[data-kx=finder-select]").select_option("县级科协")
    bad = failing(run_axe(page))
    assert not bad, describe(bad)


@pytest.mark.parametrize("path", PAGES, ids=_ids(PAGES))
def test_headings_in_order(page, path):
    page.goto(path)
    outline = headings(page)
    problems = heading_problems(outline)
    assert not problems, "\n".join(problems) + f"\noutline: {outline}"


@pytest.mark.parametrize("path", PAGES, ids=_ids(PAGES))
def test_tables_have_headers(page, path):
    page.goto(path)
    missing = page.locator("article table").evaluate_all(
        """ts => ts.filter(t => !t.querySelector('th'))
            .map(t => t.outerHTML.slice(0, 160))"""
    )
    assert not missing, f"tables without a header cell on {path or 'home'}: {missing}"


@pytest.mark.parametrize("path", ["", CALL_PAGES[0]], ids=_ids(["", CALL_PAGES[0]]))
def test_keyboard_reaches_the_content(page, path):
    """Tab from the top of the page: the skip link comes first and jumps to the content."""
    page.goto(path)
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.getAttribute('href')")
    assert focused and focused.startswith("#"), f"first Tab stop is {focused!r}, not a skip link"
