"""PDF notices with a text layer (pdfplumber: text in reading order, tables by ruling lines).

pdfplumber keeps a line's characters in their visual order (是☐ 否☐ stays so, where pypdf
returns ☐ ☐是 否), which is what a quoted value needs. A scanned PDF without a text layer
cannot be read: the error says to ask for the Word file or to type the text.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pdfplumber
from pdfminer.pdfparser import PDFSyntaxError
from pdfplumber.utils.exceptions import PdfminerException

from ..document import Document
from ..normalise import normalise_text
from .errors import ReadError

#: Below this many characters per page the PDF is taken as a scan.
MIN_CHARS_PER_PAGE = 20


def read_pdf(path: Path) -> Document:
    """Read the text layer of a PDF, page by page.

    Raises:
        ReadError: Not a PDF, encrypted, or no text layer (a scan).
    """
    for name in ("pdfminer", "pdfplumber"):
        logging.getLogger(name).setLevel(logging.ERROR)
    pages: list[str] = []
    try:
        with pdfplumber.open(str(path)) as pdf:
            for page in pdf.pages:
                pages.append(page.extract_text(x_tolerance=1.5, y_tolerance=3) or "")
    except (PdfminerException, PDFSyntaxError, ValueError, KeyError, TypeError) as exc:
        raise ReadError(f"{path.name}: 无法读取此 PDF / cannot read this PDF ({exc})") from exc
    chars = sum(len(p.strip()) for p in pages)
    if chars < MIN_CHARS_PER_PAGE * max(1, len(pages)):
        raise ReadError(
            f"{path.name}: PDF 没有文字层（可能是扫描件），无法提取文字；请向发文单位索取 Word 文件，"
            "或把文字录入为 .txt 后导入 / the PDF has no text layer (a scan?)"
        )
    return Document(path.name, normalise_text("\n".join(pages)))
