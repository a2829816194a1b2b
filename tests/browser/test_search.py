"""Searching the site the way a reader does: type into Material's search box, read the results.

Material's search box is answered by overrides/assets/javascripts/workers/kx-search.js from
the Pagefind index the build writes (generator/render/search.py); these tests type into the
box of the built site, served on 127.0.0.1, and read what it lists."""

from __future__ import annotations

import gzip
import json
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


# --------------------------------------------------------------------------- words, not characters


def _items(page: Page) -> list[dict]:
    """Each result group: its link, its text and the words marked in it."""
    return page.locator(".md-search-result__item").evaluate_all(
        """els => els.map(li => ({
             href: li.querySelector('a.md-search-result__link').href,
             text: li.innerText.replace(/\\u200b/g, ''),
             marks: Array.from(li.querySelectorAll('mark')).map(m => m.textContent.replace(/\\u200b/g, ''))
                        .filter(Boolean),
           }))"""
    )


@pytest.mark.parametrize("term", ["科普", "乡村振兴", "智库", "县级科协"])
def test_search_matches_and_marks_the_whole_word(page, calls, term):
    """科普 is not looked up as 科 (which starts nearly every word of every page)."""
    page.goto("")
    search(page, term)
    items = _items(page)
    assert items
    marks = {m for item in items for m in item["marks"]}
    assert marks, f"搜索“{term}”的结果没有标出任何词"
    short = [m for m in marks if not m.startswith(term)]
    assert not short, f"搜索“{term}”标出了不以该词开头的词 / marked {short}"
    for item in items:
        assert any(m.startswith(term) for m in item["marks"]), f"结果未标出“{term}”：{item['text'][:80]}"


def test_each_hit_names_its_notice_and_section(page, calls):
    """A reader sees which notice a hit belongs to (short title) and where in it."""
    page.goto("")
    search(page, "乡村振兴")
    by_id = {c.id: c for c in calls}
    items = _items(page)
    for item in items:
        m = _CALL_PATH.search(urlsplit(item["href"]).path)
        if not m:
            continue
        call = by_id[m.group(1)]
        assert call.short_title in item["text"], f"结果未写明通知：{item['text'][:80]}"
        assert "Index" not in item["text"] and "Source" not in item["text"]
        sections = page.locator(".md-search-result__item h2")
        assert sections.count() > 0


def test_category_hits_name_the_category(page, calls):
    """A word inside a category is reported as 项目类别 › <category>, not just 项目类别."""
    page.goto("")
    search(page, "乡村振兴")
    titles = page.locator(".md-search-result__item h2").evaluate_all(
        "els => els.map(e => e.textContent.replace(/\\u200b/g, ''))"
    )
    names = {c.name for call in calls for c in call.all_categories() if "乡村振兴" in c.name}
    assert names, "no category name has the word; the scenario needs data"
    assert any(t.startswith("项目类别 › ") and any(n in t for n in names) for t in titles), titles


def test_guide_pages_rank_above_source_pages(page):
    page.goto("")
    hrefs = search(page, "科普")
    kinds = ["source" if urlsplit(h).path.rstrip("/").endswith("/source") else "guide" for h in hrefs]
    assert "guide" in kinds and "source" in kinds
    assert kinds == sorted(kinds, key=lambda k: k == "source"), kinds


def _closed_categories_with(page, calls, term: str) -> set[str]:
    """Ids (``cat-…``) of the categories holding ``term`` that a call page shows collapsed."""
    closed: set[str] = set()
    for call in calls:
        page.goto(f"calls/{call.id}/")
        closed |= set(page.locator("details.kx-category:not([open])").evaluate_all(
            f"els => els.filter(d => d.textContent.includes('{term}')).map(d => d.id)"
        ))
    return closed


def test_hit_in_a_collapsed_category_opens_it(page, calls):
    """Opening a hit inside a collapsed category lands on the word, with the category opened."""
    term = "乡村振兴"
    closed = _closed_categories_with(page, calls, term)
    assert closed, f"no collapsed category holds {term}; the scenario needs data"
    page.goto("")
    search(page, term)
    hrefs = page.locator(".md-search-result__item a.md-search-result__link").evaluate_all(
        "els => els.map(a => a.getAttribute('href'))"
    )
    into_closed = [h for h in hrefs if urlsplit(h).fragment.removesuffix("-text") in closed]
    assert into_closed, f"no hit leads into a collapsed category: {hrefs}"
    target = urlsplit(into_closed[0]).fragment
    page.locator(f".md-search-result__item a[href='{into_closed[0]}']").first.click()
    page.wait_for_function("() => document.querySelector('article mark[data-md-highlight]')")
    page.wait_for_timeout(300)  # the page settles after opening the category
    state = page.evaluate(
        """(id) => {
          const anchor = document.getElementById(id);
          const marks = Array.from(document.querySelectorAll('article mark[data-md-highlight]'))
            .filter(m => !m.closest('.kx-sr') && (anchor.contains(m) ||
                    anchor.compareDocumentPosition(m) & Node.DOCUMENT_POSITION_FOLLOWING));
          const m = marks[0];
          return { text: m && m.textContent, top: m && m.getBoundingClientRect().top,
                   inClosed: !!(m && m.closest('details:not([open])')),
                   anchorClosed: !!anchor.closest('details:not([open])') };
        }""",
        target,
    )
    assert not state["anchorClosed"], "the category of the hit is open"
    assert state["text"] and term in state["text"].replace("\u200b", "")
    assert not state["inClosed"]
    assert 0 <= state["top"] <= page.viewport_size["height"], f"the word is on screen: {state}"


def test_search_fetches_the_index_in_parts(open_page, site_dir):
    """A first search fetches Pagefind's files and the chunks and fragments it needs, from
    this site only; no search data is fetched before the reader types."""
    page = open_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(urlsplit(r.url).path))
    page.goto("")
    page.wait_for_load_state("networkidle")
    assert not [r for r in requests if "/pagefind/" in r], "nothing of the index before a search"
    search(page, "科普")
    fetched = [r for r in requests if "/pagefind/" in r]
    assert any(r.endswith("/pagefind/pagefind.js") for r in fetched)
    chunks = [r for r in fetched if "/pagefind/index/" in r]
    fragments = [r for r in fetched if "/pagefind/fragment/" in r]
    assert chunks and fragments
    assert len(chunks) < len(list((site_dir / "pagefind" / "index").iterdir())), "not the whole index"


def test_text_from_the_index_is_shown_as_text(page):
    """Titles, headings and text in the index are data: listed as text, never run as markup."""
    hostile = '<img id="kx-injected" src="x.png">'
    z = "\u200b"
    data = {
        "url": "/calls/x/", "word_count": 4000, "filters": {},
        "content": f"科{z}普 {hostile} " * 4000,
        "meta": {"title": f"甲{hostile}"},
        "anchors": [{"element": "h2", "id": "s", "text": f"节{hostile}", "location": 0}],
    }
    body = gzip.compress(b"pagefind_dcd" + json.dumps(data, ensure_ascii=False).encode("utf-8"))
    page.route("**/pagefind/fragment/*", lambda route: route.fulfill(
        status=200, body=body, content_type="application/octet-stream"))
    page.goto("")
    search(page, "科普")
    assert page.locator("#kx-injected").count() == 0
    shown = page.locator(".md-search-result__list").inner_text()
    assert f"甲{hostile}" in shown and f"节{hostile}" in shown
