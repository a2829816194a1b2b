"""The one registry of rules about the data: ``check``, ``build``, ``serve`` and the tests run it.

Every rule is a :class:`~generator.rules.base.Rule` with a stable code, a Chinese and
English statement and what a clerk does when it fails. ``file`` and ``model`` rules are
applied by the loader while it reads a file (:mod:`generator.load`); ``call`` rules run
on each valid call with its notice's source text, ``repo`` rules over all calls at once.
The loader turns every :class:`~generator.rules.base.Finding` into a
``file:line:col`` message (:class:`generator.errors.DataError`).

Modules, by kind: :mod:`.reading` (opening files), :mod:`.yaml_syntax`, :mod:`.fields`
(the model), :mod:`.references`, :mod:`.dates`, :mod:`.quantities`, :mod:`.notice`
(against the source text), :mod:`.completeness`, :mod:`.identity`.
"""

from __future__ import annotations

from typing import cast

from . import completeness, dates, fields, identity, notice, quantities, reading, references, yaml_syntax
from .base import CallCheck, FileProblem, Finding, RepoCheck, Rule, Subject

RULES: tuple[Rule, ...] = (
    *reading.RULES,
    *yaml_syntax.RULES,
    *fields.RULES,
    *references.RULES,
    *identity.RULES,
    *dates.RULES,
    *quantities.RULES,
    *notice.RULES,
    *completeness.RULES,
)

__all__ = ["RULES", "FileProblem", "Finding", "Rule", "Subject", "catalogue", "check_call", "check_calls",
           "check_repo", "rule"]


def rule(code: str) -> Rule:
    """The rule called ``code``.

    Raises:
        KeyError: No rule has that code.
    """
    for r in RULES:
        if r.code == code:
            return r
    raise KeyError(code)


def check_call(subject: Subject) -> list[Finding]:
    """Run every ``call`` rule on one call (what depends on that call alone).

    Parameters:
        subject: The valid call with its source text (``None`` when unreadable).

    Returns:
        Every problem, in rule order.
    """
    out: list[Finding] = []
    for r in RULES:
        if r.stage == "call" and r.check is not None:
            out.extend(cast(CallCheck, r.check)(subject))
    return out


def check_repo(subjects: list[Subject]) -> list[tuple[int, Finding]]:
    """Run every ``repo`` rule (across the calls: unique ids, one file per notice…).

    Returns:
        ``(index into subjects, finding)`` for every problem, in rule order.
    """
    out: list[tuple[int, Finding]] = []
    for r in RULES:
        if r.stage == "repo" and r.check is not None:
            out.extend(cast(RepoCheck, r.check)(subjects))
    return out


def check_calls(subjects: list[Subject]) -> list[tuple[int, Finding]]:
    """Run every ``call`` and ``repo`` rule.

    Parameters:
        subjects: Each valid call with its source text (``None`` when unreadable).

    Returns:
        ``(index into subjects, finding)`` for every problem, in rule order per call.
    """
    out = [(n, f) for n, subject in enumerate(subjects) for f in check_call(subject)]
    return out + check_repo(subjects)


def catalogue() -> str:
    """The rules as a Markdown table (for the 发布说明 page): code, what it requires, what to do."""
    stage_zh = {"file": "读取文件", "model": "字段取值", "call": "通知内容", "repo": "通知之间"}
    lines = ["| 规则 | 要求 | 不符合时怎么改 |", "| --- | --- | --- |"]
    for r in RULES:
        lines.append(f"| `{r.code}`<br>{stage_zh[r.stage]} | {r.zh} | {r.fix} |")
    lines += ["", f"`{fields.MODEL.code}` 的各种提示：", "", "| 提示 | 怎么改 |", "| --- | --- |"]
    for problem, todo in fields.kinds():
        lines.append(f"| {problem} | {todo} |")
    return "\n".join(lines) + "\n"
