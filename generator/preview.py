"""Live preview for publishers: edit a call's YAML, the browser shows the change.

:func:`serve` stages the site's pages and downloads into ``build/docs`` and runs
``mkdocs serve --dirty`` over them. A watcher thread looks at the data, the notices' text
and the hand-written pages; when one changes it stages again into a scratch folder and
copies over only the files whose bytes changed (:func:`sync`), so MkDocs rebuilds just
those pages and reloads the browser. The content-hash cache keeps the restaging to the
changed call's forms and pages.

A save is shown in two passes (:func:`refresh`): first everything but the PDFs, which
keep their last version (rendering a guideline or form PDF takes seconds, a page a few
milliseconds), so the page shows the edit at once; then, only when a PDF is out of date,
the PDFs and what shows their sizes. MkDocs runs with :mod:`generator.mkdocs_hooks`
(compiled theme templates kept between rebuilds).

Bad data never reaches the preview: the errors are printed (file:line, field, Chinese and
English) and the last good pages stay on screen until the file is fixed.
"""

from __future__ import annotations

import functools
import logging
import shutil
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from . import output, pipeline
from .errors import BuildError, DataErrors

log = logging.getLogger(__name__)

#: What the watcher looks at, relative to the repository root.
WATCHED = ("data", "docs")
#: Told to the publisher after an error.
KEPT = "预览仍显示上次正确的内容，改正后自动刷新 / the preview keeps the last good pages until this is fixed"
#: Seconds between two looks at the watched files.
POLL_SECONDS = 0.2


def sync(src: Path, dst: Path) -> list[str]:
    """Make ``dst`` hold the same files as ``src``, touching only what differs.

    Files with the same bytes keep their modification time (MkDocs' dirty build skips
    them); changed and new files are copied; files no longer in ``src`` are removed.

    Parameters:
        src: The freshly staged folder.
        dst: The folder MkDocs serves from.

    Returns:
        The changed, added or removed paths relative to ``dst``, sorted.
    """
    changed: list[str] = []
    wanted = {p.relative_to(src) for p in src.rglob("*") if p.is_file()}
    for rel in sorted(wanted):
        new, old = src / rel, dst / rel
        data = new.read_bytes()
        if old.is_file() and old.read_bytes() == data:
            continue
        old.parent.mkdir(parents=True, exist_ok=True)
        tmp = old.with_name(f".{old.name}.preview")
        tmp.write_bytes(data)
        tmp.replace(old)
        changed.append(rel.as_posix())
    if dst.is_dir():
        for path in sorted(dst.rglob("*"), reverse=True):
            rel = path.relative_to(dst)
            if path.is_file() and rel not in wanted:
                path.unlink()
                changed.append(rel.as_posix())
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    return sorted(changed)


def _stage_and_sync(root: Path, docs_dir: Path, lock: threading.Lock,
                    current: Callable[[], bool] = lambda: True,
                    **options) -> tuple[pipeline.BuildReport, list[str]]:
    """Stage into a scratch folder, then sync into ``docs_dir`` under ``lock`` unless the
    staging is no longer ``current`` (a newer save came meanwhile)."""
    scratch = Path(tempfile.mkdtemp(prefix="preview-", dir=docs_dir.parent))
    try:
        result = pipeline.stage(root, scratch / "docs", **options)
        with lock, output.locked(docs_dir):  # a build may stage into the same folder
            return result, sync(scratch / "docs", docs_dir) if current() else []
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _served_pdfs(docs_dir: Path) -> set[str]:
    return {p.relative_to(docs_dir).as_posix() for p in docs_dir.glob("downloads/**/*.pdf")}


def _reported(report: Callable[[str], None], work: Callable[[], tuple[list[str], float]]) -> bool:
    """Run ``work`` (changed files, seconds); tell the publisher what it did or what failed."""
    try:
        changed, seconds = work()
    except DataErrors as errors:
        report(f"{errors.report()}\n{KEPT}")
        return False
    except BuildError as exc:
        report(f"{exc}\n{KEPT}")
        return False
    report(f"已更新 {len(changed)} 个文件，用时 {seconds:.1f} 秒 / "
           f"updated {len(changed)} files in {seconds:.1f} s")
    return True


