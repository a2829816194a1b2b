"""The draft data file: the extracted values as YAML, with ``# 待核对`` comments from the findings."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import yaml
from pydantic import ValidationError

from ..fidelity import unquoted
from ..models import Call, reference_problems
from .findings import Findings

MODELINE = "# yaml-language-server: $schema=../../schema/call.schema.json"
#: Top-level keys in the order of the model (and of the hand-written files).
ORDER = tuple(Call.model_fields)
#: Where a finding's comment goes: its top-level key.
_TOP = re.compile(r"^([a-z_]+)")


class _Dumper(yaml.SafeDumper):
    """Block style, Chinese as is, multi-line strings as literal blocks."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _date(dumper: yaml.SafeDumper, value: dt.date) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:timestamp", value.isoformat())


_Dumper.add_representer(str, _str)
_Dumper.add_representer(dt.date, _date)


def _parent(data: Any, path: str) -> tuple[Any, str]:
    tokens = [t for t in re.split(r"\.|\[(\d+)\]", path) if t]
    parent: Any = data
    for tok in tokens[:-1]:
        parent = parent[int(tok)] if tok.isdigit() else parent[tok]
    return parent, tokens[-1]


def set_at(data: Any, path: str, value: Any) -> None:
    """Set the value at a model path (``forms[0].blocks[2].rows[1].cells[0].text``) in ``data``."""
    parent, last = _parent(data, path)
    parent[int(last) if last.isdigit() else last] = value


def _drop(data: Any, path: str) -> None:
    """Remove the value at a model path (``categories[2].children[0].name``) from ``data``."""
    tokens = [t for t in re.split(r"\.|\[(\d+)\]", path) if t]
    parent: Any = data
    for tok in tokens[:-1]:
        parent = parent[int(tok)] if tok.isdigit() else parent[tok]
    last = tokens[-1]
    if last.isdigit():
        del parent[int(last)]
    else:
        parent[last] = None


def _loc_path(loc: tuple[Any, ...]) -> str:
    """A pydantic error location as a model path; the tagged-union step (``str``, ``text``) dropped."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in ("text", "blank", "choice", "br") and out.endswith("]") and ".parts[" in out:
            continue
        else:
            out += ("." if out else "") + str(part)
    return out


def validated(data: dict[str, Any], source: str, findings: Findings) -> Call:
    """Validate the draft; remove any quote the source does not contain (never expected).

    Parameters:
        data: The draft as plain data (changed in place when a value is removed).
        source: The source text written next to it.
        findings: Where a removed value is reported.

    Returns:
        The validated call.

    Raises:
        ValueError: The draft does not validate (a bug in the importer: the message says where).
    """
    for _ in range(20):
        try:
            call = Call.model_validate(data)
            break
        except ValidationError as exc:
            # a value the model refuses (a paragraph over the length limit, say): left out, reported
            locs = sorted({_loc_path(e["loc"]) for e in exc.errors()}, reverse=True)
            for path in locs:
                try:
                    _drop(data, path)
                except (KeyError, IndexError, TypeError):
                    raise ValueError(f"draft does not validate at {path}: {exc}") from exc
                findings.ambiguous(path, "数据检查", None, None,
                                   "取出的文字不符合数据格式（如过长），已删去，请按原文填写")
    else:
        raise ValueError("draft does not validate")
    for path, text in sorted(unquoted(call, source), reverse=True):
        _drop(data, path)
        findings.ambiguous(path, "原文核对", None, None, f"“{text[:30]}”与原文不符，已删去")
    if unquoted(call, source):
        call = Call.model_validate(data)
    problems = reference_problems(call)
    if problems:
        raise ValueError("; ".join(en for _, _, en in problems))
    return call


def _comment(finding: Any) -> str:
    where = f"第 {finding.line} 行" if finding.line else ""
    if finding.status == "found":
        return f"# 来源 {finding.label}：{where}" + (f"（{finding.note}）" if finding.note else "")
    if finding.status == "ambiguous":
        return f"# 待核对 {finding.label}：{where}{'，' if where else ''}{finding.note}"
    return f"# 待核对 {finding.label}：原文中未找到{('，' + finding.note) if finding.note else ''}"


def render_yaml(data: dict[str, Any], findings: Findings, call_id: str, inputs: list[str]) -> str:
    """The draft's text: a header, then each top-level key under its findings' comments.

    Parameters:
        data: The validated draft data.
        findings: The findings (their comments go above the key they concern).
        call_id: The call's id.
        inputs: Names of the imported files.

    Returns:
        YAML text ending in a newline.
    """
    by_key: dict[str, list[Any]] = {}
    for item in findings.items:
        m = _TOP.match(item.field)
        by_key.setdefault(m.group(1) if m else "", []).append(item)
    out = [
        MODELINE,
        f"# 草稿：由 python -m generator import 从 {'、'.join(inputs)} 生成。",
        "# 每个值都逐字取自 data/sources/" + call_id + ".txt；“来源”注释给出行号。",
        "# 标有“待核对”的项目未找到或不确定：对照原文改正或补充后，删去该注释，再运行 python -m generator check。",
        "",
    ]
    for key in ORDER:
        if key not in data:
            continue
        notes = by_key.get(key, [])
        seen: set[str] = set()
        for n in notes:
            line = _comment(n)
            if n.status == "found" and len(notes) > 6:
                continue  # long lists: comment only what needs a look
            if line not in seen:
                out.append(line)
                seen.add(line)
        if len(notes) > 6 and any(n.status == "found" for n in notes):
            lines = sorted({n.line for n in notes if n.status == "found" and n.line})
            shown = "、".join(str(x) for x in lines[:12]) + ("…" if len(lines) > 12 else "")
            out.append(f"# 来源：第 {shown} 行")
        out.append(yaml.dump({key: data[key]}, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                             width=4096, default_flow_style=False).rstrip("\n"))
    return "\n".join(out) + "\n"
