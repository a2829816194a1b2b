"""The offline copy downloads/site.zip: usable from disk, deterministic."""

from __future__ import annotations

import html
import re
import zipfile
from pathlib import Path
from urllib.parse import unquote

import pytest

from generator import urls
from generator.formset import forms_of
from generator.render import offline

from ..linkcheck import check_site, parse_page

FILES = {
    "index.html",
    "calls/x/index.html",
    "calls/x/source/index.html",
    "assets/app.css",
    "feed.xml",
    "downloads/x/apply.docx",
}


@pytest.mark.parametrize(
    ("page", "link", "expected"),
    [
        ("index.html", "calls/x/", "calls/x/index.html"),
        ("index.html", "calls/x", "calls/x/index.html"),
        ("index.html", ".", "index.html"),
        ("index.html", "./", "index.html"),
        ("calls/x/source/index.html", "..", "../index.html"),
        ("calls/x/index.html", "../..", "../../index.html"),
        ("calls/x/index.html", "../../", "../../index.html"),
        ("calls/x/index.html", "source/#para-2", "source/index.html#para-2"),
        ("calls/x/index.html", "../../assets/app.css", "../../assets/app.css"),
        ("calls/x/index.html", "../../feed.xml?v=1", "../../feed.xml?v=1"),
        ("calls/x/index.html", "#top", "#top"),
        ("calls/x/index.html", "https://example.org/", "https://example.org/"),
        ("calls/x/index.html", "mailto:a@b.cn", "mailto:a@b.cn"),
        ("calls/x/index.html", "data:image/png;base64,AAAA", "data:image/png;base64,AAAA"),
        ("calls/x/index.html", "missing/", "missing/"),
        ("404.html", "/assets/app.css", "assets/app.css"),
        ("404.html", "/calls/x/", "calls/x/index.html"),
        ("404.html", "/.", "index.html"),
    ],
)
def test_offline_link(page: str, link: str, expected: str):
    assert offline.offline_link(link, page, FILES) == expected


def test_offline_link_under_a_sub_path():
    def link(value: str) -> str:
        return offline.offline_link(value, "404.html", FILES, "/kexie/")

    assert link("/kexie/calls/x/") == "calls/x/index.html"
    assert link("/kexie/.") == "index.html"
    # a root-absolute link outside the site is not ours to change
    assert link("/other/") == "/other/"


def test_offline_html_rewrites_attributes_and_hides_search():
    html = (
        '<html><head><link href="../assets/app.css" rel="stylesheet"></head>'
        "<body><a href='../'>首页</a><img src=\"./\"><p>href=\"calls/x/\" is text</p></body></html>"
    )
    out = offline.offline_html(html, "calls/x/index.html", FILES | {"calls/index.html"})
    assert "href='../index.html'" in out
    assert 'src="index.html"' in out
    assert 'href="../assets/app.css"' in out
    assert '<p>href="calls/x/" is text</p>' in out, "only attributes are rewritten"
    assert ".md-search{display:none" in out


def _fake_site(root: Path) -> Path:
    site = root / "site"
    for rel in FILES:
        path = site / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        depth = rel.count("/")
        up = "../" * depth
        page = f'<html><head></head><body><a href="{up}calls/x/">x</a> <a href="{up}">home</a>'
        path.write_text(page if rel.endswith(".html") else "data", encoding="utf-8")
    return site


