"""Generated pages (generator/render/pages.py): escaping, links, downloads, golden page."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path

import markdown
import pytest
from lxml import html as lxml_html

from generator import urls, view
from generator.context import BuildContext
from generator.formset import forms_of
from generator.load import load_file
from generator.models import Call, Discrepancy, Link
from generator.render import pages

from ..conftest import ROOT, TESTS, TODAY

#: The Markdown extensions of mkdocs.yml, to turn generated Markdown into HTML in tests.
EXTENSIONS = [
    "admonition",
    "attr_list",
    "def_list",
    "footnotes",
    "tables",
    "toc",
    "pymdownx.details",
    "pymdownx.superfences",
]


@pytest.fixture(scope="module")
def sample() -> Call:
    return load_file(TESTS / "data" / "good" / "sample-call.yaml", ROOT)


def _ctx(docs_dir: Path, *calls: Call, today: dt.date = TODAY) -> BuildContext:
    """A context as the pages step gets it: the download files found in ``docs_dir`` are
    recorded as made by the earlier steps."""
    ctx = BuildContext(
        root=ROOT,
        calls=list(calls),
        docs_dir=docs_dir,
        site_dir=docs_dir.parent / "site",
        cache_dir=docs_dir.parent / "cache",
        today=today,
        step="pages",
        made={"form.docx", "form.pdf", "form.fillable", "guide.pdf", "forms.zip"},
    )
    kinds: dict[str, str] = {}
    for call in calls:
        for form in forms_of(call):
            kinds[urls.form_docx(call, form)] = "form.docx"
            kinds[urls.form_pdf(call, form)] = "form.pdf"
            kinds[urls.form_fillable_pdf(call, form)] = "form.fillable"
        kinds[urls.forms_zip(call)] = "forms.zip"
        kinds[urls.guide_pdf(call)] = "guide.pdf"
    for path, kind in kinds.items():
        if (docs_dir / path).is_file():
            data = (docs_dir / path).read_bytes()
            ctx.record(path, kind, docs_dir / path, len(data), hashlib.sha256(data).hexdigest())
    return ctx


def _html(md_text: str):
    body = re.sub(r"\A---\n.*?\n---\n", "", md_text, flags=re.S)  # front matter
    return lxml_html.fromstring(f"<div>{markdown.markdown(body, extensions=EXTENSIONS)}</div>")


# --------------------------------------------------------------------------- filters


@pytest.mark.parametrize(
    ("raw", "rendered"),
    [
        ("# 标题 *强调* [链接](x)", "# 标题 *强调* [链接](x)"),
        ("<script>alert(1)</script>", "<script>alert(1)</script>"),
        ("a | b", "a | b"),
        ("1. 第一\n- 第二", "1. 第一 - 第二"),
        ("AT&T &amp;", "AT&T &amp;"),
        ("反斜杠 \\* 星号", "反斜杠 \\* 星号"),
    ],
)
def test_md_escape_renders_the_literal_text(raw: str, rendered: str):
    out = markdown.markdown(f"## {pages.md_escape(raw)}", extensions=EXTENSIONS)
    tree = lxml_html.fromstring(out)
    assert tree.text_content() == rendered
    assert not tree.xpath("//script|//em|//a|//ol|//ul")


def test_md_escape_of_none_is_unknown():
    assert str(pages.md_escape(None)) == "原文未载明"


def test_text_lines_escapes_and_keeps_line_breaks():
    assert str(pages.text_lines("<b>一</b>\n二")) == "&lt;b&gt;一&lt;/b&gt;<br>二"
    assert "原文未载明" in str(pages.text_lines(None))


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("http://cdkp.changde.gov.cn/", True),
        ("https://www.jskx.org.cn/a?b=1", True),
        ("javascript:alert(1)", False),
        ("JAVASCRIPT:alert(1)", False),
        ("data:text/html,<b>x</b>", False),
        ("//evil.example/x", False),
        ("http://", False),
        ('http://x.example/"onmouseover="alert(1)', False),
        ("www.example.com", False),
    ],
)
def test_only_http_urls_become_links(url: str, ok: bool):
    assert (pages.http_url(url) is not None) is ok


def test_tel_links_only_for_plain_numbers():
    assert pages.tel_url("0537-3739895") == "tel:05373739895"
    assert pages.tel_url("7256979") == "tel:7256979"
    assert pages.tel_url("javascript:1") is None
    assert pages.tel_url("办公室电话") is None


@pytest.mark.parametrize(
    ("here", "target", "expected"),
    [
        ("", "calls/x/", "calls/x/"),
        ("", "finder/", "finder/"),
        ("calls/x/", "downloads/x/a.docx", "../../downloads/x/a.docx"),
        ("calls/x/source/", "calls/x/", "../"),
        ("compare/", "calls/x/", "../calls/x/"),
        ("calls/", "calls/x/", "x/"),
        ("calls/x/", "calls/x/", "./"),
    ],
)
def test_relative_urls_for_directory_pages(here: str, target: str, expected: str):
    assert pages.relative(here, target) == expected


@pytest.mark.parametrize(
    ("size", "text"),
    [(812, "812 B"), (1024, "1 KB"), (24 * 1024 + 1, "25 KB"), (int(1.25 * 1024 * 1024), "1.2 MB")],
)
def test_human_size(size: int, text: str):
    assert pages.human_size(size) == text


# --------------------------------------------------------------------------- call page


def _fake_downloads(docs_dir: Path, call: Call) -> dict[str, int]:
    """Write a DOCX and a PDF for each form and the ZIP, but no fillable PDF or guide."""
    sizes: dict[str, int] = {}
    for n, form in enumerate(forms_of(call)):
        for path, size in (
            (urls.form_docx(call, form), 2048 + n),
            (urls.form_pdf(call, form), 30000),
        ):
            (docs_dir / path).parent.mkdir(parents=True, exist_ok=True)
            (docs_dir / path).write_bytes(b"x" * size)
            sizes[path] = size
    (docs_dir / urls.forms_zip(call)).write_bytes(b"z" * 5000)
    sizes[urls.forms_zip(call)] = 5000
    return sizes


def test_call_page_golden(tmp_path: Path, sample: Call, golden):
    _fake_downloads(tmp_path, sample)
    text = pages.call_page(
        pages.environment(), _ctx(tmp_path, sample, today=dt.date(2099, 3, 21)), sample
    )
    golden("pages/sample-call.md", text)


def test_call_page_shows_every_fact_of_the_sample(tmp_path: Path, sample: Call):
    _fake_downloads(tmp_path, sample)
    ctx = _ctx(tmp_path, sample, today=dt.date(2099, 3, 21))
    tree = _html(pages.call_page(pages.environment(), ctx, sample))
    # The first screen (status, deadlines, 限项, downloads) and the key facts panel.
    facts = "".join(
        tree.xpath(f'//*[@data-kx="{kx}"]')[0].text_content() for kx in ("call-top", "key-facts")
    )
    for value in (
        "示例市科学技术协会",
        "示科协字〔2099〕1号",
        "2099年3月1日",
        "2099年3月31日",
        "市级学会",
        "高校科协",
        "每个单位申报项目最多不超过3个",
        "电子邮件",
        "test@example.com",
        "张三",
        "7256979",
        "学会部",
        "各市级学会",
    ):
        assert value in facts, value
    deadlines = tree.xpath('//*[@data-kx="deadline"]')
    assert [d.get("data-date") for d in deadlines] == ["2099-03-31"]
    cats = tree.xpath('//*[@data-kx="category"]')
    assert [c.get("data-category-id") for c in cats] == ["academic"]
    for value in ("学术交流", "8-10个", "1-2万元/个", "发挥学术交流引领作用", "附件1 示例申报表"):
        assert value in cats[0].text_content(), value
    page = tree.text_content()
    for value in ("4 份", "更正了截止日期。", "2099年3月2日", "示例申报表", "还剩 10 天", "征集中"):
        assert value in page, value
    # Editorial text is labelled as ours; unknown facts say so.
    assert tree.xpath(
        '//*[contains(@class, "kx-editorial")]//text()[contains(., "用于测试的示例通知")]'
    )
    unstated = tree.xpath('//*[@data-kx="unknown-line"]//dd')
    assert any("报送地址" in dd.text_content() for dd in unstated)  # the sample has no 报送地址


def test_downloads_link_only_existing_files_with_sizes_and_names(tmp_path: Path, sample: Call):
    sizes = _fake_downloads(tmp_path, sample)
    tree = _html(pages.call_page(pages.environment(), _ctx(tmp_path, sample), sample))
    links = tree.xpath('//a[@data-kx="download"]')
    assert sorted(a.get("data-format") for a in links) == ["docx", "pdf", "zip"]
    form = sample.forms[0]
    by_format = {a.get("data-format"): a for a in links}
    docx = by_format["docx"]
    assert docx.get("href") == "../../" + urls.form_docx(sample, form)
    assert (
        docx.get("download") == urls.download_name(sample, form, "docx") == "附件1 示例申报表.docx"
    )
    assert (
        docx.text_content()
        == f"下载 DOCX（{pages.human_size(sizes[urls.form_docx(sample, form)])}）"
    )
    assert by_format["pdf"].text_content() == "下载 PDF（30 KB）"
    assert "ZIP（5 KB）" in by_format["zip"].text_content()


def test_no_download_files_means_no_download_links(tmp_path: Path, sample: Call):
    tree = _html(pages.call_page(pages.environment(), _ctx(tmp_path, sample), sample))
    assert not tree.xpath('//a[@data-kx="download"]')
    assert "下载文件尚未生成" in tree.text_content()


def test_hostile_data_stays_literal_text(tmp_path: Path, sample: Call):
    evil = "<script>alert(1)</script>{{ 7*7 }}{% raw %}**粗体** [点我](javascript:alert(1))"
    source = sample.source.model_copy(
        update={"discrepancies": [Discrepancy(quote='<img src=x onerror="alert(1)">', note=evil)]}
    )
    call = sample.model_copy(
        update={
            "title": evil,
            "short_title": evil,
            "summary": evil,
            "doc_no": "# 不是标题",
            "links": [
                Link(title=evil, url="javascript:alert(1)"),
                Link(title="官网", url="https://a.example/x"),
            ],
            "source": source,
        }
    )
    env = pages.environment()
    ctx = _ctx(tmp_path, call)
    for text in (
        pages.call_page(env, ctx, call),
        pages.home_page(env, ctx, ""),
        pages.compare_page(env, ctx),
        pages.finder_page(env, ctx),
    ):
        tree = _html(text)
        assert not tree.xpath("//script|//img|//strong[.='粗体']|//h1[.='不是标题']")
        hrefs = [a.get("href") or "" for a in tree.xpath("//a")]
        assert not [h for h in hrefs if h.lower().startswith("javascript")]
        assert "{{ 7*7 }}" in tree.text_content()
        assert "49" not in tree.text_content()
    call_tree = _html(pages.call_page(env, ctx, call))
    assert "<script>alert(1)</script>" in call_tree.xpath("//h1")[0].text_content()
    assert [a.get("href") for a in call_tree.xpath('//ul[@class="kx-links"]//a')] == [
        "https://a.example/x"
    ]
    assert "javascript:alert(1)" in call_tree.xpath('//ul[@class="kx-links"]')[0].text_content()
    notes = call_tree.xpath('//*[@data-kx="discrepancy"]')
    assert len(notes) == 1 and '<img src=x onerror="alert(1)">' in notes[0].text_content()


# --------------------------------------------------------------------------- other pages


def test_source_page_shows_the_whole_text_escaped(tmp_path: Path, sample: Call):
    text = (ROOT / sample.source.text_file).read_text(encoding="utf-8")
    tree = _html(pages.source_page(pages.environment(), _ctx(tmp_path, sample), sample))
    shown = tree.xpath('//*[@data-kx="source-text"]')[0].text_content()
    assert shown == text
    assert [a.get("href") for a in tree.xpath('//nav[@class="kx-crumbs"]/a')] == [
        "../../../",
        "../../",
        "../",
    ]
    assert tree.xpath('//div[@class="kx-lead"]//a')[0].get("href") == "../"


def test_home_cards_carry_status_and_deadline(tmp_path: Path, sample: Call):
    env = pages.environment()
    closed = sample.model_copy(update={"id": "old-call"})
    tree = _html(
        pages.home_page(env, _ctx(tmp_path, closed, sample, today=dt.date(2099, 3, 21)), "# 首页")
    )
    cards = tree.xpath('//*[@data-kx="call-card"]')
    assert [(c.get("data-call-id"), c.get("data-status")) for c in cards] == [
        ("old-call", "open"),
        ("sample-call", "open"),
    ]
    days = cards[0].xpath('.//*[@data-kx="days-left"]')[0]
    assert days.get("data-deadline") == "2099-03-31" and days.text_content() == "还剩 10 天"
    assert cards[0].xpath(".//a")[0].get("href") == "calls/old-call/"
    assert "1 类" in cards[0].text_content() and "1 份" in cards[0].text_content()


def test_finder_rows_and_matrix(tmp_path: Path, sample: Call):
    tree = _html(pages.finder_page(pages.environment(), _ctx(tmp_path, sample)))
    options = [o.get("value") for o in tree.xpath('//select[@data-kx="finder-select"]/option')]
    assert options == ["", "市级学会"]
    rows = tree.xpath('//*[@data-kx="finder-result"]')
    assert [
        (r.get("data-call-id"), r.get("data-category-id"), r.get("data-applicants")) for r in rows
    ] == [("sample-call", "academic", "市级学会")]
    matrix = tree.xpath('//table[@data-kx="finder-matrix"]')[0]
    assert matrix.xpath(".//tbody/tr/td")[0].text_content() == "✓（≤3项）"


def test_pages_listing_every_call_are_put_together_from_cached_parts(tmp_path: Path, sample: Call):
    """The finder, home and list pages with a store are the pages without one; after one
    call changed, the other call's parts come from the store and the page shows the change."""
    from generator import cache

    env = pages.environment()
    other = sample.model_copy(update={"id": "other", "short_title": "另一个"})
    intro = "# 首页"

    def made(*calls: Call) -> tuple[list[str], int]:
        ctx = _ctx(tmp_path, *calls)
        store = cache.Store(tmp_path / "cache", "pages")
        texts = [pages.finder_page(env, ctx, store), pages.home_page(env, ctx, intro, store),
                 pages.calls_index_page(env, ctx, store)]
        plain = _ctx(tmp_path, *calls)
        assert texts == [pages.finder_page(env, plain), pages.home_page(env, plain, intro),
                         pages.calls_index_page(env, plain)]
        return texts, store.hits

    assert made(sample, other)[1] == 0
    assert made(sample, other)[1] == 8, "2 calls × (2 finder parts + 2 cards)"
    renamed = other.model_copy(update={"short_title": "改过名的"})
    texts, hits = made(sample, renamed)
    assert hits == 4 and all("改过名的" in t and "另一个" not in t for t in texts)


