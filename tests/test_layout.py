"""The one form layout: its decisions, and that the DOCX and the PDF drawing it agree.

The agreement tests render every form of the real calls in both formats and compare what
was printed: the same texts in the same order (labels, options, hints, signatures), the
same title lines, and a PDF that needs no more pages than LibreOffice gives the DOCX.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from pypdf import PdfReader

from generator import layout
from generator.formset import forms_of
from generator.layout import FittedBlank, fit_blanks, fit_title, layout_form, parts_lines, text_em
from generator.load import load
from generator.models import Blank, Break, Cell, Form, InputArea, Paragraph, Row, Table

from .conftest import ROOT, TESTS

ARTIFACTS = TESTS / "artifacts" / "layout"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


# --------------------------------------------------------------------------- decisions


def test_text_em_counts_cjk_and_full_width_marks_as_one() -> None:
    assert text_em("申报表") == 3
    assert text_em("“”") == 2
    assert text_em("2021") == pytest.approx(4 * 0.55)


def test_fit_title_keeps_a_title_that_fits() -> None:
    assert fit_title("学会党建项目申报书") == layout.Title(layout.SIZE_2, ("学会党建项目申报书",))


def test_fit_title_breaks_before_the_closing_word() -> None:
    fit = fit_title("2023年度科协改革创新品牌培育工程项目申报表")
    assert fit == layout.Title(layout.SIZE_2, ("2023年度科协改革创新品牌培育工程", "项目申报表"))


def test_fit_title_shrinks_to_xiao_er_before_breaking_anywhere() -> None:
    fit = fit_title("2021年“县级科协创新发展能力提升计划”项目指标（计100分）")
    assert fit == layout.Title(
        layout.SIZE_XIAO_2, ("2021年“县级科协创新发展能力提升计划”", "项目指标（计100分）")
    )


def test_fit_title_keeps_explicit_breaks_one_size_for_all_lines() -> None:
    fit = fit_title("第一行\n2021年度“县级科协创新发展能力提升计划”")
    assert fit.lines == ("第一行", "2021年度“县级科协创新发展能力提升计划”")
    assert fit.size == layout.SIZE_XIAO_2


def test_fit_title_never_splits_a_number_or_opens_a_line_with_punctuation() -> None:
    title = "关于组织开展二〇二一年度某某某某某某某某某某工作的通知，第12345号文件附件"
    fit = fit_title(title)
    first, second = fit.lines
    assert first + second == title
    assert second[0] not in "，。、）"
    assert not (first[-1].isdigit() and second[0].isdigit())
    width_pt = layout.TEXT_WIDTH_MM / 25.4 * 72
    assert max(text_em(first), text_em(second)) * fit.size <= width_pt


def test_fit_blanks_shrinks_only_lines_that_overflow() -> None:
    short = Blank(blank="a", width=4)
    long_ = Blank(blank="b", width=40)
    parts = ["姓名：", short, Break(br=True), "地址：", long_, "（盖章）"]
    fitted = fit_blanks(parts, line_em=30)
    blanks = [p for p in fitted if isinstance(p, FittedBlank)]
    assert [b.blank for b in blanks] == ["a", "b"]
    assert blanks[0].halves == 8  # two halves per 字, untouched
    assert blanks[1].halves < 80
    assert text_em("地址：（盖章）") + blanks[1].em <= 30


def test_parts_lines_counts_breaks_and_wrapping() -> None:
    parts = ["一" * 10, Break(br=True), "二" * 25]
    assert parts_lines(parts, line_em=20) == 3


@pytest.mark.parametrize(
    ("area", "shown"),
    [
        (InputArea(id="a", hint="（200字以内）", word_limit=200), "（200字以内）"),
        (InputArea(id="a", word_limit=500), "（500字以内）"),
        (
            InputArea(id="a", hint="（主要包括单位基本情况）", word_limit=200),
            "（主要包括单位基本情况）（200字以内）",
        ),
        (InputArea(id="a", hint="（填写全称）"), "（填写全称）"),
        (InputArea(id="a"), None),
    ],
)
def test_word_limit_text(area: InputArea, shown: str | None) -> None:
    assert layout.word_limit_text(area) == shown


def _form(*blocks, **extra) -> Form:
    return Form(id="f", title="示例申报表", blocks=list(blocks), **extra)


def test_table_rows_heights_and_keeps() -> None:
    table = Table(widths=[1, 3], rows=[
        Row(cells=[Cell(text="一、基本情况", colspan=2)]),
        Row(cells=[Cell(text="实施方案"), Cell(input=InputArea(id="plan", lines=8, word_limit=500))]),
        Row(cells=[Cell(text="说明"), Cell(text="长" * 400, header=False)]),
    ])
    laid = layout_form(_form(table))
    tl = next(b for b in laid.body if isinstance(b, layout.TableLayout))
    heading, plan, text = tl.rows
    assert heading.keep_with_next and not plan.keep_with_next
    assert plan.keep_whole, "an answer area of several lines is never split"
    assert not text.keep_whole, "a tall row of running text may continue on the next page"
    pitch_mm = layout.line_pitch(tl.size) * 25.4 / 72
    assert plan.height_mm == pytest.approx(8 * pitch_mm + layout.ROW_PADDING_MM, abs=0.1)
    assert heading.height_mm == max(layout.MIN_ROW_MM, round(pitch_mm + layout.ROW_PADDING_MM, 1))
    assert plan.cells[1].placeholder == "（500字以内）"
    assert plan.cells[1].label == "实施方案"


def test_title_added_once_and_page_breaks_carried() -> None:
    shown = _form(Paragraph(parts=["示例申报表"], size="title"), Table(widths=[1], rows=[["x"]]))
    assert not any(isinstance(b, layout.FormTitle) for b in layout_form(shown).body)
    added = layout_form(_form(Table(widths=[1], rows=[["x"]]), attachment="附件1"))
    assert [b.kind for b in added.body] == ["attachment", "form_title", "table"]
    with_instructions = layout_form(
        _form(Table(widths=[1], rows=[["x"]]), instructions=[Paragraph(parts=["说明"])])
    )
    assert with_instructions.body[0].break_before, "the body starts on a page of its own"
    assert [b.kind for b in with_instructions.instructions] == ["form_title", "paragraph"]


def test_cover_space_shrinks_to_fit_one_page() -> None:
    from generator.models import Space

    form = _form(Table(widths=[1], rows=[["x"]]), cover=[Paragraph(parts=["封面"]), Space(lines=40)])
    space = next(b for b in layout_form(form).cover if isinstance(b, layout.SpaceLayout))
    assert space.height < 40 * layout.line_pitch(layout.SIZE_4)
    assert space.height <= layout.TEXT_HEIGHT_MM / 25.4 * 72


def _shaped_em(face, text: str) -> float:
    """Width of ``text`` in em as HarfBuzz sets it in an installed face."""
    import uharfbuzz as hb

    hb_face = hb.Face(hb.Blob.from_file_path(face.path), face.index)
    buf = hb.Buffer()
    buf.add_str(text)
    buf.guess_segment_properties()
    hb.shape(hb.Font(hb_face), buf, {})
    return sum(p.x_advance for p in buf.glyph_positions) / hb_face.upem


def test_every_title_line_fits_its_line_in_the_real_face() -> None:
    """The one text measure, with its margin, is never short of the real width: each line
    the layout gives a title fits the text block in the sans faces the PDF sets it in."""
    from generator import fonts

    cjk = fonts.find_cjk_fonts()
    width_pt = layout.TEXT_WIDTH_MM / 25.4 * 72
    for _call, form in CASES:
        laid = layout_form(form)
        for block in (*laid.cover, *laid.body):
            title = getattr(block, "title", None)
            for line in title.lines if title else ():
                for face in (cjk.sans, cjk.sans_bold):
                    assert _shaped_em(face, line) * title.size <= width_pt, line


# --------------------------------------------------------------------------- both formats agree


def _cases():
    calls = load(ROOT / "data" / "calls", ROOT)
    return [(call, form) for call in calls for form in forms_of(call)]


CASES = _cases()
CASE_IDS = [f"{call.id}/{form.id}" for call, form in CASES]


def _docx_paragraphs(data: bytes) -> list[list[str]]:
    """Each body paragraph of a DOCX (tables included, in order) as its printed lines."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        root = ElementTree.fromstring(zf.read("word/document.xml"))
    out = []
    for p in root.iter(f"{W}p"):
        text = ""
        for node in p.iter():
            if node.tag == f"{W}br":
                text += "\n"
            elif node.tag == f"{W}t":
                text += node.text or ""
        out.append(text.split("\n"))
    return out


