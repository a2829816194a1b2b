"""Every download link on a call page gives a real file of the type and size it says."""

from __future__ import annotations

import io
import zipfile
from urllib.parse import unquote, urlsplit

import pytest
from pypdf import PdfReader

from generator import urls
from generator.formset import forms_of

from . import expect
from .support import EXTENSION, FORMAT_WORD, MAGIC, size_matches, stated_size

#: Smallest size a real DOCX / PDF / ZIP of a form can have.
MIN_BYTES = 2000


def _links(page) -> list[dict]:
    return page.locator("[data-kx=download]").evaluate_all(
        """els => els.map(e => ({href: e.href, format: e.dataset.format,
            download: e.getAttribute('download'), text: e.innerText.trim(),
            label: e.getAttribute('aria-label') || ''}))"""
    )


def check_file(fmt: str, body: bytes) -> None:
    """Raise AssertionError unless ``body`` is a real, readable file of format ``fmt``."""
    assert body.startswith(MAGIC[fmt]), f"{fmt}: starts with {body[:8]!r}"
    assert len(body) >= MIN_BYTES, f"{fmt}: only {len(body)} bytes"
    if fmt in ("docx", "zip"):
        with zipfile.ZipFile(io.BytesIO(body)) as zf:
            assert zf.testzip() is None, "corrupt zip member"
            names = zf.namelist()
            if fmt == "docx":
                assert "word/document.xml" in names, names
            else:
                assert names, "empty zip"
                for name in names:
                    ext = name.rsplit(".", 1)[-1].lower()
                    if ext in ("docx", "pdf"):
                        check_file(ext, zf.read(name))
    else:
        reader = PdfReader(io.BytesIO(body))
        assert len(reader.pages) >= 1


@pytest.mark.parametrize("call_id", expect.CALL_IDS)
def test_download_links_give_real_files(page, calls, call_id):
    call = expect.by_id(calls, call_id)
    page.goto(urls.call_page(call))
    links = _links(page)
    problems = []
    forms = forms_of(call)
    if forms:
        hrefs = {urlsplit(link["href"]).path for link in links}
        wanted = [urls.form_docx(call, f) for f in forms]
        wanted += [urls.form_pdf(call, f) for f in forms]
        wanted.append(urls.forms_zip(call))
        problems += [f"{call_id}: no download link for {p}" for p in wanted if f"/{p}" not in hrefs]
    for link in links:
        fmt = link["format"]
        where = f"{call_id} {unquote(link['href'])}"
        if fmt not in MAGIC:
            problems.append(f"{where}: unknown data-format {fmt!r}")
            continue
        response = page.request.get(link["href"])
        if not response.ok:
            problems.append(f"{where}: HTTP {response.status}")
            continue
        body = response.body()
        try:
            check_file(fmt, body)
        except AssertionError as exc:
            problems.append(f"{where}: {exc}")
        name = link["download"] or ""
        if not (name.endswith(EXTENSION[fmt]) and len(name) > len(EXTENSION[fmt])):
            problems.append(f"{where}: download name {name!r} is not a {EXTENSION[fmt]} file name")
        said = f"{link['text']} {link['label']}"
        if FORMAT_WORD[fmt] not in said.upper():
            problems.append(f"{where}: link text {link['text']!r} does not say {FORMAT_WORD[fmt]}")
        size = stated_size(said)
        if size is None:
            problems.append(f"{where}: link text {link['text']!r} does not say the file size")
        elif not size_matches(size, len(body)):
            problems.append(f"{where}: link says {link['text']!r}, file has {len(body)} bytes")
    assert not problems, "\n".join(problems)


def test_clicking_a_download_saves_it_under_its_friendly_name(page, calls, tmp_path):
    """The browser really downloads (not navigates), offering the Chinese file name."""
    with_forms = [c for c in calls if forms_of(c)]
    assert with_forms, "no call has forms"
    call = with_forms[0]
    page.goto(urls.call_page(call))
    done = set()
    for link in page.locator("[data-kx=download]").all():
        fmt = link.get_attribute("data-format")
        if fmt in done:
            continue
        done.add(fmt)
        link.scroll_into_view_if_needed()
        with page.expect_download() as info:
            link.click()
        download = info.value
        assert download.suggested_filename == link.get_attribute("download")
        target = tmp_path / f"{fmt}{EXTENSION[fmt]}"
        download.save_as(target)
        check_file(fmt, target.read_bytes())
    assert {"docx", "pdf", "zip"} <= done, f"formats offered on {call.id}: {sorted(done)}"
