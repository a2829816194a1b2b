"""Deadline status and countdowns of a call, computed for a build date.

A call is *open* (征集中) while any dated deadline is today or later, *closed*
(已截止) when every dated deadline has passed, and *unknown* (截止日期未载明) when
the notice gives no deadline date at all. The browser refreshes the countdown text
from the same ISO date (``overrides/assets/kx.js``), with the same wording.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from ..models import Call, Deadline

Status = Literal["open", "closed", "unknown"]

STATUS_LABELS: dict[str, str] = {
    "open": "征集中",
    "closed": "已截止",
    "unknown": "截止日期未载明",
}


@dataclass(frozen=True)
class CallStatus:
    """Where a call stands on a given day.

    Attributes:
        status: ``open``, ``closed`` or ``unknown``.
        label: The Chinese label shown to readers.
        deadline: The deadline the countdown refers to: the nearest coming one when
            open, the last one when closed, ``None`` when unknown.
        days_left: Days from the build date to ``deadline.date`` (negative when past).
    """

    status: Status
    label: str
    deadline: Deadline | None
    days_left: int | None

    @property
    def countdown(self) -> str:
        """Countdown text, e.g. 还剩 5 天 / 今天截止 / 120 天前."""
        return countdown_text(self.days_left)


def countdown_text(days_left: int | None) -> str:
    """Countdown wording for a number of days (the browser script uses the same wording).

    Parameters:
        days_left: Days until the deadline; negative when it has passed; ``None`` when unknown.

    Returns:
        还剩 N 天, 今天截止, N 天前 (shown after the 已截止 badge, so the
        status is not read out twice), or 截止日期未载明.
    """
    if days_left is None:
        return STATUS_LABELS["unknown"]
    if days_left > 0:
        return f"还剩 {days_left} 天"
    if days_left == 0:
        return "今天截止"
    return f"{-days_left} 天前"


def call_status(call: Call, today: dt.date) -> CallStatus:
    """The status of ``call`` on ``today``.

    Parameters:
        call: A validated call.
        today: The build date.

    Returns:
        The status, its label, the deadline the countdown refers to and the days left.
    """
    dated = [(d.date, d) for d in call.deadlines if d.date is not None]
    if not dated:
        return CallStatus("unknown", STATUS_LABELS["unknown"], None, None)
    coming = sorted((pair for pair in dated if pair[0] >= today), key=lambda pair: pair[0])
    if coming:
        date, nearest = coming[0]
        return CallStatus("open", STATUS_LABELS["open"], nearest, (date - today).days)
    date, last = max(dated, key=lambda pair: pair[0])
    return CallStatus("closed", STATUS_LABELS["closed"], last, (date - today).days)


def deadline_status(deadline: Deadline, today: dt.date) -> Status:
    """``open`` / ``closed`` / ``unknown`` for a single deadline."""
    if deadline.date is None:
        return "unknown"
    return "open" if deadline.date >= today else "closed"


def sort_key(status: CallStatus, call: Call) -> tuple[int, int, str]:
    """Order of the home page: open calls first (soonest deadline first), then unknown,
    then closed (most recently closed first); ties by call id."""
    rank = {"open": 0, "unknown": 1, "closed": 2}[status.status]
    days = status.days_left if status.days_left is not None else 0
    return (rank, days if status.status == "open" else -days, call.id)


def zh_date(value: dt.date | None) -> str:
    """A date as 2022年3月31日; 原文未载明 for ``None``."""
    if value is None:
        return "原文未载明"
    return f"{value.year}年{value.month}月{value.day}日"
