"""Following calls: ``calendar.ics``, one ``.ics`` per call, and the Atom ``feed.xml``
(with ``feed.xsl``, which shows the feed as a readable page when opened in a browser).

A source step: the files are written into the staging docs folder, so MkDocs copies them into
the site and the pages can link to them with ordinary, checked Markdown links.

Output is deterministic: stamps come from each call's ``last_modified`` and changelog dates,
identifiers from call ids, never from the clock. A deadline whose date the notice does not
state (``date: null``) gets no event; nothing is invented.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from pathlib import Path

from feedgen.feed import FeedGenerator
from icalendar import Alarm, Calendar, Event
from jinja2 import Environment

from .. import urls
from ..context import BuildContext
from ..models import Call
from ..view import CallView, DeadlineView, call_view

CHINA = dt.timezone(dt.timedelta(hours=8), "CST")
PRODID = "-//kexie-calls//科协申报指南//ZH"
UID_DOMAIN = "kexie-calls"
ALARM_BEFORE = dt.timedelta(days=7)
#: Shipped next to feed.xml; referenced by a processing instruction at the top of the feed.
FEED_STYLESHEET = Path(__file__).resolve().parent.parent / "templates" / "feeds" / "feed.xsl"
#: Namespace of the feed's ``urn:uuid:`` ids: stable across builds and site addresses.
FEED_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://kexie-calls/feed")

_html = Environment(autoescape=True, keep_trailing_newline=False)

_CALL_CONTENT = _html.from_string(
    """<p>{{ call.summary }}</p>
<p>{{ call.issuer.name }}{% if call.doc_no %}　{{ call.doc_no }}{% endif %}</p>
<ul>
{%- for d in view.deadlines %}
<li>{{ d.line }}{% if d.calendar_note %}（{{ d.calendar_note }}）{% endif %}</li>
{%- endfor %}
</ul>
<p>申报主体：{{ view.applicants_line }}</p>
<p><a href="{{ page }}">查看申报指南</a></p>"""
)

_CHANGE_CONTENT = _html.from_string(
    """<p>{{ entry.summary }}</p>
