"""The built site: structural checks for every call, no external hosts, Chinese search, Zensical.

Uses the ``built_site`` fixture (the whole repository built once with MkDocs, build date TODAY).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from lxml import html as lxml_html

from generator import urls
from generator.formset import forms_of
from generator.models import ApplicantType, Call, iter_quotes
from generator.render.pages import human_size
from generator.view import call_view, sort_key

from .conftest import ROOT, TODAY

PAGES = ["", "calls/", "compare/", "finder/", "self-check/", "guide/"]


def _page(site: Path, url: str):
    return lxml_html.fromstring((site / url / "index.html").read_bytes())


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _target(site: Path, page_url: str, href: str) -> Path:
    """The file a relative link on the page at ``page_url`` points to."""
    path = unquote(urlsplit(urljoin("http://site/" + page_url, href)).path).lstrip("/")
    file = site / path
    return file / "index.html" if path == "" or path.endswith("/") else file


@pytest.fixture(scope="module")
def site(built_site: Path) -> Path:
    return built_site


# --------------------------------------------------------------------------- pages exist


def test_every_page_is_built(site: Path, calls: list[Call]):
    assert calls, "no call data in data/calls"
    for url in PAGES:
        assert (site / url / "index.html").is_file(), url
    for call in calls:
        assert (site / urls.call_page(call) / "index.html").is_file()
        assert (site / urls.source_page(call) / "index.html").is_file()
    assert "页面未找到" in (site / "404.html").read_text(encoding="utf-8")


def test_home_has_a_card_per_call_open_first(site: Path, calls: list[Call]):
    tree = _page(site, "")
    cards = tree.xpath('//*[@data-kx="call-card"]')
    expected = sorted((call_view(c, TODAY) for c in calls), key=sort_key)
    assert [c.get("data-call-id") for c in cards] == [v.id for v in expected]
    for card, view in zip(cards, expected, strict=True):
        status = view.status
        assert status is not None and card.get("data-status") == status.status
        days = card.xpath('.//*[@data-kx="days-left"]')
        assert len(days) == 1
        iso = status.deadline.iso if status.deadline else ""
        assert days[0].get("data-deadline") == iso
        text = card.text_content()
        assert f"{view.category_count} 类" in text
        assert f"{view.form_count} 份" in text
        assert _target(site, "", card.xpath(".//a")[0].get("href")).is_file()


# --------------------------------------------------------------------------- call pages


@pytest.fixture(
    scope="module", params=[p.stem for p in sorted((ROOT / "data" / "calls").glob("*.yaml"))]
)
def call_and_page(request, site: Path, calls: list[Call]):
    call = next(c for c in calls if c.id == request.param)
    return call, _page(site, urls.call_page(call))


def test_call_page_key_facts_deadlines_categories(call_and_page):
    call, tree = call_and_page
    facts = tree.xpath('//*[@data-kx="key-facts"]')
    assert len(facts) == 1
    text = _norm(facts[0].text_content())
    assert _norm(call.issuer.name) in text
    assert _norm(call.doc_no or "原文未载明") in text
    deadlines = tree.xpath('//*[@data-kx="key-facts"]//*[@data-kx="deadline"]')
    assert [d.get("data-date") for d in deadlines] == [
        d.date.isoformat() if d.date else "" for d in call.deadlines
    ]
    for d, el in zip(call.deadlines, deadlines, strict=True):
        assert _norm(d.label) in _norm(el.text_content())
    cats = tree.xpath('//*[@data-kx="category"]')
    assert [c.get("data-category-id") for c in cats] == [c.id for c in call.all_categories()]


def test_call_page_shows_every_fact_of_the_data(call_and_page):
    """Every quoted string (outside the forms, which are downloads) and every editorial note."""
    call, tree = call_and_page
    page = _norm(tree.xpath("//article")[0].text_content())
    missing = [
        (path, text)
        for path, text in iter_quotes(call)
        if not path.startswith("forms") and _norm(text) not in page
    ]
    assert not missing, missing[:5]
    editorial = [
        call.summary,
        *call.source.missing,
        *(d.note for d in call.source.discrepancies),
        *(e.summary for e in call.changelog),
        *(c.note for c in call.all_categories() if c.note),
        *(c.note for c in call.contacts if c.note),
        *(lk.title for lk in call.links),
    ]
    assert not [t for t in editorial if _norm(t) not in page]


def test_call_page_downloads_exist_with_sizes_and_names(site: Path, call_and_page):
    call, tree = call_and_page
    here = urls.call_page(call)
    links = tree.xpath('//a[@data-kx="download"]')
    formats = {"docx": "DOCX", "pdf": "PDF", "fillable": "可填写 PDF", "zip": "ZIP", "guide": "PDF"}
    for a in links:
        file = _target(site, here, a.get("href"))
        assert file.is_file(), a.get("href")
        assert a.get("download")
        assert a.get("data-format") in formats
        assert (
            f"{formats[a.get('data-format')]}（{human_size(file.stat().st_size)}）"
            in a.text_content()
        )
    # Every file produced for a form is offered.
    for form in forms_of(call):
        for fmt, path in (("docx", urls.form_docx(call, form)), ("pdf", urls.form_pdf(call, form))):
            if (site / path).is_file():
                assert [
                    a
                    for a in links
                    if a.get("data-format") == fmt
                    and _target(site, here, a.get("href")) == site / path
                ], path
                assert [
                    a for a in links if a.get("download") == urls.download_name(call, form, fmt)
                ]


def test_call_page_links_source_and_notes_discrepancies(site: Path, call_and_page):
    call, tree = call_and_page
    here = urls.call_page(call)
    src = tree.xpath('//a[@data-kx="source-link"]')
    assert len(src) == 1
    assert _target(site, here, src[0].get("href")) == site / urls.source_page(call) / "index.html"
    assert len(tree.xpath('//*[@data-kx="discrepancy"]')) == len(call.source.discrepancies)


def test_all_internal_links_resolve(site: Path, calls: list[Call]):
    pages = [*PAGES, *(urls.call_page(c) for c in calls), *(urls.source_page(c) for c in calls)]
    for url in pages:
        tree = _page(site, url)
        for a in tree.xpath("//article//a[@href]"):
            href = a.get("href")
            if href.startswith(("#", "mailto:", "tel:", "http://", "https://")):
                continue
            assert _target(site, url, href.split("#")[0]).exists(), (url, href)


def test_source_pages_show_the_text(site: Path, calls: list[Call]):
    for call in calls:
        tree = _page(site, urls.source_page(call))
        shown = tree.xpath('//*[@data-kx="source-text"]')[0].text_content()
        text = (ROOT / call.source.text_file).read_text(encoding="utf-8")
        assert _norm(shown) == _norm(text)


# --------------------------------------------------------------------------- compare, finder, self


def test_compare_table(site: Path, calls: list[Call]):
    tree = _page(site, "compare/")
    table = tree.xpath('//*[@data-kx="compare-scroll"]//table[@data-kx="compare-table"]')
    assert len(table) == 1
    head = [_norm(th.text_content()) for th in table[0].xpath(".//thead/tr/th")][1:]
    assert head == [_norm(c.short_title) for c in calls]
    rows = {_norm(tr.xpath("./th")[0].text_content()): tr for tr in table[0].xpath(".//tbody/tr")}
    for label in (
        "发文单位与层级",
        "文号",
        "发文日期",
        "截止日期",
        "项目周期",
        "申报主体",
        "限项",
        "项目类别与计划数量",
        "经费额度",
        "报送方式",
        "纸质版",
        "评审流程",
        "公示",
        "表单字数要求",
        "联系人",
    ):
        assert len(rows[label].xpath("./td")) == len(calls), label


def test_finder(site: Path, calls: list[Call]):
    tree = _page(site, "finder/")
    options = [o.get("value") for o in tree.xpath('//select[@data-kx="finder-select"]/option')][1:]
    values = {a.value for a in ApplicantType}
    assert options and set(options) <= values
    rows = tree.xpath('//*[@data-kx="finder-result"]')
    expected = [(v, r) for c in calls for v in [call_view(c, TODAY)] for r in v.rows]
    assert [(r.get("data-call-id"), r.get("data-category-id")) for r in rows] == [
        (v.id, r.id if v.categories else "") for v, r in expected
    ]
    for el, (_, row) in zip(rows, expected, strict=True):
        assert el.get("data-applicants").split() == [a.value for a in row.types()]
    assert "县级科协" in options and "市级学会" in options
    matrix = tree.xpath('//table[@data-kx="finder-matrix"]')[0]
    columns = [th.text_content() for th in matrix.xpath(".//thead/tr/th")][1:]
    lines = matrix.xpath('.//tbody/tr[th[@scope="row"]]')
    assert len(lines) == len(expected)
    for tr, (_, row) in zip(lines, expected, strict=True):
        if not row.applicants_known:
            assert "原文未载明" in tr.text_content(), row.path
            continue
        ticked = [
            col
            for col, td in zip(columns, tr.xpath("./td"), strict=True)
            if "✓" in td.text_content()
        ]
        assert ticked == [a.value for a in row.types("apply")], row.path


def test_self_check_scores_add_up(site: Path, calls: list[Call]):
    tree = _page(site, "self-check/")
    with_table = [c for c in calls if c.indicators is not None]
    boxes = tree.xpath('//*[@data-kx="self-check"]')
    assert [b.get("data-call-id") for b in boxes] == [c.id for c in with_table]
    for box, call in zip(boxes, with_table, strict=True):
        items = box.xpath('.//input[@data-kx="score-item"]')
        assert len(items) == sum(len(g.indicators) for g in call.indicators.groups)
        assert sum(int(i.get("data-points")) for i in items) == call.indicators.total
        bonus = box.xpath('.//input[@data-kx="score-bonus"]')
        assert [int(b.get("data-points")) for b in bonus] == [
            b.points for b in call.indicators.bonus
        ]
        assert box.xpath('.//*[@data-kx="score-total"]')


# --------------------------------------------------------------------------- no third-party hosts

#: Hosts that appear in the theme's vendored JavaScript but are never contacted by this site:
#: XML namespaces, licence comments, GitHub repository facts (no repo_url is set), and
#: unpkg.com polyfills loaded only by browsers without ResizeObserver or for Mermaid diagrams.
#: XML namespace names the 在线填写 script uses to read and fill a DOCX's document.xml.
XML_NAMESPACES = {
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://schemas.microsoft.com/office/word/2010/wordml",
    "http://www.w3.org/XML/1998/namespace",
}
THEME_JS_HOSTS = {
    "www.w3.org",
    "www.mozilla.org",
    "people.mozilla.org",
    "developer.mozilla.org",
    "github.com",
    "api.github.com",
    "unpkg.com",
    "snowball.tartarus.org",
    "tartarus.org",
    "code.google.com",
    "en.wikipedia.org",
    "clipboardjs.com",
    "bit.ly",
    "wiki.ecmascript.org",
    "wiki.commonjs.org",
    "underscorejs.org",
    # pagefind/pagefind.js parses a site path against it to build a URL (never fetched; the
    # browser tests block and report any request to another host)
    "example.com",
    "narwhaljs.org",
    "msdn.microsoft.com",
    "lunrjs.com",
    "docs.python.org",
    "chasen.org",
    "json-schema.org",
    "fontawesome.com",
}
_URL = re.compile(r"""https?://([A-Za-z0-9.-]+\.[A-Za-z]{2,})""")


