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

from .models import SLUG_PATTERN, Call

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


def _doc(name: str, info: FieldInfo, core: Any, nullable: bool) -> str:
    title = info.title or name
    bits = [title + ("（必填）" if info.is_required() else "")]
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


def _comment_out(lines: list[str], indent: int) -> list[str]:
    pad = " " * indent
    return [pad + "# " + ln[indent:] for ln in lines]


class _Writer:
    """Turns model classes into commented YAML lines."""

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
    ) -> list[str]:
        lines: list[str] = []
        fields = list(cls.model_fields.items())
        has_required = any(info.is_required() for _, info in fields)
        for n, (name, info) in enumerate(fields):
            core, nullable = _unwrap(info.annotation)
            pad = " " * indent
            doc = pad + "# " + _doc(name, info, core, nullable)
            body = self.value(name, info, core, indent, (*stack, cls), (*path, name))
            # A discriminator (type: table) and, in a model with no required field, the
            # first field are written out so the block is valid as soon as it is uncommented.
            keep = info.is_required() or (name == "type" and force_type) or (
                not has_required and n == 0
            )
            lines.append(doc)
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
    ) -> list[str]:
        pad = " " * indent
        if path in self.prefill:
            return [f"{pad}{name}: {self.prefill[path]}"]
        if _is_model(core):
            if core in stack:
                return [f"{pad}{name}: {{}}  # 结构同上 / same structure as above"]
            return [f"{pad}{name}:", *self.model(core, indent + 2, stack, path)]
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
            lines = [f"{pad}{name}:"]
            for m in models:
                lines.extend(self.item(m, indent + 2, stack, path, alternatives=alternatives))
            if str in _variants(item_core):
                lines.append(f"{pad}  # 文字项直接写出，如 - 申报单位 / text items as is")
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
    ) -> list[str]:
        """One list item of model ``cls`` (``- `` on its first written-out field)."""
        pad = " " * indent
        lines = self.model(cls, indent + 2, stack, path, force_type=alternatives)
        if alternatives:
            type_field = cls.model_fields.get("type")
            if type_field is not None and isinstance(type_field.default, str):
                summary = f"type: {type_field.default}"
            else:
                summary = (cls.__doc__ or cls.__name__).strip().splitlines()[0]
            lines.insert(0, f"{pad}# 可选的一种 / one of: {summary}")
        for i, ln in enumerate(lines):
            if not ln.lstrip().startswith("#"):
                lines[i] = pad + "- " + ln[indent + 2:]
                # the comments above the dash line up with it
                lines[:i] = [c[2:] if c.startswith(pad + "  #") else c for c in lines[:i]]
                break
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
        "# 以 # 开头的行是注释；要填写某个可选项，删去该行开头的“# ”（保持缩进）。",
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
