"""Application forms as Word documents (``.docx``), rendered from the form data alone.

One renderer for every form: it draws the form's :class:`generator.layout.FormLayout`
(cover → section break → 填报说明 → page break → body blocks), deciding nothing about
sizes, line breaks, row heights or page breaks itself, and writes an A4 document with GB/T 9704
margins, East Asian fonts set in the styles, fixed-layout tables with merged cells,
and Word content controls for every answer (plain text, checkboxes, blanks), so
applicants can fill it in Word or WPS and still print it where controls are not
supported. This module and :mod:`generator.render.docx_xml` (the XML python-docx has no
API for) are the only ones that touch python-docx objects.

Public:

* :func:`form_docx` — one form as ``.docx`` bytes (deterministic).
* :func:`render` — every form of every call into the staging docs folder.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
from collections.abc import Iterable
from typing import Any, Literal

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.shared import Mm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph

from .. import cache, urls, workers
from .. import layout as L
from ..context import BuildContext
from ..formset import forms_of
from ..models import Break, Call, Checkbox, Form, Signature
from . import docx_package as pkg
from . import docx_xml as xml

log = logging.getLogger(__name__)

#: Checkbox glyphs (Word ``w14:checkbox`` states): ☐ empty, ☑ ticked (在□内打√).
BOX_EMPTY = "\u2610"
BOX_TICKED = "\u2611"
#: Zero-width joiner: keeps a box on the line of its option (Word's "no-width non break").
JOINER = "\u200d"
#: Checkbox drawn as brackets, A类（ ）: empty, ticked （√）.
PAREN_EMPTY = "\u3000"
PAREN_TICKED = "\u221a"
#: A blank (填空) prints as underscores, one per half 字, so the line shows on paper even
#: where content controls (and their underlining) are not supported.
BLANK_CHAR = "_"

_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}
#: Paragraph style of each ``Paragraph.size``.
_PARAGRAPH_STYLES = {
    "title": pkg.STYLE_TITLE, "large": pkg.STYLE_LARGE, "normal": None, "small": pkg.STYLE_SMALL,
}

#: When more forms than this are rendered and jobs > 1, render in worker processes.
PARALLEL_THRESHOLD = 24


# --------------------------------------------------------------------------- the writer


#: Table paragraph style of each table text size.
_TABLE_STYLES = {L.SIZE_4: pkg.STYLE_TABLE, L.SIZE_XIAO_4: pkg.STYLE_TABLE_SMALL}


class _FormWriter:
    """Draws one form's layout into a python-docx document."""

    def __init__(self, doc: DocxDocument, layout: L.FormLayout) -> None:
        self.doc = doc
        self.layout = layout
        self.sdt_id = 1000
        self.break_pending = False
        #: At the start of a new section; a table there needs a paragraph before it
        #: (LibreOffice otherwise pulls the table into the previous section).
        self.section_start = False
        self.table_style = _TABLE_STYLES[layout.table_size]

    # -- document structure -------------------------------------------------

    def write(self) -> None:
        layout = self.layout
        self._page_setup()
        if layout.cover:
            self._blocks(layout.cover)
            self._end_section()
        self._blocks(layout.instructions)
        self._blocks(layout.body)
        if xml.last_block_is_table(self.doc):
            # Word ends a document with a paragraph; a full-size one after a table that
            # fills the page would print an empty last page.
            self._carrier()
        self._footer(restart=bool(layout.cover))

    def _page_setup(self) -> None:
        section = self.doc.sections[0]
        section.page_width = Mm(L.PAGE_WIDTH_MM)
        section.page_height = Mm(L.PAGE_HEIGHT_MM)
        section.top_margin = Mm(L.MARGIN_TOP_MM)
        section.bottom_margin = Mm(L.MARGIN_BOTTOM_MM)
        section.left_margin = Mm(L.MARGIN_LEFT_MM)
        section.right_margin = Mm(L.MARGIN_RIGHT_MM)
        section.header_distance = Mm(15)
        section.footer_distance = Mm(L.FOOTER_MM)
        section.gutter = Mm(0)

    def _end_section(self) -> None:
        """End the current section (the cover) with a next-page section break."""
        if not xml.ends_with_free_paragraph(self.doc):
            self._carrier()
        xml.end_section(self.doc)
        self.break_pending = False
        self.section_start = True

    def _footer(self, *, restart: bool) -> None:
        """Page numbers (— 1 —, 四号宋体, centred) on every page after the cover."""
        section = self.doc.sections[-1]
        footer = section.footer
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]
        xml.set_style(p, pkg.STYLE_FOOTER)
        p.add_run("— ")
        xml.page_number_field(p)
        p.add_run(" —")
        if restart:
            xml.restart_page_numbers(section)

    # -- blocks ---------------------------------------------------------------

    def _blocks(self, items: Iterable[L.BlockLayout]) -> None:
        for item in items:
            if item.break_before:
                self.break_pending = True
            if isinstance(item, L.AttachmentLabel):
                self._paragraph(item.text, pkg.STYLE_ATTACHMENT)
            elif isinstance(item, L.FormTitle):
                p = self._paragraph("\n".join(item.title.lines), pkg.STYLE_TITLE)
                if item.title.size != L.SIZE_2:
                    p.paragraph_format.line_spacing = Pt(item.title.pitch)
                    for run in p.runs:
                        run.font.size = Pt(item.title.size)
            elif isinstance(item, L.HeadingLayout):
                p = self._paragraph(item.block.text, pkg.heading_style(item.block.level))
                p.alignment = _ALIGN[item.block.align]
            elif isinstance(item, L.ParagraphLayout):
                self._rich_paragraph(item)
            elif isinstance(item, L.TableLayout):
                self._table(item)
            elif isinstance(item, L.SpaceLayout):
                self._space(item.height)
            elif isinstance(item, L.SignatureLayout):
                self._signature(item.sign, item.size, item.space, lambda: self._new_paragraph(None))

    def _new_paragraph(self, style: str | None) -> DocxParagraph:
        self.section_start = False
        p = self.doc.add_paragraph()
        if style:
            xml.set_style(p, style)
        if self.break_pending:
            p.paragraph_format.page_break_before = True
            self.break_pending = False
        return p

    def _paragraph(self, text: str, style: str | None) -> DocxParagraph:
        p = self._new_paragraph(style)
        if text:
            p.add_run(text)
        return p

    def _title_lines(self, p: DocxParagraph, title: L.Title, *, bold: bool = False) -> None:
        """The lines of a title, in the size the layout chose (the Title style is 二号)."""
        size = None
        if title.size != L.SIZE_2:
            size = title.size
            p.paragraph_format.line_spacing = Pt(title.pitch)
        for i, line in enumerate(title.lines):
            if i:
                p.add_run().add_break()
            run = p.add_run(line)
            if bold:
                run.bold = True
            if size is not None:
                run.font.size = Pt(size)

    def _carrier(self) -> DocxParagraph:
        """A near-invisible paragraph (1 pt) that carries a page or section break."""
        return self._new_paragraph(pkg.STYLE_TINY)

    def _space(self, height: float) -> None:
        """Blank space of ``height`` points, as one paragraph of exact height."""
        p = self._new_paragraph(None)
        p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        p.paragraph_format.line_spacing = Pt(round(height * 2) / 2)

    def _rich_paragraph(self, item: L.ParagraphLayout) -> None:
        block = item.block
        p = self._new_paragraph(_PARAGRAPH_STYLES[block.size])
        p.alignment = _ALIGN[block.align]
        if item.title is not None:
            self._title_lines(p, item.title, bold=block.bold)
            return
        if block.indent:
            xml.indent_chars(p, item.size, first_line=L.INDENT_CHARS)
        self._inline(p, item.parts, "", bold=block.bold)

    # -- inline content ---------------------------------------------------------

    def _inline(
        self, p: DocxParagraph, parts: Iterable[L.Part], suffix: str, *, bold: bool = False
    ) -> None:
        for part in parts:
            if isinstance(part, str):
                run = p.add_run(part)
                if bold:
                    run.bold = True
            elif isinstance(part, Break):
                p.add_run().add_break()
            elif isinstance(part, L.FittedBlank):
                self._plain_text_control(
                    p, part.blank + suffix, BLANK_CHAR * part.halves, multiline=False,
                    underline=True,
                )
            elif isinstance(part, Checkbox):
                self._checkboxes(p, part, suffix)

    def _next_id(self) -> int:
        self.sdt_id += 1
        return self.sdt_id

    def _plain_text_control(
        self, p: DocxParagraph, tag: str, shown: str, *, multiline: bool, underline: bool = False
    ) -> None:
        """A plain-text content control showing ``shown`` until the applicant types.

        With ``underline`` the typed text is underlined (blanks); the placeholder is
        then printed in the normal colour, so the line shows on paper.
        """
        xml.text_control(
            p, tag, self._next_id(), shown, multiline=multiline, underline=underline,
            placeholder_style=None if underline else pkg.STYLE_PLACEHOLDER,
            keep_spaces=L.IDEOGRAPHIC_SPACE,
        )

    def _checkboxes(self, p: DocxParagraph, group: Checkbox, suffix: str) -> None:
        for i, option in enumerate(group.options):
            if i:
                if group.layout == "stack":
                    p.add_run().add_break()
                else:
                    p.add_run(L.OPTION_GAP)
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
        xml.checkbox_control(p, tag, self._next_id(), option, font=font, empty=empty, ticked=ticked)

    # -- answer areas and signatures -----------------------------------------------

    def _signature(
        self, sign: Signature, size: float, space: float, new_paragraph: Any
    ) -> None:
        if sign.space:
            spacer = new_paragraph()
            spacer.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            spacer.paragraph_format.line_spacing = Pt(space)
        for line in sign.lines:
            p = new_paragraph()
            p.alignment = _ALIGN[sign.align]
            if sign.align == "right":
                xml.indent_chars(p, size, right=L.INDENT_CHARS)
            p.add_run(line)

    # -- tables ---------------------------------------------------------------

    def _table(self, item: L.TableLayout) -> None:
        if self.break_pending or self.section_start or item.after_table:
            self._carrier()  # carries the page break (or starts the section, or parts two tables)
        table = xml.table(self.doc, list(item.col_twips), L.CELL_MARGIN_TWIPS)
        for row in item.rows:
            tr = xml.row(table, height_twips=L.twips(row.height_mm), cant_split=row.keep_whole,
                         header=row.header)
            for slot in row.slots:
                cell = slot.cell
                merge: Literal["restart", "continue"] | None = None
                if cell.cell.rowspan > 1:
                    merge = "restart" if slot.start else "continue"
                shape = xml.CellShape(
                    width_twips=cell.width_twips, colspan=cell.cell.colspan, merge=merge,
                    shading=L.HEADER_SHADING if cell.cell.is_header else None,
                    valign="top" if cell.top else "center",
                )
                dcell = xml.cell(table, tr, shape)
                if slot.start:
                    self._cell(dcell, cell)
                else:
                    xml.cell_paragraph(dcell, self.table_style)
                if row.keep_with_next:
                    xml.keep_with_next(dcell)

    def _cell(self, dcell: _Cell, item: L.CellLayout) -> None:
        cell = item.cell
        style = self.table_style
        p = xml.cell_paragraph(dcell, style, cell.align or ("center" if cell.is_header else "left"))
        if cell.text is not None:
            run = p.add_run(cell.text)
            if cell.is_header:
                run.bold = True
        elif cell.input is not None:
            shown = item.placeholder or L.IDEOGRAPHIC_SPACE * 2
            multiline = cell.input.lines > 1 or cell.input.kind == "multiline"
            self._plain_text_control(p, cell.input.id + item.suffix, shown, multiline=multiline)
        elif item.parts is not None:
            self._inline(p, item.parts, item.suffix, bold=cell.is_header)
        elif cell.sign is not None:
            paragraphs = [p]

            def new_paragraph() -> DocxParagraph:
                if paragraphs:
                    return paragraphs.pop()
                return xml.cell_paragraph(dcell, style)

            self._signature(cell.sign, self.layout.table_size, item.sign_space, new_paragraph)


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
    _FormWriter(doc, L.layout_form(form)).write()
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
    jobs = [(call, form) for call in ctx.own_calls for form in forms_of(call)]
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