def _data_hosts(calls: list[Call]) -> set[str]:
    """Hosts named in the notices (links and text): shown as links the reader may follow."""
    hosts: set[str] = set()
    for call in calls:
        texts = [t for _, t in iter_quotes(call)]
        texts.append((ROOT / call.source.text_file).read_text(encoding="utf-8"))
        for t in texts:
            hosts.update(h.lower() for h in re.findall(r"https?://([A-Za-z0-9.-]+)", t))
    return hosts


def _assert_html_and_css_stay_local(site: Path, allowed_links: set[str]) -> None:
    """No HTML element or stylesheet loads anything from another host; only <a> links
    to the notices' own websites point elsewhere."""
    for file in site.rglob("*.html"):
        tree = lxml_html.fromstring(file.read_bytes())
        for el in tree.xpath("//*[@src or @href or @action or @srcset or @data or @poster]"):
            for attr in ("src", "href", "action", "srcset", "data", "poster"):
                value = (el.get(attr) or "").strip()
                if not re.match(r"(?i)(https?:)?//", value):
                    continue
                host = urlsplit(value if "//" in value[:8] else "http:" + value).hostname or ""
                # Only plain <a> links to the notices' own websites may point elsewhere.
                assert el.tag == "a" and attr == "href" and host in allowed_links, (
                    file,
                    el.tag,
                    value,
                )
        for style in tree.xpath("//style/text()"):
            assert not re.search(r"url\(\s*['\"]?(https?:)?//|@import", style), file
    for css in site.rglob("*.css"):
        text = css.read_text(encoding="utf-8", errors="replace")
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", text), css
        assert not re.search(r"@import\s+(url\()?['\"]?(https?:)?//", text), css


