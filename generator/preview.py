"""Live preview for publishers: edit a call's YAML, the browser shows the change.

:func:`serve` stages the site's pages and downloads into ``build/docs`` and runs
``mkdocs serve --dirty`` over them. A watcher thread looks at the data, the notices' text
and the hand-written pages; when one changes it stages again into a scratch folder and
copies over only the files whose bytes changed (:func:`sync`), so MkDocs rebuilds just
those pages and reloads the browser.

A :class:`Session` keeps the calls loaded between saves: a saved data file is read and
checked again on its own (the rules across calls run over all calls), and only the calls
it changed get their pages and downloads restaged; the pages that list every call are
made again from all of them (their unchanged parts come from the cache). Any other
change (a hand-written page, a notice's text) restages everything. Only the steps that
write MkDocs' input run (:data:`STEPS`).

A save is shown in two passes (:meth:`Session.refresh`): first everything but the PDFs,
which keep their last version (rendering a guideline or form PDF takes seconds, a page a
few milliseconds), so the page shows the edit at once; then, only when a PDF is out of
date, and once MkDocs has shown the first pass (:mod:`generator.preview_hooks`), the PDFs
(rendered in a worker process, so that the next save is not held up) and what shows their
sizes. MkDocs runs with :mod:`generator.mkdocs_hooks` (compiled
theme templates kept between rebuilds).

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
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from . import load as loader
from . import output, pipeline
from .context import BuildContext, build_date
from .errors import BuildError, DataErrors
from .models import Call

log = logging.getLogger(__name__)

#: What the watcher looks at, relative to the repository root.
WATCHED = ("data", "docs")
#: Told to the publisher after an error.
KEPT = "预览仍显示上次正确的内容，改正后自动刷新 / the preview keeps the last good pages until this is fixed"
#: Seconds between two looks at the watched files.
POLL_SECONDS = 0.2
#: Set by MkDocs after each build of the served site (:mod:`generator.preview_hooks`).
BUILT = threading.Event()
#: Longest wait, in seconds, for MkDocs to show a save's pages before its PDFs are rendered.
SHOWN_SECONDS = 10.0
#: The build steps a save restages, named: only those that write the pages and downloads
#: MkDocs serves (never MkDocs itself, the open data, the offline copy or a search index).
STEPS = ("docx", "fill", "pdf", "bundle", "feeds", "changes", "pages")


def sync(src: Path, dst: Path, prune: Iterable[str] | None = None) -> list[str]:
    """Make ``dst`` hold the same files as ``src``, touching only what differs.

    Files with the same bytes keep their modification time (MkDocs' dirty build skips
    them); changed and new files are copied; files no longer in ``src`` are removed.

    Parameters:
        src: The freshly staged folder.
        dst: The folder MkDocs serves from.
        prune: Folders (``calls/<id>/``…) where a file not in ``src`` is removed; elsewhere
            it is kept (``src`` holds only what a save restaged). Default: everywhere.

    Returns:
        The changed, added or removed paths relative to ``dst``, sorted.
    """
    folders = None if prune is None else tuple(prune)
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
    for top in ([dst] if folders is None else [dst / f for f in folders]):
        if not top.is_dir():
            continue
        for path in sorted(top.rglob("*"), reverse=True):
            rel = path.relative_to(dst)
            if path.is_file() and rel not in wanted:
                path.unlink()
                changed.append(rel.as_posix())
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
        if top != dst and top.is_dir() and not any(top.iterdir()):
            top.rmdir()
    return sorted(changed)


def _served_pdfs(docs_dir: Path, ids: Iterable[str] | None = None) -> set[str]:
    """The PDFs ``docs_dir`` shows (of the calls ``ids`` only, when given)."""
    found = {p.relative_to(docs_dir).as_posix() for p in docs_dir.glob("downloads/**/*.pdf")}
    if ids is None:
        return found
    wanted = set(ids)
    return {p for p in found if p.split("/")[1] in wanted}


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


def _folders(ids: Iterable[str]) -> list[str]:
    """The folders that hold only the own files of the calls ``ids`` (pages, downloads)."""
    return [f for i in sorted(ids) for f in (f"calls/{i}", f"downloads/{i}")]


def _data_file(path: str) -> bool:
    """Whether ``path`` (relative to the repository) is a call's data file."""
    parts = path.split("/")
    return len(parts) == 3 and parts[:2] == ["data", "calls"] and parts[2].endswith((".yaml", ".yml"))


