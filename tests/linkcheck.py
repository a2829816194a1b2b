"""A link checker over a built site folder, shared by the link and offline-copy tests."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_LINK_ATTRS = {"href", "src"}


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in _LINK_ATTRS and value is not None:
                self.links.append(value)
            elif name in ("id", "name") and value:
                self.ids.add(value)


@dataclass
class Page:
    links: list[str]
    ids: set[str]


@dataclass
class Report:
    """What a check found: broken links as ``(page, link, reason)``, and the links followed."""

    broken: list[tuple[str, str, str]] = field(default_factory=list)
    checked: int = 0
    targets: set[str] = field(default_factory=set)


def parse_page(path: Path) -> Page:
    parser = _Collect()
    parser.feed(path.read_text(encoding="utf-8"))
    return Page(parser.links, parser.ids)


def check_site(
    site: Path,
    *,
    directory_urls: bool = True,
    root_absolute_ok: frozenset[str] = frozenset(),
    ignore: frozenset[str] = frozenset(),
) -> Report:
    """Follow every internal href/src of every HTML page in ``site``.

    Parameters:
        site: The site folder.
        directory_urls: Whether a link to a folder counts when the folder has index.html
            (true on a web server; false from disk, where a folder shows as a listing).
        root_absolute_ok: Pages whose ``/…`` links are resolved against the site root
            (404.html is served at any depth, so MkDocs writes it that way).
        ignore: Site paths that may be missing (e.g. the offline archive inside itself).

    Returns:
        The broken links and how many links were followed.
    """
    report = Report()
    pages: dict[str, Page] = {}
    html_files = sorted(site.rglob("*.html"))
    for path in html_files:
        pages[path.relative_to(site).as_posix()] = parse_page(path)
    for rel, page in pages.items():
        for link in page.links:
            if not link or link.startswith("//") or _SCHEME.match(link):
                continue
            parts = urlsplit(link)
            if not parts.path:  # a fragment on the same page
                if parts.fragment and unquote(parts.fragment) not in page.ids:
                    report.broken.append((rel, link, "missing anchor"))
                report.checked += 1
                continue
            if parts.path.startswith("/"):
                if rel not in root_absolute_ok:
                    report.broken.append((rel, link, "root-absolute link breaks under a sub-path"))
                    continue
                target = posixpath.normpath(unquote(parts.path).lstrip("/") or ".")
            else:
                target = posixpath.normpath(
                    posixpath.join(posixpath.dirname(rel), unquote(parts.path))
                )
            report.checked += 1
            if target.startswith("../") or target == "..":
                report.broken.append((rel, link, "points outside the site"))
                continue
            file = site / target
            if target in ignore:
                continue
            if file.is_dir():
                if not directory_urls:
                    report.broken.append((rel, link, "a folder does not open from disk"))
                    continue
                target = posixpath.normpath(posixpath.join(target, "index.html"))
                file = site / target
            if not file.is_file():
                report.broken.append((rel, link, "no such file"))
                continue
            report.targets.add(target)
            if file.stat().st_size == 0:
                report.broken.append((rel, link, "empty file"))
            fragment = unquote(parts.fragment)
            if fragment and target in pages and fragment not in pages[target].ids:
                report.broken.append((rel, link, "missing anchor"))
    return report
