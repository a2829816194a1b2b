"""What a rule is, what it finds, and what it looks at."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

from ..fidelity import normalise
from ..models import Call, iter_quotes

Loc = tuple[str | int, ...]

#: When a rule runs: ``file`` while a data file or source text is read (the loader raises
#: :class:`FileProblem`), ``model`` for pydantic validation, ``call`` once per valid call,
#: ``repo`` over every valid call at once.
Stage = Literal["file", "model", "call", "repo"]


@dataclass(frozen=True)
class Finding:
    """One problem a rule found: where (a data-path ``loc``) and what, in Chinese and English."""

    rule: str
    loc: Loc
    zh: str
    en: str


@dataclass
class FileProblem(Exception):
    """A file cannot be read as it must be (raised while reading; one per file).

    ``line``/``column`` are positions in the file itself (0 when unknown); ``loc`` is a
    data path when the problem belongs to a field rather than to the file.
    """

    rule: str
    line: int
    column: int
    zh: str
    en: str
    loc: Loc = ()


@dataclass(frozen=True)
class Subject:
    """What a ``call`` rule looks at: the valid call and its notice's source text.

    ``source`` is ``None`` when the source text could not be read (a ``file`` rule has
    said why); rules that need it then skip the call.
    """

    call: Call
    source: str | None
    file_stem: str

    @cached_property
    def notice(self) -> str:
        """The source text normalised for comparison (:func:`generator.fidelity.normalise`)."""
        return normalise(self.source or "")

    @cached_property
    def quotes(self) -> list[tuple[str, str]]:
        """``(field_path, text)`` of every quoted field (walked once, for every rule)."""
        return list(iter_quotes(self.call))


CallCheck = Callable[[Subject], Iterable[Finding]]
RepoCheck = Callable[[list[Subject]], Iterable[tuple[int, Finding]]]


@dataclass(frozen=True)
class Rule:
    """One rule about the data, as listed on the 发布说明 page.

    Attributes:
        code: Stable short name, e.g. ``quote-in-source``.
        stage: When it runs (see :data:`Stage`).
        zh: What the rule requires, in Chinese (one line).
        en: The same in English.
        fix: What a clerk does when it fails, in Chinese.
        check: The check of a ``call`` or ``repo`` rule; ``None`` for ``file`` and
            ``model`` rules, which the loader applies while reading.
    """

    code: str
    stage: Stage
    zh: str
    en: str
    fix: str
    check: CallCheck | RepoCheck | None = field(default=None, compare=False, repr=False)

    def at(self, loc: Loc, zh: str, en: str) -> Finding:
        """A finding of this rule at ``loc``."""
        return Finding(self.code, loc, zh, en)

    def problem(self, line: int, column: int, zh: str, en: str, loc: Loc = ()) -> FileProblem:
        """A :class:`FileProblem` of this rule (to raise)."""
        return FileProblem(self.code, line, column, zh, en, loc)
