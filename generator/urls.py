"""Where each generated file lives in the site. The one place that knows paths.

All paths are relative to the site root, with forward slashes, and use only ids
(slugs validated by the model), so they cannot escape the output folder.
"""

from __future__ import annotations

import os

from .models import Call, Form


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


def forms_zip(call: Call) -> str:
    return f"{downloads_dir(call)}/{call.id}-forms.zip"


def guide_pdf(call: Call) -> str:
    return f"{downloads_dir(call)}/{call.id}-guide.pdf"


def download_name(call: Call, form: Form, ext: str) -> str:
    """Friendly Chinese file name offered by the browser, e.g. 附件3 申报表.docx."""
    prefix = f"{form.attachment} " if form.attachment else ""
    name = f"{prefix}{form.title}".replace("/", "／").replace("\\", "＼")
    return f"{name}.{ext}"


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
