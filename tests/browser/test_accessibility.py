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


# --------------------------------------------------------------------------- keyboard and labels

# A visually hidden control (the theme's colour toggle, a radio) is seen through the label
# right after it, which the theme outlines while the radio has the focus.
_FOCUSED = """() => { const e = document.activeElement;
  const next = e.nextElementSibling;
  const seen = (!e.offsetWidth && next && next.tagName === 'LABEL') ? next : e;
  return { inDrawer: !!e.closest('.md-sidebar--primary'), rect: seen.getBoundingClientRect().toJSON(),
           tag: e.tagName, text: (e.innerText || e.getAttribute('aria-label') || '').slice(0, 30) }; }"""


@pytest.mark.parametrize("path", ["", CALL_PAGES[0]], ids=_ids(["", CALL_PAGES[0]]))
def test_closed_phone_menu_is_out_of_the_tab_order(open_page, path):
    """On a phone the menu is off screen while closed: Tab never lands in it; opened, it does."""
    from .support import PHONE

    page = open_page(PHONE["width"], PHONE["height"], mobile=True)
    page.goto(path)
    stops = []
    for _ in range(25):
        page.keyboard.press("Tab")
        stops.append(page.evaluate(_FOCUSED))
    hidden = [s for s in stops if s["inDrawer"]]
    assert not hidden, f"Tab stops inside the closed menu: {hidden[:5]}"
    offscreen = [s for s in stops if s["rect"]["right"] <= 0 or s["rect"]["left"] >= PHONE["width"]]
    assert not offscreen, f"Tab stops off screen: {offscreen[:5]}"

    page.locator("label.md-header__button[for='__drawer']").click()
    page.wait_for_function("() => !document.querySelector('.md-sidebar--primary').inert")
    page.locator(".md-sidebar--primary a").first.focus()
    assert page.evaluate(_FOCUSED)["inDrawer"], "the opened menu is reachable"


_LATIN_WORD = r"[A-Za-z]{3,}"
#: Latin words a Chinese reader meets as names of things, not as untranslated labels.
_ALLOWED = {"PDF", "DOCX", "ZIP", "Word", "Atom", "ics", "webcal", "JSON", "CSV"}


LABEL_PAGES = ["", CALL_PAGES[0], "self-check/", "compare/"]


@pytest.mark.parametrize("path", LABEL_PAGES, ids=_ids(LABEL_PAGES))
def test_every_control_is_labelled_in_chinese(page, path):
    """Buttons, links, fields: their labels and tooltips are Chinese (¶ is 本节链接, not Permanent link)."""
    import re

    page.goto(path)
    labels = page.evaluate(
        """() => Array.from(document.querySelectorAll(
                   'a, button, input, select, summary, label, [role=button], [aria-label], [title]'))
             .flatMap(e => [e.getAttribute('aria-label'), e.getAttribute('title'), e.getAttribute('placeholder'),
                            e.matches('a.headerlink, button, summary, label, [role=button]') ? e.innerText : null])
             .filter(Boolean)"""
    )
    english = sorted(
        {t for t in labels for w in re.findall(_LATIN_WORD, t) if w not in _ALLOWED and "@" not in t and "://" not in t}
    )
    assert not english, f"labels not in Chinese on {path or 'home'}: {english[:10]}"
    assert page.locator("a.headerlink").count() > 0
    assert set(page.locator("a.headerlink").evaluate_all("els => els.map(e => e.title)")) == {"本节链接"}


@pytest.mark.parametrize("path", ["", CALL_PAGES[0]], ids=_ids(["", CALL_PAGES[0]]))
def test_status_is_said_once(page, path):
    """A closed call reads 已截止 once, then how long ago (no "已截止 已截止 120 天")."""
    page.goto(path)
    texts = page.locator(".kx-badge").evaluate_all(
        "els => els.map(b => b.parentElement.innerText.replace(/\\s+/g, ' '))"
    )
    assert texts
    for text in texts:
        for label in ("已截止", "征集中", "截止日期未载明"):
            assert text.count(label) <= 1, text


def test_no_hidden_tab_stops_on_a_desktop(page):
    """Tab never lands on something out of sight (the closed search results box)."""
    page.goto(CALL_PAGES[0])
    for _ in range(20):
        page.keyboard.press("Tab")
        stop = page.evaluate(_FOCUSED)
        assert stop["rect"]["width"] > 0 and stop["rect"]["height"] > 0, f"hidden Tab stop: {stop}"