def _printed(text: str) -> str:
    """Text as both formats print it: no spaces, no blank lines (underscores), one box glyph."""
    text = text.replace("\u200d", "").replace("_", "").replace("☐", "□")
    return "".join(text.split())


def _pdftotext(path: Path, *args: str) -> str:
    return subprocess.run(
        ["pdftotext", *args, str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Path]]:
    """Every real form as DOCX, as PDF, and as the PDF LibreOffice makes of the DOCX."""
    from generator.render import docx as docx_render
    from generator.render import pdf as pdf_render

    from .render.test_docx import FONTS_CONF

    work = tmp_path_factory.mktemp("layout")
    (work / "docx").mkdir()
    (work / "pdf").mkdir()
    out: dict[str, dict[str, Path]] = {}
    for case_id, (call, form) in zip(CASE_IDS, CASES, strict=True):
        name = case_id.replace("/", "--")
        docx = work / "docx" / f"{name}.docx"
        docx.write_bytes(docx_render.form_docx(call, form))
        pdf = work / "pdf" / f"{name}.pdf"
        pdf.write_bytes(pdf_render.form_pdf(call, form, cache_dir=work / "cache"))
        fillable = work / "pdf" / f"{name}.fillable.pdf"
        fillable.write_bytes(pdf_render.form_pdf(call, form, fillable=True, cache_dir=work / "cache"))
        out[case_id] = {
            "docx": docx, "pdf": pdf, "fillable": fillable, "lo": work / "lo" / f"{name}.pdf",
        }
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    assert exe, "LibreOffice is missing: run scripts/install-system-deps.sh libreoffice"
    (work / "fonts.conf").write_text(FONTS_CONF, encoding="utf-8")
    subprocess.run(
        [exe, f"-env:UserInstallation=file://{work}/lo-profile", "--headless",
         "--convert-to", "pdf", "--outdir", str(work / "lo"),
         *sorted(str(p) for p in (work / "docx").glob("*.docx"))],
        check=True, capture_output=True, timeout=600,
        env={**os.environ, "FONTCONFIG_FILE": str(work / "fonts.conf")},
    )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for case_id, paths in out.items():
        name = case_id.replace("/", "--")
        for kind in ("pdf", "fillable", "lo"):
            subprocess.run(["pdftoppm", "-png", "-r", "60", str(paths[kind]),
                            str(ARTIFACTS / f"{name}--{kind}")], check=True, capture_output=True)
    return out


