"""MkDocs hooks: a faster build in less memory; Material's search box without its index.

* **Template bytecode cache**: the theme's Jinja templates (Material's ``base.html`` and its
  partials, ``overrides/``) are compiled once and kept in ``<cache>/jinja``; later builds load
  the compiled code instead of parsing and compiling about 40 templates again.
  Jinja keys each entry by template name and a hash of its source, so an edited template is
  compiled afresh. The cache is outside ``docs_dir``, so it is never published.
* **Search**: the site is searched with Pagefind (:mod:`generator.render.search` indexes the
  built pages in chunks the browser fetches as a query needs them). The Material search
  plugin stays for its search box; it indexes no page (no jieba segmentation of every page)
  and writes a ``search_index.json`` that holds only its configuration.
* **Memory**: a page's Markdown source is dropped once converted, its HTML body once the
  page is written.

:mod:`generator.render.mkdocs_site` registers a :class:`SiteHooks` with the build's cache
folder. The module also works as an MkDocs hooks file given by path, e.g.
``mkdocs_serve(..., hooks=[<this file>])`` (the cache then goes to ``.cache/`` next to
mkdocs.yml). mkdocs.yml itself does not list it: copies of mkdocs.yml in other folders
(synthetic benchmark repositories, the Zensical check, preview tests) must still load.
The module imports only MkDocs, Material and Jinja, so MkDocs can load it from its path.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.plugins import event_priority

from generator.cache import jinja_bytecode_cache

#: Plugin name of the Material search plugin in ``config.plugins``.
SEARCH_PLUGIN = "material/search"


class SiteHooks:
    """The hooks; ``cache_dir`` None means ``.cache`` next to ``mkdocs.yml``."""

    def __init__(self, cache_dir: Path | None = None) -> None:
        self.cache_dir = cache_dir

    # ------------------------------------------------------------------ templates

    def _cache_root(self, config: Any) -> Path:
        if self.cache_dir is not None:
            return self.cache_dir
        return Path(config.config_file_path).resolve().parent / ".cache"

    def on_env(self, env: jinja2.Environment, *, config: Any, files: Any) -> jinja2.Environment:
        """Give the theme's Jinja environment a bytecode cache on disk (entries checked on
        reading, see :func:`generator.cache.jinja_bytecode_cache`)."""
        env.bytecode_cache = jinja_bytecode_cache(self._cache_root(config))
        return env

    # ------------------------------------------------------------------ search

    @event_priority(-100)  # after the search plugin's own on_config created its index
    def on_config(self, config: Any) -> None:
        """The search plugin indexes no page: search is Pagefind's (see the module docstring)."""
        search = config.plugins.get(SEARCH_PLUGIN)
        index = getattr(search, "search_index", None)
        if index is not None:
            index.add_entry_from_context = _index_nothing
        return None

    # ------------------------------------------------------------------ memory

    @event_priority(-100)  # after every other plugin saw the page
    def on_page_content(self, html: str, *, page: Any, config: Any, files: Any) -> str:
        """Drop the page's Markdown source once it is converted to HTML.

        MkDocs converts every page before it writes the first one, so otherwise the source of
        every page is held until the end (about as large as the HTML: the staged pages are
        mostly HTML). The title was taken from the HTML already. ``markdown`` becomes an
        empty string, not None: MkDocs reads None as "not read yet" and would drop the title.
        """
        page.markdown = ""
        return html

    @event_priority(-100)  # after every other plugin saw the page
    def on_post_page(self, output: str, *, page: Any, config: Any) -> str:
        """Drop the page's HTML body once its file is rendered and indexed.

        MkDocs writes the output right after this event; later pages need only this page's
        title, URL and table of contents (navigation), and the anchor check after the pages
        reads the anchors collected while converting.
        """
        page.content = ""
        return output

    @event_priority(100)  # before the search plugin writes its index
    def on_post_build(self, *, config: Any) -> None:
        """Write ``search/search_index.json`` with the search configuration and no documents.

        Material's search box reads it to start its worker (overrides/assets/javascripts/
        workers/kx-search.js, which asks Pagefind) and to mark the words of a hit on the
        page opened from it (``?h=``). Left to the search plugin with ``mkdocs serve --dirty``.
        """
        search = config.plugins.get(SEARCH_PLUGIN)
        if search is None or not search.config.enabled or getattr(search, "is_dirty", True):
            return
        index = search.search_index
        data = {
            "config": {key: index.config[key] for key in ["lang", "separator", "pipeline", "fields"]},
            "docs": [],
        }
        path = Path(config.site_dir) / "search" / "search_index.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, separators=(",", ":"), ensure_ascii=False), encoding="utf-8")
        # The plugin's own on_post_build (next) must not write it again.
        search.config.enabled = False


def _index_nothing(page: Any) -> None:
    """The search plugin's ``add_entry_from_context``, indexing nothing."""
    return None


_HOOKS = SiteHooks()
on_config = _HOOKS.on_config
on_env = _HOOKS.on_env
on_page_content = _HOOKS.on_page_content
on_post_page = _HOOKS.on_post_page
on_post_build = _HOOKS.on_post_build
