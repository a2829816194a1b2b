"""Rules about dates: deadlines, the year of a deadline, project periods."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from ..fidelity import normalise
from .base import Finding, Rule, Subject


def _said(text: str) -> str:
    return unicodedata.normalize("NFKC", normalise(text))


def _after_issue(subject: Subject) -> Iterator[Finding]:
    call = subject.call
    for i, d in enumerate(call.deadlines):
        if d.date is not None and call.issued is not None and d.date < call.issued:
            yield AFTER_ISSUE.at(
                ("deadlines", i, "date"),
                f"截止日期 {d.date} 早于发文日期 {call.issued}，请核对两个日期",
                f"deadline {d.date} is before the issue date {call.issued}",
            )


_MONTH_DAY = re.compile(r"(\d{1,2})月(\d{1,2})日")


def _deadline_text(subject: Subject) -> Iterator[Finding]:
    for i, d in enumerate(subject.call.deadlines):
        said = _said(d.text) if d.text is not None else ""
        if d.date is None and d.month is None:
            stated = _MONTH_DAY.search(said)
            if stated:
                month, day = int(stated.group(1)), int(stated.group(2))
                yield DEADLINE_TEXT.at(
                    ("deadlines", i, "date"),
                    f"原文“{d.text}”写明了 {month}月{day}日，日期却为空：年份能确定时写 date，"
                    f"不能确定时写 month: {month} 和 day: {day}（网站照原文显示，并注明年份未载明）",
                    f"the text gives {month}月{day}日 but no date is encoded; write date, or "
                    f"month: {month} and day: {day} when the year is unknown",
                )
            continue
        if d.text is None:
            yield DEADLINE_TEXT.at(
                ("deadlines", i, "date" if d.date is not None else "month"),
                "有截止日期却没有原文：请在 text 中照录通知里写这个日期的原话",
                "a dated deadline needs the notice's words in text",
            )
            continue
        month, day = (d.date.month, d.date.day) if d.date is not None else (d.month or 0, d.day or 0)
        month_day = f"{month}月{day}日"
        if month_day not in said:
            shown = d.date.isoformat() if d.date is not None else month_day
            yield DEADLINE_TEXT.at(
                ("deadlines", i, "date" if d.date is not None else "month"),
                f"日期 {shown} 与原文“{d.text}”不符（原文中没有 {month_day}），请核对",
                f"date {shown} does not match the text (no {month_day} in it)",
            )
        elif d.date is not None and not d.year_inferred and f"{d.date.year}年" not in said:
            yield DEADLINE_TEXT.at(
                ("deadlines", i, "date"),
                f"原文“{d.text}”没有写年份 {d.date.year}年：年份由发文日期推定时写 year_inferred: true；"
                f"无法推定时不写 date，改写 month: {month} 和 day: {day}",
                f"the text does not say {d.date.year}; set year_inferred: true when the issue date "
                f"implies the year, else write month: {month} and day: {day} instead of date",
            )


def _year_inferred(subject: Subject) -> Iterator[Finding]:
    call = subject.call
    for i, d in enumerate(call.deadlines):
        if not d.year_inferred or d.date is None:
            continue  # year_inferred without a date: the model says so
        if call.issued is None:
            yield YEAR_INFERRED.at(
                ("deadlines", i, "year_inferred"),
                "原文没有发文日期，无法推定截止日期的年份：请删去 date 和 year_inferred，"
                f"改写 month: {d.date.month} 和 day: {d.date.day}（网站照原文显示月日，并注明年份未载明）",
                "the year cannot be inferred without an issue date; write month and day instead of date",
            )
        elif d.date.year not in (call.issued.year, call.issued.year + 1):
            yield YEAR_INFERRED.at(
                ("deadlines", i, "date"),
                f"推定的年份 {d.date.year} 与发文日期 {call.issued} 不符（应为发文当年或次年），请核对",
                f"inferred year {d.date.year} does not follow from the issue date {call.issued}",
            )


def _periods(subject: Subject) -> Iterator[Finding]:
    from ..models import Category

    def walk(cats: list[Category], loc: tuple[str | int, ...]) -> Iterator[Finding]:
        for i, cat in enumerate(cats):
            per = cat.period
            if per is not None and per.start and per.end and per.start > per.end:
                yield PERIOD.at(
                    (*loc, i, "period", "start"),
                    f"项目周期开始日期 {per.start} 晚于完成日期 {per.end}，请核对原文",
                    f"period starts {per.start}, after its end {per.end}",
                )
            yield from walk(cat.children, (*loc, i, "children"))

    yield from walk(subject.call.categories, ("categories",))


AFTER_ISSUE = Rule(
    "deadline-after-issue", "call", "截止日期不早于发文日期",
    "deadlines are not before the issue date", "核对截止日期和发文日期（常见：年份写错）。",
    _after_issue,
)
DEADLINE_TEXT = Rule(
    "deadline-text", "call",
    "截止日期与原文（text）一致：写明的月日都已录入，年份未写明时标明推定或只录月日",
    "a deadline matches the notice's words: a stated month and day is encoded, and a year the "
    "text does not give is marked inferred or left out",
    "在 text 中照录原文写日期的那句话；原文只写月日时加 year_inferred: true（需要发文日期），"
    "年份无法确定时不写 date，改写 month 和 day。",
    _deadline_text,
)
YEAR_INFERRED = Rule(
    "year-inferred", "call", "推定年份需要发文日期，且为发文当年或次年",
    "an inferred year needs an issue date and is its year or the next",
    "原文没有发文日期时不要推定年份：不写 date，改写 month 和 day，原话照录在 text 中。",
    _year_inferred,
)
PERIOD = Rule(
    "period-order", "call", "项目周期的开始日期不晚于完成日期",
    "a project period does not end before it starts", "核对 period 的 start 和 end。",
    _periods,
)

RULES = (AFTER_ISSUE, DEADLINE_TEXT, YEAR_INFERRED, PERIOD)
