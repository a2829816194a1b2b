"""Tasks: build the site, preview it, run the tests, lint, benchmark.

Each session installs what it needs: Python packages from pyproject.toml, and the
Debian packages (CJK fonts, LibreOffice, Chromium) through scripts/install-system-deps.sh.
"""

from __future__ import annotations

import nox

nox.options.sessions = ["build", "tests", "lint"]
nox.options.reuse_venv = "yes"
nox.options.error_on_missing_interpreters = True

SYSTEM_DEPS = "scripts/install-system-deps.sh"


def _system(session: nox.Session, *groups: str) -> None:
    session.run("bash", SYSTEM_DEPS, *groups, external=True)


@nox.session
def check(session: nox.Session) -> None:
    """Validate the data only: every problem as file:line:col with a Chinese and English message."""
    session.install("-e", ".")
    session.run("python", "-m", "generator", "check")


def _npm(session: nox.Session) -> None:
    """package-lock.json: fflate (copied into the site for 在线填写) and axe-core (tests)."""
    session.run("npm", "ci", "--no-audit", "--no-fund", external=True)


@nox.session
def build(session: nox.Session) -> None:
    """Validate the data and build the site into site/."""
    _system(session, "fonts", "node")
    _npm(session)
    session.install("-e", ".")
    session.run("python", "-m", "generator", "build", *session.posargs)


@nox.session
def serve(session: nox.Session) -> None:
    """Preview at http://127.0.0.1:8000; saving a data file refreshes the browser."""
    _system(session, "fonts", "node")
    _npm(session)
    session.install("-e", ".")
    session.run("python", "-m", "generator", "serve", *session.posargs)


@nox.session
def tests(session: nox.Session) -> None:
    """Run the whole test suite (data, renderers, site, browser)."""
    _system(session, "fonts", "libreoffice", "browser", "tools", "node")
    session.install("-e", ".[test]")
    _npm(session)
    session.run("pytest", *session.posargs)


@nox.session(default=False)
def render(session: nox.Session) -> None:
    """Render one shard of the calls into the build cache (CI job matrix):
    nox -s render -- --shard I/N --export DIR; the build then takes --cache-from DIR."""
    _system(session, "fonts")
    session.install("-e", ".")
    session.run("python", "-m", "generator", "render", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """Check style and types (ruff, mypy)."""
    session.install("-e", ".[lint]")
    session.run("ruff", "check", "generator", "tests", "bench", "noxfile.py")
    session.run("mypy")


@nox.session(default=False)
def bench(session: nox.Session) -> None:
    """Measure build and form rendering times; write bench/results.md."""
    _system(session, "fonts", "libreoffice", "tools", "node")
    _npm(session)
    session.install("-e", ".[test]")
    session.run("python", "-m", "bench", *session.posargs)
