"""What a reader's browser fetches for a first search: measured in Chromium, not estimated.

The built site is served on 127.0.0.1; a fresh browser opens the home page, types a typical
query into the search box and waits for the results. Every search file it requested (the
search configuration, the worker, Pagefind's script, entry, metadata and WebAssembly, the
index chunks and filters the query needed, the fragments of the results it shows) is
counted: bytes on disk and bytes on the wire (a server compresses the script and JSON files
with gzip; Pagefind's own files are compressed already and sent as they are). The worst of
:data:`QUERIES` is reported, with the whole Pagefind folder for comparison.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

#: Typical first queries: a word on nearly every call page, and a longer phrase.
QUERIES = ("科普", "乡村振兴", "县级科协")
#: Debian's Chromium (as the browser tests use).
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
#: Files that are search data (site paths): the configuration, the worker, Pagefind's files.
SEARCH_FILES = ("search/", "pagefind/", "assets/javascripts/workers/")
#: Sent as they are (Pagefind compresses them itself).
PRECOMPRESSED = (".pf_fragment", ".pf_index", ".pf_meta", ".pf_filter", ".pagefind")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def _wire(path: Path) -> int:
    data = path.read_bytes()
    return len(data) if path.name.endswith(PRECOMPRESSED) else len(gzip.compress(data, 6))


def _fetched(site: Path, query: str, browser) -> list[str]:
    """Site paths of the search files the browser requested for ``query``."""
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    base = f"http://{host}:{port}/"
    context = browser.new_context()
    seen: list[str] = []
    context.on("request", lambda r: seen.append(r.url))
    try:
        page = context.new_page()
        page.goto(base)
        page.wait_for_function("() => { const m = document.querySelector('.md-search-result__meta');"
                               " return m && !m.textContent.includes('初始化'); }")
        box = page.locator("input.md-search__input")
        box.click()
        box.fill(query)
        box.press("End")
        page.wait_for_function("() => document.querySelector('.md-search-result__item') ||"
                               " /没有/.test(document.querySelector('.md-search-result__meta').textContent)",
                               timeout=60_000)
        page.wait_for_load_state("networkidle")
    finally:
        context.close()
        server.shutdown()
        server.server_close()
    paths = []
    for url in seen:
        rel = unquote(urlsplit(url).path).lstrip("/")
        if rel.startswith(SEARCH_FILES) and rel not in paths:
            paths.append(rel)
    return paths


def first_search(site: Path) -> dict[str, float]:
    """Bytes the browser fetches for the first search (worst of :data:`QUERIES`) and the
    size of the whole Pagefind folder."""
    from playwright.sync_api import sync_playwright

    folder = [p for p in (site / "pagefind").rglob("*") if p.is_file()] if (site / "pagefind").is_dir() else []
    out: dict[str, float] = {
        "files": len(folder), "raw": sum(p.stat().st_size for p in folder),
        "gzip": sum(_wire(p) for p in folder),
        "first_raw": 0, "first_gzip": 0, "first_files": 0, "query": "",
    }
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for query in QUERIES:
                paths = [site / rel for rel in _fetched(site, query, browser)]
                paths = [p for p in paths if p.is_file()]
                wire = sum(_wire(p) for p in paths)
                if wire > out["first_gzip"]:
                    out.update(first_raw=sum(p.stat().st_size for p in paths), first_gzip=wire,
                               first_files=len(paths), query=query)  # type: ignore[arg-type]
        finally:
            browser.close()
    return out


if __name__ == "__main__":  # python -m bench.search <site>: measure one built site
    import json
    import sys

    print(json.dumps(first_search(Path(sys.argv[1])), ensure_ascii=False, indent=1))
