"""The build pipeline: one entry point, atomic output, the open-data manifest."""

from __future__ import annotations

import json
import shutil
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

    boom_step = pipeline.Step("boom", boom, needs=("site",), into="site")
    monkeypatch.setattr(pipeline, "STEPS", (*pipeline.STEPS, boom_step))
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
    good = sample_root / "tests" / "data" / "good"
    shutil.copy(good / "sample-source.txt", good / "other-source.txt")  # one notice, one call
    other.write_text(
        (calls / "sample-call.yaml").read_text(encoding="utf-8").replace("id: sample-call", "id: other-call", 1)
        .replace("short_title: 示例项目", "short_title: 另一示例", 1)
        .replace("sample-source.txt", "other-source.txt", 1),
        encoding="utf-8",
    )
    build(sample_root, today=TODAY)
    first = _entries(sample_root / ".cache")
    # 2 calls: their pages (guideline + 原文) and each one's forms, archive and guide; and
    # each one's parts of the pages listing every call (2 in the finder, a card on the home
    # page and one on the list)
    assert len(first["pages"]) == 2 * (2 + 4)
    assert len(first["docx"]) == 2
    assert len(first["bundle"]) == 2

    other.write_text(
        other.read_text(encoding="utf-8").replace("summary: 用于测试的示例通知。", "summary: 已更正的示例通知。", 1),
        encoding="utf-8",
    )
    build(sample_root, today=TODAY)
    new = {kind: names - first.get(kind, set()) for kind, names in _entries(sample_root / ".cache").items()}
    assert len(new["pages"]) == 2 + 4, "only the changed call's two pages and four parts are rendered again"
    assert new["docx"] == set(), "its form does not show the summary, so the DOCX is reused"
    assert len(new["pdf"]) == 1, "only the changed call's guideline PDF (its forms do not show the summary)"
    assert new["bundle"] == set(), "the archive holds the same files, so it is reused"

    # what the cache gave is what a build from nothing gives
    fresh = tmp_path / "fresh"
    build(sample_root, fresh, today=TODAY, cache_dir=tmp_path / "empty-cache")
    assert _files(sample_root / "site") == _files(fresh)


# --------------------------------------------------------------------------- steps and artifacts


def test_order_follows_what_each_step_needs():
    from generator.pipeline import STEPS, plan

    order = [s.name for s in plan(STEPS)]
    assert sorted(order) == sorted(s.name for s in STEPS)
    for step in STEPS:
        for kind in step.needs:
            makers = [s.name for s in STEPS if kind in s.produces and s is not step]
            assert makers, f"{step.name} needs {kind}, which no step makes"
            assert all(order.index(m) < order.index(step.name) for m in makers), (step.name, kind)


def test_a_subset_of_steps_pulls_in_what_it_needs():
    from generator.pipeline import STEPS, plan

    assert [s.name for s in plan(STEPS, {"pages"})] == ["docx", "pdf", "bundle", "pages"]
    assert [s.name for s in plan(STEPS, {"changes"})] == ["feeds", "changes"]
    with pytest.raises(BuildError, match="nope"):
        plan(STEPS, {"nope"})


def test_a_need_no_step_makes_fails_clearly():
    from generator.pipeline import Step, plan

    with pytest.raises(BuildError, match=r"needs 'form\.odt'"):
        plan([Step("a", lambda ctx: None, needs=("form.odt",))])
    loop = [Step("a", lambda ctx: None, needs=("y",), produces=("x",)),
            Step("b", lambda ctx: None, needs=("x",), produces=("y",))]
    with pytest.raises(BuildError, match="cycle"):
        plan(loop)


def test_reading_what_no_step_made_fails_clearly(tmp_path: Path):
    from generator.context import BuildContext

    ctx = BuildContext(root=tmp_path, calls=[], docs_dir=tmp_path, site_dir=tmp_path,
                       cache_dir=tmp_path, step="pages")
    with pytest.raises(BuildError, match=r"reads 'form\.docx'"):
        ctx.artifact("downloads/x/apply.docx", "form.docx")


def test_a_step_that_makes_an_undeclared_kind_fails(sample_root: Path, monkeypatch):
    from generator import pipeline

    def sneaky(ctx):
        ctx.write("extra.txt", b"x", "page")

    steps = (*pipeline.STEPS, pipeline.Step("sneaky", sneaky, produces=("data",)))
    monkeypatch.setattr(pipeline, "STEPS", steps)
    with pytest.raises(BuildError, match="undeclared"):
        build(sample_root, today=TODAY, steps={"sneaky"})


def test_subset_build_gives_the_pages_of_a_full_build(sample_root: Path):
    """Steps read what earlier steps recorded, never what a previous run left on disk."""
    report = build(sample_root, today=TODAY)
    staged = sample_root / "build" / "docs"
    full = {p.relative_to(staged).as_posix(): p.read_bytes() for p in staged.rglob("*.md")}
    assert "export" in report.timings and "offline" in report.timings
    assert "search" in report.timings and (sample_root / "site" / "pagefind" / "pagefind.js").is_file()
    part = build(sample_root, today=TODAY, steps={"pages"})
    assert set(part.timings) >= {"docx", "pdf", "bundle", "pages", "mkdocs"}
    assert "export" not in part.timings and "offline" not in part.timings
    for rel, data in full.items():
        if (staged / rel).is_file():
            assert (staged / rel).read_bytes() == data, rel
    call_page = "calls/sample-call/index.md"
    assert (staged / call_page).read_bytes() == full[call_page]


def test_the_search_index_can_be_skipped(sample_root: Path):
    report = build(sample_root, today=TODAY, skip={"search"})
    assert "search" not in report.timings and "offline" in report.timings
    assert not (sample_root / "site" / "pagefind").exists()
    assert (sample_root / "site" / "search" / "search_index.json").is_file()  # the search box starts


def test_only_the_search_index_can_be_skipped(sample_root: Path):
    with pytest.raises(BuildError, match="cannot skip: pages"):
        build(sample_root, today=TODAY, skip={"pages"})


def test_cache_folders_are_named_after_the_steps(sample_root: Path):
    from generator import cache
    from generator.pipeline import STEPS

    build(sample_root, today=TODAY)
    folders = {p.name for p in (sample_root / ".cache").iterdir()}
    shared = {name.split("/")[0] for name in cache.SHARED}
    assert folders <= {s.name for s in STEPS} | shared
    assert {"docx", "pdf", "pages", "bundle"} <= folders
