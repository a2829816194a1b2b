"""Read call data files safely, keep YAML positions, validate, and report every error.

The public entry point is :func:`load`. YAML is composed (never constructed with
arbitrary tags), walked by hand so that every value keeps its line and column,
and then validated with the pydantic models. Problems are collected across all
files and raised together as :class:`~generator.errors.DataErrors`.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from . import rules
from .errors import DataError, DataErrors, rel
from .models import Call, field_title
from .rules import fields, reading
from .rules import yaml_syntax as ys
from .rules.base import FileProblem, Finding, Subject

Loc = tuple[str | int, ...]

MAX_FILE_BYTES = reading.MAX_FILE_BYTES
MAX_DEPTH = ys.MAX_DEPTH
# libyaml's parser (C) when PyYAML was built with it: ten times faster, same safety.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
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
class Document:
    """One parsed data file: plain data plus the position of every key and item.

    ``problems`` holds values that could not be read (an impossible date…); they are
    reported together with the validation errors of the rest of the file.
    """

    path: Path
    data: Any
    positions: dict[Loc, tuple[int, int]]
    problems: list[FileProblem]
    #: The text as written of every plain scalar YAML read as a number, yes/no or date.
    raw: dict[Loc, str] = field(default_factory=dict)


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
        self.problems: list[FileProblem] = []
        self.raw: dict[Loc, str] = {}
        self._scalar = yaml.SafeLoader("")

    def walk(self, node: yaml.Node, loc: Loc, depth: int = 0) -> Any:
        line, col = _mark(node)
        if depth > MAX_DEPTH:
            raise ys.DEPTH.problem(
                line, col,
                f"嵌套层次过深（超过 {MAX_DEPTH} 层），请检查缩进",
                f"nesting deeper than {MAX_DEPTH} levels; check the indentation",
                loc,
            )
        if node.tag not in _STANDARD_TAGS:
            raise ys.TAG.problem(
                line, col,
                f"不允许的 YAML 标签 {node.tag}，请删除该标签（以 ! 开头的文字请加引号）",
                f"YAML tag {node.tag} is not allowed; remove it",
                loc,
            )
        self.positions.setdefault(loc, (line, col))
        if isinstance(node, yaml.MappingNode):
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise ys.KEY.problem(
                        *_mark(key_node), "字段名必须是文字", "mapping keys must be plain text", loc,
                    )
                key = str(self._scalar.construct_object(key_node))
                if key in out:
                    raise ys.DUPLICATE_KEY.problem(
                        *_mark(key_node),
                        f"字段 {key} 在同一层重复出现：若这是列表的下一项，请在这一项的第一行前加“- ”"
                        f"（与上一项的 - 对齐）；否则删除或合并其中一个",
                        f"duplicate key '{key}' in one mapping; remove or merge one",
                        (*loc, key),
                    )
                self.positions[(*loc, key)] = _mark(key_node)
                out[key] = self.walk(value_node, (*loc, key), depth + 1)
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.walk(item, (*loc, i), depth + 1) for i, item in enumerate(node.value)]
        try:
            value = self._scalar.construct_object(node)
            if not isinstance(value, str):
                self.raw[loc] = node.value
            return value
        except (ValueError, yaml.constructor.ConstructorError) as exc:
            self.problems.append(ys.SCALAR.problem(
                line, col,
                f"无法识别的值 {node.value!r}（如日期不存在），请改正",
                f"invalid value {node.value!r}: {exc}",
                loc,
            ))
            return node.value


def _parse(path: Path, within: Path) -> Document:
    text = reading.read_text(path, within)
    if not text.strip() or all(
        ln.strip().startswith("#") or not ln.strip() for ln in text.splitlines()
    ):
        raise ys.EMPTY.problem(1, 1, "文件为空，请填写通知内容或删除该文件",
                               "file is empty; fill it in or delete it")
    for n, ln in enumerate(text.splitlines(), 1):
        stripped = ln.lstrip(" ")
        if stripped.startswith("\t"):
            raise ys.TAB.problem(n, len(ln) - len(stripped) + 1,
                                 "缩进使用了制表符（Tab），YAML 只允许空格缩进：请把行首的 Tab 换成空格",
                                 "tab used for indentation; YAML allows spaces only")
    try:
        for event in yaml.parse(text, Loader=_YAML_LOADER):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                mark = event.start_mark
                line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
                raise ys.ANCHOR.problem(
                    line, col, "不允许使用锚点和别名（& 与 *），请直接写出内容（以 * 或 & 开头的文字请加引号）",
                    "YAML anchors and aliases (& and *) are not allowed; write the content out")
        node = yaml.compose(text, Loader=_YAML_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        raise ys.SYNTAX.problem(line, col, f"YAML 格式错误：{ys.syntax_message(exc.problem)}",
                                f"YAML syntax error: {exc.problem}") from None
    except yaml.YAMLError as exc:
        raise ys.SYNTAX.problem(0, 0, "YAML 格式错误", f"YAML error: {exc}") from None
    except RecursionError:
        raise ys.DEPTH.problem(0, 0, "嵌套层次过深，请检查缩进", "nesting too deep") from None
    if node is None:
        raise ys.EMPTY.problem(1, 1, "文件为空", "file is empty")
    if not isinstance(node, yaml.MappingNode):
        raise ys.TOP.problem(*_mark(node), "文件顶层应为“字段: 值”结构（id: …、title: …），不要以 - 开头",
                             "the top level must be a mapping (id: …, title: …)")
    walker = _Walker()
    data = walker.walk(node, ())
    return Document(path, data, walker.positions, walker.problems, walker.raw)


def _locate(doc: Document, loc: Loc) -> tuple[Loc, tuple[int, int]]:
    """Follow a pydantic ``loc`` through the data; skip union tags; find the nearest position."""
    matched: list[str | int] = []
    cur: Any = doc.data
    for i, part in enumerate(loc):
        in_dict = isinstance(cur, dict) and isinstance(part, str) and part in cur
        in_list = isinstance(cur, list) and isinstance(part, int) and 0 <= part < len(cur)
        if in_dict and i < len(loc) - 1 and not isinstance(cur[part], dict | list):
            continue  # a union tag named like a key ({choice: venue, options: […]}): skip it
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


def _error(doc: Document, shown: str, rule: str, loc: Loc, zh: str, en: str) -> DataError:
    full, (line, col) = _locate(doc, loc)
    return DataError(shown, line, col, _path_str(full), zh, en, _field_zh(full), rule)


def _from_problem(shown: str, p: FileProblem) -> DataError:
    return DataError(shown, p.line, p.column, _path_str(p.loc), p.zh, p.en, _field_zh(p.loc), p.rule)


def _without(data: Any, locs: list[Loc]) -> Any:
    """A copy of ``data`` without the values at ``locs`` (deepest and last first)."""
    out = copy.deepcopy(data)
    for loc in sorted(locs, key=lambda lc: (len(lc), lc[-1] if isinstance(lc[-1], int) else -1),
                      reverse=True):
        parent = out
        try:
            for part in loc[:-1]:
                parent = parent[part]
            del parent[loc[-1]]
        except (KeyError, IndexError, TypeError):
            continue
    return out


@dataclass
class _Checked:
    """What the model rule made of one file.

    ``call`` is the valid call, or, when only some values are wrong, the call without
    them (``salvaged``): the other rules still run on it, except under ``dropped``.
    """

    call: Call | None
    errors: list[DataError]
    salvaged: bool = False
    dropped: tuple[Loc, ...] = ()


def _validate(doc: Document, shown: str) -> _Checked:
    """The model rule (``field-value``), after the values the YAML walk could not read."""
    errors = [_from_problem(shown, p) for p in doc.problems]
    bad_locs = {p.loc for p in doc.problems}
    try:
        call = Call.model_validate(doc.data)
    except ValidationError as exc:
        wrong: list[Loc] = []
        for err in exc.errors(include_url=False):
            wrong.append(tuple(err["loc"]))
            loc, (line, col) = _locate(doc, tuple(err["loc"]))
            if loc in bad_locs:
                continue
            title = "" if err["type"] == "extra_forbidden" else _field_zh(tuple(err["loc"]))
            errors.append(DataError(shown, line, col, _path_str(loc), fields.message(err, doc.raw.get(loc)),
                                    err["msg"], title, fields.MODEL.code))
        # Without the wrong values, is the rest a call? Then the other rules can run on it
        # now, instead of after the clerk's next run.
        try:
            rest = Call.model_validate(_without(doc.data, wrong))
        except ValidationError:
            return _Checked(None, errors)
        return _Checked(rest, errors, salvaged=True, dropped=tuple(lc[:-1] if len(lc) > 1 else lc for lc in wrong))
    if errors:
        wrong = sorted(bad_locs, key=str)
        try:
            rest = Call.model_validate(_without(doc.data, wrong))
        except ValidationError:
            return _Checked(None, errors)
        return _Checked(rest, errors, salvaged=True, dropped=tuple(lc[:-1] if len(lc) > 1 else lc for lc in wrong))
    return _Checked(call, errors)


def _source(doc: Document, call: Call, shown: str, root: Path) -> tuple[str | None, list[DataError]]:
    """The call's source text, read by the one reading function; its problems located."""
    path = root / call.source.text_file
    try:
        return reading.read_text(path, root, what="原文文件"), []
    except FileProblem as p:
        if p.line:  # a position inside the source text itself
            return None, [DataError(rel(path, root), p.line, p.column, "", p.zh, p.en, "", p.rule)]
        return None, [_error(doc, shown, p.rule, ("source", "text_file"), p.zh, p.en)]


