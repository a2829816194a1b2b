"""Rules about references inside a call, and the files its forms are published as."""

from __future__ import annotations

from collections.abc import Iterator

from ..models import reference_problems
from ..urls import path_clashes
from .base import Finding, Rule, Subject

#: What to do, by the start of a message of :func:`generator.models.reference_problems`.
_TODO = (
    ("引用了表单中不存在的字段", "请改正字段编号（见该表单各输入框的 id）"),
    ("引用了不存在的", "请改正编号，或补上被引用的那一项"),
    ("表单 ", "请给重复的字段换一个编号"),
    ("表格行的单元格", "请让每一行的单元格（含 colspan 跨列）正好填满 widths 的列数"),
    ("最后修改日期早于", "请把 last_modified 改为今天（不早于最新的更正记录）"),
    ("", "请给其中一项换一个编号"),  # 类别 / 联系人 / 表单编号重复
)


def _references(subject: Subject) -> Iterator[Finding]:
    for loc, zh, en in reference_problems(subject.call):
        todo = next(t for start, t in _TODO if zh.startswith(start))
        yield REFERENCES.at(loc, zh if "请" in zh else f"{zh}，{todo}", en)


def _paths(subject: Subject) -> Iterator[Finding]:
    for loc, zh, en in path_clashes(subject.call):
        yield PATHS.at(loc, zh, en)


REFERENCES = Rule(
    "references", "call",
    "编号不重复，引用的类别、联系人、表单和表单字段都存在，表格行填满各列，最后修改日期不早于更正记录",
    "ids are unique; referenced categories, contacts, forms and fields exist; table rows fill "
    "their columns; last_modified is not older than the changelog",
    "改正写错的编号，或补上被引用的项；表格每行的单元格数（含合并）要等于 widths 的列数。",
    _references,
)
PATHS = Rule(
    "paths", "call", "每张表单的下载文件名互不相同", "every form's download files have distinct names",
    "给冲突的表单换一个编号（如 apply 与 apply-fillable 冲突）。",
    _paths,
)

RULES = (REFERENCES, PATHS)