def test_no_resource_is_loaded_from_another_host(site: Path, calls: list[Call]):
    assert not (ROOT / "mkdocs.yml").read_text(encoding="utf-8").count("repo_url")
    _assert_html_and_css_stay_local(site, _data_hosts(calls))
    for ours in ("assets/kx.js", "assets/kx.css"):
        assert not _URL.search((site / ours).read_text(encoding="utf-8")), ours
    # The 在线填写 script names the DOCX's XML namespaces (identifiers, never fetched) and
    # nothing else that looks like an address.
    fill_js = (site / "assets" / "kx-fill.js").read_text(encoding="utf-8")
    assert set(re.findall(r"https?://[^\s\"']+", fill_js)) == XML_NAMESPACES
    for js in site.rglob("*.js"):
        if js == site / "assets" / "kx-fill.js":
            continue
        hosts = {h.lower() for h in _URL.findall(js.read_text(encoding="utf-8", errors="replace"))}
        assert hosts <= THEME_JS_HOSTS, (js, hosts - THEME_JS_HOSTS)


def test_no_web_fonts_and_system_cjk_font_stack(site: Path):
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "fonts.googleapis" not in index and "fonts.gstatic" not in index
    css = (site / "assets" / "kx.css").read_text(encoding="utf-8")
    for font in ("PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC"):
        assert font in css
    assert "@media print" in css and "size: A4" in css


