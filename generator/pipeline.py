"""load → validate → render → site → export: the one entry point of a build.

Every step is a :class:`Step`: a function ``run(ctx: BuildContext) -> None`` that writes its
files through the context (:meth:`BuildContext.write`), so each file it makes is recorded as
an :class:`~generator.context.Artifact` (path, kind, size, digest). A step declares the kinds
of artifact it ``needs`` and ``produces``; later steps read the records, never the disk, and
the order of the steps follows from those declarations (:func:`plan`). Asking for some steps
runs them with everything they need, so each file comes out as in a full build.

* the *docs* steps write Markdown and downloads into ``ctx.docs_dir`` (the staging docs
  folder that MkDocs reads);
* ``mkdocs`` turns that folder into HTML in ``ctx.site_dir``;
* the *site* steps write files straight into ``ctx.site_dir`` (open data, offline copy).

The site is built in a temporary folder next to the output and swapped in only when every
step succeeded, so a failed build never replaces a good site. One build at a time writes
an output folder (:mod:`generator.output`), and never one that holds the build's inputs.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import shutil
import stat
import time
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from . import cache, files, output
from . import load as loader
from .context import BuildContext, build_date
from .errors import BuildError
from .models import Call
from .render import bundle, changes, docx, export, feeds, fill, mkdocs_site, offline, pages, pdf, search

log = logging.getLogger(__name__)

#: Largest hand-written page (``docs/``) copied into the site.
MAX_PAGE_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class Step:
    """One build step.

    Attributes:
        name: The step's name (also its cache folder, ``<cache>/<name>/``).
        run: The renderer.
        needs: Kinds of artifact it reads.
        produces: Kinds of artifact it makes.
        into: ``docs`` (the staging folder) or ``site`` (the built site).
    """

    name: str
    run: Callable[[BuildContext], None]
    needs: tuple[str, ...] = ()
    produces: tuple[str, ...] = ()
    into: str = "docs"


FORM_FILES = ("form.docx", "form.pdf", "form.fillable", "guide.pdf")
#: Every step, in the order used when the declarations leave a choice.
STEPS: tuple[Step, ...] = (
    Step("docx", docx.render, produces=("form.docx",)),
    # 在线填写 pages embed each form's DOCX
    Step("fill", fill.render, needs=("form.docx",), produces=("page", "asset")),
    Step("pdf", pdf.render, produces=("form.pdf", "form.fillable", "guide.pdf")),
    Step("bundle", bundle.render, needs=("form.docx", "form.pdf"), produces=("forms.zip",)),
    Step("feeds", feeds.render, produces=("feed", "calendar")),
    Step("changes", changes.render, needs=("feed",), produces=("page",)),
    Step("pages", pages.render, needs=(*FORM_FILES, "forms.zip"), produces=("page",)),
    Step("mkdocs", mkdocs_site.render, needs=("page", *FORM_FILES, "forms.zip", "feed", "calendar"),
         produces=("site",), into="site"),
    Step("export", export.render, needs=("site", *FORM_FILES), produces=("data",), into="site"),
    Step("offline", offline.render, needs=("site", "data"), produces=("site.zip",), into="site"),
    # site search (Pagefind) over the finished pages; nothing needs it, so it can be skipped
    Step("search", search.render, needs=("site",), produces=("search",), into="site"),
)
#: Steps a build may leave out (``build(skip=...)``, ``--skip``): no other step needs them.
SKIPPABLE = ("search",)


def plan(steps: Iterable[Step], wanted: set[str] | None = None) -> list[Step]:
    """The steps to run, in an order where every step comes after all that make what it needs.

    Parameters:
        steps: The known steps (their order breaks ties).
        wanted: Names of the steps asked for (default: all); the steps they need are added.

    Returns:
        The steps to run, in order.

    Raises:
        BuildError: An unknown step name, a need that no step makes, or a cycle.
    """
    known = list(steps)
    by_name = {s.name: s for s in known}
    makers: dict[str, list[Step]] = {}
    for s in known:
        for kind in s.produces:
            makers.setdefault(kind, []).append(s)
    unknown = sorted((wanted or set()) - set(by_name))
    if unknown:
        raise BuildError(f"没有这些生成步骤：{'、'.join(unknown)}（可选 {'、'.join(by_name)}） / "
                         f"unknown steps: {', '.join(unknown)}")

    def before(s: Step) -> list[Step]:
        out: list[Step] = []
        for kind in s.needs:
            if kind not in makers:
                raise BuildError(f"步骤 {s.name} 需要 {kind}，但没有步骤生成它 / step "
                                 f"'{s.name}' needs '{kind}', which no step makes")
            out += [m for m in makers[kind] if m is not s]
        return out

    chosen: set[str] = set()
    todo = [by_name[n] for n in (wanted if wanted is not None else by_name)]
    while todo:
        s = todo.pop()
        if s.name not in chosen:
            chosen.add(s.name)
            todo.extend(before(s))
    ordered: list[Step] = []
    done: set[str] = set()
    while len(ordered) < len(chosen):
        ready = [s for s in known if s.name in chosen and s.name not in done
                 and all(m.name in done for m in before(s))]
        if not ready:
            raise BuildError("生成步骤互相依赖 / the build steps depend on each other in a cycle")
        ordered.append(ready[0])
        done.add(ready[0].name)
    return ordered


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
    """Copy the hand-written pages into a fresh staging docs folder (regular files inside
    the repository only: a link out of it is refused, never followed into the site)."""
    if docs_dir.exists():
        shutil.rmtree(docs_dir)
    docs_dir.mkdir(parents=True)
    source = root / "docs"
    for path in sorted(source.rglob("*")):
        if path.is_dir() and not path.is_symlink():
            (docs_dir / path.relative_to(source)).mkdir(exist_ok=True)
            continue
        try:
            data = files.read_bytes(path, root, MAX_PAGE_BYTES)
        except files.UnsafeFile as exc:
            raise BuildError(str(exc)) from None
        target = docs_dir / path.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def _check_theme(root: Path) -> None:
    """The theme overrides MkDocs copies into the site: regular files inside the repository
    only (a link in ``overrides/`` to a host file would be published like a page)."""
    for path in sorted((root / "overrides").rglob("*")):
        real = Path(os.path.realpath(path))
        if not real.is_relative_to(root):
            raise BuildError(f"{path.relative_to(root)}：文件是指向仓库以外的链接，请改为普通文件 / "
                             "the file links to a place outside the repository; use a regular file")
        if not real.exists() or not (real.is_dir() or stat.S_ISREG(real.stat().st_mode)):
            raise BuildError(f"{path.relative_to(root)}：不是普通文件（如管道或设备） / "
                             "not a regular file (a pipe or device)")


def _run_steps(ctx: BuildContext, chosen: list[Step], timings: dict[str, float]) -> None:
    """Run ``chosen`` in order, timing each; any failure becomes a :class:`BuildError`
    naming the step."""
    for step in chosen:
        t = time.perf_counter()
        ctx.step, ctx.produces = step.name, step.produces
        ctx.out_dir = ctx.site_dir if step.into == "site" else ctx.docs_dir
        try:
            step.run(ctx)
        except BuildError:
            raise
        except Exception as exc:  # one boundary: report which step broke
            raise BuildError(
                f"生成步骤 {step.name} 失败：{exc} / build step '{step.name}' failed: {exc!r}"
            ) from exc
        ctx.made.update(step.produces)
        timings[step.name] = time.perf_counter() - t
        log.info("step %s: %.2fs", step.name, timings[step.name])


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


def _prune(ctx: BuildContext) -> None:
    removed = cache.prune(ctx.cache_dir, [*(s.name for s in STEPS), *cache.SHARED])
    if removed:
        log.info("cache: removed %d entries unused for %d days", removed, cache.MAX_AGE_DAYS)


def stage(
    root: Path, docs_dir: Path, *, today=None, jobs: int | None = None, cache_dir: Path | None = None,
    only: Callable[[list[Call]], list[Call]] | None = None,
    runs: dict[str, Callable[[BuildContext], None]] | None = None,
    steps: Iterable[str] | None = None,
    calls: list[Call] | None = None,
    own: frozenset[str] | None = None,
) -> BuildReport:
    """Validate the data and write the pages and downloads MkDocs reads, without HTML.

    What a preview server (:mod:`generator.preview`) serves: ``docs_dir`` is replaced by
    the hand-written pages plus everything the docs steps generate.

    Parameters:
        root: Repository root.
        docs_dir: The folder to fill (emptied first).
        today: Build date for deadline status (default: SOURCE_DATE_EPOCH or today).
        jobs: Processes renderers may use (default: CPU count).
        cache_dir: Content-hash cache of rendered files (default ``root/.cache``).
        only: Picks the calls to stage from all the valid ones (a shard, see
            :mod:`generator.shard`); default all.
        runs: Functions run instead of the named steps' own, with the same declarations
            (the live preview's first pass keeps its PDFs, :func:`generator.render.pdf.render_kept`).
        steps: Names of the steps to run, with the steps they need; each must write into
            the docs folder (default: every step that does).
        calls: The validated calls, already loaded (default: load and check the data).
        own: Ids of the calls whose own pages and downloads to write (default: every call;
            see :attr:`generator.context.BuildContext.own`).

    Returns:
        A report with the calls and step timings.

    Raises:
        DataErrors: The data is invalid; nothing was written.
        BuildError: A step failed, or ``docs_dir`` holds an input.
    """
    root = root.resolve()
    docs_dir = docs_dir.resolve()
    output.check_out(root, docs_dir, staging=True)
    t0 = time.perf_counter()
    if calls is None:
        calls, timings = _checked(root)
    else:
        timings = {"load": 0.0}
    if only is not None:
        calls = only(calls)
    # the docs steps write only into the docs folder; there is no site here
    ctx = _context(root, calls, docs_dir, docs_dir, today, jobs, cache_dir)
    ctx.own = own
    docs_steps = [s for s in STEPS if s.into == "docs"]
    chosen = [dataclasses.replace(s, run=runs[s.name]) if runs and s.name in runs else s
              for s in plan(docs_steps, None if steps is None else set(steps))]
    with output.locked(docs_dir):
        _stage_docs(root, docs_dir)
        _run_steps(ctx, chosen, timings)
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
    skip: Iterable[str] = (),
) -> BuildReport:
    """Validate the data and build the whole site.

    Parameters:
        root: Repository root.
        out: Output folder (default ``root/site``); replaced only on success. It must not
            be, contain or lie inside an input of the build (data, docs, the repository…).
        today: Build date for deadline status (default: SOURCE_DATE_EPOCH or today).
        steps: Run only these named steps and the steps they need (MkDocs always runs).
        jobs: Processes renderers may use (default: CPU count).
        cache_dir: Content-hash cache of rendered files (default ``root/.cache``).
        skip: Steps of :data:`SKIPPABLE` to leave out (``search``: a site without search
            index, e.g. to look at pages sooner).

    Returns:
        A report with the calls and step timings.

    Raises:
        DataErrors: The data is invalid; nothing was written.
        BuildError: The output folder is refused, a step cannot be skipped, or a step
            failed; the previous site is untouched.
    """
    root = root.resolve()
    out = (out or root / "site").resolve()
    output.check_out(root, out)
    skip = set(skip)
    if skip - set(SKIPPABLE):
        raise BuildError(f"不能跳过这些步骤：{'、'.join(sorted(skip - set(SKIPPABLE)))}（可跳过 "
                         f"{'、'.join(SKIPPABLE)}） / cannot skip: {', '.join(sorted(skip - set(SKIPPABLE)))}")
    chosen = [s for s in plan(STEPS, None if steps is None else {*steps, "mkdocs"}) if s.name not in skip]
    t0 = time.perf_counter()
    calls, timings = _checked(root)

    out.parent.mkdir(parents=True, exist_ok=True)
    # The default build stages into build/docs (what `mkdocs serve` and Zensical read);
    # any other output gets a private staging folder next to it.
    default_out = out == root / "site"
    staging_lock = output.locked(root / "build" / "docs") if default_out else nullcontext()
    with output.locked(out), staging_lock:
        output.remove_stale(out)
        tmp_site = output.new_temp(out)
        docs_dir = root / "build" / "docs" if default_out else output.new_temp(out, "-docs")
        ctx = _context(root, calls, docs_dir, tmp_site, today, jobs, cache_dir)
        try:
            _check_theme(root)
            _stage_docs(root, ctx.docs_dir)
            _run_steps(ctx, chosen, timings)
            output.swap_in(tmp_site, out)
            _prune(ctx)
        except BaseException:
            shutil.rmtree(tmp_site, ignore_errors=True)
            raise
        finally:
            if not default_out:
                shutil.rmtree(docs_dir, ignore_errors=True)
    timings["total"] = time.perf_counter() - t0
    return BuildReport(calls=calls, timings=timings, site_dir=out)
