"""The build pipeline: one entry point, atomic output, the open-data manifest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.errors import BuildError, DataErrors
from generator.pipeline import build

from .conftest import TODAY, make_sample_repo


@pytest.fixture
def sample_root(tmp_path: Path) -> Path:
    """A repository with only the sample call in it."""
    make_sample_repo(tmp_path)
    return tmp_path


def test_build_writes_site_and_manifest(sample_root: Path):
    report = build(sample_root, today=TODAY)
    site = sample_root / "site"
    assert report.site_dir == site
    assert (site / "index.html").is_file()
    manifest = json.loads((site / "api" / "calls.json").read_text(encoding="utf-8"))
    assert [c["id"] for c in manifest] == ["sample-call"]
    entry = manifest[0]
    assert entry["doc_no"] == "示科协字〔2099〕1号"
    assert entry["issued"] == "2099-03-01"
    assert entry["deadlines"][0]["date"] == "2099-03-31"
    assert entry["url"] == "calls/sample-call/"
    assert entry["categories"][0].items() >= {
        "id": "academic",
        "name": "学术交流",
        "count_min": 8,
        "count_max": 10,
        "funding": {"min": 1.0, "max": 2.0, "unit": "万元", "text": "1-2万元/个"},
        "applicants": ["市级学会"],
    }.items()
    assert set(entry["forms"][0]) >= {"id", "title", "docx", "pdf"}
    assert not list(sample_root.glob(".site.tmp-*")), "temporary build folder left behind"


def test_bad_data_leaves_existing_site_untouched(sample_root: Path):
    build(sample_root, today=TODAY)
    index = sample_root / "site" / "index.html"
    before = index.read_bytes()
    data = sample_root / "data" / "calls" / "sample-call.yaml"
    data.write_text(data.read_text(encoding="utf-8").replace("2099-03-31", "2099-02-30"), "utf-8")
    with pytest.raises(DataErrors):
        build(sample_root, today=TODAY)
    assert index.read_bytes() == before
    assert not list(sample_root.glob(".site.tmp-*"))


def test_failing_step_leaves_existing_site_untouched(sample_root: Path, monkeypatch):
    build(sample_root, today=TODAY)
    marker = sample_root / "site" / "marker.txt"
    marker.write_text("old site", encoding="utf-8")
    from generator import pipeline

    def boom(ctx):
        raise RuntimeError("renderer exploded")

    monkeypatch.setattr(pipeline, "PUBLISH_STEPS", [*pipeline.PUBLISH_STEPS, ("boom", boom)])
    with pytest.raises(BuildError, match="boom"):
        build(sample_root, today=TODAY)
    assert marker.read_text(encoding="utf-8") == "old site"
    assert not list(sample_root.glob(".site.tmp-*"))


def _entries(cache_dir: Path) -> dict[str, set[str]]:
    return {
        kind: {p.name for p in (cache_dir / kind).iterdir()}
        for kind in ("docx", "pdf", "pages", "bundle")
        if (cache_dir / kind).is_dir()
    }


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def test_changing_one_call_renders_only_that_call(sample_root: Path, monkeypatch, tmp_path: Path):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "4081536000")  # 2099-05-01
    calls = sample_root / "data" / "calls"
    other = calls / "other-call.yaml"
    other.write_text(
        (calls / "sample-call.yaml").read_text(encoding="utf-8").replace("id: sample-call", "id: other-call", 1)
        .replace("short_title: 示例项目", "short_title: 另一示例", 1),
        encoding="utf-8",
    )
    build(sample_root, today=TODAY)
    first = _entries(sample_root / ".cache")
    # 2 calls: their pages (guideline + 原文) and each one's forms, archive and guide
    assert len(first["pages"]) == 4
    assert len(first["docx"]) == 2
    assert len(first["bundle"]) == 2

    other.write_text(
        other.read_text(encoding="utf-8").replace("summary: 用于测试的示例通知。", "summary: 已更正的示例通知。", 1),
        encoding="utf-8",
    )
    build(sample_root, today=TODAY)
    new = {kind: names - first.get(kind, set()) for kind, names in _entries(sample_root / ".cache").items()}
    assert len(new["pages"]) == 2, "only the changed call's two pages are rendered again"
    assert new["docx"] == set(), "its form does not show the summary, so the DOCX is reused"
    assert len(new["pdf"]) == 1, "only the changed call's guideline PDF (its forms do not show the summary)"
    assert new["bundle"] == set(), "the archive holds the same files, so it is reused"

    # what the cache gave is what a build from nothing gives
    fresh = tmp_path / "fresh"
    build(sample_root, fresh, today=TODAY, cache_dir=tmp_path / "empty-cache")
    assert _files(sample_root / "site") == _files(fresh)
