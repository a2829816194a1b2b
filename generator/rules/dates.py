"""Rules about dates: deadlines, the year of a deadline, project periods."""

from __future__ import annotations

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


def _deadline_text(subject: Subject) -> Iterator[Finding]:
    for i, d in enumerate(subject.call.deadlines):
        if d.date is None:
            continue
        if d.text is None:
            yield DEADLINE_TEXT.at(
                ("deadlines", i, "date"),
                "有截止日期却没有原文：请在 text 中照录通知里写这个日期的原话",
                "a dated deadline needs the notice's words in text",
            )
            continue
        said = _said(d.text)
        month_day = f"{d.date.month}月{d.date.day}日"
        if month_day not in said:
            yield DEADLINE_TEXT.at(
                ("deadlines", i, "date"),
                f"日期 {d.date} 与原文“{d.text}”不符（原文中没有 {month_day}），请核对",
                f"date {d.date} does not match the text (no {month_day} in it)",
            )
        elif not d.year_inferred and f"{d.date.year}年" not in said:
            yield DEADLINE_TEXT.at(
                ("deadlines", i, "date"),
                f"原文“{d.text}”没有写年份 {d.date.year}年：年份由发文日期推定时写 year_inferred: true；"
                "无法推定时日期写 null",
                f"the text does not say {d.date.year}; set year_inferred: true when the issue date "
                "implies the year, else leave the date null",
            )


def _year_inferred(subject: Subject) -> Iterator[Finding]:
    call = subject.call
    for i, d in enumerate(call.deadlines):
        if not d.year_inferred:
            continue
        if d.date is None:
            yield YEAR_INFERRED.at(
                ("deadlines", i, "year_inferred"),
                "year_inferred 为 true 但没有日期：请删去 year_inferred，或填写日期",
                "year_inferred without a date",
            )
        elif call.issued is None:
            yield YEAR_INFERRED.at(
                ("deadlines", i, "year_inferred"),
                "原文没有发文日期，无法推定截止日期的年份：请把 date 写成 null、删去 year_inferred"
                "（网站照录原文的月日）",
                "the year cannot be inferred without an issue date; write date: null",
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
    "deadline-text", "call", "有日期的截止日期照录原文（text），原文写明了该月日；没有年份时标明 year_inferred",
    "a dated deadline quotes the notice, whose words give that month and day (and the year "
    "unless year_inferred)",
    "在 text 中照录原文写日期的那句话；原文只写月日时加 year_inferred: true（需要发文日期）或把 date 写成 null。",
    _deadline_text,
)
YEAR_INFERRED = Rule(
    "year-inferred", "call", "推定年份需要发文日期，且为发文当年或次年",
    "an inferred year needs an issue date and is its year or the next",
    "原文没有发文日期时不要推定年份：date 写 null，原文的月日照录在 text 中。",
    _year_inferred,
)
PERIOD = Rule(
    "period-order", "call", "项目周期的开始日期不晚于完成日期",
    "a project period does not end before it starts", "核对 period 的 start 和 end。",
    _periods,
)

RULES = (AFTER_ISSUE, DEADLINE_TEXT, YEAR_INFERRED, PERIOD)
