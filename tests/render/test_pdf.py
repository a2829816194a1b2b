"""PDF forms and guideline PDFs (generator/render/pdf.py), checked against the form data.

Every form of the sample call and of every call in data/calls is rendered in both
variants: each PDF must open, be A4, embed every font it uses (subset, CJK), contain
every label of the form, carry the metadata, and the fillable variant must have one
AcroForm field per field id. The first page of each is written as PNG under
tests/artifacts/pdf/ for a look.
"""

from __future__ import annotations

import io
import logging
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import IndirectObject

from generator import cache, fonts, urls
from generator.context import BuildContext
from generator.errors import BuildError
from generator.formset import INDICATORS_FORM_ID, forms_of
from generator.load import load, load_file
from generator.models import (
    UNKNOWN,
    Call,
    Checkbox,
    Form,
    Heading,
    Paragraph,
    SignatureBlock,
    Table,
    iter_categories,
)
from generator.render import pdf

from ..conftest import ROOT, TESTS

ARTIFACTS = TESTS / "artifacts" / "pdf"
A4 = (595.28, 841.89)


def _load_cases() -> list[tuple[Call, Form]]:
    """The sample form and every form of every call in data/calls."""
    sample = load_file(TESTS / "data" / "good" / "sample-call.yaml", ROOT)
    calls = [sample, *load(ROOT / "data" / "calls", ROOT)]
    return [(call, form) for call in calls for form in forms_of(call)]


def _load_calls() -> list[Call]:
    return [load_file(TESTS / "data" / "good" / "sample-call.yaml", ROOT),
            *load(ROOT / "data" / "calls", ROOT)]


CASES = _load_cases()
CASE_IDS = [f"{call.id}/{form.id}" for call, form in CASES]
CALLS = _load_calls()
CALL_IDS = [call.id for call in CALLS]


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record.getMessage())


@pytest.fixture(scope="session")
def font_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh cache folder: the tests prepare the fonts themselves."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="module")
def rendered(font_cache: Path) -> dict[str, object]:
    """Every form in both variants and every guideline, rendered once in this process,
    with the WeasyPrint warnings logged meanwhile."""
    handler = _Collect()
    wp_log = logging.getLogger("weasyprint")
    wp_log.addHandler(handler)
    try:
        out: dict[str, object] = {}
        for case_id, (call, form) in zip(CASE_IDS, CASES, strict=True):
            out[f"print:{case_id}"] = pdf.form_pdf(call, form, cache_dir=font_cache)
            out[f"fillable:{case_id}"] = pdf.form_pdf(
                call, form, fillable=True, cache_dir=font_cache
            )
        for call in CALLS:
            out[f"guide:{call.id}"] = pdf.guide_pdf(call, cache_dir=font_cache)
    finally:
        wp_log.removeHandler(handler)
    out["warnings"] = handler.records
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    if shutil.which("pdftoppm"):
        for key, data in out.items():
            if key == "warnings":
                continue
            name = key.replace(":", "--").replace("/", "--")
            path = ARTIFACTS / f"{name}.pdf"
            path.write_bytes(data)  # type: ignore[arg-type]
            subprocess.run(
                ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(path),
                 str(ARTIFACTS / name)],
                check=True, capture_output=True,
            )
    return out


def _reader(data: object) -> PdfReader:
    assert isinstance(data, bytes)
    assert data.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(data))


def _squash(text: str) -> str:
    return "".join(text.split())


def _pdf_text(reader: PdfReader) -> str:
    return _squash("".join(page.extract_text() or "" for page in reader.pages))


def _fonts(reader: PdfReader) -> list:
    """Every font dictionary used on any page (Type0 fonts resolved to their descendant)."""
    found = {}
    for page in reader.pages:
        resources = page["/Resources"]
        font_dict = resources.get("/Font")
        if font_dict is None:
            continue
        for ref in font_dict.get_object().values():
            font = ref.get_object()
            found[font["/BaseFont"]] = font
    return list(found.values())


