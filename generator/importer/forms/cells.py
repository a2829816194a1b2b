"""One table cell's text → a model cell: a label, an answer area, ☐ options or a signature."""

from __future__ import annotations

import re
from typing import Any

#: 200字以内, 不超过500字, 限300字.
WORD_LIMIT = re.compile(r"(\d{2,5})\s*字(?:以内|以下|左右)|不超过\s*(\d{2,5})\s*字|限\s*(\d{2,5})\s*字")
_HINT = re.compile(r"^[（(].*[)）]$", re.S)
_BOX = "☐□■☑✓"
_OPT_AFTER = re.compile(rf"([^\s{_BOX}：:（）()]{{1,12}}?)\s*[{_BOX}]")
_OPT_BEFORE = re.compile(rf"[{_BOX}]\s*([^\s{_BOX}]{{1,12}})")
_OPT_PAREN = re.compile(r"([^\s（）()]{1,12}?)[（(][\s\u3000]*[)）]")
_QUOTED_BOX = re.compile(rf"[“\"「‘'][{_BOX}][”\"」’']")
_SIGN = re.compile(r"签名|签章|签字|盖章|公章|（章）|\(章\)")
_DATE_LINE = re.compile(r"^\s*年\s+月\s+日\s*$|^\s*\d{4}\s*年\s+月\s+日\s*$")
_BLANK = re.compile(r"_{3,}|＿{2,}")


def word_limit(text: str) -> int | None:
    """The word limit a hint states (200字以内 → 200)."""
    m = WORD_LIMIT.search(text)
    return int(next(g for g in m.groups() if g)) if m else None


class Ids:
    """Field ids of one form: field-1, field-2…, choice-1…, blank-1…"""

    def __init__(self) -> None:
        self.n: dict[str, int] = {}

    def __call__(self, kind: str) -> str:
        self.n[kind] = self.n.get(kind, 0) + 1
        return f"{kind}-{self.n[kind]}"


def _split_lead(matches: list[re.Match[str]], text: str) -> list[Any]:
    """Options as (start, end, text); a first option run together with its label is cut.

    In 人大常委是☐ 否☐ the label and the first option touch: the first option is given the
    length of the longest other option.
    """
    spans = [(m.start(1), m.end(), m.group(1).strip()) for m in matches]
    if len(spans) >= 2:
        longest = max(len(s[2]) for s in spans[1:])
        start, end, first = spans[0]
        if len(first) > longest + 1:
            spans[0] = (start + len(first) - longest, end, first[-longest:])
    return spans


def _options(text: str) -> tuple[list[re.Match[str]], str]:
    """☐ option matches in a line and the box position (after / before / paren)."""
    if _QUOTED_BOX.search(text):
        return [], "after"
    if any(b in text for b in _BOX):
        # 是☐ 否☐ ends in a box; ☐是 ☐否 (and 是否有阵地☐是 ☐否) ends in an option
        before = text.rstrip()[-1] not in _BOX
        pattern = _OPT_BEFORE if before else _OPT_AFTER
        return list(pattern.finditer(text)), "before" if before else "after"
    matches = list(_OPT_PAREN.finditer(text))
    return (matches if len(matches) >= 2 else []), "paren"


def _blanks(text: str, ids: Ids) -> list[Any]:
    parts: list[Any] = []
    at = 0
    for m in _BLANK.finditer(text):
        if text[at:m.start()].strip():
            parts.append(text[at:m.start()].strip())
        parts.append({"blank": ids("blank"), "width": min(60, max(1, len(m.group()) // 2))})
        at = m.end()
    if text[at:].strip():
        parts.append(text[at:].strip())
    return parts


def inline_parts(lines: list[str], ids: Ids) -> list[Any] | None:
    """``[text, {blank}, {choice, options}, {br}, …]`` when the lines hold blanks or ☐ options.

    Parameters:
        lines: Text lines of a cell or paragraph.
        ids: The form's id counter.

    Returns:
        The inline parts, or None when there is nothing to fill in.
    """
    parts: list[Any] = []
    found = False
    for line in lines:
        text = line.strip()
        if not text:
            continue
        if parts:
            parts.append({"br": True})
        matches, box = _options(text)
        spans = _split_lead(matches, text) if box == "after" else [
            (m.start(), m.end(), m.group(1).strip()) for m in matches]
        at = 0
        for start, end, option in spans:
            found = True
            parts.extend(_blanks(text[at:start], ids))
            # options that follow each other form one group
            if parts and isinstance(parts[-1], dict) and "choice" in parts[-1] and at == start:
                parts[-1]["options"].append(option)
            else:
                parts.append({"choice": ids("choice"), "options": [option], "box": box})
            at = end
            while at < len(text) and text[at] in " \u3000":
                at += 1
        rest = _blanks(text[at:], ids)
        found = found or any(isinstance(p, dict) for p in rest)
        parts.extend(rest)
    return parts if found else None


def is_signature(lines: list[str]) -> bool:
    """Signature / stamp lines: 单位公章, 负责人签名, 年 月 日."""
    texts = [ln.strip() for ln in lines if ln.strip()]
    return (bool(texts) and any(_SIGN.search(t) for t in texts) and len("".join(texts)) <= 80) or (
        bool(texts) and all(_DATE_LINE.match(t) for t in texts))


def make_cell(lines: list[str], ids: Ids, colspan: int = 1, rowspan: int = 1, *,
              placeholder: bool = False) -> dict[str, Any]:
    """A model cell (as plain data) from a cell's lines.

    Parameters:
        lines: The cell's text lines as written.
        ids: The form's id counter.
        colspan: Columns covered.
        rowspan: Rows covered.
        placeholder: The text is a content control's placeholder: an answer area's hint.

    Returns:
        ``{text}`` (label), ``{input}`` (empty or a （…字以内） hint), ``{parts}`` (☐ options)
        or ``{sign}``, with spans.
    """
    lines = [ln.rstrip() for ln in lines]
    while lines and not lines[-1].strip():
        lines.pop()
    while lines and not lines[0].strip():
        lines.pop(0)
    text = "\n".join(ln.strip() for ln in lines)
    cell: dict[str, Any]
    if not text.strip("\u3000 _＿"):
        cell = {"input": {"id": ids("field")}}
    elif placeholder:
        area: dict[str, Any] = {"id": ids("field"), "hint": text}
        limit = word_limit(text)
        if limit is not None:
            area.update(word_limit=limit, lines=6, kind="multiline")
        cell = {"input": area}
    elif _HINT.match(text) and len(lines) <= 3 and (limit := word_limit(text)) is not None:
        cell = {"input": {"id": ids("field"), "hint": text, "word_limit": limit, "lines": 6, "kind": "multiline"}}
    elif (parts := inline_parts(lines, ids)) is not None:
        cell = {"parts": parts}
    elif is_signature(lines):
        cell = {"sign": {"lines": [ln.strip() for ln in lines if ln.strip()], "space": 2}}
    else:
        cell = {"text": text}
    if colspan > 1:
        cell["colspan"] = colspan
    if rowspan > 1:
        cell["rowspan"] = rowspan
    return cell
