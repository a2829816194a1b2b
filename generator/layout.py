"""One form layout that the DOCX renderer and the PDF templates both draw.

:func:`layout_form` makes every layout decision about a form once, from one text measure
(:func:`text_em`): where the title goes, its lines and size; each block's type size and
line pitch; each table's text size, column widths, row heights, which rows are kept
whole, kept with the next row or repeated on every page; blank widths; placeholders
(hints and word limits); the height of blank space. :mod:`generator.render.docx` and
``templates/pdf/*.html`` only draw the :class:`FormLayout` they are given, so a Word
document and a PDF of the same form carry the same lines, sizes and breaks.

A change to how a form is laid out belongs here; a change to how a Word document or an
HTML page expresses a decision belongs to its renderer.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any, ClassVar

from .models import (
    Blank,
    Block,
    Break,
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
    table_rows,
)

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

# --------------------------------------------------------------------------- type

#: Chinese type sizes in points.
SIZE_2 = 22.0  # 二号
SIZE_XIAO_2 = 18.0  # 小二
SIZE_3 = 16.0  # 三号
SIZE_4 = 14.0  # 四号
SIZE_XIAO_4 = 12.0  # 小四
SIZE_5 = 10.5  # 五号


def line_pitch(size: float) -> float:
    """Exact line spacing (points) of text of ``size`` points."""
    return {SIZE_2: 32.0, SIZE_XIAO_2: 28.0, SIZE_3: 28.0, SIZE_4: 24.0, SIZE_XIAO_4: 20.0}.get(
        size, round(size * 1.6 * 2) / 2
    )


#: Type size of each ``Paragraph.size``.
PARAGRAPH_PT = {"title": SIZE_2, "large": SIZE_3, "normal": SIZE_4, "small": SIZE_XIAO_4}
#: Type size of each heading level.
HEADING_PT = {1: SIZE_XIAO_2, 2: SIZE_3, 3: SIZE_3}
#: Space (pt) before and after a heading of each level, and after a title.
HEADING_SPACE_PT = {1: 8.0, 2: 6.0, 3: 4.0}
TITLE_AFTER_PT = 16.0
#: The 附件 label: size and space after.
ATTACHMENT_PT = SIZE_3
ATTACHMENT_AFTER_PT = 8.0
#: First-line indent of an indented paragraph, and right indent of signature lines, in 字.
INDENT_CHARS = 2
#: Page numbers (GB/T 9704: 4号).
PAGE_NUMBER_PT = SIZE_4
#: Sizes a title may take, largest first: 二号, else 小二.
TITLE_SIZES = (SIZE_2, SIZE_XIAO_2)
#: Share of a line an estimated width may fill (estimates are not exact).
FILL = 0.95

# --------------------------------------------------------------------------- tables

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
#: Tables wider than this many columns use 小四 instead of 四号 in the whole form.
WIDE_TABLE_COLUMNS = 5
#: Forms with a table cell of more running text than this use 小四 in their tables.
LONG_TEXT_CHARS = 60
#: Left and right cell margin.
CELL_MARGIN_TWIPS = 85
CELL_MARGIN_MM = CELL_MARGIN_TWIPS / 1440 * 25.4
#: Label cells: light grey shading (prints as a pale tint), RGB hex.
HEADER_SHADING = "EDEDED"
#: Fraction of the text block a cover may fill before its blank space is shrunk.
COVER_FILL = 0.9

# --------------------------------------------------------------------------- glyphs

#: Ideographic space, used for blanks and empty placeholders (one 字 wide).
IDEOGRAPHIC_SPACE = "\u3000"
#: Between inline checkbox options (one 字).
OPTION_GAP = IDEOGRAPHIC_SPACE
#: Punctuation and symbols below U+2E80 that CJK fonts set full width.
_WIDE = frozenset("‘’“”—…·※〃√□■○●△▲☐☑★☆→←↑↓")
#: Endings a long title is preferably broken before (a second line such as 项目申报表).
TITLE_SUFFIXES = (
    "项目申报表", "项目申报书", "项目推荐表", "项目指标", "申报表", "申报书", "推荐表",
)
_NO_LINE_START = frozenset("，。、；：？！）》」』”’%")
_NO_LINE_END = frozenset("（《「『“‘")


def text_em(text: str) -> float:
    """The one text measure: width of ``text`` in em (CJK and full-width 1, others 0.55).

    Parameters:
        text: Text on one line.

    Returns:
        Its estimated width in em.
    """
    return sum(1.0 if ord(ch) >= 0x2E80 or ch in _WIDE else 0.55 for ch in text)


def chars_per_line(width_mm: float, size_pt: float) -> float:
    """How many 字 of ``size_pt`` fit on a line ``width_mm`` wide."""
    return width_mm / (size_pt * 25.4 / 72)


def _wrapped(em: float, line_em: float) -> int:
    return max(1, math.ceil(em / max(line_em, 1)))


# --------------------------------------------------------------------------- titles


@dataclass(frozen=True)
class Title:
    """How a title is set: its size in pt and its lines."""

    size: float
    lines: tuple[str, ...]

    @property
    def pitch(self) -> float:
        """Line pitch (pt)."""
        return line_pitch(self.size)


def _title_breaks(text: str) -> tuple[list[int], list[int]]:
    """Where a title may be broken: ``(natural, anywhere)``.

    Natural points first: before a closing word (项目申报表…), then before 项目, （, 《 or
    after ” 》 」, most balanced first. Then anywhere that keeps numbers whole and no
    line opening with closing punctuation or ending with an opening one, most balanced
    first.
    """
    def balance(i: int) -> float:
        return max(text_em(text[:i]), text_em(text[i:]))

    suffixes = [text.rfind(s) for s in TITLE_SUFFIXES if text.rfind(s) > 0]
    natural = sorted(
        (i for i in range(1, len(text))
         if text[i - 1] in "”》」" or text.startswith(("项目", "（", "(", "《"), i)),
        key=balance,
    )
    anywhere = sorted(
        (i for i in range(1, len(text))
         if text[i] not in _NO_LINE_START and text[i - 1] not in _NO_LINE_END
         and not (text[i - 1].isascii() and text[i - 1].isalnum()
                  and text[i].isascii() and text[i].isalnum())),
        key=balance,
    )
    return list(dict.fromkeys([*suffixes, *natural])), anywhere


def fit_title(text: str, width_mm: float = TEXT_WIDTH_MM) -> Title:
    """Set a title in 二号, else 小二: on one line, else on two lines broken at a natural
    point (before 项目申报书, （计100分）…, after ”), else broken anywhere a reader would
    accept. An explicit line break is kept and each of its lines fitted (one size for all).

    Parameters:
        text: The title.
        width_mm: The line width.

    Returns:
        The size and lines.
    """
    if "\n" in text:
        fits = [fit_title(line, width_mm) for line in text.split("\n")]
        return Title(min(f.size for f in fits), tuple(x for f in fits for x in f.lines))
    width_pt = width_mm / 25.4 * 72 * FILL
    natural, anywhere = _title_breaks(text)

    def two_lines(pt: float, points: list[int]) -> Title | None:
        for i in points:
            if max(text_em(text[:i]), text_em(text[i:])) * pt <= width_pt:
                return Title(pt, (text[:i], text[i:]))
        return None

    for pt in TITLE_SIZES:
        if text_em(text) * pt <= width_pt:
            return Title(pt, (text,))
        if fit := two_lines(pt, natural):
            return fit
    for pt in TITLE_SIZES:
        if fit := two_lines(pt, anywhere):
            return fit
    return Title(TITLE_SIZES[-1], (text,))


# --------------------------------------------------------------------------- inline


@dataclass(frozen=True)
class FittedBlank:
    """A blank (填空) with its printed width: ``halves`` half-字 (underscores in Word)."""

    blank: str
    halves: int

    @property
    def em(self) -> float:
        """Width in em."""
        return self.halves / 2


#: An inline part as drawn: text, a fitted blank, a checkbox group or a line break.
Part = str | FittedBlank | Checkbox | Break


def _checkbox_em(part: Checkbox) -> list[float]:
    """Width (em) of each line a checkbox group takes."""
    per_option = 2 if part.box == "paren" else 1
    if part.layout == "stack":
        return [text_em(o) + per_option for o in part.options]
    return [
        sum(text_em(o) + per_option for o in part.options)
        + text_em(OPTION_GAP) * (len(part.options) - 1)
    ]


def fit_blanks(parts: Iterable[Any], line_em: float) -> list[Part]:
    """``parts`` with each blank given a width that lets its line fit in ``line_em``.

    A line is the run of parts between explicit breaks. When its text plus its blanks
    is wider than the line, the blanks on it shrink in proportion (to at least 1.5 字).

    Parameters:
        parts: Inline parts of a paragraph or cell.
        line_em: Usable line width in em.

    Returns:
        The parts, blanks replaced by :class:`FittedBlank` (two halves per 字 of the
        blank's width when nothing needs to shrink).
    """
    parts = list(parts)
    widths: dict[int, int] = {}
    line: list[Blank] = []
    fixed = 0.0

    def close() -> None:
        total = sum(b.width for b in line)
        room = (line_em - fixed) * FILL - 1.5
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
            ems = _checkbox_em(part)
            if part.layout == "stack":
                close()
                line, fixed = [], max(ems)
            else:
                fixed += ems[0]
    close()
    return [FittedBlank(p.blank, widths[id(p)]) if isinstance(p, Blank) else p for p in parts]


def parts_lines(parts: list[Part], line_em: float) -> int:
    """How many lines fitted inline ``parts`` take on lines ``line_em`` wide.

    Parameters:
        parts: Inline parts, blanks fitted (:func:`fit_blanks`).
        line_em: Usable line width in em.

    Returns:
        The number of lines, at least 1.
    """
    lines: list[float] = [0.0]
    for part in parts:
        if isinstance(part, Break):
            lines.append(0.0)
        elif isinstance(part, str):
            first, *rest = part.split("\n")
            lines[-1] += text_em(first)
            lines.extend(text_em(r) for r in rest)
        elif isinstance(part, FittedBlank):
            lines[-1] += part.em
        elif isinstance(part, Checkbox):
            first_em, *rest_em = _checkbox_em(part)
            lines[-1] += first_em
            lines.extend(rest_em)
    return sum(_wrapped(em, line_em) for em in lines)


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


# --------------------------------------------------------------------------- layout records


@dataclass(frozen=True, kw_only=True)
class _Laid:
    """A block as laid out: its kind (what the templates test) and whether a page break
    comes before it."""

    kind: ClassVar[str]
    break_before: bool = False

    def __init_subclass__(cls, kind: str = "", **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.kind = kind


@dataclass(frozen=True)
class AttachmentLabel(_Laid, kind="attachment"):
    """The 附件 number on top of the form's first page."""


    text: str
    size: float = ATTACHMENT_PT
    pitch: float = line_pitch(ATTACHMENT_PT)
    space: float = ATTACHMENT_AFTER_PT


@dataclass(frozen=True)
class FormTitle(_Laid, kind="form_title"):
    """The form's title, added where the form's own blocks do not show it."""


    title: Title


@dataclass(frozen=True)
class HeadingLayout(_Laid, kind="heading"):
    """A heading: its size, pitch and space around it."""


    block: Heading
    size: float
    pitch: float
    space: float


@dataclass(frozen=True)
class ParagraphLayout(_Laid, kind="paragraph"):
    """A paragraph: its size and pitch, and either its parts (blanks fitted) or, for a
    title of text only, the title's lines."""


    block: Paragraph
    size: float
    pitch: float
    parts: tuple[Part, ...]
    title: Title | None = None


@dataclass(frozen=True)
class SpaceLayout(_Laid, kind="space"):
    """Blank space of an exact height (pt); a cover's space shrinks so the cover fits."""


    height: float


@dataclass(frozen=True)
class SignatureLayout(_Laid, kind="signature"):
    """A signature block: blank space (pt) above its lines."""


    sign: Signature
    size: float
    pitch: float
    space: float


@dataclass(frozen=True)
class CellLayout:
    """A cell placed on its table's grid."""

    cell: Cell
    row: int  #: physical row of its top-left corner
    col: int
    width_twips: int
    suffix: str  #: field-id suffix of a repeated row: "", "-1", "-2"…
    parts: tuple[Part, ...] | None  #: inline parts with blanks fitted
    placeholder: str | None  #: an answer area's hint and word limit
    placeholder_lines: int  #: lines the placeholder takes (of the area's lines)
    label: str  #: the text of the last text cell before it in its row (field titles)
    top: bool  #: aligned to the top (answer areas of several lines, signatures)
    sign_space: float  #: blank space (pt) above a signature's lines


@dataclass(frozen=True)
class Slot:
    """One grid cell of a row, in column order: the cell that starts here, or the part
    of a cell merged from a row above (Word draws both; HTML only the start)."""

    cell: CellLayout
    start: bool


@dataclass(frozen=True)
class RowLayout:
    """A physical table row (repeats expanded)."""

    height_mm: float
    keep_whole: bool  #: never split across pages
    keep_with_next: bool  #: on the page of the next row
    header: bool  #: repeated at the top of every page the table runs onto
    slots: tuple[Slot, ...]

    @property
    def cells(self) -> tuple[CellLayout, ...]:
        """The cells that start in this row."""
        return tuple(s.cell for s in self.slots if s.start)


@dataclass(frozen=True)
class TableLayout(_Laid, kind="table"):
    """A table: text size and pitch, column widths, rows."""


    block: Table
    size: float
    pitch: float
    col_twips: tuple[int, ...]
    rows: tuple[RowLayout, ...]
    #: Directly after another table: kept apart by a 1 pt paragraph in the DOCX (Word and
    #: LibreOffice join touching tables into one when a file is saved again).
    after_table: bool = False

    @property
    def col_percent(self) -> tuple[float, ...]:
        """Column widths as shares of the text width (%)."""
        total = sum(self.col_twips)
        return tuple(w * 100 / total for w in self.col_twips)


BlockLayout = (
    AttachmentLabel | FormTitle | HeadingLayout | ParagraphLayout | SpaceLayout | SignatureLayout
    | TableLayout
)


@dataclass(frozen=True)
class FormLayout:
    """Everything both renderers draw of one form, section by section.

    The cover (its own page, no page number), the 填报说明 (its own page), then the
    body; each block carries ``break_before`` where the form asks for a page break. The
    form's title is added on top of the cover, or else of the first page, where the
    form's own blocks do not show it.
    """

    form: Form
    cover: tuple[BlockLayout, ...]
    instructions: tuple[BlockLayout, ...]
    body: tuple[BlockLayout, ...]
    table_size: float


# --------------------------------------------------------------------------- decisions


def _needs_small_text(table: Table) -> bool:
    """Wide tables and tables of long running text are set in 小四, not 四号."""
    if len(table.widths) >= WIDE_TABLE_COLUMNS:
        return True
    return any(
        cell.text is not None and not cell.is_header and len(cell.text) > LONG_TEXT_CHARS
        for row in table.rows
        for cell in row.cells
    )


def _squash(text: str) -> str:
    return "".join(text.split())


def _block_text(block: Block) -> str | None:
    if isinstance(block, Heading):
        return block.text
    if isinstance(block, Paragraph):
        return "".join(p for p in block.parts if isinstance(p, str))
    return None


def _has_title(blocks: list[Block], title: str, *, whole: bool) -> bool:
    """True when ``blocks`` already show the form's title, so it is not repeated: anywhere
    on a cover (``whole``), or in the first three text blocks of the body."""
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


def _title_parts(parts: list[Any]) -> str | None:
    """The text of a title paragraph of text and line breaks; None if it holds fields."""
    text = ""
    for part in parts:
        if isinstance(part, str):
            text += part
        elif isinstance(part, Break):
            text += "\n"
        else:
            return None
    return text


def _split_widths(widths: list[float], total: int) -> list[int]:
    """Column widths in twips, proportional to ``widths`` and adding up to ``total``."""
    scale = total / sum(widths)
    raw = [w * scale for w in widths]
    out = [math.floor(x) for x in raw]
    order = sorted(range(len(raw)), key=lambda i: (out[i] - raw[i], i))
    for i in order[: total - sum(out)]:
        out[i] += 1
    return out


def twips(mm: float) -> int:
    """``mm`` in twentieths of a point (Word's unit), rounded."""
    return round(mm / 25.4 * 1440)


def _cell_lines(cell: Cell, parts: list[Part] | None, line_em: float) -> float:
    """Lines of table text a cell needs (its answer area, signature or wrapped text)."""
    if cell.input is not None:
        return float(cell.input.lines)
    if cell.sign is not None:
        return float(cell.sign.space + len(cell.sign.lines))
    if parts is not None:
        return float(parts_lines(parts, line_em))
    if not cell.text:
        return 1.0
    return float(sum(_wrapped(text_em(line), line_em) for line in cell.text.split("\n")))


def _keep_row_whole(cells: list[Cell], height_mm: float) -> bool:
    """A row holding an answer area of several lines or a signature is kept whole (a split
    would break the field), as is any short row; a tall row of running text only may
    continue on the next page; no row taller than :data:`MAX_UNSPLIT_ROW_MM` is kept."""
    if height_mm > MAX_UNSPLIT_ROW_MM:
        return False
    fieldy = any((c.input is not None and c.input.lines > 1) or c.sign is not None for c in cells)
    return fieldy or height_mm <= SPLITTABLE_TEXT_ROW_MM


def _is_column_heading(cells: list[Cell]) -> bool:
    """A row of two or more label cells, single-row: column headings worth repeating."""
    return len(cells) >= 2 and all(
        c.text is not None and c.is_header and c.rowspan == 1 for c in cells
    )


def _table(block: Table, size: float, break_before: bool) -> TableLayout:
    grid = table_grid(block)
    ncols = len(block.widths)
    widths = _split_widths(block.widths, twips(TEXT_WIDTH_MM))
    pitch = line_pitch(size)
    line_mm = pitch * 25.4 / 72

    starts: dict[tuple[int, int], tuple[Cell, str]] = {}
    physical = table_rows(block)
    phys_rows = [row_index for row_index, _ in physical]
    for phys, line in enumerate(grid):
        row_index, nth = physical[phys]
        suffix = f"-{nth}" if block.rows[row_index].repeat > 1 else ""
        for col, slot in enumerate(line):
            if slot is not None:
                starts[(phys, col)] = (block.rows[slot[0]].cells[slot[1]], suffix)

    cells: dict[tuple[int, int], CellLayout] = {}
    needed = [float(block.rows[phys_rows[p]].height or 1) for p in range(len(grid))]
    label_of_row: dict[int, str] = {}
    for (phys, col), (cell, suffix) in sorted(starts.items()):
        width_twips = sum(widths[col : col + cell.colspan])
        width_mm = (width_twips - 2 * CELL_MARGIN_TWIPS) / 1440 * 25.4
        line_em = chars_per_line(width_mm, size)
        parts = fit_blanks(cell.parts, line_em) if cell.parts is not None else None
        share = _cell_lines(cell, parts, line_em) / cell.rowspan
        for dr in range(cell.rowspan):
            needed[phys + dr] = max(needed[phys + dr], share)
        sign_space = cell.sign.space * pitch if cell.sign is not None else 0.0
        placeholder = word_limit_text(cell.input) if cell.input is not None else None
        placeholder_lines = sum(
            _wrapped(text_em(line), line_em) for line in placeholder.split("\n")
        ) if placeholder else 0
        cells[(phys, col)] = CellLayout(
            cell=cell, row=phys, col=col, width_twips=width_twips, suffix=suffix,
            parts=tuple(parts) if parts is not None else None,
            placeholder=placeholder, placeholder_lines=placeholder_lines,
            label=label_of_row.get(phys, ""),
            top=(cell.input is not None and cell.input.lines > 1) or cell.sign is not None,
            sign_space=sign_space,
        )
        if cell.text is not None:
            label_of_row[phys] = cell.text
    heights = [max(MIN_ROW_MM, round(n * line_mm + ROW_PADDING_MM, 1)) for n in needed]

    owner: dict[tuple[int, int], CellLayout] = {}
    for (phys, col), layout in cells.items():
        for dr in range(layout.cell.rowspan):
            for dc in range(layout.cell.colspan):
                owner[(phys + dr, col + dc)] = layout

    # Kept with the next row: rows of text only (section titles, column headings, a
    # pledge above its signature), and the rows a merged label spans unless together
    # they are taller than MAX_KEPT_GROUP_MM.
    last = len(grid) - 1
    keep_next = [False] * len(grid)
    for phys in range(last):
        row_cells = [c.cell for (r, _c), c in cells.items() if r == phys]
        if row_cells and all(c.text is not None for c in row_cells):
            keep_next[phys] = True
    for (phys, _col), layout in cells.items():
        span = layout.cell.rowspan
        if span > 1 and sum(heights[phys : phys + span]) <= MAX_KEPT_GROUP_MM:
            for dr in range(span - 1):
                keep_next[phys + dr] = True
    first_cells = [c.cell for (r, _c), c in cells.items() if r == 0]
    repeat_header = sum(heights) > TEXT_HEIGHT_MM and _is_column_heading(first_cells)

    rows = []
    for phys in range(len(grid)):
        slots = []
        col = 0
        while col < ncols:
            layout = owner[(phys, col)]
            slots.append(Slot(layout, start=layout.row == phys))
            col += layout.cell.colspan
        row_cells = [s.cell.cell for s in slots if s.start]
        keep = block.rows[phys_rows[phys]].keep_together and _keep_row_whole(row_cells, heights[phys])
        rows.append(RowLayout(
            height_mm=heights[phys], keep_whole=keep, keep_with_next=keep_next[phys],
            header=phys == 0 and repeat_header, slots=tuple(slots),
        ))
    return TableLayout(block, size, pitch, tuple(widths), tuple(rows), break_before=break_before)


def _paragraph(block: Paragraph, break_before: bool) -> ParagraphLayout:
    size = PARAGRAPH_PT[block.size]
    if block.size == "title":
        text = _title_parts(block.parts)
        if text is not None:
            title = fit_title(text)
            return ParagraphLayout(block, title.size, title.pitch, (), title,
                                   break_before=break_before)
    line_em = chars_per_line(TEXT_WIDTH_MM, size) - (INDENT_CHARS if block.indent else 0)
    parts = fit_blanks(block.parts, line_em)
    return ParagraphLayout(block, size, line_pitch(size), tuple(parts), break_before=break_before)


def _estimate_height(block: Block, table_size: float) -> tuple[float, float]:
    """``(fixed, space)`` height in points of a block: its text, and its blank space."""
    if isinstance(block, Space):
        return 0.0, block.lines * line_pitch(SIZE_4)
    if isinstance(block, Heading):
        size = HEADING_PT[block.level]
        lines = math.ceil(text_em(block.text) / chars_per_line(TEXT_WIDTH_MM, size))
        return lines * line_pitch(size) + 16.0, 0.0
    if isinstance(block, Paragraph):
        layout = _paragraph(block, False)
        if layout.title is not None:
            return len(layout.title.lines) * layout.pitch + TITLE_AFTER_PT, 0.0
        # A blank or checkbox counts as four 字 (a rough height estimate).
        text = "".join(p if isinstance(p, str) else "\n" if isinstance(p, Break) else "　" * 4
                       for p in block.parts)
        cpl = chars_per_line(TEXT_WIDTH_MM, layout.size)
        lines = sum(max(1, math.ceil(text_em(t) / cpl)) for t in text.split("\n"))
        return lines * layout.pitch, 0.0
    if isinstance(block, SignatureBlock):
        pitch = line_pitch(SIZE_4)
        return len(block.sign.lines) * pitch, block.sign.space * pitch
    if isinstance(block, Table):
        rows = sum(r.repeat * max(r.height or 1, 1) for r in block.rows)
        return rows * max(MIN_ROW_MM * 72 / 25.4, line_pitch(table_size)), 0.0
    return 0.0, 0.0


def _cover_space_scale(form: Form, title: Title | None, table_size: float) -> float:
    """Factor for the cover's blank space so the cover fits on its one page."""
    fixed = space = 0.0
    if form.attachment:
        fixed += line_pitch(ATTACHMENT_PT) + ATTACHMENT_AFTER_PT
    if title is not None:
        fixed += title.pitch * len(title.lines) + TITLE_AFTER_PT
    for block in form.cover:
        f, s = _estimate_height(block, table_size)
        fixed += f
        space += s
    room = TEXT_HEIGHT_MM * 72 / 25.4 * COVER_FILL - fixed
    if space <= room or space <= 0:  # fits, or no blank space to shrink (text overflows)
        return 1.0
    return max(0.0, room / space)


def _blocks(
    blocks: Iterable[Block], table_size: float, space_scale: float, pending: bool
) -> tuple[list[BlockLayout], bool]:
    """Lay out ``blocks``; returns them and whether a page break is still pending."""
    out: list[BlockLayout] = []
    for block in blocks:
        if isinstance(block, PageBreak):
            pending = True
            continue
        item: BlockLayout
        if isinstance(block, Heading):
            size = HEADING_PT[block.level]
            item = HeadingLayout(block, size, line_pitch(size), HEADING_SPACE_PT[block.level],
                                 break_before=pending)
        elif isinstance(block, Paragraph):
            item = _paragraph(block, pending)
        elif isinstance(block, Table):
            item = _table(block, table_size, pending)
        elif isinstance(block, Space):
            height = block.lines * line_pitch(SIZE_4) * space_scale
            if height < 1:
                continue  # nothing to draw; a pending break waits for the next block
            item = SpaceLayout(height, break_before=pending)
        elif isinstance(block, SignatureBlock):
            pitch = line_pitch(SIZE_4)
            item = SignatureLayout(block.sign, SIZE_4, pitch, block.sign.space * pitch,
                                   break_before=pending)
        else:  # pragma: no cover (the model has no other block)
            continue
        if isinstance(item, TableLayout) and out and isinstance(out[-1], TableLayout):
            item = replace(item, after_table=True)
        out.append(item)
        pending = False
    return out, pending


def layout_form(form: Form) -> FormLayout:
    """Lay out ``form``: every decision the DOCX and the PDF of it draw.

    Parameters:
        form: The form (from :func:`generator.formset.forms_of`).

    Returns:
        Its layout.

    Raises:
        ValueError: A table's cells do not fill its grid.
    """
    blocks = (*form.cover, *form.instructions, *form.blocks)
    small = any(_needs_small_text(b) for b in blocks if isinstance(b, Table))
    table_size = SIZE_XIAO_4 if small else SIZE_4
    title = fit_title(form.title)
    cover: list[BlockLayout] = []
    if form.cover:
        add = not _has_title(form.cover, form.title, whole=True)
        scale = _cover_space_scale(form, title if add else None, table_size)
        if add:
            cover.append(FormTitle(title))
        cover.extend(_blocks(form.cover, table_size, scale, False)[0])
    instructions = _blocks(form.instructions, table_size, 1.0, False)[0]
    body = _blocks(form.blocks, table_size, 1.0, False)[0]
    if instructions:  # the body starts on a page of its own
        body[0] = replace(body[0], break_before=True)
    if not form.cover and not _has_title(form.blocks, form.title, whole=False):
        # Without a cover the title heads the first page, above any 填报说明.
        (instructions or body).insert(0, FormTitle(title))
    if form.attachment:
        first = cover if form.cover else instructions if form.instructions else body
        if first and first[0].break_before:
            first[0] = replace(first[0], break_before=False)
        first.insert(0, AttachmentLabel(form.attachment))
    return FormLayout(
        form=form, cover=tuple(cover), instructions=tuple(instructions), body=tuple(body),
        table_size=table_size,
    )
