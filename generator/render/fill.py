"""在线填写: one page per form where an applicant fills the form in the browser.

Each page draws the form's layout (:func:`generator.layout.layout_form`, as the DOCX and
PDF do: sections, title lines and sizes, blank widths, placeholders, blank space, row
heights and page breaks, which the print view follows) and carries the very DOCX the site
offers (base64, so the page works from ``file://`` and makes no request after it loads).
The browser script ``overrides/assets/kx-fill.js`` keeps answers on the device, checks
them, fills the DOCX's content controls (tags are the field ids) with fflate, reads them
back from a filled DOCX, and prints the form.

What this module decides, for the browser only (the paper forms have no such notions):

* each field's accessible label, from the table grid (the label cells in front of it, the
  column heading above it, or the heading before the table);
* each field's kind: ``text``, ``multiline``, ``number``, ``date``, ``year``/``month``/``day``,
  ``tel``, ``email``, ``postcode`` (from the form's kind and the label's words);
* which fields are required (a field is optional when it is in a row an applicant adds,
  a 备注, an opinion written by someone else — 意见 — or a score of an indicator table);
* rows an applicant may add (a row with ``repeat``), and 合计 inputs summed from the
  number inputs above them in the same column;
* word limits: per field and across fields (``Form.word_limits``).

Public:

* :func:`prepare` — the page's prepared model (fields with labels and kinds, blocks).
* :func:`fill_page` — the Markdown (HTML block) of one form's page.
* :func:`render` — every form's page, and fflate copied into the site's assets.
"""

from __future__ import annotations

import base64
import functools
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from .. import cache, urls
from ..context import BuildContext
from ..errors import BuildError
from ..formset import forms_of
from ..layout import (
    HEADER_SHADING,
    AttachmentLabel,
    BlockLayout,
    CellLayout,
    FittedBlank,
    FormTitle,
    HeadingLayout,
    ParagraphLayout,
    Part,
    SignatureLayout,
    SpaceLayout,
    TableLayout,
    Title,
    fit_title,
    layout_form,
)
from ..models import Blank, Break, Call, Cell, Checkbox, Form, InputArea, Signature, table_grid, table_rows
from .pages import environment, relative

log = logging.getLogger(__name__)

#: fflate's browser build, installed from package-lock.json (``npm ci``).
FFLATE_SOURCE = Path("node_modules") / "fflate" / "umd" / "index.js"
#: Where the build puts fflate in the site (beside the theme's assets).
FFLATE_ASSET = "assets/vendor/fflate.min.js"
#: The fill page's own script (``overrides/assets``, copied by the theme); its styles,
#: ``assets/kx-fill.css``, are linked in the head by ``overrides/main.html`` (``kx_fill`` meta).
SCRIPT_ASSET = "assets/kx-fill.js"
#: Repository that holds package.json (and node_modules) next to this package.
_REPO = Path(__file__).resolve().parents[2]

_TEL = ("电话", "手机", "传真")
_EMAIL = ("邮箱", "信箱", "邮件", "e-mail", "email")
_DATE = ("时间", "日期")
_COUNT = ("个数", "人数", "（个）", "(个)", "编制数")
_POSTCODE = ("邮政编码", "邮编")
#: Words of a label that make the field optional (someone else writes it, or a remark).
_OPTIONAL = ("备注", "意见")
_PUNCT = "：:，,。；;、 \u3000"


# --------------------------------------------------------------------------- the prepared page


@dataclass
class Field:
    """One answer: an input area, a blank or a checkbox group."""

    id: str
    label: str
    kind: str
    required: bool
    limit: int | None = None
    hint: str | None = None
    lines: int = 1
    width: float = 8.0  #: a blank's printed width in 字 (from the layout)
    options: list[str] = field(default_factory=list)
    multiple: bool = False
    box: str = "after"
    layout: str = "inline"
    sum_of: list[str] = field(default_factory=list)
    max: str | None = None
    group: str | None = None  # repeat group id (rows an applicant may add)
    described_by: list[str] = field(default_factory=list)  #: ids of text cells describing it


