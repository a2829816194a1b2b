"""Plain text notices: UTF-8, or GB18030/GBK as many Windows editors save them."""

from __future__ import annotations

from pathlib import Path

from charset_normalizer import from_bytes

from ..document import Document
from ..normalise import normalise_text
from .errors import ReadError

#: Encodings Chinese notices come in besides UTF-8 (mainland GB18030 family, Big5, UTF-16).
_CANDIDATES = ["gb18030", "big5", "utf_16"]


def decode(data: bytes, name: str) -> str:
    """Decode bytes of Chinese text: UTF-8 (with or without BOM) first, then detection.

    Parameters:
        data: The file's bytes.
        name: The file name, for messages.

    Returns:
        The text.

    Raises:
        ReadError: No encoding fits.
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data, cp_isolation=_CANDIDATES).best()
    if best is not None:
        return str(best)
    raise ReadError(f"{name}: 无法识别文字编码，请另存为 UTF-8 / cannot detect the text encoding")


def read_text(path: Path) -> Document:
    """Read a ``.txt`` notice (encoding detected)."""
    return Document(path.name, normalise_text(decode(path.read_bytes(), path.name)))
