"""The one cache policy: content-hash cache of rendered outputs under ``<root>/.cache``.

A renderer asks its step's :class:`Store` (``<cache>/<step name>/``) for the output of a
key. Every key is a hash of the data that shapes the output and of :func:`code_digest`:
one digest of the whole ``generator`` package (code and templates) and of the versions of
the libraries it imports. Changing one call changes only that call's keys, so only its
forms and pages are rendered again; changing any code renders everything again, so a
stale file is never reused because a hand-kept list of sources forgot a module.

Entries carry the SHA-256 of their content and are checked on every read: a damaged entry
(cut short, emptied, overwritten) is reported, removed and rendered again, never published
and never kept alive. Files read by path (prepared fonts) keep their digest beside them
(:func:`verified_file`). Entries are written atomically, so two builds sharing a cache
never corrupt each other. CI keeps the whole ``.cache/`` folder.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import os
import re
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from importlib import metadata
from pathlib import Path
from typing import Any

from . import __version__

log = logging.getLogger(__name__)

PACKAGE = Path(__file__).resolve().parent
#: Shared cache folders that are not one step's: compiled Jinja templates (pages and the
#: theme), fonts cut to a document's characters. (``fonts/*.otf``, prepared once per
#: machine, are never pruned.)
SHARED = ("jinja", "fonts/documents")
#: Entries unused for this many days are removed after a successful build.
MAX_AGE_DAYS = 14
_MAGIC = b"KXC1"
_HEADER = len(_MAGIC) + 32


def digest(*parts: str | bytes) -> str:
    """SHA-256 of ``parts`` (kept apart, so ``("ab", "c")`` differs from ``("a", "bc")``)."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


_IMPORT = re.compile(r"^\s*(?:from\s+([A-Za-z_]\w*)[\w.]*\s+import|import\s+([A-Za-z_][\w., ]*))", re.M)
_REQUIREMENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
#: The distribution this package is installed as (pyproject.toml's project name).
DISTRIBUTION = "kexie-calls"


def _imported_modules(files: Iterable[Path]) -> set[str]:
    """Top-level names of the modules ``files`` import (absolute imports)."""
    names: set[str] = set()
    for file in files:
        for from_name, import_names in _IMPORT.findall(file.read_text(encoding="utf-8")):
            if from_name:
                names.add(from_name)
            for name in import_names.split(","):
                if name.strip():
                    names.add(name.split()[0].split(".")[0])
    return names


def _installed(name: str) -> metadata.Distribution | None:
    try:
        return metadata.distribution(name)
    except (metadata.PackageNotFoundError, ValueError):
        return None


def library_versions(files: Iterable[Path], distribution: str = DISTRIBUTION) -> list[str]:
    """``name==version`` of every library the package calls.

    That is the installed ``distribution``'s requirements and theirs, all the way down
    (WeasyPrint's pydyf and fontTools shape a PDF as much as WeasyPrint does), plus every
    module ``files`` import that is a distribution of that name (a library added to the
    code before the package's metadata was installed again). Standard-library modules
    are left out (Python's version is part of :func:`code_digest`).
    """
    found: dict[str, str] = {}
    todo = [distribution, *sorted(_imported_modules(files) - set(sys.stdlib_module_names))]
    while todo:
        name = todo.pop()
        key = re.sub(r"[-_.]+", "-", name).lower()
        if key in found:
            continue
        dist = _installed(name)
        if dist is None:
            continue
        found[key] = dist.version
        for requirement in dist.requires or []:
            if "extra ==" not in requirement and (match := _REQUIREMENT.match(requirement)):
                todo.append(match.group())
    found.pop(re.sub(r"[-_.]+", "-", distribution).lower(), None)
    return sorted(f"{name}=={version}" for name, version in found.items())


def _package_files(package: Path) -> list[Path]:
    return sorted(
        p for p in package.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".pyc", ".pyo")
    )


@functools.cache
def code_digest() -> str:
    """One digest of everything that turns data into files: every file of the ``generator``
    package (code and templates), its version, Python's, and the version of every library
    the package imports. Part of every cache key."""
    files = _package_files(PACKAGE)
    parts: list[str | bytes] = [__version__, sys.version]
    parts += library_versions(p for p in files if p.suffix == ".py")
    for file in files:
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


