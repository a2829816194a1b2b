"""Dates and numbers as notices write them: 2022年3月8日, 二〇二二年三月八日, 11月30日, 一式四份."""

from __future__ import annotations

import datetime as dt
import re

_DIGITS = {"〇": 0, "○": 0, "零": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
           "六": 6, "七": 7, "八": 8, "九": 9}
CN = "〇○零Ｏ一二两三四五六七八九十"
_NUM = rf"(?:\d{{1,4}}|[{CN}]{{1,4}})"
#: A full date; groups y, m, d. Spaces between parts are allowed (PDF text).
FULL_DATE = re.compile(rf"(?P<y>\d{{4}}|[{CN}]{{4}})\s*年\s*(?P<m>{_NUM})\s*月\s*(?P<d>{_NUM})\s*[日号]")
#: Month and day without a year (the year comes from the issue date); groups m, d.
MONTH_DAY = re.compile(rf"(?<![\d{CN}年])\s*(?P<m>\d{{1,2}}|[{CN}]{{1,3}})\s*月\s*(?P<d>\d{{1,2}}"
    rf"|[{CN}]{{1,3}})\s*[日号]")


def cn_int(text: str) -> int | None:
    """``"12"``, ``"十二"``, ``"二十三"``, ``"二〇二二"`` → int; None when not a number."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    if not text or any(ch not in _DIGITS and ch != "十" for ch in text):
        return None
    if "十" not in text:
        value = 0
        for ch in text:
            value = value * 10 + _DIGITS[ch]
        return value
    tens, _, ones = text.partition("十")
    if "十" in ones:
        return None
    return (_DIGITS.get(tens, 0) if tens else 1) * 10 + (_DIGITS.get(ones, 0) if ones else 0)


def to_date(y: int | None, m: int | None, d: int | None) -> dt.date | None:
    """A date, or None when the parts are missing or impossible (2月30日)."""
    if y is None or m is None or d is None:
        return None
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def full_date(match: re.Match[str]) -> dt.date | None:
    """The date of a :data:`FULL_DATE` match."""
    return to_date(cn_int(match["y"]), cn_int(match["m"]), cn_int(match["d"]))


def infer_year(month: int, day: int, issued: dt.date) -> dt.date | None:
    """A month and day after ``issued``: same year, or the next when it would fall before."""
    date = to_date(issued.year, month, day)
    if date is not None and date < issued:
        date = to_date(issued.year + 1, month, day)
    return date
