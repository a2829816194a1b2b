"""The model rule's messages: what a clerk reads for the usual YAML slips."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import DataErrors
from generator.load import load_file
from generator.rules.yaml_syntax import syntax_message

from ..conftest import TESTS

SAMPLE = TESTS / "data" / "good" / "sample-call.yaml"


def _messages(tmp_path: Path, old: str, new: str) -> list[str]:
    repo = tmp_path
    (repo / "tests" / "data" / "good").mkdir(parents=True)
    (repo / "tests" / "data" / "good" / "sample-source.txt").write_bytes(
        (TESTS / "data" / "good" / "sample-source.txt").read_bytes()
    )
    text = SAMPLE.read_text(encoding="utf-8")
    assert old in text
    path = repo / "sample-call.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataErrors) as info:
        load_file(path, repo)
    return [f"{e.path}: {e.zh}" for e in info.value.errors]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("label: 申报截止", "label: 2099-03-31",
         'deadlines[0].label: 应为文字：YAML 把 2099-03-31 读成了日期，请加英文引号写成 "2099-03-31"'),
        ('options: [是, 否]', "options: [yes, no]",
         'forms[0].blocks[0].rows[2][1].parts[1].options[0]: 应为文字：YAML 把 yes 读成了是/否（true/false），'
         '请加英文引号写成 "yes"'),
        ("short_title: 示例项目", "short_title: 2099",
         'short_title: 应为文字：YAML 把 2099 读成了数字，请加英文引号写成 "2099"'),
    ],
    ids=["date", "yes-no", "number"],
)
def test_a_value_yaml_reads_as_another_kind_says_add_quotes(tmp_path, old, new, expected):
    assert any(m.startswith(expected) for m in _messages(tmp_path, old, new))


def test_a_key_of_a_list_item_moved_out_of_it_says_check_the_indentation(tmp_path):
    """``text:`` of a deadline dedented to the top level is a top-level key that does not exist."""
    messages = _messages(tmp_path, "    text: 于2099年3月31日前报送", "text: 于2099年3月31日前报送")
    assert (
        "text: 未知字段：text 不属于这一层。若它属于上面的列表项或上级字段，请检查缩进，使它与同一项的其他字段上下对齐"
        in messages
    )


def test_a_misspelt_key_names_the_nearest_field(tmp_path):
    messages = _messages(tmp_path, "    department: 学会部", "    departmnet: 学会部")
    assert "contacts[0].departmnet: 未知字段（可能拼写错误），是否应为 department？请改正字段名" in messages


def test_a_wrong_choice_lists_the_allowed_values_in_chinese(tmp_path):
    messages = _messages(tmp_path, "methods: [email]", "methods: [mail]")
    assert any(m.startswith("submission.methods[0]: 不是允许的取值 'mail'，请从以下取值中选择：email、post、in_person")
               for m in messages)


@pytest.mark.parametrize(
    ("problem", "says"),
    [
        ("mapping values are not allowed here", "缩进不一致"),
        ("did not find expected '-' indicator", "各项的 - 要上下对齐"),
        ("could not find expected ':'", "缺少冒号"),
        ("found unexpected end of stream", "引号或括号没有配对"),
        ("something new", "请检查该行及上一行的缩进、冒号和引号"),
    ],
)
def test_yaml_syntax_problems_are_explained_in_chinese(problem, says):
    assert says in syntax_message(problem)


def test_a_list_item_without_its_dash_says_add_one(tmp_path):
    messages = _messages(tmp_path, "    text: 于2099年3月31日前报送\n",
                         "    text: 于2099年3月31日前报送\n    label: 第二批\n")
    says = "deadlines[0].label: 字段 label 在同一层重复出现：若这是列表的下一项，请在这一项的第一行前加“- ”"
    assert any(m.startswith(says) for m in messages)
