import datetime as dt

import yaml

from generator.importer.draft import render_yaml, set_at, validated
from generator.importer.findings import Findings

SOURCE = "关于申报的通知\n济宁市科学技术协会\n2022年11月8日\n请于11月30日前发送。\n"


def draft() -> dict:
    return {
        "id": "x", "title": "关于申报的通知", "short_title": "简称", "year": 2022,
        "issuer": {"name": "济宁市科学技术协会", "level": "市"}, "doc_no": None,
        "issued": dt.date(2022, 11, 8), "summary": "待核对：摘要。",
        "deadlines": [{"label": "申报截止", "date": dt.date(2022, 11, 30), "year_inferred": True,
                       "text": "请于11月30日前发送"}],
        "eligibility": {}, "submission": {}, "source": {"text_file": "data/sources/x.txt"},
        "last_modified": dt.date(2026, 12, 1),
    }


def test_a_value_not_in_the_source_is_removed_and_reported():
    data = draft()
    data["audience"] = ["各市级学会", "原文没有的单位"]
    findings = Findings()
    call = validated(data, SOURCE + "各市级学会：\n", findings)
    assert call.audience == ["各市级学会"]
    assert findings.items[0].status == "ambiguous" and "原文没有的单位" in findings.items[0].note


def test_yaml_has_comments_above_their_key_and_loads_back():
    data = draft()
    findings = Findings()
    findings.found("title", "通知标题", data["title"], 1)
    findings.missing("doc_no", "文号", "未找到")
    findings.ambiguous("deadlines[0].date", "截止日期", "2022-11-30", 4, "年份推定")
    text = render_yaml(data, findings, "x", ["notice.docx"])
    lines = text.splitlines()
    assert lines[0].startswith("# yaml-language-server")
    assert lines[lines.index("title: 关于申报的通知") - 1] == "# 来源 通知标题：第 1 行"
    assert lines[lines.index("doc_no: null") - 1] == "# 待核对 文号：原文中未找到，未找到"
    assert "# 待核对 截止日期：第 4 行，年份推定" in lines
    assert yaml.safe_load(text)["deadlines"][0]["date"] == dt.date(2022, 11, 30)


def test_set_at_follows_model_paths():
    data = {"forms": [{"blocks": [{"rows": [{"cells": [{"text": "a"}]}]}]}]}
    set_at(data, "forms[0].blocks[0].rows[0].cells[0].text", "b")
    assert data["forms"][0]["blocks"][0]["rows"][0]["cells"][0]["text"] == "b"


def test_a_value_the_model_refuses_is_left_out_and_reported():
    data = draft()
    data["background"] = "长" * 5000  # over the model's text limit
    source = SOURCE + "长" * 5000 + "\n"
    findings = Findings()
    call = validated(data, source, findings)
    assert call.background is None
    assert findings.items[0].field == "background" and "已删去" in findings.items[0].note