@dataclass
class PageCell:
    """A table cell placed on the grid: what it holds and how far it spans."""

    colspan: int
    rowspan: int
    header: bool
    align: str
    text: str | None = None
    field: Field | None = None
    parts: list[tuple[str, Any]] | None = None
    sign: Signature | None = None
    sign_space: float = 0.0  #: blank space (pt) above a signature's lines
    labels_field: bool = False  # a label cell an input in its row or column is named after
    tall: bool = False
    id: str | None = None  #: set on a text cell that describes an answer


@dataclass
class PageRow:
    cells: list[PageCell]
    height_mm: float  #: least height on paper (the layout's)
    keep_whole: bool = False
    keep_with_next: bool = False
    header: bool = False  #: repeated on every page the table runs onto
    group: str | None = None  # repeat group id
    index: int = 0  # 1-based position in its repeat group


@dataclass
class PageTable:
    widths: list[float]  #: column widths in % of the text width
    rows: list[PageRow]
    groups: dict[str, int]  # repeat group id → most rows
    size: float  #: type size (pt) on paper


@dataclass
class PageBlock:
    """One block of a section; ``break_before``: starts a new page on paper."""

    type: str
    value: Any
    break_before: bool = False


@dataclass
class LimitGroup:
    """A word limit over several fields (总字数在2000字以内)."""

    id: str
    fields: list[str]
    limit: int
    text: str


@dataclass
class FillForm:
    """Everything the fill page draws: sections of blocks, fields, limits, the DOCX."""

    call: Call
    form: Form
    title: Title  #: the page's heading (the printed title is a block of its own)
    cover: list[PageBlock]
    instructions: list[PageBlock]
    body: list[PageBlock]
    fields: list[Field]
    limits: list[LimitGroup]


# --------------------------------------------------------------------------- field naming


def _clean(text: str) -> str:
    """A label from cell text: one line, spaces that spread a label (姓 名) removed."""
    squashed = " ".join(text.split())
    if re.fullmatch(r"[\u3000-\u9fff\uff00-\uffef（）()、“”]+(?: [\u3000-\u9fff\uff00-\uffef（）()、“”]+)+", squashed):
        return squashed.replace(" ", "")
    return squashed


def field_kind(label: str, area: InputArea | None, *, after: str = "", form_kind: str = "") -> str:
    """The kind of input a field needs, from its area's kind and the words of its label.

    Parameters:
        label: The field's label.
        area: The input area (None for an inline blank).
        after: For a blank, the text right after it (年/月/日 make it part of a date,
            万元 a number).
        form_kind: The form's kind (scores of an indicator table are numbers).

    Returns:
        One of text, multiline, number, date, year, month, day, tel, email, postcode.
    """
    if area is not None:
        if area.kind == "multiline" or area.lines > 1:
            return "multiline"
        if area.kind in ("number", "date"):
            return area.kind
    unit = after[:1]  # the unit right after the blank (not after ideographic spaces)
    if area is None and unit and unit in "年月日":
        return {"年": "year", "月": "month", "日": "day"}[unit]
    if area is None and after.strip().startswith(("万元", "元")):
        return "number"
    lower = label.lower()
    if any(w in label for w in _POSTCODE):
        return "postcode"
    if any(w in lower for w in _EMAIL):
        return "email"
    if any(w in label for w in _TEL):
        return "tel"
    if any(w in label for w in _COUNT):
        return "number"
    if any(w in label for w in _DATE) and "起止" not in label:
        return "date"
    return "text"


def _is_optional(label: str) -> bool:
    return any(w in label for w in _OPTIONAL)


_CLAUSE = re.compile(r"[，,。；;：:！？]")
#: Longest label taken from a cell's text (an indicator's text can be a paragraph).
MAX_LABEL = 40