def refresh(root: Path, docs_dir: Path, *, report: Callable[[str], None] = print,
            later: Callable[[], None] | None = None, lock: threading.Lock | None = None) -> bool:
    """Stage the site into a scratch folder and :func:`sync` it into ``docs_dir``.

    When ``docs_dir`` already shows PDFs, a first pass stages everything, but a PDF that
    is not in the cache keeps the file ``docs_dir`` shows (:func:`generator.render.pdf.render_kept`),
    and syncs; a second, full pass (:func:`refresh_pdfs`) follows only when a PDF is out of
    date or a call's PDFs came or went.

    Parameters:
        root: Repository root.
        docs_dir: The folder MkDocs serves from.
        report: Where messages for the publisher go.
        later: Called instead of running the second pass here (the watcher runs it in
            the background, so that the next save is shown without waiting for PDFs).
        lock: Held while files are copied into ``docs_dir``.

    Returns:
        True when ``docs_dir`` now shows the data (PDFs may follow); False when the data
        or a step failed (the errors were reported and ``docs_dir`` was left as it was).
    """
    from .render import pdf

    lock = lock or threading.Lock()
    if not _served_pdfs(docs_dir):
        return refresh_pdfs(root, docs_dir, report=report, lock=lock)
    outdated = False

    def quick() -> tuple[list[str], float]:
        nonlocal outdated
        keep = functools.partial(pdf.render_kept, kept=docs_dir)
        result, changed = _stage_and_sync(root, docs_dir, lock, runs={"pdf": keep})
        cached, paths = pdf.all_cached(result.calls, (root / ".cache").resolve())
        outdated = not cached or paths != _served_pdfs(docs_dir)
        return changed, result.timings["total"]

    if not _reported(report, quick):
        return False
    if not outdated:
        return True
    if later is not None:
        later()
        return True
    return refresh_pdfs(root, docs_dir, report=report, lock=lock)


def refresh_pdfs(root: Path, docs_dir: Path, *, report: Callable[[str], None] = print,
                 lock: threading.Lock | None = None,
                 current: Callable[[], bool] = lambda: True) -> bool:
    """The full pass of :func:`refresh`: stage everything, PDFs included, and sync.

    Parameters:
        root: Repository root.
        docs_dir: The folder MkDocs serves from.
        report: Where messages for the publisher go.
        lock: Held while files are copied into ``docs_dir``.
        current: Checked before copying: False drops this pass (a newer save came).

    Returns:
        True when ``docs_dir`` now shows the data; False when the data or a step failed.
    """

    def full() -> tuple[list[str], float]:
        result, changed = _stage_and_sync(root, docs_dir, lock or threading.Lock(), current)
        return changed, result.timings["total"]

    return _reported(report, full)


def snapshot(root: Path, watched: Iterable[str] = WATCHED) -> dict[str, tuple[int, int]]:
    """Modification time and size of every watched file (what the watcher compares)."""
    out: dict[str, tuple[int, int]] = {}
    for name in watched:
        for path in (root / name).rglob("*"):
            if path.is_file():
                st = path.stat()
                out[path.relative_to(root).as_posix()] = (st.st_mtime_ns, st.st_size)
    return out


class Watcher(threading.Thread):
    """Polls the watched files and calls :func:`refresh` after each change; the PDFs that a
    change makes out of date are rendered by a second thread meanwhile."""

    def __init__(self, root: Path, docs_dir: Path, *, interval: float = POLL_SECONDS) -> None:
        super().__init__(name="kx-preview-watcher", daemon=True)
        self.root, self.docs_dir, self.interval = root, docs_dir, interval
        self.stopped = threading.Event()
        self.seen = snapshot(root)
        self.generation = 0
        self.lock = threading.Lock()
        self.pdfs_wanted = threading.Event()
        self.pdfs = threading.Thread(target=self._render_pdfs, name="kx-preview-pdfs", daemon=True)

    def run(self) -> None:
        self.pdfs.start()
        while not self.stopped.wait(self.interval):
            now = snapshot(self.root)
            if now != self.seen:
                self.seen = now
                self.generation += 1
                refresh(self.root, self.docs_dir, later=self.pdfs_wanted.set, lock=self.lock)

    def _render_pdfs(self) -> None:
        while not self.stopped.is_set():
            if not self.pdfs_wanted.wait(self.interval):
                continue
            self.pdfs_wanted.clear()
            generation = self.generation

            def current(wanted: int = generation) -> bool:
                return self.generation == wanted

            refresh_pdfs(self.root, self.docs_dir, lock=self.lock, current=current)


def serve(root: Path, *, host: str = "127.0.0.1", port: int = 8000) -> int:
    """Stage the site, then serve it with live reload until interrupted.

    Parameters:
        root: Repository root (holds mkdocs.yml).
        host: Address to listen on.
        port: Port to listen on.

    Returns:
        The exit status: 1 when the data is invalid at start, else 0.
    """
    from mkdocs.commands.serve import serve as mkdocs_serve
    from mkdocs.exceptions import MkDocsException

    from . import mkdocs_hooks

    logging.getLogger("mkdocs").setLevel(logging.INFO)  # "Serving on http://…", rebuilds
    root = root.resolve()
    docs_dir = root / "build" / "docs"
    docs_dir.mkdir(parents=True, exist_ok=True)
    if not refresh(root, docs_dir, report=lambda m: print(m, file=sys.stderr)):
        return 1
    watcher = Watcher(root, docs_dir)
    watcher.start()
    try:
        # Not strict: a dirty build always logs a warning that it is one, which strict mode
        # turns into an abort. `python -m generator build` stays strict.
        mkdocs_serve(
            config_file=str(root / "mkdocs.yml"),
            build_type="dirty",
            watch_theme=True,
            dev_addr=f"{host}:{port}",
            strict=False,
            hooks=[mkdocs_hooks.__file__],
        )
    except MkDocsException as exc:
        print(f"预览失败 / preview failed: {exc}", file=sys.stderr)
        return 1
    finally:
        watcher.stopped.set()
    return 0
