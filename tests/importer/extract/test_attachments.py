from generator.importer.extract.attachments import extract_attachments, kind_of
from tests.importer.conftest import context


def test_list_wrapped_titles_and_in_source():
    ctx = context("附：1.2023年度A类项目清单\n\n    2.2023年度B类项目申报\n\n范围\n3.项目申报表\n"
                  "济宁市科学技术协会\n\n2022年11月8日\n附件1\n2023年度A类项目清单\n1.甲\n附件3\n项目申报表\n")
    got, headings = extract_attachments(ctx)
    assert [(a.get("number"), a["title"], a["kind"], a.get("in_source", True)) for a in got] == [
        ("附件1", "2023年度A类项目清单", "list", True),
        (None, "2023年度B类项目申报范围", "list", False),
        ("附件3", "项目申报表", "form", True),
    ]
    assert set(headings) == {"1", "3"}


def test_kinds():
    assert kind_of("改革品牌项目推荐表") == "form"
    assert kind_of("项目指标（计100分）") == "indicators"
    assert kind_of("操作流程") == "guide"
    assert kind_of("其他材料") == "other"
