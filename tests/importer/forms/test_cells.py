import pytest

from generator.importer.forms.cells import Ids, inline_parts, make_cell, word_limit
from generator.models import Cell


@pytest.mark.parametrize(("text", "limit"), [("（200字以内）", 200), ("不超过500字", 500), ("限800字", 800),
                                            ("说明", None)])
def test_word_limits(text, limit):
    assert word_limit(text) == limit


def cell(lines, **kw):
    data = make_cell(lines, Ids(), **kw)
    Cell.model_validate(data)
    return data


def test_label_blank_hint_sign():
    assert cell(["申报单位"]) == {"text": "申报单位"}
    assert cell(["", "\u3000"]) == {"input": {"id": "field-1"}}
    assert cell(["（主要包括基本情况，200字以内）"]) == {"input": {
        "id": "field-1", "hint": "（主要包括基本情况，200字以内）", "word_limit": 200, "lines": 6, "kind": "multiline"}}
    assert cell(["单位公章", "年   月   日"], colspan=5) == {
        "sign": {"lines": ["单位公章", "年   月   日"], "space": 2}, "colspan": 5}
    assert cell(["申报单位", "意见"], rowspan=2) == {"text": "申报单位\n意见", "rowspan": 2}


def test_placeholder_of_a_content_control_is_an_answer_area():
    assert cell(["5"], placeholder=True) == {"input": {"id": "field-1", "hint": "5"}}


@pytest.mark.parametrize(("line", "lead", "options", "box"), [
    ("是□  否□", None, ["是", "否"], "after"),
    ("☐正常\u3000☐一般", None, ["正常", "一般"], "before"),
    ("是否有活动阵地☐是\u3000☐否", "是否有活动阵地", ["是", "否"], "before"),
    ("人大常委是☐\u3000否☐", "人大常委", ["是", "否"], "after"),
    ("A类（\u3000）\u3000B类（ ）", None, ["A类", "B类"], "paren"),
])
def test_options(line, lead, options, box):
    parts = inline_parts([line], Ids())
    choice = next(p for p in parts if isinstance(p, dict))
    assert choice["options"] == options and choice["box"] == box
    assert (parts[0] if isinstance(parts[0], str) else None) == lead


def test_quoted_box_in_an_instruction_is_text():
    assert inline_parts(["选择性的内容请在“□”内打“√”。"], Ids()) is None


def test_blanks_in_running_text():
    parts = inline_parts(["1.学会支部成立时间______，支部书记____。"], Ids())
    assert parts == ["1.学会支部成立时间", {"blank": "blank-1", "width": 3}, "，支部书记",
                     {"blank": "blank-2", "width": 2}, "。"]
