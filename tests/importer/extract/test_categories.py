from generator.importer.extract.categories import extract_categories
from tests.importer.conftest import context


def test_items_with_counts_and_funding():
    ctx = context("一、项目类别\n（一）科普示范村（社区）。计划支持6个，每个补助2万元。\n"
                  "（二）农技协能力提升。计划支持5-8个，每个补助1.5万元。\n二、申报条件\n1.每个单位限报1个项目。\n")
    got = extract_categories(ctx)
    assert [(c["code"], c["name"], c["count"]["text"], c["funding"]["text"]) for c in got] == [
        ("（一）", "科普示范村（社区）", "6个", "2万元"),
        ("（二）", "农技协能力提升", "5-8个", "1.5万元"),
    ]
    assert got[1]["count"]["min"] == 5 and got[1]["count"]["max"] == 8


def test_two_levels_and_fields_are_not_items():
    ctx = context(
        "三、项目内容及相关要求\n（一）一流学会建设\n1、项目内容：坚持……\n1) 组织凝聚力全面增强\n"
        "（二）创新特色学会\n1、科技创新智库建设特色学会\n项目内容：紧紧围绕……\n申报要求：\n"
        "(1) 决策咨询工作基础扎实。\n"
        "2、学术和科技服务特色学会\n（三）服务专项\n1、科技服务项目\n四、相关要求\n"
    )
    got = extract_categories(ctx)
    assert [c["name"] for c in got] == ["一流学会建设", "创新特色学会", "服务专项"]
    assert [c["name"] for c in got[1]["children"]] == ["科技创新智库建设特色学会", "学术和科技服务特色学会"]
    assert [c["name"] for c in got[2]["children"]] == ["科技服务项目"]


def test_repeated_list_in_an_attachment_is_kept_once():
    ctx = context("一、改革重点事项\n1.学术交流模式创新；\n2.银龄科普行动试点。\n二、要求\n正文。\n"
                  "附件3\n改革重点事项说明\n1.学术交流模式创新\n完善……\n")
    assert [c["name"] for c in extract_categories(ctx)] == ["学术交流模式创新", "银龄科普行动试点"]


def test_none_found_is_reported():
    ctx = context("各单位认真组织。\n")
    assert extract_categories(ctx) == []
    assert ctx.findings.items[-1].status == "not_found"


def test_a_heading_that_shortens_a_counted_name_takes_the_full_name():
    ctx = context("（一）项目类别\n今年项目包括一流学会建设、创新特色学会建设、服务专项三类。\n"
                  "三、项目内容\n（一）一流学会建设\n1、项目内容：坚持……\n（二）创新特色学会\n"
                  "1、科技创新智库建设特色学会\n（三）服务专项\n四、相关要求\n")
    got = extract_categories(ctx)
    assert [c["name"] for c in got] == ["一流学会建设", "创新特色学会建设", "服务专项"]
    assert any(i.status == "ambiguous" and "创新特色学会" in i.note for i in ctx.findings.items)


def test_list_attachments_of_named_classes_go_under_their_class():
    ctx = context("一、项目内容\n项目分为A类竞争性项目和B类自主创新性项目。详见附件。\n二、要求\n正文。\n"
                  "附件1\n甲市A类项目清单\n1.科普示范项目\n项目简介：……\n2.学术论坛项目\n"
                  "附件2\n甲市B类项目申报范围\n1.学会能力提升探索\n")
    got = extract_categories(ctx)
    assert [c["name"] for c in got] == ["A类竞争性项目", "B类自主创新性项目"]
    assert [c["name"] for c in got[0]["children"]] == ["科普示范项目", "学术论坛项目"]
    assert [c["name"] for c in got[1]["children"]] == ["学会能力提升探索"]


def test_an_item_number_is_not_a_figure():
    from generator.importer.normalise import MARKER

    assert MARKER.match("1.科普示范项目") and MARKER.match("2、学术论坛") and MARKER.match("1.2024年度申报书")
    assert not MARKER.match("1.5万元") and not MARKER.match("3. 5个")
