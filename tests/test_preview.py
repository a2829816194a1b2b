"""The live preview: staging syncs only changed files, bad data keeps the last good pages,
and an edited YAML file shows up in the served page."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from generator import preview

from .conftest import make_sample_repo


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository with only the sample call in it."""
    make_sample_repo(tmp_path)
    return tmp_path


def test_sync_touches_only_what_changed(tmp_path: Path):
    src, dst = tmp_path / "src", tmp_path / "dst"
    for folder in (src, dst):
        (folder / "a").mkdir(parents=True)
        (folder / "same.md").write_text("same", encoding="utf-8")
    (src / "a" / "changed.md").write_text("new", encoding="utf-8")
    (dst / "a" / "changed.md").write_text("old", encoding="utf-8")
    (src / "added.md").write_text("added", encoding="utf-8")
    (dst / "gone").mkdir()
    (dst / "gone" / "removed.md").write_text("removed", encoding="utf-8")
    old = time.time() - 3600
    os.utime(dst / "same.md", (old, old))

    changed = preview.sync(src, dst)

    assert changed == ["a/changed.md", "added.md", "gone/removed.md"]
    assert (dst / "a" / "changed.md").read_text(encoding="utf-8") == "new"
    assert (dst / "added.md").is_file()
    assert not (dst / "gone").exists(), "emptied folders are removed"
    assert (dst / "same.md").stat().st_mtime == pytest.approx(old), "unchanged files keep their time"
    assert preview.sync(src, dst) == []


def test_bad_data_keeps_the_last_good_pages(repo: Path):
    docs = repo / "build" / "docs"
    docs.mkdir(parents=True)
    messages: list[str] = []
    assert preview.refresh(repo, docs, report=messages.append)
    before = {p: p.read_bytes() for p in docs.rglob("*") if p.is_file()}
    assert any(p.name == "index.md" for p in before)

    data = repo / "data" / "calls" / "sample-call.yaml"
    data.write_text(data.read_text(encoding="utf-8").replace("2099-03-31", "2099-02-30"), "utf-8")
    assert not preview.refresh(repo, docs, report=messages.append)
    assert "sample-call.yaml:" in messages[-1] and "预览仍显示上次正确的内容" in messages[-1]
    assert {p: p.read_bytes() for p in docs.rglob("*") if p.is_file()} == before
    left = [p.name for p in docs.parent.iterdir() if not p.name.endswith(".build-lock")]
    assert left == ["docs"], "no scratch folder left"


def test_a_save_shows_before_its_pdfs_are_rendered(repo: Path):
    """First pass: pages and other downloads, the served PDFs kept; the out-of-date PDF
    comes with the second pass, which the watcher runs in the background."""
    docs = repo / "build" / "docs"
    docs.mkdir(parents=True)
    messages: list[str] = []
    assert preview.refresh(repo, docs, report=messages.append)
    page = docs / "calls" / "sample-call" / "index.md"
    guide = next(docs.glob("downloads/sample-call/*-guide.pdf"))
    old_guide = guide.read_bytes()
    forms = {p: p.read_bytes() for p in docs.glob("downloads/**/*.pdf") if p != guide}

    data = repo / "data" / "calls" / "sample-call.yaml"
    data.write_text(data.read_text(encoding="utf-8").replace(
        "用于测试的示例通知", "预览中改过的示例通知", 1), "utf-8")
    asked: list[bool] = []
    assert preview.refresh(repo, docs, report=messages.append, later=lambda: asked.append(True))
    assert "预览中改过的示例通知" in page.read_text(encoding="utf-8")
    assert guide.read_bytes() == old_guide, "the PDF waits for the second pass"
    assert asked == [True], "the guideline shows the summary: its PDF is out of date"

    assert preview.refresh_pdfs(repo, docs, report=messages.append, current=lambda: False)
    assert guide.read_bytes() == old_guide, "a pass overtaken by a newer save copies nothing"
    assert preview.refresh_pdfs(repo, docs, report=messages.append)
    assert guide.read_bytes() != old_guide
    assert {p: p.read_bytes() for p in forms} == forms, "the forms do not show the summary"

    # Nothing out of date: no second pass asked for.
    page.write_text("stale", encoding="utf-8")
    asked.clear()
    assert preview.refresh(repo, docs, report=messages.append, later=lambda: asked.append(True))
    assert asked == [] and "预览中改过的示例通知" in page.read_text(encoding="utf-8")


def _add_other_call(repo: Path) -> Path:
    """A second call, its own notice text (one data file per notice); returns its data file."""
    sample = repo / "data" / "calls" / "sample-call.yaml"
    source = repo / "tests" / "data" / "good"
    (source / "other-source.txt").write_bytes((source / "sample-source.txt").read_bytes())
    text = sample.read_text(encoding="utf-8").replace("id: sample-call", "id: other-call", 1)
    text = text.replace("short_title: 示例项目", "short_title: 另一示例项目", 1)
    text = text.replace("sample-source.txt", "other-source.txt", 1)
    other = repo / "data" / "calls" / "other-call.yaml"
    other.write_text(text, encoding="utf-8")
    return other