class Session:
    """What the preview keeps between saves, so that a save restages only what it changes.

    The calls stay loaded (:class:`generator.load.Loader` reads and checks again only the
    saved data file; the rules across calls, such as unique ids, run over all of them).
    When only data files changed, the calls whose data changed (or that came or went) get
    their pages and downloads restaged, and the pages that list every call are made again
    from all of them (:attr:`generator.context.BuildContext.own`); any other change (a
    hand-written page, a notice's text, a new day) restages the whole site.

    A save is shown in two passes (:meth:`refresh`): first everything but the PDFs, which
    keep their last version, then, only when a PDF is out of date, the PDFs
    (:meth:`refresh_pdfs`).

    Parameters:
        root: Repository root.
        docs_dir: The folder MkDocs serves from.
        report: Where messages for the publisher go.
        lock: Held while files are copied into ``docs_dir``.
    """

    def __init__(self, root: Path, docs_dir: Path, *, report: Callable[[str], None] = print,
                 lock: threading.Lock | None = None) -> None:
        self.root, self.docs_dir, self.report = root.resolve(), docs_dir, report
        self.lock = lock or threading.Lock()
        self.loader = loader.Loader(self.root / "data" / "calls", self.root)
        #: The calls ``docs_dir`` shows, by id (None: not known, restage everything).
        self.served: dict[str, Call] | None = None
        self.today = build_date()
        #: The calls the PDF pass is to restage (None: every call), and the calls to use.
        self._pdfs_for: set[str] | None = set()
        self._calls: list[Call] = []
        #: False while MkDocs may still be building what the last quick pass changed.
        self.shown = True

    def _plan(self, changed: Iterable[str] | None) -> tuple[list[Call], set[str] | None, list[str] | None]:
        """Load the calls; which calls to restage (None: all), and the folders to prune."""
        today = build_date()
        whole = (self.served is None or changed is None or today != self.today
                 or not all(_data_file(p) for p in changed))
        if whole:
            self.loader.forget()
        self.today = today
        calls = self.loader.load()
        if whole or self.served is None:
            return calls, None, None
        served = self.served
        own = {c.id for c in calls if served.get(c.id) is not c}
        gone = set(served) - {c.id for c in calls}
        return calls, own, _folders(own | gone)

    def _stage(self, calls: list[Call], own: set[str] | None, prune: list[str] | None,
               current: Callable[[], bool] = lambda: True,
               runs: dict[str, Callable[[BuildContext], None]] | None = None,
               synced: Callable[[], None] = lambda: None,
               ) -> tuple[pipeline.BuildReport, list[str]]:
        """Stage into a scratch folder, then sync into ``docs_dir`` under the lock unless the
        staging is no longer ``current`` (a newer save came meanwhile); ``synced`` is called
        just before syncing."""
        docs_dir = self.docs_dir
        scratch = Path(tempfile.mkdtemp(prefix="preview-", dir=docs_dir.parent))
        try:
            result = pipeline.stage(self.root, scratch / "docs", today=self.today, steps=STEPS,
                                    calls=calls, own=None if own is None else frozenset(own),
                                    runs=runs)
            with self.lock, output.locked(docs_dir):  # a build may stage into the same folder
                if not current():
                    return result, []
                synced()
                return result, sync(scratch / "docs", docs_dir, prune)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    def refresh(self, changed: Iterable[str] | None = None, *,
                later: Callable[[], None] | None = None) -> bool:
        """Restage what ``changed`` (paths relative to the root; None: anything) changes.

        When ``docs_dir`` already shows PDFs, a first pass stages the pages and downloads,
        but a PDF that is not in the cache keeps the file ``docs_dir`` shows
        (:func:`generator.render.pdf.render_kept`), and syncs; the PDF pass
        (:meth:`refresh_pdfs`) follows only when a PDF is out of date or a call's PDFs
        came or went.

        Parameters:
            changed: The changed files; only data files: only the calls they change.
            later: Called instead of running the PDF pass here (the watcher runs it in
                the background, so that the next save is shown without waiting for PDFs).

        Returns:
            True when ``docs_dir`` now shows the data (PDFs may follow); False when the
            data or a step failed (the errors were reported and ``docs_dir`` was left as it was).
        """
        from .render import pdf

        if not _served_pdfs(self.docs_dir):
            self.served = None
            return self.refresh_pdfs()
        outdated = False

        def quick() -> tuple[list[str], float]:
            nonlocal outdated
            t0 = time.perf_counter()
            calls, own, prune = self._plan(changed)
            keep = functools.partial(pdf.render_kept, kept=self.docs_dir)
            _, done = self._stage(calls, own, prune, runs={"pdf": keep}, synced=BUILT.clear)
            self.served, self._calls = {c.id: c for c in calls}, calls
            self.shown = not done
            if own is None or self._pdfs_for is None:
                self._pdfs_for = None
            else:
                self._pdfs_for |= own
            ids = self._pdfs_for
            mine = calls if ids is None else [c for c in calls if c.id in ids]
            cached, paths = pdf.all_cached(mine, (self.root / ".cache").resolve())
            outdated = not cached or paths != _served_pdfs(self.docs_dir, ids)
            if not outdated:
                self._pdfs_for = set()
            return done, time.perf_counter() - t0

        if not _reported(self.report, quick):
            return False
        if not outdated:
            return True
        if later is not None:
            later()
            return True
        return self.refresh_pdfs()

    def refresh_pdfs(self, current: Callable[[], bool] = lambda: True) -> bool:
        """The PDF pass of :meth:`refresh`: restage the calls whose PDFs are out of date
        (every call at the first refresh), PDFs included, and sync.

        Parameters:
            current: Checked before copying: False drops this pass (a newer save came).

        Returns:
            True when ``docs_dir`` now shows the data; False when the data or a step failed.
        """
        from .render import pdf

        def full() -> tuple[list[str], float]:
            t0 = time.perf_counter()
            if self.served is None:
                calls, own, prune = self._plan(None)
            else:
                # a copy: a save meanwhile adds its calls to the set for the next pass
                calls, own = self._calls, None if self._pdfs_for is None else set(self._pdfs_for)
                prune = None if own is None else _folders(own)
            # WeasyPrint in a worker process: the next save and MkDocs are not held up
            isolated: dict[str, Callable[[BuildContext], None]] = {
                "pdf": functools.partial(pdf.render, isolate=True)}
            _, done = self._stage(calls, own, prune, current, runs=isolated)
            if current():
                self.served, self._calls, self._pdfs_for = {c.id: c for c in calls}, calls, set()
            return done, time.perf_counter() - t0

        return _reported(self.report, full)


