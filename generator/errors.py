"""Data errors a publisher can act on: file, line, column, field path, Chinese and English."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, order=True)
class DataError:
    """One problem in one data file.

    Attributes:
        file: Path of the data file (as given to the loader).
        line: 1-based line, or 0 when unknown.
        column: 1-based column, or 0 when unknown.
        path: Field path such as ``categories[2].count.min`` (empty for the whole file).
        zh: The problem in Chinese, with what to do.
        en: The problem in English.
        field_zh: Chinese name of the field, when known.
        rule: Code of the rule that found it (:mod:`generator.rules`).
    """

    file: str
    line: int
    column: int
    path: str
    zh: str
    en: str
    field_zh: str = ""
    rule: str = field(default="", compare=False)

    def format(self) -> str:
        """Render as ``file:line:col: path（中文名）: 中文 / English``."""
        where = self.file
        if self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        what = self.path or "（整个文件 whole file）"
        if self.field_zh:
            what += f"（{self.field_zh}）"
        return f"{where}: {what}: {self.zh} / {self.en}"

    def __str__(self) -> str:
        return self.format()


@dataclass
class DataErrors(Exception):
    """Every problem found in one run; raised when any data file is bad."""

    errors: list[DataError] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.report())

    def report(self) -> str:
        lines = [e.format() for e in sorted(self.errors)]
        n = len(self.errors)
        lines.append(f"发现 {n} 处数据错误，未生成网站。各条提示的含义和改法见网站“发布说明”页。"
                     f" / {n} data error(s); the site was not built.")
        return "\n".join(lines)


class BuildError(Exception):
    """A build step failed for a reason other than bad data (missing font, tool error…).

    The message is shown to the publisher as is; write it in Chinese and English.
    """


def rel(path: Path, root: Path | None = None) -> str:
    """Path as shown in messages: relative to ``root`` (or the cwd) when possible."""
    base = root or Path.cwd()
    try:
        # the folder resolved, not the file: a link is shown where it is, not where it points
        return str((path.parent.resolve() / path.name).relative_to(base.resolve()))
    except ValueError:
        return str(path)
