"""What every build step gets: the validated calls, where to write, and what earlier steps made."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import cache
from .errors import BuildError
from .models import Call
from .view import CallView, call_view


def build_date() -> dt.date:
    """The build's "today": from SOURCE_DATE_EPOCH when set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.date.fromtimestamp(time.time())


@dataclass(frozen=True)
class Artifact:
    """One file a step made: its path in the site, what it is, its size and content hash.

    Attributes:
        path: Site-relative path (the same in the staging docs folder and the built site).
        kind: What the file is (``form.docx``, ``forms.zip``, ``feed``…), as the producing
            step declares in :mod:`generator.pipeline`.
        size: Bytes.
        digest: SHA-256 of the content (hex).
        file: Where the step wrote it.
    """

    path: str
    kind: str
    size: int
    digest: str
    file: Path

    def read(self) -> bytes:
        """The content, checked against :attr:`digest`.

        Raises:
            BuildError: The file changed on disk since the step wrote it.
        """
        data = self.file.read_bytes()
        if hashlib.sha256(data).hexdigest() != self.digest:
            raise BuildError(
                f"生成的文件 {self.path} 在生成后被改动 / {self.path} changed after it was written"
            )
        return data


@dataclass
class BuildContext:
    """Inputs, output folders and the record of every file made so far.

    Steps return their files into the context (:meth:`write`, :meth:`record`); later steps
    look them up (:meth:`artifact`) instead of looking at the disk, so what a step sees does
    not depend on which files a previous run left behind.

    Attributes:
        root: Repository root (holds mkdocs.yml, data/, docs/, overrides/).
        calls: The validated calls, sorted by id.
        docs_dir: Staging folder for Markdown and downloads, read by MkDocs.
        site_dir: The new site being built (swapped in only when every step succeeded).
        cache_dir: Content-hash cache shared between builds.
        today: Build date, used for deadline status and countdowns.
        jobs: How many processes renderers may use.
        step: Name of the running step (names its cache folder); set by the pipeline.
        produces: Kinds the running step declared it makes (None: not checked).
        out_dir: Where the running step writes (``docs_dir`` or ``site_dir``).
        artifacts: Every file made so far, by site path.
        made: Kinds of artifact whose producing step has run.
        own: Ids of the calls whose own files (their pages and downloads) the steps write;
            None: every call. The files about all calls (home, list, comparison, finder,
            feeds) are written from every call either way: the live preview restages only
            the calls a save changed (:mod:`generator.preview`).
    """

    root: Path
    calls: list[Call]
    docs_dir: Path
    site_dir: Path
    cache_dir: Path
    today: dt.date = field(default_factory=build_date)
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)
    step: str = ""
    produces: tuple[str, ...] | None = None
    out_dir: Path | None = None
    artifacts: dict[str, Artifact] = field(default_factory=dict)
    made: set[str] = field(default_factory=set)
    own: frozenset[str] | None = None

    @property
    def own_calls(self) -> list[Call]:
        """The calls whose own files the steps write (:attr:`own`), sorted by id."""
        return self.calls if self.own is None else [c for c in self.calls if c.id in self.own]

    def store(self) -> cache.Store:
        """The running step's cache, ``<cache_dir>/<step name>/``."""
        if not self.step:
            raise BuildError("没有正在运行的步骤 / no build step is running (set BuildContext.step)")
        return cache.Store(self.cache_dir, self.step)

    def write(self, path: str, data: bytes, kind: str) -> Artifact:
        """Write ``data`` to ``path`` under the running step's folder and record it.

        Parameters:
            path: Site-relative path (from :mod:`generator.urls`).
            data: The content.
            kind: What the file is.

        Returns:
            The record.
        """
        file = (self.out_dir or self.docs_dir) / path
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_bytes(data)
        return self.record(path, kind, file, len(data), hashlib.sha256(data).hexdigest())

    def record(self, path: str, kind: str, file: Path, size: int, digest: str) -> Artifact:
        """Record a file the running step wrote itself (e.g. in worker processes).

        Raises:
            BuildError: The step did not declare that it makes ``kind``.
        """
        if self.produces is not None and kind not in self.produces:
            raise BuildError(f"步骤 {self.step} 生成了未声明的 {kind} / step '{self.step}' made "
                             f"{path} of undeclared kind '{kind}'")
        item = Artifact(path, kind, size, digest, file)
        self.artifacts[path] = item
        return item

    def artifact(self, path: str, kind: str) -> Artifact | None:
        """The file of ``kind`` at ``path``, or None when its step did not make one.

        Raises:
            BuildError: No step that makes ``kind`` has run (a step reads what it did
                not declare it needs).
        """
        if kind not in self.made:
            raise BuildError(
                f"步骤 {self.step or '?'} 需要 {kind}，但生成它的步骤尚未运行 / step "
                f"'{self.step}' reads '{kind}' files, but no step that makes them has run"
            )
        item = self.artifacts.get(path)
        return item if item is not None and item.kind == kind else None

    @functools.cached_property
    def views(self) -> dict[str, CallView]:
        """The one view of each call on the build date (:func:`generator.view.call_view`),
        computed once per build and read by every renderer."""
        return {c.id: call_view(c, self.today) for c in self.calls}

    @functools.cached_property
    def data(self) -> dict[str, str]:
        """Each call's data as JSON, made once per build: part of the cache keys of what
        is rendered from one call (cards and parts of the pages listing every call)."""
        return {c.id: c.model_dump_json() for c in self.calls}
