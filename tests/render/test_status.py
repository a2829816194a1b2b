"""Deadline status, countdown wording and home-page order (generator/render/status.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.load import load_file
from generator.models import Call, Deadline
from generator.render.status import call_status, countdown_text, deadline_status, sort_key, zh_date

from ..conftest import ROOT, TESTS


@pytest.fixture(scope="module")
def sample() -> Call:
    return load_file(TESTS / "data" / "good" / "sample-call.yaml", ROOT)


def _with(call: Call, *dates: dt.date | None) -> Call:
    deadlines = [Deadline(label=f"截止{i}", date=d) for i, d in enumerate(dates)]
    return call.model_copy(update={"deadlines": deadlines})


def test_open_counts_down_to_the_nearest_coming_deadline(sample: Call):
    call = _with(sample, dt.date(2099, 5, 1), dt.date(2099, 3, 31), dt.date(2099, 1, 1))
    status = call_status(call, dt.date(2099, 3, 1))
    assert status.status == "open"
    assert status.label == "征集中"
    assert status.deadline is not None and status.deadline.date == dt.date(2099, 3, 31)
    assert status.days_left == 30
    assert status.countdown == "还剩 30 天"


def test_deadline_day_is_still_open(sample: Call):
    status = call_status(_with(sample, dt.date(2099, 3, 31)), dt.date(2099, 3, 31))
    assert (status.status, status.days_left, status.countdown) == ("open", 0, "今天截止")


def test_closed_refers_to_the_last_deadline(sample: Call):
    call = _with(sample, dt.date(2022, 3, 1), dt.date(2022, 3, 31), None)
    status = call_status(call, dt.date(2022, 4, 10))
    assert status.status == "closed"
    assert status.label == "已截止"
    assert status.deadline is not None and status.deadline.date == dt.date(2022, 3, 31)
    assert status.countdown == "10 天前"


def test_no_dated_deadline_is_unknown(sample: Call):
    status = call_status(_with(sample, None), dt.date(2022, 4, 10))
    assert (status.status, status.label, status.deadline, status.days_left) == (
        "unknown",
        "截止日期未载明",
        None,
        None,
    )
    assert status.countdown == "截止日期未载明"


@pytest.mark.parametrize(
    ("days", "text"), [(5, "还剩 5 天"), (1, "还剩 1 天"), (0, "今天截止"), (-2, "2 天前")]
)
def test_countdown_wording(days: int, text: str):
    assert countdown_text(days) == text


def test_countdown_wording_matches_the_browser_script(root):
    script = (root / "overrides" / "assets" / "kx.js").read_text(encoding="utf-8")
    for fragment in ('"还剩 "', '" 天"', '"今天截止"', '" 天前"'):
        assert fragment in script


def test_single_deadline_status():
    today = dt.date(2022, 3, 31)
    assert deadline_status(Deadline(label="a", date=today), today) == "open"
    assert deadline_status(Deadline(label="a", date=dt.date(2022, 3, 30)), today) == "closed"
    assert deadline_status(Deadline(label="a", date=None), today) == "unknown"


def test_home_order_open_first_then_unknown_then_recently_closed(sample: Call):
    today = dt.date(2050, 1, 1)
    calls = {
        "closed-old": _with(sample, dt.date(2040, 1, 1)),
        "closed-recent": _with(sample, dt.date(2049, 12, 1)),
        "unknown": _with(sample, None),
        "open-late": _with(sample, dt.date(2050, 6, 1)),
        "open-soon": _with(sample, dt.date(2050, 1, 5)),
    }
    calls = {k: c.model_copy(update={"id": k}) for k, c in calls.items()}
    order = sorted(calls.values(), key=lambda c: sort_key(call_status(c, today), c))
    assert [c.id for c in order] == [
        "open-soon",
        "open-late",
        "unknown",
        "closed-recent",
        "closed-old",
    ]


def test_zh_date():
    assert zh_date(dt.date(2022, 3, 1)) == "2022年3月1日"
    assert zh_date(None) == "原文未载明"
