"""Command line: ``python -m generator check | build | render | serve | schema | new-call <id> | forms | import``.

Data errors are printed as ``file:line:col: field（字段）: 中文 / English`` and exit 1,
without a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

from .errors import BuildError, DataErrors
from .scaffold import ScaffoldError, write_scaffold
from .schema import write_schema


def _root(args: argparse.Namespace) -> Path:
    return Path(args.root).resolve()


def _check(root: Path) -> list:
    """:func:`generator.pipeline.check` without importing every renderer (faster start)."""
    from .load import load

    return load(root / "data" / "calls", root)


def _cmd_check(args: argparse.Namespace) -> int:
    from .view import call_view

    calls = _check(_root(args))
    views = [call_view(c) for c in calls]
    forms = sum(v.form_count for v in views)
    missing = sum(len(v.unattached_forms) for v in views)
    note = f"（其中 {missing} 份原文未附）" if missing else ""
    print(f"数据检查通过：{len(calls)} 个通知，{forms} 份申报表{note}。"
          f" / OK: {len(calls)} calls, {forms} forms to fill ({missing} not attached).")
    return 0


def _cmd_build(args: argparse.Namespace) -> int:
    today = dt.date.fromisoformat(args.today) if args.today else None
    out = Path(args.out).resolve() if args.out else None
    from . import pipeline

    if args.cache_from:
        from .shard import merge_into

        merge_into(_root(args) / ".cache", Path(args.cache_from))
    report = pipeline.build(_root(args), out, today=today, jobs=args.jobs,
                            skip=("search",) if args.no_search else ())
    steps = ", ".join(f"{k} {v:.2f}s" for k, v in report.timings.items())
    print(f"网站已生成：{report.site_dir} / site built ({steps})")
    return 0


def _cmd_render(args: argparse.Namespace) -> int:
    from .shard import Shard, render_shard

    shard = Shard.parse(args.shard)
    today = dt.date.fromisoformat(args.today) if args.today else None
    export = Path(args.export) if args.export else None
    report = render_shard(_root(args), shard, today=today, jobs=args.jobs, export=export)
    steps = ", ".join(f"{k} {v:.2f}s" for k, v in report.timings.items())
    print(f"分片 {shard.index}/{shard.count}：已生成 {len(report.calls)} 个通知的表单与页面到缓存"
          f" / shard {shard.index}/{shard.count}: {len(report.calls)} calls rendered into the cache"
          f" ({steps})")
    return 0


def _cmd_serve(args: argparse.Namespace) -> int:
    from .preview import serve

    return serve(_root(args), host=args.host, port=args.port)


def _cmd_schema(args: argparse.Namespace) -> int:
    path = write_schema(_root(args))
    print(f"已写入 / wrote {path}")
    return 0


def _cmd_new_call(args: argparse.Namespace) -> int:
    root = _root(args)
    try:
        path = write_scaffold(root, args.id)
    except ScaffoldError as exc:
        print(exc, file=sys.stderr)
        return 1
    shown = path.relative_to(root).as_posix()
    print(f"已创建 {shown}：请填写（必填）项，并把原文保存为 data/sources/{args.id}.txt，"
          f"然后运行 python -m generator check / created {shown}")
    return 0


def _cmd_forms(args: argparse.Namespace) -> int:
    import os
    import time

    from .output import check_out
    from .render.formfiles import select_calls, write_forms

    root = _root(args)
    out = Path(args.out).resolve()
    check_out(root, out, replaced=False)  # never write forms into data/, docs/, .git/…
    calls = select_calls(_check(root), args.call)
    t0 = time.perf_counter()
    files = write_forms(
        calls, args.format, out, cache_dir=root / ".cache",
        use_cache=not args.no_cache, jobs=args.jobs or os.cpu_count() or 1,
    )
    seconds = time.perf_counter() - t0
    print(f"已写入 {len(files)} 份表单（{args.format}）到 {args.out}，用时 {seconds:.2f} 秒"
          f" / wrote {len(files)} {args.format} forms to {args.out} in {seconds:.2f}s")
    return 0


def _cmd_import(args: argparse.Namespace) -> int:
    from .importer.command import ImportError_, import_notice

    root = _root(args)
    try:
        result = import_notice(root, [Path(p) for p in args.files], args.id, force=args.force)
    except ImportError_ as exc:
        print(exc, file=sys.stderr)
        return 1
    print(result.report)
    written = [p.relative_to(root).as_posix() for p in (result.call_path, result.source_path)]
    print(f"\n已写入 {written[0]} 和 {written[1]}"
          f"（{result.seconds:.2f} 秒）。请按报告核对草稿，再运行 python -m generator check"
          f" / wrote the draft and the source text; review it, then run check")
    return 0


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m generator",
        description="科协申报指南：检查数据、生成网站与申报表 / check data, build the site and forms",
    )
    parser.add_argument("--root", default=".", help="仓库根目录 / repository root (default: .)")
    parser.add_argument("-v", "--verbose", action="store_true", help="显示各步骤耗时 / log steps")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("check", help="只检查数据 / validate the data only")
    p.set_defaults(func=_cmd_check)

    p = sub.add_parser("build", help="检查并生成网站 / validate and build the site")
    p.add_argument("--out", help="输出目录 / output folder (default: site/)")
    p.add_argument("--today", help="按此日期计算截止状态 / build date YYYY-MM-DD")
    p.add_argument("--jobs", type=int, help="并行进程数 / processes for rendering")
    p.add_argument("--cache-from", help="先加入各分片导出的缓存条目（render --export） / "
                                        "add the cache entries shards exported first")
    p.add_argument("--no-search", action="store_true",
                   help="不生成站内搜索索引（更快，网站无搜索结果） / skip the search index")
    p.set_defaults(func=_cmd_build)

    p = sub.add_parser(
        "render", help="只把一个分片的通知生成到缓存（多台机器分担生成） / "
                       "render one shard of the calls into the build cache",
    )
    p.add_argument("--shard", required=True, help="第 I 片（共 N 片），如 2/4 / shard I/N")
    p.add_argument("--today", help="按此日期计算截止状态 / build date YYYY-MM-DD")
    p.add_argument("--jobs", type=int, help="并行进程数 / processes for rendering")
    p.add_argument("--export", help="把本分片用到的缓存条目复制到此目录 / "
                                    "copy the cache entries this shard used here")
    p.set_defaults(func=_cmd_render)

    p = sub.add_parser(
        "serve", help="本地预览，修改数据后自动刷新 / preview with live reload as the data changes"
    )
    p.add_argument("--host", default="127.0.0.1", help="监听地址 / address (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="端口 / port (default 8000)")
    p.set_defaults(func=_cmd_serve)

    p = sub.add_parser("schema", help="导出 JSON Schema / write schema/call.schema.json")
    p.set_defaults(func=_cmd_schema)

    p = sub.add_parser(
        "new-call", help="新建通知数据模板 / write a commented data/calls/<id>.yaml template"
    )
    p.add_argument("id", help="通知编号，如 jining-2024-reform-brand / the new call's id")
    p.set_defaults(func=_cmd_new_call)

    p = sub.add_parser("forms", help="只生成申报表文件 / write just the forms, without the site")
    p.add_argument("--format", required=True, choices=["docx", "pdf", "fillable"],
                   help="docx、pdf（打印）或 fillable（可填写 PDF） / output format")
    p.add_argument("--call", help="只生成此通知的表单 / only this call's forms")
    p.add_argument("--out", required=True, help="输出目录 / output folder")
    p.add_argument("--no-cache", action="store_true",
                   help="不使用已生成的 PDF 缓存 / render again, bypassing the PDF cache")
    p.add_argument("--jobs", type=int, help="并行进程数 / processes for rendering")
    p.set_defaults(func=_cmd_forms)

    p = sub.add_parser(
        "import", help="从通知原文生成数据草稿 / draft data/calls/<id>.yaml from a published notice"
    )
    p.add_argument("files", nargs="+", metavar="NOTICE [ATTACHMENT ...]",
                   help="通知文件及附件（.docx .doc .wps .pdf .html .txt） / the notice, then attachment files")
    p.add_argument("--id", required=True, help="新通知的编号，如 jining-2024-reform-brand / the new call's id")
    p.add_argument("--force", action="store_true", help="覆盖已有的草稿和原文 / overwrite existing files")
    p.set_defaults(func=_cmd_import)
    return parser


def _stop_on_sigterm() -> None:
    """SIGTERM stops a command as Ctrl+C does: the temporary folders are removed and the
    worker processes stopped on the way out (see :mod:`generator.workers`)."""

    def stop(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, stop)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    _stop_on_sigterm()
    parser = make_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(message)s")
    try:
        return int(args.func(args))
    except DataErrors as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    except BuildError as exc:
        print(f"生成失败，原有网站未改动。 / Build failed; the existing site is unchanged.\n{exc}",
              file=sys.stderr)
        return 1