def test_compare_table_has_a_column_per_call_and_unknowns(tmp_path: Path, sample: Call):
    other = sample.model_copy(update={"id": "other", "short_title": "另一个", "doc_no": None})
    tree = _html(pages.compare_page(pages.environment(), _ctx(tmp_path, sample, other)))
    table = tree.xpath('//*[@data-kx="compare-scroll"]//table[@data-kx="compare-table"]')[0]
    head = [th.text_content() for th in table.xpath(".//thead/tr/th")]
    assert head == ["项目", "示例项目", "另一个"]
    doc_row = next(
        r for r in table.xpath(".//tbody/tr") if r.xpath("./th")[0].text_content() == "文号"
    )
    assert [td.text_content() for td in doc_row.xpath("./td")] == [
        "示科协字〔2099〕1号",
        "原文未载明",
    ]
    assert len(table.xpath(".//tbody/tr")) >= 15


def test_self_check_page_without_indicators_says_so(tmp_path: Path, sample: Call):
    tree = _html(pages.self_check_page(pages.environment(), _ctx(tmp_path, sample)))
    assert not tree.xpath('//*[@data-kx="score-item"]')
    assert "没有附评分指标" in tree.text_content()


# --------------------------------------------------------------------------- unknowns, periods, titles


def _with_categories(sample: Call, cats: list[dict]) -> Call:
    data = sample.model_dump(mode="python", exclude_none=True)
    data["categories"] = cats
    for d in data.get("deadlines", []):
        d["categories"] = []
    data.get("eligibility", {}).pop("exclusive", None)
    for lim in data.get("eligibility", {}).get("limits", []):
        lim["categories"] = []
    for form in data.get("forms", []):
        form.pop("categories", None)
    return Call.model_validate(data)


