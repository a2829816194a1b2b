"""Run MkDocs (Material) over the staging docs folder. The only code that imports mkdocs
(with :mod:`generator.mkdocs_hooks`, the hooks it registers)."""

from __future__ import annotations

import logging

from ..context import BuildContext
from ..errors import BuildError


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def render(ctx: BuildContext) -> None:
    """Build the HTML site from ``ctx.docs_dir`` into ``ctx.site_dir`` (strict: warnings fail)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    from ..mkdocs_hooks import SiteHooks

    handler = _Collect()
    mk_log = logging.getLogger("mkdocs")
    mk_log.addHandler(handler)
    try:
        cfg = load_config(
            config_file=str(ctx.root / "mkdocs.yml"),
            docs_dir=str(ctx.docs_dir),
            site_dir=str(ctx.site_dir),
            strict=True,
        )
        # generator/mkdocs_hooks.py, with this build's cache folder: a plugin in all but
        # name (MkDocs registers its on_* methods, as for a hooks module).
        cfg.plugins["generator.mkdocs_hooks"] = SiteHooks(ctx.cache_dir)  # type: ignore[assignment]
        build(cfg)
    except (MkDocsException, SystemExit) as exc:
        detail = "\n".join(handler.messages) or str(exc)
        raise BuildError(f"MkDocs 生成失败 / MkDocs build failed:\n{detail}") from None
    finally:
        mk_log.removeHandler(handler)
