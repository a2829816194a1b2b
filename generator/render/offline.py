"""The offline copy: ``downloads/site.zip``, the whole site usable from disk.

MkDocs writes directory URLs (``calls/x/``), which a browser opening files from disk shows as
a folder listing. In the zipped copy every link to a folder is rewritten to its
``index.html`` and root-absolute links (``/assets/…``, as in 404.html) become relative, so the
copy works after unzipping, without a server. The built site itself is not changed.

Browsers ignore a link's ``download`` name for ``file://`` pages, so a form would be saved
under its English file name: in the copy, each file a page offers for download is stored
under the Chinese name the page gives it (``download="常德·2022… 申报书.docx"``) and the links
point there. The copy does not hold itself: a link to ``site.zip`` points to the public site
(with ``SITE_URL``) or becomes plain text.

Browsers do not run the search worker from ``file://``, so the copy hides the search box.
The archive is deterministic: sorted entries, fixed time stamps and permissions.

Each file is in the copy once. Left out (:func:`left_out`): each call's forms ZIP (the same
DOCX and PDF files are in the copy one by one), guideline PDF (the call's page in the
copy says the same) and each form's print PDF (the fillable PDF in the copy is laid out once
with it and prints the same pages: 95 KB a form, which kept 1,000 calls under 1 GB), the search index and Pagefind's files (search does not run from
disk) and the theme's source maps (for developers' tools). Links to them point to the published site when its
address is known (``SITE_URL``). The whole-site copy so costs each call its pages and form
files, not a second copy of every download.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import os
import posixpath
import re
from collections.abc import Iterable, Iterator
from collections.abc import Set as AbstractSet
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from .. import urls, zipfiles
from ..context import BuildContext
from ..formset import forms_of
from ..models import Call

#: Folder inside the archive that holds the site.
TOP = "kexie-calls"
README_NAME = "README.txt"
README = """科协申报指南（离线副本）

解压后，用浏览器打开 kexie-calls/index.html 即可浏览全部页面和下载申报表，无需联网。
离线副本中站内搜索不可用（浏览器不允许从本地文件运行搜索程序），请用浏览器的“页内查找”（Ctrl+F）。
内容以网站发布时为准；通知如有更正，请重新下载离线副本。

Kexie calls (offline copy): unzip and open kexie-calls/index.html in a browser.
Site search is not available offline; use the browser's find in page.
Every form is in the copy, as Word (DOCX) and as fillable PDF (it prints the same pages as
the print PDF); each call's forms ZIP, guideline PDF and the forms' print PDFs (the same forms
and the same text as the call's page) are on the website only.
"""
_ATTR = re.compile(r"""(\s(?:href|src)=)(["'])(.*?)\2""", re.IGNORECASE | re.DOTALL)
_A_TAG = re.compile(r"<a\s[^>]*>", re.IGNORECASE)
_TAG_ATTR = re.compile(r"""\s(href|download)=(["'])(.*?)\2""", re.IGNORECASE | re.DOTALL)
_LINK_TO = r"""<a\s[^>]*\bhref=(["'])([^"']*{name})\1[^>]*>(.*?)</a>"""
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
#: Hides the search box, which cannot work from file:// (see module docstring).
_OFFLINE_STYLE = (
    '<style>label[for="__search"],.md-search{display:none!important}</style></head>'
)
#: Already compressed: stored as they are, which saves time and costs almost no space.
_STORED = (
    ".zip", ".pdf", ".docx", ".xlsx", ".pptx", ".gz", ".png", ".jpg", ".jpeg", ".woff", ".woff2"
)


#: Search files (Material's ``search/search_index.json``, the Pagefind index in ``pagefind/``)
#: and source maps.
_LEFT_OUT_SUFFIXES = (".map",)
_LEFT_OUT_FOLDERS = ("search/",)
_LEFT_OUT_INDEX = "pagefind/"


def left_out(files: set[str], calls: list[Call]) -> set[str]:
    """The site files the offline copy leaves out (see the module docstring).

    Parameters:
        files: Every file path in the site (forward slashes).
        calls: The calls of the site.

    Returns:
        The paths, a subset of ``files``.
    """
    out = {path for call in calls for path in (urls.forms_zip(call), urls.guide_pdf(call))}
    out |= {urls.form_pdf(call, form) for call in calls for form in forms_of(call)
            if urls.form_fillable_pdf(call, form) in files}
    out |= {f for f in files if f.endswith(_LEFT_OUT_SUFFIXES)}
    out |= {f for f in files if f.startswith(_LEFT_OUT_FOLDERS) and f.endswith(".json")}
    out |= {f for f in files if f.startswith(_LEFT_OUT_INDEX)}
    return out & files


def _target(value: str, page: str, base_path: str) -> str | None:
    """The site path a local href/src of ``page`` points to (None: external, fragment, query)."""
    if not value or value.startswith(("#", "//")) or _SCHEME.match(value):
        return None
    path = urlsplit(value).path
    if not path:
        return None
    if path.startswith("/"):
        prefix = base_path if base_path.endswith("/") else base_path + "/"
        if not path.startswith(prefix):
            return None
        return posixpath.normpath(unquote(path[len(prefix):]) or ".")
    return posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(path)))


