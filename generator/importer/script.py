"""Traditional characters: matched as simplified, quoted as written.

The extractors' rules are written in simplified characters. A notice in traditional
characters is matched through a *shadow* copy converted character by character (OpenCC's
``t2s`` table, one character for one, so every offset is the same in both), and each quoted
value is then taken back from the original text at the same place.
"""

from __future__ import annotations

import functools
import re
from typing import Any

_WS = re.compile(r"\s+")


@functools.lru_cache(maxsize=1)
def _converter() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


@functools.lru_cache(maxsize=8192)
def _char(ch: str) -> str:
    if ch.isascii():
        return ch
    out = _converter().convert(ch)
    return out if len(out) == 1 else ch


def to_simplified(text: str) -> str:
    """``text`` with each traditional character replaced by its simplified one (same length)."""
    return "".join(_char(ch) for ch in text)


class Restorer:
    """Maps values quoted from the shadow text back to the original's characters."""

    def __init__(self, original: str, shadow: str) -> None:
        self.same = original == shadow
        self._orig = _WS.sub("", original)
        self._shadow = _WS.sub("", shadow)

    def __call__(self, value: str) -> str:
        """``value`` (quoted from the shadow) as the original writes it; unchanged if not found."""
        if self.same:
            return value
        key = _WS.sub("", value)
        at = self._shadow.find(key)
        if at < 0 or not key:
            return value
        written = iter(self._orig[at:at + len(key)])
        return "".join(ch if ch.isspace() else next(written) for ch in value)
