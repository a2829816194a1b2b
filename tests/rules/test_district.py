"""A clerk's district notice: encoded as written, and each usual slip caught at its line.

``tests/data/good/qingfeng-2020-community-museum.yaml`` encodes a district notice written
for these tests (``district-source.txt``): 全区推荐2个 through 街道/镇, a deadline
"5 月 30 日前" with no year and no issue date, a named form that is not attached, and one
contact line with two phone numbers. Every slip below would fail CI; ``check`` (the same
loader and rules) rejects it first, at its line, in Chinese.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.errors import DataErrors
from generator.load import load_file

from ..conftest import ROOT, TESTS

DISTRICT = TESTS / "data" / "good" / "qingfeng-2020-community-museum.yaml"
SHOWN = "tests/data/good/qingfeng-2020-community-museum.yaml"


def test_the_district_notice_is_encoded_as_written():
    call = load_file(DISTRICT, ROOT)
    assert call.issuer.level.value == "区"
    assert call.issued is None
    [deadline] = call.deadlines
    assert (deadline.date, deadline.month, deadline.day) == (None, 5, 30)
    area, per_town = call.eligibility.limits
    assert (area.max_count, area.scope.value, area.role.value) == (2, "整个地区", "推荐")
    assert (per_town.max_count, [a.value for a in per_town.applicants]) == (1, ["街道/乡镇"])
    assert [(s.by, s.to, s.action.value) for s in call.submission.route] == [
        ("申报单位", "街道/镇", "申报"), ("街道/镇", "区科协", "推荐"),
    ]
    [form] = call.attachments
    assert (form.kind.value, form.in_source, form.obtain) == ("form", False, "申报表到区科协科普部领取")
    assert call.forms == []
    assert call.contacts[0].phones == ["0571-88123456", "13800001234"]


#: (what the clerk did, text replaced, replacement, the exact message ``check`` prints).
SLIPS = [
    (
        "phone number without quotes",
        '["0571-88123456", "13800001234"]', '["0571-88123456", 13800001234]',
        f"{SHOWN}:64:31: contacts[0].phones[1]（电话）: 应为文字：YAML 把 13800001234 读成了数字，"
        '请加英文引号写成 "13800001234"（电话、编号、年份等都要加引号；以 0 开头的号码照原文写在引号内）'
        " / Input should be a valid string",
    ),
    (
        "a field of a list item indented one space too far",
        "    text: 请各街道", "     text: 请各街道",
        f"{SHOWN}:22:10: （整个文件 whole file）: YAML 格式错误：此处不能出现“键: 值”：可能是这一行比同一项的"
        "其他字段多了或少了空格（缩进不一致），或文字中含有“: ”（冒号加空格），这时请给整段文字加引号"
        " / YAML syntax error: mapping values are not allowed in this context",
    ),
    (
        "the deadline left null although the notice gives 5 月 30 日",
        "    month: 5\n    day: 30\n", "",
        f"{SHOWN}:19:5: deadlines[0].date（日期）: "
        "原文“请各街道、镇于 5 月 30 日前将推荐材料纸质版一式两份报送区科协科普部”写明了 5月30日，"
        "日期却为空：年份能确定时写 date，不能确定时写 month: 5 和 day: 30（网站照原文显示，"
        "并注明年份未载明） / the text gives 5月30日 but no date is encoded; write date, or month: 5 and "
        "day: 30 when the year is unknown",
    ),
    (
        "a year guessed for the deadline without an issue date",
        "    date: null\n    month: 5\n    day: 30\n", "    date: 2020-05-30\n    year_inferred: true\n",
        f"{SHOWN}:20:5: deadlines[0].year_inferred（年份推定）: 原文没有发文日期，无法推定截止日期的年份："
        "请删去 date 和 year_inferred，改写 month: 5 和 day: 30（网站照原文显示月日，并注明年份未载明）"
        " / the year cannot be inferred without an issue date; write month and day instead of date",
    ),
    (
        "a phone number typed with one digit wrong",
        '"13800001234"]', '"13800001243"]',
        f"{SHOWN}:64:31: contacts[0].phones[1]（电话）: 电话 13800001243 在原文中找不到：请照原文逐字抄写"
        "（含区号、连字符、分机号），一行写有几个号码时分成几项 / phone 13800001243 is not in the notice; "
        "copy it as written",
    ),
    (
        "the quoted title changed by one character",
        "title: 青峰区科学技术协会关于开展2020年社区微型科普馆推荐工作的通知",
        "title: 青峰区科学技术协会关于开展2020年社区微型科普馆申报工作的通知",
        f"{SHOWN}:6:1: title（通知标题）: 这段摘自原文的文字在原文中找不到："
        "“青峰区科学技术协会关于开展2020年社区微型科普馆申报工作的…”，"
        "从“申报工作的通知”处起与原文不同（此前的“…年社区微型科普馆”与原文一致）。"
        "请从原文文件复制原话（空格、全角半角、引号样式不影响比对）；若是自己概括的话，应写在说明类字段中"
        " / quoted text not found in the notice: '青峰区科学技术协会关于开展2020年社区微型科普馆申报工作的…'; "
        "copy the notice's words",
    ),
    (
        "镇 instead of 乡镇 as the level",
        "  level: 区", "  level: 镇",
        f"{SHOWN}:11:3: issuer.level（层级）: 不是允许的取值 '镇'，请从以下取值中选择：省、市、县、区、乡镇、高校"
        " / Input should be '省', '市', '县', '区', '乡镇' or '高校'",
    ),
]


@pytest.mark.parametrize(("what", "old", "new", "expected"), SLIPS, ids=[s[0] for s in SLIPS])
def test_check_catches_the_clerks_slip_at_its_line(
    what: str, old: str, new: str, expected: str, tmp_path: Path
):
    text = DISTRICT.read_text(encoding="utf-8")
    assert old in text, what
    folder = tmp_path / "tests" / "data" / "good"  # the same relative paths as in the repository
    folder.mkdir(parents=True)
    shutil.copy(TESTS / "data" / "good" / "district-source.txt", folder)
    bad = folder / DISTRICT.name
    bad.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataErrors) as info:
        load_file(bad, tmp_path)
    assert expected in [e.format() for e in info.value.errors]