def offline_link(
    value: str,
    page: str,
    files: set[str],
    base_path: str = "/",
    renamed: dict[str, str] | None = None,
    online: dict[str, str] | None = None,
) -> str:
    """Rewrite one href/src of ``page`` so it opens from disk.

    Parameters:
        value: The attribute value as written by MkDocs.
        page: Path of the HTML file inside the site, e.g. ``calls/x/index.html``.
        files: Every file path in the site (forward slashes).
        base_path: Path part of the site's address (``/kexie/`` under a project sub-path);
            root-absolute links below it are made relative.
        renamed: Site paths stored under another path in the copy (see :func:`download_names`).
        online: Files that are not in the copy, by site path: their address on the
            published site, which the link then points to.

    Returns:
        The rewritten value (unchanged for external links, fragments and files).
    """
    target = _target(value, page, base_path)
    if target is None:
        return value
    if online and target in online:
        return online[target]
    parts = urlsplit(value)
    path = parts.path
    page_dir = posixpath.dirname(page)
    if path.startswith("/"):
        path = posixpath.relpath(target, page_dir or ".") + ("/" if path.endswith("/") else "")
    index = "index.html" if target == "." else f"{target}/index.html"
    if renamed and target in renamed:
        path = quote(posixpath.relpath(renamed[target], page_dir or "."))
    elif index in files and target not in files:
        path = path.rstrip("/")
        path = "index.html" if path in ("", ".") else f"{path}/index.html"
    out = path
    if parts.query:
        out += "?" + parts.query
    if parts.fragment:
        out += "#" + parts.fragment
    return out


def download_names(
    pages: Iterable[tuple[str, str]], files: set[str], base_path: str = "/"
) -> dict[str, str]:
    """Where the copy stores each file the pages offer for download: under its Chinese name.

    Parameters:
        pages: (path in the site, HTML text) of each page.
        files: Every file path in the site.
        base_path: Path part of the site's address.

    Returns:
        Site path → path in the copy (same folder, the name of the link's ``download``
        attribute). A file offered under two names, or a name taken twice in a folder,
        keeps its own name.
    """
    names: dict[str, set[str]] = {}
    for page, text in pages:
        for tag in _A_TAG.findall(text):
            attrs = {m.group(1).lower(): html.unescape(m.group(3)) for m in _TAG_ATTR.finditer(tag)}
            name = attrs.get("download", "")
            target = _target(attrs.get("href", ""), page, base_path)
            if target in files and name and "/" not in name and "\\" not in name:
                names.setdefault(target, set()).add(name)
    moved = {
        target: posixpath.join(posixpath.dirname(target), next(iter(given)))
        for target, given in names.items()
        if len(given) == 1
    }
    taken: dict[str, list[str]] = {}
    for target, new in moved.items():
        taken.setdefault(new, []).append(target)
    return {
        t: new
        for t, new in moved.items()
        if len(taken[new]) == 1 and (new == t or new not in files)
    }


