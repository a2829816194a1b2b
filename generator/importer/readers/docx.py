"""Word ``.docx`` notices: paragraphs and tables in document order (python-docx)."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from docx import Document as open_docx
from docx.oxml.ns import qn

from ..document import Document, RawCell, RawTable
from ..normalise import normalise_text
from .errors import ReadError

_T, _TAB, _BR, _CR, _P, _TBL = (qn(t) for t in ("w:t", "w:tab", "w:br", "w:cr", "w:p", "w:tbl"))


def _paragraph_text(p: Any) -> str:
    """Text of a ``w:p``: text runs, content controls and breaks; field codes left out."""
    out: list[str] = []
    for el in p.iter(_T, _TAB, _BR, _CR):
        if el.tag == _T:
            out.append(el.text or "")
        elif el.tag == _TAB:
            out.append(" ")
        else:
            out.append("\n")
    return "".join(out)


def _cell_lines(tc: Any) -> tuple[str, ...]:
    lines: list[str] = []
    for el in tc.iterchildren():
        if el.tag == _P:
            lines.extend(_paragraph_text(el).split("\n"))
        elif el.tag == _TBL:  # a table nested in a cell: its text, cell by cell
            lines.extend(ln for ln in _table_lines(_table(el, 0)) if ln)
    while lines and not lines[-1].strip():
        lines.pop()
    return tuple(ln.rstrip() for ln in lines)


def _int(el: Any, tag: str, default: int) -> int:
    child = el.find(tag) if el is not None else None
    if child is None:
        return default
    try:
        return int(child.get(qn("w:val")))
    except (TypeError, ValueError):
        return default


def _table(tbl: Any, line: int) -> RawTable:
    """Cells on their grid: horizontal spans from ``gridSpan``, vertical from ``vMerge``."""
    widths = tuple(float(c.get(qn("w:w")) or 1) for c in tbl.iterfind(f"{qn('w:tblGrid')}/{qn('w:gridCol')}"))
    rows: list[list[dict[str, Any]]] = []
    origin: dict[int, dict[str, Any]] = {}  # grid column -> the cell a vertical merge continues
    for tr in tbl.iterfind(qn("w:tr")):
        row: list[dict[str, Any]] = []
        col = _int(tr.find(qn("w:trPr")), qn("w:gridBefore"), 0)
        for tc in tr.iterfind(qn("w:tc")):
            pr = tc.find(qn("w:tcPr"))
            span = _int(pr, qn("w:gridSpan"), 1)
            vmerge = pr.find(qn("w:vMerge")) if pr is not None else None
            if vmerge is not None and vmerge.get(qn("w:val")) != "restart" and col in origin:
                origin[col]["rowspan"] += 1
            else:
                cell = {"lines": _cell_lines(tc), "colspan": span, "rowspan": 1}
                row.append(cell)
                for c in range(col, col + span):
                    origin.pop(c, None)
                if vmerge is not None:
                    origin[col] = cell
            col += span
        rows.append(row)
    ncols = max(len(widths), max((sum(c["colspan"] for c in r) for r in rows), default=0))
    if len(widths) < ncols:
        widths = widths + (1.0,) * (ncols - len(widths))
    frozen = tuple(tuple(RawCell(c["lines"], c["colspan"], c["rowspan"]) for c in r) for r in rows)
    return RawTable(tuple(r for r in frozen if r), widths, line)


def _table_lines(table: RawTable) -> list[str]:
    """A table as Word pastes it into plain text: each cell a tab-prefixed line, rows apart."""
    out: list[str] = []
    for row in table.rows:
        for cell in row:
            first, *rest = cell.lines or ("",)
            out.append("\t" + first)
            out.extend(rest)
        out.append("")
    return out


def read_docx(path: Path) -> Document:
    """Read a ``.docx`` file.

    Raises:
        ReadError: Not a Word document.
    """
    try:
        doc = open_docx(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ReadError(f"{path.name}: 不是有效的 Word (.docx) 文件 / not a valid .docx file ({exc})") from exc
    lines: list[str] = []
    tables: list[RawTable] = []
    for el in doc.element.body.iterchildren():
        if el.tag == _P:
            lines.extend(_paragraph_text(el).split("\n"))
        elif el.tag == _TBL:
            lines.append("")
            table = _table(el, len(lines))
            tables.append(table)
            lines.extend(_table_lines(table))
    text = "\n".join(lines)
    normalised = normalise_text(text)
    # Table positions move when empty lines are squeezed: find each table's first cell line again.
    placed: list[RawTable] = []
    at = 0
    for table in tables:
        first = "\t" + (table.rows[0][0].lines[0] if table.rows and table.rows[0][0].lines else "")
        first = first.rstrip()
        while at < len(normalised) and normalised[at].rstrip() != first and first != "\t":
            at += 1
        placed.append(RawTable(table.rows, table.widths, min(at, len(normalised))))
        at += 1
    return Document(path.name, normalised, placed)
