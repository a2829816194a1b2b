"""Where each generated file lives in the site. The one place that knows paths.

All paths are relative to the site root, with forward slashes, and use only ids
(slugs validated by the model), so they cannot escape the output folder.
"""

from __future__ import annotations

import os
import unicodedata

from .formset import forms_of
from .models import WINDOWS_RESERVED, Call, Form


def call_page(call: Call) -> str:
    """URL of a call's guideline page (directory URL)."""
    return f"calls/{call.id}/"


def call_markdown(call: Call) -> str:
    """Markdown file of a call's page, relative to the docs dir."""
    return f"calls/{call.id}/index.md"


def source_page(call: Call) -> str:
    """URL of a call's original-text (原文) page."""
    return f"calls/{call.id}/source/"


def source_markdown(call: Call) -> str:
    return f"calls/{call.id}/source.md"


def downloads_dir(call: Call) -> str:
    return f"downloads/{call.id}"


def form_docx(call: Call, form: Form) -> str:
    return f"{downloads_dir(call)}/{form.id}.docx"


def form_pdf(call: Call, form: Form) -> str:
    return f"{downloads_dir(call)}/{form.id}.pdf"


def form_fillable_pdf(call: Call, form: Form) -> str:
    return f"{downloads_dir(call)}/{form.id}-fillable.pdf"


def form_fill_page(call: Call, form: Form) -> str:
    """URL of a form's 在线填写 page (directory URL)."""
    return f"calls/{call.id}/fill/{form.id}/"


def form_fill_markdown(call: Call, form: Form) -> str:
    """Markdown file of a form's 在线填写 page, relative to the docs dir."""
    return f"calls/{call.id}/fill/{form.id}.md"


def forms_zip(call: Call) -> str:
    return f"{downloads_dir(call)}/{call.id}-forms.zip"


def guide_pdf(call: Call) -> str:
    return f"{downloads_dir(call)}/{call.id}-guide.pdf"


#: Characters Windows forbids in file names (and path separators), as full-width forms.
_NAME_CHARS = str.maketrans(
    {"/": "／", "\\": "＼", ":": "：", "*": "＊", "?": "？",
     '"': "＂", "<": "＜", ">": "＞", "|": "｜"}
)
#: Unicode categories dropped from file names: control and format characters (bidi
#: overrides such as U+202E, which show ``…‮xcod.exe`` as ``…exe.docx``, zero-width
#: characters, BOM), line and paragraph separators, lone surrogates.
_NAME_DROPPED = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})
#: Longest stem of a friendly file name in UTF-8 bytes: with a suffix such as （可填写）
#: or `` (form-id)`` and the extension, it stays under the 255 bytes file systems allow.
MAX_NAME_BYTES = 150


def safe_file_name(stem: str, ext: str) -> str:
    """``stem.ext`` as a file name that works on every system and in every archive.

    Parameters:
        stem: Text from the data, e.g. a form title; may hold anything.
        ext: The extension, without the dot.

    Returns:
        One file name, never a path: separators and characters Windows forbids become
        their full-width forms, whitespace and line breaks single spaces, control and
        format characters (bidi overrides, zero-width characters) are dropped; the stem is cut
        to :data:`MAX_NAME_BYTES`, loses leading dots and trailing dots and spaces, and a
        Windows device name (CON, NUL…) gets a leading ``_``.
    """
    kept = "".join(ch for ch in stem if unicodedata.category(ch) not in _NAME_DROPPED or ch.isspace())
    name = " ".join(kept.translate(_NAME_CHARS).split())
    name = name.encode("utf-8")[:MAX_NAME_BYTES].decode("utf-8", "ignore").strip(" .")
    if not name or name.split(".")[0].strip().lower() in WINDOWS_RESERVED:
        name = f"_{name}"
    return f"{name}.{ext}"


def download_name(call: Call, form: Form, ext: str) -> str:
    """Friendly Chinese file name offered by the browser, e.g. 附件3 申报表.docx."""
    prefix = f"{form.attachment} " if form.attachment else ""
    return safe_file_name(f"{prefix}{form.title}", ext)


def form_files(call: Call, form: Form) -> list[str]:
    """Every file ``form`` is published as: DOCX, PDF and fillable PDF."""
    return [form_docx(call, form), form_pdf(call, form), form_fillable_pdf(call, form)]


def path_clashes(call: Call) -> list[tuple[tuple[str | int, ...], str, str]]:
    """Forms whose files would land where another file of ``call`` goes.

    Ids are slugs, yet two paths can still meet: form ``apply``'s fillable PDF is
    ``apply-fillable.pdf``, the print PDF of a form ``apply-fillable``; a form
    ``<call id>-guide`` would overwrite the guideline PDF.

    Parameters:
        call: A validated call.

    Returns:
        ``(location, zh, en)`` for every clash, located at the form's id.
    """
    taken: dict[str, tuple[str, str]] = {
        forms_zip(call): ("全部申报表 ZIP", "the forms ZIP"),
        guide_pdf(call): ("申报指南 PDF", "the guideline PDF"),
        call_calendar(call): ("日历文件", "the calendar file"),
    }
    index = {f.id: i for i, f in enumerate(call.forms)}
    out: list[tuple[tuple[str | int, ...], str, str]] = []
    for form in forms_of(call):
        paths = form_files(call, form)
        clash = next((p for p in paths if p in taken), None)
        if clash is not None:
            zh, en = taken[clash]
            loc: tuple[str | int, ...] = (
                ("forms", index[form.id], "id") if form.id in index else ("indicators",)
            )
            out.append((
                loc,
                f"表单 {form.id} 的文件 {clash} 与{zh}重名，请换一个表单编号",
                f"form '{form.id}': its file {clash} is also {en}",
            ))
        taken.update({p: (f"表单 {form.id}", f"a file of form '{form.id}'") for p in paths})
    return out


# ------------------------------------------------------------------ feeds, open data, offline


def calendar() -> str:
    """All deadlines of all calls (iCalendar)."""
    return "calendar.ics"


def call_calendar(call: Call) -> str:
    """The deadlines of one call (iCalendar)."""
    return f"{downloads_dir(call)}/{call.id}.ics"


def feed() -> str:
    """Atom feed of calls and corrections."""
    return "feed.xml"


def feed_stylesheet() -> str:
    """XSL stylesheet that shows the feed as a readable page in a browser."""
    return "feed.xsl"


def changes_markdown() -> str:
    """Markdown file of the corrections page (更正记录), relative to the docs dir."""
    return "changes.md"


def changes_page() -> str:
    return "changes/"


def calls_json() -> str:
    return "api/calls.json"


def calls_csv() -> str:
    return "api/calls.csv"


def call_schema() -> str:
    return "api/call.schema.json"


def site_zip() -> str:
    """The offline copy of the whole site."""
    return "downloads/site.zip"


def site_url() -> str | None:
    """The site's public address from ``SITE_URL`` (as mkdocs.yml reads it); None when unset."""
    return os.environ.get("SITE_URL") or None


def absolute(path: str, base: str | None) -> str:
    """``path`` under the site's public address ``base`` (e.g. SITE_URL); ``path`` when unset."""
    if not base:
        return path
    return base.rstrip("/") + "/" + path.lstrip("/")
