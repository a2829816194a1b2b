"""Content-hash cache of rendered outputs, kept between builds under ``<root>/.cache``.

A renderer asks a :class:`Store` for the output of a key; the key is a hash of every
input of that output (the data, the code and templates that turn it into a file, the
versions of the libraries that write it). Changing one call changes only that call's
keys, so only its forms and pages are rendered again; everything else is read back.

Entries are written atomically (a half-written entry is never read) and are plain files
named after their key, so two builds sharing a cache never corrupt each other.
"""

from __future__ import annotations

import functools
import hashlib
import os
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from . import __version__

PACKAGE = Path(__file__).resolve().parent


def digest(*parts: str | bytes) -> str:
    """SHA-256 of ``parts`` (kept apart, so ``("ab", "c")`` differs from ``("a", "bc")``)."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


@functools.cache
def code_digest(*relative: str) -> str:
    """Hash of the generator's own files that shape an output, plus its version.

    Parameters:
        relative: Files or folders relative to the ``generator`` package
            (e.g. ``"render/docx.py"``, ``"templates/pages"``); folders are read whole.

    Returns:
        A hex digest that changes whenever any of those files does.
    """
    parts: list[str | bytes] = [__version__]
    for rel in relative:
        path = PACKAGE / rel
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if "__pycache__" in file.parts:
                continue
            parts += [file.relative_to(PACKAGE).as_posix(), file.read_bytes()]
    return digest(*parts)


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, renamed into
    place (readers, and other processes writing the same file, never see a partial one);
    the file is readable by all (``rw-r--r--``), as a published file must be."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


class Store:
    """One kind of cached output (``docx``, ``pages``…) in ``<cache_dir>/<kind>/<key>``.

    Parameters:
        cache_dir: The build cache folder.
        kind: Sub-folder name, one per renderer.
        enabled: False to always render (results are still stored).
    """

    def __init__(self, cache_dir: Path, kind: str, *, enabled: bool = True) -> None:
        self.folder = cache_dir / kind
        self.enabled = enabled
        self.hits = 0
        self.misses = 0

    def get(self, key: str) -> bytes | None:
        """The stored output of ``key``, or None (its use is recorded, see :func:`prune`)."""
        if not self.enabled:
            return None
        entry = self.folder / key
        try:
            data = entry.read_bytes()
            os.utime(entry)
        except FileNotFoundError:  # never stored, or pruned by another build meanwhile
            return None
        self.hits += 1
        return data

    def put(self, key: str, data: bytes) -> None:
        """Store ``data`` as the output of ``key``."""
        atomic_write(self.folder / key, data)

    def fetch(self, key: str, make: Callable[[], bytes]) -> bytes:
        """The stored output of ``key``, or ``make()`` stored under it."""
        data = self.get(key)
        if data is None:
            self.misses += 1
            data = make()
            self.put(key, data)
        return data

    def split(self, keys: Iterable[str]) -> tuple[dict[str, bytes], list[str]]:
        """Look up many keys at once: ``(found outputs by key, keys still to render)``."""
        found: dict[str, bytes] = {}
        missing: list[str] = []
        for key in keys:
            data = self.get(key)
            if data is None:
                self.misses += 1
                missing.append(key)
            else:
                found[key] = data
        return found, missing


#: Kinds of output :func:`prune` looks after (sub-folders of the cache folder).
KINDS = ("docx", "pdf", "pages", "bundle", "jinja", "fonts/documents")
#: Entries unused for this many days are removed after a successful build.
MAX_AGE_DAYS = 14


def prune(cache_dir: Path, *, max_age_days: float = MAX_AGE_DAYS, now: float | None = None) -> int:
    """Remove cache entries no build has written or read for ``max_age_days``.

    Every write and every hit refreshes an entry's modification time, so what the current
    data needs is kept, and outputs of old data (a call changed a month ago, yesterday's
    countdown pages, fonts cut to an old document's characters) go. Jinja's compiled
    templates are not refreshed when read, so they are compiled again every 14 days. The
    fonts prepared once per machine (``fonts/*.otf``) are not touched.

    Parameters:
        cache_dir: The build cache folder.
        max_age_days: Age in days after which an unused entry is removed.
        now: The current time (seconds since the epoch; default: the clock).

    Returns:
        How many entries were removed.
    """
    limit = (time.time() if now is None else now) - max_age_days * 86400
    removed = 0
    for kind in KINDS:
        folder = cache_dir / kind
        if not folder.is_dir():
            continue
        for entry in folder.iterdir():
            try:
                if entry.is_file() and entry.stat().st_mtime < limit:
                    entry.unlink()
                    removed += 1
            except FileNotFoundError:  # removed by another build meanwhile
                continue
    return removed
