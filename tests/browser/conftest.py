"""Browser fixtures: the built site on a local server, Debian's Chromium, recorded pages.

One server and one browser per test session; every test gets fresh browser contexts,
each with a :class:`~tests.browser.support.RequestRecorder` that blocks requests to other
hosts. A test whose pages made such a request, raised a script error or met a broken
local link fails at teardown with the list of what happened.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from .support import CHROMIUM, CHROMIUM_ARGS, DESKTOP, PHONE, RequestRecorder, serve


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every browser test is ``slow`` (it still runs in ``nox -s tests``)."""
    for item in items:
        if "tests/browser/" in item.nodeid.replace("\\", "/"):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def site_dir(request: pytest.FixtureRequest) -> Path:
    """The site under test: built once from the repository's data (``built_site``).

    ``KX_SITE=<folder>`` tests an already built site instead, e.g. ``site/`` while
    working on the pages; its build date may differ from ``tests.conftest.TODAY``.
    """
    given = os.environ.get("KX_SITE")
    if given:
        path = Path(given).resolve()
        if not (path / "index.html").exists():
            pytest.fail(f"KX_SITE={given} is not a built site (no index.html)")
        return path
    return request.getfixturevalue("built_site")


@pytest.fixture(scope="session")
def site_url(site_dir: Path) -> Iterator[str]:
    """Base URL (ending in ``/``) of the site under test, served on 127.0.0.1."""
    with serve(site_dir) as url:
        yield url


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """Debian's Chromium (``scripts/install-system-deps.sh browser``), headless.

    ``KX_CHROMIUM`` may name another Chromium binary. A missing browser fails the
    tests rather than skipping them: the suite must really drive a browser.
    """
    executable = Path(os.environ.get("KX_CHROMIUM", CHROMIUM))
    if not executable.exists():
        pytest.fail(
            f"未找到 Chromium / Chromium not found at {executable}: run `bash scripts/install-system-deps.sh browser`"
        )
    browser = playwright.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS, headless=True)
    yield browser
    browser.close()


OpenPage = Callable[..., Page]


@pytest.fixture
def open_page(browser: Browser, site_url: str) -> Iterator[OpenPage]:
    """Factory of pages in fresh contexts, each with its own request recorder.

    Call it as ``open_page(width=390, height=844, mobile=True, color_scheme="dark",
    javascript=False)``; relative URLs in ``page.goto`` resolve against the site.
    The recorder of a page is ``page.recorder``. At teardown the test fails when any
    page requested another host, raised a script error or got a 4xx/5xx locally.
    """
    opened: list[tuple[BrowserContext, RequestRecorder]] = []

    def factory(
        width: int = DESKTOP["width"],
        height: int = DESKTOP["height"],
        *,
        mobile: bool = False,
        color_scheme: str = "light",
        javascript: bool = True,
    ) -> Page:
        context = browser.new_context(
            base_url=site_url,
            viewport={"width": width, "height": height},
            device_scale_factor=2 if mobile else 1,
            is_mobile=mobile,
            has_touch=mobile,
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
            color_scheme=color_scheme,
            java_script_enabled=javascript,
            service_workers="block",
            accept_downloads=True,
        )
        context.set_default_timeout(15_000)
        recorder = RequestRecorder()
        recorder.attach(context)
        opened.append((context, recorder))
        page = context.new_page()
        page.recorder = recorder  # type: ignore[attr-defined]
        return page

    yield factory
    problems: list[str] = []
    for context, recorder in opened:
        problems += recorder.problems()
        context.close()
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


@pytest.fixture
def page(open_page: OpenPage) -> Page:
    """A desktop page (1280×800)."""
    return open_page()


@pytest.fixture
def phone_page(open_page: OpenPage) -> Page:
    """A phone page (390×844, touch, mobile viewport)."""
    return open_page(PHONE["width"], PHONE["height"], mobile=True)
