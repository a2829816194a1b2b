"""A publisher's correction, end to end: edit one YAML file, rebuild, see it everywhere."""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from icalendar import Calendar

from generator import urls
from generator.errors import DataErrors
from generator.pipeline import build

from .conftest import TODAY, make_sample_repo

ATOM = "{http://www.w3.org/2005/Atom}"
FIX = "截止日期延至2099年4月15日。"


def _correct(data: Path, source: Path) -> None:
    """What 发布说明 tells a publisher to do: add the notice's correction to its source text,
    change the value and the words quoted for it, bump last_modified, log it."""
    source.write_text(source.read_text(encoding="utf-8") + "补充通知：截止日期延至2099年4月15日。\n",
                      encoding="utf-8")
    text = data.read_text(encoding="utf-8")
    text = text.replace("    date: 2099-03-31\n", "    date: 2099-04-15\n")
    text = text.replace("    text: 于2099年3月31日前报送\n", "    text: 截止日期延至2099年4月15日\n")
    text = text.replace("last_modified: 2099-03-02\n", "last_modified: 2099-03-20\n")
    text += f"  - date: 2099-03-20\n    summary: {FIX}\n"
    data.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def corrected(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = tmp_path_factory.mktemp("repo")
    data = make_sample_repo(repo)
    build(repo, today=TODAY)
    _correct(data, repo / "tests" / "data" / "good" / "sample-source.txt")
    build(repo, today=TODAY)
    return repo / "site"


def test_correction_on_the_call_page(corrected: Path):
    html = (corrected / "calls/sample-call/index.html").read_text(encoding="utf-8")
    assert FIX in html


def test_correction_on_the_changes_page(corrected: Path):
    html = (corrected / urls.changes_page() / "index.html").read_text(encoding="utf-8")
    assert FIX in html and "2099-03-20" in html


def test_correction_leads_the_feed(corrected: Path):
    root = ET.parse(corrected / urls.feed()).getroot()
    first = root.findall(f"{ATOM}entry")[0]
    assert first.findtext(f"{ATOM}title") == f"示例项目：{FIX}"
    assert "change" in [c.get("term") for c in first.findall(f"{ATOM}category")]
    assert FIX in (first.findtext(f"{ATOM}content") or "")
    assert root.findtext(f"{ATOM}updated", "").startswith("2099-03-20")


def test_correction_moves_the_calendar_event(corrected: Path):
    for path in (urls.calendar(), "downloads/sample-call/sample-call.ics"):
        (event,) = Calendar.from_ical((corrected / path).read_bytes()).walk("VEVENT")
        assert event.decoded("dtstart").isoformat() == "2099-04-15"
        assert int(event["sequence"]) == 2


def test_correction_in_open_data_and_offline_copy(corrected: Path):
    csv_text = (corrected / urls.calls_csv()).read_text(encoding="utf-8-sig")
    assert ",2099-04-15," in csv_text and ",2099-03-31," not in csv_text
    with zipfile.ZipFile(corrected / urls.site_zip()) as zf:
        page = zf.read("kexie-calls/" + "calls/sample-call/index.html").decode("utf-8")
    assert FIX in page


def test_broken_correction_keeps_the_corrected_site(corrected: Path):
    repo = corrected.parent
    data = repo / "data" / "calls" / "sample-call.yaml"
    before = (corrected / urls.feed()).read_bytes()
    good = data.read_text(encoding="utf-8")
    try:
        data.write_text(good.replace("2099-04-15", "2099-04-31"), encoding="utf-8")
        with pytest.raises(DataErrors, match=r"sample-call\.yaml:\d+:\d+"):
            build(repo, today=TODAY)
    finally:
        data.write_text(good, encoding="utf-8")
    assert (corrected / urls.feed()).read_bytes() == before
