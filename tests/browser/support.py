"""Plain helpers for the browser tests: local server, network recorder, axe, screenshots.

Kept free of fixtures so each piece can be tested on its own (see ``test_harness.py``).
"""

from __future__ import annotations

import functools
import http.server
import itertools
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, Page, Request, Route

ROOT = Path(__file__).resolve().parents[2]
#: Screenshots and other artifacts a run leaves for people to look at (git-ignored).
ARTIFACTS = ROOT / "tests" / "artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
#: axe-core, installed from package-lock.json by ``npm ci`` (the nox tests session runs it).
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
#: Hosts the site may talk to: only the local test server.
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
#: Schemes that never leave the browser.
LOCAL_SCHEMES = frozenset({"data", "blob", "about", "chrome-extension", "devtools"})
#: Debian's Chromium, driven by Playwright (Playwright never downloads a browser here).
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
#: Widths of the screenshots: an office PC and a phone (iPhone 12-15 class, 390×844).
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


# --------------------------------------------------------------------------- local server


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the built site; no log lines on stderr, no caching surprises."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` over HTTP on 127.0.0.1 with a free port, in a thread.

    Parameters:
        directory: The built site.

    Returns:
        (yields) The base URL, ending in ``/``.
    """
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host}:{port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# --------------------------------------------------------------------------- network discipline


def is_local(url: str) -> bool:
    """True when ``url`` stays on this machine (the test server, data: or blob: URLs)."""
    parts = urlsplit(url)
    if parts.scheme in LOCAL_SCHEMES:
        return True
    return (parts.hostname or "") in LOCAL_HOSTS


@dataclass
class RequestRecorder:
    """Records every request of a browser context; blocks and flags any to another host.

    Also records script errors and local responses with an error status (a broken
    asset or link), which a reader would meet as a half-working page.
    """

    requests: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)

    def attach(self, context: BrowserContext) -> None:
        """Start recording ``context``: every request, and every page it opens."""
        context.route("**/*", self._route)
        context.on("request", self._on_request)
        context.on("response", self._on_response)
        context.on("page", self.attach_page)
        for page in context.pages:
            self.attach_page(page)

    def attach_page(self, page: Page) -> None:
        page.on("pageerror", lambda exc: self.errors.append(f"{page.url}: {exc}"))
        page.on("websocket", lambda ws: self._note(ws.url))

    def _note(self, url: str) -> None:
        if not is_local(url) and url not in self.external:
            self.external.append(url)

    def _on_request(self, request: Request) -> None:
        self.requests.append(request.url)
        self._note(request.url)

    def _on_response(self, response) -> None:
        if response.status >= 400 and is_local(response.url):
            self.broken.append(f"{response.status} {response.url}")

    def _route(self, route: Route) -> None:
        url = route.request.url
        if is_local(url):
            route.continue_()
        else:
            self._note(url)
            route.abort("blockedbyclient")

    def problems(self) -> list[str]:
        """Every recorded problem, one line each (empty when the page behaved)."""
        out = [f"请求了外部主机 / request to an external host: {u}" for u in self.external]
        out += [f"脚本错误 / script error: {e}" for e in self.errors]
        out += [f"本地资源返回错误 / local request failed: {b}" for b in self.broken]
        return out

    def clear(self) -> None:
        self.requests.clear()
        self.external.clear()
        self.errors.clear()
        self.broken.clear()


# --------------------------------------------------------------------------- accessibility


#: axe impacts that fail a test.
FAILING_IMPACTS = ("serious", "critical")


def run_axe(page: Page, *, exclude: list[str] | None = None) -> list[dict]:
    """Inject axe-core into ``page`` and return its violations.

    Parameters:
        page: A loaded page.
        exclude: CSS selectors axe should not look at.

    Returns:
        axe's ``violations`` (dicts with id, impact, help, nodes…).

    Raises:
        FileNotFoundError: axe-core is not installed (run ``npm ci``).
    """
    if not AXE_JS.exists():
        raise FileNotFoundError(f"{AXE_JS} is missing: run `npm ci` in {ROOT}")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(content=AXE_JS.read_text(encoding="utf-8"))
    context = {"exclude": [[s] for s in exclude]} if exclude else None
    result = page.evaluate(
        """async (context) => axe.run(context || document, {resultTypes: ['violations']})""",
        context,
    )
    return result["violations"]


def failing(violations: list[dict]) -> list[dict]:
    """The violations whose impact is serious or critical."""
    return [v for v in violations if v.get("impact") in FAILING_IMPACTS]


def describe(violations: list[dict]) -> str:
    """One readable paragraph per violation: rule, impact, help and the first elements."""
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v.get('helpUrl', '')})")
        for node in v["nodes"][:5]:
            lines.append(f"    {' '.join(map(str, node['target']))}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"      {summary[:300]}")
        if len(v["nodes"]) > 5:
            lines.append(f"    … and {len(v['nodes']) - 5} more")
    return "\n".join(lines)


_HEADINGS_JS = """() => Array.from(document.querySelectorAll('h1,h2,h3,h4,h5,h6'))
    .filter(h => !h.closest('[hidden], .md-search, template'))
    .map(h => [Number(h.tagName[1]), h.textContent.trim().replace(/\\s+/g, ' ')])"""


def headings(page: Page) -> list[tuple[int, str]]:
    """The page's headings in document order as ``(level, text)``."""
    return [(int(level), text) for level, text in page.evaluate(_HEADINGS_JS)]


