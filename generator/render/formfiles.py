"""Just the forms, without the site: ``python -m generator forms --format … --out DIR``.

For an office that wants the files, and for the benchmark that compares WeasyPrint with
LibreOffice. Files go to ``DIR/<call id>/`` under the friendly Chinese names of
:func:`generator.urls.download_name` (the fillable PDF with （可填写） added).
"""

from __future__ import annotations

from pathlib import Path

from .. import urls, workers
from ..errors import BuildError
from ..formset import forms_of
from ..models import Call, Form
from . import pdf

FORMATS = ("docx", "pdf", "fillable")


def file_name(call: Call, form: Form, fmt: str) -> str:
    """The file name of ``form`` in format ``fmt`` (docx, pdf or fillable)."""
    if fmt == "fillable":
        return urls.download_name(call, form, "pdf")[:-4] + "（可填写）.pdf"
    return urls.download_name(call, form, fmt)


def select_calls(calls: list[Call], call_id: str | None) -> list[Call]:
    """``calls``, or only the one with ``call_id``.

    Raises:
        BuildError: No call has that id.
    """
    if call_id is None:
        return calls
    chosen = [c for c in calls if c.id == call_id]
    if not chosen:
        known = "、".join(c.id for c in calls)
        raise BuildError(
            f"没有编号为 {call_id} 的通知（现有：{known}） / unknown call id '{call_id}'"
        )
    return chosen


def _docx(job: tuple[Call, Form, Path]) -> int:
    from .docx import form_docx  # python-docx is only loaded when DOCX files are wanted

    call, form, out = job
    data = form_docx(call, form)
    out.write_bytes(data)
    return len(data)


def write_forms(
    calls: list[Call], fmt: str, out: Path, *, cache_dir: Path, use_cache: bool = True,
    jobs: int = 1,
) -> list[Path]:
    """Write every form of ``calls`` in one format.

    Parameters:
        calls: The calls whose forms to write.
        fmt: ``docx``, ``pdf`` (print) or ``fillable`` (PDF with form fields).
        out: The output folder (created); files go to ``out/<call id>/``.
        cache_dir: The build cache (prepared fonts, rendered PDFs).
        use_cache: False to render PDFs again instead of reusing cached ones.
        jobs: Worker processes.

    Returns:
        The files written, in call and form order.

    Raises:
        BuildError: Unknown format, missing CJK font, or a form that cannot be rendered.
    """
    if fmt not in FORMATS:
        raise BuildError(f"未知格式 {fmt}（可选 {'/'.join(FORMATS)}） / unknown format '{fmt}'")
    targets: list[tuple[Call, Form, Path]] = []
    for call in calls:
        folder = out / call.id
        folder.mkdir(parents=True, exist_ok=True)
        targets.extend((call, form, folder / file_name(call, form, fmt)) for form in forms_of(call))
    if fmt == "docx":
        if jobs > 1 and len(targets) > 1:
            with workers.pool(min(jobs, len(targets))) as pool:
                list(pool.map(_docx, targets))
        else:
            for target in targets:
                _docx(target)
    else:
        variant = "fillable" if fmt == "fillable" else "print"
        pdf.render_jobs(
            [(pdf.Job(call, form, variant), path) for call, form, path in targets],
            cache_dir, processes=jobs, use_cache=use_cache,
        )
    return [path for _, _, path in targets]