def _phrase(parts: list[Any], at: int) -> tuple[str, str]:
    """What names inline part ``at``: the clause before it on its line (a unit such as the
    年 of the blank before is skipped), and the text right after it.

    Returns:
        ``(before, after)``; ``before`` is completed with the clause after the blank when it
        is a single character (经____会议研究审议 → 经……会议研究审议).
    """
    before = ""
    for part in reversed(parts[:at]):
        if isinstance(part, Break):
            break
        if isinstance(part, str):
            line = part.split("\n")[-1]
            words = line.lstrip(_PUNCT + "年月日").rstrip(_PUNCT)
            words = _CLAUSE.split(words)[-1].lstrip("0123456789.").strip(_PUNCT)
            if words:
                before = words
                break
            if "\n" in part:
                break
    after = ""
    if at + 1 < len(parts) and isinstance(parts[at + 1], str):
        after = parts[at + 1]
    if len(before) == 1 and after[:1] not in "年月日":
        follow = _CLAUSE.split(after.split("\n")[0])[0].strip(_PUNCT)
        if len(follow) >= 2:
            before = f"{before}……{follow}"
    return _clean(before), after


def _short(text: str) -> str:
    """A label from cell text, cut to :data:`MAX_LABEL` characters."""
    text = _clean(text)
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


# --------------------------------------------------------------------------- building


