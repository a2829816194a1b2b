"""Whitespace normalisation of extracted text, and logical paragraphs for the extractors.

The text written to ``data/sources/<id>.txt`` is the text as extracted with only whitespace
changed: line ends unified, trailing spaces removed, no-break and zero-width spaces made
plain, runs of empty lines cut to one. Characters (traditional or simplified, full or half
width) are never changed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TRAILING = " \u00a0\u3000\u2002\u2003\u2009\u200b\ufeff\r"
_INVISIBLE = str.maketrans({"\u00a0": " ", "\u200b": "", "\u200c": "", "\u200d": "", "\u2060": "", "\ufeff": "",
                            "\u2028": "\n", "\u2029": "\n",
                            "\x0c": "\n", "\x0b": "\n"})


def clean_line(text: str) -> str:
    """One line with invisible characters removed and trailing spaces cut (tabs kept)."""
    return text.translate(_INVISIBLE).rstrip(_TRAILING)


def normalise_text(text: str) -> list[str]:
    """Split ``text`` into lines with whitespace normalised.

    Parameters:
        text: Extracted text.

    Returns:
        The lines; leading indentation and tabs (cell markers) are kept, no line ends in
        spaces, at most one empty line in a row, none at the start or end.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_INVISIBLE)
    out: list[str] = []
    for raw in text.split("\n"):
        line = raw.rstrip(_TRAILING)
        if not line.strip(" \u3000"):
            line = "\t" if "\t" in raw else ""
        if line == "" and (not out or out[-1] == ""):
            continue
        out.append(line)
    while out and out[-1] == "":
        out.pop()
    return out


#: An Arabic item number: 1. 2、 3．, but not the start of a figure or a year (1.5万元, 1.2024年度…
#: is item 1 only when more than three digits follow). The one place for this fragment.
NUM_ITEM = r"\d{1,2}\s*[.．、](?!\s*\d{1,3}(?!\d))"

#: A line that starts a new logical paragraph (numbered item, heading, attachment…).
_STARTS = re.compile(
    rf"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|{NUM_ITEM}|\d{{1,2}}\s*[)）]|[（(]\d{{1,2}}[)）]"
    r"|\d{1,2}\)|[①②③④⑤⑥⑦⑧⑨⑩]|[A-Z]\d{0,2}[.．、]|附件|附：|附:|联系|电话|邮箱|电子邮箱|地址|-\s|•|[\u4e00-\u9fff]{2,8}\s*[:：])"
)
#: A line that stands alone (a document number, a date, an issuer line).
_ALONE = re.compile(r"〔\d{4}〕|\[\d{4}\]|^\s*[^\s\d，。、,；;：:]{2,24}(文件|办公室|协会|委员会|科协|局)\s*$"
                    r"|^\s*[0-9〇○零一二三四五六七八九]{4}\s*年[^。]{1,12}日\s*$")
#: The number in front of an item: 一、 （二） 3. 4、 (5) 6) ① A1.
MARKER = re.compile(
    rf"^\s*(?:[-•·]\s*)?(?:[一二三四五六七八九十]+\s*[、.．]|[（(]\s*[一二三四五六七八九十\d]{{1,3}}\s*[)）]|{NUM_ITEM}|\d{{1,2}}\)"
    r"|[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳]|[A-Z]\d{1,2}\s*[.．、])\s*"
)
_SHORT_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）])[^，。,；;]{1,25}$")
#: A page number as printed in a footer: — 2 —, - 3 -, －4－, 第5页, 第 5 页 共 9 页.
_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-—–－]+\s*\d{1,3}\s*[-—–－]+|第\s*\d{1,3}\s*页(?:\s*[，,/]?\s*共\s*\d{1,3}\s*页)?)\s*$")
_VALUE_ONLY = re.compile(
    r"^\s*(?:[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}|https?://\S+|[\d\-－()（）、 ]{7,})\s*$")
_ENDS = "。；;：:！？!?"
#: Endings of a title or letterhead line: the paragraph ends there.
_TITLE_ENDS = ("通知", "公告", "通告", "文件", "的函", "指南", "申报书", "申报表", "推荐表")
_HEADING_ALONE = re.compile(r"^\s*附\s*件\s*[0-9０-９一二三四五六七八九十]{1,3}\s*[:：]?\s*$")


@dataclass(frozen=True)
class Para:
    """A logical paragraph: hard-wrapped lines joined (without a separator).

    Attributes:
        text: The joined text, stripped.
        line: 1-based number of its first line in the source file.
        last: 1-based number of its last line.
    """

    text: str
    line: int
    last: int


def paragraphs(lines: list[str]) -> list[Para]:
    """Join hard-wrapped lines (as PDF text gives them) into logical paragraphs.

    A line continues the previous one when that one does not end a sentence and the line
    does not start a numbered item, heading or attachment; table cell lines (tab-prefixed)
    and lines that stand alone (document number, date) are never joined.

    Parameters:
        lines: Normalised lines (:func:`normalise_text`).

    Returns:
        The paragraphs in order.
    """
    out: list[Para] = []
    cur: list[str] = []
    start = last = 0

    def flush() -> None:
        nonlocal cur
        if cur:
            out.append(Para("".join(cur).strip(), start, last))
        cur = []

    for i, raw in enumerate(lines, start=1):
        line = raw.strip(" \u3000")
        if not line.strip():
            continue
        if _PAGE_NUMBER.match(line):
            last = i  # a PDF page's number (— 2 —): the sentence goes on after it
            continue
        if raw.startswith("\t") or "\t" in line:
            flush()
            out.append(Para(line.strip(), i, i))
            continue
        prev = cur[-1] if cur else ""
        if cur and prev.rstrip().endswith(("：", ":")) and _VALUE_ONLY.match(line):
            cur.append(line)  # 邮箱：⏎ name@host wrapped onto its own line
            last = i
            continue
        joins = (
            cur
            and not prev.rstrip().endswith(tuple(_ENDS))
            and not prev.rstrip().endswith(_TITLE_ENDS)
            and not _HEADING_ALONE.match(prev)
            and not _SHORT_HEADING.match(prev)
            and not _STARTS.match(line)
            and not _ALONE.search(line)
            and not _ALONE.search(prev)
            and i - last <= 2
        )
        if not joins:
            flush()
            start = i
        cur.append(line)
        last = i
    flush()
    return out
