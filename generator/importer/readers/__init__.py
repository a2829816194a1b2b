"""Readers, one per kind of input file; :func:`read_document` picks one by the file's suffix."""

from __future__ import annotations

from pathlib import Path

from ..document import Document
from .errors import ReadError

SUFFIXES = (".docx", ".doc", ".wps", ".pdf", ".html", ".htm", ".txt")


def read_document(path: Path) -> Document:
    """Read one notice or attachment file.

    Parameters:
        path: A ``.docx``, ``.doc``, ``.wps``, ``.pdf``, ``.html``/``.htm`` or ``.txt`` file.

    Returns:
        Its text lines (whitespace-normalised) and, for Word files, its tables.

    Raises:
        ReadError: Unknown suffix, unreadable file, no text layer, failed conversion.
    """
    suffix = path.suffix.lower()
    if not path.is_file():
        raise ReadError(f"{path}: 文件不存在 / file not found")
    if suffix == ".docx":
        from .docx import read_docx

        return read_docx(path)
    if suffix in (".doc", ".wps"):
        from .office import read_office

        return read_office(path)
    if suffix == ".pdf":
        from .pdf import read_pdf

        return read_pdf(path)
    if suffix in (".html", ".htm"):
        from .html import read_html

        return read_html(path)
    if suffix == ".txt":
        from .text import read_text

        return read_text(path)
    raise ReadError(
        f"{path}: 不支持的文件类型 {suffix or '（无后缀）'}，支持 {' '.join(SUFFIXES)}"
        f" / unsupported file type; use one of {' '.join(SUFFIXES)}"
    )


def read_documents(paths: list[Path], cache_dir: Path | None = None) -> list[Document]:
    """Read several files (a notice and its attachments), in order.

    The ``.doc``/``.wps`` files among them are converted by one LibreOffice start, with its
    profile kept under ``cache_dir`` (the repository's ``.cache``) when given.

    Raises:
        ReadError: As :func:`read_document`.
    """
    office = [p for p in paths if p.suffix.lower() in (".doc", ".wps") and p.is_file()]
    converted: dict[Path, Document] = {}
    if office:
        from .office import read_offices

        converted = dict(zip(office, read_offices(office, cache_dir), strict=True))
    return [converted[p] if p in converted else read_document(p) for p in paths]


__all__ = ["SUFFIXES", "ReadError", "read_document", "read_documents"]