def _files(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file's bytes and modification time, by path relative to ``folder``."""
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in folder.rglob("*") if p.is_file()}


def _fresh(repo: Path, name: str) -> dict[str, bytes]:
    """What a whole restage (no session) puts into ``build/<name>``: the reference."""
    docs = repo / "build" / name
    docs.mkdir(parents=True)
    assert preview.refresh_pdfs(repo, docs, report=lambda m: None)
    return {k: v for k, (v, _) in _files(docs).items()}


def _session(repo: Path):
    """A preview session over ``repo`` with a second call, after its first (whole) restage:
    (the second call's data file, the staged docs folder, the messages, the session)."""
    other = _add_other_call(repo)
    docs = repo / "build" / "docs"
    docs.mkdir(parents=True)
    messages: list[str] = []
    session = preview.Session(repo, docs, report=messages.append)
    assert session.refresh(), messages
    return other, docs, messages, session


def test_a_saved_data_file_restages_only_its_call(repo: Path):
    """A session restages the saved call and the pages listing every call; what it shows
    is what a whole restage shows; the other call's files are not even rewritten."""
    other, docs, messages, session = _session(repo)
    before = _files(docs)
    assert "另一示例项目" in before["index.md"][0].decode("utf-8")

    text = other.read_text(encoding="utf-8")
    other.write_text(text.replace("short_title: 另一示例项目", "short_title: 改过名的示例项目", 1)
                     .replace("用于测试的示例通知", "预览中改过的示例通知", 1), encoding="utf-8")
    asked: list[bool] = []
    assert session.refresh({"data/calls/other-call.yaml"}, later=lambda: asked.append(True)), messages
    after = _files(docs)

    page = after["calls/other-call/index.md"][0].decode("utf-8")
    assert "改过名的示例项目" in page and "预览中改过的示例通知" in page
    for listing in ("index.md", "calls/index.md", "compare.md", "finder.md"):
        shown = after[listing][0].decode("utf-8")
        assert "改过名的示例项目" in shown and "另一示例项目" not in shown, listing
    mine = [k for k in before if k.startswith(("calls/sample-call/", "downloads/sample-call/"))]
    assert mine and all(after[k] == before[k] for k in mine), "the other call's files are untouched"
    assert asked == [True], "the guideline PDF shows the summary: a PDF pass is asked for"

    assert session.refresh_pdfs()
    assert {k: v for k, (v, _) in _files(docs).items()} == _fresh(repo, "reference"), \
        "an incremental restage shows what a whole restage shows"


def test_a_session_keeps_the_last_good_pages_and_the_rules_across_calls(repo: Path):
    """Bad data in the saved file, or a clash with a call that was not saved (checked from
    the loaded calls), keeps the pages; a removed call's pages and downloads go."""
    other, docs, messages, session = _session(repo)
    before = _files(docs)
    changed = {"data/calls/other-call.yaml"}
    text = other.read_text(encoding="utf-8")

    other.write_text(text.replace("2099-03-31", "2099-02-30"), encoding="utf-8")
    assert not session.refresh(changed)
    assert "other-call.yaml:" in messages[-1] and "预览仍显示上次正确的内容" in messages[-1]
    assert _files(docs) == before

    # the notice of the call that was not saved (one data file per notice): the loaded
    # call that was not read again is checked against the saved one
    other.write_text(text.replace("other-source.txt", "sample-source.txt"), encoding="utf-8")
    assert not session.refresh(changed)
    assert "sample-call.yaml:" in messages[-1] and "已是 other-call 的原文" in messages[-1]
    assert _files(docs) == before

    other.unlink()
    assert session.refresh(changed), messages
    assert not (docs / "calls" / "other-call").exists()
    assert not (docs / "downloads" / "other-call").exists()
    assert "另一示例项目" not in (docs / "index.md").read_text(encoding="utf-8")
    assert (docs / "calls" / "sample-call" / "index.md").read_bytes() == before["calls/sample-call/index.md"][0]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def _wait_for(url: str, text: str, seconds: float) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if text in _get(url):
            return True
        time.sleep(0.2)
    return False


def test_edited_yaml_shows_in_the_served_page(repo: Path):
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "generator", "--root", str(repo), "serve", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    page = f"http://127.0.0.1:{port}/calls/sample-call/"
    try:
        assert _wait_for(page, "用于测试的示例通知", 120), "the preview never came up"
        data = repo / "data" / "calls" / "sample-call.yaml"
        text = data.read_text(encoding="utf-8")
        data.write_text(text.replace("用于测试的示例通知", "预览中改过的示例通知", 1), "utf-8")
        assert _wait_for(page, "预览中改过的示例通知", 60), "the edit never reached the page"
        # broken data: the page stays as it was, the server keeps running
        data.write_text(text.replace("2099-03-31", "2099-02-30"), "utf-8")
        time.sleep(3)
        assert "预览中改过的示例通知" in _get(page)
        assert server.poll() is None
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert "sample-call.yaml:" in output, output
