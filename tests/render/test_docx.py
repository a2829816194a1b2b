"""DOCX forms (generator/render/docx.py): every form, checked against its form data.

Each generated document is opened with python-docx and its labels, options, word
limits, content controls and table shapes (rows × columns, merges) are compared with
the form model. LibreOffice converts every document to PDF to check that it opens,
that covers and 填报说明 sit on their own pages, and its page count; the first pages
are rendered to PNG under tests/artifacts/docx/ for a look.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import subprocess
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader

from generator import layout, urls
from generator.context import BuildContext
from generator.formset import forms_of
from generator.load import load, load_file
from generator.models import (
    Blank,
    Call,
    Checkbox,
    Form,
    Heading,
    InputArea,
    Paragraph,
    SignatureBlock,
    Table,
    iter_form_fields,
    table_grid,
)
from generator.render import docx as docx_render
from generator.render import docx_package as pkg

from ..conftest import ROOT, TESTS

ARTIFACTS = TESTS / "artifacts" / "docx"
W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"


def _load_cases() -> list[tuple[Call, Form]]:
    """The sample form and every form of every call in data/calls."""
    sample = load_file(TESTS / "data" / "good" / "sample-call.yaml", ROOT)
    calls = [sample, *load(ROOT / "data" / "calls", ROOT)]
    return [(call, form) for call in calls for form in forms_of(call)]


CASES = _load_cases()
CASE_IDS = [f"{call.id}/{form.id}" for call, form in CASES]


@pytest.fixture(scope="module")
def rendered() -> dict[str, bytes]:
    """Every form rendered once: ``{"call/form": bytes}``."""
    return {
        case_id: docx_render.form_docx(call, form)
        for case_id, (call, form) in zip(CASE_IDS, CASES, strict=True)
    }


def _doc(data: bytes):
    return Document(io.BytesIO(data))


def _squash(text: str) -> str:
    return "".join(text.replace(docx_render.JOINER, "").split())


# --------------------------------------------------------------------------- reading helpers


def _text(element) -> str:
    """Visible text of an element: runs, content controls, line breaks as \\n."""
    out = []
    for node in element.iter(qn("w:t"), qn("w:br"), qn("w:tab")):
        if node.tag == qn("w:t"):
            out.append(node.text or "")
        elif node.tag == qn("w:br") and node.get(qn("w:type")) != "page":
            out.append("\n")
        else:
            out.append("\t")
    return "".join(out)


def _sdts(element) -> list:
    return list(element.iter(qn("w:sdt")))


def _tag(sdt) -> str:
    return sdt.find(qn("w:sdtPr")).find(qn("w:tag")).get(qn("w:val"))


def _kind(sdt) -> str:
    pr = sdt.find(qn("w:sdtPr"))
    if pr.find(f"{W14}checkbox") is not None:
        return "checkbox"
    if pr.find(qn("w:text")) is not None:
        rpr = pr.find(qn("w:rPr"))
        underline = rpr is not None and rpr.find(qn("w:u")) is not None
        return "blank" if underline else "text"
    return "other"


def _body_tables(doc) -> list:
    return doc.element.body.findall(qn("w:tbl"))


def _form_tables(form: Form) -> list[Table]:
    blocks = [*form.cover, *form.instructions, *form.blocks]
    return [b for b in blocks if isinstance(b, Table)]


def _expected_controls(form: Form) -> Counter[tuple[str, str]]:
    """``(tag, kind)`` → count for every answer element of the form."""
    out: Counter[tuple[str, str]] = Counter()
    for field_id, element in iter_form_fields(form):
        if isinstance(element, Checkbox):
            out[(field_id, "checkbox")] += len(element.options)
        elif isinstance(element, Blank):
            out[(field_id, "blank")] += 1
        else:
            out[(field_id, "text")] += 1
    return out


def dump(data: bytes) -> str:
    """A readable outline of a document: paragraphs, tables, merges and controls."""
    doc = _doc(data)
    lines = []

    def inline(p) -> str:
        parts = []
        for child in p:
            if child.tag == qn("w:r"):
                parts.append(_text(child))
            elif child.tag == qn("w:sdt"):
                content = _text(child.find(qn("w:sdtContent")))
                parts.append(f"{{{_kind(child)}:{_tag(child)}|{content}}}")
        return "".join(parts).replace("\n", "⏎").replace(docx_render.JOINER, "")

    def para(p) -> str:
        ppr = p.find(qn("w:pPr"))
        style = ""
        flags = ""
        if ppr is not None:
            ps = ppr.find(qn("w:pStyle"))
            style = ps.get(qn("w:val")) if ps is not None else ""
            if ppr.find(qn("w:pageBreakBefore")) is not None:
                flags += " pagebreak"
            if ppr.find(qn("w:sectPr")) is not None:
                flags += " section-end"
            if ppr.find(qn("w:keepNext")) is not None:
                flags += " keep-next"
        return f"[{style or 'Normal'}{flags}] {inline(p)}".rstrip()

    for el in doc.element.body:
        if el.tag == qn("w:p"):
            lines.append(para(el))
        elif el.tag == qn("w:tbl"):
            grid = [gc.get(qn("w:w")) for gc in el.find(qn("w:tblGrid"))]
            lines.append(f"TABLE {len(el.findall(qn('w:tr')))}x{len(grid)} widths={','.join(grid)}")
            for tr in el.findall(qn("w:tr")):
                trpr = tr.find(qn("w:trPr"))
                height = trpr.find(qn("w:trHeight")).get(qn("w:val"))
                split = " keep" if trpr.find(qn("w:cantSplit")) is not None else ""
                cells = []
                for tc in tr.findall(qn("w:tc")):
                    tcpr = tc.find(qn("w:tcPr"))
                    span = tcpr.find(qn("w:gridSpan"))
                    vmerge = tcpr.find(qn("w:vMerge"))
                    shd = tcpr.find(qn("w:shd"))
                    tags = []
                    if span is not None:
                        tags.append(f"span{span.get(qn('w:val'))}")
                    if vmerge is not None:
                        tags.append(f"v-{vmerge.get(qn('w:val'))}")
                    if shd is not None:
                        tags.append("label")
                    text = " / ".join(para(p) for p in tc.findall(qn("w:p")))
                    cells.append(f"<{','.join(tags)}> {text}".strip())
                lines.append(f"  ROW h={height}{split}: " + " | ".join(cells))
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- every form


@pytest.mark.parametrize("case", range(len(CASES)), ids=CASE_IDS)
def test_deterministic_bytes_and_dates(case: int, rendered: dict[str, bytes]) -> None:
    call, form = CASES[case]
    data = rendered[CASE_IDS[case]]
    assert docx_render.form_docx(call, form) == data
    stamp = (call.last_modified.year, call.last_modified.month, call.last_modified.day, 0, 0, 0)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.namelist()[0] == "[Content_Types].xml"
        assert {info.date_time for info in zf.infolist()} == {stamp}
        assert "docProps/thumbnail.jpeg" not in zf.namelist()
        blob = b"".join(zf.read(n) for n in zf.namelist())
    assert b"python-docx" not in blob
    assert b"Macintosh" not in blob


@pytest.mark.parametrize("case", range(len(CASES)), ids=CASE_IDS)
def test_document_properties(case: int, rendered: dict[str, bytes]) -> None:
    call, form = CASES[case]
    props = _doc(rendered[CASE_IDS[case]]).core_properties
    assert props.title == form.title
    assert props.subject == call.title
    assert props.author == ""
    assert props.last_modified_by == ""
    assert props.language == "zh-CN"
    expected = dt.datetime.combine(call.last_modified, dt.time(0, 0))
    assert props.created.replace(tzinfo=None) == expected
    assert props.modified.replace(tzinfo=None) == expected


@pytest.mark.parametrize("case", range(len(CASES)), ids=CASE_IDS)
def test_page_setup_and_page_numbers(case: int, rendered: dict[str, bytes]) -> None:
    _call, form = CASES[case]
    doc = _doc(rendered[CASE_IDS[case]])
    sections = doc.sections
    assert len(sections) == (2 if form.cover else 1)
    for section in sections:
        assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
        assert round(section.top_margin.mm) == 37 and round(section.bottom_margin.mm) == 35
        assert round(section.left_margin.mm) == 28 and round(section.right_margin.mm) == 26
    numbered = sections[-1]
    instr = [i.text for i in numbered.footer._element.iter(qn("w:instrText"))]
    assert [t.strip() for t in instr] == ["PAGE"]
    if form.cover:
        # The cover has no page number; numbering starts at 1 on the page after it.
        assert sections[0]._sectPr.find(qn("w:footerReference")) is None
        num = numbered._sectPr.find(qn("w:pgNumType"))
        assert num is not None and num.get(qn("w:start")) == "1"


@pytest.mark.parametrize("case", range(len(CASES)), ids=CASE_IDS)
def test_styles_name_east_asian_fonts(case: int, rendered: dict[str, bytes]) -> None:
    doc = _doc(rendered[CASE_IDS[case]])
    styles = doc.styles.element
    fonts = {}
    for rfonts in styles.iter(qn("w:rFonts")):
        # A theme font attribute would override the named Chinese font.
        assert not any(k.endswith("Theme") for k in rfonts.attrib)
        assert rfonts.get(qn("w:eastAsia")), "every style names its Chinese font"
        owner = rfonts.getparent().getparent()
        style_id = owner.get(qn("w:styleId")) or "docDefaults"
        fonts[style_id] = rfonts.get(qn("w:eastAsia"))
    assert fonts["docDefaults"] == pkg.BODY_FONT
    assert fonts[pkg.STYLE_TITLE] == pkg.TITLE_FONT
    assert fonts[pkg.STYLE_TABLE] == pkg.BODY_FONT
    assert fonts["Heading2"] == pkg.TITLE_FONT
    # Every paragraph style used in the body exists.
    known = {s.get(qn("w:styleId")) for s in styles.iter(qn("w:style"))}
    used = {ps.get(qn("w:val")) for ps in doc.element.body.iter(qn("w:pStyle"))}
    assert used <= known


@pytest.mark.parametrize("case", range(len(CASES)), ids=CASE_IDS)
def test_attachment_number_and_title_on_top(case: int, rendered: dict[str, bytes]) -> None:
    _call, form = CASES[case]
    doc = _doc(rendered[CASE_IDS[case]])
    paragraphs = [p for p in doc.element.body.iter(qn("w:p")) if _text(p).strip()]
    first = _text(paragraphs[0])
    if form.attachment:
        assert first == form.attachment
    opening = "".join(_text(p) for p in paragraphs[:6])
    assert _squash(form.title) in _squash(opening)
    assert _squash(_text(doc.element.body)).count(_squash(form.title)) == 1, "title shown once"


@pytest.mark.parametrize("case", range(len(CASES)), ids=CASE_IDS)
def test_every_answer_is_a_content_control(case: int, rendered: dict[str, bytes]) -> None:
    _call, form = CASES[case]
    doc = _doc(rendered[CASE_IDS[case]])
    found = Counter((_tag(s), _kind(s)) for s in _sdts(doc.element.body))
    assert found == _expected_controls(form)
    ids = [s.find(qn("w:sdtPr")).find(qn("w:id")).get(qn("w:val")) for s in _sdts(doc.element.body)]
    assert len(ids) == len(set(ids)), "content control ids are unique"
    for sdt in _sdts(doc.element.body):
        pr = sdt.find(qn("w:sdtPr"))
        content = _text(sdt.find(qn("w:sdtContent")))
        assert pr.find(qn("w:lock")).get(qn("w:val")) == "sdtLocked"
        if _kind(sdt) == "checkbox":
            box = pr.find(f"{W14}checkbox")
            assert box.find(f"{W14}checked").get(f"{W14}val") == "0"
            assert content in (docx_render.BOX_EMPTY, docx_render.PAREN_EMPTY)
        else:
            assert pr.find(qn("w:showingPlcHdr")) is not None
            assert content, "a control always shows something to click on"


@pytest.mark.parametrize("case", range(len(CASES)), ids=CASE_IDS)
def test_labels_options_hints_and_signatures_are_shown(
    case: int, rendered: dict[str, bytes]
) -> None:
    _call, form = CASES[case]
    doc = _doc(rendered[CASE_IDS[case]])
    text = _squash(_text(doc.element.body))
    expected: list[str] = []
    for block in [*form.cover, *form.instructions, *form.blocks]:
        if isinstance(block, Heading):
            expected.append(block.text)
        elif isinstance(block, Paragraph):
            expected += [p for p in block.parts if isinstance(p, str)]
            expected += [o for p in block.parts if isinstance(p, Checkbox) for o in p.options]
        elif isinstance(block, SignatureBlock):
            expected += block.sign.lines
    for table in _form_tables(form):
        for row in table.rows:
            for cell in row.cells:
                if cell.text:
                    expected.append(cell.text)
                for p in cell.parts or []:
                    if isinstance(p, str):
                        expected.append(p)
                    elif isinstance(p, Checkbox):
                        expected += p.options
                if cell.sign:
                    expected += cell.sign.lines
                if cell.input is not None and layout.word_limit_text(cell.input):
                    expected.append(layout.word_limit_text(cell.input) or "")
    missing = [e for e in expected if _squash(e) not in text]
    assert not missing
    for _fid, element in iter_form_fields(form):
        if isinstance(element, InputArea) and element.word_limit:
            assert f"{element.word_limit}字" in text


@pytest.mark.parametrize("case", range(len(CASES)), ids=CASE_IDS)
def test_tables_have_the_form_shape(case: int, rendered: dict[str, bytes]) -> None:
    """Rows × columns, widths, merges, label cells and answer areas match the form data."""
    _call, form = CASES[case]
    doc = _doc(rendered[CASE_IDS[case]])
    tables = _body_tables(doc)
    blocks = _form_tables(form)
    assert len(tables) == len(blocks)
    line_mm = layout.line_pitch(layout.SIZE_XIAO_4) * 25.4 / 72
    for tbl, block in zip(tables, blocks, strict=True):
        grid = table_grid(block)
        cols = [int(gc.get(qn("w:w"))) for gc in tbl.find(qn("w:tblGrid"))]
        assert len(cols) == len(block.widths)
        assert sum(cols) == round(layout.TEXT_WIDTH_MM / 25.4 * 1440)
        for width, ratio in zip(cols, block.widths, strict=True):
            assert abs(width - ratio / sum(block.widths) * sum(cols)) <= 1
        assert tbl.find(qn("w:tblPr")).find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
        trs = tbl.findall(qn("w:tr"))
        assert len(trs) == len(grid)
        repeated = 0
        for phys, (tr, line) in enumerate(zip(trs, grid, strict=True)):
            # Each physical row has one w:tc per anchor or covering vertical merge.
            tcs = tr.findall(qn("w:tc"))
            spans = [int(tc.find(qn("w:tcPr")).find(qn("w:gridSpan")).get(qn("w:val")))
                     if tc.find(qn("w:tcPr")).find(qn("w:gridSpan")) is not None else 1
                     for tc in tcs]
            assert sum(spans) == len(block.widths)
            col = 0
            for tc, span in zip(tcs, spans, strict=True):
                tcpr = tc.find(qn("w:tcPr"))
                vmerge = tcpr.find(qn("w:vMerge"))
                slot = line[col]
                if slot is None:  # covered from above: a vMerge continuation
                    assert vmerge is not None and vmerge.get(qn("w:val")) == "continue"
                else:
                    cell = block.rows[slot[0]].cells[slot[1]]
                    assert span == cell.colspan
                    if cell.rowspan > 1:
                        assert vmerge.get(qn("w:val")) == "restart"
                    else:
                        assert vmerge is None
                    shaded = tcpr.find(qn("w:shd")) is not None
                    assert shaded == cell.is_header
                    if cell.text is not None:
                        assert _squash(_text(tc)) == _squash(cell.text)
                        bold = [
                            r.find(qn("w:rPr")) is not None
                            and r.find(qn("w:rPr")).find(qn("w:b")) is not None
                            for r in tc.iter(qn("w:r"))
                        ]
                        assert all(bold) == cell.is_header
                    if cell.input is not None:
                        controls = _sdts(tc)
                        assert len(controls) == 1 and _tag(controls[0]).startswith(cell.input.id)
                        height = tr.find(qn("w:trPr")).find(qn("w:trHeight")).get(qn("w:val"))
                        height_mm = int(height) / 1440 * 25.4
                        assert height_mm * cell.rowspan >= cell.input.lines * line_mm - 0.5
                col += span
            trpr = tr.find(qn("w:trPr"))
            assert trpr.find(qn("w:trHeight")).get(qn("w:hRule")) == "atLeast"
            if trpr.find(qn("w:cantSplit")) is not None:
                row_index = next(x for x in line if x is not None)[0] if any(line) else None
                if row_index is not None:
                    assert block.rows[row_index].keep_together
            if trpr.find(qn("w:tblHeader")) is not None:
                # Only the column headings of a table longer than a page repeat.
                assert phys == 0
                first = [block.rows[r].cells[c] for r, c in (x for x in line if x is not None)]
                assert all(c.text is not None and c.is_header for c in first)
                repeated += 1
        if isinstance(form.kind, str) and form.kind == "indicators":
            assert repeated == 1, "a scoring table over several pages repeats its headings"


def test_sample_form_structure_matches_golden(golden) -> None:
    call, form = CASES[0]
    assert call.id == "sample-call"
    golden("docx/sample-call-apply.txt", dump(docx_render.form_docx(call, form)))


def test_render_writes_every_form(tmp_path: Path) -> None:
    calls = load(ROOT / "data" / "calls", ROOT)
    ctx = BuildContext(
        root=ROOT, calls=calls, docs_dir=tmp_path / "docs", site_dir=tmp_path / "site",
        cache_dir=tmp_path / "cache", jobs=1, step="docx",
    )
    docx_render.render(ctx)
    written = sorted(p.relative_to(ctx.docs_dir).as_posix() for p in ctx.docs_dir.rglob("*.docx"))
    expected = sorted(urls.form_docx(c, f) for c in calls for f in forms_of(c))
    assert written == expected
    for call in calls:
        for form in forms_of(call):
            path = ctx.docs_dir / urls.form_docx(call, form)
            assert path.read_bytes() == docx_render.form_docx(call, form)


def test_parallel_render_gives_the_same_files(tmp_path: Path, monkeypatch) -> None:
    calls = load(ROOT / "data" / "calls", ROOT)
    out = {}
    for jobs, threshold in ((1, 10_000), (2, 0)):
        monkeypatch.setattr(docx_render, "PARALLEL_THRESHOLD", threshold)
        docs = tmp_path / f"docs-{jobs}"
        ctx = BuildContext(
            root=ROOT, calls=calls, docs_dir=docs, site_dir=tmp_path / "site",
            cache_dir=tmp_path / "cache", jobs=jobs, step="docx",
        )
        docx_render.render(ctx)
        out[jobs] = {p.relative_to(docs): p.read_bytes() for p in docs.rglob("*.docx")}
    assert out[1] == out[2]


# --------------------------------------------------------------------------- LibreOffice

#: Fonts LibreOffice uses for the Windows font names in the documents (test rendering only).
FONT_ALIASES = {
    "仿宋": "Noto Serif CJK SC",
    "宋体": "Noto Serif CJK SC",
    "楷体": "Noto Serif CJK SC",
    "黑体": "Noto Sans CJK SC",
    "Times New Roman": "Noto Serif CJK SC",
}
FONTS_CONF = (
    '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
    '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
    + "".join(
        f'  <alias binding="same"><family>{name}</family>'
        f"<prefer><family>{target}</family></prefer></alias>\n"
        for name, target in FONT_ALIASES.items()
    )
    + "</fontconfig>\n"
)


def _soffice() -> str:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    assert exe, "LibreOffice is missing: run scripts/install-system-deps.sh libreoffice"
    return exe


@pytest.fixture(scope="module")
def pdfs(rendered: dict[str, bytes], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every form converted to PDF by LibreOffice in one run (private profile)."""
    work = tmp_path_factory.mktemp("lo")
    src = work / "docx"
    src.mkdir()
    names = {}
    for case_id, data in rendered.items():
        name = case_id.replace("/", "--")
        (src / f"{name}.docx").write_bytes(data)
        names[case_id] = name
    (work / "fonts.conf").write_text(FONTS_CONF, encoding="utf-8")
    env = {**os.environ, "FONTCONFIG_FILE": str(work / "fonts.conf")}
    subprocess.run(
        [
            _soffice(), f"-env:UserInstallation=file://{work}/lo-profile", "--headless",
            "--convert-to", "pdf", "--outdir", str(work / "pdf"),
            *sorted(str(p) for p in src.glob("*.docx")),
        ],
        check=True, capture_output=True, env=env, timeout=600,
    )
    out = {case_id: work / "pdf" / f"{name}.pdf" for case_id, name in names.items()}
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for case_id, pdf in out.items():
        assert pdf.is_file(), f"LibreOffice did not convert {case_id}"
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "3", str(pdf),
             str(ARTIFACTS / names[case_id])],
            check=True, capture_output=True,
        )
    return out


