import datetime as dt

from generator.importer.extract.header import extract_header
from tests.importer.conftest import context

NOTICE = """临川市科学技术局文件

临科发〔2025〕12号

关于征集2025年度市级

科普项目的通知

各县（市、区）科技局，市直有关单位：

根据《关于印发方案的通知》（省科发〔2023〕5号）要求，现组织征集。

临川市科学技术局

二〇二五年五月二十六日
"""


def test_header_facts_and_their_lines():
    ctx = context(NOTICE)
    head = extract_header(ctx)
    assert head["title"] == "关于征集2025年度市级科普项目的通知"
    assert head["doc_no"] == "临科发〔2025〕12号"
    assert head["audience"] == ["各县（市、区）科技局", "市直有关单位"]
    assert head["issued"] == dt.date(2025, 5, 26)
    assert head["issuer"] == {"name": "临川市科学技术局", "region": "临川市", "level": "市"}
    lines = {f.field: f.line for f in ctx.findings.items}
    assert lines["doc_no"] == 3
    assert lines["issued"] == 15


def test_a_cited_number_is_never_the_notice_s_own():
    ctx = context(NOTICE.replace("临科发〔2025〕12号", ""))
    head = extract_header(ctx)
    assert head["doc_no"] is None
    finding = next(f for f in ctx.findings.items if f.field == "doc_no")
    assert finding.status == "not_found"
    assert "引用" in finding.note


def test_forwarded_notice_number_is_not_taken():
    ctx = context("关于转发《关于开展调查的通知》（中科协发〔2024〕3号）的通知\n各学会：\n请遵照执行。\n")
    assert extract_header(ctx)["doc_no"] is None


def test_a_university_kx_is_level_gaoxiao_with_no_region():
    ctx = context("关于申报的通知\n各学院：\n正文。\n晨光大学科学技术协会\n2025年4月21日\n")
    head = extract_header(ctx)
    assert head["issuer"] == {"name": "晨光大学科学技术协会", "level": "高校"}


def test_level_unknown_is_flagged():
    ctx = context("关于申报的通知\n各单位：\n正文。\n晨光科技工作者协会\n2025年4月21日\n")
    head = extract_header(ctx)
    assert head["issuer"]["name"] == "晨光科技工作者协会"
    assert head["issuer"]["level"] is None  # never guessed
    level = next(f for f in ctx.findings.items if f.field == "issuer.level")
    assert level.status == "not_found"


def test_nothing_found_stays_unknown():
    ctx = context("一段没有标题和落款的文字。\n")
    head = extract_header(ctx)
    assert head["doc_no"] is None and head["issued"] is None and head["issuer"] is None
    assert {f.field for f in ctx.findings.items if f.status == "not_found"} >= {"doc_no", "issued", "issuer.name"}


def test_district_and_township_levels():
    for name, level in (("东岭区科学技术协会", "区"), ("广西壮族自治区科学技术协会", "省"),
                        ("青禾县科学技术协会", "县"), ("柳林镇科学技术协会", "乡镇")):
        ctx = context(f"关于申报的通知\n各单位：\n正文。\n{name}\n2025年4月21日\n")
        assert extract_header(ctx)["issuer"]["level"] == level, name


def test_title_with_the_issuer_in_front_and_a_signature_on_one_line():
    ctx = context("济宁市科协关于申报2024年度学会项目的通知（第二批）\n各市级学会：\n正文。\n"
                  "济宁市科学技术协会    2024年3月5日\n")
    head = extract_header(ctx)
    assert head["title"] == "济宁市科协关于申报2024年度学会项目的通知（第二批）"
    assert head["issued"] == dt.date(2024, 3, 5)
    assert head["issuer"]["name"] == "济宁市科学技术协会"
