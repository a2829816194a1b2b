"""``new-call <id>``: the template lists every field, and passes ``check`` once filled in."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel

from generator.errors import DataErrors
from generator.load import load
from generator.models import Call
from generator.rules.completeness import WRITTEN_OUT
from generator.scaffold import MODELINE, ScaffoldError, scaffold_text, write_scaffold

from .conftest import ROOT

DAY = dt.date(2026, 11, 26)

#: The minimal values a publisher must fill in (the template's written-out fields), in order.
FILL = [
    ("title", "关于申报2099年度示例项目的通知"),
    ("short_title", "示例项目"),
    ("year", "2099"),
    ("name", "示例市科学技术协会"),
    ("level", "市"),
    ("summary", "用于测试的示例通知。"),
    ("label", "申报截止"),
    ("id", "academic"),
    ("name", "学术交流"),
    ("id", "office"),
]
#: A notice that says what FILL quotes (the quotes are checked against it).
SOURCE = "关于申报2099年度示例项目的通知\n示例市科学技术协会\n一、学术交流\n网址：https://example.org/\n"
def _models(cls: type[BaseModel], seen: set[type[BaseModel]]) -> None:
    """Every model reachable from ``cls``."""
    if cls in seen:
        return
    seen.add(cls)
    for info in cls.model_fields.values():
        for sub in _reachable(info.annotation):
            _models(sub, seen)


def _reachable(ann: Any) -> list[type[BaseModel]]:
    if isinstance(ann, type) and issubclass(ann, BaseModel):
        return [ann]
    out: list[type[BaseModel]] = []
    for arg in getattr(ann, "__args__", ()) or ():
        out.extend(_reachable(arg))
    for meta in getattr(ann, "__metadata__", ()) or ():
        out.extend(_reachable(meta) if isinstance(meta, type) else [])
    origin = getattr(ann, "__origin__", None)
    if origin is not None and origin is not ann:
        out.extend(_reachable(origin))
    return out


def _fill(text: str) -> str:
    """Fill each empty written-out field once, in order, as a publisher would in an editor."""
    for key, value in FILL:
        text, n = re.subn(rf"(?m)^(\s*(?:- )?){key}:(?=  #|$)", rf"\g<1>{key}: {value}", text, count=1)
        assert n == 1, f"the template has no empty field {key} left"
    return text


def _repo(tmp_path: Path, call_id: str) -> Path:
    (tmp_path / "data" / "sources").mkdir(parents=True)
    (tmp_path / "data" / "sources" / f"{call_id}.txt").write_text(SOURCE, encoding="utf-8")
    return tmp_path


def test_template_starts_with_the_schema_modeline():
    text = scaffold_text("demo-2099", DAY)
    assert text.splitlines()[0] == MODELINE
    assert (ROOT / "data" / "calls" / MODELINE.split("=", 1)[1]).resolve() == (
        ROOT / "schema" / "call.schema.json"
    )


def test_template_names_every_field_of_every_model_with_its_title():
    text = scaffold_text("demo-2099", DAY)
    models: set[type[BaseModel]] = set()
    _models(Call, models)
    assert len(models) > 20
    for cls in models:
        for name, info in cls.model_fields.items():
            assert re.search(rf"(?m)^[\s#-]*{name}:", text), f"{cls.__name__}.{name} missing"
            if info.title:
                assert f"# {info.title}" in text, f"{cls.__name__}.{name}: title {info.title}"


def test_required_fields_are_written_out_and_optional_ones_commented():
    data = yaml.safe_load(scaffold_text("demo-2099", DAY))
    required = {n for n, i in Call.model_fields.items() if i.is_required()}
    assert set(data) == required | set(WRITTEN_OUT)
    assert data["id"] == "demo-2099"
    assert data["source"] == {"text_file": "data/sources/demo-2099.txt"}
    assert data["last_modified"] == DAY
    assert data["title"] is None, "facts of the notice are never pre-filled"


def test_filled_template_passes_check(tmp_path: Path):
    repo = _repo(tmp_path, "demo-2099")
    path = write_scaffold(repo, "demo-2099", DAY)
    path.write_text(_fill(path.read_text(encoding="utf-8")), encoding="utf-8")
    (call,) = load(repo / "data" / "calls", repo)
    assert call.id == "demo-2099"
    assert call.deadlines[0].date is None  # left empty: 原文未载明, not invented
    assert call.issued is None


def test_unfilled_template_fails_check_with_line_numbers(tmp_path: Path):
    repo = _repo(tmp_path, "demo-2099")
    write_scaffold(repo, "demo-2099", DAY)
    with pytest.raises(DataErrors) as exc:
        load(repo / "data" / "calls", repo)
    report = exc.value.report()
    for field in ("title（通知标题）", "short_title（简称）", "deadlines[0].label（名称）"):
        assert re.search(rf"data/calls/demo-2099\.yaml:\d+:\d+: {re.escape(field)}", report), field


def test_uncommented_optional_block_is_valid_once_its_required_fields_are_filled(tmp_path: Path):
    """Removing one '# ' from each line of the links block gives a valid structure."""
    repo = _repo(tmp_path, "demo-2099")
    path = write_scaffold(repo, "demo-2099", DAY)
    lines = _fill(path.read_text(encoding="utf-8")).splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith("# links:"))
    end = start + 1
    while lines[end].startswith("#   "):
        end += 1
    block = [ln[2:] for ln in lines[start:end]]
    block = [re.sub(r"^(\s*(?:- )?)title:", r"\1title: 项目网站", ln) for ln in block]
    block = [re.sub(r"^(\s*)url:", r"\1url: https://example.org/", ln) for ln in block]
    path.write_text("\n".join([*lines[:start], *block, *lines[end:]]) + "\n", encoding="utf-8")
    (call,) = load(repo / "data" / "calls", repo)
    assert [link.url for link in call.links] == ["https://example.org/"]


def test_comments_are_flat_and_list_markers_sit_on_required_keys():
    """No comment inside a comment; each item's dash is on a required key (or a model's first
    key when it has none), so no commented optional key hides the dash."""
    text = scaffold_text("demo-2099", DAY)
    models: set[type[BaseModel]] = set()
    _models(Call, models)
    no_required = {
        next(iter(cls.model_fields)) for cls in models
        if not any(i.is_required() for i in cls.model_fields.values())
    }
    dashes = 0
    for ln in text.splitlines():
        code = ln.lstrip(" ")
        if code.startswith("# "):
            code = code[2:].lstrip(" ")
        assert not code.startswith("#"), f"nested comment: {ln}"
        m = re.match(r"- (\w+):", code)
        if m:
            dashes += 1
            assert "（必填）" in ln or "可选的一种" in ln or m.group(1) in no_required, ln
    assert dashes > 10
    lines = text.splitlines()
    limits = next(i for i, ln in enumerate(lines) if ln.lstrip().startswith("# limits:"))
    assert lines[limits + 1].lstrip().startswith("#   - text:  # 原文（必填）")


def test_every_field_says_whether_it_is_quoted_or_own_words():
    text = scaffold_text("demo-2099", DAY)
    assert "title:  # 通知标题（必填）；【原文摘录】" in text
    assert "summary:  # 摘要（必填）；【自行填写】" in text
    assert "# region:  # 地区；【原文摘录】" in text
    for ln in text.splitlines():
        m = re.match(r"^[\s#-]*(\w+):[^#]*  # (.*)$", ln)
        if m and "；列表" not in m.group(2) and "【" not in m.group(2):
            # only a block (a model or a list of models) has no mark of its own
            assert re.match(r"^[\s#-]*\w+:\s*$", ln.rsplit("  # ", 1)[0]), ln


def test_never_overwrites(tmp_path: Path):
    path = write_scaffold(tmp_path, "demo-2099", DAY)
    path.write_text("id: demo-2099\n", encoding="utf-8")
    with pytest.raises(ScaffoldError, match="已存在"):
        write_scaffold(tmp_path, "demo-2099", DAY)
    assert path.read_text(encoding="utf-8") == "id: demo-2099\n"


@pytest.mark.parametrize("bad", ["Demo", "demo_2099", "-demo", "../etc", "a" * 81])
def test_rejects_bad_ids(tmp_path: Path, bad: str):
    with pytest.raises(ScaffoldError, match="格式不符"):
        write_scaffold(tmp_path, bad, DAY)
    assert not (tmp_path / "data").exists() or not any((tmp_path / "data").rglob("*.yaml"))


def test_cli_new_call(tmp_path: Path):
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "generator", "--root", str(tmp_path), "new-call", *args],
            capture_output=True, text=True, encoding="utf-8", check=False,
        )

    first = run("demo-2099")
    assert first.returncode == 0, first.stderr
    assert "data/calls/demo-2099.yaml" in first.stdout
    assert (tmp_path / "data" / "calls" / "demo-2099.yaml").is_file()
    again = run("demo-2099")
    assert again.returncode == 1
    assert "已存在" in again.stderr and "Traceback" not in again.stderr
