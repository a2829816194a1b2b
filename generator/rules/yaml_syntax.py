"""Rules for the YAML of a data file: syntax, indentation, and the safe subset we accept.

The loader (:mod:`generator.load`) applies them while it composes and walks the YAML;
:func:`syntax_message` turns a PyYAML problem into a Chinese message a clerk can act on.
"""

from __future__ import annotations

from .base import Rule

MAX_DEPTH = 40

EMPTY = Rule(
    "yaml-empty", "file", "文件有内容", "the file is not empty",
    "填写通知内容，或删除这个空文件。",
)
TAB = Rule(
    "yaml-tab", "file", "只用空格缩进", "indentation uses spaces only",
    "把行首的 Tab 换成空格（编辑器里可设“用空格代替 Tab”）。",
)
SYNTAX = Rule(
    "yaml-syntax", "file", "YAML 格式正确（冒号、引号、缩进）",
    "the YAML is well formed (colons, quotes, indentation)",
    "看提示所在行及上一行：“键: 值”的冒号后要有空格；引号要成对；同一层、同一列表的各项开头空格数相同。",
)
ANCHOR = Rule(
    "yaml-anchor", "file", "不用锚点和别名（& 与 *）", "no anchors or aliases (& and *)",
    "把 & 和 * 引用的内容直接写出来；以 * 开头的文字要加引号。",
)
TAG = Rule(
    "yaml-tag", "file", "不用 YAML 标签（!! 或 !）", "no YAML tags (!! or !)",
    "删除 !… 标签；以 ! 开头的文字要加引号。",
)
DEPTH = Rule(
    "yaml-depth", "file", f"嵌套不超过 {MAX_DEPTH} 层", f"nesting at most {MAX_DEPTH} levels",
    "检查缩进：通常是多了空格，让后面的行都成了上一行的下级。",
)
DUPLICATE_KEY = Rule(
    "yaml-duplicate-key", "file", "同一层中每个字段只出现一次",
    "each key appears once in a mapping", "删除或合并重复的字段。",
)
KEY = Rule(
    "yaml-key", "file", "字段名是文字", "keys are plain text", "字段名写成 名称: 值 的形式。",
)
TOP = Rule(
    "yaml-top", "file", "文件顶层是“字段: 值”结构", "the top level is a mapping",
    "文件应以 id: …、title: … 这样的行开头，不要以 - 开头。",
)
SCALAR = Rule(
    "yaml-value", "file", "日期等取值可以识别（日期真实存在）",
    "values such as dates can be read (the date exists)",
    "日期按 2023-03-31 的格式写，且确实存在（没有 2 月 30 日）。",
)

RULES = (EMPTY, TAB, SYNTAX, ANCHOR, TAG, DEPTH, DUPLICATE_KEY, KEY, TOP, SCALAR)

# PyYAML's problem (start of the text) → what it usually means for a clerk.
_PROBLEMS: tuple[tuple[str, str], ...] = (
    ("mapping values are not allowed",
     "此处不能出现“键: 值”：可能是这一行比同一项的其他字段多了或少了空格（缩进不一致），"
     "或文字中含有“: ”（冒号加空格），这时请给整段文字加引号"),
    ("could not find expected ':'",
     "缺少冒号：每个字段应写成“键: 值”（冒号后有空格）；也可能是上一行的引号没有配对"),
    ("did not find expected '-' indicator",
     "列表项的缩进不一致：同一列表中各项的 - 要上下对齐"),
    ("did not find expected key",
     "缩进不一致：同一项中的各个字段要上下对齐（开头空格数相同）"),
    ("expected <block end>, but found '<block sequence start>'",
     "列表项（以 - 开头的行）的缩进与上文不一致：同一列表中各项的 - 要上下对齐"),
    ("expected <block end>, but found '-'",
     "列表项（以 - 开头的行）的缩进与上文不一致：同一列表中各项的 - 要上下对齐"),
    ("expected <block end>",
     "缩进不一致：同一层的字段、同一列表项中的字段要上下对齐（开头空格数相同）"),
    ("found unexpected end of stream",
     "引号或括号没有配对：到文件末尾仍未闭合，请检查提示所在行的引号和 [ ] { }"),
    ("expected ',' or ']'",
     "方括号列表 [ … ] 的写法有误：各项用英文逗号分隔；含有逗号、冒号的文字要加引号"),
    ("expected ',' or '}'",
     "花括号 { … } 的写法有误：各项用英文逗号分隔；含有逗号、冒号的文字要加引号"),
    ("found character that cannot start any token",
     "这一行以 YAML 的特殊符号（如 @、`、%）开头：请给这段文字加引号"),
)


def syntax_message(problem: str | None) -> str:
    """Chinese explanation of a PyYAML syntax problem, with what to do."""
    text = problem or ""
    for start, zh in _PROBLEMS:
        if text.startswith(start):
            return zh
    return "请检查该行及上一行的缩进、冒号和引号"
