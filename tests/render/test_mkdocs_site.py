"""MkDocs hooks (generator/mkdocs_hooks.py): same site, template cache outside it, loadable by path."""

from __future__ import annotations

import filecmp
import json
from pathlib import Path

import pytest

from generator import mkdocs_hooks

from ..conftest import ROOT

PAGES = {
    "index.md": "# 首页\n\n乡村振兴与科普工作。见 [通知](notice.md)。\n",
    "notice.md": (
        "# 关于开展2024年度县级科协能力提升项目申报的通知\n\n"
        "## 申报资格\n\n各县级科协、学会、高校科协均可申报；青少年科技教育与智库建设优先。\n\n"
        '<div class="kx-lead" data-kx="x"><p>每单位限报 1 项。乡村振兴、科普、学会、智库。</p></div>\n\n'
        "## 联系人\n\n- 张三，电话 010-12345678\n- 李四（县级科协）\n"
    ),
}


def _config(tmp: Path) -> Path:
    docs = tmp / "docs"
    docs.mkdir()
    for name, text in PAGES.items():
        (docs / name).write_text(text, encoding="utf-8")
    cfg = tmp / "mkdocs.yml"
    cfg.write_text(
        "site_name: t\nsite_url: ''\ntheme:\n  name: material\n  language: zh\n  font: false\n"
        "plugins:\n  - search:\n      lang: zh\n      separator: '[\\s\\u200b\\-]'\n",
        encoding="utf-8",
    )
    return cfg


def _build(cfg: Path, site: Path, hooks: object | None) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(config_file=str(cfg), site_dir=str(site), strict=True)
    if hooks is not None:
        config.plugins["kx"] = hooks  # type: ignore[assignment]
    build(config)


INDEX = Path("search") / "search_index.json"


def _same_tree(a: Path, b: Path) -> None:
    """Same files, byte for byte, but the search index (the hooks write its configuration
    only: search is Pagefind's, generator/render/search.py)."""
    files_a = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    assert files_a == files_b
    for rel in files_a:
        if rel != INDEX:
            assert filecmp.cmp(a / rel, b / rel, shallow=False), rel


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path, Path]:
    tmp = tmp_path_factory.mktemp("mk")
    cfg = _config(tmp)
    cache = tmp / "cache"
    _build(cfg, tmp / "plain", None)
    _build(cfg, tmp / "cold", mkdocs_hooks.SiteHooks(cache))  # fills the template cache
    _build(cfg, tmp / "warm", mkdocs_hooks.SiteHooks(cache))  # reads it
    return tmp / "plain", tmp / "cold", tmp / "warm", cache


def test_hooks_build_the_same_site_byte_for_byte(sites):
    plain, cold, warm, _ = sites
    _same_tree(plain, cold)
    _same_tree(plain, warm)


def test_search_index_holds_the_configuration_and_no_page(sites):
    """Material's search box still starts from search_index.json (its worker is kx-search.js,
    which asks Pagefind); no page text goes into it."""
    plain, cold, warm, _ = sites
    alone = json.loads((plain / INDEX).read_bytes())
    assert alone["docs"]  # the plugin alone indexes the pages
    for site in (cold, warm):
        index = json.loads((site / INDEX).read_bytes())
        assert index == {"config": alone["config"], "docs": []}


def test_template_cache_is_filled_and_stays_out_of_the_site(sites):
    _, cold, _, cache = sites
    compiled = list((cache / "jinja").iterdir())
    assert len(compiled) > 10  # base.html and its partials
    names = {p.name for p in compiled}
    assert not [p for p in cold.rglob("*") if p.name in names]


def test_dirty_serve_leaves_the_index_to_the_search_plugin(tmp_path: Path):
    class Search:
        is_dirty = True

        class config:
            enabled = True

    class Config(dict):
        site_dir = str(tmp_path)

    config = Config()
    config.plugins = {mkdocs_hooks.SEARCH_PLUGIN: Search()}  # type: ignore[attr-defined]
    mkdocs_hooks.SiteHooks(tmp_path).on_post_build(config=config)
    assert Search.config.enabled
    assert not (tmp_path / "search").exists()


def test_the_module_loads_as_mkdocs_hooks_from_its_path(tmp_path: Path):
    """As in ``mkdocs serve`` given ``hooks=[<path>]``: functions, cache beside mkdocs.yml."""
    from mkdocs.config import load_config

    path = str(Path(mkdocs_hooks.__file__))
    config = load_config(config_file=str(ROOT / "mkdocs.yml"), docs_dir=str(tmp_path), hooks=[path])
    hooks = config.plugins[path]
    assert callable(hooks.on_env) and callable(hooks.on_post_build)  # type: ignore[attr-defined]
    assert "hooks:" not in (ROOT / "mkdocs.yml").read_text(encoding="utf-8")  # copies build too
