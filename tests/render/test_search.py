"""The site search index (generator/render/search.py): what Pagefind is given and writes."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from generator.context import BuildContext
from generator.render import search

Z = search.SEPARATOR


def test_characters_separates_each_chinese_character_and_keeps_the_markup():
    html = '<h2 id="x" title="科普">智库</h2><p class="科">2023年度“科普”A类 项目 › B</p>'
    out = search.characters(html)
    assert out == (f'<h2 id="x" title="科普">智{Z}库</h2><p class="科">2023{Z}年{Z}度{Z}“{Z}科{Z}普'
                   f'{Z}”A{Z}类 项{Z}目 › B</p>')
    assert out.replace(Z, "") == html  # nothing else changes; U+200B is invisible


def test_characters_leaves_text_without_chinese_alone():
    html = "<p>Excel form, 2 pages</p>"
    assert search.characters(html) == html


def _page(title: str, body: str, *, indexed: bool = True, low: bool = False) -> str:
    rank = '<meta data-pagefind-filter="rank[content]" content="low">' if low else ""
    head = f'<meta data-pagefind-meta="title[content]" content="{title}">{rank}' if indexed else ""
    mark = " data-pagefind-body" if indexed else ""
    return (f'<!doctype html><html lang="zh"><head>{head}</head><body><nav>导航菜单</nav>'
            f"<article{mark}>{body}</article></body></html>")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    pages = {
        "calls/a/index.html": _page("甲·2024", '<h1 id="t">关于申报的通知</h1>'
                                    '<nav data-search-exclude>首页 › 申报通知</nav>'
                                    '<h2 id="c">项目类别</h2><p>科普惠农助力乡村振兴。</p>'),
        "calls/a/source/index.html": _page("原文：甲·2024", "<p>乡村振兴原文</p>", low=True),
        "compare/index.html": _page("对比", "<p>乡村振兴对比</p>", indexed=False),
    }
    for rel, html in pages.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(html, encoding="utf-8")
    return site


def _fragments(site: Path) -> dict[str, dict]:
    out = {}
    for path in (site / search.FOLDER / "fragment").iterdir():
        data = search.fragment(path)
        out[data["url"]] = data
    return out


def test_index_holds_the_marked_pages_only_with_their_titles_and_rank(site: Path):
    copies = set(Path(tempfile.gettempdir()).glob("kx-search-*"))
    search.index(site)
    assert set(Path(tempfile.gettempdir()).glob("kx-search-*")) == copies, "the indexer's copy is removed"
    folder = site / search.FOLDER
    assert (folder / "pagefind.js").is_file() and (folder / "pagefind-entry.json").is_file()
    assert not [p.name for p in folder.iterdir() if "ui" in p.name or p.name == "pagefind-worker.js"]
    frags = _fragments(site)
    assert set(frags) == {"/calls/a/", "/calls/a/source/"}  # compare: search: exclude
    call = frags["/calls/a/"]
    assert call["meta"]["title"] == "甲·2024"
    assert call["filters"] == {}
    assert frags["/calls/a/source/"]["filters"] == {"rank": ["low"]}
    text = call["raw_content"] if "raw_content" in call else call["content"]
    assert f"乡{Z}村{Z}振{Z}兴" in text  # one character a word
    assert "导" not in text and "首页" not in text.replace(Z, "")  # navigation left out
    assert [(a["id"], a["text"].replace(Z, "")) for a in call["anchors"] if a["element"] == "h2"] == [
        ("c", "项目类别")]


def _ctx(site: Path, cache: Path) -> BuildContext:
    return BuildContext(root=site, calls=[], docs_dir=site, site_dir=site, cache_dir=cache,
                        step="search", produces=("search",), out_dir=site)


def test_render_keeps_the_index_in_the_cache_until_a_page_changes(site: Path, tmp_path: Path):
    cache = tmp_path / "cache"
    ctx = _ctx(site, cache)
    search.render(ctx)
    first = {p: a.digest for p, a in ctx.artifacts.items()}
    assert "pagefind/pagefind.js" in first and all(a.kind == "search" for a in ctx.artifacts.values())
    # same pages: the index comes from the cache, the same files
    import shutil

    shutil.rmtree(site / search.FOLDER)
    again = _ctx(site, cache)
    calls = []
    real = search.index
    try:
        search.index = lambda s: calls.append(s)  # type: ignore[assignment]
        search.render(again)
    finally:
        search.index = real  # type: ignore[assignment]
    assert not calls, "unchanged pages are not indexed again"
    assert {p: a.digest for p, a in again.artifacts.items()} == first
    # a changed page: indexed again
    page = site / "calls" / "a" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("乡村振兴", "青少年"), encoding="utf-8")
    third = _ctx(site, cache)
    search.render(third)
    assert {p: a.digest for p, a in third.artifacts.items()} != first
    assert len(list((cache / "search").iterdir())) == 1, "the cache keeps the last index only"


def test_index_is_the_same_bytes_every_time(site: Path):
    """Two indexings of the same pages write the same files (reproducible builds): one filter
    value only, since Pagefind writes a filter's values in no fixed order."""
    def files() -> dict[str, bytes]:
        folder = site / search.FOLDER
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}

    search.index(site)
    first = files()
    for _ in range(4):
        search.index(site)
        assert files() == first
