"""Application forms as Word documents (``.docx``), rendered from the form data alone.

One renderer for every form: it walks the form model (cover → section break →
填报说明 → page break → body blocks) and writes an A4 document with GB/T 9704
margins, East Asian fonts set in the styles, fixed-layout tables with merged cells,
and Word content controls for every answer (plain text, checkboxes, blanks), so
applicants can fill it in Word or WPS and still print it where controls are not
supported. This is the only module that touches python-docx objects.

Public:

* :func:`form_docx` — one form as ``.docx`` bytes (deterministic).
* :func:`render` — every form of every call into the staging docs folder.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph

from .. import cache, urls, workers
from ..context import BuildContext
from ..formset import forms_of
from ..models import (
    Blank,
    Block,
    Break,
    Call,
    Cell,
    Checkbox,
    Form,
    Heading,
    InputArea,
    PageBreak,
    Paragraph,
    Signature,
    SignatureBlock,
    Space,
    Table,
    table_grid,
)
from . import docx_package as pkg

log = logging.getLogger(__name__)

# --------------------------------------------------------------------------- page

#: A4 portrait.
PAGE_WIDTH_MM = 210
PAGE_HEIGHT_MM = 297
#: GB/T 9704 margins: 天头 37 mm, 订口 28 mm; the text block is 156 × 225 mm.
MARGIN_TOP_MM = 37
MARGIN_BOTTOM_MM = 35
MARGIN_LEFT_MM = 28
MARGIN_RIGHT_MM = 26
#: Distance of the page number from the bottom edge (7 mm below the text block).
FOOTER_MM = 22
TEXT_WIDTH_MM = PAGE_WIDTH_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM
TEXT_HEIGHT_MM = PAGE_HEIGHT_MM - MARGIN_TOP_MM - MARGIN_BOTTOM_MM

#: Smallest row height: tall enough to write in by hand.
MIN_ROW_MM = 9.0
#: Vertical padding added to a computed row height.
ROW_PADDING_MM = 2.0
#: Rows taller than this may split across pages even when ``keep_together``
#: (a row taller than a page cannot be kept whole).
MAX_UNSPLIT_ROW_MM = TEXT_HEIGHT_MM * 0.6
#: Rows of running text taller than this may break across pages.
SPLITTABLE_TEXT_ROW_MM = 30.0
#: Rows spanned by one merged label are kept on one page up to this height.
MAX_KEPT_GROUP_MM = TEXT_HEIGHT_MM * 0.5
#: Label cells: light grey shading (prints as a pale tint) and bold text.
HEADER_SHADING = "EDEDED"
#: Tables wider than this many columns use 小四 instead of 四号 in the whole form.
WIDE_TABLE_COLUMNS = 5

#: Checkbox glyphs (Word ``w14:checkbox`` states): ☐ empty, ☑ ticked (在□内打√).
BOX_EMPTY = "\u2610"
BOX_TICKED = "\u2611"
#: Zero-width joiner: keeps a box on the line of its option (Word's "no-width non break").
JOINER = "\u200d"
#: Checkbox drawn as brackets, A类（ ）: empty, ticked （√）.
PAREN_EMPTY = "\u3000"
PAREN_TICKED = "\u221a"
#: Ideographic space, used for blanks and empty placeholders (one 字 wide).
IDEOGRAPHIC_SPACE = "\u3000"
#: Between inline checkbox options.
OPTION_GAP = IDEOGRAPHIC_SPACE
#: A blank (填空) prints as underscores, two per 字, so the line shows on paper even
#: where content controls (and their underlining) are not supported.
BLANK_CHAR = "_"
#: Forms with a table cell of more running text than this use 小四 in their tables.
LONG_TEXT_CHARS = 60
#: Endings a long title is preferably broken before (a second line such as 项目申报表).
TITLE_SUFFIXES = (
    "项目申报表", "项目申报书", "项目推荐表", "项目指标", "申报表", "申报书", "推荐表",
)
#: Fraction of the text block a cover may fill before its blank space is shrunk.
COVER_FILL = 0.9
#: Cell margins (left and right), twips.
CELL_MARGIN = 85

_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}

#: When more forms than this are rendered and jobs > 1, render in worker processes.
PARALLEL_THRESHOLD = 24


def _twips(mm: float) -> int:
    return round(mm / 25.4 * 1440)


def _el(tag: str, **attrs: str | int) -> Any:
    """A new ``w:`` element with ``w:``-qualified attributes."""
    element = OxmlElement(tag)
    for key, value in attrs.items():
        element.set(qn(f"w:{key}"), str(value))
    return element


def _sub(parent: Any, tag: str, **attrs: str | int) -> Any:
    child = _el(tag, **attrs)
    parent.append(child)
    return child


def word_limit_text(area: InputArea) -> str | None:
    """The text shown in an answer area: its hint, plus （N字以内） when the hint lacks it.

    Parameters:
        area: The answer area.

    Returns:
        The placeholder text, or None when the area has neither hint nor word limit.
    """
    hint = area.hint
    if area.word_limit is not None and (hint is None or str(area.word_limit) not in hint):
        limit = f"（{area.word_limit}字以内）"
        return f"{hint}{limit}" if hint else limit
    return hint


def text_em(text: str) -> float:
    """Width of ``text`` in em: 1 for a Chinese character, 0.5 for ASCII."""
    return sum(0.5 if ord(ch) < 0x2000 else 1.0 for ch in text)


def chars_per_line(width_mm: float, size_pt: float) -> float:
    """How many 字 of ``size_pt`` fit on a line ``width_mm`` wide."""
    return width_mm / (size_pt * 25.4 / 72)


def break_title(title: str, size_pt: float = pkg.SIZE_2, width_mm: float = TEXT_WIDTH_MM) -> str:
    """Break a title that does not fit on one line where a reader would break it.

    Prefers a break before a closing word such as 项目申报表 (both lines must fit);
    otherwise the most balanced break that keeps numbers and brackets whole.
    An explicit line break in the title is kept as it is.

    Parameters:
        title: The title.
        size_pt: Font size.
        width_mm: Line width.

    Returns:
        The title, with a line feed where it should break.
    """
    cpl = math.floor(chars_per_line(width_mm, size_pt))
    if "\n" in title or text_em(title) <= cpl:
        return title
    for suffix in TITLE_SUFFIXES:
        at = title.rfind(suffix)
        if at > 0 and text_em(title[:at]) <= cpl and text_em(title[at:]) <= cpl:
            return f"{title[:at]}\n{title[at:]}"
    best: tuple[float, int] | None = None
    no_start = set("，。、；：？！）》」』”’%")
    no_end = set("（《「『“‘")
    for at in range(1, len(title)):
        left, right = title[:at], title[at:]
        if text_em(left) > cpl or right[0] in no_start or left[-1] in no_end:
            continue
        if left[-1].isascii() and left[-1].isalnum() and right[0].isascii() and right[0].isalnum():
            continue
        score = abs(text_em(left) - text_em(right))
        if best is None or score < best[0]:
            best = (score, at)
    if best is None:
        return title
    return f"{title[: best[1]]}\n{title[best[1]:]}"


def fit_blanks(parts: Iterable[Any], line_em: float) -> dict[int, int]:
    """Blank widths in half-字 (underscores) so each line of ``parts`` fits in ``line_em``.

    A line is the run of parts between explicit breaks. When its text plus its blanks
    is wider than the line, the blanks on it shrink in proportion (to at least 1.5 字).

    Parameters:
        parts: Inline parts of a paragraph or cell.
        line_em: Usable line width in em.

    Returns:
        ``{id(blank): underscores}`` for every blank in ``parts`` (two per 字 when
        nothing needs to shrink).
    """
    widths: dict[int, int] = {}
    line: list[Blank] = []
    fixed = 0.0

    def close() -> None:
        total = sum(b.width for b in line)
        room = (line_em - fixed) * 0.95 - 1.5
        scale = min(1.0, room / total) if total else 1.0
        for b in line:
            widths[id(b)] = max(3, math.floor(2 * b.width * scale))

    for part in parts:
        if isinstance(part, Break):
            close()
            line, fixed = [], 0.0
        elif isinstance(part, str):
            *done, last = part.split("\n")
            if done:
                close()
                line, fixed = [], 0.0
            fixed += text_em(last)
        elif isinstance(part, Blank):
            line.append(part)
        elif isinstance(part, Checkbox):
            per_option = 1 if part.box != "paren" else 2
            if part.layout == "stack":
                close()
                line, fixed = [], 0.0
                fixed += max(text_em(o) for o in part.options) + per_option
            else:
                fixed += sum(text_em(o) + per_option for o in part.options)
                fixed += text_em(OPTION_GAP) * (len(part.options) - 1)
    close()
    return widths


def _split_widths(widths: list[float], total: int) -> list[int]:
    """Column widths in twips, proportional to ``widths`` and adding up to ``total``."""
    scale = total / sum(widths)
    raw = [w * scale for w in widths]
    out = [math.floor(x) for x in raw]
    order = sorted(range(len(raw)), key=lambda i: (out[i] - raw[i], i))
    for i in order[: total - sum(out)]:
        out[i] += 1
    return out


# --------------------------------------------------------------------------- the writer


@dataclass
class _Anchor:
    """A table cell placed on the grid."""

    cell: Cell
    row: int  # physical row of its top-left corner
    col: int
    suffix: str  # field-id suffix for repeated rows: "", "-1", "-2"…


class _FormWriter:
    """Writes one form into a python-docx document."""

    def __init__(self, doc: DocxDocument, call: Call, form: Form) -> None:
        self.doc = doc
        self.call = call
        self.form = form
        self.sdt_id = 1000
        self.break_pending = False
        self.space_scale = 1.0
        #: At the start of a new section; a table there needs a paragraph before it
        #: (LibreOffice otherwise pulls the table into the previous section).
        self.section_start = False
        small = any(_needs_small_text(b) for b in _all_blocks(form) if isinstance(b, Table))
        self.table_style = pkg.STYLE_TABLE_SMALL if small else pkg.STYLE_TABLE
        self.table_size = pkg.SIZE_XIAO_4 if small else pkg.SIZE_4

    # -- document structure -------------------------------------------------

    def write(self) -> None:
        form = self.form
        self._page_setup()
        if form.attachment:
            self._paragraph(form.attachment, pkg.STYLE_ATTACHMENT)
        if form.cover:
            add_title = not _has_title(form.cover, form.title, whole=True)
            self.space_scale = _cover_space_scale(form, add_title)
            if add_title:
                self._title()
            self._blocks(form.cover)
            self._end_section()
            self.space_scale = 1.0
        elif not _has_title(form.blocks, form.title, whole=False):
            self._title()
        if form.instructions:
            self._blocks(form.instructions)
            self.break_pending = True
        self._blocks(form.blocks)
        if self.doc.element.body.sectPr.getprevious().tag == qn("w:tbl"):
            # Word ends a document with a paragraph; a full-size one after a table that
            # fills the page would print an empty last page.
            self._carrier()
        self._footer(restart=bool(form.cover))

    def _title(self) -> None:
        self._paragraph(break_title(self.form.title), pkg.STYLE_TITLE)

    def _page_setup(self) -> None:
        section = self.doc.sections[0]
        section.page_width = Mm(PAGE_WIDTH_MM)
        section.page_height = Mm(PAGE_HEIGHT_MM)
        section.top_margin = Mm(MARGIN_TOP_MM)
        section.bottom_margin = Mm(MARGIN_BOTTOM_MM)
        section.left_margin = Mm(MARGIN_LEFT_MM)
        section.right_margin = Mm(MARGIN_RIGHT_MM)
        section.header_distance = Mm(15)
        section.footer_distance = Mm(FOOTER_MM)
        section.gutter = Mm(0)

    def _end_section(self) -> None:
        """End the current section (the cover) with a next-page section break."""
        body = self.doc.element.body
        sentinel = body.sectPr
        last = sentinel.getprevious()
        ends_section = last is not None and last.pPr is not None and last.pPr.sectPr is not None
        if last is None or last.tag != qn("w:p") or ends_section:
            last = self._carrier()._p
        last.set_sectPr(sentinel.clone())
        self.break_pending = False
        self.section_start = True

    def _footer(self, *, restart: bool) -> None:
        """Page numbers (— 1 —, 四号宋体, centred) on every page after the cover."""
        section = self.doc.sections[-1]
        footer = section.footer
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]
        p._p.style = pkg.STYLE_FOOTER
        p.add_run("— ")
        for kind, text in (
            ("begin", ""),
            ("instr", " PAGE "),
            ("separate", ""),
            ("text", "1"),
            ("end", ""),
        ):
            run = p.add_run()
            if kind == "instr":
                instr = _sub(run._r, "w:instrText")
                instr.set(qn("xml:space"), "preserve")
                instr.text = text
            elif kind == "text":
                run.text = text
            else:
                _sub(run._r, "w:fldChar", fldCharType=kind)
        p.add_run(" —")
        if restart:
            sect_pr = section._sectPr
            num = _el("w:pgNumType", fmt="decimal", start=1)
            cols = sect_pr.find(qn("w:cols"))
            if cols is not None:
                cols.addprevious(num)
            else:
                sect_pr.find(qn("w:pgMar")).addnext(num)

    # -- blocks ---------------------------------------------------------------

    def _blocks(self, blocks: Iterable[Block]) -> None:
        for block in blocks:
            if isinstance(block, PageBreak):
                self.break_pending = True
            elif isinstance(block, Heading):
                p = self._paragraph(block.text, pkg.heading_style(block.level))
                p.alignment = _ALIGN[block.align]
            elif isinstance(block, Paragraph):
                self._rich_paragraph(block)
            elif isinstance(block, Table):
                self._table(block)
            elif isinstance(block, Space):
                self._space(block.lines)
            elif isinstance(block, SignatureBlock):
                self._signature(block.sign, lambda: self._new_paragraph(None), pkg.SIZE_4)

    def _new_paragraph(self, style: str | None) -> DocxParagraph:
        self.section_start = False
        p = self.doc.add_paragraph()
        if style:
            p._p.style = style
        if self.break_pending:
            p.paragraph_format.page_break_before = True
            self.break_pending = False
        return p

    def _paragraph(self, text: str, style: str | None) -> DocxParagraph:
        p = self._new_paragraph(style)
        if text:
            p.add_run(text)
        return p

    def _carrier(self) -> DocxParagraph:
        """A near-invisible paragraph (1 pt) that carries a page or section break."""
        return self._new_paragraph(pkg.STYLE_TINY)

    def _space(self, lines: int) -> None:
        """Blank space of ``lines`` body lines, as one paragraph of exact height."""
        height = lines * pkg.line_pitch(pkg.SIZE_4) * self.space_scale
        if height < 1:
            return
        p = self._new_paragraph(None)
        p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        p.paragraph_format.line_spacing = Pt(round(height * 2) / 2)

    def _rich_paragraph(self, block: Paragraph) -> None:
        style, size = _PARAGRAPH_SIZES[block.size]
        p = self._new_paragraph(style)
        p.alignment = _ALIGN[block.align]
        if block.size == "title" and not _fits_one_line(block.parts, size):
            # A title line too long for 二号 is set in 小二 rather than broken mid-phrase.
            size = pkg.SIZE_XIAO_2
            p.paragraph_format.line_spacing = Pt(pkg.line_pitch(size))
            run_size: float | None = size
        else:
            run_size = None
        line_em = chars_per_line(TEXT_WIDTH_MM, size)
        if block.indent:
            ind = p._p.get_or_add_pPr().get_or_add_ind()
            ind.set(qn("w:firstLineChars"), "200")
            line_em -= 2
        self._inline(p, block.parts, "", line_em, bold=block.bold, size=run_size)

    # -- inline content ---------------------------------------------------------

    def _inline(
        self,
        p: DocxParagraph,
        parts: list[Any],
        suffix: str,
        line_em: float,
        *,
        bold: bool = False,
        size: float | None = None,
    ) -> None:
        widths = fit_blanks(parts, line_em)
        for part in parts:
            if isinstance(part, str):
                run = p.add_run(part)
                if bold:
                    run.bold = True
                if size is not None:
                    run.font.size = Pt(size)
            elif isinstance(part, Break):
                p.add_run().add_break()
            elif isinstance(part, Blank):
                self._blank(p, part, suffix, widths[id(part)])
            elif isinstance(part, Checkbox):
                self._checkboxes(p, part, suffix)

    def _next_id(self) -> int:
        self.sdt_id += 1
        return self.sdt_id

    def _sdt(self, p: DocxParagraph, tag: str, alias: str | None = None) -> tuple[Any, Any]:
        """Append an inline content control to ``p``; returns ``(sdtPr, sdtContent)``."""
        sdt = _sub(p._p, "w:sdt")
        pr = _sub(sdt, "w:sdtPr")
        content = _sub(sdt, "w:sdtContent")
        if alias:
            _sub(pr, "w:alias", val=alias)
        _sub(pr, "w:tag", val=tag)
        _sub(pr, "w:id", val=self._next_id())
        # The control cannot be deleted by typing over a selected table cell (Tab in
        # Word selects the next cell); its content stays editable.
        _sub(pr, "w:lock", val="sdtLocked")
        return pr, content

    def _text_run(self, parent: Any, text: str, *, placeholder: bool) -> Any:
        run = _sub(parent, "w:r")
        if placeholder:
            _sub(_sub(run, "w:rPr"), "w:rStyle", val=pkg.STYLE_PLACEHOLDER)
        for i, line in enumerate(text.split("\n")):
            if i:
                _sub(run, "w:br")
            if line:
                t = _sub(run, "w:t")
                t.text = line
                if line != line.strip() or IDEOGRAPHIC_SPACE in line:
                    t.set(qn("xml:space"), "preserve")
        return run

    def _plain_text_control(
        self, p: DocxParagraph, tag: str, shown: str, *, multiline: bool, underline: bool = False
    ) -> None:
        """A plain-text content control showing ``shown`` until the applicant types.

        With ``underline`` the typed text is underlined (blanks); the placeholder is
        then printed in the normal colour, so the line shows on paper.
        """
        pr, content = self._sdt(p, tag)
        if underline:
            rpr = _el("w:rPr")
            _sub(rpr, "w:u", val="single")
            pr.insert(0, rpr)
        _sub(pr, "w:showingPlcHdr")
        text = _sub(pr, "w:text")
        if multiline:
            text.set(qn("w:multiLine"), "1")
        self._text_run(content, shown, placeholder=not underline)

    def _blank(self, p: DocxParagraph, blank: Blank, suffix: str, underscores: int) -> None:
        self._plain_text_control(
            p, blank.blank + suffix, BLANK_CHAR * underscores, multiline=False, underline=True
        )

    def _checkboxes(self, p: DocxParagraph, group: Checkbox, suffix: str) -> None:
        for i, option in enumerate(group.options):
            if i:
                if group.layout == "stack":
                    p.add_run().add_break()
                else:
                    p.add_run(OPTION_GAP)
            tag = group.choice + suffix
            if group.box == "before":
                self._checkbox(p, tag, option)
                p.add_run(JOINER + option)
            elif group.box == "after":
                p.add_run(option + JOINER)
                self._checkbox(p, tag, option)
            else:  # paren: A类（ ）, ticked A类（√）
                p.add_run(f"{option}（")
                self._checkbox(p, tag, option, paren=True)
                p.add_run("）")

    def _checkbox(self, p: DocxParagraph, tag: str, option: str, *, paren: bool = False) -> None:
        """A checkbox content control (``w14:checkbox``) for one option."""
        empty, ticked = (PAREN_EMPTY, PAREN_TICKED) if paren else (BOX_EMPTY, BOX_TICKED)
        font = pkg.BODY_FONT if paren else pkg.SYMBOL_FONT
        pr, content = self._sdt(p, tag, alias=option)
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

    # -- answer areas and signatures -----------------------------------------------

    def _input(self, p: DocxParagraph, area: InputArea, suffix: str) -> None:
        shown = word_limit_text(area) or IDEOGRAPHIC_SPACE * 2
        multiline = area.lines > 1 or area.kind == "multiline"
        self._plain_text_control(p, area.id + suffix, shown, multiline=multiline)

    def _signature(self, sign: Signature, new_paragraph: Any, size: float) -> None:
        if sign.space:
            spacer = new_paragraph()
            spacer.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            spacer.paragraph_format.line_spacing = Pt(sign.space * pkg.line_pitch(size))
        for line in sign.lines:
            p = new_paragraph()
            p.alignment = _ALIGN[sign.align]
            if sign.align == "right":
                p._p.get_or_add_pPr().get_or_add_ind().set(qn("w:rightChars"), "200")
            p.add_run(line)

    # -- tables ---------------------------------------------------------------

    def _table(self, block: Table) -> None:
        if self.break_pending or self.section_start:
            self._carrier()  # carries the page break (or starts the section)
        ncols = len(block.widths)
        grid = table_grid(block)
        widths = _split_widths(block.widths, _twips(TEXT_WIDTH_MM))

        anchors: dict[tuple[int, int], _Anchor] = {}
        owner: dict[tuple[int, int], _Anchor] = {}
        phys_rows: list[int] = []  # physical row → index of its Row in block.rows
        counters: dict[int, int] = {}
        for phys, line in enumerate(grid):
            ref = next((x for x in line if x is not None), None)
            row_index = ref[0] if ref else phys_rows[-1]
            phys_rows.append(row_index)
            row = block.rows[row_index]
            counters[row_index] = counters.get(row_index, 0) + 1
            suffix = f"-{counters[row_index]}" if row.repeat > 1 else ""
            for col, slot in enumerate(line):
                if slot is None:
                    continue
                cell = block.rows[slot[0]].cells[slot[1]]
                anchor = _Anchor(cell, phys, col, suffix)
                anchors[(phys, col)] = anchor
                for dr in range(cell.rowspan):
                    for dc in range(cell.colspan):
                        owner[(phys + dr, col + dc)] = anchor

        table = self.doc.add_table(rows=0, cols=ncols)
        self._table_properties(table, widths)
        heights = self._row_heights(block, grid, anchors, phys_rows, widths)
        keep_next = _rows_kept_with_next(grid, anchors, heights)
        first_cells = [a.cell for (r, _c), a in anchors.items() if r == 0]
        repeat_header = sum(heights) > TEXT_HEIGHT_MM and _is_column_heading(first_cells)
        for phys in range(len(grid)):
            row = block.rows[phys_rows[phys]]
            tr = table._tbl.add_tr()
            tr_pr = tr.get_or_add_trPr()
            height = heights[phys]
            cells = [a.cell for (r, _c), a in anchors.items() if r == phys]
            if row.keep_together and _keep_row_whole(cells, height):
                _sub(tr_pr, "w:cantSplit")
            if phys == 0 and repeat_header:
                _sub(tr_pr, "w:tblHeader")
            _sub(tr_pr, "w:trHeight", val=_twips(height), hRule="atLeast")
            col = 0
            while col < ncols:
                anchor = owner[(phys, col)]
                span = anchor.cell.colspan
                tc = _sub(tr, "w:tc")
                tc_pr = _sub(tc, "w:tcPr")
                cell_width = sum(widths[anchor.col : anchor.col + span])
                _sub(tc_pr, "w:tcW", w=cell_width, type="dxa")
                if span > 1:
                    _sub(tc_pr, "w:gridSpan", val=span)
                if anchor.cell.rowspan > 1:
                    _sub(tc_pr, "w:vMerge", val="restart" if anchor.row == phys else "continue")
                if anchor.row == phys:
                    self._cell(_Cell(tc, table), anchor, cell_width)
                else:
                    _cell_properties(tc_pr, anchor.cell)
                    p = DocxParagraph(_sub(tc, "w:p"), table)
                    p._p.style = self.table_style
                if keep_next[phys]:
                    for p_el in tc.iter(qn("w:p")):
                        p_el.get_or_add_pPr().keepNext_val = True
                col += span

    def _table_properties(self, table: DocxTable, widths: list[int]) -> None:
        tbl = table._tbl
        tbl_pr = tbl.tblPr
        for child in list(tbl_pr):
            tbl_pr.remove(child)
        _sub(tbl_pr, "w:tblW", w=sum(widths), type="dxa")
        _sub(tbl_pr, "w:jc", val="center")
        borders = _sub(tbl_pr, "w:tblBorders")
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            outer = side in ("top", "left", "bottom", "right")
            _sub(borders, f"w:{side}", val="single", sz=8 if outer else 4, space=0, color="000000")
        _sub(tbl_pr, "w:tblLayout", type="fixed")
        margins = _sub(tbl_pr, "w:tblCellMar")
        _sub(margins, "w:left", w=CELL_MARGIN, type="dxa")
        _sub(margins, "w:right", w=CELL_MARGIN, type="dxa")
        _sub(
            tbl_pr, "w:tblLook", val="0000", firstRow=0, lastRow=0, firstColumn=0, lastColumn=0,
            noHBand=1, noVBand=1,
        )
        for gc, w in zip(tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
            gc.set(qn("w:w"), str(w))

    def _row_heights(
        self,
        block: Table,
        grid: list[list[tuple[int, int] | None]],
        anchors: dict[tuple[int, int], _Anchor],
        phys_rows: list[int],
        widths: list[int],
    ) -> list[float]:
        """Minimum height (mm) of each physical row; tall cells spread over their rows."""
        line_mm = pkg.line_pitch(self.table_size) * 25.4 / 72
        needed = [float(block.rows[phys_rows[phys]].height or 1) for phys in range(len(grid))]
        for (phys, col), anchor in sorted(anchors.items()):
            cell = anchor.cell
            width_mm = (sum(widths[col : col + cell.colspan]) - 2 * CELL_MARGIN) / 1440 * 25.4
            share = _cell_lines(cell, chars_per_line(width_mm, self.table_size)) / cell.rowspan
            for dr in range(cell.rowspan):
                needed[phys + dr] = max(needed[phys + dr], share)
        return [max(MIN_ROW_MM, round(n * line_mm + ROW_PADDING_MM, 1)) for n in needed]

    def _cell(self, dcell: _Cell, anchor: _Anchor, width_twips: int) -> None:
        cell = anchor.cell
        _cell_properties(dcell._tc.tcPr, cell)
        style = self.table_style
        p_el = _sub(dcell._tc, "w:p")
        ppr = _sub(p_el, "w:pPr")  # built directly: python-docx's ordered insert is slow
        _sub(ppr, "w:pStyle", val=style)
        _sub(ppr, "w:jc", val=cell.align or ("center" if cell.is_header else "left"))
        p = DocxParagraph(p_el, dcell)
        if cell.text is not None:
            run = p.add_run(cell.text)
            if cell.is_header:
                run.bold = True
        elif cell.input is not None:
            self._input(p, cell.input, anchor.suffix)
        elif cell.parts is not None:
            width_mm = (width_twips - 2 * CELL_MARGIN) / 1440 * 25.4
            line_em = chars_per_line(width_mm, self.table_size)
            self._inline(p, cell.parts, anchor.suffix, line_em, bold=cell.is_header)
        elif cell.sign is not None:
            paragraphs = [p]

            def new_paragraph() -> DocxParagraph:
                if paragraphs:
                    return paragraphs.pop()
                q = DocxParagraph(dcell._tc.add_p(), dcell)
                q._p.style = style
                return q

            self._signature(cell.sign, new_paragraph, self.table_size)


_PARAGRAPH_SIZES = {
    "title": (pkg.STYLE_TITLE, pkg.SIZE_2),
    "large": (pkg.STYLE_LARGE, pkg.SIZE_3),
    "normal": (None, pkg.SIZE_4),
    "small": (pkg.STYLE_SMALL, pkg.SIZE_XIAO_4),
}


def _cell_properties(tc_pr: Any, cell: Cell) -> None:
    if cell.is_header:
        _sub(tc_pr, "w:shd", val="clear", color="auto", fill=HEADER_SHADING)
    tall = (cell.input is not None and cell.input.lines > 1) or cell.sign is not None
    _sub(tc_pr, "w:vAlign", val="top" if tall else "center")


def _cell_lines(cell: Cell, line_em: float) -> float:
    """Lines of table text a cell needs (its answer area, signature or wrapped text)."""
    if cell.input is not None:
        return float(cell.input.lines)
    if cell.sign is not None:
        return float(cell.sign.space + len(cell.sign.lines))
    if cell.parts is not None:
        return float(parts_lines(cell.parts, line_em))
    if not cell.text:
        return 1.0
    return float(sum(_wrapped(text_em(line), line_em) for line in cell.text.split("\n")))


def _wrapped(em: float, line_em: float) -> int:
    return max(1, math.ceil(em / max(line_em, 1)))


def parts_lines(parts: list[Any], line_em: float) -> int:
    """How many lines inline ``parts`` take on lines ``line_em`` wide (blanks fitted).

    Parameters:
        parts: Inline parts.
        line_em: Usable line width in em.

    Returns:
        The number of lines, at least 1.
    """
    widths = fit_blanks(parts, line_em)
    lines: list[float] = [0.0]
    for part in parts:
        if isinstance(part, Break):
            lines.append(0.0)
        elif isinstance(part, str):
            first, *rest = part.split("\n")
            lines[-1] += text_em(first)
            lines.extend(text_em(r) for r in rest)
        elif isinstance(part, Blank):
            lines[-1] += widths[id(part)] / 2
        elif isinstance(part, Checkbox):
            per_option = 2 if part.box == "paren" else 1
            if part.layout == "stack":
                for i, option in enumerate(part.options):
                    if i:
                        lines.append(0.0)
                    lines[-1] += text_em(option) + per_option
            else:
                lines[-1] += sum(text_em(o) + per_option for o in part.options)
                lines[-1] += text_em(OPTION_GAP) * (len(part.options) - 1)
    return sum(_wrapped(em, line_em) for em in lines)


def _rows_kept_with_next(
    grid: list[list[tuple[int, int] | None]],
    anchors: dict[tuple[int, int], _Anchor],
    heights: list[float],
) -> list[bool]:
    """Rows to keep on the page of the row below them.

    A row of text only (a section title, column headings, a pledge above its
    signature) stays with the row it introduces, and the rows a vertically merged
    label spans stay together unless together they are taller than
    :data:`MAX_KEPT_GROUP_MM`.
    """
    keep = [False] * len(grid)
    last = len(grid) - 1
    for phys in range(last):
        cells = [a.cell for (r, _c), a in anchors.items() if r == phys]
        if cells and all(c.text is not None for c in cells):
            keep[phys] = True
    for (phys, _col), anchor in anchors.items():
        span = anchor.cell.rowspan
        if span > 1 and sum(heights[phys : phys + span]) <= MAX_KEPT_GROUP_MM:
            for dr in range(span - 1):
                keep[phys + dr] = True
    return keep


def _fits_one_line(parts: list[Any], size: float) -> bool:
    """True when every line of ``parts`` (text only) fits the text width at ``size``."""
    text = "".join(p if isinstance(p, str) else "\n" if isinstance(p, Break) else "" for p in parts)
    cpl = chars_per_line(TEXT_WIDTH_MM, size) * 0.95
    return all(text_em(line) <= cpl for line in text.split("\n"))


def _is_column_heading(cells: list[Cell]) -> bool:
    """A row of two or more label cells, single-row: column headings worth repeating."""
    return len(cells) >= 2 and all(
        c.text is not None and c.is_header and c.rowspan == 1 for c in cells
    )


def _keep_row_whole(cells: list[Cell], height_mm: float) -> bool:
    """Whether a row must not break across pages.

    A row holding an answer area of several lines or a signature is kept whole (a
    split would break the field), as is any short row; a tall row of running text only
    (such as an indicator's description) may continue on the next page. No row taller
    than :data:`MAX_UNSPLIT_ROW_MM` is kept whole: it could not fit on a page.
    """
    if height_mm > MAX_UNSPLIT_ROW_MM:
        return False
    field = any((c.input is not None and c.input.lines > 1) or c.sign is not None for c in cells)
    return field or height_mm <= SPLITTABLE_TEXT_ROW_MM


def _needs_small_text(table: Table) -> bool:
    """Wide tables and tables of long running text are set in 小四, not 四号."""
    if len(table.widths) >= WIDE_TABLE_COLUMNS:
        return True
    return any(
        cell.text is not None and not cell.is_header and len(cell.text) > LONG_TEXT_CHARS
        for row in table.rows
        for cell in row.cells
    )


def _fonts(font: str) -> Any:
    return _el("w:rFonts", ascii=font, hAnsi=font, eastAsia=font, cs=font, hint="eastAsia")


def _all_blocks(form: Form) -> Iterator[Block]:
    yield from form.cover
    yield from form.instructions
    yield from form.blocks


def _squash(text: str) -> str:
    return "".join(text.split())


def _block_text(block: Block) -> str | None:
    """The plain text of a heading or paragraph; None for other blocks."""
    if isinstance(block, Heading):
        return block.text
    if isinstance(block, Paragraph):
        return "".join(p for p in block.parts if isinstance(p, str))
    return None


def _has_title(blocks: list[Block], title: str, *, whole: bool) -> bool:
    """True when ``blocks`` already show the form's title, so it is not repeated.

    Parameters:
        blocks: A cover (``whole``: the title may be anywhere on it, over several
            paragraphs) or the body (only its opening paragraphs count).
        title: The form title.
        whole: Search every block rather than the opening ones.
    """
    texts: list[str] = []
    for block in blocks:
        if isinstance(block, Space | PageBreak):
            continue
        text = _block_text(block)
        if text is None:
            if whole:
                continue
            break
        texts.append(text)
        if not whole and len(texts) == 3:
            break
    return _squash(title) in _squash("".join(texts))


def _estimate_height(block: Block, table_size: float) -> tuple[float, float]:
    """``(fixed, space)`` height in points of a block: its text, and its blank space."""
    if isinstance(block, Space):
        return 0.0, block.lines * pkg.line_pitch(pkg.SIZE_4)
    if isinstance(block, Heading):
        size = {1: pkg.SIZE_XIAO_2, 2: pkg.SIZE_3, 3: pkg.SIZE_3}[block.level]
        lines = math.ceil(text_em(block.text) / chars_per_line(TEXT_WIDTH_MM, size))
        return lines * pkg.line_pitch(size) + 16.0, 0.0
    if isinstance(block, Paragraph):
        _, size = _PARAGRAPH_SIZES[block.size]
        text = "".join(p if isinstance(p, str) else "\n" if isinstance(p, Break) else "　" * 4
                       for p in block.parts)
        cpl = chars_per_line(TEXT_WIDTH_MM, size)
        lines = sum(max(1, math.ceil(text_em(t) / cpl)) for t in text.split("\n"))
        return lines * pkg.line_pitch(size) + (16.0 if block.size == "title" else 0.0), 0.0
    if isinstance(block, SignatureBlock):
        pitch = pkg.line_pitch(pkg.SIZE_4)
        return len(block.sign.lines) * pitch, block.sign.space * pitch
    if isinstance(block, Table):
        rows = sum(r.repeat * max(r.height or 1, 1) for r in block.rows)
        return rows * max(MIN_ROW_MM * 72 / 25.4, pkg.line_pitch(table_size)), 0.0
    return 0.0, 0.0


def _cover_space_scale(form: Form, add_title: bool) -> float:
    """Factor for the cover's blank space so the cover fits on its one page."""
    fixed = space = 0.0
    if form.attachment:
        fixed += pkg.line_pitch(pkg.SIZE_3) + 8
    if add_title:
        fixed += pkg.line_pitch(pkg.SIZE_2) * (break_title(form.title).count("\n") + 1) + 16
    for block in form.cover:
        f, s = _estimate_height(block, pkg.SIZE_4)
        fixed += f
        space += s
    room = TEXT_HEIGHT_MM * 72 / 25.4 * COVER_FILL - fixed
    if space <= room or space <= 0:  # fits, or no blank space to shrink (text overflows)
        return 1.0
    return max(0.0, room / space)


# --------------------------------------------------------------------------- public


def _document_date(call: Call) -> dt.datetime:
    return dt.datetime.combine(call.last_modified, dt.time(0, 0), tzinfo=dt.UTC)


def form_docx(call: Call, form: Form) -> bytes:
    """Render one form as a Word document.

    The output is deterministic: the same call and form give identical bytes
    (zip timestamps and document dates come from ``call.last_modified``).

    Parameters:
        call: The call the form belongs to (its title becomes the document subject).
        form: The form to render (from :func:`generator.formset.forms_of`).

    Returns:
        The ``.docx`` file as bytes.

    Raises:
        ValueError: A table's cells do not fill its grid.
    """
    doc = Document(io.BytesIO(pkg.blank_package()))
    _FormWriter(doc, call, form).write()
    props = doc.core_properties
    # python-docx refuses core properties over 255 characters; titles may be longer.
    props.title = form.title[:255]
    props.subject = call.title[:255]
    props.author = ""
    props.last_modified_by = ""
    props.keywords = call.short_title[:255]
    props.language = "zh-CN"
    props.revision = 1
    when = _document_date(call).replace(tzinfo=None)
    props.created = when
    props.modified = when
    buf = io.BytesIO()
    doc.save(buf)
    return pkg.repack(buf.getvalue(), call.last_modified)


def _render_one(job: tuple[Call, Form]) -> bytes:
    return form_docx(*job)


def cache_key(call: Call, form: Form) -> str:
    """Content hash of everything the DOCX of ``form`` depends on: the form, the call fields
    :func:`form_docx` reads (title, short title, last modified) and the code
    (:func:`generator.cache.code_digest`). Editing another part of the call does not render
    its forms again."""
    data = json.dumps(
        {
            "call": [call.id, call.title, call.short_title, call.last_modified.isoformat()],
            "form": form.model_dump(mode="json"),
        },
        ensure_ascii=False,
        sort_keys=True,
    )
    return cache.digest(data, cache.code_digest())


def render(ctx: BuildContext) -> None:
    """Write every form of every call to ``ctx.docs_dir / urls.form_docx(call, form)``.

    Forms whose content hash is in the build cache are read back; the others are rendered,
    in worker processes when there are many and ``ctx.jobs > 1``. The output does not
    depend on how it was rendered.

    Parameters:
        ctx: The build context.
    """
    store = ctx.store()
    jobs = [(call, form) for call in ctx.calls for form in forms_of(call)]
    keys = [cache_key(call, form) for call, form in jobs]
    found, missing = store.split(keys)
    todo = [job for job, key in zip(jobs, keys, strict=True) if key not in found]
    if ctx.jobs > 1 and len(todo) > PARALLEL_THRESHOLD:
        with workers.pool(ctx.jobs) as pool:
            results: Iterable[bytes] = list(pool.map(_render_one, todo, chunksize=4))
    else:
        results = (_render_one(job) for job in todo)
    for key, data in zip(missing, results, strict=True):
        store.put(key, data)
        found[key] = data
    for (call, form), key in zip(jobs, keys, strict=True):
        ctx.write(urls.form_docx(call, form), found[key], "form.docx")
    log.info("docx: %d forms, %d rendered, %d from cache", len(jobs), len(todo), len(jobs) - len(todo))