def _labels(form: Form) -> list[str]:
    """Every piece of text the form shows: titles, labels, options, hints, signature lines."""
    out: list[str] = []
    if form.attachment:
        out.append(form.attachment)
    if not form.cover:
        out.append(form.title)

    def inline(parts) -> None:
        for part in parts:
            if isinstance(part, str):
                out.append(part)
            elif isinstance(part, Checkbox):
                out.extend(part.options)

    for block in [*form.cover, *form.instructions, *form.blocks]:
        if isinstance(block, Heading):
            out.append(block.text)
        elif isinstance(block, Paragraph):
            inline(block.parts)
        elif isinstance(block, SignatureBlock):
            out.extend(block.sign.lines)
        elif isinstance(block, Table):
            for row in block.rows:
                for cell in row.cells:
                    if cell.text:
                        out.append(cell.text)
                    if cell.parts:
                        inline(cell.parts)
                    if cell.input and cell.input.hint:
                        out.append(cell.input.hint)
                    if cell.sign:
                        out.extend(cell.sign.lines)
    return [label for label in out if _squash(label)]


# --------------------------------------------------------------------------- every form


@pytest.mark.parametrize("case", CASE_IDS)
@pytest.mark.parametrize("variant", ["print", "fillable"])
def test_form_pdf_opens_is_a4_and_shows_every_label(rendered, case, variant):
    reader = _reader(rendered[f"{variant}:{case}"])
    assert len(reader.pages) >= 1
    for page in reader.pages:
        box = page.mediabox
        assert (float(box.width), float(box.height)) == pytest.approx(A4, abs=1)
    text = _pdf_text(reader)
    _call, form = CASES[CASE_IDS.index(case)]
    missing = [label for label in _labels(form) if _squash(label) not in text]
    assert not missing, f"labels not found in the PDF text: {missing}"


@pytest.mark.parametrize("case", CASE_IDS)
@pytest.mark.parametrize("variant", ["print", "fillable"])
def test_every_font_is_embedded_cjk_and_subset(rendered, case, variant):
    reader = _reader(rendered[f"{variant}:{case}"])
    fonts_used = _fonts(reader)
    assert fonts_used
    for font in fonts_used:
        descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font \
            else font
        descriptor = descendant["/FontDescriptor"].get_object()
        assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), \
            f"{font['/BaseFont']} is not embedded"
        # Only the project's CJK faces: no fallback font (a sign of missing glyphs).
        assert re.search(r"KX-|CJK", str(font["/BaseFont"])), font["/BaseFont"]
    if variant == "print":
        # Subset: far below the 1.5–2.2 MB of a prepared face.
        assert len(rendered[f"print:{case}"]) / len(reader.pages) <= 100_000  # type: ignore[arg-type]
    else:
        assert len(rendered[f"fillable:{case}"]) <= 3_000_000  # type: ignore[arg-type]


@pytest.mark.parametrize("case", CASE_IDS)
def test_metadata(rendered, case):
    call, form = CASES[CASE_IDS.index(case)]
    for variant in ("print", "fillable"):
        reader = _reader(rendered[f"{variant}:{case}"])
        assert form.title in reader.metadata.title
        assert reader.metadata.subject == call.title
        assert reader.trailer["/Root"]["/Lang"] == "zh-CN"


@pytest.mark.parametrize("case", CASE_IDS)
def test_fillable_has_one_field_per_field_id(rendered, case):
    _call, form = CASES[CASE_IDS.index(case)]
    reader = _reader(rendered[f"fillable:{case}"])
    fields = reader.get_fields() or {}
    names = pdf.field_names(form)
    assert sorted(fields) == sorted(names)
    # Every field id of the form is a field, or a group of check boxes id-1, id-2…
    for fid in form.field_ids():
        assert fid in fields or f"{fid}-1" in fields, fid
    for name, field in fields.items():
        assert field.get("/FT") in ("/Tx", "/Btn"), name
    # The print variant stays clean.
    assert not (_reader(rendered[f"print:{case}"]).get_fields() or {})


