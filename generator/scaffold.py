"""``python -m generator new-call <id>``: a commented template for a new call's data file.

The template is generated from the pydantic models, so it never drifts from them: every
field appears with its Chinese title, description, kind of value and whether it is required.

* Required fields are written out (``title:``), empty until filled in; ``check`` reports the
  ones still empty, with file:line, until they are.
* Optional fields are commented out (``# region:``). Removing one leading ``# `` from a block
  gives a valid structure whose own required fields are written out.
* Only the id, the source text path and ``last_modified`` are pre-filled: none is a fact of
  the notice.
"""

from __future__ import annotations

import datetime as dt
import re
import types
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from .models import EMAIL_PATTERN, SLUG_PATTERN, Call, QuoteMarker
from .rules.completeness import WRITTEN_OUT

QUOTE = "【原文摘录】照抄通知原文"
OWN = "【自行填写】"
#: Optional in the model, expected by a rule (``call-complete``): written out, not commented.
RULE_REQUIRED = {(name,) for name in WRITTEN_OUT}

MODELINE = "# yaml-language-server: $schema=../../schema/call.schema.json"
_SCALAR_HINTS: dict[type, str] = {
    int: "整数",
    float: "数字",
    bool: "true 或 false",
    dt.date: "日期 YYYY-MM-DD",
}


class ScaffoldError(Exception):
    """The template cannot be written (bad id, or the file exists)."""


def _strip_annotated(ann: Any) -> Any:
    while get_origin(ann) is Annotated:
        ann = get_args(ann)[0]
    return ann


def _unwrap(ann: Any) -> tuple[Any, bool]:
    """``(core type, nullable)`` with Annotated and ``| None`` removed."""
    ann = _strip_annotated(ann)
    if get_origin(ann) in (Union, types.UnionType):
        args = [a for a in get_args(ann) if a is not type(None)]
        nullable = len(args) < len(get_args(ann))
        if len(args) == 1:
            return _unwrap(args[0])[0], nullable
        return ann, nullable
    return ann, False


def _is_model(ann: Any) -> bool:
    return isinstance(ann, type) and issubclass(ann, BaseModel)


def _variants(ann: Any) -> list[Any]:
    """The alternatives of a union (Annotated stripped), or ``[ann]``."""
    ann = _strip_annotated(ann)
    if get_origin(ann) in (Union, types.UnionType):
        return [_strip_annotated(a) for a in get_args(ann) if a is not type(None)]
    return [ann]


def _list_item(ann: Any) -> Any | None:
    ann = _strip_annotated(ann)
    return get_args(ann)[0] if get_origin(ann) is list else None


def _kind_hint(core: Any) -> str:
    """A Chinese description of the expected value."""
    item = _list_item(core)
    if item is not None:
        inner = _kind_hint(_unwrap(item)[0])
        return f"列表（{inner}）" if inner else "列表"
    if isinstance(core, type) and issubclass(core, Enum):
        return "取值：" + " / ".join(str(m.value) for m in core)
    if get_origin(core) is Literal:
        return "取值：" + " / ".join(str(v) for v in get_args(core))
    if _is_model(core):
        return ""
    variants = _variants(core)
    if len(variants) > 1:
        return ""
    return _SCALAR_HINTS.get(core, "")


def _yaml_scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, list | tuple):
        return "[]" if not value else "[" + ", ".join(_yaml_scalar(v) for v in value) + "]"
    return str(value)


def _is_quote(annotation: Any) -> bool:
    """True for text copied from the notice: ``Quote`` or an e-mail address (both checked
    against it), optional, or a list of them."""
    for m in getattr(annotation, "__metadata__", ()):
        if isinstance(m, QuoteMarker) or getattr(m, "pattern", None) == EMAIL_PATTERN:
            return True
    return any(_is_quote(arg) for arg in get_args(annotation))


