"""Deadlines: each date a notice sets for handing something in, with its wording."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ..normalise import MARKER
from ..numerals import FULL_DATE, MONTH_DAY, cn_int, full_date, infer_year
from .context import Context

_SUBMIT = re.compile(r"报送|提交|发送|报至|送至|寄至|寄送|上报|报名|申报|交至|推荐|截止|截至|受理")
#: After the date: 前完成 is a project period, unless it is 前完成申报.
_PERIOD_AFTER = re.compile(r"^\s*(?:前|之前)?\s*完成(?!申报|报送|推荐)")
_CLAUSE = re.compile(r"[^。；;]*")
#: After the date: 前 / 之前 / 止, perhaps after a weekday or an hour (（星期五）17:00前, 下午5点前).
_BEFORE = re.compile(r"^\s*(?:[（(][^）)]{1,6}[)）])?\s*(?:[上下]午)?\s*(?:\d{1,2}\s*[:：]\s*\d{2}|\d{1,2}\s*[点时])?"
                     r"\s*(?:前|之前|以前|止|截止)")
#: Before the date: 截止时间：, 截至, 即日起至.
_UNTIL = re.compile(r"(?:截止|截至|至|止于)[^，。；]{0,6}$")
_STEP = re.compile(r"^\s*(?:\d{1,2}\s*[.．、]|[（(][一二三四五六七八九十\d]{1,2}[)）])\s*([\u4e00-\u9fff]{2,8})。")
#: Who a deadline is for, when the clause starts with it: 一流学会、创新特色学会于…
_SUBJECT = re.compile(r"^([\u4e00-\u9fff、“”]{2,16}?)(?:须|应|请)?于")
_GENERIC_SUBJECT = re.compile(r"^(请|各|申报|本|单位|学会$|项目$|材料)")
_PERIOD_LABEL = re.compile(r"(项目周期|实施周期|执行期|完成时间|实施期限)[:：]")


def month_day(written: str) -> tuple[int | None, int | None]:
    """Month and day of a ``11月30日`` match."""
    m = MONTH_DAY.search(written)
    return (cn_int(m["m"]), cn_int(m["d"])) if m else (None, None)


def _clauses(text: str) -> list[tuple[int, str]]:
    """Sentences of a paragraph (split at 。；) with their offsets."""
    return [(m.start(), m.group()) for m in _CLAUSE.finditer(text) if m.group().strip()]


def _label(clause: str, para: str) -> str:
    """The deadline's name: the step it closes (1.网上填报。…) or what it is for (“服务专项”项目)."""
    step = _STEP.match(para)
    if step:
        return f"{step.group(1)}截止"
    m = re.search(r"[“\"]([^”\"]{2,12})[”\"]项目", clause)
    if m:
        return f"{m.group(1)}申报截止"
    m = _SUBJECT.match(clause.strip())
    if m and not _GENERIC_SUBJECT.match(m.group(1)):
        return f"{m.group(1)}申报截止"  # 一流学会、创新特色学会于…前完成申报
    return "申报截止"


def extract_deadlines(ctx: Context, issued: dt.date | None) -> list[dict[str, Any]]:
    """Every dated hand-in in the notice body: ``{label, date, year_inferred, text}``.

    Parameters:
        ctx: The notice.
        issued: The issue date, from which a month-and-day deadline gets its year.

    Returns:
        Draft deadlines in the notice's order; one ``{label: 申报截止, date: null}`` when none.
    """
    f = ctx.findings
    out: list[dict[str, Any]] = []
    seen: set[tuple[Any, str]] = set()
    for p in ctx.paras:
        if p.text.startswith("\t") or _PERIOD_LABEL.search(p.text):
            continue
        for _, clause in _clauses(p.text):
            if not _SUBMIT.search(clause):
                continue
            hits: list[tuple[int, int, dt.date | None, bool, str]] = []
            for m in FULL_DATE.finditer(clause):
                hits.append((m.start(), m.end(), full_date(m), False, m.group()))
            taken = [(a, b) for a, b, *_ in hits]
            for m in MONTH_DAY.finditer(clause):
                if any(a <= m.start() < b for a, b in taken):
                    continue
                month, day = cn_int(m["m"]), cn_int(m["d"])
                date = infer_year(month, day, issued) if (issued and month and day) else None
                hits.append((m.start(), m.end(), date, True, m.group().strip()))
            for start, end, date, inferred, written in sorted(hits):
                rest = clause[end:]
                if not (_BEFORE.match(rest) or _UNTIL.search(clause[:start])) or _PERIOD_AFTER.match(rest):
                    continue
                text = MARKER.sub("", clause.strip(), count=1).lstrip("，,")
                key = (date, text)
                if key in seen:
                    continue
                seen.add(key)
                i = len(out)
                item: dict[str, Any] = {"label": _label(clause, p.text), "date": date, "text": text}
                line = ctx.locate.line_of(written, p.line)
                if inferred:
                    if date is None:  # no issue date: the month and day as written, the year unknown
                        item["month"], item["day"] = month_day(written)
                    else:
                        item["year_inferred"] = True
                    if date is None:
                        f.ambiguous(f"deadlines[{i}].date", "截止日期", None, line,
                                    f"原文只写“{written}”，没有发文日期可推定年份：请填写日期")
                    else:
                        f.ambiguous(f"deadlines[{i}].date", "截止日期", date.isoformat(), line,
                                    f"原文只写“{written}”，年份按发文日期推定（year_inferred: true）")
                else:
                    f.found(f"deadlines[{i}].date", "截止日期", date.isoformat() if date else None, line)
                f.found(f"deadlines[{i}].text", "截止日期原文", text, line)
                out.append(item)
    if not out:
        f.missing("deadlines[0].date", "截止日期", "未找到截止日期：请填写日期，或保留 null（原文未载明）")
        out.append({"label": "申报截止", "date": None})
    return out