def test_fillable_field_kinds_follow_the_model(rendered):
    reader = _reader(rendered["fillable:sample-call/apply"])
    fields = reader.get_fields()
    assert fields["unit"]["/FT"] == "/Tx"
    assert fields["plan"]["/FT"] == "/Tx"
    assert int(fields["plan"].get("/Ff", 0)) & (1 << 12), "multiline input is a multiline field"
    venue = fields["venue"]
    assert venue["/FT"] == "/Btn"
    assert int(venue["/Ff"]) & (1 << 15), "a single choice is a radio group"
    assert list(venue["/Opt"]) == ["是", "否"]
    for kid in venue["/Kids"]:
        assert "/T" not in kid.get_object(), "radio widgets must not carry their own name"


@pytest.mark.parametrize("case", CASE_IDS)
def test_text_fields_use_a_whole_chinese_font(rendered, case):
    """Readers draw typed text with the field's font: it must hold all of GB 2312."""
    from fontTools.ttLib import TTFont

    reader = _reader(rendered[f"fillable:{case}"])
    resources = reader.trailer["/Root"]["/AcroForm"]["/DR"].get_object()["/Font"]
    text_fields = [
        a.get_object() for page in reader.pages for a in page.get("/Annots", [])
        if a.get_object().get("/FT") == "/Tx"
    ]
    assert text_fields
    for widget in text_fields:
        name = re.search(r"/(\w+) [\d.]+ Tf", str(widget["/DA"])).group(1)
        font = resources[f"/{name}"].get_object()
        descendant = font["/DescendantFonts"][0].get_object()
        data = descendant["/FontDescriptor"]["/FontFile3"].get_object().get_data()
        cmap = TTFont(io.BytesIO(data)).getBestCmap()
        assert {ord(c) for c in fonts.gb2312_chars()} & set(range(0x4E00, 0xA000)) <= set(cmap)


def test_no_weasyprint_warnings(rendered):
    assert rendered["warnings"] == []


def test_output_is_deterministic(font_cache):
    call, form = CASES[0]
    for fillable in (False, True):
        first = pdf.form_pdf(call, form, fillable=fillable, cache_dir=font_cache)
        again = pdf.form_pdf(call, form, fillable=fillable, cache_dir=font_cache)
        assert first == again


def test_cover_and_instructions_are_pages_of_their_own(rendered):
    with_cover = [(i, c, f) for i, (c, f) in zip(CASE_IDS, CASES, strict=True) if f.cover]
    if not with_cover:
        pytest.skip("no form with a cover in the data")
    for case, _call, form in with_cover:
        reader = _reader(rendered[f"print:{case}"])
        first = _squash(reader.pages[0].extract_text())
        # No number on the cover; the next page is — 1 —, as in the DOCX.
        assert "—1—" not in first
        assert _squash(reader.pages[1].extract_text()).endswith("—1—")
        body_start = next(
            (b for b in form.blocks if isinstance(b, (Heading, Table, Paragraph))), None
        )
        if isinstance(body_start, Heading):
            assert _squash(body_start.text) not in first
        if form.instructions:
            second = _squash(reader.pages[1].extract_text())
            heading = next(b for b in form.instructions if isinstance(b, (Heading, Paragraph)))
            text = heading.text if isinstance(heading, Heading) else "".join(
                p for p in heading.parts if isinstance(p, str)
            )
            assert _squash(text) in second
            assert _squash(text) not in first


# --------------------------------------------------------------------------- guidelines


