"""Calendar (icalendar) and Atom feed (parsed with xml.etree, independent of feedgen)."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from icalendar import Calendar

from generator import urls
from generator.load import load_file
from generator.models import Call, ChangelogEntry, Deadline
from generator.render import feeds

from ..conftest import ROOT, TESTS, TODAY

ATOM = "{http://www.w3.org/2005/Atom}"
BASE = "https://example.org/kexie/"


@pytest.fixture(scope="module")
def sample() -> Call:
    return load_file(TESTS / "data" / "good" / "sample-call.yaml", ROOT)


@pytest.fixture(scope="module")
def two_deadlines(sample: Call) -> Call:
    """The sample with a second deadline whose date the notice does not state."""
    extra = Deadline(label="纸质材料报送", date=None, text="纸质材料另行通知")
    return sample.model_copy(update={"deadlines": [*sample.deadlines, extra]})


def _events(ics: bytes) -> list:
    return list(Calendar.from_ical(ics).walk("VEVENT"))


def _stated(calls: list[Call]) -> list[tuple[str, dt.date]]:
    return [
        (feeds.event_uid(c, i), d.date)
        for c in calls
        for i, d in enumerate(c.deadlines)
        if d.date is not None
    ]


def test_every_stated_deadline_appears_once_with_its_date(calls: list[Call]):
    events = _events(feeds.calendar_of(calls, "全部", None).to_ical())
    by_uid: dict[str, list[dt.date]] = {}
    for ev in events:
        by_uid.setdefault(str(ev["uid"]), []).append(ev.decoded("dtstart"))
    expected = _stated(calls)
    assert expected, "the data states at least one deadline"
    assert len(events) == len(expected)
    for uid, date in expected:
        assert by_uid[uid] == [date], uid


def test_unstated_date_gives_no_event(two_deadlines: Call):
    events = _events(feeds.calendar_of([two_deadlines], "示例", None).to_ical())
    assert [str(e["uid"]) for e in events] == ["sample-call-0@kexie-calls"]
    assert "纸质材料报送" not in feeds.calendar_of([two_deadlines], "示例", None).to_ical().decode()


def test_event_is_all_day_named_after_call_and_label_with_week_alarm(sample: Call):
    (ev,) = _events(feeds.calendar_of([sample], "示例", None).to_ical())
    assert str(ev["summary"]) == "示例项目：申报截止"
    assert ev.decoded("dtstart") == dt.date(2099, 3, 31)
    assert not isinstance(ev.decoded("dtstart"), dt.datetime)
    assert ev.decoded("dtend") == dt.date(2099, 4, 1)
    (alarm,) = ev.walk("VALARM")
    assert str(alarm["action"]) == "DISPLAY"
    assert alarm.decoded("trigger") == -dt.timedelta(days=7)
    assert "于2099年3月31日前报送" in str(ev["description"])
    assert "url" not in ev  # no public address known: no (relative) URL property


def test_calendar_is_deterministic_and_stamped_from_the_data(sample: Call):
    one = feeds.calendar_of([sample], "示例", None).to_ical()
    two = feeds.calendar_of([sample], "示例", None).to_ical()
    assert one == two
    (ev,) = _events(one)
    assert ev.decoded("dtstamp") == dt.datetime(2099, 3, 2, tzinfo=dt.UTC)
    assert int(ev["sequence"]) == len(sample.changelog)


def test_event_url_is_absolute_with_site_url(sample: Call):
    (ev,) = _events(feeds.calendar_of([sample], "示例", BASE).to_ical())
    assert str(ev["url"]) == BASE + "calls/sample-call/"


def test_year_inferred_is_said_in_the_description(sample: Call):
    inferred = sample.deadlines[0].model_copy(update={"year_inferred": True})
    call = sample.model_copy(update={"deadlines": [inferred]})
    (ev,) = _events(feeds.calendar_of([call], "示例", None).to_ical())
    assert "年份据发文日期推定" in str(ev["description"])


def test_a_correction_moves_the_event_and_leads_the_feed(sample: Call):
    """A corrected call: same UID, new date, higher SEQUENCE; the correction is the newest entry."""
    moved = sample.deadlines[0].model_copy(update={"date": dt.date(2099, 4, 15)})
    fix = ChangelogEntry(date=dt.date(2099, 3, 20), summary="截止日期延至4月15日。")
    corrected = sample.model_copy(
        update={
            "deadlines": [moved],
            "changelog": [*sample.changelog, fix],
            "last_modified": dt.date(2099, 3, 20),
        }
    )
    (before,) = _events(feeds.calendar_of([sample], "示例", None).to_ical())
    (after,) = _events(feeds.calendar_of([corrected], "示例", None).to_ical())
    assert str(after["uid"]) == str(before["uid"])
    assert after.decoded("dtstart") == dt.date(2099, 4, 15)
    assert int(after["sequence"]) > int(before["sequence"])
    entries = _entries(feeds.atom_feed([corrected], None, TODAY))
    assert entries[0]["title"] == "示例项目：截止日期延至4月15日。"
    assert entries[0]["kind"] == "change"
    assert "截止日期延至4月15日。" in entries[0]["content"]


def test_per_call_calendars_hold_only_their_call(calls: list[Call], tmp_path: Path):
    feeds.write_feeds(calls, tmp_path, None, TODAY)
    everything = _events((tmp_path / urls.calendar()).read_bytes())
    total = 0
    for call in calls:
        events = _events((tmp_path / urls.call_calendar(call)).read_bytes())
        assert all(str(e["uid"]).startswith(call.id + "-") for e in events)
        total += len(events)
    assert total == len(everything)


# --------------------------------------------------------------------------- Atom


def _entries(xml: bytes) -> list[dict[str, str]]:
    root = ET.fromstring(xml)
    assert root.tag == f"{ATOM}feed"
    out = []
    for e in root.findall(f"{ATOM}entry"):
        out.append(
            {
                "id": e.findtext(f"{ATOM}id") or "",
                "title": e.findtext(f"{ATOM}title") or "",
                "updated": e.findtext(f"{ATOM}updated") or "",
                "link": e.find(f"{ATOM}link").get("href"),  # type: ignore[union-attr]
                "content": e.findtext(f"{ATOM}content") or "",
                "kind": " ".join(
                    c.get("term", "") for c in e.findall(f"{ATOM}category")
                    if c.get("term") in ("call", "change")
                ),
            }
        )
    return out


def test_feed_lists_calls_and_corrections_newest_first(calls: list[Call]):
    xml = feeds.atom_feed(calls, None, TODAY)
    root = ET.fromstring(xml)
    entries = _entries(xml)
    assert len(entries) == len(calls) + sum(len(c.changelog) for c in calls)
    updated = [dt.datetime.fromisoformat(e["updated"]) for e in entries]
    assert updated == sorted(updated, reverse=True)
    assert len({e["id"] for e in entries}) == len(entries)
    assert root.findtext(f"{ATOM}updated") == entries[0]["updated"]
    titles = {e["title"] for e in entries if e["kind"] == "call"}
    assert titles == {c.title for c in calls}
    assert sum(e["kind"] == "change" for e in entries) == sum(len(c.changelog) for c in calls)
    for e in entries:
        assert e["id"].startswith("urn:uuid:")
        assert not e["link"].startswith(("/", "http")), "relative links without SITE_URL"


def test_feed_links_are_absolute_with_site_url(sample: Call):
    xml = feeds.atom_feed([sample], BASE, TODAY)
    root = ET.fromstring(xml)
    self_link = [ln.get("href") for ln in root.findall(f"{ATOM}link") if ln.get("rel") == "self"]
    assert self_link == [BASE + "feed.xml"]
    assert all(e["link"] == BASE + "calls/sample-call/" for e in _entries(xml))


def test_feed_ids_do_not_depend_on_the_site_address(sample: Call):
    ids = [e["id"] for e in _entries(feeds.atom_feed([sample], None, TODAY))]
    assert ids == [e["id"] for e in _entries(feeds.atom_feed([sample], BASE, TODAY))]


def test_feed_content_is_escaped_html(sample: Call):
    call = sample.model_copy(update={"summary": "<script>alert(1)</script> & 更多"})
    entries = _entries(feeds.atom_feed([call], None, TODAY))
    (entry,) = [e for e in entries if e["kind"] == "call"]
    assert "<script>" not in entry["content"]
    assert "&lt;script&gt;" in entry["content"]
    assert "&amp; 更多" in entry["content"]


def test_empty_feed_is_valid():
    root = ET.fromstring(feeds.atom_feed([], None, TODAY))
    assert root.findall(f"{ATOM}entry") == []
    assert root.findtext(f"{ATOM}updated", "").startswith(TODAY.isoformat())


def test_feed_and_calendar_in_the_built_site(built_site: Path, calls: list[Call]):
    events = _events((built_site / urls.calendar()).read_bytes())
    assert len(events) == len(_stated(calls))
    entries = _entries((built_site / urls.feed()).read_bytes())
    assert len(entries) == len(calls) + sum(len(c.changelog) for c in calls)
    for call in calls:
        assert (built_site / urls.call_calendar(call)).is_file()


def test_feed_names_its_stylesheet_and_reads_as_a_page(calls: list[Call], tmp_path: Path):
    from lxml import etree

    feeds.write_feeds(calls, tmp_path, None, TODAY)
    xml = (tmp_path / urls.feed()).read_bytes()
    assert xml.splitlines()[1] == b'<?xml-stylesheet type="text/xsl" href="feed.xsl"?>'
    transform = etree.XSLT(etree.parse(str(tmp_path / urls.feed_stylesheet())))
    page = str(transform(etree.fromstring(xml)))
    titles = [e.findtext(f"{ATOM}title") for e in ET.fromstring(xml).findall(f"{ATOM}entry")]
    assert titles and all(t in page for t in titles)
    assert "订阅源" in page
    head = page.split("<body", 1)[0]
    assert "<link" not in head and "src=" not in page  # local styles only, nothing fetched
    for entry in ET.fromstring(xml).findall(f"{ATOM}entry"):
        assert f'href="{entry.find(f"{ATOM}link").get("href")}"' in page
