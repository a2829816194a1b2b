"""The corrections page (更正记录)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from generator import urls
from generator.context import BuildContext
from generator.load import load_file
from generator.models import Call, ChangelogEntry
from generator.render import changes

from ..conftest import ROOT, TESTS


@pytest.fixture(scope="module")
def sample() -> Call:
    return load_file(TESTS / "data" / "good" / "sample-call.yaml", ROOT)


def _with_log(call: Call, new_id: str, *entries: tuple[str, str]) -> Call:
    log = [ChangelogEntry(date=dt.date.fromisoformat(d), summary=s) for d, s in entries]
    newest = max((e.date for e in log), default=call.last_modified)
    return call.model_copy(update={"id": new_id, "changelog": log, "last_modified": newest})


def _table_rows(md: str) -> list[str]:
    section = md.split("## 各通知最后修改日期")[0]
    return [ln for ln in section.splitlines() if ln.startswith("| 20")]


def test_corrections_across_calls_newest_first(sample: Call):
    a = _with_log(sample, "call-a", ("2099-03-05", "补充联系人。"), ("2099-04-01", "更正经费。"))
    b = _with_log(sample, "call-b", ("2099-03-20", "更正截止日期。"))
    rows = _table_rows(changes.changes_markdown([a, b]))
    assert [r.split(" | ")[0] for r in rows] == ["| 2099-04-01", "| 2099-03-20", "| 2099-03-05"]
    assert "更正经费。" in rows[0] and 'href="../calls/call-a/"' in rows[0]
    assert 'href="../calls/call-b/"' in rows[1]


def test_last_modified_listed_per_call(sample: Call):
    a = _with_log(sample, "call-a", ("2099-03-05", "补充联系人。"))
    b = _with_log(sample, "call-b")
    md = changes.changes_markdown([a, b])
    tail = md.split("## 各通知最后修改日期")[1]
    assert "| 2099-03-05 | 1 |" in tail
    assert f"| {sample.last_modified.isoformat()} | 0 |" in tail


def test_table_cells_are_escaped(sample: Call):
    a = _with_log(sample, "call-a", ("2099-03-05", "改为 A|B <b>粗</b> *星* [链接](x)"))
    (row,) = _table_rows(changes.changes_markdown([a]))
    assert row.count(" | ") == 2, "a | in the text must not add a column"
    assert "<b>" not in row and "&lt;b&gt;" in row
    assert "\\*星\\*" in row and "\\[链接\\]\\(x\\)" in row


def test_no_corrections_says_so(sample: Call):
    md = changes.changes_markdown([_with_log(sample, "call-a")])
    assert "暂无更正记录。" in md
    assert changes.changes_markdown([]).count("暂无") == 2


def test_feed_links_only_when_the_feeds_step_made_the_feed(sample: Call, tmp_path: Path):
    ctx = BuildContext(root=ROOT, calls=[sample], docs_dir=tmp_path, site_dir=tmp_path / "site",
                       cache_dir=tmp_path / "cache", step="changes", made={"feed", "calendar"})
    (tmp_path / urls.feed()).write_text("<feed/>", encoding="utf-8")  # left on disk, not made
    changes.render(ctx)
    assert "feed.xml" not in (tmp_path / urls.changes_markdown()).read_text(encoding="utf-8")
    ctx.record(urls.feed(), "feed", tmp_path / urls.feed(), 7, "0" * 64)
    ctx.record(urls.calendar(), "calendar", tmp_path / urls.calendar(), 7, "0" * 64)
    changes.render(ctx)
    text = (tmp_path / urls.changes_markdown()).read_text(encoding="utf-8")
    assert "](feed.xml)" in text and "](calendar.ics)" in text
    assert ctx.artifacts[urls.changes_markdown()].kind == "page"


def test_changes_page_in_the_built_site(built_site: Path, calls: list[Call]):
    html = (built_site / urls.changes_page() / "index.html").read_text(encoding="utf-8")
    assert "更正记录" in html
    for call in calls:
        for entry in call.changelog:
            assert entry.date.isoformat() in html


def _git(repo: Path, *args: str, date: str = "2099-03-10T12:00:00+08:00") -> None:
    env = {
        "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org",
        "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date, "PATH": os.environ["PATH"],
        "HOME": str(repo),
    }
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env)


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_commit_dates_from_the_git_history(tmp_path: Path):
    repo = tmp_path / "repo"
    calls = repo / "data" / "calls"
    calls.mkdir(parents=True)
    _git(repo, "init", "-q")
    (calls / "call-a.yaml").write_text("id: call-a\n", encoding="utf-8")
    (calls / "call-b.yaml").write_text("id: call-b\n", encoding="utf-8")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "first")
    (calls / "call-b.yaml").write_text("id: call-b\n# edited\n", encoding="utf-8")
    _git(repo, "commit", "-qam", "second", date="2099-03-20T09:00:00+08:00")
    assert changes.git_commit_dates(repo) == {
        "call-a": dt.date(2099, 3, 10),
        "call-b": dt.date(2099, 3, 20),
    }
    shallow = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", repo.as_uri(), str(shallow)],
        check=True, capture_output=True,
    )
    assert changes.git_commit_dates(shallow) == {}, "a shallow clone would give wrong dates"
    assert changes.git_commit_dates(tmp_path / "nowhere") == {}


def test_commit_date_column_only_with_dates(sample: Call):
    a = _with_log(sample, "call-a")
    b = _with_log(sample, "call-b")
    assert "数据文件提交日期" not in changes.changes_markdown([a, b])
    md = changes.changes_markdown([a, b], commit_dates={"call-a": dt.date(2099, 3, 9)})
    assert "数据文件提交日期" in md
    assert "| 2099-03-09 |" in md and "| 尚未提交 |" in md
