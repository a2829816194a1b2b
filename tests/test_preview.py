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
