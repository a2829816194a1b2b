"""Rules about numbers: ranges, counts of nested categories, indicator tables."""

from __future__ import annotations

from collections.abc import Iterator

from .. import limits
from ..models import Category
from .base import Finding, Loc, Rule, Subject


def _ranges(subject: Subject) -> Iterator[Finding]:
    def walk(cats: list[Category], loc: Loc) -> Iterator[Finding]:
        for i, cat in enumerate(cats):
            for key, zh in (("count", "计划数量"), ("funding", "经费额度")):
                rng = getattr(cat, key)
                if rng is not None and rng.min is not None and rng.max is not None and rng.min > rng.max:
                    yield RANGE.at(
                        (*loc, i, key, "min"),
                        f"{zh}下限 {rng.min:g} 大于上限 {rng.max:g}，请对照原文“{rng.text}”改正",
                        f"{key} min {rng.min:g} > max {rng.max:g}",
                    )
            yield from walk(cat.children, (*loc, i, "children"))

    yield from walk(subject.call.categories, ("categories",))


def _children(subject: Subject) -> Iterator[Finding]:
    def walk(cats: list[Category], loc: Loc) -> Iterator[Finding]:
        for i, cat in enumerate(cats):
            parent = cat.count
            counted = [c.count for c in cat.children if c.count is not None]
            if parent is not None and counted:
                mins = [c.min for c in counted if c.min is not None]
                if parent.max is not None and len(mins) == len(counted) and sum(mins) > parent.max:
                    yield CHILD_COUNTS.at(
                        (*loc, i, "count"),
                        f"子类别至少共 {sum(mins)} 个，超过本类别的 {parent.max} 个，请核对各项数量",
                        f"children need at least {sum(mins)}, the parent allows {parent.max}",
                    )
                maxes = [c.max for c in counted if c.max is not None]
                complete = len(maxes) == len(counted) == len(cat.children)
                if complete and parent.min is not None and sum(maxes) < parent.min:
                    yield CHILD_COUNTS.at(
                        (*loc, i, "count"),
                        f"子类别最多共 {sum(maxes)} 个，不足本类别的 {parent.min} 个，请核对各项数量",
                        f"children add up to at most {sum(maxes)}, the parent needs {parent.min}",
                    )
            yield from walk(cat.children, (*loc, i, "children"))

    yield from walk(subject.call.categories, ("categories",))


def _indicators(subject: Subject) -> Iterator[Finding]:
    table = subject.call.indicators
    if table is None:
        return
    for g, group in enumerate(table.groups):
        got = sum(i.points for i in group.indicators)
        if got != group.points:
            yield INDICATOR_SUMS.at(
                ("indicators", "groups", g, "points"),
                f"“{group.name}”的二级指标分值合计 {got} 分，与一级指标的 {group.points} 分不符，请核对原文",
                f"indicator points add up to {got}, the group says {group.points}",
            )
    got = sum(g.points for g in table.groups)
    if got != table.total:
        yield INDICATOR_SUMS.at(
            ("indicators", "total"),
            f"一级指标分值合计 {got} 分，与总分 {table.total} 分不符，请核对原文",
            f"group points add up to {got}, the table says {table.total}",
        )


def _size(subject: Subject) -> Iterator[Finding]:
    for loc, zh, en in limits.problems(subject.call):
        yield SIZE.at(loc, zh, en)


RANGE = Rule(
    "range-order", "call", "数量、经费范围的下限不大于上限", "range minimums do not exceed maximums",
    "核对 min 与 max（常见：两者写反）。",
    _ranges,
)
CHILD_COUNTS = Rule(
    "child-counts", "call", "子类别的数量合计与上级类别相符",
    "the children's counts fit their parent's count",
    "核对各子类别和上级类别的 count（如 服务专项 30 个 = 20 + 10）。",
    _children,
)
INDICATOR_SUMS = Rule(
    "indicator-sums", "call", "指标体系的分值逐级相加一致", "indicator tables add up",
    "核对各指标的 points：二级指标之和等于一级指标，一级指标之和等于 total。",
    _indicators,
)

SIZE = Rule(
    "call-size", "call",
    f"一个通知不超过 {limits.MAX_CATEGORIES} 个类别、{limits.MAX_FORMS} 份表单、{limits.MAX_CALL_TEXT} 字符",
    f"a call has at most {limits.MAX_CATEGORIES} categories, {limits.MAX_FORMS} forms and "
    f"{limits.MAX_CALL_TEXT} characters",
    "把过大的通知拆分为几个通知，或把过长的表单拆分为几份表单。",
    _size,
)

RULES = (RANGE, CHILD_COUNTS, INDICATOR_SUMS, SIZE)