def _page_texts(pdf: Path) -> list[str]:
    pages = len(PdfReader(pdf).pages)
    return [
        subprocess.run(
            ["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(pdf), "-"],
            check=True, capture_output=True, text=True,
        ).stdout
        for n in range(1, pages + 1)
    ]


def _first_words(blocks) -> str | None:
    """Some text the first printed block of ``blocks`` starts with."""
    for block in blocks:
        if isinstance(block, Heading):
            return block.text
        if isinstance(block, Paragraph):
            text = "".join(p for p in block.parts if isinstance(p, str))
            if text.strip():
                return text.split("\n")[0]
        if isinstance(block, Table):
            for row in block.rows:
                for cell in row.cells:
                    if cell.text:
                        return cell.text.split("\n")[0]
    return None


def _page_count_line(case_id: str, pages: int) -> str:
    return f"{case_id}: {pages}\n"


@pytest.mark.slow
@pytest.mark.parametrize("case", range(len(CASES)), ids=CASE_IDS)
def test_libreoffice_opens_it_and_pages_break_where_the_form_says(
    case: int, pdfs: dict[str, Path]
) -> None:
    _call, form = CASES[case]
    pdf = pdfs[CASE_IDS[case]]
    reader = PdfReader(pdf)
    assert reader.pages, "the PDF has pages"
    texts = [_squash(t) for t in _page_texts(pdf)]
    start = 0
    if form.cover:
        cover_text = _first_words(form.cover)
        assert cover_text and _squash(cover_text) in texts[0]
        assert len(texts) > 1
        start = 1
    if form.instructions:
        first = _first_words(form.instructions)
        assert first and _squash(first) in texts[start], "填报说明 starts on its own page"
        start += 1
    body_first = _first_words(form.blocks)
    if body_first and (form.cover or form.instructions):
        assert _squash(body_first) in texts[start], "the body starts on a new page"
        for earlier in texts[:start]:
            assert _squash(body_first) not in earlier or _squash(body_first) in _squash(form.title)
    assert re.sub(r"—\d+—", "", texts[-1]), "no blank trailing page"


@pytest.mark.slow
def test_libreoffice_page_counts_match_golden(pdfs: dict[str, Path], golden) -> None:
    """Page counts as LibreOffice lays the forms out (cover and 填报说明 pages included).

    A change of answer-area heights in the data changes them too: check the PNGs in
    tests/artifacts/docx/ and run ``pytest --update-golden`` when the change is intended.
    """
    lines = "".join(
        _page_count_line(case_id, len(PdfReader(pdfs[case_id]).pages)) for case_id in CASE_IDS
    )
    golden("docx/page-counts.txt", lines)


@pytest.mark.slow
def test_libreoffice_prints_the_boxes_and_blanks(pdfs: dict[str, Path]) -> None:
    for case_id, (_call, form) in zip(CASE_IDS, CASES, strict=True):
        text = "".join(_page_texts(pdfs[case_id]))
        kinds = {type(e) for _f, e in iter_form_fields(form)}
        if Checkbox in kinds:
            boxes = [e for _f, e in iter_form_fields(form) if isinstance(e, Checkbox)]
            if any(b.box != "paren" for b in boxes):
                assert docx_render.BOX_EMPTY in text, case_id
        if Blank in kinds:
            assert re.search(r"_{3,}", text), case_id


# --------------------------------------------------------------------------- every block kind

EVERY_BLOCK = {
    "id": "every-block",
    "attachment": "附件9",
    "title": "覆盖所有元素的测试申报表",
    "instructions": [
        {"type": "heading", "text": "填报说明", "level": 1, "align": "center"},
        {"type": "paragraph", "parts": ["一、请如实填写。"], "indent": True},
    ],
    "blocks": [
        {"type": "heading", "text": "一、基本情况", "level": 2},
        {"type": "heading", "text": "（一）单位", "level": 3},
        {"type": "paragraph", "size": "small", "parts": [
            "类型：", {"choice": "kind", "options": ["甲", "乙", "丙"], "layout": "stack",
                      "box": "before", "multiple": True},
        ]},
        {"type": "table", "widths": [1, 1, 2], "rows": [
            [{"text": "分组", "rowspan": 2}, "名称", {"input": {"id": "name"}}],
            ["类别", {"parts": [{"choice": "cls", "options": ["A类", "B类"], "box": "paren"}]}],
            {"cells": [{"input": {"id": "member"}}, {"input": {"id": "duty"}},
                       {"input": {"id": "note", "kind": "number"}}], "repeat": 3},
            [{"text": "说明", "colspan": 3, "align": "left"}],
        ]},
        {"type": "space", "lines": 2},
        {"type": "page_break"},
        {"type": "paragraph", "parts": ["第二页开头"], "size": "large", "bold": True},
        {"type": "signature", "sign": {"lines": ["单位（盖章）", "年  月  日"], "space": 2}},
    ],
}


def test_every_block_kind_renders(tmp_path: Path) -> None:
    call, _form = CASES[0]
    form = Form.model_validate(EVERY_BLOCK)
    data = docx_render.form_docx(call, form)
    doc = _doc(data)
    body = doc.element.body
    # 填报说明 without a cover: one section; the body starts on a new page.
    assert len(doc.sections) == 1
    paragraphs = body.findall(qn("w:p"))
    texts = [_text(p) for p in paragraphs]
    heading = paragraphs[texts.index("一、基本情况")]
    assert heading.find(qn("w:pPr")).find(qn("w:pageBreakBefore")) is not None
    assert heading.find(qn("w:pPr")).find(qn("w:pStyle")).get(qn("w:val")) == "Heading2"
    level3 = paragraphs[texts.index("（一）单位")]
    assert level3.find(qn("w:pPr")).find(qn("w:pStyle")).get(qn("w:val")) == "Heading3"
    # The page_break block moves the next paragraph to a new page.
    second = paragraphs[texts.index("第二页开头")]
    assert second.find(qn("w:pPr")).find(qn("w:pageBreakBefore")) is not None
    # Stacked options: one per line, box before the label.
    stacked = paragraphs[next(i for i, t in enumerate(texts) if t.startswith("类型："))]
    assert _text(stacked).replace(docx_render.JOINER, "") == "类型：☐甲\n☐乙\n☐丙"
    # Signature block: right-aligned lines after the blank space.
    sign = paragraphs[texts.index("单位（盖章）")]
    assert sign.find(qn("w:pPr")).find(qn("w:jc")).get(qn("w:val")) == "right"
    # Repeated rows get numbered field ids; paren boxes read A类（ ）.
    tags = Counter(_tag(s) for s in _sdts(body))
    assert {t for t in tags if t.startswith("member")} == {"member-1", "member-2", "member-3"}
    assert tags["cls"] == 2 and tags["kind"] == 3
    table = _body_tables(doc)[0]
    assert len(table.findall(qn("w:tr"))) == 6
    assert "A类（\u3000）" in _text(table)
    assert Counter((_tag(s), _kind(s)) for s in _sdts(body)) == _expected_controls(form)
    (tmp_path / "every.docx").write_bytes(data)
    assert docx_render.form_docx(call, form) == data


def test_cache_key_follows_what_the_document_shows():
    call = load_file(ROOT / "tests" / "data" / "good" / "sample-call.yaml", ROOT)
    form = forms_of(call)[0]
    key = docx_render.cache_key(call, form)
    elsewhere = call.model_copy(update={"summary": "另一段摘要", "contacts": []})
    assert docx_render.cache_key(elsewhere, form) == key
    assert docx_render.form_docx(elsewhere, form) == docx_render.form_docx(call, form), (
        "the DOCX changed with a field its cache key leaves out"
    )
    for update in ({"title": call.title + "（修订）"}, {"short_title": "另一简称"},
                   {"last_modified": call.last_modified + dt.timedelta(days=1)}):
        assert docx_render.cache_key(call.model_copy(update=update), form) != key, update
    changed = form.model_copy(update={"title": form.title + "（修订）"})
    assert docx_render.cache_key(call, changed) != key