def heading_problems(outline: list[tuple[int, str]]) -> list[str]:
    """Problems in a heading outline: no h1 first, more than one h1, or a skipped level.

    Parameters:
        outline: ``(level, text)`` pairs in document order.

    Returns:
        One message per problem (empty when the outline is in order).
    """
    if not outline:
        return ["页面没有标题 / the page has no heading"]
    out = []
    if outline[0][0] != 1:
        out.append(f"第一个标题不是 h1 / first heading is h{outline[0][0]}: {outline[0][1]!r}")
    h1s = [t for level, t in outline if level == 1]
    if len(h1s) > 1:
        out.append(f"有 {len(h1s)} 个 h1 / more than one h1: {h1s}")
    for (prev, _), (level, text) in itertools.pairwise(outline):
        if level > prev + 1:
            out.append(f"标题跳级 / heading skips from h{prev} to h{level}: {text!r}")
    return out


# --------------------------------------------------------------------------- downloads

_SIZE = re.compile(r"(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|字节|K|M)\b", re.IGNORECASE)
_UNITS = {"b": 1, "字节": 1, "k": 1024, "kb": 1024, "m": 1024**2, "mb": 1024**2, "gb": 1024**3}


def stated_size(text: str) -> float | None:
    """The file size a link's text states (``下载 DOCX（24 KB）`` → 24576.0), in bytes."""
    m = _SIZE.search(text)
    if not m:
        return None
    return float(m.group(1)) * _UNITS[m.group(2).lower()]


def size_matches(stated: float, actual: int) -> bool:
    """True when a stated, rounded size agrees with the real one (±10 % or one unit step)."""
    return abs(stated - actual) <= max(0.1 * actual, 1024)


#: What the first bytes of each download format must be.
MAGIC = {
    "docx": b"PK\x03\x04",
    "zip": b"PK\x03\x04",
    "pdf": b"%PDF-",
    "fillable": b"%PDF-",
    "guide": b"%PDF-",
}
#: Extension of the file name offered for each format.
EXTENSION = {"docx": ".docx", "zip": ".zip", "pdf": ".pdf", "fillable": ".pdf", "guide": ".pdf"}
#: Word a link's text must use to say its format.
FORMAT_WORD = {"docx": "DOCX", "zip": "ZIP", "pdf": "PDF", "fillable": "PDF", "guide": "PDF"}


# --------------------------------------------------------------------------- screenshots


def save_screenshot(page: Page, name: str) -> Path:
    """Save a full-page screenshot as ``tests/artifacts/screenshots/<name>.png``.

    Parameters:
        page: The page, already loaded.
        name: File stem, e.g. ``home-390``.

    Returns:
        The path written.
    """
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True, animations="disabled")
    return path
