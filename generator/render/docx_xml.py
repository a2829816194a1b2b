"""The WordprocessingML python-docx has no API for, built in one place.

python-docx covers paragraphs, runs, fonts, sections and page setup; forms also need
content controls (``w:sdt``, ``w14:checkbox``), fixed-layout tables with merged cells,
rows kept whole or repeated, paragraph indents in characters, a page-number field and a
numbering restart. :mod:`generator.render.docx` asks for those through the typed
functions here, which are the only code that creates raw elements or reaches into
python-docx's element attributes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from docx.document import Document as DocxDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph

Element = Any  # an lxml element of python-docx's oxml classes


def _el(tag: str, **attrs: str | int) -> Element:
    """A new element with ``w:``-qualified attributes."""
    element = OxmlElement(tag)
    for key, value in attrs.items():
        element.set(qn(f"w:{key}"), str(value))
    return element


def _sub(parent: Element, tag: str, **attrs: str | int) -> Element:
    child = _el(tag, **attrs)
    parent.append(child)
    return child


# --------------------------------------------------------------------------- paragraphs


def set_style(paragraph: Paragraph, style_id: str) -> None:
    """Give ``paragraph`` the paragraph style ``style_id`` (no lookup by name)."""
    paragraph._p.style = style_id


def indent_chars(paragraph: Paragraph, size_pt: float, *, first_line: int = 0, right: int = 0) -> None:
    """Indent ``paragraph`` by whole 字 of ``size_pt``: in characters for Word and WPS
    (``w:firstLineChars``, ``w:rightChars``), and the same in twips for LibreOffice, which
    reads only those."""
    ind = paragraph._p.get_or_add_pPr().get_or_add_ind()
    if first_line:
        ind.set(qn("w:firstLineChars"), str(first_line * 100))
        ind.set(qn("w:firstLine"), str(round(first_line * size_pt * 20)))
    if right:
        ind.set(qn("w:rightChars"), str(right * 100))
        ind.set(qn("w:right"), str(round(right * size_pt * 20)))


def last_block_is_table(doc: DocxDocument) -> bool:
    """True when the document body ends with a table."""
    last = doc.element.body.sectPr.getprevious()
    return last is not None and last.tag == qn("w:tbl")


def ends_with_free_paragraph(doc: DocxDocument) -> bool:
    """True when the body ends with a paragraph that does not already end a section."""
    last = doc.element.body.sectPr.getprevious()
    if last is None or last.tag != qn("w:p"):
        return False
    return last.pPr is None or last.pPr.sectPr is None


def end_section(doc: DocxDocument) -> None:
    """Make the body's last paragraph end a section with the page setup so far (a
    next-page section break); see :func:`ends_with_free_paragraph`."""
    sentinel = doc.element.body.sectPr
    sentinel.getprevious().set_sectPr(sentinel.clone())


def page_number_field(paragraph: Paragraph) -> None:
    """Append a ``PAGE`` field (showing 1 until the reader updates it)."""
    for kind in ("begin", "instr", "separate", "text", "end"):
        run = paragraph.add_run()
        if kind == "instr":
            instr = _sub(run._r, "w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = " PAGE "
        elif kind == "text":
            run.text = "1"
        else:
            _sub(run._r, "w:fldChar", fldCharType=kind)


def restart_page_numbers(section: Section) -> None:
    """Number the pages of ``section`` from 1."""
    sect_pr = section._sectPr
    num = _el("w:pgNumType", fmt="decimal", start=1)
    cols = sect_pr.find(qn("w:cols"))
    if cols is not None:
        cols.addprevious(num)
    else:
        sect_pr.find(qn("w:pgMar")).addnext(num)


# --------------------------------------------------------------------------- content controls


def _sdt(paragraph: Paragraph, tag: str, sdt_id: int, alias: str | None) -> tuple[Element, Element]:
    """Append an inline content control; returns ``(sdtPr, sdtContent)``."""
    sdt = _sub(paragraph._p, "w:sdt")
    pr = _sub(sdt, "w:sdtPr")
    content = _sub(sdt, "w:sdtContent")
    if alias:
        _sub(pr, "w:alias", val=alias)
    _sub(pr, "w:tag", val=tag)
    _sub(pr, "w:id", val=sdt_id)
    # The control cannot be deleted by typing over a selected table cell (Tab in Word
    # selects the next cell); its content stays editable.
    _sub(pr, "w:lock", val="sdtLocked")
    return pr, content


def _fonts(font: str) -> Element:
    return _el("w:rFonts", ascii=font, hAnsi=font, eastAsia=font, cs=font, hint="eastAsia")


def text_control(
    paragraph: Paragraph, tag: str, sdt_id: int, shown: str, *, multiline: bool,
    underline: bool, placeholder_style: str | None, keep_spaces: str,
) -> None:
    """A plain-text content control showing ``shown`` until the applicant types.

    Parameters:
        paragraph: Where the control goes (appended).
        tag: The field id (``w:tag``).
        sdt_id: A number unique in the document.
        shown: The placeholder; line feeds become line breaks.
        multiline: Allow line breaks in the answer.
        underline: Underline the answer (blanks).
        placeholder_style: Character style of the placeholder, if any.
        keep_spaces: A character whose presence in a line marks its spaces as significant.
    """
    pr, content = _sdt(paragraph, tag, sdt_id, None)
    if underline:
        rpr = _el("w:rPr")
        _sub(rpr, "w:u", val="single")
        pr.insert(0, rpr)
    _sub(pr, "w:showingPlcHdr")
    text = _sub(pr, "w:text")
    if multiline:
        text.set(qn("w:multiLine"), "1")
    run = _sub(content, "w:r")
    if placeholder_style:
        _sub(_sub(run, "w:rPr"), "w:rStyle", val=placeholder_style)
    for i, line in enumerate(shown.split("\n")):
        if i:
            _sub(run, "w:br")
        if line:
            t = _sub(run, "w:t")
            t.text = line
            if line != line.strip() or keep_spaces in line:
                t.set(qn("xml:space"), "preserve")


def checkbox_control(
    paragraph: Paragraph, tag: str, sdt_id: int, option: str, *, font: str, empty: str,
    ticked: str,
) -> None:
    """A checkbox content control (``w14:checkbox``) for one option, drawn ``empty``."""
    pr, content = _sdt(paragraph, tag, sdt_id, option)
    rpr = _el("w:rPr")
    rpr.append(_fonts(font))
    pr.insert(0, rpr)
    box = OxmlElement("w14:checkbox")
    for tag_name, value in (
        ("w14:checked", "0"),
        ("w14:checkedState", f"{ord(ticked):04X}"),
        ("w14:uncheckedState", f"{ord(empty):04X}"),
    ):
        child = OxmlElement(tag_name)
        child.set(qn("w14:val"), value)
        if tag_name != "w14:checked":
            child.set(qn("w14:font"), font)
        box.append(child)
    pr.append(box)
    run = _sub(content, "w:r")
    _sub(run, "w:rPr").append(_fonts(font))
    t = _sub(run, "w:t")
    t.text = empty
    t.set(qn("xml:space"), "preserve")


# --------------------------------------------------------------------------- tables


def table(doc: DocxDocument, col_twips: list[int], cell_margin_twips: int) -> DocxTable:
    """A centred fixed-layout table with the given column widths, black borders (outer
    1 pt, inner ½ pt) and left/right cell margins, and no rows yet."""
    tbl = doc.add_table(rows=0, cols=len(col_twips))
    tbl_el = tbl._tbl
    tbl_pr = tbl_el.tblPr
    for child in list(tbl_pr):
        tbl_pr.remove(child)
    _sub(tbl_pr, "w:tblW", w=sum(col_twips), type="dxa")
    _sub(tbl_pr, "w:jc", val="center")
    borders = _sub(tbl_pr, "w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        outer = side in ("top", "left", "bottom", "right")
        _sub(borders, f"w:{side}", val="single", sz=8 if outer else 4, space=0, color="000000")
    _sub(tbl_pr, "w:tblLayout", type="fixed")
    margins = _sub(tbl_pr, "w:tblCellMar")
    _sub(margins, "w:left", w=cell_margin_twips, type="dxa")
    _sub(margins, "w:right", w=cell_margin_twips, type="dxa")
    _sub(
        tbl_pr, "w:tblLook", val="0000", firstRow=0, lastRow=0, firstColumn=0, lastColumn=0,
        noHBand=1, noVBand=1,
    )
    for gc, w in zip(tbl_el.tblGrid.findall(qn("w:gridCol")), col_twips, strict=True):
        gc.set(qn("w:w"), str(w))
    return tbl


def row(tbl: DocxTable, *, height_twips: int, cant_split: bool, header: bool) -> Element:
    """Append a row at least ``height_twips`` tall; returns it for :func:`cell`."""
    tr = tbl._tbl.add_tr()
    tr_pr = tr.get_or_add_trPr()
    if cant_split:
        _sub(tr_pr, "w:cantSplit")
    if header:
        _sub(tr_pr, "w:tblHeader")
    _sub(tr_pr, "w:trHeight", val=height_twips, hRule="atLeast")
    return tr


@dataclass(frozen=True)
class CellShape:
    """How a grid cell looks: width, column span, vertical merge, shading, alignment."""

    width_twips: int
    colspan: int
    merge: Literal["restart", "continue"] | None
    shading: str | None
    valign: Literal["top", "center"]


def cell(tbl: DocxTable, tr: Element, shape: CellShape) -> _Cell:
    """Append a cell of ``shape`` to ``tr`` (no paragraph yet)."""
    tc = _sub(tr, "w:tc")
    tc_pr = _sub(tc, "w:tcPr")
    _sub(tc_pr, "w:tcW", w=shape.width_twips, type="dxa")
    if shape.colspan > 1:
        _sub(tc_pr, "w:gridSpan", val=shape.colspan)
    if shape.merge:
        _sub(tc_pr, "w:vMerge", val=shape.merge)
    if shape.shading:
        _sub(tc_pr, "w:shd", val="clear", color="auto", fill=shape.shading)
    _sub(tc_pr, "w:vAlign", val=shape.valign)
    return _Cell(tc, tbl)


def cell_paragraph(dcell: _Cell, style_id: str, align: str | None = None) -> Paragraph:
    """Append a paragraph of ``style_id`` (and alignment) to ``dcell``; built directly,
    as python-docx's ordered insert is slow for thousands of cells."""
    p_el = _sub(dcell._tc, "w:p")
    ppr = _sub(p_el, "w:pPr")
    _sub(ppr, "w:pStyle", val=style_id)
    if align:
        _sub(ppr, "w:jc", val=align)
    return Paragraph(p_el, dcell)


def keep_with_next(dcell: _Cell) -> None:
    """Keep every paragraph of ``dcell`` on the page of the next row."""
    for p_el in dcell._tc.iter(qn("w:p")):
        p_el.get_or_add_pPr().keepNext_val = True
