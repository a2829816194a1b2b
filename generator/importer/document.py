"""What a reader returns: the notice's text lines and, from Word files, its tables."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class RawCell:
    """One cell of a Word table, at its top-left grid position.

    Attributes:
        lines: The cell's paragraphs, as written.
        colspan: Grid columns the cell covers.
        rowspan: Rows the cell covers (vertical merge).
    """

    lines: tuple[str, ...]
    colspan: int = 1
    rowspan: int = 1
    #: The cell's only text is the placeholder of a plain-text content control (an answer
    #: area such as Word forms and this project's DOCX forms have).
    placeholder: bool = False

    @property
    def text(self) -> str:
        return "\n".join(self.lines).strip()


@dataclass(frozen=True)
class RawTable:
    """A Word table: rows of cells (covered cells left out) and the grid's column widths."""

    rows: tuple[tuple[RawCell, ...], ...]
    widths: tuple[float, ...]
    #: Index in :attr:`Document.lines` of the first line of the table's text.
    line: int = 0

    def text_lines(self) -> list[str]:
        """The table as Word pastes it into plain text: each cell a tab-prefixed line, rows apart.

        Empty lines inside a cell are left out, so an empty line always ends a row.
        """
        out: list[str] = []
        for row in self.rows:
            for cell in row:
                first, *rest = cell.lines or ("",)
                out.append("\t" + first)
                out.extend(ln for ln in rest if ln.strip(" \u3000\t"))
            out.append("")
        return out


@dataclass
class Document:
    """A notice as read from one file.

    Attributes:
        name: The file's name.
        lines: The text, one entry per line (tables written as tab-prefixed cell lines,
            rows separated by an empty line, as Word pastes them).
        tables: The Word tables, in order, when the input kept them.
    """

    name: str
    lines: list[str]
    tables: list[RawTable] = field(default_factory=list)
