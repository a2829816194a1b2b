"""Site search: the built pages indexed by Pagefind into ``pagefind/``, in chunks.

The browser fetches only what a query needs: Pagefind's entry file and WebAssembly, the index
chunks holding the words typed and the fragments (title, excerpt, sections) of the results
it shows (overrides/assets/javascripts/workers/kx-search.js puts them in Material's search
box). The extended Pagefind build segments Chinese into words, when indexing and when
searching. Nothing is fetched from another host.

What is indexed is marked in the pages (overrides/main.html): the article of every page
whose front matter does not say ``search: exclude: true`` (``data-pagefind-body``), with the
page's title as the hit's title and a ``rank`` filter (``low`` for pages with a search boost
below 1, the 原文 pages). Parts of a page that repeat other pages (``data-search-exclude``:
breadcrumbs, jump links) and the heading links (¶) are left out (:data:`EXCLUDE`).

The index is a function of the site's HTML files: it is kept in the step's cache under the
digest of every HTML file, the code and the Pagefind version, and unpacked again when
nothing changed. The cache keeps the last index only (an entry holds the whole index).
The live preview does not index (:mod:`generator.preview` serves MkDocs without this step).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import logging
import re
import shutil
import subprocess
import tarfile
import tempfile
from importlib import metadata
from pathlib import Path

from .. import cache
from ..context import BuildContext
from ..errors import BuildError

log = logging.getLogger(__name__)

#: Folder of the index in the site (what the browser fetches; left out of the offline copy).
FOLDER = "pagefind"
#: Elements of an indexed article that are not indexed.
EXCLUDE = ("[data-search-exclude]", ".headerlink")
#: Pagefind's own search interfaces and its worker: the site uses Material's search box.
UNUSED = ("pagefind-*ui.*", "pagefind-highlight.js", "pagefind-worker.js")
#: Marks an indexed page (overrides/main.html); other pages are not given to the indexer.
BODY = b"data-pagefind-body"
#: Chinese characters (CJK unified ideographs, extensions and compatibility forms).
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
#: Beside a Chinese character, in a run of text.
_AROUND_HAN = re.compile(f"(?<=[{_HAN}])(?=\\S)|(?<=\\S)(?=[{_HAN}])")
#: What separates the words of the index there: invisible (ZERO WIDTH SPACE).
SEPARATOR = "\u200b"
_TAG = re.compile(r"(<[^>]*>)")
#: Longest the indexer may take (a hung indexer fails the build instead of stalling it).
TIMEOUT_S = 1800


def executable() -> Path:
    """The Pagefind binary with Chinese segmentation (``pagefind[extended]`` in pyproject)."""
    try:
        from pagefind_bin_extended import get_executable
    except ImportError:
        raise BuildError(
            "未安装 pagefind[extended]（站内搜索索引） / pagefind[extended] is not installed: "
            "pip install -e . (see pyproject.toml)"
        ) from None
    return Path(get_executable())


def _version() -> str:
    try:
        return metadata.version("pagefind-bin-extended")
    except metadata.PackageNotFoundError:
        return "?"


def _key(site: Path) -> str:
    """Digest of every HTML file of the site (path and content), the code and the indexer."""
    h = hashlib.sha256(f"{cache.code_digest()} pagefind {_version()}\n".encode())
    for page in sorted(site.rglob("*.html")):
        if FOLDER in page.relative_to(site).parts[:1]:
            continue
        h.update(page.relative_to(site).as_posix().encode("utf-8") + b"\0")
        h.update(hashlib.sha256(page.read_bytes()).digest())
    return h.hexdigest()


def characters(html: str) -> str:
    """``html`` with U+200B (ZERO WIDTH SPACE) beside each Chinese character of its text.

    Pagefind indexes Chinese by words cut with a dictionary (jieba), but cuts a query with the
    browser's own dictionary (Intl.Segmenter), which often cuts differently (智库 as 智 库), and
    a page then is not found (Pagefind issue #1237). Given one character a word, the index and
    the query agree, and kx-search.js asks for a typed run of characters as a phrase
    (乡村振兴 → "乡 村 振 兴"): found exactly where the run stands in the text, as a reader
    expects (科普 is not 科; 乡村振兴 is not 乡村 here and 振兴 there). Pagefind takes
    U+200B as the end of a word; readers never see it. Tags and their attributes are kept.
    """
    return "".join(part if part.startswith("<") else _AROUND_HAN.sub(SEPARATOR, part)
                   for part in _TAG.split(html))


def index(site: Path) -> None:
    """Run Pagefind over the indexed pages of ``site`` (see :func:`characters`), writing
    ``site/pagefind/``.

    Raises:
        BuildError: Pagefind failed (its output in the message).
    """
    with tempfile.TemporaryDirectory(prefix="kx-search-") as tmp:
        pages = Path(tmp)
        for page in sorted(site.rglob("*.html")):
            data = page.read_bytes()
            if BODY not in data:
                continue
            copy = pages / page.relative_to(site)
            copy.parent.mkdir(parents=True, exist_ok=True)
            copy.write_text(characters(data.decode("utf-8")), encoding="utf-8")
        _run(pages, site / FOLDER)


def _run(pages: Path, out: Path) -> None:
    if out.exists():
        shutil.rmtree(out)
    args = [str(executable()), "--site", str(pages), "--output-path", str(out)]
    for selector in EXCLUDE:
        args += ["--exclude-selectors", selector]
    try:
        done = subprocess.run(args, capture_output=True, text=True, timeout=TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired:
        raise BuildError(f"站内搜索索引超时 / Pagefind took longer than {TIMEOUT_S} s") from None
    if done.returncode != 0:
        raise BuildError(f"站内搜索索引失败 / Pagefind failed:\n{done.stdout}\n{done.stderr}")
    log.debug("pagefind: %s", done.stdout)
    for unused in UNUSED:
        for path in out.glob(unused):
            path.unlink()


def fragment(path: Path) -> dict:
    """One page as the index holds it (a ``fragment/*.pf_fragment`` file): url, content
    (with U+200B beside each Chinese character), meta (title), filters (rank), anchors."""
    data = gzip.decompress(path.read_bytes())
    marker = b"pagefind_dcd"
    if not data.startswith(marker):
        raise ValueError(f"{path}: not a Pagefind fragment")
    return json.loads(data[len(marker):])


def _pack(folder: Path) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                tar.add(path, arcname=path.relative_to(folder).as_posix(), recursive=False)
    return buf.getvalue()


def _unpack(data: bytes, folder: Path) -> None:
    with tarfile.open(fileobj=io.BytesIO(data), mode="r") as tar:
        tar.extractall(folder, filter="data")


def render(ctx: BuildContext) -> None:
    """Index the built site's pages (after every step that writes HTML)."""
    site = ctx.site_dir
    folder = site / FOLDER
    store = ctx.store()
    key = _key(site)
    kept = store.get(key)
    if kept is not None:
        _unpack(kept, folder)
    else:
        index(site)
        # one entry: the index of the last site (an entry holds the whole index)
        for entry in store.folder.glob("*") if store.folder.is_dir() else ():
            entry.unlink(missing_ok=True)
        store.put(key, _pack(folder))
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            ctx.record(path.relative_to(site).as_posix(), "search", path, len(data),
                       hashlib.sha256(data).hexdigest())