def refresh(root: Path, docs_dir: Path, *, report: Callable[[str], None] = print,
            later: Callable[[], None] | None = None, lock: threading.Lock | None = None) -> bool:
    """Restage the whole site into ``docs_dir`` (:meth:`Session.refresh` of a new session).

    Returns:
        True when ``docs_dir`` now shows the data (PDFs may follow); False when the data
        or a step failed (the errors were reported and ``docs_dir`` was left as it was).
    """
    return Session(root, docs_dir, report=report, lock=lock).refresh(later=later)


def refresh_pdfs(root: Path, docs_dir: Path, *, report: Callable[[str], None] = print,
                 lock: threading.Lock | None = None,
                 current: Callable[[], bool] = lambda: True) -> bool:
    """Restage the whole site into ``docs_dir``, PDFs included (:meth:`Session.refresh_pdfs`).

    Returns:
        True when ``docs_dir`` now shows the data; False when the data or a step failed.
    """
    return Session(root, docs_dir, report=report, lock=lock).refresh_pdfs(current)


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
    """Polls the watched files and calls :meth:`Session.refresh` with the changed ones; the
    PDFs that a change makes out of date are rendered by a second thread meanwhile."""

    def __init__(self, session: Session, *, interval: float = POLL_SECONDS) -> None:
        super().__init__(name="kx-preview-watcher", daemon=True)
        self.session, self.interval = session, interval
        self.stopped = threading.Event()
        self.seen = snapshot(session.root)
        self.generation = 0
        self.pdfs_wanted = threading.Event()
        self.pdfs = threading.Thread(target=self._render_pdfs, name="kx-preview-pdfs", daemon=True)

    def run(self) -> None:
        self.pdfs.start()
        while not self.stopped.wait(self.interval):
            now = snapshot(self.session.root)
            if now != self.seen:
                changed = {p for p in now.keys() | self.seen.keys() if now.get(p) != self.seen.get(p)}
                self.seen = now
                self.generation += 1
                self.session.refresh(changed, later=self.pdfs_wanted.set)

    def _render_pdfs(self) -> None:
        while not self.stopped.is_set():
            if not self.pdfs_wanted.wait(self.interval):
                continue
            self.pdfs_wanted.clear()
            generation = self.generation
            if not self.session.shown:  # let MkDocs show the save's pages first
                BUILT.wait(SHOWN_SECONDS)

            def current(wanted: int = generation) -> bool:
                return self.generation == wanted

            self.session.refresh_pdfs(current)


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

    from . import mkdocs_hooks, preview_hooks

    logging.getLogger("mkdocs").setLevel(logging.INFO)  # "Serving on http://…", rebuilds
    root = root.resolve()
    docs_dir = root / "build" / "docs"
    docs_dir.mkdir(parents=True, exist_ok=True)
    session = Session(root, docs_dir, report=lambda m: print(m, file=sys.stderr))
    if not session.refresh():
        return 1
    watcher = Watcher(session)
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
            hooks=[mkdocs_hooks.__file__, preview_hooks.__file__],
        )
    except MkDocsException as exc:
        print(f"预览失败 / preview failed: {exc}", file=sys.stderr)
        return 1
    finally:
        watcher.stopped.set()
    return 0
