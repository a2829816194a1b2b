"""Network discipline over the whole site: every page loads with no request to another host,
no script error, and every link on it that stays on the site leads somewhere."""

from __future__ import annotations

from urllib.parse import urldefrag, urlsplit

from .support import is_local


def _pages(site_dir) -> list[str]:
    """URL paths of every HTML page of the site, 404 page excluded."""
    out = []
    for index in sorted(site_dir.rglob("index.html")):
        rel = index.parent.relative_to(site_dir).as_posix()
        out.append("" if rel == "." else f"{rel}/")
    return out


def test_every_page_stays_on_this_machine(open_page, site_dir):
    pages = _pages(site_dir)
    assert len(pages) > 5, f"the site has only {pages}"
    page = open_page()
    links: set[str] = set()
    for path in pages:
        response = page.goto(path)
        assert response is not None and response.ok, f"{path}: {response and response.status}"
        hrefs = page.locator("a[href]").evaluate_all("els => els.map(e => e.href)")
        links.update(urldefrag(h).url for h in hrefs if is_local(h))
    # Anything external the pages asked for fails this test at teardown; say so here too.
    assert not page.recorder.external, page.recorder.external
    broken = []
    for url in sorted(links):
        if urlsplit(url).scheme not in ("http", "https"):
            continue
        response = page.request.get(url)
        if not response.ok:
            broken.append(f"{response.status} {url}")
    assert not broken, "站内链接失效 / broken links:\n" + "\n".join(broken)