# --------------------------------------------------------------------------- search


@pytest.mark.parametrize("term", ["乡村振兴", "科普", "学会"])
def test_search_index_holds_each_notice_with_its_words(site: Path, calls: list[Call], term: str):
    """The Pagefind index (generator/render/search.py) holds each call's page and 原文 page
    with their text; a word is in the index text of exactly the calls whose notice has it."""
    from generator.render import search

    assert json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"] == []
    found: set[str] = set()
    urls: set[str] = set()
    for path in (site / search.FOLDER / "fragment").iterdir():
        page = search.fragment(path)
        urls.add(page["url"])
        m = re.match(r"/calls/([a-z0-9-]+)/(source/)?$", page["url"])
        if m and term in page["content"].replace(search.SEPARATOR, ""):
            found.add(m.group(1))
    for call in calls:
        assert {f"/calls/{call.id}/", f"/calls/{call.id}/source/"} <= urls
    assert not {"/", "/calls/", "/compare/", "/finder/", "/self-check/"} & urls, "lists are not searched"
    expected = {
        c.id
        for c in calls
        if term in (ROOT / c.source.text_file).read_text(encoding="utf-8")
        or any(term in t for _, t in iter_quotes(c))
    }
    assert expected, f"no notice mentions {term}"
    assert found == expected


# --------------------------------------------------------------------------- Zensical


def test_site_also_builds_with_zensical(tmp_path: Path, built_site: Path, calls: list[Call]):
    """Stage the docs with every source step of the generator, then build them with Zensical.

    Zensical reads the same mkdocs.yml; the generator writes plain Markdown and files
    before any site build, so it needs no plugin of either. ``built_site`` warms the
    repository's render cache, which this build shares.
    """
    from generator.pipeline import STEPS, build

    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    for name in ("docs", "overrides", "data"):
        shutil.copytree(ROOT / name, tmp_path / name)
    steps = {s.name for s in STEPS if s.into == "docs"}
    build(tmp_path, today=TODAY, steps=steps, cache_dir=ROOT / ".cache")
    assert (tmp_path / "build" / "docs" / "index.md").is_file()
    shutil.rmtree(tmp_path / "site")
    zensical = Path(sys.executable).with_name("zensical")
    result = subprocess.run(
        [str(zensical), "build", "-f", "mkdocs.yml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    site = tmp_path / "site"
    cards = _page(site, "").xpath('//*[@data-kx="call-card"]')
    assert len(cards) == len(list((tmp_path / "data" / "calls").glob("*.yaml")))
    for url in ("compare/", "finder/", "self-check/", "guide/"):
        assert (site / url / "index.html").is_file(), url
    assert (site / "assets" / "kx.css").is_file() and (site / "assets" / "kx.js").is_file()
    _assert_html_and_css_stay_local(site, _data_hosts(calls))


@pytest.mark.parametrize(
    "snippet",
    [
        '<script src="https://cdn.example.com/x.js"></script>',
        '<link rel="stylesheet" href="//fonts.googleapis.com/css?family=Noto">',
        '<img src="http://cdkp.changde.gov.cn/logo.png">',
        "<style>@import url(https://fonts.example.com/a.css);</style>",
        '<a href="https://tracker.example.com/">x</a>',
    ],
)
def test_the_host_check_catches_external_resources(tmp_path: Path, snippet: str):
    (tmp_path / "index.html").write_text(f"<html><body>{snippet}</body></html>", encoding="utf-8")
    with pytest.raises(AssertionError):
        _assert_html_and_css_stay_local(tmp_path, {"cdkp.changde.gov.cn"})
    (tmp_path / "index.html").write_text(
        '<html><body><a href="http://cdkp.changde.gov.cn/">ok</a></body></html>', encoding="utf-8"
    )
    _assert_html_and_css_stay_local(tmp_path, {"cdkp.changde.gov.cn"})
