"""Read call data files safely, keep YAML positions, validate, and report every error.

The public entry point is :func:`load`. YAML is composed (never constructed with
arbitrary tags), walked by hand so that every value keeps its line and column,
and then validated with the pydantic models. Problems are collected across all
files and raised together as :class:`~generator.errors.DataErrors`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from . import files, limits
from .errors import DataError, DataErrors, rel, zh_for
from .models import Call, field_title, reference_problems
from .urls import path_clashes

Loc = tuple[str | int, ...]

MAX_FILE_BYTES = 2 * 1024 * 1024
# libyaml's parser (C) when PyYAML was built with it: ten times faster, same safety.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_DEPTH = 40
_STANDARD_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}


@dataclass
class _Problem(Exception):
    """A problem found while reading one file (before validation)."""

    line: int
    column: int
    path: str
    zh: str
    en: str
    loc: Loc = ()


@dataclass
class Document:
    """One parsed data file: plain data plus the position of every key and item.

    ``problems`` holds values that could not be read (an impossible date…); they are
    reported together with the validation errors of the rest of the file.
    """

    path: Path
    data: Any
    positions: dict[Loc, tuple[int, int]]
    problems: list[_Problem]


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _path_str(loc: Iterable[str | int]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


class _Walker:
    """Turn a composed YAML node tree into plain data, recording positions."""

    def __init__(self) -> None:
        self.positions: dict[Loc, tuple[int, int]] = {}
        self.problems: list[_Problem] = []
        self._scalar = yaml.SafeLoader("")

    def walk(self, node: yaml.Node, loc: Loc, depth: int = 0) -> Any:
        line, col = _mark(node)
        if depth > MAX_DEPTH:
            raise _Problem(
                line, col, _path_str(loc),
                f"嵌套层次过深（超过 {MAX_DEPTH} 层），请检查缩进",
                f"nesting deeper than {MAX_DEPTH} levels; check the indentation",
                loc,
            )
        if node.tag not in _STANDARD_TAGS:
            raise _Problem(
                line, col, _path_str(loc),
                f"不允许的 YAML 标签 {node.tag}，请删除该标签",
                f"YAML tag {node.tag} is not allowed; remove it",
                loc,
            )
        self.positions.setdefault(loc, (line, col))
        if isinstance(node, yaml.MappingNode):
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise _Problem(
                        *_mark(key_node), _path_str(loc),
                        "键必须是文字", "mapping keys must be plain text",
                    )
                key = str(self._scalar.construct_object(key_node))
                if key in out:
                    raise _Problem(
                        *_mark(key_node), _path_str((*loc, key)),
                        f"键 {key} 重复出现，请删除或合并其中一个",
                        f"duplicate key '{key}' in one mapping; remove or merge one",
                        (*loc, key),
                    )
                self.positions[(*loc, key)] = _mark(key_node)
                out[key] = self.walk(value_node, (*loc, key), depth + 1)
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.walk(item, (*loc, i), depth + 1) for i, item in enumerate(node.value)]
        try:
            return self._scalar.construct_object(node)
        except (ValueError, yaml.constructor.ConstructorError) as exc:
            self.problems.append(_Problem(
                line, col, _path_str(loc),
                f"无法识别的值 {node.value!r}（如日期不存在），请改正",
                f"invalid value {node.value!r}: {exc}",
                loc,
            ))
            return node.value


def _parse(path: Path, root: Path) -> Document:
    try:
        raw = files.read_bytes(path, root, MAX_FILE_BYTES)
    except files.UnsafeFile as exc:
        raise _Problem(0, 0, "", exc.zh, exc.en) from None
    if raw.startswith(b"\xef\xbb\xbf"):
        raise _Problem(1, 1, "", "文件以 UTF-8 BOM 开头，请另存为“UTF-8（无 BOM）”",
                       "file starts with a UTF-8 byte order mark; save it as UTF-8 without BOM")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise _Problem(line, col, "", "文件不是 UTF-8 编码，请另存为 UTF-8",
                       "file is not valid UTF-8; save it as UTF-8") from None
    if not text.strip() or all(
        ln.strip().startswith("#") or not ln.strip() for ln in text.splitlines()
    ):
        raise _Problem(1, 1, "", "文件为空，请填写通知内容或删除该文件",
                       "file is empty; fill it in or delete it")
    for n, ln in enumerate(text.splitlines(), 1):
        stripped = ln.lstrip(" ")
        if stripped.startswith("\t"):
            raise _Problem(n, len(ln) - len(stripped) + 1, "",
                           "缩进使用了制表符（Tab），YAML 只允许空格缩进",
                           "tab used for indentation; YAML allows spaces only")
    try:
        for event in yaml.parse(text, Loader=_YAML_LOADER):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                mark = event.start_mark
                line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
                raise _Problem(line, col, "", "不允许使用锚点和别名（& 与 *），请直接写出内容",
                               "YAML anchors and aliases (& and *) are not allowed; write the content out")
        node = yaml.compose(text, Loader=_YAML_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        raise _Problem(line, col, "", f"YAML 语法错误：{exc.problem}，请检查该行的缩进、冒号和引号",
                       f"YAML syntax error: {exc.problem}") from None
    except yaml.YAMLError as exc:
        raise _Problem(0, 0, "", "YAML 语法错误", f"YAML error: {exc}") from None
    except RecursionError:
        raise _Problem(0, 0, "", "嵌套层次过深，请检查缩进", "nesting too deep") from None
    if node is None:
        raise _Problem(1, 1, "", "文件为空", "file is empty")
    if not isinstance(node, yaml.MappingNode):
        raise _Problem(*_mark(node), "", "文件顶层应为键值结构（id: …、title: …）",
                       "the top level must be a mapping (id: …, title: …)")
    walker = _Walker()
    data = walker.walk(node, ())
    return Document(path, data, walker.positions, walker.problems)


def _locate(doc: Document, loc: Loc) -> tuple[Loc, tuple[int, int]]:
    """Follow a pydantic ``loc`` through the data; skip union tags; find the nearest position."""
    matched: list[str | int] = []
    cur: Any = doc.data
    for part in loc:
        in_dict = isinstance(cur, dict) and isinstance(part, str) and part in cur
        in_list = isinstance(cur, list) and isinstance(part, int) and 0 <= part < len(cur)
        if in_dict or in_list:
            cur = cur[part]
            matched.append(part)
        elif isinstance(cur, dict) and isinstance(part, str) and part not in cur and part == loc[-1]:
            # a missing (or forbidden-extra) leaf: name it, position at its parent
            matched.append(part)
            break
    full = tuple(matched)
    for n in range(len(full), -1, -1):
        pos = doc.positions.get(full[:n])
        if pos:
            return full, pos
    return full, (0, 0)


def _field_zh(loc: Loc) -> str:
    return field_title(loc) if loc else ""


def _validate(doc: Document, shown: str) -> tuple[Call | None, list[DataError]]:
    early = [
        DataError(shown, p.line, p.column, p.path, p.zh, p.en, _field_zh(p.loc))
        for p in doc.problems
    ]
    bad_locs = {p.loc for p in doc.problems}
    try:
        call = Call.model_validate(doc.data)
    except ValidationError as exc:
        errors = early
        for err in exc.errors(include_url=False):
            loc, (line, col) = _locate(doc, tuple(err["loc"]))
            if loc in bad_locs:
                continue
            detail = str((err.get("ctx") or {}).get("error", "")) if err["type"] == "value_error" else ""
            title = "" if err["type"] == "extra_forbidden" else _field_zh(tuple(err["loc"]))
            errors.append(
                DataError(shown, line, col, _path_str(loc),
                          zh_for(err["type"], detail), err["msg"], title)
            )
        return None, errors
    if early:
        return None, early
    errors = []
    for loc, zh, en in [*reference_problems(call), *path_clashes(call), *limits.problems(call)]:
        full, (line, col) = _locate(doc, loc)
        errors.append(DataError(shown, line, col, _path_str(full), zh, en, _field_zh(full)))
    return (call if not errors else None), errors


def load_file(path: Path, root: Path | None = None) -> Call:
    """Load and validate one data file.

    Parameters:
        path: The YAML file.
        root: Repository root, for relative paths in messages and source-file checks.

    Returns:
        The validated call.

    Raises:
        DataErrors: Every problem found in the file.
    """
    calls, errors = _load_files([path], root or Path.cwd())
    if errors:
        raise DataErrors(errors)
    return calls[0]


def _load_files(paths: list[Path], root: Path) -> tuple[list[Call], list[DataError]]:
    calls: list[Call] = []
    errors: list[DataError] = []
    seen: dict[str, str] = {}
    for path in paths:
        shown = rel(path, root)
        # A data file must not lead out of the repository; one named outside it (a test's
        # file, `load_file` on any path) must not lead out of its own folder.
        absolute = Path(os.path.abspath(path))
        within = root if absolute.is_relative_to(os.path.abspath(root)) else absolute.parent
        try:
            doc = _parse(path, within)
        except _Problem as p:
            errors.append(DataError(shown, p.line, p.column, p.path, p.zh, p.en, _field_zh(p.loc)))
            continue
        except OSError as exc:
            errors.append(DataError(shown, 0, 0, "", "无法读取文件", f"cannot read file: {exc}"))
            continue
        call, errs = _validate(doc, shown)
        errors.extend(errs)
        if call is None:
            continue
        line = doc.positions.get(("id",), (1, 1))
        if call.id != path.stem:
            errors.append(DataError(shown, *line, "id", f"编号 {call.id} 与文件名 {path.stem} 不一致，请改为一致",
                                    f"id '{call.id}' does not match the file name '{path.stem}'", "编号"))
        if call.id in seen:
            errors.append(DataError(shown, *line, "id", f"编号 {call.id} 与 {seen[call.id]} 重复",
                                    f"duplicate id '{call.id}' (also in {seen[call.id]})", "编号"))
            continue
        seen[call.id] = shown
        src = root / call.source.text_file
        sline = doc.positions.get(("source", "text_file"), (0, 0))
        if not os.path.lexists(src):
            errors.append(DataError(shown, *sline, "source.text_file",
                                    f"原文文件不存在：{call.source.text_file}",
                                    f"source text file not found: {call.source.text_file}", "原文文件"))
            continue
        try:
            files.read_text(src, root)
        except files.UnsafeFile as exc:
            errors.append(DataError(shown, *sline, "source.text_file",
                                    f"原文文件 {call.source.text_file}：{exc.zh}",
                                    f"source text file {call.source.text_file}: {exc.en}", "原文文件"))
            continue
        calls.append(call)
    return calls, errors


def load(data_dir: Path, root: Path | None = None) -> list[Call]:
    """Load every ``*.yaml`` call in ``data_dir``; report all problems at once.

    Parameters:
        data_dir: Folder with one YAML file per call.
        root: Repository root (default: the parent of ``data_dir``'s parent).

    Returns:
        The calls, sorted by id.

    Raises:
        DataErrors: Every problem in every file, when there is any.
    """
    root = root or data_dir.resolve().parent.parent
    paths = sorted(p for p in data_dir.iterdir() if p.suffix in (".yaml", ".yml"))
    calls, errors = _load_files(paths, root)
    if errors:
        raise DataErrors(errors)
    return sorted(calls, key=lambda c: c.id)
