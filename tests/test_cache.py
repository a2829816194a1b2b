"""The content-hash cache: keys that keep their parts apart, atomic entries, lookups."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import cache


def test_digest_keeps_parts_apart():
    assert cache.digest("ab", "c") != cache.digest("a", "bc")
    assert cache.digest("x") == cache.digest(b"x")
    assert cache.digest("x") != cache.digest("x", "")


def test_code_digest_covers_the_whole_package_and_its_libraries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    pkg = tmp_path / "pkg"
    (pkg / "templates" / "pages").mkdir(parents=True)
    (pkg / "render").mkdir()
    (pkg / "a.py").write_text("import jinja2\n", encoding="utf-8")
    (pkg / "render" / "b.py").write_text("B = 1\n", encoding="utf-8")
    (pkg / "templates" / "pages" / "t.j2").write_text("{{ x }}", encoding="utf-8")
    monkeypatch.setattr(cache, "PACKAGE", pkg)
    cache.code_digest.cache_clear()
    try:
        before = cache.code_digest()
        # any file of the package, not just those a hand-kept list names
        for path, text in ((pkg / "render" / "b.py", "B = 2\n"),
                           (pkg / "templates" / "pages" / "t.j2", "{{ y }}"),
                           (pkg / "new.py", "")):
            path.write_text(text, encoding="utf-8")
            cache.code_digest.cache_clear()
            after = cache.code_digest()
            assert after != before, path
            before = after
        # the versions of the libraries the package calls
        real = cache._installed

        class OtherJinja:
            version = "0.0-other"
            requires = None

        monkeypatch.setattr(cache, "_installed",
                            lambda name: OtherJinja() if name.lower() == "jinja2" else real(name))
        cache.code_digest.cache_clear()
        assert cache.code_digest() != before
    finally:
        cache.code_digest.cache_clear()


def test_library_versions_follow_the_requirements_all_the_way_down(tmp_path: Path):
    names = {v.split("==")[0] for v in cache.library_versions([])}
    # WeasyPrint's own libraries shape a PDF as much as WeasyPrint does
    assert {"weasyprint", "pydyf", "fonttools", "python-docx", "jinja2", "markupsafe"} <= names
    assert "kexie-calls" not in names and "pytest" not in names  # test extras are not called
    code = tmp_path / "m.py"
    code.write_text("import pydyf\nfrom jinja2 import Environment\nfrom . import sibling\nimport os\n",
                    encoding="utf-8")
    names = {v.split("==")[0] for v in cache.library_versions([code], distribution="no-such-dist")}
    assert names == {"pydyf", "jinja2", "markupsafe"}, "imports not yet in the installed metadata count"


def test_store_fetch_renders_once(tmp_path: Path):
    store = cache.Store(tmp_path, "kind")
    made: list[int] = []

    def make() -> bytes:
        made.append(1)
        return b"output"

    assert store.fetch("k", make) == b"output"
    assert store.fetch("k", make) == b"output"
    assert len(made) == 1
    assert (store.hits, store.misses) == (1, 1)
    assert (tmp_path / "kind" / "k").read_bytes().endswith(b"output")
    assert not [p for p in (tmp_path / "kind").iterdir() if p.name != "k"], "temporary file left"


def test_store_split_and_disabled(tmp_path: Path):
    store = cache.Store(tmp_path, "kind")
    store.put("a", b"1")
    found, missing = store.split(["a", "b"])
    assert found == {"a": b"1"}
    assert missing == ["b"]
    off = cache.Store(tmp_path, "kind", enabled=False)
    assert off.get("a") is None
    assert off.fetch("a", lambda: b"2") == b"2"
    assert store.get("a") == b"2", "a disabled store still refreshes its entries"


def test_atomic_write_replaces_whole_file(tmp_path: Path):
    target = tmp_path / "deep" / "file.bin"
    cache.atomic_write(target, b"first")
    cache.atomic_write(target, b"second")
    assert target.read_bytes() == b"second"
    assert [p.name for p in target.parent.iterdir()] == ["file.bin"]


def test_prune_removes_only_entries_unused_for_long(tmp_path: Path):
    import os
    import time

    store = cache.Store(tmp_path, "pages")
    store.put("old", b"1")
    store.put("used", b"2")
    store.put("new", b"3")
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    (fonts / "prepared.otf").write_bytes(b"font")
    long_ago = time.time() - 30 * 86400
    for path in (tmp_path / "pages" / "old", tmp_path / "pages" / "used", fonts / "prepared.otf"):
        os.utime(path, (long_ago, long_ago))
    assert store.get("used") == b"2"  # a hit counts as a use
    assert cache.prune(tmp_path, ["pages", *cache.SHARED]) == 1
    assert sorted(p.name for p in (tmp_path / "pages").iterdir()) == ["new", "used"]
    assert (fonts / "prepared.otf").is_file(), "fonts prepared once per machine are kept"
    assert cache.prune(tmp_path, ["pages"], now=time.time() + 30 * 86400) == 2