@pytest.mark.slow
@pytest.mark.parametrize("case", CASE_IDS)
def test_docx_and_pdf_print_the_same_texts_in_the_same_order(case, both) -> None:
    data = both[case]["docx"].read_bytes()
    pdf_text = _printed(_pdftotext(both[case]["pdf"], "-raw"))
    at = 0
    for lines in _docx_paragraphs(data):
        for line in lines:
            wanted = _printed(line)
            if not wanted:
                continue
            found = pdf_text.find(wanted, at)
            assert found >= 0, f"{wanted!r} is in the DOCX but not next in the PDF"
            at = found + len(wanted)


@pytest.mark.slow
@pytest.mark.parametrize("case", CASE_IDS)
def test_docx_and_pdf_break_titles_into_the_same_lines(case, both) -> None:
    _call, form = CASES[CASE_IDS.index(case)]
    laid = layout_form(form)
    titles = [b.title for b in (*laid.cover, *laid.body)
              if isinstance(b, layout.FormTitle | layout.ParagraphLayout) and b.title]
    assert titles, "every form shows its title"
    pdf_lines = {_printed(line) for line in _pdftotext(both[case]["pdf"], "-layout").splitlines()}
    docx_lines = [[_printed(x) for x in p] for p in _docx_paragraphs(both[case]["docx"].read_bytes())]
    for title in titles:
        lines = [_printed(x) for x in title.lines]
        assert lines in docx_lines, f"the DOCX sets {title.lines} as one paragraph of these lines"
        for line in lines:
            assert line in pdf_lines, f"the PDF sets {line!r} as a line of its own"


