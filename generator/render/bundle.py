"""One ZIP per call with all its forms (DOCX and PDF), for offices that want everything.

Entries carry the friendly Chinese names of :func:`generator.urls.download_name`
(e.g. ``附件3 2023年度…申报表.docx``), a fixed timestamp (the call's last modification
date) and fixed permissions, in form order, so an unchanged call gives a byte-identical
archive.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping

from .. import cache, urls, zipfiles
from ..context import Artifact, BuildContext
from ..formset import forms_of
from ..models import Call

log = logging.getLogger(__name__)

#: The files of each form that go into the archive: (extension, path function).
FORMATS = (("docx", urls.form_docx), ("pdf", urls.form_pdf))


def entries(call: Call, made: Mapping[str, Artifact]) -> list[tuple[str, Artifact]]:
    """The archive entries of ``call``: ``(entry name, file record)`` for every form file built.

    Forms are taken in :func:`generator.formset.forms_of` order, DOCX before PDF; files
    that were not built are left out. Two forms with the same name get their id appended.

    Parameters:
        call: The call.
        made: The files built so far, by site path (:attr:`BuildContext.artifacts`).

    Returns:
        The entries, in archive order.
    """
    out: list[tuple[str, Artifact]] = []
    seen: set[str] = set()
    for form in forms_of(call):
        for ext, path_of in FORMATS:
            item = made.get(path_of(call, form))
            if item is None:
                continue
            name = urls.download_name(call, form, ext)
            if name in seen:
                name = f"{name[: -len(ext) - 1]} ({form.id}).{ext}"
            seen.add(name)
            out.append((name, item))
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


def call_zip(call: Call, made: Mapping[str, Artifact], store: cache.Store | None = None
             ) -> bytes | None:
    """The forms archive of ``call``; None when no form file was built.

    Parameters:
        call: The call.
        made: The files built so far, by site path.
        store: Build cache of archives, keyed by the entries' names and content digests
            (the form files are read only when the archive is made).

    Returns:
        The archive bytes, or None.
    """
    found = entries(call, made)
    if not found:
        return None

    def make() -> bytes:
        return zip_bytes([(name, item.read()) for name, item in found], call.last_modified)

    if store is None:
        return make()
    key = cache.digest(
        cache.code_digest(),
        call.last_modified.isoformat(),
        *(part for name, item in found for part in (name, item.digest)),
    )
    return store.fetch(key, make)


def render(ctx: BuildContext) -> None:
    """Write ``urls.forms_zip(call)`` for every call that has form files."""
    store = ctx.store()
    made = {
        path: item
        for call in ctx.own_calls
        for form in forms_of(call)
        for kind, path in (("form.docx", urls.form_docx(call, form)), ("form.pdf", urls.form_pdf(call, form)))
        if (item := ctx.artifact(path, kind)) is not None
    }
    for call in ctx.own_calls:
        data = call_zip(call, made, store)
        if data is None:
            continue
        ctx.write(urls.forms_zip(call), data, "forms.zip")
        log.debug("bundle %s: %d bytes", urls.forms_zip(call), len(data))
    log.info("bundle: %d archives made, %d from cache", store.misses, store.hits)
