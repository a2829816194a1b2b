"""Data errors a publisher can act on: file, line, column, field path, Chinese and English."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

# Pydantic error types → (Chinese message, what to do in Chinese). English comes from pydantic.
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
    "list_type": ("应为列表", "请使用 - 开头的列表"),
    "too_short": ("列表项太少", "请至少填写所需数量的项"),
    "too_long": ("列表项太多", "请删减列表项"),
    "dict_type": ("应为键值结构", "请使用 键: 值 的写法"),
    "model_type": ("应为键值结构", "请使用 键: 值 的写法"),
    "model_attributes_type": ("应为键值结构", "请使用 键: 值 的写法"),
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


@dataclass(frozen=True, order=True)
class DataError:
    """One problem in one data file.

    Attributes:
        file: Path of the data file (as given to the loader).
        line: 1-based line, or 0 when unknown.
        column: 1-based column, or 0 when unknown.
        path: Field path such as ``categories[2].count.min`` (empty for the whole file).
        zh: The problem in Chinese, with what to do.
        en: The problem in English.
        field_zh: Chinese name of the field, when known.
    """

    file: str
    line: int
    column: int
    path: str
    zh: str
    en: str
    field_zh: str = ""

    def format(self) -> str:
        """Render as ``file:line:col: path（中文名）: 中文 / English``."""
        where = self.file
        if self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        what = self.path or "（整个文件 whole file）"
        if self.field_zh:
            what += f"（{self.field_zh}）"
        return f"{where}: {what}: {self.zh} / {self.en}"

    def __str__(self) -> str:
        return self.format()


def zh_for(error_type: str, ctx_msg: str = "") -> str:
    """Chinese message for a pydantic error type; the validator's detail is appended."""
    problem, todo = _ZH_BY_TYPE.get(error_type, ("取值无效", "请按提示修改"))
    text = f"{problem}，{todo}"
    if ctx_msg:
        text += f"（{ctx_msg}）"
    return text


@dataclass
class DataErrors(Exception):
    """Every problem found in one run; raised when any data file is bad."""

    errors: list[DataError] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.report())

    def report(self) -> str:
        lines = [e.format() for e in sorted(self.errors)]
        n = len(self.errors)
        lines.append(f"发现 {n} 处数据错误，未生成网站。 / {n} data error(s); the site was not built.")
        return "\n".join(lines)


class BuildError(Exception):
    """A build step failed for a reason other than bad data (missing font, tool error…).

    The message is shown to the publisher as is; write it in Chinese and English.
    """


def rel(path: Path, root: Path | None = None) -> str:
    """Path as shown in messages: relative to ``root`` (or the cwd) when possible."""
    base = root or Path.cwd()
    try:
        return str(path.resolve().relative_to(base.resolve()))
    except ValueError:
        return str(path)
