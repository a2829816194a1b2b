"""The corrections page (更正记录): every call's changelog across calls, newest first.

A source step: writes ``changes.md`` into the staging docs folder. Dates and summaries come
from each call's ``changelog``; ``last_modified`` is listed per call.
"""

from __future__ import annotations

import datetime as dt
import html
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

from .. import urls
from ..context import BuildContext
from ..models import Call

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|#])")


def md_cell(text: str) -> str:
    """``text`` as literal Markdown table-cell content (HTML and Markdown syntax escaped)."""
    flat = " ".join(text.split())
    return _MD_SPECIAL.sub(r"\\\1", html.escape(flat, quote=False))


def _link(from_md: str, to_md: str) -> str:
    return posixpath.relpath(to_md, posixpath.dirname(from_md) or ".")


def _page_link(call: Call, text: str) -> str:
    """An HTML link from the changes page to a call's page.

    Raw HTML rather than a Markdown link: the call pages are written by a later step, and
    the built site's link check (tests/test_links.py) verifies the target.
    """
    href = posixpath.relpath(urls.call_page(call), urls.changes_page()) + "/"
    return f'<a href="{html.escape(href)}">{md_cell(text)}</a>'


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


def changes_markdown(calls: list[Call], *, feed_available: bool = True) -> str:
    """The Markdown of the corrections page.

    Parameters:
        calls: The calls.
        feed_available: Whether ``feed.xml`` and ``calendar.ics`` are part of the site
            (linked from the page only then).

    Returns:
        The page's Markdown.
    """
    here = urls.changes_markdown()
    lines = [
        "# 更正记录",
        "",
        "发布后对各通知数据所作的更正与补充，最新在前。更正以通知原文为准；"
        "若发现与原文不符之处，请联系发布单位。",
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
        lines += ["| 日期 | 通知 | 更正内容 |", "| --- | --- | --- |"]
        for item in items:
            lines.append(
                f"| {item.date.isoformat()} | {_page_link(item.call, item.call.short_title)} "
                f"| {md_cell(item.summary)} |"
            )
    else:
        lines.append("暂无更正记录。")
    lines += ["", "## 各通知最后修改日期", ""]
    if calls:
        lines += ["| 通知 | 发文单位 | 最后修改 | 更正次数 |", "| --- | --- | --- | ---: |"]
        for call in sorted(calls, key=lambda c: (-c.last_modified.toordinal(), c.id)):
            lines.append(
                f"| {_page_link(call, call.short_title)} | {md_cell(call.issuer.name)} "
                f"| {call.last_modified.isoformat()} | {len(call.changelog)} |"
            )
    else:
        lines.append("暂无通知。")
    return "\n".join(lines) + "\n"


def write_changes(calls: list[Call], docs_dir: Path) -> Path:
    """Write ``changes.md`` into ``docs_dir``; return its path."""
    path = docs_dir / urls.changes_markdown()
    feed_available = (docs_dir / urls.feed()).is_file()
    path.write_text(changes_markdown(calls, feed_available=feed_available), encoding="utf-8")
    return path


def render(ctx: BuildContext) -> None:
    """Write the corrections page into the staging docs folder."""
    write_changes(ctx.calls, ctx.docs_dir)
