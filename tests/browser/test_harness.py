"""The test harness itself: server, network recorder, axe and the outline checks can fail."""

from __future__ import annotations

import pytest

from .support import (
    failing,
    heading_problems,
    is_local,
    run_axe,
    size_matches,
    stated_size,
)


def test_site_is_served_locally(page, site_url):
    response = page.goto("")
    assert response is not None and response.ok
    assert site_url.startswith("http://127.0.0.1:")
    assert "科协申报指南" in page.title()
    assert page.recorder.requests, "the recorder saw no request"
    assert all(is_local(u) for u in page.recorder.requests)


@pytest.mark.parametrize(
    ("url", "local"),
    [
        ("http://127.0.0.1:8123/calls/", True),
        ("http://localhost/x.js", True),
        ("http://[::1]:8000/", True),
        ("data:image/png;base64,AAAA", True),
        ("https://example.com/x.png", False),
        ("https://fonts.googleapis.com/css?family=Noto", False),
        ("http://127.0.0.1.example.com/", False),
        ("http://10.0.0.1/", False),
    ],
)
def test_is_local(url, local):
    assert is_local(url) is local


def test_recorder_flags_and_blocks_external_requests(page, site_url):
    """A page that asks another host for anything is caught, and nothing leaves the machine."""
    html = (
        "<!doctype html><html lang='zh'><head><title>外部请求</title>"
        "<script src='https://cdn.example.net/lib.js'></script></head>"
        "<body><h1>外部请求</h1><img alt='x' src='https://example.com/x.png'></body></html>"
    )
    page.route(
        f"{site_url}__synthetic__/",
        lambda route: route.fulfill(status=200, content_type="text/html", body=html),
    )
    page.goto("__synthetic__/")
    recorder = page.recorder
    assert "https://example.com/x.png" in recorder.external
    assert "https://cdn.example.net/lib.js" in recorder.external
    assert page.evaluate("() => document.querySelector('img').naturalWidth") == 0
    assert any("example.com" in p for p in recorder.problems())
    recorder.clear()  # the test proved the recorder works; do not fail its teardown


def test_recorder_flags_script_errors_and_broken_links(page, site_url):
    page.route(
        f"{site_url}__synthetic__/",
        lambda route: route.fulfill(
            status=200,
            content_type="text/html",
            body="<!doctype html><title>t</title><script>null.boom()</script><img alt='' src='/no-such-file.png'>",
        ),
    )
    page.goto("__synthetic__/")
    page.wait_for_load_state("load")
    problems = page.recorder.problems()
    assert any("script error" in p for p in problems), problems
    assert any("404" in p and "no-such-file.png" in p for p in problems), problems
    page.recorder.clear()


def test_axe_reports_serious_violations(page, site_url):
    """axe-core runs in the page and fails on a missing alt text and a missing lang."""
    page.route(
        f"{site_url}__synthetic__/",
        lambda route: route.fulfill(
            status=200,
            content_type="text/html",
            body="<!doctype html><html><head><title>t</title></head><body><main><h1>t</h1>"
            "<img src='data:image/gif;base64,R0lGODlhAQABAAAAACw='></main></body></html>",
        ),
    )
    page.goto("__synthetic__/")
    ids = {v["id"] for v in failing(run_axe(page))}
    assert {"image-alt", "html-has-lang"} <= ids


def test_axe_passes_a_clean_page(page, site_url):
    page.route(
        f"{site_url}__synthetic__/",
        lambda route: route.fulfill(
            status=200,
            content_type="text/html",
            body="<!doctype html><html lang='zh-CN'><head><title>好</title></head>"
            "<body><main><h1>好</h1><p>内容</p></main></body></html>",
        ),
    )
    page.goto("__synthetic__/")
    assert failing(run_axe(page)) == []


def test_heading_problems():
    assert heading_problems([(1, "a"), (2, "b"), (3, "c"), (2, "d")]) == []
    assert heading_problems([(1, "a"), (3, "c")]) != []
    assert heading_problems([(2, "a")]) != []
    assert heading_problems([(1, "a"), (1, "b")]) != []
    assert heading_problems([]) != []


def test_stated_size():
    assert stated_size("下载 DOCX（24 KB）") == 24 * 1024
    assert stated_size("下载 PDF（1.5 MB）") == 1.5 * 1024**2
    assert stated_size("下载 PDF") is None
    assert size_matches(24 * 1024, 24 * 1024 + 300)
    assert not size_matches(24 * 1024, 240 * 1024)
