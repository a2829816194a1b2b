"""Rendering in shards (generator/shard.py): N shard processes on N "machines" (each its
own checkout and cache), then one build assembles the site from their exported cache
entries without rendering anything again, byte for byte the site a plain build makes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.errors import BuildError
from generator.load import load
from generator.pipeline import build
from generator.shard import EXPORTED_KINDS, Shard, merge_into

from .conftest import ROOT, TODAY, make_sample_repo


def test_parse():
    assert Shard.parse("2/4") == Shard(2, 4)
    for bad in ("0/4", "5/4", "2", "a/b", "1/0", "-1/2"):
        with pytest.raises(BuildError, match="I/N"):
            Shard.parse(bad)


def test_shards_split_the_calls_evenly(calls):
    for count in (1, 2, 3, len(calls) + 1):
        shares = [Shard(i, count).calls(calls) for i in range(1, count + 1)]
        ids = [call.id for share in shares for call in share]
        assert sorted(ids) == sorted(call.id for call in calls)  # each call once
        sizes = [len(share) for share in shares]
        assert max(sizes) - min(sizes) <= 1


def _repo(path: Path) -> Path:
    """The sample repository with three calls."""
    path.mkdir(parents=True)
    sample = make_sample_repo(path)
    text = sample.read_text(encoding="utf-8")
    good = path / "tests" / "data" / "good"
    for n in (2, 3):
        shutil.copy(good / "sample-source.txt", good / f"sample-source-{n}.txt")  # one notice, one call
        (sample.parent / f"sample-{n}.yaml").write_text(
            text.replace("id: sample-call", f"id: sample-{n}", 1)
            .replace("short_title: 示例项目", f"short_title: 示例项目{n}", 1)
            .replace("sample-source.txt", f"sample-source-{n}.txt", 1),
            encoding="utf-8",
        )
    return path


def _entries(cache_dir: Path) -> dict[str, set[str]]:
    return {kind: {p.name for p in (cache_dir / kind).glob("*") if p.is_file()}
            for kind in EXPORTED_KINDS}


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def test_shards_then_assemble_renders_nothing_and_equals_a_plain_build(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "4081536000")  # 2099-05-01, for every process
    count = 2
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    machines = [_repo(tmp_path / f"machine-{i}") for i in range(1, count + 1)]
    exports = [tmp_path / f"export-{i}" for i in range(1, count + 1)]
    shards = [
        subprocess.Popen(
            [sys.executable, "-m", "generator", "--root", str(machine), "render",
             "--shard", f"{i}/{count}", "--today", TODAY.isoformat(), "--jobs", "1",
             "--export", str(export)],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for i, (machine, export) in enumerate(zip(machines, exports, strict=True), start=1)
    ]
    for shard in shards:
        out, err = shard.communicate(timeout=600)
        assert shard.returncode == 0, err
        assert "shard" in out
    assert not list(tmp_path.glob("machine-*/build/shard-docs-*")), "staging folders removed"

    # Each shard exported only its own calls' entries: the two shares do not overlap.
    shared = [_entries(export) for export in exports]
    assert all(shared[0][kind].isdisjoint(shared[1][kind]) for kind in ("docx", "pages"))

    # The assembling job: its own checkout, the shards' entries as its cache.
    assemble = _repo(tmp_path / "assemble")
    added = sum(merge_into(assemble / ".cache", export) for export in exports)
    assert merge_into(assemble / ".cache", exports[0]) == 0, "entries already there are kept"
    before = _entries(assemble / ".cache")
    # each call's guideline and 原文, and its parts of the pages listing every call (2 in
    # the finder, a card on the home page and one on the list)
    assert len(before["pages"]) == 6 * len(load(assemble / "data" / "calls", assemble))
    assert added == sum(len(names) for names in before.values())
    build(assemble, today=TODAY)
    after = _entries(assemble / ".cache")
    assert after == before, "the assembling build rendered something again"
    assert not (assemble / ".cache" / "fonts").exists(), "no PDF rendered: no font prepared"

    plain = _repo(tmp_path / "plain")
    build(plain, today=TODAY)
    assert _files(assemble / "site") == _files(plain / "site")