@pytest.mark.parametrize("call_id", CALL_IDS)
def test_guide_pdf(rendered, call_id):
    call = CALLS[CALL_IDS.index(call_id)]
    reader = _reader(rendered[f"guide:{call_id}"])
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(A4, abs=1)
    text = _pdf_text(reader)
    assert _squash(call.title) in text
    assert _squash(call.issuer.name) in text
    for category in iter_categories(call.categories):
        assert _squash(category.name) in text
    for form in forms_of(call):
        assert _squash(form.title) in text
    for contact in call.contacts:
        for phone in contact.phones:
            assert _squash(phone) in text
    unknown_facts = call.doc_no is None or call.issued is None or any(
        c.count is None or c.funding is None for c in iter_categories(call.categories)
    )
    if unknown_facts:
        assert UNKNOWN in text
    assert reader.metadata.subject == call.title
    assert reader.trailer["/Root"]["/Lang"] == "zh-CN"
    assert len(rendered[f"guide:{call_id}"]) / len(reader.pages) <= 100_000  # type: ignore[arg-type]


# --------------------------------------------------------------------------- pieces


def test_html_is_escaped(font_cache):
    call, form = CASES[0]
    evil = form.model_copy(update={"title": "<b>申报表</b>"})
    html = pdf.form_html(call, evil, cache_dir=font_cache)
    assert "&lt;b&gt;申报表&lt;/b&gt;" in html
    assert "<b>申报表" not in html


def test_no_network_fetches():
    from weasyprint.urls import FatalURLFetchingError

    html = '<html><body><img src="http://example.com/x.png"></body></html>'
    with pytest.raises(FatalURLFetchingError):
        pdf._write_pdf(html, fill=False)


def test_missing_cjk_font_stops_with_a_clear_message(monkeypatch):
    monkeypatch.setattr(fonts, "_fc_match", lambda family, bold: None)
    fonts.find_cjk_fonts.cache_clear()
    try:
        call, form = CASES[0]
        with pytest.raises(BuildError) as info:
            pdf.form_pdf(call, form)
        assert "scripts/install-system-deps.sh fonts" in str(info.value)
        assert "未找到中文字体" in str(info.value)
    finally:
        fonts.find_cjk_fonts.cache_clear()


def test_cache_reuses_rendered_pdfs(tmp_path, font_cache, monkeypatch):
    call, form = CASES[0]
    job = pdf.Job(call, form, "print")
    fonts_dir = tmp_path / "fonts"
    shutil.copytree(font_cache / "fonts", fonts_dir)
    first = pdf.cached_render(job, tmp_path)
    assert cache.Store(tmp_path, "pdf").get(f"{job.key()}.pdf") == first

    def fail(self, cache_dir):
        raise AssertionError("rendered again although cached")

    monkeypatch.setattr(pdf.Job, "render", fail)
    assert pdf.cached_render(job, tmp_path) == first
    with pytest.raises(AssertionError):
        pdf.cached_render(job, tmp_path, use_cache=False)
    # A change in the form changes the key.
    changed = pdf.Job(call, form.model_copy(update={"title": form.title + "（修订）"}), "print")
    assert changed.key() != job.key()


def test_workers_render_as_this_process_does(tmp_path, font_cache):
    """Workers forked after this process rendered get a font folder of their own.

    WeasyPrint skips an @font-face whose file is already in its folder; workers sharing
    the parent's folder skipped faces a sibling had written (but only the sibling had
    loaded) and fell back to the installed font: a 15 MB fillable PDF.
    """
    fonts.prepare_fonts(font_cache)
    here = tmp_path / "here"
    shutil.copytree(font_cache / "fonts", here / "fonts")
    jobs = [pdf.Job(call, form, "fillable") for call, form in CASES[:3]]
    expected = [job.render(here) for job in jobs]  # this process now has a font folder
    folder = pdf._font_configs.config._folder
    faces_here = sorted(p.name for p in folder.iterdir())
    forked = tmp_path / "forked"  # other font paths: faces the workers must load themselves
    shutil.copytree(font_cache / "fonts", forked / "fonts")
    outs = [tmp_path / "out" / f"{n}.pdf" for n in range(len(jobs))]
    pdf.render_jobs(list(zip(jobs, outs, strict=True)), forked, processes=2, use_cache=False)
    assert [out.read_bytes() for out in outs] == expected
    assert sorted(p.name for p in folder.iterdir()) == faces_here, "a worker wrote into this process's folder"
    assert jobs[0].render(here) == expected[0], "this process still renders after its workers"


