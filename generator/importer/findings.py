"""What the extractors found, where, and what they could not decide (the review report's rows)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from ..fidelity import normalise
from .normalise import Para

Status = Literal["found", "not_found", "ambiguous"]


@dataclass
class Finding:
    """One field of the draft and how it was filled.

    Attributes:
        field: Path in the data file (``doc_no``, ``deadlines[0].date``).
        label: Chinese name shown in the report.
        status: ``found`` (with the source line), ``not_found`` or ``ambiguous``.
        value: What was written (None when not found).
        line: 1-based line in ``data/sources/<id>.txt`` the value was read from.
        note: Why it is ambiguous / what to check (Chinese).
    """

    field: str
    label: str
    status: Status
    value: Any = None
    line: int | None = None
    note: str = ""


@dataclass
class Findings:
    """All findings of one import, in report order."""

    items: list[Finding] = field(default_factory=list)

    def found(self, fld: str, label: str, value: Any, line: int | None, note: str = "") -> None:
        self.items.append(Finding(fld, label, "found", value, line, note))

    def missing(self, fld: str, label: str, note: str = "") -> None:
        self.items.append(Finding(fld, label, "not_found", None, None, note))

    def ambiguous(self, fld: str, label: str, value: Any, line: int | None, note: str) -> None:
        self.items.append(Finding(fld, label, "ambiguous", value, line, note))

    def under(self, prefix: str) -> list[Finding]:
        """Findings of a top-level key (``deadlines`` → ``deadlines``, ``deadlines[0].date``…)."""
        return [f for f in self.items if f.field == prefix or f.field.startswith((prefix + ".", prefix + "["))]


class Locator:
    """Finds the source line of a quoted value (whitespace and width folded, as fidelity does)."""

    def __init__(self, lines: list[str]) -> None:
        self._norm = [normalise(ln) for ln in lines]
        self._joined = "".join(self._norm)
        self._starts: list[int] = []
        at = 0
        for n in self._norm:
            self._starts.append(at)
            at += len(n)

    def contains(self, quote: str) -> bool:
        return normalise(quote) in self._joined

    def line_of(self, quote: str, near: int = 1) -> int | None:
        """1-based line where ``quote`` starts, searching from line ``near`` first."""
        q = normalise(quote)
        if not q:
            return None
        start = self._starts[near - 1] if 0 < near <= len(self._starts) else 0
        pos = self._joined.find(q, start)
        if pos < 0:
            pos = self._joined.find(q)
        if pos < 0:
            return None
        import bisect

        return bisect.bisect_right(self._starts, pos)


def para_at(paras: list[Para], line: int) -> Para | None:
    """The paragraph holding 1-based ``line``."""
    for p in paras:
        if p.line <= line <= p.last:
            return p
    return None