def offline_html(
    text: str,
    page: str,
    files: set[str],
    base_path: str = "/",
    renamed: dict[str, str] | None = None,
    public: str | None = None,
    online: dict[str, str] | None = None,
) -> str:
    """An HTML page of the site with every link rewritten by :func:`offline_link`.

    A link to the offline copy itself (``site.zip``, not in the copy) goes to ``public``
    (its address on the site) when given, else it becomes plain text.
    """
    zip_name = re.escape(posixpath.basename(urls.site_zip()))

    def unlink(m: re.Match[str]) -> str:
        if public:
            start, end = m.start(2) - m.start(0), m.end(2) - m.start(0)
            return m.group(0)[:start] + html.escape(public) + m.group(0)[end:]
        return f'<span class="kx-offline-note">{m.group(3)}</span>'

    text = re.sub(_LINK_TO.format(name=zip_name), unlink, text, flags=re.IGNORECASE | re.DOTALL)

    def sub(m: re.Match[str]) -> str:
        quote_char = m.group(2)
        value = offline_link(m.group(3), page, files, base_path, renamed, online)
        return m.group(1) + quote_char + value + quote_char

    out = _ATTR.sub(sub, text)
    return out.replace("</head>", _OFFLINE_STYLE, 1)


def _stamp() -> zipfiles.Stamp:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return zipfiles.EPOCH_1980
    return zipfiles.stamp(dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC))


def write_offline_zip(
    site_dir: Path, dest: Path, base_path: str = "/", public: str | None = None, *,
    leave_out: AbstractSet[str] = frozenset(), site_url: str | None = None,
) -> int:
    """Zip ``site_dir`` into ``dest`` as an offline copy (``dest`` itself left out).

    Parameters:
        site_dir: The built site.
        dest: The archive to write (inside or outside ``site_dir``).
        base_path: Path part of the site's address, see :func:`offline_link`.
        public: Public address of ``dest`` (links to it point there), or None.
        leave_out: Site files not to copy (:func:`left_out`).
        site_url: The published site's address: links to left-out files point there
            (without it they keep their relative address).

    Returns:
        How many site files the archive holds.
    """
    dest = dest.resolve()
    paths = sorted(
        p for p in site_dir.rglob("*") if p.is_file() and p.resolve() != dest
    )
    files = {p.relative_to(site_dir).as_posix() for p in paths}
    online = {f: urls.absolute(f, site_url) for f in leave_out} if site_url else None
    paths = [p for p in paths if p.relative_to(site_dir).as_posix() not in leave_out]
    pages = [p for p in paths if p.suffix == ".html"]
    renamed = download_names(  # only files the copy holds get a new name
        ((p.relative_to(site_dir).as_posix(), p.read_text(encoding="utf-8")) for p in pages),
        files - set(leave_out),
        base_path,
    )
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".part")

    def entries() -> Iterator[tuple[str, bytes]]:
        yield README_NAME, README.encode("utf-8-sig")
        rels = ((p.relative_to(site_dir).as_posix(), p) for p in paths)
        for name, rel, p in sorted((renamed.get(rel, rel), rel, p) for rel, p in rels):
            data = p.read_bytes()
            if rel.endswith(".html"):
                text = offline_html(data.decode("utf-8"), rel, files, base_path, renamed, public, online)
                data = text.encode("utf-8")
            yield f"{TOP}/{name}", data

    zipfiles.write_zip(tmp, entries(), _stamp(), stored=_STORED)
    tmp.replace(dest)
    return len(paths)


def render(ctx: BuildContext) -> None:
    """Write ``downloads/site.zip`` from the finished site (run last)."""
    base = urls.site_url()
    base_path = urlsplit(base).path or "/" if base else "/"
    public = urls.absolute(urls.site_zip(), base) if base else None
    dest = ctx.site_dir / urls.site_zip()
    files = {p.relative_to(ctx.site_dir).as_posix() for p in ctx.site_dir.rglob("*") if p.is_file()}
    write_offline_zip(ctx.site_dir, dest, base_path, public, leave_out=left_out(files, ctx.calls),
                      site_url=base)
    data = dest.read_bytes()
    ctx.record(urls.site_zip(), "site.zip", dest, len(data), hashlib.sha256(data).hexdigest())
