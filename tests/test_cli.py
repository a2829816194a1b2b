"""Command line: exit codes and messages without tracebacks."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, TESTS, make_sample_repo


def _run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd, capture_output=True, text=True, encoding="utf-8", check=False,
    )


def test_check_passes_on_repository_data():
    result = _run("check")
    assert result.returncode == 0, result.stderr
    assert "数据检查通过" in result.stdout


def test_check_fails_clearly_on_bad_file(tmp_path: Path):
    calls = tmp_path / "data" / "calls"
    calls.mkdir(parents=True)
    shutil.copy(TESTS / "data" / "bad" / "impossible-date.yaml", calls / "sample-call.yaml")
    result = _run("--root", str(tmp_path), "check")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "data/calls/sample-call.yaml:16:11: deadlines[0].date（日期）" in result.stderr
    assert "未生成网站" in result.stderr


BAD = sorted((TESTS / "data" / "bad").glob("*.yaml"))


@pytest.fixture(scope="module")
def built_sample_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A repository holding only the sample call, with its site already built."""
    from generator.cli import main

    root = tmp_path_factory.mktemp("repo")
    make_sample_repo(root)
    assert main(["--root", str(root), "build", "--today", "2099-03-10"]) == 0
    return root


def _snapshot(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("bad", BAD, ids=[p.stem for p in BAD])
def test_bad_file_fails_build_and_keeps_site(bad: Path, built_sample_root: Path, capsys):
    """Each broken file: exit 1, its file:line message, no traceback, old site untouched."""
    from generator.cli import main

    root = built_sample_root
    site = root / "site"
    before = _snapshot(site)
    target = root / "data" / "calls" / bad.name
    shutil.copy(bad, target)
    source = bad.with_suffix(".txt")  # a fixture's own notice text, when it has one
    copied = root / "tests" / "data" / "bad" / source.name
    copied.parent.mkdir(parents=True, exist_ok=True)
    if source.exists():
        shutil.copy(source, copied)
    try:
        code = main(["--root", str(root), "build"])
    finally:
        target.unlink()
        copied.unlink(missing_ok=True)
    err = capsys.readouterr().err
    expected = bad.with_suffix(".expected").read_text(encoding="utf-8").strip()
    expected = expected.replace(f"tests/data/bad/{bad.name}", f"data/calls/{bad.name}")
    assert code == 1
    assert expected in err
    assert "Traceback" not in err
    assert _snapshot(site) == before


def test_build_no_search_skips_the_index(monkeypatch, capsys):
    """``build --no-search`` asks the pipeline to leave the search step out."""
    from generator import cli, pipeline

    seen: dict = {}

    def fake_build(root, out, **kwargs):
        seen.update(kwargs)
        return pipeline.BuildReport(calls=[], timings={"total": 0.0}, site_dir=out)

    monkeypatch.setattr(pipeline, "build", fake_build)
    assert cli.main(["build", "--no-search", "--out", "x-site"]) == 0
    assert tuple(seen["skip"]) == ("search",)
    assert cli.main(["build", "--out", "x-site"]) == 0
    assert tuple(seen["skip"]) == ()
