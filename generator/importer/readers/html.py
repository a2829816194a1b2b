"""Saved notice pages (``.html``/``.htm``): the article only (readability-lxml).

Site chrome (navigation, breadcrumbs, side lists, share and print links, view counters,
footers) is left out by the article extractor. Hidden elements and lines that are nothing
but a link to another site (spam inserted into hacked pages) are removed before and after.
The page title (``<h1>``, or the first part of ``<title>``) is kept as the first line.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import lxml.html
from readability import Document as Readable

from ..document import Document
from ..normalise import normalise_text
from .errors import ReadError
from .text import decode

_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section", "article"}
_KEEP_LINK = re.compile(r"https?:|www\.|\.(?:cn|com|org|net|gov)\b|附件|下载|系统|平台|\.(?:docx?|pdf|xlsx?|wps)", re.I)
_COUNTER = re.compile(r"(浏览|阅读|点击|访问)(次数|量)?[:：]?\s*\d+|第\s*\d+\s*位访客")
_TITLE_SPLIT = re.compile(r"\s*[_|｜\-—]\s*")


def _text_lines(el: Any) -> list[str]:
    """Visible text of an element, one line per block element, table cells tab-prefixed."""
    out: list[str] = [""]

    def walk(node: Any) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in ("script", "style", "noscript"):
            if node.tail:
                out[-1] += node.tail
            return
        if tag in _BLOCKS:
            out.append("")
        if tag in ("td", "th"):
            out.append("\t")
        if node.text and tag:
            out[-1] += node.text
        for child in node:
            walk(child)
        if tag in _BLOCKS or tag in ("td", "th"):
            out.append("")
        if node.tail:
            out[-1] += node.tail

    walk(el)
    return out


def _host(href: str) -> str | None:
    m = re.match(r"^(?:https?:)?//([^/:?#]+)", href.strip().lower())
    return m.group(1) if m else None


def _spam(p: Any, hosts: dict[str, int]) -> bool:
    """A paragraph that is only one link, in prose, to a site the page links nowhere else.

    A notice's own links (申报系统 addresses, 附件 downloads) show an address or name a file,
    system or platform, and are kept.
    """
    links = p.findall(".//a")
    if len(links) != 1:
        return False
    text = links[0].text_content().strip()
    host = _host(links[0].get("href") or "")
    return (host is not None and hosts.get(host, 0) <= 1 and text == p.text_content().strip()
            and not _KEEP_LINK.search(text))


def read_html(path: Path) -> Document:
    """Read the article of a saved notice page.

    Raises:
        ReadError: The page holds no article text.
    """
    raw = path.read_bytes()
    match = re.search(rb"charset=[\"']?([A-Za-z0-9_-]+)", raw[:2048])
    try:
        html = raw.decode(match.group(1).decode("ascii")) if match else decode(raw, path.name)
    except (LookupError, UnicodeDecodeError):
        html = decode(raw, path.name)
    page = lxml.html.fromstring(html)
    for el in page.xpath("//*[@style]"):
        if _HIDDEN.search(el.get("style", "")) and el.getparent() is not None:
            el.drop_tree()
    heading = ""
    page_title = (page.findtext(".//title") or "").strip()
    for h in page.xpath("//h1|//h2"):
        text = h.text_content().strip()
        if text and page_title.startswith(text):
            heading = text
            break
    if not heading and page_title:
        heading = _TITLE_SPLIT.split(page_title)[0]
    hosts: dict[str, int] = {}
    for a in page.iter("a"):
        host = _host(a.get("href") or "")
        if host:
            hosts[host] = hosts.get(host, 0) + 1
    article = lxml.html.fromstring(Readable(lxml.html.tostring(page, encoding="unicode")).summary(html_partial=True))
    for p in article.xpath("//p|//div|//li"):
        if _spam(p, hosts) and p.getparent() is not None:
            p.drop_tree()
    lines = [ln for ln in _text_lines(article) if not _COUNTER.search(ln)]
    # an empty layout cell (<td> around the article) is no table cell of the notice
    cells = [i for i, ln in enumerate(lines) if ln.startswith("\t")]
    lines = [ln for i, ln in enumerate(lines)
             if not (ln.strip() == "" and ln.startswith("\t") and not any(abs(i - j) <= 3 for j in cells if j != i))]
    body = normalise_text("\n".join(lines))
    if not "".join(body).strip():
        raise ReadError(f"{path.name}: 网页中没有找到正文 / no article text found in the page")
    if heading and not any(heading in ln for ln in body[:5]):
        body = [heading, "", *body]
    return Document(path.name, body)
