"""Forms ZIP per call (generator/render/bundle.py)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest

from generator import urls
from generator.context import BuildContext
from generator.formset import forms_of
from generator.load import load_file
from generator.render import bundle

from ..conftest import ROOT, TESTS


@pytest.fixture(scope="module")
def call():
    return load_file(TESTS / "data" / "good" / "sample-call.yaml", ROOT)


def _ctx(call, docs: Path, step: str = "docx") -> BuildContext:
    return BuildContext(root=ROOT, calls=[call], docs_dir=docs, site_dir=docs.parent / "site",
                        cache_dir=docs.parent / "cache", step=step)


def _fake_files(call, ctx: BuildContext, formats=("docx", "pdf")) -> dict[str, bytes]:
    """Form files written as the docx and pdf steps write them (recorded in ``ctx``)."""
    written = {}
    for form in forms_of(call):
        for ext in formats:
            path_of = urls.form_docx if ext == "docx" else urls.form_pdf
            data = f"{form.id}.{ext}".encode() * 100
            ctx.write(path_of(call, form), data, f"form.{ext}")
            written[urls.download_name(call, form, ext)] = data
    ctx.made |= {"form.docx", "form.pdf"}
    return written


def test_entries_have_friendly_names_docx_before_pdf(call, tmp_path):
    ctx = _ctx(call, tmp_path)
    _fake_files(call, ctx)
    names = [name for name, _ in bundle.entries(call, ctx.artifacts)]
    form = forms_of(call)[0]
    assert names == [urls.download_name(call, form, "docx"), urls.download_name(call, form, "pdf")]
    assert names[0] == "附件1 示例申报表.docx"


def test_missing_files_are_left_out(call, tmp_path):
    ctx = _ctx(call, tmp_path)
    _fake_files(call, ctx, formats=("pdf",))
    assert [n for n, _ in bundle.entries(call, ctx.artifacts)] == ["附件1 示例申报表.pdf"]
    assert bundle.call_zip(call, {}) is None


def test_zip_is_deterministic_with_fixed_timestamps(call, tmp_path):
    ctx = _ctx(call, tmp_path)
    written = _fake_files(call, ctx)
    first = bundle.call_zip(call, ctx.artifacts)
    assert first == bundle.call_zip(call, ctx.artifacts)
    archive = zipfile.ZipFile(io.BytesIO(first))
    assert archive.testzip() is None
    for info in archive.infolist():
        assert info.date_time == (call.last_modified.year, call.last_modified.month,
                                  call.last_modified.day, 0, 0, 0)
        assert info.flag_bits & 0x800, "UTF-8 names"
        assert (info.external_attr >> 16) & 0o777 == 0o644
        assert archive.read(info) == written[info.filename]


def test_zip_bytes_depend_only_on_items_and_date():
    items = [("附件1 表.pdf", b"x" * 50), ("附件1 表.docx", b"y" * 50)]
    a = bundle.zip_bytes(items, dt.date(2022, 11, 8))
    assert a == bundle.zip_bytes(items, dt.date(2022, 11, 8))
    assert a != bundle.zip_bytes(items, dt.date(2022, 11, 9))
    assert a != bundle.zip_bytes(list(reversed(items)), dt.date(2022, 11, 8))


def test_same_names_get_the_form_id(call, tmp_path):
    form = call.forms[0]
    twin = form.model_copy(update={"id": "apply-2"})
    doubled = call.model_copy(update={"forms": [form, twin]})
    ctx = _ctx(doubled, tmp_path)
    _fake_files(doubled, ctx)
    names = [n for n, _ in bundle.entries(doubled, ctx.artifacts)]
    assert len(set(names)) == 4
    assert "附件1 示例申报表 (apply-2).pdf" in names


def test_render_writes_the_zip_where_urls_says(call, tmp_path):
    ctx = _ctx(call, tmp_path / "docs")
    _fake_files(call, ctx)
    ctx.step = "bundle"
    bundle.render(ctx)
    path = ctx.docs_dir / urls.forms_zip(call)
    assert zipfile.ZipFile(path).namelist() == ["附件1 示例申报表.docx", "附件1 示例申报表.pdf"]
