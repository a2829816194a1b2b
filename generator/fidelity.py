"""Is every quoted string really in the notice? Normalised comparison with the source text.

The comparison behind the rules of :mod:`generator.rules.notice`: every field typed
``Quote`` in the model must occur in the call's source text once both are normalised
(NFKC, no whitespace, one kind of quotation mark and dash).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from .models import Call, iter_quotes

_WS = re.compile(r"\s+")
_QUOTES = str.maketrans(
    {
        "“": '"', "”": '"', "„": '"', "‟": '"', "「": '"', "」": '"', "『": '"', "』": '"',
        "‘": "'", "’": "'", "‚": "'", "‛": "'",
        "—": "-", "–": "-", "－": "-", "‐": "-", "‑": "-", "─": "-", "―": "-",
        "〜": "~", "～": "~",
        "□": "☐", "■": "☐",
    }
)


def normalise(text: str) -> str:
    """Fold width, whitespace, quotation marks and dashes so equal wording compares equal."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return _WS.sub("", text)


def unquoted(
    call: Call, source_text: str, quotes: Iterable[tuple[str, str]] | None = None
) -> list[tuple[str, str]]:
    """``(field_path, text)`` of every quote in ``call`` that the source does not contain.

    ``quotes`` are the call's quotes when already collected (default: walk ``call``).
    """
    haystack = normalise(source_text)
    found = iter_quotes(call) if quotes is None else quotes
    return [(path, text) for path, text in found if normalise(text) not in haystack]
