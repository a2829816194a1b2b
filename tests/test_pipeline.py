"""The build pipeline: one entry point, atomic output, the open-data manifest."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from generator.errors import BuildError, DataErrors
from generator.pipeline import build

from .conftest import ROOT, TESTS, TODAY


@pytest.fixture
def sample_root(tmp_path: Path) -> Path:
    """A repository with only the sample call in it."""
    for name in ("mkdocs.yml",):
        shutil.copy(ROOT / name, tmp_path / name)
    for name in ("docs", "overrides"):
        shutil.copytree(ROOT / name, tmp_path / name)
    calls = tmp_path / "data" / "calls"
    calls.mkdir(parents=True)
    shutil.copy(TESTS / "data" / "good" / "sample-call.yaml", calls)
    src = tmp_path / "tests" / "data" / "good"
    src.mkdir(parents=True)
    shutil.copy(TESTS / "data" / "good" / "sample-source.txt", src)
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
    assert entry["categories"][0] == {
        "id": "academic",
        "name": "学术交流",
        "count_min": 8,
        "count_max": 10,
        "funding": {"min": 1.0, "max": 2.0, "unit": "万元", "text": "1-2万元/个"},
        "applicants": ["市级学会"],
    }
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
