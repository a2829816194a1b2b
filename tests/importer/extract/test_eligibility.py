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


def test_area_quota_recommendation_and_qualifier():
    ctx = context("全区推荐不超过15名，每个单位推荐不超过2名。\n省级学会原则上可申报 1 个品牌项目。\n")
    got = extract_eligibility(ctx, None)["limits"]
    assert got == [
        {"max_count": 15, "text": "全区推荐不超过15名", "scope": "整个地区", "role": "推荐"},
        {"max_count": 2, "text": "每个单位推荐不超过2名", "role": "推荐"},
        {"max_count": 1, "text": "省级学会原则上可申报 1 个品牌项目", "qualifiers": ["原则上"]},
    ]


def test_quota_of_a_kind_of_unit():
    ctx = context("省科协所属省级学会、企事业科协原则上可申报 1 个品牌项目，市级科协原则上申报不超过 3 个品牌项目"
                  "（含县级科协项目），填报申报表。\n")
    got = extract_eligibility(ctx, None)["limits"]
    assert [(x["max_count"], x["text"], x.get("qualifiers")) for x in got] == [
        (1, "省科协所属省级学会、企事业科协原则上可申报 1 个品牌项目", ["原则上"]),
        (3, "市级科协原则上申报不超过 3 个品牌项目（含县级科协项目）", ["原则上"]),
    ]