class _Builder:
    """Walks a form once and prepares its page."""

    def __init__(self, call: Call, form: Form) -> None:
        self.call = call
        self.form = form
        self.fields: list[Field] = []
        self.context = _clean(form.title)  # the heading the next table's fields fall under
        self.table_no = 0
        self.section = ""  # 封面 while walking the cover
        #: The first label of each field's row (or 封面), to tell apart equal labels.
        self.row_first: dict[str, str] = {}
        #: The title row of each table field's table (一、申报单位基本情况), likewise.
        self.part_of: dict[str, str] = {}

    def build(self) -> FillForm:
        form = self.form
        laid = layout_form(form)
        self.section = "封面"
        cover = self._blocks(laid.cover)
        self.section = ""
        instructions = self._blocks(laid.instructions)
        body = self._blocks(laid.body)
        self._tell_apart()
        limits = [
            LimitGroup(f"limit-{i}", list(wl.fields), wl.limit, wl.text)
            for i, wl in enumerate(form.word_limits, 1)
        ]
        return FillForm(
            call=self.call,
            form=form,
            title=fit_title(form.title),
            cover=cover,
            instructions=instructions,
            body=body,
            fields=self.fields,
            limits=limits,
        )

    def _tell_apart(self) -> None:
        """Prefix labels that several fields share with their row's first label."""
        seen: dict[str, int] = {}
        for f in self.fields:
            seen[f.label] = seen.get(f.label, 0) + 1
        for f in self.fields:
            first = self.row_first.get(f.id, "")
            if seen[f.label] > 1 and first and not f.label.startswith(first):
                f.label = f"{first} {f.label}"
        seen = {}
        for f in self.fields:
            seen[f.label] = seen.get(f.label, 0) + 1
        for f in self.fields:
            part = self.part_of.get(f.id, "")
            if seen[f.label] > 1 and part:
                f.label = f"{f.label}（{part}）"
        counts: dict[str, int] = {}
        for f in self.fields:
            counts[f.label] = counts.get(f.label, 0) + 1
        nth: dict[str, int] = {}
        for f in self.fields:
            if counts[f.label] > 1:
                nth[f.label] = nth.get(f.label, 0) + 1
                f.label = f"{f.label}（第{nth[f.label]}项）"

    # -- blocks

    def _blocks(self, items: tuple[BlockLayout, ...]) -> list[PageBlock]:
        out: list[PageBlock] = []
        for item in items:
            brk = item.break_before
            if isinstance(item, AttachmentLabel):
                out.append(PageBlock("attachment", item, brk))
            elif isinstance(item, FormTitle):
                out.append(PageBlock("title", item.title, brk))
            elif isinstance(item, HeadingLayout):
                self.context = _clean(item.block.text)
                out.append(PageBlock("heading", item, brk))
            elif isinstance(item, ParagraphLayout):
                block = item.block
                text = "".join(p for p in block.parts if isinstance(p, str))
                parts = self._inline(block.parts, item.parts or None, "", "", None)
                plain = not any(kind in ("blank", "choice") for kind, _ in parts)
                if plain and text.strip() and len(text) <= 40:
                    self.context = _clean(text)
                out.append(PageBlock("paragraph", (item, parts), brk))
            elif isinstance(item, TableLayout):
                self.table_no += 1
                out.append(PageBlock("table", self._table(item), brk))
            elif isinstance(item, SignatureLayout):
                out.append(PageBlock("sign", (item.sign, item.space), brk))
            elif isinstance(item, SpaceLayout):
                out.append(PageBlock("space", round(item.height, 1), brk))
        return out

    def _inline(
        self, parts: list[Any], fitted: tuple[Part, ...] | None, suffix: str, row_label: str,
        group: str | None, *, optional: bool = False,
    ) -> list[tuple[str, Any]]:
        """Inline parts as drawn; ``fitted`` are the same parts with the layout's blank
        widths (:func:`generator.layout.fit_blanks`)."""
        out: list[tuple[str, Any]] = []
        for i, part in enumerate(parts):
            if isinstance(part, str):
                out.append(("text", part))
            elif isinstance(part, Break):
                out.append(("br", None))
            elif isinstance(part, Blank):
                before, after = _phrase(parts, i)
                unit = after[:1]
                name = " ".join(x for x in (row_label, before) if x) or self.context
                label = f"{name}（{unit}）" if unit in ("年", "月", "日") and unit else name
                kind = field_kind(f"{row_label} {before}", None, after=after, form_kind=self.form.kind)
                laid = fitted[i] if fitted is not None else None
                f = Field(
                    id=part.blank + suffix, label=label, kind=kind,
                    required=not (optional or _is_optional(label)), group=group,
                    width=laid.em if isinstance(laid, FittedBlank) else float(part.width),
                )
                self.fields.append(f)
                self.row_first[f.id] = self.section
                out.append(("blank", f))
            elif isinstance(part, Checkbox):
                before, _ = _phrase(parts, i)
                label = " ".join(x for x in (row_label, before) if x) or self.context
                f = Field(
                    id=part.choice + suffix, label=label, kind="choice",
                    required=not (optional or _is_optional(label)), options=list(part.options),
                    multiple=part.multiple, box=part.box, layout=part.layout, group=group,
                )
                self.fields.append(f)
                self.row_first[f.id] = self.section
                out.append(("choice", f))
        return out

    # -- tables

    def _table(self, laid: TableLayout) -> PageTable:
        block = laid.block
        grid = table_grid(block)
        placed: dict[tuple[int, int], CellLayout] = {
            (slot.cell.row, slot.cell.col): slot.cell
            for row in laid.rows for slot in row.slots if slot.start
        }
        nrows, ncols = len(grid), len(block.widths)
        owner: dict[tuple[int, int], tuple[int, int, Cell]] = {}  # (phys, col) → anchor
        physical = table_rows(block)
        for phys, line in enumerate(grid):
            for col, slot in enumerate(line):
                if slot is None:
                    continue
                cell = block.rows[slot[0]].cells[slot[1]]
                for dr in range(cell.rowspan):
                    for dc in range(cell.colspan):
                        owner[(phys + dr, col + dc)] = (phys, col, cell)

        def at(phys: int, col: int) -> tuple[int, int, Cell] | None:
            if 0 <= phys < nrows and 0 <= col < ncols:
                return owner[(phys, col)]
            return None

        def row_label(phys: int, col: int, *, mark: bool = True) -> str:
            """Text cells just left of ``col`` (contiguous), outermost first; with ``mark``
            they are noted as labels the answer's own label repeats (hidden on a phone)."""
            names: list[str] = []
            c = col - 1
            while c >= 0:
                a_phys, start, cell = owner[(phys, c)]
                if cell.text is None or not cell.text.strip():
                    break
                if len(_clean(cell.text)) > MAX_LABEL:
                    # running text (an indicator): it stays in view and describes the answer
                    described.append((a_phys, start))
                else:
                    names.append(_clean(cell.text))
                    if mark:
                        labelled.add((a_phys, start))
                c = start - 1
            return " ".join(reversed(names))

        def column_label(phys: int, col: int, span: int, left: str) -> str:
            """The column heading above an answer: the nearest label cell of the same
            columns, over the answers (and row numbers) of a column; used when the cell
            right above is that heading, when it is an answer of the same column, or when
            nothing on the left names the answer."""
            above = at(phys - 1, col)
            if above is None:
                return ""
            _, a_col, a_cell = above
            same = a_col == col and a_cell.colspan == span
            if left and not (same and (a_cell.input is not None or a_cell.is_header)):
                return ""
            p = phys - 1
            while p >= 0:
                f_phys, f_col, cell = owner[(p, col)]
                if f_col != col or cell.colspan != span:
                    break
                if cell.text and cell.is_header:
                    labelled.add((f_phys, f_col))
                    return _short(cell.text)
                if cell.input is None and cell.text is None:
                    break
                p = f_phys - 1
            return ""

        labelled: set[tuple[int, int]] = set()
        described: list[tuple[int, int]] = []  # long text cells left of the current answer
        top_cell = owner[(0, 0)][2]
        part_title = _short(top_cell.text) if top_cell.text and top_cell.colspan == ncols else ""
        groups: dict[str, int] = {}
        rows: list[PageRow] = []
        number_cols: dict[int, list[str]] = {}
        pending_cells: list[tuple[PageCell, int, int]] = []
        for phys in range(nrows):
            row_index, n = physical[phys]
            row = block.rows[row_index]
            suffix = f"-{n}" if row.repeat > 1 else ""
            group = f"t{self.table_no}-r{row_index}" if row.repeat > 1 else None
            if group:
                groups[group] = row.repeat
            cells: list[PageCell] = []
            leading: list[str] = []  # label cells that open the row (a group such as 四长)
            for c in range(ncols):
                cell = owner[(phys, c)][2]
                if not cell.text or not cell.text.strip():
                    break
                if owner[(phys, c)][1] == c:
                    leading.append(_short(cell.text))
            row_group = " ".join(leading[:-1])
            first_label = leading[0] if leading else ""
            row_text = " ".join(
                _clean(owner[(phys, c)][2].text or "") for c in range(ncols)
                if owner[(phys, c)][2].text
            )
            for col in range(ncols):
                anchor = owner[(phys, col)]
                if anchor[0] != phys or anchor[1] != col:
                    continue
                cell = anchor[2]
                pc = PageCell(
                    colspan=cell.colspan, rowspan=cell.rowspan, header=cell.is_header,
                    align=cell.align or ("center" if cell.is_header else "left"),
                )
                optional = row.repeat > 1
                if cell.text is not None:
                    pc.text = cell.text
                    pending_cells.append((pc, phys, col))
                elif cell.input is not None:
                    area = cell.input
                    described.clear()
                    left = row_label(phys, col)
                    top = column_label(phys, col, cell.colspan, left)
                    if not left and top:
                        left = row_text  # the row's own words: 项目负责人, a row number
                    elif row_group and not left.startswith(row_group):
                        left = f"{row_group} {left}"
                    label = " ".join(x for x in (left, top) if x) or self.context
                    if row.repeat > 1:
                        label = f"{label}（第{n}行）"
                    kind = field_kind(label, area, form_kind=self.form.kind)
                    f = Field(
                        id=area.id + suffix, label=label, kind=kind,
                        required=not (optional or _is_optional(label) or self.form.kind == "indicators"),
                        limit=area.word_limit, hint=placed[(phys, col)].placeholder,
                        lines=area.lines, group=group,
                    )
                    if self.form.kind == "indicators" and area.hint and area.hint.isdigit():
                        f.max = area.hint
                        f.hint = f"满分 {area.hint} 分"
                    if "合计" in row_text and kind == "number":
                        f.sum_of = list(number_cols.get(col, []))
                        f.required = False
                    elif kind == "number":
                        number_cols.setdefault(col, []).append(f.id)
                    f.described_by = [f"t{self.table_no}-c{p}-{c}" for p, c in described]
                    self.fields.append(f)
                    self.row_first[f.id] = first_label
                    self.part_of[f.id] = part_title
                    pc.field = f
                    pc.tall = f.kind == "multiline"
                elif cell.parts is not None:
                    left = row_label(phys, col, mark=False)
                    pc.parts = self._inline(
                        cell.parts, placed[(phys, col)].parts, suffix, left, group, optional=optional
                    )
                elif cell.sign is not None:
                    pc.sign = cell.sign
                    pc.sign_space = placed[(phys, col)].sign_space
                    pc.tall = True
                cells.append(pc)
            lrow = laid.rows[phys]
            rows.append(PageRow(
                cells=cells, height_mm=lrow.height_mm, keep_whole=lrow.keep_whole,
                keep_with_next=lrow.keep_with_next, header=lrow.header, group=group, index=n,
            ))
        describing = {d for f in self.fields for d in f.described_by}
        for pc, phys, col in pending_cells:
            pc.labels_field = (phys, col) in labelled
            if f"t{self.table_no}-c{phys}-{col}" in describing:
                pc.id = f"t{self.table_no}-c{phys}-{col}"
        return PageTable(widths=list(laid.col_percent), rows=rows, groups=groups, size=laid.size)


