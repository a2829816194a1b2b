"""The corrections page (更正记录): every call's changelog across calls, newest first.

A source step: writes ``changes.md`` into the staging docs folder. Dates and summaries come
from each call's ``changelog``; ``last_modified`` is listed per call, with the date of the last
commit of its data file when the git history is at hand (it shows an edit that was published
without a changelog entry).
"""

from __future__ import annotations

import datetime as dt
import html
import posixpath
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .. import urls
from ..context import BuildContext
from ..models import Call
from .pages import md_escape


def _link(from_md: str, to_md: str) -> str:
    return posixpath.relpath(to_md, posixpath.dirname(from_md) or ".")


def _page_link(call: Call, text: str) -> str:
    """An HTML link from the changes page to a call's page.

    Raw HTML rather than a Markdown link: the call pages are written by a later step, and
    the built site's link check (tests/test_links.py) verifies the target.
    """
    href = posixpath.relpath(urls.call_page(call), urls.changes_page()) + "/"
    return f'<a href="{html.escape(href)}">{md_escape(text)}</a>'


@dataclass(frozen=True)
class Correction:
    """One changelog entry of one call."""

    date: dt.date
    call: Call
    summary: str


def corrections(calls: list[Call]) -> list[Correction]:
    """Every changelog entry of every call, newest first (ties by call id, then data order)."""
    out = [Correction(e.date, c, e.summary) for c in calls for e in c.changelog]
    return sorted(out, key=lambda x: (-x.date.toordinal(), x.call.id))


def git_commit_dates(root: Path) -> dict[str, dt.date]:
    """Date of the last commit of each data file, by call id.

    Parameters:
        root: Repository root.

    Returns:
        ``{call_id: date}``; empty when git, the repository or its full history (a shallow
        clone) is not available, so no date is ever guessed.
    """

    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(
                # the build reads its own checkout: trust it even when a CI container
                # runs as another user than the owner of the folder
                ["git", "-c", f"safe.directory={root.resolve()}", "-C", str(root), *args],
                capture_output=True, text=True, encoding="utf-8", timeout=30, check=False,
            )
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout if done.returncode == 0 else None

    if git("rev-parse", "--is-shallow-repository") != "false\n":
        return {}
    log = git("log", "--format=%x00%cs", "--name-only", "--", "data/calls")
    if log is None:
        return {}
    dates: dict[str, dt.date] = {}
    for chunk in log.split("\x00")[1:]:
        lines = [ln.strip() for ln in chunk.splitlines() if ln.strip()]
        if not lines:
            continue
        day = dt.date.fromisoformat(lines[0])
        for name in lines[1:]:
            stem = Path(name).stem
            if name.startswith("data/calls/") and name.endswith((".yaml", ".yml")):
                dates.setdefault(stem, day)
    return dates


def changes_markdown(
    calls: list[Call],
    *,
    feed_available: bool = True,
    commit_dates: dict[str, dt.date] | None = None,
) -> str:
    """The Markdown of the corrections page.

    Parameters:
        calls: The calls.
        feed_available: Whether ``feed.xml`` and ``calendar.ics`` are part of the site
            (linked from the page only then).
        commit_dates: Last commit date of each call's data file (see
            :func:`git_commit_dates`); the column is shown only when there is one.

    Returns:
        The page's Markdown.
    """
    here = urls.changes_markdown()
    lines = [
        "# 更正记录",
        "",
        "各通知数据的录入、更正与补充记录，最新在前。一切以通知原文为准；"
        "若发现本站与原文不符之处，请联系本站维护者。",
        "",
    ]
    if feed_available:
        lines += [
            f"订阅：[Atom 订阅（通知与更正）]({_link(here, urls.feed())})　"
            f"[截止日期日历]({_link(here, urls.calendar())})",
            "",
        ]
    items = corrections(calls)
    if items:
        lines += ["| 日期 | 通知 | 内容 |", "| --- | --- | --- |"]
        for item in items:
            lines.append(
                f"| {item.date.isoformat()} | {_page_link(item.call, item.call.short_title)} "
                f"| {md_escape(item.summary)} |"
            )
    else:
        lines.append("暂无更正记录。")
    lines += ["", "## 各通知最后修改日期", ""]
    dates = {k: v for k, v in (commit_dates or {}).items() if k in {c.id for c in calls}}
    if calls:
        head = "| 通知 | 发文单位 | 最后修改 | 记录条数 |"
        rule = "| --- | --- | --- | ---: |"
        if dates:
            head += " 数据文件提交日期 |"
            rule += " --- |"
        lines += [head, rule]
        for call in sorted(calls, key=lambda c: (-c.last_modified.toordinal(), c.id)):
            row = (
                f"| {_page_link(call, call.short_title)} | {md_escape(call.issuer.name)} "
                f"| {call.last_modified.isoformat()} | {len(call.changelog)} |"
            )
            if dates:
                row += f" {dates[call.id].isoformat() if call.id in dates else '尚未提交'} |"
            lines.append(row)
        if dates:
            lines += [
                "",
                "“数据文件提交日期”取自版本记录（git），是该通知的数据最近一次发布的日期。",
            ]
    else:
        lines.append("暂无通知。")
    return "\n".join(lines) + "\n"


def render(ctx: BuildContext) -> None:
    """Write the corrections page into the staging docs folder (linking the feed and the
    calendar when the feeds step made them)."""
    feed_available = (
        ctx.artifact(urls.feed(), "feed") is not None
        and ctx.artifact(urls.calendar(), "calendar") is not None
    )
    text = changes_markdown(
        ctx.calls, feed_available=feed_available, commit_dates=git_commit_dates(ctx.root)
    )
    ctx.write(urls.changes_markdown(), text.encode("utf-8"), "page")
