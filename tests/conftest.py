"""Shared fixtures: repository paths, the built site, golden files (--update-golden)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
#: The build date used by tests, so deadline status and countdowns are stable.
TODAY = dt.date(2026, 11, 26)


def make_sample_repo(repo: Path) -> Path:
    """Fill ``repo`` with the site sources and only the sample call; returns its data file."""
    shutil.copy(ROOT / "mkdocs.yml", repo / "mkdocs.yml")
    for name in ("docs", "overrides"):
        shutil.copytree(ROOT / name, repo / name)
    (repo / "data" / "calls").mkdir(parents=True)
    shutil.copy(TESTS / "data" / "good" / "sample-call.yaml", repo / "data" / "calls")
    (repo / "tests" / "data" / "good").mkdir(parents=True)
    shutil.copy(TESTS / "data" / "good" / "sample-source.txt", repo / "tests" / "data" / "good")
    return repo / "data" / "calls" / "sample-call.yaml"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite golden files under tests/golden/ from the current output",
    )


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture
def golden(request: pytest.FixtureRequest):
    """Compare text with ``tests/golden/<name>``; rewrite it with --update-golden."""
    update = request.config.getoption("--update-golden")

    def check(name: str, actual: str) -> None:
        path = TESTS / "golden" / name
        if update or not path.exists():
            if not update:
                pytest.fail(f"golden file {path} is missing; run pytest --update-golden")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(actual, encoding="utf-8")
            return
        expected = path.read_text(encoding="utf-8")
        assert actual == expected, f"output differs from {path}; run pytest --update-golden if intended"

    return check


@pytest.fixture(scope="session")
def calls():
    """The real calls in data/calls, validated."""
    from generator.load import load

    return load(ROOT / "data" / "calls", ROOT)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole site built once from the repository's data (into a temp folder)."""
    from generator.pipeline import build

    out = tmp_path_factory.mktemp("site") / "site"
    build(ROOT, out, today=TODAY)
    return out