def test_zip_is_deterministic_and_leaves_itself_out(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    site = _fake_site(tmp_path)
    dest = site / urls.site_zip()
    assert offline.write_offline_zip(site, dest) == len(FILES)
    first = dest.read_bytes()
    assert offline.write_offline_zip(site, dest) == len(FILES)
    assert dest.read_bytes() == first
    with zipfile.ZipFile(dest) as zf:
        names = zf.namelist()
        assert names[0] == offline.README_NAME
        assert names[1:] == sorted(names[1:])
        assert f"{offline.TOP}/{urls.site_zip()}" not in names
        top = offline.TOP + "/"
        assert {n.removeprefix(top) for n in names if n.startswith(top)} == FILES
        assert {i.date_time for i in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        kinds = {i.filename.rsplit(".", 1)[-1]: i.compress_type for i in zf.infolist()}
        assert kinds["html"] == zipfile.ZIP_DEFLATED
        assert kinds["docx"] == zipfile.ZIP_STORED, "already compressed: stored"


def test_zip_stamp_follows_source_date_epoch(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14T22:13:20Z
    site = _fake_site(tmp_path)
    dest = tmp_path / "out.zip"
    offline.write_offline_zip(site, dest)
    with zipfile.ZipFile(dest) as zf:
        assert {i.date_time for i in zf.infolist()} == {(2023, 11, 14, 22, 13, 20)}


@pytest.fixture(scope="module")
def unzipped(built_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("offline")
    with zipfile.ZipFile(built_site / urls.site_zip()) as zf:
        assert zf.testzip() is None
        zf.extractall(out)
    return out / offline.TOP


def _site_files(built_site: Path) -> set[str]:
    return {p.relative_to(built_site).as_posix() for p in built_site.rglob("*") if p.is_file()}


def test_offline_copy_holds_the_whole_site_once(built_site: Path, unzipped: Path, calls):
    site_files = _site_files(built_site)
    copy_files = {p.relative_to(unzipped).as_posix() for p in unzipped.rglob("*") if p.is_file()}
    pages = [
        (p.relative_to(built_site).as_posix(), p.read_text(encoding="utf-8"))
        for p in built_site.rglob("*.html")
    ]
    renamed = offline.download_names(pages, site_files)
    assert renamed, "the forms are offered for download"
    left = offline.left_out(site_files, calls)
    expected = {renamed.get(f, f) for f in site_files - {urls.site_zip()} - left}
    assert copy_files == expected
    # Every form is in the copy as DOCX and fillable PDF; what is left out is a second copy
    # of it (the forms ZIP, the guideline PDF of the call page, the print PDF that the
    # fillable one prints the same as), search data or source maps.
    for call in calls:
        assert urls.forms_zip(call) in left or not forms_of(call)
        assert urls.guide_pdf(call) in left
        for form in forms_of(call):
            assert urls.form_pdf(call, form) in left
            for path in (urls.form_docx(call, form), urls.form_fillable_pdf(call, form)):
                assert renamed.get(path, path) in copy_files
    assert {f for f in left if f.endswith(".map")}, "the theme's source maps are left out"
    assert {f for f in left if f.startswith("pagefind/")}, "the search index is left out"
    assert all(f.startswith(("downloads/", "search/", "pagefind/")) or f.endswith(".map")
               for f in left)


def test_offline_downloads_have_the_names_the_pages_give_them(built_site: Path, unzipped: Path, calls):
    """From disk a browser ignores ``download="…"``: the file itself has the Chinese name."""
    left = {Path(f).name for f in offline.left_out(_site_files(built_site), calls)}
    page = next((unzipped / "calls").glob("*/index.html"))
    links = re.findall(r'<a [^>]*data-kx="download"[^>]*>', page.read_text(encoding="utf-8"))
    assert links
    for tag in links:
        href = unquote(re.search(r'href="([^"]+)"', tag).group(1))
        if Path(href).name in left:  # on the website only (no SITE_URL in the tests)
            continue
        name = html.unescape(re.search(r'download="([^"]+)"', tag).group(1))
        assert Path(href).name == name
        assert (page.parent / href).is_file(), href
        assert re.search(r"[\u4e00-\u9fff]", name), name


def test_offline_copy_has_no_link_to_itself(unzipped: Path):
    mentioned = 0
    for page in unzipped.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        mentioned += "site.zip" in text
        assert not re.search(r"""href=["'][^"']*site\.zip""", text), page
    assert mentioned, "the open-data page still says what the offline copy is"


def test_offline_link_to_itself_goes_to_the_public_site():
    page = '<p><a href="../downloads/site.zip">downloads/site.zip</a> 离线副本</p></head>'
    assert offline.offline_html(page, "open-data/index.html", FILES).startswith(
        '<p><span class="kx-offline-note">downloads/site.zip</span>'
    )
    public = "https://example.org/kx/downloads/site.zip"
    out = offline.offline_html(page, "open-data/index.html", FILES, public=public)
    assert f'<a href="{public}">downloads/site.zip</a>' in out


def test_download_names_keep_a_file_offered_under_two_names():
    files = {"downloads/x/a.docx", "downloads/x/b.docx"}
    pages = [
        ("calls/x/index.html", '<a href="../../downloads/x/a.docx" download="申报书.docx">'),
        ("calls/y/index.html", '<a href="../../downloads/x/a.docx" download="另一名.docx">'),
        ("calls/z/index.html", '<a href="../../downloads/x/b.docx" download="表 &amp; 书.docx">'),
    ]
    assert offline.download_names(pages, files) == {"downloads/x/b.docx": "downloads/x/表 & 书.docx"}


def test_links_to_left_out_files_point_to_the_published_site():
    online = {"downloads/x/x-forms.zip": "https://kx.example.org/downloads/x/x-forms.zip"}
    link = offline.offline_link("../../downloads/x/x-forms.zip", "calls/x/index.html",
                                FILES, online=online)
    assert link == "https://kx.example.org/downloads/x/x-forms.zip"
    assert offline.offline_link("../../downloads/x/apply.docx", "calls/x/index.html", FILES,
                                online=online) == "../../downloads/x/apply.docx"


def test_offline_pages_link_to_each_other_on_disk(built_site: Path, unzipped: Path, calls):
    left = offline.left_out(_site_files(built_site), calls)
    report = check_site(
        unzipped, directory_urls=False, ignore=frozenset({urls.site_zip(), *left})
    )
    assert not report.broken, report.broken[:20]
    pages = {p.relative_to(unzipped).as_posix() for p in unzipped.rglob("*.html")}
    linked_pages = {t for t in report.targets if t.endswith(".html")}
    assert len(pages) > 1
    assert pages - {"404.html"} <= linked_pages | {"index.html"}, "every page reachable by a link"
    home = parse_page(unzipped / "index.html")
    assert any(link.endswith("index.html") and link != "index.html" for link in home.links)
