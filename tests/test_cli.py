"""Command line: exit codes and messages without tracebacks."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from .conftest import ROOT, TESTS


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