def prepare(call: Call, form: Form) -> FillForm:
    """The fill page of ``form``, prepared for the template.

    Parameters:
        call: The call.
        form: One of ``forms_of(call)``.

    Returns:
        Sections, fields and word limits of the form.

    Raises:
        ValueError: A table's cells do not fill its grid.
    """
    return _Builder(call, form).build()


# --------------------------------------------------------------------------- page


def _template(env: jinja2.Environment) -> jinja2.Template:
    return env.get_template("fill.md.j2")


def fill_page(env: jinja2.Environment, call: Call, form: Form, docx: bytes) -> str:
    """The Markdown (one HTML block) of the fill page of ``form``.

    Parameters:
        env: The page environment (:func:`generator.render.pages.environment`).
        call: The call.
        form: One of ``forms_of(call)``.
        docx: The form's DOCX as the site offers it; embedded, filled in the browser.

    Returns:
        The page source, written to :func:`generator.urls.form_fill_markdown`.
    """
    page = prepare(call, form)
    here = urls.form_fill_page(call, form)
    return _template(env).render(
        page=page,
        call=call,
        form=form,
        here=here,
        docx_b64=base64.b64encode(docx).decode("ascii"),
        docx_name=urls.download_name(call, form, "docx"),
        shading=HEADER_SHADING,
        fflate=relative(here, FFLATE_ASSET),
        script=relative(here, SCRIPT_ASSET),
    )


