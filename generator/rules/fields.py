"""The model rule: every field has the kind of value the model asks for.

Pydantic validates; :func:`messages` turns each of its errors into a Chinese message
that says what to do (an unquoted number: add quotes; a wrong choice: the allowed
values; an unknown key that belongs elsewhere: the indentation).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from functools import cache
from typing import Any, get_args

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from ..models import Call
from .base import Rule

MODEL = Rule(
    "field-value", "model", "每个字段都有、且取值符合要求（文字、整数、日期、允许的取值……）",
    "every field is present and has the right kind of value",
    "按提示改正该字段；字段名写错时对照 new-call 模板；数字、电话、编号写成文字时加英文引号。",
)

RULES = (MODEL,)

# Pydantic error types → (problem, what to do), in Chinese. English comes from pydantic.
_ZH_BY_TYPE: dict[str, tuple[str, str]] = {
    "missing": ("缺少必填字段", "请补上该字段"),
    "extra_forbidden": ("未知字段（可能拼写错误）", "请检查字段名拼写，或删除该字段"),
    "string_type": ("应为文字", "请填写文字"),
    "string_too_short": ("文字不能为空", "请填写内容，或删除该字段"),
    "string_too_long": ("文字过长", "请缩短文字"),
    "string_pattern_mismatch": ("格式不符", "请按要求的格式填写"),
    "int_type": ("应为整数", "请填写整数"),
    "int_parsing": ("应为整数", "请填写整数"),
    "int_from_float": ("应为整数", "请填写整数"),
    "float_type": ("应为数字", "请填写数字"),
    "float_parsing": ("应为数字", "请填写数字"),
    "bool_type": ("应为 true 或 false", "请填写 true 或 false"),
    "bool_parsing": ("应为 true 或 false", "请填写 true 或 false"),
    "date_type": ("应为日期", "请按 YYYY-MM-DD 填写日期，未载明写 null"),
    "date_parsing": ("日期无效", "请按 YYYY-MM-DD 填写真实存在的日期"),
    "date_from_datetime_parsing": ("日期无效", "请按 YYYY-MM-DD 填写真实存在的日期"),
    "date_from_datetime_inexact": ("应为日期而非时间", "请去掉时间部分"),
    "list_type": ("应为列表", "请使用 - 开头的列表，或 [甲, 乙] 的写法"),
    "too_short": ("列表项太少", "请至少填写所需数量的项"),
    "too_long": ("列表项太多", "请删减列表项"),
    "dict_type": ("应为“字段: 值”结构", "请在下一行缩进写出各个字段"),
    "model_type": ("应为“字段: 值”结构", "请在下一行缩进写出各个字段"),
    "model_attributes_type": ("应为“字段: 值”结构", "请在下一行缩进写出各个字段"),
    "enum": ("不是允许的取值", "请从允许的取值中选择"),
    "literal_error": ("不是允许的取值", "请从允许的取值中选择"),
    "greater_than_equal": ("数值太小", "请填写不小于下限的数值"),
    "less_than_equal": ("数值太大", "请填写不大于上限的数值"),
    "union_tag_invalid": ("类型不是允许的取值", "type 应为允许的块类型之一"),
    "union_tag_not_found": ("缺少 type 字段", "请为该块写明 type"),
    "inline_kind": ("图文混排项无效", "应为文字、{blank: 编号}、{choice: 编号, options: [...]} 或 {br: true}"),
    "value_error": ("取值不合理", "请按提示修改"),
    "assertion_error": ("取值不合理", "请按提示修改"),
}

_QUOTED = re.compile(r"'((?:[^'\\]|\\.)*)'")


def _allowed(expected: str) -> str:
    """``'省', '市' or '县'`` → ``省、市、县``."""
    values = _QUOTED.findall(expected)
    return "、".join(values) if values else expected


def _yaml_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


@cache
def _all_field_names() -> frozenset[str]:
    seen: set[type[BaseModel]] = set()
    names: set[str] = set()

    def visit(cls: type[BaseModel]) -> None:
        if cls in seen:
            return
        seen.add(cls)
        for name, info in cls.model_fields.items():
            names.add(name)
            for sub in _models_in(info.annotation):
                visit(sub)

    visit(Call)
    return frozenset(names)


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    out: list[type[BaseModel]] = []
    for arg in get_args(annotation):
        out.extend(_models_in(arg))
    return out


def _siblings(loc: tuple[str | int, ...]) -> list[str]:
    """Field names allowed beside the last part of ``loc`` (the parent model's fields)."""
    candidates: list[type[BaseModel]] = [Call]
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        nxt: list[type[BaseModel]] = []
        for cls in candidates:
            info = cls.model_fields.get(part)
            if info is not None:
                nxt.extend(_models_in(info.annotation))
        candidates = nxt or candidates
    return sorted({n for cls in candidates for n in cls.model_fields})


def _unknown_key(loc: tuple[str | int, ...]) -> str:
    key = str(loc[-1])
    near = difflib.get_close_matches(key, _siblings(loc), n=1, cutoff=0.75)
    if near:
        return f"未知字段（可能拼写错误），是否应为 {near[0]}？请改正字段名"
    if key in _all_field_names():
        return (f"未知字段：{key} 不属于这一层。若它属于上面的列表项或上级字段，"
                f"请检查缩进，使它与同一项的其他字段上下对齐")
    return "未知字段（可能拼写错误），请检查字段名拼写，或删除该字段"


def kinds() -> list[tuple[str, str]]:
    """Every kind of message of the model rule: ``(problem, what to do)``, each once."""
    out: list[tuple[str, str]] = []
    for problem, todo in _ZH_BY_TYPE.values():
        if (problem, todo) not in out:
            out.append((problem, todo))
    extra = [
        ("应为文字：YAML 把 … 读成了数字 / 日期 / 是否", "给这个值加英文引号，如 \"13800001234\"、\"2020\""),
        ("未知字段：… 不属于这一层", "检查缩进：这个字段应与同一列表项的其他字段上下对齐"),
        ("未知字段，是否应为 …？", "按提示改正字段名"),
    ]
    return out + extra


def message(err: ErrorDetails, written: str | None = None) -> str:
    """The Chinese message for one pydantic error: the problem and what to do.

    Parameters:
        err: One item of ``ValidationError.errors()``.
        written: The value as written in the file, when YAML read it as something else
            (``yes`` read as true, ``0537`` as a number).

    Returns:
        The message, e.g. ``应为文字：YAML 把 7256979 读成了数字，请加英文引号写成 "7256979"``.
    """
    kind = err["type"]
    value = err.get("input")
    ctx = err.get("ctx") or {}
    if kind == "string_type" and isinstance(value, bool | int | float | dt.date):
        what = {bool: "是/否（true/false）", dt.date: "日期"}.get(type(value), "数字")
        shown = written if written is not None else _yaml_text(value)
        return (f"应为文字：YAML 把 {shown} 读成了{what}，请加英文引号写成 \"{shown}\""
                f"（电话、编号、年份等都要加引号；以 0 开头的号码照原文写在引号内）")
    if kind == "string_type" and value is None:
        return "应为文字，不能为空：请填写原文中的文字；原文未载明的可选字段请删去整行"
    if kind in ("enum", "literal_error") and "expected" in ctx:
        return f"不是允许的取值 {value!r}，请从以下取值中选择：{_allowed(str(ctx['expected']))}"
    if kind == "extra_forbidden":
        return _unknown_key(tuple(err["loc"]))
    if kind in ("model_type", "dict_type") and isinstance(value, str):
        return ("应为“字段: 值”结构，这里却是一段文字：请在下一行多缩进两个空格写出各个字段；"
                "若这是列表项，检查 - 后面的内容")
    if kind == "value_error" and ctx.get("error"):
        return f"取值不合理：{_value_error_zh(str(ctx['error']))}"
    problem, todo = _ZH_BY_TYPE.get(kind, ("取值无效", "请按提示修改"))
    return f"{problem}，{todo}"


#: The model's English-only validator messages, by their start, in Chinese.
_VALUE_ERRORS_ZH = (
    ("text_file must be a relative path",
     "原文文件应写成仓库内的相对路径，如 data/sources/<编号>.txt（不能以 / 开头，不能含 ..）"),
    ("a cell holds one of text/input/parts/sign",
     "一个单元格只能写 text、input、parts、sign 中的一种，请删去多余的，或拆成几个单元格"),
)


def _value_error_zh(detail: str) -> str:
    """The Chinese half of a validator's message (``中文 / English``), or its translation."""
    if " / " in detail:
        return detail.split(" / ", 1)[0]
    for start, zh in _VALUE_ERRORS_ZH:
        if detail.startswith(start):
            got = detail.split("got ", 1)[1] if "got " in detail else ""
            return f"{zh}（这里写了 {got}）" if got else zh
    return f"{detail}，请按提示修改"
