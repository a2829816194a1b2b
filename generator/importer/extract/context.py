"""What every extractor reads: the lines, the logical paragraphs, where the notice body ends."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..findings import Findings, Locator
from ..normalise import Para, paragraphs

#: An attachment heading on a line of its own: 附件1, 附件 2, 附件三.
ATTACHMENT_HEADING = re.compile(r"^\s*附\s*件\s*([0-9０-９一二三四五六七八九十]{1,3})\s*[:：]?\s*$")


@dataclass
class Context:
    """The notice's text as the extractors see it.

    Attributes:
        lines: Source lines (as written to ``data/sources/<id>.txt``).
        paras: Logical paragraphs (hard wraps joined).
        body_end: Index in ``paras`` of the first paragraph after the notice body (the first
            attachment heading), ``len(paras)`` when there is none.
        findings: The report being built.
        locate: Finds source lines of quotes.
    """

    lines: list[str]
    paras: list[Para] = field(init=False)
    body_end: int = field(init=False)
    findings: Findings = field(default_factory=Findings)
    locate: Locator = field(init=False)

    def __post_init__(self) -> None:
        self.paras = paragraphs(self.lines)
        self.locate = Locator(self.lines)
        self.body_end = len(self.paras)
        for i, p in enumerate(self.paras):
            if ATTACHMENT_HEADING.match(p.text) and i > 0:
                self.body_end = i
                break

    @property
    def body(self) -> list[Para]:
        return self.paras[: self.body_end]