def fflate_source(root: Path) -> Path:
    """The fflate browser build to vendor: ``root/node_modules`` or the generator's repository.

    Raises:
        BuildError: fflate is not installed (``npm ci`` was not run).
    """
    for base in (root, _REPO):
        path = base / FFLATE_SOURCE
        if path.is_file():
            return path
    raise BuildError(
        f"未找到 fflate（{FFLATE_SOURCE}）：请先在仓库根目录运行 npm ci / "
        f"fflate is missing ({FFLATE_SOURCE}): run `npm ci` in the repository"
    )


def render(ctx: BuildContext) -> None:
    """Write every form's fill page and copy fflate into the site's assets.

    Runs after the DOCX step: each page embeds the ``form.docx`` artifact of its form.

    Parameters:
        ctx: The build context.

    Raises:
        BuildError: fflate is not installed, or a form's DOCX is missing.
    """
    ctx.write(FFLATE_ASSET, fflate_source(ctx.root).read_bytes(), "asset")
    env = environment(ctx.cache_dir)
    store = ctx.store()
    code = cache.code_digest()  # the one cache policy: the whole package
    for call in ctx.own_calls:
        for form in forms_of(call):
            made = ctx.artifact(urls.form_docx(call, form), "form.docx")
            if made is None:
                raise BuildError(
                    f"{call.id}/{form.id}: 缺少 DOCX，无法生成在线填写页 / "
                    f"no DOCX for the fill page of {call.id}/{form.id}"
                )
            docx = made.read()
            # the page shows the form, the call's id and short title, and embeds the DOCX
            key = cache.digest(code, call.id, call.short_title, form.model_dump_json(), docx)
            page = store.fetch(key, functools.partial(_page_bytes, env, call, form, docx))
            ctx.write(urls.form_fill_markdown(call, form), page, "page")
    log.info("fill: %d pages rendered, %d from cache", store.misses, store.hits)


def _page_bytes(env: jinja2.Environment, call: Call, form: Form, docx: bytes) -> bytes:
    return fill_page(env, call, form, docx).encode("utf-8")
