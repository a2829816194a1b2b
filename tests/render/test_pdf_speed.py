"""Speed-ups of the PDF writer (generator/render/pdf.py) must not change a single byte.

The finisher compresses every stream once, ahead of pydyf, and remembers large ones
(the field font) across documents; these tests compare its output with pydyf's own.
"""

from __future__ import annotations

import io
import os
import zlib

import pydyf
import pytest

from generator import cache
from generator.formset import forms_of
from generator.load import load_file
from generator.render import pdf

from ..conftest import ROOT, TESTS


def _sample_pdf(payload: bytes) -> pydyf.PDF:
    document = pydyf.PDF()
    small = pydyf.Stream([b"BT", b"/F1 12 Tf", 1.5, 2, "ET"], compress=True)
    large = pydyf.Stream([payload], pydyf.Dictionary({"Subtype": "/OpenType"}), compress=True)
    plain = pydyf.Stream([b"q Q"], compress=False)
    for stream in (small, large, plain):
        document.add_object(stream)
    page = pydyf.Dictionary({"Type": "/Page", "Contents": small.reference})
    document.add_object(page)
    document.catalog["Pages"] = page.reference
    return document


def _write(document: pydyf.PDF) -> bytes:
    out = io.BytesIO()
    document.write(out, b"1.7", b"kexie-calls", True)
    return out.getvalue()


def test_precompressed_streams_write_the_same_bytes():
    payload = os.urandom(40_000) + b"a" * 60_000  # above the size that is remembered
    reference = _write(_sample_pdf(payload))
    for _ in range(2):  # compressed afresh, then taken from the memo
        document = _sample_pdf(payload)
        pdf._precompress_streams(document)
        assert _write(document) == reference
    (font,) = [obj for obj in document.objects
               if isinstance(obj, pydyf.Stream) and "Subtype" in obj.extra]
    assert zlib.decompress(font.stream[0]) == payload


@pytest.mark.parametrize("fill", [False, True], ids=["print", "fillable"])
def test_finisher_keeps_weasyprints_bytes(monkeypatch, fill: bool, tmp_path):
    call = load_file(TESTS / "data" / "good" / "sample-call.yaml", ROOT)
    form = forms_of(call)[0]
    html = pdf.form_html(call, form, fillable=fill, cache_dir=tmp_path)
    fast = pdf._write_pdf(html, fill=fill)
    assert pdf._write_pdf(html, fill=fill) == fast  # memoised field font: same bytes
    monkeypatch.setattr(pdf, "_precompress_streams", lambda document: None)
    assert pdf._write_pdf(html, fill=fill) == fast


def _sample_call():
    return load_file(TESTS / "data" / "good" / "sample-call.yaml", ROOT)


def test_font_configuration_is_renewed_without_changing_pdfs(monkeypatch, tmp_path):
    call = _sample_call()
    form_html = pdf.form_html(call, forms_of(call)[0], cache_dir=tmp_path)
    guide_html = pdf.guide_html(call, cache_dir=tmp_path)
    configs = pdf._FontConfigs()
    first = configs.get(form_html)
    assert configs.get(form_html) is first  # its faces are loaded already
    monkeypatch.setattr(pdf, "FONT_FACES_PER_CONFIG", 6)
    assert configs.get(guide_html) is not first  # four new faces: over the limit
    assert configs.get(guide_html) is configs.get(guide_html)

    reused = pdf._write_pdf(form_html, fill=False)
    monkeypatch.setattr(pdf, "_font_configs", pdf._FontConfigs())
    assert pdf._write_pdf(form_html, fill=False) == reused


def test_stylesheet_marker_in_data_stays_text(tmp_path):
    call = _sample_call()
    call = call.model_copy(update={"title": call.title + pdf._CSS_MARKER})
    html = pdf.guide_html(call, cache_dir=tmp_path)
    assert html.count("<style>") == 1 and pdf._CSS_MARKER not in html
    assert "&lt;kx-stylesheet/&gt;" in html


def test_render_jobs_copies_cached_pdfs_and_keeps_job_order(monkeypatch, tmp_path):
    call = _sample_call()
    jobs = pdf.jobs_for([call], variants=["print"])
    targets = [(job, tmp_path / "out" / f"{n}.pdf") for n, job in enumerate(jobs)]
    rendered: list[pdf.Job] = []

    def fake_render(self, cache_dir):
        rendered.append(self)
        return f"%PDF {self.path}".encode()

    monkeypatch.setattr(pdf.Job, "render", fake_render)
    cached = jobs[0]
    cache.Store(tmp_path, "pdf").put(f"{cached.key()}.pdf", b"%PDF cached")
    written = pdf.render_jobs(targets, tmp_path)
    assert [path for path, _, _ in written] == [str(out) for _, out in targets]
    assert (tmp_path / "out" / "0.pdf").read_bytes() == b"%PDF cached"
    assert cached not in rendered and len(rendered) == len(jobs) - 1
    # Largest first.
    assert [job.weight() for job in rendered] == sorted((j.weight() for j in rendered),
                                                        reverse=True)
