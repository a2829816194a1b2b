"""CI files: GitHub Actions and GitLab CI only call the nox sessions; deploy needs the checks."""

from __future__ import annotations

import ast
import json
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from .conftest import ROOT, TESTS

GITHUB = ROOT / ".github" / "workflows" / "site.yml"
GITLAB = ROOT / ".gitlab-ci.yml"
MATCHER = ROOT / ".github" / "data-errors.json"
#: Sessions a push to the default branch must pass before the site is deployed.
PUBLISH_SESSIONS = ["check", "lint", "tests", "build"]


def _nox_sessions() -> set[str]:
    """Session names defined in noxfile.py (functions decorated with @nox.session)."""
    tree = ast.parse((ROOT / "noxfile.py").read_text(encoding="utf-8"))
    names = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            for deco in node.decorator_list:
                target = deco.func if isinstance(deco, ast.Call) else deco
                if ast.unparse(target) == "nox.session":
                    names.add(node.name)
    return names


def _sessions_in(command: str) -> list[str]:
    """The sessions of a ``nox … -s a b c [-- args]`` command, in order."""
    words = shlex.split(command)
    assert words[0] == "nox", command
    out: list[str] = []
    collecting = False
    for word in words[1:]:
        if word == "--":
            break
        if word in ("-s", "--session", "--sessions"):
            collecting = True
        elif word.startswith("-"):
            collecting = False
        elif collecting:
            out.append(word)
    return out


def _allowed(command: str) -> bool:
    """Only nox, installing nox, and registering the problem matcher: no logic in CI files."""
    return (
        command.startswith("nox ")
        or command == "pip install nox"
        or command.startswith('echo "::add-matcher::')
    )


@pytest.fixture(scope="module")
def github() -> dict[Any, Any]:
    return yaml.safe_load(GITHUB.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def gitlab() -> dict[str, Any]:
    return yaml.safe_load(GITLAB.read_text(encoding="utf-8"))


def _github_runs(workflow: dict[Any, Any]) -> list[str]:
    return [s["run"] for job in workflow["jobs"].values() for s in job["steps"] if "run" in s]


def _gitlab_scripts(config: dict[str, Any]) -> list[str]:
    lines = list(config.get("default", {}).get("before_script", []))
    for value in config.values():
        if isinstance(value, dict) and "script" in value:
            lines.extend(value["script"])
    return lines


def test_github_runs_only_nox_sessions_that_exist(github):
    runs = _github_runs(github)
    assert all(_allowed(r) for r in runs), runs
    sessions = [s for r in runs if r.startswith("nox ") for s in _sessions_in(r)]
    assert sessions == PUBLISH_SESSIONS
    assert set(sessions) <= _nox_sessions()


def test_github_triggers_and_deploy(github):
    triggers = github.get("on", github.get(True))  # YAML 1.1 reads a bare `on` as true
    assert triggers["push"]["branches"] == ["main"]
    assert "pull_request" in triggers
    build, deploy = github["jobs"]["build"], github["jobs"]["deploy"]
    uses = {s.get("uses", "").split("@")[0]: s for s in build["steps"]}
    pages = uses["actions/upload-pages-artifact"]
    assert pages["with"]["path"] == "site/" and "pull_request" in pages["if"]
    artifact = uses["actions/upload-artifact"]
    assert artifact["if"] == "github.event_name == 'pull_request'"
    assert artifact["with"]["path"] == "site/"
    assert deploy["needs"] == "build"
    assert "refs/heads/main" in deploy["if"] and "pull_request" in deploy["if"]
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
    assert github["permissions"]["pages"] == "write"
    assert github["permissions"]["id-token"] == "write"


def test_github_build_knows_the_site_address(github):
    (step,) = [s for s in github["jobs"]["build"]["steps"] if s.get("run", "").startswith("nox ")]
    assert "steps.pages.outputs.base_url" in step["env"]["SITE_URL"]
    ids = [s.get("id") for s in github["jobs"]["build"]["steps"]]
    assert ids.index("pages") < [s.get("run") for s in github["jobs"]["build"]["steps"]].index(
        step["run"]
    )


def test_gitlab_runs_only_nox_sessions_that_exist(gitlab):
    scripts = _gitlab_scripts(gitlab)
    assert all(_allowed(s) for s in scripts), scripts
    sessions = {s for line in scripts if line.startswith("nox ") for s in _sessions_in(line)}
    assert sessions == set(PUBLISH_SESSIONS)
    assert sessions <= _nox_sessions()


def test_gitlab_pages_publishes_public_after_the_checks(gitlab):
    pages = gitlab["pages"]
    assert pages["needs"] == ["checks"]
    assert pages["artifacts"]["paths"] == ["public"]
    (script,) = pages["script"]
    assert _sessions_in(script) == ["build"] and script.endswith("-- --out public")
    assert pages["variables"]["SITE_URL"].startswith("$CI_PAGES_URL")
    assert pages["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]
    checks = _sessions_in(gitlab["checks"]["script"][0])
    assert checks == ["check", "lint", "tests"]
    assert gitlab["site"]["artifacts"]["paths"] == ["site/"]


def test_problem_matcher_matches_the_loaders_messages(tmp_path: Path):
    """A data error in CI becomes an annotation on the file and line."""
    calls = tmp_path / "data" / "calls"
    calls.mkdir(parents=True)
    bad = TESTS / "data" / "bad" / "impossible-date.yaml"
    (calls / "sample-call.yaml").write_text(bad.read_text(encoding="utf-8"), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(tmp_path), "check"],
        capture_output=True, text=True, encoding="utf-8", check=False,
    )
    assert result.returncode == 1
    (matcher,) = json.loads(MATCHER.read_text(encoding="utf-8"))["problemMatcher"]
    (pattern,) = matcher["pattern"]
    hits = [m for ln in result.stderr.splitlines() if (m := re.match(pattern["regexp"], ln))]
    assert hits, result.stderr
    file, line = hits[0].group(pattern["file"]), hits[0].group(pattern["line"])
    assert file == "data/calls/sample-call.yaml" and int(line) > 0


def test_ci_keeps_the_build_cache_whole(github, gitlab):
    """CI keeps ``.cache/`` as one folder: no list of cache folder names to keep in step."""
    steps = {s.get("uses", "").split("@")[0]: s for s in github["jobs"]["build"]["steps"]}
    restore = steps["actions/cache"]
    assert restore["with"]["path"].split() == [".cache/"]
    assert restore["with"]["restore-keys"] == "build-"
    assert gitlab["cache"]["paths"] == [".cache/"]
    for text in (GITHUB.read_text(encoding="utf-8"), GITLAB.read_text(encoding="utf-8")):
        named = set(re.findall(r"\.cache/([\w-]+)", text)) - {"pip"}  # PIP_CACHE_DIR lives inside
        assert not named, f"cache folders named in a CI file: {named}"
