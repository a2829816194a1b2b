from generator.importer.extract.eligibility import applicant_types, extract_eligibility
from tests.importer.conftest import context


def test_applicant_types_from_the_notice_s_words():
    assert applicant_types("市全民科学素质工作领导小组成员单位，各县（市、区）科协，各高校、企事业科协") == [
        "高校科协", "企事业科协", "县级科协", "领导小组成员单位"]


def test_applicants_sentence_and_limits():
    ctx = context("1.申报单位为市科协所属市级学会，高校科协。\n2.每个单位限报2个项目。\n3.项目申报数量不作限制。\n")
    got = extract_eligibility(ctx, None)
    assert got["text"] == "申报单位为市科协所属市级学会，高校科协"
    assert got["applicants"] == ["市级学会", "高校科协"]
    assert [(x["max_count"], x["text"]) for x in got["limits"]] == [(2, "每个单位限报2个项目"),
                                                                      (None, "项目申报数量不作限制")]
