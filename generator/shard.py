"""Rendering across machines: one shard of the calls into the content-addressed cache.

``python -m generator render --shard I/N`` renders the forms, downloads and pages of every
N-th call (the I-th share, in id order) into the build cache, as a build would; a CI job
matrix runs the N shards on N machines, and one job assembles the site with
``python -m generator build`` from the shards' caches, rendering nothing again
(every output is keyed by a hash of its inputs, :mod:`generator.cache`). The CI's job
matrix is the scheduler: a shard is a plain build step over fewer calls.

With ``--export DIR`` the cache entries the shard used (rendered or found) are copied to
``DIR`` in the cache's layout, so that a CI job uploads its share rather than the whole
cache it started from; the assembling job downloads the shards' folders into one and
builds with ``python -m generator build --cache-from DIR`` (:func:`merge_into`).
"""

from __future__ import annotations

import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from . import output, pipeline
from .errors import BuildError
from .models import Call

#: Cache kinds a shard fills and exports (fonts are prepared by each machine itself).
EXPORTED_KINDS = ("docx", "pdf", "bundle", "pages")


@dataclass(frozen=True)
class Shard:
    """The ``index``-th (from 1) of ``count`` shares of the calls."""

    index: int
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        """``"I/N"`` with 1 ≤ I ≤ N.

        Raises:
            BuildError: Not of that form.
        """
        try:
            index, count = (int(part) for part in text.split("/"))
        except ValueError:
            index = count = 0
        if not 1 <= index <= count:
            raise BuildError(
                f"分片应写作 I/N（1 ≤ I ≤ N），如 2/4，而不是 {text!r} / "
                f"a shard is I/N with 1 <= I <= N, e.g. 2/4, not {text!r}"
            )
        return cls(index, count)

    def calls(self, calls: list[Call]) -> list[Call]:
        """This shard's calls: every ``count``-th call in id order, from the ``index``-th."""
        ordered = sorted(calls, key=lambda call: call.id)
        return ordered[self.index - 1::self.count]


def render_shard(
    root: Path, shard: Shard, *, today=None, jobs: int | None = None,
    cache_dir: Path | None = None, export: Path | None = None,
) -> pipeline.BuildReport:
    """Render one shard's forms, downloads and pages into the build cache.

    Every data file is validated (a shard of bad data fails as the build would); the
    shard's calls go through the build's source steps in a temporary folder that is
    removed afterwards: what stays is the cache.

    Parameters:
        root: Repository root.
        shard: Which share of the calls.
        today: Build date (must be the assembling build's: pages show deadline status).
        jobs: Processes renderers may use (default: CPU count).
        cache_dir: The build cache (default ``root/.cache``).
        export: Copy the cache entries this shard used here (created).

    Returns:
        The report: the shard's calls and the step timings.

    Raises:
        DataErrors: The data is invalid.
        BuildError: A step failed.
    """
    root = root.resolve()
    cache_dir = (cache_dir or root / ".cache").resolve()
    started = time.time()
    staging = root / output.STAGING  # where a build stages too (an input folder is refused)
    staging.mkdir(parents=True, exist_ok=True)
    docs_dir = Path(tempfile.mkdtemp(prefix="shard-docs-", dir=staging))
    try:
        report = pipeline.stage(root, docs_dir, today=today, jobs=jobs, cache_dir=cache_dir,
                                only=shard.calls)
    finally:
        shutil.rmtree(docs_dir, ignore_errors=True)
    if export is not None:
        _export(cache_dir, export.resolve(), since=started)
    return report


def _export(cache_dir: Path, dest: Path, *, since: float) -> int:
    """Copy the entries of :data:`EXPORTED_KINDS` read or written since ``since`` (a
    cache hit refreshes its entry's time, :meth:`generator.cache.Store.get`)."""
    copied = 0
    for kind in EXPORTED_KINDS:
        folder = cache_dir / kind
        if not folder.is_dir():
            continue
        for entry in folder.iterdir():
            if entry.is_file() and not entry.name.startswith(".") \
                    and entry.stat().st_mtime >= since - 1:
                target = dest / kind / entry.name
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(entry, target)
                copied += 1
    return copied


def merge_into(cache_dir: Path, source: Path) -> int:
    """Add the entries of a shard export (or several, merged) to the build cache.

    Parameters:
        cache_dir: The build cache.
        source: A folder in the cache's layout (``pdf/<key>.pdf``…); missing is fine
            (no shard had anything to export).

    Returns:
        How many entries were added (those already in the cache are kept as they are:
        the same key holds the same bytes).
    """
    added = 0
    for kind in EXPORTED_KINDS:
        folder = source / kind
        if not folder.is_dir():
            continue
        for entry in folder.iterdir():
            target = cache_dir / kind / entry.name
            if not entry.is_file() or target.exists():
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(entry, target)
            added += 1
    return added