<p>{{ call.title }}</p>
<p><a href="{{ page }}">查看申报指南</a></p>"""
)


def _utc_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=dt.UTC)


def _china_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=CHINA)


# --------------------------------------------------------------------------- calendar


def event_uid(call: Call, index: int) -> str:
    """Stable UID of a call's ``index``-th deadline, e.g. ``jiangsu-2021-county-kx-0@kexie-calls``.

    The index counts every deadline, stated or not, so UIDs survive a date being filled in.
    """
    return f"{call.id}-{index}@{UID_DOMAIN}"


def _event_description(call: Call, deadline: DeadlineView, page: str | None) -> str:
    lines = [call.title, f"发文单位：{call.issuer.name}"]
    if deadline.year_inferred:
        lines.append("注意：原文只写了月日，年份据发文日期推定。")
    if deadline.category_names:
        lines.append("适用类别：" + "、".join(deadline.category_names))
    if deadline.text:
        lines.append(f"原文：{deadline.text}")
    if page:
        lines.append(f"申报指南：{page}")
    return "\n".join(lines)


def deadline_event(call: Call | CallView, index: int, base: str | None) -> Event | None:
    """The all-day event of one deadline, with an alarm a week before.

    Parameters:
        call: The call.
        index: Position of the deadline in ``call.deadlines`` (part of the UID).
        base: The site's public address, or None (then the event carries no URL).

    Returns:
        The event, or None when the notice does not state a full date (no date, or a
        month and day without a year: :attr:`DeadlineView.calendar_note` says why).
    """
    view = call if isinstance(call, CallView) else call_view(call)
    call = view.call
    deadline = view.deadlines[index]
    if deadline.date is None:
        return None
    page = urls.absolute(urls.call_page(call), base) if base else None
    summary = f"{call.short_title}：{deadline.label}"
    stamp = _utc_midnight(call.last_modified)
    event = Event()
    event.add("uid", event_uid(call, index))
    event.add("dtstamp", stamp)
    event.add("last-modified", stamp)
    event.add("sequence", len(call.changelog))
    event.add("summary", summary)
    event.add("dtstart", deadline.date)
    event.add("dtend", deadline.date + dt.timedelta(days=1))
    event.add("transp", "TRANSPARENT")
    event.add("description", _event_description(call, deadline, page))
    event.add("categories", [call.issuer.name])
    if page:
        event.add("url", page)
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", f"还有一周截止：{summary}")
    alarm.add("trigger", -ALARM_BEFORE)
    event.add_component(alarm)
    return event


def calendar_of(calls: list[Call], name: str, base: str | None) -> Calendar:
    """A calendar with every stated deadline of ``calls``, ordered by date then UID.

    Parameters:
        calls: The calls to include.
        name: Calendar name shown by calendar apps.
        base: The site's public address, or None.

    Returns:
        The calendar (possibly without events).
    """
    # Calendar-level properties are not escaped by icalendar: keep the name on one line.
    name = " ".join(name.split())
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("name", name)
    cal.add("x-wr-calname", name)
    cal.add("x-wr-caldesc", "科协项目申报截止日期（原文未载明的日期不列入）")
    cal.add("refresh-interval", dt.timedelta(days=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "P1D")
    views = [call_view(call) for call in calls]  # once a call, not once a deadline
    events = [
        ev
        for view in views
        for i in range(len(view.call.deadlines))
        if (ev := deadline_event(view, i, base)) is not None
    ]
    events.sort(key=lambda ev: (ev.decoded("dtstart"), str(ev["uid"])))
    for ev in events:
        cal.add_component(ev)
    return cal


# --------------------------------------------------------------------------- Atom feed


@dataclass(frozen=True)
class FeedItem:
    """One feed entry: a call, or one correction of a call."""

    call: Call
    updated: dt.date
    kind: str  # "call" or "change"
    number: int = 0  # position in the changelog, for corrections

    @property
    def id(self) -> str:
        key = self.call.id if self.kind == "call" else f"{self.call.id}/changelog/{self.number}"
        return f"urn:uuid:{uuid.uuid5(FEED_NAMESPACE, key)}"


def feed_items(calls: list[Call]) -> list[FeedItem]:
    """Calls and corrections, newest first (ties: corrections before calls, then by id)."""
    items: list[FeedItem] = []
    for call in calls:
        items.append(FeedItem(call, call.last_modified, "call"))
        for n, entry in enumerate(call.changelog):
            items.append(FeedItem(call, entry.date, "change", n))
    items.sort(
        key=lambda it: (-it.updated.toordinal(), it.kind != "change", it.call.id, -it.number)
    )
    return items


def _shorten(text: str, limit: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def atom_feed(calls: list[Call], base: str | None, today: dt.date) -> bytes:
    """The Atom feed of calls and corrections.

    Parameters:
        calls: The calls.
        base: The site's public address, or None (links are then relative to the feed).
        today: Stamp of an empty feed (used only when there is no call).

    Returns:
        The feed as UTF-8 XML.
    """
    items = feed_items(calls)
    fg = FeedGenerator()
    fg.id(urls.absolute(urls.feed(), base) if base else f"urn:uuid:{FEED_NAMESPACE}")
    fg.title("科协申报指南：申报通知与更正")
    fg.subtitle("科协项目申报通知的新增与更正，最新在前")
    fg.author({"name": "科协申报指南"})
    fg.language("zh-CN")
    fg.generator("kexie-calls")
    fg.link(href=urls.absolute("", base) if base else "./", rel="alternate", type="text/html")
    if base:
        fg.link(href=urls.absolute(urls.feed(), base), rel="self", type="application/atom+xml")
    fg.updated(_china_midnight(items[0].updated if items else today))
    for item in items:
        call = item.call
        page = urls.absolute(urls.call_page(call), base)
        fe = fg.add_entry(order="append")
        fe.id(item.id)
        fe.link(href=page, rel="alternate", type="text/html")
        fe.updated(_china_midnight(item.updated))
        fe.category(term=call.issuer.name, label=call.issuer.name)
        fe.category(term=item.kind, label="通知" if item.kind == "call" else "更正记录")
        if item.kind == "call":
            fe.title(call.title)
            published = call.issued if call.issued and call.issued <= item.updated else item.updated
            fe.published(_china_midnight(published))
            fe.content(_CALL_CONTENT.render(call=call, view=call_view(call), page=page), type="html")
        else:
            entry = call.changelog[item.number]
            # Titled by what changed: a changelog entry may also be 首次录入, not a correction.
            fe.title(f"{call.short_title}：{_shorten(entry.summary)}")
            fe.published(_china_midnight(entry.date))
            fe.content(_CHANGE_CONTENT.render(call=call, entry=entry, page=page), type="html")
    xml = bytes(fg.atom_str(pretty=True))
    declaration, sep, rest = xml.partition(b"?>\n")
    stylesheet = f'<?xml-stylesheet type="text/xsl" href="{urls.feed_stylesheet()}"?>\n'
    return declaration + sep + stylesheet.encode("ascii") + rest


# --------------------------------------------------------------------------- step


def feed_files(calls: list[Call], base: str | None, today: dt.date,
               own: list[Call] | None = None) -> list[tuple[str, str, bytes]]:
    """``calendar.ics``, one ``.ics`` per call, ``feed.xml`` and its stylesheet.

    Parameters:
        calls: The calls.
        base: The site's public address, or None.
        today: Stamp of an empty feed.
        own: The calls whose own ``.ics`` to make (default: every call).

    Returns:
        ``(site path, artifact kind, content)`` of each file.
    """
    out = [(urls.calendar(), "calendar", calendar_of(calls, "科协申报截止日期", base).to_ical())]
    for call in calls if own is None else own:
        one = calendar_of([call], f"{call.short_title} 截止日期", base)
        out.append((urls.call_calendar(call), "calendar", one.to_ical()))
    out.append((urls.feed(), "feed", atom_feed(calls, base, today)))
    out.append((urls.feed_stylesheet(), "feed", FEED_STYLESHEET.read_bytes()))
    return out


def write_feeds(calls: list[Call], out: Path, base: str | None, today: dt.date) -> list[Path]:
    """Write :func:`feed_files` under ``out`` (outside a build); return the files written."""
    written: list[Path] = []
    for rel, _, data in feed_files(calls, base, today):
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(path)
    return written


def render(ctx: BuildContext) -> None:
    """Write the calendars and the feed into the staging docs folder."""
    for rel, kind, data in feed_files(ctx.calls, urls.site_url(), ctx.today, ctx.own_calls):
        ctx.write(rel, data, kind)
