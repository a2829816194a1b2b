"""Link check over the built site: every internal href/src resolves, every download has content."""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from generator import urls
from generator.pipeline import build

from .conftest import TODAY, make_sample_repo
from .linkcheck import check_site, parse_page

SUB = "https://example.org/kexie/"


def test_every_internal_link_resolves(built_site: Path):
    report = check_site(built_site, root_absolute_ok=frozenset({"404.html"}))
    assert not report.broken, "\n".join(map(str, report.broken[:30]))
    assert report.checked > 50


def test_every_page_is_linked_from_another(built_site: Path):
    report = check_site(built_site, root_absolute_ok=frozenset({"404.html"}))
    pages = {p.relative_to(built_site).as_posix() for p in built_site.rglob("index.html")}
    assert pages - report.targets <= {"index.html"}


def test_site_wide_files_are_linked(built_site: Path):
    report = check_site(built_site, root_absolute_ok=frozenset({"404.html"}))
    wanted = (urls.feed(), urls.calendar(), urls.calls_json(), urls.calls_csv(), urls.site_zip())
    for path in wanted:
        assert path in report.targets, f"no page links to {path}"


def test_every_download_and_data_file_has_content(built_site: Path):
    files = [
        *(built_site / "downloads").rglob("*"),
        *(built_site / "api").rglob("*"),
        built_site / urls.feed(),
        built_site / urls.calendar(),
    ]
    files = [f for f in files if f.is_file()]
    assert len(files) >= 6
    empty = [f.relative_to(built_site).as_posix() for f in files if f.stat().st_size == 0]
    assert not empty


# --------------------------------------------------------------------------- sub-path


@pytest.fixture(scope="module")
def sub_path_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample call built for https://example.org/kexie/ (a GitHub project page)."""
    repo = tmp_path_factory.mktemp("repo")
    make_sample_repo(repo)
    mp = pytest.MonkeyPatch()
    mp.setenv("SITE_URL", SUB)
    try:
        build(repo, today=TODAY)
    finally:
        mp.undo()
    return repo / "site"


def test_sub_path_links_stay_relative(sub_path_site: Path):
    report = check_site(sub_path_site)  # no page may use /… links, 404.html aside below
    broken = [b for b in report.broken if b[0] != "404.html"]
    assert not broken, broken[:20]
    for link in parse_page(sub_path_site / "404.html").links:
        if link.startswith("/"):
            assert link.startswith("/kexie/"), link


def test_sitemap_uses_the_sub_path(sub_path_site: Path):
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    root = ET.parse(sub_path_site / "sitemap.xml").getroot()
    locs = [e.text or "" for e in root.iter(f"{ns}loc")]
    assert SUB in locs
    assert SUB + "calls/sample-call/" in locs
    assert all(loc.startswith(SUB) for loc in locs)


def test_feed_and_calendar_use_the_sub_path(sub_path_site: Path):
    feed = (sub_path_site / urls.feed()).read_text(encoding="utf-8")
    assert f'href="{SUB}feed.xml" rel="self"' in feed
    assert f'href="{SUB}calls/sample-call/"' in feed
    ics = (sub_path_site / urls.calendar()).read_text(encoding="utf-8")
    assert f"URL:{SUB}calls/sample-call/" in ics


def test_offline_copy_of_a_sub_path_site_opens_from_disk(sub_path_site: Path, tmp_path: Path):
    with zipfile.ZipFile(sub_path_site / urls.site_zip()) as zf:
        zf.extractall(tmp_path)
    copy = tmp_path / "kexie-calls"
    report = check_site(copy, directory_urls=False, ignore=frozenset({urls.site_zip()}))
    assert not report.broken, report.broken[:20]
