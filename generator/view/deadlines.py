"""Deadlines as every surface shows them: each with its label, the year said when it was
inferred or is unknown, and the call's status on the build date (the *Deadlines* rule)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from ..models import UNKNOWN, Deadline

Status = Literal["open", "closed", "unknown"]

STATUS_LABELS: dict[str, str] = {
    "open": "征集中",
    "closed": "已截止",
    "unknown": "截止日期未载明",
}
YEAR_INFERRED_NOTE = "年份据发文日期推定"
YEAR_UNKNOWN_NOTE = "年份未载明"


def zh_date(value: dt.date | None) -> str:
    """A date as 2022年3月31日; 原文未载明 for ``None``."""
    if value is None:
        return UNKNOWN
    return f"{value.year}年{value.month}月{value.day}日"


def countdown_text(days_left: int | None) -> str:
    """还剩 N 天, 今天截止, 已截止 N 天, or 截止日期未载明 (the browser script says the same)."""
    if days_left is None:
        return STATUS_LABELS["unknown"]
    if days_left > 0:
        return f"还剩 {days_left} 天"
    if days_left == 0:
        return "今天截止"
    return f"已截止 {-days_left} 天"


@dataclass(frozen=True)
class DeadlineView:
    """One deadline as every surface shows it.

    Attributes:
        index: Position in ``call.deadlines`` (calendar UIDs count every deadline).
        label: The deadline's label (编者).
        date: The full date, when known (its year may be inferred).
        month, day: Month and day when the notice gives no year that can be inferred.
        year_inferred: The year of ``date`` was inferred from the issue date.
        text: The notice's words, when quoted.
        categories: Ids of the categories it applies to (empty: all).
        category_names: Their names.
        display: The date as shown: 2022年11月30日（年份据发文日期推定）, 5月30日（年份未载明）…
        note: 年份据发文日期推定 / 年份未载明 / None.
        status: ``open`` / ``closed`` / ``unknown`` on the build date (None without one).
        calendar_note: Why the deadline is not in the calendar (None when it is).
    """

    index: int
    label: str
    date: dt.date | None
    month: int | None
    day: int | None
    year_inferred: bool
    text: str | None
    categories: tuple[str, ...]
    category_names: tuple[str, ...]
    display: str
    note: str | None
    status: Status | None
    calendar_note: str | None

    @property
    def in_calendar(self) -> bool:
        return self.date is not None

    @property
    def iso(self) -> str:
        """ISO date, or ``--MM-DD`` for a month and day without a year, or ``""``."""
        if self.date is not None:
            return self.date.isoformat()
        if self.month is not None and self.day is not None:
            return f"--{self.month:02d}-{self.day:02d}"
        return ""

    @property
    def line(self) -> str:
        """``label：display`` on one line (cards, CSV, feed)."""
        return f"{self.label}：{self.display}"

    @property
    def year_source(self) -> Literal["stated", "inferred", "unknown", "none"]:
        """How the year is known: stated, inferred (from the issue date), unknown (month and
        day only) or none (no date at all)."""
        if self.date is not None:
            return "inferred" if self.year_inferred else "stated"
        return "unknown" if self.month is not None else "none"


def earliest(deadlines: tuple[DeadlineView, ...]) -> DeadlineView | None:
    """The earliest deadline with a full date, else the first with a month and day, else None
    (the one deadline a single-value column such as the CSV's ``deadline`` shows)."""
    dated = [d for d in deadlines if d.date is not None]
    if dated:
        return min(dated, key=lambda d: (d.date or dt.date.max, d.index))
    return next((d for d in deadlines if d.month is not None), None)


def deadline_view(
    deadline: Deadline, index: int, names: dict[str, str], today: dt.date | None
) -> DeadlineView:
    """The view of one deadline (see the module's *Deadlines* rule)."""
    if deadline.date is not None:
        note = YEAR_INFERRED_NOTE if deadline.year_inferred else None
        display = zh_date(deadline.date) + (f"（{note}）" if note else "")
        calendar_note = None
    elif deadline.month is not None and deadline.day is not None:
        note = YEAR_UNKNOWN_NOTE
        display = f"{deadline.month}月{deadline.day}日（{note}）"
        calendar_note = "原文只写了月日，年份无法确定，未加入日历"
    else:
        note = None
        display = UNKNOWN
        calendar_note = "原文未载明截止日期，未加入日历"
    status: Status | None = None
    if today is not None:
        status = "unknown" if deadline.date is None else "open" if deadline.date >= today else "closed"
    return DeadlineView(
        index=index,
        label=deadline.label,
        date=deadline.date,
        month=deadline.month,
        day=deadline.day,
        year_inferred=deadline.year_inferred,
        text=deadline.text,
        categories=tuple(deadline.categories),
        category_names=tuple(names.get(c, c) for c in deadline.categories),
        display=display,
        note=note,
        status=status,
        calendar_note=calendar_note,
    )


@dataclass(frozen=True)
class CallStatus:
    """Where a call stands on the build date.

    Attributes:
        status: ``open`` (a dated deadline is today or later), ``closed`` (every dated
            deadline has passed) or ``unknown`` (no deadline has a full date).
        label: 征集中 / 已截止 / 截止日期未载明.
        deadline: The deadline the countdown refers to: the nearest coming one when open,
            the last one when closed, ``None`` when unknown.
        days_left: Days from the build date to ``deadline.date`` (negative when past).
    """

    status: Status
    label: str
    deadline: DeadlineView | None
    days_left: int | None

    @property
    def countdown(self) -> str:
        return countdown_text(self.days_left)


def call_status(deadlines: tuple[DeadlineView, ...], today: dt.date) -> CallStatus:
    dated = [d for d in deadlines if d.date is not None]
    if not dated:
        return CallStatus("unknown", STATUS_LABELS["unknown"], None, None)
    coming = sorted((d for d in dated if d.date is not None and d.date >= today),
                    key=lambda d: (d.date, d.index))
    if coming:
        nearest = coming[0]
        assert nearest.date is not None
        return CallStatus("open", STATUS_LABELS["open"], nearest, (nearest.date - today).days)
    last = max(dated, key=lambda d: (d.date, d.index))
    assert last.date is not None
    return CallStatus("closed", STATUS_LABELS["closed"], last, (last.date - today).days)