def _doc(name: str, info: FieldInfo, core: Any, nullable: bool, *, required: bool) -> str:
    title = info.title or name
    bits = [title + ("（必填）" if required else "")]
    item = _list_item(core)
    holds_models = item is not None and any(_is_model(v) for v in _variants(_unwrap(item)[0]))
    if not _is_model(core) and not holds_models:
        quoted = _is_quote(info.annotation) or any(isinstance(m, QuoteMarker) for m in info.metadata)
        bits.append(QUOTE if quoted else OWN)
    if info.description:
        bits.append(info.description)
    hint = _kind_hint(core)
    if hint:
        bits.append(hint)
    if nullable and info.is_required() and "null" not in (info.description or ""):
        bits.append("原文未载明写 null")
    if not info.is_required() and info.default not in (None, [], {}) and not callable(
        info.default_factory
    ):
        bits.append(f"默认 {_yaml_scalar(info.default)}")
    return "；".join(bits)


def _with_doc(line: str, doc: str) -> str:
    """``line`` with its field's description as a trailing comment (one ``#`` per line)."""
    if "  # " in line:
        line, note = line.split("  # ", 1)
        return f"{line}  # {doc}；{note}"
    return f"{line}  # {doc}"


def _comment_out(lines: list[str], indent: int) -> list[str]:
    pad = " " * indent
    return [pad + "# " + ln[indent:] for ln in lines]


class _Writer:
    """Turns model classes into YAML lines, each field's description a trailing comment.

    Optional fields of a written-out model are commented out with one leading ``# ``; inside
    a commented-out block nothing is commented again, so removing that one ``# `` from each
    line of the block gives YAML whose empty optional values are valid (null, ``[]``, the
    default) and whose empty required values ``check`` reports by line.
    """

    def __init__(self, prefill: dict[tuple[str, ...], str]) -> None:
        self.prefill = prefill
        #: Unions of item models already written out in full, by type, with their field name.
        self.shown: dict[str, str] = {}

    def model(
        self,
        cls: type[BaseModel],
        indent: int,
        stack: tuple[type[BaseModel], ...],
        path: tuple[str, ...],
        *,
        force_type: bool = False,
        commented: bool = False,
        required_first: bool = False,
    ) -> list[str]:
        lines: list[str] = []
        fields = list(cls.model_fields.items())
        if required_first:
            fields.sort(key=lambda f: not (f[1].is_required() or (f[0] == "type" and force_type)))
        has_required = any(info.is_required() for _, info in fields)
        for n, (name, info) in enumerate(fields):
            core, nullable = _unwrap(info.annotation)
            needed = info.is_required() or (*path, name) in RULE_REQUIRED
            # A discriminator (type: table) and, in a model with no required field, the
            # first field are written out so the block is valid as soon as it is uncommented.
            keep = commented or needed or (name == "type" and force_type) or (
                not has_required and n == 0
            )
            body = self.value(name, info, core, indent, (*stack, cls), (*path, name),
                              commented=commented or not keep)
            body[0] = _with_doc(body[0], _doc(name, info, core, nullable, required=needed))
            lines.extend(body if keep else _comment_out(body, indent))
        return lines

    def value(
        self,
        name: str,
        info: FieldInfo,
        core: Any,
        indent: int,
        stack: tuple[type[BaseModel], ...],
        path: tuple[str, ...],
        *,
        commented: bool,
    ) -> list[str]:
        pad = " " * indent
        if path in self.prefill:
            return [f"{pad}{name}: {self.prefill[path]}"]
        if _is_model(core):
            if core in stack:
                return [f"{pad}{name}:  # 结构同上 / same structure as above"]
            return [f"{pad}{name}:", *self.model(core, indent + 2, stack, path, commented=commented)]
        item = _list_item(core)
        if item is not None:
            item_core = _unwrap(item)[0]
            models = [v for v in _variants(item_core) if _is_model(v)]
            if not models:
                return [f"{pad}{name}: []"]
            if any(m in stack for m in models):
                return [f"{pad}{name}: []  # 每项结构同上 / items as above"]
            alternatives = len(_variants(item_core)) > 1
            if alternatives:
                key = repr(item_core)
                if key in self.shown:
                    first = self.shown[key]
                    return [f"{pad}{name}: []  # 每项写法同 {first} / items as in {first}"]
                self.shown[key] = ".".join(path)
            head = f"{pad}{name}:"
            if str in _variants(item_core):
                head += "  # 文字项直接写出，如 - 申报单位 / text items as is"
            lines = [head]
            for m in models:
                lines.extend(self.item(m, indent + 2, stack, path, alternatives=alternatives,
                                       commented=commented))
            return lines
        if get_origin(core) is Literal and len(get_args(core)) == 1:
            return [f"{pad}{name}: {_yaml_scalar(get_args(core)[0])}"]
        if info.is_required():
            return [f"{pad}{name}:"]
        default = "" if info.default is None else " " + _yaml_scalar(info.default)
        return [f"{pad}{name}:{default}"]

    def item(
        self,
        cls: type[BaseModel],
        indent: int,
        stack: tuple[type[BaseModel], ...],
        path: tuple[str, ...],
        *,
        alternatives: bool,
        commented: bool,
    ) -> list[str]:
        """One list item of model ``cls``: required keys first, ``- `` on the first line."""
        pad = " " * indent
        lines = self.model(cls, indent + 2, stack, path, force_type=alternatives,
                           commented=commented, required_first=True)
        first = next(i for i, ln in enumerate(lines) if not ln.lstrip().startswith("#"))
        lines[first] = pad + "- " + lines[first][indent + 2:]
        if alternatives:
            type_field = cls.model_fields.get("type")
            if type_field is not None and isinstance(type_field.default, str):
                summary = f"type: {type_field.default}"
            else:
                summary = (cls.__doc__ or cls.__name__).strip().splitlines()[0]
            lines[first] += f"；可选的一种 / one of: {summary}"
        return lines