def test_render_writes_every_pdf_where_urls_says(tmp_path, font_cache):
    calls = [CALLS[0]]
    shutil.copytree(font_cache / "fonts", tmp_path / "cache" / "fonts")
    ctx = BuildContext(
        root=ROOT, calls=calls, docs_dir=tmp_path / "docs", site_dir=tmp_path / "site",
        cache_dir=tmp_path / "cache", jobs=2, step="pdf",
    )
    pdf.render(ctx)
    for call in calls:
        assert _reader((ctx.docs_dir / urls.guide_pdf(call)).read_bytes())
        for form in forms_of(call):
            assert _reader((ctx.docs_dir / urls.form_pdf(call, form)).read_bytes())
            fillable = _reader((ctx.docs_dir / urls.form_fillable_pdf(call, form)).read_bytes())
            assert fillable.get_fields()


def test_fields_are_indirect_widgets_on_pages(rendered):
    case = CASE_IDS[0]
    reader = _reader(rendered[f"fillable:{case}"])
    annots = [a for page in reader.pages for a in page.get("/Annots", [])]
    assert annots and all(isinstance(a, IndirectObject) for a in annots)


def test_site_links_every_pdf(built_site):
    """The built site has every PDF, api/calls.json points at the print PDF, and each
    call page links its PDFs and guideline."""
    import json

    manifest = json.loads((built_site / urls.calls_json()).read_text(encoding="utf-8"))
    entries = manifest if isinstance(manifest, list) else manifest["calls"]
    by_id = {entry["id"]: entry for entry in entries}
    for call in load(ROOT / "data" / "calls", ROOT):
        page = (built_site / urls.call_page(call) / "index.html").read_text(encoding="utf-8")
        assert _reader((built_site / urls.guide_pdf(call)).read_bytes())
        assert urls.guide_pdf(call).split("/")[-1] in page
        listed = {f["id"]: f for f in by_id[call.id]["forms"]}
        for form in forms_of(call):
            if form.id == INDICATORS_FORM_ID:  # the manifest lists the indicator table apart
                assert by_id[call.id]["indicators"]["pdf"] == urls.form_pdf(call, form)
            else:
                assert listed[form.id]["pdf"] == urls.form_pdf(call, form)
                assert listed[form.id]["fillable_pdf"] == urls.form_fillable_pdf(call, form)
            assert _reader((built_site / urls.form_pdf(call, form)).read_bytes())
            assert urls.form_pdf(call, form).split("/")[-1] in page
            assert urls.form_fillable_pdf(call, form).split("/")[-1] in page


def test_hostile_data_renders_escaped_and_visible(font_cache):
    """Markup, template syntax and control characters in the data stay inert text."""
    call = load_file(TESTS / "data" / "hostile" / "hostile-call.yaml", ROOT)
    handler = _Collect()
    logging.getLogger("weasyprint").addHandler(handler)
    try:
        for form in forms_of(call):
            html = pdf.form_html(call, form, cache_dir=font_cache)
            assert "<script" not in html and "<img" not in html
            for fillable in (False, True):
                _reader(pdf.form_pdf(call, form, fillable=fillable, cache_dir=font_cache))
        guide = pdf.guide_html(call, cache_dir=font_cache)
        assert "<script" not in guide and "1337000" not in guide
        text = _pdf_text(_reader(pdf.guide_pdf(call, cache_dir=font_cache)))
        assert "{{1337*1000}}" in text
    finally:
        logging.getLogger("weasyprint").removeHandler(handler)
    assert handler.records == [], "glyphs missing (tofu) or other WeasyPrint warnings"
