"""Word ``.docx`` notices: paragraphs and tables in document order (python-docx)."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from docx import Document as open_docx
from docx.oxml.ns import qn

from ..document import Document, RawCell, RawTable
from ..normalise import clean_line, normalise_text
from .errors import ReadError

_T, _TAB, _BR, _CR, _P, _TBL = (qn(t) for t in ("w:t", "w:tab", "w:br", "w:cr", "w:p", "w:tbl"))
_SDT, _SDT_PR, _SDT_CONTENT = qn("w:sdt"), qn("w:sdtPr"), qn("w:sdtContent")
_PLACEHOLDER, _PLAIN = qn("w:showingPlcHdr"), qn("w:text")
_CUSTOM_XML = qn("w:customXml")


def _blocks(parent: Any) -> Any:
    """Paragraphs and tables of a body or cell, also those wrapped in block-level content
    controls (LibreOffice wraps a cell's paragraphs in one when it saves a form)."""
    for el in parent.iterchildren():
        if el.tag in (_P, _TBL):
            yield el
        elif el.tag == _SDT:
            content = el.find(_SDT_CONTENT)
            if content is not None:
                yield from _blocks(content)
        elif el.tag == _CUSTOM_XML:
            yield from _blocks(el)


def _is_placeholder_cell(tc: Any) -> bool:
    """Only placeholder text of plain-text content controls in the cell (an empty answer area)."""
    controls = [s for s in tc.iter(_SDT) if (pr := s.find(_SDT_PR)) is not None
                and pr.find(_PLACEHOLDER) is not None and pr.find(_PLAIN) is not None]
    if not controls:
        return False
    inside = {id(t) for s in controls for t in s.iter(_T)}
    return all(id(t) in inside or not (t.text or "").strip() for t in tc.iter(_T))


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
    for el in _blocks(tc):
        if el.tag == _P:
            lines.extend(_paragraph_text(el).split("\n"))
        elif el.tag == _TBL:  # a table nested in a cell: its text, cell by cell
            lines.extend(ln for ln in _table(el, 0).text_lines() if ln)
    while lines and not lines[-1].strip():
        lines.pop()
    return tuple(clean_line(ln) for ln in lines)


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
                cell = {"lines": _cell_lines(tc), "colspan": span, "rowspan": 1,
                        "placeholder": _is_placeholder_cell(tc)}
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
    frozen = tuple(tuple(RawCell(c["lines"], c["colspan"], c["rowspan"], c["placeholder"]) for c in r)
                   for r in rows)
    return RawTable(tuple(r for r in frozen if r), widths, line)


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

    def add(text: str) -> None:
        for line in normalise_text(text) or [""]:
            if line == "" and (not lines or lines[-1] == ""):
                continue
            lines.append(line)

    for el in _blocks(doc.element.body):
        if el.tag == _P:
            add(_paragraph_text(el))
        elif el.tag == _TBL:
            add("")
            table = _table(el, len(lines))
            if not table.rows:
                continue
            tables.append(table)
            for line in table.text_lines():
                if line == "":
                    add("")
                else:
                    lines.append(normalise_text(line)[0] if line.strip() else "\t")
    while lines and lines[-1] == "":
        lines.pop()
    return Document(path.name, lines, tables)
