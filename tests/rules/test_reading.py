"""Reading files: links out of the repository, missing files and size limits, made on the fly."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.errors import DataError, DataErrors
from generator.load import load_file
from generator.rules.reading import MAX_FILE_BYTES, read_text

from ..conftest import TESTS

SAMPLE = TESTS / "data" / "good" / "sample-call.yaml"


def _repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    (repo / "data" / "calls").mkdir(parents=True)
    (repo / "data" / "sources").mkdir(parents=True)
    text = SAMPLE.read_text(encoding="utf-8").replace(
        "tests/data/good/sample-source.txt", "data/sources/sample-call.txt"
    )
    (repo / "data" / "calls" / "sample-call.yaml").write_text(text, encoding="utf-8")
    shutil.copy(TESTS / "data" / "good" / "sample-source.txt", repo / "data" / "sources" / "sample-call.txt")
    return repo


def _errors(repo: Path) -> list[DataError]:
    with pytest.raises(DataErrors) as info:
        load_file(repo / "data" / "calls" / "sample-call.yaml", repo)
    return info.value.errors


def test_the_sample_repository_loads(tmp_path: Path):
    repo = _repo(tmp_path)
    assert load_file(repo / "data" / "calls" / "sample-call.yaml", repo).id == "sample-call"


def test_a_source_linked_from_outside_the_repository_is_refused(tmp_path: Path):
    repo = _repo(tmp_path)
    outside = tmp_path / "secret.txt"
    outside.write_text("不在仓库中", encoding="utf-8")
    src = repo / "data" / "sources" / "sample-call.txt"
    src.unlink()
    src.symlink_to(outside)
    [err] = _errors(repo)
    assert err.rule == "file-outside-repo"
    assert err.format() == (
        "data/calls/sample-call.yaml:62:3: source.text_file（原文文件）: "
        f"原文文件 sample-call.txt 指向仓库以外（{outside}），"
        f"请把文件本身放进仓库 / sample-call.txt resolves outside the repository ({outside}); "
        "put the file itself in the repository"
    )


def test_a_data_file_linked_to_nowhere_cannot_be_read(tmp_path: Path):
    repo = _repo(tmp_path)
    data = repo / "data" / "calls" / "sample-call.yaml"
    data.unlink()
    data.symlink_to(tmp_path / "gone.yaml")
    [err] = _errors(repo)
    assert err.format() == (
        "data/calls/sample-call.yaml: （整个文件 whole file）: 无法读取文件 / cannot read sample-call.yaml"
    )
    assert err.rule == "file-unreadable"


def test_a_too_large_source_is_refused_before_reading(tmp_path: Path):
    repo = _repo(tmp_path)
    src = repo / "data" / "sources" / "sample-call.txt"
    with src.open("ab") as fh:
        fh.truncate(MAX_FILE_BYTES + 1024)
    [err] = _errors(repo)
    assert err.rule == "file-too-large"
    assert err.format() == (
        "data/calls/sample-call.yaml:62:3: source.text_file（原文文件）: 原文文件过大（2049 KB，上限 2048 KB），"
        "请检查是否放错了文件 / file of 2049 KB, larger than 2048 KB"
    )


def test_a_too_large_data_file_is_refused(tmp_path: Path):
    repo = _repo(tmp_path)
    data = repo / "data" / "calls" / "sample-call.yaml"
    with data.open("a", encoding="utf-8") as fh:
        fh.write("# " + "x" * MAX_FILE_BYTES + "\n")
    [err] = _errors(repo)
    assert err.rule == "file-too-large"
    assert err.format().startswith("data/calls/sample-call.yaml: （整个文件 whole file）: 文件过大（2049 KB")


def test_read_text_reads_utf8(tmp_path: Path):
    f = tmp_path / "a.txt"
    f.write_text("通知原文\n", encoding="utf-8")
    assert read_text(f, tmp_path) == "通知原文\n"
