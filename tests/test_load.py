"""Loader: safe YAML with positions, every error reported with file:line and field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.errors import DataErrors
from generator.load import Loader, load, load_file

from .conftest import ROOT, TESTS

SAMPLE = TESTS / "data" / "good" / "sample-call.yaml"


def _errors(path: Path) -> list[str]:
    with pytest.raises(DataErrors) as info:
        load_file(path, ROOT)
    return [e.format() for e in info.value.errors]


def test_sample_loads():
    call = load_file(SAMPLE, ROOT)
    assert call.id == "sample-call"
    assert call.forms[0].field_ids() == ["unit", "plan", "venue"]


def test_every_error_in_a_file_is_reported_at_once(tmp_path: Path):
    text = SAMPLE.read_text(encoding="utf-8")
    text = text.replace("date: 2099-03-31", "date: 2099-02-30")
    text = text.replace("year: 2099", "yeer: 2099")
    bad = tmp_path / "sample-call.yaml"
    bad.write_text(text, encoding="utf-8")
    messages = "\n".join(_errors(bad))
    assert "deadlines[0].date（日期）" in messages
    assert "yeer: 未知字段" in messages
    assert "year（项目年度）: 缺少必填字段" in messages


def test_duplicate_keys_are_an_error(tmp_path: Path):
    bad = tmp_path / "sample-call.yaml"
    bad.write_text(SAMPLE.read_text(encoding="utf-8") + "year: 2100\n", encoding="utf-8")
    assert any("字段 year 在同一层重复出现：若这是列表的下一项" in m for m in _errors(bad))


def test_errors_across_files_and_duplicate_ids(tmp_path: Path):
    calls = tmp_path / "data" / "calls"
    calls.mkdir(parents=True)
    src = tmp_path / "tests" / "data" / "good"
    src.mkdir(parents=True)
    shutil.copy(TESTS / "data" / "good" / "sample-source.txt", src)
    shutil.copy(SAMPLE, calls / "sample-call.yaml")
    shutil.copy(SAMPLE, calls / "other.yaml")
    shutil.copy(TESTS / "data" / "bad" / "impossible-date.yaml", calls / "broken.yaml")
    with pytest.raises(DataErrors) as info:
        load(calls, tmp_path)
    text = info.value.report()
    assert "data/calls/other.yaml:2:1: id（编号）: 编号 sample-call 与文件名 other 不一致" in text
    assert "data/calls/broken.yaml:16:11: deadlines[0].date（日期）" in text
    assert "已是 sample-call 的原文" in text  # one call per source
    assert "4 处数据错误" in text


def test_non_utf8_and_bom_and_empty(tmp_path: Path):
    f = tmp_path / "x.yaml"
    f.write_bytes("title: 济宁市科学技术协会文件\n".encode("gbk"))
    assert any("不是 UTF-8" in m for m in _errors(f))
    f.write_bytes(b"\xef\xbb\xbf" + SAMPLE.read_bytes())
    assert any("BOM" in m for m in _errors(f))
    f.write_text("# only a comment\n", encoding="utf-8")
    assert any("文件为空" in m for m in _errors(f))


def test_missing_source_text_file(tmp_path: Path):
    f = tmp_path / "sample-call.yaml"
    f.write_text(
        SAMPLE.read_text(encoding="utf-8").replace("sample-source.txt", "nowhere.txt"),
        encoding="utf-8",
    )
    assert any("原文文件不存在" in m for m in _errors(f))


def test_real_data_validates(calls):
    assert len(calls) == len(list((ROOT / "data" / "calls").glob("*.yaml")))


def test_rules_run_on_the_rest_of_a_call_with_wrong_values(tmp_path: Path):
    """A wrong value does not hide the other rules' problems until the next run."""
    text = SAMPLE.read_text(encoding="utf-8")
    text = text.replace('phones: ["7256979"]', "phones: [7256979]")  # unquoted: the model rule
    text = text.replace("summary: 用于测试的示例通知。", "summary: 用于测试的示例通知。\nnotes: x")  # unknown key
    text = text.replace("min: 8, max: 10", "min: 12, max: 10")  # a call rule
    bad = tmp_path / "sample-call.yaml"
    bad.write_text(text, encoding="utf-8")
    messages = _errors(bad)
    assert any("contacts[0].phones[0]（电话）: 应为文字：YAML 把 7256979 读成了数字" in m for m in messages)
    assert any(m.startswith(f"{bad}:14:1: notes: 未知字段") for m in messages)
    assert any("categories[0].count.min（最少）: 计划数量下限 12 大于上限 10" in m for m in messages)
    assert not any("phone-in-notice" in m or "电话 " in m for m in messages)  # the dropped value
    assert len(messages) == 3


def test_a_loader_reads_again_only_changed_files_and_checks_across_all(tmp_path: Path):
    """Loading again reads only a file that changed (the others are the same objects); the
    rules across calls still see every call, and the errors are those of :func:`load`."""
    calls = tmp_path / "data" / "calls"
    calls.mkdir(parents=True)
    src = tmp_path / "tests" / "data" / "good"
    src.mkdir(parents=True)
    shutil.copy(TESTS / "data" / "good" / "sample-source.txt", src)
    shutil.copy(TESTS / "data" / "good" / "sample-source.txt", src / "other-source.txt")
    text = SAMPLE.read_text(encoding="utf-8")
    shutil.copy(SAMPLE, calls / "sample-call.yaml")
    other = calls / "other.yaml"
    other_text = text.replace("id: sample-call", "id: other", 1).replace("sample-source.txt", "other-source.txt")
    other.write_text(other_text, encoding="utf-8")
    loader = Loader(calls, tmp_path)

    first = {c.id: c for c in loader.load()}
    assert sorted(first) == ["other", "sample-call"]
    other.write_text(other_text.replace("用于测试的示例通知", "改过的示例通知"), encoding="utf-8")
    second = {c.id: c for c in loader.load()}
    assert second["sample-call"] is first["sample-call"], "an unchanged file is not read again"
    assert second["other"] is not first["other"] and second["other"].summary.startswith("改过的示例通知")

    other.write_text(other_text.replace("other-source.txt", "sample-source.txt"), encoding="utf-8")
    with pytest.raises(DataErrors) as info:
        loader.load()
    with pytest.raises(DataErrors) as whole:
        load(calls, tmp_path)
    assert info.value.report() == whole.value.report()
    assert "已是 other 的原文" in info.value.report()  # reported on the file that was not read again

    other.unlink()
    assert [c.id for c in loader.load()] == ["sample-call"]
    loader.forget()
    assert loader.load()[0] is not first["sample-call"], "forget: every file is read again"
