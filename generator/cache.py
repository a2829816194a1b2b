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
    """Write ``data`` to ``path`` through a temporary file in the same folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
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
        """The stored output of ``key``, or None."""
        entry = self.folder / key
        if self.enabled and entry.is_file():
            self.hits += 1
            return entry.read_bytes()
        return None

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