def load_file(path: Path, root: Path | None = None) -> Call:
    """Load and validate one data file, with every rule.

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


@dataclass
class _Read:
    """One file read and checked on its own: its file, model and source-file errors and,
    when it holds a call, that call with its source text and the ``call`` rules' findings
    (what depends on this file alone; the ``repo`` rules run over all files together)."""

    errors: list[DataError]
    doc: Document | None = None
    shown: str = ""
    checked: _Checked | None = None
    subject: Subject | None = None
    findings: list[Finding] = field(default_factory=list)


def _read(path: Path, root: Path) -> _Read:
    shown = rel(path, root)
    # A data file must not lead out of the repository; one named outside it (a test's
    # file, `load_file` on any path) must not lead out of its own folder.
    absolute = Path(os.path.abspath(path))
    within = root if absolute.is_relative_to(os.path.abspath(root)) else absolute.parent
    try:
        doc = _parse(path, within)
    except FileProblem as p:
        return _Read([_from_problem(shown, p)])
    checked = _validate(doc, shown)
    errors = list(checked.errors)
    if checked.call is None:
        return _Read(errors)
    text, errs = _source(doc, checked.call, shown, root)
    errors.extend(errs)
    subject = Subject(checked.call, text, path.stem)
    return _Read(errors, doc, shown, checked, subject, rules.check_call(subject))


def _combine(reads: list[_Read]) -> tuple[list[Call], list[DataError]]:
    """The valid calls and every error of ``reads``, after the ``repo`` rules ran over them."""
    errors = [e for r in reads for e in r.errors]
    valid = [r for r in reads if r.subject is not None]
    subjects = [r.subject for r in valid if r.subject is not None]
    bad = {n for n, r in enumerate(valid) if subjects[n].source is None or (r.checked and r.checked.salvaged)}
    found = [(n, f) for n, r in enumerate(valid) for f in r.findings] + rules.check_repo(subjects)
    for n, f in found:
        r = valid[n]
        assert r.doc is not None and r.checked is not None
        if any(f.loc[: len(d)] == d for d in r.checked.dropped):
            continue  # about a value the model rule already reported
        errors.append(_error(r.doc, r.shown, f.rule, f.loc, f.zh, f.en))
        bad.add(n)
    return [s.call for n, s in enumerate(subjects) if n not in bad], errors


def _load_files(paths: list[Path], root: Path) -> tuple[list[Call], list[DataError]]:
    return _combine([_read(path, root) for path in paths])


def _data_files(data_dir: Path) -> list[Path]:
    return sorted(p for p in data_dir.iterdir() if p.suffix in (".yaml", ".yml"))


class Loader:
    """:func:`load`, again and again (the live preview): a data file whose size and
    modification time are as at the last load is not read and checked on its own again;
    the ``repo`` rules (unique ids…) still run over every call each time.

    Only the data files are looked at: when another file a call rule reads changes (a
    notice's source text), call :meth:`forget` first.
    """

    def __init__(self, data_dir: Path, root: Path | None = None) -> None:
        self.data_dir = data_dir
        self.root = root or data_dir.resolve().parent.parent
        self._reads: dict[Path, tuple[tuple[int, int, int], _Read]] = {}

    def forget(self) -> None:
        """Read and check every file again at the next :meth:`load`."""
        self._reads.clear()

    def load(self) -> list[Call]:
        """Like :func:`load`.

        Returns:
            The calls, sorted by id (the same objects as at the last load for unchanged files).

        Raises:
            DataErrors: Every problem in every file, when there is any.
        """
        fresh: dict[Path, tuple[tuple[int, int, int], _Read]] = {}
        for path in _data_files(self.data_dir):
            try:
                st = os.stat(path)
                key = (st.st_mtime_ns, st.st_size, st.st_ino)
            except OSError:
                key = (-1, -1, -1)  # never equal: read again (and reported by the reading rules)
            old = self._reads.get(path)
            fresh[path] = old if old is not None and old[0] == key else (key, _read(path, self.root))
        self._reads = fresh
        calls, errors = _combine([read for _, read in fresh.values()])
        if errors:
            raise DataErrors(errors)
        return sorted(calls, key=lambda c: c.id)


def load(data_dir: Path, root: Path | None = None) -> list[Call]:
    """Load every ``*.yaml`` call in ``data_dir`` and run every rule; report all problems at once.

    Parameters:
        data_dir: Folder with one YAML file per call.
        root: Repository root (default: the parent of ``data_dir``'s parent).

    Returns:
        The calls, sorted by id.

    Raises:
        DataErrors: Every problem in every file, when there is any.
    """
    root = root or data_dir.resolve().parent.parent
    calls, errors = _load_files(_data_files(data_dir), root)
    if errors:
        raise DataErrors(errors)
    return sorted(calls, key=lambda c: c.id)