@pytest.mark.slow
@pytest.mark.parametrize("case", CASE_IDS)
@pytest.mark.parametrize("variant", ["pdf", "fillable"])
def test_pdf_needs_no_more_pages_than_libreoffice_gives_the_docx(case, variant, both) -> None:
    pdf_pages = len(PdfReader(both[case][variant]).pages)
    lo_pages = len(PdfReader(both[case]["lo"]).pages)
    assert pdf_pages <= lo_pages


@pytest.mark.slow
@pytest.mark.parametrize("case", CASE_IDS)
def test_rows_kept_with_the_next_share_its_page(case, both) -> None:
    """A section title or column-heading row is printed on the page of the row below it
    (常德's 审核意见 table once left its last row alone on a sixth page)."""
    pages = [_printed(t) for t in _pdftotext(both[case]["pdf"], "-layout").split("\f")]
    laid = layout_form(CASES[CASE_IDS.index(case)][1])
    pairs = [
        (_printed(_row_text(row)), _printed(_row_text(following)))
        for block in (*laid.cover, *laid.instructions, *laid.body)
        if isinstance(block, layout.TableLayout)
        for row, following in zip(block.rows, block.rows[1:], strict=False)
        if row.keep_with_next
    ]
    for head, nxt in pairs:
        on = [n for n, page in enumerate(pages) if head and head in page]
        if len(on) == 1 and nxt:  # a text printed twice, or none, says nothing
            assert nxt in pages[on[0]], f"{head!r} is cut from {nxt!r}"


def _row_text(row: layout.RowLayout) -> str:
    """What a row prints: labels, placeholders, text around its blanks."""
    out = []
    for item in row.cells:
        out.append(item.cell.text or item.placeholder or "")
        out.extend(p for p in item.parts or () if isinstance(p, str))
    return "".join(out)


def _docx_fields(data: bytes) -> list[str]:
    """The field ids of a DOCX's content controls, in document order (one per group)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        root = ElementTree.fromstring(zf.read("word/document.xml"))
    tags = [sdt.find(f"{W}sdtPr/{W}tag").get(f"{W}val") for sdt in root.iter(f"{W}sdt")]
    return [t for i, t in enumerate(tags) if i == 0 or tags[i - 1] != t]


def _pdf_fields(path: Path, known: set[str]) -> list[str]:
    """The field ids of a fillable PDF's widgets, page by page in drawing order (the
    options of a multiple choice, ``<id>-<n>``, counted as their group)."""
    names: list[str] = []
    for page in PdfReader(path).pages:
        for annot in page.get("/Annots", []):
            widget = annot.get_object()
            name = widget.get("/T") or widget["/Parent"].get_object()["/T"]
            if name not in known and name.rpartition("-")[0] in known:
                name = name.rpartition("-")[0]
            if not names or names[-1] != name:
                names.append(name)
    return names


@pytest.mark.slow
@pytest.mark.parametrize("case", CASE_IDS)
def test_docx_and_fillable_pdf_ask_for_the_same_fields_in_the_same_order(case, both) -> None:
    docx = _docx_fields(both[case]["docx"].read_bytes())
    assert docx, "every form asks for something"
    assert _pdf_fields(both[case]["fillable"], set(docx)) == docx