def _damaged(path: Path, why: str) -> None:
    log.warning("缓存文件已损坏，已删除并重新生成：%s（%s） / damaged cache entry %s (%s): "
                "removed, rendering it again", path, why, path, why)
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


class Store:
    """One step's cached outputs in ``<cache_dir>/<name>/<key>``, each checked on reading.

    Parameters:
        cache_dir: The build cache folder.
        name: The step's name (or one of :data:`SHARED`).
        enabled: False to always render (results are still stored).
    """

    def __init__(self, cache_dir: Path, name: str, *, enabled: bool = True) -> None:
        self.folder = cache_dir / name
        self.enabled = enabled
        self.hits = 0
        self.misses = 0
        self.damaged = 0

    def get(self, key: str) -> bytes | None:
        """The stored output of ``key``, or None (never stored, pruned, or damaged — then
        removed with a warning). A good entry's use is recorded (see :func:`prune`)."""
        if not self.enabled:
            return None
        entry = self.folder / key
        try:
            raw = entry.read_bytes()
        except FileNotFoundError:  # never stored, or pruned by another build meanwhile
            return None
        data = raw[_HEADER:]
        if raw[: len(_MAGIC)] != _MAGIC or raw[len(_MAGIC):_HEADER] != hashlib.sha256(data).digest():
            self.damaged += 1
            _damaged(entry, "内容与校验值不符 / content does not match its digest")
            return None
        with contextlib.suppress(FileNotFoundError):
            os.utime(entry)
        self.hits += 1
        return data

    def put(self, key: str, data: bytes) -> None:
        """Store ``data`` as the output of ``key`` (with its digest)."""
        atomic_write(self.folder / key, _MAGIC + hashlib.sha256(data).digest() + data)

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


def verified_file(path: Path, make: Callable[[], bytes]) -> Path:
    """A cached file used by its path (a font WeasyPrint loads), checked against the digest
    kept beside it (``<name>.sha256``); made (again) when missing or damaged.

    Parameters:
        path: Where the file is kept.
        make: Produces its content.

    Returns:
        ``path``, holding content that matches its digest.
    """
    sidecar = path.with_name(path.name + ".sha256")
    try:
        data = path.read_bytes()
        want = sidecar.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    except (OSError, UnicodeDecodeError):
        _damaged(path, "无法读取 / unreadable")
    else:
        if hashlib.sha256(data).hexdigest() == want:
            for used in (path, sidecar):  # in use: kept by prune
                with contextlib.suppress(FileNotFoundError):
                    os.utime(used)
            return path
        _damaged(path, "内容与校验值不符 / content does not match its digest")
    data = make()
    # the digest first: a build reading meanwhile finds the old file (the same content, as
    # the name is a hash of the inputs) or none, never a new file beside an old digest
    atomic_write(sidecar, hashlib.sha256(data).hexdigest().encode("ascii"))
    atomic_write(path, data)
    return path


def jinja_bytecode_cache(cache_dir: Path) -> Any:
    """A Jinja bytecode cache in ``<cache_dir>/jinja`` whose entries are checked like any
    other (Jinja's own file cache unpickles whatever it finds)."""
    import jinja2

    store = Store(cache_dir, "jinja")

    class _Checked(jinja2.BytecodeCache):
        def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            data = store.get(bucket.key)
            if data is not None:
                bucket.bytecode_from_string(data)

        def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            store.put(bucket.key, bucket.bytecode_to_string())

    return _Checked()


def prune(cache_dir: Path, folders: Iterable[str], *, max_age_days: float = MAX_AGE_DAYS,
          now: float | None = None) -> int:
    """Remove cache entries no build has written or read for ``max_age_days``.

    Every write and every good read refreshes an entry's modification time, so what the
    current data needs is kept, and outputs of old data (a call changed a month ago,
    yesterday's countdown pages, fonts cut to an old document's characters) go.

    Parameters:
        cache_dir: The build cache folder.
        folders: The cache folders to look after: the steps' names and :data:`SHARED`.
        max_age_days: Age in days after which an unused entry is removed.
        now: The current time (seconds since the epoch; default: the clock).

    Returns:
        How many entries were removed.
    """
    limit = (time.time() if now is None else now) - max_age_days * 86400
    removed = 0
    for name in folders:
        folder = cache_dir / name
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