def test_category_unknowns_are_said_once(sample: Call):
    funding = {"text": "2万元", "min": 2, "max": 2, "unit": "万元"}
    call = _with_categories(sample, [
        {"id": "a", "name": "甲", "funding": funding, "children": [{"id": "a1", "name": "甲一"}]},
        {"id": "b", "name": "乙", "count": {"text": "3个", "min": 3, "max": 3}},
        {"id": "c", "name": "丙"},
    ])
    unknowns = view.category_unknowns(call)
    assert unknowns.everywhere == ("项目周期",)  # no category states it: said once
    assert unknowns.by_category == {
        "a1": ("计划数量",),  # funding comes from its parent 甲
        "b": ("经费额度",),
        "c": ("计划数量", "经费额度"),
    }


def test_period_texts_are_in_date_order(sample: Call):
    def period(text: str, end: str | None) -> dict:
        return {"text": text, "end": dt.date.fromisoformat(end) if end else None}

    call = _with_categories(sample, [
        {"id": "a", "name": "甲", "period": period("2023年10月31日前完成", "2023-10-31")},
        {"id": "b", "name": "乙", "period": period("年内完成", None)},
        {"id": "c", "name": "丙", "period": period("2023年6月30日前完成", "2023-06-30")},
        {"id": "d", "name": "丁", "period": period("2023年12月31日前完成", "2023-12-31")},
        {"id": "e", "name": "戊", "period": period("2023年6月30日前完成", "2023-06-30")},
    ])
    assert view.period_texts(call) == [
        "2023年6月30日前完成", "2023年10月31日前完成", "2023年12月31日前完成", "年内完成",
    ]


@pytest.mark.parametrize("text", ["示例·2022", 'a"b\\c', "<b>&</b>", "x\u2028y", "- 列表: 冒号"])
def test_yaml_text_reads_back_as_the_escaped_title(text: str):
    import yaml
    from markupsafe import escape

    assert yaml.safe_load("title: " + pages.yaml_text(text))["title"] == str(escape(text))


def test_categories_the_notice_does_not_state_are_shown_as_unknown(tmp_path: Path, sample: Call):
    data = _with_categories(sample, []).model_dump(mode="python", exclude_none=True)
    for att in data.get("attachments", []):
        att.pop("categories", None)
    plain = Call.model_validate(data)
    unstated = Call.model_validate({**data, "unstated": ["categories"]})
    text = _html(pages.call_page(pages.environment(), _ctx(tmp_path, plain), plain)).text_content()
    assert "本通知未分项目类别" in text
    tree = _html(pages.call_page(pages.environment(), _ctx(tmp_path, unstated), unstated))
    section = tree.xpath('//*[@id="categories"]/following-sibling::p[1]')[0]
    assert section.get("class") == "kx-unknown" and section.text_content() == "原文未载明"
