"""Where each generated file lives in the site. The one place that knows paths.

All paths are relative to the site root, with forward slashes, and use only ids
(slugs validated by the model), so they cannot escape the output folder.
"""

from __future__ import annotations

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
