"""The offline copy: ``downloads/site.zip``, the whole site usable from disk.

MkDocs writes directory URLs (``calls/x/``), which a browser opening files from disk shows as
a folder listing. In the zipped copy every link to a folder is rewritten to its
``index.html`` and root-absolute links (``/assets/…``, as in 404.html) become relative, so the
copy works after unzipping, without a server. The built site itself is not changed.

Browsers do not run the search worker from ``file://``, so the copy hides the search box.
The archive is deterministic: sorted entries, fixed time stamps and permissions.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import posixpath
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .. import urls, zipfiles
from ..context import BuildContext

#: Folder inside the archive that holds the site.
TOP = "kexie-calls"
README_NAME = "README.txt"
README = """科协申报指南（离线副本）

解压后，用浏览器打开 kexie-calls/index.html 即可浏览全部页面和下载申报表，无需联网。
离线副本中站内搜索不可用（浏览器不允许从本地文件运行搜索程序），请用浏览器的“页内查找”（Ctrl+F）。
内容以网站发布时为准；通知如有更正，请重新下载离线副本。

Kexie calls (offline copy): unzip and open kexie-calls/index.html in a browser.
Site search is not available offline; use the browser's find in page.
"""
_ATTR = re.compile(r"""(\s(?:href|src)=)(["'])(.*?)\2""", re.IGNORECASE | re.DOTALL)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
#: Hides the search box, which cannot work from file:// (see module docstring).
_OFFLINE_STYLE = (
    '<style>label[for="__search"],.md-search{display:none!important}</style></head>'
)
#: Already compressed: stored as they are, which saves time and costs almost no space.
_STORED = (
    ".zip", ".pdf", ".docx", ".xlsx", ".pptx", ".gz", ".png", ".jpg", ".jpeg", ".woff", ".woff2"
)


def offline_link(value: str, page: str, files: set[str], base_path: str = "/") -> str:
    """Rewrite one href/src of ``page`` so it opens from disk.

    Parameters:
        value: The attribute value as written by MkDocs.
        page: Path of the HTML file inside the site, e.g. ``calls/x/index.html``.
        files: Every file path in the site (forward slashes).
        base_path: Path part of the site's address (``/kexie/`` under a project sub-path);
            root-absolute links below it are made relative.

    Returns:
        The rewritten value (unchanged for external links, fragments and files).
    """
    if not value or value.startswith(("#", "//")) or _SCHEME.match(value):
        return value
    parts = urlsplit(value)
    path = parts.path
    if not path:
        return value
    page_dir = posixpath.dirname(page)
    if path.startswith("/"):
        prefix = base_path if base_path.endswith("/") else base_path + "/"
        if not path.startswith(prefix):
            return value
        target = posixpath.normpath(unquote(path[len(prefix):]) or ".")
        path = posixpath.relpath(target, page_dir or ".") + ("/" if path.endswith("/") else "")
    else:
        target = posixpath.normpath(posixpath.join(page_dir, unquote(path)))
    index = "index.html" if target == "." else f"{target}/index.html"
    if index in files and target not in files:
        path = path.rstrip("/")
        path = "index.html" if path in ("", ".") else f"{path}/index.html"
    out = path
    if parts.query:
        out += "?" + parts.query
    if parts.fragment:
        out += "#" + parts.fragment
    return out


def offline_html(text: str, page: str, files: set[str], base_path: str = "/") -> str:
    """An HTML page of the site with every link rewritten by :func:`offline_link`."""

    def sub(m: re.Match[str]) -> str:
        quote = m.group(2)
        return m.group(1) + quote + offline_link(m.group(3), page, files, base_path) + quote

    out = _ATTR.sub(sub, text)
    return out.replace("</head>", _OFFLINE_STYLE, 1)


def _stamp() -> zipfiles.Stamp:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return zipfiles.EPOCH_1980
    return zipfiles.stamp(dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC))


def write_offline_zip(site_dir: Path, dest: Path, base_path: str = "/") -> int:
    """Zip ``site_dir`` into ``dest`` as an offline copy (``dest`` itself left out).

    Parameters:
        site_dir: The built site.
        dest: The archive to write (inside or outside ``site_dir``).
        base_path: Path part of the site's address, see :func:`offline_link`.

    Returns:
        How many site files the archive holds.
    """
    dest = dest.resolve()
    paths = sorted(
        p for p in site_dir.rglob("*") if p.is_file() and p.resolve() != dest
    )
    files = {p.relative_to(site_dir).as_posix() for p in paths}
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".part")

    def entries() -> Iterator[tuple[str, bytes]]:
        yield README_NAME, README.encode("utf-8-sig")
        for p in paths:
            rel = p.relative_to(site_dir).as_posix()
            data = p.read_bytes()
            if rel.endswith(".html"):
                data = offline_html(data.decode("utf-8"), rel, files, base_path).encode("utf-8")
            yield f"{TOP}/{rel}", data

    zipfiles.write_zip(tmp, entries(), _stamp(), stored=_STORED)
    tmp.replace(dest)
    return len(paths)


def render(ctx: BuildContext) -> None:
    """Write ``downloads/site.zip`` from the finished site (run last)."""
    base = urls.site_url()
    base_path = urlsplit(base).path or "/" if base else "/"
    dest = ctx.site_dir / urls.site_zip()
    write_offline_zip(ctx.site_dir, dest, base_path)
    data = dest.read_bytes()
    ctx.record(urls.site_zip(), "site.zip", dest, len(data), hashlib.sha256(data).hexdigest())
