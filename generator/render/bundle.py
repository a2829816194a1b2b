"""One ZIP per call with all its forms (DOCX and PDF), for offices that want everything.

Entries carry the friendly Chinese names of :func:`generator.urls.download_name`
(e.g. ``附件3 2023年度…申报表.docx``), a fixed timestamp (the call's last modification
date) and fixed permissions, in form order, so an unchanged call gives a byte-identical
archive.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from .. import cache, urls, zipfiles
from ..context import BuildContext
from ..formset import forms_of
from ..models import Call

log = logging.getLogger(__name__)

#: The files of each form that go into the archive: (extension, path function).
FORMATS = (("docx", urls.form_docx), ("pdf", urls.form_pdf))


def entries(call: Call, docs_dir: Path) -> list[tuple[str, Path]]:
    """The archive entries of ``call``: ``(entry name, file)`` for every form file built.

    Forms are taken in :func:`generator.formset.forms_of` order, DOCX before PDF; files
    that were not built are left out. Two forms with the same name get their id appended.

    Parameters:
        call: The call.
        docs_dir: The staging docs folder the form files were written to.

    Returns:
        The entries, in archive order.
    """
    out: list[tuple[str, Path]] = []
    seen: set[str] = set()
    for form in forms_of(call):
        for ext, path_of in FORMATS:
            path = docs_dir / path_of(call, form)
            if not path.is_file():
                continue
            name = urls.download_name(call, form, ext)
            if name in seen:
                name = f"{name[: -len(ext) - 1]} ({form.id}).{ext}"
            seen.add(name)
            out.append((name, path))
    return out


def zip_bytes(items: list[tuple[str, bytes]], date: dt.date) -> bytes:
    """The forms archive of ``items``, every entry stamped ``date`` (at 00:00).

    Parameters:
        items: ``(entry name, content)`` in archive order.
        date: The call's last modification date.

    Returns:
        The archive bytes (:mod:`generator.zipfiles`): same items and date, same bytes.
    """
    return zipfiles.zip_bytes(items, zipfiles.stamp(date))


def call_zip(call: Call, docs_dir: Path, store: cache.Store | None = None) -> bytes | None:
    """The forms archive of ``call``; None when no form file was built.

    Parameters:
        call: The call.
        docs_dir: The staging docs folder the form files were written to.
        store: Build cache of archives, keyed by the entries' names and contents.

    Returns:
        The archive bytes, or None.
    """
    items = [(name, path.read_bytes()) for name, path in entries(call, docs_dir)]
    if not items:
        return None
    if store is None:
        return zip_bytes(items, call.last_modified)
    key = cache.digest(
        cache.code_digest("render/bundle.py"),
        call.last_modified.isoformat(),
        *(part for name, data in items for part in (name, cache.digest(data))),
    )
    return store.fetch(key, lambda: zip_bytes(items, call.last_modified))


def render(ctx: BuildContext) -> None:
    """Write ``urls.forms_zip(call)`` for every call that has form files."""
    store = cache.Store(ctx.cache_dir, "bundle")
    for call in ctx.calls:
        data = call_zip(call, ctx.docs_dir, store)
        if data is None:
            continue
        out = ctx.docs_dir / urls.forms_zip(call)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
        log.debug("bundle %s: %d bytes", out.name, len(data))
    log.info("bundle: %d archives made, %d from cache", store.misses, store.hits)
