"""load → validate → render → site → export: the one entry point of a build.

:func:`build` owns the order of the steps and is the single error boundary.
Every renderer is a function ``render(ctx: BuildContext) -> None``:

* the *source* steps write Markdown and downloads into ``ctx.docs_dir``
  (the staging docs folder that MkDocs reads);
* the *site* step runs MkDocs from ``ctx.docs_dir`` into ``ctx.site_dir``;
* the *publish* steps write files straight into ``ctx.site_dir`` (open data, feeds…).

The site is built in a temporary folder next to the output and swapped in only when
every step succeeded, so a failed build never replaces a good site.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import cache
from . import load as loader
from .context import BuildContext, build_date
from .errors import BuildError
from .models import Call
from .render import bundle, changes, docx, export, feeds, fill, mkdocs_site, offline, pages, pdf

log = logging.getLogger(__name__)

Step = Callable[[BuildContext], None]

#: Steps that write into the staging docs folder, in order.
SOURCE_STEPS: list[tuple[str, Step]] = [
    ("docx", docx.render),
    ("fill", fill.render),  # embeds each form's DOCX
    ("pdf", pdf.render),
    ("bundle", bundle.render),
    ("feeds", feeds.render),
    ("changes", changes.render),
    ("pages", pages.render),  # last: shows the sizes of the downloads written before it
]
#: The step that turns the docs folder into HTML.
SITE_STEP: tuple[str, Step] = ("mkdocs", mkdocs_site.render)
#: Steps that write into the built site, in order.
PUBLISH_STEPS: list[tuple[str, Step]] = [
    ("export", export.render),
    ("offline", offline.render),
]


@dataclass
class BuildReport:
    """What a build did: the calls and the seconds each step took."""

    calls: list[Call]
    timings: dict[str, float] = field(default_factory=dict)
    site_dir: Path | None = None


def check(root: Path) -> list[Call]:
    """Validate every data file.

    Parameters:
        root: Repository root.

    Returns:
        The validated calls.

    Raises:
        DataErrors: Every problem in every file.
    """
    return loader.load(root / "data" / "calls", root)


def _checked(root: Path) -> tuple[list[Call], dict[str, float]]:
    """:func:`check`, timed: the calls and a timings dict that starts with ``load``."""
    t0 = time.perf_counter()
    calls = check(root)
    return calls, {"load": time.perf_counter() - t0}


def _stage_docs(root: Path, docs_dir: Path) -> None:
    """Copy the hand-written pages into a fresh staging docs folder."""
    if docs_dir.exists():
        shutil.rmtree(docs_dir)
    docs_dir.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(root / "docs", docs_dir)


def _swap_in(new: Path, out: Path) -> None:
    """Replace ``out`` with ``new``; ``out`` is only touched once ``new`` is complete."""
    old = None
    if out.exists():
        old = out.with_name(f"{out.name}.old-{int(time.time() * 1000)}")
        out.rename(old)
    new.rename(out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _run_steps(
    ctx: BuildContext, chosen: list[tuple[str, Step]], steps: set[str] | None, timings: dict[str, float]
) -> None:
    """Run ``chosen`` in order (all, or those named in ``steps``; MkDocs always runs), timing
    each; any failure becomes a :class:`BuildError` naming the step."""
    for name, step in chosen:
        if steps is not None and name not in steps and name != "mkdocs":
            continue
        t = time.perf_counter()
        try:
            step(ctx)
        except BuildError:
            raise
        except Exception as exc:  # one boundary: report which step broke
            raise BuildError(
                f"生成步骤 {name} 失败：{exc} / build step '{name}' failed: {exc!r}"
            ) from exc
        timings[name] = time.perf_counter() - t
        log.info("step %s: %.2fs", name, timings[name])


def _context(root: Path, calls: list[Call], docs_dir: Path, site_dir: Path, today, jobs: int | None,
             cache_dir: Path | None) -> BuildContext:
    ctx = BuildContext(
        root=root,
        calls=calls,
        docs_dir=docs_dir,
        site_dir=site_dir,
        cache_dir=(cache_dir or root / ".cache").resolve(),
        today=today or build_date(),
    )
    if jobs:
        ctx.jobs = jobs
    ctx.cache_dir.mkdir(parents=True, exist_ok=True)
    return ctx


def stage(
    root: Path, docs_dir: Path, *, today=None, jobs: int | None = None, cache_dir: Path | None = None
) -> BuildReport:
    """Validate the data and write the pages and downloads MkDocs reads, without HTML.

    What a preview server (:mod:`generator.preview`) serves: ``docs_dir`` is replaced by
    the hand-written pages plus everything the source steps generate.

    Parameters:
        root: Repository root.
        docs_dir: The folder to fill (emptied first).
        today: Build date for deadline status (default: SOURCE_DATE_EPOCH or today).
        jobs: Processes renderers may use (default: CPU count).
        cache_dir: Content-hash cache of rendered files (default ``root/.cache``).

    Returns:
        A report with the calls and step timings.

    Raises:
        DataErrors: The data is invalid; nothing was written.
        BuildError: A step failed.
    """
    root = root.resolve()
    t0 = time.perf_counter()
    calls, timings = _checked(root)
    # the source steps write only into the docs folder; there is no site here
    ctx = _context(root, calls, docs_dir, docs_dir, today, jobs, cache_dir)
    _stage_docs(root, docs_dir)
    _run_steps(ctx, SOURCE_STEPS, None, timings)
    timings["total"] = time.perf_counter() - t0
    return BuildReport(calls=calls, timings=timings)


def build(
    root: Path,
    out: Path | None = None,
    *,
    today=None,
    steps: set[str] | None = None,
    jobs: int | None = None,
    cache_dir: Path | None = None,
) -> BuildReport:
    """Validate the data and build the whole site.

    Parameters:
        root: Repository root.
        out: Output folder (default ``root/site``); replaced only on success.
        today: Build date for deadline status (default: SOURCE_DATE_EPOCH or today).
        steps: Run only these named steps (default: all); for previews and benchmarks.
        jobs: Processes renderers may use (default: CPU count).
        cache_dir: Content-hash cache of rendered files (default ``root/.cache``).

    Returns:
        A report with the calls and step timings.

    Raises:
        DataErrors: The data is invalid; nothing was written.
        BuildError: A step failed; the previous site is untouched.
    """
    root = root.resolve()
    out = (out or root / "site").resolve()
    t0 = time.perf_counter()
    calls, timings = _checked(root)

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp_site = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    # The default build stages into build/docs (what `mkdocs serve` reads);
    # any other output gets a private staging folder, so parallel builds never collide.
    default_out = out == root / "site"
    docs_dir = root / "build" / "docs" if default_out else tmp_site.with_name(tmp_site.name + "-docs")
    ctx = _context(root, calls, docs_dir, tmp_site, today, jobs, cache_dir)
    try:
        _stage_docs(root, ctx.docs_dir)
        _run_steps(ctx, [*SOURCE_STEPS, SITE_STEP, *PUBLISH_STEPS], steps, timings)
        _swap_in(tmp_site, out)
        removed = cache.prune(ctx.cache_dir)
        if removed:
            log.info("cache: removed %d entries unused for %d days", removed, cache.MAX_AGE_DAYS)
    except BaseException:
        shutil.rmtree(tmp_site, ignore_errors=True)
        raise
    finally:
        if not default_out:
            shutil.rmtree(docs_dir, ignore_errors=True)
    timings["total"] = time.perf_counter() - t0
    return BuildReport(calls=calls, timings=timings, site_dir=out)