def scaffold_text(call_id: str, today: dt.date) -> str:
    """The commented template of ``data/calls/<call_id>.yaml``.

    Parameters:
        call_id: The new call's id (also its file name).
        today: Written as ``last_modified``.

    Returns:
        The YAML text.

    Raises:
        ScaffoldError: ``call_id`` is not a valid id.
    """
    if not re.match(SLUG_PATTERN, call_id) or len(call_id) > 80:
        raise ScaffoldError(
            f"编号 {call_id!r} 格式不符：只能用小写字母、数字和连字符，如 jining-2024-reform-brand"
            f" / invalid id {call_id!r}: use lowercase letters, digits and hyphens"
        )
    prefill = {
        ("id",): call_id,
        ("source", "text_file"): f"data/sources/{call_id}.txt",
        ("last_modified",): today.isoformat(),
    }
    head = [
        MODELINE,
        f"# 通知数据：{call_id}。填写说明见网站“发布说明”页。",
        "# 规则：（必填）项都要填写；原文未载明的事实写 null 或删去该项，不要自行推断。",
        "# 【原文摘录】的字段照抄通知原文（check 会逐字核对）；【自行填写】的字段用自己的话或按格式填写。",
        "# 以 # 开头的行是可选项；要填写它，删去该行（及其下属各行）开头的“# ”，保持缩进。",
        "# 数字、电话、编号写成文字时加英文引号，如 phones: [\"0537-1234567\"]。",
        "# 写完后运行：python -m generator check",
        f"# Data file of call {call_id}; fill in the required fields, uncomment optional ones,",
        "# then run `python -m generator check`.",
        "",
    ]
    body = _Writer(prefill).model(Call, 0, (), ())
    return "\n".join(head + body) + "\n"


def write_scaffold(root: Path, call_id: str, today: dt.date | None = None) -> Path:
    """Write the template to ``data/calls/<call_id>.yaml`` under ``root``.

    Parameters:
        root: Repository root.
        call_id: The new call's id.
        today: ``last_modified`` (default: today).

    Returns:
        The path written.

    Raises:
        ScaffoldError: The id is invalid or the file already exists (never overwritten).
    """
    text = scaffold_text(call_id, today or dt.date.today())
    path = root / "data" / "calls" / f"{call_id}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
    except FileExistsError:
        raise ScaffoldError(
            f"{path.relative_to(root).as_posix()} 已存在，未覆盖；请换一个编号或直接编辑该文件"
            f" / {path.relative_to(root).as_posix()} exists and was not overwritten"
        ) from None
    return path
